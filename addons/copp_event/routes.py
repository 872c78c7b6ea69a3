"""Public pages of the events (`/events`), the ticket, and the check-in page
of the staff.

Routes run as root: the public pages show only published (and past) events
of every organizer and filter the states themselves. The ticket pages are
reached only with a signed ticket token, the check-in page only with the
signed check-in key of the event (see tokens.py).
"""
import calendar
import datetime as dt
import urllib.parse

from trytond.i18n import gettext
from trytond.pool import Pool
from werkzeug.exceptions import NotFound

from copp_portal import forms
from copp_portal.portal import is_secure, portal_route, register_menu

from .event import AUDIENCES, KINDS
from .exceptions import EventError
from .registration import ADULT_AGE, CATEGORIES, RELATIONS, age_on
from .tokens import (
    checkin_valid, find_token, qr_svg_data_uri, registration_of_token,
    to_local)

register_menu('public', '/events', 'copp_event.msg_nav_events', sequence=20)

PAGE_SIZE = 12
CHECKIN_COOKIE = 'copp_checkin'
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
    Company = pool.get('company.company')
    Event = pool.get('copp.event')
    ids = {e.company.id for e in Event.search(
            [('state', 'in', ['published', 'done'])])}
    companies = Company.browse(sorted(ids))
    return sorted([(c.id, c.rec_name) for c in companies],
        key=lambda c: c[1])


@portal_route('/events', model='copp.event')
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


@portal_route('/events/calendar', model='copp.event')
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


@portal_route('/events/<int:event_id>', model='copp.event')
def event_page(portal, event_id):
    event = _public_event(portal, event_id)
    return portal.render('events/event.html', event=event_view(event))


# Registration ----------------------------------------------------------

