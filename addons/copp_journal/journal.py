"""The teacher's journal grid: one teaching load (group × discipline) for a
month, students × lessons. Used by the journal page (routes.py), the tests
and the benchmarks.

Reading is a handful of set-based queries after the access to the teaching
load has been checked through the ORM; writing (journal_write.py) goes
through the ORM with the user's access rights and record rules
(`check_access`), so the page cannot do what RPC refuses.

Cell codes (the legend of the page):
    5 4 3 2   marks            з / нз   зачёт / незачёт
    н         absent (unexcused)        б   absent: illness (certificate)
    у         absent: application       пр  absent: order
    оп        late (with a mark: «оп5»)
"""
import datetime as dt
import hashlib
import hmac
from collections import defaultdict
from types import SimpleNamespace

from sql import Literal, Null, Union
from sql.operators import Exists, Not
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import JournalAccessError, JournalError
from .period import first_day, month_name
from .tools import reduce_ids, sliced

MARK_CODES = {'5': '5', '4': '4', '3': '3', '2': '2', 'з': 'pass',
    'нз': 'fail'}
MARK_TEXT = {v: k for k, v in MARK_CODES.items()}
ABSENCE_CODES = {
    'н': ('absent', None),
    'б': ('absent', 'illness'),
    'у': ('absent', 'application'),
    'пр': ('absent', 'order'),
    'оп': ('late', None),
    }
ABSENCE_TEXT = {('absent', None): 'н', ('absent', 'illness'): 'б',
    ('absent', 'application'): 'у', ('absent', 'order'): 'пр',
    ('late', None): 'оп', ('late', 'illness'): 'оп',
    ('late', 'application'): 'оп', ('late', 'order'): 'оп'}
LEGEND = [
    ('5', 'msg_legend_5'), ('4', 'msg_legend_4'), ('3', 'msg_legend_3'),
    ('2', 'msg_legend_2'), ('з', 'msg_legend_pass'),
    ('нз', 'msg_legend_fail'), ('н', 'msg_legend_absent'),
    ('б', 'msg_legend_illness'), ('у', 'msg_legend_application'),
    ('пр', 'msg_legend_order'), ('оп', 'msg_legend_late'),
    ]
# Letters typed with the Latin layout on the keys of the Russian ones
# (ЙЦУКЕН), and Latin look-alikes.
_LAYOUT = str.maketrans('qwertyuiop[]asdfghjkl;\'zxcvbnm,.`',
    'йцукенгшщзхъфывапролджэячсмитьбюё')
_ALIASES = {'n': 'н', 'b': 'б', 'z': 'з', 'nz': 'нз', 'u': 'у', 'op': 'оп',
    'pr': 'пр'}
STAFF_GROUPS = ['group_registrar', 'group_college_admin', 'group_ministry',
    'group_copp']
WRITER_GROUPS = ['group_registrar', 'group_college_admin']


def parse_cell(text):
    """(mark value, (absence kind, reason)) of a typed cell; None for an
    empty part. Raise JournalError for an unknown code."""
    raw = (text or '').strip().lower().replace('ё', 'е')
    raw = raw.replace(' ', '').replace('/', '').replace('+', '')
    if not raw:
        return None, None
    if raw in _ALIASES:
        raw = _ALIASES[raw]
    elif any('a' <= c <= 'z' or c in '[];\',.`' for c in raw):
        raw = raw.translate(_LAYOUT)
    if raw in MARK_CODES:
        return MARK_CODES[raw], None
    if raw in ABSENCE_CODES:
        return None, ABSENCE_CODES[raw]
    for prefix in ['оп']:
        for rest in [raw[len(prefix):]] if raw.startswith(prefix) else []:
            if rest in MARK_CODES:
                return MARK_CODES[rest], ABSENCE_CODES[prefix]
        if raw.endswith(prefix) and raw[:-len(prefix)] in MARK_CODES:
            return MARK_CODES[raw[:-len(prefix)]], ABSENCE_CODES[prefix]
    raise JournalError(gettext('copp_journal.msg_cell_unknown', text=text))


