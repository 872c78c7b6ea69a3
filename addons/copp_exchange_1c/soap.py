"""SOAP of the 1C web service EnterpriseDataExchange_1_0_1_1, by hand with
lxml: the WSDL, a dispatcher of SOAP 1.1/1.2 envelopes to a handler object
(used by our trytond route, and by the test peer that plays 1C), and the
client that calls a published 1C service through zeep."""
import base64
import os
import time

from lxml import etree

from .i18n import gettext_safe
from .safexml import HostileInput, parse_xml

TNS = 'http://www.1c.ru/SSL/EnterpriseDataExchange_1_0_1_1'
RESULT_NS = 'http://v8.1c.ru/SSL/Exchange/EnterpriseDataExchange'
SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12 = 'http://www.w3.org/2003/05/soap-envelope'
SERVICE = 'EnterpriseDataExchange_1_0_1_1'
WSDL_PATH = os.path.join(os.path.dirname(__file__), 'data',
    'EnterpriseDataExchange_1_0_1_1.wsdl')

# operation: ([(parameter, type)], [(result, type)])
OPERATIONS = {
    'Ping': ([], [('return', 'string')]),
    'TestConnection': ([('ExchangePlanName', 'string'),
            ('PeerCode', 'string')],
        [('return', 'boolean'), ('ErrorMessage', 'string')]),
    'PrepareDataForGetting': ([('ExchangePlanName', 'string'),
            ('PeerCode', 'string'), ('PartSize', 'int')],
        [('OperationID', 'string'), ('ErrorMessage', 'string')]),
    'PrepareDataActionResult': ([('OperationID', 'string')],
        [('return', 'result'), ('ErrorMessage', 'string')]),
    'GetDataPart': ([('FileID', 'string'), ('PartNumber', 'int')],
        [('return', 'base64Binary')]),
    'ConfirmGettingFile': ([('FileID', 'string'),
            ('ClearDataPool', 'boolean')], []),
    'PutFilePart': ([('FileID', 'string'), ('PartNumber', 'int'),
            ('PartData', 'base64Binary')], []),
    'PutData': ([('ExchangePlanName', 'string'), ('PeerCode', 'string'),
            ('FileID', 'string')], [('OperationID', 'string')]),
    'PutDataActionResult': ([('OperationID', 'string')],
        [('return', 'string'), ('ErrorMessage', 'string')]),
    }
STATUSES = ('Active', 'Completed', 'Failed', 'Canceled')

_wsdl_template = None


def wsdl(address):
    "The WSDL with the address of the service"
    global _wsdl_template
    if _wsdl_template is None:
        with open(WSDL_PATH, encoding='utf-8') as file:
            _wsdl_template = file.read()
    from xml.sax.saxutils import escape
    return _wsdl_template.replace('{address}',
        escape(address, {'"': '&quot;'})).encode('utf-8')


class SoapFault(Exception):
    "An error answered as a SOAP Fault (translated message)"

    def __init__(self, message, code='Client'):
        super().__init__(message)
        self.code = code


def _fault(msg, code='Client', /, **variables):
    "A SoapFault of the message copp_exchange_1c.<msg>"
    return SoapFault(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables), code)


def _bool(text):
    return (text or '').strip().lower() in {'true', '1'}


def _parse_value(element, type_):
    nil = element.get('{http://www.w3.org/2001/XMLSchema-instance}nil')
    if nil in {'true', '1'}:
        return None
    text = element.text or ''
    if type_ == 'string':
        return text
    if type_ == 'int':
        try:
            return int(text.strip())
        except ValueError:
            raise _fault('msg_soap_not_integer',
                name=etree.QName(element).localname, value=text[:20])
    if type_ == 'boolean':
        return _bool(text)
    if type_ == 'base64Binary':
        try:
            return base64.b64decode(''.join(text.split()), validate=True)
        except ValueError:
            raise _fault('msg_soap_base64',
                name=etree.QName(element).localname)
    raise _fault('msg_soap_unknown_type', 'Server', type=type_)


def _write_value(parent, name, type_, value):
    element = etree.SubElement(parent, f'{{{TNS}}}{name}')
    if value is None:
        element.set('{http://www.w3.org/2001/XMLSchema-instance}nil', 'true')
        return
    if type_ == 'boolean':
        element.text = 'true' if value else 'false'
    elif type_ == 'base64Binary':
        element.text = base64.b64encode(value).decode('ascii')
    elif type_ == 'result':
        for key in ['ErrorMessage', 'FileID', 'PartCount', 'Status']:
            if value.get(key) is None and key != 'Status':
                continue
            child = etree.SubElement(element, f'{{{RESULT_NS}}}{key}')
            child.text = str(value.get(key) if value.get(key) is not None
                else '')
    else:
        element.text = str(value)


def envelope(soap_ns, build_body):
    root = etree.Element(f'{{{soap_ns}}}Envelope', nsmap={
            'soap': soap_ns, 'm': TNS, 'xsi':
            'http://www.w3.org/2001/XMLSchema-instance'})
    body = etree.SubElement(root, f'{{{soap_ns}}}Body')
    build_body(body)
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8')