class RegistrationForm(forms.Form):
    last_name = forms.Char(required=True, max_length=100)
    first_name = forms.Char(required=True, max_length=100)
    patronymic = forms.Char(max_length=100)
    birth_date = forms.Date(required=True,
        min=lambda: dt.date(dt.date.today().year - 100, 1, 1),
        max=lambda: dt.date.today())
    category = forms.Choice(required=True,
        choices=list(CATEGORY_LABELS.items()))
    organization = forms.Char(max_length=200)
    grade = forms.Char(max_length=50)
    email = forms.Email(required=True)
    phone = forms.Char(required=True, max_length=40,
        pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    representative_name = forms.Char(max_length=200)
    representative_relation = forms.Choice(
        choices=list(RELATION_LABELS.items()))
    representative_phone = forms.Char(max_length=40,
        pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    representative_email = forms.Email()
    consent = forms.Boolean(required=True)

    def __init__(self, data=None, initial=None, event=None):
        super().__init__(data, initial)
        self.event = event

    def clean(self):
        event = self.event
        birth_date = self.values.get('birth_date')
        if not birth_date or event is None:
            return
        day = to_local(event.begin, event.timezone).date() if (
            event.begin) else dt.date.today()
        age = age_on(birth_date, day)
        if event.min_age is not None and age < event.min_age:
            self.add_error('birth_date', gettext(
                    'copp_event.msg_form_too_young', age=age,
                    min_age=event.min_age))
        elif event.max_age is not None and age > event.max_age:
            self.add_error('birth_date', gettext(
                    'copp_event.msg_form_too_old', age=age,
                    max_age=event.max_age))
        if age < ADULT_AGE:
            if not self.values.get('representative_name'):
                self.add_error('representative_name', gettext(
                        'copp_event.msg_form_minor_representative',
                        age=age))
            if not self.values.get('representative_phone'):
                self.add_error('representative_phone', gettext(
                        'copp_event.msg_form_minor_phone'))
            if not self.values.get('representative_relation'):
                self.add_error('representative_relation', gettext(
                        'copp_event.msg_form_minor_relation'))
        self.minor = age < ADULT_AGE


@portal_route('/events/<int:event_id>/register', methods=['GET', 'POST'],
    model='copp.event')
def register(portal, event_id):
    pool = portal.pool
    Registration = pool.get('copp.event.registration')
    Event = pool.get('copp.event')
    event = _public_event(portal, event_id)
    view = event_view(event)
    request = portal.request
    if not view['open']:
        return portal.render('events/closed.html', status=410, event=view)
    form = RegistrationForm(request.form if request.method == 'POST'
        else None, event=event, initial={'category': (
                'schoolchild' if 'schoolchildren' in (event.audience or [])
                else 'adult')})
    if form.submitted and form.validate():
        values = dict(form.values)
        consent = values.pop('consent')
        minor = getattr(form, 'minor', False)
        if not minor:
            for name in ['representative_name', 'representative_relation',
                    'representative_phone', 'representative_email']:
                values[name] = None
        Event.lock([event])
        duplicates = Registration.search([
                ('event', '=', event.id),
                ('email', '=', values['email']),
                ('last_name', 'ilike', values['last_name']),
                ('first_name', 'ilike', values['first_name']),
                ('birth_date', '=', values['birth_date']),
                ('state', '!=', 'cancelled'),
                ], limit=1)
        same_email = Registration.search_count([
                ('event', '=', event.id),
                ('email', '=', values['email']),
                ('state', '!=', 'cancelled'),
                ])
        if duplicates:
            duplicates[0].send_mail(duplicates[0].state)
            form.add_error(None, gettext('copp_event.msg_form_duplicate',
                    email=values['email']))
        elif same_email >= 10:
            form.add_error(None, gettext('copp_event.msg_form_too_many',
                    email=values['email']))
        else:
            values.update({
                    'source': 'portal',
                    'consent': consent,
                    'consent_by': 'representative' if minor
                    else 'participant',
                    'consent_date': dt.datetime.now(),
                    })
            try:
                registration, = Registration.register(event, [values])
            except EventError as exc:
                portal.rollback = True
                form.add_error(None, exc.message)
            else:
                if registration.state == 'confirmed':
                    portal.flash(gettext('copp_event.msg_flash_registered',
                            email=registration.recipient))
                else:
                    portal.flash(gettext('copp_event.msg_flash_waiting',
                            position=registration.waiting_position,
                            email=registration.recipient), 'warning')
                return portal.redirect(
                    f'/events/ticket/{registration.token}')
    return portal.render('events/register.html',
        status=422 if form.submitted else 200, event=view, form=form,
        categories=list(CATEGORY_LABELS.items()),
        relations=list(RELATION_LABELS.items()), adult_age=ADULT_AGE)


# Ticket ----------------------------------------------------------------

def _checkin_keys(portal):
    "{event id: key} remembered by the check-in pages of this browser"
    value = portal.request.cookies.get(CHECKIN_COOKIE) or ''
    keys = {}
    for part in value.split('|')[:10]:
        event_id, _, key = part.partition(':')
        if event_id.isdigit() and key:
            keys[int(event_id)] = key
    return keys


def _ticket(portal, token):
    registration = registration_of_token(token)
    if registration is None:
        raise NotFound()
    return registration


@portal_route('/events/ticket/<token>', model='copp.event')
def ticket(portal, token):
    registration = _ticket(portal, token)
    event = registration.event
    view = event_view(event)
    qr = None
    if registration.state == 'confirmed':
        from copp_portal.mail import portal_url
        qr = qr_svg_data_uri(portal_url(f'/events/ticket/{token}'))
    staff_key = _checkin_keys(portal).get(event.id)
    if staff_key and not checkin_valid(event, staff_key):
        staff_key = None
    return portal.render('events/ticket.html', registration=registration,
        event=view, token=token, qr=qr,
        state_label=STATE_LABELS[registration.state],
        category=CATEGORY_LABELS.get(registration.category),
        can_cancel=(registration.state != 'cancelled'
            and event.state == 'published' and not view['past']),
        staff_key=staff_key, sessions_attended={
            a.session.id for a in registration.attendances},
        online_url=(event.online_url if registration.state == 'confirmed'
            and event.venue_kind == 'online' else None))


@portal_route('/events/ticket/<token>/cancel', methods=['POST'],
    model='copp.event')
def ticket_cancel(portal, token):
    pool = portal.pool
    Registration = pool.get('copp.event.registration')
    registration = _ticket(portal, token)
    if registration.state == 'cancelled':
        portal.flash(gettext('copp_event.msg_flash_already_cancelled'))
    elif registration.event.state != 'published':
        portal.flash(gettext('copp_event.msg_flash_cancel_closed'), 'error')
    else:
        Registration.cancel([registration], reason='participant')
        portal.flash(gettext('copp_event.msg_flash_cancelled'))
    return portal.redirect(f'/events/ticket/{token}')


@portal_route('/events/ticket/<token>/certificate.pdf', model='copp.event')
def ticket_certificate(portal, token):
    from trytond.protocols.wrappers import Response

    from .certificate import certificate_pdf
    registration = _ticket(portal, token)
    if not registration.attended:
        portal.not_found()
    pdf = certificate_pdf([registration])
    response = Response(pdf, content_type='application/pdf')
    filename = urllib.parse.quote(
        f'Сертификат {registration.rec_name}.pdf')
    response.headers['Content-Disposition'] = (
        f"inline; filename=certificate.pdf; filename*=UTF-8''{filename}")
    return response


@portal_route('/events/certificate/<token>', model='copp.event')
def certificate_check(portal, token):
    registration = _ticket(portal, token)
    if not registration.attended:
        portal.not_found()
    return portal.render('events/certificate.html',
        registration=registration, event=event_view(registration.event))


# Check-in --------------------------------------------------------------

def _checkin_event(portal, event_id, key):
    Event = portal.pool.get('copp.event')
    events = Event.search([('id', '=', event_id)], limit=1)
    if not events or not checkin_valid(events[0], key):
        portal.forbidden(gettext('copp_event.msg_checkin_link_invalid'))
    return events[0]


def _session(portal, event, value):
    Attendance = portal.pool.get('copp.event.attendance')
    session_id = _int(value)
    for session in event.sessions:
        if session.id == session_id:
            return session
    return Attendance.current_session(event)


@portal_route('/events/<int:event_id>/checkin/<key>',
    methods=['GET', 'POST'], model='copp.event')
def checkin(portal, event_id, key):
    pool = portal.pool
    Registration = pool.get('copp.event.registration')
    Attendance = pool.get('copp.event.attendance')
    event = _checkin_event(portal, event_id, key)
    request = portal.request
    values = request.form if request.method == 'POST' else request.args
    session = _session(portal, event, values.get('session'))
    base = f'/events/{event.id}/checkin/{key}'
    if request.method == 'POST':
        action = request.form.get('action')
        registration, method = None, None
        if action == 'token':
            raw = (request.form.get('token') or '')[:500]
            token = find_token(raw)
            registration = registration_of_token(token) if token else None
            method = 'qr'
            if registration is None or registration.event != event:
                portal.flash(gettext('copp_event.msg_checkin_unknown'),
                    'error')
                registration = None
        elif action == 'registration':
            registrations = Registration.search([
                    ('id', '=', _int(request.form.get('registration')) or -1),
                    ('event', '=', event.id),
                    ], limit=1)
            registration = registrations[0] if registrations else None
            method = 'search'
            if registration is None:
                portal.flash(gettext('copp_event.msg_checkin_unknown'),
                    'error')
        if registration is not None:
            if registration.state != 'confirmed':
                portal.flash(gettext('copp_event.msg_checkin_not_confirmed',
                        participant=registration.rec_name,
                        state=STATE_LABELS[registration.state]), 'error')
            else:
                attendance, created = Attendance.check_in(registration,
                    session, method=method)
                local = to_local(attendance.checked_in, event.timezone)
                if created:
                    portal.flash(gettext('copp_event.msg_checkin_done',
                            participant=registration.rec_name))
                else:
                    portal.flash(gettext('copp_event.msg_checkin_again',
                            participant=registration.rec_name,
                            time=f'{local:%H:%M}'), 'warning')
        query = {'session': session.id} if session else {}
        if request.form.get('q'):
            query['q'] = request.form.get('q')[:100]
        return portal.redirect(base + '?' + urllib.parse.urlencode(query))
    q = (request.args.get('q') or '').strip()[:100]
    found = []
    if len(q) >= 2:
        # SQLite's LIKE ignores the case of ASCII letters only: search the
        # usual spellings of a Cyrillic name too.
        variants = {q, q.lower(), q.capitalize(), q.title(), q.upper()}
        clauses = ['OR']
        for variant in sorted(variants):
            for name in ['last_name', 'first_name', 'group_name', 'email']:
                clauses.append((name, 'ilike', f'%{variant}%'))
        found = Registration.search([
                ('event', '=', event.id),
                ('state', '!=', 'cancelled'),
                clauses,
                ], order=[('last_name', 'ASC'), ('first_name', 'ASC')],
            limit=30)
    present = set()
    if session:
        present = {a.registration.id for a in Attendance.search([
                    ('session', '=', session.id)])}
    confirmed = Registration.search_count([('event', '=', event.id),
            ('state', '=', 'confirmed')])
    response = portal.render('events/checkin.html', event=event_view(event),
        session=session, sessions=sessions_of(event), base=base, q=q,
        found=found, present=present, confirmed=confirmed,
        state_labels=STATE_LABELS)
    # Remember the key so that the ticket page opened by the phone camera
    # offers to check the participant in.
    keys = _checkin_keys(portal)
    keys[event.id] = key
    cookie = '|'.join(f'{i}:{k}' for i, k in list(keys.items())[-5:])
    response.set_cookie(CHECKIN_COOKIE, cookie, max_age=3 * 24 * 3600,
        path='/events', secure=is_secure(request), httponly=True,
        samesite='Lax')
    return response
