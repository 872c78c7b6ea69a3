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

The goal is p99 ≤ 100 ms for /vacancies with 50 clients.

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
import argparse
import http.client
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BENCH_MARK = '[bench]'
BARE_BODY = ('<!doctype html><html lang="ru"><head><meta charset="utf-8">'
    '<title>Bare</title></head><body><h1>Вакансии</h1><p>'
    + 'Голая WSGI-страница для сравнения. ' * 20
    + '</p></body></html>').encode('utf-8')

DESCRIPTION = ("одна страница /vacancies через WSGI-приложение trytond "
    "без кэшей (запросы и шаблоны целиком) против тех же запросов на SQL; "
    "нагрузочный вариант (50 клиентов, p99): python "
    "scripts/bench/vacancies_page.py --database <db>")
GOAL_SECONDS = 0.1


# The WSGI applications -----------------------------------------------------

def bare_app(environ, start_response):
    "The baseline: a WSGI page that does nothing"
    start_response('200 OK', [
            ('Content-Type', 'text/html; charset=utf-8'),
            ('Content-Length', str(len(BARE_BODY))),
            ])
    return [BARE_BODY]


def __getattr__(name):
    # gunicorn loads "vacancies_page:portal_app" in each worker before its
    # threads start, as trytond.application requires.
    if name == 'portal_app':
        from trytond.application import app
        return app
    raise AttributeError(name)


# The in-process variant for `copp bench vacancies_page` ---------------------

def setup(ctx):
    """The page is measured without its caches (the micro-cache of public
    pages and the cached fragments of the list): the whole work of one
    /vacancies request, against the same work in hand-written SQL"""
    from werkzeug.test import Client

    from trytond import config
    from trytond.protocols.wrappers import Response
    from trytond.wsgi import app

    from copp_employer import vacancy
    config.set('copp', 'database', ctx.settings.database)
    config.set('copp', 'public_cache_seconds', '0')
    return {'portal': Client(app, Response), 'fragments': vacancy.public_cache}


def measured(ctx, state):
    # Forget the cached fragments: the page queries and renders everything.
    state['fragments']._clear(ctx.settings.database)
    response = state['portal'].get('/vacancies')
    assert response.status_code == 200, response.status
    assert 'vacancy-list' in response.get_data(as_text=True)


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


