#!/usr/bin/env python3
"""Benchmark of the public vacancies page /vacancies under load.

    python scripts/bench/vacancies_page.py --database <db> [options]

1. makes sure the database has at least --vacancies (2000) published
   vacancies (it adds vacancies whose address is «[bench]» when fewer are
   published; --cleanup removes them at the end);
2. serves trytond's WSGI application on loopback with a multi-threaded
   server (gunicorn gthread workers by default, or werkzeug's threaded
   run_simple with --server werkzeug);
3. fires --clients (50) concurrent keep-alive HTTP clients (threads of a few
   load processes, http.client) for --duration seconds after a warm-up;
4. prints p50 / p90 / p99 / max latency and the throughput of /vacancies,
   of a mix of filtered and paged requests, and of a bare WSGI page served
   the same way (the capacity of server + load generator on this machine).

The goal is p99 ≤ 100 ms for /vacancies with 50 clients. The server, the
clients and the report are those of scripts/bench/_load.py (shared with
catalogue_page.py).

`copp bench vacancies_page` runs the in-process variant of the bench runner
(setup / measured / baseline in one transaction): the median time of one
/vacancies request through the WSGI application with its caches emptied
before each request (the worst case: every query and template runs) against
the same queries in hand-written SQL. It does not load the server; main()
below (not called by the runner) does.

Caches: anonymous public pages are kept for [copp] public_cache_seconds
(default 10 s) per process (copp_portal.microcache), and the list fragments
for 60 s (copp_employer.vacancy.public_cache); both are cleared when a
vacancy or an employer changes. --no-microcache measures the load without
the first.
"""
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
import _load  # noqa: E402
BENCH_MARK = '[bench]'

DESCRIPTION = ("одна страница /vacancies через WSGI-приложение trytond "
    "без кэшей (запросы и шаблоны целиком) против тех же запросов на SQL; "
    "нагрузочный вариант (50 клиентов, p99): python "
    "scripts/bench/vacancies_page.py --database <db>")
GOAL_SECONDS = 0.1


# The in-process variant for `copp bench vacancies_page` ---------------------

def setup(ctx):
    """The page is measured without its caches (the micro-cache of public
    pages and the cached fragments of the list): the whole work of one
    /vacancies request, against the same work in hand-written SQL"""
    from copp_employer import vacancy
    return {'portal': _load.portal_client(ctx.settings.database),
        'cache': vacancy.public_cache}


def measured(ctx, state):
    # Without the cached fragments: the page queries and renders everything.
    _load.get_uncached(ctx, state, '/vacancies', 'vacancy-list')


def baseline(ctx, state):
    "The queries of the page in raw SQL: count, the first 20, the filters"
    import datetime as dt
    today = dt.date.today()
    cursor = ctx.cursor
    where = ("v.state = 'published' AND (v.valid_until IS NULL "
        "OR v.valid_until >= %(today)s) AND e.active")
    params = {'today': today}
    if ctx.settings.backend == 'sqlite':
        where = where.replace('%(today)s', '?')
        params = (today,)
    frm = ("copp_vacancy v JOIN copp_employer e ON e.id = v.employer "
        "JOIN party_party p ON p.id = e.party "
        "LEFT JOIN copp_specialty s ON s.id = v.specialty")
    cursor.execute(f"SELECT COUNT(v.id) FROM {frm} WHERE {where}", params)
    cursor.fetchall()
    cursor.execute(f"SELECT v.id, v.position, v.salary_from, v.salary_to, "
        f"p.name, v.district, v.schedule, s.code, s.name, v.for_students, "
        f"v.published_date FROM {frm} WHERE {where} "
        f"ORDER BY v.published_date DESC, v.id DESC LIMIT 20", params)
    cursor.fetchall()
    cursor.execute(f"SELECT v.specialty, s.code, s.name, COUNT(v.id) "
        f"FROM {frm} WHERE {where} AND v.specialty IS NOT NULL "
        f"GROUP BY v.specialty, s.code, s.name", params)
    cursor.fetchall()


# Data -------------------------------------------------------------------------

