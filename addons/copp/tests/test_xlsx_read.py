"""The bounded reader of uploaded xlsx and CSV files (issue 15 #6): hostile
files are refused with a Russian message naming the file and the limit, and
reading them costs less than MEMORY_BOUND, measured in a fresh process with
the readers of the importers (contingent: students and groups; journal:
curricula)."""
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from copp.xlsx_read import (
    MB, MEMORY_BOUND, Limits, SpreadsheetError, check_csv_row, csv_lines,
    read_xlsx)

from . import hostile_xlsx

ADDONS = Path(__file__).resolve().parents[2]
MEASURE = '''
import json, resource, sys
which, path = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
from lxml import etree  # noqa: the parser is loaded before the baseline
if which == 'contingent':
    from copp_contingent.import_file import Errors, read_file
else:
    from copp_journal.importers import read_workbook

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

base = peak()
try:
    if which == 'contingent':
        errors = Errors()
        read_file(data, 'hostile.xlsx', errors)
        result = [m for _, _, m in errors.items]
    else:
        read_workbook(data, 'hostile.xlsx')
        result = []
except Exception as exc:
    result = [f'{type(exc).__name__}: {exc}']
print(json.dumps({'delta': peak() - base, 'result': result}))
'''


def sheets(data, filename='test.xlsx', limits=None):
    return {title: list(rows)
        for title, rows in read_xlsx(data, filename, limits)}


def good_workbook():
    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    date = book.add_format({'num_format': 'dd.mm.yyyy'})
    sheet = book.add_worksheet("Студенты")
    sheet.write_row(0, 0, ["Фамилия", "Дата", "Балл", "Бюджет"])
    sheet.write_string(1, 0, "Иванов")
    sheet.write_datetime(1, 1, dt.datetime(2009, 2, 1), date)
    sheet.write_number(1, 2, 4.5)
    sheet.write_boolean(1, 3, True)
    sheet.write_string(3, 5, "через строку")
    book.add_worksheet("Группы").write(0, 0, "ИСП-11")
    book.close()
    return output.getvalue()


