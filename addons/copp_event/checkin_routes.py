"""The check-in page of the staff at the entrance
(`/events/<id>/checkin/<key>`, phone-friendly): scan the QR code of a ticket
or search by name, per session. The page is opened with the signed check-in
key of the event (see tokens.py); the names it shows are personal data and
each search is registered in the personal data log."""
import urllib.parse

from trytond.i18n import gettext

from copp_portal.portal import is_secure, portal_route

from .routes import STATE_LABELS, _int, event_view, sessions_of
from .tokens import (
    checkin_valid, find_token, registration_of_token, to_local)

CHECKIN_COOKIE = 'copp_checkin'
# What the search of the check-in page shows of a participant.
CHECKIN_FIELDS = {'last_name', 'first_name', 'patronymic', 'group_name'}


def checkin_keys(portal):
    "{event id: key} remembered by the check-in pages of this browser"
    value = portal.request.cookies.get(CHECKIN_COOKIE) or ''
    keys = {}
    for part in value.split('|')[:10]:
        event_id, _, key = part.partition(':')
        if event_id.isdigit() and key:
            keys[int(event_id)] = key
    return keys


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
        # The names shown to the holder of the link are personal data.
        pool.get('copp.personal_data.log').register(
            'copp.event.registration', found, CHECKIN_FIELDS)
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
    keys = checkin_keys(portal)
    keys[event.id] = key
    cookie = '|'.join(f'{i}:{k}' for i, k in list(keys.items())[-5:])
    response.set_cookie(CHECKIN_COOKIE, cookie, max_age=3 * 24 * 3600,
        path='/events', secure=is_secure(request), httponly=True,
        samesite='Lax')
    return response
