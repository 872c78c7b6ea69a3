"Helpers for the tests of copp_employer (and of modules that build on it)"
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool

# Valid identifiers (checksums) for test employers.
INNS = ['7707083893', '7736050003', '7702070139', '6229000040',
    '6234000014', '6231000023', '6228000030', '6229000001']
OGRN = '1027700132195'
KPP = '773601001'


def specialty(code='09.02.07'):
    Specialty = Pool().get('copp.specialty')
    result, = Specialty.search([('code', '=', code), ('company', '=', None)])
    return result


def create_employer(name, inn=None, kpp=None, ogrn=None, **values):
    Employer = Pool().get('copp.employer')
    employer, = Employer.create([dict({
                    'name': name, 'inn': inn, 'kpp': kpp, 'ogrn': ogrn,
                    'district': 'ryazan',
                    }, **values)])
    return employer


def create_agreement(college, employer, number, state='active', **values):
    Agreement = Pool().get('copp.employer.agreement')
    today = dt.date.today()
    agreement, = Agreement.create([dict({
                    'company': college.id, 'employer': employer.id,
                    'number': number, 'date': today,
                    'start_date': today - dt.timedelta(days=30),
                    'end_date': today + dt.timedelta(days=700),
                    'subject': "Организация практики и стажировок",
                    'kind': 'practice',
                    }, **values)])
    if state == 'active':
        Agreement.activate([agreement])
    return agreement


def create_vacancy(employer, position, publish=False, **values):
    Vacancy = Pool().get('copp.vacancy')
    vacancy, = Vacancy.create([dict({
                    'employer': employer.id, 'position': position,
                    'requirements': "Среднее профессиональное образование",
                    'district': 'ryazan', 'salary_from': Decimal(40000),
                    'salary_to': Decimal(60000),
                    }, **values)])
    if publish:
        Vacancy.publish([vacancy])
    return vacancy


def create_order(employer, quantity=5, **values):
    Order = Pool().get('copp.training.order')
    if 'specialty' not in values and 'program' not in values:
        values['specialty'] = specialty().id
    order, = Order.create([dict({
                    'employer': employer.id, 'quantity': quantity,
                    'deadline': dt.date.today() + dt.timedelta(days=180),
                    }, **values)])
    return order


def create_practice_place(college, employer, students=(), **values):
    pool = Pool()
    Place = pool.get('copp.employer.practice_place')
    Party = pool.get('party.party')
    today = dt.date.today()
    parties = Party.create([{'name': name} for name in students])
    place, = Place.create([dict({
                    'company': college.id, 'employer': employer.id,
                    'specialty': specialty().id, 'places': max(
                        3, len(parties)),
                    'start_date': today - dt.timedelta(days=5),
                    'end_date': today + dt.timedelta(days=25),
                    'mentor': "Кузнецов Пётр Ильич",
                    'students': [('create', [{'student': p.id,
                                    'group_name': 'ИСП-21'}
                                for p in parties])],
                    }, **values)])
    return place
