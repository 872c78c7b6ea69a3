"""Portal sessions are web_user's sessions (web.user.session) with what the
portals add: only the SHA-256 of the cookie's random key is stored in
`key` (the key itself exists only in the browser's cookie), an absolute
expiry and an idle timeout from copp.portal.configuration, the address and
the browser (the cabinet lists them: «sign out elsewhere»)."""
import datetime as dt
import secrets

from sql import Literal, Null

from trytond.model import Index, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.rpc import RPC
from trytond.transaction import Transaction

from .security import hash_key

TOUCH_INTERVAL = dt.timedelta(seconds=60)


def _datetime(value):
    "A timestamp as read (SQLite may give the text)"
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    return value


class Session(ModelView, metaclass=PoolMeta):
    "Portal Session"
    __name__ = 'web.user.session'

    expires = fields.DateTime("Expires", readonly=True)
    last_activity = fields.DateTime("Last Activity", readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("Browser", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.key.loading = 'lazy'
        cls.key.readonly = True
        cls.user.readonly = True
        cls._sql_indexes.add(Index(t, (t.expires, Index.Range())))
        cls._order = [('last_activity', 'DESC NULLS LAST'), ('id', 'DESC')]
        # web_user closes its sessions to RPC; the back office lists them
        # (the ЦОПП, the administrator) and ends them.
        cls.__rpc__.update({
                'read': RPC(),
                'search': RPC(result=lambda r: list(map(int, r))),
                'search_count': RPC(),
                'search_read': RPC(),
                'delete': RPC(readonly=False, instantiate=0),
                'default_get': RPC(),
                'fields_get': RPC(cache=dict(days=1)),
                'fields_view_get': RPC(cache=dict(days=1)),
                'view_toolbar_get': RPC(cache=dict(days=1)),
                })

    def get_rec_name(self, name):
        return ' '.join(filter(None, [self.user.rec_name, self.ip_address]))

    @classmethod
    def open(cls, user, ip_address=None, user_agent=None):
        "A new session of `user`: returns the record and the cookie key"
        Configuration = Pool().get('copp.portal.configuration')
        settings = Configuration.settings()
        now = dt.datetime.now()
        key = secrets.token_urlsafe(32)
        session = cls(user=user, key=hash_key(key),
            expires=now + dt.timedelta(hours=settings.session_hours),
            last_activity=now, ip_address=ip_address,
            user_agent=(user_agent or '')[:250] or None)
        session.save()
        return session, key

    @classmethod
    def add(cls, user):
        "web_user's API: a new session; returns the cookie key"
        return cls.open(user)[1]

    @classmethod
    def get_user(cls, session):
        "web_user's API: the user of a cookie key"
        session = cls.lookup(session)
        return session.user if session else None

    @classmethod
    def remove(cls, key):
        "web_user's API: end the session of a cookie key"
        cls.delete(cls.search([('key', '=', hash_key(key or ''))]))

    @classmethod
    def lookup(cls, key, now=None):
        """The valid session of a cookie key, or None.

        Every request asks it: one query (the key, the absolute expiry,
        the idle timeout and the account active — an account signed in
        through ЕСИА may have no password), the settings from their cache.
        The values read fill the record cache as a search fills it, so
        the session's user and last activity are not read again."""
        pool = Pool()
        Configuration = pool.get('copp.portal.configuration')
        User = pool.get('web.user')
        if not key or len(key) > 128:
            return None
        now = now or dt.datetime.now()
        settings = Configuration.settings()
        idle = dt.timedelta(minutes=settings.session_idle_minutes)
        session, user = cls.__table__(), User.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute(*session.join(user,
                condition=user.id == session.user).select(
                session.id, session.user, session.expires,
                session.last_activity,
                where=(session.key == hash_key(key))
                & ((session.expires == Null) | (session.expires > now))
                & ((session.last_activity == Null)
                    | (session.last_activity > now - idle))
                & (user.active == Literal(True)),
                limit=1))
        row = cursor.fetchone()
        if not row:
            return None
        id_, user_id, expires, last_activity = row
        if id_ in transaction.delete_records[cls.__name__]:
            return None
        transaction.get_cache()[cls.__name__][id_]._update({
                'user': user_id,
                'expires': _datetime(expires),
                'last_activity': _datetime(last_activity),
                })
        return cls(id_)

    def needs_touch(self, now):
        return (not self.last_activity
            or now - self.last_activity > TOUCH_INTERVAL)

    @classmethod
    def touch(cls, session_id, now=None):
        sessions = cls.search([('id', '=', session_id)])
        if sessions:
            cls.write(sessions, {'last_activity': now or dt.datetime.now()})

    @classmethod
    def end_for(cls, users, keep=None):
        "End every session of `users` (but `keep`)"
        domain = [('user', 'in', [u.id for u in users])]
        if keep:
            domain.append(('id', '!=', keep.id))
        cls.delete(cls.search(domain))

    @classmethod
    def clean(cls):
        "Cron: delete the expired sessions"
        Configuration = Pool().get('copp.portal.configuration')
        settings = Configuration.settings()
        now = dt.datetime.now()
        idle = dt.timedelta(minutes=settings.session_idle_minutes)
        cls.delete(cls.search(['OR',
                    ('expires', '<=', now),
                    ('last_activity', '<=', now - idle),
                    ]))
