"""The student's records in the cabinet (issue 16), for the student and,
read-only, for each child of a parent:

- `/cabinet/students/<id>/sheets`: the results of the closed grade sheets
  (copp_journal): discipline, term, form of control, grade, attempt (the
  rank of the sheet among the closed sheets of the student in the
  discipline and term; retakes are the later attempts) and whether the
  debt is still open;
- `/cabinet/students/<id>/documents`: the movement orders with a line of
  the student (copp_contingent: number, date, kind, what it did, in force
  or not), the practice placements (copp_employer, when activated) and the
  documents on education issued (copp_graduation, when activated: only
  issued ones).

copp_graduation and copp_employer are extras_depend of copp_cabinet: their
sections exist when their model is in the database's pool. Every page
takes its student through ownership.student_for() (another id → 404),
reads each section in one query, and writes the read to the ПДн log."""
import datetime as dt
from collections import defaultdict

from sql import Null
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.transaction import Transaction

from .ownership import student_for
from .routes import cabinet_route

SHEETS_FIELDS = ['sheet_results']
ORDERS_FIELDS = ['orders']
DOCUMENTS_FIELDS = ['education_documents']
PRACTICE_FIELDS = ['practices']
BAD_GRADES = {'2', 'fail', 'absent'}


def optional_model(pool, name):
    "The model `name` if its module is activated in this database"
    try:
        return pool.get(name)
    except KeyError:
        return None


def _date(value):
    "SQLite gives the dates of expressions (COALESCE) as text"
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _selection(Model, name):
    "{value: label} of a selection field, in the transaction's language"
    return dict(Model.fields_get([name])[name]['selection'])


def _log_read(portal, student, field_names):
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(portal.user, 'copp.student', [student], field_names)


# Grade sheets ----------------------------------------------------------

def sheet_results(pool, student_id):
    """The lines of the student in closed grade sheets as a list of terms
    (latest first), each {'term', 'rows'}; one query for the lines"""
    Sheet = pool.get('copp.journal.sheet')
    SheetLine = pool.get('copp.journal.sheet.line')
    Line = pool.get('copp.journal.curriculum.line')
    Term = pool.get('copp.academic.term')
    sheet, line = Sheet.__table__(), SheetLine.__table__()
    discipline, term = Line.__table__(), Term.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*line.join(sheet, condition=line.sheet == sheet.id
            ).join(discipline, condition=discipline.id == sheet.line
            ).join(term, condition=term.id == sheet.term
            ).select(sheet.id, sheet.number, sheet.kind, sheet.date,
            sheet.assessment, sheet.term, sheet.line, discipline.index,
            discipline.name, line.grade,
            where=(line.student == student_id) & (sheet.state == 'closed'),
            order_by=[term.start_date.desc, term.id.desc, discipline.index,
                discipline.id, sheet.date, sheet.id]))
    rows = [dict(zip(['sheet', 'number', 'kind', 'date', 'assessment',
                    'term', 'line', 'index', 'name', 'grade'], r))
        for r in cursor]
    grades = _selection(SheetLine, 'grade')
    assessments = _selection(Sheet, 'assessment')
    kinds = _selection(Sheet, 'kind')
    attempts = defaultdict(int)
    latest = {}
    for row in rows:
        key = (row['line'], row['term'])
        attempts[key] += 1
        row['attempt'] = attempts[key]
        row['date'] = _date(row['date'])
        row['grade_label'] = grades.get(row['grade']) or ''
        row['assessment_label'] = assessments.get(row['assessment'], '')
        row['kind_label'] = kinds.get(row['kind'], '')
        latest[key] = row
    for row in latest.values():
        row['open_debt'] = row['grade'] in BAD_GRADES
    terms = {t.id: t for t in Term.browse(list({r['term'] for r in rows}))}
    result = []
    for row in rows:
        row.setdefault('open_debt', False)
        if not result or result[-1]['term_id'] != row['term']:
            result.append({'term_id': row['term'],
                    'term': terms[row['term']].rec_name, 'rows': []})
        result[-1]['rows'].append(row)
    return result


@cabinet_route('/cabinet/students/<int:student_id>/sheets')
def sheets(portal, student_id):
    student = student_for(portal, student_id)
    terms = sheet_results(portal.pool, student.id)
    _log_read(portal, student, SHEETS_FIELDS)
    return portal.render('cabinet/sheets.html', student=student,
        terms=terms)


# Orders ------------------------------------------------------------------

