"""The student's pages of the personal cabinet: marks and the week's
timetable.

Measured: GET /cabinet/students/<id> (marks by discipline with averages,
absences, debts, homework of the current term) and GET
/cabinet/students/<id>/timetable?week=… through trytond's WSGI app
in-process, as a student's portal account with its session cookie:
session, transaction, ownership (student_for), the queries, the ПДн log,
the HTML page. Baseline: the same data read with hand-written SQL in a
transaction of its own (no session, no HTML, no log).

The student is the one with the most marks in the current term (the term
of the latest mark when none is current); the week is the latest week of
its group with lessons, up to today. The portal account
`cabinet-bench@copp.invalid` is made for it (committed: the requests run in
their own transactions) and kept for the next runs; its sessions are
closed at the end.

The goal is ≤ 100 ms of server time per page: GOAL_SECONDS is for the two
pages together; setup prints the median of each page.
"""
import datetime as dt
import statistics
import time

from copp_journal.benchtools import client, in_thread

DESCRIPTION = ("кабинет студента: оценки за семестр и расписание недели "
    "(2 HTTP-страницы целиком, под учётной записью студента) против "
    "чтения тех же данных SQL")
GOAL_SECONDS = 0.2  # two pages, ≤ 100 ms each
EMAIL = 'cabinet-bench@copp.invalid'

BASELINE_DIARY = [
    # ownership: the students of the account
    'SELECT s.id FROM copp_student AS s JOIN web_user AS u '
    'ON s.party = u.party WHERE u.id = {p} AND u.active',
    # the student, the group, the college
    'SELECT s.id, p.name, g.name, c.name, s.record_book, s.state '
    'FROM copp_student AS s JOIN party_party AS p ON p.id = s.party '
    'LEFT JOIN copp_study_group AS g ON g.id = s."group" '
    'JOIN company_company AS co ON co.id = s.company '
    'JOIN party_party AS c ON c.id = co.party WHERE s.id = {p}',
    # the current term
    'SELECT id, start_date, end_date FROM copp_academic_term '
    'WHERE start_date <= {p} AND end_date >= {p}',
    # marks
    'SELECT m.line, m.date, m.value, l.kind, l.topic, cl."index", cl.name '
    'FROM copp_journal_mark AS m JOIN copp_journal_lesson AS l '
    'ON l.id = m.lesson JOIN copp_journal_curriculum_line AS cl '
    'ON cl.id = m.line WHERE m.student = {p} AND m.date >= {p} '
    'AND m.date <= {p} ORDER BY m.date, l.pair',
    # absences
    'SELECT a.line, a.date, a.kind, a.reason, a.hours, a.excused '
    'FROM copp_journal_absence AS a JOIN copp_journal_lesson AS l '
    'ON l.id = a.lesson WHERE a.student = {p} AND a.date >= {p} '
    'AND a.date <= {p} ORDER BY a.date, l.pair',
    # homework of the group
    'SELECT l.date, l.line, l.homework, l.topic '
    'FROM copp_journal_lesson AS l WHERE l."group" = {p} '
    'AND l.date >= {p} AND l.date <= {p} AND l.homework IS NOT NULL '
    'ORDER BY l.date, l.pair',
    # debts: the latest closed result is bad
    'SELECT sl.id, sh.line, sh.term, sl.grade, sh.date, sh.number '
    'FROM copp_journal_sheet_line AS sl JOIN copp_journal_sheet AS sh '
    "ON sh.id = sl.sheet WHERE sl.student = {p} AND sh.state = 'closed' "
    "AND sl.grade IN ('2', 'fail', 'absent') AND NOT EXISTS ("
    'SELECT 1 FROM copp_journal_sheet_line AS l2 '
    'JOIN copp_journal_sheet AS s2 ON s2.id = l2.sheet '
    'WHERE l2.student = sl.student AND s2.line = sh.line '
    "AND s2.term = sh.term AND s2.state = 'closed' AND (s2.date > sh.date "
    'OR (s2.date = sh.date AND s2.id > sh.id)))',
    ]
BASELINE_TIMETABLE = BASELINE_DIARY[:2] + [
    'SELECT l.date, l.pair, l.room, l.topic, cl."index", cl.name '
    'FROM copp_journal_lesson AS l '
    'JOIN copp_journal_curriculum_line AS cl ON cl.id = l.line '
    'WHERE l."group" = {p} AND l.date >= {p} AND l.date <= {p} '
    'ORDER BY l.date, l.pair',
    # the bells of the college (the times of the pairs)
    'SELECT number, start, "end" FROM copp_journal_bell '
    'WHERE company = {p}',
    ]


