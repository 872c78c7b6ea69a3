"""Headers and error pages of every answer of the server: the sao web
client (static files), JSON-RPC and the portals.

trytond's WSGI application is wrapped once, when the module is imported
(trytond imports every module at start): the wrapper is the outermost layer,
outside trytond's ProxyFix (`[web] num_proxies`), so it sees the scheme the
proxy reported (X-Forwarded-Proto) when it adds HSTS.

- every answer gets anti-framing (CSP frame-ancestors 'none', X-Frame-Options
  DENY), X-Content-Type-Options and Referrer-Policy; the pages of the portals
  and of the journal keep their own stricter Content-Security-Policy, sao's
  page gets one it works with (sao evaluates PYSON with eval and styles
  elements inline; its one inline script is allowed by its hash);
- HSTS when the request came over TLS;
- the errors trytond raises outside of its dispatcher (a foreign Origin,
  a broken request) and its English error pages (unknown address, method,
  too large request) become Russian pages with the right status: never a
  500 for a client's mistake.
"""
import base64
import hashlib
import logging
import re
from pathlib import Path

from werkzeug.exceptions import HTTPException

from trytond import config
from trytond.wsgi import app

logger = logging.getLogger(__name__)

# The policy of sao's page (and of any other answer without its own).
SAO_CSP = [
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "frame-src 'self' blob: data:",
    "object-src 'self' blob:",
    "worker-src 'self' blob:",
    "form-action 'self'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    ]
# Answers that are data, not pages (JSON-RPC, files).
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HSTS = 'max-age=31536000'
_SCRIPT = re.compile(rb'<script\b[^>]*>(.*?)</script>', re.S | re.I)
_inline_hashes = None


def inline_script_hashes(root=None):
    "CSP sources of the inline scripts of sao's index.html"
    global _inline_hashes
    if root is None and _inline_hashes is not None:
        return _inline_hashes
    folder = root or config.get('web', 'root', default='')
    hashes = []
    index = Path(folder or '.') / 'index.html'
    if folder and index.is_file():
        for match in _SCRIPT.finditer(index.read_bytes()):
            body = match.group(1)
            if not body.strip():
                continue
            digest = base64.b64encode(hashlib.sha256(body).digest())
            hashes.append(f"'sha256-{digest.decode()}'")
    if root is None:
        _inline_hashes = hashes
    return hashes


def sao_policy():
    hashes = ''.join(' ' + h for h in inline_script_hashes())
    return '; '.join(SAO_CSP).replace('{hashes}', hashes)


def is_tls(environ):
    "Whether the request came over TLS (behind a proxy: as it reported)"
    return environ.get('wsgi.url_scheme') == 'https'


def _header(headers, name):
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def add_headers(environ, headers):
    "The headers of `headers` (a list of pairs) with the security ones added"
    present = {k.lower() for k, _ in headers}
    headers = list(headers)
    content_type = (_header(headers, 'Content-Type') or '').lower()
    if 'content-security-policy' not in present:
        headers.append(('Content-Security-Policy',
                sao_policy() if content_type.startswith('text/html')
                else DATA_CSP))
    for name, value in [
            ('X-Frame-Options', 'DENY'),
            ('X-Content-Type-Options', 'nosniff'),
            ('Referrer-Policy', 'same-origin'),
            ]:
        if name.lower() not in present:
            headers.append((name, value))
    if is_tls(environ) and 'strict-transport-security' not in present:
        headers.append(('Strict-Transport-Security', HSTS))
    return headers


# Headers of an error answer that the Russian page keeps.
KEPT_HEADERS = {'www-authenticate', 'allow', 'retry-after', 'set-cookie',
    'access-control-allow-origin', 'vary'}


def error_page(code):
    "A Russian error page rendered without the database"
    from .static import _bare_error
    response = _bare_error(code)
    return response


def _replace(status, headers):
    """Whether an answer is one of werkzeug's English error pages: an
    error status, HTML, without the policy our own pages carry"""
    try:
        code = int(status.split(' ', 1)[0])
    except ValueError:
        return False
    if code < 400:
        return False
    content_type = (_header(headers, 'Content-Type') or '').lower()
    return (content_type.startswith('text/html')
        and _header(headers, 'Content-Security-Policy') is None)


# trytond's back-office session cookie (sao, the journal page)
SESSION_COOKIE = re.compile(r'(?:^|;)\s*tryton_session=')
# The portal's session cookie (copp_portal.constants.SESSION_COOKIE)
PORTAL_SESSION_COOKIE = re.compile(r'(?:^|;)\s*copp_session=')
RPC_PATH = re.compile(r'^/(?:[^/]+/)?rpc/?$')
RPC_TYPES = ('application/json', 'text/xml', 'application/xml')


def precheck(environ):
    """The status of a request refused before trytond reads it, or None:
    413 for a body larger than `[request] max_size` sent without a
    back-office session (trytond's own limit for such requests, checked
    before the body is read) — or, with a portal session cookie, larger
    than the `max_request_size` of the route's endpoint (a portal form
    with scans; the route still refuses a session that is not valid before
    reading the body), 415 for a JSON-RPC call that is not JSON or XML
    (trytond would fail on it with a 500)"""
    method = environ.get('REQUEST_METHOD', 'GET')
    if method in {'GET', 'HEAD', 'OPTIONS'}:
        return None
    try:
        length = int(environ.get('CONTENT_LENGTH') or 0)
    except ValueError:
        return 400
    authenticated = bool(environ.get('HTTP_AUTHORIZATION')
        or SESSION_COOKIE.search(environ.get('HTTP_COOKIE', '')))
    if not authenticated and length > config.getint('request', 'max_size'):
        limit = None
        if PORTAL_SESSION_COOKIE.search(environ.get('HTTP_COOKIE', '')):
            limit = route_limit(environ)
        if not limit or length > limit:
            return 413
    if RPC_PATH.match(environ.get('PATH_INFO', '')):
        content_type = environ.get('CONTENT_TYPE', '').lower()
        if not content_type.startswith(RPC_TYPES):
            return 415
    return None


def route_limit(environ):
    "The `max_request_size` of the endpoint the request goes to, or None"
    try:
        endpoint, _ = app.url_map.bind_to_environ(environ).match()
    except HTTPException:
        return None
    return getattr(endpoint, 'max_request_size', None)


class SecurityMiddleware:
    "The outermost layer of trytond's WSGI application (see the module)"

    def __init__(self, wsgi_app):
        self.app = wsgi_app

    def __call__(self, environ, start_response):
        code = precheck(environ)
        if code:
            logger.info("refused %s %s: %s", environ.get('REQUEST_METHOD'),
                environ.get('PATH_INFO'), code)
            return self._error(environ, start_response, code, [])
        state = {}

        def start(status, headers, exc_info=None):
            if _replace(status, headers):
                code = int(status.split(' ', 1)[0])
                allow = {m.strip().upper() for m in (
                        _header(headers, 'Allow') or '').split(',')}
                if code == 405 and allow <= {'OPTIONS', ''}:
                    # Only trytond's catch-all OPTIONS route matched: there
                    # is no such page.
                    code = 404
                state['replace'] = (code, [(k, v) for k, v in headers
                        if k.lower() in KEPT_HEADERS
                        and not (code == 404 and k.lower() == 'allow')])
                return lambda data: None
            state['started'] = True
            return start_response(status, add_headers(environ, headers),
                exc_info)

        try:
            result = self.app(environ, start)
        except HTTPException as exc:
            code = exc.code or 400
            logger.info("refused %s %s: %s", environ.get('REQUEST_METHOD'),
                environ.get('PATH_INFO'), code)
            return self._error(environ, start_response, code, [])
        except Exception:
            logger.exception("error on %s %s", environ.get('REQUEST_METHOD'),
                environ.get('PATH_INFO'))
            if state.get('started'):
                raise
            return self._error(environ, start_response, 500, [])
        if 'replace' in state:
            if hasattr(result, 'close'):
                result.close()
            code, kept = state['replace']
            return self._error(environ, start_response, code, kept)
        return result

    def _error(self, environ, start_response, code, kept):
        response = error_page(code)
        response.headers['Cache-Control'] = 'no-store'
        response.headers['Content-Security-Policy'] = (
            "default-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        for key, value in kept:
            response.headers.add(key, value)
        return response(environ, lambda status, headers, exc_info=None:
            start_response(status, add_headers(environ, headers), exc_info))


def install():
    "Wrap trytond's WSGI application once"
    if not getattr(app, '_copp_security', False):
        app.wsgi_app = SecurityMiddleware(app.wsgi_app)
        app._copp_security = True


install()
