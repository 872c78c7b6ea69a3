"""Demo data of copp_survey: the three shipped surveys with hundreds of
answers — the labor-market survey of the employers (its demand feeds the
staffing-demand report), the survey of the graduates (public link) and the
satisfaction survey of the events (sent to their attendees) — and the
colleges' admissions plan (see copp.cli.demo)."""
import datetime as dt
import secrets

from copp_survey.templates_data import create_survey

# Specialties the employers of the region ask for, with weights.
DEMAND = [('15.01.05', 8), ('15.02.16', 7), ('09.02.07', 6),
    ('23.02.07', 6), ('13.02.11', 5), ('08.02.01', 5), ('35.02.16', 4),
    ('43.02.15', 4), ('34.02.01', 5), ('19.02.11', 3), ('38.02.01', 3),
    ('15.02.17', 3), ('27.02.07', 2), ('35.02.05', 2), ('08.02.09', 2)]
COMMENTS = ["Больше практики на реальном оборудовании.",
    "Нужны наладчики станков с ЧПУ, готовы брать на практику.",
    "Готовы участвовать в демонстрационном экзамене как эксперты.",
    "Не хватает знаний по охране труда.", "Спасибо колледжам за практику!",
    "Хотим целевое обучение по сварке.", ""]
GRADUATE_COMMENTS = ["Больше практики", "Современное оборудование",
    "Помощь в трудоустройстве", "Всё понравилось", "Меньше теории", ""]
EVENT_COMMENTS = ["Всё отлично!", "Больше практических заданий",
    "Было тесно", "Хотелось бы продолжения", "Спасибо мастерам!", ""]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Survey = pool.get('copp.survey')
    copp_centers = Company.search([('institution_kind', '=', 'copp')],
        limit=1)
    if not copp_centers:
        return
    owner = copp_centers[0]
    year = env.today.year
    plan = _admission_plan(env)
    labor = create_survey('labor_market', owner, year,
        open_date=dt.datetime.now() - dt.timedelta(days=30),
        close_date=dt.datetime.now() + dt.timedelta(days=30))
    graduates = create_survey('graduates', owner, year - 1,
        open_date=dt.datetime.now() - dt.timedelta(days=45),
        close_date=dt.datetime.now() + dt.timedelta(days=15))
    satisfaction = create_survey('event_satisfaction', owner, year)
    Survey.open([labor, graduates, satisfaction])
    answers = 0
    answers += _labor_market(env, labor)
    answers += _graduates(env, graduates)
    answers += _satisfaction(env, satisfaction)
    env.count("Опросы", 3)
    env.count("Ответы на опросы", answers)
    env.count("Строки плана приёма", plan)


def _specialties(pool, codes):
    Specialty = pool.get('copp.specialty')
    return {s.code: s for s in Specialty.search([
                ('code', 'in', list(codes)), ('company', '=', None)])}


def _weighted(env, pairs):
    total = sum(w for _, w in pairs)
    value = env.random.uniform(0, total)
    for item, weight in pairs:
        value -= weight
        if value <= 0:
            return item
    return pairs[-1][0]


