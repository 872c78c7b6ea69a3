"""Sign-in through ЕСИА (Госуслуги) on the portal.

- `GET /esia/login?next=…` — what is asked of ЕСИА and the button;
- `GET /esia/start?next=…` — a new request (state bound to this browser by a
  cookie), then ЕСИА's sign-in page (a link, not a form: the pages' CSP
  allows forms to post to the portal only);
- `GET /esia/callback?code=…&state=…` — ЕСИА sends the browser back: the
  state is checked against the browser, the code exchanged, the id_token
  verified, the person's data read, the person found by СНИЛС (or a
  conflict opened for a clerk), the portal session opened;
- `POST /esia/logout` — the portal session ends, then `/esia/signed-out`
  sends the browser to ЕСИА's logout (`/idp/ext/Logout`), which returns to
  the portal; the «Выйти» of the pages' header posts here for a session
  opened through ЕСИА (copp_portal.templating.register_logout).

Every outcome is a security event (copp.security.event); the data received
is registered in the personal data log (action «received»)."""
import logging

from trytond.i18n import gettext

from copp.identifiers import snils as snils_number
from copp_portal.portal import portal_route, safe_next, sign
from copp_portal.templating import register_logout

from . import accounts, client, linking, settings
from .account import RECEIVED_FIELDS

logger = logging.getLogger(__name__)

REQUEST_COOKIE = 'copp_esia'
SESSION_COOKIE = 'copp_esia_session'
FAILURE_MESSAGES = {
    'state': 'copp_esia.msg_failure_state',
    'denied': 'copp_esia.msg_failure_denied',
    'unavailable': 'copp_esia.msg_failure_unavailable',
    'token': 'copp_esia.msg_failure_token',
    'id_token': 'copp_esia.msg_failure_token',
    'config': 'copp_esia.msg_failure_unavailable',
    'data': 'copp_esia.msg_failure_data',
    'untrusted': 'copp_esia.msg_failure_untrusted',
    'refused': 'copp_esia.msg_failure_refused',
    'account': 'copp_esia.msg_failure_account',
    }


def esia_session(portal):
    "The portal session was opened through ЕСИА (its logout goes there too)"
    key = getattr(portal, '_session_key', None)
    value = portal.request.cookies.get(SESSION_COOKIE)
    return bool(key and value
        and value == sign(portal.secret, 'esia-session', key))


def logout_action(portal):
    """The header's «Выйти» of a session opened through ЕСИА ends it at
    ЕСИА too (/esia/logout): on a shared computer the next visitor's «Войти
    через Госуслуги» must not find the citizen still signed in there"""
    if 'copp_esia' in portal.pool._modules and esia_session(portal):
        return '/esia/logout'
    return None


register_logout(logout_action)


def _enabled(portal):
    if not settings.enabled():
        portal.not_found()


def _next(portal):
    "The page asked for after the sign-in (None: the account's home)"
    return safe_next(portal.request.args.get('next'), None)


@portal_route('/esia/login')
def login(portal):
    _enabled(portal)
    return portal.render('esia/login.html', next=_next(portal) or '',
        esia_signed_in=esia_session(portal))


@portal_route('/esia/start', readonly=False)
def start(portal):
    _enabled(portal)
    Request = portal.pool.get('copp.esia.request')
    state = client.new_state()
    try:
        url = client.authorize_url(state)
    except Exception as exc:
        logger.error("esia: cannot build the sign-in request: %s", exc)
        return _failure(portal, 'config', str(exc), status=503)
    request, key = Request.start(state, _next(portal))
    portal._new_cookies[REQUEST_COOKIE] = key
    return portal.redirect(url)


def _failure(portal, reason, detail='', status=400, identity=None):
    portal.log('esia_login_failed',
        email=(identity or {}).get('email'),
        details=f'{reason}: {detail}'[:500])
    return portal.render('esia/message.html', status=status,
        title=gettext('copp_esia.msg_failure_title'),
        message=gettext(FAILURE_MESSAGES.get(reason,
                'copp_esia.msg_failure_token')),
        error=True, retry=reason not in {'refused', 'account'})


@portal_route('/esia/callback', readonly=False)
def callback(portal):
    pool = portal.pool
    Request = pool.get('copp.esia.request')
    args = portal.request.args
    state = args.get('state', '')
    request, reason = Request.take(state,
        portal.request.cookies.get(REQUEST_COOKIE))
    portal._delete_cookies.add(REQUEST_COOKIE)
    if request is None:
        return _failure(portal, 'state', reason)
    if args.get('error'):
        # access_denied: the citizen cancelled; others: ЕСИА refused our
        # request (its signature, timestamp…)
        return _failure(portal,
            'denied' if args['error'] == 'access_denied' else 'token',
            '%s %s' % (args['error'], args.get('error_description', '')),
            status=403 if args['error'] == 'access_denied' else 400)
    code = args.get('code', '')
    if not code or len(code) > 4096:
        return _failure(portal, 'token', 'no code')
    try:
        tokens = client.exchange_code(code, state)
        identity = client.person(tokens['oid'], tokens['access_token'])
    except client.EsiaError as exc:
        logger.warning("esia: sign-in failed: %s", exc)
        return _failure(portal, exc.reason, exc.detail,
            status=502 if exc.reason in {'unavailable', 'config'} else 400)
    problem = _check(identity)
    if problem:
        return _failure(portal, problem, identity['oid'], status=403,
            identity=identity)
    identity['snils'] = snils_number.format(
        snils_number.compact(identity['snils']))
    outcome, account, party, conflict = linking.resolve(identity)
    Log = pool.get('copp.personal_data.log')
    Log.register('copp.esia.account', [account],
        [f for f in RECEIVED_FIELDS if identity.get(f) is not None],
        action='receive')
    if outcome == linking.REFUSED:
        return _failure(portal, 'refused', account.oid, status=403,
            identity=identity)
    if outcome == linking.CONFLICT:
        portal.log('esia_conflict', email=identity.get('email'),
            record=conflict, details=f'{conflict.reason}: {account.oid}')
        return portal.render('esia/message.html',
            title=gettext('copp_esia.msg_conflict_title'),
            message=gettext('copp_esia.msg_conflict_message'))
    user, how = accounts.sign_in(portal, account, identity)
    if user is None:
        return _failure(portal, 'account', f'{account.oid}: {how}',
            status=403, identity=identity)
    portal.log('esia_login', user=user, email=identity.get('email'),
        record=account, details=f'oid {account.oid}: {how}')
    portal._new_cookies[SESSION_COOKIE] = sign(portal.secret,
        'esia-session', portal._session_key)
    return portal.redirect(request.next_url or user.home_url)


def _check(identity):
    "What is wrong with the person's data for a sign-in, or None"
    if not identity.get('trusted'):
        return 'untrusted'
    if not (identity.get('last_name') and identity.get('first_name')
            and identity.get('snils')
            and snils_number.is_valid(identity['snils'])):
        return 'data'
    return None


@portal_route('/esia/logout', methods=['POST'])
def logout(portal):
    if portal.user:
        portal.log('esia_logout')
    portal.logout()
    portal._delete_cookies.add(SESSION_COOKIE)
    return portal.redirect('/esia/signed-out')


@portal_route('/esia/signed-out')
def signed_out(portal):
    """The portal session has ended: the browser goes on to ЕСИА's logout
    (a refresh, not a redirect of the form: the CSP keeps forms on the
    portal), which comes back to the portal"""
    if not settings.enabled():
        return portal.redirect(settings.logout_redirect())
    return portal.render('esia/signed_out.html', logout_url=client.logout_url())
