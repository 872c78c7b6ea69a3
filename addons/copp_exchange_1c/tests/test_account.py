"""The exchange accounts: their passwords, and their throttling like a
login — wrong passwords lock the account for the address they come from,
for longer at each failure, without locking out the college's 1C calling
from its own address."""
import datetime as dt
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_exchange_1c.account import lock_delay

from .tools import setup_college

PASSWORD = 'Сложный-пароль-1'


def from_address(address):
    "The context of a request from address"
    return Transaction().set_context(_request={'remote_addr': address})


class AccountTestCase(unittest.TestCase):
    "Exchange accounts"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    def _account(self):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        (college, peer, *_) = setup_college()
        account, = Account.create([{'company': college.id, 'peer': peer.id,
                    'login': 'bgu-rke', 'password': PASSWORD}])
        return account

    def test_lock_delay(self):
        "None below the allowed failures, then doubling, capped"
        self.assertEqual([lock_delay(n, 5, 60, 900) for n in range(4, 11)],
            [0, 60, 120, 240, 480, 900, 900])

    @with_transaction()
    def test_password(self):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        account = self._account()
        self.assertTrue(account.password_hash)
        self.assertNotIn('Сложный', account.password_hash)
        self.assertEqual(Account.authenticate('bgu-rke', PASSWORD), account)
        self.assertIsNone(Account.authenticate('bgu-rke', 'wrong'))
        self.assertIsNone(Account.authenticate('nobody', 'x'))

    @with_transaction()
    def test_throttled_per_account_and_address(self):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        Attempt = pool.get('res.user.login.attempt')
        account = self._account()
        with from_address('10.0.0.1'):
            for _ in range(5):
                self.assertEqual(Account.sign_in('bgu-rke', 'wrong'),
                    (None, None))
            # Locked here: even the right password is refused, in Russian.
            refused, locked = Account.sign_in('bgu-rke', PASSWORD)
            self.assertIsNone(refused)
            self.assertIn("«bgu-rke» заблокирована для этого адреса",
                locked)
            self.assertIn("повторите через", locked)
        # The college's 1C calls from its own address: not locked out.
        with from_address('10.0.0.2'):
            self.assertEqual(Account.sign_in('bgu-rke', PASSWORD),
                (account, None))
        # The lock grows with the failures and ends after its time.
        table = Attempt.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.create_date,
                where=table.ip_address == '10.0.0.1',
                order_by=[table.id.desc], limit=1))
        last, = cursor.fetchone()
        if isinstance(last, str):
            last = dt.datetime.fromisoformat(last)
        with from_address('10.0.0.1'):
            # 6 failures (the refused attempt counts): 120 s.
            wait, failures = Account.locked_for('bgu-rke',
                now=last + dt.timedelta(seconds=100))
            self.assertEqual((wait, failures), (20, 6))
            self.assertEqual(Account.locked_for('bgu-rke',
                    now=last + dt.timedelta(seconds=121))[0], 0)
            # Another account from that address is not locked.
            self.assertEqual(Account.locked_for('other')[0], 0)
