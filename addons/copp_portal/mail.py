"""E-mails of the portals, sent through trytond's SMTP settings
([email] uri and from) when the transaction commits."""
from email.message import EmailMessage
from email.utils import parseaddr

import jinja2

from trytond import config
from trytond.pool import Pool
from trytond.sendmail import send_message_transactional
from trytond.tools.email_ import format_address
from trytond.url import http_host

from .portal import environment


def portal_url(path=''):
    "Absolute URL of a portal page for links in e-mails"
    Configuration = Pool().get('copp.portal.configuration')
    base = Configuration.settings().portal_url or http_host()
    return base.rstrip('/') + path


def sender():
    Configuration = Pool().get('copp.portal.configuration')
    return (Configuration.settings().email_from
        or config.get('email', 'from') or 'no-reply@localhost')


def send(to, subject, template, name=None, **context):
    """Send the e-mail `template` (`email/<template>.txt`, and `.html` when
    it exists) to the address `to` when the transaction commits"""
    env = environment()
    context.setdefault('subject', subject)
    text = env.get_template(f'email/{template}.txt').render(**context)
    try:
        html = env.get_template(f'email/{template}.html').render(**context)
    except jinja2.TemplateNotFound:
        html = None
    msg = EmailMessage()
    from_ = sender()
    msg['From'] = from_
    msg['To'] = format_address(to, name)
    msg['Subject'] = subject
    msg['Auto-Submitted'] = 'auto-generated'
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype='html')
    send_message_transactional(
        msg, from_addr=parseaddr(from_)[1], to_addrs=[to])
    return msg
