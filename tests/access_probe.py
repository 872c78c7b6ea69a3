"""Probing every model of the suite through JSON-RPC as every role.

The models come from the database (`ir.model` rows of the copp modules that
store records), the records from the demo data: for each model, a record of
another college (found through its `company` field, or through the parents
named by `__access__`, read from `ir.model.field.access`), or for a teacher a
record of their college in a group they do not teach. Each role then tries
read, search, search_count, export_data, write, create, delete and copy on
it; `tests/access_policy.py` says what is allowed, everything else must be
refused by an access error (not by a business error naming the record).
"""
import base64
import json
import re
import urllib.error
import urllib.request

READ_OPS = ('read', 'search', 'search_count', 'export_data')
WRITE_OPS = ('write', 'create', 'delete', 'copy')
OPS = READ_OPS + WRITE_OPS
ALLOWED, REFUSED = 'allowed', 'refused'

# trytond's access refusals (ir.message of module ir) and ours
ACCESS_MESSAGES = [
    ('ir', 'msg_access_rule_error'),
    ('ir', 'msg_access_rule_field_error'),
    ('ir', 'msg_read_rule_error'),
    # a row of an SQL view (table_query) the user's rules leave out
    ('ir', 'msg_read_error'),
    ('ir', 'msg_write_rule_error'),
    ('ir', 'msg_create_rule_error'),
    ('ir', 'msg_delete_rule_error'),
    ('copp_employer', 'msg_stage_log_readonly'),
    ]
# Fields never sent in a create
META_FIELDS = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date',
    'rec_name', 'xml_id', 'last_modified_at'}
VALUE_TYPES = {'char', 'text', 'integer', 'float', 'numeric', 'boolean',
    'date', 'datetime', 'time', 'selection', 'many2one', 'reference',
    'multiselection', 'dict', 'timedelta'}


def totp_code(message, url, login):
    """The current code of the key in the message (an enrolment), else a
    code of the demo's key this process has not used on the server yet
    (tests.conftest.totp_code keeps the steps used, also by the fixtures)"""
    import pyotp
    match = re.search(r'((?:[A-Z2-7]{4} ){3,}[A-Z2-7]{2,4})', message)
    if match:
        return pyotp.TOTP(match.group(1).replace(' ', '')).now()
    from types import SimpleNamespace
    from tests.conftest import totp_code as demo_code
    return demo_code(SimpleNamespace(url=url), login)


_CLIENTS = {}


def client(url, database, login, password):
    "A logged-in client, one per user and server in the test process"
    key = (url, database, login)
    if key not in _CLIENTS:
        _CLIENTS[key] = Client(url, database, login, password)
    return _CLIENTS[key]


class Client:
    "A JSON-RPC session of one user (logged in once, not per call)"

    def __init__(self, url, database, login, password):
        self.url = f'{url}/{database}/rpc/'
        self.login = login
        parameters = {'password': password}
        result = self._call('common.db.login', [login, parameters, 'ru'],
            None)
        if result.get('error', [None])[0] == 'LoginException' and result[
                'error'][1][0] == 'totp_code':
            # The second factor (ministry, ЦОПП, administrator): the key
            # the server gives to enrol, or the demo's
            message = result['error'][1][1]
            for attempt in range(3):
                parameters['totp_code'] = totp_code(message, url, login)
                result = self._call('common.db.login',
                    [login, parameters, 'ru'], None)
                # 401: a code used already (by another process on the
                # server): the next step's
                if result.get('error') != ['HTTP', 401]:
                    break
        assert 'result' in result, (login, result)
        user_id, session = result['result'][:2]
        self.auth = 'Session ' + base64.b64encode(
            f'{login}:{user_id}:{session}'.encode()).decode()
        self.user_id = user_id

    def _call(self, method, params, auth):
        headers = {'Content-Type': 'application/json'}
        if auth:
            headers['Authorization'] = auth
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps({'id': 1, 'method': method,
                    'params': params}).encode())
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            # 403: the method is not offered through RPC to anybody
            return {'error': ['HTTP', error.code]}

    def call(self, method, *params, context=None):
        "The raw answer: {'result': …} or {'error': …}"
        return self._call(method, list(params) + [context or {}], self.auth)

    def __call__(self, method, *params, context=None):
        "The result, or an AssertionError with the server's error"
        answer = self.call(method, *params, context=context)
        assert 'result' in answer, (self.login, method, params, answer)
        return answer['result']


