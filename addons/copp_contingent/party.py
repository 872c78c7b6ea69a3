"""Persons held by the contingent (copp/party_access.py): a student by their
college, and watched by the curator and the teachers of their group."""
from trytond.pool import Pool, PoolMeta


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def _person_holders(cls):
        pool = Pool()
        Student = pool.get('copp.student')
        student = Student.__table__()
        return super()._person_holders() + [
            (student, student.party, student.company, None),
            ]

    @classmethod
    def _person_staff(cls):
        pool = Pool()
        Student = pool.get('copp.student')
        Group = pool.get('copp.study.group')
        GroupTeacher = pool.get('copp.study.group-company.employee')
        student = Student.__table__()
        group = Group.__table__()
        student2 = Student.__table__()
        teacher = GroupTeacher.__table__()
        return super()._person_staff() + [
            (student.join(group, condition=group.id == student.group),
                student.party, group.curator, None),
            (student2.join(teacher,
                    condition=teacher.group == student2.group),
                student2.party, teacher.employee, None),
            ]
