"""TOTP (RFC 6238) helpers of the second factor: secrets, codes with replay
protection, the otpauth:// link and its QR code, recovery codes."""
import io
import re
import secrets
import time
from hmac import compare_digest

import pyotp

ISSUER = "ГИС ЦОПП"
STEP = 30
DIGITS = 6
RECOVERY_CODES = 10
_CODE = re.compile(r'^\d{%d}$' % DIGITS)
_RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'


def new_secret():
    "A random base32 secret of 160 bits"
    return pyotp.random_base32()


def current_step(now=None):
    return int((time.time() if now is None else now) // STEP)


def normalize(code):
    return re.sub(r'[\s-]', '', code or '').lower()


def matching_step(secret, code, after=None, now=None):
    """The time step `code` belongs to (the current one or its neighbours,
    for clocks a little off), if it is later than `after` (a code is used
    once); else None"""
    code = normalize(code)
    if not secret or not _CODE.match(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP)
    step = current_step(now)
    for candidate in (step - 1, step, step + 1):
        if after is not None and candidate <= after:
            continue
        if compare_digest(totp.at(candidate * STEP), code):
            return candidate
    return None


def code_at(secret, now=None):
    "The code of `secret` now (tests, the demo)"
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).at(
        time.time() if now is None else now)


def format_key(secret):
    "The secret in groups of four, as authenticator apps ask for it"
    return ' '.join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret, login):
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).provisioning_uri(
        name=login, issuer_name=ISSUER)


def qr_png(uri):
    "The QR code of `uri` as PNG bytes"
    import segno
    output = io.BytesIO()
    segno.make(uri, error='m').save(output, kind='png', scale=5, border=2)
    return output.getvalue()


def new_recovery_codes(count=RECOVERY_CODES):
    "Codes like «k7qm-x2pd-9tha» (60 bits each), shown once"
    codes = []
    for _ in range(count):
        raw = ''.join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(12))
        codes.append('-'.join(raw[i:i + 4] for i in range(0, 12, 4)))
    return codes


def looks_like_recovery_code(code):
    code = normalize(code)
    return len(code) == 12 and all(c in _RECOVERY_ALPHABET for c in code)