def _admission_plan(env):
    pool = env.pool
    Company = pool.get('company.company')
    Plan = pool.get('copp.survey.admission_plan')
    specialties = list(_specialties(pool, [c for c, _ in DEMAND]).values())
    if not specialties:
        return 0
    colleges = Company.search([('institution_kind', '=', 'college')])
    values = []
    for college in colleges:
        chosen = env.random.sample(specialties, min(3, len(specialties)))
        for offset in range(3):
            for specialty in chosen:
                months = [d.months for d in specialty.durations] or [34]
                values.append({
                        'company': college.id,
                        'year': env.today.year + offset,
                        'specialty': specialty.id,
                        'places': env.random.choice([15, 25, 25, 50]),
                        'graduation_year': env.today.year + offset
                        + -(-min(months) // 12),
                        })
    Plan.create(values)
    return len(values)


def _questions(survey):
    return {q.code: q for q in survey.questions}


def _option(question, text=None, random=None):
    if text is not None:
        for option in question.options:
            if option.text == text:
                return option.id
    return random.choice(question.options).id


def _labor_market(env, survey):
    pool = env.pool
    Employer = pool.get('copp.employer')
    Invitation = pool.get('copp.survey.invitation')
    Response = pool.get('copp.survey.response')
    Answer = pool.get('copp.survey.answer')
    Demand = pool.get('copp.survey.demand')
    random = env.random
    q = _questions(survey)
    specialties = _specialties(pool, [c for c, _ in DEMAND])
    weights = [(specialties[c], w) for c, w in DEMAND if c in specialties]
    employers = Employer.search([], order=[('id', 'ASC')])
    now = dt.datetime.now()
    invitations = Invitation.create([{
                'survey': survey.id, 'employer': e.id,
                'organization': e.party.id,
                'email': (e.email or f'hr{e.id}@employer.example').lower(),
                'name': e.rec_name, 'segment': 'employer',
                'sent_date': now - dt.timedelta(days=29),
                'nonce': secrets.token_urlsafe(12)} for e in employers])
    answering = [i for i in invitations if random.random() < 0.72]
    # The first employer is left unanswered for the browser tests.
    answering = [i for i in answering if i.employer != employers[0]]
    responses = Response.create([{
                'survey': survey.id, 'invitation': i.id,
                'organization': i.organization.id, 'segment': 'employer',
                'state': 'submitted',
                'started': now - dt.timedelta(days=random.randint(2, 28)),
                'submitted_date': now - dt.timedelta(
                    days=random.randint(0, 2)),
                'nonce': secrets.token_urlsafe(12)} for i in answering])
    Invitation.write(answering, {'submitted': True, 'submitted_date': now})
    answers, demands = [], []
    for response in responses:
        hiring = _weighted(env, [("Да", 7), ("Пока не знаем", 2), ("Нет", 1)])
        answers += [
            {'response': response.id, 'question': q['staff'].id,
                'number': float(random.choice([12, 35, 60, 120, 250, 480,
                            900, 1500]))},
            {'response': response.id, 'question': q['hiring'].id,
                'option': _option(q['hiring'], hiring)},
            {'response': response.id, 'question': q['quality'].id,
                'number': float(random.choice([5, 6, 6, 7, 7, 7, 8, 8, 9,
                            10, 4]))},
            ]
        for option in random.sample(q['cooperation'].options,
                random.randint(1, 3)):
            answers.append({'response': response.id,
                    'question': q['cooperation'].id, 'option': option.id})
        for row in q['competencies'].rows:
            answers.append({'response': response.id,
                    'question': q['competencies'].id, 'row': row.id,
                    'option': _weighted(env, [
                            (o.id, w) for o, w in zip(
                                q['competencies'].options, [4, 5, 1])])})
        comment = random.choice(COMMENTS)
        if comment:
            answers.append({'response': response.id,
                    'question': q['comment'].id, 'text': comment})
        if hiring == "Нет":
            continue
        for option in random.sample(q['conditions'].options,
                random.randint(0, 2)):
            answers.append({'response': response.id,
                    'question': q['conditions'].id, 'option': option.id})
        chosen = set()
        for _ in range(random.randint(1, 4)):
            specialty = _weighted(env, weights)
            if specialty.id in chosen:
                continue
            chosen.add(specialty.id)
            next_year = random.choice([0, 1, 2, 2, 3, 5, 8])
            demands.append({'response': response.id,
                    'question': q['demand'].id, 'specialty': specialty.id,
                    'qualification': random.choice(['specialist',
                            'specialist', 'worker']),
                    'need_next_year': next_year,
                    'need_three_years': next_year + random.choice(
                        [0, 2, 3, 5, 8, 10]) or 1,
                    'salary': random.choice([35000, 45000, 55000, 70000,
                            None]),
                    'conditions': random.choice([None, "Целевое обучение",
                            "Наставник, доплата молодому специалисту",
                            "Служебное жильё"])})
        if random.random() < 0.1:
            demands.append({'response': response.id,
                    'question': q['demand'].id,
                    'profession': "Оператор беспилотных авиационных систем",
                    'qualification': 'worker', 'need_next_year': 1,
                    'need_three_years': 4})
    Answer.create(answers)
    Demand.create(demands)
    return len(responses)


def _graduates(env, survey):
    pool = env.pool
    Response = pool.get('copp.survey.response')
    Answer = pool.get('copp.survey.answer')
    random = env.random
    q = _questions(survey)
    count = 300 if env.scale == 'small' else 1200
    now = dt.datetime.now()
    day = dt.datetime.combine(env.today, dt.time())
    responses = Response.create([{
                'survey': survey.id, 'segment': 'graduate',
                'state': 'submitted' if i % 12 else 'draft',
                'started': now - dt.timedelta(days=random.randint(1, 40)),
                'submitted_date': (day - dt.timedelta(
                        days=random.randint(0, 40))) if i % 12 else None,
                'nonce': secrets.token_urlsafe(12)} for i in range(count)])
    answers = []
    for response in responses:
        status = _weighted(env, [("Работаю по специальности", 52),
                ("Работаю не по специальности", 14),
                ("Продолжаю обучение", 14), ("Служу в армии", 9),
                ("Ищу работу", 7), ("В отпуске по уходу за ребёнком", 4)])
        answers.append({'response': response.id,
                'question': q['status'].id,
                'option': _option(q['status'], status)})
        if status.startswith("Работаю"):
            answers.append({'response': response.id,
                    'question': q['since'].id,
                    'date': env.today - dt.timedelta(
                        days=random.randint(30, 400))})
            answers.append({'response': response.id,
                    'question': q['salary'].id,
                    'number': float(random.choice([28000, 35000, 42000,
                                48000, 55000, 65000, 80000]))})
        if status == "Работаю не по специальности" and random.random() < .6:
            answers.append({'response': response.id,
                    'question': q['why'].id, 'text': random.choice([
                            "Не нашёл работу по специальности в районе",
                            "Зарплата выше", "Поменялись интересы"])})
        answers.append({'response': response.id,
                'question': q['satisfaction'].id,
                'number': float(_weighted(env, [(10, 3), (9, 4), (8, 6),
                            (7, 5), (6, 3), (5, 2), (4, 1), (3, 1)]))})
        for row in q['preparation'].rows:
            answers.append({'response': response.id,
                    'question': q['preparation'].id, 'row': row.id,
                    'option': _weighted(env, [(o.id, w) for o, w in zip(
                                q['preparation'].options, [5, 4, 1])])})
        comment = random.choice(GRADUATE_COMMENTS)
        if comment:
            answers.append({'response': response.id,
                    'question': q['comment'].id, 'text': comment})
    Answer.create(answers)
    return count


def _satisfaction(env, survey):
    "Invitations of the attendees of the done events, half of them answer"
    pool = env.pool
    Event = pool.get('copp.event')
    Registration = pool.get('copp.event.registration')
    Invitation = pool.get('copp.survey.invitation')
    Response = pool.get('copp.survey.response')
    Answer = pool.get('copp.survey.answer')
    random = env.random
    q = _questions(survey)
    events = Event.search([('state', '=', 'done')])
    if not events:
        return 0
    Event.write(events, {'satisfaction_survey': survey.id})
    registrations = Registration.search([
            ('event', 'in', [e.id for e in events]),
            ('state', '=', 'confirmed'), ('attended', '=', True)])
    now = dt.datetime.now()
    values, seen = [], set()
    for registration in registrations:
        email = registration.recipient
        if not email or email in seen:
            continue
        seen.add(email)
        values.append({'survey': survey.id, 'email': email,
                'name': registration.rec_name,
                'registration': registration.id,
                'segment': 'schoolchild' if registration.category
                == 'schoolchild' else ('student' if registration.category
                    == 'student' else 'public'),
                'sent_date': now - dt.timedelta(days=random.randint(1, 20)),
                'nonce': secrets.token_urlsafe(12)})
    invitations = Invitation.create(values)
    answering = [i for i in invitations if random.random() < 0.5]
    Invitation.write(answering or [], {'submitted': True,
            'submitted_date': now})
    day = dt.datetime.combine(env.today, dt.time())
    # Anonymous survey: the responses keep no link to the invitations.
    responses = Response.create([{'survey': survey.id,
                'segment': i.segment, 'state': 'submitted',
                'started': now - dt.timedelta(days=1),
                'submitted_date': day - dt.timedelta(
                    days=random.randint(0, 15)),
                'nonce': secrets.token_urlsafe(12)} for i in answering])
    answers = []
    for response in responses:
        answers += [
            {'response': response.id, 'question': q['overall'].id,
                'number': float(_weighted(env, [(10, 6), (9, 5), (8, 4),
                            (7, 2), (6, 1), (5, 1)]))},
            {'response': response.id, 'question': q['recommend'].id,
                'option': _option(q['recommend'], _weighted(env, [
                            ("Да", 9), ("Нет", 1)]))},
            {'response': response.id, 'question': q['choice'].id,
                'option': _option(q['choice'], random=random)},
            ]
        for option in random.sample(q['liked'].options,
                random.randint(1, 3)):
            answers.append({'response': response.id,
                    'question': q['liked'].id, 'option': option.id})
        comment = random.choice(EVENT_COMMENTS)
        if comment:
            answers.append({'response': response.id,
                    'question': q['comment'].id, 'text': comment})
    Answer.create(answers)
    return len(responses)
