"""The objects a 1C base sends, written as 1C writes them in the published
package EnterpriseData_1_11_7.xdto — independently of our mapping, for the
test peer (peer_1c.py), the tests and the benchmarks:

- `Документ.ПБДСРасчетыСКонтрагентами`: money received from a payer;
- `Документ.СБДСРасчетыСКонтрагентами`: money paid out to a counterparty
  (ВидРасчетов «СПокупателем»: a refund to a payer);
- `Справочник.Контрагенты`, `Справочник.Договоры` as 1C knows them;
- `Справочник.Номенклатура` with a long description: filler for the large
  messages of the tests (1C sends many objects we do not read)."""
import datetime as dt
import uuid
from decimal import Decimal

from lxml import etree

NS = 'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11'
MSG = 'http://www.1c.ru/SSL/Exchange/Message'
RUB = 'b4a2a5b8-4e3a-5c55-9e1f-643000000643'
# The bank account of the college in 1C.
ACCOUNT_NUMBER = '03214643000000015900'


def q(tag):
    return f'{{{NS}}}{tag}'


def add(parent, tag, text=None):
    element = etree.SubElement(parent, q(tag))
    if text is not None:
        element.text = str(text)
    return element


def amount(value):
    return f"{Decimal(str(value)).quantize(Decimal('0.01'))}"


def organization(parent, tag, org):
    element = add(parent, tag)
    if org.get('uuid'):
        add(element, 'Ссылка', org['uuid'])
    add(element, 'Наименование', org['name'])
    if org.get('inn'):
        add(element, 'ИНН', org['inn'])
    if org.get('kpp'):
        add(element, 'КПП', org['kpp'])
    add(element, 'ЮридическоеФизическоеЛицо', 'ЮридическоеЛицо')
    return element


def counterparty(parent, tag, party):
    element = add(parent, tag)
    if party.get('uuid'):
        add(element, 'Ссылка', party['uuid'])
    add(element, 'Наименование', party['name'])
    if party.get('inn'):
        add(element, 'ИНН', party['inn'])
    if party.get('kpp'):
        add(element, 'КПП', party['kpp'])
    add(element, 'ЮридическоеФизическоеЛицо',
        'ЮридическоеЛицо' if party.get('legal') else 'ФизическоеЛицо')
    return element


def currency(parent, tag):
    element = add(parent, tag)
    add(element, 'Ссылка', RUB)
    data = add(element, 'ДанныеКлассификатора')
    add(data, 'Код', '643')
    add(data, 'Наименование', 'руб.')
    return element


def contract_keys(parent, tag, contract, org, payer):
    "КлючевыеСвойстваДоговор: Ссылка, ВидДоговора … Дата, Номер"
    element = add(parent, tag)
    if contract.get('uuid'):
        add(element, 'Ссылка', contract['uuid'])
    add(element, 'ВидДоговора', 'СПокупателем')
    organization(element, 'Организация', org)
    counterparty(element, 'Контрагент', contract.get('payer') or payer
        or {'name': 'Плательщик'})
    if contract.get('date'):
        add(element, 'Дата', contract['date'].isoformat())
    if contract.get('number'):
        add(element, 'Номер', contract['number'])
    return element


def payment(values, org):
    """Документ.ПБДСРасчетыСКонтрагентами; values: uuid, date, number,
    amount, purpose, kind (ВидРасчетов, «СПокупателем»), payer{…}, lines:
    [{amount, contract{uuid, number, date, payer}}]"""
    element = etree.Element(q('Документ.ПБДСРасчетыСКонтрагентами'),
        nsmap={None: NS})
    keys = add(element, 'КлючевыеСвойства')
    add(keys, 'Ссылка', values.get('uuid') or str(uuid.uuid4()))
    add(keys, 'Дата', dt.datetime.combine(values['date'],
            dt.time(10, 0)).isoformat())
    add(keys, 'Номер', values['number'])
    organization(keys, 'Организация', values.get('organization') or org)
    common = add(element, 'ОбщиеДанные')
    add(common, 'ДатаВыписки', values['date'].isoformat())
    currency(common, 'Валюта')
    add(common, 'Сумма', values.get('total') or amount(values['amount']))
    account = add(common, 'БанковскийСчетОрганизации')
    add(account, 'НомерСчета', ACCOUNT_NUMBER)
    owner = add(account, 'Владелец')
    organization(owner, 'ОрганизацииСсылка', org)
    if values.get('purpose'):
        add(common, 'НазначениеПлатежа', values['purpose'])
    add(element, 'ВидРасчетов', values.get('kind') or 'СПокупателем')
    payer = values.get('payer')
    if payer:
        counterparty(element, 'Контрагент', payer)
    details = add(element, 'РасшифровкаПлатежа')
    for line in values['lines']:
        row = add(details, 'Строка')
        add(row, 'Сумма', line.get('text') or amount(line['amount']))
        settlement = add(row, 'ДанныеВзаиморасчетов')
        if line.get('contract'):
            contract_keys(settlement, 'Договор', line['contract'], org,
                payer)
        currency(settlement, 'ВалютаВзаиморасчетов')
    return element


