"""The security log (copp.security.event) gains the kinds of ЕСИА sign-in,
and the personal data log (copp.personal_data.log) the action «received»:
what ЕСИА gave about a person at a sign-in."""
from trytond.pool import PoolMeta

ESIA_KINDS = [
    ('esia_login', "Sign-in through ESIA"),
    ('esia_login_failed', "Failed Sign-in through ESIA"),
    ('esia_conflict', "ESIA Sign-in Waits for a Clerk"),
    ('esia_conflict_resolved', "ESIA Sign-in Conflict Resolved"),
    ('esia_logout', "Sign-out through ESIA"),
    ]


class SecurityEvent(metaclass=PoolMeta):
    __name__ = 'copp.security.event'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        known = {k for k, _ in cls.kind.selection}
        cls.kind.selection += [k for k in ESIA_KINDS if k[0] not in known]


class PersonalDataLog(metaclass=PoolMeta):
    __name__ = 'copp.personal_data.log'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if 'receive' not in dict(cls.action.selection):
            cls.action.selection.append(('receive', "Received"))
