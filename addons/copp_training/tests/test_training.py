"""The Center's training cycle on the server: cohorts and their seats,
applications through their stages, enrolment and completion orders, the
journal of a cohort, documents with their gap-free numbers and the
verification data, the record rules and the reports."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_portal.tests.tools import PortalTestMixin

from .tools import (
    PDF, add_scans, create_application, create_cohort, training_setup)


def enrol(applications):
    "The applications through their stages to a signed enrolment order"
    pool = Pool()
    Application = pool.get('copp.training.application')
    Order = pool.get('copp.training.cohort.order')
    Application.check_documents(applications)
    Application.agree(applications)
    Application.add_to_order(applications)
    orders = list({a.order for a in Application.browse(applications)})
    Order.sign(orders)
    return orders


class TrainingTestCase(PortalTestMixin, RouteTestCase):
    "The training cycle of the ЦОПП"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    @with_transaction()
    def test_cohort_workflow(self):
        "Codes, seats checks, opening needs a published programme"
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Program = pool.get('copp.program')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        self.assertRegex(ns.cohort.code,
            rf'^ПТ-{ns.cohort.start_date:%y}-\d{{3}}$')
        self.assertEqual(ns.cohort.state, 'open')
        self.assertEqual(ns.cohort.free_seats, 10)
        self.assertTrue(ns.cohort.accepts_applications(today))

        with Transaction().set_context(company=ns.copp.id):
            with self.assertRaises(UserError):
                create_cohort(ns.program, today, today + dt.timedelta(30),
                    seats=2, federal_seats=3, state='draft')
            draft = create_cohort(ns.program, today,
                today + dt.timedelta(30), state='draft')
            Program.draft([ns.program])
            with self.assertRaises(UserError):
                Cohort.open([draft])
            Program.publish([ns.program])
            deadline = today - dt.timedelta(days=1)
            Cohort.write([draft], {'application_deadline': deadline})
            Cohort.open([draft])
            self.assertFalse(draft.accepts_applications(today))
            with self.assertRaises(UserError):
                Cohort.delete([draft])
            Cohort.draft([draft])
            Cohort.delete([draft])

    @with_transaction()
    def test_application_flow_and_seats(self):
        "Checks of each stage, the person, the seats and federal quotas"
        pool = Pool()
        Application = pool.get('copp.training.application')
        Log = pool.get('copp.training.application.log')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        cohort = ns.college_cohort  # 3 seats, 2 federal, quota 3 a year
        with Transaction().set_context(company=ns.college.id):
            missing = create_application(ns.college_program, cohort, 0,
                scans=False, funding='federal', eligibility='unemployed',
                eligibility_confirmed=True)
            with self.assertRaises(UserError) as cm:
                Application.check_documents([missing])
            self.assertIn(missing.number, str(cm.exception))
            add_scans(missing)
            Application.check_documents([missing])
            self.assertEqual(missing.state, 'checked')
            self.assertEqual(missing.party.snils, '112-233-445 95')

            # The same person again for the same programme: a duplicate.
            again = create_application(ns.college_program, cohort, 0,
                funding='budget')
            self.assertIn(missing, again.duplicates)
            with self.assertRaises(UserError):
                Application.check_documents([again])

            second = create_application(ns.college_program, cohort, 1,
                funding='federal', eligibility='over_50',
                eligibility_confirmed=True)
            third = create_application(ns.college_program, cohort, 2,
                funding='federal', eligibility='youth',
                eligibility_confirmed=True)
            Application.check_documents([second, third])
            Application.agree([missing, second])
            self.assertEqual([missing.state, second.state],
                ['agreement', 'agreement'])
            self.assertTrue(missing.student.cohort == cohort)
            # Two federal seats only.
            with self.assertRaises(UserError) as cm:
                Application.agree([third])
            self.assertIn(third.number, str(cm.exception))
            self.assertEqual(third.state, 'checked')
            self.assertEqual(cohort.federal_taken, 2)
            self.assertEqual(cohort.free_seats, 1)

            with self.assertRaises(UserError):
                Application.reject([third])
            Application.write([third], {'reject_reason': "Нет мест"})
            Application.reject([third])
            self.assertEqual(third.state, 'rejected')
            Application.withdraw([second])
            self.assertEqual(second.state, 'withdrawn')
            self.assertEqual(cohort.federal_taken, 1)
            self.assertEqual([l.to_state for l in Log.search([
                            ('application', '=', second.id)],
                        order=[('id', 'ASC')])],
                ['checked', 'agreement', 'withdrawn'])

    @with_transaction()
    def test_person_of_a_signup_completed(self):
        """The person a cabinet sign-up made (name and birth date only) is
        the application's, and gets its СНИЛС and gender: the document
        and ФИС ФРДО need them"""
        pool = Pool()
        Application = pool.get('copp.training.application')
        Party = pool.get('party.party')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        person, = Party.create([{'name': "Иванова Анна Сергеевна",
                    'last_name': "Иванова", 'first_name': "Анна",
                    'patronymic': "Сергеевна",
                    'birth_date': dt.date(1990, 3, 4)}])
        with Transaction().set_context(company=ns.copp.id):
            application = create_application(ns.program, ns.cohort, 0)
            Application.check_documents([application])
        self.assertEqual(application.party, person)
        self.assertEqual((person.snils, person.gender),
            ('112-233-445 95', 'female'))

    @with_transaction()
    def test_paid_seat_contract(self):
        "A paid seat gets a draft contract; enrolment waits for its signing"
        pool = Pool()
        Application = pool.get('copp.training.application')
        Order = pool.get('copp.training.cohort.order')
        Contract = pool.get('copp.contract')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.copp.id):
            application = create_application(ns.program, ns.cohort, 1)
            Application.check_documents([application])
            Application.agree([application])
            contract = application.contract
            self.assertEqual(contract.state, 'draft')
            self.assertEqual(contract.total_amount, ns.cohort.price)
            Application.add_to_order([application])
            with self.assertRaises(UserError):
                Order.sign([application.order])
            # Withdrawn: the draft contract goes, the order line too.
            Application.withdraw([application])
            self.assertFalse(Contract.search([('id', '=', contract.id)]))
            self.assertIsNone(application.order)

    @with_transaction()
    def test_enrol_teach_complete_issue(self):
        "Enrolment, the journal of the cohort, completion, the document"
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Learner = pool.get('copp.training.learner')
        Order = pool.get('copp.training.cohort.order')
        OrderLine = pool.get('copp.training.cohort.order.line')
        Document = pool.get('copp.training.document')
        Timetable = pool.get('copp.training.timetable')
        Lesson = pool.get('copp.journal.lesson')
        Workload = pool.get('copp.journal.workload')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        cohort = ns.college_cohort
        with Transaction().set_context(company=ns.college.id):
            applications = [create_application(ns.college_program, cohort,
                    n, funding='budget') for n in range(2)]
            order, = enrol(applications)
            self.assertRegex(order.number, r'^\d+-по$')
            learners = Learner.search([('cohort', '=', cohort.id)],
                order=[('id', 'ASC')])
            self.assertEqual(len(learners), 2)
            self.assertEqual({a.state for a in applications}, {'enrolled'})
            self.assertEqual(cohort.enrolled_count, 2)
            self.assertEqual(learners[0].student.group, cohort.group)
            self.assertEqual(learners[0].student.state, 'studying')

            # The journal: loads per module, lessons within the dates.
            Cohort.start([cohort])
            loads = Workload.search([('group', '=', cohort.group.id)])
            self.assertEqual(len(loads), 2)
            Timetable.create([{'cohort': cohort.id, 'weekday': '0',
                        'pair': 1, 'hours': 2, 'line': loads[0].line.id}])
            lessons = Cohort.generate_lessons([cohort]) or Lesson.search([
                    ('workload', '=', loads[0].id)])
            self.assertTrue(lessons)
            self.assertTrue(all(cohort.start_date <= l.date
                    <= cohort.end_date for l in lessons))
            with self.assertRaises(UserError):
                Lesson.create([{'workload': loads[0].id,
                            'date': cohort.end_date + dt.timedelta(days=3),
                            'pair': 2, 'hours': 2, 'kind': 'lesson'}])

            # Completion only for those who passed.
            passed, failed = learners
            Learner.write([passed], {'final_grade': '5',
                    'attestation_date': cohort.end_date})
            Learner.write([failed], {'final_grade': '2',
                    'attestation_date': cohort.end_date})
            completion, = Order.create([{'cohort': cohort.id,
                        'kind': 'completion',
                        'lines': [('create', [{'learner': failed.id}])]}])
            with self.assertRaises(UserError):
                Order.sign([completion])
            OrderLine.write(list(completion.lines), {'learner': passed.id})
            Order.sign([completion])
            self.assertEqual(passed.state, 'completed')
            expulsion, = Order.create([{'cohort': cohort.id,
                        'kind': 'expulsion',
                        'lines': [('create', [{'learner': failed.id,
                                        'reason': "Не сдал аттестацию"}])]}])
            Order.sign([expulsion])
            self.assertEqual(failed.state, 'left')
            Cohort.complete([cohort])

            diploma, = Document.search([('learner', '=', passed.id)])
            certificate, = Document.search([('learner', '=', failed.id)])
            self.assertEqual(diploma.kind, 'profession_certificate')
            self.assertEqual(certificate.kind, 'study_certificate')
            Document.issue([certificate, diploma])
            year = today.year
            self.assertEqual(sorted([certificate.registration_number,
                        diploma.registration_number]),
                [f'Д-{year}-0001', f'Д-{year}-0002'])
            self.assertGreaterEqual(len(diploma.verify_key), 24)
            from copp_training.document import verification
            info = verification(diploma)
            self.assertTrue(info['valid'])
            self.assertEqual(info['initials'], 'И. А. С.')
            self.assertNotIn('snils', info)
            self.assertNotIn("Иванова", str(info))
            with self.assertRaises(UserError):
                Document.write([diploma], {'last_name': "Другая"})
            with self.assertRaises(UserError):
                Document.cancel([diploma])
            Document.write([diploma], {'cancel_reason': "Ошибка в ФИО"})
            Document.cancel([diploma])
            self.assertFalse(verification(diploma)['valid'])

    @with_transaction()
    def test_scans(self):
        "Only PDF, JPEG, PNG of a limited size, with their kind"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.copp.id):
            application = create_application(ns.program, ns.cohort, 0,
                scans=False)
            for data, kind in [(b'MZ\x90\x00evil', 'passport'),
                    (PDF, None), (b'', 'passport')]:
                with self.assertRaises(UserError):
                    Attachment.create([{'resource': str(application),
                                'name': 'x.pdf', 'type': 'data',
                                'data': data, 'copp_scan_kind': kind}])
            from trytond import config
            config.set('copp', 'training_scan_max_size', '64')
            try:
                with self.assertRaises(UserError):
                    Attachment.create([{'resource': str(application),
                                'name': 'big.pdf', 'type': 'data',
                                'data': PDF + b' ' * 100,
                                'copp_scan_kind': 'passport'}])
            finally:
                config.set('copp', 'training_scan_max_size',
                    str(5 * 1024 * 1024))
            add_scans(application, kinds=['passport'])
            self.assertEqual(application.scan_kinds(), {'passport'})

    @with_transaction()
    def test_record_rules(self):
        "A college's registrar sees only its cohorts; the ministry reads"
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Application = pool.get('copp.training.application')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.copp.id):
            application = create_application(ns.program, ns.cohort, 0)
        with Transaction().set_user(ns.registrar.id), check_access(), \
                Transaction().set_context(company=ns.college.id):
            self.assertEqual(Cohort.search([]), [ns.college_cohort])
            self.assertEqual(Application.search([]), [])
            with self.assertRaises(AccessError):
                Cohort.read([ns.cohort.id], ['name'])
            with self.assertRaises(AccessError):
                Application.read([application.id], ['last_name'])
        with Transaction().set_user(ns.minister.id), check_access():
            self.assertEqual(len(Cohort.search([])), 2)
            with self.assertRaises(AccessError):
                Cohort.write([Cohort(ns.cohort.id)], {'place': "Там"})

    @with_transaction()
    def test_reports(self):
        "Trained by kind and seat, federal seats used, in set queries"
        pool = Pool()
        Report = pool.get('copp.training.report')
        Quota = pool.get('copp.training.quota.report')
        Application = pool.get('copp.training.application')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        cohort = ns.college_cohort
        with Transaction().set_context(company=ns.college.id):
            federal = create_application(ns.college_program, cohort, 0,
                funding='federal', eligibility='unemployed',
                eligibility_confirmed=True)
            budget = create_application(ns.college_program, cohort, 1)
            enrol([federal, budget])
            self.assertEqual(Application(federal.id).state, 'enrolled')
        start, end = today.replace(month=1, day=1), today + dt.timedelta(365)
        rows = Report.rows(start, end)
        by_funding = {r['funding']: r for r in rows}
        self.assertEqual(set(by_funding), {'federal', 'budget'})
        self.assertEqual(by_funding['federal']['enrolled'], 1)
        self.assertEqual(by_funding['federal']['program_kind'],
            'vocational')
        self.assertEqual(Report.rows(start, end, company=ns.copp.id), [])
        quota, = Quota.rows(start, end)
        self.assertEqual((quota['federal_seats'], quota['used'],
                quota['remaining']), (2, 1, 1))

    @with_transaction()
    def test_menu_groups(self):
        "The menu «Обучение» is for the roles that work with cohorts"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        menu_id = ModelData.get_id('copp_training', 'menu_training')
        accountant = create_user('accountant_b', [ns.college],
            ['group_accountant'])
        for user, visible in [(ns.specialist, True), (ns.registrar, True),
                (ns.minister, True), (accountant, False)]:
            with Transaction().set_user(user.id), check_access():
                self.assertEqual(
                    bool(Menu.search([('id', '=', menu_id)])), visible,
                    user.login)


del RouteTestCase
