"""Writes of the teacher's journal page: a cell (mark and attendance), the
topic of a lesson, a new lesson. Everything goes through the ORM with the
user's access rights and record rules (`check_access` of the route), so the
page cannot do what RPC refuses; closed months and sheets refuse too."""
import datetime as dt
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import JournalError
from .journal import (
    _date, cell_text, get_workload, month_bounds, parse_cell, student_totals,
    taught_condition)


def _lesson_of(workload, lesson_id):
    """(id, date, hours) of a lesson of the teaching load (whose access was
    checked; the writes check the rules of the lesson's rows)"""
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    lesson = Lesson.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*lesson.select(lesson.id, lesson.date, lesson.hours,
            where=(lesson.id == lesson_id)
            & (lesson.workload == workload.id)))
    row = cursor.fetchone()
    if not row:
        raise JournalError(gettext('copp_journal.msg_journal_no_lesson'))
    return SimpleNamespace(id=row[0], date=_date(row[1]), hours=row[2])


def _cell(workload, lesson_id, student_id):
    """The lesson of the load (id, date, hours) and the student's mark and
    absence at it (each None or a namespace: record, value / kind, reason),
    read in one query; refused when the lesson is not the load's or the
    student is not taught by it"""
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    Student = pool.get('copp.student')
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    lesson, student = Lesson.__table__(), Student.__table__()
    mark, absence = Mark.__table__(), Absence.__table__()
    taught = taught_condition(workload, student, lesson_id)
    cursor = Transaction().connection.cursor()
    cursor.execute(*lesson.join(student, 'LEFT',
            condition=(student.id == student_id) & taught
            ).join(mark, 'LEFT',
            condition=(mark.lesson == lesson.id)
            & (mark.student == student.id)
            ).join(absence, 'LEFT',
            condition=(absence.lesson == lesson.id)
            & (absence.student == student.id)
            ).select(lesson.id, lesson.date, lesson.hours, student.id,
            mark.id, mark.value, absence.id, absence.kind, absence.reason,
            where=(lesson.id == lesson_id)
            & (lesson.workload == workload.id)))
    row = cursor.fetchone()
    if not row:
        raise JournalError(gettext('copp_journal.msg_journal_no_lesson'))
    (lesson_id, date, hours, taught_id, mark_id, value, absence_id, kind,
        reason) = row
    if not taught_id:
        raise JournalError(gettext('copp_journal.msg_journal_no_student'))
    return (SimpleNamespace(id=lesson_id, date=_date(date), hours=hours),
        SimpleNamespace(record=Mark(mark_id), value=value)
        if mark_id else None,
        SimpleNamespace(record=Absence(absence_id), kind=kind,
            reason=reason) if absence_id else None)


def save_cell(workload_id, lesson_id, student_id, text):
    """Store what was typed in a cell through the ORM with the user's
    rights; return the normalized text and the student's totals"""
    pool = Pool()
    Date = pool.get('ir.date')
    workload, _ = get_workload(workload_id, write=True)
    value, absence_code = parse_cell(text)
    if absence_code and absence_code[0] == 'absent' and value:
        raise JournalError(gettext('copp_journal.msg_cell_absent_mark'))
    lesson, mark, absence = _cell(workload, lesson_id, student_id)
    with Transaction().set_context(_skip_warnings=True):
        # The page does not ask: it saves and says so (warning below).
        _write_cell(lesson, student_id, value, absence_code, mark, absence)
    date_from, date_to = month_bounds(lesson.date)
    totals = student_totals(workload, [student_id], date_from, date_to)
    result = {
        'lesson': lesson.id,
        'student': student_id,
        'text': cell_text(value, absence_code),
        'totals': totals[student_id],
        }
    if lesson.date > Date.today() and (value is not None
            or (absence_code is not None and absence_code[1] is None)):
        result['warning'] = gettext('copp_journal.msg_journal_future_cell',
            date=lesson.date.strftime('%d.%m.%Y'))
    return result


def _write_cell(lesson, student_id, value, absence_code, mark, absence):
    pool = Pool()
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    # Marks (the ORM applies the access rights and the record rules)
    if value is None and mark:
        Mark.delete([mark.record])
    elif value is not None:
        if mark:
            if mark.value != value:
                Mark.write([mark.record], {'value': value})
        else:
            Mark.create([{'lesson': lesson.id, 'student': student_id,
                        'value': value}])
    # Attendance
    if absence_code is None and absence:
        Absence.delete([absence.record])
    elif absence_code is not None:
        kind, reason = absence_code
        hours = lesson.hours if kind == 'absent' else 0
        if absence:
            changes = {}
            if absence.kind != kind:
                changes['kind'] = kind
                changes['hours'] = hours
            if (absence.reason or None) != reason:
                changes['reason'] = reason
            if changes:
                Absence.write([absence.record], changes)
        else:
            Absence.create([{'lesson': lesson.id, 'student': student_id,
                        'kind': kind, 'reason': reason, 'hours': hours}])


def save_lesson(workload_id, lesson_id, values):
    "Change the topic, the homework, the kind or the hours of a lesson"
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    workload, _ = get_workload(workload_id, write=True)
    lesson = _lesson_of(workload, lesson_id)
    allowed = {'topic', 'homework', 'kind', 'hours', 'room'}
    changes = {k: v for k, v in values.items() if k in allowed}
    for key in ['topic', 'homework', 'room']:
        if key in changes:
            changes[key] = (changes[key] or '').strip()[:500] or None
    if 'hours' in changes:
        try:
            changes['hours'] = int(changes['hours'])
        except (TypeError, ValueError):
            raise JournalError(gettext('copp_journal.msg_journal_bad_hours'))
    if changes:
        Lesson.write([Lesson(lesson.id)], changes)
    lesson = Lesson(lesson.id)
    return {'id': lesson.id, 'topic': lesson.topic or '',
        'homework': lesson.homework or '', 'kind': lesson.kind,
        'hours': lesson.hours}


def add_lesson(workload_id, values):
    "Add a lesson to the teaching load (a lesson the timetable missed)"
    pool = Pool()
    Lesson = pool.get('copp.journal.lesson')
    workload, _ = get_workload(workload_id, write=True)
    try:
        date = dt.date.fromisoformat(values.get('date') or '')
    except ValueError:
        raise JournalError(gettext('copp_journal.msg_journal_bad_date'))
    try:
        pair = int(values['pair']) if values.get('pair') else None
        hours = int(values.get('hours') or 2)
    except ValueError:
        raise JournalError(gettext('copp_journal.msg_journal_bad_hours'))
    lesson, = Lesson.create([{
                'workload': workload.id,
                'date': date,
                'pair': pair,
                'hours': hours,
                'kind': values.get('kind') or 'lesson',
                'topic': (values.get('topic') or '').strip() or None,
                }])
    return {'id': lesson.id, 'date': lesson.date.isoformat()}
