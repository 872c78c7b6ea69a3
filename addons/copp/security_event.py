"""The security events log (ФСТЭК 21: РСБ): logins and their failures,
throttled logins, sessions ended by timeout, password changes, second-factor
enrolment, role and rights changes, exports and personal-data reports of the
back office, and (with copp_portal) every event of the portals.

Append-only: events are inserted in SQL by `SecurityEvent.log` and nobody
writes or deletes them, not even the administrator (check_modification).
"""
import datetime as dt

from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import SecurityEventModificationError

KINDS = [
    ('login', "Login"),
    ('login_failed', "Failed Login"),
    ('login_throttled', "Login Refused: Too Many Failures"),
    ('second_factor_failed', "Wrong Second-Factor Code"),
    ('second_factor_missing', "Login Refused: No Second Factor"),
    ('recovery_code_used', "Recovery Code Used"),
    ('logout', "Logout"),
    ('session_expired', "Session Expired"),
    ('password_changed', "Password Changed"),
    ('totp_enrolled', "Two-Factor Authentication Enabled"),
    ('totp_reset', "Two-Factor Authentication Reset"),
    ('recovery_codes_issued', "Recovery Codes Issued"),
    ('account_created', "Account Created"),
    ('account_activated', "Account Activated"),
    ('account_deactivated', "Account Deactivated"),
    ('role_granted', "Role Granted"),
    ('role_revoked', "Role Revoked"),
    ('rights_changed', "Access Rights Changed"),
    ('export', "Data Export"),
    ('personal_data_report', "Personal Data Report"),
    ]
CHANNELS = [
    ('back_office', "Back Office"),
    ('portal', "Portal"),
    ]
# The kinds of the filter «Входы» of the list.
LOGIN_KINDS = ['login', 'login_failed', 'login_throttled',
    'second_factor_failed', 'second_factor_missing', 'recovery_code_used',
    'logout', 'session_expired']


class SecurityEvent(ModelSQL, ModelView):
    """Security Event

    One line of the append-only security log: what happened, to which
    account, done by whom, from which address."""
    __name__ = 'copp.security.event'
    __string__ = "Security Event"

    date = fields.DateTime("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Event", required=True, readonly=True,
        sort=False)
    channel = fields.Selection(CHANNELS, "Channel", required=True,
        readonly=True, help="Where it happened: the back office or a portal.")
    user = fields.Many2One('res.user', "Account", readonly=True,
        ondelete='SET NULL',
        help="The back-office account the event is about.")
    actor = fields.Many2One('res.user', "Done By", readonly=True,
        ondelete='SET NULL',
        help="The back-office user who did it, when it is not the account "
        "itself (an administrator changing roles…).")
    login = fields.Char("Login", readonly=True,
        help="The login or e-mail address given.")
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("Browser", readonly=True)
    record = fields.Reference("Record", selection='get_models',
        readonly=True)
    details = fields.Char("Details", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.date, Index.Range(order='DESC'))),
                Index(t, (t.user, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.login, Index.Equality()),
                    (t.kind, Index.Equality(cardinality='low')),
                    (t.date, Index.Range())),
                Index(t, (t.ip_address, Index.Equality()),
                    (t.kind, Index.Equality(cardinality='low')),
                    (t.date, Index.Range())),
                })

    @classmethod
    def default_date(cls):
        # Whole seconds: the client shows seconds and would take a stored
        # fraction for a change of the (read-only) record
        return dt.datetime.now().replace(microsecond=0)

    @classmethod
    def default_channel(cls):
        return 'back_office'

    @classmethod
    def get_models(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        return [(None, '')] + Model.get_name_items()

    @classmethod
    def log(cls, kind, user=None, login=None, record=None, details=None,
            ip_address=None, user_agent=None, actor=None, **values):
        """Append an event. `user` (the account concerned) and `actor`
        are ids or records; the actor defaults to the transaction's user
        when it is not `user`; the address to the request's. Other columns
        of extensions (copp_portal's portal_user) are given by keyword.

        The event is written even when the transaction is read-only (in a
        transaction of its own, committed at once)."""
        transaction = Transaction()
        request = transaction.context.get('_request') or {}
        user = getattr(user, 'id', user)
        if actor is None and transaction.user:
            actor = transaction.user
        actor = getattr(actor, 'id', actor)
        if actor == user:
            actor = None
        columns = {
            'date': dt.datetime.now().replace(microsecond=0),
            'kind': kind,
            'channel': 'back_office',
            'user': user,
            'actor': actor,
            'login': (login or '')[:254] or None,
            'ip_address': ip_address or request.get('remote_addr'),
            'user_agent': (user_agent or '')[:250] or None,
            'record': str(record) if record else None,
            'details': (details or '')[:500] or None,
            }
        for name, value in values.items():
            columns[name] = getattr(value, 'id', value)
        if transaction.readonly:
            with transaction.new_transaction() as log_transaction:
                cls._insert(log_transaction, columns)
        else:
            cls._insert(transaction, columns)

    @classmethod
    def _insert(cls, transaction, columns):
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        names = list(columns)
        cursor.execute(*table.insert(
                [getattr(table, n) for n in names]
                + [table.create_uid, table.create_date],
                [[columns[n] for n in names]
                    + [transaction.user, CurrentTimestamp()]]))

    @classmethod
    def export_fields(cls):
        "The columns of the xlsx export (extensions add theirs)"
        return ['date', 'kind', 'channel', 'user', 'actor', 'login',
            'ip_address', 'user_agent', 'record', 'details']

    @classmethod
    def _unlink_fields(cls):
        "Links emptied when the account they point to is deleted"
        return {'user', 'actor'}

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode == 'write' and not external and values and (
                values.keys() <= cls._unlink_fields()
                and not any(values.values())):
            return
        if mode in {'write', 'delete'} or (mode == 'create' and external):
            raise SecurityEventModificationError(
                gettext('copp.msg_security_event_readonly'))
