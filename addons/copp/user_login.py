"""The back-office login (ФСТЭК 21: ИАФ.1, УПД.6): throttling that cannot
lock someone else out (res.user.login.attempt, login_attempt.py), the
second factor, a message when the password was wrong, and every login,
failure and refusal in the security log.

`[session] authentications` works as in Tryton (`password`, `password+…`,
options like `totp?ip_address`), but every chain ends with the second-factor
method `totp` even when the configuration omits it: it asks for a code only
of the accounts that need one (res.user.totp_required_for, an enrolled
secret, or a login under attack).
"""
import datetime as dt
import logging
import threading

from trytond import config
from trytond.exceptions import LoginException, RateLimitException
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import totp

logger = logging.getLogger(__name__)
PENDING_VALIDITY = dt.timedelta(minutes=15)

_dummy_hash = None
_dummy_lock = threading.Lock()


def dummy_password_hash():
    "A hash to check against when the login is unknown (same timing)"
    global _dummy_hash
    if _dummy_hash is None:
        with _dummy_lock:
            if _dummy_hash is None:
                User = Pool().get('res.user')
                _dummy_hash = User.hash_password('dummy-password-0')
    return _dummy_hash


def _chains():
    "The method chains of `[session] authentications`, each ending by totp"
    chains = []
    for methods in config.get(
            'session', 'authentications', default='password').split(','):
        methods = [m for m in methods.split('+') if m]
        if not any(m.split('?', 1)[0] == 'totp' for m in methods):
            methods.append('totp')
        chains.append(methods)
    return chains


def _login_language():
    """The language of the login's messages: sao sends the browser's
    («ru-RU»), the database has «ru»"""
    Lang = Pool().get('ir.lang')
    language = Transaction().context.get('language')
    if not language:
        return None
    codes = Lang.get_translatable_languages()
    for candidate in [language, language.replace('-', '_'),
            language.replace('-', '_').split('_')[0]]:
        if candidate in codes:
            return candidate
    return None


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def get_login(cls, login, parameters):
        language = _login_language()
        if language:
            with Transaction().set_context(language=language):
                return cls._get_login_throttled(login, parameters)
        return cls._get_login_throttled(login, parameters)

    @classmethod
    def _get_login_throttled(cls, login, parameters):
        pool = Pool()
        LoginAttempt = pool.get('res.user.login.attempt')
        UserDevice = pool.get('res.user.device')
        Event = pool.get('copp.security.event')
        parameters = parameters.copy()

        device_cookie = UserDevice.get_valid_cookie(
            login, parameters.get('device_cookie'))
        parameters['device_cookie'] = device_cookie
        known_id = cls._get_login(login)[0]
        wait = LoginAttempt.wait(login, device_cookie)
        if wait:
            Event.log('login_throttled', user=known_id, login=login,
                details=f"{int(wait) + 1} s")
            raise RateLimitException()
        for methods in _chains():
            user_ids = set()
            for method in methods:
                if user_ids:
                    try:
                        method, options = method.split('?', 1)
                    except ValueError:
                        options = []
                    else:
                        options = options.split(':')
                    if cls._check_login_options(options, login, parameters):
                        continue
                try:
                    func = getattr(cls, '_login_%s' % method)
                except AttributeError:
                    logger.info('Missing login method: %s', method)
                    break
                user_ids.add(func(login, parameters))
                if len(user_ids) != 1 or not all(user_ids):
                    break
            if len(user_ids) == 1 and all(user_ids):
                user_id = user_ids.pop()
                LoginAttempt.remove_here(login, device_cookie)
                Event.log('login', user=user_id, login=login)
                return user_id
        LoginAttempt.add(login, device_cookie)
        Event.log('login_failed', user=known_id, login=login)

    @classmethod
    def _login_password(cls, login, parameters):
        pool = Pool()
        LoginAttempt = pool.get('res.user.login.attempt')
        if 'password' not in parameters:
            if LoginAttempt.failed_here(
                    login, parameters.get('device_cookie')):
                # sao starts the login again after a refusal: say why.
                raise LoginException('password', gettext(
                        'copp.msg_login_retry', login=login),
                    type='password')
        else:
            user_id, password_hash, _ = cls._get_login(login)
            if not (user_id and password_hash):
                # An unknown login takes the time of a known one.
                cls.check_password(
                    parameters['password'] or '', dummy_password_hash())
        return super()._login_password(login, parameters)

    @classmethod
    def _login_totp(cls, login, parameters):
        """The second factor, after the password: the TOTP code (or a
        recovery code) of an account that has a secret; the set-up of one
        for a required account that has none; a known device for the other
        accounts when their login is under attack"""
        pool = Pool()
        LoginAttempt = pool.get('res.user.login.attempt')
        Event = pool.get('copp.security.event')
        user_id = cls._get_login(login)[0]
        if not user_id:
            return None
        state = cls.totp_state(user_id)
        code = parameters.get('totp_code')
        if not state.secret:
            if cls.totp_required_for(user_id):
                return cls._login_totp_enrol(user_id, login, state, code)
            if LoginAttempt.under_attack(login) and not parameters.get(
                    'device_cookie'):
                Event.log('second_factor_missing', user=user_id,
                    login=login)
                return None
            return user_id
        if not code:
            raise LoginException('totp_code',
                gettext('copp.msg_totp_code'), type='char')
        step = totp.matching_step(state.secret, code, after=state.last_step)
        if step is not None:
            cls.totp_write(user_id, last_step=step)
            return user_id
        RecoveryCode = pool.get('copp.recovery_code')
        if RecoveryCode.use(user_id, code):
            Event.log('recovery_code_used', user=user_id, login=login,
                details=str(RecoveryCode.remaining(user_id)))
            return user_id
        Event.log('second_factor_failed', user=user_id, login=login)
        return None

    @classmethod
    def _login_totp_enrol(cls, user_id, login, state, code):
        "A required account without a secret sets one up while logging in"
        Event = Pool().get('copp.security.event')
        now = dt.datetime.now()
        secret = state.pending
        if not secret or not state.pending_date or (
                state.pending_date + PENDING_VALIDITY < now):
            secret = totp.new_secret()
            cls.totp_write(user_id, pending=secret,
                pending_date=now)
        if not code:
            raise LoginException('totp_code', gettext(
                    'copp.msg_totp_enrol', key=totp.format_key(secret)),
                type='char')
        step = totp.matching_step(secret, code)
        if step is None:
            Event.log('second_factor_failed', user=user_id, login=login)
            return None
        cls.totp_write(user_id, secret=secret, pending=None,
            pending_date=None, last_step=step)
        Event.log('totp_enrolled', user=user_id, login=login,
            details='login')
        return user_id
