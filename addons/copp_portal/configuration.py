import secrets
from collections import namedtuple

from sql.functions import CurrentTimestamp

from trytond.cache import Cache
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

DEFAULTS = {
    'max_failed_logins': 5,
    'lockout_minutes': 15,
    'ip_failed_logins': 50,
    'session_idle_minutes': 60,
    'session_hours': 12,
    'invitation_hours': 72,
    'reset_minutes': 60,
    'email_confirmation_hours': 24,
    }
CONTACTS = ['contact_organization', 'contact_address', 'contact_phone',
    'contact_email']
Settings = namedtuple('Settings', list(DEFAULTS) + [
        'portal_url', 'email_from'] + CONTACTS)


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Portal Configuration"
    __name__ = 'copp.portal.configuration'
    __string__ = "Portal Configuration"

    portal_url = fields.Char("Portal URL",
        help="The address of the portal used in the links of e-mails, "
        "tickets and QR codes, e.g. https://copp62.ru. Empty: [copp] "
        "portal_url of the server configuration (never the address a "
        "request names).")
    email_from = fields.Char("Sender",
        help="The From address of the portal's e-mails. "
        "Empty: [email] from of the server configuration.")
    contact_organization = fields.Char("Organization",
        help="The operator of the portal as its pages name it.")
    contact_address = fields.Char("Address")
    contact_phone = fields.Char("Phone")
    contact_email = fields.Char("E-mail",
        help="Where visitors write, also about their personal data.")
    max_failed_logins = fields.Integer("Failed Logins Before a Delay",
        required=True, domain=[('max_failed_logins', '>', 0)],
        help="Failed logins of one e-mail address from one network address "
        "after which each next attempt from there waits 1, 2, 4… seconds.")
    lockout_minutes = fields.Integer("Longest Delay (Minutes)",
        required=True, domain=[('lockout_minutes', '>', 0)],
        help="The longest wait between two attempts; older failures are "
        "forgotten.")
    ip_failed_logins = fields.Integer("Failed Logins per Address",
        required=True, domain=[('ip_failed_logins', '>', 0)],
        help="Failed logins from one network address, whatever the e-mail, "
        "after which the attempts from that address wait as well.")
    session_idle_minutes = fields.Integer("Session Idle Timeout (Minutes)",
        required=True, domain=[('session_idle_minutes', '>', 0)])
    session_hours = fields.Integer("Session Lifetime (Hours)",
        required=True, domain=[('session_hours', '>', 0)])
    invitation_hours = fields.Integer("Invitation Validity (Hours)",
        required=True, domain=[('invitation_hours', '>', 0)])
    reset_minutes = fields.Integer("Password Reset Validity (Minutes)",
        required=True, domain=[('reset_minutes', '>', 0)])
    email_confirmation_hours = fields.Integer(
        "E-mail Confirmation Validity (Hours)",
        required=True, domain=[('email_confirmation_hours', '>', 0)])
    # The key of CSRF tokens and signed cookies; never shown.
    secret = fields.Char("Secret", readonly=True, loading='lazy')

    # settings() of every request (the session's idle timeout): kept per
    # process, cleared when the configuration changes (the other processes
    # follow through trytond's cache synchronisation).
    _settings_cache = Cache('copp.portal.configuration.settings',
        context=False)

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, table.secret, limit=1))
        row = cursor.fetchone()
        secret = secrets.token_urlsafe(48)
        if not row:
            columns = [table.secret, table.create_uid, table.create_date]
            values = [secret, 0, CurrentTimestamp()]
            for name, value in DEFAULTS.items():
                columns.append(getattr(table, name))
                values.append(value)
            cursor.execute(*table.insert(columns, [values]))
        elif not row[1]:
            cursor.execute(*table.update(
                    [table.secret], [secret], where=table.id == row[0]))

    @classmethod
    def get_secret(cls):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.secret, where=table.secret != None,
                limit=1))
        row = cursor.fetchone()
        if not row:
            raise RuntimeError("copp_portal: no secret, update the module")
        return row[0]

    @classmethod
    def create(cls, vlist):
        records = super().create(vlist)
        cls._settings_cache.clear()
        return records

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._settings_cache.clear()

    @classmethod
    def delete(cls, records):
        super().delete(records)
        cls._settings_cache.clear()

    @classmethod
    def settings(cls):
        "The configuration with defaults for empty values (cached)"
        values = cls._settings_cache.get(None)
        if values is None:
            values = cls._settings()._asdict()
            cls._settings_cache.set(None, values)
        return Settings(**values)

    @classmethod
    def _settings(cls):
        config = cls(1)
        values = {name: getattr(config, name, None) or default
            for name, default in DEFAULTS.items()}
        values['portal_url'] = (config.portal_url or '').rstrip('/') or None
        values['email_from'] = config.email_from or None
        for name in CONTACTS:
            values[name] = getattr(config, name, None) or None
        return Settings(**values)

    @classmethod
    def default_max_failed_logins(cls):
        return DEFAULTS['max_failed_logins']

    @classmethod
    def default_lockout_minutes(cls):
        return DEFAULTS['lockout_minutes']

    @classmethod
    def default_ip_failed_logins(cls):
        return DEFAULTS['ip_failed_logins']

    @classmethod
    def default_session_idle_minutes(cls):
        return DEFAULTS['session_idle_minutes']

    @classmethod
    def default_session_hours(cls):
        return DEFAULTS['session_hours']

    @classmethod
    def default_invitation_hours(cls):
        return DEFAULTS['invitation_hours']

    @classmethod
    def default_reset_minutes(cls):
        return DEFAULTS['reset_minutes']

    @classmethod
    def default_email_confirmation_hours(cls):
        return DEFAULTS['email_confirmation_hours']
