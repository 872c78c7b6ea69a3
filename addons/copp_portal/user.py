"""Portal accounts are Tryton's web.user (trytond-web-user): e-mail login,
password hash, e-mail validation, sessions (web.user.session) and
secondary parties. copp_portal adds what the portals need on top: the
name, the organization an employer's user acts for, the password policy of
the staff with its history, the login delays counted from the security log
(never a lock), invitations and single-use links through the outbox
(copp.portal.token, only hashes stored), consents (copp.portal.consent) and
the security events.

The former model copp.portal.user is migrated here once (same ids, so
every reference — security log, password history, tokens, stage logs,
survey answers — stays valid): see user_migration.py."""
import datetime as dt
import re
import threading

from sql import Literal, Null

from trytond.exceptions import RateLimitException
from trytond.i18n import gettext
from trytond.model import Index, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access

from copp import password_policy
from copp.exceptions import PasswordPolicyError
from copp.login_attempt import growing_delay

from .exceptions import PortalPasswordError, PortalUserValidationError
from .outbox import MailOriginMixin
from .user_migration import migrate_portal_users
from .user_mail import UserMailMixin

EMAIL_PATTERN = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$')
STATES = [
    ('new', "Not Invited"),
    ('invited', "Invited"),
    ('active', "Active"),
    ('disabled', "Disabled"),
    ]

_dummy_hash = None
_dummy_lock = threading.Lock()


def normalize_email(email):
    return (email or '').strip().lower()


def valid_email(email):
    return bool(email) and len(email) <= 254 and bool(
        EMAIL_PATTERN.match(email))


def _dummy_password_hash():
    "A hash to check against when the e-mail is unknown (same timing)"
    global _dummy_hash
    if _dummy_hash is None:
        with _dummy_lock:
            if _dummy_hash is None:
                User = Pool().get('res.user')
                _dummy_hash = User.hash_password('dummy-password-0')
    return _dummy_hash


