#!/usr/bin/env python3
"""500 learners submitting a 20-question quiz at once (issue 18).

    copp -d <db> bench quiz_submit
    python scripts/bench/quiz_submit.py --database <db> [--learners 500
        --questions 20 --think 3.0 --workers 2 --threads 8] [--cleanup]

The goal: p99 ≤ 200 ms per answer save (POST
/cabinet/quiz/attempts/<id>/save, the JSON request quiz.js sends as soon as
a question is answered), and the ratio to the same writes in plain SQL
reported.

In process (`copp bench quiz_submit`, the runner of copp/cli/bench.py: one
transaction rolled back at the end): setup builds a cohort of 500 learners
(their files, copp.student, and copp.training.learner), a quiz of 20
single-choice questions (3 answers each), a published course enrolled for
the cohort whose lesson is the quiz, and starts the 500 attempts (not
measured). `measured` is one Attempt.save_answer of the next learner's
next question (round-robin over the learners, then the questions; the
response alternates between two answers, so a save is never 'unchanged'),
on fresh records as a request has them; `baseline` is the same single-row
UPDATE of copp_quiz_attempt_question (response, write_uid, write_date) in
SQL. GOAL_RATIO: see below.

The «[bench]» data (the world, the sessions and attempts of a load run,
the cleanup) is made by _quiz_data.py.

Under load (`python scripts/bench/quiz_submit.py`):
1. prepares, committed, a cohort of --learners (500) learners with portal
   accounts (web.user `quiz-bench-N@copp.invalid`, e-mail confirmed), the
   quiz of --questions (20) single-choice questions and its course
   (everything named or placed «[bench]»; kept for the next runs, --cleanup
   removes it all at the end, --cleanup-only does nothing else); each run
   opens a new session per account and starts a new attempt per learner
   (the previous bench attempts are deleted);
2. serves trytond's WSGI application on loopback with gunicorn gthread
   (--workers × --threads), as scripts/bench/_load.py does for the public
   pages;
3. each learner is an asyncio client with its keep-alive connection, its
   session cookie and the CSRF header; all of them start at the same
   instant and POST their answers one by one as JSON (a random answer of
   each question, in order); between two answers a learner waits a think
   time drawn uniformly in [0, 2 × --think]:
   - --think 3 (default, a mean of 3 s): 500 learners answering as in a
     class taking the test together, ≈ 170 saves/s once spread out; the
     first answers all arrive in the same instant (the start of the test
     in the classroom) and the random think times spread the next ones;
   - --think 0: every learner posts its next answer as soon as the
     previous one is saved (closed loop, 500 requests always waiting): the
     server's capacity, the worst case, not a real class;
4. prints p50/p90/p99/max latency of a save, saves/s, the errors (any
   answer other than 200 {"status": "saved"}, by status), the first
   answers (the burst) and the others on their own, and checks in SQL that
   every attempt has all its responses saved as sent;
5. the baseline of the same run: the same number of single-row UPDATEs of
   the same rows (the same responses), each in its own transaction
   (UPDATE + COMMIT), from a pool of --workers × --threads connections
   (the server's concurrency), as fast as they go: per-save time and the
   total; the ratio of the HTTP p50 to the SQL per-save p50, and of the
   throughputs;
6. the verdict: p99 ≤ 200 ms without errors.
"""
import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
import _load  # noqa: E402
from _quiz_data import (  # noqa: E402
    USER_AGENT, build_world, cleanup, prepare, start_attempts)

LEARNERS, QUESTIONS = 500, 20
GOAL_MS = 200

DESCRIPTION = ("сохранение одного ответа теста (Attempt.save_answer: "
    "чтение вопроса попытки и попытки через ORM, проверка, один UPDATE с "
    "условием на состояние и срок попытки) в потоке из 500 слушателей и "
    "теста из 20 вопросов против того же UPDATE одной строки на SQL; "
    "нагрузочный вариант (500 слушателей разом, p99 ≤ 200 мс): "
    "python scripts/bench/quiz_submit.py --database <db>")
# One save through save_answer is 4 statements where SQL needs 1: the ORM
# reads of the attempt question and of the attempt (with its college: the
# learner field's context depends on Attempt.company, one light query),
# and the guarded UPDATE of Attempt.write_response (no check of the ids,
# no re-read). The two record reads of the ORM make most of the time.
# 15× allows that and no more: a save that read the other questions of
# the attempt or wrote more than its row (what README promises it does
# not do) would be far beyond. The cabinet's JSON route does not read
# records at all (see copp_quiz/routes.py): the load run measures it.
GOAL_RATIO = 15
# The absolute budget of one save in process (the rest of the 200 ms of the
# issue is the request: session, CSRF, transaction, queueing under load).
GOAL_SECONDS = 0.02


