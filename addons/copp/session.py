"""Back-office sessions end after an idle time and a maximum age, checked on
every call (ФСТЭК 21: УПД.10, УПД.11).

trytond checks a session's key on every call against `[session] max_age`
(30 days by default) since its creation, and its idle time only for the few
calls that need a "fresh" session. Here every check (the RPC dispatcher's,
the journal page's) also refuses a session idle for more than
`[session] timeout` (copp.conf: 30 minutes) and ends it. The last activity
is the session's write date, which trytond's dispatcher refreshes after
each call at most every tenth of the timeout; the check refreshes it too,
so that the journal page keeps its session alive, with the same throttle.
"""
import datetime as dt
from secrets import compare_digest

from trytond import config
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


def idle_timeout():
    return dt.timedelta(seconds=config.getint('session', 'timeout'))


def max_age():
    return dt.timedelta(seconds=config.getint('session', 'max_age'))


class Session(metaclass=PoolMeta):
    __name__ = 'ir.session'

    @classmethod
    def check(cls, user, key, domain=None):
        """True when `key` is a live session of `user` from this address,
        False when it expired (it is deleted), None when it is unknown"""
        pool = Pool()
        Event = pool.get('copp.security.event')
        now = dt.datetime.now()
        idle, age = idle_timeout(), max_age()
        ip_address, _ = Transaction().remote_address()
        sessions = cls.search([
                ('create_uid', '=', user),
                ('ip_address', '=', str(ip_address) if ip_address else None),
                domain or [],
                ])
        find, current = None, None
        expired = []
        for session in sessions:
            alive = (abs(session.create_date - now) < age
                and abs(session.last_modified_at - now) < idle)
            mine = compare_digest(session.key, key)
            if alive:
                if mine:
                    find, current = True, session
            else:
                if mine and find is None:
                    find = False
                expired.append(session)
        if expired:
            cls.delete(expired)
            if find is False:
                Event.log('session_expired', user=user)
        if current is not None:
            last = current.last_modified_at
            if now - last > idle // 10:
                cls.write([current], {})
            else:
                cls._session_reset_cache.set(key, last)
        return find

    @classmethod
    def remove(cls, key, domain=None):
        "Log out: the session ends and the security log says so"
        Event = Pool().get('copp.security.event')
        sessions = cls.search([('key', '=', key), domain or []], limit=1)
        user = sessions[0].create_uid.id if sessions else None
        login = super().remove(key, domain=domain)
        if login:
            Event.log('logout', user=user, login=login)
        return login
