"""EnterpriseData into values: the objects ГИС ЦОПП reads from 1C, parsed
into dicts after the message validated against the package (validator.py):

- `Документ.ПБДСРасчетыСКонтрагентами` — money received on the bank
  account: КлючевыеСвойства (Ссылка, Дата, Номер, Организация),
  ОбщиеДанные (ДатаВыписки, Сумма, НазначениеПлатежа …), ВидРасчетов,
  Контрагент, РасшифровкаПлатежа/Строка (Сумма, ДанныеВзаиморасчетов/Договор);
- `Документ.СБДСРасчетыСКонтрагентами` — money paid out from the bank
  account, read into the same dict (refund=True): the same КлючевыеСвойства
  and РасшифровкаПлатежа, ОбщиеДанные of ОбщиеСвойстваСБДС (the purpose in
  РеквизитыПлатежа/НазначениеПлатежа, else Комментарий), Контрагент
  (required) before ВидРасчетов;
- `Справочник.Контрагенты`, `Справочник.Договоры` — to learn 1C's GUIDs.

Errors are MappingError with the object's GUID and a translated text; the
matching to our records is in matching.py."""
import datetime as dt

from lxml import etree

from .mapping_format import (
    CONTRACT, COUNTERPARTY, PAYMENT, REFUND, MappingFormat, error, is_guid,
    parse_amount)
from .validator import guid_of


class MappingIncoming(MappingFormat):
    "The parsers of a mapping"

    def object_type(self, element):
        "The local name of an object of the Body (None for a comment)"
        if not isinstance(element.tag, str):
            return None
        qname = etree.QName(element)
        if qname.namespace != self.namespace:
            raise error('msg_object_namespace', guid_of(element),
                name=qname.localname, namespace=qname.namespace,
                expected=self.namespace)
        return qname.localname

    @staticmethod
    def guid_of(element):
        "The Ссылка of an object, in whatever namespace it came"
        return guid_of(element)

    def _required_guid(self, element, object_type):
        guid = guid_of(element)
        if not guid or not is_guid(guid):
            raise error('msg_object_guid_required', guid,
                object=object_type)
        return guid

    # Parsing reads each element's children once into a dict (ElementPath
    # and iterchildren per lookup cost ten times more on 10 000 objects).

    @staticmethod
    def _index(element):
        "{qualified tag: child} of an element (None: {})"
        if element is None:
            return {}
        return {child.tag: child for child in element}

    def _get(self, index, tag):
        "The stripped text of the child tag of an _index (None: none)"
        node = index.get(self.q(tag))
        if node is None or node.text is None:
            return None
        return node.text.strip()

    def _child(self, index, tag):
        return index.get(self.q(tag))

    def parse_organization_keys(self, element):
        "КлючевыеСвойстваОрганизация → {uuid, name, inn, kpp}"
        if element is None:
            return None
        index = self._index(element)
        return {
            'uuid': self._get(index, 'Ссылка'),
            'name': self._get(index, 'Наименование'),
            'inn': self._get(index, 'ИНН'),
            'kpp': self._get(index, 'КПП'),
            }

    def parse_counterparty_keys(self, element):
        "КлючевыеСвойстваКонтрагент → {uuid, name, inn, kpp, legal}"
        if element is None:
            return None
        index = self._index(element)
        guid = self._get(index, 'Ссылка')
        if guid and not is_guid(guid):
            raise error('msg_counterparty_guid_invalid', guid)
        return {
            'uuid': guid,
            'name': self._get(index, 'Наименование'),
            'inn': self._get(index, 'ИНН'),
            'kpp': self._get(index, 'КПП'),
            'legal': self._get(index, 'ЮридическоеФизическоеЛицо') == (
                'ЮридическоеЛицо'),
            }

    def parse_counterparty(self, element):
        guid = self._required_guid(element, COUNTERPARTY)
        keys = self._child(self._index(element), 'КлючевыеСвойства')
        values = self.parse_counterparty_keys(keys) or {}
        values['uuid'] = guid
        return values

    def parse_contract_keys(self, element):
        "КлючевыеСвойстваДоговор → {uuid, number, name, payer}"
        if element is None:
            return None
        index = self._index(element)
        guid = self._get(index, 'Ссылка')
        if guid and not is_guid(guid):
            raise error('msg_contract_guid_invalid', guid)
        return {
            'uuid': guid,
            'number': self._get(index, 'Номер'),
            'name': self._get(index, 'Наименование'),
            'payer': self.parse_counterparty_keys(self._child(index,
                    'Контрагент')),
            }

    def parse_contract(self, element):
        guid = self._required_guid(element, CONTRACT)
        values = self.parse_contract_keys(
            self._child(self._index(element), 'КлючевыеСвойства')) or {}
        values['uuid'] = guid
        return values

    def parse_payment(self, element, refund=False):
        """Документ.ПБДСРасчетыСКонтрагентами (refund:
        Документ.СБДСРасчетыСКонтрагентами) → {uuid, date, number, kind,
        refund, organization{…}, amount, purpose, payer{…}, lines: [{amount,
        contract{…}}]}; kind is its ВидРасчетов (a payment or a refund of
        ours is «СПокупателем»)"""
        index = self._index(element)
        keys = self._index(self._child(index, 'КлючевыеСвойства'))
        guid = self._get(keys, 'Ссылка')
        if not guid or not is_guid(guid):
            raise error('msg_object_guid_required', guid,
                object=REFUND if refund else PAYMENT)
        common = self._index(self._child(index, 'ОбщиеДанные'))
        date = self._get(common, 'ДатаВыписки') or self._get(keys, 'Дата')
        try:
            date = dt.date.fromisoformat(date[:10])
        except (TypeError, ValueError):
            raise error('msg_payment_date_invalid', guid, date=date or '')
        total = parse_amount(self._get(common, 'Сумма'), guid)
        payer = self.parse_counterparty_keys(self._child(index, 'Контрагент'))
        lines = []
        details = self._child(index, 'РасшифровкаПлатежа')
        rows = (details.iterchildren(self.q('Строка'))
            if details is not None else [])
        for row in rows:
            row_index = self._index(row)
            amount = parse_amount(self._get(row_index, 'Сумма'), guid)
            settlement = self._index(self._child(row_index,
                    'ДанныеВзаиморасчетов'))
            contract = self.parse_contract_keys(self._child(settlement,
                    'Договор'))
            lines.append({'amount': amount, 'contract': contract})
        if total is not None and sum(l['amount'] for l in lines) != total:
            raise error('msg_payment_lines_total', guid,
                lines=sum(l['amount'] for l in lines), total=total)
        for line in lines:
            if line['amount'] <= 0:
                raise error('msg_payment_line_not_positive', guid)
        purpose = self._get(common, 'НазначениеПлатежа')
        if refund:
            details = self._index(self._child(common, 'РеквизитыПлатежа'))
            purpose = (self._get(details, 'НазначениеПлатежа')
                or self._get(common, 'Комментарий'))
        return {
            'uuid': guid,
            'refund': refund,
            'date': date,
            'number': self._get(keys, 'Номер'),
            'organization': self.parse_organization_keys(
                self._child(keys, 'Организация')),
            'kind': self._get(index, 'ВидРасчетов'),
            # An older shape names the operation: «ВозвратОтПоставщика» …
            'operation': self._get(index, 'ВидОперации'),
            'amount': total,
            'purpose': purpose,
            'payer': payer,
            'lines': lines,
            }
