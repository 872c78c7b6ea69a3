"""What the benchmarks of public pages share (vacancies_page.py,
catalogue_page.py): for `copp bench`, a client of trytond's WSGI
application that requests a page with its caches emptied; under load, a
multi-threaded server of that application or of a bare WSGI page on
loopback, closed-loop keep-alive clients, percentiles, and the command line
and report of such a benchmark (arguments, settings_of, measure, verdict).

The leading underscore keeps this module out of `copp bench`'s list.

gunicorn loads "_load:portal_app" or "_load:bare_app" in each worker;
`python scripts/bench/_load.py APP PORT` serves one of them on werkzeug's
threaded run_simple (--server werkzeug)."""
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
BARE_BODY = ('<!doctype html><html lang="ru"><head><meta charset="utf-8">'
    '<title>Bare</title></head><body><h1>Страница</h1><p>'
    + 'Голая WSGI-страница для сравнения. ' * 20
    + '</p></body></html>').encode('utf-8')


# The WSGI applications -----------------------------------------------------

def bare_app(environ, start_response):
    "The baseline: a WSGI page that does nothing"
    start_response('200 OK', [
            ('Content-Type', 'text/html; charset=utf-8'),
            ('Content-Length', str(len(BARE_BODY))),
            ])
    return [BARE_BODY]


def __getattr__(name):
    # gunicorn loads "_load:portal_app" in each worker before its threads
    # start, as trytond.application requires.
    if name == 'portal_app':
        from trytond.application import app
        return app
    raise AttributeError(name)


# In process (`copp bench`) -------------------------------------------------

def portal_client(database):
    "A test client of trytond's WSGI application, without the micro-cache"
    from werkzeug.test import Client

    from trytond import config
    from trytond.protocols.wrappers import Response
    from trytond.wsgi import app
    config.set('copp', 'database', database)
    config.set('copp', 'public_cache_seconds', '0')
    return Client(app, Response)


def get_uncached(ctx, state, path, marker):
    """GET `path` with state['portal'] once state['cache'] (a trytond Cache
    of the page) is emptied: every query and template runs"""
    state['cache']._clear(ctx.settings.database)
    response = state['portal'].get(path)
    assert response.status_code == 200, response.status
    assert marker in response.get_data(as_text=True)


# Server ---------------------------------------------------------------------

def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def start_server(kind, app, port, runtime, database, workers, threads,
        microcache=True, probe='/'):
    """Serve `app` ('portal_app' or 'bare_app') on 127.0.0.1:port; returns
    the process once `probe` answers"""
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
            f'_load:{app}']
    else:
        args = [sys.executable, str(Path(__file__)), app, str(port)]
    process = subprocess.Popen(args, env=env, cwd=str(REPO),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    path = probe if app == 'portal_app' else '/'
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


def row(label, result):
    return (f"  {label:<34} {result['throughput']:8.0f} {result['p50']:8.1f} "
        f"{result['p90']:8.1f} {result['p99']:8.1f} {result['max']:8.1f} "
        f"{result['requests']:9d} {result['errors']:7d}")


# The command line of a benchmark under load ---------------------------------

def arguments(description, records, default, what):
    """The options of a benchmark under load; `records`: the option of the
    number of records it makes sure of (--vacancies, --programs…)"""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--database', '-d')
    parser.add_argument('--config', '-c',
        help="copp.conf (default: COPP_CONFIG or the repository's)")
    parser.add_argument('--clients', type=int, default=50)
    parser.add_argument('--duration', type=float, default=20.0)
    parser.add_argument('--warmup', type=float, default=3.0)
    parser.add_argument(f'--{records}', type=int, default=default,
        help=f"{what} the database must have (default {default})")
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
        help="delete the records this script added")
    return parser


def settings_of(parser, args):
    "The Settings of the database and the runtime configuration's path"
    if not args.database:
        parser.error("--database is required")
    sys.path.insert(0, str(REPO / 'addons'))
    from copp.cli.config import Settings
    settings = Settings(args.config, args.database)
    runtime = settings.apply()
    from trytond import config
    config.set('copp', 'database', settings.database)
    return settings, runtime


def measure(args, settings, runtime, pages):
    """Load the bare WSGI page then each of `pages` [(label, paths)] served
    by trytond's application; returns [(label, result)], the bare first"""
    print(f"Сервер: {args.server}"
        + (f" ({args.workers} процесса × {args.threads} потоков, gthread)"
            if args.server == 'gunicorn' else " (run_simple, threaded)")
        + f"; {args.clients} клиентов keep-alive, {args.duration:.0f} с "
        f"после прогрева {args.warmup:.0f} с; {os.cpu_count()} ядра на всё.",
        flush=True)
    results = []
    for label, app, paths in [("голая WSGI-страница", 'bare_app', ['/'])] + [
            (label, 'portal_app', paths) for label, paths in pages]:
        port = free_port()
        process = start_server(args.server, app, port, runtime,
            settings.database, args.workers, args.threads,
            microcache=not args.no_microcache, probe=paths[0])
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
    return results


def verdict(results, goal_ms=100, goal_share=None):
    """Print the goal of each page (p99 ≤ goal_ms without errors, and its
    throughput ≥ goal_share of the bare page's when given); True if met"""
    bare = results[0][1]
    met = True
    print()
    for label, page in results[1:]:
        share = page['throughput'] / bare['throughput']
        ok = page['p99'] <= goal_ms and not page['errors'] and (
            goal_share is None or share >= goal_share)
        met &= ok
        goal = f"p99 ≤ {goal_ms} мс" + (f", ≥ {goal_share:g}× голой"
            if goal_share is not None else '')
        print(f"  {label}: p99 {page['p99']:.1f} мс, "
            f"{page['throughput']:.0f} запр/с = {share:.2f}× голой "
            f"WSGI-страницы (цель {goal} — "
            + ("выполнена" if ok else "НЕ выполнена") + ")")
    return met


if __name__ == '__main__':
    serve(sys.argv[1], int(sys.argv[2]))
