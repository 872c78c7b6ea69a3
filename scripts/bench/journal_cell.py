"""Saving a cell of the teacher's journal page.

Measured: POST /<db>/journal/<load>/cell through trytond's WSGI app
in-process, as prep1 with his session and CSRF token: session check,
transaction, access rights and record rules, closed-period checks, the ORM
write of the mark, the student's totals, commit. The value alternates
between «5» and «4» in a cell of a lesson held this month (the last value
written stays in the demo database). Baseline: the same UPDATE with
hand-written SQL in a committed transaction of its own.
"""
from copp_journal.benchtools import (
    busiest_workload, client, in_thread, teacher_session)

DESCRIPTION = ("сохранение клетки журнала (HTTP-маршрут с правами и "
    "проверками) против UPDATE на SQL")
GOAL_SECONDS = 0.02


def setup(ctx):
    database = ctx.settings.database
    user_id, headers = teacher_session(database)
    workload, month, lessons = busiest_workload(ctx, user_id)
    Student = ctx.pool.get('copp.student')
    students = Student.search([('group', '=', workload.group.id),
            ('state', '=', 'studying')], limit=1)
    lesson = lessons[-1]
    print(f"Клетка: {workload.rec_name}, занятие {lesson.date:%d.%m.%Y}, "
        f"{students[0].rec_name}")
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    return {
        'client': client(),
        'url': f'/{database}/journal/{workload.id}/cell',
        'headers': headers,
        'database': database,
        'lesson': lesson.id,
        'student': students[0].id,
        'values': ['5', '4'],
        'count': 0,
        'sql': ('UPDATE copp_journal_mark SET value = {p} '
            'WHERE lesson = {p} AND student = {p}').format(p=param),
        }


def measured(ctx, state):
    import json
    state['count'] += 1
    value = state['values'][state['count'] % 2]
    response = in_thread(state['client'].post, state['url'],
        data=json.dumps({'lesson': state['lesson'],
                'student': state['student'], 'value': value}),
        headers=state['headers'], content_type='application/json')
    assert response.status_code == 200, response.get_data(as_text=True)


def _baseline(database, sql, args):
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        transaction.connection.cursor().execute(sql, args)
        transaction.commit()


def baseline(ctx, state):
    value = state['values'][state['count'] % 2]
    in_thread(_baseline, state['database'], state['sql'],
        (value, state['lesson'], state['student']))
