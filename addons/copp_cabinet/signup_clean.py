"""Sign-ups never confirmed are removed (issue 16).

A citizen who signed up and never followed the link left an inactive
account, a person and a consent: personal data kept for no purpose (152-ФЗ
art. 5 p. 7: kept no longer than its purpose needs). A daily cron removes
such an account UNCONFIRMED_DAYS after it was made (its link has long
expired by then): the account with its consent, tokens and password
history (they cascade), and the person the sign-up created unless
something else has come to point at it meanwhile. The security log keeps
its rows (the account's link set to nothing) and records the removal."""
import datetime as dt

from trytond import backend
from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

UNCONFIRMED_DAYS = 7


def parties_in_use(party_ids):
    """The ids among `party_ids` that a record other than their own parts
    points at: any stored link to a person that does not go with it on
    deletion (RESTRICT or SET NULL) keeps the person. One query per link
    field of the pool, whatever the number of persons."""
    pool = Pool()
    used = set()
    if not party_ids:
        return used
    cursor = Transaction().connection.cursor()
    for _, Model in pool.iterobject():
        if (not issubclass(Model, ModelSQL) or Model._is_table_query()):
            continue
        table = Model.__table__()
        for name, field in Model._fields.items():
            if (field._type != 'many2one'
                    or field.model_name != 'party.party'
                    or isinstance(field, fields.Function)
                    or getattr(field, 'ondelete', None) == 'CASCADE'):
                continue
            column = getattr(table, name)
            for sub in grouped_slice(set(party_ids) - used,
                    backend.MAX_QUERY_PARAMS):
                cursor.execute(*table.select(column,
                        where=column.in_(list(sub)), group_by=[column]))
                used.update(r for r, in cursor)
    return used


class User(metaclass=PoolMeta):
    __name__ = 'web.user'

    @classmethod
    def clean_unconfirmed_signups(cls, now=None):
        """Cron: remove the accounts of sign-ups not confirmed within
        UNCONFIRMED_DAYS; returns the number removed"""
        pool = Pool()
        Event = pool.get('copp.security.event')
        Party = pool.get('party.party')
        now = now or dt.datetime.now()
        limit = now - dt.timedelta(days=UNCONFIRMED_DAYS)
        with without_check_access():
            users = cls.search([
                    ('active', '=', False),
                    ('email_valid', '=', False),
                    ('last_login', '=', None),
                    ('create_date', '<=', limit),
                    ])
            # Made by a sign-up (an invited account waits for its invitation)
            signed_up = {e.portal_user.id for e in Event.search([
                        ('kind', '=', 'signup'),
                        ('details', '=', 'new'),
                        ('portal_user', 'in', [u.id for u in users]),
                        ])}
            users = [u for u in users if u.id in signed_up]
            if not users:
                return 0
            parties = {u.party.id for u in users if u.party}
            for user in users:
                Event.log('signup_removed', login=user.email,
                    details=user.create_date.isoformat(' ', 'seconds'),
                    channel='portal')
            with Transaction().set_context(_copp_account_removal=True):
                cls.delete(users)
            unused = parties - parties_in_use(parties)
            Party.delete(Party.browse(sorted(unused)))
        return len(users)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(('web.user|clean_unconfirmed_signups',
                "Remove Unconfirmed Portal Sign-ups"))