class User(UserMailMixin, MailOriginMixin, metaclass=PoolMeta):
    """Portal account (web.user)

    A person outside the back office (an employer's employee, a student, a
    parent, a citizen) who logs in to the portals with an e-mail and a
    password."""
    __name__ = 'web.user'

    name = fields.Char("Name",
        help="The name shown on the portal (the person's name by default).")
    organization = fields.Many2One('party.party', "Organization",
        ondelete='RESTRICT',
        help="The organization the user acts for on the partner portal.")
    position = fields.Char("Position")
    phone = fields.Char("Phone")
    has_password = fields.Function(fields.Boolean("Password Set"),
        'get_has_password')
    failed_logins = fields.Function(fields.Integer("Recent Failed Logins",
            help="Failed logins with this e-mail address since the last "
            "success, reset or lift of the limit, from every address, within "
            "the longest delay."),
        'get_failed_logins')
    last_login = fields.DateTime("Last Login", readonly=True)
    invited = fields.DateTime("Invited", readonly=True)
    consent_date = fields.Function(fields.DateTime(
            "Consent to Personal Data Processing"), 'get_consent_date')
    state = fields.Function(fields.Selection(STATES, "State"), 'get_state',
        searcher='search_state')
    sessions = fields.One2Many('web.user.session', 'user', "Sessions",
        readonly=True)
    events = fields.One2Many('copp.security.event', 'portal_user', "Events",
        readonly=True)
    consents = fields.One2Many('copp.portal.consent', 'user', "Consents",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.organization, Index.Range())))
        cls._order = [('name', 'ASC NULLS LAST'), ('email', 'ASC'),
            ('id', 'ASC')]
        # Tokens and hashes are never shown (ir.model.field.access too).
        for name in ['password_hash', 'email_token', 'reset_password_token']:
            getattr(cls, name).loading = 'lazy'
        cls._buttons.update({
                'invite': {
                    'invisible': Bool(Eval('has_password')),
                    'depends': ['has_password'],
                    'icon': 'tryton-email',
                    },
                'send_reset': {
                    'invisible': ~Eval('has_password'),
                    'depends': ['has_password'],
                    'icon': 'tryton-email',
                    },
                'unlock': {
                    'invisible': ~Eval('failed_logins'),
                    'depends': ['failed_logins'],
                    'icon': 'copp-unlock',
                    },
                'end_sessions': {
                    'icon': 'tryton-cancel',
                    },
                })
        # web_user's own e-mails (trytond reports and [web] URLs) are
        # replaced by the outbox and the portal's single-use links.
        cls._buttons['validate_email']['invisible'] = True
        cls._buttons['reset_password']['invisible'] = True
        # An account signed in only through ЕСИА may have no e-mail.
        cls.email.states = {
            'required': Eval('active', True) & Bool(Eval('has_password')),
            }
        cls.email.depends = {'active', 'has_password'}

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if module == 'copp_portal':
            migrate_portal_users(cls)

    def get_rec_name(self, name):
        if self.name:
            return f'{self.name} <{self.email}>'
        return self.email or ''

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('email', operator, operand, *extra),
            ]

    @classmethod
    def get_has_password(cls, users, name):
        "Whether a password is set, without reading the hash (root only)"
        with without_check_access():
            return {u.id: bool(u.password_hash) for u in cls.browse(users)}

    @classmethod
    def get_state(cls, users, name):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        now = dt.datetime.now()
        invited = Token.pending(users, 'invitation', now)
        result = {}
        with without_check_access():
            # Signed in once (through ЕСИА, without a password) is active.
            hashes = {u.id: bool(u.password_hash or u.last_login)
                for u in cls.browse(users)}
        for user in users:
            if not user.active:
                state = 'disabled'
            elif hashes[user.id]:
                state = 'active'
            elif user.id in invited:
                state = 'invited'
            else:
                state = 'new'
            result[user.id] = state
        return result

    @classmethod
    def search_state(cls, name, clause):
        "The state in SQL (the hash itself is not readable by the users)"
        pool = Pool()
        Token = pool.get('copp.portal.token')
        _, operator, value = clause[:3]
        values = value if isinstance(value, (list, tuple)) else [value]
        user, token = cls.__table__(), Token.__table__()
        now = dt.datetime.now()
        invited = user.id.in_(token.select(token.user,
                where=(token.kind == 'invitation') & (token.used == Null)
                & (token.expires > now)))
        active = user.active == Literal(True)
        used = (user.password_hash != Null) | (user.last_login != Null)
        conditions = {
            'disabled': ~active,
            'active': active & used,
            'invited': active & ~used & invited,
            'new': active & ~used & ~invited,
            }
        where = Literal(False)
        for state in values:
            if state in conditions:
                where |= conditions[state]
        query = user.select(user.id, where=where)
        if operator in {'!=', 'not in'}:
            return [('id', 'not in', query)]
        return [('id', 'in', query)]

    @classmethod
    def get_consent_date(cls, users, name):
        Consent = Pool().get('copp.portal.consent')
        return Consent.latest_given(users, 'account')

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Party = pool.get('party.party')
        values = super().preprocess_values(mode, values)
        if 'email' in values and values['email']:
            values['email'] = normalize_email(values['email'])
        if mode == 'create' and not values.get('party') and values.get(
                'name'):
            mechanisms = []
            if valid_email(values.get('email')):
                mechanisms.append({'type': 'email',
                        'value': values['email']})
            if values.get('phone'):
                mechanisms.append({'type': 'phone', 'value': values['phone']})
            party, = Party.create([{
                        'name': values['name'],
                        'contact_mechanisms': [('create', mechanisms)],
                        }])
            values['party'] = party.id
        if mode == 'create' and not values.get('name') and values.get(
                'party'):
            values['name'] = Party(values['party']).rec_name
        return values

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if field_names and 'email' not in field_names:
            return
        for user in users:
            if not user.active or not (user.email or user.has_password):
                continue
            if not valid_email(user.email):
                raise PortalUserValidationError(gettext(
                        'copp_portal.msg_user_email_invalid',
                        email=user.email or ''))

    # Passwords ---------------------------------------------------------
    @classmethod
    def check_password_policy(cls, password, user=None):
        """Raise PortalPasswordError when `password` is too weak: the policy
        of the staff (copp.password_policy) and none of the last five"""
        pool = Pool()
        History = pool.get('copp.password.history')
        try:
            password_policy.check(password,
                login=getattr(user, 'email', None),
                name=getattr(user, 'name', None),
                email=getattr(user, 'email', None))
            if getattr(user, 'id', None) is not None and user.id >= 0:
                with without_check_access():
                    current = cls(user.id).password_hash
                History.check_reuse(password, current_hash=current,
                    portal_user=user)
        except PasswordPolicyError as exc:
            raise PortalPasswordError(exc.message) from exc
        # The forbidden list of the server ([password] forbidden).
        try:
            ResUser = pool.get('res.user')
            ResUser.validate_password(password, [])
        except Exception as exc:
            raise PortalPasswordError(getattr(exc, 'message', str(exc)))

    @classmethod
    def set_password(cls, users, name, value):
        "The setter of web.user's `password`: our policy and history"
        if value == 'x' * 10 or not value:
            return
        for user in users:
            user.change_password(value)

    def change_password(self, password):
        "Check the policy, hash with Tryton's mechanism, keep the history"
        pool = Pool()
        History = pool.get('copp.password.history')
        self.check_password_policy(password, self)
        password_hash = self.hash_password(password)
        with without_check_access():
            self.__class__.write([self], {'password_hash': password_hash})
        History.remember(password_hash, portal_user=self)

    def check_own_password(self, password):
        "The password is this account's (an outdated hash is updated)"
        if not password:
            return False
        with without_check_access():
            hash_ = self.__class__(self.id).password_hash
        if not hash_:
            return False
        valid, new_hash = self.check_password(password, hash_)
        if valid and new_hash:
            with without_check_access():
                self.__class__.write([self], {'password_hash': new_hash})
        return valid

    @classmethod
    def login_wait(cls, email, ip_address, now=None):
        """Seconds before the next login of `email` from `ip_address`:
        past max_failed_logins failures of that e-mail from that address,
        or ip_failed_logins from the address, 1, 2, 4… seconds after the
        last one, at most lockout_minutes. Counted from the security log,
        for unknown e-mails as for accounts: the answer tells nothing."""
        pool = Pool()
        Configuration = pool.get('copp.portal.configuration')
        Event = pool.get('copp.security.event')
        settings = Configuration.settings()
        now = now or dt.datetime.now()
        cap = settings.lockout_minutes * 60
        since = now - dt.timedelta(seconds=cap)
        count, last = Event.portal_failures(since, email=email,
            ip_address=ip_address)
        wait = growing_delay(count, settings.max_failed_logins, last, now,
            cap=cap)
        if ip_address:
            count, last = Event.portal_failures(since, ip_address=ip_address)
            wait = max(wait, growing_delay(count, settings.ip_failed_logins,
                    last, now, cap=cap))
        return wait

    @classmethod
    def portal_authenticate(cls, email, password, ip_address=None,
            portal=None):
        """(user, None) when the credentials are right, else (None, reason):
        'invalid' or 'locked' (too many failures lately from this address:
        wait). Whether the e-mail is an account or not, the answers are the
        same and a password hash is checked, so that neither the message
        nor the time tells which e-mails have an account."""
        pool = Pool()
        Event = pool.get('copp.security.event')
        now = dt.datetime.now()
        email = normalize_email(email)

        def log(kind, user=None, details=None):
            if portal is not None:
                portal.log(kind, user=user, email=email, details=details)
            else:
                Event.log_portal(kind, user=user, email=email,
                    details=details, ip_address=ip_address)

        users = cls.search([('email', '=', email)], limit=1) if (
            valid_email(email)) else []
        user = users[0] if users else None
        with without_check_access():
            hash_ = cls(user.id).password_hash if user else None
        wait = cls.login_wait(email, ip_address, now)
        valid, _ = pool.get('res.user').check_password(
            password or '', hash_ or _dummy_password_hash())
        valid = valid and bool(hash_ and password)
        if wait:
            log('login_throttled', user=user, details=f"{int(wait) + 1} s")
            return None, 'locked'
        if not valid:
            log('login_failed', user=user)
            return None, 'invalid'
        # The hash is checked again to update an outdated one.
        user.check_own_password(password)
        with without_check_access():
            cls.write([user], {'last_login': now})
        log('login', user=user)
        return user, None

    @classmethod
    def authenticate(cls, email, password):
        """web.user's API: the user or None, RateLimitException while the
        e-mail waits (the portal's delays replace web_user's attempts)"""
        user, reason = cls.portal_authenticate(email, password)
        if reason == 'locked':
            raise RateLimitException()
        return user

    def verify_password(self, password, log, ip_address=None):
        """Check the password of the logged-in user (a change of password
        or e-mail): (True, None), or (False, 'invalid' | 'locked'), counted
        like the logins"""
        now = dt.datetime.now()
        if self.login_wait(self.email, ip_address, now):
            log('login_throttled', user=self)
            return False, 'locked'
        if not self.check_own_password(password):
            log('login_failed', user=self)
            return False, 'invalid'
        return True, None

    @classmethod
    def get_failed_logins(cls, users, name):
        pool = Pool()
        Configuration = pool.get('copp.portal.configuration')
        Event = pool.get('copp.security.event')
        since = dt.datetime.now() - dt.timedelta(
            minutes=Configuration.settings().lockout_minutes)
        counts = Event.portal_failures_by_email(
            since, [u.email for u in users if u.email])
        return {u.id: counts.get(u.email, 0) for u in users}

    @property
    def home_url(self):
        "Where the account lands after login"
        return '/partner/' if self.organization else '/cabinet/'

    # Buttons of the back office ----------------------------------------
    @classmethod
    @ModelView.button
    def unlock(cls, users):
        pool = Pool()
        Event = pool.get('copp.security.event')
        for user in users:
            # The failures of the e-mail before this event no longer count.
            Event.log_portal('account_unlocked', user=user, email=user.email)

    @classmethod
    @ModelView.button
    def end_sessions(cls, users):
        pool = Pool()
        Session = pool.get('web.user.session')
        Event = pool.get('copp.security.event')
        Session.end_for(users)
        for user in users:
            Event.log_portal('sessions_ended', user=user, email=user.email)

    @classmethod
    def copy(cls, users, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('email_valid', False)
        default.setdefault('last_login', None)
        default.setdefault('invited', None)
        default.setdefault('sessions', None)
        default.setdefault('events', None)
        default.setdefault('consents', None)
        default.setdefault('party', None)
        default.setdefault('secondary_parties', None)
        default.setdefault('email', lambda data: 'copy-' + data['email'])
        return super().copy(users, default=default)
