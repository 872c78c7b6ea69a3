"""SOAP of the 1C web service EnterpriseDataExchange_1_0_1_1, as described
by its published metadata (service_description.py): a dispatcher of SOAP
1.1/1.2 envelopes to a handler object (our trytond route), answering the
return value first and then the out-parameters; and the zeep client of a
service published by 1C (client.py).

Requests are parsed without DTDs or entities (safexml); their size is
bounded by the route, so text nodes over lxml's 10 MB (a part of 7.5 MB in
base64) are allowed (`huge`)."""
import base64
import re
from decimal import Decimal

from lxml import etree

from .i18n import gettext_safe
from .safexml import HostileInput, parse_xml
from .service_description import RESULT_FIELDS, RESULT_TYPE, description

SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12 = 'http://www.w3.org/2003/05/soap-envelope'
XSI_NIL = '{http://www.w3.org/2001/XMLSchema-instance}nil'
RESULT_NS = 'http://v8.1c.ru/SSL/Exchange/EnterpriseDataExchange'
TNS, OPERATIONS = description()
STATUSES = ('Active', 'Completed', 'Failed', 'Canceled')
_DECIMAL = re.compile(r'^[+-]?(\d+(\.\d*)?|\.\d+)$')


class SoapFault(Exception):
    "An error answered as a SOAP Fault (translated message)"

    def __init__(self, message, code='Client'):
        super().__init__(message)
        self.code = code


def _fault(msg, code='Client', /, **variables):
    "A SoapFault of the message copp_exchange_1c.<msg>"
    return SoapFault(
        gettext_safe(f'copp_exchange_1c.{msg}', **variables), code)


def parse_value(element, type_):
    "The Python value of a parameter element of the xs: type type_"
    if element.get(XSI_NIL) in ('true', '1'):
        return None
    text = element.text or ''
    name = etree.QName(element).localname
    if type_ == 'string':
        return text
    if type_ == 'int':
        try:
            return int(text.strip())
        except ValueError:
            raise _fault('msg_soap_not_integer', name=name, value=text[:20])
    if type_ == 'decimal':
        if not _DECIMAL.match(text.strip()):
            raise _fault('msg_soap_not_decimal', name=name, value=text[:20])
        return Decimal(text.strip())
    if type_ == 'boolean':
        return text.strip().lower() in {'true', '1'}
    if type_ == 'base64Binary':
        try:
            return base64.b64decode(''.join(text.split()), validate=True)
        except ValueError:
            raise _fault('msg_soap_base64', name=name)
    raise _fault('msg_soap_unknown_type', 'Server', type=type_)


def _write_value(parent, parameter, value):
    element = etree.SubElement(parent, f'{{{TNS}}}{parameter.name}')
    if value is None:
        if parameter.nillable:
            element.set(XSI_NIL, 'true')
        return
    type_ = parameter.type
    if type_ == 'boolean':
        element.text = 'true' if value else 'false'
    elif type_ == 'base64Binary':
        element.text = base64.b64encode(value).decode('ascii')
    elif type_ == RESULT_TYPE:
        for key, _ in RESULT_FIELDS:
            if value.get(key) is not None:
                child = etree.SubElement(element, f'{{{RESULT_NS}}}{key}')
                child.text = str(value[key])
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
    root = parse_xml(data, gettext_safe('copp_exchange_1c.msg_soap_request'),
        huge=True)
    qname = etree.QName(root)
    if qname.localname != 'Envelope' or qname.namespace not in {
            SOAP11, SOAP12}:
        raise _fault('msg_soap_not_envelope')
    soap_ns = qname.namespace
    body = root.find(f'{{{soap_ns}}}Body')
    call = next((c for c in body if isinstance(c.tag, str)), None) if (
        body is not None) else None
    if call is None:
        raise _fault('msg_soap_no_body')
    call_name = etree.QName(call)
    if call_name.namespace != TNS or call_name.localname not in OPERATIONS:
        raise _fault('msg_soap_unknown_operation',
            operation=call_name.localname, namespace=call_name.namespace)
    operation = OPERATIONS[call_name.localname]
    children = {etree.QName(c).localname: c for c in call
        if isinstance(c.tag, str)}
    values = {}
    for parameter in operation.inputs:
        element = children.get(parameter.name)
        values[parameter.name] = (parse_value(element, parameter.type)
            if element is not None else None)
    return soap_ns, operation.name, values


def response(soap_ns, operation, results):
    """The response envelope of an operation: `return`, then every
    out-parameter, in the order of the description; results: {name:
    value} (missing: nil)"""
    outputs = OPERATIONS[operation].outputs

    def build(body):
        element = etree.SubElement(body, f'{{{TNS}}}{operation}Response')
        for parameter in outputs:
            _write_value(element, parameter, results.get(parameter.name))
    return envelope(soap_ns, build)


def dispatch(handler, data):
    """Call the handler's method of the requested operation:
    (HTTP status, content type, bytes, error or None).
    handler.<Operation>(**params) returns {output: value}; refused input
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
