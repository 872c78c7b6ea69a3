#!/usr/bin/env python3
"""Benchmark of the public programme catalogue /programs under load.

    python scripts/bench/catalogue_page.py --database <db> [options]

1. makes sure the database has at least --programs (1000) published
   programmes, a region's catalogue: it adds programmes whose requirements
   are «[bench]», most with one to three cohorts open for applications
   (place «[bench]») starting over the next six months; --cleanup removes
   every «[bench]» programme and cohort at the end (--cleanup-only: and
   nothing else);
2. serves trytond's WSGI application on loopback with a multi-threaded
   server (gunicorn gthread workers by default, or werkzeug's threaded
   run_simple with --server werkzeug);
3. fires --clients (50) concurrent keep-alive HTTP clients for --duration
   seconds after a warm-up;
4. prints p50 / p90 / p99 / max latency and the throughput of /programs,
   of a mix of filter combinations and pages, and of a bare WSGI page
   served the same way (the capacity of server + load generator on this
   machine).

The goal (issue 17): the catalogue with filters under 50 clients, p99 ≤
100 ms and a throughput of at least 0.3× the bare WSGI page's measured in
the same run. The server, the clients and the report are those of
scripts/bench/_load.py (shared with vacancies_page.py).

`copp bench catalogue_page` runs the in-process variant of the bench runner
(setup / measured / baseline in one transaction): setup adds the «[bench]»
programmes as above when fewer are published (committed: remove them with
--cleanup-only), then the median time of one /programs request through the
WSGI application with its caches emptied before each request (the worst
case: every query and template runs) is set against the same queries in
hand-written SQL.

Caches: anonymous public pages are kept for [copp] public_cache_seconds
(default 10 s) per process and query string (copp_portal.microcache), the
catalogue's lists and options for 60 s (copp_site.catalogue.public_cache);
both are cleared when a programme or a cohort changes. --no-microcache
measures the load without the first.
"""
import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
import _load  # noqa: E402

BENCH_MARK = '[bench]'
PROGRAMS = 1000

DESCRIPTION = ("одна страница /programs через WSGI-приложение trytond "
    "без кэшей (запросы и шаблоны целиком) против тех же запросов на "
    "SQL; нагрузочный вариант (50 клиентов, p99, доля от голой "
    "WSGI-страницы): python scripts/bench/catalogue_page.py --database <db>")
GOAL_SECONDS = 0.1
GOAL_SHARE = 0.3


# The in-process variant for `copp bench catalogue_page` --------------------

def setup(ctx):
    """A region's catalogue, then the page without its caches (the
    micro-cache of public pages and the catalogue's lists): the whole work
    of one /programs request, against the same work in SQL"""
    from copp_site import catalogue
    prepare(ctx.settings, PROGRAMS)
    return {'portal': _load.portal_client(ctx.settings.database),
        'cache': catalogue.public_cache}


def measured(ctx, state):
    # Without the cached lists and options: the page queries everything.
    _load.get_uncached(ctx, state, '/programs', 'program-list')


def baseline(ctx, state):
    """The queries of the page in SQL: the count, the ids of the first page
    by nearest cohort, the programmes and their colleges, their public
    cohorts and seats taken, the colleges and the months of the filters"""
    from sql import Literal, Null, Table
    from sql.aggregate import Count, Min
    from sql.conditionals import Case

    today = dt.date.today()
    cursor = ctx.cursor
    program, cohort, owner = (Table('copp_program'),
        Table('copp_training_cohort'), Table('copp_program'))
    company, party = Table('company_company'), Table('party_party')
    application = Table('copp_training_application')
    public = ((cohort.state == 'open') & (cohort.end_date >= today)
        & ((cohort.application_deadline == Null)
            | (cohort.application_deadline >= today))
        & (cohort.employer == Null) & (owner.state == 'published'))
    published = program.state == 'published'

    def rows(query):
        cursor.execute(*query)
        return cursor.fetchall()

    rows(program.select(Count(program.id), where=published))
    nearest = cohort.join(owner, condition=owner.id == cohort.program
        ).select(cohort.program.as_('program'),
            Min(cohort.start_date).as_('start'), where=public,
            group_by=[cohort.program])
    ids = [r[0] for r in rows(program.join(nearest, 'LEFT',
                condition=nearest.program == program.id).select(program.id,
                where=published,
                order_by=[Case((nearest.start == Null, Literal(1)),
                        else_=Literal(0)).asc, nearest.start.asc,
                    program.name.asc, program.id.asc], limit=12))]
    rows(program.join(company, condition=company.id == program.company
            ).join(party, condition=party.id == company.party).select(
            program.id, program.name, program.kind, program.format,
            program.hours, program.free, program.price,
            program.federal_project, program.audience, company.id,
            party.name, where=program.id.in_(ids or [-1])))
    cohorts = rows(cohort.join(owner, condition=owner.id == cohort.program
            ).join(company, condition=company.id == cohort.company).join(
            party, condition=party.id == company.party).select(cohort.id,
            cohort.name, cohort.program, owner.name, party.name,
            cohort.start_date, cohort.end_date, cohort.application_deadline,
            cohort.place, cohort.schedule_note, cohort.seats,
            cohort.federal_seats, cohort.federal_project, cohort.price,
            where=public & cohort.program.in_(ids or [-1]),
            order_by=[cohort.start_date.asc, cohort.id.asc]))
    rows(application.select(application.cohort, Count(application.id),
            where=application.state.in_(['agreement', 'enrolled'])
            & application.cohort.in_([c[0] for c in cohorts] or [-1]),
            group_by=[application.cohort]))
    rows(program.join(company, condition=company.id == program.company
            ).join(party, condition=party.id == company.party).select(
            company.id, party.name, where=published,
            group_by=[company.id, party.name]))
    rows(cohort.join(owner, condition=owner.id == cohort.program).select(
            cohort.start_date, where=public, group_by=[cohort.start_date]))


