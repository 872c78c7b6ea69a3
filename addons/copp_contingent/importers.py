"""Import of students and groups from xlsx or CSV (see IMPORT.md).

Everything is validated first and every error is collected with its row and
column; one bad row imports nothing. Only then are the records created, in
bulk, in the caller's transaction.

Offered to `copp import KIND FILE` through IMPORTERS and to the back office
through the wizard copp.contingent.import.
"""
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

from trytond.i18n import gettext
from trytond.transaction import Transaction, without_check_access

from copp.identifiers import snils as snils_validator

from .study_group import MAX_COURSE, course_of
from .import_columns import (
    BASES, EDUCATION_KINDS, FUNDINGS, GENDERS, GROUP_COLUMNS, ID_KINDS,
    RELATIONS, STATES, STUDENT_COLUMNS, STUDY_FORMS, RowReader, group_key,
    normalize, map_columns)
from .import_create import create_groups, create_students
from .import_file import Errors, read_file

CHUNK = 1000
# States of a student who belongs to their college now
ACTIVE_STATES = {'applicant', 'studying', 'academic_leave'}


class Lookups:
    "What rows refer to, loaded once per file"

    def __init__(self, pool):
        self.pool = pool
        Company = pool.get('company.company')
        User = pool.get('res.user')
        transaction = Transaction()
        with without_check_access():
            companies = Company.search([
                    ('institution_kind', '=', 'college')])
        if transaction.user and transaction.check_access:
            allowed = set(User.get_employee_companies())
            companies = [c for c in companies if c.id in allowed]
        self.colleges = {}
        for company in companies:
            for key in [company.short_name, company.rec_name,
                    company.party.name, company.inn]:
                if key:
                    self.colleges.setdefault(normalize(key), company)
        self.default_college = None
        context_company = transaction.context.get('company')
        if context_company and any(
                c.id == context_company for c in companies):
            self.default_college = next(
                c for c in companies if c.id == context_company)
        elif len(companies) == 1:
            self.default_college = companies[0]
        self._groups = {}
        self._specialties = None
        self._employees = {}

    def college(self, reader):
        value = reader.text('college')
        if value is None:
            if self.default_college is None:
                reader.error('college', gettext(
                        'copp_contingent.msg_import_college_required'))
            return self.default_college
        college = self.colleges.get(normalize(value))
        if college is None:
            reader.error('college', gettext(
                    'copp_contingent.msg_import_college_unknown',
                    value=value))
        return college

    def specialty(self, college, code):
        if self._specialties is None:
            Specialty = self.pool.get('copp.specialty')
            self._specialties = {}
            with without_check_access():
                for specialty in Specialty.search([]):
                    key = (specialty.company.id if specialty.company
                        else None, specialty.code)
                    self._specialties[key] = specialty
        code = str(code).strip().split()[0] if code else code
        return (self._specialties.get((college.id, code))
            or self._specialties.get((None, code)))

    def groups(self, college):
        if college.id not in self._groups:
            Group = self.pool.get('copp.study.group')
            with without_check_access():
                groups = Group.search([
                        ('company', '=', college.id),
                        ('active', '=', True),
                        ])
            self._groups[college.id] = {group_key(g.name): g
                for g in groups}
        return self._groups[college.id]

    def employees(self, college):
        if college.id not in self._employees:
            Employee = self.pool.get('company.employee')
            with without_check_access():
                employees = Employee.search([('company', '=', college.id)])
            self._employees[college.id] = {normalize(e.party.name): e
                for e in employees}
        return self._employees[college.id]


# Groups ---------------------------------------------------------------------

