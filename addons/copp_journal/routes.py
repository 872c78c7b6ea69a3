"""HTTP routes of the journal: the teacher's journal page and the diary.

Authentication is the back-office session of the user (the one sao opened):
since Tryton 8.0 sao keeps it in the HttpOnly cookie «tryton_session»
(path /<database>, SameSite=Strict), so the page lives under
/<database>/journal/… where the browser sends that cookie; the clean URL
/journal/… redirects there (database from [copp] database). The page never
sees the session token. An «Authorization: Session base64(login:id:token)»
header is accepted too (API clients, tests). Without a session the page
shows a login form that calls trytond's own /<database>/session/login.

Writes are POST with a JSON body and need, besides the session:
- an Origin (or Referer) of this host: no cross-site request;
- the header X-CSRF-Token = HMAC-SHA256(session token, "copp-journal:<uid>"),
  embedded in the page: only the session's owner can compute it.

Every handler runs as the session's user with check_access(), so the access
rights and the record rules of the back office apply to the page as to RPC.
"""
import datetime as dt
import hmac
import json
import mimetypes
import time
import urllib.parse
from functools import wraps
from pathlib import Path

import jinja2
from werkzeug.exceptions import HTTPException
from werkzeug.utils import redirect

from trytond import config
from trytond.cache import Cache
from trytond.exceptions import UserError, UserWarning
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.protocols.wrappers import (
    HTTPStatus, Response, set_max_request_size, with_pool, with_transaction)
from trytond.transaction import Transaction, check_access
from trytond.wsgi import app

from . import journal as grid
from .audit import DIARY_FIELDS, log_personal_data
from . import journal_write as writes
from .exceptions import JournalAccessError, JournalClosedError

HERE = Path(__file__).parent
STATIC = HERE / 'static' / 'journal'
CSRF_HEADER = 'X-CSRF-Token'
# The bodies are a cell, a topic, a lesson. (A size of its own also spares
# trytond's dispatcher a session check to choose the authenticated limit.)
MAX_REQUEST_SIZE = 64 * 1024
SECURITY_HEADERS = {
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; "
    "style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    }
_env = None


def database_name():
    return config.get('copp', 'database', default='copp')


def environment():
    global _env
    if _env is None:
        _env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / 'templates')),
            autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return _env


def _json(data, status=200, started=None):
    response = Response(json.dumps(data, ensure_ascii=False, default=str),
        status=status, content_type='application/json; charset=utf-8')
    return _finish(response, started)


def _html(text, status=200, started=None):
    response = Response(text, status=status,
        content_type='text/html; charset=utf-8')
    return _finish(response, started)


def _finish(response, started):
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    if started is not None:
        response.headers['Server-Timing'] = (
            f'app;dur={(time.perf_counter() - started) * 1000:.1f}')
    return response


_user_cache = Cache('copp_journal.user_context', duration=300)


def user_context(user_id):
    """The context of a journal request: the user's language, company and
    employee (what get_preferences gives, read in one cached query)"""
    key = (Transaction().database.name, user_id)
    context = _user_cache.get(key)
    if context is None:
        pool = Pool()
        User = pool.get('res.user')
        Lang = pool.get('ir.lang')
        user, lang = User.__table__(), Lang.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*user.join(lang, 'LEFT',
                condition=lang.id == user.language).select(
                lang.code, user.company, user.employee, user.name,
                user.login, where=user.id == user_id))
        code, company, employee, name, login = cursor.fetchone()
        context = {'language': code or config.get(
                'database', 'language', default='en'),
            'company': company, 'employee': employee,
            'user_name': name or login}
        _user_cache.set(key, context)
    return dict(context)


def _same_origin(request):
    expected = request.host_url.rstrip('/')
    origin = request.headers.get('Origin')
    if origin:
        return origin.rstrip('/') == expected
    referer = request.headers.get('Referer')
    if referer:
        parts = urllib.parse.urlsplit(referer)
        return f'{parts.scheme}://{parts.netloc}' == expected
    return False


def _claimed_user(request):
    "The user id the request's session claims (checked in the transaction)"
    try:
        session = request.session
    except HTTPException:
        return None
    return session.userid if session is not None else None


def _session_valid(request):
    """Whether the request's session is a live session of its user: the
    check of trytond's security.check (ir.session: key, user, address,
    timeout), done in the request's transaction rather than in a
    transaction of its own, a third of the time of a saved cell"""
    pool = Pool()
    Session = pool.get('ir.session')
    session = request.session
    return bool(session and Session.check(session.userid, session.token))


