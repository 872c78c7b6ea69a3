"""GOST R 34.10-2012 keys, certificates and signatures, and the two signers,
checked against OpenSSL's GOST engine: the files in data/ were made by
`openssl genpkey -engine gost -algorithm gost2012_256 -pkeyopt paramset:A`,
`openssl req -x509 … -md_gost12_256` and `openssl dgst -md_gost12_256 -sign`
on the data b'hello'; with the engine installed (Debian
libengine-gost-openssl) OpenSSL also checks what we make."""
import base64
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from copp_esia.gost import (
    Certificate, GostError, PrivateKey, self_signed_certificate, streebog256)
from copp_esia.signer import (
    CommandSigner, KeyFileSigner, SignerError, b64url)

DATA = Path(__file__).parent / 'data'


def openssl_gost():
    "OpenSSL with the GOST engine is installed"
    if not shutil.which('openssl'):
        return False
    process = subprocess.run(['openssl', 'engine', 'gost', '-t'],
        capture_output=True)
    return process.returncode == 0 and b'available' in process.stdout


class GostFilesTestCase(unittest.TestCase):
    "Keys, certificates and signatures of OpenSSL's GOST engine"

    def setUp(self):
        self.key = PrivateKey.load((DATA / 'openssl_gost.key').read_bytes())
        self.certificate = Certificate.load(
            (DATA / 'openssl_gost.crt').read_bytes())
        self.signature = base64.b64decode(
            (DATA / 'openssl_hello.sig.b64').read_text())

    def test_openssl_key_and_certificate(self):
        "The key of the PKCS#8 file is the one of the certificate"
        self.assertEqual(self.key.public_key().point,
            self.certificate.public_key.point)
        self.assertEqual(self.key.paramset, '1.2.643.2.2.35.1')

    def test_openssl_signature_verifies(self):
        "OpenSSL's signature of b'hello' verifies; of other data it does not"
        public = self.certificate.public_key
        self.assertTrue(public.verify(b'hello', self.signature))
        self.assertFalse(public.verify(b'hello!', self.signature))
        self.assertFalse(public.verify(b'hello', self.signature[::-1]))
        self.assertFalse(public.verify(b'hello', self.signature[:-1]))

    def test_openssl_certificate_signature(self):
        "The certificate's own signature (over its TBS part) verifies"
        from copp_esia.gost import der, der_items, der_read
        _, content, _ = der_read(self.certificate.der)
        tbs, _, signature = der_items(content)
        self.assertTrue(self.certificate.public_key.verify(
                der(tbs[0], tbs[1]), signature[1][1:]))

    def test_sign_and_verify(self):
        "Our signatures verify with the key; each one is new (random k)"
        one = self.key.sign(b'data')
        two = self.key.sign(b'data')
        self.assertEqual(len(one), 64)
        self.assertNotEqual(one, two)
        public = self.certificate.public_key
        self.assertTrue(public.verify(b'data', one))
        self.assertTrue(public.verify(b'data', two))
        other = PrivateKey.generate().public_key()
        self.assertFalse(other.verify(b'data', one))

    def test_pkcs8_round_trip(self):
        "A generated key survives its PKCS#8 file"
        key = PrivateKey.generate()
        again = PrivateKey.load(key.pkcs8())
        self.assertEqual(again.value, key.value)
        self.assertIn('-----BEGIN PRIVATE KEY-----', key.pkcs8())

    def test_self_signed_certificate(self):
        "Our certificate carries the key and verifies its own signature"
        key = PrivateKey.generate()
        certificate = Certificate.load(self_signed_certificate(key, 'Тест'))
        self.assertEqual(certificate.public_key.point,
            key.public_key().point)
        self.assertEqual(certificate.fingerprint,
            streebog256(certificate.der).hex().upper())

    def test_refused_files(self):
        "Encrypted keys, other algorithms and garbage are refused"
        with self.assertRaises(GostError):
            PrivateKey.load('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB'
                '\n-----END ENCRYPTED PRIVATE KEY-----')
        with self.assertRaises(GostError):
            PrivateKey.load(b'\x30\x03\x02\x01\x00')
        with self.assertRaises(GostError):
            Certificate.load(b'not a certificate')
        from copp_esia.gost import PublicKey, der, der_encode_oid
        rsa = (der(0x30, der_encode_oid('1.2.840.113549.1.1.1')
                + der(0x05, b''))
            + der(0x03, b'\0' + der(0x04, b'\1' * 64)))
        with self.assertRaises(GostError):
            PublicKey.from_spki(rsa)

    def test_streebog_vector(self):
        "Streebog-256 of the standard's example M1 (GOST R 34.11-2012, A.1)"
        message = b'012345678901234567890123456789012345678901234567890123456789012'
        self.assertEqual(streebog256(message).hex(),
            '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500')


@unittest.skipUnless(openssl_gost(), "OpenSSL's GOST engine is not installed "
    "(Debian: libengine-gost-openssl)")