# Server ---------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_server(kind, app, port, runtime, database, workers, threads,
        microcache=True):
    env = dict(os.environ,
        TRYTOND_CONFIG=str(runtime),
        TRYTOND_DATABASE_NAMES=database,
        TRYTOND_COPP__DATABASE=database,
        TRYTOND_LOGGING_LEVEL='40')
    if not microcache:
        env['TRYTOND_COPP__PUBLIC_CACHE_SECONDS'] = '0'
    env.pop('TRYTOND_DATABASE_URI', None)
    if kind == 'gunicorn':
        args = [sys.executable, '-m', 'gunicorn', '--pythonpath', str(HERE),
            '-k', 'gthread', '-w', str(workers), '--threads', str(threads),
            '-b', f'127.0.0.1:{port}', '--backlog', '2048',
            '--keep-alive', '30', '--log-level', 'warning',
            f'vacancies_page:{app}']
    else:
        args = [sys.executable, str(Path(__file__)), '--serve', app,
            '--port', str(port)]
    process = subprocess.Popen(args, env=env, cwd=str(REPO),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    path = '/vacancies' if app == 'portal_app' else '/'
    while True:
        try:
            with urllib.request.urlopen(
                    f'http://127.0.0.1:{port}{path}', timeout=30) as response:
                response.read()
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                raise RuntimeError("the server did not start:\n"
                    + process.stderr.read().decode()[-3000:])
            time.sleep(0.3)
    return process


def stop_server(process):
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()


def serve(app_name, port):
    "--server werkzeug: trytond's application on run_simple(threaded=True)"
    from werkzeug.serving import WSGIRequestHandler, run_simple
    WSGIRequestHandler.protocol_version = 'HTTP/1.1'  # keep-alive
    if app_name == 'portal_app':
        from trytond.application import app
    else:
        app = bare_app
    WSGIRequestHandler.log_request = lambda *a, **k: None
    run_simple('127.0.0.1', port, app, threaded=True)


# Load -----------------------------------------------------------------------

def _client(port, paths, start, warmup, stop, seed, results):
    rng = random.Random(seed)
    latencies, errors = [], 0
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    while True:
        now = time.perf_counter()
        if now >= stop:
            break
        path = rng.choice(paths)
        began = time.perf_counter()
        try:
            connection.request('GET', path)
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
            if response.getheader('Connection', '').lower() == 'close':
                connection.close()
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection('127.0.0.1', port,
                timeout=30)
        ended = time.perf_counter()
        if began >= start + warmup:
            if ok:
                latencies.append(ended - began)
            else:
                errors += 1
    connection.close()
    results.append((latencies, errors))


def _load_process(port, paths, clients, start, warmup, stop, seed, queue):
    results, threads = [], []
    for index in range(clients):
        thread = threading.Thread(target=_client, args=(port, paths, start,
                warmup, stop, seed * 1000 + index, results))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    latencies = [x for r in results for x in r[0]]
    queue.put((latencies, sum(r[1] for r in results)))


async def _aclient(port, paths, start, warmup, stop, rng, latencies,
        errors):
    import asyncio
    loop = asyncio.get_running_loop()
    reader = writer = None
    while True:
        if loop.time() >= stop:
            break
        if writer is None:
            reader, writer = await asyncio.open_connection('127.0.0.1', port)
        path = rng.choice(paths)
        began = loop.time()
        try:
            writer.write(f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n'
                '\r\n'.encode())
            head = await reader.readuntil(b'\r\n\r\n')
            status = int(head[9:12])
            length = 0
            close = False
            for line in head.split(b'\r\n')[1:]:
                name, _, value = line.partition(b':')
                name = name.strip().lower()
                if name == b'content-length':
                    length = int(value)
                elif name == b'connection' and value.strip().lower() == (
                        b'close'):
                    close = True
            await reader.readexactly(length)
            ok = status == 200
        except (OSError, asyncio.IncompleteReadError, ValueError):
            ok, close = False, True
        ended = loop.time()
        if close:
            writer.close()
            writer = None
        if began >= start + warmup:
            if ok:
                latencies.append(ended - began)
            else:
                errors.append(1)
    if writer is not None:
        writer.close()


def _aload_process(port, paths, clients, start, warmup, stop, seed, queue):
    "Clients as asyncio tasks: far less CPU than threads + http.client"
    import asyncio

    async def run():
        loop = asyncio.get_running_loop()
        # perf_counter instants -> this loop's clock
        offset = loop.time() - time.perf_counter()
        latencies, errors = [], []
        await asyncio.gather(*[_aclient(port, paths, start + offset,
                    warmup, stop + offset, random.Random(seed * 1000 + i),
                    latencies, errors) for i in range(clients)])
        return latencies, len(errors)
    queue.put(asyncio.run(run()))


def load(port, paths, clients, duration, warmup, processes, kind='asyncio'):
    "Closed-loop load: `clients` keep-alive clients for `duration` seconds"
    queue = multiprocessing.Queue()
    start = time.perf_counter() + 0.5
    stop = start + warmup + duration
    per_process = [clients // processes + (1 if i < clients % processes
            else 0) for i in range(processes)]
    target = _aload_process if kind == 'asyncio' else _load_process
    workers = [multiprocessing.Process(target=target, args=(port,
                paths, count, start, warmup, stop, i + 1, queue))
        for i, count in enumerate(per_process) if count]
    for worker in workers:
        worker.start()
    latencies, errors = [], 0
    for _ in workers:
        chunk, failed = queue.get()
        latencies.extend(chunk)
        errors += failed
    for worker in workers:
        worker.join()
    return summary(latencies, errors, duration)


def percentile(values, fraction):
    if not values:
        return float('nan')
    index = min(len(values) - 1, max(0, int(round(fraction * len(values)
                        + 0.5)) - 1))
    return values[index]


def summary(latencies, errors, duration):
    latencies.sort()
    return {
        'requests': len(latencies),
        'errors': errors,
        'throughput': len(latencies) / duration,
        'p50': percentile(latencies, 0.50) * 1000,
        'p90': percentile(latencies, 0.90) * 1000,
        'p99': percentile(latencies, 0.99) * 1000,
        'max': (latencies[-1] * 1000) if latencies else float('nan'),
        'mean': (statistics.fmean(latencies) * 1000) if latencies
        else float('nan'),
        }


def mixed_paths(specialties):
    paths = ['/vacancies'] * 10
    paths += [f'/vacancies?page={n}' for n in range(2, 8)]
    paths += [f'/vacancies?district={d}' for d in sorted(set(DISTRICTS))]
    paths += [f'/vacancies?salary={s}' for s in [30000, 50000, 70000]]
    paths += [f'/vacancies?specialty={s}' for s in specialties[:10]]
    paths += ['/vacancies?students=1&sort=salary',
        '/vacancies?q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA']
    return paths


