"""Import of students and groups from xlsx or CSV (see IMPORT.md).

Everything is validated first and every error is collected with its row and
column; one bad row imports nothing. Only then are the records created, in
bulk, in the caller's transaction.

Offered to `copp import KIND FILE` through IMPORTERS and to the back office
through the wizard copp.contingent.import.
"""
import csv
import datetime as dt
import io
import re
import zipfile
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from pathlib import Path

from trytond.i18n import gettext
from trytond.transaction import Transaction, without_check_access

from copp.identifiers import snils as snils_validator

from . import bulk
from .exceptions import ImportFileError
from .student import APPLY_CONTEXT
from .study_group import MAX_COURSE, course_of

MAX_ERRORS_SHOWN = 50
CHUNK = 1000


def _norm(text):
    "Normalized header or value for matching"
    text = str(text or '').strip().lower().replace('ё', 'е')
    text = re.sub(r'[*:]+$', '', text).strip()
    return re.sub(r'\s+', ' ', text)


class Column:
    def __init__(self, key, header, required=False, aliases=()):
        self.key = key
        self.header = header
        self.required = required
        self.names = {_norm(header)} | {_norm(a) for a in aliases}


STUDENT_COLUMNS = [
    Column('college', "Колледж", aliases=["Образовательная организация",
            "Учреждение", "ОО"]),
    Column('last_name', "Фамилия", True),
    Column('first_name', "Имя", True),
    Column('patronymic', "Отчество"),
    Column('birth_date', "Дата рождения", True),
    Column('gender', "Пол", True),
    Column('snils', "СНИЛС", True, ["Страховой номер", "СНИЛС студента"]),
    Column('citizenship', "Гражданство (ОКСМ)", aliases=["Гражданство",
            "Код ОКСМ", "Код страны гражданства"]),
    Column('id_document_kind', "Документ, удостоверяющий личность",
        aliases=["Вид документа", "Тип документа",
            "Вид документа, удостоверяющего личность"]),
    Column('id_document_series', "Серия документа",
        aliases=["Серия", "Серия паспорта"]),
    Column('id_document_number', "Номер документа",
        aliases=["Номер паспорта"]),
    Column('id_document_issuer', "Кем выдан",
        aliases=["Кем выдан документ"]),
    Column('id_document_date', "Дата выдачи",
        aliases=["Дата выдачи документа"]),
    Column('id_document_issuer_code', "Код подразделения"),
    Column('registration_address', "Адрес регистрации",
        aliases=["Адрес по прописке", "Адрес регистрации по месту "
            "жительства"]),
    Column('actual_address', "Адрес проживания",
        aliases=["Фактический адрес", "Адрес фактического проживания"]),
    Column('phone', "Телефон", aliases=["Телефон студента",
            "Мобильный телефон"]),
    Column('email', "E-mail", aliases=["Email", "Электронная почта",
            "Адрес электронной почты"]),
    Column('state', "Состояние", aliases=["Статус"]),
    Column('group', "Группа", aliases=["Учебная группа"]),
    Column('specialty', "Специальность", aliases=[
            "Код специальности", "Специальность/профессия",
            "Код специальности (профессии)"]),
    Column('funding', "Финансирование", True, ["Основа обучения",
            "Источник финансирования", "Форма финансирования"]),
    Column('study_form', "Форма обучения"),
    Column('enrolment_date', "Дата зачисления"),
    Column('document_number', "Номер приказа о зачислении",
        aliases=["Приказ о зачислении", "№ приказа о зачислении"]),
    Column('document_date', "Дата приказа о зачислении"),
    Column('record_book', "Номер зачётной книжки", aliases=[
            "Номер зачетной книжки", "Зачетная книжка",
            "№ зачетной книжки", "Номер личного дела"]),
    Column('previous_school', "Предыдущее образовательное учреждение",
        aliases=["Окончил", "Предыдущее образование",
            "Образовательное учреждение"]),
    Column('previous_document_kind', "Документ об образовании",
        aliases=["Вид документа об образовании"]),
    Column('previous_document_number', "Номер документа об образовании",
        aliases=["Номер аттестата", "Серия и номер аттестата"]),
    Column('previous_graduation_year', "Год окончания",
        aliases=["Год окончания ОУ", "Год получения документа"]),
    Column('average_mark', "Средний балл аттестата",
        aliases=["Средний балл"]),
    Column('representative_name', "Законный представитель",
        aliases=["ФИО представителя", "Представитель", "ФИО родителя"]),
    Column('representative_relation', "Степень родства",
        aliases=["Кем приходится"]),
    Column('representative_phone', "Телефон представителя",
        aliases=["Телефон родителя"]),
    ]
