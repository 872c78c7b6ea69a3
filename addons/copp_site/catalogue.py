"""The programme catalogue as the public sees it: the filters of /programs,
the page of programmes found (one ordered query of ids, then batched reads),
the options of the filters (one grouped query each) and what the pages show
of a programme and of its cohorts.

Public means: a programme in the state «published»; a cohort of such a
programme in the state «open» (enrolment open) whose application deadline
and end have not passed and that is not a corporate cohort of one employer
(copp_training). Nothing else is ever read by these pages.

Every list is read set-wise: a fixed number of queries whatever the number
of programmes, cohorts or colleges, never a record loaded one by one. What
depends on programmes and cohorts alone (the ordered ids of a page of the
filters, the cards' programmes, the public cohorts, the options of the
filters) is kept in public_cache for a minute per process, cleared when a
programme or a cohort changes (clear_public_pages); the seats taken of the
cohorts shown are read by every page the micro-cache of copp_portal does
not answer."""
import datetime as dt
import re
from decimal import Decimal

from sql import Literal
from sql.aggregate import Count, Min
from sql.conditionals import Case

from trytond.cache import Cache
from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal.portal import invalidate_public_pages

PAGE_SIZE = 12
# The public labels of the formats (the filter «Формат обучения»)
FORMAT_LABELS = {
    'onsite': "Очно",
    'blended': "Очно с применением ДОТ",
    'distance': "Онлайн",
    }
# Duration by hours: (code, label, min hours, max hours)
DURATIONS = [
    ('upto16', "до 16 часов", None, 16),
    ('16to72', "от 17 до 72 часов", 17, 72),
    ('72to250', "от 73 до 250 часов", 73, 250),
    ('over250', "более 250 часов", 251, None),
    ]
FUNDINGS = {
    'free': "Бесплатно",
    'federal': "По федеральному проекту",
    'paid': "Платно",
    }
FEDERAL_PROJECT_LABELS = {
    'employment': "Федеральный проект «Содействие занятости»",
    'professionalitet': "Федеральный проект «Профессионалитет»",
    'other': "Федеральный проект",
    }
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль",
    "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]
MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря"]
MONTH_ARG = re.compile(r'^(20\d\d)-(0[1-9]|1[0-2])$')
# Other processes see a change within `duration` (as the micro-cache).
public_cache = Cache('copp_site.catalogue.public', duration=60,
    context=False)


def clear_public_pages():
    "A programme or a cohort changed: forget the cached lists and pages"
    public_cache.clear()
    invalidate_public_pages()


def cached(key, compute, *args):
    "The value of `key` in public_cache, compute(*args) when it has none"
    value = public_cache.get(key)
    if value is None:
        value = public_cache.set(key, compute(*args))
    return value


def _in(column, ids):
    "`column IN ids` (= ANY(array) on PostgreSQL)"
    return fields.SQL_OPERATORS['in'](column, list(ids))


def model(name):
    "The model of the pool, or None when its module is not activated"
    try:
        return Pool().get(name)
    except KeyError:
        return None


def today():
    return Pool().get('ir.date').today()


def date_ru(date):
    return f'{date.day} {MONTHS_GENITIVE[date.month - 1]} {date.year}'


def selection_labels(model_name, field):
    "{value: translated label} of a selection field"
    Model = Pool().get(model_name)
    return {k: v for k, v in Model.fields_get([field])[field]['selection']
        if k}


# Filters ---------------------------------------------------------------

def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 31 else None


def parse_filters(args, kinds, audiences):
    "The valid filters of a request's arguments; anything else is ignored"
    month = args.get('month') or ''
    return {
        'q': ' '.join((args.get('q') or '').split())[:100],
        'kind': args.get('kind') if args.get('kind') in kinds else '',
        'audience': (args.get('audience')
            if args.get('audience') in audiences else ''),
        'format': (args.get('format')
            if args.get('format') in FORMAT_LABELS else ''),
        'duration': (args.get('duration')
            if args.get('duration') in {d[0] for d in DURATIONS} else ''),
        'funding': (args.get('funding')
            if args.get('funding') in FUNDINGS else ''),
        'college': _int(args.get('college')) or '',
        'month': month if MONTH_ARG.match(month) else '',
        }