def row(label, result):
    return (f"  {label:<34} {result['throughput']:8.0f} {result['p50']:8.1f} "
        f"{result['p90']:8.1f} {result['p99']:8.1f} {result['max']:8.1f} "
        f"{result['requests']:9d} {result['errors']:7d}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--database', '-d')
    parser.add_argument('--config', '-c',
        help="copp.conf (default: COPP_CONFIG or the repository's)")
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--duration', type=float, default=20.0)
    parser.add_argument('--warmup', type=float, default=3.0)
    parser.add_argument('--vacancies', type=int, default=2000)
    parser.add_argument('--server', choices=['gunicorn', 'werkzeug'],
        default='gunicorn')
    parser.add_argument('--workers', type=int, default=2,
        help="gunicorn worker processes (default 2, one per core)")
    parser.add_argument('--threads', type=int, default=8,
        help="threads per gunicorn worker")
    parser.add_argument('--load-processes', type=int, default=1,
        help="processes of the load generator (the clients share them)")
    parser.add_argument('--client', choices=['asyncio', 'threads'],
        default='asyncio', help="the load generator's clients: asyncio "
        "tasks (default, cheap) or threads with http.client")
    parser.add_argument('--no-microcache', action='store_true',
        help="serve every request through a transaction "
        "([copp] public_cache_seconds = 0)")
    parser.add_argument('--cleanup', action='store_true',
        help="delete the vacancies this script added")
    parser.add_argument('--serve', help=argparse.SUPPRESS)
    parser.add_argument('--port', type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args.serve, args.port)
    if not args.database:
        parser.error("--database is required")

    sys.path.insert(0, str(REPO / 'addons'))
    from copp.cli.config import Settings
    settings = Settings(args.config, args.database)
    runtime = settings.apply()
    from trytond import config
    config.set('copp', 'database', settings.database)
    print(f"База «{settings.database}» ({settings.backend}); готовлю "
        f"вакансии…", flush=True)
    published, added, specialties = prepare(settings, args.vacancies)
    print(f"  опубликовано вакансий: {published} (добавлено сейчас: {added})")

    print(f"Сервер: {args.server}"
        + (f" ({args.workers} процесса × {args.threads} потоков, gthread)"
            if args.server == 'gunicorn' else " (run_simple, threaded)")
        + f"; {args.clients} клиентов keep-alive, {args.duration:.0f} с "
        f"после прогрева {args.warmup:.0f} с; {os.cpu_count()} ядра на всё.",
        flush=True)
    results = []
    for label, app, paths in [
            ("голая WSGI-страница", 'bare_app', ['/']),
            ("/vacancies", 'portal_app', ['/vacancies']),
            ("/vacancies: фильтры и страницы", 'portal_app',
                mixed_paths(specialties)),
            ]:
        port = free_port()
        process = start_server(args.server, app, port, runtime,
            settings.database, args.workers, args.threads,
            microcache=not args.no_microcache)
        try:
            if app == 'portal_app':
                # Warm the caches of every worker and page.
                for path in paths * 4:
                    urllib.request.urlopen(
                        f'http://127.0.0.1:{port}{path}').read()
            result = load(port, paths, args.clients, args.duration,
                args.warmup, args.load_processes, args.client)
        finally:
            stop_server(process)
        results.append((label, result))
        print(row(label, result), flush=True)

    print()
    print(f"  {'':<34} {'запр/с':>8} {'p50 мс':>8} {'p90 мс':>8} "
        f"{'p99 мс':>8} {'max мс':>8} {'запросов':>9} {'ошибок':>7}")
    for label, result in results:
        print(row(label, result))
    bare = results[0][1]
    page = results[1][1]
    print()
    print(f"  /vacancies: p99 {page['p99']:.1f} мс (цель ≤ 100 мс — "
        + ("выполнена" if page['p99'] <= 100 and not page['errors']
            else "НЕ выполнена")
        + f"); пропускная способность {page['throughput']:.0f} запр/с = "
        f"{page['throughput'] / bare['throughput'] * 100:.0f}% от голой "
        "WSGI-страницы")
    if args.cleanup and added:
        print(f"  удалено добавленных вакансий: {cleanup(settings)}")
    return 0 if page['p99'] <= 100 and not page['errors'] else 1


if __name__ == '__main__':
    sys.exit(main())
