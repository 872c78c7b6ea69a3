"Data for the exchange tests and benchmarks"
import datetime as dt
import uuid
from decimal import Decimal

from trytond.pool import Pool


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
                    'payer': None,
                    'contract': {'uuid': c.uuid, 'number': c.number}}],
            } for i, c in enumerate(contracts) for k in range(per_contract)]
