"""The ФИС ФРДО file: read back with openpyxl — the sheet, the 46 headers
byte for byte, every rule of integrations.md §2 — and the pre-validation
naming the document and the column. Runs on SQLite and PostgreSQL."""
import datetime as dt
import io
import unittest

import openpyxl

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_graduation.exceptions import FrdoError
from copp_graduation.frdo import HEADERS, frdo_row, validate_row
from copp_graduation.frdo_export import prepare

from .tools import graduation_setup, receive_blanks

EXPECTED_HEADERS = (
    "Наименование документа|Вид документа|Статус документа|"
    "Подтверждение утраты|Подтверждение обмена|Подтверждение уничтожения|"
    "Уровень образования|Серия документа|Номер документа|Дата выдачи|"
    "Регистрационный номер|Код профессии, специальности|"
    "Наименование профессии, специальности|Наименование квалификации|"
    "Наименование образовательной программы|Год поступления|"
    "Год окончания|Срок обучения, лет|Фамилия получателя|Имя получателя|"
    "Отчество получателя|Дата рождения получателя|Пол получателя|СНИЛС|"
    "Гражданство получателя (код страны по ОКСМ)|Форма обучения|"
    "Форма получения образования на момент прекращения образовательных "
    "отношений|Источник финансирования обучения|"
    "Наличие договора о целевом обучении|"
    "Номер  договора о целевом обучении|"
    "Дата заключения договора о целевом обучении|"
    "Наименование организации с которой заключён договор о целевом "
    "обучении|ОГРН организации с которой заключён договор о целевом "
    "обучении|КПП организации с которой заключён договор о целевом "
    "обучении|Наименование организации работодателя|"
    "ОГРН организации работодателя|КПП организации работодателя|"
    "Субъект федерации в котором расположена организация работодатель|"
    "Наименование документа об образовании (оригинала)|"
    "Серия (оригинала)|Номер (оригинала)|Регистрационный N (оригинала)|"
    "Дата выдачи (оригинала)|Фамилия получателя (оригинала)|"
    "Имя получателя (оригинала)|Отчество получателя (оригинала)"
    ).split('|')


def run_wizard(company, **values):
    "Run the export wizard; returns (check values or None, result values)"
    Wizard = Pool().get('copp.graduation.frdo', type='wizard')
    session_id, _, _ = Wizard.create()
    wizard = Wizard(session_id)
    wizard.start.company = company
    wizard.start.date_from = values.get('date_from')
    wizard.start.date_to = values.get('date_to')
    wizard.start.only_new = values.get('only_new', True)
    wizard.start.mark_sent = values.get('mark_sent', True)
    state = wizard.transition_check_()
    check = None
    if state == 'check':
        check = wizard.default_check(None)
    wizard.transition_export()
    return check, wizard.default_result(None)