GROUP_COLUMNS = [
    Column('college', "Колледж", aliases=["Образовательная организация",
            "Учреждение", "ОО"]),
    Column('name', "Группа", True, ["Наименование группы", "Название группы",
            "Учебная группа"]),
    Column('specialty', "Специальность", True, ["Код специальности",
            "Специальность/профессия", "Код специальности (профессии)"]),
    Column('study_form', "Форма обучения", True),
    Column('basis', "База", True, ["На базе", "Базовое образование",
            "База (классов)"]),
    Column('admission_year', "Год набора", True, ["Год поступления",
            "Год приема"]),
    Column('course', "Курс"),
    Column('graduation_year', "Год выпуска", aliases=[
            "Планируемый год выпуска"]),
    Column('curator', "Куратор", aliases=["Классный руководитель"]),
    Column('size_limit', "Предельная численность", aliases=[
            "Максимальная численность", "Наполняемость"]),
    ]

GENDERS = {'м': 'male', 'муж': 'male', 'мужской': 'male', 'm': 'male',
    'male': 'male', 'ж': 'female', 'жен': 'female', 'женский': 'female',
    'f': 'female', 'female': 'female'}
FUNDINGS = {'бюджет': 'budget', 'бюджетная': 'budget', 'бюджетная основа':
    'budget', 'госбюджет': 'budget', 'за счет бюджета': 'budget',
    'budget': 'budget', 'договор': 'contract', 'договорная': 'contract',
    'договорная основа': 'contract', 'платная': 'contract',
    'платная основа': 'contract', 'внебюджет': 'contract',
    'внебюджетная': 'contract', 'коммерческая': 'contract',
    'по договору': 'contract', 'contract': 'contract',
    'целевое': 'targeted', 'целевая': 'targeted', 'целевое обучение':
    'targeted', 'целевой прием': 'targeted', 'targeted': 'targeted'}
STATES = {'обучается': 'studying', 'студент': 'studying',
    'учится': 'studying', 'studying': 'studying',
    'абитуриент': 'applicant', 'applicant': 'applicant'}
STUDY_FORMS = {'очная': 'full_time', 'очно': 'full_time',
    'full_time': 'full_time', 'очно-заочная': 'part_time',
    'очно-заочная (вечерняя)': 'part_time', 'вечерняя': 'part_time',
    'part_time': 'part_time', 'заочная': 'extramural',
    'extramural': 'extramural'}
BASES = {'9': '9', '9 классов': '9', 'на базе 9 классов': '9',
    'основное общее': '9', 'основное общее образование': '9',
    '11': '11', '11 классов': '11', 'на базе 11 классов': '11',
    'среднее общее': '11', 'среднее общее образование': '11'}
ID_KINDS = {'паспорт': 'passport_ru', 'паспорт рф': 'passport_ru',
    'паспорт гражданина рф': 'passport_ru',
    'паспорт гражданина российской федерации': 'passport_ru',
    '21': 'passport_ru',
    'свидетельство о рождении': 'birth_certificate', '03': 'birth_certificate',
    'паспорт иностранного гражданина': 'foreign_passport',
    'иностранный паспорт': 'foreign_passport', '10': 'foreign_passport',
    'вид на жительство': 'residence_permit', '12': 'residence_permit',
    'удостоверение беженца': 'refugee_certificate',
    'иной документ': 'other', 'другой': 'other', 'иной': 'other'}
