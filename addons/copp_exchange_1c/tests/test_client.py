"""ГИС ЦОПП as a client of 1C: our zeep client completes the whole flow
against a test peer on loopback that serves the 1C side of
EnterpriseDataExchange_1_0_1_1 (tests/peer_1c.py); failures are journaled
and retried by the queue with back-off; the accountant's «Обменяться
сейчас» button and the cron run the same flow."""
import datetime as dt
import unittest
import uuid
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_exchange_1c.exchange import exchange_with_peer

from .peer_1c import Peer1C, payment
from .tools import setup_college

D = Decimal


class ClientTestCase(unittest.TestCase):
    "Our client against a 1C test peer over HTTP on loopback"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    @with_transaction()
    def test_client_flow_against_test_peer(self):
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Message = pool.get('copp.exchange_1c.message')
        Peer = pool.get('copp.exchange_1c.peer')
        peer_1c = Peer1C().start()
        try:
            (college, peer, factory, ivanov, petrova, contract_a,
                contract_b) = setup_college(client=True, url=peer_1c.url)
            peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                        amount='12000.00', doc_number='501')])
            Peer.exchange_now([peer])
            peer = Peer(peer.id)
            self.assertIsNone(peer.last_error)
            self.assertEqual(peer_1c.calls[:3],
                ['Ping', 'TestConnection', 'PrepareDataForGetting'])
            self.assertIn('PrepareDataActionResult', peer_1c.calls)
            self.assertGreater(peer_1c.calls.count('PutFilePart'), 1)
            self.assertEqual(peer_1c.calls[-2:],
                ['PutData', 'PutDataActionResult'])
            # 1C got our message 1 with every object.
            header, body = peer_1c.received[0]
            self.assertEqual((header.message_no, header.received_no),
                (1, 1))
            self.assertEqual(len(body), 7)
            self.assertIn(contract_a.uuid, peer_1c.objects)
            payment_, = Payment.search([])
            self.assertEqual((payment_.contract, payment_.amount),
                (contract_b, D('12000.00')))
            incoming, = Message.search([('direction', '=', 'in')])
            outgoing, = Message.search([('direction', '=', 'out')])
            self.assertEqual(incoming.state, 'applied')
            self.assertEqual(outgoing.state, 'sent')
            # Next exchange: 1C confirms our message 1 by its ReceivedNo;
            # nothing is re-sent.
            Peer.exchange_now([peer])
            self.assertEqual(Message(outgoing.id).state, 'confirmed')
            header, body = peer_1c.received[1]
            self.assertEqual((header.message_no, len(body)), (2, 0))
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_retry_with_back_off(self):
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Queue = pool.get('ir.queue')
        peer_1c = Peer1C().start()
        url = peer_1c.url
        peer_1c.stop()  # 1C is down
        (college, peer, *_) = setup_college(client=True, url=url)
        self.assertFalse(exchange_with_peer(peer))
        peer = Peer(peer.id)
        self.assertEqual(peer.attempts, 1)
        self.assertIn("нет связи", peer.last_error)
        failed, = Message.search([('state', '=', 'failed')])
        self.assertIn("нет связи", failed.error)
        self.assertGreater(peer.next_attempt, dt.datetime.now())
        task, = Queue.search([('name', '=', 'copp_exchange_1c')])
        self.assertGreater(task.scheduled_at, dt.datetime.now()
            + dt.timedelta(seconds=50))
        # Run too early (as without a worker): nothing happens.
        task.run()
        self.assertEqual(Peer(peer.id).attempts, 1)
        # Second failure: the delay doubles.
        self.assertFalse(exchange_with_peer(Peer(peer.id)))
        peer = Peer(peer.id)
        self.assertEqual(peer.attempts, 2)
        self.assertGreater(peer.next_attempt, dt.datetime.now()
            + dt.timedelta(seconds=110))
        # 1C is back and the back-off has passed: the queued task exchanges.
        peer_1c = Peer1C()
        peer_1c.start()
        try:
            Peer.write([peer], {'url': peer_1c.url,
                    'next_attempt': dt.datetime.now()
                    - dt.timedelta(seconds=1)})
            task = Queue.search([('name', '=', 'copp_exchange_1c')],
                order=[('id', 'DESC')])[0]
            task.run()
            peer = Peer(peer.id)
            self.assertEqual((peer.attempts, peer.last_error,
                    peer.next_attempt), (0, None, None))
            self.assertEqual(len(peer_1c.received), 1)
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_exchange_now_as_accountant(self):
        """The accountant of the college clicks «Обменяться сейчас» (access
        checked): 1C's counterparty is matched by ИНН, its payment by the
        contract number and that counterparty; the journal shows both
        messages"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Object = pool.get('copp.exchange_1c.object')
        Payment = pool.get('copp.contract.payment')
        peer_1c = Peer1C().start()
        try:
            (college, peer, factory, ivanov, petrova, contract_a,
                contract_b) = setup_college(client=True, url=peer_1c.url)
            accountant = create_user('buh', [college], ['group_accountant'])
            factory_1c = {'uuid': str(uuid.uuid4()), 'name': "Завод ООО",
                'inn': '7707083893', 'kpp': '773601001', 'legal': True}
            peer_1c.pending.append(
                peer_1c.mapping.counterparty_element(factory_1c))
            peer_1c.queue_payments([payment(number=contract_a.number,
                        amount='22500.00', doc_number='88',
                        payer={'uuid': factory_1c['uuid'],
                            'name': factory_1c['name']})])
            with Transaction().set_user(accountant.id), \
                    Transaction().set_context(company=college.id), \
                    check_access():
                Peer.exchange_now(Peer.browse([peer.id]))
                messages = Message.search([], order=[('id', 'ASC')])
                self.assertEqual([(m.direction, m.state) for m in messages],
                    [('in', 'applied'), ('out', 'sent')])
                self.assertTrue(messages[1].data.startswith(b'<?xml'))
            peer = Peer(peer.id)
            self.assertEqual((peer.last_error, peer.received_no,
                    peer.last_message_no), (None, 1, 1))
            learned, = Object.search([('origin', '=', 'peer')])
            self.assertEqual((learned.record, learned.uuid),
                (factory.id, factory_1c['uuid']))
            payment_, = Payment.search([])
            self.assertEqual((payment_.contract, payment_.amount,
                    payment_.number, payment_.origin),
                (contract_a, D('22500.00'), '88', '1c'))
            self.assertEqual(peer_1c.calls[-2:],
                ['PutData', 'PutDataActionResult'])
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_failed_put_is_journaled(self):
        "1C answers PutDataActionResult Failed: the message is failed"
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        peer_1c = Peer1C().start()
        try:
            (college, peer, *_) = setup_college(client=True,
                url=peer_1c.url)
            peer_1c.fail_put = "Не удалось загрузить договор: нет счёта"
            self.assertFalse(exchange_with_peer(peer))
            sent, = Message.search([('direction', '=', 'out')])
            self.assertEqual(sent.state, 'failed')
            self.assertIn("нет счёта", sent.error)
            peer = Peer(peer.id)
            self.assertEqual(peer.attempts, 1)
            self.assertIn("нет счёта", peer.last_error)
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_wrong_password(self):
        "1C refuses our login: a Russian error names the cause"
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        peer_1c = Peer1C(password='другой').start()
        try:
            (college, peer, *_) = setup_college(client=True,
                url=peer_1c.url)
            self.assertFalse(exchange_with_peer(peer))
            self.assertIn("логин и пароль", Peer(peer.id).last_error)
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_cron_exchanges_on_schedule(self):
        "The cron exchanges with the peers on schedule whose time has come"
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Cron = pool.get('ir.cron')
        ModelData = pool.get('ir.model.data')
        peer_1c = Peer1C().start()
        try:
            (college, peer, *_) = setup_college(client=True,
                url=peer_1c.url)
            waiting, = Peer.copy([peer], {'name': "Ждёт повтора",
                    'next_attempt': dt.datetime.now()
                    + dt.timedelta(hours=1)})
            cron = Cron(ModelData.get_id('copp_exchange_1c',
                    'cron_exchange'))
            self.assertEqual(cron.method,
                'copp.exchange_1c.peer|exchange_scheduled')
            cron.run_once()
            self.assertIsNotNone(Peer(peer.id).last_exchange)
            self.assertIsNone(Peer(waiting.id).last_exchange)
            self.assertEqual(len(peer_1c.received), 1)
        finally:
            peer_1c.stop()