def cell_text(mark=None, absence=None):
    "The text of a cell from the stored mark value and (kind, reason)"
    parts = []
    if absence:
        parts.append(ABSENCE_TEXT.get(tuple(absence), 'н'))
    if mark:
        parts.append(MARK_TEXT.get(mark, mark))
    return ''.join(parts)


def csrf_token(session_token, user_id):
    "The CSRF token of a back-office session: only its owner can compute it"
    return hmac.new((session_token or '').encode('utf-8'),
        f'copp-journal:{user_id}'.encode('utf-8'), hashlib.sha256).hexdigest()


def user_groups(xml_ids):
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    User = pool.get('res.user')
    wanted = {ModelData.get_id('copp', x) for x in xml_ids}
    wanted.add(ModelData.get_id('res', 'group_admin'))
    return bool(wanted & set(User.get_groups()))


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def month_bounds(month):
    start = first_day(month)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
        days=1)
    return start, end


def term_months(term):
    months, day = [], first_day(term.start_date)
    while day <= term.end_date:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def default_month(term, today):
    if term.start_date <= today <= term.end_date:
        return first_day(today)
    if today > term.end_date:
        return first_day(term.end_date)
    return first_day(term.start_date)


def load_info(workload_id):
    """What the page shows of a teaching load, read in one query: a
    namespace with id, company, group, line, term, teacher (ids), subgroup,
    the names, the assessment, the planned and given hours, the term's
    dates"""
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    Group = pool.get('copp.study.group')
    Line = pool.get('copp.journal.curriculum.line')
    Term = pool.get('copp.academic.term')
    Year = pool.get('copp.academic.year')
    Company = pool.get('company.company')
    Employee = pool.get('company.employee')
    Party = pool.get('party.party')
    Lesson = pool.get('copp.journal.lesson')
    w, g, l, t, y = (Workload.__table__(), Group.__table__(),
        Line.__table__(), Term.__table__(), Year.__table__())
    c, e, p, cp = (Company.__table__(), Employee.__table__(),
        Party.__table__(), Party.__table__())
    lesson = Lesson.__table__()
    given = lesson.select(Sum(lesson.hours),
        where=(lesson.workload == w.id)
        & (lesson.date <= dt.date.today()))
    cursor = Transaction().connection.cursor()
    cursor.execute(*w.join(g, condition=g.id == w.group
            ).join(l, condition=l.id == w.line
            ).join(t, condition=t.id == w.term
            ).join(y, condition=y.id == t.year
            ).join(c, condition=c.id == w.company
            ).join(cp, condition=cp.id == c.party
            ).join(e, 'LEFT', condition=e.id == w.teacher
            ).join(p, 'LEFT', condition=p.id == e.party
            ).select(w.id, w.company, w.group, w.line, w.term, w.teacher,
            w.subgroup, w.hours_planned, g.name, g.curator, l.index,
            l.name, l.assessment, t.number, t.start_date, t.end_date,
            y.name, c.short_name, cp.name, p.name, given,
            where=w.id == workload_id))
    row = cursor.fetchone()
    if not row:
        return None
    (id_, company, group, line, term, teacher, subgroup, planned,
        group_name, curator, index, discipline, assessment, number, start,
        end, year, short_name, college, teacher_name, given_hours) = row
    info = SimpleNamespace(id=id_, company=company, group=group, line=line,
        term=term, teacher=teacher, subgroup=subgroup, hours_planned=planned,
        group_name=group_name, curator=curator, index=index,
        discipline=discipline, assessment=assessment,
        term_start=_date(start), term_end=_date(end),
        term_name=gettext('copp.msg_term_name', number=number, year=year),
        college=short_name or college, teacher_name=teacher_name or '',
        hours_given=int(given_hours or 0))
    # The months offered: the term's, or the load's own period (a cohort).
    info.term_start, info.term_end, info.term_name = Workload.page_period(
        info)
    return info


