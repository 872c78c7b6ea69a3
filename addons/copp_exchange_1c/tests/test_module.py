import datetime as dt
import io
import uuid
import zipfile
from decimal import Decimal

from lxml import etree

from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from copp.tests.tools import create_college
from copp_contract.tests.tools import create_contract
from copp_exchange_1c import mapping as mapping_
from copp_exchange_1c.incoming import receive_message
from copp_exchange_1c.mapping_format import EXCHANGE_PLAN, MappingError
from copp_exchange_1c.outgoing import prepare_message
from copp_exchange_1c.safexml import (
    HostileInput, make_zip, parse_xml, read_zip)

from .peer_1c import Peer1C, payment
from .tools import ED, LAUGHS, MSG, XXE, body_objects, setup_college

D = Decimal


class CoppExchange1CTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_exchange_1c"
    module = 'copp_exchange_1c'
    language = 'ru'

    # Safe XML ---------------------------------------------------------------

    def test_safe_xml_refuses_dtd(self):
        for data in [XXE, LAUGHS,
                b'<!doctype x [<!ENTITY a "b">]><x>&a;</x>',
                '<?xml version="1.0" encoding="UTF-16"?><x/>'.encode(
                    'utf-16')]:
            with self.subTest(data=data[:30]):
                with self.assertRaises(HostileInput):
                    parse_xml(data)
        self.assertEqual(parse_xml(b'<x>1</x>').text, '1')

    def test_zip_limits(self):
        xml = b'<x>' + b'a' * 100000 + b'</x>'
        archive = make_zip(xml)
        self.assertEqual(read_zip(archive), xml)
        with self.assertRaises(HostileInput) as cm:
            read_zip(archive, max_size=50000)
        self.assertIn("больше допустимого", str(cm.exception))
        with self.assertRaises(HostileInput) as cm:
            read_zip(archive[:len(archive) // 2])
        self.assertIn("Архив", str(cm.exception))
        with self.assertRaises(HostileInput):
            read_zip(b'not a zip at all')
        # A bomb whose header lies about its size is cut while reading.
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
            archive.writestr('data.xml', b'0' * 3_000_000)
        data = bytearray(buffer.getvalue())
        # Patch the uncompressed size in the central directory to 10 bytes.
        index = data.rfind(b'PK\x01\x02')
        data[index + 24:index + 28] = (10).to_bytes(4, 'little')
        with self.assertRaises(HostileInput):
            read_zip(bytes(data), max_size=1_000_000)

    def test_mapping_registry(self):
        self.assertIn('1.11', mapping_.VERSIONS)
        mapping = mapping_.get_mapping('1.11')
        self.assertEqual(mapping.namespace,
            'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11')
        with self.assertRaises(MappingError):
            mapping_.get_mapping('0.9')

    # Outgoing ---------------------------------------------------------------

    @with_transaction()
    def test_outbound_message(self):
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        message = prepare_message(peer)
        self.assertEqual(message.message_no, 1)
        self.assertEqual(message.state, 'prepared')
        root, objects = body_objects(message.data)
        header = root.find(MSG + 'Header')
        self.assertEqual(header.findtext(MSG + 'Format'),
            'http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11')
        confirmation = header.find(MSG + 'Confirmation')
        self.assertEqual([confirmation.findtext(MSG + t) for t in [
                    'ExchangePlan', 'From', 'To', 'MessageNo',
                    'ReceivedNo']],
            [EXCHANGE_PLAN, 'ЦОПП', 'БГУ', '1', '0'])
        types = [t for t, _ in objects]
        self.assertEqual(types, ['Справочник.Контрагенты'] * 2
            + ['Справочник.Договоры'] * 2
            + ['Документ.РеализацияТоваровУслуг'] * 3)
        self.assertEqual(message.object_count, 7)
        counterparties = {e.findtext(f'{ED}КлючевыеСвойства/{ED}Наименование'):
            e for t, e in objects if t == 'Справочник.Контрагенты'}
        org = counterparties["ООО «Завод»"].find(ED + 'КлючевыеСвойства')
        self.assertEqual((org.findtext(ED + 'ИНН'), org.findtext(ED + 'КПП'),
                org.findtext(ED + 'ЮридическоеФизическоеЛицо')),
            ('7707083893', '773601001', 'ЮридическоеЛицо'))
        person = counterparties["Петрова Анна"].find(ED + 'КлючевыеСвойства')
        self.assertEqual(person.findtext(ED + 'ЮридическоеФизическоеЛицо'),
            'ФизическоеЛицо')
        contracts = {e.findtext(f'{ED}КлючевыеСвойства/{ED}Номер'): e
            for t, e in objects if t == 'Справочник.Договоры'}
        keys = contracts[contract_a.number].find(ED + 'КлючевыеСвойства')
        self.assertEqual(keys.findtext(ED + 'Ссылка'), contract_a.uuid)
        # The contract refers to the counterparty GUID the message carries.
        self.assertEqual(
            keys.findtext(f'{ED}Контрагент/{ED}Ссылка'),
            org.findtext(ED + 'Ссылка'))
        self.assertEqual(
            keys.findtext(f'{ED}ВалютаВзаиморасчетов/{ED}ДанныеКлассификатора'
                f'/{ED}Код'), '643')
        charges = [e for t, e in objects if t.startswith('Документ')]
        self.assertEqual(sorted(e.findtext(ED + 'Сумма') for e in charges),
            ['12000.00', '22500.00', '22500.00'])
        self.assertEqual(
            charges[0].findtext(f'{ED}ДоговорКонтрагента/{ED}Ссылка'),
            contract_a.uuid)
        # The XML is downloadable from the journal, zipped for transport.
        self.assertEqual(read_zip(message.archive), message.data)
        self.assertEqual(message.filename, 'message-out-1.xml')

    @with_transaction()
    def test_confirmed_objects_not_resent(self):
        pool = Pool()
        Charge = pool.get('copp.contract.charge')
        Object = pool.get('copp.exchange_1c.object')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        first = prepare_message(peer)
        # Not confirmed yet: the same objects go again, with the same GUIDs.
        second = prepare_message(peer)
        self.assertEqual((second.message_no, second.object_count), (2, 7))
        guids = lambda m: sorted(  # noqa: E731
            e.findtext(f'{ED}КлючевыеСвойства/{ED}Ссылка')
            for _, e in body_objects(m.data)[1])
        self.assertEqual(guids(first), guids(second))
        # 1C confirms message 2 (its ReceivedNo), sending nothing else.
        peer_1c = Peer1C()
        peer_1c.received_no = 2
        incoming = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(incoming.state, 'applied')
        self.assertEqual(type(first)(first.id).state, 'confirmed')
        self.assertEqual(type(second)(second.id).state, 'confirmed')
        self.assertTrue(all(o.confirmed for o in Object.search([])))
        third = prepare_message(peer)
        self.assertEqual((third.message_no, third.object_count), (3, 0))
        _, objects = body_objects(third.data)
        self.assertEqual(objects, [])
        # Our ReceivedNo confirms the message of 1C.
        self.assertEqual(third.received_no, 1)
        # A new charge: only it is sent; its contract is referred to by GUID.
        Charge.generate(date=dt.date(2027, 9, 30))
        fourth = prepare_message(peer)
        self.assertEqual(fourth.object_count, 0)  # nothing due yet
        contract_c = create_contract(college, ivanov, '3000',
            schedule_kind='single', start=dt.date(2027, 9, 1),
            end=dt.date(2027, 12, 31), payer_kind='organization',
            payer=factory.id)
        Charge.generate(date=dt.date(2027, 9, 30))
        fifth = prepare_message(peer)
        _, objects = body_objects(fifth.data)
        self.assertEqual([t for t, _ in objects], ['Справочник.Договоры',
                'Документ.РеализацияТоваровУслуг'])
        self.assertEqual(objects[0][1].findtext(
                f'{ED}КлючевыеСвойства/{ED}Ссылка'), contract_c.uuid)

    # Incoming ---------------------------------------------------------------

    @with_transaction()
    def test_payment_matching(self):
        "By the contract GUID, else by number and counterparty"
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Contract = pool.get('copp.contract')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        prepare_message(peer)
        peer_1c = Peer1C()
        payer_org = {'uuid': str(uuid.uuid4()), 'name': "ООО «Завод»",
            'inn': '7707083893', 'kpp': '773601001', 'legal': True}
        peer_1c.queue_payments([
                payment(contract_uuid=contract_a.uuid, amount='20000.00',
                    payer=payer_org, doc_number='101'),
                # 1C's own contract GUID; matched by number and ИНН.
                payment(contract_uuid=str(uuid.uuid4()),
                    number=contract_a.number, amount='5000.50',
                    payer=payer_org, doc_number='102'),
                ])
        message = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(message.state, 'applied', message.error)
        self.assertEqual(message.applied_count, 2)
        payments = Payment.search([], order=[('number', 'ASC')])
        self.assertEqual([(p.number, p.contract, p.amount, p.origin)
                for p in payments], [
                ('101', contract_a, D('20000.00'), '1c'),
                ('102', contract_a, D('5000.50'), '1c')])
        contract_a = Contract(contract_a.id)
        # Hand-computed: charged 22 500 + 22 500, paid 25 000.50.
        self.assertEqual((contract_a.charged_amount, contract_a.paid_amount,
                contract_a.debt), (D('45000'), D('25000.50'),
                D('19999.50')))
        self.assertEqual(peer.received_no, 1)

    @with_transaction()
    def test_redelivery_and_gap(self):
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = Peer1C()
        peer_1c.queue_payments([payment(contract_uuid=contract_b.uuid,
                    amount='12000.00')])
        data = make_zip(peer_1c.build_message())
        first = receive_message(peer, data)
        self.assertEqual(first.state, 'applied', first.error)
        again = receive_message(peer, data)
        self.assertEqual(again.state, 'duplicate')
        self.assertIn("уже получено", again.warning)
        self.assertEqual(len(Payment.search([])), 1)
        # The same 1C document in a later message replaces, not doubles.
        element = peer_1c.mapping.payment_element(dict(
                payment(contract_uuid=contract_b.uuid, amount='11000.00',
                    guid=Payment.search([])[0].uuid),
                organization=peer_1c.organization))
        peer_1c.pending.append(element)
        later = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(later.state, 'applied', later.error)
        payment_, = Payment.search([])
        self.assertEqual(payment_.amount, D('11000.00'))
        # Messages 3 and 4 never came: the gap is reported, 5 applied.
        peer_1c.message_no = 4
        gap = receive_message(peer, make_zip(peer_1c.build_message()))
        self.assertEqual(gap.state, 'applied')
        self.assertIn("Пропуск в нумерации", gap.warning)
        self.assertIn("№ 3–4", gap.warning)
        self.assertEqual(type(peer)(peer.id).received_no, 5)

    @with_transaction()
    def test_hostile_and_broken_messages(self):
        "Clear error, nothing applied"
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        Peer = pool.get('copp.exchange_1c.peer')
        (college, peer, factory, ivanov, petrova, contract_a,
            contract_b) = setup_college()
        peer_1c = Peer1C()
        good = payment(contract_uuid=contract_b.uuid, amount='100.00')

        def message_with(*elements, namespace=None):
            peer_1c.queue_payments([good])
            for element in elements:
                peer_1c.pending.append(element)
            xml = peer_1c.build_message()
            if namespace:
                xml = xml.replace(b'EnterpriseData/1.11">',
                    namespace.encode() + b'">', 1)
            return xml

        unknown = etree.Element(ED + 'Документ.НеизвестныйДокумент')
        keys = etree.SubElement(unknown, ED + 'КлючевыеСвойства')
        etree.SubElement(keys, ED + 'Ссылка').text = (
            '11111111-2222-3333-4444-555555555555')
        contract_1c = etree.fromstring(etree.tostring(
                peer_1c.mapping.contract_element({
                        'uuid': '99999999-2222-3333-4444-555555555555',
                        'number': '77', 'date': dt.date(2026, 9, 1),
                        'name': "Договор № 77",
                        'organization': peer_1c.organization,
                        'payer': {'uuid':
                            '88888888-2222-3333-4444-555555555555',
                            'name': "Неизвестный"},
                        'start_date': dt.date(2026, 9, 1),
                        'end_date': dt.date(2027, 6, 30),
                        'amount': D('1')}), encoding='utf-8'))
        bad_amount = peer_1c.mapping.payment_element(dict(
                payment(contract_uuid=contract_b.uuid, amount='5'),
                organization=peer_1c.organization))
        bad_amount.find(ED + 'СуммаДокумента').text = 'много'
        no_contract = peer_1c.mapping.payment_element(dict(
                payment(number='9999-0001', amount='5',
                    guid='77777777-2222-3333-4444-555555555555'),
                organization=peer_1c.organization))
        draft, = pool.get('copp.contract').search([('state', '=', 'draft')])
        to_draft = peer_1c.mapping.payment_element(dict(
                payment(contract_uuid=draft.uuid, amount='5'),
                organization=peer_1c.organization))
        full = make_zip(message_with())
        cases = [
            ('xxe', make_zip(XXE), "DOCTYPE"),
            ('laughs', make_zip(LAUGHS), "DOCTYPE"),
            ('truncated', full[:len(full) - 40], "Архив"),
            ('not zip', b'garbage', "Архив"),
            ('namespace', make_zip(message_with(
                        namespace='http://example.com/Other')),
                "Пространство имён Body"),
            ('unknown object', make_zip(message_with(unknown)),
                '11111111-2222-3333-4444-555555555555'),
            ('unknown counterparty', make_zip(message_with(contract_1c)),
                '88888888-2222-3333-4444-555555555555'),
            ('bad amount', make_zip(message_with(bad_amount)), "много"),
            ('no contract', make_zip(message_with(no_contract)),
                '77777777-2222-3333-4444-555555555555'),
            ('draft contract', make_zip(message_with(to_draft)),
                "не подписан"),
            ]
        for name, data, expected in cases:
            with self.subTest(case=name):
                message = receive_message(peer, data)
                self.assertEqual(message.state, 'failed')
                self.assertIn(expected, message.error)
                self.assertEqual(Payment.search([]), [])
                self.assertEqual(Peer(peer.id).received_no, 0)
        # The good payment alone goes through afterwards.
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
            peer_1c = Peer1C(**kwargs)
            message = receive_message(peer, make_zip(
                    peer_1c.build_message()))
            self.assertEqual(message.state, 'failed')
            self.assertIn(expected, message.error)

    @with_transaction()
    def test_account_password(self):
        pool = Pool()
        Account = pool.get('copp.exchange_1c.account')
        (college, peer, *_) = setup_college()
        account, = Account.create([{'company': college.id, 'peer': peer.id,
                    'login': 'bgu-rke', 'password': 'Сложный-пароль-1'}])
        self.assertTrue(account.password_hash)
        self.assertNotIn('Сложный', account.password_hash)
        self.assertEqual(Account.authenticate('bgu-rke', 'Сложный-пароль-1'),
            account)
        self.assertIsNone(Account.authenticate('bgu-rke', 'wrong'))
        self.assertIsNone(Account.authenticate('nobody', 'x'))

    @with_transaction()
    def test_demo(self):
        "The demos of copp_contract and copp_exchange_1c on contract students"
        pool = Pool()
        Student = pool.get('copp.student')
        Contract = pool.get('copp.contract')
        Payment = pool.get('copp.contract.payment')
        Peer = pool.get('copp.exchange_1c.peer')
        from copp.cli.demo import DemoEnv
        from copp_contract import demo as contract_demo
        from copp_exchange_1c import demo as exchange_demo
        from copp_contract.tests.tools import create_specialty
        college = create_college("Колледж", "К")
        specialty = create_specialty()
        with Transaction().set_context(_copp_contingent_apply=True):
            Student.create([{
                        'company': college.id, 'last_name': f"Студент{i}",
                        'first_name': "Иван", 'birth_date': dt.date(2007, 1, 1),
                        'funding': 'contract', 'specialty': specialty.id,
                        'state': state,
                        } for i, state in enumerate(
                        ['studying'] * 8 + ['expelled', 'applicant'])])
        env = DemoEnv(pool, 'small')
        env.progress = lambda iterable=None, **kw: iterable
        contract_demo.populate(env)
        exchange_demo.populate(env)
        contracts = Contract.search([])
        self.assertEqual(len(contracts), 9)
        self.assertEqual(len([c for c in contracts
                    if c.state == 'terminated']), 1)
        self.assertTrue(all(c.schedule for c in contracts))
        self.assertTrue(Payment.search([]))
        peer, = Peer.search([])
        self.assertEqual(len(peer.accounts), 1)
        self.assertTrue(env.summary)

    @with_transaction()
    def test_cron_methods(self):
        pool = Pool()
        Cron = pool.get('ir.cron')
        selection = dict(Cron.fields_get(['method'])['method']['selection'])
        self.assertIn('copp.exchange_1c.peer|exchange_scheduled', selection)


del ModuleTestCase
