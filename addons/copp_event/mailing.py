"""E-mails of the events: the ticket (with its QR code as an inline image),
the waiting list, the reminders and the cancellations.

They use the portal's mail settings and templates (copp_portal.mail:
`portal_url`, `sender`, the Jinja2 environment) and go through the outbox
(copp.mail: queued, delivered by ir.queue after the commit, with retries
and a status on the registration). copp_portal's `mail.send` has no
attachments, so the message is assembled here the same way with the QR
code added.
"""
from email.message import EmailMessage
from email.utils import make_msgid

import jinja2

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.tools.email_ import format_address

from copp_portal.mail import portal_url, sender
from copp_portal.portal import environment

from .tokens import qr_png, ticket_token, to_local

SUBJECTS = {
    'confirmed': 'copp_event.msg_mail_confirmed',
    'waiting': 'copp_event.msg_mail_waiting',
    'promoted': 'copp_event.msg_mail_promoted',
    'cancelled': 'copp_event.msg_mail_cancelled',
    'event_cancelled': 'copp_event.msg_mail_event_cancelled',
    'reminder': 'copp_event.msg_mail_reminder',
    }
WITH_TICKET = {'confirmed', 'promoted', 'reminder'}


def _render(template, **context):
    env = environment()
    text = env.get_template(f'email/{template}.txt').render(**context)
    try:
        html = env.get_template(f'email/{template}.html').render(**context)
    except jinja2.TemplateNotFound:
        html = None
    return text, html


def build_message(to, name, subject, text, html=None, images=None):
    """An EmailMessage with a text part, an HTML part and inline images
    {content id: png bytes} referenced as cid: in the HTML"""
    msg = EmailMessage()
    from_ = sender()
    msg['From'] = from_
    msg['To'] = format_address(to, name)
    msg['Subject'] = subject
    msg['Auto-Submitted'] = 'auto-generated'
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype='html')
        if images:
            html_part = msg.get_payload()[-1]
            for cid, data in images.items():
                html_part.add_related(data, maintype='image',
                    subtype='png', cid=f'<{cid}>', filename=f'{cid}.png',
                    disposition='inline')
    return msg


def send(msg, origin):
    "Queue msg in the outbox; return the copp.mail"
    return Pool().get('copp.mail').queue(msg, origin=origin)


def session_lines(event):
    lines = []
    for session in event.sessions:
        start = to_local(session.start, event.timezone)
        end = to_local(session.end, event.timezone)
        text = f"{start:%d.%m.%Y} {start:%H:%M}–{end:%H:%M}"
        if end.date() != start.date():
            text = f"{start:%d.%m.%Y %H:%M} – {end:%d.%m.%Y %H:%M}"
        if session.name:
            text += f" — {session.name}"
        if session.room:
            text += f" ({session.room})"
        lines.append(text)
    return lines


def send_registration_mail(registration, kind, session=None):
    event = registration.event
    to = registration.recipient
    if not to:
        return None
    token = ticket_token(registration)
    ticket_url = portal_url(f'/events/ticket/{token}')
    cid = make_msgid(domain='copp.ticket')[1:-1].replace('@', '.')
    context = {
        'kind': kind,
        'registration': registration,
        'event': event,
        'sessions': session_lines(event),
        'session': session,
        'session_start': (to_local(session.start, event.timezone)
            if session else None),
        'ticket_url': ticket_url,
        'cancel_url': ticket_url + '#cancel',
        'event_url': portal_url(f'/events/{event.id}'),
        'qr_cid': cid if kind in WITH_TICKET else None,
        'name': registration.rec_name,
        'minor': registration.minor,
        }
    subject = gettext(SUBJECTS[kind], event=event.name)
    context['subject'] = subject
    text, html = _render('event_registration', **context)
    images = {cid: qr_png(ticket_url)} if kind in WITH_TICKET else None
    msg = build_message(to, registration.representative_name
        if registration.minor and not registration.email
        else registration.rec_name, subject, text, html, images)
    return send(msg, registration)


def send_class_mail(event, registrations, to, name, group):
    "One e-mail to the accompanying teacher with every ticket of the class"
    tickets = []
    for registration in registrations:
        tickets.append({
                'name': registration.rec_name,
                'state': registration.state,
                'url': portal_url(
                    f'/events/ticket/{ticket_token(registration)}'),
                })
    subject = gettext('copp_event.msg_mail_class', event=event.name)
    text, html = _render('event_class', subject=subject, event=event,
        sessions=session_lines(event), tickets=tickets, group=group,
        name=name, event_url=portal_url(f'/events/{event.id}'))
    msg = build_message(to, name, subject, text, html)
    # The status is shown on the class's first registration.
    return send(msg, registrations[0] if registrations else None)