def validate_groups(sheet, lookups, errors, progress=None):
    "The values of the groups of the sheet (nothing is created)"
    pool = lookups.pool
    AcademicYear = pool.get('copp.academic.year')
    Date = pool.get('ir.date')
    starting_year = AcademicYear.starting_year(Date.today())
    mapping, unknown, titles = map_columns(sheet, GROUP_COLUMNS, errors)
    if errors:
        return [], unknown
    result, seen = [], {}
    rows = sheet.rows
    if progress:
        rows = progress(rows, total=len(rows), desc="Группы", unit="стр.")
    for number, values in rows:
        reader = RowReader(number, values, mapping, titles, GROUP_COLUMNS,
            errors)
        college = lookups.college(reader)
        name = reader.text('name', required=True)
        code = reader.text('specialty', required=True)
        study_form = reader.choice('study_form', STUDY_FORMS, required=True)
        basis = reader.choice('basis', BASES, required=True)
        admission = reader.integer('admission_year', 1990, starting_year + 1)
        if admission is None and reader.text('admission_year') is None:
            reader.error('admission_year', gettext(
                    'copp_contingent.msg_import_required'))
        course = reader.integer('course', 1, MAX_COURSE)
        graduation = reader.integer('graduation_year', 1990, 2100)
        size_limit = reader.integer('size_limit', 1, 1000)
        curator_name = reader.text('curator')
        specialty = curator = None
        if college and code:
            specialty = lookups.specialty(college, code)
            if specialty is None:
                reader.error('specialty', gettext(
                        'copp_contingent.msg_import_specialty_unknown',
                        value=code))
        if college and curator_name:
            curator = lookups.employees(college).get(normalize(curator_name))
            if curator is None:
                reader.error('curator', gettext(
                        'copp_contingent.msg_import_employee_unknown',
                        value=curator_name))
        if college and name:
            key = (college.id, group_key(name))
            if key in seen:
                reader.error('name', gettext(
                        'copp_contingent.msg_import_duplicate_file',
                        value=name, row=seen[key]))
            elif group_key(name) in lookups.groups(college):
                reader.error('name', gettext(
                        'copp_contingent.msg_import_group_exists',
                        value=name))
            seen.setdefault(key, number)
        if graduation and admission and graduation < admission:
            reader.error('graduation_year', gettext(
                    'copp_contingent.msg_import_graduation_year'))
        if reader.ok:
            result.append({
                    'row': number,
                    'company': college.id,
                    'name': name,
                    'specialty': specialty.id,
                    'study_form': study_form,
                    'basis': basis,
                    'admission_year': admission,
                    'course': course or course_of(admission, starting_year),
                    'graduation_year': graduation,
                    'curator': curator.id if curator else None,
                    'size_limit': size_limit,
                    })
    return result, unknown


