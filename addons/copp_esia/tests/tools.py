"""Test helpers of copp_esia: keys and certificates made for the test, the
[esia] settings pointing at the loopback ЕСИА of esia_peer.py, a citizen."""
import shutil
import tempfile
from pathlib import Path

from trytond import config

from copp_esia.gost import Certificate, PrivateKey, self_signed_certificate

from .esia_peer import EsiaPeer

CLIENT_ID = 'COPP62TEST'
REDIRECT_URI = 'http://localhost/esia/callback'
SCOPE = 'openid fullname birthdate gender snils email mobile'
OPTIONS = ['base_url', 'client_id', 'scope', 'redirect_uri', 'signer',
    'key_file', 'certificate', 'esia_certificate', 'issuer',
    'logout_redirect', 'command', 'command_output', 'certificate_hash',
    'id_token_signature', 'timeout']


class Keys:
    "Our key and certificate, ЕСИА's key and certificate, in files"

    def __init__(self, folder=None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix='copp-esia-'))
        self.client_key = PrivateKey.generate()
        self.client_certificate = self_signed_certificate(self.client_key,
            'ЦОПП Рязанской области (тест)')
        self.esia_key = PrivateKey.generate()
        self.esia_certificate = self_signed_certificate(self.esia_key,
            'Тестовая ЕСИА')
        self.client_key_file = self._write('client.key',
            self.client_key.pkcs8())
        self.client_certificate_file = self._write('client.crt',
            self.client_certificate)
        self.esia_certificate_file = self._write('esia.crt',
            self.esia_certificate)

    def _write(self, name, text):
        path = self.folder / name
        path.write_text(text)
        path.chmod(0o600)
        return str(path)

    @property
    def client_certificate_der(self):
        return Certificate.load(self.client_certificate).der

    def remove(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def start_peer(keys, redirect_uri=REDIRECT_URI, port=0, client_id=CLIENT_ID):
    "The loopback ЕСИА with our client registered"
    peer = EsiaPeer(esia_key=keys.esia_key.value, port=port)
    peer.register(client_id, redirect_uri,
        keys.client_key.public_key().point, keys.client_certificate_der)
    return peer.start()


def esia_options(keys, peer_url, redirect_uri=REDIRECT_URI,
        client_id=CLIENT_ID):
    "The [esia] options of a deployment talking to the loopback ЕСИА"
    return {
        'base_url': peer_url,
        'client_id': client_id,
        'scope': SCOPE,
        'redirect_uri': redirect_uri,
        'signer': 'key_file',
        'key_file': keys.client_key_file,
        'certificate': keys.client_certificate_file,
        'esia_certificate': keys.esia_certificate_file,
        'logout_redirect': 'http://localhost/esia/login',
        'timeout': '10',
        }


def set_options(options):
    "Set [esia] to exactly `options`; returns the previous ones"
    if not config.has_section('esia'):
        config.add_section('esia')
    previous = {o: config.get('esia', o, default=None) for o in OPTIONS}
    for option in OPTIONS:
        # An empty option is no option for copp_esia.settings
        config.set('esia', option, options.get(option) or '')
    return previous


def citizen(snils='112-233-445 95', last_name='Соколова', first_name='Анна',
        middle_name='Викторовна', birth_date='14.03.2006', oid=1000299654,
        email='anna.sokolova@example.ru', trusted=True, **extra):
    "The person signed in at the loopback ЕСИА (its /rs/prns format)"
    data = {
        'oid': oid, 'lastName': last_name, 'firstName': first_name,
        'middleName': middle_name, 'birthDate': birth_date, 'gender': 'F',
        'snils': snils, 'trusted': trusted,
        'contacts': [
            {'type': 'EML', 'vrfStu': 'VERIFIED', 'value': email},
            {'type': 'MBT', 'vrfStu': 'VERIFIED', 'value': '+7(910)1234567'},
            {'type': 'EML', 'vrfStu': 'NOT_VERIFIED',
                'value': 'old@example.ru'},
            ] if email else [],
        }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}
