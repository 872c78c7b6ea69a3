"""The [esia] section of copp.conf (or TRYTOND_ESIA__<OPTION>).

    [esia]
    # Test host; production: https://esia.gosuslugi.ru
    base_url = https://esia-portal1.test.gosuslugi.ru
    client_id = COPP62
    scope = openid fullname birthdate snils email mobile
    # Where ЕСИА sends the browser back (default: the portal URL + /esia/callback)
    redirect_uri = https://copp62.example/esia/callback
    # key_file: our key in a PKCS#8 file (GOST R 34.10-2012, 256 bit);
    # command: an external program reads the data on stdin and writes the
    # signature on stdout (CryptoPro, openssl with the GOST engine)
    signer = command
    key_file = /etc/copp/esia.key
    command = openssl dgst -engine gost -md_gost12_256 -sign /etc/copp/esia.key
    # raw (s || r as openssl writes it), reversed (CryptoPro's byte order),
    # base64 (the program writes base64 text)
    command_output = raw
    # Our certificate registered at ЕСИА (client_certificate_hash)
    certificate = /etc/copp/esia.crt
    # certificate_hash = the value ЕСИА's utility gave, when it differs
    # ЕСИА's certificate (verifies the id_token)
    esia_certificate = /etc/copp/esia-gost2012.cer
    # issuer of the id_token (default base_url with a slash)
    issuer = http://esia-portal1.test.gosuslugi.ru/
    id_token_signature = raw
    timeout = 10
    # where ЕСИА's logout sends the browser back (default: the portal)
    logout_redirect = https://copp62.example/
"""
from trytond import config

SECTION = 'esia'
TEST_HOST = 'https://esia-portal1.test.gosuslugi.ru'
PRODUCTION_HOST = 'https://esia.gosuslugi.ru'
DEFAULT_SCOPE = 'openid fullname birthdate snils email mobile'


class SettingsError(Exception):
    "The [esia] section is missing something"


def get(option, default=None):
    value = config.get(SECTION, option, default=None)
    if value is None or not str(value).strip():
        return default
    return str(value).strip()


def enabled():
    "Sign-in through ЕСИА is configured (a client_id is set)"
    return bool(get('client_id'))


def base_url():
    return get('base_url', TEST_HOST).rstrip('/')


def client_id():
    value = get('client_id')
    if not value:
        raise SettingsError("[esia] client_id is not set")
    return value


def scope():
    return ' '.join(get('scope', DEFAULT_SCOPE).split())


def redirect_uri():
    value = get('redirect_uri')
    if value:
        return value
    from copp_portal.mail import portal_url
    return portal_url('/esia/callback')


def issuer():
    return get('issuer', base_url() + '/')


def timeout():
    return float(get('timeout', '10'))


def logout_redirect():
    value = get('logout_redirect')
    if value:
        return value
    from copp_portal.mail import portal_url
    return portal_url('/')


def id_token_signature():
    value = get('id_token_signature', 'raw')
    if value not in {'raw', 'reversed'}:
        raise SettingsError("[esia] id_token_signature: raw or reversed")
    return value
