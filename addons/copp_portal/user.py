import datetime as dt
import re
import threading

from trytond import config
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import without_check_access

from . import mail
from .exceptions import (
    PortalInvitationError, PortalPasswordError, PortalUserValidationError)
from .token import token_validity

EMAIL_PATTERN = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$')
MIN_PASSWORD_LENGTH = 8
STATES = [
    ('new', "Not Invited"),
    ('invited', "Invited"),
    ('active', "Active"),
    ('locked', "Locked"),
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


class User(DeactivableMixin, ModelSQL, ModelView):
    """Portal User

    A person outside the back office (an employer's employee…) who logs in
    to the portals with an e-mail and a password. The password is hashed by
    Tryton's own mechanism (res.user.hash_password)."""
    __name__ = 'copp.portal.user'
    __string__ = "Portal User"

    name = fields.Char("Name", required=True)
    email = fields.Char("E-mail", required=True,
        help="The login of the user; invitations and password resets are "
        "sent to it.")
    party = fields.Many2One('party.party', "Person", ondelete='RESTRICT',
        help="The person's party (created from the name when empty).")
    organization = fields.Many2One('party.party', "Organization",
        ondelete='RESTRICT',
        help="The organization the user acts for on the portal.")
    position = fields.Char("Position")
    phone = fields.Char("Phone")
    email_valid = fields.Boolean("E-mail Confirmed", readonly=True)
    # Never read through RPC (ir.model.field.access); lazy, so that clients
    # reading a record do not ask for it.
    password_hash = fields.Char("Password Hash", readonly=True, strip=False,
        loading='lazy')
    has_password = fields.Function(fields.Boolean("Password Set"),
        'get_has_password')
    failed_logins = fields.Integer("Failed Logins", readonly=True)
    locked_until = fields.DateTime("Locked Until", readonly=True)
    last_login = fields.DateTime("Last Login", readonly=True)
    invited = fields.DateTime("Invited", readonly=True)
    consent_date = fields.DateTime("Consent to Personal Data Processing",
        readonly=True)
    state = fields.Function(fields.Selection(STATES, "State"), 'get_state')
    sessions = fields.One2Many('copp.portal.session', 'user', "Sessions",
        readonly=True)
    events = fields.One2Many('copp.portal.event', 'user', "Events",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('email_unique', Unique(t, t.email),
                'copp_portal.msg_user_email_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.organization, Index.Range())))
        cls._order = [('name', 'ASC'), ('id', 'ASC')]
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
                    'invisible': ~Eval('locked_until'),
                    'depends': ['locked_until'],
                    'icon': 'tryton-unlock',
                    },
                'end_sessions': {
                    'icon': 'tryton-cancel',
                    },
                })

    @classmethod
    def default_failed_logins(cls):
        return 0

    @classmethod
    def default_email_valid(cls):
        return False

    def get_rec_name(self, name):
        return f'{self.name} <{self.email}>'

    @classmethod
    def get_has_password(cls, users, name):
        "Whether a password is set, without reading the hash (root only)"
        with without_check_access():
            return {u.id: bool(u.password_hash) for u in cls.browse(users)}

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
    def get_state(cls, users, name):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        now = dt.datetime.now()
        invited = Token.pending(users, 'invitation', now)
        result = {}
        with without_check_access():
            hashes = {u.id: bool(u.password_hash) for u in cls.browse(users)}
        for user in users:
            if not user.active:
                state = 'disabled'
            elif user.locked_until and user.locked_until > now:
                state = 'locked'
            elif hashes[user.id]:
                state = 'active'
            elif user.id in invited:
                state = 'invited'
            else:
                state = 'new'
            result[user.id] = state
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Party = pool.get('party.party')
        values = super().preprocess_values(mode, values)
        if 'email' in values:
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
        return values

    @classmethod
    def validate_fields(cls, users, field_names):
        super().validate_fields(users, field_names)
        if field_names and 'email' not in field_names:
            return
        for user in users:
            if not valid_email(user.email):
                raise PortalUserValidationError(gettext(
                        'copp_portal.msg_user_email_invalid',
                        email=user.email))

    # Passwords ---------------------------------------------------------
    @classmethod
    def check_password_policy(cls, password, user=None):
        "Raise PortalPasswordError when `password` is too weak"
        pool = Pool()
        ResUser = pool.get('res.user')
        length = max(MIN_PASSWORD_LENGTH,
            config.getint('password', 'length', default=0))
        if not password or len(password) < length:
            raise PortalPasswordError(gettext(
                    'copp_portal.msg_password_length', length=length))
        if len(password) > 128:
            raise PortalPasswordError(gettext(
                    'copp_portal.msg_password_too_long'))
        if not (re.search(r'[^\W\d_]', password)
                and re.search(r'\d', password)):
            raise PortalPasswordError(gettext(
                    'copp_portal.msg_password_letters_digits'))
        if user is not None:
            for value in [user.email, user.name,
                    (user.email or '').split('@')[0]]:
                if value and password.lower() == value.lower():
                    raise PortalPasswordError(gettext(
                            'copp_portal.msg_password_personal'))
        # The forbidden list of the server ([password] forbidden).
        try:
            ResUser.validate_password(password, [])
        except Exception as exc:
            raise PortalPasswordError(getattr(exc, 'message', str(exc)))

    def set_password(self, password):
        "Check the policy, hash with Tryton's mechanism and unlock"
        pool = Pool()
        ResUser = pool.get('res.user')
        self.check_password_policy(password, self)
        self.password_hash = ResUser.hash_password(password)
        self.failed_logins = 0
        self.locked_until = None
        self.save()

    def check_password(self, password):
        pool = Pool()
        ResUser = pool.get('res.user')
        if not self.password_hash or not password:
            return False
        valid, new_hash = ResUser.check_password(password, self.password_hash)
        if valid and new_hash:
            self.password_hash = new_hash
            self.save()
        return valid

    @classmethod
    def authenticate(cls, email, password, ip_address=None, portal=None):
        """(user, None) when the credentials are right, else (None, reason):
        'invalid', 'locked' (too many failures: refused even with the right
        password until the lock ends) or 'address' (too many failures from
        the network address)"""
        pool = Pool()
        Configuration = pool.get('copp.portal.configuration')
        Event = pool.get('copp.portal.event')
        ResUser = pool.get('res.user')
        settings = Configuration.settings()
        now = dt.datetime.now()
        email = normalize_email(email)
        window = dt.timedelta(minutes=settings.lockout_minutes)

        def log(kind, user=None, details=None):
            if portal is not None:
                portal.log(kind, user=user, email=email, details=details)
            else:
                Event.log(kind, user=user, email=email, details=details,
                    ip_address=ip_address)

        if Event.count_failures(ip_address, now - window) >= (
                settings.ip_failed_logins):
            log('login_refused_ip')
            return None, 'address'
        users = cls.search([('email', '=', email)], limit=1) if (
            valid_email(email)) else []
        user = users[0] if users else None
        if user is None or not user.password_hash:
            ResUser.check_password(password or '', _dummy_password_hash())
            log('login_failed')
            return None, 'invalid'
        ok, reason = user.verify_password(password, log)
        if not ok:
            return None, reason
        user.last_login = now
        user.save()
        log('login', user=user)
        return user, None

    def verify_password(self, password, log):
        """Check the password of a known user, counting the failures:
        (True, None), or (False, 'invalid' | 'locked'). During a lock even
        the right password is refused."""
        pool = Pool()
        Configuration = pool.get('copp.portal.configuration')
        settings = Configuration.settings()
        now = dt.datetime.now()
        if self.locked_until and self.locked_until > now:
            log('login_locked', user=self)
            return False, 'locked'
        if not self.check_password(password):
            failed = (self.failed_logins or 0) + 1
            log('login_failed', user=self)
            if failed >= settings.max_failed_logins:
                self.failed_logins = 0
                self.locked_until = now + dt.timedelta(
                    minutes=settings.lockout_minutes)
                self.save()
                log('account_locked', user=self, details=(
                        f"{failed} / {settings.lockout_minutes} min"))
                return False, 'locked'
            self.failed_logins = failed
            self.save()
            return False, 'invalid'
        if self.failed_logins or self.locked_until:
            self.failed_logins = 0
            self.locked_until = None
            self.save()
        return True, None

    # Links sent by e-mail ----------------------------------------------
    def send_invitation(self):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        Event = pool.get('copp.portal.event')
        key = Token.issue(self, 'invitation', token_validity('invitation'))
        link = mail.portal_url(f'/partner/invitation/{key}')
        validity = token_validity('invitation')
        mail.send(self.email, gettext(
                'copp_portal.msg_email_invitation_subject'),
            'invitation', name=self.name, user=self, link=link,
            hours=int(validity.total_seconds() // 3600))
        self.invited = dt.datetime.now()
        self.save()
        Event.log('invitation_sent', user=self)
        return key

    def send_password_reset(self):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        key = Token.issue(self, 'reset', token_validity('reset'))
        link = mail.portal_url(f'/partner/password/reset/{key}')
        validity = token_validity('reset')
        mail.send(self.email, gettext('copp_portal.msg_email_reset_subject'),
            'password_reset', name=self.name, user=self, link=link,
            minutes=int(validity.total_seconds() // 60))
        return key

    def send_email_confirmation(self, new_email):
        pool = Pool()
        Token = pool.get('copp.portal.token')
        key = Token.issue(self, 'email', token_validity('email'),
            data=new_email)
        link = mail.portal_url(f'/partner/email/confirm/{key}')
        validity = token_validity('email')
        mail.send(new_email, gettext(
                'copp_portal.msg_email_confirm_subject'),
            'email_confirm', name=self.name, user=self, link=link,
            new_email=new_email, hours=int(validity.total_seconds() // 3600))
        return key

    # Buttons of the back office ----------------------------------------
    @classmethod
    @ModelView.button
    def invite(cls, users):
        for user in users:
            if user.has_password:
                raise PortalInvitationError(gettext(
                        'copp_portal.msg_user_already_active',
                        user=user.rec_name))
            user.send_invitation()

    @classmethod
    @ModelView.button
    def send_reset(cls, users):
        pool = Pool()
        Event = pool.get('copp.portal.event')
        for user in users:
            user.send_password_reset()
            Event.log('password_reset_requested', user=user)

    @classmethod
    @ModelView.button
    def unlock(cls, users):
        pool = Pool()
        Event = pool.get('copp.portal.event')
        cls.write(users, {'failed_logins': 0, 'locked_until': None})
        for user in users:
            Event.log('account_unlocked', user=user)

    @classmethod
    @ModelView.button
    def end_sessions(cls, users):
        pool = Pool()
        Session = pool.get('copp.portal.session')
        Event = pool.get('copp.portal.event')
        Session.end_for(users)
        for user in users:
            Event.log('sessions_ended', user=user)

    @classmethod
    def copy(cls, users, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('password_hash', None)
        default.setdefault('email_valid', False)
        default.setdefault('failed_logins', 0)
        default.setdefault('locked_until', None)
        default.setdefault('last_login', None)
        default.setdefault('invited', None)
        default.setdefault('consent_date', None)
        default.setdefault('sessions', None)
        default.setdefault('events', None)
        default.setdefault('party', None)
        # The e-mail is unique.
        default.setdefault('email', lambda data: 'copy-' + data['email'])
        return super().copy(users, default=default)