def staff_route(rule, methods=('GET',), kind='html'):
    """A route of the journal for back-office users: authenticate the
    session (and CSRF for POST), then run the handler as the user with
    access checks in a transaction. The transaction is read-write: the
    session check removes the user's expired sessions, and the reads of
    personal data are registered."""
    def decorator(func):
        @wraps(func)
        def handler(request, pool, **kwargs):
            started = time.perf_counter()
            user_id = request.environ.get('copp_journal.user')
            transaction = Transaction()
            if not _session_valid(request):
                return _unauthorized(request, kind,
                    transaction.database.name)
            context = user_context(user_id)
            try:
                with transaction.set_user(user_id), \
                        transaction.set_context(context), check_access():
                    result = func(request, pool, **kwargs)
            except (JournalAccessError, AccessError) as exc:
                transaction.rollback()
                return _error(kind, HTTPStatus.FORBIDDEN, exc.message,
                    started)
            except JournalClosedError as exc:
                transaction.rollback()
                return _error(kind, HTTPStatus.CONFLICT, exc.message,
                    started)
            except (UserError, UserWarning) as exc:
                transaction.rollback()
                return _error(kind, HTTPStatus.BAD_REQUEST, exc.message,
                    started)
            if isinstance(result, Response):
                return _finish(result, started)
            if kind == 'json':
                return _json(result, started=started)
            return _html(result, started=started)

        wrapped = with_transaction(readonly=False)(handler)

        @app.route(rule, methods=list(methods))
        @set_max_request_size(MAX_REQUEST_SIZE)
        @wraps(func)
        def endpoint(request, database_name, **kwargs):
            user_id = _claimed_user(request)
            if not user_id:
                return _unauthorized(request, kind, database_name)
            if request.method == 'POST':
                problem = _csrf_problem(request, user_id)
                if problem:
                    return _json({'error': problem},
                        status=HTTPStatus.FORBIDDEN)
            request.environ['copp_journal.user'] = user_id
            return with_pool(wrapped)(request, database_name, **kwargs)
        return func
    return decorator


def _unauthorized(request, kind, database_name):
    if kind == 'json':
        return _json({'error': gettext_safe('msg_journal_login_required')},
            status=HTTPStatus.UNAUTHORIZED)
    return _login_page(request, database_name)


def gettext_safe(message_id, **kwargs):
    "gettext outside of a transaction of the database: Russian fallbacks"
    fallbacks = {
        'msg_journal_login_required': "Войдите в систему: сессия не "
        "найдена или истекла.",
        'msg_journal_csrf': "Запрос отклонён: обновите страницу журнала.",
        }
    return fallbacks.get(message_id, message_id)


def _csrf_problem(request, user_id):
    if not _same_origin(request):
        return gettext_safe('msg_journal_csrf')
    if not (request.mimetype or '').endswith('json'):
        return gettext_safe('msg_journal_csrf')
    session = request.session
    if session is None:
        return gettext_safe('msg_journal_csrf')
    expected = grid.csrf_token(session.token, user_id)
    given = request.headers.get(CSRF_HEADER, '')
    if not hmac.compare_digest(expected, given):
        return gettext_safe('msg_journal_csrf')
    return None


def _error(kind, status, message, started=None):
    if kind == 'json':
        return _json({'error': message}, status=status, started=started)
    database = Transaction().database
    page = environment().get_template('journal/error.html').render(
        message=message, status=int(status),
        database=database.name if database else database_name())
    return _html(page, status=status, started=started)


def _login_page(request, database_name):
    page = environment().get_template('journal/login.html').render(
        database=database_name, next=request.full_path.rstrip('?'))
    return _html(page, status=HTTPStatus.UNAUTHORIZED)


def _month(request):
    value = request.args.get('month')
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value + '-01' if len(value) == 7
            else value)
    except ValueError:
        return None


def _body(request):
    try:
        data = json.loads(request.get_data(as_text=True) or '{}')
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise UserError(gettext('copp_journal.msg_journal_bad_request'))
    return data


# Clean URLs ------------------------------------------------------------

@app.route('/journal', methods=['GET'])
@app.route('/journal/', methods=['GET'])
@app.route('/journal/<path:path>', methods=['GET'])
def clean_url(request, path=''):
    if path.startswith('static/'):
        return static(request, path[len('static/'):])
    target = f'/{urllib.parse.quote(database_name())}/journal/{path}'
    if request.query_string:
        target += '?' + request.query_string.decode('latin-1')
    return redirect(target, code=302)


