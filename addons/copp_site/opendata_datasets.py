"""The datasets the ЦОПП publishes as open data (integrations.md §5): each
has a latin code (the second part of its identifier), a title, a
description, keywords, its fields — (name, English description, Russian
description, format), read from data/opendata_structure.csv — and a
function giving its rows, in the order of its fields. A dataset whose
module is not activated is not published.

Rows are read in a fixed number of batched ORM/SQL queries per dataset
(the generator runs in the cron, never on a request). Dates are ISO 8601
(YYYY-MM-DD), date-times local to the organizer (YYYY-MM-DDTHH:MM), money
in roubles with a point, several values separated by «; »."""
import csv
from pathlib import Path

from sql.aggregate import Count

from trytond.transaction import Transaction

from copp_portal.mail import portal_url

from . import catalogue

FORMATS = {'string', 'integer', 'float', 'date', 'datetime'}
# The fields of every dataset as its structure-*.csv publishes them, after
# a column naming the dataset: a table, so kept as one and not as code.
STRUCTURE = Path(__file__).parent / 'data' / 'opendata_structure.csv'


def _labels(model_name, field):
    return catalogue.selection_labels(model_name, field)


def _money(value):
    return '' if value is None else f'{value:.2f}'


def _date(value):
    return value.isoformat() if value else ''


def _program_rows(pool, date):
    Program = pool.get('copp.program')
    kinds = _labels('copp.program', 'kind')
    audiences = _labels('copp.program', 'audience')
    documents = (_labels('copp.program', 'document_kind')
        if 'document_kind' in Program._fields else {})
    programs = Program.search([('state', '=', 'published')],
        order=[('id', 'ASC')])
    rows = []
    for p in programs:
        federal = getattr(p, 'federal_project', None)
        document = getattr(p, 'document_kind', None)
        rows.append([p.id, p.name, kinds.get(p.kind, ''),
            catalogue.FORMAT_LABELS.get(p.format, ''), p.hours,
            '; '.join(audiences.get(a, a) for a in (p.audience or [])),
            'да' if p.free else 'нет',
            '' if p.free else _money(p.price),
            catalogue.FEDERAL_PROJECT_LABELS.get(federal, '')
            if federal else '',
            documents.get(document, '') if document not in (None, 'none')
            else '',
            getattr(p, 'qualification', None) or '',
            p.specialty.code if p.specialty else '',
            p.company.party.name, p.company.party.inn or '',
            portal_url(f'/programs/{p.id}')])
    return rows


def _cohort_rows(pool, date):
    Cohort = pool.get('copp.training.cohort')
    states = _labels('copp.training.cohort', 'state')
    kinds = _labels('copp.program', 'kind')
    cohorts = Cohort.search([
            ('state', 'in', ['open', 'running']),
            ('program.state', '=', 'published'),
            ('employer', '=', None),
            ], order=[('start_date', 'ASC'), ('id', 'ASC')])
    taken = Cohort.seats_taken([c.id for c in cohorts])
    rows = []
    for c in cohorts:
        free = max((c.seats or 0) - taken.get(c.id, 0), 0)
        rows.append([c.id, c.program.id, c.program.name,
            kinds.get(c.program.kind, ''), c.company.party.name,
            _date(c.start_date), _date(c.end_date),
            _date(c.application_deadline), c.place or '',
            c.schedule_note or '', c.seats or 0, free,
            catalogue.FEDERAL_PROJECT_LABELS.get(c.federal_project, '')
            if c.federal_project else '',
            c.federal_seats or 0, _money(c.price),
            states.get(c.state, ''),
            'да' if c.accepts_applications(date) else 'нет',
            portal_url(f'/programs/{c.program.id}')])
    return rows


def _event_rows(pool, date):
    from copp_event.tokens import to_local
    Event = pool.get('copp.event')
    kinds = _labels('copp.event', 'kind')
    audiences = _labels('copp.event', 'audience')
    states = _labels('copp.event', 'state')
    events = Event.search([('state', 'in', ['published', 'done'])],
        order=[('begin', 'ASC'), ('id', 'ASC')])
    rows = []
    for e in events:
        zone = e.timezone

        def local(value):
            return (f'{to_local(value, zone):%Y-%m-%dT%H:%M}'
                if value else '')
        rows.append([e.id, e.name, kinds.get(e.kind, ''),
            e.company.party.name, local(e.begin), local(e.end),
            e.venue_text or '',
            'онлайн' if e.venue_kind == 'online' else 'очно',
            '; '.join(audiences.get(a, a) for a in (e.audience or [])),
            '' if e.min_age is None else e.min_age,
            '' if e.max_age is None else e.max_age,
            '' if e.capacity is None else e.capacity,
            '' if e.capacity is None else (e.free_places or 0),
            states.get(e.state, ''),
            portal_url(f'/events/{e.id}')])
    return rows


