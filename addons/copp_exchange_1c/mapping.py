"""EnterpriseData: the objects of ГИС ЦОПП ↔ the XML of 1C, per format
version — one place per version.

The format version is the last part of the Body namespace. `VERSIONS` maps a
version to its `Mapping` class and the published XDTO package its messages
are checked against (validator.py, data/README.md); a new version is a
subclass that changes what differs and registers itself with `register`,
with the package of that version copied into data/.

The mapping is made of (one file each):
- mapping_format.py — the format: namespaces, names, the header, amounts;
- mapping_outgoing.py — the objects we send, in the package's shapes:
  `Справочник.Контрагенты` (the payers), `Справочник.Договоры` (our
  contracts, key properties in the package's order), the charges as
  `Документ.РеализацияТоваровУслуг` with the required
  `ДанныеВзаиморасчетов` naming the contract;
- mapping_incoming.py — the objects we read: payments of payers
  (`Документ.ПБДСРасчетыСКонтрагентами`, ВидРасчетов «СПокупателем»), and
  `Справочник.Контрагенты`, `Справочник.Договоры` to learn 1C's GUIDs.
  Any other object of the format is valid and not ours: counted, skipped.

INFERENCE — the document of the charges. integrations.md does not name the
object 1С:БГУ expects for the accrual of income from paid education. We send
`Документ.РеализацияТоваровУслуг` (sale of services to the counterparty
under the contract, «ПродажаНеОблагаетсяНДС»: education is exempt by art.
149 НК РФ), the document EnterpriseData defines for services rendered.
"""
import datetime as dt

from lxml import etree

from .mapping_format import BODY_NS_PREFIX, MSG_NS, Header, error
from .mapping_incoming import MappingIncoming
from .mapping_outgoing import MappingOutgoing

VERSIONS = {}
BASE_FORMAT = BODY_NS_PREFIX.rstrip('/')


def register(cls):
    VERSIONS[cls.version] = cls
    return cls


def get_mapping(version):
    try:
        return VERSIONS[version]()
    except KeyError:
        raise error('msg_version_unsupported', version=version,
            versions=', '.join(sorted(VERSIONS)))


@register
class Mapping(MappingIncoming, MappingOutgoing):
    """EnterpriseData 1.11, checked against EnterpriseData_1_11_7.xdto.

    Builders (mapping_outgoing.py) take plain dicts and return lxml
    elements of the Body namespace; parsers (mapping_incoming.py) take
    elements and return dicts, raising MappingError with the object's GUID.
    """
    version = '1.11'
    package = 'EnterpriseData_1_11_7.xdto'


def parse_format(text):
    """(version, extension) of msg:Format: «<format URI>[ <extension
    URI>]»; the version is None for a message of settings only (the URI of
    the format without a version, as 1C sends before the exchange is set
    up)."""
    parts = (text or '').split()
    if not parts:
        raise error('msg_header_format', format=text or '')
    uri = parts[0].rstrip('/')
    extension = parts[-1] if len(parts) > 1 else None
    if uri == BASE_FORMAT:
        return None, extension
    if not uri.startswith(BODY_NS_PREFIX):
        raise error('msg_header_format', format=text)
    return uri[len(BODY_NS_PREFIX):], extension


def parse_header(root):
    """The header of a parsed message → Header; its mapping (None for a
    message of settings only); the Body element. Raises MappingError for a
    message that is not EnterpriseData."""
    if root.tag != 'Message':
        raise error('msg_header_root', name=etree.QName(root).localname)
    head = root.find(f'{{{MSG_NS}}}Header')
    if head is None:
        raise error('msg_header_missing', namespace=MSG_NS)
    version, extension = parse_format(head.findtext(f'{{{MSG_NS}}}Format'))
    mapping = get_mapping(version) if version is not None else None
    confirmation = head.find(f'{{{MSG_NS}}}Confirmation')

    def text(tag):
        if confirmation is None:
            return None
        return confirmation.findtext(f'{{{MSG_NS}}}{tag}')

    def number(tag):
        value = (text(tag) or '').strip()
        if not value:
            return None
        if not value.isdigit():
            raise error('msg_header_number', tag=tag, value=value)
        return int(value)

    created = (head.findtext(f'{{{MSG_NS}}}CreationDate') or '').strip()
    try:
        created = dt.datetime.fromisoformat(created) if created else None
    except ValueError:
        raise error('msg_header_date', date=created)
    header = Header(version,
        message_no=number('MessageNo'),
        received_no=number('ReceivedNo'),
        sender=text('From'),
        recipient=text('To'),
        exchange_plan=text('ExchangePlan'),
        created=created,
        available=[e.text for e in head.findall(
                f'{{{MSG_NS}}}AvailableVersion')],
        extension=extension)
    body = None
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == (
                'Body'):
            body = child
            break
    if (body is not None and mapping is not None
            and etree.QName(body).namespace != mapping.namespace):
        raise error('msg_body_namespace',
            namespace=etree.QName(body).namespace,
            expected=mapping.namespace)
    return header, mapping, body
