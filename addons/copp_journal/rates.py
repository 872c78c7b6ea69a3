"""Success, quality, average mark and attendance, computed set-based: one
SQL query per report over the whole set (python-sql, both backends).

Definitions (the ones of the college's учебная часть):

- A *result* is a student's outcome in a discipline over the period:
  * source «current» (текущая успеваемость, e.g. a monthly attestation):
    the rounded average of the student's numeric current marks in the
    discipline (≥ 4.5 → 5, ≥ 3.5 → 4, ≥ 2.5 → 3, below → 2); a discipline
    marked only «зачёт / незачёт» is failed when the «незачёт» outnumber
    the «зачёт»;
  * source «final» (итоги сессии): the latest closed grade-sheet line of
    the student in the discipline and term, dated within the period
    (5, 4, 3, 2, зачтено, не зачтено, неявка).
- A student is *assessed* when they have at least one result; *successful*
  (успевающий) when none of the results is 2, «не зачтено» or «неявка»;
  of *quality* (качество) when successful and no numeric result is 3 (so
  only 4, 5 and «зачтено»).
- success rate = successful / assessed × 100; quality rate = quality /
  assessed × 100; average mark = the mean of the numeric marks (current
  marks, or the numeric final grades).
- planned hours = Σ over the lessons held in the period (up to today) of
  their hours × the students taught (the subgroup's, or the group's active
  students now); missed hours = Σ hours of the absences (excused: illness,
  application, order; the others are unexcused); attendance rate =
  (planned − missed) / planned × 100.

Levels: 'student' (college, group, student), 'group' (college, group),
'college' (college), 'region' (one row).
"""
import datetime as dt

from sql import Literal, Null, Union, With
from sql.aggregate import Count, Max, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Function, Round
from sql.operators import Exists, Not

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction

LEVELS = {
    'student': ['company', 'group', 'student'],
    'group': ['company', 'group'],
    'college': ['company'],
    'region': [],
    }
ACTIVE = ['studying', 'academic_leave']
MEASURES = ['students', 'assessed', 'successful', 'quality', 'marks',
    'points', 'planned_hours', 'missed_hours', 'excused_hours',
    'unexcused_hours']
RATES = ['success_rate', 'quality_rate', 'average', 'attendance_rate']


class _ToFloat(Function):
    "CAST(x AS DOUBLE PRECISION): rates come back as floats on both backends"
    __slots__ = ()
    _function = 'CAST'

    def __str__(self):
        return 'CAST(%s AS DOUBLE PRECISION)' % self._format(self.args[0])


class _ToDecimal(Function):
    "CAST(x AS NUMERIC) on PostgreSQL (ROUND needs it), REAL on SQLite"
    __slots__ = ()
    _function = 'CAST'

    def __str__(self):
        type_ = 'REAL' if backend.name == 'sqlite' else 'NUMERIC'
        return 'CAST(%s AS %s)' % (self._format(self.args[0]), type_)


class Filters:
    "The selection of a report: period, colleges, groups, students, terms"

    def __init__(self, date_from, date_to, companies=None, groups=None,
            students=None, terms=None, today=None):
        self.date_from = date_from
        self.date_to = date_to
        self.companies = list(companies) if companies is not None else None
        self.groups = list(groups) if groups is not None else None
        self.students = list(students) if students is not None else None
        self.terms = list(terms) if terms is not None else None
        self.today = today or dt.date.today()
        self.totals = False  # whole terms: copp.journal.total
        self.month_totals = False  # whole months: copp.journal.total.month

    def where(self, table, date=True, student='student', company='company',
            group='group', term='term'):
        condition = Literal(True)
        if date:
            condition &= (table.date >= self.date_from) & (
                table.date <= self.date_to)
        if self.companies is not None and company:
            condition &= getattr(table, company).in_(self.companies or [-1])
        if self.groups is not None and group:
            condition &= getattr(table, group).in_(self.groups or [-1])
        if self.students is not None and student:
            condition &= getattr(table, student).in_(self.students or [-1])
        if self.terms is not None and term:
            condition &= getattr(table, term).in_(self.terms or [-1])
        return condition


