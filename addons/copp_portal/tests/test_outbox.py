"""The outbox (copp.mail): a message is queued, delivered by its task of
ir.queue to a real SMTP server on loopback, or fails with its reason when
the server refuses the connection or the recipient, and is retried later
(back-off) until it is sent or given up. The sender's record shows the
status. Runs on SQLite and PostgreSQL."""
import datetime as dt
import email
import email.policy
import shutil
import tempfile
from email.message import EmailMessage
from pathlib import Path

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction, check_access

from copp.cli.mailbox import Mailbox, deliver_once
from copp.tests.tools import create_college, create_user
from copp_portal import mail as portal_mail
from copp_portal.outbox import BACKOFF

from .tools import (
    PortalTestMixin, create_portal_user, message_text, refused_port,
    run_queue)


def new_message(to, subject="Проверка"):
    msg = EmailMessage()
    msg['From'] = 'copp@example.com'
    msg['To'] = to
    msg['Subject'] = subject
    msg.set_content("Текст письма")
    return msg


class OutboxTestCase(PortalTestMixin, RouteTestCase):
    "Outgoing e-mail through ir.queue"
    module = 'copp_portal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        college = create_college("Колледж", "К")
        create_user('specialist', [college], ['group_copp'])
        create_user('teacher', [college], ['group_teacher'])
        create_portal_user('partner@example.com', "Пётр Партнёров")

    def tearDown(self):
        self.smtp.restore()
        super().tearDown()

    def mail(self, mail_id):
        return Pool().get('copp.mail')(mail_id)

    def test_queued_then_sent(self):
        "A queued message waits for its task; the task sends it"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Mail = pool.get('copp.mail')
            User = pool.get('web.user')
            Queue = pool.get('ir.queue')
            user, = User.search([('email', '=', 'partner@example.com')])
            mail = Mail.queue(new_message('partner@example.com'),
                origin=user)
            self.assertEqual((mail.state, mail.attempts), ('queued', 0))
            self.assertEqual(user.mail_state, 'queued')
            self.assertIn("Ожидает отправки", user.mail_status)
            task, = Queue.search([('dequeued_at', '=', None)])
            self.assertEqual(task.name, 'copp.mail')
            self.assertEqual(task.data['method'], 'deliver')
            transaction.commit()
            mail_id = mail.id
        self.assertEqual(self.smtp.messages, [])
        self.assertEqual(run_queue(), 1)
        sender, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['partner@example.com'])
        self.assertEqual(message['Subject'], "Проверка")
        self.assertIn("Текст письма", message_text(message))
        with Transaction().start(DB_NAME, 0) as transaction:
            mail = self.mail(mail_id)
            self.assertEqual((mail.state, mail.attempts, mail.error),
                ('sent', 1, None))
            self.assertIsNotNone(mail.sent_at)
            # Its single-use links are not kept once delivered.
            self.assertIsNone(mail.message)
            user = mail.origin
            self.assertEqual(user.mail_state, 'sent')
            self.assertIn("Отправлено на partner@example.com",
                user.mail_status)
            # A second task for it (another worker, the cron) sends nothing.
            Pool().get('copp.mail').push([mail])
            transaction.commit()
        self.assertEqual(run_queue(), 1)
        self.assertEqual(len(self.smtp.messages), 1)

    def test_refused_connection_then_retried(self):
        """The server refuses the connection: the mail waits with the
        reason and the time of its next attempt, then goes out"""
        self.smtp.point_to(f'smtp://127.0.0.1:{refused_port()}')
        with Transaction().start(DB_NAME, 0) as transaction:
            Mail = Pool().get('copp.mail')
            mail = Mail.queue(new_message('partner@example.com'))
            transaction.commit()
            mail_id = mail.id
        run_queue()
        with Transaction().start(DB_NAME, 0) as transaction:
            Mail = Pool().get('copp.mail')
            mail = Mail(mail_id)
            self.assertEqual((mail.state, mail.attempts), ('retry', 1))
            self.assertIn("Почтовый сервер smtp://127.0.0.1:", mail.error)
            self.assertIn("недоступен", mail.error)
            self.assertIn("ConnectionRefusedError", mail.error)
            self.assertEqual(mail.next_attempt - mail.last_attempt,
                dt.timedelta(minutes=BACKOFF[0]))
            # Not due yet: nothing is pushed.
            self.assertEqual(Mail.deliver_due(
                    now=mail.next_attempt - dt.timedelta(seconds=1)), [])
            # The server is back; the cron finds the mail due.
            self.smtp.restore()
            self.assertEqual(Mail.deliver_due(now=mail.next_attempt),
                [mail])
            transaction.commit()
        run_queue()
        self.assertEqual(self.smtp.last()[1], ['partner@example.com'])
        with Transaction().start(DB_NAME, 0):
            mail = self.mail(mail_id)
            self.assertEqual((mail.state, mail.attempts, mail.error),
                ('sent', 2, None))

    def test_gives_up_after_the_last_attempt(self):
        "Every attempt refused: failed for good, until sent again by hand"
        self.smtp.point_to(f'smtp://127.0.0.1:{refused_port()}')
        with Transaction().start(DB_NAME, 0) as transaction:
            Mail = Pool().get('copp.mail')
            mail = Mail.queue(new_message('partner@example.com'))
            transaction.commit()
            mail_id = mail.id
        run_queue()
        waits = []
        for _ in BACKOFF:
            with Transaction().start(DB_NAME, 0) as transaction:
                Mail = Pool().get('copp.mail')
                mail = Mail(mail_id)
                if mail.state != 'retry':
                    break
                waits.append(mail.next_attempt - mail.last_attempt)
                Mail.deliver_due(now=mail.next_attempt)
                transaction.commit()
            run_queue()
        self.assertEqual(waits, [dt.timedelta(minutes=m) for m in BACKOFF])
        with Transaction().start(DB_NAME, 0) as transaction:
            Mail = Pool().get('copp.mail')
            mail = Mail(mail_id)
            self.assertEqual((mail.state, mail.attempts, mail.next_attempt),
                ('failed', len(BACKOFF) + 1, None))
            self.assertIn("ConnectionRefusedError", mail.error)
            self.assertEqual(Mail.deliver_due(
                    now=mail.last_attempt + dt.timedelta(days=1)), [])
            # «Отправить ещё раз» once the server is back.
            self.smtp.restore()
            Mail.retry([mail])
            transaction.commit()
        run_queue()
        self.assertEqual(len(self.smtp.messages), 1)
        with Transaction().start(DB_NAME, 0):
            self.assertEqual(self.mail(mail_id).state, 'sent')

    def test_recipient_refused_for_good(self):
        "A 550 for the recipient fails at once, with the server's words"
        self.smtp.handler.refuse.add('nobody@example.com')
        with Transaction().start(DB_NAME, 0) as transaction:
            Mail = Pool().get('copp.mail')
            mail = Mail.queue(new_message('nobody@example.com'))
            transaction.commit()
            mail_id = mail.id
        run_queue()
        self.assertEqual(self.smtp.messages, [])
        with Transaction().start(DB_NAME, 0):
            mail = self.mail(mail_id)
            self.assertEqual((mail.state, mail.attempts, mail.next_attempt),
                ('failed', 1, None))
            self.assertIn("не принял адрес получателя", mail.error)
            self.assertIn("550", mail.error)
            self.assertIn("Mailbox unavailable", mail.error)

    def test_stalled_task_pushed_again(self):
        "A queued mail whose task never ran is pushed again by the cron"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Mail = pool.get('copp.mail')
            Queue = pool.get('ir.queue')
            mail = Mail.queue(new_message('partner@example.com'))
            Queue.delete(Queue.search([]))  # the worker lost it
            self.assertEqual(Mail.deliver_due(now=mail.create_date), [])
            self.assertEqual(Mail.deliver_due(
                    now=mail.create_date + dt.timedelta(minutes=3)), [mail])
            transaction.commit()
        run_queue()
        self.assertEqual(self.smtp.last()[1], ['partner@example.com'])

    def test_portal_mail_goes_through_the_outbox(self):
        "copp_portal.mail.send renders, queues with its origin, delivers"
        with Transaction().start(DB_NAME, 0) as transaction:
            User = Pool().get('web.user')
            user, = User.search([('email', '=', 'partner@example.com')])
            mail = portal_mail.send(user.email, "Приглашение",
                'invitation', name=user.name, user=user,
                link='http://localhost/x', hours=24, origin=user)
            self.assertEqual((mail.origin, mail.to, mail.state),
                (user, 'partner@example.com', 'queued'))
            transaction.commit()
        run_queue()
        _, recipients, message = self.smtp.last()
        self.assertEqual(message['Subject'], "Приглашение")
        self.assertIn("Пётр Партнёров", message['To'])

    def test_access(self):
        """The ЦОПП reads the outbox; a teacher does not; nobody writes it
        through the ORM"""
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Mail = pool.get('copp.mail')
            User = pool.get('res.user')
            mail = Mail.queue(new_message('partner@example.com'))
            specialist, = User.search([('login', '=', 'specialist')])
            teacher, = User.search([('login', '=', 'teacher')])
            with transaction.set_user(specialist.id), check_access():
                self.assertIn(mail, Mail.search([]))
                self.assertEqual(Mail.read([mail.id], ['state'])[0]['state'],
                    'queued')
                # The body (single-use links) is for the administrators.
                with self.assertRaises(AccessError):
                    Mail.read([mail.id], ['message'])
                with self.assertRaises(AccessError):
                    Mail.write([Mail(mail.id)], {'to': 'x@example.com'})
                with self.assertRaises(AccessError):
                    Mail.delete([Mail(mail.id)])
            with transaction.set_user(teacher.id), check_access():
                with self.assertRaises(AccessError):
                    Mail.search([])
            transaction.rollback()