# Data -------------------------------------------------------------------------

SUBJECTS = [
    ("Оператор станков с ЧПУ", 'vocational'),
    ("Сварщик ручной дуговой сварки", 'vocational'),
    ("Электромонтёр по ремонту оборудования", 'vocational'),
    ("Водитель погрузчика", 'vocational'),
    ("Повар", 'vocational'),
    ("Младшая медицинская сестра", 'vocational'),
    ("Тракторист-машинист", 'vocational'),
    ("1С:Предприятие для бухгалтеров", 'advanced'),
    ("Цифровые инструменты преподавателя", 'advanced'),
    ("Наставничество на производстве", 'advanced'),
    ("Охрана труда для руководителей", 'advanced'),
    ("Эксперт демонстрационного экзамена", 'advanced'),
    ("Бережливое производство", 'advanced'),
    ("Веб-разработка на Python", 'retraining'),
    ("Логистика и управление складом", 'retraining'),
    ("Графический дизайн", 'retraining'),
    ("Кадровое делопроизводство", 'retraining'),
    ("Кондитер: выпечка и декор", 'short_adult'),
    ("Компьютерная грамотность", 'short_adult'),
    ("Юный робототехник", 'short_school'),
    ("Первая профессия: электромонтажник", 'short_school'),
    ("Кибергигиена", 'short_school'),
    ("Профессии будущего: проба сил", 'career_guidance'),
    ]
LEVELS = ["базовый курс", "продвинутый уровень", "для начинающих",
    "практикум", "интенсив", "с нуля", "для работающих", "выездная группа"]
HOURS = [8, 16, 24, 36, 72, 120, 144, 256, 300]
AUDIENCES = ['schoolchildren', 'students', 'adults', 'job_seekers',
    'seniors', 'teachers']
DOCUMENTS = {'advanced': 'qualification_certificate',
    'retraining': 'retraining_diploma',
    'vocational': 'profession_certificate'}


def _program_values(rng, number, companies, kinds, formats):
    subject, kind = SUBJECTS[number % len(SUBJECTS)]
    if kind not in kinds:
        kind = rng.choice(kinds)
    free = rng.random() < 0.35
    return {
        'name': f"{subject}: {LEVELS[number // len(SUBJECTS) % len(LEVELS)]}",
        'kind': kind,
        'hours': rng.choice(HOURS),
        'format': rng.choice(formats),
        'free': free,
        'price': None if free else Decimal(rng.randrange(5, 60) * 1000),
        'company': rng.choice(companies),
        'competencies': "Знание техники безопасности\n"
        "Умение применять полученные навыки на практике",
        'description': f"Программа «{subject}» для жителей Рязанской "
        "области: занятия в мастерских и онлайн.",
        'requirements': BENCH_MARK,
        'audience': rng.sample(AUDIENCES, rng.randint(1, 3)),
        'document_kind': DOCUMENTS.get(kind, 'none'),
        'vocational_kind': 'training' if kind == 'vocational' else None,
        'federal_project': 'employment' if free and number % 3 == 0
        else None,
        'state': 'published',
        }


