"""With copp_contingent: a conflict says where the persons found study."""
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta


class Candidate(metaclass=PoolMeta):
    __name__ = 'copp.esia.conflict.candidate'

    @classmethod
    def _describe_parts(cls, party):
        pool = Pool()
        Student = pool.get('copp.student')
        parts = super()._describe_parts(party)
        states = dict(Student.fields_get(['state'])['state']['selection'])
        for student in Student.search([('party', '=', party.id)],
                order=[('id', 'DESC')], limit=3):
            parts.append(gettext('copp_esia.msg_candidate_student',
                    college=student.company.rec_name,
                    group=student.group.rec_name if student.group else '—',
                    state=states.get(student.state, student.state)))
        return parts
