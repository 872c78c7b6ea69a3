"""The exchange accounts with which another system logs in to the service
we serve (HTTP Basic), and their throttling.

Wrong passwords are counted like the logins of the back office, in
trytond's `res.user.login.attempt` (the login is prefixed with
`copp_exchange_1c:` so that it never mixes with a user's), for
`[session] timeout`:
- per account and address: from `[copp_exchange_1c] max_login_attempts`
  (5) failures on, the account is locked for that address for
  `login_lock_first` (60 s), then twice as long at each failure, at most
  `login_lock_max` (900 s), after the last failure;
  attempts while locked are refused without checking the password and
  count as failures;
- per network address, whatever the account: from
  `[session] max_attempt_ip_network` (300) failures on, the same.
Other addresses (the college's 1C) are not locked out by a stranger's
guessing. The refusal is a SOAP Fault in Russian with the wait."""
import datetime as dt

from sql import Null
from sql.aggregate import Count, Max

from trytond import backend, config
from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import sqlite_apply_types
from trytond.transaction import Transaction

SECTION = 'copp_exchange_1c'
PREFIX = 'copp_exchange_1c:'


def lock_delay(failures, allowed, first, cap):
    """Seconds of lock after the last of `failures`: none below `allowed`,
    then first, twice, four times … as long, at most cap"""
    if failures < allowed:
        return 0
    return min(first * 2 ** min(failures - allowed, 30), cap)


class Account(DeactivableMixin, ModelSQL, ModelView):
    "Account with which 1C calls the exchange service of ГИС ЦОПП"
    __name__ = 'copp.exchange_1c.account'
    __string__ = "1C Exchange Account"
    _rec_name = 'login'

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer", required=True,
        ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    login = fields.Char("Login", required=True)
    password_hash = fields.Char("Password Hash", readonly=True)
    password = fields.Function(fields.Char("Password", strip=False),
        getter='get_password', setter='set_password')
    last_login = fields.Timestamp("Last Login", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('login', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('login_unique', Unique(t, t.login),
                'copp_exchange_1c.msg_account_login_unique'),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_password(self, name):
        return 'x' * 10 if self.password_hash else None

    @classmethod
    def set_password(cls, accounts, name, value):
        pool = Pool()
        User = pool.get('res.user')
        if value == 'x' * 10:
            return
        cls.write(list(accounts), {
                'password_hash': User.hash_password(value) if value else None,
                })

    @classmethod
    def authenticate(cls, login, password):
        "The active account of the login and password, else None"
        pool = Pool()
        User = pool.get('res.user')
        if not login or not password:
            return None
        accounts = cls.search([('login', '=', login)], limit=1)
        if not accounts or not accounts[0].password_hash:
            # Spend the same time as a check to not reveal the login.
            User.check_password(password, User.hash_password('-'))
            return None
        account, = accounts
        valid, _ = User.check_password(password, account.password_hash)
        if not valid or not account.peer.active:
            return None
        return account

    # Throttling ---------------------------------------------------------------

    @staticmethod
    def _attempts():
        return Pool().get('res.user.login.attempt')

    @classmethod
    def _failures(cls, table, where):
        """(count, time of the last) of the recent failures of the table of
        login attempts matching where"""
        LoginAttempt = cls._attempts()
        cursor = Transaction().connection.cursor()
        query = table.select(Count(table.id).as_('count'),
            Max(table.create_date).as_('last'),
            where=where & (table.create_date >= LoginAttempt.delay()))
        if backend.name == 'sqlite':
            sqlite_apply_types(query, [None, 'DATETIME'])
        cursor.execute(*query)
        return cursor.fetchone()

    @classmethod
    def locked_for(cls, login, now=None):
        """Seconds the login stays locked from the request's address (0:
        it may try); the number of failures counted"""
        LoginAttempt = cls._attempts()
        table = LoginAttempt.__table__()
        now = now or dt.datetime.now()
        ip_address, ip_network = Transaction().remote_address()
        ip_address = str(ip_address) if ip_address else Null
        first = config.getint(SECTION, 'login_lock_first', default=60)
        cap = config.getint(SECTION, 'login_lock_max', default=900)
        key = (PREFIX + (login or ''))[:LoginAttempt.login.size]
        count, last = cls._failures(table, (table.login == key)
            & (table.ip_address == ip_address))
        wait = lock_delay(count, config.getint(SECTION,
                'max_login_attempts', default=5), first, cap)
        failures = count
        if ip_network is not None:
            count, last_network = cls._failures(table,
                (table.ip_network == str(ip_network))
                & table.login.like(PREFIX + '%'))
            network_wait = lock_delay(count, config.getint('session',
                    'max_attempt_ip_network', default=300), first, cap)
            if network_wait > wait:
                wait, last, failures = network_wait, last_network, count
        if not wait or last is None:
            return 0, failures
        remaining = (last + dt.timedelta(seconds=wait) - now).total_seconds()
        return max(0, int(remaining + 0.999)), failures

    @classmethod
    def failed(cls, login):
        "Count a failure of the login from the request's address"
        cls._attempts().add(PREFIX + (login or ''))

    @classmethod
    def succeeded(cls, login):
        "Forget the failures of the login from the request's address"
        LoginAttempt = cls._attempts()
        table = LoginAttempt.__table__()
        ip_address, _ = Transaction().remote_address()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(
                where=(table.login == (PREFIX + login)[
                        :LoginAttempt.login.size])
                & (table.ip_address == (str(ip_address) if ip_address
                        else Null))))

    @classmethod
    def sign_in(cls, login, password):
        """(account, None) when the login and password are right; (None,
        None) when not; (None, text) when the login is locked here"""
        wait, failures = cls.locked_for(login)
        if wait:
            cls.failed(login)
            return None, gettext('copp_exchange_1c.msg_service_locked',
                login=login or '—', failures=failures, wait=wait)
        account = cls.authenticate(login, password)
        if account is None:
            cls.failed(login)
            return None, None
        cls.succeeded(login)
        return account, None
