"""Outgoing e-mail (copp.mail): every message the suite sends is stored,
delivered by a task of ir.queue and keeps a status the users see.

- `Mail.queue(msg, origin=…)` stores the message (state «queued») and pushes
  the task `deliver` on the queue «copp.mail». Without a worker
  (`[queue] worker = False`, SQLite) trytond runs the task in the same
  process right after the commit (RPC, cron, proteus and the portal
  routes); with trytond-worker, the worker runs it.
- `deliver` sends through trytond's SMTP settings (`[email] uri`, with a
  timeout): «sent», or a failure stored with its reason — «retry» with the
  time of the next attempt (back-off 1, 5, 15, 60, 240 minutes) or
  «failed» after the last attempt or a permanent refusal (5xx).
- The body of a message is kept until it is sent (readable by the
  administrators only: it holds single-use links), then dropped.
- `deliver_due` (ir.cron every minute, and the mail runner of
  `copp serve`) pushes the retries that are due and the queued messages
  whose task never ran.
- The records that send mail (MailOriginMixin) show the status of their
  latest message (`mail_state`, `mail_status`).
"""
import datetime as dt
import smtplib
import socket
from email import message_from_bytes, policy
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from zoneinfo import ZoneInfo

from trytond import config
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.sendmail import get_smtp_server
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.url import host

STATES = [
    ('queued', "Queued"),
    ('retry', "Retrying"),
    ('sent', "Sent"),
    ('failed', "Failed"),
    ]
# Minutes before the 2nd, 3rd… attempt; after the last one the mail fails.
BACKOFF = [1, 5, 15, 60, 240]
# A queued message whose task has not run after this long is pushed again.
STALLED = dt.timedelta(minutes=2)
QUEUE_NAME = 'copp.mail'
SMTP_TIMEOUT = 30
LOCAL_TIMEZONE = 'Europe/Moscow'


