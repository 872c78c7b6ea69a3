"""A test peer that plays 1С:БГУ: the web service EnterpriseDataExchange_1_0_1_1
of a 1C base, served on loopback (werkzeug in a thread), for our client.

Written from 1C's published files — not from our WSDL nor our SOAP code:
- the operations, their in- and out-parameters and their order are read from
  the service's metadata (EnterpriseDataExchange_1_0_1_1.webservice.xml, the
  unchanged copy in data/); every answer is `return`, then the
  out-parameters, nil when 1C leaves them undefined;
- each operation does what EnterpriseDataExchange_1_0_1_1.Module.bsl and
  ОбменДаннымиСлужебный do: PrepareDataForGetting starts a background job
  and answers its OperationID; PrepareDataActionResult answers a
  PrepareDataOperationResult (Active on the first poll, then Completed with
  FileID and PartCount, Canceled for an unknown job); the file is
  `data.xml` zipped and cut in parts `<id>.zip.1…N` of PartSize KB (a
  decimal; 0: one part); GetDataPart answers a part 1…N or, for another
  number, nil and the ErrorMessage «Часть файла с указанным номером не
  найдена.»; PutFilePart takes PartNumber 0 or empty as 1 and refuses an
  empty FileID by an exception (a SOAP Fault); PutData joins data.zip.1…N
  and loads them in a background job whose state PutDataActionResult
  answers.

It keeps what it receives, numbers its own messages, confirms ours through
ReceivedNo, and hands out the payments a test queues. Faults on demand:
`empty_part`, `short_part`, `fail_put`, `fail_prepare`."""
import base64
import os
import threading
import uuid
import zipfile
import io

from lxml import etree
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from copp_exchange_1c.validator import validate_message

from . import objects_1c

DESCRIPTION = os.path.join(os.path.dirname(os.path.dirname(__file__)),
    'data', 'EnterpriseDataExchange_1_0_1_1.webservice.xml')
MD = '{http://v8.1c.ru/8.3/MDClasses}'
SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
XSI_NIL = '{http://www.w3.org/2001/XMLSchema-instance}nil'
RESULT_NS = 'http://v8.1c.ru/SSL/Exchange/EnterpriseDataExchange'
PLAN = 'СинхронизацияДанныхЧерезУниверсальныйФормат'
PART_NOT_FOUND = "Часть файла с указанным номером не найдена."
NODE_NOT_FOUND = ("Заданный узел плана обмена не найден. Обратитесь к "
    "администратору приложения.")


def read_description(path=DESCRIPTION):
    """(namespace, {operation: ([in names], [(out name, type)])}) of the
    web service's metadata; `return` is the first output"""
    root = etree.parse(path).getroot()
    service = root.find(f'{MD}WebService')
    namespace = service.find(f'{MD}Properties').findtext(f'{MD}Namespace')
    operations = {}
    for node in service.iter(f'{MD}Operation'):
        props = node.find(f'{MD}Properties')
        inputs, outputs = [], [('return', props.findtext(
                    f'{MD}XDTOReturningValueType').rpartition(':')[2])]
        for param in node.iter(f'{MD}Parameter'):
            pprops = param.find(f'{MD}Properties')
            name = pprops.findtext(f'{MD}Name')
            direction = pprops.findtext(f'{MD}TransferDirection')
            type_ = pprops.findtext(f'{MD}XDTOValueType').rpartition(':')[2]
            if direction in ('In', 'InOut'):
                inputs.append((name, type_))
            if direction in ('Out', 'InOut'):
                outputs.append((name, type_))
        operations[props.findtext(f'{MD}Name')] = (inputs, outputs)
    return namespace, operations


NAMESPACE, OPERATIONS = read_description()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class Fault(Exception):
    "ВызватьИсключение in the 1C module: a SOAP Fault"


