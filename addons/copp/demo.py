"""Demo data of the base module: institutions, staff, users per role,
academic years and ЦОПП programs (see copp.cli.demo for the mechanism)."""
import datetime as dt
from decimal import Decimal

# Real colleges of the Ryazan region first; the region scale adds more.
COLLEGES = [
    ("РКЭ", "ОГБПОУ «Рязанский колледж электроники»", "Рязань"),
    ("РЖК", "ОГБПОУ «Рязанский железнодорожный колледж»", "Рязань"),
    ("РМК", "ОГБПОУ «Рязанский медицинский колледж»", "Рязань"),
    ("РПК", "ОГБПОУ «Рязанский педагогический колледж»", "Рязань"),
    ("РСК", "ОГБПОУ «Рязанский строительный колледж имени Героя Советского "
        "Союза В.А. Беглова»", "Рязань"),
    ("РАТТ", "ОГБПОУ «Рязанский автотранспортный техникум имени С.А. Живаго»",
        "Рязань"),
    ("РТК", "ОГБПОУ «Рязанский технологический колледж»", "Рязань"),
    ("РМПК", "ОГБПОУ «Рязанский многопрофильный колледж»", "Рязань"),
    ("РМузК", "ОГБПОУ «Рязанский музыкальный колледж имени Г. и А. Пироговых»",
        "Рязань"),
    ("РКК", "ОГБПОУ «Рязанский колледж культуры»", "Рязань"),
    ("РАгТ", "ОГБПОУ «Рязанский аграрный техникум»", "Рязань"),
    ("КИТ", "ОГБПОУ «Касимовский индустриальный техникум»", "Касимов"),
    ("КМК", "ОГБПОУ «Касимовский медицинский колледж»", "Касимов"),
    ("СкМК", "ОГБПОУ «Скопинский медицинский колледж»", "Скопин"),
    ("СМК", "ОГБПОУ «Сасовский медицинский колледж»", "Сасово"),
    ("КТТ", "ОГБПОУ «Кадомский технологический техникум»", "Кадом"),
    ("ШАТТ", "ОГБПОУ «Шацкий агротехнологический техникум»", "Шацк"),
    ("МТ", "ОГБПОУ «Михайловский техникум имени А.Н. Ермакова»",
        "Михайлов"),
    ("РяжК", "ОГБПОУ «Ряжский колледж имени Героя Советского Союза "
        "А.М. Серебрякова»", "Ряжск"),
    ("НМТ", "ОГБПОУ «Новомичуринский многопрофильный техникум»",
        "Новомичуринск"),
    ]
TOWNS = ["Рязань", "Касимов", "Скопин", "Сасово", "Ряжск", "Рыбное",
    "Спасск-Рязанский", "Шилово", "Сараи", "Пронск", "Старожилово",
    "Кораблино", "Милославское", "Ухолово", "Путятино"]
PROFILES = ["многопрофильный", "технологический", "аграрный", "индустриальный",
    "политехнический", "агротехнологический"]

PROGRAMS = [
    ("Оператор станков с ЧПУ: основы программирования", 'vocational', 144,
        'blended', Decimal('24000')),
    ("Сварщик ручной дуговой сварки", 'vocational', 256, 'onsite',
        Decimal('38000')),
    ("1С:Предприятие для бухгалтеров учреждений", 'advanced', 72, 'distance',
        Decimal('12000')),
    ("Цифровые инструменты преподавателя СПО", 'advanced', 36, 'distance',
        None),
    ("Наставничество на производстве", 'advanced', 24, 'blended', None),
    ("Веб-разработка на Python", 'retraining', 260, 'blended',
        Decimal('45000')),
    ("Пожарная безопасность в образовательной организации", 'advanced', 16,
        'distance', None),
    ("Кондитер: выпечка и декор", 'short_adult', 36, 'onsite',
        Decimal('6500')),
    ("Юный робототехник", 'short_school', 18, 'onsite', None),
    ("Первая профессия: электромонтажник", 'short_school', 72, 'onsite',
        None),
    ("Младшая медицинская сестра по уходу за больными", 'vocational', 288,
        'blended', Decimal('30000')),
    ("Водитель погрузчика", 'vocational', 120, 'onsite', Decimal('17000')),
    ("Эксперт демонстрационного экзамена", 'advanced', 24, 'distance', None),
    ("Кибергигиена для школьников", 'short_school', 8, 'distance', None),
    ("Тракторист-машинист категории «C»", 'vocational', 320, 'onsite',
        Decimal('28000')),
    ]
