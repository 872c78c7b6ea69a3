"""The protocol of ЕСИА (OAuth 2.0 with a signed client secret), as
../shared/docs/integrations.md §3 describes it:

1. the browser goes to `{base}/aas/oauth2/v2/ac` with client_id, scope,
   response_type=code, state (a UUID), access_type, timestamp
   (`YYYY.MM.DD HH:MM:SS +0000`), client_certificate_hash and client_secret =
   base64url(signature of client_id + scope + timestamp + state + redirect_uri);
2. ЕСИА sends it back to redirect_uri with code and state;
3. we POST the code to `{base}/aas/oauth2/v3/te` (the same parameters,
   grant_type=authorization_code, token_type=Bearer, client_secret over the
   same string + code) and get access_token and id_token;
4. the id_token (a JWT signed by ЕСИА with GOST R 34.10-2012) is checked:
   signature with ЕСИА's certificate, issuer, audience, expiry; its claim
   `urn:esia:sbj_id` is the person's oid;
5. `GET {base}/rs/prns/{oid}` and `/rs/prns/{oid}/ctts` (Bearer) give the
   name, birth date, СНИЛС and the confirmed e-mail;
6. logout: the browser goes to `{base}/idp/ext/Logout?client_id=…&redirect_url=…`.
"""
import base64
import binascii
import datetime as dt
import json
import logging
import time
import urllib.parse
import uuid

import requests

from . import settings
from .gost import Certificate, GostError
from .signer import from_settings as signer_from_settings

logger = logging.getLogger(__name__)

TIMESTAMP_FORMAT = '%Y.%m.%d %H:%M:%S +0000'
AUTHORIZE_PATH = '/aas/oauth2/v2/ac'
TOKEN_PATH = '/aas/oauth2/v3/te'
PERSON_PATH = '/rs/prns/{oid}'
CONTACTS_PATH = '/rs/prns/{oid}/ctts'
LOGOUT_PATH = '/idp/ext/Logout'
JWT_ALGORITHM = 'GOST3410_2012_256'
LEEWAY = 60  # seconds of clock difference accepted in the id_token
MAX_ANSWER = 1024 * 1024


class EsiaError(Exception):
    """Sign-in through ЕСИА failed. `reason`: denied (the citizen refused),
    token (the token endpoint refused), id_token (the token did not verify),
    data (the person's data is missing or unconfirmed), unavailable (no
    answer), config (the [esia] section)"""

    def __init__(self, reason, detail=''):
        super().__init__(f'{reason}: {detail}')
        self.reason = reason
        self.detail = detail


def timestamp(now=None):
    "The timestamp of a request, UTC"
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.astimezone(dt.timezone.utc).strftime(TIMESTAMP_FORMAT)


def new_state():
    return str(uuid.uuid4())


def b64url_decode(text):
    text = text.strip()
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


def _signer():
    try:
        return signer_from_settings()
    except Exception as exc:
        raise EsiaError('config', str(exc)) from exc


def authorize_url(state, signer=None, now=None):
    "The address of ЕСИА's sign-in page for this request"
    signer = signer or _signer()
    client_id = settings.client_id()
    scope = settings.scope()
    redirect_uri = settings.redirect_uri()
    stamp = timestamp(now)
    params = {
        'client_id': client_id,
        'client_secret': signer.client_secret(
            client_id + scope + stamp + state + redirect_uri),
        'redirect_uri': redirect_uri,
        'scope': scope,
        'response_type': 'code',
        'state': state,
        'access_type': 'online',
        'timestamp': stamp,
        'client_certificate_hash': signer.certificate_hash,
        }
    return (settings.base_url() + AUTHORIZE_PATH + '?'
        + urllib.parse.urlencode(params, quote_via=urllib.parse.quote))


def logout_url():
    return (settings.base_url() + LOGOUT_PATH + '?'
        + urllib.parse.urlencode({
                'client_id': settings.client_id(),
                'redirect_url': settings.logout_redirect(),
                }, quote_via=urllib.parse.quote))


def _answer(response):
    "The JSON of an answer (at most MAX_ANSWER bytes)"
    body = b''
    for chunk in response.iter_content(65536):
        body += chunk
        if len(body) > MAX_ANSWER:
            raise EsiaError('unavailable', 'answer too large')
    try:
        return json.loads(body.decode('utf-8'))
    except (UnicodeDecodeError, ValueError) as exc:
        raise EsiaError('unavailable',
            f'HTTP {response.status_code}: not JSON') from exc


