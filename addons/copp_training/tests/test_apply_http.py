"""The online application from the programme page through real HTTP
(apply_routes.py): a signed-in portal account, the form prefilled from
its person, scans checked as the back office checks them, the duplicates
of the person refused, nothing half-saved, another programme's or an
employer's cohort a 404. Without copp_cabinet the sign-in is the portals'
login and the answer a page of its own (copp_cabinet's tests walk the
whole way with the cabinet)."""
import datetime as dt
import io
import urllib.parse

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_employer.tests.tools import create_employer
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_text, text)

from .tools import PDF, PNG, SNILS, create_application, create_cohort, \
    training_setup

PASSWORD = 'Zayavka-Online-2026'
APPLICANT_SNILS = '156-289-311 90'


def form_data(cohort_id, **values):
    "The fields of a complete application (the scans given apart)"
    return dict({
            'cohort': str(cohort_id),
            'last_name': "Орлова",
            'first_name': "Дарья",
            'patronymic': "Игоревна",
            'birth_date': '1994-05-17',
            'gender': 'female',
            'snils': APPLICANT_SNILS,
            'email': 'orlova@example.ru',
            'phone': '+7 910 000-11-22',
            'address': "Рязань, ул. Ленина, 1",
            'id_document_kind': 'passport_ru',
            'id_document_series': '6114',
            'id_document_number': '654321',
            'id_document_issuer': "УМВД России по Рязанской области",
            'id_document_date': '2014-06-01',
            'education_level': 'vocational',
            'education_document_series': '116205',
            'education_document_number': '0004567',
            'education_document_year': '2014',
            'funding': 'paid',
            'consent': '1',
            }, **values)


def files(**named):
    "{field: [(stream, file name)…]} of the scans"
    return {field: [(io.BytesIO(data), name) for name, data in items]
        for field, items in named.items()}


SCANS = {
    'scan_passport': [('паспорт.pdf', PDF), ('прописка.png', PNG)],
    'scan_snils': [('снилс.pdf', PDF)],
    'scan_diploma': [('диплом.pdf', PDF)],
    }


