"""Helpers for the HTTP tests of the portals (used by copp_employer too).

How the tests reach the portal: `trytond.wsgi.app` is driven with
`werkzeug.test.Client` in the test's own thread, so the SQLite in-memory
database of the trytond tests (DB_NAME ':memory:') is the one the routes
see; `[copp] database` is set to DB_NAME for the duration of the test class.
Data is prepared in `setUpDatabase()` (RouteTestCase commits it) or inside
`with Transaction().start(DB_NAME, 0):` blocks (committed on exit). Never
call the client inside an open transaction: the routes start their own.
On PostgreSQL the same code runs against the DB_NAME database.

E-mails go through the outbox (copp.mail, a task of ir.queue) and
trytond's SMTP settings to a real SMTP server on loopback (aiosmtpd),
started per test class. The routes and proteus run the tasks after their
commit; a test that sends inside its own `Transaction().start()` calls
`run_queue()` after it, as trytond-worker would.
"""
import email
import email.policy
import re
import socket
import threading
import urllib.parse

from aiosmtpd.controller import Controller
from werkzeug.test import Client

from trytond import config
from trytond.pool import Pool
from trytond.protocols.wrappers import Response
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction
from trytond.wsgi import app

from copp_portal.portal import invalidate_public_pages

CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self):
        self.messages = []
        self.event = threading.Condition()
        # Addresses answered «550 mailbox unavailable» (a permanent refusal)
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address,
            rcpt_options):
        if address in self.refuse:
            return '550 5.1.1 Mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.original_content or envelope.content,
            policy=email.policy.default)
        with self.event:
            self.messages.append((envelope.mail_from,
                    list(envelope.rcpt_tos), message))
            self.event.notify_all()
        return '250 Message accepted for delivery'


class SMTPServer:
    "A real SMTP server on 127.0.0.1; trytond's [email] uri points at it"

    def __init__(self):
        self.handler = _Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname='127.0.0.1',
            port=self.port)
        self._uri = None

    def start(self):
        self.controller.start()
        self._uri = config.get('email', 'uri')
        config.set('email', 'uri', f'smtp://127.0.0.1:{self.port}')
        return self

    def stop(self):
        self.controller.stop()
        config.set('email', 'uri', self._uri or 'smtp://localhost:25')

    @property
    def messages(self):
        return self.handler.messages

    def clear(self):
        del self.handler.messages[:]
        self.handler.refuse.clear()

    def point_to(self, uri):
        "Send trytond's mail to another address (a refused port)"
        config.set('email', 'uri', uri)

    def restore(self):
        config.set('email', 'uri', f'smtp://127.0.0.1:{self.port}')

    def wait(self, count=1, timeout=5):
        with self.handler.event:
            self.handler.event.wait_for(
                lambda: len(self.handler.messages) >= count, timeout)
        return self.handler.messages

    def last(self):
        self.wait(1)
        return self.handler.messages[-1]


def run_queue(database=None):
    """Run the pending tasks of ir.queue (the e-mails the test's own
    transactions queued) each in its transaction, as trytond-worker does;
    return how many ran"""
    from trytond.worker import run_task
    database = database or DB_NAME
    # Without a worker the ids wait in the thread's list for a dispatcher
    # that runs them after its commit: the test is that dispatcher here.
    Transaction().tasks.clear()
    with Transaction().start(database, 0, readonly=True):
        Queue = Pool().get('ir.queue')
        ids = [t.id for t in Queue.search([('dequeued_at', '=', None)],
                order=[('id', 'ASC')])]
    for task_id in ids:
        run_task(database, task_id)
    return len(ids)


def refused_port():
    "A port of 127.0.0.1 where nothing listens (connection refused)"
    return free_port()


def message_text(message):
    part = message.get_body(preferencelist=('plain',))
    return part.get_content()


def message_link(message, path_prefix):
    "The first link of the message whose path starts with `path_prefix`"
    text = message_text(message)
    for url in re.findall(r'https?://\S+', text):
        if urllib.parse.urlsplit(url).path.startswith(path_prefix):
            return urllib.parse.urlsplit(url).path
    raise AssertionError(f"no link {path_prefix} in:\n{text}")


