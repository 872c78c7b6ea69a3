"""Refunds to payers read from 1C: the college returns money to a student or
a payer with an outgoing bank document for settlements with counterparties,
`Документ.СБДСРасчетыСКонтрагентами` with ВидРасчетов «СПокупателем»
(EnterpriseData_1_11_7.xdto). The refund is recorded on the contract it
names (matched as payments are), the debt grows back by exactly its amount,
once across re-sends; an unmatched refund goes to the queue «Неразнесённые
платежи»; paying a supplier is not a refund of ours."""
import unittest
import uuid
from decimal import Decimal

from lxml import etree

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from copp_exchange_1c.incoming import receive_message
from copp_exchange_1c.safexml import make_zip
from copp_exchange_1c.validator import validate_message

from . import objects_1c
from .peer_1c import payment
from .tools import peer_1c_of, setup_college

D = Decimal

ORGANIZATION = '''<Организация>
     <Ссылка>{organization}</Ссылка>
     <Наименование>Рязанский колледж электроники</Наименование>
     <ИНН>6234000007</ИНН>
     <КПП>623401001</КПП>
     <ЮридическоеФизическоеЛицо>ЮридическоеЛицо</ЮридическоеФизическоеЛицо>
    </Организация>'''
ACCOUNT = '''<Валюта>
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
    </БанковскийСчетОрганизации>'''
PAYER = '''<Контрагент>
    <Наименование>Петрова Анна</Наименование>
    <ЮридическоеФизическоеЛицо>ФизическоеЛицо</ЮридическоеФизическоеЛицо>
   </Контрагент>'''
DETAILS = '''<РасшифровкаПлатежа>
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
       <Номер>{contract_number}</Номер>
      </Договор>
     </ДанныеВзаиморасчетов>
    </Строка>
   </РасшифровкаПлатежа>'''

# A payment and a refund as 1C writes them, by hand from
# EnterpriseData_1_11_7.xdto: Документ.ПБДСРасчетыСКонтрагентами
# (ОбщиеСвойстваПБДС, ВидРасчетов, then Контрагент) and
# Документ.СБДСРасчетыСКонтрагентами (ОбщиеСвойстваСБДС with
# РеквизитыПлатежа/НазначениеПлатежа, Контрагент required and before
# ВидРасчетов).
MESSAGE_XML = ('''<?xml version="1.0" encoding="UTF-8"?>
<Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <msg:Header>
  <msg:Format>http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11</msg:Format>
  <msg:CreationDate>2026-10-20T09:15:00</msg:CreationDate>
  <msg:Confirmation>
   <msg:ExchangePlan>СинхронизацияДанныхЧерезУниверсальныйФормат</msg:ExchangePlan>
   <msg:To>ЦОПП</msg:To>
   <msg:From>БГУ</msg:From>
   <msg:MessageNo>{message_no}</msg:MessageNo>
   <msg:ReceivedNo>0</msg:ReceivedNo>
  </msg:Confirmation>
  <msg:AvailableVersion>1.11</msg:AvailableVersion>
 </msg:Header>
 <Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11">
  <Документ.ПБДСРасчетыСКонтрагентами>
   <КлючевыеСвойства>
    <Ссылка>{payment}</Ссылка>
    <Дата>2026-10-02T00:00:00</Дата>
    <Номер>0000-000431</Номер>
    ''' + ORGANIZATION + '''
   </КлючевыеСвойства>
   <ОбщиеДанные>
    <ДатаВыписки>2026-10-02</ДатаВыписки>
    ''' + ACCOUNT.replace('{amount}', '{paid}') + '''
    <НазначениеПлатежа>Оплата по договору на обучение</НазначениеПлатежа>
   </ОбщиеДанные>
   <ВидРасчетов>СПокупателем</ВидРасчетов>
   ''' + PAYER + '''
   ''' + DETAILS.replace('{amount}', '{paid}') + '''
  </Документ.ПБДСРасчетыСКонтрагентами>
  <Документ.СБДСРасчетыСКонтрагентами>
   <КлючевыеСвойства>
    <Ссылка>{refund}</Ссылка>
    <Дата>2026-10-19T00:00:00</Дата>
    <Номер>0000-000077</Номер>
    ''' + ORGANIZATION + '''
   </КлючевыеСвойства>
   <ОбщиеДанные>
    <ДатаВыписки>2026-10-19</ДатаВыписки>
    ''' + ACCOUNT.replace('{amount}', '{refunded}') + '''
    <РеквизитыПлатежа>
     <НазначениеПлатежа>Возврат излишне уплаченных средств по договору</НазначениеПлатежа>
    </РеквизитыПлатежа>
   </ОбщиеДанные>
   ''' + PAYER + '''
   <ВидРасчетов>СПокупателем</ВидРасчетов>
   ''' + DETAILS.replace('{amount}', '{refunded}') + '''
  </Документ.СБДСРасчетыСКонтрагентами>
 </Body>
</Message>''')


def debt(contract):
    return type(contract)(contract.id).debt


