"""Personal data through JSON-RPC as the demo roles (issue 15 #3, #5, build 3).

On the small demo: a clerk and an accountant of РКЭ (uch1, buh1) read,
search and export the persons of their college only, never those of РЖК
(uch2's); СНИЛС rows of party.identifier follow the field rule (the teacher
prep1 reads none); every read is logged and the security officer's report
lists it; the screens of each role still open.
"""
import base64
import datetime as dt
import json
import urllib.request
from xml.etree import ElementTree

import pytest


class Session:
    "A JSON-RPC session of a demo user; call() returns (result, error)"

    def __init__(self, server, login, password=None):
        password = password or f'{login}-demo-2026'
        self.url = f'{server.url}/{server.database}/rpc/'
        # The login of conftest: with the demo TOTP code where needed
        self.user_id, key = server.login(login, password)
        self.token = base64.b64encode(
            f'{login}:{self.user_id}:{key}'.encode()).decode()
        # The context sao sends with every call (company, language…)
        self.context, error = self._post(self.token,
            'model.res.user.get_preferences', [True, {}])
        assert not error, (login, error)

    def _post(self, token, method, params):
        headers = {'Content-Type': 'application/json'}
        if token:
            headers['Authorization'] = 'Session ' + token
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps({'id': 1, 'method': method,
                    'params': params}).encode())
        with urllib.request.urlopen(request, timeout=300) as response:
            answer = json.loads(response.read())
        return answer.get('result'), answer.get('error')

    def call(self, method, *params, context=None):
        return self._post(self.token, method,
            [*params, dict(self.context, **(context or {}))])

    def __call__(self, method, *params, context=None):
        result, error = self.call(method, *params, context=context)
        assert not error, (method, error)
        return result


@pytest.fixture(scope='module')
def users(live_server):
    from tests.conftest import ADMIN_PASSWORD
    sessions = {'admin': Session(live_server, 'admin', ADMIN_PASSWORD)}
    for login in ['uch1', 'uch2', 'buh1', 'prep1', 'copp']:
        sessions[login] = Session(live_server, login)
    return sessions


@pytest.fixture(scope='module')
def persons(users):
    "The persons (party ids) of the students of РКЭ and of РЖК"
    admin = users['admin']
    result = {}
    for college in ['РКЭ', 'РЖК']:
        rows = admin('model.copp.student.search_read',
            [('company.short_name', '=', college)], 0, None, None,
            ['party'])
        result[college] = sorted({r['party'] for r in rows})
    assert result['РКЭ'] and result['РЖК']
    return result


def test_clerk_reads_searches_exports_own_college_only(users, persons):
    for login in ['uch1', 'buh1']:
        rpc = users[login]
        found = rpc('model.party.party.search',
            [('id', 'in', persons['РЖК'])], 0, None, None)
        assert found == [], login
        found = rpc('model.party.party.search',
            [('id', 'in', persons['РКЭ'])], 0, None, None)
        assert sorted(found) == persons['РКЭ'], login
        for method, params in [
                ('model.party.party.read', (persons['РЖК'][:1],
                        ['name', 'birth_date'])),
                ('model.party.party.export_data', (persons['РЖК'][:1],
                        ['name', 'birth_date'])),
                ('model.party.party.export_data_domain',
                    ([('id', 'in', persons['РЖК'][:3])], ['name'])),
                ]:
            result, error = rpc.call(method, *params)
            if method.endswith('export_data_domain'):
                # The domain finds nothing of РЖК: nothing is exported.
                assert error is None and result == [], (login, result)
            else:
                assert error and error[0] == 'UserError', (login, method)
        # A name typed in the search box finds nobody of РЖК.
        name = users['admin']('model.party.party.read',
            persons['РЖК'][:1], ['last_name'])[0]['last_name']
        found = rpc('model.party.party.search',
            [('rec_name', 'ilike', f'%{name}%')], 0, None, None)
        assert not set(found) & set(persons['РЖК']), login