def fault(message, code='Client', soap_ns=SOAP11):
    def build(body):
        element = etree.SubElement(body, f'{{{soap_ns}}}Fault')
        if soap_ns == SOAP12:
            code_el = etree.SubElement(element, f'{{{soap_ns}}}Code')
            value = etree.SubElement(code_el, f'{{{soap_ns}}}Value')
            value.text = f'soap:{"Sender" if code == "Client" else "Receiver"}'
            reason = etree.SubElement(element, f'{{{soap_ns}}}Reason')
            text = etree.SubElement(reason, f'{{{soap_ns}}}Text')
            text.set('{http://www.w3.org/XML/1998/namespace}lang', 'ru')
            text.text = message
        else:
            etree.SubElement(element, 'faultcode').text = f'soap:{code}'
            etree.SubElement(element, 'faultstring').text = message
    return envelope(soap_ns, build)


def content_type(soap_ns):
    if soap_ns == SOAP12:
        return 'application/soap+xml; charset=utf-8'
    return 'text/xml; charset=utf-8'


def parse_request(data):
    """(soap namespace, operation name, {parameter: value}) of a request;
    SoapFault or HostileInput when it is not one"""
    root = parse_xml(data, gettext_safe('copp_exchange_1c.msg_soap_request'))
    qname = etree.QName(root)
    if qname.localname != 'Envelope' or qname.namespace not in {
            SOAP11, SOAP12}:
        raise _fault('msg_soap_not_envelope')
    soap_ns = qname.namespace
    body = root.find(f'{{{soap_ns}}}Body')
    if body is None or not len(body):
        raise _fault('msg_soap_no_body')
    call = next((c for c in body if isinstance(c.tag, str)), None)
    if call is None:
        raise _fault('msg_soap_no_body')
    call_name = etree.QName(call)
    if call_name.namespace != TNS or call_name.localname not in OPERATIONS:
        raise _fault('msg_soap_unknown_operation',
            operation=call_name.localname, namespace=call_name.namespace)
    params_spec, _ = OPERATIONS[call_name.localname]
    values = {}
    children = {etree.QName(c).localname: c for c in call
        if isinstance(c.tag, str)}
    for name, type_ in params_spec:
        if name in children:
            values[name] = _parse_value(children[name], type_)
        else:
            values[name] = None
    return soap_ns, call_name.localname, values


def response(soap_ns, operation, results):
    "The response envelope of an operation; results: {name: value}"
    _, results_spec = OPERATIONS[operation]

    def build(body):
        element = etree.SubElement(body, f'{{{TNS}}}{operation}Response')
        for name, type_ in results_spec:
            if name in results:
                _write_value(element, name, type_, results[name])
    return envelope(soap_ns, build)


def dispatch(handler, data):
    """Call the handler's method of the requested operation:
    (HTTP status, content type, bytes, error or None).
    handler.<Operation>(**params) returns {result: value}; refused input
    and SoapFault are answered as a Fault, never raised."""
    soap_ns = SOAP11
    try:
        soap_ns, operation, params = parse_request(data)
        method = getattr(handler, operation)
        results = method(**params) or {}
        return 200, content_type(soap_ns), response(
            soap_ns, operation, results), None
    except HostileInput as exc:
        return (500, content_type(soap_ns),
            fault(str(exc), 'Client', soap_ns), str(exc))
    except SoapFault as exc:
        return (500, content_type(soap_ns),
            fault(str(exc), exc.code, soap_ns), str(exc))


# The client ---------------------------------------------------------------

class ExchangeClientError(Exception):
    "A failure talking to the peer (translated message)"


def _client_error(msg, /, **variables):
    "An ExchangeClientError of the message copp_exchange_1c.<msg>"
    return ExchangeClientError(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables))


def _refuse_non_soap(response, *args, **kwargs):
    """An HTTP error that is not a SOAP Fault (a login page, a proxy's
    HTML) is raised before zeep tries to read it as SOAP"""
    import requests
    content_type = response.headers.get('Content-Type', '')
    if response.status_code >= 400 and 'xml' not in content_type:
        raise requests.exceptions.HTTPError(
            f"HTTP {response.status_code}", response=response)


