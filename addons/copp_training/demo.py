"""Demo data of copp_training (see copp.cli.demo): for the published
programmes of the catalogue, the document they lead to and their modules;
per programme an open cohort with applications at every stage; for a few
programmes a cohort in progress (learners enrolled by a signed order, its
journal and lessons) and a completed cohort whose learners received their
documents (numbered, with their verification page)."""
import datetime as dt
from decimal import Decimal

from trytond.transaction import Transaction

from copp.demo import person_values

from .program import KIND_DOCUMENTS

MODULES = {
    'advanced': [("Нормативная база и безопасность", 8, 4),
        ("Современные технологии отрасли", 16, 24),
        ("Итоговая аттестация", 2, 2)],
    'retraining': [("Введение в профессию", 40, 20),
        ("Профессиональный модуль", 80, 120),
        ("Стажировка и итоговая аттестация", 8, 40)],
    'vocational': [("Охрана труда", 8, 4), ("Материаловедение", 16, 8),
        ("Производственное обучение", 24, 80),
        ("Квалификационный экзамен", 2, 6)],
    }
DEFAULT_MODULES = [("Теоретические основы", 8, 4),
    ("Практикум", 4, 16)]
QUALIFICATIONS = {
    'retraining': "Специалист в области профессиональной деятельности",
    'vocational': "Рабочий по профессии",
    }
PLACES = ["Рязань, ул. Связи, 21, ЦОПП, ауд. {n}",
    "Рязань, ул. Каширина, 1, мастерская {n}",
    "Касимов, ул. Ленина, 47, учебный корпус, каб. {n}"]
EDUCATION = ['vocational', 'higher', 'student_vocational']
# A one-page PDF standing for the scans of the demo applications
PDF = b'%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'


def populate(env):
    pool = env.pool
    Program = pool.get('copp.program')
    Module = pool.get('copp.program.module')
    programs = Program.search([('state', '=', 'published')],
        order=[('id', 'ASC')])
    if not programs:
        return
    modules = []
    for index, program in enumerate(programs):
        # «Содействие занятости» funds seats of the free programmes and of
        # the first ones, which have cohorts in progress (see below)
        federal = bool(program.free and program.id % 2) or index < 3
        Program.write([program], {
                'document_kind': KIND_DOCUMENTS.get(program.kind, 'none'),
                'qualification': QUALIFICATIONS.get(program.kind),
                'rank': "3 разряд" if program.kind == 'vocational' else None,
                'vocational_kind': ('training'
                    if program.kind == 'vocational' else None),
                'activity_field': ("Профессиональное обучение"
                    if program.kind == 'retraining' else None),
                'federal_project': 'employment' if federal else None,
                'federal_quota': 20 if federal else None,
                })
        for number, (name, theory, practice) in enumerate(
                MODULES.get(program.kind, DEFAULT_MODULES), 1):
            modules.append({'program': program.id, 'sequence': number,
                    'name': name, 'hours_theory': theory,
                    'hours_practice': practice,
                    'assessment': 'credit' if number > 1 else None})
    Module.create(modules)
    open_cohorts, past = [], []
    for index, program in enumerate(programs):
        with Transaction().set_context(company=program.company.id):
            open_cohorts.append(_cohort(env, program, index,
                    env.today + dt.timedelta(days=14 + 7 * (index % 6)),
                    'open'))
            if index < 3:
                # Begun this year (the reports' default period)
                past.append((_cohort(env, program, index,
                            max(env.today - dt.timedelta(days=21),
                                env.today.replace(month=1, day=1)),
                            'running'),
                        False))
            if index < 2:
                past.append((_cohort(env, program, index,
                            env.today - dt.timedelta(days=150), 'running'),
                        True))
    applications = 0
    for number, cohort in enumerate(open_cohorts):
        with Transaction().set_context(company=cohort.company.id):
            applications += len(_applications(env, cohort,
                    ['new', 'new', 'checked', 'agreement', 'rejected'],
                    number))
    documents = 0
    for cohort, complete in past:
        with Transaction().set_context(company=cohort.company.id):
            _timetable(env, cohort)
            learners = _enrol(env, cohort)
            applications += len(learners)
            if complete:
                documents += _complete(env, cohort, learners)
    env.count("Потоки программ ЦОПП", len(open_cohorts) + len(past))
    env.count("Заявки на обучение", applications)
    env.count("Документы об обучении", documents)