def validate_students(sheet, lookups, errors, new_groups=(), progress=None):
    """The values of the students of the sheet (nothing is created).
    new_groups: group values of the same file, that rows may refer to."""
    pool = lookups.pool
    Date = pool.get('ir.date')
    today = Date.today()
    mapping, unknown, titles = map_columns(sheet, STUDENT_COLUMNS, errors)
    if errors:
        return [], unknown
    pending = defaultdict(dict)
    for group in new_groups:
        pending[group['company']][group_key(group['name'])] = group
    result = []
    snils_rows, book_rows = {}, {}
    rows = sheet.rows
    if progress:
        rows = progress(rows, total=len(rows), desc="Проверка строк",
            unit="стр.")
    for number, values in rows:
        reader = RowReader(number, values, mapping, titles, STUDENT_COLUMNS,
            errors)
        college = lookups.college(reader)
        row = {'row': number, 'company': college.id if college else None}
        row['last_name'] = reader.text('last_name', required=True)
        row['first_name'] = reader.text('first_name', required=True)
        row['patronymic'] = reader.text('patronymic')
        birth = reader.date('birth_date', required=True)
        if birth and not (today.year - 80 <= birth.year <= today.year - 10):
            reader.error('birth_date', gettext(
                    'copp_contingent.msg_import_birth_date',
                    value=birth.strftime('%d.%m.%Y')))
        row['birth_date'] = birth
        row['gender'] = reader.choice('gender', GENDERS, required=True)
        snils = reader.text('snils', required=True)
        if snils:
            if not snils_validator.is_valid(snils):
                digits = snils_validator.compact(snils)
                reader.error('snils', gettext(
                        'copp_contingent.msg_import_snils_checksum'
                        if digits.isdigit() and len(digits) == 11 else
                        'copp_contingent.msg_import_snils_format',
                        value=snils))
                snils = None
            else:
                snils = snils_validator.format(snils)
                if snils in snils_rows:
                    reader.error('snils', gettext(
                            'copp_contingent.msg_import_duplicate_file',
                            value=snils, row=snils_rows[snils]))
                else:
                    snils_rows[snils] = number
        row['snils'] = snils
        citizenship = reader.text('citizenship')
        if citizenship:
            citizenship = citizenship.zfill(3)
            if not re.match(r'^\d{3}$', citizenship):
                reader.error('citizenship', gettext(
                        'copp_contingent.msg_import_citizenship',
                        value=citizenship))
        row['citizenship'] = citizenship or '643'
        row['id_document_kind'] = reader.choice('id_document_kind', ID_KINDS,
            default='passport_ru' if reader.text('id_document_number')
            else None)
        for key in ['id_document_series', 'id_document_number',
                'id_document_issuer', 'id_document_issuer_code',
                'registration_address', 'actual_address', 'phone',
                'previous_school', 'previous_document_number']:
            row[key] = reader.text(key)
        row['id_document_date'] = reader.date('id_document_date')
        if row['id_document_date'] and row['id_document_date'] > today:
            reader.error('id_document_date', gettext(
                    'copp_contingent.msg_import_future_date',
                    value=row['id_document_date'].strftime('%d.%m.%Y')))
        email = reader.text('email')
        if email and not re.match(r'^[^@\s]+@[^@\s]+\.[^@\s]+$', email):
            reader.error('email', gettext(
                    'copp_contingent.msg_import_email', value=email))
        row['email'] = email
        row['previous_document_kind'] = reader.choice(
            'previous_document_kind', EDUCATION_KINDS)
        row['previous_graduation_year'] = reader.integer(
            'previous_graduation_year', 1950, today.year)
        row['average_mark'] = reader.decimal('average_mark', '2', '5')
        state = reader.choice('state', STATES, default='studying')
        row['state'] = state
        row['funding'] = reader.choice('funding', FUNDINGS, required=True)
        group_name = reader.text('group', required=state == 'studying')
        group = None
        if college and group_name:
            key = group_key(group_name)
            group = (lookups.groups(college).get(key)
                or pending[college.id].get(key))
            if group is None:
                reader.error('group', gettext(
                        'copp_contingent.msg_import_group_unknown',
                        value=group_name))
        row['group'] = group
        code = reader.text('specialty')
        specialty = None
        if college and code:
            specialty = lookups.specialty(college, code)
            if specialty is None:
                reader.error('specialty', gettext(
                        'copp_contingent.msg_import_specialty_unknown',
                        value=code))
        if group is not None and specialty is not None:
            group_specialty = (group['specialty'] if isinstance(group, dict)
                else group.specialty.id)
            if specialty.id != group_specialty:
                reader.error('specialty', gettext(
                        'copp_contingent.msg_import_specialty_group',
                        value=code, group=group_name))
        row['specialty'] = specialty.id if specialty else None
        row['study_form'] = reader.choice('study_form', STUDY_FORMS)
        enrolment = reader.date('enrolment_date',
            required=state == 'studying')
        if enrolment and birth and (enrolment - birth).days < 10 * 365:
            reader.error('enrolment_date', gettext(
                    'copp_contingent.msg_import_enrolment_date',
                    value=enrolment.strftime('%d.%m.%Y')))
        if enrolment and enrolment > today + dt.timedelta(days=366):
            reader.error('enrolment_date', gettext(
                    'copp_contingent.msg_import_future_date',
                    value=enrolment.strftime('%d.%m.%Y')))
        row['enrolment_date'] = enrolment
        row['document_number'] = reader.text('document_number')
        row['document_date'] = reader.date('document_date')
        book = reader.text('record_book')
        if book and college:
            key = (college.id, book)
            if key in book_rows:
                reader.error('record_book', gettext(
                        'copp_contingent.msg_import_duplicate_file',
                        value=book, row=book_rows[key]))
            else:
                book_rows[key] = number
        row['record_book'] = book
        representative = reader.text('representative_name')
        relation = reader.choice('representative_relation', RELATIONS,
            default='other' if representative else None)
        row['representative'] = ({
                'name': representative, 'relation': relation,
                'phone': reader.text('representative_phone'),
                } if representative else None)
        if reader.ok:
            result.append(row)
    if result:
        _check_database(pool, result, snils_rows, book_rows, errors,
            titles)
    return result, unknown