class XlsxReadTestCase(unittest.TestCase):
    "Refusals of the reader, in Russian"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('copp', lang='ru')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The next test classes start from their own database.
        drop_db()

    def refused(self, data, limits=None, filename='hostile.xlsx'):
        with self.assertRaises(SpreadsheetError) as context:
            sheets(data, filename, limits)
        message = context.exception.message
        self.assertIn(f'«{filename}»', message)
        return message

    def test_good_workbook(self):
        "Values of a well-formed workbook: text, date, number, boolean"
        result = sheets(good_workbook())
        self.assertEqual(list(result), ["Студенты", "Группы"])
        self.assertEqual(result["Студенты"], [
                (1, ["Фамилия", "Дата", "Балл", "Бюджет"]),
                (2, ["Иванов", dt.date(2009, 2, 1), 4.5, True]),
                (4, [None, None, None, None, None, "через строку"]),
                ])

    @with_transaction(context={'language': 'ru'})
    def test_zip_bomb(self):
        "400 MB packed in half a megabyte: refused before unpacking"
        message = self.refused(hostile_xlsx.zip_bomb())
        self.assertIn("распаковывается больше чем в 100 МБ", message)
        self.assertIn("xl/worksheets/sheet1.xml", message)

    @with_transaction(context={'language': 'ru'})
    def test_ratio(self):
        "A part compressed beyond the ratio is a zip bomb"
        message = self.refused(hostile_xlsx.zip_bomb(20))
        self.assertIn("сжата в", message)
        self.assertIn("больше допустимых 200", message)

    @with_transaction(context={'language': 'ru'})
    def test_far_columns(self):
        "A cell far to the right is refused, naming the cell"
        message = self.refused(hostile_xlsx.far_columns())
        self.assertEqual(message, "Ячейка ZZZZ2 листа «Students» файла "
            "«hostile.xlsx» находится правее столбца GR: читается не "
            "больше 200 столбцов.")
        # Even a reference that is no column at all.
        message = self.refused(hostile_xlsx.far_columns(rows=3,
                letters='A' * 5000))
        self.assertIn("читается не больше 200 столбцов", message)

    @with_transaction(context={'language': 'ru'})
    def test_cells_and_rows(self):
        "Beyond the cells or the rows a file may hold"
        data = hostile_xlsx.cell_bomb(cells=4000, per_row=20)
        message = self.refused(data, Limits(import_max_cells=1000))
        self.assertEqual(message, "В файле «hostile.xlsx» больше 1\u00a0000 "
            "заполненных ячеек: такой файл не принимается.")
        message = self.refused(data, Limits(import_max_rows=150))
        self.assertEqual(message, "На листе «Students» файла «hostile.xlsx» "
            "больше 150 строк: такой файл не принимается.")

    @with_transaction(context={'language': 'ru'})
    def test_lying_sizes(self):
        "A part larger than its directory says: unpacking stops, refused"
        message = self.refused(hostile_xlsx.lying_sizes())
        self.assertIn("не читается как книга Excel", message)

    @with_transaction(context={'language': 'ru'})
    def test_parts_and_size(self):
        "Too many parts, too large a file, not a zip at all"
        message = self.refused(hostile_xlsx.many_parts())
        self.assertIn("больше 500 частей", message)
        message = self.refused(b'PK' + b'\0' * (2 * MB - 2),
            Limits(import_max_file=MB))
        self.assertIn("занимает 2 МБ: импортировать можно файл не больше "
            "1 МБ", message)
        message = self.refused(b'PK\x03\x04 not a zip')
        self.assertIn("не читается как книга Excel", message)

    @with_transaction(context={'language': 'ru'})
    def test_csv(self):
        "A CSV line of too many fields is refused before it is split"
        text = 'Фамилия;Имя\n' + ';' * 5000 + '\n'
        with self.assertRaises(SpreadsheetError) as context:
            list(csv_lines(text, ';', 'students.csv'))
        self.assertIn("«students.csv»", context.exception.message)
        self.assertIn("Ячейка GS2 листа «CSV»", context.exception.message)
        with self.assertRaises(SpreadsheetError):
            check_csv_row([''] * 300 + ['x'], 2, 'students.csv', [0])
        with self.assertRaises(SpreadsheetError):
            check_csv_row(['x'] * 20, 3, 'students.csv', [0],
                Limits(import_max_cells=10))


class XlsxMemoryTestCase(unittest.TestCase):
    """Peak memory of the importers' readers on the hostile files, each in
    a fresh process (resource.getrusage: lxml's memory is not Python's, so
    tracemalloc would not see it)"""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.files = {}
        for name, make in hostile_xlsx.HOSTILE_FILES.items():
            path = Path(cls.folder.name) / f'{name}.xlsx'
            path.write_bytes(make())
            cls.files[name] = path

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def measure(self, reader, name):
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(
            [str(ADDONS)] + sys.path)
        output = subprocess.run([sys.executable, '-c', MEASURE, reader,
                str(self.files[name])], env=env, capture_output=True,
            text=True, timeout=300, check=True).stdout
        return json.loads(output.strip().splitlines()[-1])

    def test_hostile_files(self):
        "Every hostile file is refused within MEMORY_BOUND by both readers"
        for reader in ['contingent', 'journal']:
            for name in self.files:
                if name == 'cell_bomb' and reader == 'journal':
                    continue  # the same reader: 20 s spared
                with self.subTest(reader=reader, file=name):
                    result = self.measure(reader, name)
                    self.assertTrue(result['result'], result)
                    self.assertTrue(any(
                            'copp.msg_xlsx_' in r or 'SpreadsheetError' in r
                            for r in result['result']), result)
                    self.assertLess(result['delta'], MEMORY_BOUND,
                        f"{reader} {name}: {result['delta'] / MB:.0f} MB")