def _like_variants(text):
    """The query as typed, in lower case and capitalised: SQLite's LIKE
    ignores the case of ASCII letters only (PostgreSQL's ILIKE of all)"""
    variants = []
    for variant in [text, text.lower(), text.capitalize()]:
        if variant not in variants:
            variants.append(variant)
    return variants


def public_cohort_domain(date=None):
    "The cohorts the public sees and may apply to"
    date = date or today()
    return [
        ('state', '=', 'open'),
        ('end_date', '>=', date),
        ['OR', ('application_deadline', '=', None),
            ('application_deadline', '>=', date)],
        ('program.state', '=', 'published'),
        ('employer', '=', None),
        ]


def program_domain(filters, date=None):
    "The domain of copp.program for the filters"
    date = date or today()
    Cohort = model('copp.training.cohort')
    Program = Pool().get('copp.program')
    domain = [('state', '=', 'published')]
    if filters['q']:
        clauses = ['OR']
        for variant in _like_variants(filters['q']):
            pattern = f'%{variant}%'
            clauses += [('name', 'ilike', pattern),
                ('description', 'ilike', pattern),
                ('competencies', 'ilike', pattern)]
        domain.append(clauses)
    if filters['kind']:
        domain.append(('kind', '=', filters['kind']))
    if filters['audience']:
        domain.append(('audience', 'in', [filters['audience']]))
    if filters['format']:
        domain.append(('format', '=', filters['format']))
    if filters['duration']:
        _, _, low, high = next(d for d in DURATIONS
            if d[0] == filters['duration'])
        if low is not None:
            domain.append(('hours', '>=', low))
        if high is not None:
            domain.append(('hours', '<=', high))
    has_federal = 'federal_project' in Program._fields
    if filters['funding'] == 'paid':
        domain.append(('free', '=', False))
    elif filters['funding'] == 'free':
        if has_federal:
            domain.append(['OR', ('free', '=', True),
                    ('federal_project', '!=', None)])
        else:
            domain.append(('free', '=', True))
    elif filters['funding'] == 'federal':
        if has_federal:
            domain.append(('federal_project', '!=', None))
        else:
            domain.append(('id', '=', -1))
    if filters['college']:
        domain.append(('company', '=', filters['college']))
    if filters['month']:
        if Cohort is None:
            domain.append(('id', '=', -1))
        else:
            year, month = map(int, filters['month'].split('-'))
            first = dt.date(year, month, 1)
            following = (first + dt.timedelta(days=32)).replace(day=1)
            domain.append(('cohorts', 'where', public_cohort_domain(date)
                    + [('start_date', '>=', first),
                        ('start_date', '<', following)]))
    return domain


# Queries ---------------------------------------------------------------

def _public_cohort_where(cohort, program, date):
    "The SQL condition of public_cohort_domain on the tables given"
    return ((cohort.state == 'open') & (cohort.end_date >= date)
        & ((cohort.application_deadline == None)  # noqa: E711
            | (cohort.application_deadline >= date))
        & (cohort.employer == None)  # noqa: E711
        & (program.state == 'published'))


def find_page(filters, number, date=None):
    """(ids, total, number) of page `number` of the programmes found by the
    filters (the last page when `number` is beyond it), kept in
    public_cache"""
    date = date or today()
    ids, total, number = cached(
        ('page', str(date), tuple(sorted(filters.items())), number),
        _find_page, filters, number, date)
    return list(ids), total, number


