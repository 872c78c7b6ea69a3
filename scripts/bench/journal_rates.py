"""Success, quality and attendance of every college for a term, as the
ministry's dashboard asks them.

Measured: copp_journal.rates.compute_rates('college', …) — the python-sql
query of the module (current marks per student and discipline, absences,
planned student-hours, contingent) for the colleges the ministry user works
with. Baseline: the same numbers in one hand-written SQL statement.
Run on the region demo (copp demo --scale region on PostgreSQL): setup
prints the data scale.
"""
DESCRIPTION = ("успеваемость, качество и посещаемость по колледжам за "
    "семестр (python-sql модуля) против рукописного SQL")
GOAL_RATIO = 1.5
GOAL_SECONDS = 1.0

BASELINE = """
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
absences AS (
    SELECT company, SUM(hours) AS missed,
        SUM(CASE WHEN excused THEN hours ELSE 0 END) AS excused
    FROM copp_journal_absence
    WHERE term = {p} AND date >= {p} AND date <= {p}
    GROUP BY company),
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


def setup(ctx):
    pool = ctx.pool
    Term = pool.get('copp.academic.term')
    User = pool.get('res.user')
    Date = pool.get('ir.date')
    cursor = ctx.cursor
    today = Date.today()
    term = Term.find(today)
    previous = Term.search([('end_date', '<', term.start_date)],
        order=[('start_date', 'DESC')], limit=1) if term else []
    # The last complete term when the demo has one (the region scale),
    # else the current term.
    cursor.execute('SELECT COUNT(*) FROM copp_journal_mark WHERE term = '
        + ('?' if ctx.settings.backend == 'sqlite' else '%s'),
        (previous[0].id,) if previous else (-1,))
    if previous and cursor.fetchone()[0]:
        term = previous[0]
    if not term:
        raise SystemExit("Нет семестра: сначала copp demo")
    counts = {}
    for table in ['copp_student', 'copp_journal_lesson', 'copp_journal_mark',
            'copp_journal_absence']:
        cursor.execute(f'SELECT COUNT(*) FROM {table}')
        counts[table] = cursor.fetchone()[0]
    cursor.execute('SELECT COUNT(*) FROM copp_journal_mark WHERE term = '
        + ('?' if ctx.settings.backend == 'sqlite' else '%s'), (term.id,))
    in_term = cursor.fetchone()[0]
    print(f"Данные: студентов {counts['copp_student']:,}, занятий "
        f"{counts['copp_journal_lesson']:,}, оценок "
        f"{counts['copp_journal_mark']:,} (в семестре {in_term:,}), пропусков "
        f"{counts['copp_journal_absence']:,}; семестр {term.rec_name}"
        .replace(',', ' '))
    ministry = User.search([('login', '=', 'minobr')], limit=1)
    companies = None
    if ministry:
        with ctx.transaction.set_user(ministry[0].id):
            companies = list(User.get_companies())
    param = '?' if ctx.settings.backend == 'sqlite' else '%s'
    until = min(term.end_date, today)
    return {
        'term': term, 'companies': companies, 'today': today,
        'sql': BASELINE.format(p=param),
        'params': (term.id, term.start_date, term.end_date,
            term.id, term.start_date, term.end_date,
            term.id, term.start_date, until),
        }


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
