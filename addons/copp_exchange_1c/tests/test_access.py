"""Record rules of the exchange: an accountant sees and runs only the
exchange of their own college; the ministry reads every college and
changes nothing; an exchange account belongs to one college's peer."""
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_exchange_1c.incoming import receive_message
from copp_exchange_1c.outgoing import prepare_message
from copp_exchange_1c.safexml import make_zip

from .peer_1c import payment
from .tools import peer_1c_of, setup_college

MODELS = ['copp.exchange_1c.peer', 'copp.exchange_1c.account',
    'copp.exchange_1c.message', 'copp.exchange_1c.object',
    'copp.exchange_1c.unmatched_payment']


class AccessTestCase(unittest.TestCase):
    "Each college's exchange is its own"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    def _two_colleges(self):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        a = setup_college()
        b = setup_college(name="Касимовский колледж", short_name="КК",
            inn='6226000003')
        for college, peer, *_ in [a, b]:
            Account.create([{'company': college.id, 'peer': peer.id,
                        'login': f'bgu-{college.short_name}',
                        'password': 'Пароль-обмена-1'}])
            prepare_message(peer)
            # A payment 1C could not put on a contract: in the queue.
            peer_1c = peer_1c_of(peer)
            peer_1c.queue_payments([payment(number='НЕТ', amount='10.00')])
            receive_message(peer, make_zip(peer_1c.build_message()))
        return a, b

    @with_transaction()
    def test_accountant_sees_only_own_college(self):
        pool = Pool()
        (college_a, peer_a, *_), (college_b, peer_b, *_) = (
            self._two_colleges())
        accountant = create_user('buh_a', [college_a], ['group_accountant'])
        with Transaction().set_user(accountant.id), \
                Transaction().set_context(company=college_a.id), \
                check_access():
            for name in MODELS:
                with self.subTest(model=name):
                    Model = pool.get(name)
                    records = Model.search([])
                    self.assertTrue(records)
                    self.assertEqual({r.company for r in records},
                        {college_a})
            Peer = pool.get('copp.exchange_1c.peer')
            Message = pool.get('copp.exchange_1c.message')
            with self.assertRaises(AccessError):
                Peer.read([peer_b.id], ['name'])
            self.assertEqual(Message.search([('peer', '=', peer_b.id)]), [])
            # Nor may the button be clicked on the other college's peer.
            with self.assertRaises(AccessError):
                Peer.exchange_now(Peer.browse([peer_b.id]))
            # Reading the XML of a message (names, ИНН) is logged.
            message, = Message.search([('peer', '=', peer_a.id),
                    ('direction', '=', 'out')])
            Message.read([message.id], ['data'])
        Log = pool.get('copp.personal_data.log')
        log, = Log.search([('resource', '=', str(message))])
        self.assertEqual((log.user, log.company, log.fields_read),
            (accountant, college_a, 'data'))
        with Transaction().set_user(accountant.id), \
                Transaction().set_context(company=college_a.id), \
                check_access():
            # An exchange account is made for the own college only.
            Account = pool.get('copp.exchange_1c.account')
            with self.assertRaises(AccessError):
                Account.create([{'company': college_b.id,
                            'peer': peer_b.id, 'login': 'chuzhoy',
                            'password': 'x-1234567'}])

    @with_transaction()
    def test_ministry_reads_all_writes_nothing(self):
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        (college_a, peer_a, *_), (college_b, peer_b, *_) = (
            self._two_colleges())
        ministry = create_user('minobr', [college_a, college_b],
            ['group_ministry'])
        with Transaction().set_user(ministry.id), check_access():
            self.assertEqual(set(Peer.search([])), {peer_a, peer_b})
            with self.assertRaises(AccessError):
                Peer.write([Peer(peer_a.id)], {'name': "x"})
            with self.assertRaises(UserError):
                Peer.exchange_now(Peer.browse([peer_a.id]))

    @with_transaction()
    def test_other_roles_see_nothing(self):
        pool = Pool()
        (college_a, *_), _ = self._two_colleges()
        registrar = create_user('uch_a', [college_a], ['group_registrar'])
        with Transaction().set_user(registrar.id), check_access():
            for name in MODELS:
                with self.subTest(model=name):
                    with self.assertRaises(AccessError):
                        pool.get(name).search([])

    @with_transaction()
    def test_account_belongs_to_its_college_peer(self):
        "An account's peer is of the account's college"
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        (college_a, peer_a, *_), (college_b, peer_b, *_) = (
            self._two_colleges())
        with self.assertRaises(UserError):
            Account.create([{'company': college_a.id, 'peer': peer_b.id,
                        'login': 'smeshanny', 'password': 'x-1234567'}])

    @with_transaction()
    def test_password_hashes_hidden(self):
        """Nobody but the administrator reads the hashes of the exchange
        passwords: not the ministry, not the college's accountant"""
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        User = pool.get('res.user')
        (college_a, peer_a, *_), (college_b, *_) = self._two_colleges()
        ministry = create_user('minobr', [college_a, college_b],
            ['group_ministry'])
        accountant = create_user('buh_a', [college_a], ['group_accountant'])
        account = Account.search([('company', '=', college_a.id)])[0]
        for user in [ministry, accountant]:
            with self.subTest(user=user.login), \
                    Transaction().set_user(user.id), \
                    Transaction().set_context(company=college_a.id), \
                    check_access():
                # The account itself is readable, its hash is not.
                self.assertEqual(Account.read([account.id], ['login'])[0][
                        'login'], account.login)
                with self.assertRaises(AccessError):
                    Account.read([account.id], ['password_hash'])
                with self.assertRaises(AccessError):
                    Account.search([('password_hash', '!=', None)])
        admin, = User.search([('login', '=', 'admin')])
        User.write([admin], {'companies': [('add', [college_a.id])]})
        with Transaction().set_user(admin.id), \
                Transaction().set_context(company=college_a.id,
                    companies=[college_a.id]), \
                check_access():
            hashed, = Account.read([account.id], ['password_hash'])
            self.assertTrue(hashed['password_hash'])