def _pick(ctx):
    "The student with the most marks of the term, the term, the week"
    pool = ctx.pool
    Term = pool.get('copp.academic.term')
    Student = pool.get('copp.student')
    today = pool.get('ir.date').today()
    cursor = ctx.cursor
    term = Term.find(today)
    if term is None:
        cursor.execute('SELECT MAX(date) FROM copp_journal_mark')
        last, = cursor.fetchone()
        if last is None:
            raise SystemExit("В базе нет оценок: copp demo")
        if isinstance(last, str):
            last = dt.date.fromisoformat(last[:10])
        term = Term.find(last)
        if term is None:
            raise SystemExit("Нет семестра последней оценки")
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    cursor.execute('SELECT m.student, COUNT(m.id) FROM copp_journal_mark '
        'AS m JOIN copp_student AS s ON s.id = m.student '
        f'WHERE m.date >= {param} AND m.date <= {param} '
        "AND s.state = 'studying' AND s.\"group\" IS NOT NULL "
        'GROUP BY m.student ORDER BY COUNT(m.id) DESC, m.student LIMIT 1',
        (term.start_date, term.end_date))
    row = cursor.fetchone()
    if not row:
        raise SystemExit("В семестре нет оценок студентов: copp demo")
    student = Student(row[0])
    cursor.execute('SELECT MAX(date) FROM copp_journal_lesson '
        f'WHERE "group" = {param} AND date <= {param}',
        (student.group.id, today))
    last_lesson, = cursor.fetchone()
    if isinstance(last_lesson, str):
        last_lesson = dt.date.fromisoformat(last_lesson[:10])
    day = last_lesson or today
    monday = day - dt.timedelta(days=day.weekday())
    return student, term, row[1], monday, today


def _open_session(database, student_id):
    """The bench's portal account on the student's person and a session
    (committed); returns the cookie key"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        User = pool.get('web.user')
        Session = pool.get('web.user.session')
        student = pool.get('copp.student')(student_id)
        users = User.search([('email', '=', EMAIL)], limit=1)
        if users:
            user, = users
        else:
            user = User(email=EMAIL, name="Бенчмарк кабинета")
        user.party = student.party
        user.active = True
        user.email_valid = True
        user.save()
        _, key = Session.open(user)
        transaction.commit()
        return user.id, key


def _close_sessions(database, user_id):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(database, 0) as transaction:
        Session = Pool().get('web.user.session')
        Session.delete(Session.search([('user', '=', user_id)]))
        transaction.commit()


def _get(state, url):
    response = in_thread(state['client'].get, url)
    assert response.status_code == 200, (url, response.status_code,
        response.get_data(as_text=True)[:500])
    return response


def setup(ctx):
    import atexit

    from trytond import config
    database = ctx.settings.database
    config.set('copp', 'database', database)
    student, term, marks, monday, today = _pick(ctx)
    user_id, key = in_thread(_open_session, database, student.id)
    atexit.register(_close_sessions, database, user_id)
    test_client = client()
    test_client.set_cookie('copp_session', key)
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    sunday = monday + dt.timedelta(days=6)
    date_from, date_to = term.start_date, term.end_date
    state = {
        'client': test_client,
        'diary': f'/cabinet/students/{student.id}',
        'timetable': f'/cabinet/students/{student.id}/timetable'
        f'?week={monday.isoformat()}',
        'database': database,
        'queries': [q.format(p=param) for q in BASELINE_DIARY
            + BASELINE_TIMETABLE],
        'params': [(user_id,), (student.id,), (today, today),
            (student.id, date_from, date_to),
            (student.id, date_from, date_to),
            (student.group.id, max(date_from, today - dt.timedelta(days=14)),
                today + dt.timedelta(days=7)),
            (student.id,),
            (user_id,), (student.id,),
            (student.group.id, monday, sunday), (student.company.id,)],
        }
    page = _get(state, state['diary']).get_data(as_text=True)
    assert student.rec_name in page
    timetable = _get(state, state['timetable']).get_data(as_text=True)
    lessons = timetable.count('data-label="Пара"')
    print(f"Студент: {student.rec_name}, группа {student.group.rec_name}, "
        f"оценок за {term.rec_name}: {marks}; неделя {monday:%d.%m.%Y}, "
        f"занятий: {lessons}")
    # Each page on its own, and (not measured below) the records pages
    pages = {'оценки': state['diary'], 'расписание': state['timetable'],
        'ведомости': f'/cabinet/students/{student.id}/sheets',
        'приказы и документы': f'/cabinet/students/{student.id}/documents'}
    times = {}
    for _ in range(6):
        for name, url in pages.items():
            start = time.perf_counter()
            _get(state, url)
            times.setdefault(name, []).append(time.perf_counter() - start)
    medians = {name: statistics.median(values[1:]) * 1000
        for name, values in times.items()}
    print("  по страницам (медиана 5 запросов после первого, цель ≤ 100 мс "
        "каждая): " + ', '.join(f"{name} {value:.1f} мс"
            for name, value in medians.items()))
    return state


def measured(ctx, state):
    _get(state, state['diary'])
    _get(state, state['timetable'])


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
