"""Every HTTP route of our modules probed with another organization's ids
(issue 15, build 2: the routes part), through HTTP (werkzeug test client on
trytond.wsgi.app).

The routes come from trytond.wsgi.app's url map, not from a list kept by
hand: a route of a copp module without a declared probe in
tests/route_probes.py fails test_every_route_declared. Each route is called
with every method it accepts, as the portal user of employer A (or, for the
journal, a teacher of college A with a back-office session), with the ids,
tokens and keys of B (another employer's vacancy, order, contact, practice
place and agreement, another person's ticket and survey answer, another
college's teaching load, lesson and student, a draft event, another
college's e-learning course with its lessons, quiz attempts, SCORM track
and assignment submission): the answer is
a refusal (403/404/410, or the caller's own page for lists) with nothing of
B in it, and B's records are unchanged afterwards. A's own ids answer 200
(the probe reaches the route's logic), and ids beyond the database's
integers never answer 500.
"""
import base64
import json
import re

from werkzeug.routing import IntegerConverter

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction
from trytond.wsgi import app

from copp_portal.tests.tools import PortalClient, PortalTestMixin
from copp_scorm.tests.tools import StorageMixin

from .route_fixtures import MARK, PASSWORD, build_fixtures, snapshot
from .route_probes import ROUTES

VARIABLE = re.compile(r'<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>')
COPP_MODULES = ('copp', 'copp_')


def preview(response):
    return response.get_data()[:300].decode('utf-8', 'replace')


def our_rules():
    "The url map's rules whose endpoint is in a copp module"
    for rule in app.url_map.iter_rules():
        module = getattr(rule.endpoint, '__module__', '') or ''
        name = module.split('.', 1)[0]
        if name == 'copp' or name.startswith('copp_'):
            yield rule


def methods(rule):
    return sorted((rule.methods or set()) - {'HEAD', 'OPTIONS'})


