import datetime as dt
import secrets

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool

from .portal import hash_key

TOUCH_INTERVAL = dt.timedelta(seconds=60)


class Session(ModelSQL, ModelView):
    "Portal Session"
    __name__ = 'copp.portal.session'
    __string__ = "Portal Session"

    user = fields.Many2One('copp.portal.user', "User", required=True,
        ondelete='CASCADE', readonly=True)
    key_hash = fields.Char("Key Hash", required=True, readonly=True,
        strip=False, loading='lazy')
    expires = fields.DateTime("Expires", required=True, readonly=True)
    last_activity = fields.DateTime("Last Activity", readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    user_agent = fields.Char("Browser", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.key_hash, Index.Equality(cardinality='high'))),
                Index(t, (t.expires, Index.Range())),
                })
        cls._order = [('last_activity', 'DESC'), ('id', 'DESC')]

    @classmethod
    def open(cls, user, ip_address=None, user_agent=None):
        "A new session of `user`: returns the record and the cookie key"
        Configuration = Pool().get('copp.portal.configuration')
        settings = Configuration.settings()
        now = dt.datetime.now()
        key = secrets.token_urlsafe(32)
        session = cls(user=user, key_hash=hash_key(key),
            expires=now + dt.timedelta(hours=settings.session_hours),
            last_activity=now, ip_address=ip_address,
            user_agent=(user_agent or '')[:250] or None)
        session.save()
        return session, key

    @classmethod
    def lookup(cls, key, now=None):
        "The valid session of a cookie key, or None"
        Configuration = Pool().get('copp.portal.configuration')
        if not key or len(key) > 128:
            return None
        now = now or dt.datetime.now()
        sessions = cls.search([('key_hash', '=', hash_key(key))], limit=1)
        if not sessions:
            return None
        session, = sessions
        settings = Configuration.settings()
        idle = dt.timedelta(minutes=settings.session_idle_minutes)
        if session.expires <= now:
            return None
        if session.last_activity and session.last_activity + idle <= now:
            return None
        if not session.user.active or not session.user.password_hash:
            return None
        return session

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
