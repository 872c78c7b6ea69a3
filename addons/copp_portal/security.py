"""Secrets, signatures and the security headers of every portal answer."""
import hashlib
import hmac
import urllib.parse

from trytond import config
from trytond.pool import Pool

from .constants import is_secure

CONTENT_SECURITY_POLICY = '; '.join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
        ])
_secrets = {}



def get_secret(dbname):
    """The key of CSRF tokens and signed cookies: `[copp] secret` or the one
    generated in the database when copp_portal was activated"""
    secret = config.get('copp', 'secret')
    if secret:
        return secret.encode('utf-8')
    if dbname not in _secrets:
        Configuration = Pool().get('copp.portal.configuration')
        _secrets[dbname] = Configuration.get_secret().encode('utf-8')
    return _secrets[dbname]


def sign(key, purpose, value):
    return hmac.new(key, f'{purpose}:{value}'.encode('utf-8'),
        hashlib.sha256).hexdigest()


def hash_key(value):
    "Hash of a random key (session, token) as stored in the database"
    return hashlib.sha256(value.encode('utf-8')).hexdigest()


def safe_next(url, default='/partner/'):
    """Only local paths are followed after login (no open redirect, no
    header injection: control characters and spaces are refused)"""
    if not url or not url.startswith('/') or url.startswith('//') or (
            '\\' in url) or len(url) > 2000 or any(
            ord(c) < 0x21 or ord(c) == 0x7f for c in url):
        return default
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc:
        return default
    return url


def security_headers(response, request):
    headers = response.headers
    headers.setdefault('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    headers['X-Content-Type-Options'] = 'nosniff'
    headers['X-Frame-Options'] = 'DENY'
    headers['Referrer-Policy'] = 'same-origin'
    headers['Permissions-Policy'] = (
        'camera=(), microphone=(), geolocation=(), payment=()')
    headers['Cross-Origin-Opener-Policy'] = 'same-origin'
    if is_secure(request):
        headers['Strict-Transport-Security'] = 'max-age=31536000'
    headers.setdefault('Cache-Control', 'no-cache')
    return response