def test_snils_identifiers(users, persons):
    """The 4 065 СНИЛС of the demo were readable by anyone through
    party.identifier: now each office reads its college's, the teacher
    none"""
    admin = users['admin']
    total = admin('model.party.identifier.search_count',
        [('type', '=', 'ru_snils')])
    assert total > 1000
    for login, college in [('buh1', 'РКЭ'), ('uch2', 'РЖК')]:
        rows = users[login]('model.party.identifier.search_read',
            [('type', '=', 'ru_snils')], 0, None, None, ['code', 'party'])
        assert 0 < len(rows) < total, login
        other = 'РЖК' if college == 'РКЭ' else 'РКЭ'
        assert not {r['party'] for r in rows} & set(persons[other]), login
    assert users['prep1']('model.party.identifier.search_count',
        [('type', '=', 'ru_snils')]) == 0
    # Nor through a path, nor through the field itself
    code = admin('model.party.identifier.search_read',
        [('type', '=', 'ru_snils'), ('party', 'in', persons['РКЭ'][:1])],
        0, None, None, ['code'])[0]['code']
    assert users['prep1']('model.party.party.search',
        [('identifiers.code', '=', code)], 0, None, None) == []
    result, error = users['prep1'].call('model.party.party.search',
        [('snils', '=', code)], 0, None, None)
    assert error and error[0] == 'UserError'
    assert users['uch2']('model.party.party.search',
        [('identifiers.code', '=', code)], 0, None, None) == []


def test_teacher_reads_names_of_own_students(users, persons):
    prep1 = users['prep1']
    students = prep1('model.copp.student.search_read', [], 0, None, None,
        ['party'])
    own = sorted({s['party'] for s in students})
    assert own
    rows = prep1('model.party.party.read', own, ['name'])
    assert all(r['name'] for r in rows)
    others = sorted(set(persons['РКЭ']) - set(own))
    assert prep1('model.party.party.search',
        [('id', 'in', others)], 0, None, None) == []
    result, error = prep1.call('model.party.party.read', others[:1],
        ['name'])
    assert error and error[0] == 'UserError'


def test_reads_logged_and_reported(users, persons):
    admin, uch1 = users['admin'], users['uch1']
    before = admin('model.copp.personal_data.log.search_count',
        [('user', '=', uch1.user_id), ('model', '=', 'party.party')])
    uch1('model.party.party.read', persons['РКЭ'][:25],
        ['name', 'birth_date'])
    uch1('model.party.party.export_data', persons['РКЭ'][:5],
        ['name', 'snils'])
    after = admin('model.copp.personal_data.log.search_count',
        [('user', '=', uch1.user_id), ('model', '=', 'party.party')])
    assert after - before == 30
    today = dt.date.today()
    context = {'from_date': (today - dt.timedelta(days=1)).isoformat(),
        'to_date': (today + dt.timedelta(days=1)).isoformat(),
        'pdn_user': uch1.user_id}
    rows = admin('model.copp.personal_data.report.search_read', [], 0,
        None, None, ['user', 'model.name', 'action', 'accesses', 'records'],
        context=context)
    by_action = {(r['model.']['name'], r['action']): r for r in rows
        if r['model.']}
    assert by_action[('party.party', 'read')]['accesses'] >= 25
    assert by_action[('party.party', 'export')]['records'] >= 5
    assert {r['user'] for r in rows} == {uch1.user_id}
    # The clerk does not read the report.
    result, error = uch1.call('model.copp.personal_data.report.search_read',
        [], 0, None, None, ['user'])
    assert error


def fields_of_view(rpc, model, view_type):
    "The fields sao reads for the default view: relations with rec_name"
    view = rpc(f'model.{model}.fields_view_get', None, view_type)
    names = []
    for node in ElementTree.fromstring(view['arch']).iter('field'):
        name = node.get('name')
        if name not in view['fields'] or name in names:
            continue
        names.append(name)
        if view['fields'][name]['type'] in {'many2one', 'reference'}:
            names.append(name + '.rec_name')
    return names


@pytest.mark.parametrize('login, model, domain', [
        ('uch1', 'party.party', []),
        ('uch1', 'copp.student', []),
        ('prep1', 'copp.student', []),
        ('buh1', 'copp.contract', []),
        ('buh1', 'copp.contract.balance', []),
        ('copp', 'copp.event.registration', []),
        ('copp', 'party.party', []),
        ('uch1', 'company.employee', []),
        ])
def test_screens_still_open(users, login, model, domain):
    "The lists and forms of each role open as sao opens them"
    rpc = users[login]
    tree = fields_of_view(rpc, model, 'tree')
    rows = rpc(f'model.{model}.search_read', domain, 0, 80, None, tree)
    assert rows, (login, model)
    form = fields_of_view(rpc, model, 'form')
    rpc(f'model.{model}.read', [r['id'] for r in rows[:10]], form)