def _cohort_values(rng, program, today):
    start = today + dt.timedelta(days=rng.randrange(7, 180))
    return {
        'name': program.name,
        'program': program.id,
        'company': program.company.id,
        'start_date': start,
        'end_date': start + dt.timedelta(weeks=max(1, program.hours // 20)),
        'application_deadline': start - dt.timedelta(days=2),
        'seats': rng.choice([12, 15, 20, 25]),
        'federal_project': program.federal_project,
        'federal_seats': 5 if program.federal_project else 0,
        'price': None if program.free else program.price,
        'place': BENCH_MARK,
        'schedule_note': rng.choice(["пн, ср 18:00–21:00",
                "вт, чт 17:30–20:30", "сб 10:00–15:00"]),
        }


def _pool(settings):
    "The pool of the database, loaded once"
    from trytond.pool import Pool
    if settings.database not in Pool.database_list():
        Pool(settings.database).init()


def prepare(settings, wanted, seed=2026):
    """Make sure `wanted` programmes are published; returns (published,
    added, colleges with a published programme)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    _pool(settings)
    rng = random.Random(seed)
    with Transaction(new=True).start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        pool = Pool()
        Program = pool.get('copp.program')
        Cohort = pool.get('copp.training.cohort')
        Company = pool.get('company.company')
        today = pool.get('ir.date').today()
        published = [('state', '=', 'published')]
        missing = max(0, wanted - Program.search_count(published))
        if missing:
            companies = [c.id for c in Company.search([
                        ('institution_kind', '!=', 'ministry')])]
            kinds = [k for k, _ in Program.fields_get(['kind'])['kind'][
                    'selection'] if k]
            formats = [k for k, _ in Program.fields_get(['format'])[
                    'format']['selection'] if k]
            programs = Program.create([_program_values(rng, i, companies,
                        kinds, formats) for i in range(missing)])
            cohorts = []
            for program in programs:
                # 10 % without a cohort yet, the others with 1 to 3
                count = rng.choice([0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
                cohorts += [_cohort_values(rng, program, today)
                    for _ in range(count)]
            for start in range(0, len(cohorts), 500):
                chunk = cohorts[start:start + 500]
                Cohort.open(Cohort.create(chunk))
            transaction.commit()
        total = Program.search_count(published)
        colleges = sorted({p.company.id for p in Program.search(published)})
    return total, missing, colleges


def cleanup(settings):
    "Delete the «[bench]» programmes and cohorts; returns their numbers"
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    _pool(settings)
    with Transaction(new=True).start(settings.database, 0) as transaction:
        pool = Pool()
        Program = pool.get('copp.program')
        Cohort = pool.get('copp.training.cohort')
        cohorts = Cohort.search([('place', '=', BENCH_MARK)])
        Cohort.draft([c for c in cohorts if c.state != 'draft'])
        Cohort.delete(cohorts)
        programs = Program.search([('requirements', '=', BENCH_MARK)])
        Program.delete(programs)
        transaction.commit()
        return len(programs), len(cohorts)


# Load -----------------------------------------------------------------------

def mixed_paths(colleges, today=None):
    "The unfiltered first page, pages, every filter and combinations"
    today = today or dt.date.today()
    months = []
    for offset in range(1, 5):
        year, month = divmod(today.month - 1 + offset, 12)
        months.append(f'{today.year + year}-{month + 1:02d}')
    paths = ['/programs'] * 10
    paths += [f'/programs?page={n}' for n in range(2, 9)]
    paths += [f'/programs?kind={k}' for k in ['advanced', 'retraining',
            'vocational', 'short_school', 'short_adult', 'career_guidance']]
    paths += [f'/programs?audience={a}' for a in AUDIENCES]
    paths += [f'/programs?format={f}' for f in ['onsite', 'blended',
            'distance']]
    paths += [f'/programs?duration={d}' for d in ['upto16', '16to72',
            '72to250', 'over250']]
    paths += [f'/programs?funding={f}' for f in ['free', 'federal', 'paid']]
    paths += [f'/programs?college={c}' for c in colleges[:8]]
    paths += [f'/programs?month={m}' for m in months]
    paths += [
        '/programs?kind=vocational&format=onsite',
        '/programs?kind=advanced&duration=16to72&page=2',
        f'/programs?funding=free&month={months[0]}',
        '/programs?audience=adults&funding=paid&page=3',
        f'/programs?kind=retraining&month={months[1]}&format=blended',
        '/programs?q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA',  # сварщик
        '/programs?q=Python&format=distance',
        '/programs?q=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80&page=2',  # повар
        ]
    if colleges:
        paths += [f'/programs?college={colleges[0]}&kind=advanced',
            f'/programs?college={colleges[-1]}&month={months[2]}']
    return paths


def main(argv=None):
    parser = _load.arguments(__doc__.split('\n\n')[0], 'programs', PROGRAMS,
        "published programmes")
    parser.add_argument('--cleanup-only', action='store_true',
        help="delete the «[bench]» programmes and cohorts, measure nothing")
    args = parser.parse_args(argv)
    settings, runtime = _load.settings_of(parser, args)
    if args.cleanup_only:
        print("удалено программ и потоков «[bench]»: %d, %d"
            % cleanup(settings))
        return 0
    print(f"База «{settings.database}» ({settings.backend}); готовлю "
        f"программы…", flush=True)
    published, added, colleges = prepare(settings, args.programs)
    print(f"  опубликовано программ: {published} (добавлено сейчас: "
        f"{added})")
    results = _load.measure(args, settings, runtime, [
            ("/programs", ['/programs']),
            ("/programs: фильтры и страницы", mixed_paths(colleges)),
            ])
    met = _load.verdict(results, GOAL_SECONDS * 1000, GOAL_SHARE)
    if args.cleanup:
        print("  удалено программ и потоков «[bench]»: %d, %d"
            % cleanup(settings))
    return 0 if met else 1


if __name__ == '__main__':
    sys.exit(main())
