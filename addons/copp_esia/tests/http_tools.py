"""The HTTP tests' base: the werkzeug client drives trytond.wsgi.app (the
portal), `requests` plays the browser's visit to the loopback ЕСИА
(esia_peer.py) and our server calls ЕСИА's token and REST endpoints on
loopback."""
import re
import urllib.parse

import requests

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from copp.identifiers import snils as snils_number
from copp.tests.tools import create_user
from copp_event.tests.tools import (
    ActivatedMenusMixin, create_college, create_event)
from copp_portal.tests.tools import PortalClient, PortalTestMixin, text

from .tools import (
    REDIRECT_URI, Keys, citizen, esia_options, set_options, start_peer)

UUID = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}'
    r'-[0-9a-f]{12}$')
_numbers = iter(range(200_000_000, 900_000_000, 7_654_321))


def new_snils():
    "A valid СНИЛС not used before in this test run"
    digits = f'{next(_numbers):09d}'
    return snils_number.format(
        digits + f'{snils_number.checksum(digits):02d}')


_oids = iter(range(1_000_300_000, 1_000_400_000))


def new_citizen(**values):
    values.setdefault('snils', new_snils())
    values.setdefault('oid', next(_oids))
    return citizen(**values)


class EsiaRouteMixin(ActivatedMenusMixin, PortalTestMixin):
    """The loopback ЕСИА, the [esia] settings, two colleges with a clerk
    each and the ЦОПП (use with RouteTestCase)"""
    module = 'copp_esia'
    extras = ['copp_contingent', 'copp_event']
    language = 'ru'

    @classmethod
    def setUpClass(cls):
        cls.keys = Keys()
        cls.peer = start_peer(cls.keys)
        cls._options = set_options(esia_options(cls.keys, cls.peer.url))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        set_options(cls._options)
        cls.peer.stop()
        cls.keys.remove()

    @classmethod
    def setUpDatabase(cls):
        college_a = create_college("ОГБПОУ «Рязанский колледж электроники»",
            "РКЭ")
        college_b = create_college(
            "ОГБПОУ «Рязанский строительный колледж»", "РСК")
        cls.college_a, cls.college_b = college_a.id, college_b.id
        create_user('clerk_a', [college_a], ['group_registrar'])
        create_user('clerk_b', [college_b], ['group_registrar'])
        create_user('copp_user', [college_a, college_b], ['group_copp'],
            employer=college_a)
        cls.event_id = create_event(college_a, name="Профпробы").id

    def setUp(self):
        super().setUp()
        self.peer.reset()
        set_options(esia_options(self.keys, self.peer.url))

    # Helpers -------------------------------------------------------------
    def go_to_esia(self, client, next_url='/esia/login'):
        "Start a sign-in: the address of ЕСИА's page the browser is sent to"
        response = client.get('/esia/start?' + urllib.parse.urlencode(
                {'next': next_url}))
        self.assertEqual(response.status_code, 303, text(response)[:500])
        location = response.headers['Location']
        self.assertTrue(location.startswith(
                self.peer.url + '/aas/oauth2/v2/ac?'), location)
        return location

    def esia_answer(self, location):
        "The browser at ЕСИА: where ЕСИА sends it back (path and query)"
        response = requests.get(location, allow_redirects=False, timeout=10)
        self.assertEqual(response.status_code, 302, response.text[:500])
        back = urllib.parse.urlsplit(response.headers['Location'])
        self.assertEqual(f'{back.scheme}://{back.netloc}{back.path}',
            REDIRECT_URI)
        return f'{back.path}?{back.query}'

    def sign_in(self, person, client=None, next_url='/esia/login'):
        self.peer.citizen = person
        client = client or PortalClient()
        back = self.esia_answer(self.go_to_esia(client, next_url))
        return client, client.get(back)

    def events(self, kind):
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.security.event')
            return [(e.details or '', e.portal_user) for e in Event.search(
                    [('kind', '=', kind)], order=[('id', 'ASC')])]

    def account(self, oid):
        Account = Pool().get('copp.esia.account')
        accounts = Account.search([('oid', '=', str(oid))])
        return accounts[0] if accounts else None

    def persons(self, snils):
        Party = Pool().get('party.party')
        return Party.search([('snils', '=', snils)])

    # The request -------------------------------------------------------
