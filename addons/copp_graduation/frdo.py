"""The upload file of ФИС ФРДО for documents of СПО (integrations.md §2).

`frdo_rows(values)` turns documents (dicts as read by `read_documents`) into
rows of the 46 columns, `validate_row` lists what the registry's checker
would reject, `frdo_xlsx` writes the sheet «Шаблон». Pure functions: the
wizard, the tests and the benchmark share them.
"""
import datetime as dt
import io
import re

from copp.identifiers import snils as snils_validator

HEADERS = [
    "Наименование документа",
    "Вид документа",
    "Статус документа",
    "Подтверждение утраты",
    "Подтверждение обмена",
    "Подтверждение уничтожения",
    "Уровень образования",
    "Серия документа",
    "Номер документа",
    "Дата выдачи",
    "Регистрационный номер",
    "Код профессии, специальности",
    "Наименование профессии, специальности",
    "Наименование квалификации",
    "Наименование образовательной программы",
    "Год поступления",
    "Год окончания",
    "Срок обучения, лет",
    "Фамилия получателя",
    "Имя получателя",
    "Отчество получателя",
    "Дата рождения получателя",
    "Пол получателя",
    "СНИЛС",
    "Гражданство получателя (код страны по ОКСМ)",
    "Форма обучения",
    "Форма получения образования на момент прекращения образовательных "
    "отношений",
    "Источник финансирования обучения",
    "Наличие договора о целевом обучении",
    "Номер  договора о целевом обучении",
    "Дата заключения договора о целевом обучении",
    "Наименование организации с которой заключён договор о целевом обучении",
    "ОГРН организации с которой заключён договор о целевом обучении",
    "КПП организации с которой заключён договор о целевом обучении",
    "Наименование организации работодателя",
    "ОГРН организации работодателя",
    "КПП организации работодателя",
    "Субъект федерации в котором расположена организация работодатель",
    "Наименование документа об образовании (оригинала)",
    "Серия (оригинала)",
    "Номер (оригинала)",
    "Регистрационный N (оригинала)",
    "Дата выдачи (оригинала)",
    "Фамилия получателя (оригинала)",
    "Имя получателя (оригинала)",
    "Отчество получателя (оригинала)",
    ]
assert len(HEADERS) == 46
SHEET_NAME = "Шаблон"
ALWAYS_REQUIRED = set(range(1, 8)) | set(range(10, 24)) | {29}
FROM_2021 = set(range(24, 29))
TARGETED = set(range(30, 39))
ORIGINAL = set(range(39, 47))
NAME_COLUMNS = {19, 20, 21, 44, 45, 46}
NAME_PATTERN = re.compile(r"^[А-Яа-яЁё .'()\-]+$")
SNILS_PATTERN = re.compile(r'^\d{3}-\d{3}-\d{3} \d{2}$')

LEVEL = "Среднее профессиональное образование"
KIND_TITLES = {
    'diploma': "Диплом о среднем профессиональном образовании",
    'certificate': "Справка об обучении",
    }
HONOURS_SUFFIX = " с отличием"
STATUS_TITLES = {'original': "Оригинал", 'duplicate': "Дубликат"}
FORM_TITLES = {
    'full_time': "Очная",
    'part_time': "Очно-заочная",
    'extramural': "Заочная",
    }
FUNDING_TITLES = {
    'budget': "За счет бюджетных ассигнований бюджета субъекта "
    "Российской Федерации",
    'targeted': "За счет бюджетных ассигнований бюджета субъекта "
    "Российской Федерации",
    'contract': "По договорам об оказании платных образовательных услуг",
    }
GENDER_TITLES = {'male': "Муж", 'female': "Жен"}
YES, NO = "Да", "Нет"


def fmt_date(value):
    return value.strftime('%d.%m.%Y') if value else None


def fmt_snils(value):
    if not value:
        return None
    digits = re.sub(r'\D', '', value)
    if len(digits) != 11:
        return value
    return snils_validator.format(digits)


def document_title(kind, honours):
    title = KIND_TITLES.get(kind, '')
    if kind == 'diploma' and honours:
        title += HONOURS_SUFFIX
    return title