# The in-process variant for `copp bench quiz_submit` ------------------------

def setup(ctx):
    from trytond.pool import Pool
    today = Pool().get('ir.date').today()
    began = time.perf_counter()
    course, lesson, quiz, parties = build_world(LEARNERS, QUESTIONS, today)
    built = time.perf_counter()
    attempts = start_attempts(lesson, quiz, parties, dt.datetime.now())
    started = time.perf_counter()
    print(f"Подготовка (не измеряется): {LEARNERS} слушателей, тест из "
        f"{QUESTIONS} вопросов, курс — {built - began:.1f} с; "
        f"{len(attempts)} попыток начаты — {started - built:.1f} с "
        f"({(started - built) / len(attempts) * 1000:.1f} мс на попытку)")
    return {'attempts': attempts, 'measured': 0, 'baseline': 0}


def _next(state, name):
    "(attempt id, attempt question id, answer id) of the next save"
    attempts = state['attempts']
    index = state[name]
    state[name] += 1
    learner = index % len(attempts)
    rest = index // len(attempts)
    attempt_id, questions = attempts[learner]
    question_id, answers = questions[rest % len(questions)]
    # measured and baseline write different answers, and each round over
    # the rows the other one: a save is never 'unchanged'
    turn = rest // len(questions) + (name == 'baseline')
    return attempt_id, question_id, answers[turn % 2]


def measured(ctx, state):
    Attempt = ctx.pool.get('copp.quiz.attempt')
    Question = ctx.pool.get('copp.quiz.attempt.question')
    attempt_id, question_id, answer = _next(state, 'measured')
    # Fresh records, as a request reads them
    ctx.transaction.cache.clear()
    status = Attempt.save_answer(Attempt(attempt_id), Question(question_id),
        answer)
    assert status == 'saved', status


def baseline(ctx, state):
    from sql import Table
    _, question_id, answer = _next(state, 'baseline')
    table = Table('copp_quiz_attempt_question')
    ctx.cursor.execute(*table.update(
            [table.response, table.write_uid, table.write_date],
            [json.dumps(answer), 0, dt.datetime.now()],
            where=table.id == question_id))


# The load variant: the responses in SQL ----------------------------------

def verify(settings, quiz_id, sent):
    """{attempt: {question: response}} of the bench attempts in SQL
    against `sent` {(attempt, question): response}"""
    database = _database(settings)
    connection = database.get_connection()
    try:
        cursor = connection.cursor()
        cursor.execute('SELECT q.attempt, q.id, q.response '
            'FROM copp_quiz_attempt_question AS q '
            'JOIN copp_quiz_attempt AS a ON a.id = q.attempt '
            'WHERE a.quiz = %s', (quiz_id,))
        rows = cursor.fetchall()
        connection.rollback()
    finally:
        database.put_connection(connection)
    answered = collections.Counter()
    questions = collections.Counter()
    equal = 0
    for attempt, question, response in rows:
        questions[attempt] += 1
        if response is not None:
            answered[attempt] += 1
        if sent.get((attempt, question)) == response:
            equal += 1
    complete = sum(1 for a, n in questions.items() if answered[a] == n)
    return {'attempts': len(questions), 'complete': complete,
        'rows': len(rows), 'answered': sum(answered.values()),
        'equal': equal}


# The load variant: HTTP clients -------------------------------------------

async def _read_response(reader):
    "(status, body) of one HTTP/1.1 response, and whether to close"
    head = await reader.readuntil(b'\r\n\r\n')
    status = int(head[9:12])
    length, chunked, close = 0, False, False
    for line in head.split(b'\r\n')[1:]:
        name, _, value = line.partition(b':')
        name, value = name.strip().lower(), value.strip().lower()
        if name == b'content-length':
            length = int(value)
        elif name == b'transfer-encoding' and b'chunked' in value:
            chunked = True
        elif name == b'connection' and value == b'close':
            close = True
    if not chunked:
        return status, await reader.readexactly(length), close
    body = b''
    while True:
        size = int((await reader.readuntil(b'\r\n')).split(b';')[0], 16)
        body += await reader.readexactly(size + 2)
        if not size:
            return status, body, close


