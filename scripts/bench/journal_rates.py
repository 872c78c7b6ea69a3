"""Success, quality and attendance of every college for a term, as the
ministry's dashboard asks them.

Measured: copp_journal.rates.compute_rates('college', …) — the python-sql
query of the module for the colleges the ministry user works with. For a
whole term it reads the running totals per student × discipline × term
(copp.journal.total, kept in step by every write of a mark or an absence,
whose cost the journal_cell benchmark includes), the lessons held (planned
student-hours) and the contingent.
Baseline: the same numbers in one hand-written SQL statement over the same
tables. setup() checks that both give the same rows, and times once, for
the record, the hand-written SQL that aggregates the marks and absences
themselves (what a report without the totals would do).
Run on the region demo (copp demo --scale region on PostgreSQL): setup
prints the data scale.
"""
import time

DESCRIPTION = ("успеваемость, качество и посещаемость по колледжам за "
    "семестр (python-sql модуля) против рукописного SQL по тем же таблицам")
GOAL_RATIO = 1.5
GOAL_SECONDS = 1.0

# The planned student-hours and the contingent: common to both queries.
_PLANNED = """
sizes AS (
    SELECT "group", COUNT(*) AS size FROM copp_student
    WHERE state IN ('studying', 'academic_leave') GROUP BY "group"),
members AS (
    SELECT workload, COUNT(*) AS size
    FROM "copp_journal_workload-copp_student" GROUP BY workload),
planned AS (
    SELECT l.company,
        SUM(l.hours * COALESCE(m.size, s.size, 0)) AS planned
    FROM copp_journal_lesson AS l
    LEFT JOIN members AS m ON m.workload = l.workload
    LEFT JOIN sizes AS s ON s."group" = l."group"
    WHERE l.term = {p} AND l.date >= {p} AND l.date <= {p}
    GROUP BY l.company),
contingent AS (
    SELECT company, COUNT(*) AS students FROM copp_student
    WHERE state IN ('studying', 'academic_leave') AND "group" IS NOT NULL
    GROUP BY company)
"""
_RESULT = """
SELECT c.company, c.students, r.assessed, r.successful, r.quality,
    ROUND(100.0 * r.successful / r.assessed, 1) AS success_rate,
    ROUND(100.0 * r.quality / r.assessed, 1) AS quality_rate,
    ROUND(1.0 * r.points / NULLIF(r.marks, 0), 2) AS average,
    p.planned, a.missed, a.excused,
    ROUND(100.0 * (p.planned - COALESCE(a.missed, 0))
        / NULLIF(p.planned, 0), 1) AS attendance_rate
FROM contingent AS c
LEFT JOIN results AS r ON r.company = c.company
LEFT JOIN absences AS a ON a.company = c.company
LEFT JOIN planned AS p ON p.company = c.company
ORDER BY c.company
"""
_STUDENTS = """
students AS (
    SELECT company, student,
        MAX(CASE WHEN (n > 0 AND 2 * p < 5 * n) OR (n = 0 AND nf > np)
            THEN 1 ELSE 0 END) AS bad,
        MAX(CASE WHEN n > 0 AND 2 * p >= 5 * n AND 2 * p < 7 * n
            THEN 1 ELSE 0 END) AS three,
        SUM(p) AS points, SUM(n) AS marks
    FROM units GROUP BY company, "group", student),
results AS (
    SELECT company, COUNT(*) AS assessed, SUM(1 - bad) AS successful,
        SUM(CASE WHEN bad = 0 AND three = 0 THEN 1 ELSE 0 END) AS quality,
        SUM(points) AS points, SUM(marks) AS marks
    FROM students GROUP BY company),
"""
# Over the running totals (the same tables as the module's query).
BASELINE = """
WITH units AS (
    SELECT company, "group", student, points AS p, numeric AS n,
        passes AS np, fails AS nf
    FROM copp_journal_total
    WHERE term = {p} AND numeric + passes + fails > 0),
""" + _STUDENTS + """
absences AS (
    SELECT company, SUM(missed) AS missed, SUM(excused) AS excused
    FROM copp_journal_total
    WHERE term = {p} AND missed > 0
    GROUP BY company),
""" + _PLANNED + _RESULT
# Over the marks and absences themselves (for the record).
RAW = """
WITH units AS (
    SELECT company, "group", student, line,
        SUM(CASE value WHEN '5' THEN 5 WHEN '4' THEN 4 WHEN '3' THEN 3
            WHEN '2' THEN 2 END) AS p,
        SUM(CASE WHEN value IN ('2', '3', '4', '5') THEN 1 ELSE 0 END) AS n,
        SUM(CASE WHEN value = 'pass' THEN 1 ELSE 0 END) AS np,
        SUM(CASE WHEN value = 'fail' THEN 1 ELSE 0 END) AS nf
    FROM copp_journal_mark
    WHERE term = {p} AND date >= {p} AND date <= {p}
    GROUP BY company, "group", student, line),
""" + _STUDENTS + """
absences AS (
    SELECT company, SUM(hours) AS missed,
        SUM(CASE WHEN excused THEN hours ELSE 0 END) AS excused
    FROM copp_journal_absence
    WHERE term = {p} AND date >= {p} AND date <= {p}
    GROUP BY company),
""" + _PLANNED + _RESULT


