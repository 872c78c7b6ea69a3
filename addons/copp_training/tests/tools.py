"""A small data set of the copp_training tests: the ЦОПП and a college,
their users, an academic year around the given day, a published programme
with two modules and an open cohort, and applications with scans."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp.tests.tools import create_college, create_user
from copp_training.program import KIND_DOCUMENTS

PDF = b'%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'
PNG = b'\x89PNG\r\n\x1a\n' + b'\x00' * 32
SNILS = ['112-233-445 95', '123-456-789 64', '234-567-891 00']


def create_years(today):
    "Academic years (two terms each) from the year before to the next"
    pool = Pool()
    Year = pool.get('copp.academic.year')
    first = today.year if today.month >= 9 else today.year - 1
    values = []
    for start in range(first - 1, first + 2):
        values.append({
                'name': f'{start}/{start + 1}',
                'start_date': dt.date(start, 9, 1),
                'end_date': dt.date(start + 1, 8, 31),
                'terms': [('create', [
                            {'number': 1, 'start_date': dt.date(start, 9, 1),
                                'end_date': dt.date(start, 12, 31)},
                            {'number': 2,
                                'start_date': dt.date(start + 1, 1, 9),
                                'end_date': dt.date(start + 1, 6, 30)},
                            ])],
                })
    return Year.create(values)


def create_program(company, name="Аддитивные технологии", kind='advanced',
        free=False, price='12000', federal=None, quota=None):
    pool = Pool()
    Program = pool.get('copp.program')
    program, = Program.create([{
                'name': name,
                'kind': kind,
                'hours': 72,
                'format': 'onsite',
                'document_kind': KIND_DOCUMENTS.get(kind, 'none'),
                'free': free,
                'price': None if free else Decimal(price),
                'company': company.id,
                'qualification': "Оператор 3D-печати",
                'vocational_kind': 'training' if kind == 'vocational'
                else None,
                'rank': '3 разряд' if kind == 'vocational' else None,
                'activity_field': "Производство" if kind == 'retraining'
                else None,
                'federal_project': federal,
                'federal_quota': quota,
                'modules': [('create', [
                            {'sequence': 1, 'name': "Основы 3D-моделирования",
                                'hours_theory': 20, 'hours_practice': 16,
                                'assessment': 'credit'},
                            {'sequence': 2, 'name': "Практика печати",
                                'hours_theory': 8, 'hours_practice': 28,
                                'assessment': 'diff_credit'},
                            ])],
                }])
    Program.publish([program])
    return program


def create_cohort(program, start, end, seats=10, federal_seats=0,
        state='open', **values):
    pool = Pool()
    Cohort = pool.get('copp.training.cohort')
    cohort, = Cohort.create([dict({
                'name': program.name,
                'program': program.id,
                'company': program.company.id,
                'start_date': start,
                'end_date': end,
                'seats': seats,
                'federal_project': program.federal_project,
                'federal_seats': federal_seats,
                'price': None if program.free else program.price,
                'place': "Рязань, ул. Связи, 21",
                }, **values)])
    if state in {'open', 'running'}:
        Cohort.open([cohort])
    if state == 'running':
        Cohort.start([cohort])
    return cohort


def application_values(program, cohort=None, number=0, **values):
    return dict({
            'company': program.company.id,
            'program': program.id,
            'cohort': cohort.id if cohort else None,
            'last_name': ["Иванова", "Петров", "Сидоров"][number % 3],
            'first_name': ["Анна", "Пётр", "Илья"][number % 3],
            'patronymic': "Сергеевна" if number % 3 == 0 else "Ильич",
            'birth_date': dt.date(1990 + number, 3, 4),
            'gender': 'female' if number % 3 == 0 else 'male',
            'snils': SNILS[number % 3],
            'email': f'learner{number}@example.com',
            'phone': '+7 900 000-00-0%d' % number,
            'id_document_series': '6100',
            'id_document_number': '12345%d' % number,
            'id_document_issuer': "УМВД России по Рязанской области",
            'id_document_date': dt.date(2015, 1, 1),
            'education_level': 'vocational',
            'education_document_series': '116205',
            'education_document_number': '000123%d' % number,
            'education_document_year': 2012,
            'funding': 'budget' if program.free else 'paid',
            'consent': True,
            }, **values)


def add_scans(application, kinds=('passport', 'snils', 'diploma')):
    pool = Pool()
    Attachment = pool.get('ir.attachment')
    return Attachment.create([{
                'resource': str(application),
                'name': f'{kind}.pdf',
                'type': 'data',
                'data': PDF,
                'copp_scan_kind': kind,
                } for kind in kinds])


def create_application(program, cohort=None, number=0, scans=True,
        **values):
    pool = Pool()
    Application = pool.get('copp.training.application')
    application, = Application.create([application_values(program, cohort,
                number, **values)])
    if scans:
        add_scans(application)
    return application


def training_setup(today):
    "The data set around `today`; returns a namespace"
    ns = SimpleNamespace()
    ns.today = today
    ns.copp = create_college("Центр опережающей подготовки", "ЦОПП",
        kind='copp')
    ns.college = create_college("Колледж Б", "КБ")
    ns.ministry = create_college("Министерство", "МО", kind='ministry')
    create_years(today)
    ns.specialist = create_user('specialist', [ns.copp, ns.college,
            ns.ministry], ['group_copp'], employer=ns.copp)
    ns.registrar = create_user('registrar_b', [ns.college],
        ['group_registrar'])
    ns.minister = create_user('minister', [ns.copp, ns.college,
            ns.ministry], ['group_ministry'], employer=ns.ministry)
    ns.teacher = create_user('teacher_copp', [ns.copp], ['group_teacher'])
    with Transaction().set_context(company=ns.copp.id):
        ns.program = create_program(ns.copp)
        ns.cohort = create_cohort(ns.program, today + dt.timedelta(days=7),
            today + dt.timedelta(days=60))
    with Transaction().set_context(company=ns.college.id):
        ns.college_program = create_program(ns.college,
            name="Сварщик ручной дуговой сварки", kind='vocational',
            free=True, federal='employment', quota=3)
        ns.college_cohort = create_cohort(ns.college_program,
            today + dt.timedelta(days=10), today + dt.timedelta(days=40),
            seats=3, federal_seats=2)
    return ns
