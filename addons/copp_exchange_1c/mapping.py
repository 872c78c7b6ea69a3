"""EnterpriseData: the objects of ГИС ЦОПП ↔ the XML of 1C, per format
version.

The format version is the last part of the Body namespace. `VERSIONS` maps a
version to its `Mapping` class; a new version is a subclass that changes what
differs (object names, fields) and registers itself with `register`.
`parse_header` reads the header of a message and picks its mapping.

The mapping is made of (one file each):
- mapping_format.py — the format: namespaces, names, the header, errors;
- mapping_outgoing.py — the objects we send (outbound):
  `Справочник.Контрагенты` — the payers (people and organizations, ИНН/КПП);
  `Справочник.Договоры` — our contracts, referring to the counterparty GUID;
  the charges, as `CHARGE_OBJECT` (see below);
- mapping_incoming.py — the objects we receive (inbound):
  `Документ.ПоступлениеНаРасчетныйСчет` — payments, matched to contracts;
  `Справочник.Контрагенты`, `Справочник.Договоры` — to learn 1C's GUIDs;
  `IGNORED` objects (organizations, currencies, bank accounts …) are known
  and skipped; any other object is an error reported by its GUID.

INFERENCE — the document of the charges. integrations.md does not name the
object 1С:БГУ expects for the accrual of income from paid education. We send
`Документ.РеализацияТоваровУслуг` (sale of services to the counterparty
under the contract, without VAT: education is exempt by art. 149 НК РФ),
the document EnterpriseData defines for services rendered and that
accounting configurations load into their income accounts. БГУ may
instead be set up to expect an income-accrual document (e.g.
`Документ.НачислениеДоходов`): set `CHARGE_OBJECT` / override
`charge_element` in a Mapping subclass — nothing else refers to the name.
"""
import datetime as dt

from lxml import etree

from .mapping_format import (
    BODY_NS_PREFIX, MSG_NS, Header, error)
from .mapping_incoming import MappingIncoming
from .mapping_outgoing import MappingOutgoing

VERSIONS = {}


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
    """EnterpriseData 1.11: what we need of it.

    Builders (mapping_outgoing.py) take plain dicts and return lxml
    elements of the Body namespace; parsers (mapping_incoming.py) take
    elements and return dicts, raising MappingError with the object's GUID.
    """
    version = '1.11'
    CHARGE_OBJECT = 'Документ.РеализацияТоваровУслуг'
    # Objects that may come from 1C and that we do not keep.
    IGNORED = frozenset({
            'Справочник.Организации',
            'Справочник.Валюты',
            'Справочник.БанковскиеСчета',
            'Справочник.Банки',
            'Справочник.Номенклатура',
            'Справочник.ФизическиеЛица',
            'Справочник.СтатьиДвиженияДенежныхСредств',
            'Справочник.ПодразделенияОрганизаций',
            'Справочник.КонтактныеЛицаПартнеров',
            'Документ.СписаниеСРасчетногоСчета',
            'Документ.ПоступлениеВКассу',
            'Документ.РеализацияТоваровУслуг',
            'УдалениеОбъекта',
            })


@register
class Mapping112(Mapping):
    "EnterpriseData 1.12: the objects we use are unchanged"
    version = '1.12'


def parse_header(root):
    """The header of a parsed message → Header; the Body element.
    Raises MappingError for a message that is not EnterpriseData."""
    if root.tag != 'Message':
        raise error('msg_header_root', name=etree.QName(root).localname)
    head = root.find(f'{{{MSG_NS}}}Header')
    if head is None:
        raise error('msg_header_missing', namespace=MSG_NS)
    format_ = (head.findtext(f'{{{MSG_NS}}}Format') or '').strip()
    if not format_.startswith(BODY_NS_PREFIX):
        raise error('msg_header_format', format=format_)
    version = format_[len(BODY_NS_PREFIX):]
    mapping = get_mapping(version)
    confirmation = head.find(f'{{{MSG_NS}}}Confirmation')

    def number(tag):
        if confirmation is None:
            return None
        text = (confirmation.findtext(f'{{{MSG_NS}}}{tag}') or '').strip()
        if not text:
            return None
        if not text.isdigit():
            raise error('msg_header_number', tag=tag, value=text)
        return int(text)

    created = (head.findtext(f'{{{MSG_NS}}}CreationDate') or '').strip()
    try:
        created = dt.datetime.fromisoformat(created) if created else None
    except ValueError:
        raise error('msg_header_date', date=created)
    header = Header(version,
        message_no=number('MessageNo'),
        received_no=number('ReceivedNo'),
        sender=(confirmation.findtext(f'{{{MSG_NS}}}From')
            if confirmation is not None else None),
        recipient=(confirmation.findtext(f'{{{MSG_NS}}}To')
            if confirmation is not None else None),
        exchange_plan=(confirmation.findtext(f'{{{MSG_NS}}}ExchangePlan')
            if confirmation is not None else None),
        created=created,
        available=[e.text for e in head.findall(
                f'{{{MSG_NS}}}AvailableVersion')])
    body = None
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).localname == (
                'Body'):
            body = child
            break
    if body is not None and etree.QName(body).namespace != mapping.namespace:
        raise error('msg_body_namespace',
            namespace=etree.QName(body).namespace,
            expected=mapping.namespace)
    return header, mapping, body
