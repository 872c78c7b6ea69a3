"""A citizen signs up to the cabinet with an e-mail address (issue 16).

The form (signup_routes.py) gives the name, birth date, e-mail, password
and the consent to the cabinet's text; `sign_up()` then:

- for an address without an account: creates a new person (party.party:
  never one found by name — an e-mail proves no identity, and the person of
  a student file would open the student's records) and an inactive
  account (web.user, `email_valid` False) with the password (the portal's
  policy and history), records the consent with its text version and sends
  a single-use link (copp.portal.token of kind «signup», only its hash
  stored, valid `email_confirmation_hours`) through the outbox;
- for an address of an unconfirmed sign-up: the same account takes the new
  data and a new link (the previous one stops working);
- for an address of an account: nothing changes, the owner gets an e-mail
  («somebody signed up with your address: sign in or restore the
  password»).

The page answers the same in the three cases, after one password hash
each, so that neither the answer nor its time tells which addresses have
an account. Sign-ups are throttled like the logins: past
`ip_failed_logins` sign-ups from a network address in `lockout_minutes`
the next waits 1, 2, 4… seconds (counted from the security log), and an
address receives at most SIGNUP_MAILS_PER_HOUR e-mails of sign-up.

The link (`confirm_signup()`) activates the account, marks the e-mail
valid (web_user's `email_valid`) and signs in."""
import datetime as dt
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from copp.login_attempt import growing_delay
from copp_portal import mail
from copp_portal.token import token_validity
from copp_portal.user import normalize_email

SIGNUP_MAILS_PER_HOUR = 3
CONFIRM_PATH = '/cabinet/signup/confirm/'
PURPOSE = 'cabinet_account'
KINDS = [
    ('signup_confirmed', "Sign-up Confirmed"),
    ('signup_removed', "Unconfirmed Sign-up Removed"),
    ]


class SecurityEvent(metaclass=PoolMeta):
    __name__ = 'copp.security.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        known = {k for k, _ in cls.kind.selection}
        cls.kind.selection += [k for k in KINDS if k[0] not in known]


def full_name(values):
    return ' '.join(filter(None, [values.get('last_name'),
                values.get('first_name'), values.get('patronymic')]))


def signup_wait(ip_address, now=None):
    """Seconds before the next sign-up from `ip_address`: the login's
    growing delay over the sign-ups of that address"""
    pool = Pool()
    Configuration = pool.get('copp.portal.configuration')
    Event = pool.get('copp.security.event')
    if not ip_address:
        return 0
    settings = Configuration.settings()
    now = now or dt.datetime.now()
    cap = settings.lockout_minutes * 60
    domain = [
        ('channel', '=', 'portal'),
        ('kind', '=', 'signup'),
        ('ip_address', '=', ip_address),
        ('date', '>=', now - dt.timedelta(seconds=cap)),
        ]
    count = Event.search_count(domain)
    if count < settings.ip_failed_logins:
        return 0
    last, = Event.search(domain, order=[('date', 'DESC')], limit=1)
    return growing_delay(count, settings.ip_failed_logins, last.date, now,
        cap=cap)


def check_password(values):
    """Raise PortalPasswordError when the password breaks the portal's
    policy (checked against the e-mail and the name, as for the others)"""
    User = Pool().get('web.user')
    User.check_password_policy(values['password'], SimpleNamespace(
            id=None, email=values['email'], name=full_name(values)))


def _mails_sent(email, now):
    "Sign-up e-mails sent to `email` within the last hour"
    Event = Pool().get('copp.security.event')
    return Event.search_count([
            ('channel', '=', 'portal'),
            ('kind', '=', 'signup'),
            ('login', '=', email),
            ('details', 'in', ['new', 'again', 'exists']),
            ('date', '>=', now - dt.timedelta(hours=1)),
            ])


def _pending(email):
    "The unconfirmed sign-up of `email`, if any"
    pool = Pool()
    User = pool.get('web.user')
    Token = pool.get('copp.portal.token')
    users = User.search([
            ('email', '=', email),
            ('active', '=', False),
            ('email_valid', '=', False),
            ('last_login', '=', None),
            ], order=[('id', 'DESC')])
    for user in users:
        if Token.search([('user', '=', user.id), ('kind', '=', 'signup')],
                limit=1):
            return user
    return None


