"""Demo data of copp_event: events of the ЦОПП and the colleges over four
months around today (past ones done, with attendance), registrations of
schoolchildren (with their legal representatives), students and adults,
waiting lists and a few school classes (see copp.cli.demo)."""
import datetime as dt
import secrets

from trytond.transaction import Transaction

from copp.demo import person_values

TITLES = {
    'career_guidance': [
        "Профпробы для школьников: {p}",
        "Профориентационный квест «Моя профессия — {p}»",
        "Билет в будущее: знакомство с профессией «{p}»",
        "Неделя без турникетов: {p}"],
    'job_fair': [
        "Ярмарка вакансий для выпускников колледжей",
        "Ярмарка вакансий и стажировок «Работа в Рязанской области»",
        "Ярмарка рабочих мест для студентов выпускных курсов"],
    'open_day': [
        "День открытых дверей {c}",
        "Открытые мастерские {c}: приходите всей семьёй"],
    'championship': [
        "Региональный чемпионат «Профессионалы»: компетенция «{p}»",
        "Отборочный этап чемпионата «Абилимпикс»: «{p}»"],
    'master_class': [
        "Мастер-класс «{p}: первые шаги»",
        "Мастер-класс для взрослых: {p}"],
    'webinar': [
        "Вебинар для родителей: как выбрать колледж",
        "Вебинар «Целевое обучение: что это и как поступить»",
        "Вебинар для работодателей: наставничество на производстве"],
    }
PROFESSIONS = ["сварочные технологии", "программирование", "поварское дело",
    "электромонтаж", "ремонт автомобилей", "агрономия", "медицинский уход",
    "дизайн интерьера", "робототехника", "токарные работы на станках с ЧПУ",
    "кондитерское дело", "сетевое администрирование"]
KIND_WEIGHTS = [('career_guidance', 8), ('open_day', 6), ('master_class', 6),
    ('job_fair', 3), ('championship', 3), ('webinar', 4)]
SCHOOLS = ["МБОУ «Школа № {n}» г. Рязани", "МОУ «Гимназия № {n}»",
    "МБОУ «Лицей № {n}»", "МОУ «СОШ № {n}» г. Касимова"]


