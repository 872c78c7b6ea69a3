"""Results of a survey: 20 questions, 10 000 sent responses.

Measured: copp_survey.results.distributions(survey) — every distribution of
the survey (chosen options, matrix cells, scale and number values,
respondents per question) as the results page and the back office compute
them, through python-sql.
Baseline: the same queries written by hand in SQL (the count of responses,
one GROUP BY over the answers, COUNT(DISTINCT) of the respondents of the
multiple-choice and matrix questions).
The survey and its answers are created in the benchmark's transaction
(rolled back by the runner): ~10 000 responses and ~230 000 answer rows.
"""
import datetime as dt
import random

DESCRIPTION = ("распределения ответов опроса: 20 вопросов, 10 000 ответов "
    "(модуль) против SQL")
GOAL_SECONDS = 1.0
GOAL_RATIO = 1.5
RESPONSES = 10000
CHUNK = 1000


def _options(texts):
    return [('create', [{'text': t, 'sequence': i}
                for i, t in enumerate(texts)])]


def setup(ctx):
    pool = ctx.pool
    Company = pool.get('company.company')
    Survey = pool.get('copp.survey')
    Question = pool.get('copp.survey.question')
    Response = pool.get('copp.survey.response')
    Answer = pool.get('copp.survey.answer')
    companies = Company.search([], limit=1, order=[('id', 'ASC')])
    if not companies:
        raise SystemExit("Нет учреждений: сначала copp init и copp demo")
    survey, = Survey.create([{'name': "Бенчмарк: 20 вопросов",
                'company': companies[0].id, 'audience': 'public'}])
    specs = []
    for i in range(8):
        specs.append({'kind': 'single', 'text': f"Один ответ {i}",
                'options': _options([f"Вариант {j}" for j in range(5)])})
    for i in range(4):
        specs.append({'kind': 'multiple', 'text': f"Несколько {i}",
                'options': _options([f"Вариант {j}" for j in range(6)])})
    for i in range(3):
        specs.append({'kind': 'scale', 'text': f"Шкала {i}"})
    for i in range(2):
        specs.append({'kind': 'matrix', 'text': f"Матрица {i}",
                'options': _options(["Хорошо", "Средне", "Плохо"]),
                'rows': _options([f"Строка {j}" for j in range(4)])})
    for i in range(2):
        specs.append({'kind': 'number', 'text': f"Число {i}"})
    specs.append({'kind': 'text', 'text': "Комментарий"})
    questions = Question.create([dict(s, survey=survey.id, sequence=n)
            for n, s in enumerate(specs)])
    Survey.open([survey])

    rng = random.Random(2026)
    now = dt.datetime.now()
    segments = ['graduate', 'student', 'parent', 'public', 'employer']
    response_ids = []
    for start in range(0, RESPONSES, CHUNK):
        responses = Response.create([{'survey': survey.id,
                    'segment': segments[i % 5], 'state': 'submitted',
                    'started': now, 'submitted_date': now}
                for i in range(start, min(start + CHUNK, RESPONSES))])
        response_ids.extend(r.id for r in responses)
    answer = Answer.__table__()
    columns = [answer.response, answer.question, answer.option, answer.row,
        answer.number, answer.text, answer.create_uid, answer.create_date]
    rows = []
    cursor = ctx.cursor
    count = 0

    def flush():
        nonlocal rows, count
        if rows:
            cursor.execute(*answer.insert(columns, rows))
            count += len(rows)
            rows = []
    for response_id in response_ids:
        for question in questions:
            kind = question.kind
            if kind == 'single':
                rows.append([response_id, question.id,
                        rng.choice(question.options).id, None, None, None,
                        0, now])
            elif kind == 'multiple':
                for option in rng.sample(question.options,
                        rng.randint(1, 3)):
                    rows.append([response_id, question.id, option.id, None,
                            None, None, 0, now])
            elif kind == 'scale':
                rows.append([response_id, question.id, None, None,
                        float(rng.randint(1, 10)), None, 0, now])
            elif kind == 'matrix':
                for row in question.rows:
                    rows.append([response_id, question.id,
                            rng.choice(question.options).id, row.id, None,
                            None, 0, now])
            elif kind == 'number':
                rows.append([response_id, question.id, None, None,
                        float(rng.randint(0, 300)), None, 0, now])
            elif kind == 'text' and rng.random() < 0.3:
                rows.append([response_id, question.id, None, None, None,
                        "Комментарий к опросу", 0, now])
        if len(rows) >= CHUNK:
            flush()
    flush()
    if ctx.settings.backend == 'postgresql':
        cursor.execute('ANALYZE copp_survey_answer')
        cursor.execute('ANALYZE copp_survey_response')
    print(f"  подготовлено: {len(response_ids)} ответов, {count} строк "
        "ответов на вопросы")
    several = ','.join(str(q.id) for q in questions
        if q.kind in {'multiple', 'matrix'})
    return {'survey': survey.id, 'several': several}


def measured(ctx, state):
    from copp_survey.results import distributions
    Survey = ctx.pool.get('copp.survey')
    data = distributions(Survey(state['survey']))
    assert data['responses'] == RESPONSES
    assert len(data['questions']) == 20


SQL = [
    "SELECT COUNT(r.id) FROM copp_survey_response r "
    "WHERE r.survey = {s} AND r.state = 'submitted'",
    "SELECT a.question, a.option, a.row, a.number, a.date, COUNT(a.id) "
    "FROM copp_survey_answer a JOIN copp_survey_response r "
    "ON a.response = r.id WHERE r.survey = {s} AND r.state = 'submitted' "
    "GROUP BY a.question, a.option, a.row, a.number, a.date",
    "SELECT a.question, COUNT(DISTINCT a.response) "
    "FROM copp_survey_answer a JOIN copp_survey_response r "
    "ON a.response = r.id WHERE r.survey = {s} AND r.state = 'submitted' "
    "AND a.question IN ({several}) GROUP BY a.question",
    ]


def baseline(ctx, state):
    cursor = ctx.cursor
    results = []
    for query in SQL:
        cursor.execute(query.format(s=int(state['survey']),
                several=state['several']))
        results.append(cursor.fetchall())
    assert results[0][0][0] == RESPONSES
