"""The web service EnterpriseDataExchange_1_0_1_1 as 1C publishes it, read
from its metadata (data/EnterpriseDataExchange_1_0_1_1.webservice.xml, see
data/README.md): the operations, their parameters with their direction and
type, the return values; and the WSDL made from them the way the 1C
platform publishes one — document/literal, SOAP 1.1 and 1.2, the request
element holding the in-parameters, the response element holding `return`
first and then the out-parameters.

Used by soap.py (our served service, our client) — the answers and the WSDL
follow the published description, not a hand-written one."""
import functools
import os
from xml.sax.saxutils import escape

from lxml import etree

DATA = os.path.join(os.path.dirname(__file__), 'data')
DESCRIPTION = os.path.join(DATA, 'EnterpriseDataExchange_1_0_1_1.webservice.xml')
MD_NS = 'http://v8.1c.ru/8.3/MDClasses'
XS_NS = 'http://www.w3.org/2001/XMLSchema'
RESULT_NS = 'http://v8.1c.ru/SSL/Exchange/EnterpriseDataExchange'
RESULT_TYPE = 'PrepareDataOperationResult'
RESULT_FIELDS = [  # EnterpriseDataExchange_1_0_1_1.xdto, in its order
    ('ErrorMessage', 'string'), ('FileID', 'string'), ('PartCount', 'int'),
    ('Status', 'string')]


class Parameter:
    __slots__ = ('name', 'type', 'direction', 'nillable')

    def __init__(self, name, type_, direction, nillable):
        self.name = name
        self.type = type_           # xs local name, or RESULT_TYPE
        self.direction = direction  # In, Out, InOut
        self.nillable = nillable

    def __repr__(self):
        return f'<{self.direction} {self.name}: {self.type}>'


class Operation:
    "An operation: inputs (request), outputs (`return` first, then out)"

    def __init__(self, name, return_type, return_nillable, parameters):
        self.name = name
        self.parameters = parameters
        self.inputs = [p for p in parameters
            if p.direction in ('In', 'InOut')]
        self.outputs = [Parameter('return', return_type, 'Out',
                return_nillable)] + [p for p in parameters
            if p.direction in ('Out', 'InOut')]


def _type(element, text):
    prefix, _, name = (text or 'xs:string').rpartition(':')
    namespace = element.nsmap.get(prefix or None)
    if namespace == XS_NS:
        return name
    if namespace == RESULT_NS and name == RESULT_TYPE:
        return RESULT_TYPE
    raise ValueError(f"Unknown type {text}")


@functools.cache
def description(path=DESCRIPTION):
    "(namespace, {operation name: Operation}) of the published metadata"
    root = etree.parse(path).getroot()
    md = f'{{{MD_NS}}}'
    service = root.find(f'{md}WebService')
    properties = service.find(f'{md}Properties')
    namespace = properties.findtext(f'{md}Namespace')
    operations = {}
    for node in service.find(f'{md}ChildObjects').iter(f'{md}Operation'):
        props = node.find(f'{md}Properties')
        return_node = props.find(f'{md}XDTOReturningValueType')
        parameters = []
        for param in node.find(f'{md}ChildObjects').iter(f'{md}Parameter'):
            pprops = param.find(f'{md}Properties')
            value_node = pprops.find(f'{md}XDTOValueType')
            parameters.append(Parameter(pprops.findtext(f'{md}Name'),
                    _type(value_node, value_node.text),
                    pprops.findtext(f'{md}TransferDirection'),
                    pprops.findtext(f'{md}Nillable') == 'true'))
        name = props.findtext(f'{md}Name')
        operations[name] = Operation(name,
            _type(return_node, return_node.text),
            props.findtext(f'{md}Nillable') == 'true', parameters)
    return namespace, operations


def _element(parameter):
    if parameter.type == RESULT_TYPE:
        type_ = f'xs1:{RESULT_TYPE}'
    else:
        type_ = f'xs:{parameter.type}'
    nillable = ' nillable="true"' if parameter.nillable else ''
    return (f'<xs:element name="{parameter.name}" type="{type_}"'
        f'{nillable}/>')


@functools.cache
def _wsdl_template():
    namespace, operations = description()
    name = 'EnterpriseDataExchange_1_0_1_1'
    result = ''.join(f'<xs:element name="{n}" type="xs:{t}" minOccurs="0"/>'
        for n, t in RESULT_FIELDS)
    elements, messages, port, bind11, bind12 = [], [], [], [], []
    for op in operations.values():
        for suffix, params in (('', op.inputs), ('Response', op.outputs)):
            elements.append(
                f'<xs:element name="{op.name}{suffix}"><xs:complexType>'
                f'<xs:sequence>{"".join(_element(p) for p in params)}'
                '</xs:sequence></xs:complexType></xs:element>')
        for kind, suffix in (('Request', ''), ('Response', 'Response')):
            messages.append(
                f'<message name="{op.name}{kind}Message"><part '
                f'name="parameters" element="tns:{op.name}{suffix}"/>'
                '</message>')
        port.append(f'<operation name="{op.name}"><input message='
            f'"tns:{op.name}RequestMessage"/><output message='
            f'"tns:{op.name}ResponseMessage"/></operation>')
        for target, prefix in ((bind11, 'soapbind'), (bind12, 'soap12bind')):
            target.append(f'<operation name="{op.name}"><{prefix}:operation '
                f'style="document" soapAction="{namespace}#{name}:{op.name}"/>'
                f'<input><{prefix}:body use="literal"/></input><output>'
                f'<{prefix}:body use="literal"/></output></operation>')
    return ''.join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" '
        'xmlns:soap12bind="http://schemas.xmlsoap.org/wsdl/soap12/" '
        'xmlns:soapbind="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:tns="{namespace}" xmlns:xs="{XS_NS}" xmlns:xs1="{RESULT_NS}" '
        f'name="{name}" targetNamespace="{namespace}"><types>',
        f'<xs:schema targetNamespace="{RESULT_NS}" '
        'attributeFormDefault="unqualified" elementFormDefault="qualified">'
        f'<xs:complexType name="{RESULT_TYPE}"><xs:sequence>{result}'
        '</xs:sequence></xs:complexType></xs:schema>',
        f'<xs:schema targetNamespace="{namespace}" '
        f'elementFormDefault="qualified"><xs:import namespace="{RESULT_NS}"/>',
        *elements, '</xs:schema></types>', *messages,
        f'<portType name="{name}PortType">', *port, '</portType>',
        f'<binding name="{name}SoapBinding" type="tns:{name}PortType">'
        '<soapbind:binding style="document" '
        'transport="http://schemas.xmlsoap.org/soap/http"/>', *bind11,
        '</binding>',
        f'<binding name="{name}Soap12Binding" type="tns:{name}PortType">'
        '<soap12bind:binding style="document" '
        'transport="http://schemas.xmlsoap.org/soap/http"/>', *bind12,
        '</binding>',
        f'<service name="{name}"><port name="{name}Soap" '
        f'binding="tns:{name}SoapBinding"><soapbind:address '
        'location="{address}"/></port>'
        f'<port name="{name}Soap12" binding="tns:{name}Soap12Binding">'
        '<soap12bind:address location="{address}"/></port></service>',
        '</definitions>'])


def wsdl(address):
    "The WSDL of the service at address"
    return _wsdl_template().replace('{address}',
        escape(address, {'"': '&quot;'})).encode('utf-8')