PROGRAM_STATES = ['published', 'published', 'published', 'draft', 'archived']
POSITIONS_TEACHER = ["преподаватель", "мастер производственного обучения"]

ROLE_GROUPS = {
    'ministry': ("Министерство", 'group_ministry'),
    'copp': ("Специалист ЦОПП", 'group_copp'),
    'college_admin': ("Администратор колледжа", 'group_college_admin'),
    'registrar': ("Учебная часть", 'group_registrar'),
    'teacher': ("Преподаватель", 'group_teacher'),
    'accountant': ("Бухгалтер", 'group_accountant'),
    }


def populate(env):
    pool = env.pool
    currency = _currency(pool)
    country = _country(pool)
    ministry, copp_center, colleges = _institutions(env, currency, country)
    _academic_years(env)
    staff = _staff(env, [ministry, copp_center] + colleges)
    _programs(env, [copp_center] + colleges)
    _users(env, ministry, copp_center, colleges, staff)
    _admin_sees_all(pool, [ministry, copp_center] + colleges)


def _currency(pool):
    Currency = pool.get('currency.currency')
    currencies = Currency.search([('code', '=', 'RUB')])
    if currencies:
        return currencies[0]
    currency, = Currency.create([{
                'name': "Российский рубль", 'code': 'RUB', 'numeric_code': '643',
                'symbol': '₽', 'rounding': Decimal('0.01'), 'digits': 2,
                }])
    return currency


def _country(pool):
    Country = pool.get('country.country')
    Subdivision = pool.get('country.subdivision')
    countries = Country.search([('code', '=', 'RU')])
    if countries:
        country = countries[0]
    else:
        country, = Country.create([{
                    'name': "Россия", 'code': 'RU', 'code3': 'RUS',
                    'code_numeric': '643',
                    }])
    if not Subdivision.search([('code', '=', 'RU-RYA')]):
        Subdivision.create([{'country': country.id, 'code': 'RU-RYA',
                    'name': "Рязанская область", 'type': 'region'}])
    return country


def _party_values(env, name, town, street=None):
    faker = env.faker
    return {
        'name': name,
        'inn': faker.businesses_inn(),
        'kpp': faker.kpp(),
        'ogrn': faker.businesses_ogrn(),
        'addresses': [('create', [{
                        'street': street or faker.street_address(),
                        'city': town,
                        'postal_code': f"39{env.random.randint(0, 9999):04d}",
                        }])],
        'contact_mechanisms': [('create', [
                    {'type': 'phone', 'value': faker.phone_number()},
                    {'type': 'email',
                        'value': f"info{env.random.randint(100, 999)}"
                        "@edu.ryazan.example"},
                    ])],
        }


# The regional colleges are paid through the treasury of the region.
TREASURY_BANK = ("ОТДЕЛЕНИЕ РЯЗАНЬ БАНКА РОССИИ//УФК по Рязанской области "
    "г. Рязань")
TREASURY_BIC = '016126031'
TREASURY_EKS = '40102810345370000051'


def _treasury(number):
    "Bank details of an institution (no random draw: the demo stays the same)"
    from .bank import with_key
    return {
        'bank_name': TREASURY_BANK,
        'bank_bic': TREASURY_BIC,
        'bank_correspondent_account': TREASURY_EKS,
        'bank_account': with_key(f'0322464361{number:010d}', TREASURY_BIC),
        'bank_personal_account': f"20596Ц{73400 + number:05d}",
        'oktmo': '61701000',
        }


