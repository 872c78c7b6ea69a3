"""A test ЕСИА on loopback, written from the published protocol
(../shared/docs/integrations.md §3), not from our client: it builds the
strings it verifies itself, from the documented order of the parameters.

    peer = EsiaPeer(esia_key=PEER_KEY_BYTES).start()
    peer.register('COPP62', redirect_uri, client_point, client_cert_der)
    peer.citizen = {'oid': 1000299654, 'lastName': 'Иванова', ...}

Endpoints:
- GET  /aas/oauth2/v2/ac    the sign-in page: checks the request (client,
  redirect_uri, timestamp `YYYY.MM.DD HH:MM:SS +0000` within a window, state
  a UUID, client_certificate_hash, client_secret = base64url GOST R
  34.10-2012 signature of client_id + scope + timestamp + state +
  redirect_uri by the client's registered key) and sends the browser back
  with code and state (or error=access_denied); `interactive` shows a page
  with a «Войти» button first;
- POST /aas/oauth2/v3/te    the code for tokens: the same checks, the
  signature over … + code, the state the code was issued for, the code used
  once (a replay is refused and revokes the tokens of that code) and young;
  answers access_token and id_token (JWT, alg GOST3410_2012_256, signed with
  the peer's key);
- GET  /rs/prns/{oid}, /rs/prns/{oid}/ctts[?embed=(elements)],
  /rs/prns/{oid}/ctts/{id}   the person and contacts (Bearer access_token);
- GET  /idp/ext/Logout?client_id=…&redirect_url=…   ends the citizen's
  session at ЕСИА and sends the browser back.

Signatures are GOST R 34.10-2012 (256 bit, CryptoPro-A parameters) as
OpenSSL's GOST engine writes them: Streebog-256 digest taken as a
little-endian number, signature s || r.
"""
import base64
import datetime as dt
import html
import json
import re
import secrets
import threading
import time
import urllib.parse
import uuid

from gostcrypto import gosthash, gostsignature
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

