"""The served SOAP service through real HTTP on loopback: zeep, as 1C would,
reads our WSDL and calls every operation.

How the database is prepared: the trytond WSGI application runs in a
werkzeug server thread, which needs a database that other threads and
connections can open. So this test does not use the per-thread SQLite
`:memory:` database of the other tests: it creates its own database
`<DB_NAME or test>_ws` — a file in a temporary directory on SQLite (copied
from DB_CACHE when one was made before), a database on PostgreSQL — activates
copp_exchange_1c in it, commits the test data (a college, contracts, charges,
an exchange peer and account), starts the server, and drops it all at the
end. Checks read the database in new transactions of the test thread."""
import base64
import datetime as dt
import os
import shutil
import tempfile
import threading
import unittest
import uuid
from decimal import Decimal

import requests
import zeep
from lxml import etree
from werkzeug.serving import make_server
from zeep.transports import Transport

from trytond import backend
from trytond import config
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_CACHE, DB_NAME, create_db
from trytond.transaction import Transaction

from copp_exchange_1c import mapping as mapping_
from copp_exchange_1c.mapping_format import EXCHANGE_PLAN
from copp_exchange_1c.safexml import make_zip, read_zip

from . import objects_1c
from .peer_1c import Peer1C, payment
from .tools import LAUGHS, peer_1c_of, setup_college

MODULE = 'copp_exchange_1c'
TNS = 'http://www.1c.ru/SSL/EnterpriseDataExchange_1_0_1_1'
SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
RESULT_NS = 'http://v8.1c.ru/SSL/Exchange/EnterpriseDataExchange'
LOGIN, PASSWORD = 'bgu-rke', 'Пароль-обмена-2026'
LOGIN_K = 'bgu-kk'
LOGIN_GUESSED = 'bgu-guessed'


def _activate(name):
    """Activate the module in the database `name` (as activate_module does),
    in Russian: the service answers in the language of the database"""
    create_db(name, lang='ru')
    with Transaction().start(name, 1, close=True) as transaction:
        pool = Pool()
        Module = pool.get('ir.module')
        records = Module.search([('name', '=', MODULE),
                ('state', '!=', 'activated')])
        if records:
            Module.activate(records)
            transaction.commit()
            ActivateUpgrade = pool.get('ir.module.activate_upgrade',
                type='wizard')
            instance_id, _, _ = ActivateUpgrade.create()
            transaction.commit()
            ActivateUpgrade(instance_id).transition_upgrade()
            ActivateUpgrade.delete(instance_id)
            transaction.commit()


def _drop(name):
    database = backend.Database(name)
    database.close()
    with Transaction().start(None, 0, close=True, autocommit=True) as t:
        database.drop(t.connection, name)
    Pool.stop(name)


