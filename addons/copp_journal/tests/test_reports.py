"""The xlsx reports of the journal in Russian: their titles, column heads,
labels and sheet names come from the module's messages (message.xml,
locale/ru.po) and must read as the printed forms always did. Runs on SQLite
and PostgreSQL, in a database with Russian loaded."""
import datetime as dt
import io
import re
import unittest
from pathlib import Path

import polib
from lxml import etree

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

from .tools import OCT, journal_setup, october_marks

MODULE = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r'%\(\w+\)s')


def load(data):
    import openpyxl
    return openpyxl.load_workbook(io.BytesIO(data))


def texts(sheet):
    "{coordinate: value} of the cells with a value"
    return {c.coordinate: c.value for row in sheet.iter_rows()
        for c in row if c.value is not None}


def report_messages():
    "{id: English text} of the reports' messages in message.xml"
    tree = etree.parse(str(MODULE / 'message.xml'))
    return {r.get('id'): r.find('field').text
        for r in tree.iter('record')
        if r.get('id').startswith('msg_report_')}


class ReportMessagesTestCase(unittest.TestCase):
    "The reports' messages and their Russian translations"

    def test_translated(self):
        "ru.po translates every msg_report_ message, placeholders kept"
        messages = report_messages()
        self.assertGreater(len(messages), 50)
        po = {e.msgctxt: e for e in polib.pofile(
                str(MODULE / 'locale' / 'ru.po')) if not e.obsolete}
        for id_, text in messages.items():
            with self.subTest(id=id_):
                entry = po.get(f'model:ir.message,text:{id_}')
                self.assertIsNotNone(entry)
                self.assertEqual(entry.msgid, text)
                self.assertFalse(entry.fuzzy)
                self.assertTrue(entry.msgstr.strip())
                self.assertNotEqual(entry.msgstr, text)
                self.assertEqual(sorted(PLACEHOLDER.findall(entry.msgstr)),
                    sorted(PLACEHOLDER.findall(text)))