def _kind(env):
    total = sum(w for _, w in KIND_WEIGHTS)
    value = env.random.uniform(0, total)
    for kind, weight in KIND_WEIGHTS:
        value -= weight
        if value <= 0:
            return kind
    return KIND_WEIGHTS[-1][0]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Event = pool.get('copp.event')
    organizers = Company.search([
            ('institution_kind', 'in', ['copp', 'college'])],
        order=[('id', 'ASC')])
    if not organizers:
        return
    random = env.random
    count = env.size['events']
    now = dt.datetime.now().replace(minute=0, second=0, microsecond=0)
    values, plans = [], []
    for index in range(count):
        kind = _kind(env)
        organizer = organizers[0] if index % 4 == 0 else random.choice(
            organizers)
        profession = random.choice(PROFESSIONS)
        title = random.choice(TITLES[kind]).format(p=profession,
            c=organizer.rec_name)
        # From two months ago to two months ahead; a few today.
        offset = random.randint(-60, 60) if index % 10 else random.choice(
            [0, 1, 2])
        day = (now + dt.timedelta(days=offset)).replace(
            hour=random.choice([6, 7, 8, 11, 12, 13]))  # 9:00–16:00 MSK
        sessions = (random.randint(2, 3) if kind == 'championship'
            else (2 if kind == 'master_class' and index % 3 == 0 else 1))
        session_values = []
        for number in range(sessions):
            start = day + dt.timedelta(days=number)
            session_values.append({
                    'start': start,
                    'end': start + dt.timedelta(
                        hours=random.choice([1, 2, 3])),
                    'name': f"День {number + 1}" if sessions > 1 else None,
                    })
        online = kind == 'webinar'
        capacity = (None if kind in {'job_fair', 'webinar'}
            else random.choice([15, 20, 25, 30, 40, 60]))
        audience = {
            'career_guidance': ('schoolchildren',),
            'open_day': ('schoolchildren', 'adults'),
            'master_class': random.choice([('schoolchildren',),
                    ('adults',), ('schoolchildren', 'students')]),
            'job_fair': ('students', 'adults', 'employers'),
            'championship': ('students',),
            'webinar': random.choice([('adults',), ('employers',)]),
            }[kind]
        min_age, max_age = None, None
        if audience == ('schoolchildren',):
            min_age, max_age = random.choice([(12, 17), (14, 18), (10, 17)])
        values.append({
                'name': title[:200],
                'kind': kind,
                'company': organizer.id,
                'description': _description(kind, profession, organizer),
                'venue_kind': 'online' if online else 'college',
                'venue_company': None if online else organizer.id,
                'venue_room': None if online else random.choice([
                        "Мастерская «Сварочные технологии», корпус 2",
                        "Актовый зал", "Лаборатория ИТ, ауд. 305",
                        "Учебная кухня", "Автомастерская",
                        "Мастерская электромонтажа, ауд. 112"]),
                'address': None if online else (
                    f"г. Рязань, {env.faker.street_name()}, "
                    f"д. {random.randint(1, 90)}"),
                'online_url': ('https://webinar.copp62.ru/room/'
                    f'{secrets.token_hex(4)}') if online else None,
                'audience': audience,
                'min_age': min_age, 'max_age': max_age,
                'capacity': capacity,
                'waiting_list': True,
                'registration_open': True,
                'reminder_hours': 24,
                'contact_phone': f"+7 (4912) {random.randint(20, 99)}-"
                f"{random.randint(10, 99)}-{random.randint(10, 99)}",
                'contact_email': 'events@demo.copp62.ru',
                'checkin_nonce': secrets.token_urlsafe(12),
                'sessions': [('create', session_values)],
                'state': 'draft',
                })
        plans.append({'offset': offset, 'capacity': capacity,
                'audience': audience, 'min_age': min_age,
                'max_age': max_age, 'index': index})
    events = Event.create(values)
    published, cancelled, drafts = [], [], []
    for event, plan in zip(events, plans):
        if plan['index'] % 17 == 5 and plan['offset'] > 0:
            cancelled.append(event)
        elif plan['index'] % 19 == 7 and plan['offset'] > 3:
            drafts.append(event)
        else:
            published.append(event)
    Event.publish(published + cancelled)
    registrations = _registrations(env, [(e, p) for e, p in zip(events,
                plans) if e in published])
    _attendance(env, [e for e, p in zip(events, plans)
            if e in published and p['offset'] < 0])
    if cancelled:
        Event.write(cancelled, {'state': 'cancelled'})
    past = [e for e, p in zip(events, plans)
        if e in published and p['offset'] < -1]
    if past:
        Event.write(past, {'state': 'done'})
    env.count("Мероприятия", len(events))
    env.count("Регистрации на мероприятия", registrations)


def _description(kind, profession, organizer):
    texts = {
        'career_guidance': (f"Попробуйте себя в профессии: {profession}. "
            "Мастера производственного обучения покажут оборудование, а "
            "участники выполнят первое практическое задание. Для "
            "школьников 7–11 классов; несовершеннолетних регистрируют "
            "родители или законные представители."),
        'open_day': (f"{organizer.rec_name} приглашает школьников и "
            "родителей: экскурсия по мастерским и лабораториям, "
            "консультации приёмной комиссии, встреча с работодателями."),
        'master_class': (f"Практическое занятие «{profession}» в "
            "современной мастерской. Все материалы и спецодежда "
            "предоставляются."),
        'job_fair': ("Работодатели региона представят вакансии, стажировки "
            "и программы целевого обучения. Возьмите с собой резюме."),
        'championship': (f"Соревнования студентов колледжей по компетенции "
            f"«{profession}». Зрители приглашаются по регистрации."),
        'webinar': ("Онлайн-встреча со специалистами ЦОПП: ответим на "
            "вопросы в чате. Ссылку пришлём после регистрации."),
        }
    return texts[kind]


