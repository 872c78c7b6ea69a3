"Helpers of the contract tests (also used by copp_exchange_1c's tests)"
import datetime as dt
from decimal import Decimal

from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.transaction import Transaction

from copp.tests.tools import create_college


def create_student(company, last_name, first_name, patronymic=None,
        funding='contract'):
    pool = Pool()
    Student = pool.get('copp.student')
    with set_company(company):
        student, = Student.create([{
                    'company': company.id,
                    'last_name': last_name,
                    'first_name': first_name,
                    'patronymic': patronymic,
                    'birth_date': dt.date(2007, 5, 17),
                    'funding': funding,
                    }])
    return student


def create_specialty(code='09.02.07', name="Информационные системы и "
        "программирование"):
    pool = Pool()
    Specialty = pool.get('copp.specialty')
    specialties = Specialty.search([('code', '=', code)], limit=1)
    if specialties:
        return specialties[0]
    specialty, = Specialty.create([{'code': code, 'name': name,
                'level': 'specialty'}])
    return specialty


def create_contract(company, student, total, start=dt.date(2026, 9, 1),
        end=dt.date(2027, 6, 30), schedule_kind='term', sign=True,
        date=None, **values):
    pool = Pool()
    Contract = pool.get('copp.contract')
    with set_company(company):
        contract, = Contract.create([{
                    'company': company.id,
                    'date': date or start,
                    'student': student.id,
                    'subject': 'specialty',
                    'specialty': create_specialty().id,
                    'start_date': start,
                    'end_date': end,
                    'total_amount': Decimal(total),
                    'schedule_kind': schedule_kind,
                    **values,
                    }])
        Contract.compute_schedule([contract])
        if sign:
            Contract.sign([contract])
    return Contract(contract.id)


def add_payment(contract, amount, date, number=None, kind='payment'):
    pool = Pool()
    Payment = pool.get('copp.contract.payment')
    with set_company(contract.company):
        payment, = Payment.create([{
                    'company': contract.company.id,
                    'contract': contract.id,
                    'date': date,
                    'amount': Decimal(amount),
                    'number': number,
                    'kind': kind,
                    }])
    return payment


def college(name="Колледж электроники", short_name="РКЭ"):
    company = create_college(name, short_name)
    return company


__all__ = ['create_student', 'create_specialty', 'create_contract',
    'add_payment', 'college', 'Transaction']