def student_orders(pool, student_id, today):
    """The signed (and cancelled after signing) movement orders with a line
    of the student, latest first; one query"""
    Order = pool.get('copp.contingent.order')
    OrderLine = pool.get('copp.contingent.order.line')
    order, line = Order.__table__(), OrderLine.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*line.join(order, condition=line.order == order.id
            ).select(order.id, order.number, order.date, order.kind,
            order.state, Coalesce(line.date, order.effective_date,
                order.date), line.to_group_name, line.to_course,
            line.expulsion_reason, line.leave_reason, line.leave_end_date,
            where=(line.student == student_id)
            & order.state.in_(['signed', 'cancelled'])
            & (order.number != Null),
            order_by=[order.date.desc, order.id.desc, line.id.desc]))
    kinds = _selection(Order, 'kind')
    expulsion = _selection(OrderLine, 'expulsion_reason')
    leave = _selection(OrderLine, 'leave_reason')
    result = []
    for (order_id, number, date, kind, state, effective, group, course,
            expulsion_reason, leave_reason, leave_end) in cursor:
        effective, leave_end = _date(effective), _date(leave_end)
        details = []
        if group:
            details.append(f"группа {group}")
        if course and kind != 'expulsion':
            details.append(f"{course} курс")
        if expulsion_reason:
            details.append(expulsion.get(expulsion_reason) or '')
        if leave_reason:
            details.append(leave.get(leave_reason) or '')
        if leave_end:
            details.append(f"до {leave_end:%d.%m.%Y}")
        if state == 'cancelled':
            status, in_force = "отменён", False
        elif effective and effective > today:
            status, in_force = f"вступит в силу {effective:%d.%m.%Y}", False
        else:
            status, in_force = f"в силе с {effective:%d.%m.%Y}", True
        result.append({
                'id': order_id,
                'number': number,
                'date': _date(date),
                'kind': kinds.get(kind, kind),
                'title': gettext(f'copp_contingent.msg_order_title_{kind}'),
                'details': ', '.join(filter(None, details)),
                'status': status,
                'in_force': in_force,
                'cancelled': state == 'cancelled',
                })
    return result


# Documents on education --------------------------------------------------

def education_documents(pool, student_id):
    "The issued diplomas and справки of the student (copp_graduation)"
    Document = optional_model(pool, 'copp.graduation.document')
    if Document is None:
        return None
    document = Document.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*document.select(document.id, document.kind,
            document.status, document.series, document.number,
            document.registration_number, document.issue_date,
            document.honours, document.qualification,
            where=(document.student == student_id)
            & (document.state == 'issued'),
            order_by=[document.issue_date.desc, document.id.desc]))
    kinds = _selection(Document, 'kind')
    result = []
    for (document_id, kind, status, series, number, registration,
            issue_date, honours, qualification) in cursor:
        label = kinds.get(kind, kind)
        if kind == 'diploma' and honours:
            label += " с отличием"
        result.append({
                'id': document_id,
                'kind': label,
                'duplicate': status == 'duplicate',
                'series_number': ' '.join(filter(None, [series, number])),
                'registration_number': registration or '',
                'issue_date': _date(issue_date),
                'qualification': qualification or '',
                })
    return result


# Practice ----------------------------------------------------------------

def practice_placements(pool, student, today):
    """The practice placements of the student (copp_employer): linked to
    the student's record, or — placements made before the link — to the
    student's person at a place of the student's college"""
    Placement = optional_model(pool, 'copp.employer.practice_place.student')
    if Placement is None:
        return None
    Place = pool.get('copp.employer.practice_place')
    Employer = pool.get('copp.employer')
    Party = pool.get('party.party')
    Specialty = pool.get('copp.specialty')
    placement, place = Placement.__table__(), Place.__table__()
    employer, party = Employer.__table__(), Party.__table__()
    specialty = Specialty.__table__()
    where = (placement.student == student.party.id) & (
        place.company == student.company.id)
    if 'record' in Placement._fields:
        where = (placement.record == student.id) | (
            (placement.record == Null) & where)
    cursor = Transaction().connection.cursor()
    cursor.execute(*placement.join(place,
            condition=placement.place == place.id
            ).join(employer, condition=employer.id == place.employer
            ).join(party, condition=party.id == employer.party
            ).join(specialty, 'LEFT', condition=specialty.id == place.specialty
            ).select(placement.id, party.name, specialty.code,
            specialty.name,
            Coalesce(placement.start_date, place.start_date),
            Coalesce(placement.end_date, place.end_date),
            place.address, place.mentor, place.mentor_position,
            where=where,
            order_by=[Coalesce(placement.start_date,
                    place.start_date).desc, placement.id.desc]))
    periods = _selection(Place, 'period_state')
    result = []
    for (placement_id, employer_name, code, specialty_name, start, end,
            address, mentor, position) in cursor:
        start, end = _date(start), _date(end)
        if start and start > today:
            period = 'planned'
        elif end and end < today:
            period = 'finished'
        else:
            period = 'current'
        result.append({
                'id': placement_id,
                'employer': employer_name or '',
                'specialty': ' '.join(filter(None, [code, specialty_name])),
                'start': start,
                'end': end,
                'address': address or '',
                'mentor': ', '.join(filter(None, [mentor, position])),
                'period': period,
                'period_label': periods.get(period, period),
                })
    return result


@cabinet_route('/cabinet/students/<int:student_id>/documents')
def documents(portal, student_id):
    pool = portal.pool
    student = student_for(portal, student_id)
    today = pool.get('ir.date').today()
    orders = student_orders(pool, student.id, today)
    diplomas = education_documents(pool, student.id)
    practices = practice_placements(pool, student, today)
    fields_read = ORDERS_FIELDS[:]
    if diplomas is not None:
        fields_read += DOCUMENTS_FIELDS
    if practices is not None:
        fields_read += PRACTICE_FIELDS
    _log_read(portal, student, fields_read)
    return portal.render('cabinet/documents.html', student=student,
        orders=orders, diplomas=diplomas, practices=practices)