def _registrations(env, events):
    pool = env.pool
    Registration = pool.get('copp.event.registration')
    random = env.random
    today = env.today
    values = []
    for event, plan in events:
        capacity = plan['capacity']
        if capacity:
            wanted = int(capacity * random.uniform(0.5, 1.25))
        else:
            wanted = random.randint(20, 80)
        confirmed = 0
        school = random.choice(SCHOOLS).format(n=random.randint(1, 75))
        for number in range(wanted):
            if 'schoolchildren' in plan['audience'] and (
                    'adults' not in plan['audience'] or number % 2):
                low = plan['min_age'] or 12
                high = min(plan['max_age'] or 17, 17)
                person = person_values(env, age=(low, high))
                # Exactly `years` old on the day of the event.
                years = random.randint(low, high)
                event_day = today + dt.timedelta(days=plan['offset'])
                anniversary = event_day.replace(
                    year=event_day.year - years,
                    day=min(event_day.day, 28))
                person['birth_date'] = anniversary - dt.timedelta(
                    days=random.randint(0, 300))
                category = 'schoolchild'
                parent = person_values(env, gender='female', age=(32, 50))
                representative = {
                    'representative_name': parent['name'],
                    'representative_relation': random.choice(
                        ['mother', 'mother', 'father', 'guardian']),
                    'representative_phone': env.faker.phone_number(),
                    'representative_email': f"parent{random.randint(1000, 99999)}@mail.example",
                    'organization': school,
                    'grade': f"{random.randint(7, 11)} «{random.choice('АБВ')}»",
                    'consent_by': 'representative',
                    }
            else:
                if plan['max_age'] is not None and plan['max_age'] < 19:
                    continue
                category = random.choice(['student', 'adult', 'adult'])
                person = person_values(env, age=(19, 45))
                representative = {'consent_by': 'participant'}
            if capacity and confirmed >= capacity:
                state = 'waiting'
            else:
                state = 'confirmed'
                confirmed += 1
            if state == 'confirmed' and random.random() < 0.06 and (
                    plan['offset'] > 0):
                state = 'cancelled'
                confirmed -= 1
            login = f"{person['last_name']}.{random.randint(10, 999)}"
            values.append(dict(representative,
                    event=event.id,
                    last_name=person['last_name'],
                    first_name=person['first_name'],
                    patronymic=person['patronymic'],
                    birth_date=person['birth_date'],
                    category=category,
                    email=(None if category == 'schoolchild'
                        and random.random() < 0.5 else
                        f"{_latin(login)}@mail.example"),
                    phone=env.faker.phone_number(),
                    consent=True,
                    consent_date=dt.datetime.now(),
                    source=random.choice(['portal'] * 5 + ['staff']),
                    state=state,
                    cancel_reason='participant' if state == 'cancelled'
                    else None,
                    ticket_nonce=secrets.token_urlsafe(12),
                    ))
    with Transaction().set_context(_copp_event_placed=True):
        Registration.create(values)
    return len(values)


def _attendance(env, events):
    pool = env.pool
    Registration = pool.get('copp.event.registration')
    Attendance = pool.get('copp.event.attendance')
    random = env.random
    values = []
    for event in events:
        registrations = Registration.search([('event', '=', event.id),
                ('state', '=', 'confirmed')])
        rate = random.uniform(0.6, 0.9)
        for registration in registrations:
            if random.random() > rate:
                continue
            for session in event.sessions:
                if random.random() < 0.9:
                    values.append({
                            'registration': registration.id,
                            'session': session.id,
                            'checked_in': session.start + dt.timedelta(
                                minutes=random.randint(-20, 15)),
                            'method': random.choice(['qr', 'qr', 'qr',
                                    'search']),
                            })
    Attendance.create(values)
    env.count("Отметки присутствия", len(values))


_TRANSLIT = str.maketrans({
        'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e',
        'ё': 'e', 'ж': 'zh', 'з': 'z', 'и': 'i', 'й': 'y', 'к': 'k',
        'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r',
        'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'h', 'ц': 'c',
        'ч': 'ch', 'ш': 'sh', 'щ': 'sch', 'ъ': '', 'ы': 'y', 'ь': '',
        'э': 'e', 'ю': 'yu', 'я': 'ya'})


def _latin(text):
    return text.lower().translate(_TRANSLIT)
