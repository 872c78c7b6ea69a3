"""Helpers of the journal page benchmarks (scripts/bench/journal_page.py,
journal_cell.py): the HTTP routes of trytond are
called in-process (werkzeug test client) from a worker thread, which has
its own transactions, exactly as a request of the server: session check,
transaction, handler, commit. (The runner's own transaction stays open in
the main thread.)"""
import base64
from concurrent.futures import ThreadPoolExecutor

LOGIN, PASSWORD = 'prep1', 'prep1-demo-2026'
executor = ThreadPoolExecutor(max_workers=1)


def in_thread(func, *args, **kwargs):
    return executor.submit(func, *args, **kwargs).result()


def client():
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    from trytond.wsgi import app
    return Client(app, Response)


def teacher_session(database):
    "Headers of a back-office session of prep1 (a committed ir.session)"
    from trytond import security

    from copp_journal.journal import csrf_token
    user_id, key = in_thread(security.login, database, LOGIN,
        {'password': PASSWORD}, context={'_request': {}})
    token = base64.b64encode(f'{LOGIN}:{user_id}:{key}'.encode()).decode()
    return user_id, {
        'Authorization': f'Session {token}',
        'Origin': 'http://localhost',
        'X-CSRF-Token': csrf_token(key, user_id),
        }


def busiest_workload(ctx, user_id):
    """prep1's teaching load with the most lessons held this month, the
    month, and its lessons held so far"""
    pool = ctx.pool
    User = pool.get('res.user')
    Workload = pool.get('copp.journal.workload')
    Lesson = pool.get('copp.journal.lesson')
    Date = pool.get('ir.date')
    today = Date.today()
    month = today.replace(day=1)
    user = User(user_id)
    workloads = Workload.search([('teacher', '=', user.employee.id)])
    best = None
    for workload in workloads:
        lessons = Lesson.search([('workload', '=', workload.id),
                ('date', '>=', month), ('date', '<=', today)],
            order=[('date', 'ASC'), ('pair', 'ASC')])
        if lessons and (best is None or len(lessons) > len(best[1])):
            best = (workload, lessons)
    if not best:
        raise SystemExit("У prep1 нет занятий в этом месяце: copp demo")
    return best[0], month, best[1]