def refund(values, org):
    """Документ.СБДСРасчетыСКонтрагентами: the same values as payment();
    the package orders it differently (Контрагент, required, before
    ВидРасчетов; the purpose in ОбщиеДанные/РеквизитыПлатежа)"""
    element = etree.Element(q('Документ.СБДСРасчетыСКонтрагентами'),
        nsmap={None: NS})
    keys = add(element, 'КлючевыеСвойства')
    add(keys, 'Ссылка', values.get('uuid') or str(uuid.uuid4()))
    add(keys, 'Дата', dt.datetime.combine(values['date'],
            dt.time(10, 0)).isoformat())
    add(keys, 'Номер', values['number'])
    organization(keys, 'Организация', values.get('organization') or org)
    common = add(element, 'ОбщиеДанные')
    add(common, 'ДатаВыписки', values['date'].isoformat())
    currency(common, 'Валюта')
    add(common, 'Сумма', values.get('total') or amount(values['amount']))
    account = add(common, 'БанковскийСчетОрганизации')
    add(account, 'НомерСчета', ACCOUNT_NUMBER)
    owner = add(account, 'Владелец')
    organization(owner, 'ОрганизацииСсылка', org)
    if values.get('purpose'):
        details = add(common, 'РеквизитыПлатежа')
        add(details, 'НазначениеПлатежа', values['purpose'])
    payer = values.get('payer') or {'name': 'Плательщик'}
    counterparty(element, 'Контрагент', payer)
    add(element, 'ВидРасчетов', values.get('kind') or 'СПокупателем')
    details = add(element, 'РасшифровкаПлатежа')
    for line in values['lines']:
        row = add(details, 'Строка')
        add(row, 'Сумма', line.get('text') or amount(line['amount']))
        settlement = add(row, 'ДанныеВзаиморасчетов')
        if line.get('contract'):
            contract_keys(settlement, 'Договор', line['contract'], org,
                payer)
        currency(settlement, 'ВалютаВзаиморасчетов')
    return element


def counterparty_object(party):
    element = etree.Element(q('Справочник.Контрагенты'), nsmap={None: NS})
    counterparty(element, 'КлючевыеСвойства', party)
    return element


def contract_object(contract, org):
    element = etree.Element(q('Справочник.Договоры'), nsmap={None: NS})
    contract_keys(element, 'КлючевыеСвойства', contract, org,
        contract.get('payer'))
    return element


def filler(text):
    "Справочник.Номенклатура with a description: not read by ГИС ЦОПП"
    element = etree.Element(q('Справочник.Номенклатура'), nsmap={None: NS})
    keys = add(element, 'КлючевыеСвойства')
    add(keys, 'Ссылка', str(uuid.uuid4()))
    add(keys, 'Наименование', 'Канцтовары')
    add(element, 'ТипНоменклатуры', 'Товар')
    add(element, 'Описание', text)
    unit = add(element, 'ЕдиницаИзмерения')
    add(unit, 'Ссылка', 'a1b2c3d4-0000-4000-8000-000000000796')
    data = add(unit, 'ДанныеКлассификатора')
    add(data, 'Код', '796')
    add(data, 'Наименование', 'шт')
    return element


def message(objects, message_no, received_no, sender, recipient,
        plan='СинхронизацияДанныхЧерезУниверсальныйФормат',
        format_=NS, versions=('1.11',)):
    "A whole message of 1C, as bytes"
    root = etree.Element('Message', nsmap={'msg': MSG,
            'xs': 'http://www.w3.org/2001/XMLSchema',
            'xsi': 'http://www.w3.org/2001/XMLSchema-instance'})
    header = etree.SubElement(root, f'{{{MSG}}}Header')
    etree.SubElement(header, f'{{{MSG}}}Format').text = format_
    etree.SubElement(header, f'{{{MSG}}}CreationDate').text = (
        '2026-10-01T12:00:00')
    confirmation = etree.SubElement(header, f'{{{MSG}}}Confirmation')
    for tag, value in (('ExchangePlan', plan), ('To', recipient),
            ('From', sender), ('MessageNo', message_no),
            ('ReceivedNo', received_no)):
        etree.SubElement(confirmation, f'{{{MSG}}}{tag}').text = str(value)
    for version in versions:
        etree.SubElement(header, f'{{{MSG}}}AvailableVersion').text = version
    if objects is not None:
        body = etree.SubElement(root, q('Body'), nsmap={None: NS})
        for element in objects:
            body.append(element)
    return etree.tostring(root, xml_declaration=True, encoding='UTF-8')
