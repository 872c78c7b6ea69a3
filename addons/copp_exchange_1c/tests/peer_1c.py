"""A test peer that plays 1С:БГУ: the 1C side of EnterpriseDataExchange_1_0_1_1
served on loopback (werkzeug in a thread), used by our zeep client.

It keeps what it receives (our messages, parsed), numbers its own messages,
confirms ours through ReceivedNo, and hands out a message with payments that
a test prepares (`queue_payments`)."""
import base64
import datetime as dt
import threading
import uuid
from decimal import Decimal

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from copp_exchange_1c import mapping as mapping_
from copp_exchange_1c.mapping_format import EXCHANGE_PLAN, Header
from copp_exchange_1c import soap
from copp_exchange_1c.safexml import make_zip, parse_xml, read_zip, split


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class Peer1C:

    def __init__(self, login='exchange', password='secret-1c',
            own_code='БГУ', our_code='ЦОПП', version='1.11',
            organization_uuid=None):
        self.login = login
        self.password = password
        self.own_code = own_code      # the code of this 1C base
        self.our_code = our_code      # the code of ГИС ЦОПП in its plan
        self.mapping = mapping_.get_mapping(version)
        self.organization = {'uuid': organization_uuid or str(uuid.uuid4()),
            'name': "Колледж", 'inn': '6234000007', 'kpp': '623401001'}
        self.message_no = 0       # our MessageNo counter (as 1C)
        self.received_no = 0      # the MessageNo of ГИС ЦОПП last received
        self.received = []        # (header, body) of the messages of ГИС ЦОПП
        self.objects = {}         # guid -> (type, element) of all received
        self.files = {}           # FileID -> {part: bytes}
        self.prepared = {}        # OperationID -> (FileID, zip)
        self.put = {}             # OperationID -> status
        self.pending = []         # payment elements for the next message
        self.fail_put = None      # an error to answer PutData with
        self.calls = []           # operation names, in order
        self.server = None
        self.thread = None

    # Content ----------------------------------------------------------------

    def queue_payments(self, payments):
        "payments: [{uuid?, date, number, amount, lines:[…]}]"
        for payment in payments:
            payment = dict(payment)
            payment.setdefault('uuid', str(uuid.uuid4()))
            payment.setdefault('organization', self.organization)
            self.pending.append(self.mapping.payment_element(payment))

    def build_message(self, message_no=None):
        "The next message of 1C: the pending objects and our ReceivedNo"
        if message_no is None:
            self.message_no += 1
            message_no = self.message_no
        header = Header(self.mapping.version, message_no=message_no,
            received_no=self.received_no, sender=self.own_code,
            recipient=self.our_code)
        root, body = self.mapping.new_message(header)
        for element in self.pending:
            body.append(element)
        self.pending = []
        return self.mapping.serialize(root)

    def _apply(self, data):
        xml = read_zip(data)
        root = parse_xml(xml)
        header, mapping, body = mapping_.parse_header(root)
        for element in body:
            guid = mapping.guid_of(element)
            self.objects[guid] = (mapping.object_type(element), element)
        self.received.append((header, body))
        if header.message_no:
            self.received_no = max(self.received_no, header.message_no)

    # Operations (the 1C side) -----------------------------------------------

    def Ping(self):
        self.calls.append('Ping')
        return {'return': ''}

    def TestConnection(self, ExchangePlanName, PeerCode):
        self.calls.append('TestConnection')
        if ExchangePlanName != EXCHANGE_PLAN:
            return {'return': False,
                'ErrorMessage': f"Нет плана обмена {ExchangePlanName}"}
        if PeerCode != self.our_code:
            return {'return': False,
                'ErrorMessage': f"Узел с кодом {PeerCode} не найден"}
        return {'return': True, 'ErrorMessage': ''}

    def PrepareDataForGetting(self, ExchangePlanName, PeerCode, PartSize):
        self.calls.append('PrepareDataForGetting')
        operation_id = str(uuid.uuid4())
        file_id = str(uuid.uuid4())
        archive = make_zip(self.build_message())
        self.prepared[operation_id] = (file_id, archive, PartSize, 0)
        return {'OperationID': operation_id, 'ErrorMessage': ''}

    def PrepareDataActionResult(self, OperationID):
        self.calls.append('PrepareDataActionResult')
        file_id, archive, part_size, polls = self.prepared[OperationID]
        if polls == 0:
            # The first poll finds the operation still running, as in 1C.
            self.prepared[OperationID] = (file_id, archive, part_size, 1)
            return {'return': {'Status': 'Active'}, 'ErrorMessage': ''}
        return {'return': {'Status': 'Completed', 'ErrorMessage': '',
                'FileID': file_id,
                'PartCount': len(split(archive, part_size))},
            'ErrorMessage': ''}

    def GetDataPart(self, FileID, PartNumber):
        self.calls.append('GetDataPart')
        for file_id, archive, part_size, _ in self.prepared.values():
            if file_id == FileID:
                return {'return': split(archive, part_size)[PartNumber - 1]}
        raise soap.SoapFault("Нет файла")

    def ConfirmGettingFile(self, FileID, ClearDataPool):
        self.calls.append('ConfirmGettingFile')
        return {}

    def PutFilePart(self, FileID, PartNumber, PartData):
        self.calls.append('PutFilePart')
        self.files.setdefault(FileID, {})[PartNumber] = PartData
        return {}

    def PutData(self, ExchangePlanName, PeerCode, FileID):
        self.calls.append('PutData')
        operation_id = str(uuid.uuid4())
        if self.fail_put:
            self.put[operation_id] = ('Failed', self.fail_put)
            return {'OperationID': operation_id}
        parts = self.files.pop(FileID)
        data = b''.join(parts[n] for n in sorted(parts))
        self._apply(data)
        self.put[operation_id] = ('Completed', '')
        return {'OperationID': operation_id}

    def PutDataActionResult(self, OperationID):
        self.calls.append('PutDataActionResult')
        status, error = self.put[OperationID]
        return {'return': status, 'ErrorMessage': error}

    # HTTP -------------------------------------------------------------------

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.method == 'GET':
            response = Response(soap.wsdl(request.base_url),
                content_type='text/xml; charset=utf-8')
            return response(environ, start_response)
        auth = request.headers.get('Authorization', '')
        expected = 'Basic ' + base64.b64encode(
            f'{self.login}:{self.password}'.encode('utf-8')).decode('ascii')
        if auth != expected:
            response = Response('Unauthorized', status=401,
                headers={'WWW-Authenticate': 'Basic realm="1C"'})
            return response(environ, start_response)
        status, content_type, body, _ = soap.dispatch(
            self, request.get_data())
        response = Response(body, status=status, content_type=content_type)
        return response(environ, start_response)

    def start(self):
        self.server = make_server('127.0.0.1', 0, self.wsgi,
            request_handler=_QuietHandler)
        self.thread = threading.Thread(target=self.server.serve_forever,
            daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f'http://{host}:{port}/bgu/ws/EnterpriseDataExchange_1_0_1_1.1cws'


def payment(contract_uuid=None, number=None, amount='1000.00', payer=None,
        date=dt.date(2026, 10, 1), doc_number='15', guid=None):
    "A payment as 1C sends it: one line for a contract"
    return {
        'uuid': guid or str(uuid.uuid4()),
        'date': date,
        'number': doc_number,
        'amount': Decimal(amount),
        'purpose': "Оплата за обучение",
        'lines': [{
                'amount': Decimal(amount),
                'payer': payer,
                'contract': {'uuid': contract_uuid, 'number': number},
                }],
        }
