"""Demo data of copp_employer: employers of the Ryazan region with contacts,
agreements with the colleges, practice places with students, vacancies,
training orders with their stage history, and one portal user per employer
(see copp.cli.demo for the mechanism)."""
import datetime as dt
from decimal import Decimal

from sql import Table

from trytond.transaction import Transaction

from copp.demo import person_values

DEMO_PASSWORD = 'partner-demo-2026'
EMAIL_DOMAIN = 'demo.copp62.ru'

# (industry, ОКВЭД codes, name stems, [(position, specialty, salary from)],
#  district weights are shared)
PROFILES = [
    ('C', ['25.62', '28.41', '25.11', '29.32', '27.12'], [
            "Рязанский станкостроительный завод", "Приокский машзавод",
            "Рязанский завод металлоконструкций", "Тяжпрессмаш",
            "Касимовский механический завод", "Скопинский литейный завод",
            "Рязанский приборный завод", "Электроприбор-Рязань"], [
            ("Оператор станков с ЧПУ", '15.02.16', 45000),
            ("Сварщик", '15.01.05', 50000),
            ("Техник-технолог", '15.02.16', 48000),
            ("Наладчик промышленного оборудования", '15.02.17', 55000),
            ("Электромонтёр", '13.02.11', 47000),
            ("Контролёр ОТК", '27.02.07', 38000)]),
    ('C', ['10.71', '10.51', '10.13', '11.07'], [
            "Рязанский хлебокомбинат", "Рязанский молочный завод",
            "Касимовский хлебозавод", "Шиловский мясокомбинат",
            "Сасовский пищекомбинат"], [
            ("Технолог пищевого производства", '19.02.11', 40000),
            ("Пекарь-кондитер", '43.01.09', 35000),
            ("Оператор линии", '19.02.11', 37000)]),
    ('A', ['01.11', '01.41', '01.61'], [
            "Агрохолдинг Приокский", "Рязаньагропром", "Мещёрское поле",
            "Сараевское хозяйство", "Ряжская нива"], [
            ("Агроном", '35.02.05', 42000),
            ("Тракторист-машинист", '35.02.16', 38000),
            ("Ветеринарный фельдшер", '36.02.01', 36000),
            ("Зоотехник", '36.02.02', 37000),
            ("Электрик АПК", '35.02.08', 40000)]),
    ('F', ['41.20', '43.21', '42.11'], [
            "Рязаньстрой", "Мещера-Строй", "Окадорстрой", "Рязанское дорожное управление",
            "Новомичуринскэнергомонтаж"], [
            ("Мастер строительных работ", '08.02.01', 55000),
            ("Отделочник", '08.01.25', 45000),
            ("Электромонтажник", '08.02.09', 50000),
            ("Машинист дорожной техники", '23.02.04', 52000)]),
    ('H', ['49.41', '49.20', '52.21'], [
            "Рязанское автотранспортное предприятие", "Рязань-Логистик",
            "Вагоноремонтная компания Ока", "Касимовское АТП"], [
            ("Автомеханик", '23.02.07', 48000),
            ("Диспетчер перевозок", '23.02.01', 40000),
            ("Слесарь по ремонту подвижного состава", '23.02.06', 46000),
            ("Логист", '38.02.03', 42000)]),
    ('J', ['62.01', '62.02', '61.10'], [
            "Рязанские информационные системы", "Цифровая Мещера",
            "Окасофт", "Телеком-Рязань"], [
            ("Младший программист", '09.02.07', 55000),
            ("Системный администратор", '09.02.06', 50000),
            ("Специалист по защите информации", '10.02.05', 60000),
            ("Монтажник сетей связи", '11.02.15', 45000)]),
    ('Q', ['86.10', '86.90', '47.73'], [
            "Медицинский центр Здоровье", "Клиника Ока-Мед",
            "Аптечная сеть Фармация-62", "Диагностический центр Мещера"], [
            ("Медицинская сестра", '34.02.01', 38000),
            ("Фельдшер", '31.02.01', 42000),
            ("Фармацевт", '33.02.01', 40000),
            ("Акушерка", '31.02.02', 39000)]),
    ('I', ['55.10', '56.10'], [
            "Гостиница Ока", "Ресторанный двор Рязань",
            "Туркомплекс Мещёра"], [
            ("Повар", '43.02.15', 38000),
            ("Администратор гостиницы", '43.02.16', 35000),
            ("Кондитер", '43.01.09', 36000)]),
    ('D', ['35.11', '35.30', '36.00'], [
            "Рязанская энергосбытовая компания", "Рязаньгоргаз",
            "Водоканал-Сервис"], [
            ("Слесарь газового хозяйства", '08.02.08', 46000),
            ("Электромонтёр по ремонту оборудования", '13.02.11', 50000)]),
    ('K', ['64.19', '66.22'], [
            "Банк Рязанский кредит", "Страховая компания Ока-Полис"], [
            ("Операционист", '38.02.07', 40000),
            ("Бухгалтер", '38.02.01', 42000)]),
    ]
