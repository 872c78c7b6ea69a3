"""The TOTP secret of an account, beside res.user rather than in it: nobody
reads, searches or writes it through RPC (no model access at all), so that
neither a read nor a search domain can reveal it; the login and the set-up
read and write it as the server."""
from trytond.model import ModelSQL, Unique, fields


class TotpSecret(ModelSQL):
    "TOTP Secret"
    __name__ = 'copp.totp.secret'
    __string__ = "TOTP Secret"

    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')
    secret = fields.Char("Secret", strip=False,
        help="Base32; empty until the set-up is confirmed by a code.")
    pending = fields.Char("Secret Being Set Up", strip=False)
    pending_date = fields.Timestamp("Set-Up Started")
    last_step = fields.Integer("Last Time Step",
        help="The time step of the last code accepted: a code is used once.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('user_unique', Unique(t, t.user), 'copp.msg_totp_user_unique'),
            ]
