"""The validator of our own against 1C's published XDTO packages: the
objects we build and the objects 1C writes fit them; each kind of problem
is found — by the XML Schema made from the package (xsd.py) and by the
Python walk that names it in Russian — and both agree."""
import datetime as dt
import unittest
import uuid
from decimal import Decimal

from lxml import etree

from copp_exchange_1c import mapping as mapping_
from copp_exchange_1c.mapping_format import Header
from copp_exchange_1c.validator import validate_message, validate_objects
from copp_exchange_1c.xdto import registry
from copp_exchange_1c.xsd import body_valid

from . import objects_1c

NS = objects_1c.NS
ORG = {'uuid': str(uuid.uuid4()), 'name': "Колледж", 'inn': '6234000007',
    'kpp': '623401001'}


def q(tag):
    return f'{{{NS}}}{tag}'


def ours():
    "A counterparty, a contract and a charge as our mapping builds them"
    mapping = mapping_.get_mapping('1.11')
    payer = {'uuid': str(uuid.uuid4()), 'name': "Иванов Иван",
        'inn': '623400000012', 'legal': False, 'phone': '+7 4912 000000',
        'email': 'ivanov@example.ru', 'address': "Рязань, ул. Ленина, 1"}
    contract = {'uuid': str(uuid.uuid4()), 'number': '2026/1',
        'date': dt.date(2026, 8, 20), 'name': "Договор № 2026/1",
        'organization': ORG, 'payer': payer,
        'start_date': dt.date(2026, 9, 1), 'end_date': dt.date(2027, 6, 30),
        'amount': Decimal('45000')}
    charge = {'uuid': str(uuid.uuid4()), 'number': '00000001',
        'date': dt.date(2027, 3, 1), 'organization': ORG, 'payer': payer,
        'contract': contract, 'amount': Decimal('22500'),
        'content': "Обучение по договору № 2026/1"}
    root, body = mapping.new_message(Header('1.11', message_no=1,
            received_no=0, sender='ЦОПП', recipient='БГУ'))
    body.append(mapping.counterparty_element(payer))
    body.append(mapping.contract_element(contract))
    body.append(mapping.charge_element(charge))
    return root, body


def issues(root, strict=True):
    return [str(i) for i in validate_message(root, strict=strict).issues]


class ValidatorTestCase(unittest.TestCase):
    "Messages against the packages, without a database"

    def test_package_read(self):
        "The package's types, required properties and order"
        objects = registry().top_level(NS)
        self.assertIn('Документ.ПБДСРасчетыСКонтрагентами', objects)
        self.assertNotIn('Документ.ПоступлениеНаРасчетныйСчет', objects)
        charge = objects['Документ.РеализацияТоваровУслуг']
        self.assertIn('ДанныеВзаиморасчетов',
            [p.name for p in charge.required])
        keys = registry().object_type(NS, 'КлючевыеСвойстваДоговор')
        names = [p.name for p in keys.properties]
        self.assertLess(names.index('Дата'), names.index('Номер'))

    def test_ours_and_1c_fit(self):
        "What we build and what 1C writes: 0 issues, strict, both ways"
        root, body = ours()
        self.assertTrue(body_valid(body, NS))
        self.assertEqual(issues(root), [])
        payment = objects_1c.payment({'date': dt.date(2026, 10, 1),
                'number': '1', 'amount': Decimal('10'), 'purpose': "Оплата",
                'payer': {'name': "Иванов", 'inn': '623400000012'},
                'lines': [{'amount': Decimal('10'),
                        'contract': {'uuid': str(uuid.uuid4()),
                            'number': '2026/1'}}]}, ORG)
        self.assertEqual([str(i) for i in validate_objects([payment],
                    NS).issues], [])

    def test_problems_found_and_named(self):
        """Each kind of problem: refused by the schema, named by the walk
        with the object, its Ссылка and the property"""
        def contract(body):
            return body[1]

        def charge(body):
            return body[2]

        def swap_date_number(body):
            keys = contract(body).find(q('КлючевыеСвойства'))
            date, number = keys.find(q('Дата')), keys.find(q('Номер'))
            keys.remove(date)
            number.addnext(date)

        def drop_settlement(body):
            element = charge(body)
            element.remove(element.find(q('ДанныеВзаиморасчетов')))

        def bad_enumeration(body):
            charge(body).find(q('ВидОперации')).text = 'Продажа'

        def kopecks(body):
            charge(body).find(q('Сумма')).text = '100.005'

        def exponent(body):
            charge(body).find(q('Сумма')).text = '1e3'

        def long_inn(body):
            body[0].find(f"{q('КлючевыеСвойства')}/{q('ИНН')}").text = (
                '1234567890123')

        def nil(body):
            element = charge(body).find(q('Валюта'))
            for child in list(element):
                element.remove(child)
            element.set('{http://www.w3.org/2001/XMLSchema-instance}nil',
                'true')

        def undeclared(body):
            etree.SubElement(contract(body), q('СуммаДоговора')).text = '1'

        def unknown(body):
            etree.SubElement(body, q('Документ.ПоступлениеНаРасчетныйСчет'))

        cases = [
            (swap_date_number, 'Справочник.Договоры',
                "«КлючевыеСвойства/Дата»: стоит не на своём месте"),
            (drop_settlement, 'Документ.РеализацияТоваровУслуг',
                "нет обязательного свойства «ДанныеВзаиморасчетов»"),
            (bad_enumeration, 'Документ.РеализацияТоваровУслуг',
                "«ВидОперации»: значение «Продажа» не из списка"),
            (kopecks, 'Документ.РеализацияТоваровУслуг',
                "больше 2 знаков после запятой"),
            (exponent, 'Документ.РеализацияТоваровУслуг',
                "не подходит к типу xs:decimal"),
            (long_inn, 'Справочник.Контрагенты', "длиннее 12 знаков"),
            (nil, 'Документ.РеализацияТоваровУслуг',
                "«Валюта»: не может быть пустым"),
            (undeclared, 'Справочник.Договоры',
                "«СуммаДоговора»: такого свойства нет в формате"),
            (unknown, 'Документ.ПоступлениеНаРасчетныйСчет',
                "не тип объекта формата"),
            ]
        for mutate, object_type, expected in cases:
            with self.subTest(case=mutate.__name__):
                root, body = ours()
                mutate(body)
                self.assertFalse(body_valid(body, NS))
                found = issues(root)
                self.assertTrue(any(object_type in i and expected in i
                        for i in found), found)
                if object_type != 'Документ.ПоступлениеНаРасчетныйСчет':
                    element = next(e for e in body
                        if etree.QName(e).localname == object_type)
                    guid = element.findtext(
                        f"{q('КлючевыеСвойства')}/{q('Ссылка')}")
                    self.assertTrue(any(guid in i for i in found), found)

    def test_open_types_for_what_we_receive(self):
        """An undeclared property of an open type: refused in what we
        build, accepted in what we receive (1C keeps such properties)"""
        root, body = ours()
        etree.SubElement(body[1], q('СуммаДоговора')).text = '1'
        self.assertEqual(len(issues(root, strict=True)), 1)
        self.assertEqual(issues(root, strict=False), [])

    def test_header(self):
        root, body = ours()
        header = root[0]
        header.remove(header.find(
            '{http://www.1c.ru/SSL/Exchange/Message}AvailableVersion'))
        self.assertEqual(issues(root), ["msg:Header (Ссылка —): нет "
                "обязательного свойства «AvailableVersion»"])
