"""What every upload file of ФИС ФРДО shares, whatever the level of the
documents (СПО in copp_graduation, ДПО and ПО in copp_training): the sheet
«Шаблон», the blocks of headers each template repeats, the cell formats,
the registry's checks of the СНИЛС and of the names, the lines of the
pre-validation report and the xlsx writer. Pure functions: each module
keeps its own columns and rules and builds on these."""
import io
import re

from copp.identifiers import snils as snils_validator

SHEET_NAME = "Шаблон"
YES, NO = "Да", "Нет"
STATUS_TITLES = {'original': "Оригинал", 'duplicate': "Дубликат"}
GENDER_TITLES = {'male': "Муж", 'female': "Жен"}
IN_ORGANIZATION = "в образовательной организации"
OUTSIDE_ORGANIZATION = "вне образовательной организации"
NAME_PATTERN = re.compile(r"^[А-Яа-яЁё .'()\-]+$")
SNILS_PATTERN = re.compile(r'^\d{3}-\d{3}-\d{3} \d{2}$')

# The kind and status of the document and the confirmations of its fate.
KIND_STATUS_HEADERS = [
    "Вид документа",
    "Статус документа",
    "Подтверждение утраты",
    "Подтверждение обмена",
    "Подтверждение уничтожения",
    ]
RECIPIENT_HEADERS = [
    "Фамилия получателя",
    "Имя получателя",
    "Отчество получателя",
    "Дата рождения получателя",
    "Пол получателя",
    "СНИЛС",
    ]
CITIZENSHIP_HEADER = "Гражданство получателя (код страны по ОКСМ)"
FORM_HEADER = "Форма обучения"
FORM_AT_END_HEADER = ("Форма получения образования на момент прекращения "
    "образовательных отношений")
FUNDING_HEADER = "Источник финансирования обучения"
# The columns of the original, filled in on a duplicate only.
ORIGINAL_HEADERS = [
    "Наименование документа об образовании (оригинала)",
    "Серия (оригинала)",
    "Номер (оригинала)",
    "Регистрационный N (оригинала)",
    "Дата выдачи (оригинала)",
    "Фамилия получателя (оригинала)",
    "Имя получателя (оригинала)",
    "Отчество получателя (оригинала)",
    ]
REQUIRED = "не заполнен (обязательный столбец)"


def fmt_date(value):
    return value.strftime('%d.%m.%Y') if value else None


def fmt_snils(value):
    "000-000-000 00 when the value has 11 digits, else as typed"
    digits = re.sub(r'\D', '', value or '')
    if len(digits) != 11:
        return value or None
    return snils_validator.format(digits)


def present(row):
    "The (1-based) columns of the row that have a value"
    return {i + 1 for i, v in enumerate(row) if v not in (None, '')}


def missing(columns, filled, why):
    "[(column, why)] of the `columns` not in `filled`"
    return [(column, why) for column in sorted(set(columns) - filled)]


def unexpected(columns, filled, why):
    "[(column, why)] of the `columns` in `filled` that must stay empty"
    return [(column, why) for column in sorted(set(columns) & filled)]


def original_errors(status, columns, required, filled):
    """The columns of the original: `required` ones filled in for a
    duplicate, all `columns` empty for an original"""
    if status == STATUS_TITLES['duplicate']:
        return missing(required, filled,
            "не заполнен (для дубликата нужны сведения об оригинале)")
    if status == STATUS_TITLES['original']:
        return unexpected(columns, filled, "должен быть пустым для оригинала")
    return []


def person_errors(row, snils_column, name_columns, filled):
    """The СНИЛС (its format and checksum) and the names (Russian letters
    and a few signs only) as the registry checks them"""
    errors = []
    snils = row[snils_column - 1]
    if snils:
        if not SNILS_PATTERN.match(snils):
            errors.append((snils_column,
                    f"«{snils}»: нужен формат 000-000-000 00"))
        elif not snils_validator.is_valid(snils):
            errors.append((snils_column,
                    f"«{snils}»: неверная контрольная сумма"))
    for column in sorted(set(name_columns) & filled):
        value = row[column - 1]
        if not NAME_PATTERN.match(value):
            errors.append((column, f"«{value}»: допустимы только русские "
                    "буквы, пробел и . ' - ( )"))
    return errors


def describe_errors(headers, label, errors):
    "Lines of the pre-validation report of one document"
    return [f"{label}: столбец {column} «{headers[column - 1]}» — {message}"
        for column, message in errors]


def frdo_xlsx(headers, rows, wrap_headers=False):
    """The xlsx file (bytes): the sheet «Шаблон», the headers, the rows;
    text cells as text (the registry reads «0012» and «643» as typed)"""
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    book = xlsx_workbook(output)
    sheet = book.add_worksheet(SHEET_NAME)
    text = book.add_format({'num_format': '@'})
    head = book.add_format({'bold': True, 'num_format': '@',
            'text_wrap': wrap_headers})
    sheet.write_row(0, 0, headers, head)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value), text)
    book.close()
    return output.getvalue()
