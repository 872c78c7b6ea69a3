"""The hashes of the last passwords of each account: a new password may not
be one of the last five (ФСТЭК 21: ИАФ.4). Never readable through RPC."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from .exceptions import PasswordPolicyError
from .password_policy import HISTORY


class PasswordHistory(ModelSQL):
    "Password History"
    __name__ = 'copp.password.history'
    __string__ = "Password History"

    user = fields.Many2One('res.user', "User", ondelete='CASCADE')
    password_hash = fields.Char("Password Hash", required=True, strip=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.user, Index.Range())))

    @classmethod
    def _owner_domain(cls, **owner):
        "The domain of an account's rows: user=… (or portal_user=…)"
        (name, value), = owner.items()
        return [(name, '=', getattr(value, 'id', value))]

    @classmethod
    def check_reuse(cls, password, current_hash=None, **owner):
        "Refuse `password` when it is the current one or one of the last"
        User = Pool().get('res.user')
        with without_check_access():
            hashes = [h.password_hash for h in cls.search(
                    cls._owner_domain(**owner), limit=HISTORY)]
        # The current password is one of the last five (an account set up
        # before the history has it only there).
        if current_hash and current_hash not in hashes:
            hashes = [current_hash] + hashes[:HISTORY - 1]
        for hash_ in hashes:
            valid, _ = User.check_password(password, hash_)
            if valid:
                raise PasswordPolicyError(gettext(
                        'copp.msg_password_reused', count=HISTORY))

    @classmethod
    def remember(cls, password_hash, **owner):
        "Keep the hash of the new password and forget the older ones"
        if not password_hash:
            return
        (name, value), = owner.items()
        with without_check_access():
            cls.create([{name: getattr(value, 'id', value),
                        'password_hash': password_hash}])
            old = cls.search(cls._owner_domain(**owner), offset=HISTORY)
            if old:
                cls.delete(old)
