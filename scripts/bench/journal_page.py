"""The teacher's journal page of a group × discipline × month.

Measured: GET /<db>/journal/<load>?month=… through trytond's WSGI app
in-process, as prep1 with his back-office session: session check,
transaction, access to the teaching load, the grid (lessons, students,
marks, absences, totals), the HTML page. Baseline: the same data read with
hand-written SQL in a transaction of its own (no session, no HTML).
"""
import datetime as dt

from copp_journal.benchtools import (
    busiest_workload, client, in_thread, teacher_session)

DESCRIPTION = ("страница журнала группа × дисциплина × месяц (HTTP-маршрут "
    "целиком) против чтения тех же данных SQL")
GOAL_SECONDS = 0.05

BASELINE = [
    'SELECT id, date, pair, hours, kind, topic, homework '
    'FROM copp_journal_lesson WHERE workload = {p} AND date >= {p} '
    'AND date < {p} ORDER BY date, pair, id',
    'SELECT s.id, p.name, s.record_book FROM copp_student AS s '
    'JOIN party_party AS p ON p.id = s.party WHERE s."group" = {p} '
    "AND s.state IN ('studying', 'academic_leave') ORDER BY p.name",
    'SELECT m.lesson, m.student, m.value FROM copp_journal_mark AS m '
    'JOIN copp_journal_lesson AS l ON l.id = m.lesson '
    'WHERE l.workload = {p} AND l.date >= {p} AND l.date < {p}',
    'SELECT a.lesson, a.student, a.kind, a.reason '
    'FROM copp_journal_absence AS a '
    'JOIN copp_journal_lesson AS l ON l.id = a.lesson '
    'WHERE l.workload = {p} AND l.date >= {p} AND l.date < {p}',
    ]


def setup(ctx):
    database = ctx.settings.database
    user_id, headers = teacher_session(database)
    workload, month, lessons = busiest_workload(ctx, user_id)
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    print(f"Журнал: {workload.rec_name}, {month:%m.%Y}, занятий "
        f"{len(lessons)}, студентов {workload.group.student_count}")
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    return {
        'client': client(),
        'url': f'/{database}/journal/{workload.id}?month={month:%Y-%m}',
        'headers': headers,
        'database': database,
        'queries': [q.format(p=param) for q in BASELINE],
        'params': [(workload.id, month, end), (workload.group.id,),
            (workload.id, month, end), (workload.id, month, end)],
        }


def measured(ctx, state):
    response = in_thread(state['client'].get, state['url'],
        headers=state['headers'])
    assert response.status_code == 200, response.status_code


def _baseline(database, queries, params):
    from trytond.transaction import Transaction
    with Transaction().start(database, 0, readonly=True) as transaction:
        cursor = transaction.connection.cursor()
        for query, args in zip(queries, params):
            cursor.execute(query, args)
            cursor.fetchall()


def baseline(ctx, state):
    in_thread(_baseline, state['database'], state['queries'],
        state['params'])
