"""Role and rights changes go to the security log (ФСТЭК 21: РСБ.3): roles
granted and revoked, accounts created, switched on or off, and every change
of model access, field access, record rules, buttons, menus and groups.

Changes made by the server itself (user 0: module updates, `copp init`,
`copp demo`) are not logged; those of any user are.
"""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


def _by_user():
    return bool(Transaction().user)


class UserGroupLog(metaclass=PoolMeta):
    __name__ = 'res.user-res.group'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if not _by_user() or mode == 'write':
            return
        Event = Pool().get('copp.security.event')
        kind = 'role_granted' if mode == 'create' else 'role_revoked'
        for record in records:
            Event.log(kind, user=record.user, record=record.group,
                details=record.group.name)


class UserLog(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        if not _by_user():
            return
        Event = Pool().get('copp.security.event')
        if mode == 'create':
            for user in users:
                Event.log('account_created', user=user, login=user.login)
        elif mode == 'write' and field_names and 'active' in field_names:
            for user in users:
                Event.log('account_activated' if user.active
                    else 'account_deactivated', user=user, login=user.login)


class RightsLogMixin:
    "Any change of a record of the rights model is logged"
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if not _by_user():
            return
        Event = Pool().get('copp.security.event')
        details = mode
        if field_names:
            details += ': ' + ', '.join(sorted(field_names))
        for record in records:
            Event.log('rights_changed', record=record, details=details)


class ModelAccessLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.model.access'


class ModelFieldAccessLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.model.field.access'


class RuleGroupLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.rule.group'


class RuleLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.rule'


class ModelButtonGroupLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.model.button-res.group'


class MenuGroupLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'ir.ui.menu-res.group'


class GroupLog(RightsLogMixin, metaclass=PoolMeta):
    __name__ = 'res.group'
