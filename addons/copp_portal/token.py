import datetime as dt
import secrets

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool

from .portal import hash_key

KINDS = [
    ('invitation', "Invitation"),
    ('reset', "Password Reset"),
    ('email', "E-mail Confirmation"),
    ('signup', "New Account Confirmation"),
    ]


class Token(ModelSQL):
    """Portal Token

    A single-use, expiring link sent by e-mail. Only the hash of the random
    key is stored; the key itself exists only in the e-mail."""
    __name__ = 'copp.portal.token'
    __string__ = "Portal Token"

    user = fields.Many2One('web.user', "User", required=True,
        ondelete='CASCADE')
    kind = fields.Selection(KINDS, "Kind", required=True)
    token_hash = fields.Char("Token Hash", required=True, strip=False)
    expires = fields.DateTime("Expires", required=True)
    used = fields.DateTime("Used")
    data = fields.Char("Data", help="The new e-mail address to confirm.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.token_hash, Index.Equality(cardinality='high'))))

    @classmethod
    def issue(cls, user, kind, validity, data=None):
        """A new token of `kind` for `user`, valid for `validity` (timedelta).
        The previous unused tokens of that kind stop working."""
        now = dt.datetime.now()
        cls.delete(cls.search([
                    ('user', '=', user.id),
                    ('kind', '=', kind),
                    ('used', '=', None),
                    ]))
        key = secrets.token_urlsafe(32)
        token = cls(user=user, kind=kind, token_hash=hash_key(key),
            expires=now + validity, data=data)
        token.save()
        return key

    @classmethod
    def check(cls, key, kind, now=None):
        """(token, None) when `key` is a valid token of `kind`, else
        (None, reason) with reason 'invalid', 'used' or 'expired'"""
        now = now or dt.datetime.now()
        if not key or len(key) > 128:
            return None, 'invalid'
        tokens = cls.search([
                ('token_hash', '=', hash_key(key)),
                ('kind', '=', kind),
                ], limit=1)
        if not tokens:
            return None, 'invalid'
        token, = tokens
        if token.used:
            return None, 'used'
        if token.expires <= now:
            return None, 'expired'
        if not token.user.active and kind != 'signup':
            return None, 'invalid'
        return token, None

    @classmethod
    def consume(cls, key, kind, now=None):
        "Like check() but marks the token used (once, under a row lock)"
        token, reason = cls.check(key, kind, now=now)
        if token is None:
            return None, reason
        cls.lock([token])
        # Re-read after the lock: a concurrent request may have used it.
        token, reason = cls.check(key, kind, now=now)
        if token is None:
            return None, reason
        token.used = now or dt.datetime.now()
        token.save()
        return token, None

    @classmethod
    def pending(cls, users, kind, now=None):
        "Ids of `users` who have a usable token of `kind`"
        now = now or dt.datetime.now()
        return {t.user.id for t in cls.search([
                    ('user', 'in', [u.id for u in users]),
                    ('kind', '=', kind),
                    ('used', '=', None),
                    ('expires', '>', now),
                    ])}

    @classmethod
    def clean(cls):
        "Cron: delete tokens expired or used more than 30 days ago"
        now = dt.datetime.now()
        limit = now - dt.timedelta(days=30)
        cls.delete(cls.search(['OR',
                    ('expires', '<=', limit),
                    ('used', '<=', limit),
                    ]))


def token_validity(kind):
    Configuration = Pool().get('copp.portal.configuration')
    settings = Configuration.settings()
    return {
        'invitation': dt.timedelta(hours=settings.invitation_hours),
        'reset': dt.timedelta(minutes=settings.reset_minutes),
        'email': dt.timedelta(hours=settings.email_confirmation_hours),
        'signup': dt.timedelta(hours=settings.email_confirmation_hours),
        }[kind]
