"""ГИС ЦОПП as a client of 1C: our zeep client completes the whole flow
against a test peer on loopback written from 1C's published service
(tests/peer_1c.py); large files come in parts of any size, or whole; an
empty or cut download is journaled, not confirmed and retried; failures are
retried by the queue with back-off; the accountant's «Обменяться сейчас»
button and the cron run the same flow."""
import base64
import datetime as dt
import os
import unittest
import uuid
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_exchange_1c.exchange import exchange_with_peer

from . import objects_1c
from .peer_1c import payment
from .tools import peer_1c_of, setup_college

D = Decimal
MB = 1024 * 1024


def started(peer, **kwargs):
    "The test 1C base of the peer, serving on loopback; the peer calls it"
    peer_1c = peer_1c_of(peer, **kwargs).start()
    type(peer).write([peer], {'url': peer_1c.url})
    return peer_1c


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
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college(client=True, url='http://x')
        peer_1c = started(peer)
        try:
            peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                        amount='12000.00', doc_number='501')])
            Peer.exchange_now([peer])
            peer = Peer(peer.id)
            self.assertIsNone(peer.last_error)
            self.assertEqual(peer_1c.calls[:4],
                ['Ping', 'TestConnection', 'PrepareDataForGetting',
                    'PrepareDataActionResult'])
            # Polled while Active, then the parts (of 1 KB), confirmed.
            parts = -(-peer_1c.sizes[0] // 1024)
            self.assertEqual(peer_1c.calls[4:6 + parts],
                ['PrepareDataActionResult'] + ['GetDataPart'] * parts
                + ['ConfirmGettingFile'])
            self.assertGreater(peer_1c.calls.count('PutFilePart'), 1)
            self.assertEqual(peer_1c.calls[-2:],
                ['PutData', 'PutDataActionResult'])
            # 1C got our message 1, every object in the package's shape.
            self.assertEqual(peer_1c.issues, [])
            root, body = peer_1c.received[0]
            self.assertEqual(len(body), 7)
            self.assertIn(contract_a.uuid, peer_1c.objects)
            self.assertEqual(peer_1c.received_no, 1)
            payment_, = Payment.search([])
            self.assertEqual((payment_.contract, payment_.amount),
                (contract_b, D('12000.00')))
            incoming, = Message.search([('direction', '=', 'in')])
            outgoing, = Message.search([('direction', '=', 'out')])
            self.assertEqual((incoming.state, outgoing.state),
                ('applied', 'sent'))
            # Next exchange: 1C confirms our message 1 by its ReceivedNo;
            # nothing is sent again.
            Peer.exchange_now([peer])
            self.assertEqual(Message(outgoing.id).state, 'confirmed')
            root, body = peer_1c.received[1]
            self.assertEqual(len(body), 0)
        finally:
            peer_1c.stop()

    def _large(self, peer_1c):
        """Objects of 1C we do not read, of random text: a zip over 9 MB"""
        for _ in range(3300):
            text = base64.b64encode(os.urandom(3000)).decode('ascii')
            peer_1c.pending.append(objects_1c.filler(text))

    @with_transaction()
    def test_large_download_in_parts_and_whole(self):
        """A file over 9 MB comes in parts of 1 MB, and in one part when
        the part size is 0; both are read whole"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college(client=True,
            url='http://x', part_size=1024)
        peer_1c = started(peer)
        try:
            for part_size, parts in [(1024, 10), (0, 1)]:
                with self.subTest(part_size=part_size):
                    Peer.write([peer], {'part_size': part_size})
                    self._large(peer_1c)
                    peer_1c.queue_payments([payment(
                                contract_uuid=contract_b.uuid,
                                amount='100.00')])
                    before = len(peer_1c.calls)
                    self.assertTrue(exchange_with_peer(Peer(peer.id)),
                        Peer(peer.id).last_error)
                    calls = peer_1c.calls[before:]
                    self.assertEqual(calls.count('GetDataPart'), parts)
                    incoming = Message.search([('direction', '=', 'in')],
                        order=[('id', 'DESC')], limit=1)[0]
                    self.assertEqual(incoming.state, 'applied',
                        incoming.error)
                    self.assertEqual(incoming.object_count, 3301)
            self.assertEqual(len(peer_1c.sizes), 2)
            self.assertTrue(all(size > 9 * MB for size in peer_1c.sizes),
                peer_1c.sizes)
            self.assertEqual(len(Payment.search([])), 2)
            self.assertEqual(peer_1c.files, {})  # confirmed, released
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_empty_or_short_part_not_confirmed(self):
        """An empty or cut part is an error: journaled, not confirmed,
        retried; the next attempt gets the message"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college(client=True,
            url='http://x', part_size=1)
        peer_1c = started(peer)
        try:
            for fault, expected in [('empty_part', "пустой"),
                    ('short_part', "байт вместо 1024")]:
                with self.subTest(fault=fault):
                    setattr(peer_1c, fault, 1)
                    peer_1c.queue_payments([payment(
                                contract_uuid=contract_b.uuid,
                                amount='100.00')])
                    before = len(peer_1c.calls)
                    self.assertFalse(exchange_with_peer(Peer(peer.id)))
                    self.assertNotIn('ConfirmGettingFile',
                        peer_1c.calls[before:])
                    self.assertNotIn('PutFilePart', peer_1c.calls[before:])
                    failed = Message.search([('state', '=', 'failed')],
                        order=[('id', 'DESC')], limit=1)[0]
                    self.assertEqual(failed.direction, 'in')
                    self.assertIn(expected, failed.error)
                    self.assertIn("не подтверждено", failed.error)
                    self.assertIn(expected, Peer(peer.id).last_error)
                    self.assertEqual(Payment.search([]), [])
                    setattr(peer_1c, fault, None)
            # 1C keeps its numbering: the next attempt gets message 3.
            peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                        amount='100.00')])
            self.assertTrue(exchange_with_peer(Peer(peer.id)))
            self.assertEqual(len(Payment.search([])), 1)
            self.assertEqual(Peer(peer.id).attempts, 0)
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_retry_with_back_off(self):
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Queue = pool.get('ir.queue')
        (college, peer, *_) = setup_college(client=True, url='http://x')
        peer_1c = started(peer)
        peer_1c.stop()  # 1C is down
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
        peer_1c = started(peer)
        try:
            Peer.write([peer], {'next_attempt': dt.datetime.now()
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
        contract number and that counterparty"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        Object = pool.get('copp.exchange_1c.object')
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college(client=True, url='http://x')
        peer_1c = started(peer)
        try:
            accountant = create_user('buh', [college], ['group_accountant'])
            factory_1c = {'uuid': str(uuid.uuid4()), 'name': "Завод ООО",
                'inn': '7707083893', 'kpp': '773601001', 'legal': True}
            peer_1c.pending.append(
                objects_1c.counterparty_object(factory_1c))
            peer_1c.queue_payments([payment(number=contract_a.number,
                        amount='22500.00', doc_number='88',
                        payer={'uuid': factory_1c['uuid'],
                            'name': factory_1c['name'], 'legal': True})])
            with Transaction().set_user(accountant.id), \
                    Transaction().set_context(company=college.id), \
                    check_access():
                Peer.exchange_now(Peer.browse([peer.id]))
                messages = Message.search([], order=[('id', 'ASC')])
                self.assertEqual([(m.direction, m.state) for m in messages],
                    [('in', 'applied'), ('out', 'sent')])
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
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_failures_of_1c_journaled(self):
        """1C fails to prepare its data, or to load ours: the message is
        failed with 1C's text, retried later"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        (college, peer, *_) = setup_college(client=True, url='http://x')
        peer_1c = started(peer)
        try:
            peer_1c.fail_prepare = "Ошибка выгрузки: нет прав"
            self.assertFalse(exchange_with_peer(peer))
            failed, = Message.search([('state', '=', 'failed')])
            self.assertEqual(failed.direction, 'in')
            self.assertIn("нет прав", failed.error)
            peer_1c.fail_prepare = None
            peer_1c.fail_put = "Не удалось загрузить договор: нет счёта"
            self.assertFalse(exchange_with_peer(Peer(peer.id)))
            sent, = Message.search([('direction', '=', 'out')])
            self.assertEqual(sent.state, 'failed')
            self.assertIn("нет счёта", sent.error)
            peer = Peer(peer.id)
            self.assertEqual(peer.attempts, 2)
            self.assertIn("нет счёта", peer.last_error)
        finally:
            peer_1c.stop()

    @with_transaction()
    def test_wrong_password(self):
        "1C refuses our login: a Russian error names the cause"
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        (college, peer, *_) = setup_college(client=True, url='http://x')
        peer_1c = started(peer, password='другой')
        try:
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
        (college, peer, *_) = setup_college(client=True, url='http://x')
        peer_1c = started(peer)
        try:
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
