import datetime as dt
import io
import uuid
import zipfile
from decimal import Decimal

from lxml import etree

from trytond.exceptions import UserError
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
from copp_exchange_1c.validator import validate_message

from .tools import (
    ED, LAUGHS, MSG, XXE, body_objects, peer_1c_of, setup_college)

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
        # Key properties in the package's order: Дата before Номер.
        self.assertEqual([etree.QName(e).localname for e in keys], [
                'Ссылка', 'ВидДоговора', 'Организация', 'Контрагент',
                'ВалютаВзаиморасчетов', 'РасчетыВУсловныхЕдиницах',
                'Наименование', 'Дата', 'Номер'])
        self.assertEqual(keys.findtext(f'{ED}Организация/{ED}Ссылка'),
            peer.organization_uuid)
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
        # The contract of a charge is in its ДанныеВзаиморасчетов.
        self.assertEqual({e.findtext(f'{ED}ДанныеВзаиморасчетов/{ED}Договор'
                    f'/{ED}Ссылка') for e in charges},
            {contract_a.uuid, contract_b.uuid})
        # The whole message fits the published package, nothing undeclared.
        validator = validate_message(root, strict=True)
        self.assertEqual([str(i) for i in validator.issues], [])
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
        peer_1c = peer_1c_of(peer)
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

    @with_transaction()
    def test_demo(self):
        """The demos of copp_contract and copp_exchange_1c on contract
        students of two colleges: each college has its own organization
        GUID, and the message of each validates against the published
        package with 0 errors — counterparties, contracts and charges"""
        pool = Pool()
        Student = pool.get('copp.student')
        Contract = pool.get('copp.contract')
        Payment = pool.get('copp.contract.payment')
        Peer = pool.get('copp.exchange_1c.peer')
        from copp.cli.demo import DemoEnv
        from copp_contract import demo as contract_demo
        from copp_exchange_1c import demo as exchange_demo
        from copp_contract.tests.tools import create_specialty
        colleges = [create_college("Колледж", "К"),
            create_college("Другой колледж", "ДК")]
        specialty = create_specialty()
        with Transaction().set_context(_copp_contingent_apply=True):
            Student.create([{
                        'company': college.id, 'last_name': f"Студент{i}",
                        'first_name': "Иван", 'birth_date': dt.date(2007, 1, 1),
                        'funding': 'contract', 'specialty': specialty.id,
                        'state': state,
                        } for college in colleges
                    for i, state in enumerate(
                        ['studying'] * 8 + ['expelled', 'applicant'])])
        env = DemoEnv(pool, 'small')
        env.progress = lambda iterable=None, **kw: iterable
        contract_demo.populate(env)
        exchange_demo.populate(env)
        contracts = Contract.search([])
        self.assertEqual(len(contracts), 18)
        self.assertEqual(len([c for c in contracts
                    if c.state == 'terminated']), 2)
        self.assertTrue(all(c.schedule for c in contracts))
        self.assertTrue(Payment.search([]))
        peers = Peer.search([])
        self.assertEqual(len(peers), 2)
        self.assertEqual(len({p.organization_uuid for p in peers}), 2)
        self.assertTrue(all(len(p.accounts) == 1 for p in peers))
        self.assertTrue(env.summary)
        for peer in peers:
            with self.subTest(peer=peer.rec_name):
                message = prepare_message(peer)
                self.assertEqual(message.state, 'prepared', message.error)
                root = etree.fromstring(message.data)
                validator = validate_message(root, strict=True)
                self.assertEqual([str(i) for i in validator.issues], [])
                types = {t for t, _ in body_objects(message.data)[1]}
                self.assertEqual(types, {'Справочник.Контрагенты',
                        'Справочник.Договоры',
                        'Документ.РеализацияТоваровУслуг'})
                organizations = {ref.text for ref in root.iter(
                        ED + 'Ссылка')
                    if ref.getparent().tag == ED + 'Организация'}
                self.assertEqual(organizations, {peer.organization_uuid})

    @with_transaction()
    def test_organization_guid_per_college(self):
        """One organization GUID per college, kept: peers of two colleges
        made at once get their own, a second peer of a college gets its
        college's, and no college may take another's"""
        pool = Pool()
        Peer = pool.get('copp.exchange_1c.peer')
        a = create_college("Колледж А", "А")
        b = create_college("Колледж Б", "Б")
        peer_a, peer_b = Peer.create([
                {'company': a.id, 'name': "1С А"},
                {'company': b.id, 'name': "1С Б"}])
        self.assertNotEqual(peer_a.organization_uuid,
            peer_b.organization_uuid)
        second, = Peer.create([{'company': a.id, 'name': "1С А-2",
                    'peer_code': 'БГУ-2'}])
        self.assertEqual(second.organization_uuid, peer_a.organization_uuid)
        copy, = Peer.copy([peer_b])
        self.assertEqual(copy.organization_uuid, peer_b.organization_uuid)
        with self.assertRaises(UserError) as cm:
            Peer.write([peer_b], {
                    'organization_uuid': peer_a.organization_uuid})
        self.assertIn(peer_a.organization_uuid, cm.exception.message)

    @with_transaction()
    def test_orphan_parts_expire(self):
        """Parts of an upload whose PutData never came are dropped by the
        cron after [copp_exchange_1c] part_lifetime (24 h)"""
        pool = Pool()
        FilePart = pool.get('copp.exchange_1c.file.part')
        Cron = pool.get('ir.cron')
        ModelData = pool.get('ir.model.data')
        (college, peer, *_) = setup_college()
        old, fresh = FilePart.create([{'company': college.id,
                    'peer': peer.id, 'file_id': file_id, 'part_number': 1,
                    'data': b'x', 'size': 1}
                for file_id in ['abandoned', 'uploading']])
        table = FilePart.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.create_date],
                [dt.datetime.now() - dt.timedelta(hours=25)],
                where=table.id == old.id))
        cron = Cron(ModelData.get_id('copp_exchange_1c', 'cron_expire_parts'))
        cron.run_once()
        self.assertEqual(FilePart.search([]), [fresh])

    @with_transaction()
    def test_cron_methods(self):
        pool = Pool()
        Cron = pool.get('ir.cron')
        selection = dict(Cron.fields_get(['method'])['method']['selection'])
        self.assertIn('copp.exchange_1c.peer|exchange_scheduled', selection)
        self.assertIn('copp.exchange_1c.file.part|expire', selection)


del ModuleTestCase
