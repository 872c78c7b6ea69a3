"""Failed back-office logins, counted so that nobody can lock someone else
out (ФСТЭК 21: ИАФ, УПД.6).

trytond counts the failures of a login (per device cookie) and, past
`[session] max_attempt`, refuses it for `[session] timeout` from everywhere:
seven requests of a stranger locked any account for the whole timeout, and
`max_attempt_ip_network` failures locked a whole college behind its NAT.
Here the failures are counted:

- per login, network address and device: past `[session] max_attempt`
  failures the next attempt from there waits 1, 2, 4… seconds after the last
  one, at most `[copp] login_delay_max` (900 s); other addresses and the
  user's own browser (its device cookie) are not slowed down;
- per network address, for devices without a valid cookie: past
  `[session] max_attempt_ip_network` failures, the same growing delay;
- per login from everywhere: past `[copp] login_attack_attempts` (20)
  failures the login is "under attack" and a password alone no longer opens
  it: a second factor is needed (the TOTP code, or a known device for
  accounts without TOTP; res.user._login_totp).

Failures older than `[session] timeout` are forgotten.
"""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Max

from trytond import backend, config
from trytond.model import Index
from trytond.pool import PoolMeta
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction

DELAY_MAX = 900
ATTACK_ATTEMPTS = 20


def growing_delay(failures, allowed, last, now, cap=None, base=None):
    """Seconds still to wait after `failures` failures, the last at `last`:
    none below `allowed`, then `base` (1), 2, 4… times that after the last
    one, at most `cap` (`[copp] login_delay_base`, `login_delay_max`)"""
    if cap is None:
        cap = config.getint('copp', 'login_delay_max', default=DELAY_MAX)
    if base is None:
        base = config.getint('copp', 'login_delay_base', default=1)
    if failures < allowed or last is None:
        return 0
    wait = min(base * 2 ** min(failures - allowed, 30), cap)
    remaining = (last + dt.timedelta(seconds=wait) - now).total_seconds()
    return max(0, remaining)


class LoginAttempt(metaclass=PoolMeta):
    __name__ = 'res.user.login.attempt'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.login, Index.Equality()),
                    (t.create_date, Index.Range())),
                Index(t, (t.ip_network, Index.Equality()),
                    (t.create_date, Index.Range())),
                })

    @classmethod
    def _failures(cls, table, where):
        """(count, date of the last) of the failures matching `where`, a
        condition on `table` (a cls.__table__())"""
        cursor = Transaction().connection.cursor()
        query = table.select(Count(table.id).as_('count'),
            Max(table.create_date).as_('last'),
            where=where & (table.create_date >= cls.delay()))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'DATETIME'])
        cursor.execute(*query)
        return cursor.fetchone()

    @classmethod
    def _address(cls):
        ip_address, ip_network = Transaction().remote_address()
        return (str(ip_address) if ip_address else None,
            str(ip_network) if ip_network else None)

    @classmethod
    def wait(cls, login, device_cookie=None, now=None):
        "Seconds before the next attempt of `login` from here (0: go)"
        table = cls.__table__()
        now = now or dt.datetime.now()
        login = login[:cls.login.size]
        ip_address, ip_network = cls._address()
        count, last = cls._failures(table, (table.login == login)
            & (table.ip_address == ip_address)
            & (table.device_cookie == device_cookie))
        wait = growing_delay(count, config.getint(
                'session', 'max_attempt', default=5), last, now)
        if device_cookie is None and ip_network is not None:
            count, last = cls._failures(table, (table.ip_network == ip_network)
                & (table.device_cookie == Null))
            wait = max(wait, growing_delay(count, config.getint(
                        'session', 'max_attempt_ip_network', default=300),
                    last, now))
        return wait

    @classmethod
    def under_attack(cls, login):
        "Whether `login` failed too often, from anywhere, lately"
        table = cls.__table__()
        count, _ = cls._failures(table, table.login == login[:cls.login.size])
        return count >= config.getint(
            'copp', 'login_attack_attempts', default=ATTACK_ATTEMPTS)

    @classmethod
    def failed_here(cls, login, device_cookie=None):
        "Whether the last attempt of `login` from here failed"
        table = cls.__table__()
        ip_address, _ = cls._address()
        count, _ = cls._failures(table, (table.login == login[:cls.login.size])
            & (table.ip_address == ip_address)
            & (table.device_cookie == device_cookie))
        return bool(count)

    @classmethod
    def remove_here(cls, login, device_cookie=None):
        """Forget the failures of `login` from here after a success (those
        from other addresses still count)"""
        table = cls.__table__()
        ip_address, _ = cls._address()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(
                where=(table.login == login[:cls.login.size])
                & (table.ip_address == ip_address)
                & (table.device_cookie == device_cookie)))
