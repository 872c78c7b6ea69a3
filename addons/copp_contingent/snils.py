"""One student file per СНИЛС: the importer's rules, kept by the models.

A СНИЛС (party.identifier ru_snils of the student's person) may not be that
of another student of the same college, nor of a student who studies now
(applicant, studying, academic leave) in another college while this one
does too: a transfer is made by orders of both colleges. The graduates and
the expelled of another college may enrol (their person is reused).
Checked when a student's person, college or state changes and when a
person's СНИЛС is written, in one query per batch."""
from sql import Literal
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.model import fields
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .exceptions import ContingentValidationError

ACTIVE_STATES = ['applicant', 'studying', 'academic_leave']


def _in(column, ids):
    return fields.SQL_OPERATORS['in'](column, list(ids))
CHECKED_FIELDS = {'party', 'company', 'state', 'snils'}


def check_snils(student_ids):
    "Refuse a СНИЛС shared against the rules above by one of the students"
    pool = Pool()
    Student = pool.get('copp.student')
    Identifier = pool.get('party.identifier')
    student = Student.__table__()
    other = Student.__table__()
    identifier = Identifier.__table__()
    other_identifier = Identifier.__table__()
    cursor = Transaction().connection.cursor()
    active = ACTIVE_STATES
    for sub_ids in grouped_slice(sorted(set(student_ids)), 1000):
        query = student.join(identifier,
            condition=(identifier.party == student.party)
            & (identifier.type == 'ru_snils')
            ).join(other_identifier,
            condition=(other_identifier.code == identifier.code)
            & (other_identifier.type == 'ru_snils')
            ).join(other,
            condition=(other.party == other_identifier.party)
            & (other.id != student.id)
            ).select(student.id, other.id, identifier.code,
                Equal(other.company, student.company),
                where=_in(student.id, sub_ids)
                & Student._snils_scope(student) & Student._snils_scope(other)
                & ((other.company == student.company)
                    | (student.state.in_(active)
                        & other.state.in_(active))),
                limit=1)
        cursor.execute(*query)
        row = cursor.fetchone()
        if row:
            student_id, other_id, code, same_college = row
            record = Student(student_id)
            if same_college:
                raise ContingentValidationError(gettext(
                        'copp_contingent.msg_snils_duplicate',
                        snils=code, student=record.rec_name,
                        other=Student(other_id).rec_name))
            # The other college's student is not named.
            raise ContingentValidationError(gettext(
                    'copp_contingent.msg_snils_other_college',
                    snils=code, student=record.rec_name))


class Student(metaclass=PoolMeta):
    __name__ = 'copp.student'

    @classmethod
    def _snils_scope(cls, table):
        """SQL condition on the student `table`: the files the rule of one
        file per СНИЛС applies to (all; copp_training keeps out the files
        of its cohorts' learners, who may study a programme beside their
        college)"""
        return Literal(True)

    @classmethod
    def validate_fields(cls, students, field_names):
        super().validate_fields(students, field_names)
        if not field_names or CHECKED_FIELDS & set(field_names):
            check_snils([s.id for s in students])


class PartyIdentifier(metaclass=PoolMeta):
    __name__ = 'party.identifier'

    @classmethod
    def validate_fields(cls, identifiers, field_names):
        pool = Pool()
        Student = pool.get('copp.student')
        super().validate_fields(identifiers, field_names)
        if field_names and not {'code', 'type', 'party'} & set(field_names):
            return
        parties = [i.party.id for i in identifiers
            if i.type == 'ru_snils' and i.party]
        if parties:
            student = Student.__table__()
            cursor = Transaction().connection.cursor()
            ids = []
            for sub_ids in grouped_slice(parties, 1000):
                cursor.execute(*student.select(student.id,
                        where=_in(student.party, sub_ids)))
                ids.extend(i for i, in cursor)
            if ids:
                check_snils(ids)
