"""Documents of the cohorts' learners on paper and to ФИС ФРДО: the printed
document (ODT), the ФРДО export wizard with its pre-validation, the xlsx of
the ministry's report, and the demo data (every demo document exports)."""
import datetime as dt
import io
import random
from types import SimpleNamespace

from faker import Faker
from openpyxl import load_workbook

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp_portal.tests.tools import PortalClient, PortalTestMixin, text

from .test_training import enrol
from .tools import create_application, training_setup


def issued_documents(ns, count=2):
    "`count` learners of the ЦОПП's cohort complete; their documents issued"
    pool = Pool()
    Learner = pool.get('copp.training.learner')
    Order = pool.get('copp.training.cohort.order')
    Document = pool.get('copp.training.document')
    Contract = pool.get('copp.contract')
    Application = pool.get('copp.training.application')
    cohort = ns.cohort
    applications = [create_application(ns.program, cohort, n)
        for n in range(count)]
    Application.check_documents(applications)
    Application.agree(applications)
    Contract.sign([a.contract for a in applications])
    Application.add_to_order(applications)
    Order.sign([Application(applications[0].id).order])
    learners = Learner.search([('cohort', '=', cohort.id)])
    Learner.write(learners, {'final_grade': 'pass',
            'attestation_date': cohort.end_date})
    order, = Order.create([{'cohort': cohort.id, 'kind': 'completion',
                'lines': [('create', [{'learner': l.id}
                            for l in learners])]}])
    Order.sign([order])
    documents = Document.search([('cohort', '=', cohort.id)])
    Document.issue(documents)
    return documents


class DocumentsTestCase(PortalTestMixin, RouteTestCase):
    "Training documents, ФИС ФРДО, reports, demo"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    @with_transaction()
    def test_printed_document(self):
        "The ODT of an issued certificate names the holder and its number"
        pool = Pool()
        Report = pool.get('copp.training.document.report', type='report')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.copp.id):
            document, _ = issued_documents(ns)
        # Printed by the ЦОПП's specialist (the record rules apply).
        with Transaction().set_user(ns.specialist.id), \
                Transaction().set_context(company=ns.copp.id):
            ext, content, _, _ = Report.execute([document.id], {})
        self.assertEqual(ext, 'odt')
        from zipfile import ZipFile
        xml = ZipFile(io.BytesIO(content)).read('content.xml').decode()
        self.assertIn(document.registration_number, xml)
        self.assertIn(document.last_name, xml)
        self.assertIn("повышение квалификации", xml.lower())

    @with_transaction()
    def test_frdo_export(self):
        "ДПО template: the issued documents, checked, marked as sent"
        pool = Pool()
        Wizard = pool.get('copp.training.frdo', type='wizard')
        Document = pool.get('copp.training.document')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.copp.id):
            first, second = issued_documents(ns)
            # A document whose holder lost the СНИЛС fails the check.
            session, _, _ = Wizard.create()
            start = {'company': ns.copp.id, 'template': 'dpo',
                'date_from': None, 'date_to': None, 'only_new': True,
                'mark_sent': True}
            result = Wizard.execute(session, {'start': start}, 'check_')
            defaults = result['view']['defaults']
            self.assertEqual(defaults['count'], 2)
            workbook = load_workbook(io.BytesIO(defaults['file']))
            sheet = workbook.active
            rows = list(sheet.iter_rows(values_only=True))
            self.assertEqual(len(rows), 3)
            self.assertEqual(rows[0][0], "Вид документа")
            numbers = {r[8] for r in rows[1:]}
            self.assertEqual(numbers, {first.registration_number,
                    second.registration_number})
            self.assertEqual({d.frdo_date for d in Document.browse(
                        [first, second])}, {today})
            Wizard.delete(session)
            # Sent already: nothing more to send.
            session, _, _ = Wizard.create()
            with self.assertRaises(UserError):
                Wizard.execute(session, {'start': start}, 'check_')

    @with_transaction()
    def test_report_xlsx(self):
        "The ministry's xlsx: the rows of the report query"
        pool = Pool()
        Wizard = pool.get('copp.training.report.export', type='wizard')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.college.id):
            enrol([create_application(ns.college_program, ns.college_cohort,
                        n) for n in range(2)])
        session, _, _ = Wizard.create()
        result = Wizard.execute(session, {'start': {
                    'date_from': today.replace(month=1, day=1),
                    'date_to': today + dt.timedelta(days=365),
                    'company': None}}, 'export')
        data = result['view']['defaults']['file']
        text = ' '.join(str(c) for row in load_workbook(io.BytesIO(data))
            .active.iter_rows(values_only=True) for c in row
            if c is not None)
        self.assertIn("КБ", text)
        self.assertIn("2", text)

    @with_transaction()
    def test_demo(self):
        "The demo: cohorts, applications, learners, issued documents"
        from copp_training.demo import populate
        from copp_training.frdo import TEMPLATES
        from copp_training.frdo_export import prepare
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Document = pool.get('copp.training.document')
        Application = pool.get('copp.training.application')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        counted = {}
        env = SimpleNamespace(pool=pool, random=random.Random(1),
            faker=Faker('ru_RU'), today=today, scale='small',
            count=counted.__setitem__)
        env.faker.seed_instance(1)
        populate(env)
        self.assertEqual(counted["Потоки программ ЦОПП"], 2 + 2 + 2)
        states = {c.state for c in Cohort.search([])}
        self.assertTrue({'open', 'running', 'completed'} <= states)
        self.assertTrue({'new', 'checked', 'agreement', 'rejected',
                'enrolled'} <= {a.state for a in Application.search([])})
        documents = Document.search([('state', '=', 'issued')])
        self.assertEqual(len(documents), counted["Документы об обучении"])
        self.assertTrue(documents)
        for name, template in TEMPLATES.items():
            ids = [d.id for d in documents
                if d.kind in {'qualification_certificate',
                    'retraining_diploma'} == (name == 'dpo')
                and d.kind != 'study_certificate']
            if ids:
                _, valid, report = prepare(template, ids)
                self.assertEqual(report, [], name)

    def test_verification_page(self):
        "The QR page: validity, number, date, initials; nothing else"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Document = pool.get('copp.training.document')
            today = pool.get('ir.date').today()
            ns = training_setup(today)
            with Transaction().set_context(company=ns.copp.id):
                first, second = issued_documents(ns)
                Document.write([second], {'cancel_reason': "Ошибка"})
                Document.cancel([second])
            first_key, second_key = first.verify_key, second.verify_key
            number, snils = first.registration_number, first.snils
            last_name = first.last_name
            from copp_training.document import holder_initials
            initials = holder_initials(first)
        client = PortalClient()
        response = client.get(f'/verify/{first_key}')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers['Cache-Control'], 'no-store')
        html = text(response)
        self.assertIn("Документ действителен", html)
        self.assertIn(number, html)
        self.assertRegex(initials, r'^[А-Я]\. [А-Я]\. [А-Я]\.$')
        self.assertIn(f'<dd>{initials}</dd>', html)
        self.assertNotIn(last_name, html)
        self.assertNotIn(snils, html)
        html = text(client.get(f'/verify/{second_key}'))
        self.assertIn("Документ недействителен", html)
        for key in [first_key[:-1], 'x' * 65, first_key.upper(),
                "%27%20OR%201=1"]:
            self.assertEqual(client.get(f'/verify/{key}').status_code,
                404, key)


del RouteTestCase