class RefundsTestCase(unittest.TestCase):
    "Refunds to payers read from 1C"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_exchange_1c', lang='ru')

    def message(self, peer, contract, message_no=1, **guids):
        xml = MESSAGE_XML.format(message_no=message_no,
            organization=peer.organization_uuid, contract=contract.uuid,
            contract_number=contract.number, paid='5000.00',
            refunded='1500.00', **guids).encode('utf-8')
        root = etree.fromstring(xml)
        self.assertEqual([str(i) for i in validate_message(root,
                        strict=True).issues], [])
        return xml

    @with_transaction()
    def test_payment_and_refund(self):
        """A payment and a refund for the same contract, written by hand in
        the published shape: the debt changes by payment − refund; the same
        message sent again applies nothing twice"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        before = debt(contract_b)
        self.assertEqual(before, D('12000.00'))
        guids = {'payment': str(uuid.uuid4()), 'refund': str(uuid.uuid4())}
        message = receive_message(peer, self.message(peer, contract_b,
                **guids), zipped=False)
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual((message.object_count, message.applied_count,
                message.queued_count), (2, 2, 0))
        self.assertEqual(sorted((p.kind, p.amount, p.number, p.uuid,
                    p.contract.id, p.origin)
                for p in Payment.search([])), [
                ('payment', D('5000.00'), '0000-000431', guids['payment'],
                    contract_b.id, '1c'),
                ('refund', D('1500.00'), '0000-000077', guids['refund'],
                    contract_b.id, '1c'),
                ])
        # Hand-computed: 12 000 − 5 000 + 1 500.
        self.assertEqual(debt(contract_b), D('8500.00'))
        self.assertEqual(before - debt(contract_b), D('5000.00') - D('1500.00'))
        contract_b = type(contract_b)(contract_b.id)
        self.assertEqual(contract_b.paid_amount, D('3500.00'))
        refund, = Payment.search([('kind', '=', 'refund')])
        self.assertEqual(refund.signed_amount, D('-1500.00'))
        self.assertEqual(refund.note,
            "Возврат излишне уплаченных средств по договору")

        # 1C did not get our confirmation and sends it all again.
        again = receive_message(peer, self.message(peer, contract_b,
                message_no=2, **guids), zipped=False)
        self.assertEqual(again.state, 'applied', again.error)
        self.assertEqual(len(Payment.search([])), 2)
        self.assertEqual(Unmatched.search([]), [])
        self.assertEqual(debt(contract_b), D('8500.00'))

    @with_transaction()
    def test_refund_matched_by_number(self):
        "1C's own contract GUID: the refund found by number and payer's ИНН"
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        factory_1c = {'uuid': str(uuid.uuid4()), 'name': "ООО «Завод»",
            'inn': '7707083893', 'kpp': '773601001', 'legal': True}
        peer_1c.queue_payments([payment(contract_uuid=contract_a.uuid,
                    amount='45000.00', payer=factory_1c, doc_number='1')])
        peer_1c.queue_refunds([payment(contract_uuid=str(uuid.uuid4()),
                    number=contract_a.number, amount='2000.00',
                    payer=factory_1c, doc_number='В-1')])
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(message.state, 'applied', message.error)
        refund, = Payment.search([('kind', '=', 'refund')])
        self.assertEqual((refund.contract, refund.amount, refund.number),
            (contract_a, D('2000.00'), 'В-1'))
        self.assertEqual(debt(contract_a), D('2000.00'))

    @with_transaction()
    def test_unmatched_refund_queued(self):
        """A refund for an unknown contract or to another organization goes
        to the queue, as a refund, with the reason in Russian; paying a
        supplier is not a refund of ours"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Unmatched = pool.get('copp.exchange_1c.unmatched_payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = peer_1c_of(peer)
        elsewhere = dict(peer_1c.organization, uuid=str(uuid.uuid4()),
            name="Другой колледж", inn='6229000001')
        peer_1c.queue_refunds([
                payment(number='НЕТ-ТАКОГО', amount='700.00',
                    doc_number='В-2', payer={'name': "Петрова Анна"}),
                dict(payment(contract_uuid=contract_b.uuid, amount='300.00',
                        doc_number='В-3'), organization=elsewhere),
                payment(contract_uuid=contract_b.uuid, amount='100.00',
                    kind='СПоставщиком', doc_number='В-4'),
                ])
        data = peer_1c.build_message()
        message = receive_message(peer, make_zip(data))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual((message.applied_count, message.queued_count),
            (0, 2))
        self.assertEqual(Payment.search([]), [])
        queued = {e.number: e for e in Unmatched.search([])}
        self.assertEqual(set(queued), {'В-2', 'В-3'})
        self.assertEqual({e.kind for e in queued.values()}, {'refund'})
        self.assertIn("Возврат плательщику", queued['В-2'].reason)
        self.assertIn("Договор не найден", queued['В-2'].reason)
        self.assertIn("НЕТ-ТАКОГО", queued['В-2'].reason)
        self.assertIn("Другой колледж", queued['В-3'].reason)
        self.assertIn("СПоставщиком", message.warning)
        self.assertEqual(debt(contract_b), D('12000.00'))

        # The accountant puts the refund on contract B: the debt grows.
        entry = Unmatched(queued['В-2'].id)
        entry.contract = contract_b
        entry.save()
        Unmatched.match([entry])
        entry = Unmatched(entry.id)
        self.assertEqual((entry.payment.kind, entry.payment.amount),
            ('refund', D('700.00')))
        self.assertEqual(debt(contract_b), D('12700.00'))

        # Sent again: nothing twice.
        again = receive_message(peer, make_zip(data.replace(
                    b'<msg:MessageNo>1<', b'<msg:MessageNo>2<')))
        self.assertEqual(again.state, 'applied', again.error)
        self.assertEqual(len(Payment.search([])), 1)
        self.assertEqual(len(Unmatched.search([])), 2)
        self.assertEqual(debt(contract_b), D('12700.00'))
