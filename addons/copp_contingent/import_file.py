"""Reading an import file, xlsx or CSV, into rows of text cells; errors
are collected with their row and column."""
import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from trytond.i18n import gettext


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
                sheets[normalize(title)] = Sheet(title, header, content)
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