EDUCATION_KINDS = {
    'аттестат об основном общем образовании': 'basic_general',
    'аттестат (9 классов)': 'basic_general', '9 классов': 'basic_general',
    'аттестат 9': 'basic_general', 'основное общее': 'basic_general',
    'аттестат о среднем общем образовании': 'secondary_general',
    'аттестат (11 классов)': 'secondary_general',
    '11 классов': 'secondary_general', 'аттестат 11': 'secondary_general',
    'среднее общее': 'secondary_general',
    'диплом спо': 'vocational', 'диплом о среднем профессиональном '
    'образовании': 'vocational', 'диплом нпо': 'vocational',
    'диплом во': 'higher', 'диплом о высшем образовании': 'higher',
    'иной документ': 'other', 'иной': 'other', 'другой': 'other'}
RELATIONS = {'мать': 'mother', 'мама': 'mother', 'отец': 'father',
    'папа': 'father', 'опекун': 'guardian', 'попечитель': 'trustee',
    'приемный родитель': 'foster_parent', 'приемная мать': 'foster_parent',
    'приемный отец': 'foster_parent', 'другое': 'other', 'иное': 'other',
    'бабушка': 'other', 'дедушка': 'other', 'тетя': 'other',
    'дядя': 'other'}
DATE_PATTERN = re.compile(r'^(\d{1,2})\.(\d{1,2})\.(\d{4})$')
DATE_FORMATS = ['%d.%m.%Y', '%Y-%m-%d', '%d/%m/%Y', '%d.%m.%y', '%d-%m-%Y']


class Errors:
    "Collects the errors of a file: (row, column, message)"

    def __init__(self):
        self.items = []

    def add(self, row, column, message):
        self.items.append((row, column, message))

    def __bool__(self):
        return bool(self.items)

    def raise_(self, filename):
        lines = []
        for row, column, message in self.items[:MAX_ERRORS_SHOWN]:
            if row and column:
                lines.append(gettext('copp_contingent.msg_import_error_cell',
                        row=row, column=column, message=message))
            elif row:
                lines.append(gettext('copp_contingent.msg_import_error_row',
                        row=row, message=message))
            elif column:
                lines.append(gettext(
                        'copp_contingent.msg_import_error_column',
                        column=column, message=message))
            else:
                lines.append(message)
        more = len(self.items) - MAX_ERRORS_SHOWN
        if more > 0:
            lines.append(gettext('copp_contingent.msg_import_more_errors',
                    count=more))
        raise ImportFileError(gettext('copp_contingent.msg_import_failed',
                file=filename, count=len(self.items)), '\n'.join(lines))


# Reading --------------------------------------------------------------------

class Sheet:
    "A table of a file: header and rows with their spreadsheet row numbers"

    def __init__(self, name, header, rows):
        self.name = name
        self.header = header
        self.rows = rows  # [(row_number, [values])]


def read_file(data, filename, errors):
    """The sheets of an xlsx or CSV file: {normalized name: Sheet}.
    A CSV file has one sheet named ''."""
    suffix = Path(filename or '').suffix.lower()
    if not data:
        errors.add(None, None, gettext('copp_contingent.msg_import_empty'))
        return {}
    if suffix in {'.xlsx', '.xlsm'} or data[:2] == b'PK':
        return _read_xlsx(data, errors)
    if suffix in {'.xls', '.ods'}:
        errors.add(None, None, gettext(
                'copp_contingent.msg_import_format', file=filename))
        return {}
    return _read_csv(data, errors)


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL_NS = ('http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships')
# Built-in number formats of dates (ECMA-376, 18.8.30)
DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(
    range(45, 48)) | set(range(50, 59))