class PortalClient:
    "A werkzeug test client of trytond's WSGI application with cookies"

    def __init__(self, base_url='http://localhost', remote_addr='127.0.0.1'):
        self.client = Client(app, Response)
        self.base_url = base_url
        self.remote_addr = remote_addr

    def get(self, path, **kwargs):
        kwargs.setdefault('base_url', self.base_url)
        kwargs.setdefault('environ_base', {'REMOTE_ADDR': self.remote_addr})
        return self.client.get(path, **kwargs)

    def post(self, path, data=None, csrf_from=None, csrf=True, **kwargs):
        """POST the form `data`; the CSRF token is taken from the page
        `csrf_from` (default: the same path) unless csrf is False"""
        data = dict(data or {})
        kwargs.setdefault('base_url', self.base_url)
        kwargs.setdefault('environ_base', {'REMOTE_ADDR': self.remote_addr})
        if csrf and 'csrf_token' not in data:
            data['csrf_token'] = self.csrf_token(csrf_from or path)
        return self.client.post(path, data=data, **kwargs)

    def csrf_token(self, path):
        response = self.get(path)
        match = CSRF_PATTERN.search(response.get_data(as_text=True))
        if not match:
            raise AssertionError(
                f"no CSRF token on {path} ({response.status})")
        return match.group(1)

    def cookie(self, name):
        cookie = self.client.get_cookie(name)
        return cookie.value if cookie else None

    def login(self, email_, password):
        response = self.post('/partner/login', {
                'email': email_, 'password': password})
        assert response.status_code == 303, (
            response.status, response.get_data(as_text=True)[:2000])
        return response


def text(response):
    return response.get_data(as_text=True)


class PortalTestMixin:
    """Sets `[copp] database` to the test database and runs an SMTP server
    for the test class"""

    @classmethod
    def setUpClass(cls):
        cls._copp_database = config.get('copp', 'database')
        if not config.has_section('copp'):
            config.add_section('copp')
        config.set('copp', 'database', DB_NAME)
        cls.smtp = SMTPServer().start()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.smtp.stop()
        config.set('copp', 'database', cls._copp_database or 'copp')

    def setUp(self):
        super().setUp()
        self.smtp.clear()
        Transaction().tasks.clear()
        # Pages cached by another test (or test database) must not leak.
        invalidate_public_pages()


def create_portal_user(email_, name, organization=None, password=None):
    "A portal user (in the current transaction) with an optional password"
    pool = Pool()
    User = pool.get('web.user')
    user = User(email=email_, name=name,
        organization=organization.id if organization else None)
    user.save()
    if password:
        user.change_password(password)
        user.email_valid = True
        user.save()
    return user


# The widgets sao 8.0 knows (sao/src/view/{tree,form}.js): a field whose
# widget is not there breaks the view in the browser ("ColumnFactory is not
# a constructor"), e.g. a DateTime in a list needs widget="date"/"time".
SAO_TREE_WIDGETS = {'binary', 'boolean', 'callto', 'char', 'date', 'dict',
    'email', 'float', 'image', 'integer', 'many2many', 'many2one', 'numeric',
    'one2many', 'one2one', 'progressbar', 'reference', 'selection',
    'multiselection', 'sip', 'text', 'time', 'timedelta', 'url'}
SAO_FORM_WIDGETS = {'binary', 'boolean', 'callto', 'char', 'color', 'date',
    'datetime', 'dict', 'document', 'email', 'float', 'html', 'image',
    'integer', 'many2many', 'many2one', 'multiselection', 'numeric',
    'one2many', 'one2one', 'password', 'progressbar', 'pyson', 'reference',
    'richtext', 'selection', 'sip', 'text', 'time', 'timedelta', 'timestamp',
    'url'}


def check_sao_widgets(testcase, module):
    "Every field of the module's list and form views has a sao widget"
    from lxml import etree
    pool = Pool()
    View = pool.get('ir.ui.view')
    for view in View.search([('module', '=', module),
                ('type', 'in', ['tree', 'form'])]):
        Model = pool.get(view.model)
        result = Model.fields_view_get(view_id=view.id, view_type=view.type)
        arch = etree.fromstring(result['arch'])
        allowed = (SAO_TREE_WIDGETS if view.type == 'tree'
            else SAO_FORM_WIDGETS)
        for node in arch.iter('field'):
            name = node.get('name')
            widget = node.get('widget') or result['fields'][name]['type']
            with testcase.subTest(view=view.name, field=name):
                testcase.assertIn(widget, allowed,
                    f"{view.name}: field {name} has widget {widget}")
