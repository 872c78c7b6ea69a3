"""Formula injection through the journal's xlsx reports (issue 15 #7):
students imported with names that start with «=», a teacher's topic and
homework, a group named like a formula: every report keeps them as text."""
import datetime as dt
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from copp.tests.xlsx_tools import HOSTILE, check_text_cells

from .tools import OCT, journal_setup, october_marks


class JournalXlsxInjectionTestCase(unittest.TestCase):
    "Hostile names in the journal's reports"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('copp_journal', lang='ru')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The next test classes start from their own database.
        drop_db()

    @with_transaction(context={'language': 'ru'})
    def test_reports_keep_text(self):
        "The month's journal, the sheets, missed hours and rates"
        pool = Pool()
        Party = pool.get('party.party')
        Lesson = pool.get('copp.journal.lesson')
        Sheet = pool.get('copp.journal.sheet')
        from copp_journal.report_missed import missed_hours_xlsx
        from copp_journal.report_rates import rates_xlsx
        from copp_journal.report_sheet import sheet_xlsx
        from copp_journal.reports import journal_month_xlsx
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup(with_users=False)
        october_marks(ns)
        s1, s2, s3, s4 = ns.students
        # What an import of a hostile file leaves in the names.
        Party.write([s1.party], {'last_name': HOSTILE[0]})
        Party.write([s2.party], {'first_name': HOSTILE[1]})
        Party.write([s3.party], {'last_name': HOSTILE[4]})
        Lesson.write([ns.lessons_graphics[0]], {
                'topic': HOSTILE[2], 'homework': HOSTILE[3]})
        names = [HOSTILE[0], HOSTILE[1], HOSTILE[4]]

        month = journal_month_xlsx([ns.workload_graphics],
            dt.date(2025, 10, 1))
        check_text_cells(self, month, names + [HOSTILE[2], HOSTILE[3]])

        graphics, sport = create_sheets(
            [ns.workload_graphics, ns.workload_sport], dt.date(2025, 12, 20))
        for line, grade in zip(graphics.lines, ['5', '4', 'absent', '2']):
            line.grade = grade
            line.save()
        Sheet.close([graphics])
        check_text_cells(self, sheet_xlsx([graphics]), names)

        check_text_cells(self, missed_hours_xlsx(ns.college, *OCT), [
                n for n in names if n != HOSTILE[0]])
        # A group named like a formula (sheet names cannot hold «/»: the
        # group is renamed after the reports whose sheets it names).
        Group = pool.get('copp.study.group')
        Group.write([ns.group], {'name': '=SUM(1+1)'})
        check_text_cells(self, rates_xlsx('group', *OCT, 'current'),
            ['=SUM(1+1)'])
