"""Imports through JSON-RPC, as sao sends them (issue 15 #6 and #16): a zip
bomb and far column references uploaded to the students' and the
curriculum's import wizards are refused with a Russian message that names
the file and the limit; a file whose only row is a student of another
college is refused naming the row and the column (it failed with an
AssertionError shown as «0:»). Nothing is imported."""
import base64
import json

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp.tests import hostile_xlsx
from copp.tests.tools import create_college, create_user

from .tools import create_students, specialty

PASSWORD = 'Hostile-Import-2026-q9Z'
HEADER = ["Колледж", "Фамилия*", "Имя*", "Отчество", "Дата рождения*",
    "Пол*", "СНИЛС*", "Группа", "Финансирование*", "Дата зачисления"]
SNILS = '945-807-302 33'


def students_xlsx(rows):
    import io

    import xlsxwriter
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {'in_memory': True})
    sheet = book.add_worksheet("Студенты")
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(rows, 1):
        sheet.write_row(number, 0, row)
    book.close()
    return output.getvalue()


class ImportLimitsTestCase(RouteTestCase):
    "Hostile files sent to the import wizards over JSON-RPC"
    module = 'copp_journal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Group = pool.get('copp.study.group')
        Identifier = pool.get('party.identifier')
        Curriculum = pool.get('copp.journal.curriculum')
        college = create_college("Колледж А", "КА")
        other = create_college("Колледж Б", "КБ")
        spec = specialty()
        groups = Group.create([{
                    'name': name, 'company': c.id, 'specialty': spec.id,
                    'study_form': 'full_time', 'basis': '9',
                    'admission_year': 2024, 'course': 1,
                    } for name, c in [("ИСП-11", college), ("ТМ-11", other)]])
        student, = create_students(other, groups[1], [("Борисов", "Борис")])
        Identifier.create([{'party': student.party.id, 'type': 'ru_snils',
                    'code': SNILS}])
        curriculum, = Curriculum.create([{
                    'name': '09.02.07 2024', 'company': college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2024}])
        cls.curriculum_id = curriculum.id
        user = create_user('registrar_a', [college],
            ['group_registrar', 'group_college_admin'])
        user.password = PASSWORD
        # The answers of JSON-RPC are in the user's language.
        user.language = pool.get('ir.lang').get('ru')
        user.save()

    def rpc(self, method, *params):
        response = self.client().post(f'/{DB_NAME}/rpc/',
            data=json.dumps({'id': 1, 'method': method,
                    'params': list(params) + [{'language': 'ru'}]}),
            content_type='application/json',
            headers={'Authorization': 'Basic ' + base64.b64encode(
                    f'registrar_a:{PASSWORD}'.encode()).decode()})
        self.assertEqual(response.status_code, 200,
            response.get_data(as_text=True)[:500])
        return json.loads(response.get_data(as_text=True))

    def run_wizard(self, name, start, action=None):
        session, = self.rpc(f'wizard.{name}.create')['result'][:1]
        data = {'start': start}
        context = {'language': 'ru'}
        if action:
            context.update(action)
        response = self.client().post(f'/{DB_NAME}/rpc/',
            data=json.dumps({'id': 2, 'method': f'wizard.{name}.execute',
                    'params': [session, data, 'import_', context]}),
            content_type='application/json',
            headers={'Authorization': 'Basic ' + base64.b64encode(
                    f'registrar_a:{PASSWORD}'.encode()).decode()})
        self.assertEqual(response.status_code, 200)
        return json.loads(response.get_data(as_text=True))

    def import_students(self, data, filename='students.xlsx'):
        return self.run_wizard('copp.contingent.import', {
                'kind': 'students', 'filename': filename,
                'file': {'__class__': 'bytes',
                    'base64': base64.b64encode(data).decode()}})

    def error(self, result):
        self.assertIn('error', result, result)
        kind, (message, description, *_) = result['error']
        self.assertEqual(kind, 'UserError')
        return '\n'.join(filter(None, [message, description]))

    def counts(self):
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            return (pool.get('copp.student').search_count([]),
                pool.get('copp.journal.curriculum.line').search_count([]))

    def test_hostile_students_files(self):
        "A zip bomb and far references: the file and the limit named"
        before = self.counts()
        message = self.error(self.import_students(hostile_xlsx.zip_bomb(),
                'бомба.xlsx'))
        self.assertIn("Файл «бомба.xlsx» распаковывается больше чем в "
            "100 МБ", message)
        message = self.error(self.import_students(
                hostile_xlsx.far_columns(), 'далеко.xlsx'))
        self.assertIn("Ячейка ZZZZ2 листа «Students» файла «далеко.xlsx» "
            "находится правее столбца GR: читается не больше 200 столбцов",
            message)
        self.assertEqual(self.counts(), before)

    def test_hostile_curriculum_file(self):
        "The curriculum's wizard reads through the same limits"
        before = self.counts()
        result = self.run_wizard('copp.journal.curriculum.import', {
                'filename': 'план.xlsx', 'replace': True,
                'file': {'__class__': 'bytes', 'base64': base64.b64encode(
                        hostile_xlsx.zip_bomb()).decode()}},
            {'active_model': 'copp.journal.curriculum',
                'active_id': self.curriculum_id,
                'active_ids': [self.curriculum_id]})
        self.assertIn("Файл «план.xlsx» распаковывается больше чем в 100 МБ",
            self.error(result))
        self.assertEqual(self.counts(), before)

    def test_student_of_another_college(self):
        "The only row is a student of another college: row and column named"
        before = self.counts()
        message = self.error(self.import_students(students_xlsx([
                        ["КА", "Борисов", "Борис", "", "01.02.2008", "М",
                            SNILS, "ИСП-11", "бюджет", "01.09.2024"]])))
        self.assertIn("Строка 2, столбец «СНИЛС»: человек со СНИЛС "
            f"«{SNILS}» обучается в другом колледже", message)
        self.assertNotIn("0:", message.split('\n')[0])
        self.assertEqual(self.counts(), before)


del RouteTestCase
