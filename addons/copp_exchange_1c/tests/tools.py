"Data for the exchange tests and benchmarks"
import datetime as dt
import uuid
from decimal import Decimal

from lxml import etree

from trytond.modules.company.tests import set_company
from trytond.pool import Pool

from copp.tests.tools import create_college
from copp_contract.tests.tools import create_contract, create_student


def make_contracts(college, count, schedule_kind='term', price='45000',
        start=dt.date(2026, 9, 1), end=dt.date(2027, 6, 30),
        charge_date=dt.date(2027, 3, 1)):
    """`count` signed contracts of new students of the college (the
    students pay), with their charges due on charge_date, in bulk"""
    pool = Pool()
    Student = pool.get('copp.student')
    Contract = pool.get('copp.contract')
    Charge = pool.get('copp.contract.charge')
    Specialty = pool.get('copp.specialty')
    specialties = Specialty.search([('code', '=', '09.02.07')], limit=1)
    if not specialties:
        specialties = Specialty.create([{'code': '09.02.07',
                    'name': "Информационные системы и программирование",
                    'level': 'specialty'}])
    specialty, = specialties
    students = Student.create([{
                'company': college.id,
                'last_name': f"Студент{i:05d}",
                'first_name': "Иван",
                'birth_date': dt.date(2007, 1, 1),
                'funding': 'contract',
                } for i in range(count)])
    template = Contract(company=college, start_date=start, end_date=end,
        total_amount=Decimal(price), schedule_kind=schedule_kind)
    schedule = template._schedule_values()
    contracts = Contract.create([{
                'company': college.id,
                'date': start,
                'student': student.id,
                'payer_kind': 'student',
                'payer': student.party.id,
                'subject': 'specialty',
                'specialty': specialty.id,
                'start_date': start,
                'end_date': end,
                'total_amount': Decimal(price),
                'schedule_kind': schedule_kind,
                'schedule': [('create', [dict(v) for v in schedule])],
                'state': 'signed',
                'signed_date': start,
                } for student in students])
    charges = Charge.generate(date=charge_date, contracts=contracts)
    return contracts, charges


def payments_for(contracts, amount='1000.00', date=dt.date(2026, 10, 1),
        per_contract=1):
    """`per_contract` payments per contract, as 1C sends them (matched by
    the contract GUID), with stable GUIDs"""
    return [{
            'uuid': str(uuid.uuid5(uuid.NAMESPACE_URL,
                    f'copp-bench-payment-{c.uuid}-{k}')),
            'date': date,
            'number': str(1000 + i * per_contract + k),
            'amount': Decimal(amount),
            'lines': [{'amount': Decimal(amount),
                    'contract': {'uuid': c.uuid, 'number': c.number}}],
            } for i, c in enumerate(contracts) for k in range(per_contract)]


ED = '{http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11}'
MSG = '{http://www.1c.ru/SSL/Exchange/Message}'

XXE = b'''<?xml version="1.0"?>
<!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message xmlns:msg="http://www.1c.ru/SSL/Exchange/Message"><msg:Header>
<msg:Format>http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11</msg:Format>
</msg:Header><Body xmlns="http://v8.1c.ru/edi/edi_stnd/EnterpriseData/1.11">
&xxe;</Body></Message>'''
LAUGHS = b'''<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Message>&lol9;</Message>'''



def setup_college(client=False, url=None,
        name="Рязанский колледж электроники", short_name="РКЭ",
        inn='6234000007', **peer_values):
    """A college with a peer, an organization payer and a person payer:
    contract A (45 000, by term, paid by ООО «Завод»), contract B (12 000,
    single, paid by the student); charges due on 2027-03-01."""
    pool = Pool()
    Party = pool.get('party.party')
    Peer = pool.get('copp.exchange_1c.peer')
    Charge = pool.get('copp.contract.charge')
    college = create_college(name, short_name)
    Party.write([college.party], {'inn': inn, 'kpp': inn[:4] + '01001'})
    factory, = Party.create([{'name': "ООО «Завод»",
                'inn': '7707083893', 'kpp': '773601001'}])
    ivanov = create_student(college, "Иванов", "Иван", "Иванович")
    petrova = create_student(college, "Петрова", "Анна")
    contract_a = create_contract(college, ivanov, '45000',
        payer_kind='organization', payer=factory.id)
    contract_b = create_contract(college, petrova, '12000',
        schedule_kind='single')
    create_contract(college, petrova, '5000', sign=False)  # draft: not sent
    Charge.generate(date=dt.date(2027, 3, 1),
        contracts=[contract_a, contract_b])
    with set_company(college):
        peer, = Peer.create([dict({'name': f"1С:БГУ {short_name}",
                        'company': college.id,
                        'transport': 'client' if client else 'served',
                        'url': url, 'login': 'exchange',
                        'password': 'secret-1c', 'part_size': 1},
                    **peer_values)])
    return college, peer, factory, ivanov, petrova, contract_a, contract_b


def peer_1c_of(peer, **kwargs):
    "The test 1C base of a peer: its codes and organization"
    from .peer_1c import Peer1C
    values = dict(organization_uuid=peer.organization_uuid,
        own_code=peer.peer_code, our_code=peer.our_code,
        inn=peer.company.inn or '6234000007')
    values.update(kwargs)
    return Peer1C(**values)


def body_objects(xml):
    root = etree.fromstring(xml)
    body = root.find(ED + 'Body')
    return root, [(etree.QName(e).localname, e) for e in body]