def message_patterns(admin):
    "Regular expressions of the access refusals, in the users' language"
    wanted = {f'{m}.{n}' for m, n in ACCESS_MESSAGES}
    patterns = []
    for message in admin('model.ir.message.search_read', [], 0, None, None,
            ['text', 'xml_id']):
        if message['xml_id'] not in wanted:
            continue
        template = re.escape(message['text'])
        template = re.sub(r'%\\\((\w+)\\\)s', '.*', template)
        patterns.append(re.compile(template, re.S))
    assert len(patterns) == len(wanted), patterns
    return patterns


class Inventory:
    "The stored models of the copp modules and their ownership paths"

    def __init__(self, admin):
        self.admin = admin
        models = admin('model.ir.model.search_read',
            [('module', 'like', 'copp%')], 0, None, [('name', 'ASC')],
            ['name', 'module'])
        names = [m['name'] for m in models]
        # Stored models have a create_uid (ModelStorage); wizards' forms not
        stored = {f['model'] for f in admin('model.ir.model.field.search_read',
                [('model', 'in', names), ('name', '=', 'create_uid')],
                0, None, None, ['model'])}
        self.models = [n for n in names if n in stored]
        self.module = {m['name']: m['module'] for m in models}
        self.parents = {}
        for field in admin('model.ir.model.field.search_read',
                [('model', 'in', self.models), ('access', '=', True)],
                0, None, None, ['model', 'name', 'relation']):
            self.parents.setdefault(field['model'], []).append(
                (field['name'], field['relation']))
        self._fields = {}
        self._values = {}
        self._views = {}

    def fields(self, model):
        """The fields of the model as fields_get describes them, or from
        ir.model.field for a model without views (no fields_get)"""
        if model not in self._fields:
            answer = self.admin.call(f'model.{model}.fields_get', None)
            if 'result' in answer:
                fields = answer['result']
            else:
                fields = {f['name']: {'type': f['ttype'],
                        'relation': f['relation']}
                    for f in self.admin('model.ir.model.field.search_read',
                        [('model', '=', model)], 0, None, None,
                        ['name', 'ttype', 'relation'])}
            self._fields[model] = fields
        return self._fields[model]

    def path_to(self, model, relation, depth=3):
        """The field path from `model` to a Many2One to `relation`, directly
        or through the parents of `__access__`"""
        fields = self.fields(model)
        for name, field in sorted(fields.items()):
            if (field['type'] == 'many2one'
                    and field.get('relation') == relation
                    and field.get('searchable', True)):
                return name
        if depth:
            for name, parent in self.parents.get(model, []):
                path = self.path_to(parent, relation, depth - 1)
                if path:
                    return f'{name}.{path}'
        return None

    def is_view(self, model):
        "Whether the model is an SQL view (table_query: a report)"
        if model not in self._views:
            ids = self.admin(f'model.{model}.search', [], 0, 1, None)
            answer = self.admin.call(f'model.{model}.write', ids, {})
            self._views[model] = bool(ids) and answer.get('error', [''])[
                0] == 'On table_query'
        return self._views[model]

    def company_path(self, model):
        return self.path_to(model, 'company.company')

    def create_values(self, model, record_id):
        "Values to create a duplicate of the record (as admin read them)"
        key = (model, record_id)
        if key not in self._values:
            self._values[key] = self._create_values(model, record_id)
        return dict(self._values[key])

    def _create_values(self, model, record_id):
        fields = self.fields(model)
        names = [n for n, f in fields.items()
            if n not in META_FIELDS and f['type'] in VALUE_TYPES
            and f.get('sortable', True) and '.' not in n]
        context = {'active_test': False}
        answer = self.admin.call(f'model.{model}.read', [record_id], names,
            context=context)
        if 'result' in answer:
            values, = answer['result']
        else:
            # Fields even the administrator may not read (secrets): left out
            values = {}
            for name in names:
                answer = self.admin.call(f'model.{model}.read', [record_id],
                    [name], context=context)
                if 'result' in answer:
                    values.update(answer['result'][0])
        values.pop('id', None)
        values = {k: v for k, v in values.items()
            if '.' not in k and v is not None}
        # Keys made of text (numbers, codes, logins, GUIDs) made unique: the
        # copy must fail on the rules, not on the original's unique key
        for name, value in values.items():
            unique = f'{value}~{record_id}'
            size = fields[name].get('size')
            # a code of fixed size (a country's «643») stays as it is: the
            # copy would fail on the size before the rules
            if (fields[name]['type'] == 'char' and value
                    and (not size or len(unique) <= size)):
                values[name] = unique
        return values


