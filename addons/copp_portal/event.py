import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import PortalEventModificationError

KINDS = [
    ('login', "Login"),
    ('login_failed', "Failed Login"),
    ('login_locked', "Login Refused: Account Locked"),
    ('login_refused_ip', "Login Refused: Too Many Failures from Address"),
    ('account_locked', "Account Locked"),
    ('account_unlocked', "Account Unlocked"),
    ('logout', "Logout"),
    ('sessions_ended', "Sessions Ended"),
    ('invitation_sent', "Invitation Sent"),
    ('invitation_accepted', "Invitation Accepted"),
    ('password_reset_requested', "Password Reset Requested"),
    ('password_reset', "Password Reset"),
    ('password_changed', "Password Changed"),
    ('email_change_requested', "E-mail Change Requested"),
    ('email_changed', "E-mail Changed"),
    ('profile_changed', "Profile Changed"),
    ('csrf_failure', "Form Refused: Invalid Token"),
    ('record_created', "Record Created"),
    ('record_changed', "Record Changed"),
    ('record_deleted', "Record Deleted"),
    ('state_changed', "State Changed"),
    ]


class Event(ModelSQL, ModelView):
    """Portal Security Event

    The append-only log of what happens on the portals: logins (successful
    or not), logouts, password and e-mail changes, and the changes portal
    users make to records — who, when, what, from which address."""
    __name__ = 'copp.portal.event'
    __string__ = "Portal Security Event"

    date = fields.DateTime("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True,
        sort=False)
    user = fields.Many2One('copp.portal.user', "Portal User",
        ondelete='SET NULL', readonly=True)
    staff = fields.Many2One('res.user', "Staff Member", ondelete='SET NULL',
        readonly=True, help="The back-office user who did it.")
    email = fields.Char("E-mail", readonly=True,
        help="The address given at login.")
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
                Index(t, (t.ip_address, Index.Equality()),
                    (t.kind, Index.Equality(cardinality='low')),
                    (t.date, Index.Range())),
                })

    @classmethod
    def default_date(cls):
        return dt.datetime.now()

    @classmethod
    def get_models(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        return [(None, '')] + Model.get_name_items()

    @classmethod
    def log(cls, kind, user=None, email=None, record=None, details=None,
            ip_address=None, user_agent=None):
        transaction = Transaction()
        request = transaction.context.get('_request') or {}
        staff = transaction.user if transaction.user else None
        event = cls(kind=kind, date=dt.datetime.now(),
            user=user.id if user else None,
            staff=staff,
            email=(email or '')[:254] or None,
            ip_address=ip_address or request.get('remote_addr'),
            user_agent=(user_agent or '')[:250] or None,
            record=str(record) if record else None,
            details=(details or '')[:500] or None)
        event.save()
        return event

    @classmethod
    def count_failures(cls, ip_address, since):
        "Failed logins from `ip_address` since the datetime `since`"
        if not ip_address:
            return 0
        return cls.search_count([
                ('ip_address', '=', ip_address),
                ('kind', '=', 'login_failed'),
                ('date', '>=', since),
                ])

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            raise PortalEventModificationError(
                gettext('copp_portal.msg_event_readonly'))
