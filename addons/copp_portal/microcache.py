"""Micro-cache of anonymous public pages: {key: (expires, status, headers,
body)}, per process; see portal_route(public_cache=True).

PublicPageCache wraps trytond's WSGI application and answers a cached page
before any request parsing, URL matching or static file lookup.

Stale while revalidate: a page past its [copp] public_cache_seconds is still
answered for [copp] public_stale_seconds more while one background thread
renders it again, so that no visitor waits for the render of a page that
was cached (under load, every client would otherwise miss at once when it
expires). A change of the data (invalidate_public_pages) drops every page:
the next visitors get the new data, never a stale page.

The other processes of the database (gunicorn workers, the queue worker)
drop their pages too: an invalidation clears a trytond cache that holds
nothing (PagesVersion), and trytond tells every process of the database
that it was cleared, on commit — at once through PostgreSQL's NOTIFY with
[cache] clean_timeout = 0 (docker/compose.yml), otherwise through its ir_cache table
at the next transaction after clean_timeout seconds."""
import io
import logging
import threading
import time

from trytond import config
from trytond.cache import MemoryCache
from trytond.transaction import Transaction
from trytond.wsgi import app

from .constants import (
    A11Y_COOKIE, FLASH_COOKIE, SESSION_COOKIE, database_name)

logger = logging.getLogger(__name__)

_microcache = {}
MICROCACHE_SIZE = 5000
# Keys being rendered again in the background, and the threads doing it
_refreshing = {}
_lock = threading.Lock()
# Incremented by each invalidation: a page rendered from the data read
# before it is not stored after it.
_generation = 0


def microcache_seconds():
    """How long an anonymous public page is served from memory
    ([copp] public_cache_seconds, 0 to disable)"""
    return config.getfloat('copp', 'public_cache_seconds', default=10)


def stale_seconds():
    """How long after its expiry a page is still answered while it is
    rendered again ([copp] public_stale_seconds, 0: never)"""
    return config.getfloat('copp', 'public_stale_seconds', default=60)


def generation():
    "The number of invalidations so far (see store)"
    return _generation


def _forget_pages():
    global _generation
    with _lock:
        _generation += 1
        _microcache.clear()


class PagesVersion(MemoryCache):
    """A trytond cache that holds nothing: clearing it is the signal that
    the public pages changed, and trytond delivers it to every process of
    the database, where _clear runs"""

    def _clear(self, dbname, timestamp=None):
        super()._clear(dbname, timestamp)
        _forget_pages()


_pages_version = PagesVersion('copp_portal.public_pages', context=False)


def invalidate_public_pages():
    """Forget the cached public pages (data changed): those of this process
    at once, those of the other processes when the transaction commits"""
    _forget_pages()
    if getattr(Transaction(), 'database', None) is not None:
        _pages_version.clear()


def _microcache_key(environ):
    "The key of an anonymous GET in the micro-cache, or None"
    if environ.get('REQUEST_METHOD') not in {'GET', 'HEAD'}:
        return None
    # A request with an Origin (a cross-site fetch) goes to trytond, which
    # refuses a foreign one: a page navigation does not send it on GET
    if environ.get('HTTP_ORIGIN'):
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
            if hit:
                expires, status, headers, body = hit
                now = time.monotonic()
                if now < expires or (now < expires + stale_seconds()
                        and self._revalidate(key, environ)):
                    start_response(status, headers)
                    return ([] if environ['REQUEST_METHOD'] == 'HEAD'
                        else [body])
        return self.app(environ, start_response)

    def _revalidate(self, key, environ):
        """Render the page of `key` again in a thread (one at a time per
        key); True: the stale page may be answered meanwhile"""
        with _lock:
            if key in _refreshing:
                return True
            # A copy of the request without its body and without the
            # objects werkzeug attached to it (they belong to this request)
            copy = {k: v for k, v in environ.items()
                if not k.startswith('werkzeug.')}
            copy.update({'REQUEST_METHOD': 'GET', 'CONTENT_LENGTH': '0',
                    'wsgi.input': io.BytesIO(b'')})
            thread = threading.Thread(target=self._render, args=(key, copy),
                name='copp-microcache', daemon=True)
            _refreshing[key] = thread
        thread.start()
        return True

    def _render(self, key, environ):
        try:
            result = self.app(environ, lambda *args, **kwargs: None)
            try:
                for _ in result:
                    pass
            finally:
                if hasattr(result, 'close'):
                    result.close()
        except Exception:
            logger.exception("public page %s not rendered again", key[1])
        finally:
            with _lock:
                _refreshing.pop(key, None)


def wait_revalidated(timeout=None):
    """Wait for the pages being rendered again (tests, a clean shutdown);
    True when none is left"""
    with _lock:
        threads = list(_refreshing.values())
    for thread in threads:
        thread.join(timeout)
    return not any(t.is_alive() for t in threads)


def store(key, response, since=None):
    """Keep a 200 answer without cookies for microcache_seconds(); not when
    the data changed since the generation `since` it was rendered from"""
    if response.status_code != 200 or 'Set-Cookie' in response.headers:
        return
    entry = (time.monotonic() + microcache_seconds(), response.status,
        list(response.headers.items()), response.get_data())
    with _lock:
        if since is not None and since != _generation:
            return
        if len(_microcache) >= MICROCACHE_SIZE:
            _microcache.clear()
        _microcache[key] = entry


# The micro-cache answers before trytond's own processing (outermost).
if not isinstance(app.wsgi_app, PublicPageCache):
    app.wsgi_app = PublicPageCache(app.wsgi_app)
