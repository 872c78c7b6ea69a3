"""Messages of 1C read by ГИС ЦОПП: payments in the published shape
(`Документ.ПБДСРасчетыСКонтрагентами`) applied to the right contract, once;
what cannot be matched goes to the queue «Неразнесённые платежи» while the
rest is applied; refunds and other receipts are not payments; amounts are
never rounded; messages that do not fit the format are refused whole with
the object, its Ссылка and the property named."""
import datetime as dt
import unittest
import uuid
from decimal import Decimal

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_exchange_1c.incoming import receive_message
from copp_exchange_1c.safexml import make_zip

from . import objects_1c
from .peer_1c import payment
from .tools import peer_1c_of, setup_college

D = Decimal

# A payment as 1C writes it, by hand from EnterpriseData_1_11_7.xdto.
PAYMENT_XML = '''<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <msg:Header>
  <msg:Format>http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11</msg:Format>
  <msg:CreationDate>2026-10-02T09:15:00</msg:CreationDate>
  <msg:Confirmation>
   <msg:ExchangePlan>СинхронизацияДанныхЧерезУниверсальныйФормат</msg:ExchangePlan>
   <msg:To>ЦОПП</msg:To>
   <msg:From>БГУ</msg:From>
   <msg:MessageNo>1</msg:MessageNo>
   <msg:ReceivedNo>0</msg:ReceivedNo>
  </msg:Confirmation>
  <msg:AvailableVersion>1.11</msg:AvailableVersion>
 </msg:Header>
 <Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11">
  <Документ.ПБДСРасчетыСКонтрагентами>
   <КлючевыеСвойства>
    <Ссылка>{guid}</Ссылка>
    <Дата>2026-10-02T00:00:00</Дата>
    <Номер>0000-000431</Номер>
    <Организация>
     <Ссылка>{organization}</Ссылка>
     <Наименование>Рязанский колледж электроники</Наименование>
     <ИНН>6234000007</ИНН>
     <КПП>623401001</КПП>
     <ЮридическоеФизическоеЛицо>ЮридическоеЛицо</ЮридическоеФизическоеЛицо>
    </Организация>
   </КлючевыеСвойства>
   <ОбщиеДанные>
    <ДатаВыписки>2026-10-02</ДатаВыписки>
    <Валюта>
     <ДанныеКлассификатора><Код>643</Код><Наименование>руб.</Наименование></ДанныеКлассификатора>
    </Валюта>
    <Сумма>{amount}</Сумма>
    <БанковскийСчетОрганизации>
     <НомерСчета>03214643000000015900</НомерСчета>
     <Владелец>
      <ОрганизацииСсылка>
       <Ссылка>{organization}</Ссылка>
       <Наименование>Рязанский колледж электроники</Наименование>
       <ЮридическоеФизическоеЛицо>ЮридическоеЛицо</ЮридическоеФизическоеЛицо>
      </ОрганизацииСсылка>
     </Владелец>
    </БанковскийСчетОрганизации>
    <НазначениеПлатежа>Оплата по договору на обучение</НазначениеПлатежа>
   </ОбщиеДанные>
   <ВидРасчетов>СПокупателем</ВидРасчетов>
   <Контрагент>
    <Наименование>Петрова Анна</Наименование>
    <ЮридическоеФизическоеЛицо>ФизическоеЛицо</ЮридическоеФизическоеЛицо>
   </Контрагент>
   <РасшифровкаПлатежа>
    <Строка>
     <Сумма>{amount}</Сумма>
     <ДанныеВзаиморасчетов>
      <Договор>
       <Ссылка>{contract}</Ссылка>
       <ВидДоговора>СПокупателем</ВидДоговора>
       <Организация>
        <Ссылка>{organization}</Ссылка>
        <Наименование>Рязанский колледж электроники</Наименование>
        <ЮридическоеФизическоеЛицо>ЮридическоеЛицо</ЮридическоеФизическоеЛицо>
       </Организация>
       <Контрагент>
        <Наименование>Петрова Анна</Наименование>
        <ЮридическоеФизическоеЛицо>ФизическоеЛицо</ЮридическоеФизическоеЛицо>
       </Контрагент>
      </Договор>
     </ДанныеВзаиморасчетов>
    </Строка>
   </РасшифровкаПлатежа>
  </Документ.ПБДСРасчетыСКонтрагентами>
 </Body>
</Message>'''