def _set_password(user, password):
    "The hash of the checked password and its history"
    pool = Pool()
    User = pool.get('web.user')
    History = pool.get('copp.password.history')
    password_hash = User.hash_password(password)
    User.write([user], {'password_hash': password_hash})
    History.remember(password_hash, portal_user=user)


def sign_up(portal, values, next_url=None):
    """Sign up the person of the form's `values` (e-mail, password,
    names, birth date); the answer is the same whatever the address"""
    pool = Pool()
    User = pool.get('web.user')
    Party = pool.get('party.party')
    Consent = pool.get('copp.portal.consent')
    email = normalize_email(values['email'])
    now = dt.datetime.now()
    name = full_name(values)
    with without_check_access():
        existing = User.search([('email', '=', email)], limit=1)
        if existing:
            user, = existing
            # The same work as a sign-up: one hash (no timing difference)
            User.hash_password(values['password'])
            if _mails_sent(email, now) < SIGNUP_MAILS_PER_HOUR:
                _send_exists(user)
                details = 'exists'
            else:
                details = 'throttled'
            portal.log('signup', user=user, email=email, details=details)
            return
        user = _pending(email)
        party_values = {
            'last_name': values['last_name'],
            'first_name': values['first_name'],
            'patronymic': values.get('patronymic'),
            'birth_date': values['birth_date'],
            }
        if user is None:
            party, = Party.create([dict(party_values, name=name,
                        contact_mechanisms=[('create', [
                                    {'type': 'email', 'value': email}])])])
            user, = User.create([{
                        'email': email,
                        'name': name,
                        'party': party.id,
                        'active': False,
                        'email_valid': False,
                        }])
            details = 'new'
        else:
            Party.write([user.party], party_values)
            User.write([user], {'name': name})
            details = 'again'
        _set_password(user, values['password'])
        Consent.give(user, PURPOSE, 'signup', ip_address=portal.remote_addr)
        if _mails_sent(email, now) < SIGNUP_MAILS_PER_HOUR:
            _send_confirmation(user, next_url)
        else:
            details = 'throttled'
        portal.log('signup', user=user, email=email, details=details)


def _send_confirmation(user, next_url=None):
    pool = Pool()
    Token = pool.get('copp.portal.token')
    validity = token_validity('signup')
    key = Token.issue(user, 'signup', validity, data=next_url)
    mail.send(user.email, gettext('copp_cabinet.msg_email_signup_subject'),
        'cabinet_signup', name=user.name, user=user, origin=user,
        link=mail.portal_url(CONFIRM_PATH + key),
        hours=int(validity.total_seconds() // 3600))


def _send_exists(user):
    mail.send(user.email, gettext(
            'copp_cabinet.msg_email_signup_exists_subject'),
        'cabinet_signup_exists', name=user.name, user=user, origin=user,
        login=mail.portal_url('/cabinet/login'),
        reset=mail.portal_url('/partner/password/forgot'))


def confirm_signup(portal, key):
    """Use the link `key`: (user, the page to go back to or None) with the
    account active and signed in, or (None, reason): 'invalid', 'used',
    'expired' or 'taken' (the address got an account meanwhile)"""
    pool = Pool()
    Token = pool.get('copp.portal.token')
    User = pool.get('web.user')
    token, reason = Token.consume(key, 'signup')
    if token is None:
        return None, reason
    user = token.user
    with without_check_access():
        if User.search([('email', '=', user.email),
                    ('id', '!=', user.id)], limit=1):
            return None, 'taken'
        User.write([user], {
                'active': True,
                'email_valid': True,
                'last_login': dt.datetime.now(),
                })
    user = User(user.id)
    portal.log('signup_confirmed', user=user, email=user.email)
    portal.login(user)
    portal.log('login', user=user, email=user.email, details='signup')
    return user, token.data