class Client:
    """A client of a published EnterpriseDataExchange_1_0_1_1 service.

    The WSDL is ours (the same shape as 1C's): only the address comes from
    the peer, so nothing the peer's WSDL could declare is ever parsed."""

    def __init__(self, address, login=None, password=None, timeout=60):
        import requests
        import zeep
        from zeep.transports import Transport
        address = address.split('?', 1)[0]
        self.address = address
        session = requests.Session()
        if login:
            # 1C logins and passwords may be Cyrillic: UTF-8, as 1C sends them.
            session.auth = requests.auth.HTTPBasicAuth(
                login.encode('utf-8'), (password or '').encode('utf-8'))
        session.hooks['response'].append(_refuse_non_soap)
        transport = Transport(session=session, timeout=timeout,
            operation_timeout=timeout)
        settings = zeep.Settings(strict=False, xml_huge_tree=False,
            forbid_dtd=True, forbid_entities=True, forbid_external=True)
        client = zeep.Client(WSDL_PATH, transport=transport,
            settings=settings)
        self.client = client
        self.service = client.create_service(
            f'{{{TNS}}}{SERVICE}SoapBinding', address)

    def call(self, operation, *args):
        import requests
        import zeep.exceptions
        try:
            return getattr(self.service, operation)(*args)
        except zeep.exceptions.Fault as exc:
            raise _client_error('msg_client_fault', operation=operation,
                error=exc.message)
        except requests.exceptions.HTTPError as exc:
            status = (exc.response.status_code
                if exc.response is not None else '')
            if status in (401, 403):
                raise _client_error('msg_client_access_denied',
                    operation=operation, status=status)
            raise _client_error('msg_client_http_error',
                operation=operation, status=status, address=self.address)
        except requests.exceptions.RequestException as exc:
            raise _client_error('msg_client_no_connection',
                operation=operation, address=self.address, error=exc)
        except zeep.exceptions.TransportError as exc:
            status = getattr(exc, 'status_code', '')
            if status == 401:
                raise _client_error('msg_client_access_denied',
                    operation=operation, status=status)
            raise _client_error('msg_client_http_error',
                operation=operation, status=status, address=self.address)
        except zeep.exceptions.Error as exc:
            raise _client_error('msg_client_bad_answer',
                operation=operation, error=exc)

    @staticmethod
    def _field(result, name):
        if result is None:
            return None
        try:
            return result[name]
        except (KeyError, TypeError, IndexError):
            return getattr(result, name, None)

    def ping(self):
        return self.call('Ping')

    def test_connection(self, exchange_plan, peer_code):
        result = self.call('TestConnection', exchange_plan, peer_code)
        ok = self._field(result, 'return')
        if not ok:
            raise _client_error('msg_client_test_failed',
                error=self._field(result, 'ErrorMessage') or gettext_safe(
                    'copp_exchange_1c.msg_client_no_explanation'))
        return True

    def _wait(self, fetch, what, timeout, interval=0.05):
        "Poll while Active, with a growing pause"
        deadline = time.monotonic() + timeout
        while True:
            status, result = fetch()
            if status != 'Active':
                return status, result
            if time.monotonic() > deadline:
                raise _client_error('msg_client_timeout', operation=what,
                    timeout=timeout)
            time.sleep(interval)
            interval = min(interval * 2, 2)

    def receive(self, exchange_plan, peer_code, part_size_kb=1024,
            timeout=300):
        """PrepareDataForGetting → PrepareDataActionResult (polled) →
        GetDataPart 1..N: (file id, zip bytes)"""
        result = self.call('PrepareDataForGetting', exchange_plan,
            peer_code, part_size_kb)
        error = self._field(result, 'ErrorMessage')
        operation_id = self._field(result, 'OperationID')
        if error or not operation_id:
            # The operation's name and 1C's text: no words of ours but
            # the missing OperationID.
            raise ExchangeClientError("PrepareDataForGetting: " + (
                    error or gettext_safe(
                        'copp_exchange_1c.msg_client_no_operation_id')))

        def fetch():
            answer = self.call('PrepareDataActionResult', operation_id)
            info = self._field(answer, 'return')
            status = self._field(info, 'Status')
            return status, (answer, info)
        status, (answer, info) = self._wait(
            fetch, 'PrepareDataActionResult', timeout)
        error = (self._field(info, 'ErrorMessage')
            or self._field(answer, 'ErrorMessage'))
        if status != 'Completed' or error:
            raise ExchangeClientError(gettext_safe(
                    'copp_exchange_1c.msg_client_prepare_failed',
                    status=status, error=error or '').strip())
        file_id = self._field(info, 'FileID')
        count = int(self._field(info, 'PartCount') or 0)
        parts = []
        for number in range(1, count + 1):
            part = self.call('GetDataPart', file_id, number)
            parts.append(part or b'')
        return file_id, b''.join(parts)

    def confirm(self, file_id):
        self.call('ConfirmGettingFile', file_id, True)

    def send(self, exchange_plan, peer_code, data, file_id,
            part_size_kb=1024, timeout=300):
        """PutFilePart 1..N → PutData → PutDataActionResult (polled)"""
        from .safexml import split
        for number, part in enumerate(split(data, part_size_kb), 1):
            self.call('PutFilePart', file_id, number, part)
        operation_id = self.call('PutData', exchange_plan, peer_code,
            file_id)
        operation_id = (self._field(operation_id, 'OperationID')
            if not isinstance(operation_id, str) else operation_id)
        if not operation_id:
            raise _client_error('msg_client_put_no_operation_id')

        def fetch():
            answer = self.call('PutDataActionResult', operation_id)
            status = answer if isinstance(answer, str) else self._field(
                answer, 'return')
            return status, answer
        status, answer = self._wait(fetch, 'PutDataActionResult', timeout)
        if status != 'Completed':
            error = (None if isinstance(answer, str)
                else self._field(answer, 'ErrorMessage'))
            raise ExchangeClientError(gettext_safe(
                    'copp_exchange_1c.msg_client_put_failed',
                    status=status, error=error or '').strip())
        return operation_id