def _check_database(pool, rows, snils_rows, book_rows, errors, titles):
    "Duplicates against the database, in a few set-based queries"
    Student = pool.get('copp.student')
    Identifier = pool.get('party.identifier')
    student = Student.__table__()
    identifier = Identifier.__table__()
    cursor = Transaction().connection.cursor()
    companies = sorted({r['company'] for r in rows})
    row_company = {r['row']: r['company'] for r in rows}
    codes = sorted(snils_rows)
    for index in range(0, len(codes), CHUNK):
        chunk = codes[index:index + CHUNK]
        cursor.execute(*identifier.join(student,
                condition=student.party == identifier.party
                ).select(identifier.code, student.company,
                where=(identifier.type == 'ru_snils')
                & identifier.code.in_(chunk)
                & student.company.in_(companies)))
        for code, company in cursor:
            row = snils_rows.get(code)
            if row and any(r['row'] == row and r['company'] == company
                    for r in rows):
                errors.add(row, titles.get('snils', "СНИЛС"), gettext(
                        'copp_contingent.msg_import_duplicate_database',
                        value=code))
        # A person who studies in another college now: a transfer is an
        # order of both colleges, not an import (the graduates and the
        # expelled of another college may enrol: their person is reused).
        cursor.execute(*identifier.join(student,
                condition=student.party == identifier.party
                ).select(identifier.code, student.company,
                where=(identifier.type == 'ru_snils')
                & identifier.code.in_(chunk)
                & student.state.in_(list(ACTIVE_STATES))))
        reported = set()
        for code, company in cursor:
            row = snils_rows.get(code)
            if row and row not in reported and (
                    row_company.get(row) != company):
                reported.add(row)
                errors.add(row, titles.get('snils', "СНИЛС"), gettext(
                        'copp_contingent.msg_import_snils_other_college',
                        value=code))
    books = sorted(book_rows)
    for index in range(0, len(books), CHUNK):
        chunk = books[index:index + CHUNK]
        cursor.execute(*student.select(student.company, student.record_book,
                where=student.record_book.in_([b for _, b in chunk])
                & student.company.in_(companies)))
        for company, book in cursor:
            row = book_rows.get((company, book))
            if row:
                errors.add(row, titles.get('record_book',
                        "Номер зачётной книжки"), gettext(
                        'copp_contingent.msg_import_duplicate_database',
                        value=book))


# Entry points -----------------------------------------------------------------

def _find_sheet(sheets, names):
    for name in names:
        if name in sheets:
            return sheets[name]
    return None


def import_data(pool, data, filename, kind='students', progress=None):
    """Validate then import a file's content; returns the Russian summary.
    Raises ImportFileError listing every error when a row is bad."""
    ModelAccess = pool.get('ir.model.access')
    # The rows are inserted with SQL: check the user's rights first.
    ModelAccess.check('copp.student', 'create')
    errors = Errors()
    sheets = read_file(data, filename, errors)
    if errors:
        errors.raise_(filename)
    lookups = Lookups(pool)
    if kind == 'groups':
        group_sheet = _find_sheet(sheets, ['группы', 'groups', '']) or (
            next(iter(sheets.values())) if len(sheets) == 1 else None)
        student_sheet = None
    else:
        group_sheet = _find_sheet(sheets, ['группы', 'groups'])
        student_sheet = _find_sheet(sheets, ['студенты', 'обучающиеся',
                'контингент', 'students', '']) or next(
            (s for n, s in sheets.items() if n not in {'группы', 'groups'}),
            None)
    if (group_sheet is None or not group_sheet.rows) and (
            student_sheet is None or not student_sheet.rows):
        errors.add(None, None, gettext('copp_contingent.msg_import_empty'))
        errors.raise_(filename)
    group_values, unknown = [], []
    if group_sheet is not None:
        group_values, unknown_groups = validate_groups(group_sheet, lookups,
            errors, progress)
        unknown += unknown_groups
    student_rows = []
    if student_sheet is not None and not (errors and not group_values):
        student_rows, unknown_students = validate_students(student_sheet,
            lookups, errors, group_values, progress)
        unknown += unknown_students
    if errors:
        errors.raise_(filename)

    groups = create_groups(pool, group_values) if group_values else []
    groups_by_key = {(g.company.id, group_key(g.name)): g for g in groups}
    students, applicants = create_students(pool, student_rows,
        groups_by_key, progress) if student_rows else ([], 0)
    message = gettext('copp_contingent.msg_import_done',
        groups=len(groups), students=len(students), applicants=applicants)
    if unknown:
        message += '\n' + gettext('copp_contingent.msg_import_unknown_columns',
            columns=', '.join(f'«{u}»' for u in unknown))
    return message


def _file_importer(kind):
    def importer(pool, path, progress=None):
        from trytond.exceptions import UserError
        path = Path(path)
        try:
            return import_data(pool, path.read_bytes(), path.name, kind,
                progress)
        except UserError as exc:
            # The command prints CoppError without a traceback; the
            # transaction is rolled back: nothing is imported.
            from copp.cli.errors import CoppError
            raise CoppError('\n'.join(
                    p for p in [exc.message, exc.description] if p))
    importer.__name__ = f'import_{kind}_file'
    return importer


import_students_file = _file_importer('students')
import_groups_file = _file_importer('groups')

IMPORTERS = {
    'students': import_students_file,
    'groups': import_groups_file,
    }
