"""The server's answers to hostile requests, through HTTP (werkzeug test
client on trytond.wsgi.app): links of e-mails never take the Host header
(issue 15 #4), and no 500 for a foreign Origin, CRLF in `next`, a form or a
too large body posted to JSON-RPC, an unknown address; anti-framing and CSP
headers on RPC answers too (issue 15 #15)."""
import json

from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from .tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_text,
    run_queue, text)

PASSWORD = 'Rjazan-2026-partner'
EVIL = 'evil.example'


def links(message):
    return [w for w in message_text(message).split()
        if w.startswith('http')]


class HTTPSecurityTestCase(PortalTestMixin, RouteTestCase):
    "Hostile requests to the server"
    module = 'copp_portal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        Party = Pool().get('party.party')
        org, = Party.create([{'name': "ООО «Гамма»"}])
        create_portal_user('gleb@gamma.example', "Глеб Орлов", org,
            PASSWORD)
        create_portal_user('galina@gamma.example', "Галина Орлова", org,
            PASSWORD)

    def setUp(self):
        super().setUp()
        self._portal_url = config.get('copp', 'portal_url')
        config.set('copp', 'portal_url', 'https://copp62.example/')

    def tearDown(self):
        config.set('copp', 'portal_url', self._portal_url or '')
        super().tearDown()

    # 4. Links from the configuration, never from the Host header --------
    def test_reset_link_ignores_host_header(self):
        "A password reset asked with a forged Host links to the portal URL"
        client = PortalClient(base_url=f'http://{EVIL}')
        response = client.post('/partner/password/forgot',
            {'email': 'gleb@gamma.example'})
        self.assertEqual(response.status_code, 200)
        _, _, message = self.smtp.last()
        urls = links(message)
        self.assertTrue(urls)
        for url in urls:
            self.assertTrue(url.startswith(
                    'https://copp62.example/partner/password/reset/'), url)
            self.assertNotIn(EVIL, url)

    def test_email_change_link_ignores_host_header(self):
        "The confirmation of a new e-mail links to the portal URL"
        client = PortalClient(base_url=f'http://{EVIL}')
        client.login('galina@gamma.example', PASSWORD)
        response = client.post('/partner/account/email', {
                'email': 'galina.new@gamma.example', 'current': PASSWORD},
            csrf_from='/partner/account')
        self.assertEqual(response.status_code, 303)
        _, rcpt, message = self.smtp.last()
        self.assertEqual(rcpt, ['galina.new@gamma.example'])
        self.assertTrue(links(message))
        for url in links(message):
            self.assertTrue(url.startswith('https://copp62.example/'), url)

    def test_invitation_link_without_portal_url(self):
        """Without any portal URL configured the links take the address
        the server listens on, not the one the request named"""
        config.set('copp', 'portal_url', '')
        with Transaction().start(DB_NAME, 0, context={
                    '_request': {'http_host': EVIL, 'is_secure': False}}):
            User = Pool().get('web.user')
            user, = User.search([('email', '=', 'gleb@gamma.example')])
            user.send_invitation()
        run_queue()
        _, _, message = self.smtp.last()
        listen = config.get('web', 'listen')
        for url in links(message):
            self.assertNotIn(EVIL, url)
            self.assertTrue(url.startswith(
                    f"http://{listen.replace('0.0.0.0', 'localhost')}/"),
                url)

    def test_configuration_wins(self):
        "The «Portal URL» of the back office wins over the server's"
        with Transaction().start(DB_NAME, 0):
            Configuration = Pool().get('copp.portal.configuration')
            Configuration.write([Configuration(1)],
                {'portal_url': 'https://portal.copp62.example/'})
        try:
            client = PortalClient(base_url=f'http://{EVIL}')
            client.post('/partner/password/forgot',
                {'email': 'gleb@gamma.example'})
            _, _, message = self.smtp.last()
            for url in links(message):
                self.assertTrue(url.startswith(
                        'https://portal.copp62.example/partner/'), url)
        finally:
            with Transaction().start(DB_NAME, 0):
                Configuration = Pool().get('copp.portal.configuration')
                Configuration.write([Configuration(1)], {'portal_url': None})

    def test_staff_reset_link_ignores_host_header(self):
        """A staff password reset asked (without login) with a forged Host:
        the e-mail links to the configured address"""
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('res.user')
            User.create([{'login': 'staffer', 'name': "Сотрудник",
                        'email': 'staffer@copp62.example'}])
        client = PortalClient(base_url=f'http://{EVIL}')
        response = client.client.post(f'/{DB_NAME}/rpc/',
            base_url=f'http://{EVIL}', data=json.dumps({'id': 1,
                    'method': 'common.db.reset_password',
                    'params': ['staffer', 'ru']}),
            content_type='application/json')
        self.assertEqual(response.status_code, 200, text(response)[:300])
        run_queue()
        _, rcpt, message = self.smtp.last()
        self.assertEqual(rcpt, ['staffer@copp62.example'])
        body = message.get_body(preferencelist=('html', 'plain'))
        content = body.get_content()
        self.assertIn('https://copp62.example/#', content)
        self.assertNotIn(EVIL, content)

    # 15. No 500 for hostile input ---------------------------------------
    def assertRussianPage(self, response, status, title):
        self.assertEqual(response.status_code, status,
            text(response)[:500])
        html = text(response)
        self.assertIn('<html lang="ru"', html)
        self.assertIn(f'<title>{title}', html)
        self.assertNotIn('Внутренняя ошибка', html)
        self.assertIn("frame-ancestors 'none'",
            response.headers['Content-Security-Policy'])
        self.assertEqual(response.headers['X-Frame-Options'], 'DENY')

    def test_foreign_origin(self):
        "A request from another site is refused with a Russian 403 page"
        client = PortalClient()
        response = client.get('/partner/login',
            headers={'Origin': 'https://evil.example'})
        self.assertRussianPage(response, 403, "Доступ запрещён")
        response = client.client.post(f'/{DB_NAME}/rpc/',
            data=json.dumps({'method': 'common.server.version',
                    'params': []}),
            content_type='application/json',
            headers={'Origin': 'https://evil.example'})
        self.assertRussianPage(response, 403, "Доступ запрещён")
        # The same site is served.
        response = client.get('/partner/login',
            headers={'Origin': 'http://localhost'})
        self.assertEqual(response.status_code, 200)

    def test_crlf_in_next(self):
        "CRLF in `next` does not reach a header: the default page is used"
        client = PortalClient()
        token = client.csrf_token('/partner/login')
        response = client.post('/partner/login', {
                'email': 'gleb@gamma.example', 'password': PASSWORD,
                'next': '/\r\nSet-Cookie: evil=1', 'csrf_token': token})
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/partner/')
        self.assertNotIn('evil', ' '.join(
                response.headers.getlist('Set-Cookie')))
        response = client.get(
            '/portal/accessibility?mode=on&next=/%0d%0aX-Evil:%201')
        self.assertEqual(response.status_code, 303)
        self.assertNotIn('X-Evil', response.headers)
        self.assertNotIn('\n', response.headers['Location'])

    def test_form_posted_to_rpc(self):
        "A form posted to JSON-RPC is refused (415), not a 500"
        client = PortalClient()
        for path in ['/rpc/', f'/{DB_NAME}/rpc/']:
            response = client.client.post(path, data={'x': '1'})
            self.assertRussianPage(response, 415,
                "Неподдерживаемый формат запроса")

    def test_large_body(self):
        "30 MB posted without a session: 413 with a Russian title"
        body = 'x=' + 'a' * (30 * 1024 * 1024)
        client = PortalClient()
        for path in [f'/{DB_NAME}/rpc/', '/partner/login']:
            response = client.client.post(path, data=body,
                content_type='application/x-www-form-urlencoded')
            self.assertRussianPage(response, 413, "Слишком большой запрос")

    def test_large_body_on_portal_page(self):
        """A body beyond trytond's limit that reaches a portal page (here:
        sent with an Authorization header, which the early check leaves to
        trytond) is a 413 page titled so, not «Внутренняя ошибка»"""
        size = config.getint('request', 'max_size') + 1024
        client = PortalClient()
        response = client.client.post('/partner/login',
            data='x=' + 'a' * size,
            content_type='application/x-www-form-urlencoded',
            headers={'Authorization': 'Basic Zm9vOmJhcg=='})
        self.assertEqual(response.status_code, 413, text(response)[:300])
        self.assertIn('<title>Слишком большой запрос', text(response))
        self.assertNotIn('Внутренняя ошибка', text(response))

    def test_unknown_address(self):
        "An unknown address is a Russian 404 page, not trytond's 405"
        client = PortalClient()
        response = client.get('/no/such/page')
        self.assertRussianPage(response, 404, "Страница не найдена")
        self.assertNotIn('Allow', response.headers)

    def test_rpc_headers(self):
        "JSON-RPC answers carry anti-framing, CSP and nosniff headers"
        client = PortalClient()
        response = client.client.post('/rpc/',
            data=json.dumps({'id': 1, 'method': 'common.server.version',
                    'params': []}),
            content_type='application/json')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(json.loads(text(response))['result'][:2], '8.')
        self.assertEqual(response.headers['X-Frame-Options'], 'DENY')
        self.assertIn("frame-ancestors 'none'",
            response.headers['Content-Security-Policy'])
        self.assertEqual(response.headers['X-Content-Type-Options'],
            'nosniff')
        self.assertNotIn('Strict-Transport-Security', response.headers)
        # Over TLS (as a proxy reports it), HSTS too.
        response = PortalClient(base_url='https://copp62.example').client.post(
            '/rpc/', base_url='https://copp62.example',
            data=json.dumps({'id': 1, 'method': 'common.server.version',
                    'params': []}),
            content_type='application/json')
        self.assertIn('max-age=', response.headers[
                'Strict-Transport-Security'])

    def test_portal_keeps_its_policy(self):
        "The portal pages keep their own stricter CSP (no eval)"
        response = PortalClient().get('/partner/login')
        policy = response.headers['Content-Security-Policy']
        self.assertNotIn('unsafe-eval', policy)
        self.assertIn("frame-ancestors 'none'", policy)

    def test_sao_inline_script_hash(self):
        "sao's policy allows its inline script by hash, nothing else inline"
        import tempfile
        from pathlib import Path

        from copp_portal.middleware import SAO_CSP, inline_script_hashes
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, 'index.html').write_text(
                '<html><script src="a.js"></script>'
                '<script>\nconsole.log(1);\n</script></html>')
            hashes = inline_script_hashes(folder)
        # sha256 of "\nconsole.log(1);\n"
        self.assertEqual(hashes,
            ["'sha256-6ylx2nk61t31O3rHPzQZfJJkryyz5Ldd+rHtiDdohm0='"])
        self.assertNotIn("'unsafe-inline'", [p for p in SAO_CSP
                if p.startswith('script-src')][0])


del RouteTestCase
