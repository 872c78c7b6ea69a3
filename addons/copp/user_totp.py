"""The TOTP second factor of back-office accounts (ФСТЭК 21: ИАФ.1).

Required for the roles that read the personal data of more than one college
(`[copp] totp_required_groups`, by default the ministry, the ЦОПП and the
administrators), possible for everybody. The secret is set up in the
preferences (wizard copp.totp.setup, QR code) or, for a required account
that has none yet, at its first login (the login dialog gives the key).
The secrets live in copp.totp.secret, which no RPC call reads, searches or
writes; the login and the set-up use them in SQL.
"""
from collections import namedtuple

from sql import Null
from sql.functions import CurrentTimestamp

from trytond import backend, config
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction

REQUIRED_GROUPS = 'copp.group_ministry,copp.group_copp,res.group_admin'
TotpState = namedtuple('TotpState',
    ['secret', 'pending', 'pending_date', 'last_step'])


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    totp_enabled = fields.Function(fields.Boolean(
            "Two-Factor Authentication",
            help="The login asks for a code of an authenticator app."),
        'get_totp')
    totp_required = fields.Function(fields.Boolean(
            "Two-Factor Authentication Required",
            help="The roles of the account read the personal data of more "
            "than one college: the second factor is compulsory."),
        'get_totp')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._preferences_fields += ['totp_enabled', 'totp_required']
        cls._buttons.update({
                'totp_setup': {
                    'icon': 'tryton-launch',
                    },
                'totp_reset': {
                    'invisible': ~Eval('totp_enabled', False),
                    'depends': ['totp_enabled'],
                    'icon': 'tryton-clear',
                    },
                })

    @classmethod
    def get_totp(cls, users, names):
        result = {n: {} for n in names}
        enabled = cls._totp_enabled_ids([u.id for u in users])
        for user in users:
            if 'totp_enabled' in names:
                result['totp_enabled'][user.id] = user.id in enabled
            if 'totp_required' in names:
                result['totp_required'][user.id] = cls.totp_required_for(
                    user.id)
        return result

    # The secret (copp.totp.secret), read and written in SQL -------------
    @classmethod
    def _totp_enabled_ids(cls, user_ids):
        table = Pool().get('copp.totp.secret').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.user,
                where=table.user.in_(user_ids or [-1])
                & (table.secret != Null)))
        return {u for u, in cursor}

    @classmethod
    def totp_state(cls, user_id):
        table = Pool().get('copp.totp.secret').__table__()
        cursor = Transaction().connection.cursor()
        query = table.select(table.secret, table.pending,
            table.pending_date.as_('pending_date'), table.last_step,
            where=table.user == user_id)
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, None, 'DATETIME', None])
        cursor.execute(*query)
        row = cursor.fetchone()
        return TotpState(*row) if row else TotpState(None, None, None, None)

    @classmethod
    def totp_write(cls, user_id, **values):
        """Set columns of the account's secret (secret, pending,
        pending_date, last_step), creating its row when missing"""
        table = Pool().get('copp.totp.secret').__table__()
        cursor = Transaction().connection.cursor()
        names = list(values)
        cursor.execute(*table.select(table.id, where=table.user == user_id))
        if cursor.fetchone():
            cursor.execute(*table.update(
                    [getattr(table, n) for n in names]
                    + [table.write_date, table.write_uid],
                    [values[n] for n in names]
                    + [CurrentTimestamp(), Transaction().user],
                    where=table.user == user_id))
        else:
            cursor.execute(*table.insert(
                    [table.user, table.create_date, table.create_uid]
                    + [getattr(table, n) for n in names],
                    [[user_id, CurrentTimestamp(), Transaction().user]
                        + [values[n] for n in names]]))

    @classmethod
    def totp_required_group_ids(cls):
        ModelData = Pool().get('ir.model.data')
        ids = set()
        value = config.get('copp', 'totp_required_groups',
            default=REQUIRED_GROUPS)
        for fs_id in (value or '').split(','):
            module, _, name = fs_id.strip().partition('.')
            if module and name:
                try:
                    ids.add(ModelData.get_id(module, name))
                except KeyError:
                    pass
        return ids

    @classmethod
    def totp_required_for(cls, user_id):
        "Whether the roles of `user_id` make the second factor compulsory"
        required = cls.totp_required_group_ids()
        if not required:
            return False
        with Transaction().set_user(user_id):
            groups = cls.get_groups()
        return bool(required & set(groups))

    # Buttons -------------------------------------------------------------
    @classmethod
    @ModelView.button_action('copp.wizard_totp_setup')
    def totp_setup(cls, users):
        "Open the set-up of one's own second factor"
        pass

    @classmethod
    @ModelView.button
    def totp_reset(cls, users):
        """Remove the second factor of the users (a lost phone without
        recovery codes): a required account sets a new one at its next
        login"""
        pool = Pool()
        RecoveryCode = pool.get('copp.recovery_code')
        Event = pool.get('copp.security.event')
        Session = pool.get('ir.session')
        for user in users:
            cls.totp_write(user.id, secret=None, pending=None,
                pending_date=None, last_step=None)
            RecoveryCode.clear(user)
            Event.log('totp_reset', user=user)
        Session.clear([u.id for u in users])

