"""JSON-RPC of the back office through trytond's own dispatcher
(trytond.wsgi.app with werkzeug's test client, in the test's thread: the
SQLite in-memory database of the tests works). Use it in a RouteTestCase,
outside any open transaction (the dispatcher starts its own)."""
import base64
import json

from werkzeug.test import Client

from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME
from trytond.wsgi import app


class RpcError(Exception):
    "A JSON-RPC error answer: `error` is trytond's [type, args]"

    def __init__(self, error):
        super().__init__(error)
        self.error = error

    @property
    def kind(self):
        return self.error[0]

    @property
    def message(self):
        args = self.error[1]
        if self.kind == 'LoginException':
            return args[1]
        return args[0] if isinstance(args, (list, tuple)) else str(args)


class RpcClient:
    """A client of one network address (`remote_addr`); `login()` keeps the
    session for the next `call()`s"""

    def __init__(self, remote_addr='10.0.0.1', database=DB_NAME):
        self.remote_addr = remote_addr
        self.database = database
        self.client = Client(app, Response)
        self.session = None
        self.status = None

    def _post(self, path, method, params, headers=None):
        response = self.client.post(path,
            data=json.dumps({'id': 1, 'method': method, 'params': params}),
            headers={'Content-Type': 'application/json',
                **(headers or {})},
            environ_base={'REMOTE_ADDR': self.remote_addr})
        self.status = response.status_code
        if response.status_code != 200:
            return None
        data = json.loads(response.get_data(as_text=True))
        if data.get('error'):
            raise RpcError(data['error'])
        return data['result']

    def try_login(self, login, parameters, language='ru'):
        """common.db.login: (user id, session key), or None with the HTTP
        status in `status` (401 refused, 429 throttled); a request for more
        parameters (the password, a code) raises RpcError LoginException"""
        result = self._post(f'/{self.database}/rpc/', 'common.db.login',
            [login, parameters, language])
        if result is None:
            return None
        user_id, key = result[0], result[1]
        self.session = (login, user_id, key)
        return user_id, key

    def login(self, login, password, code=None, device_cookie=None):
        "Log in, answering the code question when asked"
        parameters = {'password': password}
        if device_cookie:
            parameters['device_cookie'] = device_cookie
        if code is not None:
            parameters['totp_code'] = code
        result = self.try_login(login, parameters)
        if result is None:
            raise AssertionError(
                f"login {login} refused with HTTP {self.status}")
        return result

    def call(self, method, *params, context=None):
        "A call with the session; None when refused (see `status`)"
        login, user_id, key = self.session
        token = base64.b64encode(
            f'{login}:{user_id}:{key}'.encode()).decode()
        return self._post(f'/{self.database}/rpc/', method,
            list(params) + [context or {}],
            headers={'Authorization': f'Session {token}'})
