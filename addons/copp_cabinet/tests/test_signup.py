"""A citizen's sign-up by e-mail through HTTP (signup.py): the form, the
e-mail with the link, the confirmation that activates the account and
signs in, the login afterwards; the same answer for an address that has
an account (its owner gets an e-mail), a second sign-up before the
confirmation, the refusals, the throttling; the cabinet's password reset
link."""
from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_link,
    message_text, text)

PASSWORD = 'Kabinet-2026-parol'
NEW_PASSWORD = 'Zelenyi-tramvai-2026'
SIGNUP = {
    'last_name': "Новикова",
    'first_name': "Мария",
    'patronymic': "Сергеевна",
    'birth_date': '1996-02-11',
    'email': 'novikova@example.ru',
    'password': NEW_PASSWORD,
    'password2': NEW_PASSWORD,
    'consent': '1',
    }


def signup(client, **values):
    return client.post('/cabinet/signup', dict(SIGNUP, **values))


class SignupTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/signup and its link"
    module = 'copp_cabinet'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        create_portal_user('taken@example.ru', "Занятов Пётр", None,
            PASSWORD)

    def accounts(self, email_):
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            return [(u.active, u.email_valid, u.name) for u in User.search([
                        ('email', '=', email_),
                        ('active', 'in', [True, False])])]

    def test_signup_confirm_login(self):
        "Sign-up → e-mail → confirmation (signed in) → login"
        client = PortalClient()
        html = text(client.get('/cabinet/login'))
        self.assertIn('href="/cabinet/signup"', html)
        self.assertIn("Зарегистрироваться", html)
        response = signup(client)
        self.assertEqual(response.status_code, 200, text(response)[:2000])
        self.assertIn("Проверьте почту", text(response))
        self.assertIn("novikova@example.ru", text(response))
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['novikova@example.ru'])
        self.assertEqual(message['Subject'],
            "Подтверждение регистрации в личном кабинете ЦОПП")
        link = message_link(message, '/cabinet/signup/confirm/')
        self.assertEqual(self.accounts('novikova@example.ru'),
            [(False, False, "Новикова Мария Сергеевна")])
        # Not confirmed yet: the password opens nothing
        response = PortalClient().post('/cabinet/login', {
                'email': 'novikova@example.ru', 'password': NEW_PASSWORD})
        self.assertEqual(response.status_code, 422)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('web.user')
            Consent = pool.get('copp.portal.consent')
            user, = User.search([('email', '=', 'novikova@example.ru'),
                    ('active', '=', False)])
            party = user.party
            self.assertEqual((party.last_name, party.first_name,
                    party.patronymic, party.birth_date.isoformat(),
                    party.email),
                ("Новикова", "Мария", "Сергеевна", '1996-02-11',
                    'novikova@example.ru'))
            consent, = Consent.search([('user', '=', user.id)])
            self.assertEqual((consent.purpose, consent.channel,
                    consent.version, consent.ip_address),
                ('cabinet_account', 'signup', consent.text.version,
                    '127.0.0.1'))

        page = client.get(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Новикова Мария Сергеевна", text(page))
        self.assertIn("Подтвердить и войти", text(page))
        # Opening the link uses nothing: the button does
        self.assertEqual(self.accounts('novikova@example.ru')[0][0], False)
        response = client.post(link, {})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/cabinet/')
        home = client.get('/cabinet/')
        self.assertEqual(home.status_code, 200)
        self.assertIn("Адрес почты подтверждён", text(home))
        self.assertEqual(self.accounts('novikova@example.ru'),
            [(True, True, "Новикова Мария Сергеевна")])
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.security.event')
            self.assertEqual([e.kind for e in Event.search([
                            ('login', '=', 'novikova@example.ru'),
                            ('kind', 'in', ['signup', 'signup_confirmed',
                                    'login'])],
                        order=[('id', 'ASC')])],
                ['signup', 'signup_confirmed', 'login'])
        # The link works once
        self.assertEqual(PortalClient().post(link, {},
                csrf_from='/cabinet/signup').status_code, 410)
        response = PortalClient().post('/cabinet/login', {
                'email': 'novikova@example.ru', 'password': NEW_PASSWORD})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/cabinet/')

    def test_address_with_account(self):
        "The same answer; the owner is told; the account is unchanged"
        mine = signup(PortalClient(), email='taken@example.ru')
        other = signup(PortalClient(), email='free@example.ru')
        self.assertEqual(mine.status_code, other.status_code)
        self.assertEqual(
            text(mine).replace('taken@example.ru', 'X'),
            text(other).replace('free@example.ru', 'X'))
        messages = {tuple(r): m for _, r, m in self.smtp.wait(2)}
        owner = message_text(messages[('taken@example.ru',)])
        self.assertIn("Учётная запись с этим адресом у вас уже есть", owner)
        self.assertIn('/partner/password/forgot', owner)
        self.assertNotIn('/cabinet/signup/confirm/', owner)
        self.assertEqual(self.accounts('taken@example.ru'),
            [(True, True, "Занятов Пётр")])
        client = PortalClient()
        client.login('taken@example.ru', PASSWORD)

    def test_signup_again(self):
        "A second sign-up before the confirmation: one account, a new link"
        signup(PortalClient(), email='twice@example.ru')
        first = message_link(self.smtp.last()[2], '/cabinet/signup/confirm/')
        signup(PortalClient(), email='twice@example.ru', first_name="Анна")
        self.smtp.wait(2)
        second = message_link(self.smtp.messages[-1][2],
            '/cabinet/signup/confirm/')
        self.assertNotEqual(first, second)
        self.assertEqual(PortalClient().get(first).status_code, 404)
        client = PortalClient()
        self.assertEqual(client.post(second, {},
                csrf_from=second).status_code, 303)
        self.assertEqual(self.accounts('twice@example.ru'),
            [(True, True, "Новикова Анна Сергеевна")])

    def test_refused(self):
        "Weak or different passwords, no consent, a bad name: nothing sent"
        client = PortalClient()
        for values, message in [
                ({'password': 'короткий', 'password2': 'короткий'},
                    "Пароль: "),
                ({'password2': 'Drugoi-parol-2026'}, "Пароль ещё раз: "),
                ({'consent': ''}, "Согласие на обработку персональных "
                    "данных: Отметьте"),
                ({'last_name': 'Smith'}, "Фамилия: только русские буквы"),
                ({'birth_date': '2020-01-01'}, "Дата рождения: "),
                ({'email': 'not-an-address'}, "Электронная почта: "),
                ]:
            with self.subTest(values=values):
                response = signup(client, **dict(
                        {'email': 'refused@example.ru'}, **values))
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, text(response))
        self.assertEqual(self.smtp.messages, [])
        self.assertEqual(self.accounts('refused@example.ru'), [])
        # Without the form's token
        response = PortalClient().post('/cabinet/signup',
            dict(SIGNUP, email='nocsrf@example.ru'), csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.accounts('nocsrf@example.ru'), [])

    def test_throttled(self):
        "Past the limit of sign-ups from an address, the next waits"
        with Transaction().start(DB_NAME, 0):
            Configuration = Pool().get('copp.portal.configuration')
            Configuration.write([Configuration(1)], {'ip_failed_logins': 2})
        base = config.get('copp', 'login_delay_base')
        config.set('copp', 'login_delay_base', '60')
        try:
            client = PortalClient(remote_addr='10.1.2.3')
            for number in range(2):
                response = signup(client, email=f'flood{number}@example.ru')
                self.assertEqual(response.status_code, 200)
            response = signup(client, email='flood9@example.ru')
            self.assertEqual(response.status_code, 429)
            self.assertIn("Слишком много регистраций", text(response))
            self.assertEqual(self.accounts('flood9@example.ru'), [])
            # Another address is not slowed down
            response = signup(PortalClient(remote_addr='10.1.2.4'),
                email='calm@example.ru')
            self.assertEqual(response.status_code, 200)
        finally:
            config.set('copp', 'login_delay_base', base or '1')
            with Transaction().start(DB_NAME, 0):
                Configuration = Pool().get('copp.portal.configuration')
                Configuration.write([Configuration(1)],
                    {'ip_failed_logins': 50})

    def test_mails_per_address(self):
        "An address gets at most three sign-up e-mails an hour"
        for number in range(4):
            signup(PortalClient(remote_addr=f'10.9.0.{number}'),
                email='many@example.ru')
        self.smtp.wait(3)
        self.assertEqual(len(self.smtp.messages), 3)

    def test_cabinet_password_reset(self):
        "The reset link of a cabinet account sets the password"
        client = PortalClient()
        client.post('/partner/password/forgot', {
                'email': 'taken@example.ru'})
        link = message_link(self.smtp.last()[2], '/cabinet/password/reset/')
        response = client.post(link, {'password': 'Novyi-parol-kabineta-1',
                'password2': 'Novyi-parol-kabineta-1'})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/cabinet/login')
        PortalClient().login('taken@example.ru', 'Novyi-parol-kabineta-1')
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            user, = User.search([('email', '=', 'taken@example.ru')])
            User.write([user], {'password_hash': User.hash_password(
                        PASSWORD)})

    def test_unconfirmed_removed(self):
        "The cron removes sign-ups unconfirmed for a week, and their person"
        import datetime as dt
        from copp_cabinet.signup_clean import UNCONFIRMED_DAYS
        signup(PortalClient(), email='forgot@example.ru')
        signup(PortalClient(), email='kept-person@example.ru',
            first_name="Ольга")
        client = PortalClient()
        signup(client, email='confirmed@example.ru', first_name="Вера")
        self.smtp.wait(3)
        link, = [message_link(m, '/cabinet/signup/confirm/')
            for _, r, m in self.smtp.messages
            if r == ['confirmed@example.ru']]
        self.assertEqual(client.post(link, {},
                csrf_from=link).status_code, 303)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('web.user')
            Party = pool.get('party.party')
            Consent = pool.get('copp.portal.consent')
            Event = pool.get('copp.security.event')
            inactive = [('active', 'in', [True, False])]
            forgot, = User.search([('email', '=', 'forgot@example.ru')]
                + inactive)
            kept, = User.search([('email', '=', 'kept-person@example.ru')]
                + inactive)
            forgot_party, kept_party = forgot.party.id, kept.party.id
            # Something came to point at the second person meanwhile
            Party.create([{'name': "Дубль", 'active': False,
                        'replaced_by': kept_party}])
            # From the account's own date (the database's clock)
            now = forgot.create_date
            self.assertEqual(User.clean_unconfirmed_signups(
                    now=now + dt.timedelta(days=UNCONFIRMED_DAYS - 1)), 0)
            self.assertTrue(User.clean_unconfirmed_signups(
                    now=now + dt.timedelta(days=UNCONFIRMED_DAYS, hours=1)))
            self.assertEqual(User.search([('email', 'in', [
                                'forgot@example.ru',
                                'kept-person@example.ru'])] + inactive), [])
            self.assertEqual(Consent.search([
                        ('user', 'in', [forgot.id, kept.id])]), [])
            self.assertEqual(Party.search([('id', '=', forgot_party)]
                    + inactive), [])
            self.assertEqual(len(Party.search([('id', '=', kept_party)]
                        + inactive)), 1)
            confirmed, = User.search([
                    ('email', '=', 'confirmed@example.ru')])
            self.assertTrue(confirmed.active)
            removed = Event.search([('kind', '=', 'signup_removed'),
                    ('login', 'in', ['forgot@example.ru',
                            'kept-person@example.ru'])])
            self.assertEqual(len(removed), 2)
            # The sign-up's own log rows stay, without the account
            self.assertTrue(Event.search([('kind', '=', 'signup'),
                        ('login', '=', 'forgot@example.ru')]))


del RouteTestCase