def _count(cursor, param, sql, args=()):
    cursor.execute(sql.format(p=param), args)
    return cursor.fetchone()[0]


def _as_rows(rows):
    "(company, students, assessed, successful, quality, rates, hours)"
    return [tuple(None if v is None else round(float(v), 2) for v in row)
        for row in rows]


def setup(ctx):
    pool = ctx.pool
    Term = pool.get('copp.academic.term')
    User = pool.get('res.user')
    Date = pool.get('ir.date')
    cursor = ctx.cursor
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    today = Date.today()
    term = Term.find(today)
    previous = Term.search([('end_date', '<', term.start_date)],
        order=[('start_date', 'DESC')], limit=1) if term else []
    # The last complete term when the demo has one (the region scale),
    # else the current term.
    if previous and _count(cursor, param,
            'SELECT COUNT(*) FROM copp_journal_mark WHERE term = {p}',
            (previous[0].id,)):
        term = previous[0]
    if not term:
        raise SystemExit("Нет семестра: сначала copp demo")
    counts = {t: _count(cursor, param, f'SELECT COUNT(*) FROM {t}')
        for t in ['copp_student', 'copp_journal_lesson', 'copp_journal_mark',
            'copp_journal_absence', 'copp_journal_total']}
    in_term = _count(cursor, param,
        'SELECT COUNT(*) FROM copp_journal_mark WHERE term = {p}', (term.id,))
    print(f"Данные: студентов {counts['copp_student']:,}, занятий "
        f"{counts['copp_journal_lesson']:,}, оценок "
        f"{counts['copp_journal_mark']:,} (в семестре {in_term:,}), пропусков "
        f"{counts['copp_journal_absence']:,}, итогов "
        f"{counts['copp_journal_total']:,}; семестр {term.rec_name}"
        .replace(',', ' '))
    ministry = User.search([('login', '=', 'minobr')], limit=1)
    companies = None
    if ministry:
        with ctx.transaction.set_user(ministry[0].id):
            companies = list(User.get_companies())
    until = min(term.end_date, today)
    planned_args = (term.id, term.start_date, until)
    state = {
        'term': term, 'companies': companies, 'today': today,
        'sql': BASELINE.format(p=param),
        'params': (term.id, term.id) + planned_args,
        }
    # Same numbers on both sides.
    from copp_journal.rates import compute_rates
    module = compute_rates('college', term.start_date, term.end_date,
        companies=companies, terms=[term.id], today=today)
    cursor.execute(state['sql'], state['params'])
    by_sql = {r[0]: r for r in _as_rows(cursor.fetchall())}
    for row in module:
        sql_row = by_sql[row['company']]
        mine = (row['students'], row['assessed'], row['successful'],
            row['quality'], row['success_rate'], row['quality_rate'],
            row['average'], row['planned_hours'], row['missed_hours'],
            row['excused_hours'], row['attendance_rate'])
        theirs = tuple(0 if v is None and m == 0 else v
            for v, m in zip(sql_row[1:], mine))
        assert all(a == b or (a is not None and b is not None
                    and abs(a - b) < 0.011) for a, b in zip(mine, theirs)), (
            row['company'], mine, theirs)
    print(f"Проверка: модуль и SQL дают одинаковые строки ({len(module)} "
        "колледжей).")
    started = time.perf_counter()
    cursor.execute(RAW.format(p=param), (term.id, term.start_date,
            term.end_date, term.id, term.start_date, term.end_date)
        + planned_args)
    raw = {r[0]: r for r in _as_rows(cursor.fetchall())}
    elapsed = time.perf_counter() - started
    assert raw == by_sql, "итоги расходятся с оценками и пропусками"
    print(f"Для справки: тот же расчёт SQL по самим оценкам и пропускам "
        f"(без итогов, те же числа) — {elapsed * 1000:.0f} мс.")
    return state


def measured(ctx, state):
    from copp_journal.rates import compute_rates
    term = state['term']
    rows = compute_rates('college', term.start_date, term.end_date,
        companies=state['companies'], terms=[term.id], today=state['today'])
    assert rows


def baseline(ctx, state):
    cursor = ctx.cursor
    cursor.execute(state['sql'], state['params'])
    rows = cursor.fetchall()
    assert rows
