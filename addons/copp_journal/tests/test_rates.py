"""Success, quality, average and attendance against hand-computed numbers
(current marks and grade sheets, неявка, зачёт / незачёт, excused and
unexcused hours), debts and retakes, the rate views and the xlsx reports.
Runs on SQLite and PostgreSQL."""
import datetime as dt
import io
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_journal.rates import compute_rates

from .tools import OCT, TERM1, as_user, journal_setup, october_marks


class RatesTestCase(unittest.TestCase):
    "Rates, debts and reports on the fixed data set"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_journal', lang='ru')

    @with_transaction()
    def test_rates_current(self):
        """Success, quality, average and attendance from current marks,
        against numbers computed by hand:

        S1 ОП.01 5 5 4 (→5), СГ.04 з з           successful, quality
        S2 ОП.01 3 4 (→3.5 → 4), з нз (tie: pass) successful, quality
           absent 20.10 illness (2 h excused)
        S3 ОП.01 2 3 (2.5 → 3), нз нз (failed)   not successful
           absent 20.10 unexcused (2 h), late 14.10 (0 h)
        S4 ОП.01 3 3 4 (3.33 → 3)                 successful, not quality
           absent 14.10 application (2 h excused), 7.10 unexcused (2 h)
        → 4 assessed, 3 successful (75 %), 2 quality (50 %);
          average = (14 + 7 + 5 + 10) / 10 marks = 3.6;
          planned = 5 lessons × 2 h × 4 students = 40 h, missed 8 h
          (4 excused, 4 unexcused) → attendance 80 %."""
        ns = journal_setup(with_users=False)
        october_marks(ns)
        row, = compute_rates('group', *OCT)
        self.assertEqual(row['group'], ns.group.id)
        self.assertEqual(row['company'], ns.college.id)
        self.assertEqual((row['students'], row['assessed'],
                row['successful'], row['quality']), (4, 4, 3, 2))
        self.assertEqual(row['success_rate'], 75.0)
        self.assertEqual(row['quality_rate'], 50.0)
        self.assertEqual(row['marks'], 10)
        self.assertEqual(row['average'], 3.6)
        self.assertEqual(row['planned_hours'], 40)
        self.assertEqual((row['missed_hours'], row['excused_hours'],
                row['unexcused_hours']), (8, 4, 4))
        self.assertEqual(row['attendance_rate'], 80.0)

        college, = compute_rates('college', *OCT)
        self.assertEqual(college['company'], ns.college.id)
        self.assertEqual((college['success_rate'], college['quality_rate'],
                college['attendance_rate']), (75.0, 50.0, 80.0))
        region, = compute_rates('region', *OCT)
        self.assertEqual((region['assessed'], region['average'],
                region['missed_hours']), (4, 3.6, 8))

        students = {r['student']: r for r in compute_rates('student', *OCT)}
        s1, s2, s3, s4 = ns.students
        self.assertEqual((students[s1.id]['successful'],
                students[s1.id]['quality']), (1, 1))
        self.assertEqual((students[s3.id]['successful'],
                students[s3.id]['average'], students[s3.id]['missed_hours'],
                students[s3.id]['unexcused_hours'],
                students[s3.id]['attendance_rate']), (0, 2.5, 2, 2, 80.0))
        self.assertEqual((students[s4.id]['quality'],
                students[s4.id]['average'], students[s4.id]['excused_hours'],
                students[s4.id]['planned_hours'],
                students[s4.id]['attendance_rate']), (0, 3.33, 2, 10, 60.0))
        self.assertEqual(students[s1.id]['attendance_rate'], 100.0)

        # The whole term reads the running totals: the same numbers.
        term_row, = compute_rates('group', *TERM1)
        for name in ['assessed', 'successful', 'quality', 'success_rate',
                'quality_rate', 'average', 'missed_hours', 'excused_hours',
                'planned_hours', 'attendance_rate']:
            self.assertEqual(term_row[name], row[name], name)

        # A whole month reads the monthly totals, dates that cut a month
        # read the marks themselves (September has none): the same numbers.
        from copp_journal.rates import Filters, rates_query
        month_filters = Filters(*OCT)
        rates_query('group', month_filters)
        self.assertTrue(month_filters.month_totals)
        dates_filters = Filters(dt.date(2025, 9, 15), OCT[1])
        rates_query('group', dates_filters)
        self.assertFalse(dates_filters.month_totals or dates_filters.totals)
        dates_row, = compute_rates('group', dt.date(2025, 9, 15), OCT[1])
        for name in ['assessed', 'successful', 'quality', 'success_rate',
                'quality_rate', 'average', 'missed_hours', 'excused_hours',
                'planned_hours', 'attendance_rate']:
            self.assertEqual(dates_row[name], row[name], name)

        # September: no lessons, no marks.
        september, = compute_rates('group', dt.date(2025, 9, 1),
            dt.date(2025, 9, 30))
        self.assertEqual((september['students'], september['assessed'],
                september['success_rate'], september['planned_hours'],
                september['attendance_rate']), (4, 0, None, 0, None))
        # Another college sees nothing of it.
        self.assertEqual(compute_rates('group', *OCT,
                companies=[ns.other_college.id]), [])

    @with_transaction()
    def test_rates_subgroup_planned_hours(self):
        "Lessons of a subgroup count only for its students"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Lesson = pool.get('copp.journal.lesson')
        ns = journal_setup(with_users=False)
        s1, s2, s3, s4 = ns.students
        sub, = Workload.create([{
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line_graphics.id,
                    'subgroup': 1, 'students': [('add', [s1.id, s2.id])],
                    'teacher': ns.teacher.id}])
        Lesson.create([{'workload': sub.id, 'date': dt.date(2025, 10, 8),
                    'pair': 2, 'hours': 2}])
        row, = compute_rates('group', *OCT)
        # 5 lessons × 2 h × 4 students + 2 h × 2 students
        self.assertEqual(row['planned_hours'], 44)
        students = {r['student']: r for r in compute_rates('student', *OCT)}
        self.assertEqual(students[s1.id]['planned_hours'], 12)
        self.assertEqual(students[s4.id]['planned_hours'], 10)

    @with_transaction()
    def test_rates_final_retake_and_debts(self):
        """Final results of the term from closed sheets: неявка and незачёт
        are debts; a retake closed with a positive grade clears the debt
        and the rates follow the latest result.

        ОП.01 exam: S1 5, S2 4, S3 неявка, S4 3
        СГ.04 credit: S1 зачт., S2 зачт., S3 зачт., S4 не зачт.
        → 2 of 4 successful and of quality (50 %), average (5+4+3)/3 = 4.0
        after S3's retake with 4: 3 of 4 (75 %), average 16/4 = 4.0"""
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        Debt = pool.get('copp.journal.debt')
        from copp_journal.debt import issue_retakes
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup(with_users=False)
        s1, s2, s3, s4 = ns.students
        graphics, sport = create_sheets(
            [ns.workload_graphics, ns.workload_sport], dt.date(2025, 12, 20))
        self.assertEqual(len(graphics.lines), 4)
        grades = {s1: '5', s2: '4', s3: 'absent', s4: '3'}
        for line in graphics.lines:
            line.grade = grades[line.student]
        graphics.lines = graphics.lines
        graphics.save()
        grades = {s1: 'pass', s2: 'pass', s3: 'pass', s4: 'fail'}
        for line in sport.lines:
            line.grade = grades[line.student]
        sport.lines = sport.lines
        sport.save()
        Sheet.close([graphics, sport])
        self.assertTrue(graphics.signature)
        self.assertTrue(Sheet(graphics.id).signature_valid)
        self.assertEqual(Sheet(graphics.id).success_rate, 75)

        row, = compute_rates('group', *TERM1, source='final',
            terms=[ns.term1.id])
        self.assertEqual((row['assessed'], row['successful'],
                row['quality'], row['success_rate'], row['quality_rate'],
                row['average']), (4, 2, 2, 50.0, 50.0, 4.0))
        debts = Debt.search([])
        self.assertEqual(sorted((d.student.id, d.line.index, d.grade)
                for d in debts),
            sorted([(s3.id, 'ОП.01', 'absent'), (s4.id, 'СГ.04', 'fail')]))
        self.assertEqual({d.attempts for d in debts}, {1})

        debt, = [d for d in debts if d.student == s3]
        retake, = issue_retakes([debt], dt.date(2026, 1, 20))
        self.assertEqual(retake.kind, 'retake')
        self.assertEqual(retake.original, graphics)
        Transaction().cache.clear()
        self.assertEqual(Debt(debt.id).pending, 1)
        retake_line, = retake.lines
        retake_line.grade = '4'
        retake_line.save()
        Sheet.close([retake])
        Transaction().cache.clear()
        debts = Debt.search([])
        self.assertEqual([(d.student, d.line.index) for d in debts],
            [(s4, 'СГ.04')])
        row, = compute_rates('group', *TERM1, source='final',
            terms=[ns.term1.id])
        self.assertEqual((row['successful'], row['quality'],
                row['success_rate'], row['average']), (3, 3, 75.0, 4.0))
        # A failed retake keeps the debt, with two attempts.
        debt, = debts
        retake, = issue_retakes([debt], dt.date(2026, 1, 21))
        retake.lines[0].grade = 'fail'
        retake.lines[0].save()
        Sheet.close([retake])
        Transaction().cache.clear()
        debt, = Debt.search([])
        self.assertEqual((debt.student, debt.attempts, debt.sheet),
            (s4, 2, retake))

    @with_transaction()
    def test_reports_xlsx(self):
        """The four xlsx reports open and carry the numbers (in English
        here: test_reports.py checks their Russian texts)"""
        import openpyxl
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        from copp_journal.report_missed import missed_hours_xlsx
        from copp_journal.report_rates import rates_xlsx
        from copp_journal.report_sheet import SheetReport
        from copp_journal.reports import journal_month_xlsx
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup(with_users=False)
        october_marks(ns)

        def load(data):
            return openpyxl.load_workbook(io.BytesIO(data))

        book = load(journal_month_xlsx([ns.workload_graphics],
                dt.date(2025, 10, 1)))
        sheet = book.worksheets[0]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        flat = [v for row in values for v in row if v is not None]
        self.assertIn("Иванов Иван", flat)
        self.assertIn('06.10', flat)
        self.assertIn('б', flat)
        self.assertIn("Тема 6", [c.value for row in book.worksheets[1]
                for c in row])

        book = load(missed_hours_xlsx(ns.college, *OCT))
        rows = {row[1]: row for row in book.worksheets[0].iter_rows(
                values_only=True) if row and row[1]}
        # columns: №, name, ОП.01, СГ.04, total, illness, application,
        # order, unexcused, late
        self.assertEqual(rows["Кузнецов Олег"][4:10], (4, 0, 2, 0, 2, 0))
        self.assertEqual(rows["Сидорова Анна"][4:10], (2, 0, 0, 0, 2, 1))
        self.assertEqual(rows["Итого"][4:10], (8, 2, 2, 0, 4, 1))

        book = load(rates_xlsx('group', *OCT, 'current'))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        group_row = [r for r in rows if r and r[1] == 'ИСП-21'][0]
        self.assertEqual(group_row[6:9], (75.0, 50.0, 3.6))
        self.assertEqual(group_row[-1], 80.0)

        graphics, = create_sheets([ns.workload_graphics],
            dt.date(2025, 12, 20))
        for line, grade in zip(graphics.lines, ['5', '4', 'absent', '3']):
            line.grade = grade
            line.save()
        Sheet.close([graphics])
        with Transaction().set_user(0):
            oext, content, _, name = SheetReport.execute([graphics.id], {})
        self.assertEqual(oext, 'xlsx')
        book = load(content)
        flat = [c.value for row in book.worksheets[0] for c in row
            if c.value is not None]
        self.assertTrue(any('ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ' in str(v) for v in flat))
        self.assertIn("неявка", flat)
        self.assertIn(75.0, flat)  # success rate

    @with_transaction()
    def test_rate_views(self):
        "The back-office rate models read the context and the rules"
        pool = Pool()
        RateGroup = pool.get('copp.journal.rate.group')
        RateCollege = pool.get('copp.journal.rate.college')
        RateRegion = pool.get('copp.journal.rate.region')
        ns = journal_setup()
        october_marks(ns)
        context = {'period': 'month', 'date': dt.date(2025, 10, 15),
            'source': 'current'}
        with Transaction().set_context(context):
            with as_user(ns.registrar_user):
                row, = RateGroup.search([])
                self.assertEqual((row.group, row.success_rate,
                        row.quality_rate, row.attendance_rate),
                    (ns.group, 75.0, 50.0, 80.0))
                region, = RateRegion.search([])
                self.assertEqual(region.average, 3.6)
                row, = RateCollege.search([])
                self.assertEqual(row.company, ns.college)
            from copp.tests.tools import create_user
            other = create_user('registrar2', [ns.other_college],
                ['group_registrar'])
            with as_user(other):
                self.assertEqual(RateGroup.search([]), [])

    @with_transaction()
    def test_rate_views_region_by_default(self):
        """The ministry's rate views open on the region (their own
        institution filters nothing out); a college user's on the college"""
        pool = Pool()
        Context = pool.get('copp.journal.rate.context')
        RateCollege = pool.get('copp.journal.rate.college')
        RateRegion = pool.get('copp.journal.rate.region')
        from copp.tests.tools import create_college, create_user
        ns = journal_setup()
        october_marks(ns)
        ministry = create_college("Министерство", "Минобр", kind='ministry')
        minister = create_user('minister', [ministry, ns.college,
                ns.other_college], ['group_ministry'])
        context = {'period': 'month', 'date': dt.date(2025, 10, 15),
            'source': 'current'}
        with Transaction().set_context(context):
            with as_user(minister):
                self.assertEqual(Transaction().context['company'],
                    ministry.id)
                self.assertIsNone(Context.default_company())
                # sao sends the filter form's values, the company too
                with Transaction().set_context(
                        company=Context.default_company()):
                    row, = RateCollege.search([])
                    self.assertEqual(row.company, ns.college)
                    region, = RateRegion.search([])
                    self.assertEqual(region.average, 3.6)
                # a view without a filter form: the session's company
                row, = RateCollege.search([])
                self.assertEqual(row.company, ns.college)
            with as_user(ns.registrar_user):
                self.assertEqual(Context.default_company(), ns.college.id)

    @with_transaction()
    def test_rate_graph_group_label(self):
        """The x of the group graphs names the college when the groups come
        from several colleges: equal names would add up into one bar"""
        pool = Pool()
        Group = pool.get('copp.study.group')
        RateGroup = pool.get('copp.journal.rate.group')
        ns = journal_setup(with_users=False)
        values, = Group.read([ns.group.id], ['specialty', 'study_form',
                'basis', 'admission_year', 'course'])
        values.pop('id')
        other, = Group.create([dict(values, name=ns.group.name,
                    company=ns.other_college.id)])
        rows = [RateGroup(id=1, group=ns.group, company=ns.college),
            RateGroup(id=2, group=other, company=ns.other_college)]
        self.assertEqual(RateGroup.get_college_label(rows, 'group_label'),
            {1: "ИСП-21 (КА)", 2: "ИСП-21 (КБ)"})
        self.assertEqual(
            RateGroup.get_college_label(rows[:1], 'group_label'),
            {1: "ИСП-21"})
