"""Message files as stock 1C exchanges them (ExchangeMessageTransport):
`Message_<sender>_<recipient>.zip` holding the message, through a shared
folder and through FTP (pyftpdlib on loopback), with the same numbering,
confirmation and journal as the web service."""
import io
import os
import shutil
import tempfile
import threading
import unittest
import zipfile
from decimal import Decimal

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from copp_exchange_1c.exchange import exchange_with_peer
from copp_exchange_1c.validator import validate_message

from .peer_1c import payment
from .tools import MSG, body_objects, peer_1c_of, setup_college

D = Decimal
IN_NAME = 'Message_БГУ_ЦОПП'    # 1C → ГИС ЦОПП
OUT_NAME = 'Message_ЦОПП_БГУ'   # ГИС ЦОПП → 1C


def zipped(name, xml):
    "A message file as 1C packs it: the .xml inside the .zip of its name"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name + '.xml', xml)
    return buffer.getvalue()


def unzipped(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        return names, archive.read(names[0])


class FtpServer:
    "pyftpdlib on loopback with one account and its home folder"

    def __init__(self, home, login='bgu', password='ftp-пароль-1'):
        from pyftpdlib.authorizers import DummyAuthorizer
        from pyftpdlib.handlers import FTPHandler
        from pyftpdlib.servers import FTPServer
        authorizer = DummyAuthorizer()
        authorizer.add_user(login, password, home, perm='elradfmw')
        handler = type('Handler', (FTPHandler,), {
                'authorizer': authorizer, 'banner': "1C FTP"})
        self.server = FTPServer(('127.0.0.1', 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever,
            kwargs={'timeout': 0.2, 'handle_exit': False}, daemon=True)
        self.thread.start()

    @property
    def port(self):
        return self.server.address[1]

    def stop(self):
        self.server.close_all()
        self.thread.join(5)


class FilesTestCase(unittest.TestCase):
    "Folder and FTP transports"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix='copp-1c-files-')
        self.folder = os.path.join(self.root, 'obmen')
        os.mkdir(self.folder)

    def tearDown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def write_1c(self, data, name=IN_NAME + '.zip'):
        with open(os.path.join(self.folder, name), 'wb') as file:
            file.write(data)

    def read_ours(self):
        with open(os.path.join(self.folder, OUT_NAME + '.zip'), 'rb') as file:
            return unzipped(file.read())

    def _flow(self, peer):
        """1C leaves a payment; we apply it and leave our message; the same
        file is not read twice; 1C's next message confirms ours"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Message = pool.get('copp.exchange_1c.message')
        Peer = pool.get('copp.exchange_1c.peer')
        contract_b = pool.get('copp.contract').search(
            [('state', '=', 'signed'), ('company', '=', peer.company.id)],
            order=[('id', 'DESC')])[0]
        peer_1c = peer_1c_of(peer)
        peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                    amount='12000.00', doc_number='601')])
        self.write_1c(zipped(IN_NAME, peer_1c.build_message()))
        self.assertTrue(exchange_with_peer(peer), Peer(peer.id).last_error)
        payment_, = Payment.search([])
        self.assertEqual((payment_.contract, payment_.amount),
            (contract_b, D('12000.00')))
        names, xml = self.read_ours()
        self.assertEqual(names, [OUT_NAME + '.xml'])
        root = etree.fromstring(xml)
        self.assertEqual(validate_message(root, strict=True).issues, [])
        header = root.find(f'{MSG}Header/{MSG}Confirmation')
        self.assertEqual([header.findtext(f'{MSG}{t}') for t in [
                    'From', 'To', 'MessageNo', 'ReceivedNo']],
            ['ЦОПП', 'БГУ', '1', '1'])
        self.assertEqual(len(body_objects(xml)[1]), 7)
        incoming, = Message.search([('direction', '=', 'in')])
        outgoing, = Message.search([('direction', '=', 'out')])
        self.assertEqual((incoming.state, incoming.transport,
                incoming.file_name), ('applied', peer.transport,
                IN_NAME + '.zip'))
        self.assertEqual((outgoing.state, outgoing.file_name),
            ('sent', OUT_NAME + '.zip'))
        # Nothing new from 1C: its file is not read again.
        self.assertTrue(exchange_with_peer(Peer(peer.id)))
        self.assertEqual(len(Message.search([('direction', '=', 'in')])), 1)
        # 1C read our file (message 2 by now) and confirms it; unzipped,
        # as 1C may write it.
        peer_1c.received_no = 2
        os.unlink(os.path.join(self.folder, IN_NAME + '.zip'))
        self.write_1c(peer_1c.build_message(), IN_NAME + '.xml')
        self.assertTrue(exchange_with_peer(Peer(peer.id)))
        self.assertEqual(Message(outgoing.id).state, 'confirmed')
        names, xml = self.read_ours()
        root = etree.fromstring(xml)
        header = root.find(f'{MSG}Header/{MSG}Confirmation')
        self.assertEqual((header.findtext(f'{MSG}MessageNo'),
                header.findtext(f'{MSG}ReceivedNo')), ('3', '2'))
        self.assertEqual(body_objects(xml)[1], [])
        self.assertEqual(len(Payment.search([])), 1)

    @with_transaction()
    def test_folder(self):
        (college, peer, *_) = setup_college(transport='folder',
            folder=self.folder)
        self._flow(peer)
        # No temporary file is left behind for 1C to stumble on.
        self.assertEqual(sorted(os.listdir(self.folder)),
            [IN_NAME + '.xml', OUT_NAME + '.zip'])

    @with_transaction()
    def test_folder_refused_file_read_again(self):
        """A file that was refused is read again until 1C replaces it: the
        error stays in the journal and on the peer"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        (college, peer, *_) = setup_college(transport='folder',
            folder=self.folder)
        peer_1c = peer_1c_of(peer, own_code='ЧУЖОЙ')
        self.write_1c(zipped(IN_NAME, peer_1c.build_message()))
        for attempt in [1, 2]:
            self.assertFalse(exchange_with_peer(Peer(peer.id)))
            self.assertEqual(len(Message.search([('direction', '=', 'in'),
                            ('state', '=', 'failed')])), attempt)
            self.assertIn("ЧУЖОЙ", Peer(peer.id).last_error)
        peer_1c.own_code = 'БГУ'
        self.write_1c(zipped(IN_NAME, peer_1c.build_message()))
        self.assertTrue(exchange_with_peer(Peer(peer.id)))
        self.assertIsNone(Peer(peer.id).last_error)

    @with_transaction()
    def test_folder_missing(self):
        "A folder that is not there: the error is journaled and retried"
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        Message = pool.get('copp.exchange_1c.message')
        (college, peer, *_) = setup_college(transport='folder',
            folder=os.path.join(self.root, 'нет'))
        self.assertFalse(exchange_with_peer(peer))
        failed, = Message.search([('state', '=', 'failed')])
        self.assertIn("Каталог обмена", failed.error)
        self.assertEqual(Peer(peer.id).attempts, 1)

    @with_transaction()
    def test_ftp(self):
        ftp = FtpServer(self.root)
        try:
            (college, peer, *_) = setup_college(transport='ftp',
                url=f'ftp://127.0.0.1:{ftp.port}/obmen', login='bgu',
                password='ftp-пароль-1')
            self._flow(peer)
        finally:
            ftp.stop()

    @with_transaction()
    def test_ftp_wrong_password(self):
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        ftp = FtpServer(self.root)
        try:
            (college, peer, *_) = setup_college(transport='ftp',
                url=f'ftp://127.0.0.1:{ftp.port}/obmen', login='bgu',
                password='не тот')
            self.assertFalse(exchange_with_peer(peer))
            self.assertIn("отказал во входе", Peer(peer.id).last_error)
        finally:
            ftp.stop()
