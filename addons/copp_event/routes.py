"""Public pages of the events: the list with filters (`/events`), the
calendar and the event page; the labels and views shared with the ticket
(ticket_routes.py) and check-in (checkin_routes.py) pages.

Routes run as root: the public pages show only published (and past) events
of every organizer and filter the states themselves. The ticket pages are
reached only with a signed ticket token, the check-in page only with the
signed check-in key of the event (see tokens.py).
"""
import calendar
import datetime as dt
import urllib.parse

from trytond.transaction import Transaction

from copp_portal.portal import portal_route, register_menu

from .event import AUDIENCES, KINDS
from .exceptions import EventError
from .registration import CATEGORIES, RELATIONS
from .tokens import to_local

register_menu('public', '/events', 'copp_event.msg_nav_events', sequence=20)

PAGE_SIZE = 12
MONTHS = ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль",
    "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"]
MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря"]
WEEKDAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
KIND_LABELS = {
    'career_guidance': "Профориентационное мероприятие",
    'job_fair': "Ярмарка вакансий",
    'open_day': "День открытых дверей",
    'championship': "Чемпионат профессионального мастерства",
    'master_class': "Мастер-класс",
    'webinar': "Вебинар",
    }
AUDIENCE_LABELS = {
    'schoolchildren': "Школьники",
    'students': "Студенты",
    'adults': "Взрослые",
    'employers': "Работодатели",
    }
CATEGORY_LABELS = {
    'schoolchild': "Школьник",
    'student': "Студент",
    'adult': "Взрослый",
    'employer': "Представитель работодателя",
    }
RELATION_LABELS = {
    'mother': "Мать",
    'father': "Отец",
    'guardian': "Опекун",
    'trustee': "Попечитель",
    'other': "Иной законный представитель",
    }
STATE_LABELS = {
    'confirmed': "Место подтверждено",
    'waiting': "Лист ожидания",
    'cancelled': "Регистрация отменена",
    }
assert set(KIND_LABELS) == {k for k, _ in KINDS}
assert set(AUDIENCE_LABELS) == {k for k, _ in AUDIENCES}
assert set(CATEGORY_LABELS) == {k for k, _ in CATEGORIES}
assert set(RELATION_LABELS) == {k for k, _ in RELATIONS if k}


def date_ru(date):
    return f'{date.day} {MONTHS_GENITIVE[date.month - 1]} {date.year}'


def sessions_of(event):
    "The sessions of `event` as dicts of local datetimes"
    result = []
    for session in event.sessions:
        start = to_local(session.start, event.timezone)
        end = to_local(session.end, event.timezone)
        result.append({
                'id': session.id,
                'name': session.name,
                'room': session.room,
                'start': start,
                'end': end,
                'date': date_ru(start.date()),
                'time': f'{start:%H:%M}–{end:%H:%M}',
                'same_day': start.date() == end.date(),
                'end_text': f'{date_ru(end.date())}, {end:%H:%M}',
                })
    return result


def event_view(event, now=None):
    "What the templates show of an event"
    now = now or dt.datetime.now()
    sessions = sessions_of(event)
    free = event.free_places
    open_ = True
    try:
        event.check_registration_open(now)
    except EventError:
        open_ = False
    if event.min_age is not None and event.max_age is not None:
        ages = f'{event.min_age}–{event.max_age} лет'
    elif event.min_age is not None:
        ages = f'от {event.min_age} лет'
    elif event.max_age is not None:
        ages = f'до {event.max_age} лет'
    else:
        ages = None
    return {
        'record': event,
        'id': event.id,
        'name': event.name,
        'kind': KIND_LABELS.get(event.kind, event.kind),
        'kind_code': event.kind,
        'description': event.description or '',
        'organizer': event.company.rec_name,
        'organizer_name': event.company.party.name,
        'venue': event.venue_text,
        'online': event.venue_kind == 'online',
        'audience': [AUDIENCE_LABELS[a] for a in (event.audience or [])],
        'ages': ages,
        'sessions': sessions,
        'first': sessions[0] if sessions else None,
        'capacity': event.capacity,
        'free': free,
        'full': bool(event.capacity) and not free,
        'waiting_list': event.waiting_list,
        'open': open_,
        'state': event.state,
        'past': bool(event.end and event.end < now),
        'contact_phone': event.contact_phone,
        'contact_email': event.contact_email,
        }


# The list and the calendar ---------------------------------------------

def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _filters(portal):
    args = portal.request.args
    filters = {
        'q': (args.get('q') or '').strip()[:100],
        'kind': args.get('kind') if args.get('kind') in KIND_LABELS else '',
        'audience': (args.get('audience')
            if args.get('audience') in AUDIENCE_LABELS else ''),
        'organizer': _int(args.get('organizer')) or '',
        'format': (args.get('format')
            if args.get('format') in {'online', 'onsite'} else ''),
        'age': _int(args.get('age')) if _int(args.get('age')) is not None
        and 0 < _int(args.get('age')) < 100 else '',
        'period': (args.get('period')
            if args.get('period') in {'upcoming', 'past'} else 'upcoming'),
        }
    return filters