class ReportsRussianTestCase(unittest.TestCase):
    "The four xlsx reports in a Russian database"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('copp_journal', lang='ru')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The other test cases of the module expect the English database.
        drop_db()

    @with_transaction(context={'language': 'ru'})
    def test_messages_in_effect(self):
        "The database gives the Russian text of every report message"
        english = []
        for id_, text in report_messages().items():
            if gettext(f'copp_journal.{id_}') == text:
                english.append(id_)
        self.assertEqual(english, [])
        self.assertEqual(gettext('copp_journal.msg_report_journal_title',
                group="ИСП-21"), "Журнал учебных занятий — ИСП-21")

    @with_transaction(context={'language': 'ru'})
    def test_journal_month(self):
        "The group's journal for a month: the grid and the topics"
        from copp_journal.reports import journal_month_xlsx
        Workload = Pool().get('copp.journal.workload')
        ns = journal_setup(with_users=False)
        october_marks(ns)
        s1, s2, s3, s4 = ns.students
        with Transaction().set_context(company=ns.college.id):
            sub, = Workload.create([{
                        'company': ns.college.id, 'term': ns.term1.id,
                        'group': ns.group.id, 'line': ns.line_graphics.id,
                        'subgroup': 1, 'students': [('add', [s1.id, s2.id])],
                        'teacher': ns.teacher.id}])
        book = load(journal_month_xlsx([ns.workload_graphics, sub],
                dt.date(2025, 10, 1)))
        self.assertEqual(book.sheetnames, ["ИСП-21 ОП.01",
                "ИСП-21 ОП.01 темы", "ИСП-21 ОП.01 п1",
                "ИСП-21 ОП.01 темы п1"])
        cells = texts(book.worksheets[0])
        self.assertEqual(cells['A1'], "Журнал учебных занятий — ИСП-21")
        self.assertEqual(cells['A2'], "ОП.01 Инженерная графика")
        self.assertEqual(cells['A3'], "Преподаватель: Учитель Один. "
            "Октябрь 2025 г., 1 семестр 2025/2026.")
        self.assertEqual([cells[c] for c in ['A5', 'B5', 'C5', 'F5', 'G5',
                        'H5']],
            ["№", "Обучающийся", "06.10", "Средний балл", "Пропущено, ч",
                "в т.ч. по уваж."])
        self.assertTrue(cells['A13'].startswith(
                "Обозначения: 5 — отлично; 4 — хорошо;"), cells['A13'])
        self.assertIn("б — отсутствие по болезни (справка)", cells['A13'])
        topics = texts(book.worksheets[1])
        self.assertEqual(topics['A1'],
            "Содержание занятий — ИСП-21, ОП.01 Инженерная графика")
        self.assertEqual([topics[c] for c in ['A3', 'B3', 'C3', 'D3', 'E3']],
            ["Дата", "Пара", "Часы", "Тема занятия", "Домашнее задание"])
        self.assertEqual(texts(book.worksheets[2])['A2'],
            "ОП.01 Инженерная графика, подгруппа 1")

        # A student who left the group keeps their row, marked.
        from copp_contingent.student import APPLY_CONTEXT
        Group = Pool().get('copp.study.group')
        with Transaction().set_context(company=ns.college.id):
            other, = Group.create([{'name': 'ИСП-22',
                        'company': ns.college.id,
                        'specialty': ns.group.specialty.id,
                        'study_form': 'full_time', 'basis': '9',
                        'admission_year': 2024, 'course': 2}])
        with Transaction().set_context(**{APPLY_CONTEXT: True}):
            Pool().get('copp.student').write([s4], {'group': other.id})
        book = load(journal_month_xlsx([ns.workload_graphics],
                dt.date(2025, 10, 1)))
        self.assertIn("Кузнецов Олег (выбыл)",
            texts(book.worksheets[0]).values())

    @with_transaction(context={'language': 'ru'})
    def test_grade_sheets(self):
        "The examination and credit sheets, the retake and the commission"
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        Debt = pool.get('copp.journal.debt')
        from copp_journal.debt import issue_retakes
        from copp_journal.report_sheet import SheetReport, sheet_xlsx
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup(with_users=False)
        october_marks(ns)
        graphics, sport = create_sheets(
            [ns.workload_graphics, ns.workload_sport], dt.date(2025, 12, 20))
        for line, grade in zip(graphics.lines, ['5', '4', 'absent', '2']):
            line.grade = grade
            line.save()
        for line, grade in zip(sport.lines, ['pass', 'fail', 'absent',
                    'pass']):
            line.grade = grade
            line.save()
        Sheet.close([graphics, sport])
        with Transaction().set_user(0):
            oext, content, _, _ = SheetReport.execute(
                [graphics.id, sport.id], {})
        self.assertEqual(oext, 'xlsx')
        book = load(content)
        self.assertEqual(book.sheetnames, [f"Ведомость {graphics.number}",
                f"Ведомость {sport.number}"])
        exam, credit = (texts(ws) for ws in book.worksheets)
        self.assertEqual(exam['A3'],
            f"ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ № {graphics.number}")
        self.assertEqual(credit['A3'],
            f"ЗАЧЁТНАЯ ВЕДОМОСТЬ № {sport.number}")
        self.assertEqual([exam[f'A{r}'] for r in range(5, 11)],
            ["Группа", "Дисциплина (МДК, практика)", "Семестр",
                "Форма аттестации", "Преподаватель (экзаменатор)", "Дата"])
        self.assertEqual((exam['B8'], credit['B8']), ("экзамен", "зачёт"))
        self.assertEqual([exam[f'{c}12'] for c in 'ABCDE'],
            ["№", "Фамилия, имя, отчество", "№ зачётной книжки", "Оценка",
                "Подпись экзаменатора"])
        self.assertEqual([exam[f'D{r}'] for r in range(13, 17)],
            ["5 (отлично)", "2 (неудовлетворительно)", "4 (хорошо)",
                "неявка"])
        self.assertEqual([exam[f'B{r}'] for r in range(18, 26)],
            ["«5»", "«4»", "«3»", "«2»", "Неявка", "Успеваемость, %",
                "Качество, %", "Средний балл"])
        self.assertEqual(exam['B27'],
            "Экзаменатор ____________ / Учитель Один /")
        self.assertEqual(exam['B29'], "Заведующий отделением ____________")
        self.assertTrue(exam['A31'].startswith(
                "Ведомость закрыта и подписана: "), exam['A31'])
        self.assertIn(". Контрольная сумма SHA-256: "
            + graphics.signature, exam['A31'])
        self.assertEqual([credit[f'D{r}'] for r in range(13, 17)],
            ["зачтено", "зачтено", "не зачтено", "неявка"])
        self.assertEqual([credit[f'B{r}'] for r in range(18, 23)],
            ["Зачтено", "Не зачтено", "Неявка", "Успеваемость, %",
                "Качество, %"])

        # Every form of assessment in words.
        for assessment, words in [('diff_credit', "дифференцированный зачёт"),
                ('course_work', "курсовая работа"),
                ('course_project', "курсовой проект"),
                ('qualification_exam', "экзамен квалификационный"),
                ('other', "другая форма контроля")]:
            graphics.assessment = assessment
            self.assertEqual(texts(load(sheet_xlsx([graphics])).worksheets[
                        0])['B8'], words)
        self.assertEqual(texts(load(sheet_xlsx([graphics])).worksheets[0])[
                'A3'], f"ЗАЧЁТНАЯ ВЕДОМОСТЬ № {graphics.number}")

        Transaction().cache.clear()
        debt = [d for d in Debt.search([])
            if d.sheet.id == graphics.id][0]
        retake, = issue_retakes([debt], dt.date(2026, 1, 21))
        commission, = issue_retakes([debt], dt.date(2026, 1, 28),
            kind='commission')
        book = load(sheet_xlsx([retake, commission]))
        retake_cells, commission_cells = (texts(ws) for ws in book.worksheets)
        self.assertEqual(retake_cells['A3'],
            f"НАПРАВЛЕНИЕ НА ПЕРЕСДАЧУ № {retake.number}")
        self.assertEqual(commission_cells['A3'],
            f"ВЕДОМОСТЬ КОМИССИОННОЙ ПЕРЕСДАЧИ № {commission.number}")
        self.assertEqual((retake_cells['A11'], retake_cells['B11']),
            ("Основная ведомость", graphics.number))

    @with_transaction(context={'language': 'ru'})
    def test_missed_hours(self):
        "The statement of missed hours, and the one of a period without"
        from copp_journal.report_missed import missed_hours_xlsx
        ns = journal_setup(with_users=False)
        october_marks(ns)
        book = load(missed_hours_xlsx(ns.college, *OCT))
        self.assertEqual(book.sheetnames, ["ИСП-21"])
        cells = texts(book.worksheets[0])
        self.assertEqual(cells['A1'],
            "Ведомость учёта пропусков занятий — группа ИСП-21")
        self.assertEqual(cells['A2'], "КА, период: 01.10.2025 — 31.10.2025")
        self.assertEqual([cells[f'{c}4'] for c in 'ABCDEFGHIJ'],
            ["№", "Обучающийся", "ОП.01", "СГ.04", "Всего, ч", "Болезнь",
                "Заявление", "Приказ", "Без уваж. причины", "Опоздания"])
        self.assertEqual(cells['B9'], "Итого")

        book = load(missed_hours_xlsx(ns.college, dt.date(2025, 9, 1),
                dt.date(2025, 9, 30)))
        self.assertEqual(book.sheetnames, ["Пропуски"])
        self.assertEqual(texts(book.worksheets[0]),
            {'A1': "Пропусков за период нет."})

    @with_transaction(context={'language': 'ru'})
    def test_rates(self):
        "Success and quality by group and by college"
        from copp_journal.report_rates import rates_xlsx
        ns = journal_setup(with_users=False)
        october_marks(ns)
        book = load(rates_xlsx('group', *OCT, 'current'))
        self.assertEqual(book.sheetnames, ["Успеваемость"])
        cells = texts(book.worksheets[0])
        self.assertEqual(cells['A1'], "Успеваемость и качество по группам")
        self.assertEqual(cells['A2'], "Период: 01.10.2025 — 31.10.2025; "
            "источник: текущие оценки.")
        self.assertEqual([cells[f'{c}4'] for c in 'ABCDEFGHIJKLMN'],
            ["Колледж", "Группа", "Обучающихся", "Аттестовано",
                "Успевающих", "На «4» и «5»", "Успеваемость, %",
                "Качество, %", "Средний балл", "Часов по плану",
                "Пропущено, ч", "по уваж. причине", "без уваж. причины",
                "Посещаемость, %"])
        self.assertEqual((cells['A5'], cells['B5'], cells['A6']),
            ("КА", "ИСП-21", "Итого"))

        book = load(rates_xlsx('college', *OCT, 'final'))
        cells = texts(book.worksheets[0])
        self.assertEqual(cells['A1'], "Успеваемость и качество по колледжам")
        self.assertEqual(cells['A2'], "Период: 01.10.2025 — 31.10.2025; "
            "источник: итоговые оценки (ведомости).")
        self.assertEqual((cells['A4'], cells['B4'], cells['M4']),
            ("Колледж", "Обучающихся", "Посещаемость, %"))