def _institutions(env, currency, country):
    pool = env.pool
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    count = env.size['colleges']
    colleges = list(COLLEGES[:count])
    number = 1
    while len(colleges) < count:
        town = TOWNS[number % len(TOWNS)]
        profile = PROFILES[number % len(PROFILES)]
        colleges.append((f"ТТ-{number}", f"ОГБПОУ «{town.split('-')[0]}ский "
                f"{profile} техникум № {number}»".replace('ьский', 'ский'),
                town))
        number += 1
    specs = ([("Минобр", "Министерство образования Рязанской области",
                "Рязань", 'ministry'),
            ("ЦОПП", "Центр опережающей профессиональной подготовки "
                "Рязанской области", "Рязань", 'copp')]
        + [(s, n, t, 'college') for s, n, t in colleges])
    parties = Party.create([_party_values(env, name, town)
            for _, name, town, _ in specs])
    companies = Company.create([{
                'party': party.id,
                'currency': currency.id,
                'timezone': 'Europe/Moscow',
                'short_name': short,
                'institution_kind': kind,
                'licence_number': (f"Л035-01298-62/{env.random.randint(10**7, 10**8 - 1)}"
                    if kind != 'ministry' else None),
                'licence_date': dt.date(2016 + env.random.randint(0, 6),
                    env.random.randint(1, 12), env.random.randint(1, 28))
                if kind != 'ministry' else None,
                'accreditation_number': (f"А007-01298-62/{env.random.randint(10**7, 10**8 - 1)}"
                    if kind == 'college' else None),
                **(_treasury(number) if kind != 'ministry' else {}),
                } for number, (party, (short, _, _, kind)) in enumerate(
                zip(parties, specs))])
    env.count("Учреждения (министерство, ЦОПП, колледжи)", len(companies))
    return companies[0], companies[1], list(companies[2:])


def _academic_years(env):
    AcademicYear = env.pool.get('copp.academic.year')
    today = env.today
    first = (today.year if today.month >= 9 else today.year - 1) - 3
    values = []
    for start in range(first, first + 5):
        values.append({
                'name': f"{start}/{start + 1}",
                'start_date': dt.date(start, 9, 1),
                'end_date': dt.date(start + 1, 8, 31),
                'terms': [('create', [
                            {'number': 1, 'start_date': dt.date(start, 9, 1),
                                'end_date': dt.date(start, 12, 31)},
                            {'number': 2,
                                'start_date': dt.date(start + 1, 1, 9),
                                'end_date': dt.date(start + 1, 6, 30)},
                            ])],
                })
    AcademicYear.create(values)
    env.count("Учебные годы", len(values))


def person_values(env, gender=None, age=(25, 65)):
    "A Russian person's party values (shared by other modules' demos)"
    faker = env.faker
    gender = gender or env.random.choice(['male', 'female'])
    suffix = '_male' if gender == 'male' else '_female'
    last = getattr(faker, 'last_name' + suffix)()
    first = getattr(faker, 'first_name' + suffix)()
    middle = getattr(faker, 'middle_name' + suffix)()
    today = env.today
    birth = today - dt.timedelta(
        days=env.random.randint(age[0] * 365, age[1] * 365))
    return {
        'last_name': last, 'first_name': first, 'patronymic': middle,
        'name': f"{last} {first} {middle}",
        'birth_date': birth, 'gender': gender,
        'snils': faker.snils(),
        }


def _staff(env, institutions):
    pool = env.pool
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    Company = pool.get('company.company')
    teachers = 6 if env.scale == 'small' else 25
    plan = []  # (company, position)
    for company in institutions:
        if company.institution_kind == 'college':
            positions = (["директор", "заместитель директора по учебной работе",
                    "специалист учебной части", "главный бухгалтер"]
                + [env.random.choice(POSITIONS_TEACHER)
                    for _ in range(teachers)])
        elif company.institution_kind == 'ministry':
            positions = ["министр", "консультант отдела профессионального "
                "образования"]
        else:
            positions = ["директор", "специалист ЦОПП", "специалист ЦОПП"]
        plan.extend((company, p) for p in positions)
    parties = Party.create([person_values(env)
            for _ in env.progress(plan, desc="Сотрудники")])
    employees = Employee.create([{
                'party': party.id, 'company': company.id, 'position': position,
                'start_date': dt.date(env.today.year - env.random.randint(1, 20),
                    9, 1),
                } for party, (company, position) in zip(parties, plan)])
    heads = {}
    for employee in employees:
        if employee.position in {"директор", "министр"}:
            heads.setdefault(employee.company.id, employee)
    to_write = []
    for company in institutions:
        head = heads.get(company.id)
        if head:
            to_write.extend([[company], {'head': head.party.id,
                        'head_position': head.position.capitalize()}])
    Company.write(*to_write)
    env.count("Сотрудники", len(employees))
    by_company = {}
    for employee in employees:
        by_company.setdefault(employee.company.id, []).append(employee)
    return by_company