def _domain(filters, now):
    domain = [('state', 'in', ['published', 'done'])]
    if filters['q']:
        domain.append(['OR',
                ('name', 'ilike', f"%{filters['q']}%"),
                ('description', 'ilike', f"%{filters['q']}%"),
                ])
    if filters['kind']:
        domain.append(('kind', '=', filters['kind']))
    if filters['audience']:
        domain.append(('audience', 'in', [filters['audience']]))
    if filters['organizer']:
        domain.append(('company', '=', filters['organizer']))
    if filters['format'] == 'online':
        domain.append(('venue_kind', '=', 'online'))
    elif filters['format'] == 'onsite':
        domain.append(('venue_kind', '!=', 'online'))
    if filters['age'] != '':
        age = filters['age']
        domain.append(['OR', ('min_age', '=', None),
                ('min_age', '<=', age)])
        domain.append(['OR', ('max_age', '=', None),
                ('max_age', '>=', age)])
    return domain


def _organizers(pool):
    "The organizers of the published events: one query, not one per event"
    Company = pool.get('company.company')
    event = pool.get('copp.event').__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*event.select(event.company,
            where=event.state.in_(['published', 'done']),
            group_by=[event.company]))
    companies = Company.browse(sorted(c for c, in cursor))
    return sorted([(c.id, c.rec_name) for c in companies],
        key=lambda c: c[1])


@portal_route('/events', model='copp.event',
    public_cache=True)
def events(portal):
    pool = portal.pool
    now = dt.datetime.now()
    filters = _filters(portal)
    domain = _domain(filters, now)
    if filters['period'] == 'past':
        domain.append(('end', '<', now))
        order = [('begin', 'DESC'), ('id', 'DESC')]
    else:
        domain.append(('end', '>=', now))
        domain.append(('state', '=', 'published'))
        order = [('begin', 'ASC'), ('id', 'ASC')]
    page = portal.paginate('copp.event', domain, order=order,
        size=PAGE_SIZE)
    items = [event_view(e, now) for e in page.items]
    args = {k: v for k, v in filters.items() if v not in ('', None)}
    return portal.render('events/list.html', page=page, items=items,
        filters=filters, kinds=KIND_LABELS, audiences=AUDIENCE_LABELS,
        organizers=_organizers(pool), view='list',
        calendar_url='/events/calendar?' + urllib.parse.urlencode(
            {k: v for k, v in args.items() if k != 'period'}))


@portal_route('/events/calendar', model='copp.event',
    public_cache=True)
def events_calendar(portal):
    pool = portal.pool
    Event = pool.get('copp.event')
    now = dt.datetime.now()
    filters = _filters(portal)
    today = to_local(now, 'Europe/Moscow').date()
    month_arg = portal.request.args.get('month') or ''
    try:
        first = dt.datetime.strptime(month_arg, '%Y-%m').date()
    except ValueError:
        first = today.replace(day=1)
    if not 2000 <= first.year <= 2100:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year,
            first.month)[1])
    # Sessions are in UTC: widen the window by a day on both sides.
    start = dt.datetime.combine(first, dt.time()) - dt.timedelta(days=1)
    end = dt.datetime.combine(last, dt.time()) + dt.timedelta(days=2)
    domain = _domain(filters, now) + [
        ('begin', '<', end), ('end', '>=', start)]
    days = {}
    for event in Event.search(domain, order=[('begin', 'ASC')]):
        view = event_view(event, now)
        for session in view['sessions']:
            day = session['start'].date()
            if first <= day <= last:
                days.setdefault(day, []).append({'event': view,
                        'time': f"{session['start']:%H:%M}"})
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(
        first.year, first.month)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    args = {k: v for k, v in filters.items()
        if v not in ('', None) and k != 'period'}

    def month_url(date):
        return '/events/calendar?' + urllib.parse.urlencode(
            dict(args, month=f'{date:%Y-%m}'))
    return portal.render('events/calendar.html', weeks=weeks, days=days,
        first=first, today=today, month_name=MONTHS[first.month - 1],
        weekdays=WEEKDAYS, previous_url=month_url(previous),
        next_url=month_url(following), filters=filters, kinds=KIND_LABELS,
        audiences=AUDIENCE_LABELS, organizers=_organizers(pool),
        view='calendar', list_url='/events?' + urllib.parse.urlencode(args),
        count=sum(len(v) for v in days.values()))


def _public_event(portal, event_id):
    Event = portal.pool.get('copp.event')
    events = Event.search([('id', '=', event_id),
            ('state', 'in', ['published', 'done', 'cancelled'])], limit=1)
    if not events:
        portal.not_found()
    return events[0]


@portal_route('/events/<int:event_id>', model='copp.event',
    public_cache=True)
def event_page(portal, event_id):
    event = _public_event(portal, event_id)
    return portal.render('events/event.html', event=event_view(event))