def frdo_row(d):
    """The 46 values of a document `d` (a dict of `read_documents`); None
    for an empty cell"""
    duplicate = d['status'] == 'duplicate'
    targeted = bool(d.get('targeted'))
    row = [None] * 46

    def put(column, value):
        if value is not None and value != '':
            row[column - 1] = value
    put(1, document_title(d['kind'], d.get('honours')))
    put(2, KIND_TITLES.get(d['kind']))
    put(3, STATUS_TITLES.get(d['status']))
    put(4, YES if d.get('loss_confirmed') else NO)
    put(5, YES if d.get('exchange_confirmed') else NO)
    put(6, YES if d.get('destruction_confirmed') else NO)
    put(7, LEVEL)
    put(8, d.get('series') or "Нет")
    put(9, d.get('number'))
    put(10, fmt_date(d.get('issue_date')))
    put(11, d.get('registration_number'))
    put(12, d.get('specialty_code'))
    put(13, d.get('specialty_name'))
    put(14, d.get('qualification'))
    put(15, d.get('program_name'))
    put(16, d.get('admission_year'))
    put(17, d.get('graduation_year'))
    if d.get('duration_years') is not None:
        put(18, float(d['duration_years']))
    put(19, d.get('last_name'))
    put(20, d.get('first_name'))
    put(21, d.get('patronymic'))
    put(22, fmt_date(d.get('birth_date')))
    put(23, GENDER_TITLES.get(d.get('gender')))
    put(24, fmt_snils(d.get('snils')))
    put(25, d.get('citizenship'))
    put(26, FORM_TITLES.get(d.get('study_form')))
    put(27, FORM_TITLES.get(d.get('form_at_end') or d.get('study_form')))
    put(28, FUNDING_TITLES.get(d.get('funding')))
    put(29, YES if targeted else NO)
    if targeted:
        put(30, d.get('targeted_number'))
        put(31, fmt_date(d.get('targeted_date')))
        put(32, d.get('targeted_org'))
        put(33, d.get('targeted_ogrn'))
        put(34, d.get('targeted_kpp'))
        put(35, d.get('employer_name'))
        put(36, d.get('employer_ogrn'))
        put(37, d.get('employer_kpp'))
        put(38, d.get('employer_region'))
    if duplicate:
        put(39, document_title(d.get('original_kind'),
                d.get('original_honours')) or None)
        put(40, d.get('original_series') or (
                "Нет" if d.get('original_kind') else None))
        put(41, d.get('original_number'))
        put(42, d.get('original_registration_number'))
        put(43, fmt_date(d.get('original_issue_date')))
        put(44, d.get('original_last_name'))
        put(45, d.get('original_first_name'))
        put(46, d.get('original_patronymic'))
    return row


def validate_row(row):
    """[(column, message)] of the registry's rules the row breaks"""
    errors = []
    present = {i + 1 for i, v in enumerate(row) if v not in (None, '')}

    def missing(columns, why):
        for column in sorted(columns - present):
            errors.append((column, why))
    missing(ALWAYS_REQUIRED, "не заполнен (обязательный столбец)")
    issue = row[9]
    if issue and int(issue[-4:]) >= 2021:
        missing(FROM_2021, "не заполнен (обязателен для документов, "
            "выданных с 2021 года)")
    if row[28] == YES:
        missing(TARGETED, "не заполнен (есть договор о целевом обучении)")
    elif row[28] == NO:
        for column in sorted(TARGETED & present):
            errors.append((column, "должен быть пустым (нет договора о "
                    "целевом обучении)"))
    if row[2] == STATUS_TITLES['duplicate']:
        missing(ORIGINAL, "не заполнен (для дубликата нужны сведения "
            "об оригинале)")
    elif row[2] == STATUS_TITLES['original']:
        for column in sorted(ORIGINAL & present):
            errors.append((column, "должен быть пустым для оригинала"))
    snils = row[23]
    if snils:
        if not SNILS_PATTERN.match(snils):
            errors.append((24, f"«{snils}»: нужен формат 000-000-000 00"))
        elif not snils_validator.is_valid(snils):
            errors.append((24, f"«{snils}»: неверная контрольная сумма"))
    for column in sorted(NAME_COLUMNS & present):
        value = row[column - 1]
        if not NAME_PATTERN.match(value):
            errors.append((column, f"«{value}»: допустимы только русские "
                    "буквы, пробел и . ' - ( )"))
    errors.sort()
    return errors


def describe_errors(label, errors):
    "Lines of the pre-validation report of one document"
    return [f"{label}: столбец {column} «{HEADERS[column - 1]}» — {message}"
        for column, message in errors]


def frdo_xlsx(rows):
    "The xlsx file (bytes) with the sheet «Шаблон»"
    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {
            'in_memory': True, 'constant_memory': True})
    sheet = book.add_worksheet(SHEET_NAME)
    text = book.add_format({'num_format': '@'})
    head = book.add_format({'bold': True, 'num_format': '@'})
    sheet.write_row(0, 0, HEADERS, head)
    write_string = sheet.write_string
    write_number = sheet.write_number
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                write_number(r, c, value)
            else:
                write_string(r, c, value, text)
    book.close()
    return output.getvalue()


def today():
    return dt.date.today()