class OpensslCrossTestCase(unittest.TestCase):
    "OpenSSL checks what we make, and signs as our command signer"

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix='copp-gost-'))
        self.key = PrivateKey.generate()
        self.key_file = self.folder / 'key.pem'
        self.key_file.write_text(self.key.pkcs8())
        self.certificate_file = self.folder / 'cert.pem'
        self.certificate_file.write_text(
            self_signed_certificate(self.key, 'ЦОПП'))

    def tearDown(self):
        shutil.rmtree(self.folder)

    def openssl(self, *args, **kwargs):
        return subprocess.run(['openssl', *args], capture_output=True,
            **kwargs)

    def test_openssl_reads_our_files_and_signature(self):
        process = self.openssl('x509', '-engine', 'gost', '-in',
            str(self.certificate_file), '-noout', '-pubkey')
        self.assertEqual(process.returncode, 0, process.stderr)
        public = self.folder / 'pub.pem'
        public.write_bytes(process.stdout)
        process = self.openssl('verify', '-engine', 'gost', '-CAfile',
            str(self.certificate_file), str(self.certificate_file))
        self.assertEqual(process.returncode, 0, process.stderr)
        (self.folder / 'data').write_bytes(b'client_id+scope')
        (self.folder / 'sig').write_bytes(self.key.sign(b'client_id+scope'))
        process = self.openssl('dgst', '-engine', 'gost', '-md_gost12_256',
            '-verify', str(public), '-signature', str(self.folder / 'sig'),
            str(self.folder / 'data'))
        self.assertEqual(process.returncode, 0, process.stderr)

    def test_openssl_command_signer(self):
        "openssl dgst as the production signer: we verify what it signs"
        signer = CommandSigner(shlex.join(['openssl', 'dgst', '-engine',
                    'gost', '-md_gost12_256', '-sign', str(self.key_file)]),
            certificate=Certificate.load(self.certificate_file.read_bytes()))
        signature = signer.sign(b'COPP62openid2026.01.01 00:00:00 +0000')
        self.assertTrue(self.key.public_key().verify(
                b'COPP62openid2026.01.01 00:00:00 +0000', signature))


SIGN_SCRIPT = """
import base64, sys
from copp_esia.gost import PrivateKey
key = PrivateKey.load(open(sys.argv[1], 'rb').read())
signature = key.sign(sys.stdin.buffer.read())
mode = sys.argv[2]
if mode == 'reversed':
    signature = signature[::-1]
elif mode == 'base64':
    signature = base64.b64encode(signature) + b'\\n'
elif mode == 'fail':
    sys.exit('no key in the token')
sys.stdout.buffer.write(signature)
"""


class SignerTestCase(unittest.TestCase):
    "The signer interface and its two implementations"

    @classmethod
    def setUpClass(cls):
        cls.folder = Path(tempfile.mkdtemp(prefix='copp-signer-'))
        cls.key = PrivateKey.generate()
        cls.key_file = cls.folder / 'key.pem'
        cls.key_file.write_text(cls.key.pkcs8())
        cls.certificate_file = cls.folder / 'cert.pem'
        cls.certificate_file.write_text(self_signed_certificate(cls.key, 'Т'))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder)

    def command(self, mode):
        return shlex.join([sys.executable, '-c', SIGN_SCRIPT,
                str(self.key_file), mode])

    def test_key_file_signer(self):
        signer = KeyFileSigner.from_files(str(self.key_file),
            str(self.certificate_file))
        secret = signer.client_secret('COPP62openid')
        self.assertNotIn('=', secret)
        self.assertNotIn('+', secret)
        signature = base64.urlsafe_b64decode(secret + '==')
        self.assertTrue(self.key.public_key().verify(b'COPP62openid',
                signature))
        certificate = Certificate.load(self.certificate_file.read_bytes())
        self.assertEqual(signer.certificate_hash, certificate.fingerprint)

    def test_key_file_of_another_certificate(self):
        other = self.folder / 'other.pem'
        other.write_text(self_signed_certificate(PrivateKey.generate(), 'О'))
        with self.assertRaises(SignerError):
            KeyFileSigner.from_files(str(self.key_file), str(other))
        with self.assertRaises(SignerError):
            KeyFileSigner.from_files(str(self.folder / 'missing.pem'))

    def test_command_signer_outputs(self):
        "raw, reversed and base64 outputs give the same valid signature"
        public = self.key.public_key()
        for mode in ['raw', 'reversed', 'base64']:
            with self.subTest(mode=mode):
                signer = CommandSigner(self.command(mode), output=mode,
                    certificate_hash='ABCDEF')
                data = f'data of {mode}'.encode()
                self.assertTrue(public.verify(data, signer.sign(data)))
                self.assertEqual(signer.certificate_hash, 'ABCDEF')

    def test_command_signer_failures(self):
        "A failing command, a wrong output or a missing program: SignerError"
        with self.assertRaises(SignerError):
            CommandSigner(self.command('fail')).sign(b'x')
        with self.assertRaises(SignerError):
            # base64 text read as raw bytes is no signature
            CommandSigner(self.command('base64'), output='raw').sign(b'x')
        with self.assertRaises(SignerError):
            CommandSigner('/nonexistent/cryptcp -sign').sign(b'x')
        with self.assertRaises(SignerError):
            CommandSigner('true', output='pkcs7')

    def test_b64url(self):
        self.assertEqual(b64url(b'\xfb\xff'), '-_8')