def _value(element, type_):
    if element is None or element.get(XSI_NIL) == 'true':
        return None
    text = element.text or ''
    if type_ == 'int':
        return int(text) if text.strip() else None
    if type_ == 'decimal':
        return float(text)
    if type_ == 'boolean':
        return text.strip() == 'true'
    if type_ == 'base64Binary':
        return base64.b64decode(text)
    return text


def _zip(xml):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('data.xml', xml)
    return buffer.getvalue()


class Peer1C:

    def __init__(self, login='exchange', password='secret-1c',
            own_code='БГУ', our_code='ЦОПП', organization_uuid=None,
            inn='6234000007'):
        self.login = login
        self.password = password
        self.own_code = own_code      # the code of this 1C base
        self.our_code = our_code      # the code of ГИС ЦОПП in its plan
        self.organization = {'uuid': organization_uuid or str(uuid.uuid4()),
            'name': "Колледж", 'inn': inn, 'kpp': inn[:4] + '01001'}
        self.message_no = 0       # our MessageNo counter (as 1C)
        self.received_no = 0      # the MessageNo of ГИС ЦОПП last received
        self.received = []        # (root, body) of the messages received
        self.issues = []          # what the package found in them
        self.objects = {}         # guid -> (type, element) of all received
        self.uploads = {}         # FileID -> {part: bytes}
        self.jobs = {}            # OperationID -> job
        self.files = {}           # FileID -> [parts]
        self.sizes = []           # sizes of the files prepared
        self.pending = []         # objects for the next message
        self.fail_put = None      # an error of the loading job
        self.fail_prepare = None  # an error of the preparing job
        self.empty_part = None    # a part number answered empty
        self.short_part = None    # a part number answered cut
        self.calls = []           # operation names, in order
        self.server = None
        self.thread = None

    # Content ----------------------------------------------------------------

    def queue_payments(self, payments):
        "payments: [{uuid?, date, number, amount, payer?, lines:[…]}]"
        for values in payments:
            self.pending.append(objects_1c.payment(values,
                    self.organization))

    def queue_refunds(self, refunds):
        "refunds to payers: the same values as queue_payments"
        for values in refunds:
            self.pending.append(objects_1c.refund(values,
                    self.organization))

    def build_message(self, message_no=None):
        "The next message of 1C: the pending objects and our ReceivedNo"
        if message_no is None:
            self.message_no += 1
            message_no = self.message_no
        data = objects_1c.message(self.pending, message_no,
            self.received_no, self.own_code, self.our_code)
        self.pending = []
        return data

    def _load(self, data):
        "Load a message of ГИС ЦОПП (as the XDTO reading of 1C)"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(archive.infolist()[0])
        root = etree.fromstring(xml, etree.XMLParser(huge_tree=True,
                resolve_entities=False, no_network=True))
        issues = validate_message(root).issues
        if issues:
            self.issues.extend(str(i) for i in issues)
            raise Fault('; '.join(str(i) for i in issues[:3]))
        msg = f'{{{objects_1c.MSG}}}'
        confirmation = root.find(f'{msg}Header/{msg}Confirmation')
        body = root.find(objects_1c.q('Body'))
        for element in body:
            keys = element.find(objects_1c.q('КлючевыеСвойства'))
            guid = keys.findtext(objects_1c.q('Ссылка'))
            self.objects[guid] = (etree.QName(element).localname, element)
        self.received.append((root, body))
        number = int(confirmation.findtext(f'{msg}MessageNo'))
        self.received_no = max(self.received_no, number)

    # Operations (ProcedureName of the metadata) -------------------------------

    def Ping(self):
        return {'return': ''}

    def TestConnection(self, ExchangePlanName, PeerCode):
        if ExchangePlanName != PLAN or PeerCode != self.our_code:
            return {'return': False, 'ErrorMessage': NODE_NOT_FOUND}
        return {'return': True, 'ErrorMessage': ''}

    def PrepareDataForGetting(self, ExchangePlanName, PeerCode, PartSize):
        job = str(uuid.uuid4())
        if ExchangePlanName != PLAN or PeerCode != self.our_code:
            self.jobs[job] = {'state': 'Failed', 'error': NODE_NOT_FOUND}
        elif self.fail_prepare:
            self.jobs[job] = {'state': 'Failed', 'error': self.fail_prepare}
        else:
            file_id = str(uuid.uuid4())
            archive = _zip(self.build_message())
            self.sizes.append(len(archive))
            size = int((PartSize or 0) * 1024)
            parts = ([archive[i:i + size]
                    for i in range(0, len(archive), size)]
                if size > 0 else [archive])
            self.files[file_id] = parts
            self.jobs[job] = {'state': 'Active', 'polls': 0,
                'file': file_id, 'count': len(parts)}
        return {'return': '', 'OperationID': job, 'ErrorMessage': ''}

    def PrepareDataActionResult(self, OperationID):
        job = self.jobs.get(OperationID)
        if job is None:
            result = {'Status': 'Canceled', 'ErrorMessage': '',
                'FileID': '', 'PartCount': 0}
        elif job['state'] == 'Failed':
            result = {'Status': 'Failed', 'ErrorMessage': job['error'],
                'FileID': '', 'PartCount': 0}
        elif job['polls'] == 0:
            # The first poll finds the background job still running.
            job['polls'] = 1
            result = {'Status': 'Active', 'ErrorMessage': '',
                'FileID': '', 'PartCount': 0}
        else:
            result = {'Status': 'Completed', 'ErrorMessage': '',
                'FileID': job['file'], 'PartCount': job['count']}
        return {'return': result, 'ErrorMessage': ''}

    def GetDataPart(self, FileID, PartNumber):
        parts = self.files.get(FileID) or []
        if PartNumber is None or not 1 <= PartNumber <= len(parts):
            return {'return': None, 'ErrorMessage': PART_NOT_FOUND}
        part = parts[PartNumber - 1]
        if PartNumber == self.empty_part:
            part = b''
        elif PartNumber == self.short_part:
            part = part[:len(part) // 2]
        return {'return': part, 'ErrorMessage': ''}

    def ConfirmGettingFile(self, FileID, ClearDataPool):
        self.files.pop(FileID, None)
        return {'return': '', 'ErrorMessage': ''}

    def PutFilePart(self, FileID, PartNumber, PartData):
        if not FileID:
            raise Fault("Не указан идентификатор загружаемого файла.")
        if not PartNumber:
            PartNumber = 1
        self.uploads.setdefault(FileID, {})[PartNumber] = PartData or b''
        return {'return': '', 'ErrorMessage': ''}

    def PutData(self, ExchangePlanName, PeerCode, FileID):
        parts = self.uploads.pop(FileID, None)
        if not parts:
            raise Fault(f"Не найден ни один фрагмент сессии передачи с "
                f"идентификатором {FileID}.")
        data = b''.join(parts[n] for n in range(1, len(parts) + 1))
        job = str(uuid.uuid4())
        if self.fail_put:
            self.jobs[job] = {'state': 'Failed', 'error': self.fail_put}
        else:
            try:
                self._load(data)
                self.jobs[job] = {'state': 'Completed', 'error': ''}
            except Fault as exc:
                self.jobs[job] = {'state': 'Failed', 'error': str(exc)}
        return {'return': '', 'OperationID': job, 'ErrorMessage': ''}

    def PutDataActionResult(self, OperationID):
        job = self.jobs.get(OperationID)
        if job is None:
            return {'return': 'Canceled', 'ErrorMessage': ''}
        return {'return': job['state'], 'ErrorMessage': job['error']}

    # SOAP -----------------------------------------------------------------------

    def _answer(self, operation, results):
        inputs, outputs = OPERATIONS[operation]
        root = etree.Element(f'{{{SOAP11}}}Envelope', nsmap={'soap': SOAP11,
                'm': NAMESPACE,
                'xsi': 'http://www.w3.org/2001/XMLSchema-instance'})
        body = etree.SubElement(root, f'{{{SOAP11}}}Body')
        response = etree.SubElement(body, f'{{{NAMESPACE}}}{operation}'
            'Response')
        for name, type_ in outputs:
            element = etree.SubElement(response, f'{{{NAMESPACE}}}{name}')
            value = results.get(name)
            if value is None:
                element.set(XSI_NIL, 'true')
            elif type_ == 'PrepareDataOperationResult':
                for key in ('ErrorMessage', 'FileID', 'PartCount', 'Status'):
                    etree.SubElement(element, f'{{{RESULT_NS}}}{key}'
                        ).text = str(value[key])
            elif type_ == 'base64Binary':
                element.text = base64.b64encode(value).decode()
            elif type_ == 'boolean':
                element.text = 'true' if value else 'false'
            else:
                element.text = str(value)
        return etree.tostring(root, xml_declaration=True, encoding='UTF-8')

    def _fault(self, text):
        root = etree.Element(f'{{{SOAP11}}}Envelope', nsmap={'soap': SOAP11})
        body = etree.SubElement(root, f'{{{SOAP11}}}Body')
        fault = etree.SubElement(body, f'{{{SOAP11}}}Fault')
        etree.SubElement(fault, 'faultcode').text = 'soap:Server'
        etree.SubElement(fault, 'faultstring').text = text
        return etree.tostring(root, xml_declaration=True, encoding='UTF-8')

    def handle(self, data):
        "(status, body) of a SOAP request"
        try:
            root = etree.fromstring(data, etree.XMLParser(huge_tree=True,
                    resolve_entities=False, no_network=True))
            call = root.find(f'{{{SOAP11}}}Body')[0]
        except (etree.XMLSyntaxError, TypeError, IndexError) as exc:
            return 500, self._fault(f"Неверный запрос SOAP: {exc}")
        operation = etree.QName(call).localname
        inputs, _ = OPERATIONS[operation]
        params = {name: _value(call.find(f'{{{NAMESPACE}}}{name}'), type_)
            for name, type_ in inputs}
        self.calls.append(operation)
        try:
            return 200, self._answer(operation,
                getattr(self, operation)(**params))
        except Fault as exc:
            return 500, self._fault(str(exc))

    def wsgi(self, environ, start_response):
        request = Request(environ)
        expected = 'Basic ' + base64.b64encode(
            f'{self.login}:{self.password}'.encode('utf-8')).decode('ascii')
        if request.headers.get('Authorization', '') != expected:
            response = Response('Unauthorized', status=401,
                headers={'WWW-Authenticate': 'Basic realm="1C"'})
        elif request.method != 'POST':
            response = Response('Not Found', status=404)
        else:
            status, body = self.handle(request.get_data())
            response = Response(body, status=status,
                content_type='text/xml; charset=utf-8')
        return response(environ, start_response)

    def start(self):
        self.server = make_server('127.0.0.1', 0, self.wsgi,
            request_handler=_QuietHandler, threaded=True)
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
        return (f'http://{host}:{port}/bgu/ws/'
            'EnterpriseDataExchange_1_0_1_1.1cws')


def payment(contract_uuid=None, number=None, amount='1000.00', payer=None,
        date=None, doc_number='15', guid=None, kind='СПокупателем',
        contract_date=None):
    "A payment as 1C sends it: one line for a contract"
    import datetime as dt
    from decimal import Decimal
    return {
        'uuid': guid or str(uuid.uuid4()),
        'date': date or dt.date(2026, 10, 1),
        'number': doc_number,
        'amount': Decimal(amount),
        'purpose': "Оплата за обучение",
        'kind': kind,
        'payer': payer,
        'lines': [{
                'amount': Decimal(amount),
                'contract': {'uuid': contract_uuid, 'number': number,
                    'date': contract_date},
                }],
        }
