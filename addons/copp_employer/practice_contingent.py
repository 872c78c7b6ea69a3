"""Practice placements linked to the students' records of the contingent
(copp.student), when copp_contingent is activated: the person and the group
of a placement follow the record, and the student's card lists their
practices. Without copp_contingent a placement names the person only."""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .exceptions import PracticePlaceValidationError


class PracticeStudent(metaclass=PoolMeta):
    __name__ = 'copp.employer.practice_place.student'

    record = fields.Many2One('copp.student', "Student Record",
        ondelete='RESTRICT',
        help="The student's record in the contingent of the college: the "
        "person and the group are taken from it.")

    @fields.depends('record', 'student', 'group_name')
    def on_change_record(self):
        if self.record:
            self.student = self.record.party
            if self.record.group:
                self.group_name = self.record.group.name

    @classmethod
    def preprocess_values(cls, mode, values):
        "The person and the group of a placement given by its record"
        pool = Pool()
        Student = pool.get('copp.student')
        values = super().preprocess_values(mode, values)
        if values.get('record'):
            record = Student(values['record'])
            values['student'] = record.party.id
            if record.group and not values.get('group_name'):
                values['group_name'] = record.group.name
        return values

    @classmethod
    def validate_fields(cls, placements, field_names):
        super().validate_fields(placements, field_names)
        if field_names is None or {'record', 'place'} & set(field_names):
            for placement in placements:
                record = placement.record
                if record and record.company != placement.place.company:
                    raise PracticePlaceValidationError(gettext(
                            'copp_employer.msg_practice_record_college',
                            student=record.rec_name,
                            place=placement.place.rec_name))


class Student(metaclass=PoolMeta):
    __name__ = 'copp.student'

    practices = fields.One2Many('copp.employer.practice_place.student',
        'record', "Practices", readonly=True)
