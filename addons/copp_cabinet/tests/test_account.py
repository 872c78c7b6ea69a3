"""Everyone's cabinet page through HTTP: consents with their withdrawal,
e-mail notifications, «sign out elsewhere»; another account's consent
cannot be withdrawn (404)."""
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

PASSWORD = 'Kabinet-2026-parol'


def new_account(email_, name):
    "A cabinet account with a password and the consent of the cabinet"
    with Transaction().start(DB_NAME, 0):
        pool = Pool()
        Consent = pool.get('copp.portal.consent')
        user = create_portal_user(email_, name, None, PASSWORD)
        consent = Consent.give(user, 'cabinet_account', 'invitation')
        return user.id, consent.id


def signed_in(email_):
    client = PortalClient()
    client.login(email_, PASSWORD)
    return client


class CabinetAccountTestCase(PortalTestMixin, RouteTestCase):
    "The profile, consents, notifications and sessions of an account"
    module = 'copp_cabinet'
    language = 'ru'

    def consents(self, user_id):
        with Transaction().start(DB_NAME, 0):
            Consent = Pool().get('copp.portal.consent')
            return [(c.purpose, bool(c.withdrawn)) for c in Consent.search(
                    [('user', '=', user_id)], order=[('id', 'ASC')])]

    def test_mailing_and_history(self):
        "Subscribing is a consent of its own; unsubscribing withdraws it"
        user_id, _ = new_account('mail@cabinet.example', "Почтова Анна")
        client = signed_in('mail@cabinet.example')
        page = text(client.get('/cabinet/account'))
        self.assertIn("Учётная запись личного кабинета", page)
        self.assertIn("Получать новости и приглашения", page)
        response = client.post('/cabinet/account/mailing', {'subscribe': '1'},
            csrf_from='/cabinet/account')
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.consents(user_id),
            [('cabinet_account', False), ('mailing', False)])
        self.assertIn("Отписаться от рассылки",
            text(client.get('/cabinet/account')))
        client.post('/cabinet/account/mailing', {'subscribe': '0'},
            csrf_from='/cabinet/account')
        self.assertEqual(self.consents(user_id),
            [('cabinet_account', False), ('mailing', True)])
        # Without the CSRF token nothing changes
        response = client.post('/cabinet/account/mailing',
            {'subscribe': '1'}, csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.consents(user_id),
            [('cabinet_account', False), ('mailing', True)])

    def test_sign_out_elsewhere(self):
        "The other sessions end, this one goes on"
        new_account('twice@cabinet.example', "Дважды Вошедший")
        here = signed_in('twice@cabinet.example')
        there = signed_in('twice@cabinet.example')
        self.assertEqual(there.get('/cabinet/').status_code, 200)
        self.assertIn("Выйти на других устройствах",
            text(here.get('/cabinet/account')))
        response = here.post('/cabinet/account/sessions/end', {},
            csrf_from='/cabinet/account')
        self.assertEqual(response.status_code, 303)
        self.assertEqual(here.get('/cabinet/').status_code, 200)
        response = there.get('/cabinet/')
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].startswith(
                '/cabinet/login'))

    def test_withdraw_closes_account(self):
        "Another's consent: 404; one's own cabinet consent closes the account"
        user_id, consent_id = new_account('own@cabinet.example', "Свой")
        _, other_consent = new_account('other@cabinet.example', "Чужой")
        client = signed_in('own@cabinet.example')
        response = client.post(
            f'/cabinet/account/consents/{other_consent}/withdraw', {},
            csrf_from='/cabinet/account')
        self.assertEqual(response.status_code, 404)
        with Transaction().start(DB_NAME, 0):
            Consent = Pool().get('copp.portal.consent')
            self.assertIsNone(Consent(other_consent).withdrawn)
        response = client.post(
            f'/cabinet/account/consents/{consent_id}/withdraw', {},
            csrf_from='/cabinet/account')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Учётная запись закрыта", text(response))
        self.assertEqual(client.get('/cabinet/').status_code, 303)
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            user, = User.search([('id', '=', user_id),
                    ('active', 'in', [True, False])])
            self.assertFalse(user.active)
        response = PortalClient().post('/partner/login', {
                'email': 'own@cabinet.example', 'password': PASSWORD})
        self.assertEqual(response.status_code, 422)