def _programs(env, providers):
    Program = env.pool.get('copp.program')
    values = []
    for i, (name, kind, hours, format_, price) in enumerate(PROGRAMS * (
                1 if env.scale == 'small' else 4)):
        values.append({
                'name': name, 'kind': kind, 'hours': hours, 'format': format_,
                'free': price is None, 'price': price,
                'company': providers[i % len(providers)].id,
                'competencies': "Знание техники безопасности\n"
                "Умение применять полученные навыки на практике",
                'state': PROGRAM_STATES[i % len(PROGRAM_STATES)],
                })
        if kind == 'vocational' and 'vocational_kind' in Program._fields:
            # Required for vocational training once copp_training is
            # activated (its demo completes the programmes afterwards).
            values[-1]['vocational_kind'] = 'training'
    Program.create(values)
    env.count("Программы ЦОПП", len(values))


# The second factor of the demo accounts whose roles require one (the
# ministry, the ЦОПП, the administrator): one public key, documented in the
# README, for trying the system and for the browser tests (pyotp).
DEMO_TOTP_SECRET = 'COPPDEMOKEYRYAZANCOPPDEMOKEYRYAZ'
DEMO_TOTP_LOGINS = ('admin', 'minobr', 'copp')
TOTP_NOTE = ("Логины с «+ код» входят со вторым фактором: код из "
    "приложения-аутентификатора с ключом {key} (по времени, 6 цифр) или "
    "python -c \"import pyotp; print(pyotp.TOTP('{secret}').now())\"")


def _users(env, ministry, copp_center, colleges, staff):
    pool = env.pool
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Lang = pool.get('ir.lang')
    ru, = Lang.search([('code', '=', 'ru')])
    everyone = [ministry, copp_center] + colleges
    plan = [('ministry', 'minobr', ministry, 1),
        ('copp', 'copp', copp_center, 1)]
    for index, college in enumerate(colleges[:2], 1):
        plan += [
            ('college_admin', f'admin{index}', college, 0),
            ('registrar', f'uch{index}', college, 2),
            ('teacher', f'prep{index}', college, 4),
            ('accountant', f'buh{index}', college, 3),
            ]
    values = []
    for role, login, company, staff_index in plan:
        label, group = ROLE_GROUPS[role]
        employee = staff[company.id][staff_index]
        password = f"{login}-demo-2026"
        values.append({
                'login': login, 'name': employee.party.name,
                'password': password, 'language': ru.id,
                # The ministry and the ЦОПП read every institution.
                'companies': [('add', [c.id for c in (
                                everyone if role in {'ministry', 'copp'}
                                else [company])])],
                'company': company.id, 'company_filter': 'all',
                'employees': [('add', [employee.id])], 'employee': employee.id,
                'groups': [('add', [ModelData.get_id('copp', group)])],
                })
        env.add_user(label, login, password + (
                " + код" if login in DEMO_TOTP_LOGINS else ''),
            company.rec_name)
    User.create(values)
    env.add_user("Администратор системы", 'admin',
        "(задан в copp init) + код", "все учреждения")
    _enrol_totp(env)


def _enrol_totp(env):
    "The demo accounts that need a second factor have the demo key"
    from . import totp
    User = env.pool.get('res.user')
    for user in User.search([('login', 'in', DEMO_TOTP_LOGINS)]):
        User.totp_write(user.id, secret=DEMO_TOTP_SECRET, last_step=None)
    env.add_note(TOTP_NOTE.format(key=totp.format_key(DEMO_TOTP_SECRET),
            secret=DEMO_TOTP_SECRET))


def _admin_sees_all(pool, institutions):
    User = pool.get('res.user')
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], {
            'companies': [('add', [c.id for c in institutions])],
            'company': institutions[0].id,
            'company_filter': 'all',
            })
    # the admin's password is the one given to copp init
