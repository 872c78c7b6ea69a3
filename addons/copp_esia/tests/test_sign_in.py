"""Sign-in through ЕСИА over real HTTP (see http_tools.py): the request, a
new citizen signing in and out, and every refusal on our side."""
import datetime as dt
import re
import urllib.parse

import requests

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import PortalClient, refused_port, text

from .esia_peer import b64url_decode, certificate_hash, gost_verify
from .http_tools import UUID, EsiaRouteMixin, new_citizen
from .tools import (
    CLIENT_ID, REDIRECT_URI, SCOPE, Keys, esia_options, set_options)


class EsiaSignInTestCase(EsiaRouteMixin, RouteTestCase):
    "Sign-in through the loopback ЕСИА"
    module = 'copp_esia'
    extras = ['copp_contingent', 'copp_event']
    language = 'ru'

    def test_authorize_request(self):
        "The request to ЕСИА carries the documented, signed parameters"
        client = PortalClient()
        location = self.go_to_esia(client, '/cabinet/')
        params = dict(urllib.parse.parse_qsl(
                urllib.parse.urlsplit(location).query))
        self.assertEqual(params['client_id'], CLIENT_ID)
        self.assertEqual(params['response_type'], 'code')
        self.assertEqual(params['scope'], SCOPE)
        self.assertEqual(params['redirect_uri'], REDIRECT_URI)
        self.assertEqual(params['access_type'], 'online')
        self.assertRegex(params['state'], UUID)
        self.assertRegex(params['timestamp'],
            r'^\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d \+0000$')
        stamp = dt.datetime.strptime(params['timestamp'],
            '%Y.%m.%d %H:%M:%S %z')
        self.assertLess(abs((dt.datetime.now(dt.timezone.utc)
                    - stamp).total_seconds()), 60)
        self.assertEqual(params['client_certificate_hash'].lower(),
            certificate_hash(self.keys.client_certificate_der))
        signed = (CLIENT_ID + SCOPE + params['timestamp'] + params['state']
            + REDIRECT_URI)
        point = self.keys.client_key.public_key().point
        secret = b64url_decode(params['client_secret'])
        self.assertTrue(gost_verify(point, signed.encode(), secret))
        self.assertFalse(gost_verify(point, (signed + 'x').encode(), secret))
        # The state is bound to this browser by a cookie; only its hash is
        # stored.
        key = client.cookie('copp_esia')
        self.assertTrue(key)
        with Transaction().start(DB_NAME, 0):
            Request = Pool().get('copp.esia.request')
            request, = Request.search([('state', '=', params['state'])])
            self.assertEqual(request.next_url, '/cabinet/')
            self.assertNotIn(key, request.browser)
            self.assertIsNone(request.used)

    def test_not_configured(self):
        "Without [esia] client_id the pages do not exist"
        set_options({})
        client = PortalClient()
        self.assertEqual(client.get('/esia/login').status_code, 404)
        self.assertEqual(client.get('/esia/start').status_code, 404)

    # A new citizen -------------------------------------------------------
    def test_new_citizen_signs_in_and_out(self):
        "A new citizen gets a person and an account, and signs out at ЕСИА"
        person = new_citizen(last_name='Орлова', first_name='Дарья',
            middle_name='Игоревна', birth_date='02.09.2004',
            email='d.orlova@example.ru')
        client, response = self.sign_in(person, next_url='/esia/login?x=1')
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        self.assertEqual(response.headers['Location'], '/esia/login?x=1')
        self.assertTrue(client.cookie('copp_session'))
        self.assertTrue(client.cookie('copp_esia_session'))
        self.assertIsNone(client.cookie('copp_esia'))
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('web.user')
            Session = pool.get('web.user.session')
            Log = pool.get('copp.personal_data.log')
            account = self.account(person['oid'])
            party, = self.persons(person['snils'])
            self.assertEqual(account.party, party)
            self.assertEqual((party.last_name, party.first_name,
                    party.patronymic, party.birth_date, party.gender),
                ('Орлова', 'Дарья', 'Игоревна', dt.date(2004, 9, 2),
                    'female'))
            self.assertEqual(party.email, 'd.orlova@example.ru')
            self.assertEqual(account.email, 'd.orlova@example.ru')
            self.assertEqual(account.mobile, '+7(910)1234567')
            self.assertTrue(account.trusted)
            user, = User.search([('party', '=', party.id)])
            self.assertEqual(len(Session.search([('user', '=', user.id)])),
                1)
            received, = Log.search([('action', '=', 'receive'),
                    ('resource', '=', str(account))])
            self.assertIn('snils', received.fields_read)
            self.assertIn('birth_date', received.fields_read)
        logins = self.events('esia_login')
        self.assertIn(f'oid {person["oid"]}', logins[-1][0])
        self.assertEqual(logins[-1][1].id, user.id)

        # The ЕСИА called: the token endpoint, the person and contacts.
        paths = [p for _, p, _ in self.peer.log]
        self.assertIn('/aas/oauth2/v3/te', paths)
        self.assertIn(f'/rs/prns/{person["oid"]}', paths)
        self.assertIn(f'/rs/prns/{person["oid"]}/ctts', paths)

        # Signing out ends our session, then ЕСИА's: the «Выйти» of the
        # pages' header goes there too.
        header = text(client.get('/esia/login')).split('<main', 1)[0]
        self.assertIn('action="/esia/logout"', header)
        self.assertNotIn('/partner/logout', header)
        response = client.post('/esia/logout', csrf_from='/esia/login')
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], '/esia/signed-out')
        self.assertIsNone(client.cookie('copp_session'))
        page = client.get('/esia/signed-out')
        self.assertEqual(page.status_code, 200)
        match = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"',
            text(page))
        logout_url = match.group(1).replace('&amp;', '&')
        self.assertTrue(logout_url.startswith(
                self.peer.url + '/idp/ext/Logout?'))
        answer = requests.get(logout_url, allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        self.assertEqual(answer.headers['Location'],
            'http://localhost/esia/login')
        self.assertEqual(self.peer.logouts,
            [(CLIENT_ID, 'http://localhost/esia/login')])
        self.assertFalse(self.peer.signed_in)
        with Transaction().start(DB_NAME, 0):
            Session = Pool().get('web.user.session')
            self.assertFalse(Session.search([('user', '=', user.id)]))
        self.assertEqual(self.events('esia_logout')[-1][1].id, user.id)

        # The next sign-in is the same person and account, not a new one.
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            self.assertEqual(len(self.persons(person['snils'])), 1)
            account = self.account(person['oid'])
            self.assertEqual(account.logins, 2)
            self.assertEqual(len(User.search([
                            ('party', '=', account.party.id)])), 1)

    # Persons already known -------------------------------------------------
    def test_state_refusals(self):
        "A callback without its browser, replayed, or unknown is refused"
        person = new_citizen()
        self.peer.citizen = person
        # Unknown state
        response = PortalClient().get('/esia/callback?code=x&state='
            'f0a1d6e2-1111-4222-8333-944455556666')
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.events('esia_login_failed')[-1][0],
            'state: unknown')
        # Another browser follows the link ЕСИА sent back
        back = self.esia_answer(self.go_to_esia(PortalClient()))
        response = PortalClient().get(back)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.events('esia_login_failed')[-1][0],
            'state: browser')
        # The same browser, twice: the second time is refused
        client = PortalClient()
        back = self.esia_answer(self.go_to_esia(client))
        self.assertEqual(client.get(back).status_code, 303)
        key = client.cookie('copp_session')
        client.client.set_cookie('copp_esia', 'x' * 43)
        response = client.get(back)
        self.assertEqual(response.status_code, 400)
        self.assertIn('state:', self.events('esia_login_failed')[-1][0])
        self.assertEqual(client.cookie('copp_session'), key)

    def test_citizen_cancels(self):
        "The citizen cancels at ЕСИА"
        self.peer.deny = True
        client, response = self.sign_in(new_citizen())
        self.assertEqual(response.status_code, 403)
        self.assertIn('отменён', text(response))
        self.assertIsNone(client.cookie('copp_session'))
        self.assertTrue(self.events('esia_login_failed')[-1][0]
            .startswith('denied: access_denied'))

    def test_id_token_refusals(self):
        "An expired id_token, another signer, another issuer are refused"
        self.peer.id_token_lifetime = -3600
        client, response = self.sign_in(new_citizen())
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.events('esia_login_failed')[-1][0],
            'id_token: expired')
        self.peer.id_token_lifetime = 3600

        other = Keys()
        try:
            set_options(dict(esia_options(self.keys, self.peer.url),
                    esia_certificate=other.esia_certificate_file))
            client, response = self.sign_in(new_citizen())
            self.assertEqual(response.status_code, 400)
            self.assertEqual(self.events('esia_login_failed')[-1][0],
                'id_token: bad signature')
        finally:
            other.remove()

        set_options(dict(esia_options(self.keys, self.peer.url),
                issuer='https://esia.gosuslugi.ru/'))
        client, response = self.sign_in(new_citizen())
        self.assertEqual(response.status_code, 400)
        self.assertIn('id_token: issuer',
            self.events('esia_login_failed')[-1][0])
        self.assertIsNone(client.cookie('copp_session'))

    def test_untrusted_or_incomplete_account(self):
        "An unconfirmed account or one without СНИЛС makes no person"
        person = new_citizen(trusted=False)
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 403)
        self.assertIn('подтверждённ', text(response))
        person = new_citizen()
        del person['snils']
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 403)
        with Transaction().start(DB_NAME, 0):
            Account = Pool().get('copp.esia.account')
            self.assertFalse(Account.search([
                        ('oid', '=', str(person['oid']))]))
        self.assertTrue(self.events('esia_login_failed')[-1][0]
            .startswith('data'))

    def test_esia_unavailable(self):
        "ЕСИА does not answer the token request: a 502 page, logged"
        self.peer.citizen = new_citizen()
        client = PortalClient()
        back = self.esia_answer(self.go_to_esia(client))
        set_options(dict(esia_options(self.keys, self.peer.url),
                base_url=f'http://127.0.0.1:{refused_port()}'))
        response = client.get(back)
        self.assertEqual(response.status_code, 502)
        self.assertIn('не ответили', text(response))
        self.assertTrue(self.events('esia_login_failed')[-1][0]
            .startswith('unavailable'))

    def test_esia_refuses_our_signature(self):
        "A key ЕСИА does not know: ЕСИА refuses, the portal says so"
        other = Keys()
        try:
            set_options(dict(esia_options(self.keys, self.peer.url),
                    key_file=other.client_key_file, certificate=None,
                    certificate_hash=certificate_hash(
                        self.keys.client_certificate_der)))
            self.peer.citizen = new_citizen()
            client = PortalClient()
            back = self.esia_answer(self.go_to_esia(client))
            self.assertIn('error=invalid_client', back)
            response = client.get(back)
            self.assertEqual(response.status_code, 400)
            self.assertIn('ESIA-007012',
                self.events('esia_login_failed')[-1][0])
        finally:
            other.remove()