POSITIONS = [
    ("Оператор станков с ЧПУ", '15.02.16'), ("Сварщик", '15.01.05'),
    ("Электромонтёр", '13.02.11'), ("Автомеханик", '23.02.07'),
    ("Повар", '43.02.15'), ("Медицинская сестра", '34.02.01'),
    ("Программист", '09.02.07'), ("Бухгалтер", '38.02.01'),
    ("Агроном", '35.02.05'), ("Мастер строительных работ", '08.02.01'),
    ]
DISTRICTS = ['ryazan', 'ryazan', 'ryazan', 'ryazansky', 'kasimov_city',
    'skopin_city', 'sasovo_city', 'shilovsky', 'pronsky', 'rybnovsky']


def prepare(settings, wanted, seed=2026):
    "Make sure `wanted` vacancies are published; returns (published, added)"
    from decimal import Decimal

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool(settings.database)
    pool.init()
    rng = random.Random(seed)
    with Transaction().start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        Employer = pool.get('copp.employer')
        Specialty = pool.get('copp.specialty')
        published = Vacancy.search_count(Vacancy.public_domain())
        missing = max(0, wanted - published)
        if missing:
            employers = Employer.search([], limit=200)
            if not employers:
                employers = Employer.create([{
                            'name': f"ООО «Бенчмарк {i}»",
                            'district': 'ryazan'} for i in range(20)])
            specialties = {s.code: s.id for s in Specialty.search([
                        ('company', '=', None)])}
            values = []
            for i in range(missing):
                position, code = rng.choice(POSITIONS)
                salary = Decimal(rng.randrange(30, 90) * 1000)
                values.append({
                        'employer': rng.choice(employers).id,
                        'position': position,
                        'specialty': specialties.get(code),
                        'salary_from': salary,
                        'salary_to': salary + 15000 if i % 3 else None,
                        'district': rng.choice(DISTRICTS),
                        'address': BENCH_MARK,
                        'requirements': "СПО по профилю",
                        'schedule': rng.choice(['full_day', 'shift']),
                        'for_students': bool(i % 2),
                        })
            vacancies = Vacancy.create(values)
            Vacancy.publish(vacancies)
            transaction.commit()
        total = Vacancy.search_count(Vacancy.public_domain())
        specialties = sorted({v.specialty.id for v in Vacancy.search(
                    Vacancy.public_domain() + [('specialty', '!=', None)],
                    limit=500)})
    return total, missing, specialties


def cleanup(settings):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(settings.database, 0) as transaction:
        Vacancy = Pool().get('copp.vacancy')
        vacancies = Vacancy.search([('address', '=', BENCH_MARK)])
        Vacancy.delete(vacancies)
        transaction.commit()
        return len(vacancies)


# Load -----------------------------------------------------------------------

def mixed_paths(specialties):
    paths = ['/vacancies'] * 10
    paths += [f'/vacancies?page={n}' for n in range(2, 8)]
    paths += [f'/vacancies?district={d}' for d in sorted(set(DISTRICTS))]
    paths += [f'/vacancies?salary={s}' for s in [30000, 50000, 70000]]
    paths += [f'/vacancies?specialty={s}' for s in specialties[:10]]
    paths += ['/vacancies?students=1&sort=salary',
        '/vacancies?q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA']
    return paths


def main(argv=None):
    parser = _load.arguments(__doc__.split('\n\n')[0], 'vacancies', 2000,
        "published vacancies")
    args = parser.parse_args(argv)
    settings, runtime = _load.settings_of(parser, args)
    print(f"База «{settings.database}» ({settings.backend}); готовлю "
        f"вакансии…", flush=True)
    published, added, specialties = prepare(settings, args.vacancies)
    print(f"  опубликовано вакансий: {published} (добавлено сейчас: {added})")
    results = _load.measure(args, settings, runtime, [
            ("/vacancies", ['/vacancies']),
            ("/vacancies: фильтры и страницы", mixed_paths(specialties)),
            ])
    met = _load.verdict(results, GOAL_SECONDS * 1000)
    if args.cleanup and added:
        print(f"  удалено добавленных вакансий: {cleanup(settings)}")
    return 0 if met else 1


if __name__ == '__main__':
    sys.exit(main())
