"""Signing the requests to ЕСИА: one interface, two implementations.

`Signer.sign(data) -> bytes` returns the raw GOST R 34.10-2012 signature of
`data` (s || r, 64 bytes); `Signer.certificate_hash` is the
client_certificate_hash of our certificate registered at ЕСИА.

- `KeyFileSigner`: the key in a PKCS#8 file (gostcrypto in this process) —
  tests, test stands and small deployments;
- `CommandSigner`: an external program (CryptoPro CSP through a wrapper,
  `openssl dgst` with the GOST engine, an HSM's tool) reads the data on
  standard input and writes the signature on standard output — production,
  where the key must stay in a certified provider.

`from_settings()` builds the one of `[esia] signer`.
"""
import base64
import binascii
import logging
import shlex
import subprocess
import threading

from . import settings
from .gost import Certificate, GostError, PrivateKey

logger = logging.getLogger(__name__)


class SignerError(Exception):
    "The request could not be signed (the reason is in the server log)"


def b64url(data):
    "base64url without padding, as ЕСИА takes client_secret"
    return base64.urlsafe_b64encode(data).decode('ascii').rstrip('=')


class Signer:
    "Signs the data of an ЕСИА request"

    def __init__(self, certificate=None, certificate_hash=None):
        self.certificate = certificate
        self._certificate_hash = certificate_hash

    @property
    def certificate_hash(self):
        if self._certificate_hash:
            return self._certificate_hash
        if self.certificate is None:
            raise SignerError("no certificate: set [esia] certificate or "
                "certificate_hash")
        return self.certificate.fingerprint

    def sign(self, data):
        raise NotImplementedError

    def client_secret(self, text):
        "client_secret of a request: base64url of the signature of `text`"
        return b64url(self.sign(text.encode('utf-8')))


class KeyFileSigner(Signer):
    "GOST R 34.10-2012 (256) with the key of a PKCS#8 file"

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self.key = key
        if self.certificate is not None and (
                self.certificate.public_key.point
                != key.public_key().point):
            raise SignerError("the certificate is not of the key file")

    @classmethod
    def from_files(cls, key_file, certificate_file=None,
            certificate_hash=None):
        try:
            with open(key_file, 'rb') as file:
                key = PrivateKey.load(file.read())
            certificate = None
            if certificate_file:
                with open(certificate_file, 'rb') as file:
                    certificate = Certificate.load(file.read())
        except (OSError, GostError) as exc:
            raise SignerError(str(exc)) from exc
        return cls(key, certificate=certificate,
            certificate_hash=certificate_hash)

    def sign(self, data):
        return self.key.sign(data)


class CommandSigner(Signer):
    """An external program: the data on stdin, the signature on stdout.

    output: 'raw' (s || r as openssl writes it), 'reversed' (the bytes in
    the opposite order, as CryptoPro's CryptSignHash gives them), 'base64'
    (base64 text of a raw signature)."""
    OUTPUTS = {'raw', 'reversed', 'base64'}

    def __init__(self, command, output='raw', timeout=30, **kwargs):
        super().__init__(**kwargs)
        self.args = (shlex.split(command) if isinstance(command, str)
            else list(command))
        if not self.args:
            raise SignerError("[esia] command is empty")
        if output not in self.OUTPUTS:
            raise SignerError(f"[esia] command_output: {output}?")
        self.output = output
        self.timeout = timeout

    def sign(self, data):
        try:
            process = subprocess.run(self.args, input=data,
                capture_output=True, timeout=self.timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            logger.error("esia: signing command failed: %s", exc)
            raise SignerError(str(exc)) from exc
        if process.returncode:
            logger.error("esia: signing command exited %s: %s",
                process.returncode,
                process.stderr.decode('utf-8', 'replace')[-500:])
            raise SignerError(f"exit status {process.returncode}")
        signature = process.stdout
        if self.output == 'base64':
            try:
                signature = base64.b64decode(b''.join(signature.split())
                    .replace(b'-', b'+').replace(b'_', b'/') + b'==')
            except binascii.Error as exc:
                raise SignerError("the command wrote no base64") from exc
        elif self.output == 'reversed':
            signature = signature[::-1]
        if len(signature) != 64:
            logger.error("esia: signing command wrote %s bytes, not 64",
                len(signature))
            raise SignerError("the command wrote no GOST signature")
        return signature


_cache = {}
_cache_lock = threading.Lock()


def from_settings():
    "The signer of [esia] (built once per configuration)"
    kind = settings.get('signer', 'key_file')
    certificate_file = settings.get('certificate')
    certificate_hash = settings.get('certificate_hash')
    key = (kind, settings.get('key_file'), settings.get('command'),
        settings.get('command_output', 'raw'), certificate_file,
        certificate_hash)
    with _cache_lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _build(kind, certificate_file, certificate_hash)
        return _cache[key]


def _build(kind, certificate_file, certificate_hash):
    if kind == 'key_file':
        key_file = settings.get('key_file')
        if not key_file:
            raise SignerError("[esia] key_file is not set")
        return KeyFileSigner.from_files(key_file, certificate_file,
            certificate_hash)
    if kind == 'command':
        command = settings.get('command')
        if not command:
            raise SignerError("[esia] command is not set")
        certificate = None
        if certificate_file:
            try:
                with open(certificate_file, 'rb') as file:
                    certificate = Certificate.load(file.read())
            except (OSError, GostError) as exc:
                raise SignerError(str(exc)) from exc
        return CommandSigner(command,
            output=settings.get('command_output', 'raw'),
            timeout=float(settings.get('command_timeout', '30')),
            certificate=certificate, certificate_hash=certificate_hash)
    raise SignerError(f"[esia] signer: key_file or command, not {kind}")