def _current_students(filters):
    """Per student: assessed, bad (has a failed result), three (has a
    result 3), points and count of the numeric marks — from current marks"""
    pool = Pool()
    Mark = pool.get('copp.journal.mark')
    Total = pool.get('copp.journal.total')
    TotalMonth = pool.get('copp.journal.total.month')
    if filters.totals:
        # Whole terms: the running totals per student and discipline.
        total = Total.__table__()
        units = total.select(total.company.as_('company'),
            total.group.as_('group'), total.student.as_('student'),
            total.points.as_('p'), total.numeric.as_('n'),
            total.passes.as_('np'), total.fails.as_('nf'),
            where=filters.where(total, date=False)
            & ((total.numeric + total.passes + total.fails) > 0))
    elif filters.month_totals:
        # Whole months: the monthly totals, summed over the months.
        total = TotalMonth.__table__()
        units = total.select(total.company.as_('company'),
            total.group.as_('group'), total.student.as_('student'),
            Sum(total.points).as_('p'), Sum(total.numeric).as_('n'),
            Sum(total.passes).as_('np'), Sum(total.fails).as_('nf'),
            where=_in_months(total, filters)
            & ((total.numeric + total.passes + total.fails) > 0),
            group_by=[total.company, total.group, total.student,
                total.line])
    else:
        mark = Mark.__table__()
        points = Case((mark.value == '5', 5), (mark.value == '4', 4),
            (mark.value == '3', 3), (mark.value == '2', 2), else_=Null)
        units = mark.select(mark.company.as_('company'),
            mark.group.as_('group'), mark.student.as_('student'),
            Sum(points).as_('p'), Count(points).as_('n'),
            Sum(Case((mark.value == 'pass', 1), else_=0)).as_('np'),
            Sum(Case((mark.value == 'fail', 1), else_=0)).as_('nf'),
            where=filters.where(mark),
            group_by=[mark.company, mark.group, mark.student, mark.line])
    bad = Case(((units.n > 0) & (units.p * 2 < units.n * 5), 1),
        ((units.n == 0) & (units.nf > units.np), 1), else_=0)
    three = Case(((units.n > 0) & (units.p * 2 >= units.n * 5)
            & (units.p * 2 < units.n * 7), 1), else_=0)
    return units.select(units.company.as_('company'),
        units.group.as_('group'), units.student.as_('student'),
        Max(bad).as_('bad'), Max(three).as_('three'),
        Sum(units.p).as_('points'), Sum(units.n).as_('marks'),
        group_by=[units.company, units.group, units.student])


def _final_students(filters):
    "The same per student from the latest closed grade-sheet lines"
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    Line = pool.get('copp.journal.sheet.line')
    sheet, line = Sheet.__table__(), Line.__table__()
    later_sheet, later_line = Sheet.__table__(), Line.__table__()
    # By term: every closed result of the term's disciplines counts, the
    # retakes after the end of the term included; else the results dated
    # in the period.
    by_term = filters.terms is not None
    later_where = ((later_line.student == line.student)
        & (later_sheet.line == sheet.line)
        & (later_sheet.term == sheet.term)
        & (later_sheet.state == 'closed'))
    if not by_term:
        later_where &= later_sheet.date <= filters.date_to
    later = later_line.join(later_sheet,
        condition=later_line.sheet == later_sheet.id).select(
        later_line.id,
        where=later_where
        & ((later_sheet.date > sheet.date)
            | ((later_sheet.date == sheet.date)
                & (later_sheet.id > sheet.id))))
    grade = line.grade
    points = Case((grade == '5', 5), (grade == '4', 4), (grade == '3', 3),
        (grade == '2', 2), else_=Null)
    bad = Case((grade.in_(['2', 'fail', 'absent']), 1), else_=0)
    three = Case((grade == '3', 1), else_=0)
    where = ((sheet.state == 'closed') & (grade != Null)
        & filters.where(sheet, student=None, date=not by_term)
        & Not(Exists(later)))
    if filters.students is not None:
        where &= line.student.in_(filters.students or [-1])
    return line.join(sheet, condition=line.sheet == sheet.id).select(
        sheet.company.as_('company'), sheet.group.as_('group'),
        line.student.as_('student'),
        Max(bad).as_('bad'), Max(three).as_('three'),
        Sum(points).as_('points'), Count(points).as_('marks'),
        where=where,
        group_by=[sheet.company, sheet.group, line.student])


