"""The last passwords of portal accounts too (copp.password.history): a
new password may not be one of the last five."""
from trytond.model import Index, fields
from trytond.pool import PoolMeta


class PasswordHistory(metaclass=PoolMeta):
    __name__ = 'copp.password.history'

    portal_user = fields.Many2One('web.user', "Portal User",
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.portal_user, Index.Range())))