DISTRICT_WEIGHTS = [('ryazan', 40), ('ryazansky', 6), ('kasimov_city', 5),
    ('skopin_city', 4), ('sasovo_city', 4), ('rybnovsky', 3), ('pronsky', 3),
    ('shilovsky', 3), ('mikhailovsky', 2), ('ryazhsky', 2),
    ('spassky', 2), ('kasimovsky', 2), ('korablinsky', 2),
    ('starozhilovsky', 1), ('sapozhkovsky', 1), ('shatsky', 1),
    ('klepikovsky', 1), ('saraevsky', 1), ('chuchkovsky', 1)]
FORMS = ["ООО", "АО", "ООО", "ПАО", "ООО"]
REQUIREMENTS = [
    "Среднее профессиональное образование по профилю. Ответственность, "
    "готовность учиться.",
    "Образование СПО; опыт работы приветствуется, рассматриваем "
    "выпускников колледжей.",
    "Профильное образование, знание техники безопасности, медицинская "
    "книжка.",
    ]
CONDITIONS = [
    "Оформление по ТК РФ, белая зарплата, обучение за счёт предприятия.",
    "Доставка служебным транспортом, питание, наставник на первые "
    "полгода.",
    "Официальное трудоустройство, премии, ДМС после испытательного срока.",
    ]
DUTIES = [
    "Работа по технологическим картам, ведение документации смены.",
    "Обслуживание оборудования, участие в плановых ремонтах.",
    "Работа в команде под руководством наставника.",
    ]
AGREEMENT_SUBJECTS = {
    'practice': "Организация производственной практики студентов на базе "
    "предприятия, предоставление рабочих мест и наставников.",
    'targeted': "Целевое обучение студентов с последующим трудоустройством "
    "на предприятии.",
    'cooperation': "Сотрудничество в подготовке кадров: участие в "
    "демонстрационном экзамене, актуализация программ, экскурсии.",
    'equipment': "Совместное оснащение мастерских и проведение стажировок "
    "преподавателей.",
    'employment': "Содействие трудоустройству выпускников колледжа.",
    }
GROUP_PREFIXES = ["ТМ", "СВ", "ИСП", "АГ", "СД", "ПК", "ЭЛ", "АМ"]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    copp_center = (Company.search([('institution_kind', '=', 'copp')],
            limit=1) or [None])[0]
    specialties = _specialties(pool)
    employers, profiles = _employers(env, specialties)
    contacts = _contacts(env, employers)
    agreements = _agreements(env, employers, colleges)
    _practice(env, agreements, specialties)
    _vacancies(env, employers, profiles, contacts, specialties)
    _orders(env, employers, profiles, contacts, specialties, colleges,
        copp_center)
    _portal_users(env, employers, contacts)


def _specialties(pool):
    Specialty = pool.get('copp.specialty')
    return {s.code: s for s in Specialty.search([('company', '=', None)])}


def _weighted(env, pairs):
    total = sum(w for _, w in pairs)
    point = env.random.uniform(0, total)
    for value, weight in pairs:
        point -= weight
        if point <= 0:
            return value
    return pairs[-1][0]