class FrdoTestCase(unittest.TestCase):
    "ФИС ФРДО export"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_graduation', lang='ru')

    def test_headers(self):
        "The 46 headers as in integrations.md §2 (two spaces in column 30)"
        self.assertEqual(HEADERS, EXPECTED_HEADERS)
        self.assertEqual(len(HEADERS), 46)
        self.assertIn("Номер  договора", HEADERS[29])

    def _documents(self, ns):
        """Five issued documents exercising the rules: a plain original,
        a targeted one, a duplicate, a справка without series issued in
        2020 without СНИЛС, and a bad one"""
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        receive_blanks(ns.college, 'diploma', '116224', '0000001', '0000010')
        receive_blanks(ns.college, 'certificate', None, '001', '005')
        s1, s2, s3, s4 = ns.students
        base = Document.values_from_student
        docs = []
        for student, extra in [
                (s1, {}),
                (s2, {'targeted': True, 'targeted_number': 'ЦО-12',
                        'targeted_date': dt.date(2022, 8, 20),
                        'targeted_org': "АО «Завод»",
                        'targeted_ogrn': '1026200000000',
                        'targeted_kpp': '623401001',
                        'employer_name': "АО «Завод»",
                        'employer_ogrn': '1026200000000',
                        'employer_kpp': '623401001',
                        'employer_region': "Рязанская область"}),
                (s3, {'kind': 'certificate', 'snils': None,
                        'issue_date': dt.date(2020, 6, 30)}),
                (s4, {'first_name': "Maria", 'snils': '123-456-789 00'}),
                ]:
            values = base(student, ns.group)
            values.update({'company': ns.college.id, 'student': student.id,
                    'issue_date': dt.date(2026, 6, 30),
                    'graduation_year': 2026})
            values.update(extra)
            docs.extend(Document.create([values]))
        Document.issue(docs)
        original = docs[0]
        duplicate, = Document.draft_duplicates([original])
        duplicate.issue_date = dt.date(2026, 9, 1)
        duplicate.last_name = "Иванов-Петров"
        duplicate.save()
        Document.issue([duplicate])
        return docs + [Document(duplicate.id)]

    @with_transaction()
    def test_export_file(self):
        "The file read back: sheet, headers, every rule, the pre-validation"
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        ns = graduation_setup()
        with Transaction().set_context(company=ns.college.id):
            d1, d2, d3, d4, dup = self._documents(ns)
            check, result = run_wizard(ns.college)

        # The pre-validation names the bad document and its columns
        self.assertEqual(check['valid'], 4, check)
        self.assertEqual(check['rejected'], 1)
        report = check['report'].splitlines()
        self.assertTrue(all(d4.number in l and "Кузнецова" in l
                for l in report), report)
        self.assertTrue(any("столбец 20 «Имя получателя»" in l
                and "«Maria»" in l for l in report), report)
        self.assertTrue(any("столбец 24 «СНИЛС»" in l
                and "контрольная сумма" in l for l in report), report)
        self.assertEqual(len(report), 2)

        self.assertEqual(result['count'], 4)
        book = openpyxl.load_workbook(io.BytesIO(result['file']))
        self.assertEqual(book.sheetnames, ["Шаблон"])
        sheet = book["Шаблон"]
        self.assertEqual(sheet.sheet_state, 'visible')
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(rows[0]), EXPECTED_HEADERS)
        self.assertEqual(len(rows), 5)
        by_name = {r[18]: r for r in rows[1:] if r[2] == "Оригинал"}
        plain, targeted = by_name["Иванов"], by_name["Петрова"]
        certificate = by_name["Сидоров"]
        duplicate, = [r for r in rows[1:] if r[2] == "Дубликат"]

        for row in rows[1:]:
            for column in list(range(1, 8)) + list(range(10, 24)) + [29]:
                self.assertNotIn(row[column - 1], (None, ''),
                    f"column {column} of {row[18]}")
        self.assertEqual(plain[0],
            "Диплом о среднем профессиональном образовании")
        self.assertEqual(plain[6], "Среднее профессиональное образование")
        self.assertEqual(plain[7], "116224")
        self.assertEqual(plain[8], d1.number)
        self.assertEqual(plain[9], "30.06.2026")
        self.assertEqual(plain[10], d1.registration_number)
        self.assertEqual(plain[10], "2026-0001")
        self.assertEqual(plain[11], "09.02.07")
        self.assertEqual(plain[21], "01.01.2006")
        self.assertEqual(plain[22], "Муж")
        self.assertEqual(plain[23], "945-807-302 33")
        self.assertEqual(plain[24], "643")
        self.assertEqual(plain[25], "Очная")
        # 27: the registry's list — education in the organization
        self.assertEqual({r[26] for r in rows[1:]},
            {"в образовательной организации"})
        self.assertEqual([plain[3], plain[4], plain[5]], ["Нет"] * 3)
        # no targeted contract: 30–38 empty; original: 39–46 empty
        self.assertEqual(plain[28], "Нет")
        self.assertTrue(all(v is None for v in plain[29:46]))
        # targeted: 30–38 filled
        self.assertEqual(targeted[28], "Да")
        self.assertTrue(all(targeted[c] for c in range(29, 38)))
        self.assertEqual(targeted[30], "20.08.2022")
        self.assertTrue(all(v is None for v in targeted[38:46]))
        # no series: «Нет»; issued in 2020: СНИЛС not required
        self.assertEqual(certificate[1], "Справка об обучении")
        self.assertEqual(certificate[7], "Нет")
        self.assertIsNone(certificate[23])
        self.assertEqual(certificate[9], "30.06.2020")
        # the duplicate carries the original in 39–46
        self.assertEqual(duplicate[18], "Иванов-Петров")
        self.assertEqual(duplicate[3], "Да")
        self.assertEqual(list(duplicate[38:46]), [
                "Диплом о среднем профессиональном образовании",
                "116224", d1.number, d1.registration_number, "30.06.2026",
                "Иванов", "Иван", "Иванович"])
        self.assertEqual(duplicate[9], "01.09.2026")
        # exported documents are marked; the rejected one is not
        self.assertEqual(Document(d1.id).frdo_date,
            Pool().get('ir.date').today())
        self.assertIsNone(Document(d4.id).frdo_date)

        # Only the not yet sent ones the second time: the rejected one,
        # so no file at all, a clear word instead.
        with Transaction().set_context(company=ns.college.id):
            with self.assertRaises(FrdoError) as cm:
                run_wizard(ns.college)
        self.assertIn("не прошёл предварительную проверку",
            cm.exception.message)
        self.assertIn("файл не сформирован", cm.exception.message)
        # Nothing issued in the period: no file.
        with Transaction().set_context(company=ns.college.id):
            with self.assertRaises(FrdoError) as cm:
                run_wizard(ns.college, date_from=dt.date(2027, 1, 1),
                    date_to=dt.date(2027, 12, 31))
        self.assertIn("Выгружать в ФИС ФРДО нечего", cm.exception.message)
        self.assertIn("с 01.01.2027 по 31.12.2027", cm.exception.message)
        self.assertIn(ns.college.rec_name, cm.exception.message)

    def test_rules(self):
        "validate_row: each rule on a row that breaks only it"
        good = {
            'kind': 'diploma', 'status': 'original', 'honours': False,
            'series': None, 'number': '0000001',
            'issue_date': dt.date(2023, 6, 30),
            'registration_number': '2023-0001', 'specialty_code': '09.02.07',
            'specialty_name': "Информационные системы",
            'qualification': "Программист", 'admission_year': 2019,
            'program_name': "09.02.07 Информационные системы",
            'graduation_year': 2023, 'duration_years': 3.83,
            'last_name': "Иванов", 'first_name': "Иван",
            'patronymic': "Иванович", 'birth_date': dt.date(2003, 1, 1),
            'gender': 'male', 'snils': '945-807-302 33',
            'citizenship': '643', 'study_form': 'full_time',
            'funding': 'budget', 'targeted': False,
            }
        self.assertEqual(validate_row(frdo_row(good)), [])
        self.assertEqual(frdo_row(good)[7], "Нет")

        def errors(**changes):
            return [c for c, _ in validate_row(frdo_row(
                        dict(good, **changes)))]
        self.assertEqual(errors(snils=None), [24])
        self.assertEqual(errors(snils=None,
                issue_date=dt.date(2020, 6, 30)), [])
        self.assertEqual(errors(citizenship=None, funding=None),
            [25, 28])
        self.assertEqual(errors(snils='94580730233'), [])
        self.assertEqual(errors(snils='945-807-302 34'), [24])
        self.assertEqual(errors(targeted=True, targeted_number='1',
                targeted_date=dt.date(2020, 1, 1), targeted_org="А",
                targeted_ogrn='1', targeted_kpp='1', employer_name="Б",
                employer_ogrn='2', employer_kpp='2'), [38])
        self.assertEqual(errors(patronymic="Ivanovich"), [21])
        self.assertEqual(errors(last_name="О'Нил-Д (Ёж)."), [])
        self.assertEqual(errors(status='duplicate'),
            list(range(39, 47)))
        self.assertEqual(errors(birth_date=None, gender=None), [22, 23])
        # 27 from the registry's list: a form of study is not one
        self.assertEqual(frdo_row(dict(good, study_form='extramural'))[26],
            "в образовательной организации")
        self.assertEqual(frdo_row(dict(good,
                    form_at_end='self_education'))[26],
            "вне образовательной организации")
        row = frdo_row(good)
        row[26] = "Очная"
        self.assertEqual([c for c, _ in validate_row(row)], [27])
        # «Нет» in 29 with data in 30–38; data in 39–46 of an original
        row = frdo_row(good)
        row[31] = "АО «Завод»"
        row[40] = "123"
        self.assertEqual([c for c, _ in validate_row(row)], [32, 41])


if __name__ == '__main__':
    unittest.main()