def load_access(workload_id):
    """What the writes need of a teaching load (id, company, group, line,
    term, teacher, subgroup and the group's curator): a join of two tables,
    planned in a tenth of the time of load_info's nine"""
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    Group = pool.get('copp.study.group')
    w, g = Workload.__table__(), Group.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*w.join(g, condition=g.id == w.group).select(
            w.id, w.company, w.group, w.line, w.term, w.teacher, w.subgroup,
            g.curator, where=w.id == workload_id))
    row = cursor.fetchone()
    if not row:
        return None
    return SimpleNamespace(**dict(zip(['id', 'company', 'group', 'line',
                    'term', 'teacher', 'subgroup', 'curator'], row)))


def get_workload(workload_id, write=False):
    """The teaching load (a load_info namespace) if the current user may
    open its journal: the teacher of the load, the curator of the group, or
    the staff of the college's administration; the record rules of the
    teaching load apply. Return (info, editable); for a write, info is the
    lighter load_access and a user who may not write is refused."""
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    User = pool.get('res.user')
    if not Workload.search([('id', '=', workload_id)]):
        raise JournalAccessError(gettext('copp_journal.msg_journal_no_access'))
    info = load_access(workload_id) if write else load_info(workload_id)
    if Transaction().user == 0:
        return info, True
    employees = set(User.get_employees())
    own = info.teacher in employees
    curator = info.curator in employees
    staff = user_groups(STAFF_GROUPS)
    if not (own or curator or staff):
        raise JournalAccessError(gettext('copp_journal.msg_journal_no_access'))
    writer = (own or user_groups(WRITER_GROUPS)) and (
        info.company in set(User.get_employee_companies()))
    if write and not writer:
        raise JournalAccessError(gettext(
                'copp_journal.msg_journal_read_only'))
    return info, writer


def workload_choices():
    """[{id, name, term, current}] of the teaching loads of the current
    user's employees, newest term first, in one query"""
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    Group = pool.get('copp.study.group')
    Line = pool.get('copp.journal.curriculum.line')
    Term = pool.get('copp.academic.term')
    Year = pool.get('copp.academic.year')
    User = pool.get('res.user')
    employees = list(User.get_employees())
    if not employees:
        return []
    w, g, l, t, y = (Workload.__table__(), Group.__table__(),
        Line.__table__(), Term.__table__(), Year.__table__())
    cursor = Transaction().connection.cursor()
    cursor.execute(*w.join(g, condition=g.id == w.group
            ).join(l, condition=l.id == w.line
            ).join(t, condition=t.id == w.term
            ).join(y, condition=y.id == t.year
            ).select(w.id, g.name, l.index, l.name, w.subgroup, w.term,
            t.number, y.name, t.start_date, t.end_date, w.hours_planned,
            where=w.teacher.in_(employees),
            order_by=[t.start_date.desc, g.name, l.index, w.subgroup]))
    today = dt.date.today()
    result = []
    for (id_, group, index, name, subgroup, term, number, year, start, end,
            planned) in cursor.fetchall():
        label = f'{group} {index} {name}'
        if subgroup:
            label += ' ' + gettext('copp_journal.msg_subgroup',
                number=subgroup)
        result.append({'id': id_, 'name': label, 'group': group,
                'index': index, 'discipline': name, 'subgroup': subgroup,
                'term': gettext('copp.msg_term_name', number=number,
                    year=year),
                'current': _date(start) <= today <= _date(end),
                'hours_planned': planned})
    return result


