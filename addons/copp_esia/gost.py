"""GOST R 34.10-2012 (256 bit) keys, certificates and signatures.

The arithmetic is gostcrypto's; this module reads the files a GOST key
lives in (PKCS#8 «PRIVATE KEY» as `openssl genpkey -engine gost` writes it,
X.509 certificates in PEM or DER) and fixes the byte orders, which differ
between the standard's vectors and the files:

- the private key in PKCS#8 and the public key point (X, Y) in a
  certificate are little-endian (RFC 4491, R 1323565.1.023);
- a Streebog digest is taken as a little-endian number when signing;
- a signature is written s || r, big-endian (what `openssl dgst -sign`
  writes with the GOST engine and what X.509 carries).

Checked against OpenSSL's GOST engine in tests/test_gost.py.
"""
import base64
import re

from gostcrypto import gosthash, gostsignature

OID_GOST2012_256 = '1.2.643.7.1.1.1.1'
OID_SIGN_GOST2012_256 = '1.2.643.7.1.1.3.2'
OID_STREEBOG256 = '1.2.643.7.1.1.2.2'
# Parameter sets of 256-bit keys -> gostcrypto's curves (R 1323565.1.024-2019:
# the CryptoPro sets are the TC26 sets B, C, D under older names).
CURVES = {
    '1.2.643.7.1.2.1.1.1': 'id-tc26-gost-3410-2012-256-paramSetA',
    '1.2.643.7.1.2.1.1.2': 'id-tc26-gost-3410-2012-256-paramSetB',
    '1.2.643.7.1.2.1.1.3': 'id-tc26-gost-3410-2012-256-paramSetC',
    '1.2.643.7.1.2.1.1.4': 'id-tc26-gost-3410-2012-256-paramSetD',
    '1.2.643.2.2.35.1': 'id-tc26-gost-3410-2012-256-paramSetB',
    '1.2.643.2.2.35.2': 'id-tc26-gost-3410-2012-256-paramSetC',
    '1.2.643.2.2.35.3': 'id-tc26-gost-3410-2012-256-paramSetD',
    '1.2.643.2.2.36.0': 'id-tc26-gost-3410-2012-256-paramSetB',
    '1.2.643.2.2.36.1': 'id-tc26-gost-3410-2012-256-paramSetD',
    }
DEFAULT_PARAMSET = '1.2.643.2.2.35.1'
SIZE = 32


class GostError(ValueError):
    "A key, certificate or signature that cannot be used"


# DER ------------------------------------------------------------------

def der_read(data, offset=0):
    "(tag, content, next offset) of the DER element at `offset`"
    if offset + 2 > len(data):
        raise GostError("truncated DER")
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7f
        if not 0 < count <= 4 or offset + count > len(data):
            raise GostError("bad DER length")
        length = int.from_bytes(data[offset:offset + count], 'big')
        offset += count
    end = offset + length
    if end > len(data):
        raise GostError("truncated DER")
    return tag, data[offset:end], end


def der_items(content):
    "The elements of a constructed content: [(tag, content), …]"
    items, offset = [], 0
    while offset < len(content):
        tag, value, offset = der_read(content, offset)
        items.append((tag, value))
    return items


