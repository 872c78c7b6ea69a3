"""EnterpriseData out of our records: the objects ГИС ЦОПП sends
(Справочник.Контрагенты, Справочник.Договоры, the charges as
CHARGE_OBJECT — see mapping.py), the reference blocks they share, and the
payment as 1C sends it (for the test peer and the benchmarks).

Builders take plain dicts (made by outgoing.py from the records) and return
lxml elements of the Body namespace. Element names and fixed values
(«ЮридическоеЛицо», «руб.», «Платные образовательные услуги» …) are data of
the format for 1C, not translated."""
import datetime as dt

from lxml import etree

from .mapping_format import (
    CONTRACT, COUNTERPARTY, PAYMENT, RUB_CODE, RUB_UUID, MappingFormat,
    format_amount, sub_text)


class MappingOutgoing(MappingFormat):
    "The builders of a mapping"

    # Reference blocks ------------------------------------------------------

    def _organization(self, parent, tag, organization):
        return self._cached(parent, tag, ('org', organization['uuid']),
            lambda: self._organization_block(organization))

    def _organization_block(self, organization):
        element = self._root('Организация')
        sub_text(element, self.q('Ссылка'), organization['uuid'])
        sub_text(element, self.q('Наименование'), organization['name'])
        sub_text(element, self.q('НаименованиеСокращенное'),
            organization.get('short_name') or organization['name'])
        sub_text(element, self.q('ИНН'), organization.get('inn') or '')
        sub_text(element, self.q('КПП'), organization.get('kpp') or '')
        sub_text(element, self.q('ЮридическоеФизическоеЛицо'),
            'ЮридическоеЛицо')
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
        return self._cached(parent, tag, ('currency',), self._currency_block)

    def _currency_block(self):
        element = self._root('Валюта')
        sub_text(element, self.q('Ссылка'), RUB_UUID)
        data = etree.SubElement(element, self.q('ДанныеКлассификатора'))
        sub_text(data, self.q('Код'), RUB_CODE)
        sub_text(data, self.q('Наименование'), 'руб.')
        return element

    def _contract_keys(self, parent, tag, contract):
        return self._cached(parent, tag, ('contract', contract['uuid']),
            lambda: self._contract_block(contract))

    def _contract_block(self, contract):
        element = self._root('ДоговорКонтрагента')
        sub_text(element, self.q('Ссылка'), contract['uuid'])
        sub_text(element, self.q('ВидДоговора'), 'СПокупателем')
        self._organization(element, 'Организация', contract['organization'])
        self._counterparty_keys(element, 'Контрагент', contract['payer'])
        self._currency(element)
        sub_text(element, self.q('РасчетыВУсловныхЕдиницах'), 'false')
        sub_text(element, self.q('Наименование'), contract['name'])
        sub_text(element, self.q('Номер'), contract['number'])
        sub_text(element, self.q('Дата'), contract['date'].isoformat())
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
                    sub_text(row, self.q('ВидКонтактнойИнформации'), kind)
                    sub_text(row, self.q('ЗначенияПолей'), value)
        return element

    def contract_element(self, contract):
        """contract: uuid, number, date, name, organization{uuid, name, inn,
        kpp}, payer{counterparty keys}, start_date, end_date, amount,
        state, student"""
        element = self._root(CONTRACT)
        self._contract_keys(element, 'КлючевыеСвойства', contract)
        sub_text(element, self.q('СуммаДоговора'),
            format_amount(contract['amount']))
        sub_text(element, self.q('СрокДействия'),
            contract['end_date'].isoformat())
        sub_text(element, self.q('ДатаНачала'),
            contract['start_date'].isoformat())
        sub_text(element, self.q('Комментарий'), contract.get('comment') or '')
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
        keys, amount = element[0], format_amount(charge['amount'])
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
        sub_text(keys, self.q('Ссылка'), charge['uuid'])
        sub_text(keys, self.q('Дата'),
            dt.datetime.combine(charge['date'], dt.time()).isoformat())
        sub_text(keys, self.q('Номер'), charge['number'])
        self._organization(keys, 'Организация', charge['organization'])
        sub_text(element, self.q('ВидОперации'), 'РеализацияКлиенту')
        self._currency(element, 'Валюта')
        sub_text(element, self.q('СуммаВключаетНДС'), 'true')
        self._counterparty_keys(element, 'Контрагент', charge['payer'])
        self._contract_keys(element, 'ДоговорКонтрагента', charge['contract'])
        sub_text(element, self.q('Сумма'), format_amount(charge['amount']))
        services = etree.SubElement(element, self.q('Услуги'))
        row = etree.SubElement(services, self.q('Строка'))
        item = etree.SubElement(row, self.q('Номенклатура'))
        sub_text(item, self.q('Наименование'),
            'Платные образовательные услуги')
        sub_text(row, self.q('Содержание'), charge['content'])
        sub_text(row, self.q('Количество'), '1')
        sub_text(row, self.q('Цена'), format_amount(charge['amount']))
        sub_text(row, self.q('Сумма'), format_amount(charge['amount']))
        sub_text(row, self.q('СтавкаНДС'), 'БезНДС')
        sub_text(row, self.q('СуммаНДС'), '0.00')
        return element

    # Test peers and benchmarks: a payment as 1C sends it ---------------------

    def payment_element(self, payment):
        """payment: uuid, date, number, organization, amount, purpose,
        lines: [{amount, payer{keys}, contract{uuid, number, name, payer,
        organization, date}}]"""
        element = self._root(PAYMENT)
        keys = etree.SubElement(element, self.q('КлючевыеСвойства'))
        sub_text(keys, self.q('Ссылка'), payment['uuid'])
        sub_text(keys, self.q('Дата'),
            dt.datetime.combine(payment['date'], dt.time()).isoformat())
        sub_text(keys, self.q('Номер'), payment['number'])
        self._organization(keys, 'Организация', payment['organization'])
        sub_text(element, self.q('ВидОперации'), 'ОплатаПокупателя')
        sub_text(element, self.q('СуммаДокумента'),
            format_amount(payment['amount']))
        self._currency(element, 'ВалютаДокумента')
        if payment.get('purpose'):
            sub_text(element, self.q('НазначениеПлатежа'), payment['purpose'])
        details = etree.SubElement(element, self.q('РасшифровкаПлатежа'))
        for line in payment['lines']:
            row = etree.SubElement(details, self.q('Строка'))
            sub_text(row, self.q('СуммаДокумента'),
                format_amount(line['amount']))
            if line.get('payer'):
                self._counterparty_keys(row, 'Контрагент', line['payer'])
            if line.get('contract'):
                contract = line['contract']
                element_c = etree.SubElement(
                    row, self.q('ДоговорКонтрагента'))
                if contract.get('uuid'):
                    sub_text(element_c, self.q('Ссылка'), contract['uuid'])
                if contract.get('number'):
                    sub_text(element_c, self.q('Номер'), contract['number'])
                if contract.get('name'):
                    sub_text(element_c, self.q('Наименование'),
                        contract['name'])
        return element
