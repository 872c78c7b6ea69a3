"""A sign-in through ЕСИА under way: the state sent to ЕСИА, bound to the
browser that asked for it (only the hash of a random cookie is stored), used
once, for a few minutes."""
import datetime as dt
import secrets

from trytond.model import Index, ModelSQL, Unique, fields

from copp_portal.security import hash_key

LIFETIME = dt.timedelta(minutes=10)


class Request(ModelSQL):
    "ESIA Sign-in Request"
    __name__ = 'copp.esia.request'
    __string__ = "ESIA Sign-in Request"

    state = fields.Char("State", required=True, readonly=True)
    browser = fields.Char("Browser Key Hash", required=True, readonly=True,
        strip=False)
    next_url = fields.Char("Next Page", readonly=True)
    expires = fields.DateTime("Expires", required=True, readonly=True)
    used = fields.DateTime("Used", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('state_unique', Unique(t, t.state),
                'copp_esia.msg_request_state_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.expires, Index.Range())))

    @classmethod
    def start(cls, state, next_url, now=None):
        "A new request: returns it and the browser's cookie key"
        now = now or dt.datetime.now()
        key = secrets.token_urlsafe(32)
        request = cls(state=state, browser=hash_key(key), next_url=next_url,
            expires=now + LIFETIME)
        request.save()
        return request, key

    @classmethod
    def take(cls, state, browser_key, now=None):
        """The request of `state` started by this browser (the cookie key),
        marked used; (None, reason) when there is none: unknown, browser,
        used, expired"""
        now = now or dt.datetime.now()
        if not state or len(state) > 64:
            return None, 'unknown'
        requests = cls.search([('state', '=', state)], limit=1)
        if not requests:
            return None, 'unknown'
        request, = requests
        if not browser_key or len(browser_key) > 128 or (
                hash_key(browser_key) != request.browser):
            return None, 'browser'
        if request.used:
            return None, 'used'
        if request.expires <= now:
            return None, 'expired'
        cls.write([request], {'used': now})
        return request, None

    @classmethod
    def clean(cls):
        "Cron: forget the requests of more than a day ago"
        cls.delete(cls.search([
                    ('expires', '<', dt.datetime.now() - dt.timedelta(days=1)),
                    ]))