def _is_date_format(code):
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', '', code or '').lower()
    return bool(re.search(r'[dmy]', code)) and '@' not in code


def _column_index(reference):
    index = 0
    for char in reference:
        if char.isalpha():
            index = index * 26 + (ord(char.upper()) - 64)
        else:
            break
    return index - 1


def _read_xlsx(data, errors):
    """The sheets of a workbook, read with lxml from the package parts: 5–10
    times faster than openpyxl for the tens of thousands of rows of a
    college"""
    from lxml import etree
    try:
        sheets = {}
        for title, rows in _xlsx_sheets(io.BytesIO(data), etree):
            header, content = None, []
            for number, values in rows:
                values = [_cell(v) for v in values]
                if not any(v is not None for v in values):
                    continue
                if header is None:
                    header = (number, values)
                else:
                    content.append((number, values))
            if header is not None:
                sheets[_norm(title)] = Sheet(title, header, content)
        return sheets
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError,
            etree.LxmlError) as exc:
        errors.add(None, None, gettext('copp_contingent.msg_import_broken',
                error=str(exc) or exc.__class__.__name__))
        return {}


def _xlsx_sheets(stream, etree):
    "Yield (title, rows) of a workbook; rows yield (number, values)"
    m = '{%s}' % MAIN_NS
    with zipfile.ZipFile(stream) as archive:
        names = set(archive.namelist())
        workbook = etree.fromstring(archive.read('xl/workbook.xml'))
        properties = workbook.find(m + 'workbookPr')
        epoch = (dt.date(1904, 1, 1) if properties is not None
            and properties.get('date1904') in {'1', 'true'}
            else dt.date(1899, 12, 30))
        relations = etree.fromstring(
            archive.read('xl/_rels/workbook.xml.rels'))
        targets = {r.get('Id'): r.get('Target') for r in relations}
        shared = []
        if 'xl/sharedStrings.xml' in names:
            text_tag = m + 't'
            root = etree.fromstring(archive.read('xl/sharedStrings.xml'))
            for item in root:
                first = item[0] if len(item) else None
                if len(item) == 1 and first.tag == text_tag:
                    shared.append(first.text or '')
                else:  # rich text: the runs, without phonetic hints
                    shared.append(''.join(t.text or '' for t in item.iter(
                                text_tag)
                            if t.getparent().tag != m + 'rPh'))
        date_styles = set()
        if 'xl/styles.xml' in names:
            styles = etree.fromstring(archive.read('xl/styles.xml'))
            custom = {int(f.get('numFmtId')): f.get('formatCode')
                for f in styles.iterfind(f'{m}numFmts/{m}numFmt')}
            for index, xf in enumerate(styles.iterfind(
                        f'{m}cellXfs/{m}xf')):
                format_id = int(xf.get('numFmtId', 0))
                if format_id in DATE_FORMAT_IDS or (format_id in custom
                        and _is_date_format(custom[format_id])):
                    date_styles.add(index)
        for sheet in workbook.iterfind(f'{m}sheets/{m}sheet'):
            target = targets[sheet.get('{%s}id' % REL_NS)]
            path = (target.lstrip('/') if target.startswith('/')
                else 'xl/' + target)
            yield sheet.get('name'), _xlsx_rows(archive.read(path), etree,
                m, shared, date_styles, epoch)


_COLUMNS = {}


