"""The upload file of ФИС ФРДО for documents of СПО (integrations.md §2).

`frdo_rows(values)` turns documents (dicts as read by `read_documents`) into
rows of the 46 columns, `validate_row` lists what the registry's checker
would reject, `frdo_xlsx` writes the sheet «Шаблон». Pure functions: the
wizard, the tests and the benchmark share them; what every ФРДО file
shares (the common blocks of headers, formats, checks of the СНИЛС and
names, the xlsx writer) is copp.frdo_file's.
"""
import datetime as dt

from copp.frdo_file import (
    CITIZENSHIP_HEADER, FORM_AT_END_HEADER, FORM_HEADER, FUNDING_HEADER,
    GENDER_TITLES, IN_ORGANIZATION, KIND_STATUS_HEADERS, NO,
    ORIGINAL_HEADERS, OUTSIDE_ORGANIZATION, RECIPIENT_HEADERS, REQUIRED,
    STATUS_TITLES, YES, describe_errors as describe_columns, fmt_date,
    fmt_snils, frdo_xlsx as write_xlsx, missing, original_errors,
    person_errors, present, unexpected)

HEADERS = ["Наименование документа"] + KIND_STATUS_HEADERS + [
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
    ] + RECIPIENT_HEADERS + [
    CITIZENSHIP_HEADER,
    FORM_HEADER,
    FORM_AT_END_HEADER,
    FUNDING_HEADER,
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
    ] + ORIGINAL_HEADERS
assert len(HEADERS) == 46
ALWAYS_REQUIRED = set(range(1, 8)) | set(range(10, 24)) | {29}
FROM_2021 = set(range(24, 29))
TARGETED = set(range(30, 39))
ORIGINAL = set(range(39, 47))
NAME_COLUMNS = {19, 20, 21, 44, 45, 46}
SNILS_COLUMN = 24

LEVEL = "Среднее профессиональное образование"
KIND_TITLES = {
    'diploma': "Диплом о среднем профессиональном образовании",
    'certificate': "Справка об обучении",
    }
HONOURS_SUFFIX = " с отличием"
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
# Column 27 «Форма получения образования на момент прекращения
# образовательных отношений» takes the registry's list (the forms of
# obtaining education of art. 17 of 273-ФЗ, see README «ФРДО choices»),
# not the form of study of column 26: every form of study of a college is
# education in the organization; self-education and family education are
# outside it.
EDUCATION_FORM_TITLES = {
    'full_time': IN_ORGANIZATION,
    'part_time': IN_ORGANIZATION,
    'extramural': IN_ORGANIZATION,
    'self_education': OUTSIDE_ORGANIZATION,
    'family_education': OUTSIDE_ORGANIZATION,
    }
EDUCATION_FORMS = {IN_ORGANIZATION, OUTSIDE_ORGANIZATION}


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
    put(27, EDUCATION_FORM_TITLES.get(d.get('form_at_end')
            or d.get('study_form')))
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
    filled = present(row)
    errors = missing(ALWAYS_REQUIRED, filled, REQUIRED)
    issue = row[9]
    if issue and int(issue[-4:]) >= 2021:
        errors += missing(FROM_2021, filled, "не заполнен (обязателен для "
            "документов, выданных с 2021 года)")
    if row[28] == YES:
        errors += missing(TARGETED, filled,
            "не заполнен (есть договор о целевом обучении)")
    elif row[28] == NO:
        errors += unexpected(TARGETED, filled,
            "должен быть пустым (нет договора о целевом обучении)")
    errors += original_errors(row[2], ORIGINAL, ORIGINAL, filled)
    form = row[26]
    if form and form not in EDUCATION_FORMS:
        errors.append((27, f"«{form}»: допустимо «{IN_ORGANIZATION}» или "
                f"«{OUTSIDE_ORGANIZATION}»"))
    errors += person_errors(row, SNILS_COLUMN, NAME_COLUMNS, filled)
    errors.sort()
    return errors


def describe_errors(label, errors):
    "Lines of the pre-validation report of one document"
    return describe_columns(HEADERS, label, errors)


def frdo_xlsx(rows):
    "The xlsx file (bytes) with the sheet «Шаблон»"
    return write_xlsx(HEADERS, rows)


def today():
    return dt.date.today()