class ServedServiceTestCase(unittest.TestCase):
    "zeep calls our EnterpriseDataExchange_1_0_1_1 over HTTP"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        base = DB_NAME if DB_NAME != ':memory:' else 'test'
        cls.db_name = f'{base}_ws'
        cls._old_path = config.get('database', 'path')
        cls._tmpdir = None
        if backend.name == 'sqlite':
            cls._tmpdir = tempfile.mkdtemp(prefix='copp-c1c-ws-')
            config.set('database', 'path', cls._tmpdir)
            target = os.path.join(cls._tmpdir, cls.db_name + '.sqlite')
            cached = (os.path.join(DB_CACHE, f'{MODULE}-ws--ru.sqlite')
                if DB_CACHE and not DB_CACHE.startswith('postgresql')
                else None)
            if cached and os.path.exists(cached):
                shutil.copy(cached, target)
                Pool(cls.db_name).init()
            else:
                _activate(cls.db_name)
                if cached:
                    os.makedirs(DB_CACHE, exist_ok=True)
                    shutil.copy(target, cached)
        else:
            if cls.db_name in backend.Database().connect().list():
                _drop(cls.db_name)
            _activate(cls.db_name)
        with Transaction().start(cls.db_name, 0) as transaction:
            cls.setUpDatabase()
            transaction.commit()
        from trytond.wsgi import app
        from .peer_1c import _QuietHandler
        cls.server = make_server('127.0.0.1', 0, app, threaded=False,
            request_handler=_QuietHandler)
        cls.thread = threading.Thread(target=cls.server.serve_forever,
            daemon=True)
        cls.thread.start()
        host, port = cls.server.server_address[:2]
        cls.url = (f'http://{host}:{port}/{cls.db_name}'
            '/ws/EnterpriseDataExchange_1_0_1_1')

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        try:
            _drop(cls.db_name)
        finally:
            config.set('database', 'path', cls._old_path)
            if cls._tmpdir:
                shutil.rmtree(cls._tmpdir, ignore_errors=True)
        super().tearDownClass()

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        Account.create([{'company': college.id, 'peer': peer.id,
                    'login': LOGIN, 'password': PASSWORD}])
        cls.peer_id = peer.id
        cls.peer_1c = peer_1c_of(peer)
        cls.contract_a = contract_a.uuid
        cls.contract_b = contract_b.uuid
        cls.organization_uuid = peer.organization_uuid
        # Another college, with its own exchange account.
        (college_k, peer_k, _, _, _, contract_ka, contract_kb) = (
            setup_college(name="Касимовский колледж", short_name="КК",
                inn='6226000003'))
        Account.create([{'company': college_k.id, 'peer': peer_k.id,
                    'login': LOGIN_K, 'password': PASSWORD},
                {'company': college_k.id, 'peer': peer_k.id,
                    'login': LOGIN_GUESSED, 'password': PASSWORD}])
        cls.peer_k_id = peer_k.id
        cls.peer_1c_k = peer_1c_of(peer_k)
        cls.contracts_k = {contract_ka.uuid, contract_kb.uuid}
        cls.organization_k_uuid = peer_k.organization_uuid

    def zeep_client(self, login=LOGIN, password=PASSWORD):
        "What 1C does: read the published WSDL, then call the service"
        session = requests.Session()
        session.auth = requests.auth.HTTPBasicAuth(login.encode('utf-8'),
            password.encode('utf-8'))
        client = zeep.Client(self.url + '?wsdl',
            transport=Transport(session=session, timeout=30))
        return client.service

    def db(self):
        return Transaction().start(self.db_name, 0, readonly=True)

    def put(self, service, data, part_size=700):
        file_id = str(uuid.uuid4())
        for number, start in enumerate(range(0, len(data), part_size), 1):
            service.PutFilePart(file_id, number,
                data[start:start + part_size])
        answer = service.PutData(EXCHANGE_PLAN, 'БГУ', file_id)
        self.assertFalse(answer['ErrorMessage'])
        return service.PutDataActionResult(answer['OperationID'])

    def test_1_wsdl_and_auth(self):
        response = requests.get(self.url + '?wsdl', timeout=10)
        self.assertEqual(response.status_code, 200)
        root = etree.fromstring(response.content)
        address = root.find('.//{http://schemas.xmlsoap.org/wsdl/soap/}'
            'address')
        self.assertEqual(address.get('location'), self.url)
        self.assertEqual(requests.post(self.url, data=b'<x/>',
                timeout=10).status_code, 401)
        with self.assertRaises(zeep.exceptions.TransportError) as cm:
            self.zeep_client(password='wrong').Ping()
        self.assertEqual(cm.exception.status_code, 401)

    def test_2_round_trip(self):
        service = self.zeep_client()
        self.assertIn(service.Ping(), ('', None))
        result = service.TestConnection(EXCHANGE_PLAN, 'БГУ')
        self.assertIs(result['return'], True)
        result = service.TestConnection(EXCHANGE_PLAN, 'ДРУГОЙ')
        self.assertIs(result['return'], False)
        self.assertIn("ДРУГОЙ", result['ErrorMessage'])

        # 1C sends a payment for contract B (by its GUID).
        peer_1c = self.peer_1c
        peer_1c.queue_payments([payment(contract_uuid=self.contract_b,
                    amount='12000.00', doc_number='77')])
        data = make_zip(peer_1c.build_message())
        result = self.put(service, data)
        self.assertEqual(result['return'], 'Completed',
            result['ErrorMessage'])
        # Re-delivery of the same file changes nothing.
        result = self.put(service, data)
        self.assertEqual(result['return'], 'Completed')
        with self.db():
            pool = Pool()
            Payment = pool.get('copp.contract.payment')
            Message = pool.get('copp.exchange_1c.message')
            payments = Payment.search([])
            self.assertEqual([(p.amount, p.number, p.origin)
                    for p in payments], [(Decimal('12000.00'), '77', '1c')])
            self.assertEqual(
                [m.state for m in Message.search([('direction', '=', 'in')],
                        order=[('id', 'ASC')])], ['applied', 'duplicate'])

        # 1C takes our data, in parts of 1 KB.
        answer = service.PrepareDataForGetting(EXCHANGE_PLAN,
            'БГУ', 1)
        self.assertFalse(answer['ErrorMessage'])
        operation_id = answer['OperationID']
        while True:
            result = service.PrepareDataActionResult(operation_id)
            if result['return']['Status'] != 'Active':
                break
        info = result['return']
        self.assertEqual(info['Status'], 'Completed')
        self.assertGreater(info['PartCount'], 1)
        archive = b''.join(service.GetDataPart(info['FileID'], n)['return']
            for n in range(1, info['PartCount'] + 1))
        service.ConfirmGettingFile(info['FileID'], True)
        root = etree.fromstring(read_zip(archive))
        header, mapping, body = mapping_.parse_header(root)
        # Our ReceivedNo confirms the message of 1C.
        self.assertEqual((header.message_no, header.received_no), (1, 1))
        guids = {mapping.guid_of(e) for e in body}
        self.assertIn(self.contract_a, guids)
        self.assertIn(self.contract_b, guids)
        self.assertEqual(len(body), 7)
        with self.db():
            Message = Pool().get('copp.exchange_1c.message')
            message, = Message.search([('direction', '=', 'out')])
            self.assertEqual(message.state, 'sent')

        # 1C confirms our message 1: the next message carries nothing.
        peer_1c.received_no = 1
        result = self.put(service, make_zip(peer_1c.build_message()))
        self.assertEqual(result['return'], 'Completed')
        answer = service.PrepareDataForGetting(EXCHANGE_PLAN,
            'БГУ', 0)
        result = service.PrepareDataActionResult(answer['OperationID'])
        archive = service.GetDataPart(result['return']['FileID'], 1)
        header, mapping, body = mapping_.parse_header(
            etree.fromstring(read_zip(archive['return'])))
        self.assertEqual((header.message_no, len(body)), (2, 0))
        with self.db():
            Message = Pool().get('copp.exchange_1c.message')
            first = Message.search([('direction', '=', 'out'),
                    ('message_no', '=', 1)])[0]
            self.assertEqual(first.state, 'confirmed')

    def test_3_hostile(self):
        service = self.zeep_client()
        xxe = b'''<?xml version="1.0"?>
<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:m="http://www.1c.ru/SSL/EnterpriseDataExchange_1_0_1_1">
<soap:Body><m:Ping>&x;</m:Ping></soap:Body></soap:Envelope>'''
        auth = (LOGIN.encode('utf-8'), PASSWORD.encode('utf-8'))
        response = requests.post(self.url, data=xxe, auth=auth,
            headers={'Content-Type': 'text/xml; charset=utf-8'}, timeout=10)
        self.assertEqual(response.status_code, 500)
        self.assertIn('DOCTYPE', response.content.decode('utf-8'))
        self.assertNotIn('root:', response.content.decode('utf-8'))
        # A message with a billion laughs, a truncated zip, a wrong
        # namespace, a contract for an unknown counterparty.
        peer_1c = Peer1C(organization_uuid=self.organization_uuid)
        peer_1c.message_no = 10
        good = make_zip(peer_1c.build_message())
        # An object the format does not know.
        peer_1c.pending.append(etree.Element(
                objects_1c.q('Документ.Неизвестный')))
        unknown = make_zip(peer_1c.build_message())
        peer_1c.queue_payments([payment(contract_uuid=self.contract_b)])
        wrong_ns = peer_1c.build_message().replace(
            b'EnterpriseData/1.11">', b'Other">', 1)
        self.assertIn(b'Other">', wrong_ns)
        wrong_ns = make_zip(wrong_ns)
        for name, data, expected in [
                ('laughs', make_zip(LAUGHS), 'DOCTYPE'),
                ('truncated', good[:-30], 'Архив'),
                ('namespace', wrong_ns, 'Пространство имён'),
                ('unknown', unknown, 'Документ.Неизвестный'),
                ]:
            with self.subTest(case=name):
                result = self.put(service, data)
                self.assertEqual(result['return'], 'Failed')
                self.assertIn(expected, result['ErrorMessage'])
        # A request larger than the limit is refused before it is read.
        from trytond import config as tconfig
        if not tconfig._config.has_section('copp_exchange_1c'):
            tconfig._config.add_section('copp_exchange_1c')
        config.set('copp_exchange_1c', 'max_request_size', str(64 * 1024))
        try:
            with self.assertRaises(zeep.exceptions.Error):
                service.PutFilePart(str(uuid.uuid4()), 1, b'0' * 100_000)
        finally:
            tconfig._config.remove_option(
                'copp_exchange_1c', 'max_request_size')
            tconfig._cache_clear()
        # The service still answers, and nothing was applied.
        self.assertIn(service.Ping(), ('', None))
        with self.db():
            pool = Pool()
            Message = pool.get('copp.exchange_1c.message')
            failed = Message.search([('state', '=', 'failed')])
            errors = ' '.join(m.error for m in failed)
            for expected in ['DOCTYPE', 'Архив', 'Пространство имён',
                    'Документ.Неизвестный', 'больше допустимого']:
                self.assertIn(expected, errors)
            Contract = pool.get('copp.contract')
            self.assertEqual(len(Contract.search([])), 6)
            # Only the payment of test_2 is there.
            self.assertEqual(len(pool.get('copp.contract.payment').search(
                        [])), 1)

    def test_4_account_per_college(self):
        """The account of another college exchanges that college's data
        only: its message carries none of our contracts, and a payment it
        sends for one of them is refused"""
        service = self.zeep_client(login=LOGIN_K)
        answer = service.PrepareDataForGetting(EXCHANGE_PLAN,
            'БГУ', 0)
        result = service.PrepareDataActionResult(answer['OperationID'])
        archive = service.GetDataPart(result['return']['FileID'], 1)[
            'return']
        service.ConfirmGettingFile(result['return']['FileID'], True)
        header, mapping, body = mapping_.parse_header(
            etree.fromstring(read_zip(archive)))
        guids = {mapping.guid_of(e) for e in body}
        self.assertLessEqual(self.contracts_k, guids)
        self.assertNotIn(self.contract_a, guids)
        self.assertNotIn(self.contract_b, guids)
        organizations = {ref.text
            for org in body.iter(mapping.q('Организация'))
            for ref in org.iterchildren(mapping.q('Ссылка'))}
        self.assertEqual(organizations, {self.organization_k_uuid})

        peer_1c = self.peer_1c_k
        peer_1c.queue_payments([payment(contract_uuid=self.contract_a,
                    amount='100.00', doc_number='999')])
        result = self.put(service, make_zip(peer_1c.build_message()))
        self.assertEqual(result['return'], 'Completed')
        with self.db():
            pool = Pool()
            Payment = pool.get('copp.contract.payment')
            Message = pool.get('copp.exchange_1c.message')
            Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
            self.assertEqual(Payment.search([('number', '=', '999')]), [])
            # Not on the other college's contract: in this college's queue.
            entry, = Unmatched.search([('number', '=', '999')])
            self.assertEqual(entry.company.short_name, 'КК')
            self.assertIn("Договор не найден", entry.reason)
            # Each college's journal holds its own messages.
            self.assertEqual({m.company.short_name for m in Message.search(
                            [('peer', '=', self.peer_k_id)])}, {'КК'})

    def test_5_throttled(self):
        """30 wrong passwords in a row: the first are refused as wrong, then
        the account is locked for this address with a Russian Fault, the
        right password included"""
        statuses = []
        for _ in range(30):
            response = requests.post(self.url, data=b'<x/>', timeout=10,
                auth=(LOGIN_GUESSED, 'guess'))
            statuses.append(response.status_code)
        self.assertEqual(statuses, [401] * 5 + [429] * 25)
        self.assertIn("заблокирована для этого адреса",
            response.content.decode('utf-8'))
        with self.assertRaises(zeep.exceptions.Error):
            self.zeep_client(login=LOGIN_GUESSED).Ping()
        # The other accounts work.
        self.assertIn(self.zeep_client().Ping(), ('', None))

    def soap(self, operation, body, login=LOGIN):
        "A raw SOAP 1.1 request, as another system may write it"
        data = (f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP11}" xmlns:m="{TNS}">'
            f'<soap:Body><m:{operation}>{body}</m:{operation}></soap:Body>'
            '</soap:Envelope>').encode('utf-8')
        response = requests.post(self.url, data=data, timeout=60,
            auth=(login.encode('utf-8'), PASSWORD.encode('utf-8')),
            headers={'Content-Type': 'text/xml; charset=utf-8'})
        root = etree.fromstring(response.content, etree.XMLParser(
                huge_tree=True))
        return response.status_code, root.find(f'{{{SOAP11}}}Body')[0]

    def test_6_published_shapes(self):
        """The answers carry `return` first, then the out-parameters;
        PartSize «1024.0» and PartNumber 0 are taken as 1C sends them; a
        missing part is an ErrorMessage; a part of 8 MB is taken whole"""
        # The other college's objects are not confirmed yet: sent again.
        status, answer = self.soap('PrepareDataForGetting',
            f'<m:ExchangePlanName>{EXCHANGE_PLAN}</m:ExchangePlanName>'
            '<m:PeerCode>БГУ</m:PeerCode><m:PartSize>1.0</m:PartSize>',
            login=LOGIN_K)
        self.assertEqual(status, 200)
        self.assertEqual([etree.QName(e).localname for e in answer],
            ['return', 'OperationID', 'ErrorMessage'])
        operation_id = answer.findtext(f'{{{TNS}}}OperationID')
        status, answer = self.soap('PrepareDataActionResult',
            f'<m:OperationID>{operation_id}</m:OperationID>', login=LOGIN_K)
        self.assertEqual([etree.QName(e).localname for e in answer],
            ['return', 'ErrorMessage'])
        result = answer.find(f'{{{TNS}}}return')
        self.assertEqual([etree.QName(e).localname for e in result],
            ['ErrorMessage', 'FileID', 'PartCount', 'Status'])
        file_id = result.findtext(f'{{{RESULT_NS}}}FileID')
        count = int(result.findtext(f'{{{RESULT_NS}}}PartCount'))
        self.assertGreater(count, 1)
        # A client numbering the parts from 0 gets them all.
        parts = []
        for number in range(count):
            status, answer = self.soap('GetDataPart',
                f'<m:FileID>{file_id}</m:FileID>'
                f'<m:PartNumber>{number}</m:PartNumber>', login=LOGIN_K)
            self.assertEqual([etree.QName(e).localname for e in answer],
                ['return', 'ErrorMessage'])
            parts.append(base64.b64decode(answer.findtext(
                        f'{{{TNS}}}return')))
        self.assertTrue(read_zip(b''.join(parts)).startswith(b'<?xml'))
        status, answer = self.soap('GetDataPart',
            f'<m:FileID>{file_id}</m:FileID>'
            f'<m:PartNumber>{count}</m:PartNumber>', login=LOGIN_K)
        self.assertEqual(status, 200)
        self.assertEqual(answer.find(f'{{{TNS}}}return').get(
                '{http://www.w3.org/2001/XMLSchema-instance}nil'), 'true')
        self.assertIn("Части №", answer.findtext(f'{{{TNS}}}ErrorMessage'))

        # PartSize «1024.0», as 1C writes a decimal: one part of 1 MB.
        status, answer = self.soap('PrepareDataForGetting',
            f'<m:ExchangePlanName>{EXCHANGE_PLAN}</m:ExchangePlanName>'
            '<m:PeerCode>БГУ</m:PeerCode><m:PartSize>1024.0</m:PartSize>',
            login=LOGIN_K)
        self.assertEqual(status, 200)
        self.assertFalse(answer.findtext(f'{{{TNS}}}ErrorMessage'))
        status, answer = self.soap('PrepareDataActionResult',
            '<m:OperationID>'
            f'{answer.findtext(f"{{{TNS}}}OperationID")}</m:OperationID>',
            login=LOGIN_K)
        result = answer.find(f'{{{TNS}}}return')
        self.assertEqual((result.findtext(f'{{{RESULT_NS}}}Status'),
                result.findtext(f'{{{RESULT_NS}}}PartCount')),
            ('Completed', '1'))

        # A message over 8 MB of objects we do not read, in one part
        # numbered 0, then in parts of 7.5 MB.
        peer_1c = Peer1C(organization_uuid=self.organization_uuid)
        peer_1c.message_no = 20
        for part_size in [None, int(7.5 * 1024 * 1024)]:
            for _ in range(3000):
                peer_1c.pending.append(objects_1c.filler(base64.b64encode(
                            os.urandom(3000)).decode('ascii')))
            data = make_zip(peer_1c.build_message())
            self.assertGreater(len(data), 8 * 1024 * 1024)
            file_id = str(uuid.uuid4())
            chunks = ([(0, data)] if part_size is None else
                [(n, data[i:i + part_size]) for n, i in enumerate(
                        range(0, len(data), part_size), 1)])
            for number, chunk in chunks:
                status, answer = self.soap('PutFilePart',
                    f'<m:FileID>{file_id}</m:FileID>'
                    f'<m:PartNumber>{number}</m:PartNumber>'
                    f'<m:PartData>{base64.b64encode(chunk).decode()}'
                    '</m:PartData>')
                self.assertEqual(status, 200, etree.tostring(answer))
                self.assertEqual([etree.QName(e).localname for e in answer],
                    ['return', 'ErrorMessage'])
            status, answer = self.soap('PutData',
                f'<m:ExchangePlanName>{EXCHANGE_PLAN}</m:ExchangePlanName>'
                f'<m:PeerCode>БГУ</m:PeerCode><m:FileID>{file_id}</m:FileID>')
            self.assertEqual([etree.QName(e).localname for e in answer],
                ['return', 'OperationID', 'ErrorMessage'])
            operation_id = answer.findtext(f'{{{TNS}}}OperationID')
            status, answer = self.soap('PutDataActionResult',
                f'<m:OperationID>{operation_id}</m:OperationID>')
            self.assertEqual(answer.findtext(f'{{{TNS}}}return'),
                'Completed', answer.findtext(f'{{{TNS}}}ErrorMessage'))
