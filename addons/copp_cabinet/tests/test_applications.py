"""Applications for training in the cabinet (copp_training activated):
the whole way of a citizen — the programme's «Подать заявку» asks to sign
in, the sign-up by e-mail comes back to the form, the application with
its scans lands in «Мои заявки» — and the account's own applications
only: another account's is a 404, for reading and for withdrawing."""
import io
import urllib.parse

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_link,
    message_text, text)
from copp_training.tests.tools import (
    PDF, create_application, training_setup)

PASSWORD = 'Kabinet-2026-parol'
NEW_PASSWORD = 'Zelenyi-tramvai-2026'


class CabinetApplicationsTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/applications and the online application"
    module = 'copp_cabinet'
    extras = ['copp_training']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        alice = create_portal_user('alice@example.ru', "Алиса Заявкина",
            None, PASSWORD)
        boris = create_portal_user('boris@example.ru', "Борис Чужаков",
            None, PASSWORD)
        with Transaction().set_context(company=ns.copp.id):
            mine = create_application(ns.program, ns.cohort, 0,
                source='portal', portal_user=alice.id)
            other = create_application(ns.program, ns.cohort, 1,
                source='portal', portal_user=boris.id,
                last_name="Чужаков")
        cls.program_id = ns.program.id
        cls.cohort_id = ns.cohort.id
        cls.mine = (mine.id, mine.number)
        cls.other = (other.id, other.number)

    def client(self, email_):
        client = PortalClient()
        client.login(email_, PASSWORD)
        return client

    def state(self, application_id):
        with Transaction().start(DB_NAME, 0):
            Application = Pool().get('copp.training.application')
            application = Application(application_id)
            return (application.state, application.withdraw_reason,
                [(l.to_state, l.applicant) for l in application.stage_logs])

    def test_apply_after_signup(self):
        "From the programme to «Мои заявки» through the sign-up"
        apply = f'/programs/{self.program_id}/apply?cohort={self.cohort_id}'
        client = PortalClient()
        response = client.get(apply)
        self.assertEqual(response.status_code, 303)
        login = response.headers['Location']
        self.assertEqual(login, '/cabinet/login?' + urllib.parse.urlencode(
                {'next': apply}))
        html = text(client.get(login))
        self.assertIn('href="/cabinet/signup?next=/programs/', html)
        signup = '/cabinet/signup?' + urllib.parse.urlencode({'next': apply})
        response = client.post(signup, {
                'last_name': "Новикова", 'first_name': "Мария",
                'birth_date': '1996-02-11', 'email': 'novikova@example.ru',
                'password': NEW_PASSWORD, 'password2': NEW_PASSWORD,
                'consent': '1', 'next': apply})
        self.assertEqual(response.status_code, 200)
        link = message_link(self.smtp.last()[2], '/cabinet/signup/confirm/')
        response = client.post(link, {})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], apply)

        html = text(client.get(apply))
        self.assertIn('value="Новикова"', html)
        self.assertIn('value="novikova@example.ru"', html)
        self.smtp.clear()
        path = f'/programs/{self.program_id}/apply'
        response = client.post(path, {
                'cohort': str(self.cohort_id), 'last_name': "Новикова",
                'first_name': "Мария", 'birth_date': '1996-02-11',
                'gender': 'female', 'snils': '200-300-400 48',
                'email': 'novikova@example.ru',
                'id_document_kind': 'passport_ru',
                'id_document_number': '112233',
                'id_document_issuer': "УМВД России по Рязанской области",
                'id_document_date': '2016-03-01',
                'education_level': 'higher', 'funding': 'paid',
                'consent': '1',
                'scan_passport': (io.BytesIO(PDF), 'passport.pdf'),
                'scan_snils': (io.BytesIO(PDF), 'snils.pdf'),
                'scan_diploma': (io.BytesIO(PDF), 'diploma.pdf'),
                }, csrf_from=apply)
        self.assertEqual(response.status_code, 303, text(response)[:3000])
        self.assertEqual(response.headers['Location'],
            '/cabinet/applications')
        html = text(client.get('/cabinet/applications'))
        self.assertIn("Заявка", html)
        self.assertIn("отправлена", html)
        self.assertIn("Аддитивные технологии", html)
        self.assertIn("Новая", html)
        self.assertNotIn(self.mine[1], html)
        self.assertNotIn(self.other[1], html)
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['novikova@example.ru'])
        self.assertIn("«Мои заявки»", message_text(message))

    def test_own_applications_only(self):
        "Another account's application: not listed, 404, not withdrawn"
        client = self.client('alice@example.ru')
        html = text(client.get('/cabinet/applications'))
        self.assertIn(self.mine[1], html)
        self.assertNotIn(self.other[1], html)
        self.assertNotIn("Чужаков", html)
        self.assertIn('href="/cabinet/applications"', html)
        page = client.get(f'/cabinet/applications/{self.mine[0]}')
        self.assertEqual(page.status_code, 200)
        self.assertIn("История рассмотрения", text(page))
        self.assertIn("Отозвать заявку", text(page))
        self.assertEqual(client.get(
                f'/cabinet/applications/{self.other[0]}').status_code, 404)
        before = self.state(self.other[0])
        response = client.post(
            f'/cabinet/applications/{self.other[0]}/withdraw',
            {'reason': "Не моя"}, csrf_from='/cabinet/applications')
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.state(self.other[0]), before)
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertTrue(Log.search([
                        ('model', '=', 'copp.training.application'),
                        ('portal_user.email', '=', 'alice@example.ru')]))

    def test_withdraw(self):
        "The applicant withdraws a new application, once"
        client = self.client('alice@example.ru')
        path = f'/cabinet/applications/{self.mine[0]}'
        response = client.post(path + '/withdraw',
            {'reason': "Передумала"}, csrf_from=path)
        self.assertEqual(response.status_code, 303)
        state, reason, logs = self.state(self.mine[0])
        self.assertEqual((state, reason, logs[-1]),
            ('withdrawn', "Передумала", ('withdrawn', True)))
        html = text(client.get('/cabinet/applications'))
        self.assertIn(f"Заявка {self.mine[1]} отозвана", html)
        self.assertIn("Отозвана", html)
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['learner0@example.com'])
        page = text(client.get(path))
        self.assertNotIn('/withdraw"', page)
        response = client.post(path + '/withdraw', {}, csrf_from=path)
        self.assertEqual(response.status_code, 303)
        self.assertIn("уже нельзя отозвать", text(client.get(path)))


del RouteTestCase