class Prober:
    "Tries one operation on one record as one user"

    def __init__(self, admin, patterns, inventory):
        self.admin = admin
        self.patterns = patterns
        self.inventory = inventory
        self.holes = []  # records a refused operation created: removed

    def refused(self, answer):
        "Whether an error answer is an access refusal (or the error)"
        error = answer['error']
        if error == ['HTTP', 403]:
            return True
        if error and error[0] == 'On table_query':
            # an SQL view (report) is never written
            return True
        if error and error[0] == 'UserError':
            message = error[1][0]
            if any(p.fullmatch(message) for p in self.patterns):
                return True
            return message
        return str(error)[:300]

    def probe(self, client, model, record_id, op, own=None, owner=None,
            execute=True, context=None):
        """ALLOWED, REFUSED or the text of an unexpected error.

        `owner` (path, institution): whose record it is. The rows of a
        report (SQL view) are numbered per query, so a read that succeeds
        is counted only if the user's row of that id is the owner's.
        With execute False, a destructive operation is not sent (it is
        allowed by the policy and would change the demo data)."""
        context = dict(context or {}, active_test=False)
        if owner and op in READ_OPS and self.inventory.is_view(model):
            return self._probe_view(client, model, op, owner, context)
        result = self._probe(client, model, record_id, op, own, execute,
            context)
        if result == ALLOWED and owner and op in READ_OPS:
            path, institution = owner
            answer = client.call(f'model.{model}.search_count',
                [('id', '=', record_id), (path, '=', institution)], 0, None,
                context=context)
            if answer.get('result') == 0:
                return REFUSED
        return result

    def _probe_view(self, client, model, op, owner, context):
        """A report's rows are numbered per query: whether the user finds
        (and reads) rows of the owner"""
        path, value = owner
        prefix = f'model.{model}.'
        answer = client.call(prefix + 'search', [(path, '=', value)], 0, 1,
            None, context=context)
        if 'error' in answer:
            refused = self.refused(answer)
            return REFUSED if refused is True else refused
        if not answer['result']:
            return REFUSED
        if op == 'read':
            answer = client.call(prefix + 'read', answer['result'], ['id'],
                context=context)
        elif op == 'export_data':
            answer = client.call(prefix + 'export_data', answer['result'],
                ['id'], context=context)
        if 'result' in answer:
            return ALLOWED
        refused = self.refused(answer)
        return REFUSED if refused is True else refused

    def _probe(self, client, model, record_id, op, own, execute, context):
        prefix = f'model.{model}.'
        if op == 'read':
            answer = client.call(prefix + 'read', [record_id], ['id'],
                context=context)
        elif op == 'search':
            answer = client.call(prefix + 'search',
                [('id', '=', record_id)], 0, None, None, context=context)
            if 'result' in answer:
                return ALLOWED if answer['result'] == [record_id] else REFUSED
        elif op == 'search_count':
            answer = client.call(prefix + 'search_count',
                [('id', '=', record_id)], 0, None, context=context)
            if 'result' in answer:
                return ALLOWED if answer['result'] == 1 else REFUSED
        elif op == 'export_data':
            answer = client.call(prefix + 'export_data', [record_id],
                ['id'], context=context)
        elif not execute:
            return ALLOWED
        elif op == 'write':
            # Empty values: the access and rule checks, and no change
            answer = client.call(prefix + 'write', [record_id], {},
                context=context)
        elif op == 'create':
            values = self.inventory.create_values(model, record_id)
            answer = client.call(prefix + 'create', [values],
                context=context)
            if 'result' in answer:
                self.holes.append((model, answer['result']))
        elif op == 'delete':
            answer = client.call(prefix + 'delete', [record_id],
                context=context)
        elif op == 'copy':
            # into the user's own college, where they may create
            default = {}
            company = self.inventory.fields(model).get('company')
            if (own and company and company.get('sortable', True)
                    and not company.get('readonly')):
                default['company'] = own
            answer = client.call(prefix + 'copy', [record_id], default,
                context=context)
            if 'result' in answer:
                self.holes.append((model, answer['result']))
        else:
            raise ValueError(op)
        if 'result' in answer:
            return ALLOWED
        refused = self.refused(answer)
        return REFUSED if refused is True else refused

    def clean(self):
        "Remove what the holes created"
        for model, ids in self.holes:
            self.admin.call(f'model.{model}.delete', ids,
                context={'active_test': False})
        self.holes.clear()