def _employers(env, specialties):
    Employer = env.pool.get('copp.employer')
    faker, random = env.faker, env.random
    count = env.size['employers']
    used, values, profiles = set(), [], []
    for index in range(count):
        profile = PROFILES[index % len(PROFILES)]
        industry, okveds, stems, _ = profile
        stem = stems[(index // len(PROFILES)) % len(stems)]
        round_ = index // (len(PROFILES) * len(stems))
        if round_:
            stem = f"{stem}-{faker.last_name_male()}"
        name = f"{random.choice(FORMS)} «{stem}»"
        while name in used:
            name = f"{random.choice(FORMS)} «{stem} {random.randint(2, 99)}»"
        used.add(name)
        employees = random.choice([8, 25, 60, 120, 240, 450, 1200])
        district = _weighted(env, DISTRICT_WEIGHTS)
        slug = f"org{index + 1:03d}"
        values.append({
                'name': name,
                'inn': faker.businesses_inn(),
                'kpp': faker.kpp(),
                'ogrn': faker.businesses_ogrn(),
                'okved': random.choice(okveds),
                'industry': industry,
                'employees': employees,
                'size': ('micro' if employees <= 15 else 'small'
                    if employees <= 100 else 'medium' if employees <= 250
                    else 'large'),
                'district': district,
                'city': "Рязань" if district == 'ryazan' else None,
                'street': faker.street_address(),
                'postal_code': f"39{random.randint(0, 9999):04d}",
                'phone': faker.phone_number(),
                'email': f"info@{slug}.{EMAIL_DOMAIN}",
                'website': f"{slug}.{EMAIL_DOMAIN}",
                'description': (f"{stem}: одно из предприятий Рязанской "
                    "области. Сотрудничает с колледжами региона, берёт "
                    "студентов на практику и выпускников на работу."),
                })
        profiles.append(profile)
    employers = Employer.create(list(env.progress(values,
                desc="Работодатели")))
    env.count("Работодатели", len(employers))
    return employers, profiles


def _contacts(env, employers):
    Contact = env.pool.get('copp.employer.contact')
    values = []
    for index, employer in enumerate(employers):
        for number, position in enumerate(
                ["начальник отдела кадров", "главный инженер"][
                    :env.random.choice([1, 2])]):
            person = person_values(env)
            values.append({
                    'employer': employer.id,
                    'name': person['name'],
                    'position': position,
                    'phone': env.faker.phone_number(),
                    'email': (f"hr{number or ''}@org{index + 1:03d}."
                        f"{EMAIL_DOMAIN}"),
                    'main': number == 0,
                    })
    contacts = Contact.create(values)
    env.count("Контактные лица работодателей", len(contacts))
    by_employer = {}
    for contact in contacts:
        by_employer.setdefault(contact.employer.id, []).append(contact)
    return by_employer


def _agreements(env, employers, colleges):
    Agreement = env.pool.get('copp.employer.agreement')
    if not colleges:
        return []
    random, today = env.random, env.today
    values, states = [], []
    numbers = {}
    for employer in employers:
        partners = random.sample(colleges, min(len(colleges),
                random.choice([1, 1, 2, 2, 3])))
        for college in partners:
            numbers[college.id] = numbers.get(college.id, 0) + 1
            start = today - dt.timedelta(days=random.randint(30, 1100))
            length = random.choice([365, 730, 1095, 1826])
            end = start + dt.timedelta(days=length)
            state = random.choice(['active'] * 6 + ['draft', 'terminated'])
            if state == 'active' and end < today:
                state = 'expired'
            kind = random.choice(list(AGREEMENT_SUBJECTS))
            values.append({
                    'company': college.id, 'employer': employer.id,
                    'number': f"{college.short_name}-{numbers[college.id]:03d}"
                    f"/{start.year}",
                    'date': start - dt.timedelta(days=random.randint(0, 20)),
                    'start_date': start,
                    'end_date': end if random.random() > 0.1 else None,
                    'kind': kind,
                    'subject': AGREEMENT_SUBJECTS[kind],
                    })
            states.append(state)
    agreements = Agreement.create(values)
    by_state = {}
    for agreement, state in zip(agreements, states):
        by_state.setdefault(state, []).append(agreement)
    Agreement.activate(by_state.get('active', []) + by_state.get(
            'expired', []) + by_state.get('terminated', []))
    Agreement.expire(by_state.get('expired', []))
    Agreement.terminate(by_state.get('terminated', []))
    env.count("Соглашения о сотрудничестве", len(agreements))
    return [a for a in agreements if a.state in {'active', 'expired'}]


def _practice(env, agreements, specialties):
    pool = env.pool
    Place = pool.get('copp.employer.practice_place')
    Party = pool.get('party.party')
    random, today = env.random, env.today
    plan = []
    for agreement in agreements:
        if agreement.kind not in {'practice', 'targeted', 'cooperation'} or (
                random.random() < 0.3):
            continue
        plan.append(agreement)
    if not plan:
        return
    records = _studying_by_college(env, {a.company.id for a in plan})
    people = [] if records is not None else Party.create([
            dict(person_values(env, age=(17, 21)), snils=None)
            for _ in range(len(plan) * 4)])
    values, index = [], 0
    for agreement in plan:
        positions = _profile_for(agreement.employer)[3]
        position = random.choice(positions)
        specialty = specialties.get(position[1])
        if not specialty:
            continue
        start = today + dt.timedelta(days=random.randint(-40, 60))
        places = random.randint(2, 6)
        taken = random.randint(0, min(places, 4)) if start <= today + (
            dt.timedelta(days=30)) else 0
        if records is not None:
            # The contingent's students of the college, each placed once.
            free = records.get(agreement.company.id, [])
            placements = [{'record': free.pop()}
                for _ in range(min(taken, len(free)))]
        else:
            group = (f"{random.choice(GROUP_PREFIXES)}-"
                f"{random.randint(21, 24)}")
            placements = [{'student': p.id, 'group_name': group}
                for p in people[index:index + taken]]
        index += len(placements)
        values.append({
                'company': agreement.company.id,
                'employer': agreement.employer.id,
                'agreement': agreement.id,
                'specialty': specialty.id,
                'places': places,
                'start_date': start,
                'end_date': start + dt.timedelta(days=random.choice(
                        [14, 21, 28, 42])),
                'mentor': person_values(env)['name'],
                'mentor_position': random.choice(
                    ["мастер участка", "главный технолог", "инженер"]),
                'mentor_phone': env.faker.phone_number(),
                'students': [('create', placements)],
                })
    created = Place.create(values)
    env.count("Места практики", len(created))
    env.count("Студенты на практике", index)


def _studying_by_college(env, colleges):
    """{college: [ids of studying students of the 2nd course and later]},
    shuffled, when copp_contingent is activated (else None)"""
    pool = env.pool
    try:
        Student = pool.get('copp.student')
    except KeyError:
        return None
    result = {}
    for student in Student.search([
                ('company', 'in', list(colleges)),
                ('state', '=', 'studying'),
                ('course', '>=', 2),
                ], order=[('id', 'ASC')]):
        result.setdefault(student.company.id, []).append(student.id)
    for ids in result.values():
        env.random.shuffle(ids)
    return result


def _profile_for(employer):
    for profile in PROFILES:
        if employer.industry == profile[0] and employer.okved in profile[1]:
            return profile
    return PROFILES[0]


def _vacancies(env, employers, profiles, contacts, specialties):
    Vacancy = env.pool.get('copp.vacancy')
    random, today = env.random, env.today
    values, states = [], []
    for employer, profile in zip(employers, profiles):
        positions = profile[3]
        for _ in range(random.randint(3, 6)):
            position, code, salary = random.choice(positions)
            salary_from = Decimal(salary + random.randint(-5, 10) * 1000)
            salary_to = (salary_from + Decimal(random.choice(
                        [5000, 10000, 15000, 20000]))
                if random.random() > 0.3 else None)
            contact = (contacts.get(employer.id) or [None])[0]
            values.append({
                    'employer': employer.id,
                    'position': position,
                    'specialty': specialties[code].id
                    if code in specialties else None,
                    'salary_from': salary_from,
                    'salary_to': salary_to,
                    'employment': random.choice(['full'] * 6 + [
                            'part', 'internship', 'temporary']),
                    'schedule': random.choice(['full_day'] * 4 + [
                            'shift', 'shift', 'flexible', 'rotation']),
                    'experience': random.choice(['none', 'none', 'from1',
                            'from3']),
                    'for_students': random.random() > 0.3,
                    'quantity': random.choice([1, 1, 2, 3, 5]),
                    'requirements': random.choice(REQUIREMENTS),
                    'duties': random.choice(DUTIES),
                    'conditions': random.choice(CONDITIONS),
                    'district': employer.district,
                    'address': employer.full_address or None,
                    'contact': contact.id if contact else None,
                    })
            states.append(random.choice(['published'] * 8 + [
                        'draft', 'closed']))
    vacancies = Vacancy.create(list(env.progress(values, desc="Вакансии")))
    to_publish = [v for v, s in zip(vacancies, states)
        if s in {'published', 'closed'}]
    Vacancy.publish(to_publish)
    Vacancy.close([v for v, s in zip(vacancies, states) if s == 'closed'])
    # Spread the publication dates over the last two months.
    table = Vacancy.__table__()
    cursor = Transaction().connection.cursor()
    for vacancy in to_publish:
        published = dt.datetime.combine(today, dt.time(9)) - dt.timedelta(
            days=random.randint(0, 55), minutes=random.randint(0, 600))
        cursor.execute(*table.update(
                [table.published_date, table.valid_until],
                [published, published.date() + dt.timedelta(days=60)],
                where=table.id == vacancy.id))
    env.count("Вакансии", len(vacancies))
    env.count("Опубликованные вакансии", sum(
            1 for s in states if s == 'published'))


def _orders(env, employers, profiles, contacts, specialties, colleges,
        copp_center):
    pool = env.pool
    Order = pool.get('copp.training.order')
    User = pool.get('res.user')
    Program = pool.get('copp.program')
    random, today = env.random, env.today
    programs = Program.search([('state', '=', 'published')])
    values, targets = [], []
    for employer, profile in zip(employers, profiles):
        for _ in range(random.choice([0, 1, 1, 2])):
            position, code, _ = random.choice(profile[3])
            use_program = programs and random.random() < 0.25
            contact = (contacts.get(employer.id) or [None])[0]
            values.append({
                    'employer': employer.id,
                    'specialty': None if use_program else (
                        specialties[code].id if code in specialties
                        else None),
                    'program': random.choice(programs).id
                    if use_program or code not in specialties else None,
                    'quantity': random.choice([3, 5, 8, 10, 12, 15, 20, 25]),
                    'deadline': today + dt.timedelta(
                        days=random.randint(60, 540)),
                    'comment': f"Нужны специалисты: {position.lower()}. "
                    "Готовы предоставить площадку для практики.",
                    'contact': contact.id if contact else None,
                    })
            targets.append(random.choice(['new', 'new', 'review',
                        'accepted', 'accepted', 'training', 'training',
                        'completed', 'declined']))
    if not values:
        return
    with Transaction().set_context(portal_user=None):
        orders = Order.create(values)
    specialists = User.search([('login', '=', 'copp')]) or [None]
    path = ['review', 'accepted', 'training', 'completed']
    with Transaction().set_user(specialists[0].id if specialists[0] else 0):
        for step in path:
            movable = [o for o, t in zip(orders, targets)
                if t in path[path.index(step):] or (
                    t == 'declined' and step == 'review')]
            if step == 'training':
                for order in movable:
                    order.college = random.choice(colleges) if colleges else (
                        copp_center)
                Order.save(movable)
            method = {'review': Order.review, 'accepted': Order.accept,
                'training': Order.start_training,
                'completed': Order.complete}[step]
            if movable:
                method(movable)
        declined = [o for o, t in zip(orders, targets) if t == 'declined']
        for order in declined:
            order.decline_reason = ("Запрошенная специальность не "
                "реализуется в колледжах региона в этом году.")
        Order.save(declined)
        Order.decline(declined)
    # Spread the history over the past months: the stage log is read-only
    # for the application, the demo writes it directly.
    log = Table('copp_training_order_stage_log')
    order_table = Order.__table__()
    cursor = Transaction().connection.cursor()
    for order in orders:
        start = dt.datetime.combine(today, dt.time(10)) - dt.timedelta(
            days=random.randint(20, 200))
        cursor.execute(*order_table.update([order_table.date],
                [start.date()], where=order_table.id == order.id))
        cursor.execute(*log.select(log.id, where=log.order == order.id,
                order_by=[log.id.asc]))
        moment = start
        for log_id, in cursor.fetchall():
            cursor.execute(*log.update([log.date], [moment],
                    where=log.id == log_id))
            moment += dt.timedelta(days=random.randint(2, 20),
                hours=random.randint(0, 6))
    env.count("Заказы на подготовку", len(orders))


def _portal_users(env, employers, contacts):
    pool = env.pool
    User = pool.get('web.user')
    ResUser = pool.get('res.user')
    # One hash for the shared demo password: hashing is slow on purpose.
    password_hash = ResUser.hash_password(DEMO_PASSWORD)
    now = dt.datetime.now()
    values = []
    for index, employer in enumerate(employers, 1):
        contact = (contacts.get(employer.id) or [None])[0]
        values.append({
                'name': contact.name if contact else employer.name,
                'email': f"partner{index:03d}@{EMAIL_DOMAIN}",
                'organization': employer.party.id,
                'position': contact.position if contact else None,
                'phone': contact.phone if contact else None,
                'password_hash': password_hash,
                'email_valid': True,
                })
    users = User.create(values)
    Consent = pool.get('copp.portal.consent')
    text = pool.get('copp.portal.consent.text').current('partner_account')
    Consent.create([{'user': u.id, 'party': u.party.id,
                'purpose': 'partner_account', 'text': text.id,
                'version': text.version, 'given': now,
                'channel': 'invitation'} for u in users])
    env.count("Пользователи кабинета партнёра", len(users))
    for user, employer in list(zip(users, employers))[:3]:
        env.add_user("Работодатель (кабинет /partner/)", user.email,
            DEMO_PASSWORD, employer.rec_name)
    if len(users) > 3:
        env.add_user("Работодатели (остальные)",
            f"partner004…partner{len(users):03d}@{EMAIL_DOMAIN}",
            DEMO_PASSWORD, "по одному на работодателя")
