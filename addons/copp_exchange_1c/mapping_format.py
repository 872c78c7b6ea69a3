"""The format EnterpriseData itself, shared by every version's mapping: the
namespaces and the names of the exchange plan and of the objects we use,
the message header, MappingError, and the XML helpers.

A message (docs: integrations.md §1) is
    <Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message">
      <msg:Header> Format, CreationDate, Confirmation{ExchangePlan, To, From,
        MessageNo, ReceivedNo}, AvailableVersion* </msg:Header>
      <Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11"> … </Body>
    </Message>

The names of 1C (exchange plan, objects, elements) are the protocol, not
text for people: they are not translated."""
import datetime as dt
import hashlib
import re
from decimal import Decimal

from lxml import etree

from .i18n import gettext_safe

MSG_NS = 'http://www.1c.ru/SSL/Exchange/Message'
XS_NS = 'http://www.w3.org/2001/XMLSchema'
XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
BODY_NS_PREFIX = 'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/'
EXCHANGE_PLAN = 'СинхронизацияДанныхЧерезУниверсальныйФормат'
RUB_CODE = '643'
# A fixed GUID for the ruble in every message (1C matches currencies by Код).
RUB_UUID = 'b4a2a5b8-4e3a-5c55-9e1f-643000000643'

# A fixed GUID for the service we sell (Справочник.Номенклатура in 1C).
SERVICE_UUID = '5c0d1e2a-7b61-5f0e-9d3a-0c0ee0de0001'
SERVICE_NAME = 'Платные образовательные услуги'

COUNTERPARTY = 'Справочник.Контрагенты'
CONTRACT = 'Справочник.Договоры'
CHARGE = 'Документ.РеализацияТоваровУслуг'
# Money received from a payer on the bank account (1.2 … 1.21).
PAYMENT = 'Документ.ПБДСРасчетыСКонтрагентами'
# ВидРасчетов of a payment of a buyer or customer; the others
# (СПоставщиком: a supplier returns money, КредитыИЗаймы, Прочее) are not
# payments under our contracts.
PAYMENT_FROM_CUSTOMER = 'СПокупателем'
# Money paid out from the bank account to a counterparty; with ВидРасчетов
# «СПокупателем» it is a refund to a payer (СПоставщиком: paying a
# supplier, not ours).
REFUND = 'Документ.СБДСРасчетыСКонтрагентами'


class MappingError(Exception):
    "A message or an object that does not fit the format (translated text)"

    def __init__(self, message, guid=None):
        super().__init__(message)
        self.guid = guid


def error(msg, guid=None, /, **variables):
    """A MappingError of the message copp_exchange_1c.<msg> about the
    object guid (its text may use %(guid)s)"""
    return MappingError(gettext_safe(f'copp_exchange_1c.{msg}',
            guid=guid if guid is not None else '', **variables), guid=guid)


_SubElement = etree.SubElement


def sub_text(parent, tag, value):
    "A child element with the text of value (none for None)"
    element = _SubElement(parent, tag)
    if value is not None:
        element.text = value if type(value) is str else str(value)
    return element


def format_amount(value):
    "An amount as EnterpriseData writes it: 1234.50"
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


# xs:decimal: digits and a point, no exponent, no «NaN» (1e3 is not one).
_DECIMAL = re.compile(r'^[+-]?(\d+(\.\d*)?|\.\d+)$')
KOPECK = Decimal('0.01')


def parse_amount(value, guid):
    """The Decimal of an amount of the object guid (None for None): an
    xs:decimal with at most two decimals, never rounded"""
    if value is None:
        return None
    text = value.strip()
    if not _DECIMAL.match(text):
        raise error('msg_amount_invalid', guid, amount=value)
    result = Decimal(text)
    if result != result.quantize(KOPECK):
        raise error('msg_amount_kopecks', guid, amount=value)
    return result.quantize(KOPECK)


_GUID = re.compile(
    r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
    r'[0-9a-fA-F]{12}$')


def is_guid(value):
    return bool(value) and isinstance(value, str) and bool(_GUID.match(value))


def digest(element):
    "The version of an object: a hash of its XML"
    return hashlib.sha1(etree.tostring(element, encoding='utf-8')).hexdigest()


class Header:
    "The header of a message"

    def __init__(self, version, message_no=None, received_no=None,
            sender=None, recipient=None, exchange_plan=EXCHANGE_PLAN,
            created=None, available=None, extension=None):
        self.version = version
        self.extension = extension
        self.message_no = message_no
        self.received_no = received_no
        self.sender = sender
        self.recipient = recipient
        self.exchange_plan = exchange_plan
        self.created = created
        self.available = available or [version]

    @property
    def settings_only(self):
        "A message of settings: the format without a version, no objects"
        return self.version is None


class MappingFormat:
    """A version of the format: the namespace of its Body, qualified names,
    new messages (the version is set by the Mapping class)"""
    version = None

    def __init__(self):
        self.namespace = BODY_NS_PREFIX + self.version
        self._tags = {}
        # Reference blocks repeated in many objects, built once per message.
        self._cache = {}

    def q(self, tag):
        try:
            return self._tags[tag]
        except KeyError:
            qname = self._tags[tag] = f'{{{self.namespace}}}{tag}'
            return qname

    def _copy(self, tag, key, build):
        "A copy, as tag, of the block `key`, built once by build()"
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = build()
        element = template.__deepcopy__(None)
        element.tag = self.q(tag)
        return element

    def _cached(self, parent, tag, key, build):
        "Append a copy of the block `key`, built once by build()"
        element = self._copy(tag, key, build)
        parent.append(element)
        return element

    def _root(self, object_type):
        "A new object element, in the default namespace of the Body"
        return etree.Element(self.q(object_type),
            nsmap={None: self.namespace})

    def new_message(self, header):
        "(root, body) of a new message"
        root = etree.Element('Message', nsmap={
                'msg': MSG_NS, 'xs': XS_NS, 'xsi': XSI_NS})
        head = etree.SubElement(root, f'{{{MSG_NS}}}Header')
        sub_text(head, f'{{{MSG_NS}}}Format', self.namespace)
        created = header.created or dt.datetime.now().replace(microsecond=0)
        sub_text(head, f'{{{MSG_NS}}}CreationDate', created.isoformat())
        confirmation = etree.SubElement(head, f'{{{MSG_NS}}}Confirmation')
        sub_text(confirmation, f'{{{MSG_NS}}}ExchangePlan',
            header.exchange_plan)
        sub_text(confirmation, f'{{{MSG_NS}}}To', header.recipient)
        sub_text(confirmation, f'{{{MSG_NS}}}From', header.sender)
        sub_text(confirmation, f'{{{MSG_NS}}}MessageNo', header.message_no)
        sub_text(confirmation, f'{{{MSG_NS}}}ReceivedNo',
            header.received_no or 0)
        for version in header.available:
            sub_text(head, f'{{{MSG_NS}}}AvailableVersion', version)
        body = etree.SubElement(root, self.q('Body'),
            nsmap={None: self.namespace})
        return root, body

    @staticmethod
    def serialize(root):
        return etree.tostring(root, xml_declaration=True, encoding='UTF-8')