def _absences(filters, keys):
    pool = Pool()
    Absence = pool.get('copp.journal.absence')
    Total = pool.get('copp.journal.total')
    TotalMonth = pool.get('copp.journal.total.month')
    if filters.totals or filters.month_totals:
        if filters.totals:
            total = Total.__table__()
            where = filters.where(total, date=False)
        else:
            total = TotalMonth.__table__()
            where = _in_months(total, filters)
        return total.select(*[getattr(total, k).as_(k) for k in keys],
            Sum(total.missed).as_('missed_hours'),
            Sum(total.excused).as_('excused_hours'),
            where=where & (total.missed > 0),
            group_by=[getattr(total, k) for k in keys] or None)
    absence = Absence.__table__()
    return absence.select(*[getattr(absence, k).as_(k) for k in keys],
        Sum(absence.hours).as_('missed_hours'),
        Sum(Case((absence.excused == Literal(True), absence.hours),
                else_=0)).as_('excused_hours'),
        where=filters.where(absence),
        group_by=[getattr(absence, k) for k in keys] or None)


def _group_sizes():
    pool = Pool()
    Student = pool.get('copp.student')
    student = Student.__table__()
    return student.select(student.group.as_('group'),
        Count(student.id).as_('size'),
        where=student.state.in_(ACTIVE),
        group_by=[student.group])


def _members():
    pool = Pool()
    Member = pool.get('copp.journal.workload-copp.student')
    member = Member.__table__()
    return member.select(member.workload.as_('workload'),
        Count(member.id).as_('size'),
        group_by=[member.workload])


def _planned(filters, keys):
    """Planned student-hours of the lessons held in the period per key"""
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    Member = pool.get('copp.journal.workload-copp.student')
    Student = pool.get('copp.student')
    lesson = Lesson.__table__()
    until = min(filters.date_to, filters.today)
    held = filters.where(lesson, student=None) & (lesson.date <= until)
    members = _members()
    if 'student' not in keys:
        sizes = _group_sizes()
        query = lesson.join(members, 'LEFT',
            condition=members.workload == lesson.workload).join(sizes, 'LEFT',
            condition=sizes.group == lesson.group)
        return query.select(*[getattr(lesson, k).as_(k) for k in keys],
            Sum(lesson.hours * Coalesce(members.size, sizes.size, 0)).as_(
                'planned_hours'),
            where=held,
            group_by=[getattr(lesson, k) for k in keys] or None)
    # Per student: the lessons of the whole group + those of the subgroups
    # the student belongs to.
    student = Student.__table__()
    whole = lesson.join(members, 'LEFT',
        condition=members.workload == lesson.workload).select(
        lesson.company.as_('company'), lesson.group.as_('group'),
        Sum(lesson.hours).as_('hours'),
        where=held & (members.size == Null),
        group_by=[lesson.company, lesson.group])
    s_where = student.state.in_(ACTIVE)
    if filters.students is not None:
        s_where &= student.id.in_(filters.students or [-1])
    if filters.groups is not None:
        s_where &= student.group.in_(filters.groups or [-1])
    group_part = student.join(whole,
        condition=whole.group == student.group).select(
        whole.company.as_('company'), student.group.as_('group'),
        student.id.as_('student'), whole.hours.as_('hours'),
        where=s_where)
    member = Member.__table__()
    lesson2 = Lesson.__table__()
    held2 = filters.where(lesson2, student=None) & (lesson2.date <= until)
    m_where = held2
    if filters.students is not None:
        m_where &= member.student.in_(filters.students or [-1])
    sub_part = member.join(lesson2,
        condition=lesson2.workload == member.workload).select(
        lesson2.company.as_('company'), lesson2.group.as_('group'),
        member.student.as_('student'), Sum(lesson2.hours).as_('hours'),
        where=m_where,
        group_by=[lesson2.company, lesson2.group, member.student])
    union = Union(group_part, sub_part, all_=True)
    return union.select(union.company.as_('company'),
        union.group.as_('group'), union.student.as_('student'),
        Sum(union.hours).as_('planned_hours'),
        group_by=[union.company, union.group, union.student])


