"""Reading the xlsx and CSV files users upload, in bounded memory.

An xlsx file is a zip of XML parts. A hostile one can unpack to gigabytes
(a zip bomb), name a cell far to the right (`r="ZZZZ1"`: a reader that
pads rows to the column allocates millions of empty cells), or hold
millions of tiny cells. Every reader of the suite goes through this module:

- the upload is at most `import_max_file` bytes, its zip directory lists
  at most `import_max_parts` parts (counted before zipfile parses them);
- before a part is unpacked, its declared size is checked against what is
  left of `import_max_unpacked` (all the parts read) and its compression
  ratio against `import_max_ratio`; zipfile never unpacks more than the
  declared size (a lying size ends in a CRC error), and the bytes actually
  read are counted as well;
- the XML is parsed as a stream (lxml iterparse, every cell and row freed
  once read; no entities, no network, libxml2's limit on the size of a text
  node kept), nothing is padded: a cell with a value beyond
  `import_max_columns` is refused, and so are more than `import_max_rows`
  rows or `import_max_cells` filled cells;
- CSV lines are checked for length and the number of fields before the csv
  module splits them.

The limits are `[copp] import_max_*` of the server configuration (defaults
in LIMITS). A refusal is a SpreadsheetError (a UserError) whose Russian
message names the file and the limit. Measured with the hostile files of
tests/test_xlsx_read.py, a refused file adds less than MEMORY_BOUND to the
peak memory of the process.
"""
import datetime as dt
import io
import re
import zipfile

from trytond import config
from trytond.exceptions import UserError
from trytond.i18n import gettext

MB = 1024 * 1024
LIMITS = {
    'import_max_file': 20 * MB,
    'import_max_unpacked': 100 * MB,
    'import_max_ratio': 200,
    'import_max_parts': 500,
    'import_max_rows': 100000,
    'import_max_columns': 200,
    'import_max_cells': 2000000,
    }
# Parts read whole (the workbook, its relations, the styles)
MAX_SMALL_PART = 10 * MB
# Parts smaller than this are not checked for their compression ratio
RATIO_FROM = 1 * MB
# What reading a file may add to the peak memory of the process, measured
# by tests/test_xlsx_read.py with the hostile files: a refused zip bomb, far
# references, too many parts or a lying size cost less than 1 MB; a file
# filled up to import_max_cells (2 000 000 cells, refused at the next one)
# about 100 MB (the cells read so far).
MEMORY_BOUND = 128 * MB
EXCEL_ROWS = 1048576

MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL_NS = ('http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships')
# Built-in number formats of dates (ECMA-376, 18.8.30)
DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | set(
    range(45, 48)) | set(range(50, 59))


class SpreadsheetError(UserError):
    "A file refused by the limits or unreadable"


class Limits:
    "The limits in force: [copp] import_max_* or the defaults"

    def __init__(self, **overrides):
        for name, default in LIMITS.items():
            value = overrides.get(name)
            if value is None:
                value = config.getint('copp', name, default=default)
            setattr(self, name[len('import_'):], value)


def size_text(size):
    "A size in Russian units: 20 МБ, 512 КБ"
    if size >= MB:
        value = size / MB
        return f'{value:.0f} МБ' if value >= 10 or value.is_integer() else (
            f'{value:.1f} МБ'.replace('.', ','))
    if size >= 1024:
        return f'{size // 1024} КБ'
    return f'{size} Б'


def number_text(number):
    return f'{number:,}'.replace(',', '\u00a0')


def refuse(message, **values):
    return SpreadsheetError(gettext(f'copp.{message}', **values))


def column_index(letters):
    "0-based index of the column letters of a reference (A → 0)"
    index = 0
    for char in letters:
        index = index * 26 + (ord(char.upper()) - 64)
    return index - 1


def column_letters(index):
    "Letters of the 0-based column `index`"
    letters = ''
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _zip_entries(data):
    """The number of entries the zip's end of central directory declares,
    read before zipfile builds an object per entry (None: not found)"""
    position = data.rfind(b'PK\x05\x06', max(0, len(data) - 65557))
    if position < 0 or position + 22 > len(data):
        return None
    return int.from_bytes(data[position + 10:position + 12], 'little')


