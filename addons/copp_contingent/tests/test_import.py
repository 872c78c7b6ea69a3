"""Import of students and groups from xlsx and CSV: good files, every kind of
bad row or file (all or nothing), the shipped template, the importer of the
copp command and the wizard."""
import datetime as dt
import io

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_contingent.exceptions import ImportFileError

from .tools import SNILS, contingent, create_college, create_group

D = dt.date


class ImportTestCase(_DBTestCase):
    "Import of copp_contingent"
    module = 'copp_contingent'

    HEADER = ["Колледж", "Фамилия*", "Имя*", "Отчество", "Дата рождения*",
        "Пол*", "СНИЛС*", "Группа", "Финансирование*", "Дата зачисления",
        "Номер приказа о зачислении", "Средний балл аттестата",
        "Законный представитель", "Степень родства"]

    def _rows(self):
        return [
            ["КА", "Иванов", "Иван", "Иванович", "01.02.2009", "М",
                SNILS[0], "ИСП-11", "бюджет", "01.09.2024", "12-к", "4,5",
                "Иванова Анна", "мать"],
            ["КА", "Петрова", "Мария", "", D(2009, 3, 4), "Ж", SNILS[1],
                "ИСП-11", "договор", D(2024, 9, 1), "", 3.75, "", ""],
            ["КА", "Сидоров", "Пётр", "Ильич", "05.06.2008", "муж",
                SNILS[2], "Э-21", "целевое", "01.09.2023", "", "", "", ""],
            ]

    def _xlsx(self, rows, header=None, groups=None):
        import xlsxwriter
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {'in_memory': True})
        sheet = workbook.add_worksheet("Студенты")
        date_format = workbook.add_format({'num_format': 'dd.mm.yyyy'})
        for c, title in enumerate(header or self.HEADER):
            sheet.write(0, c, title)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(
                            value, dt.time()), date_format)
                elif value not in ("", None):
                    sheet.write(r, c, value)
        if groups:
            sheet = workbook.add_worksheet("Группы")
            for r, row in enumerate(groups):
                for c, value in enumerate(row):
                    sheet.write(r, c, value)
        workbook.close()
        return buffer.getvalue()

    def _csv(self, rows, header=None, encoding='utf-8-sig', delimiter=';'):
        lines = [delimiter.join(header or self.HEADER)]
        for row in rows:
            lines.append(delimiter.join(
                    v.strftime('%d.%m.%Y') if isinstance(v, dt.date)
                    else str(v) for v in row))
        return '\n'.join(lines).encode(encoding)

    def _import_setup(self):
        college = create_college("Колледж А", "КА")
        create_group(college, "ИСП-11", 2024)
        return college

    def _import(self, data, filename='students.xlsx', kind='students'):
        from copp_contingent.importers import import_data
        return import_data(Pool(), data, filename, kind)

    def _counts(self):
        pool = Pool()
        return tuple(len(pool.get(m).search([])) for m in [
                'copp.student', 'copp.study.group', 'copp.contingent.movement',
                'party.party'])

    @with_transaction()
    def test_import_good_files(self):
        "A good xlsx (with a sheet of groups) and a good CSV in cp1251"
        pool = Pool()
        Student = pool.get('copp.student')
        Group = pool.get('copp.study.group')
        college = self._import_setup()
        groups = [["Группа", "Специальность", "Форма обучения", "База",
                "Год набора", "Курс"],
            ["Э-21", "38.02.01", "очная", "11", 2023, 2]]
        message = self._import(self._xlsx(self._rows(), groups=groups))
        self.assertIn("3", message)
        group, = Group.search([('name', '=', "Э-21")])
        self.assertEqual((group.course, group.basis), (2, '11'))
        students = {s.last_name: s for s in Student.search([])}
        self.assertEqual(set(students), {"Иванов", "Петрова", "Сидоров"})
        ivanov = students["Иванов"]
        self.assertEqual((ivanov.state, ivanov.group.name, ivanov.funding,
                ivanov.snils, str(ivanov.average_mark)),
            ('studying', "ИСП-11", 'budget', SNILS[0], '4.50'))
        self.assertEqual(ivanov.representatives[0].relation, 'mother')
        self.assertEqual(ivanov.enrolment_date, D(2024, 9, 1))
        self.assertEqual(ivanov.movements[0].document_number, "12-к")
        self.assertTrue(ivanov.record_book.startswith('24-'))
        self.assertEqual((students["Сидоров"].group, students[
                    "Сидоров"].funding, students["Сидоров"].course),
            (group, 'targeted', 2))
        self.assertEqual(len(contingent(D(2024, 10, 1))), 3)
        # CSV, Windows-1251, «,»; the college comes from the context
        rows = [["", "Кузнецова", "Ольга", "", "10.10.2009", "Ж", SNILS[3],
                "ИСП-11", "бюджет", "01.09.2024", "", "", "", ""]]
        with Transaction().set_context(company=college.id):
            self._import(self._csv(rows, encoding='cp1251', delimiter=','),
                'students.csv')
        self.assertTrue(Student.search([('last_name', '=', "Кузнецова")]))

    @with_transaction()
    def test_import_bad_rows(self):
        "Each kind of bad row: the error names row and column, nothing saved"
        self._import_setup()
        before = self._counts()
        cases = [
            (1, 6, "1122334459", "СНИЛС"),  # format
            (1, 6, "112-233-445 96", "СНИЛС"),  # checksum
            (2, 6, SNILS[0], "СНИЛС"),  # duplicate in the file
            (1, 4, "31.02.2009", "Дата рождения"),
            (1, 9, "2024-13-01", "Дата зачисления"),
            (1, 7, "ИСП-99", "Группа"),
            (1, 8, "кредит", "Финансирование"),
            (1, 5, "X", "Пол"),
            (1, 1, "", "Фамилия"),
            (1, 0, "Неизвестный колледж", "Колледж"),
            (1, 11, "6,5", "Средний балл аттестата"),
            ]
        for index, column, value, title in cases:
            rows = self._rows()[:2]
            rows[index - 1][column] = value
            with self.assertRaises(ImportFileError, msg=title) as cm:
                self._import(self._xlsx(rows))
            text = cm.exception.description
            self.assertIn(f'Row {index + 1}, column "{title}"', text,
                msg=title)
            self.assertEqual(self._counts(), before, msg=title)

    @with_transaction()
    def test_import_duplicate_in_database(self):
        self._import_setup()
        self._import(self._xlsx(self._rows()[:1]))
        before = self._counts()
        rows = self._rows()[:2]
        rows[1][6] = SNILS[0]
        rows[0][6] = SNILS[5]
        with self.assertRaises(ImportFileError) as cm:
            self._import(self._xlsx(rows[1:]))
        self.assertIn('Row 2, column "СНИЛС"', cm.exception.description)
        self.assertIn("already used by a student", cm.exception.description)
        self.assertEqual(self._counts(), before)

    @with_transaction()
    def test_import_bad_files(self):
        "Broken xlsx, empty file, wrong columns, unknown specialty"
        self._import_setup()
        before = self._counts()
        broken = self._xlsx(self._rows())[:500]
        for data, filename, expected in [
                (broken, 'broken.xlsx', "cannot be read"),
                (b'', 'empty.csv', "is empty"),
                (self._xlsx([]), 'header-only.xlsx', "is empty"),
                (self._csv(self._rows(), header=["ФИО", "Дата",
                            "Номер"]), 'wrong.csv',
                    'Column "Фамилия": the required column is missing'),
                (b'PK\x03\x04garbage', 'fake.xlsx', "cannot be read"),
                ]:
            with self.assertRaises(ImportFileError, msg=filename) as cm:
                self._import(data, filename)
            message = cm.exception.message + cm.exception.description
            self.assertIn(expected, message, msg=filename)
            self.assertEqual(self._counts(), before)
        groups = [["Группа", "Специальность", "Форма обучения", "База",
                "Год набора"], ["Х-11", "99.99.99", "очная", "9", 2024],
            ["ИСП-11", "09.02.07", "дневная", "9", 2024]]
        with self.assertRaises(ImportFileError) as cm:
            self._import(self._xlsx(self._rows()[:1], groups=groups))
        text = cm.exception.description
        self.assertIn('Row 2, column "Специальность"', text)
        self.assertIn('Row 3, column "Группа"', text)
        self.assertIn('Row 3, column "Форма обучения"', text)
        self.assertEqual(self._counts(), before)

    @with_transaction()
    def test_import_template_and_cli_importer(self):
        "The shipped template imports as is; the importer of the command"
        import tempfile
        from pathlib import Path
        from copp_contingent.importers import IMPORTERS
        from copp_contingent.template import TEMPLATE, template_bytes
        pool = Pool()
        Student = pool.get('copp.student')
        create_college("Рязанский колледж электроники", "РКЭ")
        self.assertTrue(TEMPLATE.is_file())
        self.assertEqual(set(IMPORTERS), {'students', 'groups'})
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / 'template.xlsx'
            path.write_bytes(template_bytes())
            message = IMPORTERS['students'](pool, path)
        self.assertIn("1", message)
        student, = Student.search([])
        self.assertEqual((student.last_name, student.group.name),
            ("Иванов", "ИСП-11"))

    @with_transaction()
    def test_import_wizard(self):
        pool = Pool()
        Import = pool.get('copp.contingent.import', type='wizard')
        college = self._import_setup()
        clerk = create_user('clerk', [college], ['group_registrar'])
        rows = self._rows()[:2]
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), check_access():
            session_id, _, _ = Import.create()
            result = Import.execute(session_id, {'start': {
                        'kind': 'students', 'file': self._xlsx(rows),
                        'filename': 'students.xlsx'}}, 'import_')
            self.assertIn("2", result['view']['defaults']['message'])
