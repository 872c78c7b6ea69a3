"""EnterpriseData into values: the objects ГИС ЦОПП reads from 1C
(Документ.ПоступлениеНаРасчетныйСчет, Справочник.Контрагенты,
Справочник.Договоры) parsed into dicts, raising MappingError with the
object's GUID and a translated text. The matching to our records is in
matching.py."""
import datetime as dt

from lxml import etree

from .mapping_format import (
    CONTRACT, COUNTERPARTY, PAYMENT, MappingFormat, error, is_guid,
    parse_amount)


class MappingIncoming(MappingFormat):
    "The parsers of a mapping"

    def object_type(self, element):
        if not isinstance(element.tag, str):
            return None
        qname = etree.QName(element)
        if qname.namespace != self.namespace:
            raise error('msg_object_namespace', self.guid_of(element),
                name=qname.localname, namespace=qname.namespace,
                expected=self.namespace)
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

    def _required_guid(self, element, object_type):
        guid = self.guid_of(element)
        if not guid or not is_guid(guid):
            raise error('msg_object_guid_required', guid,
                object=object_type)
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

    def parse_counterparty_keys(self, element):
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
        keys = self._index(element).get('КлючевыеСвойства')
        values = self.parse_counterparty_keys(keys) or {}
        values['uuid'] = guid
        if not values.get('name'):
            raise error('msg_counterparty_no_name', guid)
        return values

    def parse_contract_keys(self, element):
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
            'payer': self.parse_counterparty_keys(index.get('Контрагент')),
            }

    def parse_contract(self, element):
        guid = self._required_guid(element, CONTRACT)
        values = self.parse_contract_keys(
            self._index(element).get('КлючевыеСвойства')) or {}
        values['uuid'] = guid
        if not values.get('payer') or not values['payer'].get('uuid'):
            raise error('msg_contract_no_counterparty', guid)
        return values

    def parse_payment(self, element):
        """Документ.ПоступлениеНаРасчетныйСчет → {uuid, date, number,
        amount, lines: [{amount, payer{…}, contract{…}}]}"""
        index = self._index(element)
        keys = self._index(index.get('КлючевыеСвойства'))
        guid = self._get(keys, 'Ссылка')
        if not guid or not is_guid(guid):
            raise error('msg_object_guid_required', guid, object=PAYMENT)
        date = self._get(keys, 'Дата')
        try:
            date = dt.datetime.fromisoformat(date).date()
        except (TypeError, ValueError):
            raise error('msg_payment_date_invalid', guid, date=date or '')
        total = parse_amount(self._get(index, 'СуммаДокумента'), guid)
        payer = self.parse_counterparty_keys(index.get('Контрагент'))
        lines = []
        details = index.get('РасшифровкаПлатежа')
        rows = (details.iterchildren(self.q('Строка'))
            if details is not None else [])
        for row in rows:
            row_index = self._index(row)
            amount = parse_amount(
                self._get(row_index, 'СуммаДокумента')
                or self._get(row_index, 'Сумма'), guid)
            if amount is None:
                raise error('msg_payment_line_no_amount', guid)
            lines.append({
                    'amount': amount,
                    'payer': self.parse_counterparty_keys(
                        row_index.get('Контрагент')) or payer,
                    'contract': self.parse_contract_keys(
                        row_index.get('ДоговорКонтрагента')),
                    })
        if not lines:
            if total is None:
                raise error('msg_payment_no_amount', guid)
            contract = self.parse_contract_keys(
                index.get('ДоговорКонтрагента'))
            lines.append({'amount': total, 'payer': payer,
                    'contract': contract})
        if total is not None and sum(l['amount'] for l in lines) != total:
            raise error('msg_payment_lines_total', guid,
                lines=sum(l['amount'] for l in lines), total=total)
        for line in lines:
            if line['amount'] <= 0:
                raise error('msg_payment_line_not_positive', guid)
        return {
            'uuid': guid,
            'date': date,
            'number': self._get(keys, 'Номер'),
            'amount': total,
            'purpose': self._get(index, 'НазначениеПлатежа'),
            'lines': lines,
            }
