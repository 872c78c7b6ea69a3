"""Hostile "xlsx" files for the tests of the readers (issue 15 #6): a zip
bomb, far column references, a cell bomb, lying sizes, too many parts.
Each is written as a stream: building them takes little memory."""
import io
import zipfile

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension='
    b'"xml" ContentType="application/xml"/></Types>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships"><sheets><sheet name="Students" sheetId="1" r:id="rId1"/>'
    b'</sheets></workbook>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>')
SHEET_TAIL = b'</sheetData></worksheet>'
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Фамилия</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Имя</t></is></c></row>').encode()


def _workbook(write_sheet, level=9):
    "An xlsx whose sheet1.xml is written by write_sheet(stream)"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED,
            compresslevel=level) as archive:
        archive.writestr('[Content_Types].xml', CONTENT_TYPES)
        archive.writestr('xl/workbook.xml', WORKBOOK)
        archive.writestr('xl/_rels/workbook.xml.rels', RELS)
        with archive.open('xl/worksheets/sheet1.xml', 'w',
                force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD + HEADER_ROW)
            write_sheet(sheet)
            sheet.write(SHEET_TAIL)
    return buffer.getvalue()


def zip_bomb(megabytes=400):
    """Half a megabyte that unpacks to `megabytes` of rows (the issue's
    0.5 MB file that took the server to 1 155 MB)"""
    row = b'<row><c t="inlineStr"><is><t>' + b'A' * 4000 + b'</t></is></c></row>'
    block = row * 256

    def write(sheet):
        for _ in range(megabytes * 1024 * 1024 // len(block)):
            sheet.write(block)
    return _workbook(write)


def far_columns(rows=2000, letters='ZZZZ'):
    """A few kilobytes whose cells are far to the right (`r="ZZZZ2"`): a
    reader that pads rows to the column allocates millions of cells"""
    def write(sheet):
        for number in range(2, rows + 2):
            sheet.write((f'<row r="{number}"><c r="A{number}" t="inlineStr">'
                    f'<is><t>Иванов</t></is></c><c r="{letters}{number}">'
                    f'<v>1</v></c></row>').encode())
    return _workbook(write)


def cell_bomb(cells=2100000, per_row=20):
    """More filled cells than a file may hold (different numbers: the parts
    compress like real data, under the ratio limit)"""
    import random
    generator = random.Random(15)

    def write(sheet):
        for _ in range(cells // per_row):
            sheet.write(b'<row>' + b''.join(
                    b'<c><v>%d</v></c>' % generator.randrange(10 ** 6)
                    for _ in range(per_row)) + b'</row>')
    return _workbook(write, level=1)


def lying_sizes(megabytes=50):
    """A zip whose directory declares its sheet 1 KB long while the data
    unpacks to `megabytes`"""
    row = b'<row><c t="inlineStr"><is><t>' + b'B' * 4000 + b'</t></is></c></row>'
    block = row * 256
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('[Content_Types].xml', CONTENT_TYPES)
        archive.writestr('xl/workbook.xml', WORKBOOK)
        archive.writestr('xl/_rels/workbook.xml.rels', RELS)
        with archive.open('xl/worksheets/sheet1.xml', 'w',
                force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD + HEADER_ROW)
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                sheet.write(block)
            sheet.write(SHEET_TAIL)
        # The central directory, written on close, is what readers trust.
        archive.getinfo('xl/worksheets/sheet1.xml').file_size = 1024
    return buffer.getvalue()


def many_parts(parts=70000):
    "A zip directory of tens of thousands of entries"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_STORED) as archive:
        for index in range(parts):
            archive.writestr(f'{index}', b'')
    return buffer.getvalue()


HOSTILE_FILES = {
    'zip_bomb': zip_bomb,
    'far_columns': far_columns,
    'cell_bomb': cell_bomb,
    'lying_sizes': lying_sizes,
    'many_parts': many_parts,
    }
