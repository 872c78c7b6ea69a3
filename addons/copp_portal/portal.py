"""The portal framework: every web page of the suite is a `portal_route`.

A portal route is a trytond HTTP route with a clean URL (no database name in
the path): the database comes from the configuration (`[copp] database`).
The decorator opens the pool and a transaction, resolves the portal session
cookie into the current `web.user`, checks the CSRF token of every
POST, renders Jinja2 templates (autoescaped) and adds the security headers.

    from copp_portal.portal import portal_route

    @portal_route('/partner/things/<int:thing_id>', login=True)
    def thing(portal, thing_id):
        Thing = portal.pool.get('copp.thing')
        things = Thing.search([
                ('id', '=', thing_id),
                ('organization', '=', portal.organization.id),  # ownership
                ])
        if not things:
            portal.not_found()
        return portal.render('partner/thing.html', thing=things[0])

Routes run as the root user (0): access rules do not apply, so every query
filters by the portal user's organization itself (see `Portal.owned`).
"""
import base64
import datetime as dt
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.parse
from functools import wraps

from markupsafe import Markup
from werkzeug.exceptions import HTTPException, NotFound

from trytond import backend, config
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction, TransactionError
from trytond.wsgi import app

# The API of the framework is importable from copp_portal.portal (modules
# built on it do so): the helpers live in the modules below.
from . import microcache
from .constants import (  # noqa: F401
    A11Y_COOKIE, CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, FLASH_COOKIE,
    LOGIN_URL, SAFE_METHODS, SESSION_COOKIE, database_name, is_secure)
from .microcache import (  # noqa: F401
    PublicPageCache, _microcache_key, invalidate_public_pages,
    microcache_seconds)
from .pagination import Page, page_number  # noqa: F401
from .security import (  # noqa: F401
    CONTENT_SECURITY_POLICY, get_secret, hash_key, safe_next,
    security_headers, sign)
from .static import _bare_error, portal_static  # noqa: F401
from .templating import (  # noqa: F401
    _format_date, _format_datetime, _format_money, _format_number,
    copp_modules, environment, module_folders, plural, render_template)

logger = logging.getLogger(__name__)

_pool_lock = threading.Lock()
# The largest id of a record (an SQL integer): larger numbers in a URL are
# no record, not an error of the database.
MAX_ID = 2 ** 31 - 1
# Navigation of the portal areas: {area: [(sequence, url, message_id,
# active_prefix)]}; modules add entries with register_menu().
_menus = {}


def register_menu(area, url, message_id, sequence=10, prefix=None):
    """Add an entry to the navigation of an area ('partner', 'public').

    The label is an ir.message id, translated when the page is rendered."""
    entries = _menus.setdefault(area, [])
    if any(e[1] == url for e in entries):
        return
    entries.append((sequence, url, message_id, prefix or url))
    entries.sort()


# The request of a portal page ----------------------------------------

