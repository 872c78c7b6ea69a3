"""Repeated registrations on the portal (issue 15 #8: mail flooding).

The same participant registered twice for an event is recognised whatever
the case of the letters and whether a Latin letter stands for its Cyrillic
look-alike («Ивaнов» with a Latin «a» is «Иванов»); e-mails are compared
lower-cased. Submitting the form again sends nothing: the page says the
registration exists and offers to send the ticket again, which a signed key
allows at most once per RESEND_MINUTES for a registration.
"""
import datetime as dt
import hmac
import unicodedata

from trytond import config
from trytond.i18n import gettext

from copp_portal.portal import portal_route, sign

# Latin letters (after casefold) and digits that look like Cyrillic ones
HOMOGLYPHS = str.maketrans({
        'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к',
        'm': 'м', 'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
        '3': 'з', '0': 'о', 'ё': 'е',
        })


def resend_minutes():
    return config.getint('copp', 'ticket_resend_minutes', default=15)


def fold_name(text):
    """A name as compared for duplicates: case, spaces, hyphens and
    look-alike letters do not count"""
    text = unicodedata.normalize('NFKC', text or '').casefold()
    text = text.translate(HOMOGLYPHS)
    return ''.join(c for c in text if c.isalnum())


def fold_email(email):
    return (email or '').strip().lower()


def find_duplicate(pool, event, values):
    """The registration of `event` (not cancelled) of the same participant:
    same e-mail, birth date and names as `values`, or None"""
    Registration = pool.get('copp.event.registration')
    candidates = Registration.search([
            ('event', '=', event.id),
            ('email', '=', fold_email(values['email'])),
            ('birth_date', '=', values['birth_date']),
            ('state', '!=', 'cancelled'),
            ], order=[('id', 'ASC')])
    key = (fold_name(values['last_name']), fold_name(values['first_name']))
    for registration in candidates:
        if (fold_name(registration.last_name),
                fold_name(registration.first_name)) == key:
            return registration
    return None


def same_email_count(pool, event, email):
    Registration = pool.get('copp.event.registration')
    return Registration.search_count([
            ('event', '=', event.id),
            ('email', '=', fold_email(email)),
            ('state', '!=', 'cancelled'),
            ])


def resend_key(secret, registration):
    "The key of the «send the ticket again» button of `registration`"
    signature = sign(secret, 'event-ticket-resend',
        f'{registration.id}:{registration.ticket_nonce}')
    return f'{registration.id}.{signature[:32]}'


def last_sent(registration):
    "When the ticket was last e-mailed from the portal"
    return max(d for d in [registration.create_date,
            registration.ticket_resent] if d)


@portal_route('/events/<int:event_id>/register/resend', methods=['POST'],
    model='copp.event')
def resend(portal, event_id):
    "Send the ticket of an existing registration again, rate-limited"
    pool = portal.pool
    Registration = pool.get('copp.event.registration')
    Event = pool.get('copp.event')
    key = portal.request.form.get('key') or ''
    number, _, signature = key.partition('.')
    if not number.isdigit() or len(number) > 10 or not signature:
        portal.not_found()
    registrations = Registration.search([
            ('id', '=', int(number)),
            ('event', '=', event_id),
            ('event.state', 'in', ['published', 'done']),
            ('state', '!=', 'cancelled'),
            ], limit=1)
    if not registrations or not hmac.compare_digest(
            resend_key(portal.secret, registrations[0]), key):
        portal.not_found()
    registration, = registrations
    Event.lock([registration.event])
    now = dt.datetime.now()
    wait = last_sent(registration) + dt.timedelta(
        minutes=resend_minutes()) - now
    if wait > dt.timedelta(0):
        portal.flash(gettext('copp_event.msg_ticket_resend_wait',
                minutes=int(wait.total_seconds() // 60) + 1), 'error')
    else:
        registration.send_mail(registration.state)
        Registration.write([registration], {'ticket_resent': now})
        portal.flash(gettext('copp_event.msg_ticket_resent',
                email=registration.recipient))
    return portal.redirect(f'/events/{event_id}')
