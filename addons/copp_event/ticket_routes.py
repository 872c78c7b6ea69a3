"""Registration on the portal (`/events/<id>/register`), the ticket page
reached by its signed token, cancellation by the registrant, and the
certificate of participation (PDF) with its verification page."""
import datetime as dt
import urllib.parse

from trytond.i18n import gettext
from werkzeug.exceptions import NotFound

from copp_portal import forms
from copp_portal.portal import portal_route

from .checkin_routes import checkin_keys
from .duplicates import find_duplicate, resend_key, same_email_count
from .exceptions import EventError
from .participant import ADULT_AGE, age_on
from .routes import (
    CATEGORY_LABELS, RELATION_LABELS, STATE_LABELS, _public_event,
    event_view)
from .tokens import (
    checkin_valid, qr_svg_data_uri, registration_of_token, to_local)


# Registration ----------------------------------------------------------

class RegistrationForm(forms.Form):
    last_name = forms.CharField(required=True, max_length=100)
    first_name = forms.CharField(required=True, max_length=100)
    patronymic = forms.CharField(max_length=100)
    birth_date = forms.DateField(required=True,
        min=lambda: dt.date(dt.date.today().year - 100, 1, 1),
        max=lambda: dt.date.today())
    category = forms.ChoiceField(required=True,
        choices=list(CATEGORY_LABELS.items()))
    organization = forms.CharField(max_length=200)
    grade = forms.CharField(max_length=50)
    email = forms.EmailField(required=True)
    phone = forms.CharField(required=True, max_length=40,
        pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    representative_name = forms.CharField(max_length=200)
    representative_relation = forms.ChoiceField(
        choices=list(RELATION_LABELS.items()))
    representative_phone = forms.CharField(max_length=40,
        pattern=r'^[0-9+()\-\s]{5,40}$',
        pattern_message='copp_portal.msg_form_phone')
    representative_email = forms.EmailField()
    consent = forms.BooleanField(required=True)

    def __init__(self, portal=None, initial=None, event=None):
        self.event = event
        super().__init__(portal, initial=initial)

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
    resend = None
    form = RegistrationForm(portal, event=event, initial={'category': (
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
        # Nothing is sent for a repeated registration: the page offers to
        # send the ticket again (duplicates.resend, rate-limited).
        duplicate = find_duplicate(pool, event, values)
        same_email = same_email_count(pool, event, values['email'])
        if duplicate:
            form.add_error(None, gettext('copp_event.msg_form_duplicate',
                    email=values['email']))
            resend = resend_key(portal.secret, duplicate)
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
        resend_key=resend,
        categories=list(CATEGORY_LABELS.items()),
        relations=list(RELATION_LABELS.items()), adult_age=ADULT_AGE)


# Ticket ----------------------------------------------------------------

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
    staff_key = checkin_keys(portal).get(event.id)
    if staff_key and not checkin_valid(event, staff_key):
        staff_key = None
    return portal.render('events/ticket.html', registration=registration,
        mail=_mail_status(portal.pool, registration),
        event=view, token=token, qr=qr,
        state_label=STATE_LABELS[registration.state],
        category=CATEGORY_LABELS.get(registration.category),
        can_cancel=(registration.state != 'cancelled'
            and event.state == 'published' and not view['past']),
        staff_key=staff_key, sessions_attended={
            a.session.id for a in registration.attendances},
        online_url=(event.online_url if registration.state == 'confirmed'
            and event.venue_kind == 'online' else None))


def _mail_status(pool, registration):
    """What happened to the latest e-mail of the registration: the page
    says «отправлено» only when the mail server took it"""
    from copp_portal.outbox import local_time
    Mail = pool.get('copp.mail')
    origin = f'{registration.__name__},{registration.id}'
    info = Mail.latest([origin]).get(origin)
    if not info:
        return None
    state, to, sent_at, next_attempt, _ = info

    def fmt(value):
        value = local_time(value)
        return value.strftime('%d.%m.%Y в %H:%M') if value else ''
    return {'state': state, 'to': to, 'sent': fmt(sent_at),
        'next': fmt(next_attempt)}


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