def audience_rows(workload, lesson_ids=()):
    """[(student id, name, record book, state)] of the students of the load
    ordered by name, plus the students who have marks or absences at the
    lessons although they left the group"""
    pool = Pool()
    Student = pool.get('copp.student')
    Party = pool.get('party.party')
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    WorkloadStudent = pool.get('copp.journal.workload-copp.student')
    student, party = Student.__table__(), Party.__table__()
    grouped, member, any_member = (Student.__table__(),
        WorkloadStudent.__table__(), WorkloadStudent.__table__())
    cursor = Transaction().connection.cursor()
    # The ids: a UNION of small index scans (the subgroup's list, or the
    # group's active students when there is no list, and the students with
    # entries at the lessons).
    in_group = (grouped.group == workload.group) & grouped.state.in_(
        ['studying', 'academic_leave'])
    if workload.subgroup:
        has_members = Exists(any_member.select(any_member.id,
                where=any_member.workload == workload.id))
        parts = [member.select(member.student.as_('id'),
                where=member.workload == workload.id),
            grouped.select(grouped.id.as_('id'),
                where=in_group & Not(has_members))]
    else:
        parts = [grouped.select(grouped.id.as_('id'), where=in_group)]
    lesson_ids = list(lesson_ids)
    if lesson_ids:
        mark, absence = Mark.__table__(), Absence.__table__()
        parts += [mark.select(mark.student.as_('id'),
                where=mark.lesson.in_(lesson_ids)),
            absence.select(absence.student.as_('id'),
                where=absence.lesson.in_(lesson_ids))]
    cursor.execute(*(Union(*parts) if len(parts) > 1 else parts[0]))
    ids = [i for i, in cursor]
    # Then the names by primary key (joined in one statement, the planner
    # overestimates the union and scans every student).
    rows = []
    for sub_ids in sliced(ids):
        cursor.execute(*student.join(party,
                condition=student.party == party.id).select(
                student.id, party.name, party.last_name, party.first_name,
                party.patronymic, student.record_book, student.state,
                student.group, where=reduce_ids(student.id, sub_ids)))
        rows.extend(cursor)
    rows.sort(key=lambda r: ((r[2] or r[1] or '').lower(),
            (r[3] or '').lower(), (r[4] or '').lower(), r[0]))
    result = []
    for sid, name, last, first, patronymic, book, state, group in rows:
        if last and first:
            short = f'{last} {first[0]}.' + (
                f' {patronymic[0]}.' if patronymic else '')
        else:
            short = name
        result.append({
                'id': sid, 'name': short, 'full_name': name,
                'record_book': book, 'state': state,
                'left': group != workload.group
                or state not in ('studying', 'academic_leave'),
                })
    return result


def taught_condition(workload, student, lesson_id):
    """SQL condition on the `student` table: the student is taught by the
    load (the subgroup's or the group's active students) or has a mark or an
    absence at the lesson (what audience_rows would list, for one student)"""
    pool = Pool()
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    WorkloadStudent = pool.get('copp.journal.workload-copp.student')
    member, any_member = (WorkloadStudent.__table__(),
        WorkloadStudent.__table__())
    mark, absence = Mark.__table__(), Absence.__table__()
    in_group = (student.group == workload.group) & student.state.in_(
        ['studying', 'academic_leave'])
    if workload.subgroup:
        # A subgroup without its list of students is taught the group.
        has_members = Exists(any_member.select(any_member.id,
                where=any_member.workload == workload.id))
        taught = (Exists(member.select(member.id,
                    where=(member.workload == workload.id)
                    & (member.student == student.id)))
            | (Not(has_members) & in_group))
    else:
        taught = in_group
    entered = Exists(mark.select(mark.id,
            where=(mark.lesson == lesson_id) & (mark.student == student.id))
        ) | Exists(absence.select(absence.id,
            where=(absence.lesson == lesson_id)
            & (absence.student == student.id)))
    return taught | entered