def _xlsx_rows(content, etree, m, shared, date_styles, epoch):
    cell_tag, value_tag = m + 'c', m + 'v'
    digits = '0123456789'
    number = 0
    for _, row in etree.iterparse(io.BytesIO(content), tag=m + 'row'):
        number = int(row.get('r') or number + 1)
        values = []
        for position, cell in enumerate(row):
            if cell.tag != cell_tag:
                continue
            reference = cell.get('r')
            if reference:
                letters = reference.rstrip(digits)
                index = _COLUMNS.get(letters)
                if index is None:
                    index = _COLUMNS[letters] = _column_index(letters)
            else:
                index = position
            kind = cell.get('t', 'n')
            if kind == 'inlineStr':
                value = ''.join(cell.itertext())
            else:
                raw = None
                for child in cell:
                    if child.tag == value_tag:
                        raw = child.text
                if raw is None:
                    value = None
                elif kind == 's':
                    value = shared[int(raw)]
                elif kind == 'b':
                    value = raw == '1'
                elif kind in {'str', 'e'}:
                    value = raw
                else:
                    value = float(raw)
                    if value.is_integer() and 'E' not in raw.upper():
                        value = int(value)
                    if date_styles and int(cell.get('s', 0)) in date_styles:
                        value = epoch + dt.timedelta(days=int(value))
            if index >= len(values):
                values.extend([None] * (index + 1 - len(values)))
            values[index] = value
        row.clear()
        yield number, values