def _cohort(env, program, index, start, state):
    pool = env.pool
    Cohort = pool.get('copp.training.cohort')
    Employee = pool.get('company.employee')
    hours = program.hours or 72
    weeks = max(2, min(16, hours // 12))
    teachers = Employee.search([('company', '=', program.company.id)],
        limit=2)
    federal = 5 if program.federal_project else 0
    cohort, = Cohort.create([{
                'name': program.name,
                'program': program.id,
                'company': program.company.id,
                'start_date': start,
                'end_date': start + dt.timedelta(weeks=weeks),
                'application_deadline': start - dt.timedelta(days=2)
                if start > env.today else None,
                'seats': env.random.choice([12, 15, 20, 25]),
                'federal_project': program.federal_project,
                'federal_seats': federal,
                'price': None if program.free else (
                    program.price or Decimal('15000')),
                'place': PLACES[index % len(PLACES)].format(
                    n=100 + index),
                'schedule_note': env.random.choice(["пн, ср 18:00–21:00",
                        "вт, чт 17:30–20:30", "сб 10:00–15:00"]),
                'teachers': [('add', [t.id for t in teachers])],
                }])
    if state == 'open':
        Cohort.open([cohort])
    elif state == 'running':
        # Begun already: straight to «идёт обучение» (its journal made)
        Cohort.start([cohort])
    return cohort


def _timetable(env, cohort):
    "Two weekly slots of its first modules, laid out as journal lessons"
    pool = env.pool
    Cohort = pool.get('copp.training.cohort')
    Timetable = pool.get('copp.training.timetable')
    Line = pool.get('copp.journal.curriculum.line')
    lines = Line.search([('curriculum.cohort', '=', cohort.id)],
        order=[('id', 'ASC')], limit=2)
    if not lines:
        return
    Timetable.create([{
                'cohort': cohort.id, 'weekday': weekday, 'pair': pair,
                'hours': 2, 'line': line.id, 'kind': kind,
                'room': "ауд. 204"}
            for weekday, pair, line, kind in [
                ('1', 1, lines[0], 'lecture'),
                ('3', 2, lines[-1], 'practical')]])
    Cohort.generate_lessons([Cohort(cohort.id)])


def _application_values(env, cohort, index):
    person = person_values(env, age=(22, 58))
    person.pop('name')
    funding = ('federal' if cohort.federal_seats and index % 2
        else 'budget' if cohort.program.free else 'paid')
    values = dict(person,
        company=cohort.company.id, program=cohort.program.id,
        cohort=cohort.id, source='portal' if index % 3 else 'office',
        email=f'learner{cohort.id}-{index}@demo.copp62.ru',
        phone=f'+7 910 {env.random.randint(100, 999)}-'
        f'{env.random.randint(10, 99)}-{env.random.randint(10, 99)}',
        address="Рязанская обл., г. Рязань, ул. Полевая, д. "
        f"{env.random.randint(1, 90)}",
        id_document_kind='passport_ru', id_document_series='61 1'
        f"{env.random.randint(0, 9)}",
        id_document_number=f'{env.random.randint(100000, 999999)}',
        id_document_issuer="УМВД России по Рязанской области",
        id_document_date=env.today - dt.timedelta(days=2000),
        education_level=EDUCATION[index % len(EDUCATION)],
        education_document_series='1162',
        education_document_number=f'{env.random.randint(10**6, 10**7)}',
        education_document_year=env.today.year - 5,
        funding=funding, consent=True)
    if funding == 'federal':
        values.update(eligibility='unemployed', eligibility_confirmed=True,
            referral=f"№ {env.random.randint(100, 999)} ЦЗН г. Рязани")
    return values


def _applications(env, cohort, stages, offset=0):
    "Applications of the cohort, each moved to its stage"
    pool = env.pool
    Application = pool.get('copp.training.application')
    Attachment = pool.get('ir.attachment')
    applications = Application.create([_application_values(env, cohort,
                offset + i) for i in range(len(stages))])
    Attachment.create([{'resource': str(a), 'name': f'{kind}.pdf',
                'type': 'data', 'data': PDF, 'copp_scan_kind': kind}
            for a in applications
            for kind in ['passport', 'snils', 'diploma']])
    for application, stage in zip(applications, stages):
        if stage == 'new':
            continue
        Application.check_documents([application])
        if stage == 'rejected':
            Application.write([application],
                {'reject_reason': "Не подтверждено образование"})
            Application.reject([application])
        elif stage == 'agreement':
            Application.agree([application])
    return applications


def _enrol(env, cohort):
    "Learners by a signed enrolment order (contracts of paid seats signed)"
    pool = env.pool
    Application = pool.get('copp.training.application')
    Contract = pool.get('copp.contract')
    Order = pool.get('copp.training.cohort.order')
    Learner = pool.get('copp.training.learner')
    applications = _applications(env, cohort, ['agreement'] * 5, 10)
    contracts = [a.contract for a in applications if a.contract]
    if contracts:
        Contract.sign(contracts)
    Application.add_to_order(applications)
    order = Application(applications[0].id).order
    Order.write([order], {'date': cohort.start_date})
    Order.sign([order])
    return Learner.search([('cohort', '=', cohort.id)],
        order=[('id', 'ASC')])


def _complete(env, cohort, learners):
    "Attestation, the completion order, the documents issued"
    pool = env.pool
    Learner = pool.get('copp.training.learner')
    Order = pool.get('copp.training.cohort.order')
    Cohort = pool.get('copp.training.cohort')
    Document = pool.get('copp.training.document')
    passed, failed = learners[:-1], learners[-1:]
    Learner.write(passed, {'final_grade': '5',
            'attestation_date': cohort.end_date})
    Learner.write(failed, {'final_grade': 'absent',
            'attestation_date': cohort.end_date})
    Order.create([{
                'cohort': cohort.id, 'kind': 'completion',
                'date': cohort.end_date,
                'lines': [('create', [{'learner': l.id} for l in passed])],
                }, {
                'cohort': cohort.id, 'kind': 'expulsion',
                'date': cohort.end_date,
                'lines': [('create', [{'learner': l.id,
                                'reason': "Не явился на итоговую аттестацию"}
                            for l in failed])],
                }])
    Order.sign(Order.search([('cohort', '=', cohort.id),
                ('state', '=', 'draft')]))
    Cohort.complete([cohort])
    documents = Document.search([('cohort', '=', cohort.id)])
    for document in documents:
        document.issue_date = cohort.end_date + dt.timedelta(days=3)
    Document.save(documents)
    Document.issue(documents)
    return len(documents)
