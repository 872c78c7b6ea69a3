"""The portal framework through real HTTP (werkzeug test client on
trytond.wsgi.app): accounts, sessions, CSRF, lockout, tokens, e-mails,
escaping and security headers. See tests/tools.py for how the client
reaches the test database."""
import datetime as dt
import re
import unittest
from unittest import mock

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.portal import Page, hash_key, plural, safe_next

from .tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_link,
    message_text, run_queue, text)

PASSWORD = 'Rjazan-2026-partner'


class PortalRouteTestCase(PortalTestMixin, RouteTestCase):
    "Portal accounts through HTTP"
    module = 'copp_portal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Party = pool.get('party.party')
        org_a, org_b = Party.create([
                {'name': "ООО «Альфа»"}, {'name': "АО «Бета»"}])
        create_portal_user('anna@alfa.example', "Анна Смирнова", org_a,
            PASSWORD)
        create_portal_user('boris@beta.example', "Борис Петров", org_b,
            PASSWORD)
        for index in range(1, 9):
            create_portal_user(f'user{index}@alfa.example',
                f"Пользователь {index}", org_a, PASSWORD)

    def user(self, email):
        pool = Pool()
        User = pool.get('web.user')
        user, = User.search([('email', '=', email)])
        return user

    def write_user(self, email, **values):
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('web.user')
            User.write([self.user(email)], values)

    # Login and sessions ------------------------------------------------
    def test_login_page(self):
        "The login page is Russian, accessible and carries a CSRF token"
        client = PortalClient()
        response = client.get('/partner/login')
        self.assertEqual(response.status_code, 200)
        html = text(response)
        self.assertIn('<html lang="ru"', html)
        self.assertIn('<label for="f-email">Электронная почта', html)
        self.assertIn('autocomplete="current-password"', html)
        self.assertRegex(html, r'name="csrf_token" value="[0-9a-f]{64}"')
        self.assertIn('href="/portal-static/portal.css"', html)
        # copp_employer registers /vacancies in the public menu, but it is
        # not activated in this database: no link to it.
        self.assertNotIn('href="/vacancies"', html)

    def test_login_logout(self):
        "Login sets an HttpOnly SameSite session cookie; logout ends it"
        client = PortalClient()
        response = client.login('anna@alfa.example', PASSWORD)
        self.assertEqual(response.headers['Location'], '/partner/')
        cookie = [h for h in response.headers.getlist('Set-Cookie')
            if h.startswith('copp_session=')][0]
        self.assertIn('HttpOnly', cookie)
        self.assertIn('SameSite=Lax', cookie)
        self.assertIn('Path=/', cookie)
        self.assertNotIn('Secure', cookie)  # plain HTTP in this test

        response = client.get('/partner/account')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Анна Смирнова", text(response))
        self.assertIn("ООО «Альфа»", text(response))
        self.assertEqual(response.headers['Cache-Control'], 'no-store')

        key = client.cookie('copp_session')
        response = client.post('/partner/logout', csrf_from='/partner/account')
        self.assertEqual(response.status_code, 303)
        response = client.get('/partner/account')
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].startswith(
                '/partner/login?next='))

        with Transaction().start(DB_NAME, 0):
            Session = Pool().get('web.user.session')
            Event = Pool().get('copp.security.event')
            user = self.user('anna@alfa.example')
            self.assertFalse(Session.search([
                        ('key', '=', hash_key(key))]))
            kinds = {e.kind for e in Event.search(
                    [('portal_user', '=', user.id)])}
            self.assertLessEqual({'login', 'logout'}, kinds)

    def test_secure_cookie_behind_https(self):
        "Behind HTTPS the cookies are Secure and HSTS is sent"
        client = PortalClient(base_url='https://portal.example')
        response = client.login('anna@alfa.example', PASSWORD)
        cookie = [h for h in response.headers.getlist('Set-Cookie')
            if h.startswith('copp_session=')][0]
        self.assertIn('Secure', cookie)
        self.assertIn('max-age=', response.headers[
                'Strict-Transport-Security'])

    def test_wrong_password(self):
        "A wrong password answers a Russian error and no session"
        client = PortalClient()
        response = client.post('/partner/login', {
                'email': 'anna@alfa.example', 'password': 'wrong-123'})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Неверный адрес почты или пароль", text(response))
        self.assertIsNone(client.cookie('copp_session'))
        # Unknown addresses answer the same (no enumeration).
        response = client.post('/partner/login', {
                'email': 'nobody@alfa.example', 'password': 'wrong-123'})
        self.assertIn("Неверный адрес почты или пароль", text(response))

    def setUp(self):
        super().setUp()
        # The first delay of a throttled login: a minute, longer than any
        # step of a test (the delays are ended by moving failures back).
        if not config.has_section('copp'):
            config.add_section('copp')
        config.set('copp', 'login_delay_base', '60')
        self.addCleanup(config.set, 'copp', 'login_delay_base', '1')

    def backdate_failures(self, email, seconds):
        "The failed logins of `email` so far happened `seconds` ago"
        with Transaction().start(DB_NAME, 0) as transaction:
            table = Pool().get('copp.security.event').__table__()
            transaction.connection.cursor().execute(*table.update(
                    [table.date],
                    [dt.datetime.now() - dt.timedelta(seconds=seconds)],
                    where=(table.login == email)
                    & (table.kind == 'login_failed')))

    def test_lockout(self):
        """Past five failures, that e-mail from that address waits (even
        with the right password); another address logs in; the wait grows
        and ends (finding 12: no lock a stranger can cause)"""
        email = 'user1@alfa.example'
        client = PortalClient(remote_addr='10.20.0.1')
        for attempt in range(5):
            response = client.post('/partner/login', {
                    'email': email, 'password': f'wrong-{attempt}'})
            self.assertEqual(response.status_code, 422)
            self.assertIn("Неверный адрес почты или пароль", text(response))
        response = client.post('/partner/login', {
                'email': email, 'password': PASSWORD})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Слишком много неудачных попыток", text(response))
        self.assertIsNone(client.cookie('copp_session'))
        # The owner, elsewhere, is not locked out.
        PortalClient(remote_addr='10.20.0.2').login(email, PASSWORD)
        # The wait ends a minute after the fifth failure…
        self.backdate_failures(email, 61)
        response = client.post('/partner/login', {
                'email': email, 'password': 'wrong-5'})
        self.assertIn("Неверный адрес почты или пароль", text(response))
        # …and two minutes after the sixth.
        self.backdate_failures(email, 61)
        response = client.post('/partner/login', {
                'email': email, 'password': PASSWORD})
        self.assertIn("Слишком много неудачных попыток", text(response))
        self.backdate_failures(email, 121)
        client.login(email, PASSWORD)

    def test_lockout_counter_reset_by_success(self):
        "Failures are counted in a row: a success starts again from zero"
        email = 'user2@alfa.example'
        client = PortalClient(remote_addr='10.20.1.1')
        for attempt in range(4):
            client.post('/partner/login', {
                    'email': email, 'password': 'wrong-0'})
        client.login(email, PASSWORD)
        client = PortalClient(remote_addr='10.20.1.1')
        for attempt in range(4):
            response = client.post('/partner/login', {
                    'email': email, 'password': 'wrong-0'})
            self.assertNotIn("Слишком много", text(response))
        client.login(email, PASSWORD)

    def test_no_enumeration(self):
        """An account and an unknown e-mail get the same answers, lockout
        included, and a password hash is checked for both (finding 14)"""
        def answers(email):
            client = PortalClient(remote_addr='10.20.2.1')
            result = []
            for attempt in range(7):
                response = client.post('/partner/login', {
                        'email': email, 'password': f'wrong-{attempt}'})
                html = text(response).replace(email, 'EMAIL')
                html = re.sub(r'name="csrf_token" value="[^"]+"', '', html)
                result.append((response.status_code, html))
            return result
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
        with mock.patch.object(User, 'check_password',
                wraps=User.check_password) as check:
            known = answers('user5@alfa.example')
            known_checks = check.call_count
            check.reset_mock()
            unknown = answers('nobody5@alfa.example')
            unknown_checks = check.call_count
        self.assertEqual(known, unknown)
        self.assertIn("Слишком много неудачных попыток", known[-1][1])
        self.assertEqual(known_checks, 7)
        self.assertEqual(unknown_checks, 7)

    def test_password_policy(self):
        "The portal refuses the passwords the back office refuses (11)"
        client = PortalClient()
        client.login('user8@alfa.example', PASSWORD)
        for weak, message in [
                ('qwerty12', "не меньше 12 символов"),
                ('Qwerty123456', "самых распространённых"),
                ('user8@alfa.example', "не должен совпадать"),
                (PASSWORD, "последних паролей"),
                ]:
            response = client.post('/partner/account/password', {
                    'current': PASSWORD, 'password': weak,
                    'password2': weak}, csrf_from='/partner/account')
            self.assertEqual(response.status_code, 422, weak)
            self.assertIn(message, text(response))

    def test_session_idle_timeout(self):
        "An idle session ends: the next page asks to log in again"
        client = PortalClient()
        client.login('user3@alfa.example', PASSWORD)
        self.assertEqual(client.get('/partner/account').status_code, 200)
        with Transaction().start(DB_NAME, 0):
            Session = Pool().get('web.user.session')
            sessions = Session.search([
                    ('user', '=', self.user('user3@alfa.example').id)])
            Session.write(sessions, {'last_activity': dt.datetime.now()
                    - dt.timedelta(hours=2)})
        response = client.get('/partner/account')
        self.assertEqual(response.status_code, 303)

    def test_open_redirect(self):
        "After login only local paths are followed"
        self.assertEqual(safe_next('//evil.example/x'), '/partner/')
        self.assertEqual(safe_next('https://evil.example/'), '/partner/')
        self.assertEqual(safe_next('/\\evil.example'), '/partner/')
        self.assertEqual(safe_next('/partner/orders?page=2'),
            '/partner/orders?page=2')
        client = PortalClient()
        token = client.csrf_token('/partner/login')
        response = client.post('/partner/login', {
                'email': 'user4@alfa.example', 'password': PASSWORD,
                'next': '//evil.example/', 'csrf_token': token})
        self.assertEqual(response.headers['Location'], '/partner/')

    # CSRF --------------------------------------------------------------
    def test_post_without_csrf_refused(self):
        "A POST without the CSRF token is refused (login and logged in)"
        client = PortalClient()
        client.get('/partner/login')
        response = client.post('/partner/login', {
                'email': 'anna@alfa.example', 'password': PASSWORD},
            csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(client.cookie('copp_session'))
        self.assertIn("Форма устарела", text(response))

        client.login('anna@alfa.example', PASSWORD)
        response = client.post('/partner/account', {
                'name': "Взломщик", 'position': '', 'phone': ''},
            csrf=False)
        self.assertEqual(response.status_code, 403)
        response = client.post('/partner/account', {
                'name': "Взломщик", 'position': '', 'phone': '',
                'csrf_token': 'f' * 64}, csrf=False)
        self.assertEqual(response.status_code, 403)
        with Transaction().start(DB_NAME, 0):
            self.assertEqual(self.user('anna@alfa.example').name,
                "Анна Смирнова")
            Event = Pool().get('copp.security.event')
            self.assertTrue(Event.search([('kind', '=', 'csrf_failure')]))

    def test_csrf_token_of_another_session(self):
        "The token of one session does not work in another"
        anna, boris = PortalClient(), PortalClient()
        anna.login('anna@alfa.example', PASSWORD)
        boris.login('boris@beta.example', PASSWORD)
        token = anna.csrf_token('/partner/account')
        response = boris.post('/partner/account', {
                'name': "Чужой", 'csrf_token': token})
        self.assertEqual(response.status_code, 403)

    # Escaping and headers ----------------------------------------------
    def test_script_in_name_escaped(self):
        "A name with <script> is shown escaped"
        evil = '<script>alert("x")</script>'
        client = PortalClient()
        client.login('user5@alfa.example', PASSWORD)
        response = client.post('/partner/account', {
                'name': evil, 'position': '<b>boss</b>', 'phone': ''})
        self.assertEqual(response.status_code, 303)
        html = text(client.get('/partner/account'))
        self.assertNotIn('<script>alert', html)
        self.assertIn('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;', html)
        self.assertNotIn('<b>boss</b>', html)

    def test_security_headers(self):
        "CSP without inline scripts, no framing, no sniffing, referrer"
        response = PortalClient().get('/partner/login')
        headers = response.headers
        csp = headers['Content-Security-Policy']
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn('unsafe-inline', csp)
        self.assertIn("frame-ancestors 'none'", csp)
        self.assertEqual(headers['X-Frame-Options'], 'DENY')
        self.assertEqual(headers['X-Content-Type-Options'], 'nosniff')
        self.assertEqual(headers['Referrer-Policy'], 'same-origin')
        html = text(response)
        self.assertNotRegex(html, r'<script>|<script [^>]*>[^<]|\son\w+=')
        self.assertNotIn(' style="', html)

    def test_static_files(self):
        "Assets are served locally (no CDN)"
        client = PortalClient()
        response = client.get('/portal-static/portal.css')
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.mimetype == 'text/css')
        self.assertEqual(client.get('/portal-static/portal.js').status_code,
            200)
        self.assertEqual(client.get(
                '/portal-static/../__init__.py').status_code, 404)
        html = text(client.get('/partner/login'))
        for url in re.findall(r'(?:href|src)="([^"]+)"', html):
            self.assertFalse(url.startswith(('http:', 'https:', '//')), url)

    def test_not_found_page(self):
        response = PortalClient().get('/partner/password/reset/nonexistent')
        self.assertEqual(response.status_code, 404)
        self.assertIn("Ссылка недействительна", text(response))

    # Tokens and e-mails ------------------------------------------------
    def test_password_reset_once_and_expiry(self):
        "A reset link works once; an expired one is refused"
        email = 'user6@alfa.example'
        client = PortalClient()
        response = client.post('/partner/password/forgot', {'email': email})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Проверьте почту", text(response))
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, [email])
        self.assertEqual(message['Subject'],
            "Смена пароля кабинета партнёра ЦОПП")
        self.assertIn("Задать новый пароль", message.get_body(
                preferencelist=('html',)).get_content())
        link = message_link(message, '/partner/password/reset/')
        self.assertIn("Ссылка действует 60 мин.", message_text(message))

        response = client.get(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn(email, text(response))
        # The policy is checked first: the link is not spent by a refusal.
        response = client.post(link, {'password': 'short',
                'password2': 'short'})
        self.assertEqual(response.status_code, 422)
        self.assertIn("не меньше 12 символов", text(response))
        new_password = 'Novyj-parol-77'
        response = client.post(link, {'password': new_password,
                'password2': new_password})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/partner/login')

        # Second use of the same link.
        response = client.get(link)
        self.assertEqual(response.status_code, 410)
        self.assertIn("уже была использована", text(response))
        response = client.post(link, {'password': 'Drugoj-parol-88',
                'password2': 'Drugoj-parol-88'}, csrf_from='/partner/login')
        self.assertEqual(response.status_code, 410)

        client.login(email, new_password)

        # An expired link.
        self.smtp.clear()
        PortalClient().post('/partner/password/forgot', {'email': email})
        link = message_link(self.smtp.last()[2], '/partner/password/reset/')
        with Transaction().start(DB_NAME, 0):
            Token = Pool().get('copp.portal.token')
            tokens = Token.search([('used', '=', None), ('kind', '=', 'reset'),
                    ('user.email', '=', email)])
            self.assertEqual(len(tokens), 1)
            Token.write(tokens, {'expires': dt.datetime.now()
                    - dt.timedelta(minutes=1)})
        response = client.get(link)
        self.assertEqual(response.status_code, 410)
        self.assertIn("Срок действия ссылки истёк", text(response))

    def test_forgot_unknown_address(self):
        "An unknown address gets the same answer and no e-mail"
        response = PortalClient().post('/partner/password/forgot', {
                'email': 'stranger@nowhere.example'})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Проверьте почту", text(response))
        self.assertEqual(self.smtp.wait(1, timeout=0.5), [])

    def test_invitation(self):
        "ЦОПП staff invites; the link sets the password once and logs in"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Party = pool.get('party.party')
            User = pool.get('web.user')
            org, = Party.create([{'name': "ООО «Гамма»"}])
            user = create_portal_user('Gleb@Gamma.example ', "Глеб Орлов",
                org)
            self.assertEqual(user.email, 'gleb@gamma.example')
            self.assertEqual(user.state, 'new')
            self.assertEqual(user.party.name, "Глеб Орлов")
            User.invite([user])
            self.assertEqual(user.state, 'invited')
        run_queue()
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['gleb@gamma.example'])
        self.assertEqual(message['Subject'],
            "Приглашение в кабинет партнёра ЦОПП Рязанской области")
        self.assertIn("ООО «Гамма»", message_text(message))
        link = message_link(message, '/partner/invitation/')

        client = PortalClient()
        response = client.get(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Глеб Орлов", text(response))
        response = client.post(link, {'password': 'Gamma-partner-1',
                'password2': 'Gamma-partner-2'})
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Пароли не совпадают", html)
        self.assertIn("Отметьте этот пункт", html)
        self.assertIn('aria-invalid="true"', html)
        response = client.post(link, {'password': 'Gamma-partner-1',
                'password2': 'Gamma-partner-1', 'consent': '1'})
        self.assertEqual(response.status_code, 303)
        self.assertIsNotNone(client.cookie('copp_session'))
        self.assertEqual(client.get('/partner/account').status_code, 200)
        self.assertEqual(PortalClient().get(link).status_code, 410)
        with Transaction().start(DB_NAME, 0):
            user = self.user('gleb@gamma.example')
            self.assertEqual(user.state, 'active')
            self.assertTrue(user.email_valid)
            self.assertIsNotNone(user.consent_date)

    def test_change_email_confirmation(self):
        "A new address is confirmed by a link before it becomes the login"
        client = PortalClient()
        client.login('user7@alfa.example', PASSWORD)
        response = client.post('/partner/account/email', {
                'email': 'new7@alfa.example', 'current': 'wrong-pass-1'},
            csrf_from='/partner/account')
        self.assertEqual(response.status_code, 422)
        self.assertIn("Текущий пароль указан неверно", text(response))
        response = client.post('/partner/account/email', {
                'email': 'new7@alfa.example', 'current': PASSWORD},
            csrf_from='/partner/account')
        self.assertEqual(response.status_code, 303)
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['new7@alfa.example'])
        link = message_link(message, '/partner/email/confirm/')
        response = client.post(link, {})
        self.assertEqual(response.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            self.assertTrue(User.search([('email', '=', 'new7@alfa.example')]))

    def test_change_password(self):
        client = PortalClient()
        client.login('boris@beta.example', PASSWORD)
        other = PortalClient()
        other.login('boris@beta.example', PASSWORD)
        response = client.post('/partner/account/password', {
                'current': PASSWORD, 'password': 'abcabcabcabc',
                'password2': 'abcabcabcabc'}, csrf_from='/partner/account')
        self.assertEqual(response.status_code, 422)
        self.assertIn("слишком простой", text(response))
        response = client.post('/partner/account/password', {
                'current': PASSWORD, 'password': 'Boris-2027-new',
                'password2': 'Boris-2027-new'}, csrf_from='/partner/account')
        self.assertEqual(response.status_code, 303)
        # The other sessions end; this one goes on.
        self.assertEqual(client.get('/partner/account').status_code, 200)
        self.assertEqual(other.get('/partner/account').status_code, 303)
        PortalClient().login('boris@beta.example', 'Boris-2027-new')
        with Transaction().start(DB_NAME, 0):
            user = self.user('boris@beta.example')
            user.password_hash = Pool().get('res.user').hash_password(
                PASSWORD)
            user.save()

    def test_operator_contacts(self):
        "The footer and the personal data page show the configured contacts"
        client = PortalClient()
        html = text(client.get('/partner/login'))
        self.assertIn("Центр опережающей профессиональной подготовки", html)
        self.assertNotIn('mailto:', html)
        with Transaction().start(DB_NAME, 0):
            Configuration = Pool().get('copp.portal.configuration')
            Configuration.write([Configuration(1)], {
                    'contact_organization': "ГАУ ДПО «ЦОПП <Рязань>»",
                    'contact_address': "390000, г. Рязань, ул. Ленина, 1",
                    'contact_phone': "+7 (4912) 11-22-33",
                    'contact_email': "hello@copp.example",
                    })
        try:
            html = text(client.get('/partner/login'))
            self.assertIn("© ГАУ ДПО «ЦОПП &lt;Рязань&gt;»", html)
            self.assertIn("390000, г. Рязань, ул. Ленина, 1 · "
                "+7 (4912) 11-22-33 · "
                '<a href="mailto:hello@copp.example">hello@copp.example</a>',
                html)
            html = text(client.get('/portal/privacy'))
            self.assertIn("Оператор персональных данных — "
                "ГАУ ДПО «ЦОПП &lt;Рязань&gt;»", html)
            self.assertIn('написав на адрес <a href="mailto:hello@copp.example"'
                '>hello@copp.example</a>', html)
        finally:
            with Transaction().start(DB_NAME, 0):
                Configuration = Pool().get('copp.portal.configuration')
                Configuration.write([Configuration(1)], {
                        'contact_organization': None, 'contact_address': None,
                        'contact_phone': None, 'contact_email': None})

    def test_accessibility_version(self):
        client = PortalClient()
        response = client.get(
            '/portal/accessibility?mode=on&next=/partner/login')
        self.assertEqual(response.headers['Location'], '/partner/login')
        self.assertIn('<html lang="ru" class="a11y">',
            text(client.get('/partner/login')))
        client.get('/portal/accessibility?mode=off&next=//evil')
        self.assertIn('<html lang="ru">', text(client.get('/partner/login')))


class PortalUnitTestCase(unittest.TestCase):
    "Helpers that need no database"

    def test_plural(self):
        self.assertEqual([plural(n, 'вакансия', 'вакансии', 'вакансий')
                for n in [1, 2, 5, 11, 21, 22, 25, 111, 0]],
            ['вакансия', 'вакансии', 'вакансий', 'вакансий', 'вакансия',
                'вакансии', 'вакансий', 'вакансий', 'вакансий'])

    def test_datetime_local(self):
        "A stored datetime (naive UTC) is shown in the local time"
        from copp_portal.templating import _format_datetime
        self.assertEqual(_format_datetime(dt.datetime(2027, 2, 4, 12, 0)),
            '04.02.2027 15:00')
        self.assertEqual(_format_datetime(dt.datetime(2026, 12, 31, 22, 30),
                'Asia/Yekaterinburg'), '01.01.2027 03:30')
        self.assertEqual(_format_datetime(dt.datetime(2027, 2, 4, 12, 0),
                'Nowhere/Unknown'), '04.02.2027 15:00')
        self.assertEqual(_format_datetime(None), '')

    def test_page_window(self):
        page = Page(list(range(20)), 6, 20, 400, args={'q': 'сварщик',
                'page': '6'}, path='/vacancies')
        self.assertEqual(page.pages, 20)
        self.assertEqual(page.window(), [1, None, 4, 5, 6, 7, 8, None, 20])
        self.assertEqual(page.url(1), '/vacancies?q=%D1%81%D0%B2%D0%B0%D1%80'
            '%D1%89%D0%B8%D0%BA')
        self.assertEqual(page.url(7).split('&')[-1], 'page=7')
        self.assertEqual((page.first_index, page.last_index), (101, 120))
