"""The diary of a student for the student and their legal representatives:
marks, absences, homework and academic debts.

Hook for the portal (copp_portal): a portal route resolves its portal user's
person (party) and calls

    from copp_journal.diary import can_see_student, diary_for
    if not can_see_student(portal_user.party, student):
        portal.forbidden()
    return diary_for(student, date_from, date_to)

`can_see_student` is True for the student's own person and for the person
of a legal representative of the student (copp.student.representative
.party). Until the portal has its cabinet, the JSON endpoint
/<db>/api/diary/<student> (routes.py) serves the same data to back-office
sessions: the college's staff who read the student, or a user whose
employee's person is the student or a representative.
"""
import datetime as dt
from collections import defaultdict

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .journal import cell_text
from .mark import POINTS
from .debt import debts_query


class StudentRepresentative(metaclass=PoolMeta):
    __name__ = 'copp.student.representative'

    party = fields.Many2One('party.party', "Person", ondelete='SET NULL',
        help="The person of the representative: their portal account sees "
        "the student's diary.")


def can_see_student(party, student):
    """True when the person `party` is the student or one of the student's
    legal representatives"""
    pool = Pool()
    Representative = pool.get('copp.student.representative')
    if not party or not student:
        return False
    party_id = int(party)
    with without_check_access():
        student = pool.get('copp.student')(int(student))
        if student.party and student.party.id == party_id:
            return True
        return bool(Representative.search([
                    ('student', '=', student.id),
                    ('party', '=', party_id),
                    ], limit=1))


