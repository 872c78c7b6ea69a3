"""Public vacancies (/vacancies): the published vacancies of the region's
employers, for students and graduates, with filters by specialty, salary,
district and schedule.

The list is a cached HTML fragment (vacancy.public_cache, cleared when a
vacancy or an employer changes): the page of a popular filter costs one
cache lookup, not a query."""
import re

from markupsafe import Markup
from sql.aggregate import Count

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp_portal.portal import (
    Page, page_number, portal_route, register_menu, render_template)

from .catalog import DISTRICTS
from .vacancy import SCHEDULES, public_cache

register_menu('public', '/vacancies', 'copp_employer.msg_nav_vacancies',
    sequence=30)

PAGE_SIZE = 20
SORTS = {
    'new': [('published_date', 'DESC NULLS LAST'), ('id', 'DESC')],
    'salary': [('salary_from', 'DESC NULLS LAST'),
        ('published_date', 'DESC NULLS LAST'), ('id', 'DESC')],
    }
DISTRICT_KEYS = {k for k, _ in DISTRICTS}
SCHEDULE_KEYS = {k for k, _ in SCHEDULES}


def parse_filters(args):
    "The valid filters of the query string (anything else is ignored)"
    filters = {}
    q = ' '.join((args.get('q') or '').split())[:100]
    if q:
        filters['q'] = q
    specialty = args.get('specialty') or ''
    if specialty.isdigit() and len(specialty) < 10:
        filters['specialty'] = int(specialty)
    salary = re.sub(r'\D', '', args.get('salary') or '')[:8]
    if salary and int(salary) > 0:
        filters['salary'] = int(salary)
    if args.get('district') in DISTRICT_KEYS:
        filters['district'] = args['district']
    if args.get('schedule') in SCHEDULE_KEYS:
        filters['schedule'] = args['schedule']
    if args.get('students') in {'1', 'on'}:
        filters['students'] = '1'
    if args.get('sort') in SORTS and args['sort'] != 'new':
        filters['sort'] = args['sort']
    return filters


def filter_domain(filters):
    domain = []
    if 'q' in filters:
        like = '%' + filters['q'].replace('\\', '\\\\').replace(
            '%', '\\%').replace('_', '\\_') + '%'
        domain.append(['OR',
                ('position', 'ilike', like),
                ('employer.party.name', 'ilike', like),
                ])
    if 'specialty' in filters:
        domain.append(('specialty', '=', filters['specialty']))
    if 'salary' in filters:
        domain.append(['OR',
                ('salary_to', '>=', filters['salary']),
                [('salary_to', '=', None),
                    ('salary_from', '>=', filters['salary'])],
                ])
    if 'district' in filters:
        domain.append(('district', '=', filters['district']))
    if 'schedule' in filters:
        domain.append(('schedule', '=', filters['schedule']))
    if 'students' in filters:
        domain.append(('for_students', '=', True))
    return domain


def filter_options(today):
    """The choices of the filters: specialties that have published
    vacancies (with their counts), districts and schedules"""
    key = ('options', str(today))
    options = public_cache.get(key)
    if options is None:
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        Specialty = pool.get('copp.specialty')
        vacancy = Vacancy.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*vacancy.select(vacancy.specialty, Count(vacancy.id),
                where=(vacancy.state == 'published')
                & (vacancy.specialty != None)
                & ((vacancy.valid_until == None)
                    | (vacancy.valid_until >= today)),
                group_by=[vacancy.specialty]))
        counts = dict(cursor)
        specialties = [(s.id, f'{s.code} {s.name} ({counts[s.id]})')
            for s in Specialty.browse(list(counts))]
        specialties.sort(key=lambda o: o[1])
        labels = Vacancy.fields_get(['district', 'schedule'])
        options = {
            'specialties': specialties,
            'districts': [(k, v) for k, v in labels['district']['selection']
                if k],
            'schedules': [(k, v) for k, v in labels['schedule']['selection']
                if k],
            }
        public_cache.set(key, options)
    return options


@portal_route('/vacancies', model='copp.vacancy', public_cache=True)
def vacancies(portal):
    pool = portal.pool
    Vacancy = pool.get('copp.vacancy')
    today = pool.get('ir.date').today()
    args = portal.request.args
    filters = parse_filters(args)
    number = page_number(args.get('page'))
    key = ('list', str(today), tuple(sorted(filters.items())), number)
    cached = public_cache.get(key)
    if cached is None:
        domain = Vacancy.public_domain(today) + filter_domain(filters)
        total = Vacancy.search_count(domain)
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(number, pages)
        items = Vacancy.search(domain, offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE, order=SORTS[filters.get('sort', 'new')])
        page = Page(items, number, PAGE_SIZE, total,
            args=dict(filters, page=number), path='/vacancies')
        options = filter_options(today)
        results = render_template('vacancies/_results.html', page=page,
            schedules=dict(options['schedules']),
            districts=dict(options['districts']), filters=filters)
        sidebar = render_template('vacancies/_filters.html',
            filters=filters, specialties=options['specialties'],
            districts=options['districts'], schedules=options['schedules'])
        cached = (results, sidebar, total)
        public_cache.set(key, cached)
    results, sidebar, total = cached
    return portal.render('vacancies/list.html', results=Markup(results),
        sidebar=Markup(sidebar), total=total, filters=filters)


@portal_route('/vacancies/<int:vacancy_id>', model='copp.vacancy',
    public_cache=True)
def vacancy(portal, vacancy_id):
    pool = portal.pool
    Vacancy = pool.get('copp.vacancy')
    records = Vacancy.search(Vacancy.public_domain() + [
            ('id', '=', vacancy_id)], limit=1)
    if not records:
        portal.not_found()
    record, = records
    labels = public_cache.get('labels')
    if labels is None:
        labels = {name: dict(definition['selection'])
            for name, definition in Vacancy.fields_get(['schedule',
                    'employment', 'experience', 'district']).items()}
        labels['industry'] = dict(pool.get('copp.employer').fields_get(
                ['industry'])['industry']['selection'])
        public_cache.set('labels', labels)
    return portal.render('vacancies/detail.html', vacancy=record,
        labels=labels, industries=labels['industry'])

