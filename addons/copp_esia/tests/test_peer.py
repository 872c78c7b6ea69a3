"""The loopback ЕСИА refuses what the protocol forbids (so that the sign-in
tests prove something): requests are built here from
../shared/docs/integrations.md §3, signed with the client's key."""
import base64
import datetime as dt
import json
import unittest
import urllib.parse
import uuid

import requests

from copp_esia.gost import Certificate
from copp_esia.signer import KeyFileSigner, b64url

from .tools import CLIENT_ID, REDIRECT_URI, SCOPE, Keys, citizen, start_peer

FORMAT = '%Y.%m.%d %H:%M:%S +0000'


def stamp(delta=dt.timedelta()):
    return (dt.datetime.now(dt.timezone.utc) + delta).strftime(FORMAT)


class EsiaPeerTestCase(unittest.TestCase):
    "The test ЕСИА's checks"

    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.peer = start_peer(cls.keys)
        cls.signer = KeyFileSigner(cls.keys.client_key)
        cls.hash = Certificate(cls.keys.client_certificate_der).fingerprint

    @classmethod
    def tearDownClass(cls):
        cls.peer.stop()
        cls.keys.remove()

    def setUp(self):
        self.peer.reset()
        self.peer.citizen = citizen()

    def authorize(self, **override):
        "GET ac; returns the parameters ЕСИА sends back"
        state = override.pop('state', str(uuid.uuid4()))
        timestamp = override.pop('timestamp', stamp())
        params = {
            'client_id': CLIENT_ID, 'scope': SCOPE, 'response_type': 'code',
            'state': state, 'access_type': 'online', 'timestamp': timestamp,
            'redirect_uri': REDIRECT_URI,
            'client_certificate_hash': self.hash,
            'client_secret': self.signer.client_secret(
                CLIENT_ID + SCOPE + timestamp + state + REDIRECT_URI),
            }
        params.update(override)
        response = requests.get(self.peer.url + '/aas/oauth2/v2/ac',
            params=params, allow_redirects=False, timeout=10)
        if response.status_code != 302:
            return response
        location = urllib.parse.urlsplit(response.headers['Location'])
        return dict(urllib.parse.parse_qsl(location.query))

    def token(self, code, state, sign_state=None, **override):
        timestamp = override.pop('timestamp', stamp())
        text = (CLIENT_ID + SCOPE + timestamp + (sign_state or state)
            + REDIRECT_URI + code)
        data = {
            'client_id': CLIENT_ID, 'code': code,
            'grant_type': 'authorization_code',
            'client_secret': self.signer.client_secret(text),
            'state': state, 'redirect_uri': REDIRECT_URI, 'scope': SCOPE,
            'timestamp': timestamp, 'token_type': 'Bearer',
            'client_certificate_hash': self.hash,
            }
        data.update(override)
        response = requests.post(self.peer.url + '/aas/oauth2/v3/te',
            data=data, timeout=10)
        return response.status_code, response.json()

    def code(self):
        answer = self.authorize()
        self.assertIn('code', answer, answer)
        return answer['code'], answer['state']

    def test_happy_path(self):
        "A valid code gives tokens; the person is read with the token"
        code, state = self.code()
        status, answer = self.token(code, state)
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer['state'], state)
        self.assertEqual(answer['token_type'], 'Bearer')
        claims = json.loads(base64.urlsafe_b64decode(
                answer['id_token'].split('.')[1] + '=='))
        self.assertEqual(claims['aud'], CLIENT_ID)
        self.assertEqual(str(claims['urn:esia:sbj_id']),
            str(self.peer.citizen['oid']))
        person = requests.get(
            f'{self.peer.url}/rs/prns/{claims["urn:esia:sbj_id"]}',
            headers={'Authorization': 'Bearer ' + answer['access_token']},
            timeout=10).json()
        self.assertEqual(person['snils'], '112-233-445 95')
        self.assertEqual(person['birthDate'], '14.03.2006')

    def test_authorize_refusals(self):
        "ac: a wrong signature, timestamp, certificate or state"
        answer = self.authorize(client_secret=b64url(b'\1' * 64))
        self.assertEqual(answer['error'], 'invalid_client')
        answer = self.authorize(timestamp=stamp(dt.timedelta(hours=-1)))
        self.assertIn('timestamp expired', answer['error_description'])
        answer = self.authorize(client_certificate_hash='00' * 32)
        self.assertIn('client_certificate_hash', answer['error_description'])
        answer = self.authorize(state='not-a-uuid')
        self.assertIn('state', answer['error_description'])
        response = self.authorize(redirect_uri='https://evil.example/cb')
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()['error'], 'invalid_request')

    def test_token_wrong_state(self):
        "te: another state than the code's is refused (even signed)"
        code, state = self.code()
        other = str(uuid.uuid4())
        status, answer = self.token(code, other)
        self.assertEqual(status, 400)
        self.assertIn('wrong state', answer['error_description'])

    def test_token_timestamps(self):
        "te: an expired or ill-formatted timestamp is refused"
        code, state = self.code()
        status, answer = self.token(code, state,
            timestamp=stamp(dt.timedelta(minutes=-30)))
        self.assertEqual(status, 400)
        self.assertIn('timestamp expired', answer['error_description'])
        for bad in ['2026-01-01T00:00:00Z', stamp().replace('+0000', 'UTC'),
                stamp().replace(' +0000', '+0000'), '']:
            with self.subTest(timestamp=bad):
                status, answer = self.token(code, state, timestamp=bad)
                self.assertEqual(status, 400)
                self.assertIn('timestamp format',
                    answer['error_description'])
        # The code was not spent by the refused calls
        status, answer = self.token(code, state)
        self.assertEqual(status, 200, answer)

    def test_token_signature(self):
        "te: a signature of another string or by another key is refused"
        code, state = self.code()
        status, answer = self.token(code, state, sign_state=str(uuid.uuid4()))
        self.assertEqual((status, answer['error']), (400, 'invalid_client'))
        other = Keys()
        try:
            timestamp = stamp()
            secret = KeyFileSigner(other.client_key).client_secret(
                CLIENT_ID + SCOPE + timestamp + state + REDIRECT_URI + code)
            status, answer = self.token(code, state, timestamp=timestamp,
                client_secret=secret)
            self.assertEqual((status, answer['error']),
                (400, 'invalid_client'))
        finally:
            other.remove()

    def test_replayed_code(self):
        "te: a code is used once; a replay also revokes its tokens"
        code, state = self.code()
        status, answer = self.token(code, state)
        self.assertEqual(status, 200)
        oid = self.peer.citizen['oid']
        headers = {'Authorization': 'Bearer ' + answer['access_token']}
        url = f'{self.peer.url}/rs/prns/{oid}'
        self.assertEqual(requests.get(url, headers=headers,
                timeout=10).status_code, 200)
        status, replay = self.token(code, state)
        self.assertEqual((status, replay['error']), (400, 'invalid_grant'))
        self.assertIn('code used', replay['error_description'])
        self.assertEqual(requests.get(url, headers=headers,
                timeout=10).status_code, 401)

    def test_rest_needs_the_token_of_the_person(self):
        code, state = self.code()
        status, answer = self.token(code, state)
        headers = {'Authorization': 'Bearer ' + answer['access_token']}
        response = requests.get(f'{self.peer.url}/rs/prns/42',
            headers=headers, timeout=10)
        self.assertEqual(response.status_code, 403)
        response = requests.get(
            f'{self.peer.url}/rs/prns/{self.peer.citizen["oid"]}',
            headers={'Authorization': 'Bearer forged'}, timeout=10)
        self.assertEqual(response.status_code, 401)