class Mail(ModelSQL, ModelView):
    "Outgoing E-mail"
    __name__ = 'copp.mail'
    __string__ = "Outgoing E-mail"

    origin = fields.Reference("Origin", selection='get_origins',
        readonly=True)
    to = fields.Char("To", readonly=True)
    sender = fields.Char("From", readonly=True)
    subject = fields.Char("Subject", readonly=True)
    message = fields.Binary("Message", readonly=True, filename='filename')
    filename = fields.Function(fields.Char("File Name"), 'get_filename')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    attempts = fields.Integer("Attempts", readonly=True)
    last_attempt = fields.DateTime("Last Attempt", readonly=True)
    next_attempt = fields.DateTime("Next Attempt", readonly=True,
        states={'invisible': Eval('state') != 'retry'})
    sent_at = fields.DateTime("Sent At", readonly=True)
    error = fields.Text("Reason", readonly=True,
        help="Why the last attempt failed.")
    created = fields.Function(fields.Timestamp("Created"), 'get_created')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.origin, Index.Equality())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.next_attempt, Index.Range())),
                })
        cls._buttons.update({
                'retry': {
                    'invisible': ~Eval('state').in_(['retry', 'failed']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'queued'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def get_origins(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        names = sorted(n for n, m in pool.iterobject()
            if isinstance(m, type) and issubclass(m, MailOriginMixin))
        return [(None, '')] + [(n, Model.get_name(n)) for n in names]

    def get_filename(self, name):
        return f'mail-{self.id}.eml'

    def get_created(self, name):
        return self.create_date

    @classmethod
    def order_created(cls, tables):
        table, _ = tables[None]
        return [table.create_date]

    def get_rec_name(self, name):
        return f'{self.subject or ""} → {self.to or ""}'

    # Sending ------------------------------------------------------------

    @classmethod
    def queue(cls, msg, origin=None):
        """Store the EmailMessage `msg` (From, To set) and push its
        delivery; return the copp.mail record"""
        if not msg['Message-ID']:
            msg['Message-ID'] = make_msgid(domain=host())
        if not msg['Date']:
            msg['Date'] = formatdate(localtime=True)
        to = ', '.join(a for _, a in getaddresses(msg.get_all('To', []))
            if a)
        mail = cls(origin=origin, to=to, sender=parseaddr(msg['From'])[1],
            subject=str(msg['Subject'] or ''), message=msg.as_bytes(),
            state='queued', attempts=0)
        # Whoever sends (a portal page, a button of the back office), the
        # outbox is the server's: users only read it.
        with without_check_access():
            mail.save()
            cls.push([mail])
        return mail

    @classmethod
    def push(cls, mails):
        "Push the delivery of mails on the queue «copp.mail»"
        with Transaction().set_context(queue_name=QUEUE_NAME):
            cls.__queue__.deliver(mails)

    @classmethod
    def deliver(cls, mails):
        """Send each mail not sent yet; store the outcome (the task of the
        queue, and the retries)"""
        ids = [int(m) for m in mails]
        if not ids:
            return
        cls.lock(cls.browse(ids))
        # The state is read after the lock: another task may have sent it.
        mails = [m for m in cls.browse(ids)
            if m.state in {'queued', 'retry'}]
        for mail in mails:
            now = dt.datetime.now().replace(microsecond=0)
            mail.attempts = (mail.attempts or 0) + 1
            mail.last_attempt = now
            try:
                _smtp_send(mail)
            except Exception as exc:
                permanent, reason = describe_failure(exc)
                mail.error = reason
                if permanent or mail.attempts > len(BACKOFF):
                    mail.state = 'failed'
                    mail.next_attempt = None
                else:
                    mail.state = 'retry'
                    mail.next_attempt = now + dt.timedelta(
                        minutes=BACKOFF[mail.attempts - 1])
            else:
                mail.state = 'sent'
                mail.sent_at = now
                mail.error = None
                mail.next_attempt = None
                # The body holds single-use links (password reset,
                # invitations): it is not kept once delivered.
                mail.message = None
        cls.save(mails)

    @classmethod
    def deliver_due(cls, now=None):
        """Push the retries that are due and the queued mails whose task
        did not run (ir.cron; the mail runner of `copp serve`)"""
        now = now or dt.datetime.now()
        due = cls.search(['OR', [
                    ('state', '=', 'retry'),
                    ('next_attempt', '<=', now),
                    ], [
                    ('state', '=', 'queued'),
                    ('create_date', '<=', now - STALLED),
                    ]], order=[('id', 'ASC')])
        if due:
            cls.push(due)
        return due

    @classmethod
    @ModelView.button
    def retry(cls, mails):
        "Send again now (a failed mail gets its attempts back)"
        to_retry = [m for m in mails if m.state in {'retry', 'failed'}]
        for mail in to_retry:
            if mail.state == 'failed':
                mail.attempts = 0
            mail.state = 'retry'
            mail.next_attempt = dt.datetime.now().replace(microsecond=0)
        # The button's groups were checked: the users only read mails.
        with without_check_access():
            cls.save(to_retry)
            cls.push(to_retry)

    # Status of the origins -----------------------------------------------

    @classmethod
    def latest(cls, origins):
        """{origin 'model,id': (state, to, sent_at, next_attempt, error)}
        of the latest mail of each origin, in one query per slice"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub in grouped_slice(list(origins), 500):
            cursor.execute(*table.select(table.origin, table.state,
                    table.to, table.sent_at, table.next_attempt,
                    table.error,
                    where=table.origin.in_(list(sub)),
                    order_by=[table.id.asc]))
            for origin, *values in cursor:
                result[origin] = tuple(values)
        return result


def _smtp_send(mail):
    uri = config.get('email', 'uri', default='smtp://localhost:25')
    if 'timeout=' not in uri:
        uri += ('&' if '?' in uri else '?') + f'timeout={SMTP_TIMEOUT}'
    server = get_smtp_server(uri, strict=True)
    try:
        msg = message_from_bytes(mail.message, policy=policy.SMTP)
        to = [a.strip() for a in (mail.to or '').split(',') if a.strip()]
        server.send_message(msg, mail.sender or None, to)
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def describe_failure(exc):
    """(permanent, reason in the user's language) of a failed attempt: the
    server refused for good (5xx) or the attempt may succeed later"""
    uri = config.get('email', 'uri', default='smtp://localhost:25')
    server = _safe_uri(uri)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        detail = '; '.join(f'{addr}: {code} {_text(message)}'
            for addr, (code, message) in exc.recipients.items())
        return (all(c >= 500 for c in codes), gettext(
                'copp_portal.msg_mail_recipient_refused', detail=detail))
    if isinstance(exc, smtplib.SMTPResponseException):
        return (exc.smtp_code >= 500, gettext(
                'copp_portal.msg_mail_server_refused', server=server,
                code=exc.smtp_code, detail=_text(exc.smtp_error)))
    if isinstance(exc, (ConnectionError, socket.timeout, TimeoutError,
                socket.gaierror, smtplib.SMTPServerDisconnected, OSError)):
        return False, gettext('copp_portal.msg_mail_unreachable',
            server=server, detail=f'{type(exc).__name__}: {exc}')
    return False, gettext('copp_portal.msg_mail_error',
        detail=f'{type(exc).__name__}: {exc}')


def _text(value):
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)


def _safe_uri(uri):
    "The SMTP address without the password"
    parsed = config.parse_uri(uri)
    netloc = parsed.hostname or ''
    if parsed.port:
        netloc += f':{parsed.port}'
    return f'{parsed.scheme}://{netloc}'


def local_time(value):
    "A naive UTC datetime in the region's time (or the company's)"
    if value is None:
        return None
    pool = Pool()
    Company = pool.get('company.company')
    company_id = Transaction().context.get('company')
    zone = LOCAL_TIMEZONE
    if company_id and company_id > 0:
        zone = Company(company_id).timezone or zone
    return value.replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo(zone)).replace(tzinfo=None)


class MailOriginMixin:
    """A record that sends e-mail (copp.mail.origin): shows the status of
    its latest message"""
    __slots__ = ()

    mail_state = fields.Function(fields.Selection(
            [(None, "")] + STATES, "E-mail State"), 'get_mail_status')
    mail_status = fields.Function(fields.Char("E-mail"),
        'get_mail_status')

    @classmethod
    def get_mail_status(cls, records, names):
        pool = Pool()
        Mail = pool.get('copp.mail')
        latest = Mail.latest(f'{cls.__name__},{r.id}' for r in records)
        result = {n: {} for n in names}
        for record in records:
            info = latest.get(f'{cls.__name__},{record.id}')
            if 'mail_state' in result:
                result['mail_state'][record.id] = info[0] if info else None
            if 'mail_status' in result:
                result['mail_status'][record.id] = (
                    status_text(*info) if info else '')
        return result


def status_text(state, to, sent_at, next_attempt, error):
    "«Отправлено 06.12.2026 14:05 на …» and the like"
    def fmt(value):
        value = local_time(value)
        return value.strftime('%d.%m.%Y %H:%M') if value else ''
    if state == 'sent':
        return gettext('copp_portal.msg_mail_status_sent', to=to,
            date=fmt(sent_at))
    if state == 'retry':
        return gettext('copp_portal.msg_mail_status_retry', to=to,
            date=fmt(next_attempt), reason=error or '')
    if state == 'failed':
        return gettext('copp_portal.msg_mail_status_failed', to=to,
            reason=error or '')
    return gettext('copp_portal.msg_mail_status_queued', to=to)