def _read_csv(data, errors):
    for encoding in ['utf-8-sig', 'cp1251']:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        errors.add(None, None, gettext('copp_contingent.msg_import_encoding'))
        return {}
    if '\x00' in text:
        errors.add(None, None, gettext('copp_contingent.msg_import_broken',
                error='NUL'))
        return {}
    first = text.split('\n', 1)[0]
    delimiter = max([';', ',', '\t'], key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header, content = None, []
    try:
        for number, values in enumerate(reader, 1):
            values = [_cell(v) for v in values]
            if not any(v is not None for v in values):
                continue
            if header is None:
                header = (number, values)
            else:
                content.append((number, values))
    except csv.Error as exc:
        errors.add(None, None, gettext('copp_contingent.msg_import_broken',
                error=str(exc)))
        return {}
    if header is None:
        return {}
    return {'': Sheet('', header, content)}


def map_columns(sheet, columns, errors):
    """{key: index} of the columns of the sheet's header, and the unknown
    headers"""
    _, header = sheet.header
    mapping, unknown, titles = {}, [], {}
    for index, title in enumerate(header):
        if title is None:
            continue
        name = _norm(title)
        for column in columns:
            if name in column.names:
                if column.key in mapping:
                    errors.add(sheet.header[0], str(title), gettext(
                            'copp_contingent.msg_import_column_twice'))
                mapping[column.key] = index
                titles[column.key] = str(title).rstrip('*').strip()
                break
        else:
            unknown.append(str(title))
    for column in columns:
        if column.required and column.key not in mapping:
            errors.add(None, column.header, gettext(
                    'copp_contingent.msg_import_column_missing'))
    return mapping, unknown, titles


class RowReader:
    "Typed access to the cells of one row; errors name the row and column"

    def __init__(self, number, values, mapping, titles, columns, errors):
        self.number = number
        self.values = values
        self.mapping = mapping
        self.titles = titles
        self.columns = {c.key: c for c in columns}
        self.errors = errors
        self.ok = True

    def title(self, key):
        return self.titles.get(key) or self.columns[key].header

    def error(self, key, message):
        self.ok = False
        self.errors.add(self.number, self.title(key), message)

    def raw(self, key):
        index = self.mapping.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, key, required=False):
        value = self.raw(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (dt.datetime, dt.date)):
            value = value.strftime('%d.%m.%Y')
        value = str(value).strip() if value is not None else None
        if not value:
            if required:
                self.error(key, gettext('copp_contingent.msg_import_required'))
            return None
        return value

    def choice(self, key, choices, required=False, default=None):
        value = self.text(key, required=required)
        if value is None:
            return default
        result = choices.get(_norm(value))
        if result is None:
            allowed = []  # the first spelling of each value
            for spelling, choice in choices.items():
                if choice not in {choices[a] for a in allowed} and (
                        not re.match(r'^[a-z_]+$', spelling)):
                    allowed.append(spelling)
            self.error(key, gettext('copp_contingent.msg_import_choice',
                    value=value, allowed=', '.join(allowed)))
        return result

    def date(self, key, required=False):
        value = self.raw(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # An Excel serial date in a cell formatted as a number.
            if 1 <= value < 80000:
                return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
            self.error(key, gettext('copp_contingent.msg_import_date',
                    value=value))
            return None
        text = self.text(key, required=required)
        if text is None:
            return None
        match = DATE_PATTERN.match(text)
        if match:
            day, month, year = map(int, match.groups())
            try:
                if year >= 1900:
                    return dt.date(year, month, day)
            except ValueError:
                pass
            self.error(key, gettext('copp_contingent.msg_import_date',
                    value=text))
            return None
        for format_ in DATE_FORMATS:
            try:
                date = dt.datetime.strptime(text, format_).date()
            except ValueError:
                continue
            if date.year < 1900:
                break
            return date
        self.error(key, gettext('copp_contingent.msg_import_date', value=text))
        return None

    def integer(self, key, minimum=None, maximum=None):
        value = self.raw(key)
        if value is None or value == '':
            return None
        try:
            if isinstance(value, str):
                value = value.replace(' ', '').replace(',', '.')
            number = Decimal(str(value))
            if number != number.to_integral_value():
                raise InvalidOperation
            number = int(number)
        except (InvalidOperation, ValueError):
            self.error(key, gettext('copp_contingent.msg_import_number',
                    value=value))
            return None
        if (minimum is not None and number < minimum) or (
                maximum is not None and number > maximum):
            self.error(key, gettext('copp_contingent.msg_import_range',
                    value=number, minimum=minimum, maximum=maximum))
            return None
        return number

    def decimal(self, key, minimum, maximum):
        value = self.raw(key)
        if value is None or value == '':
            return None
        try:
            if isinstance(value, str):
                value = value.replace(' ', '').replace(',', '.')
            number = Decimal(str(value)).quantize(Decimal('0.01'))
        except (InvalidOperation, ValueError):
            self.error(key, gettext('copp_contingent.msg_import_number',
                    value=value))
            return None
        if not (Decimal(minimum) <= number <= Decimal(maximum)):
            self.error(key, gettext('copp_contingent.msg_import_range',
                    value=number, minimum=minimum, maximum=maximum))
            return None
        return number


# Lookups --------------------------------------------------------------------

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
                    self.colleges.setdefault(_norm(key), company)
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
        college = self.colleges.get(_norm(value))
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
            self._groups[college.id] = {_group_key(g.name): g
                for g in groups}
        return self._groups[college.id]

    def employees(self, college):
        if college.id not in self._employees:
            Employee = self.pool.get('company.employee')
            with without_check_access():
                employees = Employee.search([('company', '=', college.id)])
            self._employees[college.id] = {_norm(e.party.name): e
                for e in employees}
        return self._employees[college.id]


def _group_key(name):
    return re.sub(r'[\s\-‐–—]+', '-', _norm(name))


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
            curator = lookups.employees(college).get(_norm(curator_name))
            if curator is None:
                reader.error('curator', gettext(
                        'copp_contingent.msg_import_employee_unknown',
                        value=curator_name))
        if college and name:
            key = (college.id, _group_key(name))
            if key in seen:
                reader.error('name', gettext(
                        'copp_contingent.msg_import_duplicate_file',
                        value=name, row=seen[key]))
            elif _group_key(name) in lookups.groups(college):
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


def create_groups(pool, values):
    Group = pool.get('copp.study.group')
    vlist = [{k: v for k, v in g.items() if k != 'row'} for g in values]
    groups = []
    for index in range(0, len(vlist), CHUNK):
        groups.extend(Group.create(vlist[index:index + CHUNK]))
    return groups


# Students -------------------------------------------------------------------

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
        pending[group['company']][_group_key(group['name'])] = group
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
            key = _group_key(group_name)
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
            return groups_by_key[(group['company'], _group_key(
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
    groups_by_key = {(g.company.id, _group_key(g.name)): g for g in groups}
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