class _Counted(io.RawIOBase):
    "A part being unpacked, counted against the limit of the workbook"

    def __init__(self, workbook, name, stream):
        self.workbook = workbook
        self.name = name
        self.stream = stream

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.stream.read(len(buffer))
        self.workbook.consume(self.name, len(data))
        buffer[:len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


class Workbook:
    "An uploaded xlsx file, opened within the limits"

    def __init__(self, data, filename, limits=None):
        self.filename = filename or 'xlsx'
        self.limits = limits or Limits()
        if len(data) > self.limits.max_file:
            raise refuse('msg_xlsx_file_size', file=self.filename,
                size=size_text(len(data)),
                limit=size_text(self.limits.max_file))
        entries = _zip_entries(data)
        if entries is not None and entries > self.limits.max_parts:
            raise refuse('msg_xlsx_parts', file=self.filename,
                limit=number_text(self.limits.max_parts))
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            self.parts = {i.filename: i for i in self.archive.infolist()}
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError,
                EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise self.broken(exc)
        if len(self.parts) > self.limits.max_parts:
            raise refuse('msg_xlsx_parts', file=self.filename,
                limit=number_text(self.limits.max_parts))
        self.unpacked = 0
        self.cells = 0

    def broken(self, exc):
        return refuse('msg_xlsx_broken', file=self.filename,
            error=str(exc) or exc.__class__.__name__)

    def consume(self, name, size):
        self.unpacked += size
        if self.unpacked > self.limits.max_unpacked:
            raise refuse('msg_xlsx_unpacked', file=self.filename, part=name,
                limit=size_text(self.limits.max_unpacked))

    def open(self, name, max_size=None):
        "A stream of the part `name`, checked before it is unpacked"
        info = self.parts[name]
        left = self.limits.max_unpacked - self.unpacked
        if info.file_size > left or (
                max_size is not None and info.file_size > max_size):
            raise refuse('msg_xlsx_unpacked', file=self.filename, part=name,
                limit=size_text(min(self.limits.max_unpacked,
                        max_size or self.limits.max_unpacked)))
        if info.file_size > RATIO_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > self.limits.max_ratio:
                raise refuse('msg_xlsx_ratio', file=self.filename,
                    part=name, ratio=number_text(int(ratio)),
                    limit=number_text(self.limits.max_ratio))
        return io.BufferedReader(_Counted(self, name,
                self.archive.open(info)), 64 * 1024)

    def iterparse(self, name, tags, events=('end',), max_size=None):
        from lxml import etree
        stream = self.open(name, max_size=max_size)
        return stream, etree.iterparse(stream, events=events, tag=tags,
            resolve_entities=False, no_network=True, huge_tree=False,
            remove_comments=True, remove_pis=True)

    def small(self, name):
        "The root of a small part (workbook, relations, styles)"
        from lxml import etree
        stream = self.open(name, max_size=MAX_SMALL_PART)
        with stream:
            parser = etree.XMLParser(resolve_entities=False,
                no_network=True, huge_tree=False)
            return etree.parse(stream, parser).getroot()

    # The workbook ------------------------------------------------------
    def sheets(self):
        """Yield (title, rows) of each sheet in order; rows yields
        (row number, [values]) where values are str, int, float, bool or
        date, None for empty cells"""
        from lxml import etree
        m = '{%s}' % MAIN_NS
        try:
            workbook = self.small('xl/workbook.xml')
            properties = workbook.find(m + 'workbookPr')
            epoch = (dt.date(1904, 1, 1) if properties is not None
                and properties.get('date1904') in {'1', 'true'}
                else dt.date(1899, 12, 30))
            relations = self.small('xl/_rels/workbook.xml.rels')
            targets = {r.get('Id'): r.get('Target') for r in relations}
            shared = self._shared_strings(m)
            date_styles = self._date_styles(m)
            sheets = []
            for sheet in workbook.iterfind(f'{m}sheets/{m}sheet'):
                target = targets[sheet.get('{%s}id' % REL_NS)]
                path = (target.lstrip('/') if target.startswith('/')
                    else 'xl/' + target)
                sheets.append((sheet.get('name'), path))
        except SpreadsheetError:
            raise
        except (KeyError, ValueError, TypeError, zipfile.BadZipFile,
                EOFError, OSError, etree.LxmlError) as exc:
            raise self.broken(exc)
        for title, path in sheets:
            yield title, self._rows(title, path, m, shared, date_styles,
                epoch)

    def _shared_strings(self, m):
        name = 'xl/sharedStrings.xml'
        if name not in self.parts:
            return []
        item_tag, text_tag, phonetic_tag = m + 'si', m + 't', m + 'rPh'
        shared = []
        stream, items = self.iterparse(name, item_tag)
        with stream:
            for _, item in items:
                shared.append(''.join(t.text or '' for t in item.iter(
                            text_tag)
                        if t.getparent().tag != phonetic_tag))
                item.clear()
                while item.getprevious() is not None:
                    del item.getparent()[0]
                if len(shared) > self.limits.max_cells:
                    raise refuse('msg_xlsx_cells', file=self.filename,
                        limit=number_text(self.limits.max_cells))
        return shared

    def _date_styles(self, m):
        name = 'xl/styles.xml'
        if name not in self.parts:
            return set()
        styles = self.small(name)
        custom = {int(f.get('numFmtId')): f.get('formatCode')
            for f in styles.iterfind(f'{m}numFmts/{m}numFmt')}
        date_styles = set()
        for index, xf in enumerate(styles.iterfind(f'{m}cellXfs/{m}xf')):
            format_id = int(xf.get('numFmtId', 0))
            if format_id in DATE_FORMAT_IDS or (format_id in custom
                    and is_date_format(custom[format_id])):
                date_styles.add(index)
        return date_styles

    def _rows(self, title, path, m, shared, date_styles, epoch):
        from lxml import etree
        limits = self.limits
        row_tag, cell_tag, value_tag = m + 'row', m + 'c', m + 'v'
        digits = '0123456789'
        number, count, values = 0, 0, []
        try:
            stream, events = self.iterparse(path, (row_tag, cell_tag),
                events=('start', 'end'))
        except KeyError as exc:
            raise self.broken(exc)
        with stream:
            try:
                for event, element in events:
                    if element.tag == cell_tag:
                        if event == 'end':
                            self._cell(element, values, title, number, m,
                                value_tag, digits, shared, date_styles,
                                epoch)
                            element.clear()
                            parent = element.getparent()
                            if parent is not None:
                                parent.remove(element)
                        continue
                    if event == 'start':
                        number = int(element.get('r') or number + 1)
                        if not 0 < number <= EXCEL_ROWS:
                            raise self.broken(ValueError(
                                    f"row {number}"))
                        values = []
                        continue
                    count += 1
                    if count > limits.max_rows:
                        raise refuse('msg_xlsx_rows', file=self.filename,
                            sheet=title,
                            limit=number_text(limits.max_rows))
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    yield number, values
            except SpreadsheetError:
                raise
            except (ValueError, TypeError, IndexError, zipfile.BadZipFile,
                    EOFError, OSError, etree.LxmlError) as exc:
                raise self.broken(exc)

    def _cell(self, cell, values, title, number, m, value_tag, digits,
            shared, date_styles, epoch):
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
        if value is None or value == '':
            return
        reference = cell.get('r')
        if reference:
            letters = reference.rstrip(digits)
            if len(letters) > 3 or not letters.isalpha():
                index = self.limits.max_columns
            else:
                index = column_index(letters)
        else:
            index = len(values)
        if index >= self.limits.max_columns:
            raise refuse('msg_xlsx_columns', file=self.filename,
                sheet=title, cell=(reference or '')[:20],
                column=column_letters(self.limits.max_columns - 1),
                limit=number_text(self.limits.max_columns))
        self.cells += 1
        if self.cells > self.limits.max_cells:
            raise refuse('msg_xlsx_cells', file=self.filename,
                limit=number_text(self.limits.max_cells))
        if index >= len(values):
            values.extend([None] * (index + 1 - len(values)))
        values[index] = value


def is_date_format(code):
    code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', '', code or '').lower()
    return bool(re.search(r'[dmy]', code)) and '@' not in code


def read_xlsx(data, filename, limits=None):
    "Yield (title, rows) of the sheets of the xlsx `data` (see Workbook)"
    return Workbook(data, filename, limits).sheets()


# CSV ------------------------------------------------------------------------

def csv_lines(text, delimiter, filename, limits=None):
    """The lines of the CSV `text` for csv.reader, refusing a line with
    more fields than the columns read (checked before csv splits it)"""
    limits = limits or Limits()
    # Quoted fields may hold the delimiter: be generous.
    max_delimiters = 10 * limits.max_columns
    for number, line in enumerate(io.StringIO(text), 1):
        if number > limits.max_rows + 1:
            raise refuse('msg_xlsx_rows', file=filename, sheet='CSV',
                limit=number_text(limits.max_rows))
        if len(line) > MB or line.count(delimiter) > max_delimiters:
            raise refuse('msg_xlsx_columns', file=filename, sheet='CSV',
                cell=f'{column_letters(limits.max_columns)}{number}',
                column=column_letters(limits.max_columns - 1),
                limit=number_text(limits.max_columns))
        yield line


def check_csv_row(values, number, filename, counter, limits=None):
    """Refuse a CSV row beyond the columns read or the cells of a file;
    counter is a one-item list of the filled cells so far"""
    limits = limits or Limits()
    filled = [i for i, v in enumerate(values) if v not in (None, '')]
    if filled and filled[-1] >= limits.max_columns:
        raise refuse('msg_xlsx_columns', file=filename, sheet='CSV',
            cell=f'{column_letters(filled[-1])}{number}',
            column=column_letters(limits.max_columns - 1),
            limit=number_text(limits.max_columns))
    counter[0] += len(filled)
    if counter[0] > limits.max_cells:
        raise refuse('msg_xlsx_cells', file=filename,
            limit=number_text(limits.max_cells))
