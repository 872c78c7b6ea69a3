"""The contingent on a date (by specialty, course, form and funding; by
college), СПО-1 and the xlsx export, against the hand-computed figures of
the history of tools.history."""
import datetime as dt
import io

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from copp.tests.tools import create_college, create_user

from .tools import (
    contingent, create_applicants, create_group, history, order)

D = dt.date


def rows(records, *dims):
    "{dims: (start, arrived, departed, studying, on_leave, total)}"
    result = {}
    for r in records:
        key = tuple(getattr(r, d).code if d == 'specialty'
            else getattr(r, d) for d in dims)
        values = (r.start_total, r.arrived, r.departed, r.studying,
            r.on_leave, r.total)
        if any(values):
            result[key] = values
    return result


class ContingentReportTestCase(_DBTestCase):
    "The contingent on a date, СПО-1 and the export of copp_contingent"
    module = 'copp_contingent'

    @with_transaction()
    def test_contingent_on_date(self):
        """History (college А; 09 = 09.02.07 full-time, 38 = 38.02.01
        extramural):
        2024-09-01 enrol А1, Б2, В3 in ИСП-11 budget, Г4 contract; Д5 in Б-11
        2024-11-15 В3 → ИСП-12; 2025-02-01 Б2 academic leave;
        2025-03-01 Г4 expelled; 2025-09-01 ИСП-11, ИСП-12 → course 2 (А1, В3);
        2025-10-01 Б2 back in ИСП-21 (course 2); 2025-12-01 Г4 reinstated in
        ИСП-22 on contract; 2026-01-15 В3 budget → contract."""
        college, groups, students, o = history()
        dims = ('specialty', 'course', 'study_form', 'funding')
        F, B, C, E = 'full_time', 'budget', 'contract', 'extramural'
        # (start, arrived, departed, studying, on_leave, total)
        self.assertEqual(rows(contingent(D(2024, 8, 31)), *dims), {})
        self.assertEqual(rows(contingent(D(2024, 10, 1), D(2024, 9, 1)),
                *dims), {
                ('09.02.07', 1, F, B): (0, 3, 0, 3, 0, 3),
                ('09.02.07', 1, F, C): (0, 1, 0, 1, 0, 1),
                ('38.02.01', 1, E, B): (0, 1, 0, 1, 0, 1),
                })
        self.assertEqual(rows(contingent(D(2025, 3, 15), D(2024, 9, 1)),
                *dims), {
                ('09.02.07', 1, F, B): (0, 3, 0, 2, 1, 3),
                ('09.02.07', 1, F, C): (0, 1, 1, 0, 0, 0),
                ('38.02.01', 1, E, B): (0, 1, 0, 1, 0, 1),
                })
        self.assertEqual(rows(contingent(D(2025, 10, 15), D(2025, 9, 1)),
                *dims), {
                ('09.02.07', 1, F, B): (3, 0, 3, 0, 0, 0),
                ('09.02.07', 2, F, B): (0, 3, 0, 3, 0, 3),
                ('38.02.01', 1, E, B): (1, 0, 0, 1, 0, 1),
                })
        records = contingent(D(2026, 2, 1), D(2025, 9, 1))
        self.assertEqual(rows(records, *dims), {
                ('09.02.07', 1, F, B): (3, 0, 3, 0, 0, 0),
                ('09.02.07', 2, F, B): (0, 3, 1, 2, 0, 2),
                ('09.02.07', 2, F, C): (0, 2, 0, 2, 0, 2),
                ('38.02.01', 1, E, B): (1, 0, 0, 1, 0, 1),
                })
        by_key = {(r.course, r.funding): r for r in records
            if r.specialty.code == '09.02.07'}
        self.assertEqual((by_key[(2, C)].reinstated,
                by_key[(2, C)].transferred_in), (1, 1))
        self.assertEqual(by_key[(1, B)].transferred_out, 3)
        # Every row balances
        for r in records:
            self.assertEqual(r.start_total + r.arrived - r.departed, r.total)
        # By college: transfers inside the college are not movements
        college_rows = contingent(D(2026, 2, 1), D(2025, 9, 1),
            model='copp.contingent.report.college')
        self.assertEqual(rows(college_rows, 'company'), {
                (college,): (4, 1, 0, 5, 0, 5)})
        self.assertEqual(rows(contingent(D(2025, 3, 15), D(2024, 9, 1),
                    model='copp.contingent.report.college'), 'company'), {
                (college,): (0, 5, 1, 3, 1, 4)})

    @with_transaction()
    def test_region_by_default(self):
        """The ministry's and the ЦОПП's contingent views open on the region
        (their own institution has no students); a college user's on the
        college"""
        pool = Pool()
        Context = pool.get('copp.contingent.context')
        College = pool.get('copp.contingent.report.college')
        Export = pool.get('copp.contingent.export.start')
        college, groups, students, o = history()
        other = create_college("Колледж Б", "КБ")
        group = create_group(other, "ТМ-11", 2025)
        applicant, = create_applicants(other, ["Егоров Егор Егорович"])
        order(other, 'enrolment', D(2025, 9, 1), [
                {'student': applicant, 'to_group': group,
                    'to_funding': 'budget'}])
        ministry = create_college("Министерство", "Минобр", kind='ministry')
        copp = create_college("ЦОПП", "ЦОПП", kind='copp')
        minister = create_user('minister', [ministry, copp, college, other],
            ['group_ministry'])
        specialist = create_user('specialist', [ministry, copp, college,
                other], ['group_copp'], employer=copp)
        clerk = create_user('clerk', [college], ['group_registrar'])
        period = {'date': D(2026, 2, 1), 'from_date': D(2025, 9, 1)}

        def totals(user, **context):
            with Transaction().set_user(user.id), \
                    Transaction().set_context(period, company=(
                            user.company.id), _check_access=True):
                defaults = Context.default_company(), Export.default_company()
                with Transaction().set_context(**context):
                    return defaults, {r.company.short_name: r.total
                        for r in College.search([])}

        for user in [minister, specialist]:
            # The filter form's default, then a view without a filter form
            self.assertEqual(totals(user, company=None),
                ((None, None), {'КА': 5, 'КБ': 1}))
            self.assertEqual(totals(user), ((None, None), {'КА': 5, 'КБ': 1}))
            self.assertEqual(totals(user, company=other.id)[1], {'КБ': 1})
        self.assertEqual(totals(clerk),
            ((college.id, college.id), {'КА': 5}))
        self.assertEqual(totals(clerk, company=None)[1], {'КА': 5})

    @with_transaction()
    def test_spo1(self):
        "СПО-1: students by specialty, form and course"
        college, groups, students, o = history()
        spo1 = {(r.code, r.study_form): r for r in contingent(
                D(2024, 10, 1), D(2024, 9, 1), model='copp.contingent.spo1')}
        r = spo1[('09.02.07', 'full_time')]
        self.assertEqual((r.admitted, r.total, r.course_1, r.course_2,
                r.budget, r.contract, r.women, r.on_leave),
            (4, 4, 4, 0, 3, 1, 2, 0))
        spo1 = {(r.code, r.study_form): r for r in contingent(
                D(2026, 2, 1), D(2025, 9, 1), model='copp.contingent.spo1')}
        r = spo1[('09.02.07', 'full_time')]
        self.assertEqual((r.admitted, r.total, r.course_1, r.course_2,
                r.budget, r.targeted, r.contract, r.women, r.graduated),
            (0, 4, 0, 4, 2, 0, 2, 2, 0))
        r = spo1[('38.02.01', 'extramural')]
        self.assertEqual((r.total, r.course_1, r.budget, r.women),
            (1, 1, 1, 1))

    @with_transaction()
    def test_contingent_export(self):
        "The xlsx export has the detail, by college and СПО-1 sheets"
        import openpyxl
        pool = Pool()
        Export = pool.get('copp.contingent.export', type='wizard')
        college, groups, students, o = history()
        session_id, _, _ = Export.create()
        with set_company(college):
            result = Export.execute(session_id, {'start': {
                        'date': D(2026, 2, 1), 'from_date': D(2025, 9, 1),
                        'company': college.id}}, 'export')
        data = result['view']['defaults']['file']
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(len(workbook.sheetnames), 3)
        detail = workbook.worksheets[0]
        values = [[c.value for c in row] for row in detail.iter_rows()]
        total_row = values[-1]
        # the «total» column is the last one: 5 students on the date
        self.assertEqual(total_row[-1], 5)