class RouteIDORTestCase(StorageMixin, PortalTestMixin, RouteTestCase):
    "Every route of our modules with another organization's ids"
    module = 'copp_survey'
    extras = ['copp_journal', 'copp_exchange_1c', 'copp_cabinet',
        'copp_esia', 'copp_site', 'copp_training', 'copp_course',
        'copp_question', 'copp_quiz', 'copp_scorm', 'copp_assignment']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        cls.data = build_fixtures()

    def setUp(self):
        super().setUp()
        # A new back-office session of the teacher for each test: the one
        # of the fixtures ends after [session] timeout idle (5 minutes),
        # which a busy machine reaches between the tests.
        login, uid, _ = self.data['staff']
        with Transaction().start(DB_NAME, 0):
            Session = Pool().get('ir.session')
            with Transaction().set_user(uid):
                session, = Session.create([{}])
            self.data['staff'] = (login, uid, session.key)

    # Callers -------------------------------------------------------------
    def partner(self):
        client = PortalClient()
        client.login('anna@alfa.example', PASSWORD)
        return client

    def cabinet(self):
        client = PortalClient()
        client.login('student_a@example.com', PASSWORD)
        return client

    def value(self, name):
        return self.data[name] if name in self.data else name

    def form(self, probe):
        return {k: str(self.data[v[1:]]) if isinstance(v, str)
            and v.startswith('@') else v for k, v in probe.post.items()}

    def path(self, rule, values):
        def replace(match):
            name = match.group(2)
            if name == 'database_name':
                return DB_NAME
            return str(values[name])
        return VARIABLE.sub(replace, rule.rule)

    def call(self, probe, method, path, client=None):
        """The answer to `method` on `path` as the probe's caller"""
        if probe.who == 'staff':
            login, uid, key = self.data['staff']
            headers = {'Authorization': 'Session ' + base64.b64encode(
                    f'{login}:{uid}:{key}'.encode()).decode()}
            test = client or PortalClient()
            if method == 'GET':
                return test.client.get(path, headers=headers)
            from copp_journal.journal import csrf_token
            headers.update({'X-CSRF-Token': csrf_token(key, uid),
                    'Origin': 'http://localhost'})
            return test.client.post(path, data=json.dumps(self.form(probe)),
                content_type='application/json', headers=headers)
        if probe.who == 'service':
            test = client or PortalClient()
            if method == 'GET':
                return test.client.get(path)
            return test.client.post(path, data='<x/>',
                content_type='text/xml')
        client = client or (self.partner() if probe.who == 'partner'
            else self.cabinet() if probe.who == 'cabinet'
            else PortalClient())
        if method == 'GET':
            return client.get(path)
        token = client.csrf_token('/partner/account'
            if client.cookie('copp_session') else '/partner/login')
        return client.post(path, dict(self.form(probe), csrf_token=token))

    def assertNothingOfB(self, response, where):
        body = response.get_data(as_text=True) if (
            response.mimetype or '').startswith(('text/', 'application/j')) \
            else response.get_data().decode('utf-8', 'ignore')
        self.assertNotIn(MARK, body, f"{where}: data of B in the answer")
        for name in ['ticket_b', 'response_b', 'reset_key_b',
                'invitation_key_b']:
            if self.data[name] in where:
                continue  # the caller sent it (the page may repeat it)
            self.assertNotIn(self.data[name], body, f"{where}: {name}")

    # Tests ---------------------------------------------------------------
    def test_every_route_declared(self):
        "The url map's routes of our modules and the probes are the same"
        rules = {r.rule for r in our_rules()}
        self.assertGreater(len(rules), 60)
        self.assertEqual(sorted(rules - set(ROUTES)), [],
            "routes without a probe in tests/route_probes.py")
        self.assertEqual(sorted(set(ROUTES) - rules), [],
            "probes of routes that do not exist")

    def test_foreign_ids(self):
        "B's ids, tokens and keys give nothing of B and change nothing"
        with Transaction().start(DB_NAME, 0):
            before = snapshot()
        for model in ['copp.course.progress', 'copp.quiz.attempt',
                'copp.quiz.attempt.question', 'copp.scorm.track',
                'copp.assignment.submission', 'ir.attachment']:
            self.assertTrue(before[model], f"no record of B in {model}")
        for rule in sorted(our_rules(), key=lambda r: r.rule):
            probe = ROUTES.get(rule.rule)
            if probe is None:
                continue
            for foreign in probe.foreigns:
                values = {k: self.value(v) for k, v in foreign.items()}
                path = self.path(rule, values)
                for method in methods(rule):
                    expect = set(probe.expect)
                    if method == 'POST' and 200 in expect:
                        expect |= {303, 422}
                    with self.subTest(route=rule.rule, method=method,
                            path=path):
                        response = self.call(probe, method, path)
                        self.assertIn(response.status_code, expect,
                            f"{method} {path}: {preview(response)}")
                        self.assertNothingOfB(response, f"{method} {path}")
        with Transaction().start(DB_NAME, 0):
            self.assertEqual(snapshot(), before)

    def test_own_ids(self):
        "A's own ids open the pages: the probes reach the routes' logic"
        client = self.partner()
        checked = 0
        for rule in our_rules():
            probe = ROUTES.get(rule.rule)
            if probe is None or probe.own is None or 'GET' not in (
                    rule.methods or ()):
                continue
            values = {k: self.value(v) for k, v in probe.own.items()}
            path = self.path(rule, values)
            with self.subTest(route=rule.rule):
                response = self.call(probe, 'GET', path,
                    client=client if probe.who == 'partner' else None)
                self.assertEqual(response.status_code, 200,
                    f"GET {path}: {preview(response)}")
                checked += 1
        self.assertGreater(checked, 15)

    def test_huge_ids(self):
        "Ids beyond the database's integers: never a 500"
        for rule in our_rules():
            probe = ROUTES.get(rule.rule)
            converters = {name: conv for name, conv in
                rule._converters.items()
                if isinstance(conv, IntegerConverter)}
            if probe is None or not converters:
                continue
            values = {k: self.value(v) for k, v in probe.foreign.items()}
            values.update({name: 2 ** 40 for name in converters})
            path = self.path(rule, values)
            for method in methods(rule):
                with self.subTest(route=rule.rule, method=method):
                    response = self.call(probe, method, path)
                    self.assertLess(response.status_code, 500,
                        f"{method} {path}: {preview(response)}")


del RouteTestCase