async def _learner(port, client, start, think, rng, latencies, first,
        later, errors, sent):
    loop = asyncio.get_running_loop()
    attempt_id, key, token, questions = client
    path = f'/cabinet/quiz/attempts/{attempt_id}/save'
    head = (f'POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n'
        'Content-Type: application/json\r\nAccept: application/json\r\n'
        f'User-Agent: {USER_AGENT}\r\n'
        f'Cookie: copp_session={key}\r\nX-CSRF-Token: {token}\r\n')
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    await asyncio.sleep(max(0, start - loop.time()))
    for number, (question_id, answers) in enumerate(questions):
        if number and think:
            await asyncio.sleep(rng.uniform(0, 2 * think))
        answer = rng.choice(answers)
        body = json.dumps({'question': question_id,
                'values': {f'q{question_id}': [str(answer)]}}).encode()
        request = (head + f'Content-Length: {len(body)}\r\n\r\n').encode() \
            + body
        began = loop.time()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection('127.0.0.1',
                    port)
            writer.write(request)
            status, data, close = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            status, data, close = type(exc).__name__, b'', True
        ended = loop.time()
        if close and writer is not None:
            writer.close()
            writer = None
        if status == 200 and b'"saved"' in data:
            latencies.append(ended - began)
            (later if number else first).append(ended - began)
            sent[(attempt_id, question_id)] = json.dumps(answer)
        else:
            label = status
            if status == 200:
                label = f"200 {data.decode(errors='replace')[:40]}"
            errors[label] += 1
    if writer is not None:
        writer.close()


async def _run_learners(port, clients, think, seed):
    loop = asyncio.get_running_loop()
    latencies, first, later, sent = [], [], [], {}
    errors = collections.Counter()
    # Every connection opened first; then all begin at the same instant.
    start = loop.time() + 2.0
    tasks = [asyncio.create_task(_learner(port, client, start, think,
                random.Random(seed * 100000 + i), latencies, first, later,
                errors, sent)) for i, client in enumerate(clients)]
    await asyncio.gather(*tasks)
    ended = loop.time()
    return latencies, first, later, errors, sent, ended - start


def _warm(port, clients, count=24):
    """Requests through the save route that change nothing (a question of
    another attempt: 404), on new connections to reach every worker and
    thread: the pool, the models, the session and CSRF code are loaded"""
    import http.client
    statuses = collections.Counter()
    for i in range(count):
        attempt_id, key, token, questions = clients[i % len(clients)]
        other = clients[(i + 1) % len(clients)][3][0][0]
        connection = http.client.HTTPConnection('127.0.0.1', port,
            timeout=60)
        connection.request('POST', f'/cabinet/quiz/attempts/{attempt_id}/'
            'save', body=json.dumps({'question': other, 'values': {}}),
            headers={'Content-Type': 'application/json',
                'Cookie': f'copp_session={key}', 'X-CSRF-Token': token})
        response = connection.getresponse()
        response.read()
        statuses[response.status] += 1
        connection.close()
    return statuses


# The load variant: the SQL baseline ----------------------------------------

def _database(settings):
    from trytond import backend
    return backend.Database(settings.database).connect()


def sql_baseline(settings, writes, concurrency):
    """`writes` [(attempt question id, response)] as single-row UPDATEs,
    each in its own transaction, from `concurrency` connections; returns
    (per-save times, wall time)"""
    database = _database(settings)
    queue = collections.deque(writes)
    lock = threading.Lock()
    times = []
    sql = ('UPDATE copp_quiz_attempt_question SET response = %s, '
        'write_uid = %s, write_date = %s WHERE id = %s')
    connections = [database.get_connection()
        for _ in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)

    def worker(connection):
        cursor = connection.cursor()
        local = []
        barrier.wait()
        while True:
            with lock:
                if not queue:
                    break
                question_id, response = queue.popleft()
            began = time.perf_counter()
            cursor.execute(sql, (response, 0, dt.datetime.now(),
                    question_id))
            connection.commit()
            local.append(time.perf_counter() - began)
        with lock:
            times.extend(local)

    threads = [threading.Thread(target=worker, args=(c,))
        for c in connections]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    for connection in connections:
        database.put_connection(connection)
    return times, wall


# The load variant: the command line ------------------------------------------

def _stats(values):
    values = sorted(values)
    pct = _load.percentile
    return {'n': len(values), 'p50': pct(values, 0.5) * 1000,
        'p90': pct(values, 0.9) * 1000, 'p99': pct(values, 0.99) * 1000,
        'max': values[-1] * 1000 if values else float('nan'),
        'mean': statistics.fmean(values) * 1000 if values
        else float('nan')}


def _line(label, stats, rate=None):
    return (f"  {label:<30} {rate if rate is not None else float('nan'):8.0f}"
        f" {stats['p50']:8.1f} {stats['p90']:8.1f} {stats['p99']:8.1f} "
        f"{stats['max']:8.1f} {stats['n']:8d}")


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0])
    parser.add_argument('--database', '-d')
    parser.add_argument('--config', '-c',
        help="copp.conf (default: COPP_CONFIG or the repository's)")
    parser.add_argument('--learners', type=int, default=LEARNERS)
    parser.add_argument('--questions', type=int, default=QUESTIONS)
    parser.add_argument('--think', type=float, default=3.0,
        help="mean think time between two answers of a learner, s "
        "(uniform in [0, 2 × think]; 0: no pause, the worst case)")
    parser.add_argument('--workers', type=int, default=2,
        help="gunicorn worker processes (default 2, one per core)")
    parser.add_argument('--threads', type=int, default=8,
        help="threads per gunicorn worker")
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--cleanup', action='store_true',
        help="delete every «[bench]» record of this benchmark at the end")
    parser.add_argument('--cleanup-only', action='store_true',
        help="delete them and measure nothing")
    return parser