def der_oid(content):
    "Dotted string of an OBJECT IDENTIFIER's content"
    if not content:
        raise GostError("empty OID")
    first = content[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in content[1:]:
        value = (value << 7) | (byte & 0x7f)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return '.'.join(str(p) for p in parts)


def der(tag, content):
    "A DER element"
    length = len(content)
    if length < 0x80:
        head = bytes([length])
    else:
        size = (length.bit_length() + 7) // 8
        head = bytes([0x80 | size]) + length.to_bytes(size, 'big')
    return bytes([tag]) + head + content


def der_encode_oid(dotted):
    parts = [int(p) for p in dotted.split('.')]
    body = bytearray([40 * parts[0] + parts[1]])
    for part in parts[2:]:
        chunk = [part & 0x7f]
        part >>= 7
        while part:
            chunk.append(0x80 | (part & 0x7f))
            part >>= 7
        body.extend(reversed(chunk))
    return der(0x06, bytes(body))


def pem_or_der(data, label):
    "The DER bytes of a PEM block `label` (or of DER given as is)"
    if isinstance(data, str):
        data = data.encode('ascii', 'replace')
    if b'-----BEGIN' not in data:
        return bytes(data)
    match = re.search(rb'-----BEGIN ' + label.encode() + rb'-----(.*?)'
        rb'-----END ' + label.encode() + rb'-----', data, re.S)
    if not match:
        raise GostError(f"no PEM block {label}")
    return base64.b64decode(b''.join(match.group(1).split()))


# Keys -------------------------------------------------------------------

def curve(paramset=DEFAULT_PARAMSET):
    name = CURVES.get(paramset)
    if name is None:
        raise GostError(f"unsupported GOST parameter set {paramset}")
    return gostsignature.new(gostsignature.MODE_256,
        gostsignature.CURVES_R_1323565_1_024_2019[name])


def _key_params(algorithm):
    "(paramset OID) of an AlgorithmIdentifier of a GOST 2012-256 key"
    items = der_items(algorithm)
    if not items or items[0][0] != 0x06:
        raise GostError("bad key algorithm")
    oid = der_oid(items[0][1])
    if oid != OID_GOST2012_256:
        raise GostError(f"not a GOST R 34.10-2012 256-bit key ({oid})")
    paramset = DEFAULT_PARAMSET
    if len(items) > 1 and items[1][0] == 0x30:
        params = der_items(items[1][1])
        if params and params[0][0] == 0x06:
            paramset = der_oid(params[0][1])
    return paramset


class PrivateKey:
    "A GOST R 34.10-2012 256-bit private key"

    def __init__(self, value, paramset=DEFAULT_PARAMSET):
        if len(value) != SIZE:
            raise GostError("a 256-bit key has 32 bytes")
        self.value = bytes(value)  # big-endian, as gostcrypto takes it
        self.paramset = paramset

    @classmethod
    def load(cls, data):
        "From PKCS#8 (PEM «PRIVATE KEY» or DER), unencrypted"
        if isinstance(data, str):
            data = data.encode('ascii', 'replace')
        if b'ENCRYPTED PRIVATE KEY' in data:
            raise GostError("the key file is encrypted: decrypt it or use "
                "the command signer")
        tag, content, _ = der_read(pem_or_der(data, 'PRIVATE KEY'))
        items = der_items(content)
        if tag != 0x30 or len(items) < 3 or items[2][0] != 0x04:
            raise GostError("not a PKCS#8 private key")
        paramset = _key_params(items[1][1])
        raw = items[2][1]
        if len(raw) == SIZE:
            value = raw[::-1]
        else:
            inner_tag, inner, _ = der_read(raw)
            if inner_tag == 0x04 and len(inner) == SIZE:
                value = inner[::-1]
            elif inner_tag == 0x02:
                value = inner.lstrip(b'\0').rjust(SIZE, b'\0')
            else:
                raise GostError("unsupported private key encoding")
        return cls(value, paramset)

    @classmethod
    def generate(cls, paramset=DEFAULT_PARAMSET):
        import os
        signer = curve(paramset)
        while True:
            value = os.urandom(SIZE)
            if 0 < int.from_bytes(value, 'big') < signer._q:
                return cls(value, paramset)

    def pkcs8(self):
        "PEM of the key as `openssl genpkey -engine gost` writes it"
        body = der(0x30, der(0x02, b'\0') + der(0x30,
                der_encode_oid(OID_GOST2012_256) + der(0x30,
                    der_encode_oid(self.paramset)
                    + der_encode_oid(OID_STREEBOG256)))
            + der(0x04, self.value[::-1]))
        return pem('PRIVATE KEY', body)

    def public_key(self):
        point = curve(self.paramset).public_key_generate(
            bytearray(self.value))
        return PublicKey(bytes(point), self.paramset)

    def sign(self, data):
        "The signature (s || r, 64 bytes) of `data` (Streebog-256 inside)"
        signer = curve(self.paramset)
        signature = signer.sign(bytearray(self.value),
            bytearray(streebog256(data)[::-1]))
        return bytes(signature[SIZE:] + signature[:SIZE])


class PublicKey:
    "A GOST R 34.10-2012 256-bit public key: the point X || Y, big-endian"

    def __init__(self, point, paramset=DEFAULT_PARAMSET):
        if len(point) != 2 * SIZE:
            raise GostError("a 256-bit public key has 64 bytes")
        self.point = bytes(point)
        self.paramset = paramset

    @classmethod
    def from_spki(cls, spki):
        "From the content of a SubjectPublicKeyInfo"
        items = der_items(spki)
        if len(items) != 2 or items[1][0] != 0x03:
            raise GostError("bad public key info")
        paramset = _key_params(items[0][1])
        bits = items[1][1][1:]  # unused-bits byte
        tag, value, _ = der_read(bits)
        if tag != 0x04 or len(value) != 2 * SIZE:
            raise GostError("bad GOST public key")
        return cls(value[:SIZE][::-1] + value[SIZE:][::-1], paramset)

    def spki(self):
        point = self.point[:SIZE][::-1] + self.point[SIZE:][::-1]
        return der(0x30, der(0x30, der_encode_oid(OID_GOST2012_256)
                + der(0x30, der_encode_oid(self.paramset)
                    + der_encode_oid(OID_STREEBOG256)))
            + der(0x03, b'\0' + der(0x04, point)))

    def verify(self, data, signature):
        "True when `signature` (s || r) is of `data` by this key"
        if len(signature) != 2 * SIZE:
            return False
        signer = curve(self.paramset)
        try:
            return bool(signer.verify(bytearray(self.point),
                    bytearray(streebog256(data)[::-1]),
                    bytearray(signature[SIZE:] + signature[:SIZE])))
        except gostsignature.GOSTSignatureError:
            return False


class Certificate:
    "An X.509 certificate with a GOST R 34.10-2012 256-bit key"

    def __init__(self, der_bytes):
        self.der = bytes(der_bytes)
        tag, content, end = der_read(self.der)
        if tag != 0x30 or end != len(self.der):
            raise GostError("not a certificate")
        items = der_items(content)
        if len(items) != 3 or items[0][0] != 0x30:
            raise GostError("not a certificate")
        tbs = der_items(items[0][1])
        if tbs and tbs[0][0] == 0xa0:  # explicit version
            tbs = tbs[1:]
        # serial, signature, issuer, validity, subject, subjectPublicKeyInfo
        if len(tbs) < 6 or tbs[5][0] != 0x30:
            raise GostError("not a certificate")
        self.public_key = PublicKey.from_spki(tbs[5][1])

    @classmethod
    def load(cls, data):
        return cls(pem_or_der(data, 'CERTIFICATE'))

    @property
    def fingerprint(self):
        """Streebog-256 of the certificate (DER), upper-case hex: the
        client_certificate_hash of ЕСИА (inference: ЕСИА's utility gives this
        hash; set [esia] certificate_hash to the utility's value to be sure)"""
        return streebog256(self.der).hex().upper()


def streebog256(data):
    return bytes(gosthash.new('streebog256', data=bytearray(data)).digest())


def pem(label, body):
    text = base64.b64encode(body).decode('ascii')
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return '\n'.join([f'-----BEGIN {label}-----', *lines,
            f'-----END {label}-----', ''])


def self_signed_certificate(key, common_name, serial=1,
        not_before='250101000000Z', not_after='491231235959Z'):
    """A self-signed certificate of `key` (PEM) for tests and for a test
    stand of ЕСИА; production certificates come from an accredited CA."""
    name = der(0x30, der(0x31, der(0x30, der_encode_oid('2.5.4.3')
                + der(0x0c, common_name.encode('utf-8')))))
    algorithm = der(0x30, der_encode_oid(OID_SIGN_GOST2012_256))
    tbs = der(0x30, der(0xa0, der(0x02, b'\x02'))
        + der(0x02, serial.to_bytes((serial.bit_length() + 8) // 8, 'big'))
        + algorithm + name
        + der(0x30, der(0x17, not_before.encode())
            + der(0x17, not_after.encode()))
        + name + key.public_key().spki())
    signature = key.sign(tbs)
    body = der(0x30, tbs + algorithm + der(0x03, b'\0' + signature))
    return pem('CERTIFICATE', body)