class ApplyTestCase(PortalTestMixin, RouteTestCase):
    "/programs/<programme>/apply"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Party = pool.get('party.party')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        beta = create_employer("АО «Бета»")
        user = create_portal_user('orlova@example.ru', "Орлова Дарья",
            None, PASSWORD)
        Party.write([user.party], {'last_name': "Орлова",
                'first_name': "Дарья", 'patronymic': "Игоревна",
                'birth_date': dt.date(1994, 5, 17), 'gender': 'female',
                'snils': APPLICANT_SNILS})
        create_portal_user('other@example.ru', "Другой Человек", None,
            PASSWORD)
        with Transaction().set_context(company=ns.copp.id):
            corporate = create_cohort(ns.program, today + dt.timedelta(5),
                today + dt.timedelta(30), employer=beta.id,
                name="Поток для Беты")
        cls.program_id = ns.program.id
        cls.cohort_id = ns.cohort.id
        cls.corporate_id = corporate.id
        cls.college_program_id = ns.college_program.id
        cls.college_cohort_id = ns.college_cohort.id
        cls.user_id = user.id

    def client(self, email_='orlova@example.ru'):
        client = PortalClient()
        client.login(email_, PASSWORD)
        return client

    def path(self, program_id=None, cohort_id=None):
        path = f'/programs/{program_id or self.program_id}/apply'
        if cohort_id:
            path += f'?cohort={cohort_id}'
        return path

    def post(self, client, data, scans=SCANS, program_id=None):
        path = self.path(program_id)
        return client.post(path, dict(data, **files(**scans)),
            csrf_from=path)

    def applications(self, **domain):
        with Transaction().start(DB_NAME, 0):
            Application = Pool().get('copp.training.application')
            return [(a.last_name, a.snils, a.source, a.state,
                    len(a.scans)) for a in Application.search(
                    [(k, '=', v) for k, v in domain.items()],
                    order=[('id', 'ASC')])]

    def scan_count(self):
        with Transaction().start(DB_NAME, 0):
            Attachment = Pool().get('ir.attachment')
            return Attachment.search_count(
                [('resource', 'like', 'copp.training.application,%')])

    def test_anonymous_signs_in_first(self):
        "An anonymous visitor goes to the login and comes back"
        response = PortalClient().get(self.path(cohort_id=self.cohort_id))
        self.assertEqual(response.status_code, 303)
        location = urllib.parse.urlsplit(response.headers['Location'])
        # copp_cabinet is not activated here: the portals' login
        self.assertEqual(location.path, '/partner/login')
        self.assertEqual(urllib.parse.parse_qs(location.query)['next'],
            [self.path(cohort_id=self.cohort_id)])
        response = PortalClient().post(self.path(), {}, csrf_from=(
                '/partner/login'))
        self.assertEqual(response.status_code, 403)

    def test_prefilled(self):
        "The form shows the account's person and the cohort asked for"
        html = text(self.client().get(self.path(cohort_id=self.cohort_id)))
        self.assertIn("Аддитивные технологии", html)
        self.assertIn('value="Орлова"', html)
        self.assertIn('value="Игоревна"', html)
        self.assertIn('value="1994-05-17"', html)
        self.assertIn(f'value="{APPLICANT_SNILS}"', html)
        self.assertIn(f'<option value="{self.cohort_id}" selected>', html)
        self.assertIn('enctype="multipart/form-data"', html)
        # An employer's corporate cohort is not offered
        self.assertNotIn("Поток для Беты", html)
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertTrue(Log.search([('model', '=', 'party.party'),
                        ('portal_user', '=', self.user_id)]))

    def test_not_found(self):
        "A corporate cohort, another programme's cohort, a draft: 404"
        client = self.client()
        for path in [
                self.path(cohort_id=self.corporate_id),
                self.path(cohort_id=self.college_cohort_id),
                self.path(cohort_id='abc'),
                self.path(program_id=999999)]:
            with self.subTest(path=path):
                self.assertEqual(client.get(path).status_code, 404)
        with Transaction().start(DB_NAME, 0):
            Program = Pool().get('copp.program')
            Program.draft([Program(self.college_program_id)])
        try:
            self.assertEqual(client.get(self.path(
                        self.college_program_id)).status_code, 404)
        finally:
            with Transaction().start(DB_NAME, 0):
                Program = Pool().get('copp.program')
                Program.publish([Program(self.college_program_id)])

    def test_apply_with_scans(self):
        "One application with its scans, logged and e-mailed"
        client = self.client()
        response = self.post(client, form_data(self.cohort_id))
        self.assertEqual(response.status_code, 200, text(response)[:3000])
        self.assertIn("отправлена", text(response))
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Application = pool.get('copp.training.application')
            Event = pool.get('copp.security.event')
            application, = Application.search([
                    ('portal_user', '=', self.user_id),
                    ('cohort', '=', self.cohort_id)])
            self.assertIn(application.number, text(response))
            self.assertEqual((application.source, application.state,
                    application.funding, application.company.id,
                    application.consent, application.consent_version),
                ('portal', 'new', 'paid', application.program.company.id,
                    True, '2026-1'))
            self.assertEqual(application.snils, APPLICANT_SNILS)
            self.assertEqual(sorted((s.copp_scan_kind, s.name)
                    for s in application.scans), [
                    ('diploma', 'диплом.pdf'), ('passport', 'паспорт.pdf'),
                    ('passport', 'прописка.png'), ('snils', 'снилс.pdf')])
            log, = application.stage_logs
            self.assertEqual((log.from_state, log.to_state, log.applicant,
                    log.user), (None, 'new', True, None))
            self.assertTrue(Event.search([('kind', '=', 'record_created'),
                        ('record', '=', str(application))]))
            number = application.number
            # The back office's checks pass: nothing is missing
            application.check_ready()
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['orlova@example.ru'])
        self.assertIn(number, message['Subject'])
        self.assertIn(f"принята, её номер — {number}", message_text(
                message))

        # The same person again: refused, nothing saved
        response = self.post(client, form_data(self.cohort_id,
                last_name="Смирнова"))
        self.assertEqual(response.status_code, 422)
        self.assertIn("СНИЛС: Заявка этого человека на эту программу уже "
            "рассматривается", text(response))
        self.assertNotIn(number, text(response))
        self.assertEqual(len(self.applications(snils=APPLICANT_SNILS)), 1)

    def test_duplicate_snils(self):
        "Another application of the СНИЛС to the programme: refused"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Program = pool.get('copp.program')
            Cohort = pool.get('copp.training.cohort')
            program = Program(self.program_id)
            with Transaction().set_context(company=program.company.id):
                create_application(program, Cohort(self.cohort_id), 2,
                    snils=SNILS[2])
        before = self.applications(program=self.program_id)
        scans = self.scan_count()
        response = self.post(self.client('other@example.ru'), form_data(
                self.cohort_id, last_name="Другой", first_name="Человек",
                snils=SNILS[2], email='other@example.ru'))
        self.assertEqual(response.status_code, 422)
        self.assertIn("уже рассматривается", text(response))
        self.assertEqual(self.applications(program=self.program_id), before)
        self.assertEqual(self.scan_count(), scans)

    def test_bad_scans(self):
        "A scan of another type or too large: the field named, nothing saved"
        client = self.client()
        before = self.applications(portal_user=self.user_id)
        scans = dict(SCANS, scan_passport=[('паспорт.exe', b'MZ\x90\x00')])
        response = self.post(client, form_data(self.cohort_id), scans)
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Скан документа, удостоверяющего личность: файл "
            "«паспорт.exe» — не PDF, JPEG или PNG.", html)
        self.assertIn('id="f-scan_passport" name="scan_passport" '
            'type="file"', html)
        self.assertIn('aria-invalid="true"', html)

        size = config.get('copp', 'training_scan_max_size')
        config.set('copp', 'training_scan_max_size', str(1024 * 1024))
        try:
            big = b'%PDF-1.4\n' + b'0' * (1024 * 1024 + 200 * 1024)
            scans = dict(SCANS, scan_diploma=[('диплом.pdf', big)])
            response = self.post(client, form_data(self.cohort_id), scans)
        finally:
            config.set('copp', 'training_scan_max_size',
                size or str(5 * 1024 * 1024))
        self.assertEqual(response.status_code, 422)
        self.assertIn("Скан документа об образовании: файл «диплом.pdf» "
            "занимает 1.2 МБ, больше 1.0 МБ.", text(response))
        self.assertEqual(self.applications(portal_user=self.user_id), before)

    def test_required_fields_and_scans(self):
        "Each missing field and scan named in Russian"
        client = self.client()
        before = self.applications(portal_user=self.user_id)
        response = self.post(client, form_data(self.cohort_id,
                last_name='', snils='112-233-445 96', consent='',
                education_document_surname="Иванова"),
            {'scan_passport': SCANS['scan_passport']})
        self.assertEqual(response.status_code, 422)
        html = text(response)
        for message in [
                "Фамилия: Заполните это поле.",
                "СНИЛС: неверный СНИЛС",
                "Скан СНИЛС: приложите скан",
                "Скан документа об образовании: приложите скан",
                "Согласие на обработку персональных данных: Отметьте",
                ]:
            self.assertIn(message, html)
        # The surname of the diploma differs: the certificate is needed
        response = self.post(client, form_data(self.cohort_id,
                education_document_surname="Иванова"))
        self.assertIn("Скан свидетельства о смене фамилии: приложите скан",
            text(response))
        # A further professional programme needs vocational education
        response = self.post(client, form_data(self.cohort_id,
                education_level='secondary'))
        self.assertIn("Образование: для повышения квалификации",
            text(response))
        self.assertEqual(self.applications(portal_user=self.user_id), before)

    def test_federal_seat(self):
        "A federal project seat needs the category and its document"
        client = self.client()
        data = form_data(self.college_cohort_id, funding='federal',
            education_level='secondary')
        response = self.post(client, data,
            program_id=self.college_program_id)
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Категория участника федерального проекта: выберите "
            "категорию", html)
        self.assertIn("Скан документа о категории: приложите скан", html)
        scans = dict(SCANS, scan_eligibility=[('справка.pdf', PDF)])
        response = self.post(client, dict(data, eligibility='unemployed',
                eligibility_employed=''), scans,
            program_id=self.college_program_id)
        self.assertEqual(response.status_code, 200, text(response)[:3000])
        with Transaction().start(DB_NAME, 0):
            Application = Pool().get('copp.training.application')
            application, = Application.search([
                    ('portal_user', '=', self.user_id),
                    ('program', '=', self.college_program_id)])
            self.assertEqual((application.funding, application.eligibility,
                    application.eligibility_confirmed,
                    application.eligibility_employed),
                ('federal', 'unemployed', False, False))

    def test_csrf(self):
        "A POST without the form's token is refused and saves nothing"
        client = self.client()
        before = self.applications(portal_user=self.user_id)
        response = client.post(self.path(), dict(form_data(self.cohort_id),
                **files(**SCANS)), csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.applications(portal_user=self.user_id), before)


del RouteTestCase
