"""EnterpriseData: the objects of ГИС ЦОПП ↔ the XML of 1C, in one place.

A message (docs: integrations.md §1) is
    <Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message">
      <msg:Header> Format, CreationDate, Confirmation{ExchangePlan, To, From,
        MessageNo, ReceivedNo}, AvailableVersion* </msg:Header>
      <Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11"> … </Body>
    </Message>

The format version is the last part of the Body namespace. `VERSIONS` maps a
version to its `Mapping` class; a new version is a subclass that changes what
differs (object names, fields) and registers itself with `register`.

Objects we send (outbound):
- `Справочник.Контрагенты` — the payers (people and organizations, ИНН/КПП);
- `Справочник.Договоры` — our contracts, referring to the counterparty GUID;
- the charges, as `CHARGE_OBJECT` (see below).
Objects we receive (inbound):
- `Документ.ПоступлениеНаРасчетныйСчет` — payments, matched to contracts;
- `Справочник.Контрагенты`, `Справочник.Договоры` — to learn 1C's GUIDs;
- `IGNORED` objects (organizations, currencies, bank accounts …) are known
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
import hashlib
import re
from decimal import Decimal

from lxml import etree

MSG_NS = 'http://www.1c.ru/SSL/Exchange/Message'
XS_NS = 'http://www.w3.org/2001/XMLSchema'
XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
BODY_NS_PREFIX = 'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/'
EXCHANGE_PLAN = 'СинхронизацияДанныхЧерезУниверсальныйФормат'
RUB_CODE = '643'
# A fixed GUID for the ruble in every message (1C matches currencies by Код).
RUB_UUID = 'b4a2a5b8-4e3a-5c55-9e1f-643000000643'

COUNTERPARTY = 'Справочник.Контрагенты'
CONTRACT = 'Справочник.Договоры'
PAYMENT = 'Документ.ПоступлениеНаРасчетныйСчет'

VERSIONS = {}


def register(cls):
    VERSIONS[cls.version] = cls
    return cls


def get_mapping(version):
    try:
        return VERSIONS[version]()
    except KeyError:
        raise MappingError(
            f"Версия формата EnterpriseData «{version}» не поддерживается "
            f"(поддерживаются: {', '.join(sorted(VERSIONS))}).")


class MappingError(Exception):
    "A message or an object that does not fit the format (Russian text)"

    def __init__(self, message, guid=None):
        super().__init__(message)
        self.guid = guid


_SubElement = etree.SubElement


def _text(parent, tag, value):
    element = _SubElement(parent, tag)
    if value is not None:
        element.text = value if type(value) is str else str(value)
    return element


def _amount(value):
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def digest(element):
    "The version of an object: a hash of its XML"
    return hashlib.sha1(etree.tostring(element, encoding='utf-8')).hexdigest()


class Header:
    "The header of a message"

    def __init__(self, version, message_no=None, received_no=None,
            sender=None, recipient=None, exchange_plan=EXCHANGE_PLAN,
            created=None, available=None):
        self.version = version
        self.message_no = message_no
        self.received_no = received_no
        self.sender = sender
        self.recipient = recipient
        self.exchange_plan = exchange_plan
        self.created = created
        self.available = available or [version]


class Mapping:
    """EnterpriseData 1.11: what we need of it.

    Builders take plain dicts (made by copp_exchange_1c.exchange from the
    records) and return lxml elements of the Body namespace; parsers take
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

    def _cached(self, parent, tag, key, build):
        "Append a copy of the block `key`, built once by build(tag)"
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = build()
        element = template.__deepcopy__(None)
        element.tag = self.q(tag)
        parent.append(element)
        return element

    def _root(self, object_type):
        "A new object element, in the default namespace of the Body"
        return etree.Element(self.q(object_type),
            nsmap={None: self.namespace})

    # Message ------------------------------------------------------------

    def new_message(self, header):
        "(root, body) of a new message"
        root = etree.Element('Message', nsmap={
                'msg': MSG_NS, 'xs': XS_NS, 'xsi': XSI_NS})
        head = etree.SubElement(root, f'{{{MSG_NS}}}Header')
        _text(head, f'{{{MSG_NS}}}Format', self.namespace)
        created = header.created or dt.datetime.now().replace(microsecond=0)
        _text(head, f'{{{MSG_NS}}}CreationDate', created.isoformat())
        confirmation = etree.SubElement(head, f'{{{MSG_NS}}}Confirmation')
        _text(confirmation, f'{{{MSG_NS}}}ExchangePlan', header.exchange_plan)
        _text(confirmation, f'{{{MSG_NS}}}To', header.recipient)
        _text(confirmation, f'{{{MSG_NS}}}From', header.sender)
        _text(confirmation, f'{{{MSG_NS}}}MessageNo', header.message_no)
        _text(confirmation, f'{{{MSG_NS}}}ReceivedNo',
            header.received_no or 0)
        for version in header.available:
            _text(head, f'{{{MSG_NS}}}AvailableVersion', version)
        body = etree.SubElement(root, self.q('Body'),
            nsmap={None: self.namespace})
        return root, body

    @staticmethod
    def serialize(root):
        return etree.tostring(root, xml_declaration=True, encoding='UTF-8')

    # Reference blocks ------------------------------------------------------

    def _organization(self, parent, tag, organization):
        return self._cached(parent, tag, ('org', organization['uuid']),
            lambda: self._organization_block(organization))

    def _organization_block(self, organization):
        element = self._root('Организация')
        _text(element, self.q('Ссылка'), organization['uuid'])
        _text(element, self.q('Наименование'), organization['name'])
        _text(element, self.q('НаименованиеСокращенное'),
            organization.get('short_name') or organization['name'])
        _text(element, self.q('ИНН'), organization.get('inn') or '')
        _text(element, self.q('КПП'), organization.get('kpp') or '')
        _text(element, self.q('ЮридическоеФизическоеЛицо'), 'ЮридическоеЛицо')
        return element

    def _counterparty_keys(self, parent, tag, party):
        if party.get('uuid'):
            return self._cached(parent, tag, ('party', party['uuid'],
                    party['name'], party.get('inn'), party.get('kpp'),
                    bool(party.get('legal'))),
                lambda: self._counterparty_block(party))
        element = self._counterparty_block(party)
        element.tag = self.q(tag)
        parent.append(element)
        return element

    def _counterparty_block(self, party):
        element = self._root('Контрагент')
        _text(element, self.q('Ссылка'), party['uuid'])
        _text(element, self.q('Наименование'), party['name'])
        _text(element, self.q('НаименованиеПолное'),
            party.get('full_name') or party['name'])
        if party.get('inn'):
            _text(element, self.q('ИНН'), party['inn'])
        if party.get('kpp') and party.get('legal'):
            _text(element, self.q('КПП'), party['kpp'])
        _text(element, self.q('ЮридическоеФизическоеЛицо'),
            'ЮридическоеЛицо' if party.get('legal') else 'ФизическоеЛицо')
        return element

    def _currency(self, parent, tag='ВалютаВзаиморасчетов'):
        return self._cached(parent, tag, ('currency',), self._currency_block)

    def _currency_block(self):
        element = self._root('Валюта')
        _text(element, self.q('Ссылка'), RUB_UUID)
        data = etree.SubElement(element, self.q('ДанныеКлассификатора'))
        _text(data, self.q('Код'), RUB_CODE)
        _text(data, self.q('Наименование'), 'руб.')
        return element

    def _contract_keys(self, parent, tag, contract):
        return self._cached(parent, tag, ('contract', contract['uuid']),
            lambda: self._contract_block(contract))

    def _contract_block(self, contract):
        element = self._root('ДоговорКонтрагента')
        _text(element, self.q('Ссылка'), contract['uuid'])
        _text(element, self.q('ВидДоговора'), 'СПокупателем')
        self._organization(element, 'Организация', contract['organization'])
        self._counterparty_keys(element, 'Контрагент', contract['payer'])
        self._currency(element)
        _text(element, self.q('РасчетыВУсловныхЕдиницах'), 'false')
        _text(element, self.q('Наименование'), contract['name'])
        _text(element, self.q('Номер'), contract['number'])
        _text(element, self.q('Дата'), contract['date'].isoformat())
        return element

    # Outbound objects -------------------------------------------------------

    def counterparty_element(self, party):
        """party: uuid, name, full_name, inn, kpp, legal (bool), phone,
        email, address"""
        element = self._root(COUNTERPARTY)
        self._counterparty_keys(element, 'КлючевыеСвойства', party)
        contacts = [('Телефон', party.get('phone')),
            ('АдресЭлектроннойПочты', party.get('email')),
            ('Адрес', party.get('address'))]
        if any(v for _, v in contacts):
            info = etree.SubElement(element, self.q('КонтактнаяИнформация'))
            for kind, value in contacts:
                if value:
                    row = etree.SubElement(info, self.q('Строка'))
                    _text(row, self.q('ВидКонтактнойИнформации'), kind)
                    _text(row, self.q('ЗначенияПолей'), value)
        return element

    def contract_element(self, contract):
        """contract: uuid, number, date, name, organization{uuid, name, inn,
        kpp}, payer{counterparty keys}, start_date, end_date, amount,
        state, student"""
        element = self._root(CONTRACT)
        self._contract_keys(element, 'КлючевыеСвойства', contract)
        _text(element, self.q('СуммаДоговора'), _amount(contract['amount']))
        _text(element, self.q('СрокДействия'),
            contract['end_date'].isoformat())
        _text(element, self.q('ДатаНачала'),
            contract['start_date'].isoformat())
        _text(element, self.q('Комментарий'), contract.get('comment') or '')
        return element

    def charge_element(self, charge):
        """charge: uuid, number, date, organization, payer, contract{keys},
        amount, content (the service and period)

        The charges of a contract differ only in their GUID, date, number,
        amount and content: the first is built, the next are copies of it
        with those leaves changed (see _charge_block for their places)."""
        key = ('charge', charge['contract']['uuid'])
        template = self._cache.get(key)
        if template is None:
            template = self._cache[key] = self._charge_block(charge)
        element = template.__deepcopy__(None)
        keys, amount = element[0], _amount(charge['amount'])
        keys[0].text = charge['uuid']
        keys[1].text = dt.datetime.combine(
            charge['date'], dt.time()).isoformat()
        keys[2].text = charge['number']
        element[6].text = amount
        row = element[7][0]
        row[1].text = charge['content']
        row[3].text = amount
        row[4].text = amount
        return element

    def _charge_block(self, charge):
        # Keep the order: charge_element changes leaves by position.
        element = self._root(self.CHARGE_OBJECT)
        keys = etree.SubElement(element, self.q('КлючевыеСвойства'))
        _text(keys, self.q('Ссылка'), charge['uuid'])
        _text(keys, self.q('Дата'),
            dt.datetime.combine(charge['date'], dt.time()).isoformat())
        _text(keys, self.q('Номер'), charge['number'])
        self._organization(keys, 'Организация', charge['organization'])
        _text(element, self.q('ВидОперации'), 'РеализацияКлиенту')
        self._currency(element, 'Валюта')
        _text(element, self.q('СуммаВключаетНДС'), 'true')
        self._counterparty_keys(element, 'Контрагент', charge['payer'])
        self._contract_keys(element, 'ДоговорКонтрагента', charge['contract'])
        _text(element, self.q('Сумма'), _amount(charge['amount']))
        services = etree.SubElement(element, self.q('Услуги'))
        row = etree.SubElement(services, self.q('Строка'))
        item = etree.SubElement(row, self.q('Номенклатура'))
        _text(item, self.q('Наименование'),
            'Платные образовательные услуги')
        _text(row, self.q('Содержание'), charge['content'])
        _text(row, self.q('Количество'), '1')
        _text(row, self.q('Цена'), _amount(charge['amount']))
        _text(row, self.q('Сумма'), _amount(charge['amount']))
        _text(row, self.q('СтавкаНДС'), 'БезНДС')
        _text(row, self.q('СуммаНДС'), '0.00')
        return element

    # Inbound ----------------------------------------------------------------

    def object_type(self, element):
        if not isinstance(element.tag, str):
            return None
        qname = etree.QName(element)
        if qname.namespace != self.namespace:
            raise MappingError(
                f"Объект «{qname.localname}» в чужом пространстве имён "
                f"«{qname.namespace}» (ожидалось {self.namespace}).",
                guid=self.guid_of(element))
        return qname.localname

    def _child(self, element, tag):
        "The first child of the tag (C-level filtering, no ElementPath)"
        if element is None:
            return None
        for child in element.iterchildren(self.q(tag)):
            return child
        return None

    def _find(self, element, path):
        node = element
        for tag in path.split('/'):
            node = self._child(node, tag)
            if node is None:
                return None
        return node

    def _value(self, element, path):
        node = self._find(element, path)
        if node is None or node.text is None:
            return None
        return node.text.strip()

    def guid_of(self, element):
        "The Ссылка of an object, in whatever namespace it came"
        for child in element.iterchildren():
            if not isinstance(child.tag, str):
                continue
            local = child.tag.rpartition('}')[2]
            if local == 'КлючевыеСвойства':
                for grandchild in child.iterchildren():
                    if (isinstance(grandchild.tag, str)
                            and grandchild.tag.rpartition('}')[2] == 'Ссылка'
                            and grandchild.text):
                        return grandchild.text.strip()
            elif local == 'Ссылка' and child.text:
                return child.text.strip()
        return None

    def _required_guid(self, element, what):
        guid = self.guid_of(element)
        if not guid or not _is_guid(guid):
            raise MappingError(
                f"{what}: нет ссылки (GUID) или она неверна: «{guid or ''}».",
                guid=guid)
        return guid

    # Parsing reads each element's children once into a dict (ElementPath
    # and iterchildren per lookup cost ten times more on 10 000 objects).

    def _index(self, element):
        "{local name: first child} of an element (None: {})"
        result = {}
        if element is None:
            return result
        prefix = len(self.namespace) + 2
        for child in element:
            tag = child.tag
            if type(tag) is str and tag[1:prefix - 1] == self.namespace:
                result.setdefault(tag[prefix:], child)
        return result

    @staticmethod
    def _get(index, tag):
        node = index.get(tag)
        if node is None or node.text is None:
            return None
        return node.text.strip()

    def parse_counterparty_keys(self, element, what="Контрагент"):
        if element is None:
            return None
        index = self._index(element)
        guid = self._get(index, 'Ссылка')
        if guid and not _is_guid(guid):
            raise MappingError(f"{what}: неверная ссылка «{guid}».",
                guid=guid)
        return {
            'uuid': guid,
            'name': self._get(index, 'Наименование'),
            'inn': self._get(index, 'ИНН'),
            'kpp': self._get(index, 'КПП'),
            'legal': self._get(index, 'ЮридическоеФизическоеЛицо') == (
                'ЮридическоеЛицо'),
            }

    def parse_counterparty(self, element):
        guid = self._required_guid(element, "Справочник.Контрагенты")
        keys = self._index(element).get('КлючевыеСвойства')
        values = self.parse_counterparty_keys(keys) or {}
        values['uuid'] = guid
        if not values.get('name'):
            raise MappingError(
                f"Контрагент {guid}: нет наименования.", guid=guid)
        return values

    def parse_contract_keys(self, element):
        if element is None:
            return None
        index = self._index(element)
        guid = self._get(index, 'Ссылка')
        if guid and not _is_guid(guid):
            raise MappingError(f"Договор: неверная ссылка «{guid}».",
                guid=guid)
        return {
            'uuid': guid,
            'number': self._get(index, 'Номер'),
            'name': self._get(index, 'Наименование'),
            'payer': self.parse_counterparty_keys(index.get('Контрагент')),
            }

    def parse_contract(self, element):
        guid = self._required_guid(element, "Справочник.Договоры")
        values = self.parse_contract_keys(
            self._index(element).get('КлючевыеСвойства')) or {}
        values['uuid'] = guid
        if not values.get('payer') or not values['payer'].get('uuid'):
            raise MappingError(
                f"Договор {guid}: не указан контрагент.", guid=guid)
        return values

    def parse_payment(self, element):
        """Документ.ПоступлениеНаРасчетныйСчет → {uuid, date, number,
        amount, lines: [{amount, payer{…}, contract{…}}]}"""
        index = self._index(element)
        keys = self._index(index.get('КлючевыеСвойства'))
        guid = self._get(keys, 'Ссылка')
        if not guid or not _is_guid(guid):
            raise MappingError(
                f"{PAYMENT}: нет ссылки (GUID) или она неверна: "
                f"«{guid or ''}».", guid=guid)
        date = self._get(keys, 'Дата')
        try:
            date = dt.datetime.fromisoformat(date).date()
        except (TypeError, ValueError):
            raise MappingError(
                f"Поступление {guid}: неверная дата «{date or ''}».",
                guid=guid)
        total = _parse_amount(self._get(index, 'СуммаДокумента'), guid)
        payer = self.parse_counterparty_keys(index.get('Контрагент'))
        lines = []
        details = index.get('РасшифровкаПлатежа')
        rows = (details.iterchildren(self.q('Строка'))
            if details is not None else [])
        for row in rows:
            row_index = self._index(row)
            amount = _parse_amount(
                self._get(row_index, 'СуммаДокумента')
                or self._get(row_index, 'Сумма'), guid)
            if amount is None:
                raise MappingError(
                    f"Поступление {guid}: в строке нет суммы.", guid=guid)
            lines.append({
                    'amount': amount,
                    'payer': self.parse_counterparty_keys(
                        row_index.get('Контрагент')) or payer,
                    'contract': self.parse_contract_keys(
                        row_index.get('ДоговорКонтрагента')),
                    })
        if not lines:
            if total is None:
                raise MappingError(
                    f"Поступление {guid}: нет суммы документа.", guid=guid)
            contract = self.parse_contract_keys(
                index.get('ДоговорКонтрагента'))
            lines.append({'amount': total, 'payer': payer,
                    'contract': contract})
        if total is not None and sum(l['amount'] for l in lines) != total:
            raise MappingError(
                f"Поступление {guid}: сумма строк "
                f"{sum(l['amount'] for l in lines)} не равна сумме документа "
                f"{total}.", guid=guid)
        for line in lines:
            if line['amount'] <= 0:
                raise MappingError(
                    f"Поступление {guid}: сумма строки должна быть "
                    "положительной.", guid=guid)
        return {
            'uuid': guid,
            'date': date,
            'number': self._get(keys, 'Номер'),
            'amount': total,
            'purpose': self._get(index, 'НазначениеПлатежа'),
            'lines': lines,
            }

    # Test peers and benchmarks: a payment as 1C sends it ---------------------

    def payment_element(self, payment):
        """payment: uuid, date, number, organization, amount, purpose,
        lines: [{amount, payer{keys}, contract{uuid, number, name, payer,
        organization, date}}]"""
        element = self._root(PAYMENT)
        keys = etree.SubElement(element, self.q('КлючевыеСвойства'))
        _text(keys, self.q('Ссылка'), payment['uuid'])
        _text(keys, self.q('Дата'),
            dt.datetime.combine(payment['date'], dt.time()).isoformat())
        _text(keys, self.q('Номер'), payment['number'])
        self._organization(keys, 'Организация', payment['organization'])
        _text(element, self.q('ВидОперации'), 'ОплатаПокупателя')
        _text(element, self.q('СуммаДокумента'), _amount(payment['amount']))
        self._currency(element, 'ВалютаДокумента')
        if payment.get('purpose'):
            _text(element, self.q('НазначениеПлатежа'), payment['purpose'])
        details = etree.SubElement(element, self.q('РасшифровкаПлатежа'))
        for line in payment['lines']:
            row = etree.SubElement(details, self.q('Строка'))
            _text(row, self.q('СуммаДокумента'), _amount(line['amount']))
            if line.get('payer'):
                self._counterparty_keys(row, 'Контрагент', line['payer'])
            if line.get('contract'):
                contract = line['contract']
                element_c = etree.SubElement(
                    row, self.q('ДоговорКонтрагента'))
                if contract.get('uuid'):
                    _text(element_c, self.q('Ссылка'), contract['uuid'])
                if contract.get('number'):
                    _text(element_c, self.q('Номер'), contract['number'])
                if contract.get('name'):
                    _text(element_c, self.q('Наименование'), contract['name'])
        return element