class MailboxTestCase(PortalTestMixin, RouteTestCase):
    """The developer's mail of `copp serve`: the local mailbox (.eml files)
    and the runner that sends what is queued and due"""
    module = 'copp_portal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix='copp-mailbox-'))
        self.mailbox = Mailbox(self.folder, port=0).start()

    def tearDown(self):
        self.mailbox.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.smtp.restore()
        super().tearDown()

    def queue(self, to):
        with Transaction().start(DB_NAME, 0) as transaction:
            mail = Pool().get('copp.mail').queue(new_message(to))
            transaction.commit()
        # The dispatcher that would run it after the commit is the runner.
        Transaction().tasks.clear()
        return mail.id

    def test_runner_delivers_into_the_mailbox(self):
        "Queued mail lands as an .eml file; a refused one waits its turn"
        self.smtp.point_to(self.mailbox.uri)
        mail_id = self.queue('ivanov@example.com')
        self.assertEqual(deliver_once(DB_NAME), 1)
        files = list(self.folder.glob('*.eml'))
        self.assertEqual(len(files), 1)
        self.assertIn('ivanov@example.com', files[0].name)
        message = email.message_from_bytes(files[0].read_bytes(),
            policy=email.policy.default)
        self.assertEqual(message['Subject'], "Проверка")
        self.assertEqual(message['X-Copp-Envelope-To'], 'ivanov@example.com')
        with Transaction().start(DB_NAME, 0):
            self.assertEqual(Pool().get('copp.mail')(mail_id).state, 'sent')
        # Nothing left: the next round sends nothing.
        self.assertEqual(deliver_once(DB_NAME), 0)

        self.smtp.point_to(f'smtp://127.0.0.1:{refused_port()}')
        mail_id = self.queue('petrov@example.com')
        self.assertEqual(deliver_once(DB_NAME), 1)
        with Transaction().start(DB_NAME, 0):
            mail = Pool().get('copp.mail')(mail_id)
            self.assertEqual(mail.state, 'retry')
        # Not due yet: the runner leaves it.
        self.smtp.point_to(self.mailbox.uri)
        self.assertEqual(deliver_once(DB_NAME), 0)
        self.assertEqual(len(list(self.folder.glob('*.eml'))), 1)