def _find_page(filters, number, date):
    Program = Pool().get('copp.program')
    domain = program_domain(filters, date)
    total = Program.search_count(domain)
    number = min(number, max(1, -(-total // PAGE_SIZE)))
    ids, total = search_programs(domain, (number - 1) * PAGE_SIZE,
        PAGE_SIZE, date, total=total)
    return ids, total, number


def search_programs(domain, offset, limit, date=None, total=None):
    """(ids of one page, total): ordered by the nearest start of a public
    cohort (programmes without one last), then by name"""
    pool = Pool()
    Program = pool.get('copp.program')
    Cohort = model('copp.training.cohort')
    date = date or today()
    cursor = Transaction().connection.cursor()
    if total is None:
        total = Program.search_count(domain)
    if not total:
        return [], 0
    program = Program.__table__()
    ids = Program.search(domain, query=True)
    if Cohort is None:
        query = program.select(program.id, where=program.id.in_(ids),
            order_by=[program.name.asc, program.id.asc],
            limit=limit, offset=offset)
    else:
        cohort = Cohort.__table__()
        owner = Program.__table__()
        nearest = cohort.join(owner, condition=owner.id == cohort.program
            ).select(cohort.program.as_('program'),
                Min(cohort.start_date).as_('start'),
                where=_public_cohort_where(cohort, owner, date),
                group_by=[cohort.program])
        query = program.join(nearest, 'LEFT',
            condition=nearest.program == program.id).select(program.id,
                where=program.id.in_(ids),
                order_by=[
                    Case((nearest.start == None, Literal(1)),  # noqa: E711
                        else_=Literal(0)).asc,
                    nearest.start.asc, program.name.asc, program.id.asc],
                limit=limit, offset=offset)
    cursor.execute(*query)
    return [r[0] for r in cursor], total


def public_cohorts(program_ids, date=None, limit=None):
    """{program id: [cohort view…]} of the public cohorts of the programmes
    (None: of every programme), by start date: the cohorts as public_cache
    keeps them, their seats taken read at each call (one query)"""
    Cohort = model('copp.training.cohort')
    if Cohort is None or (program_ids is not None and not program_ids):
        return {}
    rows = public_cohort_rows(program_ids, date or today(), limit)
    taken = Cohort.seats_taken([r['id'] for r in rows])
    rule = application_rule()
    result = {}
    for row in rows:
        result.setdefault(row['program_id'], []).append(
            cohort_view(row, taken.get(row['id'], 0), rule))
    return result


def public_cohort_rows(program_ids, date, limit=None):
    """The public cohorts of the programmes (None: of every programme) by
    start date, as COHORT_COLUMNS and 'college': one query for the
    cohorts and one for their colleges, kept in public_cache"""
    return cached(('cohorts', str(date),
            None if program_ids is None else tuple(sorted(program_ids)),
            limit), _public_cohort_rows, program_ids, date, limit)


def _public_cohort_rows(program_ids, date, limit):
    Cohort = Pool().get('copp.training.cohort')
    Program = Pool().get('copp.program')
    cohort = Cohort.__table__()
    program = Program.__table__()
    where = _public_cohort_where(cohort, program, date)
    if program_ids is not None:
        where &= _in(cohort.program, program_ids)
    cursor = Transaction().connection.cursor()
    cursor.execute(*cohort.join(program,
            condition=program.id == cohort.program).select(
            cohort.id, cohort.name, cohort.program, program.name,
            cohort.company, cohort.start_date, cohort.end_date,
            cohort.application_deadline, cohort.place,
            cohort.schedule_note, cohort.seats, cohort.federal_seats,
            cohort.federal_project, cohort.price,
            where=where, order_by=[cohort.start_date.asc, cohort.id.asc],
            limit=limit))
    rows = [dict(zip(COHORT_COLUMNS, r)) for r in cursor]
    colleges = college_labels(r['company'] for r in rows)
    for row in rows:
        row['college'] = colleges[row['company']][0]
    return rows


COHORT_COLUMNS = ['id', 'name', 'program_id', 'program_name', 'company',
    'start', 'end', 'deadline', 'place', 'schedule', 'seats',
    'federal_seats', 'federal_project', 'price']


def _date(value):
    "A date of a raw query (SQLite may return text)"
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def cohort_view(row, taken, rule=None):
    """What the pages show of a cohort: `row` of public_cohorts' query,
    `rule` the address of the application form (application_rule())"""
    seats = row['seats'] or 0
    federal = row['federal_seats'] or 0
    start, end = _date(row['start']), _date(row['end'])
    price = row['price']
    if price is not None and not isinstance(price, Decimal):
        price = Decimal(str(price))
    return {
        'id': row['id'],
        'name': row['name'],
        'program_id': row['program_id'],
        'program_name': row['program_name'],
        'college': row['college'],
        'start': start,
        'end': end,
        'start_text': date_ru(start),
        'period': f'{start:%d.%m.%Y} – {end:%d.%m.%Y}',
        'deadline': _date(row['deadline']),
        'place': row['place'] or '',
        'schedule': row['schedule'] or '',
        'seats': seats,
        'free': max(seats - taken, 0),
        'federal_seats': federal,
        'federal_project': FEDERAL_PROJECT_LABELS.get(
            row['federal_project']) if federal else None,
        'price': price,
        'apply_url': apply_url(rule, row['program_id'], row['id'])
        if rule else None,
        }


def apply_url(rule, program_id, cohort_id):
    "The address of the application form of `rule` for the cohort"
    url = rule.replace('<int:program_id>', str(program_id))
    if '<int:cohort_id>' in url:
        return url.replace('<int:cohort_id>', str(cohort_id))
    return f'{url}?cohort={cohort_id}'


def application_rule():
    """The rule of the online application to a cohort when a module serving
    it is activated (copp_training / the cabinet), else None"""
    from trytond.wsgi import app
    routes = _routes(app)
    for rule in APPLICATION_RULES:
        if rule in routes:
            return rule
    return None


def college_labels(company_ids):
    """{company id: (name shown, party name)} of the organizations in one
    query: the name shown is their rec_name (copp.company: the short name,
    else the party's rec_name), without loading the records"""
    pool = Pool()
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    ids = sorted(set(company_ids))
    if not ids:
        return {}
    company = Company.__table__()
    party = Party.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*company.join(party,
            condition=party.id == company.party).select(
            company.id, company.short_name, party.name, party.code,
            where=_in(company.id, ids)))
    return {id_: (short or name or f'[{code}]', name)
        for id_, short, name, code in cursor}


# The fields of a programme a card of the catalogue shows
CARD_FIELDS = ['name', 'kind', 'format', 'hours', 'company', 'free',
    'price', 'audience', 'federal_project']


def program_rows(ids):
    """[{field: value}] of the programmes in the order of `ids`, with
    'college' and 'college_name': what a card shows, in one read kept in
    public_cache"""
    return cached(('cards', tuple(ids)), _program_rows, ids)


def _program_rows(ids):
    Program = Pool().get('copp.program')
    names = [f for f in CARD_FIELDS if f in Program._fields]
    rows = {r['id']: r for r in Program.read(list(ids), names)}
    colleges = college_labels(r['company'] for r in rows.values())
    result = []
    for id_ in ids:
        row = rows[id_]
        row['college'], row['college_name'] = colleges[row['company']]
        result.append(row)
    return result


# Routes an application form may have (the first one served is used).
APPLICATION_RULES = [
    '/programs/<int:program_id>/apply',
    ]
_route_cache = {}


def _routes(app):
    rules = _route_cache.get(id(app.url_map))
    if rules is None or len(rules) != len(app.url_map._rules):
        rules = {r.rule for r in app.url_map.iter_rules()}
        _route_cache[id(app.url_map)] = rules
    return rules


def college_options(date=None):
    "[(company id, name)] of the colleges with a published programme"
    return cached('colleges', _college_options)


def _college_options():
    Program = Pool().get('copp.program')
    program = Program.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*program.select(program.company,
            where=program.state == 'published', group_by=[program.company]))
    labels = college_labels(r[0] for r in cursor)
    return sorted([(i, label) for i, (label, _) in labels.items()],
        key=lambda c: c[1])


def month_options(date=None):
    "[('YYYY-MM', 'март 2026')] of the months public cohorts start in"
    date = date or today()
    return cached(('months', str(date)), _month_options, date)


def _month_options(date):
    Cohort = model('copp.training.cohort')
    if Cohort is None:
        return []
    Program = Pool().get('copp.program')
    cohort = Cohort.__table__()
    program = Program.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*cohort.join(program,
            condition=program.id == cohort.program).select(
            cohort.start_date,
            where=_public_cohort_where(cohort, program, date),
            group_by=[cohort.start_date]))
    months = set()
    for start, in cursor:
        if isinstance(start, str):
            start = dt.date.fromisoformat(start[:10])
        months.add((start.year, start.month))
    months = sorted(months)
    return [(f'{y}-{m:02d}', f'{MONTHS[m - 1]} {y}') for y, m in months]


def kind_counts():
    "{kind: number of published programmes}"
    Program = Pool().get('copp.program')
    program = Program.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*program.select(program.kind, Count(program.id),
            where=program.state == 'published', group_by=[program.kind]))
    return {k: int(n) for k, n in cursor}
