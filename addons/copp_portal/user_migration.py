"""The accounts of the former model copp.portal.user move to web.user once,
when copp_portal is updated with web_user among its dependencies.

Every account keeps its id, so that every row pointing at it — the security
log (its failed logins make the login delays), the password history, the
single-use links, the stage log of training orders, the survey answers —
stays valid; the e-mail, the password hash (the same password logs in),
the confirmation, the activity and the dates are copied, the consent date
becomes a consent of the version «1» of the partner text, the open
sessions are carried over (the key hash becomes web.user.session's key).
References written as text ('copp.portal.user,ID' in the outbox and the
security log) are rewritten. Then the old tables are dropped; the foreign
keys of the tables that pointed at them are added again, to web_user, when
their models are registered."""
import logging

from sql import Literal, Null, Table
from sql.functions import CurrentTimestamp, Substring
from sql.operators import Concat

from trytond import backend
from trytond.transaction import Transaction

logger = logging.getLogger(__name__)

OLD_USER = 'copp_portal_user'
OLD_SESSION = 'copp_portal_session'
# Text references to the old model: (table, column)
REFERENCES = [('copp_mail', 'origin'), ('copp_security_event', 'record')]
# SQLite has no foreign keys made by trytond (and no DROP … CASCADE).
CASCADE = backend.name != 'sqlite'


class MigrationError(Exception):
    pass


def _columns(table_name):
    "The columns of an old table"
    cursor = Transaction().connection.cursor()
    cursor.execute(*Table(table_name).select(limit=0))
    return {d[0] for d in cursor.description}


def migrate_portal_users(User):
    "Copy copp_portal_user into web_user (same ids) and drop it"
    transaction = Transaction()
    TableHandler = backend.TableHandler
    if not TableHandler.table_exist(OLD_USER):
        return
    cursor = transaction.connection.cursor()
    old = Table(OLD_USER)
    user = User.__table__()
    cursor.execute(*old.select(old.id))
    old_ids = {i for i, in cursor}
    cursor.execute(*user.select(user.id))
    clash = old_ids & {i for i, in cursor}
    if clash:
        raise MigrationError(
            "copp_portal: web_user already has rows with the ids of portal "
            f"accounts ({sorted(clash)[:10]}…); migrate them by hand")
    present = _columns(OLD_USER)
    names = [n for n in ['id', 'name', 'email', 'party', 'organization',
            'position', 'phone', 'email_valid', 'password_hash',
            'last_login', 'invited', 'active', 'create_uid', 'create_date',
            'write_uid', 'write_date'] if n in present]
    if old_ids:
        cursor.execute(*user.insert(
                [getattr(user, n) for n in names],
                old.select(*[getattr(old, n) for n in names])))
        transaction.database.setnextid(transaction.connection, User._table,
            max(old_ids) + 1)
    logger.info("copp_portal: %s portal accounts moved to web.user",
        len(old_ids))
    if 'consent_date' in present:
        _migrate_consents(old)
    _migrate_sessions()
    for table_name, column in REFERENCES:
        if not TableHandler.table_exist(table_name):
            continue
        table = Table(table_name)
        column = getattr(table, column)
        prefix = 'copp.portal.user,'
        cursor.execute(*table.update([column],
                [Concat('web.user,', Substring(column, len(prefix) + 1))],
                where=column.like(prefix + '%')))
    # Drop the old tables and the foreign keys pointing at them (they are
    # added again to web_user by the models that point at accounts).
    TableHandler.drop_table('copp.portal.user', OLD_USER, cascade=CASCADE)


def _migrate_consents(old):
    "The consent date of an account becomes a consent to text version 1"
    from trytond.pool import Pool
    pool = Pool()
    Consent = pool.get('copp.portal.consent')
    Text = pool.get('copp.portal.consent.text')
    cursor = Transaction().connection.cursor()
    text_id = Text.initial_version('partner_account')
    consent = Consent.__table__()
    cursor.execute(*consent.insert(
            [consent.user, consent.party, consent.text, consent.purpose,
                consent.version, consent.given, consent.channel,
                consent.create_uid, consent.create_date],
            old.select(old.id, old.party, Literal(text_id),
                Literal('partner_account'), Literal('1'), old.consent_date,
                Literal('invitation'), Literal(0), CurrentTimestamp(),
                where=old.consent_date != Null)))


def _migrate_sessions():
    "Open portal sessions go on as web.user.session (key = the key hash)"
    from trytond.pool import Pool
    TableHandler = backend.TableHandler
    if not TableHandler.table_exist(OLD_SESSION):
        return
    Session = Pool().get('web.user.session')
    cursor = Transaction().connection.cursor()
    old = Table(OLD_SESSION)
    session = Session.__table__()
    cursor.execute(*session.insert(
            [session.key, session.user, session.expires,
                session.last_activity, session.ip_address,
                session.user_agent, session.create_uid,
                session.create_date],
            old.select(old.key_hash, old.user, old.expires,
                old.last_activity, old.ip_address, old.user_agent,
                old.create_uid, old.create_date)))
    TableHandler.drop_table('copp.portal.session', OLD_SESSION, cascade=CASCADE)