TIMESTAMP = '%Y.%m.%d %H:%M:%S %z'
UUID_RE = re.compile(
    r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', re.I)
CURVE = gostsignature.CURVES_R_1323565_1_024_2019[
    'id-tc26-gost-3410-2012-256-paramSetB']  # = CryptoPro-A


def _curve():
    return gostsignature.new(gostsignature.MODE_256, CURVE)


def _digest(data):
    return bytearray(gosthash.new('streebog256',
            data=bytearray(data)).digest()[::-1])


def gost_sign(private_key, data):
    "s || r of `data` by the key (32 bytes, big-endian)"
    signature = _curve().sign(bytearray(private_key), _digest(data))
    return bytes(signature[32:] + signature[:32])


def gost_verify(point, data, signature):
    if len(signature) != 64:
        return False
    try:
        return bool(_curve().verify(bytearray(point), _digest(data),
                bytearray(signature[32:] + signature[:32])))
    except gostsignature.GOSTSignatureError:
        return False


def gost_public(private_key):
    return bytes(_curve().public_key_generate(bytearray(private_key)))


def certificate_hash(der):
    return gosthash.new('streebog256', data=bytearray(der)).hexdigest()


def b64url(data):
    return base64.urlsafe_b64encode(data).decode('ascii').rstrip('=')


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


class Client:
    def __init__(self, client_id, redirect_uris, point, certificate_der):
        self.client_id = client_id
        self.redirect_uris = set(redirect_uris)
        self.point = point
        self.certificate_hash = certificate_hash(certificate_der)


class Refusal(Exception):
    def __init__(self, error, description, status=400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class EsiaPeer:
    "The test ЕСИА (a WSGI application on 127.0.0.1 in a thread)"

    def __init__(self, esia_key, host='127.0.0.1', port=0,
            issuer=None):
        self.key = bytes(esia_key)
        self.host = host
        self.port = port
        self._issuer = issuer
        self.clients = {}
        self.citizen = None
        self.interactive = False
        self.deny = False
        self.timestamp_window = 300
        self.code_lifetime = 300
        self.token_lifetime = 3600
        self.id_token_lifetime = 3600  # negative: issue expired tokens
        self.codes = {}
        self.tokens = {}
        self.signed_in = False
        self.logouts = []
        self.log = []
        self.lock = threading.Lock()
        self.server = None

    # Setup -------------------------------------------------------------
    def register(self, client_id, redirect_uris, point, certificate_der):
        if isinstance(redirect_uris, str):
            redirect_uris = [redirect_uris]
        self.clients[client_id] = Client(client_id, redirect_uris, point,
            certificate_der)

    @property
    def url(self):
        return f'http://{self.host}:{self.port}'

    @property
    def issuer(self):
        return self._issuer or self.url + '/'

    def start(self):
        self.server = make_server(self.host, self.port, self.wsgi,
            threaded=True)
        self.port = self.server.server_port
        thread = threading.Thread(target=self.server.serve_forever,
            daemon=True)
        thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def reset(self):
        with self.lock:
            self.codes.clear()
            self.tokens.clear()
            self.log.clear()
            self.logouts.clear()
            self.signed_in = False
        self.deny = False
        self.interactive = False
        self.id_token_lifetime = 3600

    # WSGI --------------------------------------------------------------
    def wsgi(self, environ, start_response):
        request = Request(environ)
        path = request.path
        with self.lock:
            self.log.append((request.method, path,
                    dict(request.values.items())))
        try:
            if path == '/aas/oauth2/v2/ac' and request.method == 'GET':
                response = self.authorize(request)
            elif path == '/aas/oauth2/v2/ac' and request.method == 'POST':
                response = self.authorize_confirm(request)
            elif path == '/aas/oauth2/v3/te' and request.method == 'POST':
                response = self.token(request)
            elif path == '/idp/ext/Logout':
                response = self.logout(request)
            elif path.startswith('/rs/prns/'):
                response = self.rest(request)
            else:
                response = Response('not found', status=404)
        except Refusal as refusal:
            response = self.json({'error': refusal.error,
                    'error_description': refusal.description},
                status=refusal.status)
        return response(environ, start_response)

    @staticmethod
    def json(data, status=200):
        return Response(json.dumps(data, ensure_ascii=False), status=status,
            content_type='application/json; charset=utf-8')

    @staticmethod
    def redirect(url):
        response = Response('', status=302)
        response.headers['Location'] = url
        return response

    # Checks of a signed request (the same for ac and te) ----------------
    def client_of(self, values):
        client = self.clients.get(values.get('client_id', ''))
        if client is None:
            raise Refusal('invalid_client', 'ESIA-007004: unknown client')
        return client

    def check_timestamp(self, value):
        try:
            stamp = dt.datetime.strptime(value or '', TIMESTAMP)
        except ValueError:
            raise Refusal('invalid_request',
                'ESIA-007005: timestamp format') from None
        if not re.fullmatch(r'\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d \+0000',
                value):
            raise Refusal('invalid_request', 'ESIA-007005: timestamp format')
        age = abs(time.time() - stamp.timestamp())
        if age > self.timestamp_window:
            raise Refusal('invalid_request', 'ESIA-007006: timestamp expired')

    def check_signature(self, client, values, text):
        if not hmac_equal(values.get('client_certificate_hash', '').lower(),
                client.certificate_hash.lower()):
            raise Refusal('invalid_client',
                'ESIA-007014: client_certificate_hash')
        try:
            signature = b64url_decode(values.get('client_secret', ''))
        except ValueError:
            signature = b''
        if not gost_verify(client.point, text.encode('utf-8'), signature):
            raise Refusal('invalid_client', 'ESIA-007012: client_secret')

    # /aas/oauth2/v2/ac ----------------------------------------------------
    def authorize(self, request):
        values = request.args
        client = self.client_of(values)
        redirect_uri = values.get('redirect_uri', '')
        if redirect_uri not in client.redirect_uris:
            raise Refusal('invalid_request', 'ESIA-007002: redirect_uri')
        state = values.get('state', '')
        try:
            if values.get('response_type') != 'code':
                raise Refusal('unsupported_response_type',
                    'ESIA-007003: response_type')
            if not UUID_RE.match(state):
                raise Refusal('invalid_request', 'ESIA-007007: state')
            scope = values.get('scope', '')
            if 'openid' not in scope.split():
                raise Refusal('invalid_scope', 'ESIA-007008: openid')
            self.check_timestamp(values.get('timestamp'))
            self.check_signature(client, values, client.client_id + scope
                + values['timestamp'] + state + redirect_uri)
        except Refusal as refusal:
            return self.back(redirect_uri, state, error=refusal.error,
                error_description=refusal.description)
        if self.interactive:
            return self.login_page(values)
        return self.approve(client, values)

    def login_page(self, values):
        citizen = self.citizen or {}
        hidden = ''.join(f'<input type="hidden" name="{html.escape(k)}" '
            f'value="{html.escape(v)}">' for k, v in values.items())
        name = html.escape(' '.join(filter(None, [citizen.get('lastName'),
                    citizen.get('firstName'), citizen.get('middleName')])))
        page = ('<!doctype html><html lang="ru"><head><meta charset="utf-8">'
            '<title>Госуслуги (тестовая ЕСИА)</title></head><body>'
            '<h1>Госуслуги — тестовая ЕСИА</h1>'
            f'<p>Вход в систему «{html.escape(values.get("client_id", ""))}»</p>'
            f'<form method="post" action="/aas/oauth2/v2/ac">{hidden}'
            f'<button type="submit" name="approve" value="1">Войти как '
            f'{name}</button> <button type="submit" name="approve" '
            'value="0">Отмена</button></form></body></html>')
        return Response(page, content_type='text/html; charset=utf-8')

    def authorize_confirm(self, request):
        values = request.form
        client = self.client_of(values)
        if values.get('redirect_uri') not in client.redirect_uris:
            raise Refusal('invalid_request', 'ESIA-007002: redirect_uri')
        if values.get('approve') != '1':
            return self.back(values['redirect_uri'], values.get('state', ''),
                error='access_denied',
                error_description='ESIA-007013: the user refused')
        return self.approve(client, values)

    def approve(self, client, values):
        redirect_uri, state = values['redirect_uri'], values['state']
        if self.deny or not self.citizen:
            return self.back(redirect_uri, state, error='access_denied',
                error_description='ESIA-007013: the user refused')
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = {
                'client_id': client.client_id,
                'state': state,
                'redirect_uri': redirect_uri,
                'scope': values['scope'],
                'oid': str(self.citizen['oid']),
                'issued': time.time(),
                'used': False,
                'tokens': [],
                }
            self.signed_in = True
        return self.back(redirect_uri, state, code=code)

    def back(self, redirect_uri, state, **params):
        params['state'] = state
        separator = '&' if '?' in redirect_uri else '?'
        return self.redirect(redirect_uri + separator
            + urllib.parse.urlencode(params))

    # /aas/oauth2/v3/te ----------------------------------------------------
    def token(self, request):
        values = request.form
        client = self.client_of(values)
        if values.get('grant_type') != 'authorization_code':
            raise Refusal('unsupported_grant_type', 'ESIA-007009: grant_type')
        if values.get('token_type') != 'Bearer':
            raise Refusal('invalid_request', 'ESIA-007010: token_type')
        self.check_timestamp(values.get('timestamp'))
        code = values.get('code', '')
        self.check_signature(client, values, client.client_id
            + values.get('scope', '') + values['timestamp']
            + values.get('state', '') + values.get('redirect_uri', '')
            + code)
        with self.lock:
            grant = self.codes.get(code)
            if grant is None or grant['client_id'] != client.client_id:
                raise Refusal('invalid_grant', 'ESIA-007015: unknown code')
            if grant['used']:
                # A replayed code: refused, and what it gave is revoked.
                for token in grant['tokens']:
                    self.tokens.pop(token, None)
                raise Refusal('invalid_grant', 'ESIA-007016: code used')
            if time.time() - grant['issued'] > self.code_lifetime:
                raise Refusal('invalid_grant', 'ESIA-007017: code expired')
            if values.get('state') != grant['state']:
                raise Refusal('invalid_request', 'ESIA-007007: wrong state')
            if values.get('redirect_uri') != grant['redirect_uri']:
                raise Refusal('invalid_grant', 'ESIA-007002: redirect_uri')
            if values.get('scope') != grant['scope']:
                raise Refusal('invalid_scope', 'ESIA-007008: scope')
            grant['used'] = True
            now = int(time.time())
            access = self.jwt({'typ': 'JWT', 'sbt': 'access', 'ver': 1}, {
                    'iss': self.issuer,
                    'urn:esia:sbj_id': int(grant['oid']),
                    'urn:esia:sid': uuid.uuid4().hex,
                    'client_id': client.client_id,
                    'scope': grant['scope'],
                    'iat': now, 'nbf': now,
                    'exp': now + self.token_lifetime,
                    })
            self.tokens[access] = {'oid': grant['oid'],
                'scope': grant['scope'].split(),
                'expires': now + self.token_lifetime}
            grant['tokens'].append(access)
            id_token = self.jwt({'typ': 'JWT', 'sbt': 'id', 'ver': 1}, {
                    'iss': self.issuer,
                    'aud': client.client_id,
                    'sub': int(grant['oid']),
                    'urn:esia:sbj_id': int(grant['oid']),
                    'urn:esia:sid': uuid.uuid4().hex,
                    'amr': 'PWD',
                    'auth_time': now, 'iat': now, 'nbf': now,
                    'exp': now + self.id_token_lifetime,
                    })
        return self.json({
                'access_token': access,
                'id_token': id_token,
                'state': values['state'],
                'token_type': 'Bearer',
                'expires_in': self.token_lifetime,
                'refresh_token': secrets.token_urlsafe(24),
                })

    def jwt(self, header, claims):
        header = dict(header, alg='GOST3410_2012_256')
        signed = (b64url(json.dumps(header).encode()) + '.'
            + b64url(json.dumps(claims).encode()))
        return signed + '.' + b64url(gost_sign(self.key, signed.encode()))

    # /rs/prns ---------------------------------------------------------
    def rest(self, request):
        auth = request.headers.get('Authorization', '')
        token = auth[7:] if auth.startswith('Bearer ') else ''
        with self.lock:
            grant = self.tokens.get(token)
        if grant is None or grant['expires'] < time.time():
            return self.json({'code': 'ESIA-005011',
                    'message': 'invalid token'}, status=401)
        parts = request.path.split('/')  # '', rs, prns, oid, [ctts, [id]]
        if len(parts) < 4 or parts[3] != grant['oid']:
            return self.json({'code': 'ESIA-005008',
                    'message': 'not your data'}, status=403)
        citizen = self.citizen or {}
        if len(parts) == 4:
            return self.json(self.person(citizen, grant['scope']))
        contacts = [dict(c, id=i) for i, c in enumerate(
                citizen.get('contacts', []), start=1)
            if ('email' in grant['scope'] and c['type'] == 'EML')
            or ('mobile' in grant['scope'] and c['type'] == 'MBT')]
        base = f'{self.url}/rs/prns/{grant["oid"]}/ctts'
        if len(parts) == 5 and parts[4] == 'ctts':
            if request.args.get('embed') == '(elements)':
                elements = contacts
            else:
                elements = [f'{base}/{c["id"]}' for c in contacts]
            return self.json({'stateFacts': ['hasSize'],
                    'size': len(elements), 'elements': elements})
        if len(parts) == 6 and parts[4] == 'ctts':
            for contact in contacts:
                if str(contact['id']) == parts[5]:
                    return self.json(contact)
        return self.json({'code': 'ESIA-005001'}, status=404)

    @staticmethod
    def person(citizen, scope):
        data = {'stateFacts': ['EntityRoot'], 'trusted': citizen.get(
                'trusted', True), 'status': 'REGISTERED', 'verifying': False,
            'rIdDoc': 1, 'citizenship': 'RUS', 'updatedOn': 1700000000}
        if 'fullname' in scope:
            for key in ['firstName', 'lastName', 'middleName']:
                if citizen.get(key):
                    data[key] = citizen[key]
        if 'birthdate' in scope and citizen.get('birthDate'):
            data['birthDate'] = citizen['birthDate']
        if 'gender' in scope and citizen.get('gender'):
            data['gender'] = citizen['gender']
        if 'snils' in scope and citizen.get('snils'):
            data['snils'] = citizen['snils']
        return data

    # /idp/ext/Logout --------------------------------------------------
    def logout(self, request):
        client = self.client_of(request.args)
        target = request.args.get('redirect_url', '')
        with self.lock:
            self.signed_in = False
            self.logouts.append((client.client_id, target))
        if target:
            return self.redirect(target)
        return Response('Вы вышли из ЕСИА',
            content_type='text/plain; charset=utf-8')


def hmac_equal(a, b):
    import hmac
    return hmac.compare_digest(a.encode(), b.encode())