def _contingent(filters, keys):
    pool = Pool()
    Student = pool.get('copp.student')
    student = Student.__table__()
    columns = {'company': student.company, 'group': student.group,
        'student': student.id}
    where = student.state.in_(ACTIVE) & (student.group != Null)
    if filters.companies is not None:
        where &= student.company.in_(filters.companies or [-1])
    if filters.groups is not None:
        where &= student.group.in_(filters.groups or [-1])
    if filters.students is not None:
        where &= student.id.in_(filters.students or [-1])
    return student.select(*[columns[k].as_(k) for k in keys],
        Count(student.id).as_('students'),
        where=where,
        group_by=[columns[k] for k in keys] or None)


def ratio(numerator, denominator, digits):
    "numerator / denominator rounded, NULL for a zero denominator"
    return Case((denominator > 0, _ToFloat(Round(
                    _ToDecimal(numerator) / denominator, digits))),
        else_=Null)


def covers_terms(filters):
    """True when the period is made of whole terms given in the filters: the
    running totals (copp.journal.total) then replace the marks"""
    pool = Pool()
    Term = pool.get('copp.academic.term')
    if filters.terms is None:
        # Whole terms inside the period and no term cut by it.
        touched = Term.search([
                ('start_date', '<=', filters.date_to),
                ('end_date', '>=', filters.date_from),
                ])
        inside = [t for t in touched if filters.date_from <= t.start_date
            and t.end_date <= filters.date_to]
        if not inside or len(inside) != len(touched):
            return False
        filters.terms = [t.id for t in inside]
        return True
    if not filters.terms:
        return False
    terms = Term.browse(filters.terms)
    return (filters.date_from <= min(t.start_date for t in terms)
        and filters.date_to >= max(t.end_date for t in terms))


def covers_months(filters):
    """True when the period is made of whole months: the monthly totals
    (copp.journal.total.month) then replace the marks"""
    start, end = filters.date_from, filters.date_to
    return (start.day == 1 and end >= start
        and (end + dt.timedelta(days=1)).day == 1)


def _in_months(total, filters):
    "The rows of the monthly totals of the period and the other filters"
    return (filters.where(total, date=False)
        & (total.month >= filters.date_from)
        & (total.month <= filters.date_to))


