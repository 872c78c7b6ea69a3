"""The events of the portals go to the one security log of the suite
(copp.security.event, append-only): logins (successful or not), logouts,
password and e-mail changes, and the changes portal users make to records —
who, when, what, from which address. Here the log gains the portal account
and the portals' kinds, and counts the failed logins of the portals."""
from sql.aggregate import Count, Max
from sql.conditionals import Coalesce

from trytond import backend
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction

PORTAL_KINDS = [
    ('account_unlocked', "Login Limit Lifted"),
    ('sessions_ended', "Sessions Ended"),
    ('invitation_sent', "Invitation Sent"),
    ('invitation_accepted', "Invitation Accepted"),
    ('password_reset_requested', "Password Reset Requested"),
    ('password_reset', "Password Reset"),
    ('email_change_requested', "E-mail Change Requested"),
    ('email_changed', "E-mail Changed"),
    ('profile_changed', "Profile Changed"),
    ('consent_given', "Consent Given"),
    ('consent_withdrawn', "Consent Withdrawn"),
    ('signup', "Account Signed Up"),
    ('identity_linked', "External Identity Linked"),
    ('csrf_failure', "Form Refused: Invalid Token"),
    ('record_created', "Record Created"),
    ('record_changed', "Record Changed"),
    ('record_deleted', "Record Deleted"),
    ('state_changed', "State Changed"),
    ]
# After one of these an e-mail starts counting its failures anew (after a
# login, only from the address of that login).
RESET_KINDS = ['account_unlocked', 'password_reset', 'invitation_accepted']


class SecurityEvent(metaclass=PoolMeta):
    __name__ = 'copp.security.event'

    portal_user = fields.Many2One('web.user', "Portal User",
        ondelete='SET NULL', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        known = {k for k, _ in cls.kind.selection}
        cls.kind.selection += [k for k in PORTAL_KINDS if k[0] not in known]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls._migrate_portal_events()

    @classmethod
    def _migrate_portal_events(cls):
        "The rows of the former log copp.portal.event move here once"
        transaction = Transaction()
        table_h = backend.TableHandler
        if not table_h.table_exist('copp_portal_event'):
            return
        from sql import Literal, Table
        old = Table('copp_portal_event')
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        cursor.execute(*table.insert(
                [table.date, table.kind, table.channel, table.portal_user,
                    table.actor, table.login, table.ip_address,
                    table.user_agent, table.record, table.details,
                    table.create_uid, table.create_date],
                old.select(old.date, old.kind, Literal('portal'), old.user,
                    old.staff, old.email, old.ip_address, old.user_agent,
                    old.record, old.details, old.create_uid,
                    old.create_date)))
        table_h.drop_table('copp.portal.event', 'copp_portal_event')

    @classmethod
    def export_fields(cls):
        names = super().export_fields()
        names.insert(names.index('user') + 1, 'portal_user')
        return names

    @classmethod
    def _unlink_fields(cls):
        return super()._unlink_fields() | {'portal_user'}

    @classmethod
    def log_portal(cls, kind, user=None, email=None, record=None,
            details=None, ip_address=None, user_agent=None):
        "An event of the portals; `user` is the portal account"
        cls.log(kind, login=email, record=record, details=details,
            ip_address=ip_address, user_agent=user_agent,
            portal_user=user, channel='portal')

    @classmethod
    def portal_failures(cls, since, email=None, ip_address=None):
        """(count, date of the last) of the failed portal logins since
        `since` of `email` from `ip_address` (either may be None: any); for
        an e-mail, only those after its last success, unlock or reset"""
        table = cls.__table__()
        where = ((table.channel == 'portal')
            & (table.kind == 'login_failed')
            & (table.date >= since))
        if email is not None:
            where &= table.login == email
            reset = table.kind.in_(RESET_KINDS)
            if ip_address is not None:
                reset |= ((table.kind == 'login')
                    & (table.ip_address == ip_address))
            last = cls._select_one(table.select(
                    Max(table.date).as_('last'),
                    where=(table.channel == 'portal')
                    & (table.login == email) & reset), ['DATETIME'])[0]
            if last and last > since:
                where &= table.date > last
        if ip_address is not None:
            where &= table.ip_address == ip_address
        return cls._select_one(table.select(Count(table.id).as_('count'),
                Max(table.date).as_('last'), where=where),
            [None, 'DATETIME'])

    @classmethod
    def portal_failures_by_email(cls, since, emails):
        """{e-mail: failed portal logins since `since` and after its last
        success, unlock or reset} in one query"""
        if not emails:
            return {}
        table = cls.__table__()
        reset = cls.__table__()
        last_reset = reset.select(Max(reset.date),
            where=(reset.channel == 'portal')
            & (reset.login == table.login)
            & reset.kind.in_(RESET_KINDS + ['login']))
        query = table.select(table.login, Count(table.id),
            where=(table.channel == 'portal')
            & (table.kind == 'login_failed')
            & (table.date >= since)
            & table.login.in_(list(set(emails)))
            & (table.date > Coalesce(last_reset, since)),
            group_by=[table.login])
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return dict(cursor)

    @classmethod
    def _select_one(cls, query, types):
        if backend.name == 'sqlite':
            sqlite_apply_types(query, types)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        return cursor.fetchone()