def static(request, name):
    path = (STATIC / name).resolve()
    if STATIC.resolve() not in path.parents or not path.is_file():
        return Response('Not Found', status=404)
    mimetype = mimetypes.guess_type(str(path))[0] or 'text/plain'
    if mimetype.startswith('text/') or mimetype.endswith('javascript'):
        mimetype += '; charset=utf-8'
    response = Response(path.read_bytes(), content_type=mimetype)
    response.headers['Cache-Control'] = 'public, max-age=300'
    response.headers['X-Content-Type-Options'] = 'nosniff'
    return response


# The journal -------------------------------------------------------------

@staff_route('/<database_name>/journal/', methods=['GET'])
def journal_index(request, pool):
    "The teacher's teaching loads with links to their journal pages"
    workloads = grid.workload_choices()
    current = [w for w in workloads if w['current']]
    other = [w for w in workloads if not w['current']]
    return environment().get_template('journal/index.html').render(
        current=current, other=other,
        term=current[0]['term'] if current else None,
        database=Transaction().database.name,
        user_name=Transaction().context.get('user_name'))


@staff_route('/<database_name>/journal/<int:workload_id>', methods=['GET'])
def journal_page(request, pool, workload_id):
    try:
        data = grid.load_grid(workload_id, _month(request))
    except JournalAccessError:
        log_personal_data(request, 'journal',
            f'copp.journal.workload,{workload_id}', 'refused')
        raise
    log_personal_data(request, 'journal',
        f'copp.journal.workload,{workload_id}', 'ok',
        students=[s['id'] for s in data['students']])
    session = request.session
    data['csrf'] = grid.csrf_token(session.token if session else '',
        Transaction().user)
    data['database'] = Transaction().database.name
    data['kinds'] = lesson_kinds(pool)
    workloads = [w for w in grid.workload_choices() if w['current']
        or w['id'] == workload_id]
    return environment().get_template('journal/page.html').render(
        data=data, workloads=workloads, database=data['database'],
        user_name=Transaction().context.get('user_name'))


_kinds = {}


def lesson_kinds(pool):
    "[(value, label)] of the kinds of lesson in the user's language"
    language = Transaction().context.get('language')
    if language not in _kinds:
        Lesson = pool.get('copp.journal.lesson')
        _kinds[language] = Lesson.fields_get(['kind'])['kind']['selection']
    return _kinds[language]


@staff_route('/<database_name>/journal/<int:workload_id>/data',
    methods=['GET'], kind='json')
def journal_data(request, pool, workload_id):
    data = grid.load_grid(workload_id, _month(request))
    log_personal_data(request, 'journal',
        f'copp.journal.workload,{workload_id}', 'ok',
        students=[s['id'] for s in data['students']])
    return data


@staff_route('/<database_name>/journal/<int:workload_id>/cell',
    methods=['POST'], kind='json')
def journal_cell(request, pool, workload_id):
    body = _body(request)
    try:
        lesson = int(body['lesson'])
        student = int(body['student'])
    except (KeyError, TypeError, ValueError):
        raise UserError(gettext('copp_journal.msg_journal_bad_request'))
    return writes.save_cell(workload_id, lesson, student,
        str(body.get('value') or ''))


@staff_route('/<database_name>/journal/<int:workload_id>/lesson/'
    '<int:lesson_id>', methods=['POST'], kind='json')
def journal_lesson(request, pool, workload_id, lesson_id):
    return writes.save_lesson(workload_id, lesson_id, _body(request))


@staff_route('/<database_name>/journal/<int:workload_id>/lessons',
    methods=['POST'], kind='json')
def journal_add_lesson(request, pool, workload_id):
    return writes.add_lesson(workload_id, _body(request))


# The diary ---------------------------------------------------------------

@staff_route('/<database_name>/api/diary/<int:student_id>', methods=['GET'],
    kind='json')
def diary(request, pool, student_id):
    """The diary of a student (JSON) for a back-office session: the staff
    who read the student under the record rules, or the user whose
    employee's person is the student or their representative"""
    from .diary import can_see_student, diary_for
    Student = pool.get('copp.student')
    User = pool.get('res.user')
    user = User(Transaction().user)
    parties = {e.party.id for e in user.employees if e.party}
    allowed = any(can_see_student(p, student_id) for p in parties)
    if not allowed and grid.user_groups(grid.STAFF_GROUPS + [
                'group_teacher']):
        allowed = bool(Student.search([('id', '=', student_id)]))
    if not allowed:
        log_personal_data(request, 'diary', f'copp.student,{student_id}',
            'refused')
        raise JournalAccessError(gettext(
                'copp_journal.msg_diary_no_access'))
    log_personal_data(request, 'diary', f'copp.student,{student_id}', 'ok',
        students=[student_id], fields=DIARY_FIELDS)

    def as_date(name):
        value = request.args.get(name)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None
    return diary_for(student_id, as_date('from'), as_date('to'))