def rates_query(level, filters, source='current'):
    """The python-sql query of the rates: one row per key of the level with
    the key columns, MEASURES and RATES"""
    keys = LEVELS[level]
    filters.totals = source == 'current' and covers_terms(filters)
    filters.month_totals = (source == 'current' and not filters.totals
        and covers_months(filters))
    per_student = (_final_students(filters) if source == 'final'
        else _current_students(filters))
    results = per_student.select(
        *[getattr(per_student, k).as_(k) for k in keys],
        Count(per_student.student).as_('assessed'),
        Sum(Literal(1) - per_student.bad).as_('successful'),
        Sum(Case(((per_student.bad == 0) & (per_student.three == 0), 1),
                else_=0)).as_('quality'),
        Sum(per_student.marks).as_('marks'),
        Sum(per_student.points).as_('points'),
        group_by=[getattr(per_student, k) for k in keys] or None)
    absences = With(query=_absences(filters, keys))
    planned = With(query=_planned(filters, keys))
    contingent = With(query=_contingent(filters, keys))
    results = With(query=results)
    parts = [results, absences, planned, contingent]
    if keys:
        all_keys = Union(*[p.select(*[getattr(p, k).as_(k) for k in keys])
                for p in parts])
        query = all_keys
        for part in parts:
            condition = Literal(True)
            for k in keys:
                condition &= getattr(part, k) == getattr(all_keys, k)
            query = query.join(part, 'LEFT', condition=condition)
        key_columns = [getattr(all_keys, k).as_(k) for k in keys]
    else:
        # One row each: aggregates without GROUP BY.
        query = contingent
        for part in parts[:3]:
            query = query.join(part, 'CROSS')
        key_columns = []
    zero = Literal(0)
    assessed = Coalesce(results.assessed, zero)
    successful = Coalesce(results.successful, zero)
    quality = Coalesce(results.quality, zero)
    marks = Coalesce(results.marks, zero)
    points = Coalesce(results.points, zero)
    plan = Coalesce(planned.planned_hours, zero)
    missed = Coalesce(absences.missed_hours, zero)
    excused = Coalesce(absences.excused_hours, zero)
    return query.select(*key_columns,
        Coalesce(contingent.students, zero).as_('students'),
        assessed.as_('assessed'),
        successful.as_('successful'),
        quality.as_('quality'),
        marks.as_('marks'),
        points.as_('points'),
        plan.as_('planned_hours'),
        missed.as_('missed_hours'),
        excused.as_('excused_hours'),
        (missed - excused).as_('unexcused_hours'),
        ratio(successful * 100, assessed, 1).as_('success_rate'),
        ratio(quality * 100, assessed, 1).as_('quality_rate'),
        ratio(points, marks, 2).as_('average'),
        ratio((plan - missed) * 100, plan, 1).as_('attendance_rate'),
        with_=parts)


def compute_rates(level, date_from, date_to, source='current',
        companies=None, groups=None, students=None, terms=None, today=None):
    """Run the rates query; return a list of dicts (key columns, MEASURES,
    RATES) ordered by the key"""
    filters = Filters(date_from, date_to, companies=companies, groups=groups,
        students=students, terms=terms, today=today)
    query = rates_query(level, filters, source=source)
    keys = LEVELS[level]
    cursor = Transaction().connection.cursor()
    cursor.execute(*query)
    columns = keys + ['students', 'assessed', 'successful', 'quality',
        'marks', 'points', 'planned_hours', 'missed_hours', 'excused_hours',
        'unexcused_hours'] + RATES
    rows = []
    for row in cursor:
        record = dict(zip(columns, row))
        for name in columns:
            if name in RATES:
                if record[name] is not None:
                    record[name] = round(float(record[name]),
                        2 if name == 'average' else 1)
            elif record[name] is not None:
                record[name] = int(record[name])
        rows.append(record)
    rows.sort(key=lambda r: tuple(r[k] or 0 for k in keys))
    return rows


def period_of(kind, date, terms=None):
    """(date_from, date_to) of the month, term or academic year of a date"""
    pool = Pool()
    Term = pool.get('copp.academic.term')
    Year = pool.get('copp.academic.year')
    if kind == 'month':
        start = date.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
            days=1)
        return start, end
    if kind == 'term':
        term = Term.find(date)
        if term:
            return term.start_date, term.end_date
    year = Year.find(date)
    if year:
        return year.start_date, year.end_date
    start_year = date.year if date.month >= 9 else date.year - 1
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)