def debt(contract):
    return type(contract)(contract.id).debt


class IncomingTestCase(unittest.TestCase):
    "Reading the messages of 1C"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    @with_transaction()
    def test_hand_written_payment(self):
        """A payment written by hand in the published shape goes to the
        contract it names; the debt changes by exactly its amount"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        before = debt(contract_b)
        self.assertEqual(before, D('12000.00'))
        guid = str(uuid.uuid4())
        xml = PAYMENT_XML.format(guid=guid, amount='4321.09',
            organization=peer.organization_uuid, contract=contract_b.uuid)
        message = receive_message(peer, xml.encode('utf-8'), zipped=False)
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual((message.object_count, message.applied_count,
                message.queued_count), (1, 1, 0))
        payment_, = Payment.search([])
        self.assertEqual((payment_.contract, payment_.amount, payment_.date,
                payment_.number, payment_.uuid, payment_.origin),
            (contract_b, D('4321.09'), dt.date(2026, 10, 2), '0000-000431',
                guid, '1c'))
        self.assertEqual(before - debt(contract_b), D('4321.09'))

    @with_transaction()
    def test_matched_by_number_and_inn(self):
        "1C's own contract GUID: by the number and the payer's ИНН"
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        factory_1c = {'uuid': str(uuid.uuid4()), 'name': "ООО «Завод»",
            'inn': '7707083893', 'kpp': '773601001', 'legal': True}
        peer_1c.queue_payments([
                payment(contract_uuid=contract_a.uuid, amount='20000.00',
                    payer=factory_1c, doc_number='101'),
                payment(contract_uuid=str(uuid.uuid4()),
                    number=contract_a.number, amount='5000.50',
                    payer=factory_1c, doc_number='102'),
                ])
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual(message.applied_count, 2)
        self.assertEqual([(p.number, p.contract, p.amount)
                for p in Payment.search([], order=[('number', 'ASC')])],
            [('101', contract_a, D('20000.00')),
                ('102', contract_a, D('5000.50'))])
        contract_a = type(contract_a)(contract_a.id)
        # Hand-computed: charged 22 500 + 22 500, paid 25 000.50.
        self.assertEqual((contract_a.charged_amount, contract_a.paid_amount,
                contract_a.debt), (D('45000'), D('25000.50'),
                D('19999.50')))
        self.assertEqual(type(peer)(peer.id).received_no, 1)

    @with_transaction()
    def test_unmatched_payment_queue(self):
        """An unmatched payment lands in the queue while the others of the
        message are applied; the accountant puts it on a contract and the
        balance is right; 1C sending the message again changes nothing"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        accountant = create_user('buh', [college], ['group_accountant'])
        peer_1c = peer_1c_of(peer)
        elsewhere = dict(peer_1c.organization, uuid=str(uuid.uuid4()),
            name="Другой колледж", inn='6229000001')
        payments = [
            payment(contract_uuid=contract_b.uuid, amount='12000.00',
                doc_number='1'),
            payment(number='НЕТ-ТАКОГО', amount='7000.00', doc_number='2',
                payer={'name': "Иванов Иван Иванович"}),
            dict(payment(contract_uuid=contract_a.uuid, amount='300.00',
                    doc_number='3'), organization=elsewhere),
            ]
        peer_1c.queue_payments(payments)
        data = peer_1c.build_message()
        message = receive_message(peer, make_zip(data))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual((message.applied_count, message.queued_count),
            (1, 2))
        self.assertIn("Неразнесённые платежи", message.warning)
        applied, = Payment.search([])
        self.assertEqual((applied.contract, applied.amount),
            (contract_b, D('12000.00')))
        queued = {e.number: e for e in Unmatched.search([])}
        self.assertEqual(set(queued), {'2', '3'})
        self.assertEqual({e.state for e in queued.values()}, {'pending'})
        self.assertIn("НЕТ-ТАКОГО", queued['2'].reason)
        self.assertIn("Договор не найден", queued['2'].reason)
        self.assertIn("Другой колледж", queued['3'].reason)
        self.assertEqual(queued['2'].message, message)
        self.assertEqual(debt(contract_a), D('45000.00'))

        # The accountant puts the 7 000 on contract A in the back office.
        with Transaction().set_user(accountant.id), \
                Transaction().set_context(company=college.id), \
                check_access():
            entry = Unmatched(queued['2'].id)
            entry.contract = contract_a
            entry.save()
            Unmatched.match([entry])
            Unmatched.mark_returned([Unmatched(queued['3'].id)])
        entry = Unmatched(queued['2'].id)
        self.assertEqual((entry.state, entry.resolved_by),
            ('matched', accountant))
        self.assertEqual((entry.payment.contract, entry.payment.amount,
                entry.payment.uuid), (contract_a, D('7000.00'),
                payments[1]['uuid']))
        self.assertEqual(Unmatched(queued['3'].id).state, 'returned')
        # Hand-computed: 45 000 charged on A, 7 000 paid.
        self.assertEqual(debt(contract_a), D('38000.00'))
        self.assertEqual(debt(contract_b), D('0.00'))

        # 1C did not get our confirmation and sends it all again.
        again = receive_message(peer, make_zip(data.replace(
                    b'<msg:MessageNo>1<', b'<msg:MessageNo>2<')))
        self.assertEqual(again.state, 'applied', again.error)
        self.assertEqual(again.queued_count, 0)
        self.assertEqual(len(Payment.search([])), 2)
        self.assertEqual(len(Unmatched.search([])), 2)
        self.assertEqual((debt(contract_a), debt(contract_b)),
            (D('38000.00'), D('0.00')))

    @with_transaction()
    def test_applied_once_changed_and_removed(self):
        """A document sent again is applied once; changed by 1C, its
        payment follows; a line it no longer has loses its payment"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        document = payment(contract_uuid=contract_b.uuid, amount='1000.00')
        document['lines'].append({'amount': D('500.00'),
                'contract': {'uuid': contract_a.uuid}})
        document['amount'] = D('1500.00')
        for _ in range(2):
            peer_1c.queue_payments([document])
            self.assertEqual(receive_message(peer, make_zip(
                        peer_1c.build_message())).state, 'applied')
        self.assertEqual(sorted((p.line, p.amount)
                for p in Payment.search([])),
            [(1, D('1000.00')), (2, D('500.00'))])
        document = dict(document, amount=D('1100.00'),
            lines=[dict(document['lines'][0], amount=D('1100.00'))])
        peer_1c.queue_payments([document])
        self.assertEqual(receive_message(peer, make_zip(
                    peer_1c.build_message())).state, 'applied')
        payment_, = Payment.search([])
        self.assertEqual((payment_.line, payment_.amount, payment_.contract),
            (1, D('1100.00'), contract_b))

    @with_transaction()
    def test_refunds_and_other_receipts(self):
        """A supplier returning money, a loan, a ВидОперации
        «ВозвратОтПоставщика»: not payments of our payers"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        peer_1c.queue_payments([
                payment(contract_uuid=contract_b.uuid, amount='100.00',
                    kind='СПоставщиком', doc_number='R1'),
                payment(contract_uuid=contract_b.uuid, amount='200.00',
                    kind='КредитыИЗаймы', doc_number='R2'),
                ])
        refund = objects_1c.payment(payment(contract_uuid=contract_b.uuid,
                amount='300.00', doc_number='R3'), peer_1c.organization)
        # An older shape names the operation (undeclared: open type).
        operation = etree.SubElement(refund, objects_1c.q('ВидОперации'))
        operation.text = 'ВозвратОтПоставщика'
        peer_1c.pending.append(refund)
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual(message.object_count, 3)
        self.assertEqual((Payment.search([]), Unmatched.search([])),
            ([], []))
        for text in ['СПоставщиком', 'КредитыИЗаймы', 'ВозвратОтПоставщика']:
            self.assertIn(text, message.warning)
        self.assertEqual(debt(contract_b), D('12000.00'))

    @with_transaction()
    def test_amounts_never_rounded(self):
        "100.005 and 1e3 are refused, naming the object and the property"
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college()
        for amount in ['100.005', '1e3']:
            with self.subTest(amount=amount):
                guid = str(uuid.uuid4())
                xml = PAYMENT_XML.format(guid=guid, amount=amount,
                    organization=peer.organization_uuid,
                    contract=contract_b.uuid)
                message = receive_message(peer, xml.encode('utf-8'),
                    zipped=False)
                self.assertEqual(message.state, 'failed')
                self.assertIn('Документ.ПБДСРасчетыСКонтрагентами',
                    message.error)
                self.assertIn(guid, message.error)
                self.assertIn('ОбщиеДанные/Сумма', message.error)
                self.assertIn('РасшифровкаПлатежа/Строка/Сумма',
                    message.error)
                self.assertIn(f'«{amount}»', message.error)
        self.assertEqual(Payment.search([]), [])
        # 100.50 is 100.50.
        xml = PAYMENT_XML.format(guid=str(uuid.uuid4()), amount='100.50',
            organization=peer.organization_uuid, contract=contract_b.uuid)
        message = receive_message(peer, xml.encode('utf-8'), zipped=False)
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual(Payment.search([])[0].amount, D('100.50'))

    @with_transaction()
    def test_format_problems_named(self):
        """A message that does not fit the package is refused whole; the
        error names the object, its Ссылка and the property, in Russian"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        good = payment(contract_uuid=contract_b.uuid, amount='50.00')
        peer_1c.queue_payments([good])
        broken = objects_1c.payment(payment(contract_uuid=contract_b.uuid,
                amount='60.00', guid='22222222-3333-4444-5555-666666666666'),
            peer_1c.organization)
        broken.remove(broken.find(objects_1c.q('ВидРасчетов')))
        common = broken.find(objects_1c.q('ОбщиеДанные'))
        common.insert(0, common[1])  # Валюта before ДатаВыписки
        peer_1c.pending.append(broken)
        unknown = etree.Element(objects_1c.q('Документ.Неизвестный'))
        peer_1c.pending.append(unknown)
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(message.state, 'failed')
        self.assertIn("Документ.ПБДСРасчетыСКонтрагентами (Ссылка "
            "22222222-3333-4444-5555-666666666666): нет обязательного "
            "свойства «ВидРасчетов»", message.error)
        self.assertIn("свойство «ОбщиеДанные/ДатаВыписки»: стоит не на "
            "своём месте", message.error)
        self.assertIn("«Документ.Неизвестный» — не тип объекта формата",
            message.error)
        self.assertEqual(Payment.search([]), [])
        self.assertEqual(type(peer)(peer.id).received_no, 0)

    @with_transaction()
    def test_settings_only_and_extension(self):
        """A message of settings only is accepted and changes nothing; a
        format URI with an extension is accepted, the extension's objects
        skipped"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college()
        settings = objects_1c.message(None, 1, 0, 'БГУ', 'ЦОПП',
            format_='http://v8.1c.ru/edi/edi_stnd/EnterpriseData',
            versions=('1.8', '1.11'))
        message = receive_message(peer, make_zip(settings))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertIn('1.8, 1.11', message.warning)
        self.assertEqual(type(peer)(peer.id).received_no, 0)
        extension = 'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11/ext/bgu'
        peer_1c = peer_1c_of(peer)
        peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                    amount='10.00')])
        objects = list(peer_1c.pending) + [etree.Element(
                f'{{{extension}}}Справочник.ОсобыйОбъект')]
        data = objects_1c.message(objects, 1, 0, 'БГУ', 'ЦОПП',
            format_=f'{objects_1c.NS} {extension}')
        message = receive_message(peer, make_zip(data))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual(message.object_count, 2)
        self.assertEqual(len(Payment.search([])), 1)

    @with_transaction()
    def test_redelivery_and_gap(self):
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, *_, contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                    amount='12000.00')])
        data = make_zip(peer_1c.build_message())
        first = receive_message(peer, data)
        self.assertEqual(first.state, 'applied', first.error)
        again = receive_message(peer, data)
        self.assertEqual(again.state, 'duplicate')
        self.assertIn("уже получено", again.warning)
        self.assertEqual(len(Payment.search([])), 1)
        # Messages 2 and 3 never came: the gap is reported, 4 applied.
        peer_1c.message_no = 3
        gap = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(gap.state, 'applied')
        self.assertIn("Пропуск в нумерации", gap.warning)
        self.assertIn("№ 2–3", gap.warning)
        self.assertEqual(type(peer)(peer.id).received_no, 4)

    @with_transaction()
    def test_hostile_and_broken_messages(self):
        "Clear error, nothing applied"
        from .tools import LAUGHS, XXE
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Peer = pool.get('copp.exchange_1c.peer')
        (college, peer, *_, contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        good = payment(contract_uuid=contract_b.uuid, amount='100.00')

        def message_with(namespace=None):
            peer_1c.queue_payments([good])
            xml = peer_1c.build_message()
            if namespace:
                xml = xml.replace(b'EnterpriseData/1.11">',
                    namespace.encode() + b'">', 1)
            return xml

        full = make_zip(message_with())
        for name, data, expected in [
                ('xxe', make_zip(XXE), "DOCTYPE"),
                ('laughs', make_zip(LAUGHS), "DOCTYPE"),
                ('truncated', full[:len(full) - 40], "Архив"),
                ('empty', b'', "Архив"),
                ('not zip', b'garbage', "Архив"),
                ('namespace', make_zip(message_with(
                            namespace='http://example.com/Other')),
                    "Пространство имён Body"),
                ]:
            with self.subTest(case=name):
                message = receive_message(peer, data)
                self.assertEqual(message.state, 'failed')
                self.assertIn(expected, message.error)
                self.assertEqual(Payment.search([]), [])
                self.assertEqual(Peer(peer.id).received_no, 0)
        peer_1c.message_no = 0
        ok = receive_message(peer, make_zip(message_with()))
        self.assertEqual(ok.state, 'applied', ok.error)
        self.assertEqual(len(Payment.search([])), 1)

    @with_transaction()
    def test_header_checks(self):
        (college, peer, *_) = setup_college()
        for kwargs, expected in [
                ({'own_code': 'ДРУГОЙ'}, "ДРУГОЙ"),
                ({'our_code': 'ЧУЖОЙ'}, "ЧУЖОЙ"),
                ]:
            peer_1c = peer_1c_of(peer)
            for key, value in kwargs.items():
                setattr(peer_1c, key, value)
            message = receive_message(peer, make_zip(
                    peer_1c.build_message()))
            self.assertEqual(message.state, 'failed')
            self.assertIn(expected, message.error)

    @with_transaction()
    def test_draft_contract_queued(self):
        "A payment for a contract not signed waits in the queue"
        pool = Pool()
        Contract = pool.get('copp.contract')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        (college, peer, *_) = setup_college()
        draft, = Contract.search([('state', '=', 'draft')])
        peer_1c = peer_1c_of(peer)
        peer_1c.queue_payments([payment(contract_uuid=draft.uuid,
                    amount='5.00')])
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual((message.state, message.queued_count),
            ('applied', 1))
        entry, = Unmatched.search([])
        self.assertIn("не подписан", entry.reason)