class Portal:
    "What a portal route receives: the request, the pool, the current user"

    def __init__(self, request, pool, dbname):
        self.request = request
        self.pool = pool
        self.dbname = dbname
        self.session = None
        self.user = None
        self.rollback = False
        self.now = dt.datetime.now()
        self._new_cookies = {}
        self._delete_cookies = set()
        self._flashes = []
        self._flashes_read = None
        self._anon_csrf = None
        self._session_key = None
        self._touch = False
        self.status = None

    # Session ---------------------------------------------------------
    def load(self):
        key = self.request.cookies.get(SESSION_COOKIE)
        if not key:
            return
        Session = self.pool.get('web.user.session')
        session = Session.lookup(key, self.now)
        if session is None:
            self._delete_cookies.add(SESSION_COOKIE)
            return
        self.session = session
        self.user = session.user
        self._session_key = key
        if session.needs_touch(self.now):
            self._touch = True

    @property
    def organization(self):
        "The organization (party.party) the current user acts for"
        return self.user.organization if self.user else None

    def login(self, user):
        "Open a new session for `user` (a new key: no session fixation)"
        Session = self.pool.get('web.user.session')
        if self.session:
            Session.delete([self.session])
        session, key = Session.open(user, self.remote_addr, self.user_agent)
        self.session, self.user, self._session_key = session, user, key
        self._new_cookies[SESSION_COOKIE] = key

    def logout(self):
        Session = self.pool.get('web.user.session')
        if self.session:
            Session.delete([self.session])
        self.session = self.user = self._session_key = None
        self._delete_cookies.add(SESSION_COOKIE)

    @property
    def remote_addr(self):
        return self.request.remote_addr

    @property
    def user_agent(self):
        return (self.request.headers.get('User-Agent') or '')[:250]

    def log(self, kind, user=None, email=None, record=None, details=None):
        "Record a security event (login, logout, change of data…)"
        Event = self.pool.get('copp.security.event')
        Event.log_portal(kind, user=user or self.user, email=email,
            record=record, details=details, ip_address=self.remote_addr,
            user_agent=self.user_agent)

    # CSRF --------------------------------------------------------------
    @property
    def secret(self):
        return get_secret(self.dbname)

    @property
    def csrf_token(self):
        "The token every form of this page carries in a hidden field"
        if self._session_key:
            return sign(self.secret, 'csrf-session', self._session_key)
        if self._anon_csrf is None:
            value = self.request.cookies.get(CSRF_COOKIE)
            if not value or len(value) < 32 or len(value) > 64:
                value = secrets.token_urlsafe(32)
                self._new_cookies[CSRF_COOKIE] = value
            self._anon_csrf = value
        return sign(self.secret, 'csrf-anonymous', self._anon_csrf)

    def csrf_valid(self):
        sent = (self.request.form.get(CSRF_FIELD)
            or self.request.headers.get(CSRF_HEADER) or '')
        if self._session_key:
            expected = sign(self.secret, 'csrf-session', self._session_key)
        else:
            value = self.request.cookies.get(CSRF_COOKIE)
            if not value:
                return False
            expected = sign(self.secret, 'csrf-anonymous', value)
        return hmac.compare_digest(sent.encode('utf-8'),
            expected.encode('utf-8'))

    def csrf_field(self):
        return Markup('<input type="hidden" name="%s" value="%s">') % (
            CSRF_FIELD, self.csrf_token)

    # Flash messages (a signed cookie) ----------------------------------
    def flash(self, message, category='success'):
        self._flashes.append([category, str(message)])

    def flashes(self):
        "Messages left by the previous request (read once)"
        if self._flashes_read is None:
            self._flashes_read = []
            value = self.request.cookies.get(FLASH_COOKIE)
            if value:
                self._delete_cookies.add(FLASH_COOKIE)
                data, _, signature = value.rpartition('.')
                if data and hmac.compare_digest(signature,
                        sign(self.secret, 'flash', data)):
                    try:
                        self._flashes_read = [
                            (str(c), str(m)) for c, m in json.loads(
                                base64.urlsafe_b64decode(data.encode()))][:5]
                    except (ValueError, TypeError):
                        pass
        return self._flashes_read + [tuple(f) for f in self._flashes]

    def _flash_cookie(self):
        data = base64.urlsafe_b64encode(json.dumps(
                self._flashes, ensure_ascii=False).encode()).decode()
        return f'{data}.{sign(self.secret, "flash", data)}'

    # Responses ---------------------------------------------------------
    @property
    def a11y(self):
        "The version for the visually impaired (ГОСТ Р 52872) is on"
        return self.request.cookies.get(A11Y_COOKIE) == '1'

    @property
    def path(self):
        return self.request.path

    def menu(self, area):
        "The entries of an area whose module is activated in this database"
        result = []
        activated = set(self.pool._modules)
        for _, url, message_id, prefix in _menus.get(area, []):
            if message_id.split('.', 1)[0] not in activated:
                continue
            result.append({
                    'url': url,
                    'label': gettext(message_id),
                    'active': (self.path == url if prefix == url
                        else self.path.startswith(prefix)),
                    })
        return result

    @property
    def contacts(self):
        "The operator's contacts of copp.portal.configuration (footer)"
        settings = self.pool.get('copp.portal.configuration').settings()
        return {name.removeprefix('contact_'): getattr(settings, name)
            for name in ['contact_organization', 'contact_address',
                'contact_phone', 'contact_email']}

    @property
    def home_url(self):
        "[copp] portal_home, else the first public page, else the login"
        home = config.get('copp', 'portal_home')
        if home:
            return home
        entries = self.menu('public')
        return entries[0]['url'] if entries else LOGIN_URL

    def render(self, template, status=200, **context):
        context.setdefault('portal', self)
        context.setdefault('user', self.user)
        context.setdefault('organization', self.organization)
        html = render_template(template, **context)
        response = Response(html, status=status,
            content_type='text/html; charset=utf-8')
        if self._flashes_read is not None:
            # The page showed the messages; otherwise they wait for the next
            self._flashes = []
        return response

    def redirect(self, location, code=303):
        response = Response('', status=code)
        response.headers['Location'] = location
        return response

    def not_found(self):
        raise NotFound()

    def forbidden(self, message=None):
        raise PortalError(403, message)

    def bad_request(self, message=None):
        raise PortalError(400, message)

    def error_page(self, code, message=None):
        titles = {
            400: 'copp_portal.msg_error_400',
            403: 'copp_portal.msg_error_403',
            404: 'copp_portal.msg_error_404',
            405: 'copp_portal.msg_error_405',
            410: 'copp_portal.msg_error_410',
            413: 'copp_portal.msg_error_413',
            429: 'copp_portal.msg_error_429',
            500: 'copp_portal.msg_error_500',
            503: 'copp_portal.msg_error_503',
            }
        title = gettext(titles.get(code, 'copp_portal.msg_error_400'
                if 400 <= code < 500 else 'copp_portal.msg_error_500'))
        return self.render('error.html', status=code, code=code,
            title=title, message=message)

    # Data helpers ------------------------------------------------------
    def owned(self, model, record_id, field='organization', value=None,
            domain=None):
        """The record `record_id` of `model` if it belongs to the current
        organization (or to `value`), else 404: the check is in the query"""
        Model = self.pool.get(model)
        owner = value if value is not None else self.organization
        if owner is None:
            self.not_found()
        records = Model.search([
                ('id', '=', int(record_id)),
                (field, '=', int(owner)),
                *(domain or []),
                ], limit=1)
        if not records:
            self.not_found()
        return records[0]

    def paginate(self, model, domain, order=None, size=20, args=None,
            number=None):
        Model = self.pool.get(model)
        args = dict(self.request.args.items()) if args is None else args
        number = page_number(args.get('page')) if number is None else number
        total = Model.search_count(domain)
        pages = max(1, -(-total // size))
        number = min(number, pages)
        items = Model.search(domain, offset=(number - 1) * size, limit=size,
            order=order)
        return Page(items, number, size, total, args=args, path=self.path)

    # After the transaction ---------------------------------------------
    def finish(self, response):
        request = self.request
        secure = is_secure(request)
        if self._flashes:
            self._new_cookies[FLASH_COOKIE] = self._flash_cookie()
            self._delete_cookies.discard(FLASH_COOKIE)
        for name in self._delete_cookies:
            if name not in self._new_cookies:
                response.delete_cookie(name, path='/', secure=secure,
                    httponly=True, samesite='Lax')
        for name, value in self._new_cookies.items():
            response.set_cookie(name, value, path='/', secure=secure,
                httponly=True, samesite='Lax')
        if self.user or CSRF_COOKIE in self._new_cookies or (
                request.method not in SAFE_METHODS):
            response.headers['Cache-Control'] = 'no-store'
        return response

    def touch(self):
        "Extend the idle timeout of the session (a short write transaction)"
        if not self._touch or not self.session:
            return
        try:
            with Transaction(new=True).start(self.dbname, 0):
                Session = Pool(self.dbname).get('web.user.session')
                Session.touch(self.session.id, self.now)
        except Exception:
            logger.warning("could not touch portal session", exc_info=True)


class PortalError(HTTPException):
    "An error page with a message"

    def __init__(self, code, message=None):
        super().__init__(description=message)
        self.code = code


def get_pool(dbname):
    "The pool of the deployment's database, loaded once"
    if dbname not in Pool.database_list():
        with _pool_lock:
            if dbname not in Pool.database_list():
                with Transaction(new=True).start(dbname, 0, readonly=True):
                    Pool(dbname).init()
    return Pool(dbname)


def dispatch(func, request, kwargs, login=False, csrf=True, model=None,
        public_cache=False, readonly=None, login_url=LOGIN_URL):
    cache_key = None
    if public_cache and microcache_seconds() > 0:
        cache_key = _microcache_key(request.environ)
        since = microcache.generation()
    response = _dispatch(func, request, kwargs, login, csrf, model,
        readonly=readonly, login_url=login_url)
    if cache_key:
        microcache.store(cache_key, response, since)
    return response


def _dispatch(func, request, kwargs, login, csrf, model, readonly=None,
        login_url=LOGIN_URL):
    dbname = database_name()
    try:
        pool = get_pool(dbname)
    except Exception:
        logger.error("portal: database %r unavailable", dbname,
            exc_info=True)
        return security_headers(_bare_error(503), request)
    if model:
        try:
            pool.get(model)
        except KeyError:
            # The module of this route is not activated in this database
            return security_headers(_bare_error(404), request)
    if readonly is None:
        readonly = request.method in SAFE_METHODS
    context = {
        'language': 'ru',
        '_request': request.context,
        }
    retry = config.getint('database', 'retry')
    count, extras = 0, {}
    while True:
        if count:
            time.sleep(0.02 * count)
        portal = None
        try:
            with Transaction(new=True).start(dbname, 0, readonly=readonly,
                    context=context, **extras) as transaction:
                portal = Portal(request, pool, dbname)
                try:
                    response = _call(portal, func, kwargs, login, csrf,
                        login_url)
                except TransactionError as exc:
                    transaction.rollback()
                    transaction.tasks.clear()
                    exc.fix(extras)
                    continue
                except backend.DatabaseOperationalError:
                    if count < retry and not readonly:
                        transaction.rollback()
                        transaction.tasks.clear()
                        count += 1
                        continue
                    raise
                if portal.rollback or readonly:
                    transaction.rollback()
                    transaction.tasks.clear()
                else:
                    transaction.commit()
        except (OverflowError, backend.DatabaseDataError):
            # A number too large for the database in the request (a
            # filter, a page): the request is wrong, not the server.
            logger.info("portal: bad value in %s %s", request.method,
                request.path, exc_info=True)
            Transaction().tasks.clear()
            return security_headers(_bare_error(400), request)
        except Exception:
            Transaction().tasks.clear()
            logger.error("portal: error on %s %s", request.method,
                request.path, exc_info=True)
            response = _bare_error(500)
            return security_headers(response, request)
        break
    _run_tasks(pool)
    portal.touch()
    portal.finish(response)
    return security_headers(response, request)


def _run_tasks(pool):
    """The tasks of ir.queue the request pushed (the e-mails it sends), run
    after the commit when no trytond-worker takes them ([queue] worker =
    False), as trytond's own routes do"""
    from trytond.worker import run_task
    tasks = Transaction().tasks
    while tasks:
        run_task(pool, tasks.pop())


def _call(portal, func, kwargs, login, csrf, login_url=LOGIN_URL):
    request = portal.request
    try:
        portal.load()
        if login and portal.user is None:
            if request.method in SAFE_METHODS:
                target = request.full_path.rstrip('?')
                if callable(login_url):
                    login_url = login_url()
                return portal.redirect(login_url + '?'
                    + urllib.parse.urlencode({'next': target}))
            portal.rollback = True
            return portal.error_page(403, gettext(
                    'copp_portal.msg_session_expired'))
        if (request.method not in SAFE_METHODS and csrf
                and not portal.csrf_valid()):
            # Nothing was written yet: only the event is committed.
            portal.log('csrf_failure', details=request.path[:200])
            return portal.error_page(403, gettext(
                    'copp_portal.msg_csrf_failed'))
        return func(portal, **kwargs)
    except PortalError as exc:
        portal.rollback = True
        return portal.error_page(exc.code, exc.description)
    except HTTPException as exc:
        portal.rollback = True
        if exc.code in {301, 302, 303, 307, 308}:
            return exc.get_response()
        return portal.error_page(exc.code or 500)
    except (UserError, UserWarning) as exc:
        portal.rollback = True
        return portal.error_page(400, exc.message)


def portal_route(rule, methods=('GET',), login=False, csrf=True, model=None,
        public_cache=False, readonly=None, login_url=LOGIN_URL):
    """Register `func(portal, **url_values)` as a trytond route.

    login: the page needs a portal user (otherwise a redirect to the login
    page for GET, 403 for POST); csrf: check the token of POST requests;
    model: a model the page needs (404 where its module is not activated);
    public_cache: a public page that is the same for every anonymous
    visitor: its 200 answers to visitors without a session are kept in
    memory for [copp] public_cache_seconds (default 10) per process and
    served without a transaction; call invalidate_public_pages() when the
    data changes (the other processes see the change within that time);
    readonly: the transaction is read-only (default: for GET and HEAD; False
    for a GET that must write, as the return from ЕСИА's sign-in page);
    login_url: where the anonymous GETs of a `login` page are sent (or a
    function giving it, called in the request's transaction: a module that
    does not depend on the one serving the login page)."""
    methods = list(methods)

    def decorator(func):
        @wraps(func)
        def endpoint(request, **kwargs):
            if any(isinstance(v, int) and not 0 <= v <= MAX_ID
                    for v in kwargs.values()):
                # No record has such an id (and the database would fail
                # on it): the page does not exist.
                return security_headers(_bare_error(404), request)
            return dispatch(func, request, kwargs, login=login, csrf=csrf,
                model=model, public_cache=public_cache, readonly=readonly,
                login_url=login_url)
        app.route(rule, methods=methods)(endpoint)
        func.portal_endpoint = endpoint
        return func
    return decorator