def lock_state(workload, lessons):
    """{lesson id: message} of the lessons that cannot be edited: closed
    months and a closed regular sheet of the discipline"""
    pool = Pool()
    Period = pool.get('copp.journal.period')
    Sheet = pool.get('copp.journal.sheet')
    if not lessons:
        return {}
    dates = [l['date'] for l in lessons]
    closed = Period.closed_dates(workload.company, min(dates), max(dates))
    sheet = Sheet.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*sheet.select(sheet.number,
            where=(sheet.group == workload.group)
            & (sheet.line == workload.line)
            & (sheet.term == workload.term)
            & (sheet.state == 'closed') & (sheet.kind == 'regular'),
            limit=1))
    row = cursor.fetchone()
    locks = {}
    for lesson in lessons:
        month = first_day(lesson['date'])
        if row:
            locks[lesson['id']] = gettext(
                'copp_journal.msg_journal_sheet_locked', sheet=row[0] or '')
        elif month in closed:
            locks[lesson['id']] = gettext(
                'copp_journal.msg_journal_month_locked',
                month=month_name(month))
    return locks


def student_totals(workload, student_ids, date_from, date_to):
    """{student id: {...}} for the month shown and the term: the average of
    the numeric marks, the marks, the missed hours (excused, unexcused) at
    the lessons of the teaching load (read through the lessons of the load:
    the index (workload, date) then (lesson, student))"""
    pool = Pool()
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    Lesson = pool.get('copp.journal.lesson')
    mark, absence = Mark.__table__(), Absence.__table__()
    lesson = Lesson.__table__()
    cursor = Transaction().connection.cursor()
    points = Case((mark.value == '5', 5), (mark.value == '4', 4),
        (mark.value == '3', 3), (mark.value == '2', 2), else_=Null)
    in_month = (mark.date >= date_from) & (mark.date <= date_to)
    totals = {s: {'month_sum': 0, 'month_count': 0, 'term_sum': 0,
            'term_count': 0, 'missed': 0, 'excused': 0, 'unexcused': 0,
            'late': 0, 'term_missed': 0}
        for s in student_ids}
    a_month = (absence.date >= date_from) & (absence.date <= date_to)
    zero = Literal(0)
    for sub_ids in sliced(list(student_ids)):
        # Marks and absences of the load's lessons in one statement.
        marks = lesson.join(mark, condition=mark.lesson == lesson.id).select(
            mark.student.as_('student'),
            Sum(Case((in_month, points), else_=Null)).as_('m_sum'),
            Count(Case((in_month, points), else_=Null)).as_('m_count'),
            Sum(points).as_('t_sum'), Count(points).as_('t_count'),
            zero.as_('excused'), zero.as_('unexcused'), zero.as_('late'),
            zero.as_('t_missed'),
            where=(lesson.workload == workload.id)
            & reduce_ids(mark.student, sub_ids),
            group_by=[mark.student])
        absences = lesson.join(absence,
            condition=absence.lesson == lesson.id).select(
            absence.student.as_('student'),
            zero.as_('m_sum'), zero.as_('m_count'), zero.as_('t_sum'),
            zero.as_('t_count'),
            Sum(Case((a_month & (absence.excused == Literal(True)),
                        absence.hours), else_=0)).as_('excused'),
            Sum(Case((a_month & (absence.excused != Literal(True)),
                        absence.hours), else_=0)).as_('unexcused'),
            Sum(Case((a_month & (absence.kind == 'late'), 1),
                    else_=0)).as_('late'),
            Sum(absence.hours).as_('t_missed'),
            where=(lesson.workload == workload.id)
            & reduce_ids(absence.student, sub_ids),
            group_by=[absence.student])
        cursor.execute(*Union(marks, absences, all_=True))
        for (student, m_sum, m_count, t_sum, t_count, excused, unexcused,
                late, term_missed) in cursor:
            row = totals[student]
            row['month_sum'] += int(m_sum or 0)
            row['month_count'] += int(m_count or 0)
            row['term_sum'] += int(t_sum or 0)
            row['term_count'] += int(t_count or 0)
            row['excused'] += int(excused or 0)
            row['unexcused'] += int(unexcused or 0)
            row['missed'] = row['excused'] + row['unexcused']
            row['late'] += int(late or 0)
            row['term_missed'] += int(term_missed or 0)
    for row in totals.values():
        row['average'] = (round(row['month_sum'] / row['month_count'], 2)
            if row['month_count'] else None)
        row['term_average'] = (round(row['term_sum'] / row['term_count'], 2)
            if row['term_count'] else None)
    return totals


