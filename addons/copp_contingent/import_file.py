"""Reading an import file, xlsx or CSV, into rows of text cells; errors
are collected with their row and column."""
import csv
from pathlib import Path

from trytond.i18n import gettext

from copp.xlsx_read import (
    Limits, SpreadsheetError, check_csv_row, csv_lines, read_xlsx,
    size_text)

from .exceptions import ImportFileError
from .import_columns import normalize

MAX_ERRORS_SHOWN = 50


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
        return _read_xlsx(data, filename, errors)
    if suffix in {'.xls', '.ods'}:
        errors.add(None, None, gettext(
                'copp_contingent.msg_import_format', file=filename))
        return {}
    if len(data) > Limits().max_file:
        errors.add(None, None, gettext('copp.msg_xlsx_file_size',
                file=filename, size=size_text(len(data)),
                limit=size_text(Limits().max_file)))
        return {}
    try:
        return _read_csv(data, filename, errors)
    except SpreadsheetError as exc:
        errors.add(None, None, exc.message)
        return {}


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_xlsx(data, filename, errors):
    """The sheets of a workbook, read as a stream within the limits of
    copp.xlsx_read (lxml: 5–10 times faster than openpyxl for the tens of
    thousands of rows of a college)"""
    try:
        sheets = {}
        for title, rows in read_xlsx(data, filename):
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
                sheets[normalize(title)] = Sheet(title, header, content)
        return sheets
    except SpreadsheetError as exc:
        errors.add(None, None, exc.message)
        return {}


def _read_csv(data, filename, errors):
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
    reader = csv.reader(csv_lines(text, delimiter, filename),
        delimiter=delimiter)
    header, content, cells = None, [], [0]
    try:
        for number, values in enumerate(reader, 1):
            check_csv_row(values, number, filename, cells)
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
