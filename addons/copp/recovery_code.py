"""Recovery codes of the second factor: ten codes shown once when issued,
kept as hashes (Tryton's password hash), each accepted once instead of a
TOTP code (a lost phone). Never readable through RPC."""
import datetime as dt

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from . import totp


class RecoveryCode(ModelSQL):
    "Recovery Code"
    __name__ = 'copp.recovery_code'
    __string__ = "Recovery Code"

    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')
    code_hash = fields.Char("Code Hash", required=True, strip=False)
    used = fields.DateTime("Used")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.user, Index.Range())))

    @classmethod
    def issue(cls, user):
        "Replace the codes of `user` by new ones; return them in clear"
        User = Pool().get('res.user')
        user_id = getattr(user, 'id', user)
        codes = totp.new_recovery_codes()
        with without_check_access():
            cls.delete(cls.search([('user', '=', user_id)]))
            cls.create([{'user': user_id,
                        'code_hash': User.hash_password(totp.normalize(c))}
                    for c in codes])
        return codes

    @classmethod
    def use(cls, user, code):
        "Spend `code` of `user`: True when it was one of their unused codes"
        User = Pool().get('res.user')
        if not totp.looks_like_recovery_code(code):
            return False
        code = totp.normalize(code)
        with without_check_access():
            for record in cls.search([
                        ('user', '=', getattr(user, 'id', user)),
                        ('used', '=', None),
                        ]):
                valid, _ = User.check_password(code, record.code_hash)
                if valid:
                    record.used = dt.datetime.now()
                    record.save()
                    return True
        return False

    @classmethod
    def remaining(cls, user):
        with without_check_access():
            return cls.search_count([
                    ('user', '=', getattr(user, 'id', user)),
                    ('used', '=', None),
                    ])

    @classmethod
    def clear(cls, user):
        with without_check_access():
            cls.delete(cls.search([('user', '=', getattr(user, 'id', user))]))