register(Mapping)


@register
class Mapping112(Mapping):
    "EnterpriseData 1.12: the objects we use are unchanged"
    version = '1.12'


def parse_header(root):
    """The header of a parsed message → Header; the Body element.
    Raises MappingError for a message that is not EnterpriseData."""
    if root.tag != 'Message':
        raise MappingError(
            f"Корневой элемент «{etree.QName(root).localname}» — не сообщение "
            "EnterpriseData (ожидался Message).")
    head = root.find(f'{{{MSG_NS}}}Header')
    if head is None:
        raise MappingError(
            f"Нет заголовка msg:Header в пространстве имён {MSG_NS}.")
    format_ = (head.findtext(f'{{{MSG_NS}}}Format') or '').strip()
    if not format_.startswith(BODY_NS_PREFIX):
        raise MappingError(f"Неизвестный формат сообщения «{format_}».")
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
            raise MappingError(f"Заголовок: {tag} «{text}» — не число.")
        return int(text)

    created = (head.findtext(f'{{{MSG_NS}}}CreationDate') or '').strip()
    try:
        created = dt.datetime.fromisoformat(created) if created else None
    except ValueError:
        raise MappingError(f"Заголовок: неверная дата «{created}».")
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
        raise MappingError(
            f"Пространство имён Body «{etree.QName(body).namespace}» не "
            f"соответствует формату {mapping.namespace}.")
    return header, mapping, body


def _parse_amount(text, guid):
    if text is None:
        return None
    try:
        value = Decimal(text)
    except Exception:
        raise MappingError(f"Объект {guid}: неверная сумма «{text}».",
            guid=guid)
    if not value.is_finite():
        raise MappingError(f"Объект {guid}: неверная сумма «{text}».",
            guid=guid)
    return value.quantize(Decimal('0.01'))


_GUID = re.compile(
    r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-'
    r'[0-9a-fA-F]{12}$')


def _is_guid(text):
    return bool(text) and isinstance(text, str) and bool(_GUID.match(text))