def students_of(party):
    "The students the person may see: themselves and those they represent"
    pool = Pool()
    Student = pool.get('copp.student')
    Representative = pool.get('copp.student.representative')
    with without_check_access():
        students = Student.search([('party', '=', int(party))])
        students += [r.student for r in Representative.search([
                    ('party', '=', int(party))])]
    return list({s.id: s for s in students}.values())


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def diary_for(student, date_from=None, date_to=None):
    """The diary of a student between two dates (default: the current
    term, or the last 30 days) as JSON-ready data. Runs without access
    checks: the caller has decided the reader may see this student."""
    pool = Pool()
    Student = pool.get('copp.student')
    Mark = pool.get('copp.journal.mark')
    Absence = pool.get('copp.journal.absence')
    Lesson = pool.get('copp.journal.lesson')
    Line = pool.get('copp.journal.curriculum.line')
    Term = pool.get('copp.academic.term')
    Sheet = pool.get('copp.journal.sheet')
    Date = pool.get('ir.date')
    today = Date.today()
    with without_check_access():
        student = Student(int(student))
        if not date_from or not date_to:
            term = Term.find(today)
            if term:
                date_from = date_from or term.start_date
                date_to = date_to or term.end_date
            else:
                date_from = date_from or today - dt.timedelta(days=30)
                date_to = date_to or today
        cursor = Transaction().connection.cursor()
        mark, lesson = Mark.__table__(), Lesson.__table__()
        absence = Absence.__table__()
        cursor.execute(*mark.join(lesson,
                condition=mark.lesson == lesson.id).select(
                mark.line, mark.date, mark.value, lesson.kind, lesson.topic,
                where=(mark.student == student.id)
                & (mark.date >= date_from) & (mark.date <= date_to),
                order_by=[mark.date, lesson.pair]))
        disciplines = defaultdict(lambda: {'marks': [], 'missed_hours': 0})
        for line_id, date, value, kind, topic in cursor:
            disciplines[line_id]['marks'].append({
                    'date': _date(date).isoformat(),
                    'mark': cell_text(value),
                    'value': value,
                    'lesson_kind': kind,
                    'topic': topic or '',
                    })
        cursor.execute(*absence.join(lesson,
                condition=absence.lesson == lesson.id).select(
                absence.line, absence.date, absence.kind, absence.reason,
                absence.hours, absence.excused,
                where=(absence.student == student.id)
                & (absence.date >= date_from) & (absence.date <= date_to),
                order_by=[absence.date, lesson.pair]))
        absences = []
        totals = {'missed': 0, 'excused': 0, 'unexcused': 0, 'late': 0}
        for line_id, date, kind, reason, hours, excused in cursor:
            hours = int(hours or 0)
            absences.append({
                    'date': _date(date).isoformat(),
                    'line': line_id,
                    'code': cell_text(None, (kind, reason)),
                    'kind': kind,
                    'reason': reason,
                    'excused': bool(excused),
                    'hours': hours,
                    })
            disciplines[line_id]['missed_hours'] += hours
            totals['missed'] += hours
            totals['excused' if excused else 'unexcused'] += hours
            if kind == 'late':
                totals['late'] += 1
        # Homework of the group's lessons of the coming week and the period
        homework = []
        if student.group:
            cursor.execute(*lesson.select(lesson.date, lesson.line,
                    lesson.homework, lesson.topic,
                    where=(lesson.group == student.group.id)
                    & (lesson.date >= max(date_from,
                            today - dt.timedelta(days=14)))
                    & (lesson.date <= today + dt.timedelta(days=7))
                    & (lesson.homework != None),  # noqa: E711
                    order_by=[lesson.date, lesson.pair]))
            for date, line_id, text, topic in cursor:
                homework.append({'date': _date(date).isoformat(),
                        'line': line_id, 'homework': text,
                        'topic': topic or ''})
        cursor.execute(*debts_query(student_ids=[student.id]))
        debt_rows = list(cursor)
        debt_ids = [r[0] for r in debt_rows]
        Debt = pool.get('copp.journal.debt')
        debts = []
        for debt in Debt.browse(debt_ids):
            debts.append({
                    'line': debt.line.id,
                    'term': debt.term.rec_name,
                    'grade': debt.grade,
                    'date': debt.date.isoformat(),
                    'sheet': debt.sheet.number,
                    'attempts': debt.attempts,
                    'retake_pending': bool(debt.pending),
                    })
        line_ids = set(disciplines) | {a['line'] for a in absences} | {
            h['line'] for h in homework} | {d['line'] for d in debts}
        lines = {l.id: l for l in Line.browse(list(line_ids))}
        points_sum = points_count = 0
        result_disciplines = []
        for line_id, data in sorted(disciplines.items(),
                key=lambda i: lines[i[0]].index):
            numeric = [POINTS[m['value']] for m in data['marks']
                if m['value'] in POINTS]
            points_sum += sum(numeric)
            points_count += len(numeric)
            result_disciplines.append({
                    'index': lines[line_id].index,
                    'name': lines[line_id].name,
                    'marks': data['marks'],
                    'average': round(sum(numeric) / len(numeric), 2)
                    if numeric else None,
                    'missed_hours': data['missed_hours'],
                    })
        totals['average'] = (round(points_sum / points_count, 2)
            if points_count else None)

        def discipline(line_id):
            line = lines.get(line_id)
            return f'{line.index} {line.name}' if line else ''
        for item in absences + homework + debts:
            item['discipline'] = discipline(item.pop('line'))
        del Sheet
        return {
            'student': {
                'id': student.id,
                'name': student.rec_name,
                'group': student.group.rec_name if student.group else None,
                'college': student.company.rec_name,
                'record_book': student.record_book,
                'state': student.state,
                },
            'period': {'from': date_from.isoformat(),
                'to': date_to.isoformat()},
            'disciplines': result_disciplines,
            'absences': absences,
            'homework': homework,
            'debts': debts,
            'totals': totals,
            }


def diary_for_party(party, student, date_from=None, date_to=None):
    "The diary if the person may see the student, else PermissionError"
    if not can_see_student(party, student):
        raise PermissionError(int(student))
    return diary_for(student, date_from, date_to)
