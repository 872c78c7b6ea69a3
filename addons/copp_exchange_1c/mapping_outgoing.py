"""EnterpriseData out of our records: the objects ГИС ЦОПП sends, in the
shapes of the published package (EnterpriseData_1_11_7.xdto: properties in
its order, only the properties it declares, values from its lists):

- `Справочник.Контрагенты` — КлючевыеСвойства (КлючевыеСвойстваКонтрагент:
  Ссылка, Наименование, НаименованиеПолное, ИНН, КПП,
  ЮридическоеФизическоеЛицо), КонтактнаяИнформация (ВидыКИ);
- `Справочник.Договоры` — КлючевыеСвойства (КлючевыеСвойстваДоговор: Ссылка,
  ВидДоговора, Организация, Контрагент, ВалютаВзаиморасчетов,
  РасчетыВУсловныхЕдиницах, Наименование, Дата, Номер), СрокДействия,
  Комментарий (the amount and the term of the contract: the package has no
  property for them);
- `Документ.РеализацияТоваровУслуг` — КлючевыеСвойства, ВидОперации, Валюта,
  Сумма, СуммаВключаетНДС, Контрагент, ДанныеВзаиморасчетов (the contract),
  Налогообложение, Услуги (Номенклатура, Количество, Сумма, Цена, СтавкаНДС,
  СуммаНДС, Содержание).

Builders take plain dicts (made by outgoing.py from the records) and return
lxml elements of the Body namespace. Element names and fixed values
(«СПокупателем», «руб.», «Платные образовательные услуги» …) are data of
the format for 1C, not translated."""
import datetime as dt

from lxml import etree

from .mapping_format import (
    CHARGE, CONTRACT, COUNTERPARTY, RUB_CODE, RUB_UUID, SERVICE_NAME,
    SERVICE_UUID, MappingFormat, format_amount, sub_text)


def _path(root, element):
    "The child indexes leading from root to element"
    path = []
    while element is not root:
        parent = element.getparent()
        path.append(parent.index(element))
        element = parent
    return tuple(reversed(path))


def _at(root, path):
    for index in path:
        root = root[index]
    return root


