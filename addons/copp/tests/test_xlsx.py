"""Every xlsx the suite writes opens its workbook with copp.xlsx.workbook,
which writes text as text (issue 15 #7: formula injection)."""
import io
import re
import unittest
from pathlib import Path

from copp.xlsx import workbook

from .xlsx_tools import HOSTILE, check_text_cells

ADDONS = Path(__file__).resolve().parents[2]
WORKBOOK = re.compile(r'\bxlsxwriter\s*\.\s*Workbook\s*\(|'
    r'from\s+xlsxwriter\s+import\s+Workbook')


class XlsxTestCase(unittest.TestCase):
    "The shared xlsx writer"

    def test_text_stays_text(self):
        "write() of a formula-looking text or an address writes text"
        output = io.BytesIO()
        book = workbook(output)
        sheet = book.add_worksheet("Лист")
        for row, value in enumerate(HOSTILE + ['http://evil.example/']):
            sheet.write(row, 0, value)
            sheet.write_row(row, 1, [value])
        # Formulas the report computes itself stay formulas.
        sheet.write_formula(len(HOSTILE) + 1, 0, '=1+1')
        book.close()
        import openpyxl
        cells = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active
        self.assertEqual(cells.cell(len(HOSTILE) + 2, 1).data_type, 'f')
        for row, value in enumerate(HOSTILE, 1):
            for col in [1, 2]:
                cell = cells.cell(row, col)
                self.assertEqual((cell.data_type, cell.value), ('s', value))
        self.assertIsNone(cells.cell(len(HOSTILE) + 1, 1).hyperlink)

    def test_check_text_cells_catches_formulas(self):
        "The check of the modules' tests fails on a formula"
        import xlsxwriter
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {'in_memory': True})
        book.add_worksheet().write(0, 0, HOSTILE[0])
        book.close()
        with self.assertRaises(AssertionError):
            check_text_cells(self, output.getvalue(), [HOSTILE[0]])

    def test_every_writer_uses_the_helper(self):
        "No module opens an xlsxwriter Workbook of its own"
        offenders = []
        for path in sorted(ADDONS.glob('copp*/**/*.py')):
            if 'tests' in path.parts or path.name == 'xlsx.py' and (
                    path.parent.name == 'copp'):
                continue
            if WORKBOOK.search(path.read_text(encoding='utf-8')):
                offenders.append(str(path.relative_to(ADDONS)))
        self.assertEqual(offenders, [],
            "open xlsx workbooks with copp.xlsx.workbook()")
