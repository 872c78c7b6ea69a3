"""The developer's mail of `copp serve`: a local mailbox and the mail runner.

- Without `[email] uri` in the configuration, e-mail goes to a small SMTP
  server on 127.0.0.1 (aiosmtpd) that writes each message as an .eml file
  into var/mail/ (open it with any mail program). Nothing ever goes to a
  refused connection on localhost:25.
- The mail runner: a thread that every few seconds pushes the mails due
  (copp.mail.deliver_due: retries, stalled tasks) and runs the tasks of
  the queue «copp.mail», as trytond-cron and trytond-worker do in
  production. On SQLite trytond-worker does not run at all.
"""
import datetime as dt
import logging
import re
import socket
import threading
from pathlib import Path

logger = logging.getLogger(__name__)
DEFAULT_PORT = 8025
RUNNER_SECONDS = 15


class MailboxHandler:
    "Writes every message received into a folder as <time>-<n>.eml"

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode('utf-8')
        with self.lock:
            self.count += 1
            stamp = dt.datetime.now().strftime('%Y%m%d-%H%M%S')
            first = re.sub(r'[^\w.@-]', '_',
                (envelope.rcpt_tos or ['mail'])[0])[:60]
            path = self.folder / f'{stamp}-{self.count:04d}-{first}.eml'
        envelope_lines = (f'X-Copp-Envelope-From: {envelope.mail_from}\r\n'
            f'X-Copp-Envelope-To: {", ".join(envelope.rcpt_tos)}\r\n')
        path.write_bytes(envelope_lines.encode('utf-8') + content)
        logger.info("mailbox: %s", path)
        return '250 Message accepted for delivery'


def _port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(('127.0.0.1', port))
        except OSError:
            return False
    return True


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Mailbox:
    "The local SMTP server writing into a folder"

    def __init__(self, folder, port=DEFAULT_PORT):
        from aiosmtpd.controller import Controller
        self.folder = Path(folder)
        # The usual port when it is free, else any (port 0: any).
        self.port = port if port and _port_free(port) else _free_port()
        self.handler = MailboxHandler(self.folder)
        self.controller = Controller(self.handler, hostname='127.0.0.1',
            port=self.port)

    @property
    def uri(self):
        return f'smtp://127.0.0.1:{self.port}'

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


def deliver_once(database):
    """One round of the mail runner: push what is due, run the tasks of
    the queue «copp.mail»; return how many tasks ran"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task

    if database not in Pool.database_list():
        return 0  # trytond is still loading it
    pool = Pool(database)
    with Transaction().start(database, 0) as transaction:
        try:
            Mail = pool.get('copp.mail')
        except KeyError:  # copp_portal is not activated
            return 0
        Mail.deliver_due()
        transaction.commit()
        Queue = pool.get('ir.queue')
        ids = [t.id for t in Queue.search([
                    ('name', '=', 'copp.mail'),
                    ('dequeued_at', '=', None),
                    ['OR',
                        ('scheduled_at', '=', None),
                        ('scheduled_at', '<=', dt.datetime.now()),
                        ],
                    ], order=[('id', 'ASC')])]
    # The ids pushed by this transaction are run below, not twice.
    Transaction().tasks.clear()
    for task_id in ids:
        run_task(pool, task_id)
    return len(ids)


class MailRunner(threading.Thread):
    "Runs deliver_once every few seconds until the process ends"

    def __init__(self, database, seconds=RUNNER_SECONDS):
        super().__init__(name='copp-mail-runner', daemon=True)
        self.database = database
        self.seconds = seconds
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.seconds):
            try:
                deliver_once(self.database)
            except Exception:
                logger.exception("mail runner")

    def stop(self):
        self.stopped.set()