def exchange_code(code, state, signer=None):
    """Exchange the code for the tokens: {'access_token', 'id_token' (the
    verified claims), 'oid', 'expires_in'}"""
    signer = signer or _signer()
    client_id = settings.client_id()
    scope = settings.scope()
    redirect_uri = settings.redirect_uri()
    stamp = timestamp()
    data = {
        'client_id': client_id,
        'code': code,
        'grant_type': 'authorization_code',
        'client_secret': signer.client_secret(
            client_id + scope + stamp + state + redirect_uri + code),
        'state': state,
        'redirect_uri': redirect_uri,
        'scope': scope,
        'timestamp': stamp,
        'token_type': 'Bearer',
        'client_certificate_hash': signer.certificate_hash,
        }
    try:
        response = requests.post(settings.base_url() + TOKEN_PATH,
            data=data, timeout=settings.timeout(), stream=True,
            allow_redirects=False, headers={'Accept': 'application/json'})
        answer = _answer(response)
    except requests.RequestException as exc:
        raise EsiaError('unavailable', str(exc)) from exc
    if response.status_code != 200 or 'error' in answer:
        raise EsiaError('token', '%s %s: %s' % (response.status_code,
                answer.get('error'), answer.get('error_description')))
    if answer.get('state') not in (None, state):
        raise EsiaError('token', 'the answer is of another state')
    access_token = answer.get('access_token')
    if not access_token or not answer.get('id_token'):
        raise EsiaError('token', 'no access_token or id_token')
    claims = verify_id_token(answer['id_token'])
    return {
        'access_token': access_token,
        'id_token': claims,
        'oid': str(claims['urn:esia:sbj_id']),
        'expires_in': answer.get('expires_in'),
        }


def esia_public_key():
    path = settings.get('esia_certificate')
    if not path:
        raise EsiaError('config', '[esia] esia_certificate is not set')
    try:
        with open(path, 'rb') as file:
            return Certificate.load(file.read()).public_key
    except (OSError, GostError) as exc:
        raise EsiaError('config', f'esia_certificate: {exc}') from exc


def verify_id_token(token, public_key=None, now=None):
    """The claims of ЕСИА's id_token once its signature, issuer, audience and
    times are checked"""
    public_key = public_key or esia_public_key()
    now = time.time() if now is None else now
    parts = token.split('.') if isinstance(token, str) else []
    if len(parts) != 3:
        raise EsiaError('id_token', 'not a JWT')
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, binascii.Error) as exc:
        raise EsiaError('id_token', 'not a JWT') from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise EsiaError('id_token', 'not a JWT')
    if header.get('alg') != JWT_ALGORITHM:
        raise EsiaError('id_token', f"algorithm {header.get('alg')!r}")
    if settings.id_token_signature() == 'reversed':
        signature = signature[::-1]
    signed = (parts[0] + '.' + parts[1]).encode('ascii')
    if not public_key.verify(signed, signature):
        raise EsiaError('id_token', 'bad signature')
    if claims.get('iss') != settings.issuer():
        raise EsiaError('id_token', f"issuer {claims.get('iss')!r}")
    audience = claims.get('aud')
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.client_id() not in audiences:
        raise EsiaError('id_token', f'audience {audience!r}')
    try:
        expires = float(claims['exp'])
        not_before = float(claims.get('nbf', claims.get('iat', now)))
    except (KeyError, TypeError, ValueError) as exc:
        raise EsiaError('id_token', 'no expiry') from exc
    if expires + LEEWAY < now:
        raise EsiaError('id_token', 'expired')
    if not_before - LEEWAY > now:
        raise EsiaError('id_token', 'not yet valid')
    if not claims.get('urn:esia:sbj_id'):
        raise EsiaError('id_token', 'no urn:esia:sbj_id')
    return claims


def _get(path, access_token, params=None):
    try:
        response = requests.get(settings.base_url() + path, params=params,
            timeout=settings.timeout(), stream=True, allow_redirects=False,
            headers={'Authorization': f'Bearer {access_token}',
                'Accept': 'application/json'})
        answer = _answer(response)
    except requests.RequestException as exc:
        raise EsiaError('unavailable', str(exc)) from exc
    if response.status_code != 200:
        raise EsiaError('data', f'{path}: HTTP {response.status_code}')
    return answer


def _birth_date(value):
    try:
        return dt.datetime.strptime(value or '', '%d.%m.%Y').date()
    except ValueError:
        return None


def person(oid, access_token):
    """The person of `oid`: {'oid', 'last_name', 'first_name', 'patronymic',
    'birth_date', 'gender', 'snils', 'trusted', 'email', 'mobile'}"""
    quoted = urllib.parse.quote(str(oid), safe='')
    data = _get(PERSON_PATH.format(oid=quoted), access_token)
    contacts = _get(CONTACTS_PATH.format(oid=quoted), access_token,
        params={'embed': '(elements)'})
    email = mobile = None
    for element in contacts.get('elements') or []:
        if not isinstance(element, dict) or (
                element.get('vrfStu') != 'VERIFIED'):
            continue
        if element.get('type') == 'EML' and not email:
            email = str(element.get('value') or '').strip().lower() or None
        elif element.get('type') == 'MBT' and not mobile:
            mobile = str(element.get('value') or '').strip() or None
    gender = {'M': 'male', 'F': 'female'}.get(str(data.get('gender', '')))
    return {
        'oid': str(oid),
        'last_name': str(data.get('lastName') or '').strip(),
        'first_name': str(data.get('firstName') or '').strip(),
        'patronymic': str(data.get('middleName') or '').strip() or None,
        'birth_date': _birth_date(data.get('birthDate')),
        'gender': gender,
        'snils': str(data.get('snils') or '').strip() or None,
        'trusted': data.get('trusted') is True,
        'email': email,
        'mobile': mobile,
        }
