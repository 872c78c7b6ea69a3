"""E-mails of the portals: rendered from templates and queued as copp.mail
(outbox.py), delivered through trytond's SMTP settings ([email] uri and
from) by ir.queue after the commit."""
from email.message import EmailMessage

import logging

import jinja2

from trytond import config
from trytond.pool import Pool
from trytond.tools.email_ import format_address

from .portal import environment

logger = logging.getLogger(__name__)
_warned = set()


def base_url():
    """The address of the portals in links (e-mails, tickets, QR codes):
    the «Portal URL» of the portal configuration, else `[copp] portal_url`,
    else the address the server listens on (`[web] listen`, for a local
    server). Never the Host header of a request: a forged Host would put
    another site in a password reset link."""
    from copp.reset_mail import server_url
    Configuration = Pool().get('copp.portal.configuration')
    base = Configuration.settings().portal_url
    if not base:
        base = server_url()
        if not config.get('copp', 'portal_url') and base not in _warned:
            _warned.add(base)
            logger.warning("copp_portal: no portal URL configured "
                "([copp] portal_url), links use %s", base)
    return base.strip().rstrip('/')


def portal_url(path=''):
    "Absolute URL of a portal page for links in e-mails"
    return base_url() + path


def sender():
    Configuration = Pool().get('copp.portal.configuration')
    return (Configuration.settings().email_from
        or config.get('email', 'from') or 'no-reply@localhost')


def send(to, subject, template, name=None, origin=None, **context):
    """Queue the e-mail `template` (`email/<template>.txt`, and `.html` when
    it exists) to the address `to`: a copp.mail of `origin` (the record
    that sends it), delivered by ir.queue after the commit (outbox.py);
    return the copp.mail"""
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
    return Pool().get('copp.mail').queue(msg, origin=origin)