def _vacancy_rows(pool, date):
    Vacancy = pool.get('copp.vacancy')
    districts = _labels('copp.vacancy', 'district')
    schedules = _labels('copp.vacancy', 'schedule')
    employments = _labels('copp.vacancy', 'employment')
    vacancies = Vacancy.search(Vacancy.public_domain(date),
        order=[('id', 'ASC')])
    rows = []
    for v in vacancies:
        rows.append([v.id, v.position, v.employer.rec_name,
            v.specialty.code if v.specialty else '',
            v.specialty.name if v.specialty else '',
            '' if v.salary_from is None else int(v.salary_from),
            '' if v.salary_to is None else int(v.salary_to),
            employments.get(v.employment, ''),
            schedules.get(v.schedule, ''), districts.get(v.district, ''),
            v.quantity or '', 'да' if v.for_students else 'нет',
            _date(v.published_date.date() if v.published_date else None),
            _date(v.valid_until), portal_url(f'/vacancies/{v.id}')])
    return rows


def _organization_rows(pool, date):
    Company = pool.get('company.company')
    Program = pool.get('copp.program')
    kinds = _labels('company.company', 'institution_kind')
    companies = Company.search([
            ('institution_kind', 'in', ['copp', 'college'])],
        order=[('id', 'ASC')])
    program = Program.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*program.select(program.company, Count(program.id),
            where=program.state == 'published', group_by=[program.company]))
    counts = dict(cursor)
    rows = []
    for c in companies:
        party = c.party
        address = party.address_get()
        rows.append([c.id, c.short_name or '', party.name,
            kinds.get(c.institution_kind, ''), party.inn or '',
            party.kpp or '', party.ogrn or '',
            address.full_address.replace('\n', ', ') if address else '',
            party.phone or '', party.email or '', party.website or '',
            c.licence_number or '', _date(c.licence_date),
            c.accreditation_number or '', _date(c.accreditation_date),
            counts.get(c.id, 0)])
    return rows


def _structure():
    "{dataset code: [(name, English, Russian, format), …]}"
    result = {}
    with STRUCTURE.open(encoding='utf-8', newline='') as file:
        reader = csv.reader(file)
        next(reader)
        for code, *field in reader:
            assert len(field) == 4 and field[3] in FORMATS, (code, field)
            result.setdefault(code, []).append(tuple(field))
    return result


def _dataset(code, model, rows, title, description, subject):
    return {
        'code': code,
        'model': model,
        'title': title,
        'description': description,
        'subject': subject,
        'rows': rows,
        'fields': _FIELDS[code],
        }


_FIELDS = _structure()
DATASETS = [
    _dataset('programs', 'copp.program', _program_rows,
        "Программы обучения ЦОПП и колледжей Рязанской области",
        "Опубликованные программы дополнительного "
        "профессионального образования, профессионального обучения, "
        "краткосрочные программы и программы профориентации: вид, формат, "
        "объём, стоимость, документ об окончании, организация.",
        "образование, дополнительное образование, "
        "профессиональное обучение, ЦОПП"),
    _dataset('cohorts', 'copp.training.cohort', _cohort_rows,
        "Наборы (потоки) на программы обучения и свободные места",
        "Потоки программ обучения ЦОПП и колледжей с "
        "открытым набором и идущие: сроки, место, число мест и свободных "
        "мест, места по федеральным проектам, стоимость.",
        "образование, набор на обучение, свободные места, ЦОПП"),
    _dataset('events', 'copp.event', _event_rows,
        "Профориентационные мероприятия ЦОПП и колледжей",
        "Опубликованные и прошедшие мероприятия: дни "
        "открытых дверей, профпробы, ярмарки вакансий, чемпионаты, "
        "мастер-классы; сроки, место, аудитория, свободные места.",
        "профориентация, мероприятия, образование, ЦОПП"),
    _dataset('vacancies', 'copp.vacancy', _vacancy_rows,
        "Вакансии работодателей-партнёров для студентов и "
        "выпускников",
        "Опубликованные вакансии работодателей-партнёров "
        "колледжей Рязанской области: должность, специальность, зарплата, "
        "график, район.",
        "вакансии, трудоустройство выпускников, рынок труда"),
    _dataset('organizations', 'company.company', _organization_rows,
        "Образовательные организации системы ЦОПП Рязанской "
        "области",
        "ЦОПП и профессиональные образовательные "
        "организации (колледжи): реквизиты, адрес, контакты, лицензия, "
        "аккредитация, число опубликованных программ.",
        "образование, колледжи, образовательные организации, ЦОПП"),
    ]
