"""Movement orders: enrolment and numbering, every kind of order and the
student's snapshot, cancelling, the checks at signing, graduation, the course
transfer wizard, future effective dates and the printed order."""
import datetime as dt
import io
import zipfile

from trytond.exceptions import UserError, UserWarning
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from copp_contingent.exceptions import OrderError

from .tools import (
    create_applicants, create_college, create_group, history, order)

D = dt.date


class OrderTestCase(_DBTestCase):
    "Movement orders of copp_contingent"
    module = 'copp_contingent'

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
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
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
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
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
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
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
    def test_sign_and_cancel_ask_confirmation(self):
        "The form asks before signing or cancelling an order"
        from lxml import etree
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        arch = etree.fromstring(
            Order.fields_view_get(view_type='form')['arch'])
        buttons = {b.get('name'): b for b in arch.iter('button')}
        self.assertIn("Sign the order?", buttons['sign'].get('confirm'))
        self.assertIn("movements", buttons['cancel'].get('confirm'))
        self.assertFalse(buttons['draft'].get('confirm'))

    @with_transaction()
    def test_order_report(self):
        "The printed order is an ODT with the students' names"
        pool = Pool()
        Report = pool.get('copp.contingent.order.report', type='report')
        college, groups, students, o = history()
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
