"""Study groups: a cohort of students of one specialty, form and basis.

A group keeps its identity for all its years of study: the year of admission
never changes, the course is raised by the order «перевод на следующий курс»
(which may also rename the group, «ИСП-11» → «ИСП-21»). `expected_course` is
the course the academic year implies; a group whose course lags behind it has
not been transferred yet.
"""
import math
import re

from sql import Null
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.specialty import BASES, STUDY_FORMS

from .exceptions import ContingentValidationError

MAX_COURSE = 6
ACTIVE_STATES = ('studying', 'academic_leave')


def course_of(admission_year, starting_year):
    "The course of a cohort in the academic year that began in starting_year"
    if not admission_year or not starting_year:
        return None
    return max(1, min(MAX_COURSE, starting_year - admission_year + 1))


def next_course_name(name, course):
    """The name of a group after a course transfer when the name carries the
    course as the first digit after the dash: «ИСП-11» → «ИСП-21»,
    «ТМ-1-24» → «ТМ-2-24». Other names are kept."""
    if not name or not course:
        return name
    match = re.match(r'^(.*?[-‐–\s])(\d)(\d*\D*.*)$', name)
    if match and int(match.group(2)) == course:
        return f'{match.group(1)}{course + 1}{match.group(3)}'
    return name


class StudyGroup(DeactivableMixin, ModelSQL, ModelView):
    "Study group"
    __name__ = 'copp.study.group'

    name = fields.Char("Name", required=True,
        help="E.g. «ИСП-21»: unique among the college's active groups.")
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    specialty = fields.Many2One('copp.specialty', "Specialty", required=True,
        ondelete='RESTRICT',
        domain=[('company', 'in', [None, Eval('company', -1)])])
    study_form = fields.Selection(STUDY_FORMS, "Form of Study", required=True)
    basis = fields.Selection(BASES, "Basis", required=True,
        help="Education the admission is based on.")
    admission_year = fields.Integer("Year of Admission", required=True,
        domain=[('admission_year', '>=', 1990), ('admission_year', '<=', 2100)])
    course = fields.Integer("Course", required=True,
        domain=[('course', '>=', 1), ('course', '<=', MAX_COURSE)],
        states={'readonly': Eval('id', -1) > 0},
        help="Raised by the order «перевод на следующий курс».")
    expected_course = fields.Function(fields.Integer("Course by Academic Year",
            help="The course the current academic year implies for the "
            "year of admission."),
        'on_change_with_expected_course')
    graduation_year = fields.Integer("Planned Graduation Year",
        domain=[If(Eval('graduation_year'),
                ('graduation_year', '>=', Eval('admission_year', 0)),
                ())])
    curator = fields.Many2One('company.employee', "Curator",
        domain=[('company', '=', Eval('company', -1))],
        help="The class teacher (куратор, классный руководитель).")
    teachers = fields.Many2Many('copp.study.group-company.employee', 'group',
        'employee', "Teachers",
        domain=[('company', '=', Eval('company', -1))],
        help="Teachers who read the students of the group "
        "(the journal fills it from the teaching load).")
    size_limit = fields.Integer("Size Limit",
        domain=[If(Eval('size_limit'), ('size_limit', '>', 0), ())])
    students = fields.One2Many('copp.student', 'group', "Students",
        filter=[('state', 'in', list(ACTIVE_STATES))], readonly=True)
    student_count = fields.Function(fields.Integer("Students #"),
        'get_counts')
    leave_count = fields.Function(fields.Integer("On Academic Leave"),
        'get_counts')
    budget_count = fields.Function(fields.Integer("Budget"), 'get_counts')
    contract_count = fields.Function(fields.Integer("Contract"), 'get_counts')
    free_places = fields.Function(fields.Integer("Free Places"),
        'get_counts')
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.company, Index.Range()), (t.name, Index.Equality())))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_study_form(cls):
        return 'full_time'

    @classmethod
    def default_basis(cls):
        return '9'

    @classmethod
    def _starting_year(cls, date=None):
        pool = Pool()
        AcademicYear = pool.get('copp.academic.year')
        Date = pool.get('ir.date')
        return AcademicYear.starting_year(date or Date.today())

    @classmethod
    def default_admission_year(cls):
        return cls._starting_year()

    @classmethod
    def default_course(cls):
        return 1

    @fields.depends('admission_year')
    def on_change_with_expected_course(self, name=None):
        return course_of(self.admission_year, self._starting_year())

    @fields.depends('admission_year', 'course', 'id')
    def on_change_admission_year(self):
        if (self.id is None or self.id < 0) and self.admission_year:
            self.course = course_of(self.admission_year,
                self._starting_year())

    @fields.depends('specialty', 'study_form', 'basis', 'admission_year',
        'graduation_year')
    def on_change_with_graduation_year(self):
        if self.specialty and self.admission_year:
            for duration in self.specialty.durations:
                if (duration.study_form == self.study_form
                        and duration.basis == self.basis):
                    return self.admission_year + math.ceil(
                        duration.months / 12)
        return self.graduation_year

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def get_counts(cls, groups, names):
        pool = Pool()
        Student = pool.get('copp.student')
        student = Student.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {g.id: 0 for g in groups} for n in names}
        for sub_ids in grouped_slice([g.id for g in groups], _in_max()):
            sub_ids = list(sub_ids)
            cursor.execute(*student.select(
                    student.group, student.state, student.funding,
                    Count(student.id),
                    where=student.group.in_(list(sub_ids))
                    & student.state.in_(list(ACTIVE_STATES)),
                    group_by=[student.group, student.state,
                        student.funding]))
            for group_id, state, funding, count in cursor:
                if 'student_count' in result:
                    result['student_count'][group_id] += count
                if state == 'academic_leave' and 'leave_count' in result:
                    result['leave_count'][group_id] += count
                if funding in {'budget', 'targeted'} and (
                        'budget_count' in result):
                    result['budget_count'][group_id] += count
                if funding == 'contract' and 'contract_count' in result:
                    result['contract_count'][group_id] += count
        if 'free_places' in result:
            if 'student_count' in result:
                counts = result['student_count']
            else:
                counts = cls.get_counts(groups, ['student_count'])[
                    'student_count']
            for group in groups:
                result['free_places'][group.id] = (
                    group.size_limit - counts[group.id]
                    if group.size_limit else None)
        return result

    @classmethod
    def validate(cls, groups):
        super().validate(groups)
        cls._check_unique_name(groups)

    @classmethod
    def _check_unique_name(cls, groups):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_groups in grouped_slice(groups, _in_max()):
            sub_groups = list(sub_groups)
            sub_groups = [g for g in sub_groups if g.active]
            if not sub_groups:
                continue
            names = {g.name for g in sub_groups}
            cursor.execute(*table.select(
                    table.company, table.name, Count(table.id),
                    where=table.name.in_(list(names))
                    & (table.active == True)  # noqa: E712
                    & (table.company != Null),
                    group_by=[table.company, table.name],
                    having=Count(table.id) > 1))
            row = cursor.fetchone()
            if row:
                raise ContingentValidationError(gettext(
                        'copp_contingent.msg_group_name_unique',
                        name=row[1]))


class StudyGroupTeacher(ModelSQL):
    "Teacher of a study group"
    __name__ = 'copp.study.group-company.employee'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('group')

    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='CASCADE')
    employee = fields.Many2One('company.employee', "Teacher", required=True,
        ondelete='CASCADE')


def _in_max():
    from trytond import backend
    return backend.MAX_QUERY_PARAMS