def main(argv=None):
    parser = arguments()
    args = parser.parse_args(argv)
    args.server = 'gunicorn'
    settings, runtime = _load.settings_of(parser, args)
    if args.cleanup_only:
        counts = cleanup(settings)
        print("Удалено «[bench]»: " + ', '.join(f"{k}: {v}"
                for k, v in counts.items()))
        return 0
    print(f"База «{settings.database}» ({settings.backend}); готовлю "
        f"{args.learners} слушателей и тест из {args.questions} "
        "вопросов…", flush=True)
    data = prepare(settings, args.learners, args.questions)
    clients = data['clients']
    print("  " + ("мир «[bench]» построен" if data['made']
            else "мир «[bench]» уже был") + "; " + ', '.join(
            f"{name} {value:.1f} с" for name, value in
            data['seconds'].items()), flush=True)

    concurrency = args.workers * args.threads
    port = _load.free_port()
    process = _load.start_server('gunicorn', 'portal_app', port, runtime,
        settings.database, args.workers, args.threads,
        probe='/cabinet/login')
    try:
        warm = _warm(port, clients)
        think = (f"раздумье U[0, {2 * args.think:g}] с (в среднем "
            f"{args.think:g} с)" if args.think else "без раздумья")
        print(f"Сервер: gunicorn {args.workers} × {args.threads} потоков "
            f"(gthread); прогрев: {dict(warm)}; {len(clients)} слушателей "
            f"разом × {args.questions} ответов, {think}; "
            f"{os.cpu_count()} ядра на всё.", flush=True)
        latencies, first, later, errors, sent, wall = asyncio.run(
            _run_learners(port, clients, args.think, args.seed))
    finally:
        _load.stop_server(process)
    http_stats = _stats(latencies)
    first_stats = _stats(first)
    later_stats = _stats(later)
    total = len(latencies) + sum(errors.values())
    rate = len(latencies) / wall

    check = verify(settings, data['quiz'], sent)
    writes = sorted(sent.items())
    times, sql_wall = sql_baseline(settings,
        [(question, response) for (_, question), response in writes],
        concurrency)
    sql_stats = _stats(times)
    sql_rate = len(times) / sql_wall

    print()
    print(f"  {'':<30} {'сохр/с':>8} {'p50 мс':>8} {'p90 мс':>8} "
        f"{'p99 мс':>8} {'max мс':>8} {'число':>8}")
    print(_line("HTTP: сохранение ответа", http_stats, rate))
    print(_line("  из них первые ответы", first_stats))
    print(_line("  из них остальные", later_stats))
    print(_line(f"SQL: UPDATE+COMMIT, {concurrency} соед.", sql_stats,
            sql_rate))
    print()
    print(f"  HTTP: {total} запросов за {wall:.1f} с, ошибок "
        f"{sum(errors.values())}" + (" (" + ', '.join(f"{k}: {v}"
                for k, v in sorted(errors.items(), key=str)) + ")"
            if errors else ''))
    print(f"  Проверка в SQL: попыток {check['attempts']}, со всеми "
        f"ответами {check['complete']}; ответов сохранено "
        f"{check['answered']} из {check['rows']}, равных отправленным "
        f"{check['equal']} (ожидалось {args.learners * args.questions})")
    print(f"  SQL: {len(times)} UPDATE за {sql_wall:.2f} с")
    ratio = (http_stats['p50'] / sql_stats['p50'] if sql_stats['p50']
        else float('inf'))
    print(f"  Отношение HTTP/SQL: p50 на сохранение {ratio:.1f}× "
        f"({http_stats['p50']:.1f} / {sql_stats['p50']:.2f} мс); "
        f"пропускная способность SQL/HTTP {sql_rate / rate:.1f}× "
        f"({sql_rate:.0f} / {rate:.0f} сохр/с"
        + (", HTTP ограничен темпом слушателей" if args.think else '')
        + ")")
    ok = (http_stats['p99'] <= GOAL_MS and not errors
        and check['equal'] == args.learners * args.questions)
    print(f"  Цель p99 ≤ {GOAL_MS} мс без ошибок: p99 "
        f"{http_stats['p99']:.1f} мс — "
        + ("выполнена" if ok else "НЕ выполнена"))
    if args.cleanup:
        counts = cleanup(settings)
        print("  удалено «[bench]»: " + ', '.join(f"{k}: {v}"
                for k, v in counts.items()))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