class MappingOutgoing(MappingFormat):
    "The builders of a mapping"

    # Reference blocks ------------------------------------------------------

    def _organization(self, parent, tag, organization):
        "КлючевыеСвойстваОрганизация of the college"
        return self._cached(parent, tag, ('org', organization['uuid']),
            lambda: self._organization_block(organization))

    def _organization_block(self, organization):
        element = self._root('Организация')
        sub_text(element, self.q('Ссылка'), organization['uuid'])
        sub_text(element, self.q('Наименование'), organization['name'])
        sub_text(element, self.q('НаименованиеСокращенное'),
            organization.get('short_name') or organization['name'])
        sub_text(element, self.q('НаименованиеПолное'),
            organization['name'])
        if organization.get('inn'):
            sub_text(element, self.q('ИНН'), organization['inn'])
        if organization.get('kpp'):
            sub_text(element, self.q('КПП'), organization['kpp'])
        sub_text(element, self.q('ЮридическоеФизическоеЛицо'),
            'ЮридическоеЛицо')
        return element

    @staticmethod
    def _party_key(party):
        return ('party', party['uuid'], party['name'], party.get('inn'),
            party.get('kpp'), bool(party.get('legal')))

    def _counterparty_keys(self, parent, tag, party):
        "КлючевыеСвойстваКонтрагент"
        return self._cached(parent, tag, self._party_key(party),
            lambda: self._counterparty_block(party))

    def _counterparty_block(self, party):
        element = self._root('Контрагент')
        sub_text(element, self.q('Ссылка'), party['uuid'])
        sub_text(element, self.q('Наименование'), party['name'])
        sub_text(element, self.q('НаименованиеПолное'),
            party.get('full_name') or party['name'])
        if party.get('inn'):
            sub_text(element, self.q('ИНН'), party['inn'])
        if party.get('kpp') and party.get('legal'):
            sub_text(element, self.q('КПП'), party['kpp'])
        sub_text(element, self.q('ЮридическоеФизическоеЛицо'),
            'ЮридическоеЛицо' if party.get('legal') else 'ФизическоеЛицо')
        return element

    def _currency(self, parent, tag='ВалютаВзаиморасчетов'):
        "КлючевыеСвойстваВалюта of the ruble"
        return self._cached(parent, tag, ('currency',), self._currency_block)

    def _currency_block(self):
        element = self._root('Валюта')
        sub_text(element, self.q('Ссылка'), RUB_UUID)
        data = etree.SubElement(element, self.q('ДанныеКлассификатора'))
        sub_text(data, self.q('Код'), RUB_CODE)
        sub_text(data, self.q('Наименование'), 'руб.')
        return element

    def _contract_keys(self, parent, tag, contract):
        "КлючевыеСвойстваДоговор, in the package's order (Дата, Номер)"
        return self._cached(parent, tag, ('contract', contract['uuid']),
            lambda: self._contract_block(contract))

    def _contract_block(self, contract):
        element = self._root('Договор')
        sub_text(element, self.q('Ссылка'), contract['uuid'])
        sub_text(element, self.q('ВидДоговора'), 'СПокупателем')
        self._organization(element, 'Организация', contract['organization'])
        self._counterparty_keys(element, 'Контрагент', contract['payer'])
        self._currency(element)
        sub_text(element, self.q('РасчетыВУсловныхЕдиницах'), 'false')
        sub_text(element, self.q('Наименование'), contract['name'])
        sub_text(element, self.q('Дата'), contract['date'].isoformat())
        sub_text(element, self.q('Номер'), contract['number'])
        return element

    def _service(self, parent, tag='Номенклатура'):
        "КлючевыеСвойстваНоменклатура of the service we sell"
        return self._cached(parent, tag, ('service',), self._service_block)

    def _service_block(self):
        element = self._root('Номенклатура')
        sub_text(element, self.q('Ссылка'), SERVICE_UUID)
        sub_text(element, self.q('НаименованиеПолное'), SERVICE_NAME)
        sub_text(element, self.q('Наименование'), SERVICE_NAME)
        return element

    # Outbound objects -------------------------------------------------------

    CONTACT_KINDS = [
        ('phone', 'Телефон'),
        ('email', 'АдресЭлектроннойПочты'),
        ('address', None),  # ЮридическийАдрес or ФактическийАдрес
        ]

    def counterparty_element(self, party):
        """party: uuid, name, full_name, inn, kpp, legal (bool), phone,
        email, address"""
        element = self._root(COUNTERPARTY)
        self._counterparty_keys(element, 'КлючевыеСвойства', party)
        contacts = []
        for key, kind in self.CONTACT_KINDS:
            if party.get(key):
                if kind is None:
                    kind = ('ЮридическийАдрес' if party.get('legal')
                        else 'ФактическийАдрес')
                contacts.append((kind, party[key]))
        if contacts:
            info = etree.SubElement(element, self.q('КонтактнаяИнформация'))
            for kind, value in contacts:
                row = etree.SubElement(info, self.q('Строка'))
                sub_text(row, self.q('ВидКонтактнойИнформации'), kind)
                sub_text(row, self.q('ЗначенияПолей'), value)
        return element

    def contract_element(self, contract):
        """contract: uuid, number, date, name, organization{uuid, name, inn,
        kpp}, payer{counterparty keys}, start_date, end_date, amount"""
        element = self._root(CONTRACT)
        self._contract_keys(element, 'КлючевыеСвойства', contract)
        sub_text(element, self.q('СрокДействия'),
            contract['end_date'].isoformat())
        sub_text(element, self.q('Комментарий'),
            f"Сумма договора {format_amount(contract['amount'])} руб.; "
            f"обучение с {contract['start_date'].strftime('%d.%m.%Y')} "
            f"по {contract['end_date'].strftime('%d.%m.%Y')}")
        return element

    def charge_element(self, charge):
        """charge: uuid, number, date, organization, payer, contract{keys},
        amount, content (the service and period)

        The charges of a peer differ only in their GUID, date, number,
        amount, content, payer and contract: the first is built, the next
        are copies of it with those leaves changed (their places found
        once) and the blocks of the payer and the contract put in."""
        cached = self._cache.get('charge')
        if cached is None:
            template = self._charge_block(charge)
            leaves = {name: _path(template, template.find(path))
                for name, path in self._CHARGE_LEAVES.items()}
            payer = template.find(self.q('Контрагент'))
            settlement = template.find(self.q('ДанныеВзаиморасчетов'))
            leaves['payer'] = template.index(payer)
            leaves['settlement'] = _path(template, settlement)
            template.remove(payer)
            settlement.remove(settlement[0])
            cached = self._cache['charge'] = (template, leaves)
        template, leaves = cached
        element = template.__deepcopy__(None)
        payer = charge['payer']
        element.insert(leaves['payer'], self._copy('Контрагент',
                self._party_key(payer),
                lambda: self._counterparty_block(payer)))
        contract = charge['contract']
        _at(element, leaves['settlement']).insert(0, self._copy('Договор',
                ('contract', contract['uuid']),
                lambda: self._contract_block(contract)))
        amount = format_amount(charge['amount'])
        _at(element, leaves['guid']).text = charge['uuid']
        _at(element, leaves['date']).text = dt.datetime.combine(
            charge['date'], dt.time()).isoformat()
        _at(element, leaves['number']).text = charge['number']
        _at(element, leaves['amount']).text = amount
        _at(element, leaves['content']).text = charge['content']
        _at(element, leaves['price']).text = amount
        _at(element, leaves['line_amount']).text = amount
        return element

    _CHARGE_LEAVES = {
        'guid': '{*}КлючевыеСвойства/{*}Ссылка',
        'date': '{*}КлючевыеСвойства/{*}Дата',
        'number': '{*}КлючевыеСвойства/{*}Номер',
        'amount': '{*}Сумма',
        'line_amount': '{*}Услуги/{*}Строка/{*}Сумма',
        'price': '{*}Услуги/{*}Строка/{*}Цена',
        'content': '{*}Услуги/{*}Строка/{*}Содержание',
        }

    def _charge_block(self, charge):
        element = self._root(CHARGE)
        keys = etree.SubElement(element, self.q('КлючевыеСвойства'))
        sub_text(keys, self.q('Ссылка'), charge['uuid'])
        sub_text(keys, self.q('Дата'),
            dt.datetime.combine(charge['date'], dt.time()).isoformat())
        sub_text(keys, self.q('Номер'), charge['number'])
        self._organization(keys, 'Организация', charge['organization'])
        sub_text(element, self.q('ВидОперации'), 'РеализацияКлиенту')
        self._currency(element, 'Валюта')
        amount = format_amount(charge['amount'])
        sub_text(element, self.q('Сумма'), amount)
        sub_text(element, self.q('СуммаВключаетНДС'), 'true')
        self._counterparty_keys(element, 'Контрагент', charge['payer'])
        settlement = etree.SubElement(element, self.q('ДанныеВзаиморасчетов'))
        self._contract_keys(settlement, 'Договор', charge['contract'])
        self._currency(settlement)
        sub_text(settlement, self.q('РасчетыВУсловныхЕдиницах'), 'false')
        sub_text(element, self.q('Налогообложение'),
            'ПродажаНеОблагаетсяНДС')
        services = etree.SubElement(element, self.q('Услуги'))
        row = etree.SubElement(services, self.q('Строка'))
        sub_text(row, self.q('НомерСтрокиДокумента'), '1')
        self._service(row)
        sub_text(row, self.q('Количество'), '1')
        sub_text(row, self.q('Сумма'), amount)
        sub_text(row, self.q('Цена'), amount)
        sub_text(row, self.q('СтавкаНДС'), 'БезНДС')
        sub_text(row, self.q('СуммаНДС'), '0.00')
        sub_text(row, self.q('Содержание'), charge['content'])
        return element
