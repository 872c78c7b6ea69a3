"""Contingent on a date for the whole region (copp_contingent).

measured: copp.contingent.report.compute() — the module's report, the query
          generated with python-sql from the movement log, as the xlsx export
          runs it (the client's list reads the same query as a table_query
          through the ORM, which re-runs it for each page it reads);
baseline: the same answer with a hand-written SQL string run on the cursor.
Both give, for every (college, specialty, course, form, funding), the count
on the eve of the period, the arrivals and departures of the period and the
count on the date. setup() also times the naive query without the derived
valid_to column (latest movement per student by a window function), for the
record.

Run on a region-scale database: copp demo --scale region, then
    copp bench contingent_on_date
"""
import datetime as dt
import time

DESCRIPTION = ("Контингент на дату по всему региону: колледж × специальность "
    "× курс × форма × финансирование, с прибытием и выбытием с начала "
    "учебного года")
GOAL_SECONDS = 1.0
GOAL_RATIO = 1.5

BASELINE = """
SELECT company, specialty, course, study_form, funding,
    SUM(start_total), SUM(enrolled), SUM(reinstated), SUM(transferred_in),
    SUM(expelled), SUM(graduated), SUM(transferred_out), SUM(studying),
    SUM(on_leave)
FROM (
    SELECT company, specialty, course, study_form, funding,
        0 AS start_total, 0 AS enrolled, 0 AS reinstated,
        0 AS transferred_in, 0 AS expelled, 0 AS graduated,
        0 AS transferred_out,
        CASE WHEN state = 'studying' THEN 1 ELSE 0 END AS studying,
        CASE WHEN state = 'academic_leave' THEN 1 ELSE 0 END AS on_leave
    FROM copp_contingent_movement
    WHERE date <= {d} AND (valid_to IS NULL OR valid_to > {d})
        AND state IN ('studying', 'academic_leave')
    UNION ALL
    SELECT company, specialty, course, study_form, funding,
        1, 0, 0, 0, 0, 0, 0, 0, 0
    FROM copp_contingent_movement
    WHERE date <= {eve} AND (valid_to IS NULL OR valid_to > {eve})
        AND state IN ('studying', 'academic_leave')
    UNION ALL
    SELECT company, specialty, course, study_form, funding, 0,
        CASE WHEN kind = 'enrolment' THEN 1 ELSE 0 END,
        CASE WHEN kind = 'reinstatement' THEN 1 ELSE 0 END,
        CASE WHEN kind NOT IN ('enrolment', 'reinstatement') THEN 1 ELSE 0 END,
        0, 0, 0, 0, 0
    FROM copp_contingent_movement
    WHERE date >= {f} AND date <= {d}
        AND state IN ('studying', 'academic_leave')
        AND (from_state IS NULL
            OR from_state NOT IN ('studying', 'academic_leave')
            OR from_specialty <> specialty OR from_course <> course
            OR from_study_form <> study_form OR from_funding <> funding)
    UNION ALL
    SELECT company, from_specialty, from_course, from_study_form,
        from_funding, 0, 0, 0, 0,
        CASE WHEN state = 'expelled' THEN 1 ELSE 0 END,
        CASE WHEN state = 'graduated' THEN 1 ELSE 0 END,
        CASE WHEN state IN ('studying', 'academic_leave') THEN 1 ELSE 0 END,
        0, 0
    FROM copp_contingent_movement
    WHERE date >= {f} AND date <= {d}
        AND from_state IN ('studying', 'academic_leave')
        AND (state NOT IN ('studying', 'academic_leave')
            OR from_specialty <> specialty OR from_course <> course
            OR from_study_form <> study_form OR from_funding <> funding)
    ) AS u
GROUP BY company, specialty, course, study_form, funding
"""

NAIVE = """
SELECT m.company, m.specialty, m.course, m.study_form, m.funding,
    SUM(CASE WHEN m.state = 'studying' THEN 1 ELSE 0 END),
    SUM(CASE WHEN m.state = 'academic_leave' THEN 1 ELSE 0 END)
FROM (
    SELECT company, specialty, course, study_form, funding, state,
        ROW_NUMBER() OVER (PARTITION BY student ORDER BY date DESC, id DESC)
            AS rank
    FROM copp_contingent_movement WHERE date <= {d}) AS m
WHERE m.rank = 1 AND m.state IN ('studying', 'academic_leave')
GROUP BY m.company, m.specialty, m.course, m.study_form, m.funding
"""


def _literal(date):
    return f"'{date.isoformat()}'"


def setup(ctx):
    pool = ctx.pool
    Date = pool.get('ir.date')
    AcademicYear = pool.get('copp.academic.year')
    date = Date.today()
    from_date = dt.date(AcademicYear.starting_year(date), 9, 1)
    cursor = ctx.cursor
    cursor.execute('SELECT COUNT(*) FROM copp_contingent_movement')
    movements, = cursor.fetchone()
    cursor.execute('SELECT COUNT(*) FROM copp_student')
    students, = cursor.fetchone()
    print(f"  база: студентов {students}, записей движения {movements}; "
        f"на {date:%d.%m.%Y}, период с {from_date:%d.%m.%Y}")
    state = {
        'date': date, 'from_date': from_date,
        'sql': BASELINE.format(d=_literal(date), f=_literal(from_date),
            eve=_literal(from_date - dt.timedelta(days=1))),
        }
    rows = measured(ctx, state)
    cursor.execute(state['sql'])
    expected = cursor.fetchall()
    total = sum(r['total'] for r in rows)
    assert total == sum(r[-2] + r[-1] for r in expected), "different answers"
    assert len([r for r in rows]) == len(expected)
    print(f"  строк отчёта {len(rows)}, контингент на дату {total}")
    start = time.perf_counter()
    cursor.execute(NAIVE.format(d=_literal(date)))
    naive = cursor.fetchall()
    assert sum(r[-2] + r[-1] for r in naive) == total
    print(f"  для сравнения: наивный запрос (последнее движение через "
        f"ROW_NUMBER, без valid_to): {(time.perf_counter() - start) * 1000:.1f} мс")
    return state


def measured(ctx, state):
    Report = ctx.pool.get('copp.contingent.report')
    return Report.compute(state['date'], state['from_date'])


def baseline(ctx, state):
    cursor = ctx.cursor
    cursor.execute(state['sql'])
    return cursor.fetchall()