def load_grid(workload_id, month=None):
    """The data of the journal page of a teaching load for a month (any
    date of it; default: the current month within the term)"""
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    Bell = pool.get('copp.journal.bell')
    Date = pool.get('ir.date')
    workload, editable = get_workload(workload_id)
    term = SimpleNamespace(start_date=workload.term_start,
        end_date=workload.term_end)
    today = Date.today()
    if not month:
        month = default_month(term, today)
    month = first_day(month)
    date_from, date_to = month_bounds(month)
    lesson = Lesson.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*lesson.select(lesson.id, lesson.date, lesson.pair,
            lesson.hours, lesson.kind, lesson.topic, lesson.homework,
            lesson.teacher,
            where=(lesson.workload == workload.id)
            & (lesson.date >= date_from) & (lesson.date <= date_to),
            order_by=[lesson.date, lesson.pair, lesson.id]))
    bells = Bell.times(workload.company)
    lessons = []
    for lid, date, pair, hours, kind, topic, homework, teacher in cursor:
        date = _date(date)
        start = bells.get(pair, (None, None))[0]
        lessons.append({'id': lid, 'date': date, 'pair': pair,
                'hours': hours, 'kind': kind, 'topic': topic or '',
                'homework': homework or '', 'teacher': teacher,
                'start': start.strftime('%H:%M') if start else ''})
    lesson_ids = [l['id'] for l in lessons]
    students = audience_rows(workload, lesson_ids)
    cells = {}
    marks = defaultdict(dict)
    absences = defaultdict(dict)
    mark, absence = Mark.__table__(), Absence.__table__()
    for sub_ids in sliced(lesson_ids):
        cursor.execute(*mark.select(mark.lesson, mark.student, mark.value,
                where=reduce_ids(mark.lesson, sub_ids)))
        for lid, sid, value in cursor:
            marks[lid][sid] = value
        cursor.execute(*absence.select(absence.lesson, absence.student,
                absence.kind, absence.reason,
                where=reduce_ids(absence.lesson, sub_ids)))
        for lid, sid, kind, reason in cursor:
            absences[lid][sid] = (kind, reason)
    for lid in lesson_ids:
        for sid in set(marks[lid]) | set(absences[lid]):
            cells[f'{lid}:{sid}'] = cell_text(marks[lid].get(sid),
                absences[lid].get(sid))
    totals = student_totals(workload, [s['id'] for s in students],
        date_from, date_to)
    locks = lock_state(workload, lessons)
    return {
        'workload': {
            'id': workload.id,
            'group': workload.group_name,
            'index': workload.index,
            'discipline': workload.discipline,
            'subgroup': workload.subgroup,
            'teacher': workload.teacher_name,
            'term': workload.term_name,
            'assessment': workload.assessment,
            'pass_fail': workload.assessment == 'credit',
            'hours_planned': workload.hours_planned,
            'hours_given': workload.hours_given,
            'college': workload.college,
            },
        'editable': editable,
        'month': month.isoformat(),
        'month_name': month_name(month),
        'months': [{'value': m.isoformat(), 'name': month_name(m)}
            for m in term_months(term)],
        'lessons': [dict(l, date=l['date'].isoformat(),
                locked=locks.get(l['id']), future=l['date'] > today)
            for l in lessons],
        'students': students,
        'cells': cells,
        'totals': {str(k): v for k, v in totals.items()},
        'legend': [(code, gettext('copp_journal.' + msg))
            for code, msg in LEGEND],
        }
