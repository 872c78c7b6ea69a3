import datetime as dt
import io
import zipfile

from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_contingent.exceptions import (
    ImportFileError, OrderError, StudentChangeError)
from copp_contingent.study_group import course_of, next_course_name

from .tools import (
    contingent, create_applicants, create_college, create_group, order)

D = dt.date
SNILS = ['945-807-302 33', '157-368-193 00', '036-426-212 33',
    '997-220-033 31', '224-538-323 54', '640-562-241 68', '549-909-514 49',
    '547-527-720 17']


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


class CoppContingentTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_contingent"
    module = 'copp_contingent'

    # Fixtures -----------------------------------------------------------

    def _history(self):
        """The small history of the docstring of test_contingent_on_date,
        signed order by order"""
        college = create_college("Колледж А", "КА")
        g1 = create_group(college, "ИСП-11", 2024)
        g2 = create_group(college, "ИСП-12", 2024)
        g3 = create_group(college, "Б-11", 2024, code='38.02.01',
            study_form='extramural')
        a1, a2, a3, a4, a5 = create_applicants(college, [
                "Антонова Анна Игоревна", "Борисов Борис Олегович",
                "Власова Вера Павловна", "Глебов Глеб Ильич",
                "Дарьина Дарья Петровна"])
        Student = Pool().get('copp.student')
        Student.write([a1, a3, a5], {'gender': 'female'})
        Student.write([a2, a4], {'gender': 'male'})
        o = {}
        o['E1'] = order(college, 'enrolment', D(2024, 8, 25), [
                {'student': a1, 'to_group': g1, 'to_funding': 'budget'},
                {'student': a2, 'to_group': g1, 'to_funding': 'budget'},
                {'student': a3, 'to_group': g1, 'to_funding': 'budget'},
                {'student': a4, 'to_group': g1, 'to_funding': 'contract'},
                ], effective_date=D(2024, 9, 1))
        o['E2'] = order(college, 'enrolment', D(2024, 8, 26), [
                {'student': a5, 'to_group': g3, 'to_funding': 'budget'}],
            effective_date=D(2024, 9, 1))
        o['T1'] = order(college, 'transfer', D(2024, 11, 15), [
                {'student': a3, 'to_group': g2}])
        o['L1'] = order(college, 'academic_leave', D(2025, 2, 1), [
                {'student': a2, 'leave_reason': 'medical',
                    'leave_end_date': D(2026, 1, 31)}])
        o['X1'] = order(college, 'expulsion', D(2025, 3, 1), [
                {'student': a4, 'expulsion_reason': 'own_will'}])
        o['C1'] = order(college, 'course_transfer', D(2025, 6, 30), [
                {'student': a1}, {'student': a3}],
            groups=[(g1, "ИСП-21"), (g2, "ИСП-22")],
            effective_date=D(2025, 9, 1))
        o['R1'] = order(college, 'leave_return', D(2025, 10, 1), [
                {'student': a2, 'to_group': g1}])
        o['V1'] = order(college, 'reinstatement', D(2025, 12, 1), [
                {'student': a4, 'to_group': g2, 'to_funding': 'contract'}])
        o['T2'] = order(college, 'transfer', D(2026, 1, 15), [
                {'student': a3, 'to_funding': 'contract'}])
        return college, (g1, g2, g3), (a1, a2, a3, a4, a5), o

    # Groups -------------------------------------------------------------

    def test_course_helpers(self):
        "Course from the year of admission; group names on the next course"
        self.assertEqual(course_of(2024, 2024), 1)
        self.assertEqual(course_of(2024, 2027), 4)
        self.assertEqual(course_of(2024, 2035), 6)
        self.assertEqual(course_of(2026, 2024), 1)
        self.assertEqual(next_course_name("ИСП-11", 1), "ИСП-21")
        self.assertEqual(next_course_name("ТМ-2-24", 2), "ТМ-3-24")
        self.assertEqual(next_course_name("Сварщики", 1), "Сварщики")
        self.assertEqual(next_course_name("ИСП-31", 1), "ИСП-31")

    @with_transaction()
    def test_group_name_unique_among_active(self):
        college = create_college("Колледж", "К")
        other = create_college("Другой", "Д")
        group = create_group(college, "ИСП-11", 2024)
        create_group(other, "ИСП-11", 2024)
        group.active = False
        group.save()
        create_group(college, "ИСП-11", 2025)
        with self.assertRaises(UserError):
            create_group(college, "ИСП-11", 2026)

    # Students -----------------------------------------------------------

    @with_transaction()
    def test_student_person_and_protection(self):
        "A student is an applicant with a person; orders change the state"
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2024)
        student, = Student.create([{'company': college.id,
                    'last_name': "Петрова", 'first_name': "Анна",
                    'patronymic': "Сергеевна", 'birth_date': D(2009, 5, 1),
                    'gender': 'female', 'snils': '11223344595'}])
        self.assertEqual(student.state, 'applicant')
        self.assertEqual(student.party.name, "Петрова Анна Сергеевна")
        self.assertEqual(student.rec_name, "Петрова Анна Сергеевна")
        self.assertEqual(student.snils, '112-233-445 95')
        self.assertEqual(Student.search([('snils', '=', '11223344595')]),
            [student])
        student.last_name = "Иванова"
        student.save()
        self.assertEqual(student.party.name, "Иванова Анна Сергеевна")
        Student.write([student], {'funding': 'contract'})
        for values in [{'state': 'studying'}, {'group': group.id},
                {'course': 2}, {'record_book': '1'}]:
            with self.assertRaises(StudentChangeError):
                Student.write([student], values)
        with self.assertRaises(StudentChangeError):
            Student.create([{'company': college.id, 'last_name': "Х",
                        'first_name': "Y", 'birth_date': D(2009, 1, 1),
                        'state': 'studying', 'group': group.id}])
        order(college, 'enrolment', D(2024, 9, 1), [
                {'student': student, 'to_group': group,
                    'to_funding': 'contract'}])
        with self.assertRaises(StudentChangeError):
            Student.write([student], {'funding': 'budget'})
        with self.assertRaises(StudentChangeError):
            Student.delete([student])

    @with_transaction()
    def test_student_validation(self):
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        student, = create_applicants(college, ["Иванов Иван Иванович"])
        with self.assertRaises(UserError):
            Student.write([student], {'citizenship': 'RU'})
        with self.assertRaises(UserError):
            Student.write([student], {'average_mark': 5.5})
        Student.write([student], {'citizenship': '112',
                'average_mark': 4.25})
        today = Pool().get('ir.date').today()
        age = today.year - 2008 - ((today.month, today.day) < (1, 1))
        self.assertEqual(Student(student.id).age, age)
        self.assertEqual(Student(student.id).minor, age < 18)

    # Orders -------------------------------------------------------------

    @with_transaction()
    def test_enrolment(self):
        "Enrolment: two students, numbered order, record books, the group"
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2024, size_limit=25)
        s1, s2 = create_applicants(college, ["Иванов Иван Иванович",
                "Петрова Мария Олеговна"])
        enrol = order(college, 'enrolment', D(2024, 8, 25), [
                {'student': s1, 'to_group': group, 'to_funding': 'budget'},
                {'student': s2, 'to_group': group,
                    'to_funding': 'contract'}],
            effective_date=D(2024, 9, 1))
        self.assertEqual(enrol.state, 'signed')
        self.assertEqual(enrol.number, '1-к')
        for student, funding in [(s1, 'budget'), (s2, 'contract')]:
            self.assertEqual(student.state, 'studying')
            self.assertEqual(student.group, group)
            self.assertEqual(student.course, 1)
            self.assertEqual(student.funding, funding)
            self.assertEqual(student.specialty, group.specialty)
            self.assertEqual(student.enrolment_date, D(2024, 9, 1))
        self.assertEqual({s1.record_book, s2.record_book},
            {'24-0001', '24-0002'})
        self.assertEqual(set(group.students), {s1, s2})
        self.assertEqual(group.student_count, 2)
        self.assertEqual(group.budget_count, 1)
        self.assertEqual(group.contract_count, 1)
        self.assertEqual(group.free_places, 23)
        movements = Movement.search([('order', '=', enrol.id)])
        self.assertEqual(len(movements), 2)
        self.assertEqual({m.state for m in movements}, {'studying'})
        self.assertEqual({m.from_state for m in movements}, {'applicant'})
        self.assertEqual({m.document_number for m in movements}, {'1-к'})
        second = order(college, 'enrolment', D(2024, 8, 26), [
                {'student': create_applicants(college, ["Третий Т Т"])[0],
                    'to_group': group, 'to_funding': 'budget'}])
        self.assertEqual(second.number, '2-к')
        next_year = order(college, 'enrolment', D(2025, 8, 26), [
                {'student': create_applicants(college, ["Новый Н Н"])[0],
                    'to_group': group, 'to_funding': 'budget'}])
        self.assertEqual(next_year.number, '1-к')
        self.assertEqual(next_year.lines[0].student.record_book, '25-0004')

    @with_transaction()
    def test_order_kinds_and_snapshot(self):
        "Every order kind applied in a row gives the expected student"
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = self._history()
        self.assertEqual([x.state for x in o.values()], ['signed'] * len(o))
        # transfer group → group, then course transfer with renaming
        self.assertEqual((a1.group, a1.course, a1.state), (g1, 2, 'studying'))
        self.assertEqual(g1.name, "ИСП-21")
        self.assertEqual(g2.name, "ИСП-22")
        self.assertEqual((g1.course, g2.course, g3.course), (2, 2, 1))
        # academic leave and return into another course
        self.assertEqual((a2.group, a2.course, a2.state), (g1, 2, 'studying'))
        # transfer group, course transfer, budget → contract
        self.assertEqual((a3.group, a3.course, a3.funding),
            (g2, 2, 'contract'))
        # expelled, then reinstated in course 2 on contract
        self.assertEqual((a4.group, a4.course, a4.funding, a4.state),
            (g2, 2, 'contract', 'studying'))
        self.assertEqual((a5.group, a5.course, a5.study_form),
            (g3, 1, 'extramural'))
        self.assertEqual(len(a3.movements), 4)
        line, = o['L1'].lines
        self.assertEqual((line.from_state, line.from_group, line.from_course),
            ('studying', g1, 1))
        movement, = line.movements
        self.assertEqual((movement.state, movement.reason),
            ('academic_leave', 'medical'))

    @with_transaction()
    def test_cancel_reverses(self):
        "Cancelling a signed order reverses it; not before later orders"
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        Movement = pool.get('copp.contingent.movement')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = self._history()
        Order.cancel([o['T2']])
        self.assertEqual(o['T2'].state, 'cancelled')
        self.assertEqual(a3.funding, 'budget')
        self.assertFalse(Movement.search([('order', '=', o['T2'].id)]))
        Order.cancel([o['V1']])
        self.assertEqual((a4.state, a4.group, a4.course),
            ('expelled', g1, 1))
        # a1 has a course transfer after the enrolment
        with self.assertRaises(OrderError):
            Order.cancel([o['E1']])
        Order.cancel([o['E2']])
        self.assertEqual((a5.state, a5.group, a5.course),
            ('applicant', None, None))
        # The course transfer gives the groups their course and name back
        Order.cancel([o['R1']])
        Order.cancel([o['C1']])
        self.assertEqual((g1.name, g1.course, g2.name, g2.course),
            ("ИСП-11", 1, "ИСП-12", 1))
        self.assertEqual((a1.course, a3.course, a3.group), (1, 1, g2))
        # A cancelled order can be signed again (it keeps its number)
        number = o['C1'].number
        Order.draft([o['C1']])
        Order.sign([o['C1']])
        self.assertEqual((o['C1'].number, g1.course, a1.course),
            (number, 2, 2))
        with self.assertRaises(OrderError):
            Order.delete([o['C1']])

    @with_transaction()
    def test_order_checks(self):
        "Wrong state, back-dated, twice, missing reason, other college"
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = self._history()
        other = create_college("Другой", "Д")
        stranger, = create_applicants(other, ["Чужой Ч Ч"])
        newcomer, = create_applicants(college, ["Новиков Н Н"])
        for kind, date, lines in [
                ('enrolment', D(2026, 2, 1), [
                        {'student': a1, 'to_group': g1,
                            'to_funding': 'budget'}]),
                ('academic_leave', D(2025, 1, 1), [
                        {'student': a1, 'leave_reason': 'family'}]),
                ('leave_return', D(2026, 2, 1), [{'student': a1}]),
                ('reinstatement', D(2026, 2, 1), [
                        {'student': a1, 'to_group': g1}]),
                ('expulsion', D(2026, 2, 1), [{'student': a1}]),
                ('academic_leave', D(2026, 2, 1), [{'student': a1}]),
                ('enrolment', D(2026, 2, 1), [
                        {'student': newcomer, 'to_funding': 'budget'}]),
                ('transfer', D(2026, 2, 1), [
                        {'student': a1, 'to_group': g1}]),
                ('expulsion', D(2026, 2, 1), [
                        {'student': a1, 'expulsion_reason': 'own_will'},
                        {'student': a1, 'expulsion_reason': 'own_will'}]),
                ('course_transfer', D(2026, 9, 1), [{'student': a1}]),
                ]:
            # the line's domain or the check at signing refuses it
            with self.assertRaises(UserError, msg=(kind, date)):
                order(college, kind, date, lines)
        draft = Order(company=college, kind='enrolment', date=D(2026, 2, 1))
        draft.save()
        with self.assertRaises(OrderError):
            Order.sign([draft])
        with self.assertRaises(UserError):
            order(college, 'enrolment', D(2026, 2, 1), [
                    {'student': stranger, 'to_group': g1,
                        'to_funding': 'budget'}])
        # A signed order does not change
        with self.assertRaises(OrderError):
            Order.write([o['E1']], {'date': D(2024, 8, 1)})

    @with_transaction()
    def test_graduation_and_capacity_warning(self):
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-41", 2021, course=4,
            size_limit=1)
        s1, s2 = create_applicants(college, ["Первый П П", "Второй В В"])
        with self.assertRaises(UserWarning):  # over the size limit
            order(college, 'enrolment', D(2021, 9, 1), [
                    {'student': s1, 'to_group': group,
                        'to_funding': 'budget'},
                    {'student': s2, 'to_group': group,
                        'to_funding': 'budget'}])
        group.size_limit = 30
        group.save()
        Order = pool.get('copp.contingent.order')
        Order.delete(Order.search([('state', '=', 'draft')]))
        order(college, 'enrolment', D(2021, 9, 1), [
                {'student': s1, 'to_group': group, 'to_funding': 'budget'},
                {'student': s2, 'to_group': group, 'to_funding': 'budget'}])
        order(college, 'expulsion', D(2025, 6, 30), [
                {'student': s1, 'expulsion_reason': 'graduation'},
                {'student': s2, 'expulsion_reason': 'own_will'}])
        self.assertEqual([Student(s1.id).state, Student(s2.id).state],
            ['graduated', 'expelled'])
        self.assertEqual(group.student_count, 0)

    @with_transaction()
    def test_course_transfer_wizard(self):
        "The whole-group order at the end of the year, in two clicks"
        pool = Pool()
        Wizard = pool.get('copp.contingent.course_transfer', type='wizard')
        Order = pool.get('copp.contingent.order')
        Date = pool.get('ir.date')
        college = create_college("Колледж", "К")
        today = Date.today()
        year = today.year if today.month >= 9 else today.year - 1
        g1 = create_group(college, "ИСП-11", year, course=1,
            graduation_year=year + 4)
        g4 = create_group(college, "ИСП-41", year - 3, course=4,
            graduation_year=year + 1)
        s1, s2, s3 = create_applicants(college, ["Один О О", "Два Д Д",
                "Три Т Т"])
        order(college, 'enrolment', D(year, 9, 1), [
                {'student': s1, 'to_group': g1, 'to_funding': 'budget'},
                {'student': s2, 'to_group': g1, 'to_funding': 'budget'},
                {'student': s3, 'to_group': g4, 'to_funding': 'budget'}])
        with set_company(college), Transaction().set_context(
                active_model='copp.study.group',
                active_ids=[g1.id, g4.id]):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            defaults = wizard.default_start(None)
            self.assertEqual(defaults['groups'], [g1.id])
            self.assertEqual(defaults['graduating_groups'], [g4.id])
            self.assertEqual(defaults['effective_date'], D(year + 1, 9, 1))
            result = Wizard.execute(session_id, {'start': defaults},
                'create_signed')
            Wizard.delete(session_id)
        orders = Order.search([('kind', 'in', ['course_transfer',
                        'expulsion'])])
        self.assertEqual(len(orders), 2)
        self.assertEqual({o.state for o in orders}, {'signed'})
        self.assertTrue(result['actions'])
        self.assertEqual((g1.name, g1.course), ("ИСП-21", 2))
        # Effective next September: today the students are still in course 1
        self.assertEqual(s1.course, 1)
        Student = pool.get('copp.student')
        Student.update_current([s1, s2, s3], D(year + 1, 9, 2))
        self.assertEqual((s1.course, s2.course), (2, 2))
        self.assertEqual(s3.state, 'graduated')

    @with_transaction()
    def test_future_effective_date_and_cron(self):
        pool = Pool()
        Student = pool.get('copp.student')
        Date = pool.get('ir.date')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2026)
        student, = create_applicants(college, ["Будущев Б Б"])
        future = Date.today() + dt.timedelta(days=3)
        order(college, 'enrolment', Date.today(), [
                {'student': student, 'to_group': group,
                    'to_funding': 'budget'}], effective_date=future)
        self.assertEqual(student.state, 'applicant')
        Student.update_current_daily()
        self.assertEqual(student.state, 'applicant')
        Student.update_current([student], future)
        self.assertEqual((student.state, student.group), ('studying', group))

    @with_transaction()
    def test_order_report(self):
        "The printed order is an ODT with the students' names"
        pool = Pool()
        Report = pool.get('copp.contingent.order.report', type='report')
        college, groups, students, o = self._history()
        for key in ['E1', 'C1', 'L1', 'X1', 'T1', 'R1', 'V1']:
            with set_company(college):
                ext, content, _, name = Report.execute([o[key].id], {})
            self.assertEqual(ext, 'odt')
            with zipfile.ZipFile(io.BytesIO(content)) as odt:
                text = odt.read('content.xml').decode('utf-8')
            for line in o[key].lines:
                self.assertIn(line.student.party.name, text, msg=key)
            self.assertIn(o[key].number, text)
        with set_company(college):
            content = Report.execute([o['E1'].id], {})[1]
        with zipfile.ZipFile(io.BytesIO(content)) as odt:
            text = odt.read('content.xml').decode('utf-8')
        self.assertIn("ИСП-11", text)
        self.assertIn("09.02.07", text)

    # The contingent on a date --------------------------------------------

    @with_transaction()
    def test_contingent_on_date(self):
        """History (college А; 09 = 09.02.07 full-time, 38 = 38.02.01
        extramural):
        2024-09-01 enrol А1, Б2, В3 in ИСП-11 budget, Г4 contract; Д5 in Б-11
        2024-11-15 В3 → ИСП-12; 2025-02-01 Б2 academic leave;
        2025-03-01 Г4 expelled; 2025-09-01 ИСП-11, ИСП-12 → course 2 (А1, В3);
        2025-10-01 Б2 back in ИСП-21 (course 2); 2025-12-01 Г4 reinstated in
        ИСП-22 on contract; 2026-01-15 В3 budget → contract."""
        college, groups, students, o = self._history()
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
    def test_spo1(self):
        "СПО-1: students by specialty, form and course"
        college, groups, students, o = self._history()
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
        college, groups, students, o = self._history()
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

    # Access -------------------------------------------------------------

    @with_transaction()
    def test_access_other_college(self):
        "A clerk of another college neither sees nor changes a student"
        pool = Pool()
        Student = pool.get('copp.student')
        Order = pool.get('copp.contingent.order')
        Movement = pool.get('copp.contingent.movement')
        Report = pool.get('copp.contingent.report')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = self._history()
        other = create_college("Колледж Б", "КБ")
        clerk_b = create_user('clerk_b', [other], ['group_registrar'])
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=other.id), check_access():
            self.assertEqual(Student.search([]), [])
            self.assertEqual(Order.search([]), [])
            self.assertEqual(Movement.search([]), [])
            with Transaction().set_context(date=D(2026, 2, 1)):
                self.assertEqual(Report.search([]), [])
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['last_name'])
            with self.assertRaises(AccessError):
                Student.write([Student(a1.id)], {'note': "взлом"})
            with self.assertRaises(AccessError):
                Order.cancel([Order(o['T2'].id)])
        self.assertEqual(o['T2'].state, 'signed')

    @with_transaction()
    def test_access_registrar_works(self):
        "A registrar creates an applicant and signs an enrolment order"
        pool = Pool()
        Student = pool.get('copp.student')
        Order = pool.get('copp.contingent.order')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2024)
        clerk = create_user('clerk', [college], ['group_registrar'])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), check_access():
            student, = Student.create([{'last_name': "Новый",
                        'first_name': "Студент", 'birth_date': D(2009, 1, 1),
                        'snils': SNILS[0],
                        'id_document_number': '123456'}])
            enrol, = Order.create([{'kind': 'enrolment',
                        'date': D(2024, 9, 1),
                        'lines': [('create', [{'student': student.id,
                                        'to_group': group.id,
                                        'to_funding': 'budget'}])]}])
            Order.sign([enrol])
            self.assertEqual(Student(student.id).state, 'studying')
            self.assertEqual(Student.read([student.id], ['snils'])[0][
                    'snils'], SNILS[0])
        teacher = create_user('teacher', [college], ['group_teacher'])
        with Transaction().set_user(teacher.id), check_access():
            with self.assertRaises(AccessError):
                Order.sign([Order(enrol.id)])

    @with_transaction()
    def test_personal_data_reads_logged(self):
        "Reads of ПДн on behalf of a user are logged; the log is read-only"
        pool = Pool()
        Student = pool.get('copp.student')
        Log = pool.get('copp.personal_data.log')
        college, groups, (a1, a2, a3, a4, a5), o = self._history()
        clerk = create_user('clerk', [college], ['group_registrar'])
        Student.read([a1.id], ['snils'])  # the server itself: not logged
        self.assertEqual(Log.search([]), [])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), check_access():
            Student.read([a1.id, a2.id], ['last_name', 'group'])
            Student.read([a1.id, a2.id],
                ['last_name', 'snils', 'registration_address'])
            with self.assertRaises(AccessError):
                Log.search([])  # a registrar does not read the log
        logs = Log.search([])
        self.assertEqual(len(logs), 2)
        self.assertEqual(sorted(str(log.resource) for log in logs),
            sorted(f'copp.student,{s.id}' for s in [a1, a2]))
        self.assertEqual({log.fields_read for log in logs},
            {'registration_address,snils'})
        self.assertEqual({log.user for log in logs}, {clerk})
        self.assertEqual({log.company for log in logs}, {college})
        self.assertTrue(all(log.date for log in logs))
        director = create_user('director', [college],
            ['group_college_admin'])
        with Transaction().set_user(director.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(len(Log.search([])), 2)
            with self.assertRaises(AccessError):
                Log.delete(Log.search([]))
            with self.assertRaises(AccessError):
                Log.write(Log.search([]), {'fields_read': 'x'})

    @with_transaction()
    def test_access_teacher(self):
        "A teacher reads the students of their groups, not their ПДн"
        pool = Pool()
        Student = pool.get('copp.student')
        Group = pool.get('copp.study.group')
        Movement = pool.get('copp.contingent.movement')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = self._history()
        teacher = create_user('teacher', [college], ['group_teacher'])
        Group.write([g3], {'curator': teacher.employees[0].id})
        Student.write([a5], {'id_document_number': '654321',
                'registration_address': "Рязань"})
        with Transaction().set_user(teacher.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(Student.search([]), [a5])
            self.assertEqual(
                Student.read([a5.id], ['last_name', 'group'])[0][
                    'last_name'], "Дарьина")
            for field in ['snils', 'id_document_number',
                    'registration_address', 'actual_address']:
                with self.assertRaises(AccessError, msg=field):
                    Student.read([a5.id], [field])
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['last_name'])
            with self.assertRaises(AccessError):
                Student.write([Student(a5.id)], {'note': "нет"})
            self.assertEqual({m.student for m in Movement.search([])}, {a5})
            view = Student.fields_view_get(view_type='form')
            self.assertNotIn('snils', view['fields'])
            self.assertIn('last_name', view['fields'])
        # The hook of the journal: teachers of a group read it too
        Group.write([g1], {'teachers': [('add', [teacher.employees[0].id])]})
        with Transaction().set_user(teacher.id), check_access():
            self.assertEqual(set(Student.search([])), {a1, a2, a5})

    @with_transaction()
    def test_access_ministry(self):
        "The ministry reads every college's students, no ПДн, no writes"
        pool = Pool()
        Student = pool.get('copp.student')
        college, groups, (a1, a2, a3, a4, a5), o = self._history()
        other = create_college("Колледж Б", "КБ")
        b1, = create_applicants(other, ["Бэшкин Б Б"])
        ministry = create_college("Министерство", "МО", kind='ministry')
        minister = create_user('minister', [ministry, college, other],
            ['group_ministry'], employer=ministry)
        with Transaction().set_user(minister.id), check_access():
            self.assertEqual(len(Student.search([])), 6)
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['snils'])
            with self.assertRaises(AccessError):
                Student.write([Student(a1.id)], {'note': "нет"})

    # Import -------------------------------------------------------------

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


del ModuleTestCase
