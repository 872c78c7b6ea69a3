"""Success, quality and attendance of every college for a month (a monthly
attestation of the ministry's dashboard).

Measured: copp_journal.rates.compute_rates('college', first day, last day)
for the colleges of the ministry user. For whole months it reads the
monthly running totals (copp.journal.total.month, kept in step by every
write of a mark or an absence, whose cost the journal_cell benchmark
includes), the lessons held and the contingent.
Baseline: the same numbers in one hand-written SQL statement over the same
tables; setup() checks that both give the same rows, and times once, for
the record, the hand-written SQL over the marks and absences themselves
(what the report did before the monthly totals), checking it gives the
same numbers too. The month is the last complete month before today.
"""
import datetime as dt
import time

DESCRIPTION = ("успеваемость, качество и посещаемость по колледжам за "
    "месяц (python-sql модуля) против рукописного SQL по тем же таблицам")
GOAL_RATIO = 1.5
GOAL_SECONDS = 1.0

# One query over two sources of the units and the absences.
_STUDENTS = """students AS (
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
_REST = """sizes AS (
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
    WHERE l.date >= {p} AND l.date <= {p}
    GROUP BY l.company),
contingent AS (
    SELECT company, COUNT(*) AS students FROM copp_student
    WHERE state IN ('studying', 'academic_leave') AND "group" IS NOT NULL
    GROUP BY company)
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
    WHERE date >= {p} AND date <= {p}
    GROUP BY company, "group", student, line),
""" + _STUDENTS + """absences AS (
    SELECT company, SUM(hours) AS missed,
        SUM(CASE WHEN excused THEN hours ELSE 0 END) AS excused
    FROM copp_journal_absence
    WHERE date >= {p} AND date <= {p}
    GROUP BY company),
""" + _REST
# Over the monthly totals (the same tables as the module's query).
BASELINE = """
WITH units AS (
    SELECT company, "group", student, line, SUM(points) AS p,
        SUM(numeric) AS n, SUM(passes) AS np, SUM(fails) AS nf
    FROM copp_journal_total_month
    WHERE month >= {p} AND month <= {p}
        AND numeric + passes + fails > 0
    GROUP BY company, "group", student, line),
""" + _STUDENTS + """absences AS (
    SELECT company, SUM(missed) AS missed, SUM(excused) AS excused
    FROM copp_journal_total_month
    WHERE month >= {p} AND month <= {p} AND missed > 0
    GROUP BY company),
""" + _REST


def _as_rows(rows):
    return [tuple(None if v is None else round(float(v), 2) for v in row)
        for row in rows]


def setup(ctx):
    pool = ctx.pool
    User = pool.get('res.user')
    Date = pool.get('ir.date')
    cursor = ctx.cursor
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    today = Date.today()
    date_to = today.replace(day=1) - dt.timedelta(days=1)
    date_from = date_to.replace(day=1)
    cursor.execute(('SELECT COUNT(*) FROM copp_journal_mark '
            'WHERE date >= {p} AND date <= {p}').format(p=param),
        (date_from, date_to))
    marks = cursor.fetchone()[0]
    if not marks:
        raise SystemExit(f"Нет оценок за {date_from:%m.%Y}: сначала copp demo")
    print(f"Месяц {date_from:%m.%Y}: оценок {marks:,}".replace(',', ' '))
    ministry = User.search([('login', '=', 'minobr')], limit=1)
    companies = None
    if ministry:
        with ctx.transaction.set_user(ministry[0].id):
            companies = list(User.get_companies())
    state = {
        'dates': (date_from, date_to), 'companies': companies,
        'today': today, 'sql': BASELINE.format(p=param),
        'params': (date_from, date_to) * 3,
        }
    from copp_journal.rates import compute_rates
    module = compute_rates('college', date_from, date_to,
        companies=companies, today=today)
    cursor.execute(state['sql'], state['params'])
    by_sql = {r[0]: r for r in _as_rows(cursor.fetchall())}
    for row in module:
        mine = (row['students'], row['assessed'], row['successful'],
            row['quality'], row['success_rate'], row['quality_rate'],
            row['average'], row['planned_hours'], row['missed_hours'],
            row['excused_hours'], row['attendance_rate'])
        theirs = tuple(0 if v is None and m == 0 else v
            for v, m in zip(by_sql[row['company']][1:], mine))
        assert all(a == b or (a is not None and b is not None
                    and abs(a - b) < 0.011) for a, b in zip(mine, theirs)), (
            row['company'], mine, theirs)
    print(f"Проверка: модуль и SQL дают одинаковые строки ({len(module)} "
        "колледжей).")
    started = time.perf_counter()
    cursor.execute(RAW.format(p=param), state['params'])
    raw = {r[0]: r for r in _as_rows(cursor.fetchall())}
    elapsed = time.perf_counter() - started
    assert raw == by_sql, "месячные итоги расходятся с оценками и пропусками"
    print(f"Для справки: тот же расчёт SQL по самим оценкам и пропускам "
        f"(без итогов, те же числа) — {elapsed * 1000:.0f} мс.")
    return state


def measured(ctx, state):
    from copp_journal.rates import compute_rates
    rows = compute_rates('college', *state['dates'],
        companies=state['companies'], today=state['today'])
    assert rows


def baseline(ctx, state):
    cursor = ctx.cursor
    cursor.execute(state['sql'], state['params'])
    assert cursor.fetchall()
