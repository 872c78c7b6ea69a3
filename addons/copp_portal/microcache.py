"""Micro-cache of anonymous public pages: {key: (expires, status, headers,
body)}, per process; see portal_route(public_cache=True).

PublicPageCache wraps trytond's WSGI application and answers a cached page
before any request parsing, URL matching or static file lookup."""
import time

from trytond import config
from trytond.wsgi import app

from .constants import (
    A11Y_COOKIE, FLASH_COOKIE, SESSION_COOKIE, database_name)

_microcache = {}
MICROCACHE_SIZE = 5000


def microcache_seconds():
    """How long an anonymous public page is served from memory
    ([copp] public_cache_seconds, 0 to disable)"""
    return config.getfloat('copp', 'public_cache_seconds', default=10)


def invalidate_public_pages():
    "Forget the cached public pages of this process (data changed)"
    _microcache.clear()


def _microcache_key(environ):
    "The key of an anonymous GET in the micro-cache, or None"
    if environ.get('REQUEST_METHOD') not in {'GET', 'HEAD'}:
        return None
    cookie = environ.get('HTTP_COOKIE', '')
    if f'{SESSION_COOKIE}=' in cookie or f'{FLASH_COOKIE}=' in cookie:
        return None
    return (database_name(), environ.get('PATH_INFO', ''),
        environ.get('QUERY_STRING', ''),
        f'{A11Y_COOKIE}=1' in cookie,
        environ.get('HTTP_X_FORWARDED_PROTO')
        or environ.get('wsgi.url_scheme'))


class PublicPageCache:
    """WSGI middleware in front of trytond's application: answers the
    anonymous GETs of public pages from the micro-cache filled by
    portal_route(public_cache=True), before any request parsing, URL
    matching or static file lookup"""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if _microcache:
            key = _microcache_key(environ)
            hit = _microcache.get(key) if key else None
            if hit and hit[0] > time.monotonic():
                _, status, headers, body = hit
                start_response(status, headers)
                return [] if environ['REQUEST_METHOD'] == 'HEAD' else [body]
        return self.app(environ, start_response)


def store(key, response):
    "Keep a 200 answer without cookies for microcache_seconds()"
    if response.status_code != 200 or 'Set-Cookie' in response.headers:
        return
    if len(_microcache) >= MICROCACHE_SIZE:
        _microcache.clear()
    _microcache[key] = (time.monotonic() + microcache_seconds(),
        response.status, list(response.headers.items()),
        response.get_data())


# The micro-cache answers before trytond's own processing (outermost).
if not isinstance(app.wsgi_app, PublicPageCache):
    app.wsgi_app = PublicPageCache(app.wsgi_app)
