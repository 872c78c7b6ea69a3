"""Creation of the validated rows with set-based inserts (bulk.py): persons,
students, representatives, groups and the enrolment movements."""
import datetime as dt
from collections import defaultdict

from trytond.transaction import Transaction

from copp.identifiers import snils as snils_validator

from . import bulk
from .import_columns import group_key

CHUNK = 1000


def create_groups(pool, values):
    Group = pool.get('copp.study.group')
    vlist = [{k: v for k, v in g.items() if k != 'row'} for g in values]
    groups = []
    for index in range(0, len(vlist), CHUNK):
        groups.extend(Group.create(vlist[index:index + CHUNK]))
    return groups


# Students -------------------------------------------------------------------


def create_students(pool, rows, groups_by_key=None, progress=None):
    """Create the persons, students, representatives and the enrolment
    movements of the validated rows with set-based inserts (bulk.py)"""
    Party = pool.get('party.party')
    Identifier = pool.get('party.identifier')
    Student = pool.get('copp.student')
    Representative = pool.get('copp.student.representative')
    Movement = pool.get('copp.contingent.movement')
    Numbering = pool.get('copp.contingent.numbering')
    Company = pool.get('company.company')
    Date = pool.get('ir.date')
    today = Date.today()
    groups_by_key = groups_by_key or {}

    def resolve(group):
        if isinstance(group, dict):
            return groups_by_key[(group['company'], group_key(
                        group['name']))]
        return group

    bar = progress(total=len(rows) * 3, desc="Запись в базу",
        unit="зап.") if progress else None

    def advance(count):
        if bar is not None:
            bar.update(count)

    # Persons: reuse the party that already carries the СНИЛС.
    identifier = Identifier.__table__()
    cursor = Transaction().connection.cursor()
    existing = {}
    codes = [r['snils'] for r in rows if r['snils']]
    for index in range(0, len(codes), CHUNK):
        cursor.execute(*identifier.select(identifier.code, identifier.party,
                where=(identifier.type == 'ru_snils')
                & identifier.code.in_(codes[index:index + CHUNK])))
        existing.update(cursor)
    new_rows = [r for r in rows if r['snils'] not in existing]
    party_ids = dict(zip((r['row'] for r in new_rows), bulk.insert(Party,
                bulk.party_values(Party, [{
                            'last_name': r['last_name'],
                            'first_name': r['first_name'],
                            'patronymic': r['patronymic'],
                            'birth_date': r['birth_date'],
                            'gender': r['gender'],
                            } for r in new_rows]))))
    bulk.insert(Identifier, [{
                'party': party_ids[r['row']], 'type': 'ru_snils',
                'code': r['snils'],
                'code_compact': snils_validator.compact(r['snils']),
                } for r in new_rows if r['snils']])
    advance(len(rows))

    # Record books for the students without one, per college and year.
    to_number = defaultdict(list)
    for row in rows:
        if row['state'] == 'studying' and not row['record_book']:
            to_number[(row['company'], row['enrolment_date'].year)].append(
                row)
    for (company, year), chunk in to_number.items():
        numbers = Numbering.next_record_books(Company(company),
            dt.date(year, 9, 1), len(chunk))
        for row, number in zip(chunk, numbers):
            row['record_book'] = number

    fields = ['company', 'citizenship', 'id_document_kind',
        'id_document_series', 'id_document_number', 'id_document_issuer',
        'id_document_date', 'id_document_issuer_code',
        'registration_address', 'actual_address', 'phone', 'email',
        'previous_school', 'previous_document_kind',
        'previous_document_number', 'previous_graduation_year',
        'average_mark', 'record_book', 'funding']
    student_values = []
    for row in rows:
        values = {f: row[f] for f in fields}
        values['party'] = party_ids.get(row['row']) or existing[row['snils']]
        group = resolve(row['group']) if row['group'] else None
        effective = (row['state'] == 'studying'
            and row['enrolment_date'] <= today)
        if group:
            values['specialty'] = group.specialty.id
            values['study_form'] = group.study_form
        else:
            values['specialty'] = row['specialty']
            values['study_form'] = row['study_form'] or 'full_time'
        if effective:
            values.update({'state': 'studying', 'group': group.id,
                    'course': group.course})
        else:
            values['state'] = 'applicant'
        student_values.append(values)
    student_ids = bulk.insert(Student, student_values)
    advance(len(rows))
    representatives, movements = [], []
    for row, student_id in zip(rows, student_ids):
        if row['representative']:
            representatives.append(dict(row['representative'],
                    student=student_id))
        if row['state'] == 'studying':
            group = resolve(row['group'])
            movements.append({
                    'student': student_id,
                    'company': row['company'],
                    'date': row['enrolment_date'],
                    'kind': 'enrolment',
                    'document_number': row['document_number'],
                    'document_date': row['document_date'],
                    'group': group.id,
                    'group_name': group.name,
                    'specialty': group.specialty.id,
                    'course': group.course,
                    'study_form': group.study_form,
                    'funding': row['funding'],
                    'state': 'studying',
                    'from_state': 'applicant',
                    })
    bulk.insert(Representative, representatives)
    bulk.insert(Movement, movements, defaults=False)
    advance(len(rows))
    if bar is not None:
        bar.close()
    # No browse of thousands of records: the ids and the count of applicants.
    return student_ids, sum(1 for v in student_values
        if v['state'] == 'applicant')
