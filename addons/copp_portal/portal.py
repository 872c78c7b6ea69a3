"""The portal framework: every web page of the suite is a `portal_route`.

A portal route is a trytond HTTP route with a clean URL (no database name in
the path): the database comes from the configuration (`[copp] database`).
The decorator opens the pool and a transaction, resolves the portal session
cookie into the current `copp.portal.user`, checks the CSRF token of every
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
import hashlib
import hmac
import importlib
import json
import logging
import mimetypes
import secrets
import threading
import time
import urllib.parse
from functools import wraps
from pathlib import Path

import jinja2
from markupsafe import Markup
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.security import safe_join
from werkzeug.utils import send_file

from trytond import backend, config
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction, TransactionError
from trytond.wsgi import app

logger = logging.getLogger(__name__)

SESSION_COOKIE = 'copp_session'
CSRF_COOKIE = 'copp_csrf'
FLASH_COOKIE = 'copp_flash'
A11Y_COOKIE = 'copp_a11y'
CSRF_FIELD = 'csrf_token'
CSRF_HEADER = 'X-CSRF-Token'
LOGIN_URL = '/partner/login'

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
SAFE_METHODS = {'GET', 'HEAD', 'OPTIONS'}

_pool_lock = threading.Lock()
_secrets = {}
# Micro-cache of anonymous public pages: {key: (expires, status, headers,
# body)}, per process; see portal_route(public_cache=True).
_microcache = {}
MICROCACHE_SIZE = 5000
_env = None
_env_lock = threading.Lock()
# Navigation of the portal areas: {area: [(sequence, url, message_id,
# active_prefix)]}; modules add entries with register_menu().
_menus = {}


def database_name():
    "The database of this deployment: portals never take it from the URL"
    return config.get('copp', 'database', default='copp')


def is_secure(request):
    return bool(request.is_secure
        or config.getboolean('copp', 'secure_cookies', default=False))


def register_menu(area, url, message_id, sequence=10, prefix=None):
    """Add an entry to the navigation of an area ('partner', 'public').

    The label is an ir.message id, translated when the page is rendered."""
    entries = _menus.setdefault(area, [])
    if any(e[1] == url for e in entries):
        return
    entries.append((sequence, url, message_id, prefix or url))
    entries.sort()


def copp_modules():
    "Installed modules of the suite, copp_portal first"
    from trytond.modules import get_modules
    names = sorted(n for n in get_modules()
        if n == 'copp' or n.startswith('copp_'))
    names.remove('copp_portal')
    return ['copp_portal'] + names


def module_folders(folder):
    "Existing `folder` sub-folders of the suite's modules, in search order"
    result = []
    for name in copp_modules():
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        path = Path(module.__file__).parent / folder
        if path.is_dir():
            result.append(path)
    return result


# Templates -----------------------------------------------------------

def _format_date(value, fmt='%d.%m.%Y'):
    if not value:
        return ''
    return value.strftime(fmt)


def _format_datetime(value):
    if not value:
        return ''
    return value.strftime('%d.%m.%Y %H:%M')


def _format_number(value, digits=0):
    if value is None or value == '':
        return ''
    text = f'{value:,.{digits}f}'
    return text.replace(',', '\u00a0').replace('.', ',')


def _format_money(value):
    if value is None:
        return ''
    return _format_number(value) + '\u00a0₽'


def plural(number, one, few, many):
    "Russian plural form: 1 вакансия, 2 вакансии, 5 вакансий"
    number = abs(int(number or 0))
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def environment():
    "The Jinja2 environment over the templates/ folders of all copp modules"
    global _env
    if _env is None:
        with _env_lock:
            if _env is None:
                env = jinja2.Environment(
                    loader=jinja2.FileSystemLoader(
                        [str(p) for p in module_folders('templates')]),
                    autoescape=jinja2.select_autoescape(
                        enabled_extensions=('html', 'xml'),
                        default_for_string=True, default=False),
                    trim_blocks=True, lstrip_blocks=True,
                    undefined=jinja2.ChainableUndefined,
                    auto_reload=bool(config.getboolean(
                            'copp', 'reload_templates', default=False)))
                env.filters.update({
                        'date': _format_date,
                        'datetime': _format_datetime,
                        'number': _format_number,
                        'money': _format_money,
                        })
                env.globals.update({
                        'plural': plural,
                        'gettext': gettext,
                        })
                _env = env
    return _env


def render_template(name, **context):
    return environment().get_template(name).render(**context)


# Secrets and signatures ----------------------------------------------

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
    "Only local paths are followed after login (no open redirect)"
    if not url or not url.startswith('/') or url.startswith('//') or (
            '\\' in url):
        return default
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc:
        return default
    return url


# Pagination ----------------------------------------------------------

class Page:
    "One page of a search, with the links of the neighbouring pages"

    def __init__(self, items, number, size, total, args=None, path=''):
        self.items = items
        self.number = number
        self.size = size
        self.total = total
        self.args = dict(args or {})
        self.path = path

    @property
    def pages(self):
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def first_index(self):
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_index(self):
        return min(self.number * self.size, self.total)

    def url(self, number):
        args = {k: v for k, v in self.args.items()
            if v not in (None, '') and k != 'page'}
        if number > 1:
            args['page'] = number
        query = urllib.parse.urlencode(args)
        return self.path + ('?' + query if query else '')

    def window(self, around=2):
        "Page numbers to show, None for a gap: 1 … 4 5 [6] 7 8 … 20"
        pages = self.pages
        shown = {1, pages} | set(range(
                max(1, self.number - around),
                min(pages, self.number + around) + 1))
        result, previous = [], 0
        for number in sorted(shown):
            if number - previous > 1:
                result.append(None)
            result.append(number)
            previous = number
        return result

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def page_number(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 100000))


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
        Session = self.pool.get('copp.portal.session')
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
        Session = self.pool.get('copp.portal.session')
        if self.session:
            Session.delete([self.session])
        session, key = Session.open(user, self.remote_addr, self.user_agent)
        self.session, self.user, self._session_key = session, user, key
        self._new_cookies[SESSION_COOKIE] = key

    def logout(self):
        Session = self.pool.get('copp.portal.session')
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
        Event = self.pool.get('copp.portal.event')
        Event.log(kind, user=user or self.user, email=email, record=record,
            details=details, ip_address=self.remote_addr,
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
            500: 'copp_portal.msg_error_500',
            503: 'copp_portal.msg_error_503',
            }
        title = gettext(titles.get(code, 'copp_portal.msg_error_500'))
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
                Session = Pool(self.dbname).get('copp.portal.session')
                Session.touch(self.session.id, self.now)
        except Exception:
            logger.warning("could not touch portal session", exc_info=True)


class PortalError(HTTPException):
    "An error page with a message"

    def __init__(self, code, message=None):
        super().__init__(description=message)
        self.code = code


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


def _bare_error(code):
    "An error page rendered without the database (it is not reachable)"
    messages = {
        404: ("Страница не найдена", "Такой страницы нет. Проверьте адрес."),
        503: ("Портал временно недоступен",
            "Идут технические работы. Попробуйте зайти позже."),
        500: ("Внутренняя ошибка",
            "Что-то пошло не так. Мы уже знаем об ошибке."),
        }
    title, text = messages.get(code, messages[500])
    try:
        html = render_template('error_bare.html', code=code, title=title,
            message=text)
    except Exception:
        html = f'<!doctype html><title>{title}</title><h1>{title}</h1>'
    return Response(html, status=code,
        content_type='text/html; charset=utf-8')


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


def get_pool(dbname):
    "The pool of the deployment's database, loaded once"
    if dbname not in Pool.database_list():
        with _pool_lock:
            if dbname not in Pool.database_list():
                with Transaction(new=True).start(dbname, 0, readonly=True):
                    Pool(dbname).init()
    return Pool(dbname)


def dispatch(func, request, kwargs, login=False, csrf=True, model=None,
        public_cache=False):
    cache_key = None
    if public_cache and microcache_seconds() > 0:
        cache_key = _microcache_key(request.environ)
    response = _dispatch(func, request, kwargs, login, csrf, model)
    if (cache_key and response.status_code == 200
            and 'Set-Cookie' not in response.headers):
        if len(_microcache) >= MICROCACHE_SIZE:
            _microcache.clear()
        _microcache[cache_key] = (time.monotonic() + microcache_seconds(),
            response.status, list(response.headers.items()),
            response.get_data())
    return response


def _dispatch(func, request, kwargs, login, csrf, model):
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
                    response = _call(portal, func, kwargs, login, csrf)
                except TransactionError as exc:
                    transaction.rollback()
                    exc.fix(extras)
                    continue
                except backend.DatabaseOperationalError:
                    if count < retry and not readonly:
                        transaction.rollback()
                        count += 1
                        continue
                    raise
                if portal.rollback or readonly:
                    transaction.rollback()
                else:
                    transaction.commit()
        except Exception:
            logger.error("portal: error on %s %s", request.method,
                request.path, exc_info=True)
            response = _bare_error(500)
            return security_headers(response, request)
        break
    portal.touch()
    portal.finish(response)
    return security_headers(response, request)


def _call(portal, func, kwargs, login, csrf):
    request = portal.request
    try:
        portal.load()
        if login and portal.user is None:
            if request.method in SAFE_METHODS:
                target = request.full_path.rstrip('?')
                return portal.redirect(LOGIN_URL + '?' + urllib.parse.urlencode(
                        {'next': target}))
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
        public_cache=False):
    """Register `func(portal, **url_values)` as a trytond route.

    login: the page needs a portal user (otherwise a redirect to the login
    page for GET, 403 for POST); csrf: check the token of POST requests;
    model: a model the page needs (404 where its module is not activated);
    public_cache: a public page that is the same for every anonymous
    visitor: its 200 answers to visitors without a session are kept in
    memory for [copp] public_cache_seconds (default 10) per process and
    served without a transaction; call invalidate_public_pages() when the
    data changes (the other processes see the change within that time)."""
    methods = list(methods)

    def decorator(func):
        @wraps(func)
        def endpoint(request, **kwargs):
            return dispatch(func, request, kwargs, login=login, csrf=csrf,
                model=model, public_cache=public_cache)
        app.route(rule, methods=methods)(endpoint)
        func.portal_endpoint = endpoint
        return func
    return decorator


# The micro-cache answers before trytond's own processing (outermost).
if not isinstance(app.wsgi_app, PublicPageCache):
    app.wsgi_app = PublicPageCache(app.wsgi_app)


# Static files --------------------------------------------------------

@app.route('/portal-static/<path:filename>', methods=['GET'])
def portal_static(request, filename):
    "CSS, scripts and images of the portals, from the modules' static/"
    for folder in module_folders('static'):
        path = safe_join(str(folder), filename)
        if path and Path(path).is_file():
            mimetype = mimetypes.guess_type(path)[0] or (
                'application/octet-stream')
            response = send_file(path, request.environ, mimetype=mimetype,
                max_age=3600, conditional=True)
            response.headers['X-Content-Type-Options'] = 'nosniff'
            return response
    return Response('Not Found', status=404, content_type='text/plain')
