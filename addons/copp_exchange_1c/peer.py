"""Exchange peers (a college's 1С:БГУ base) and the exchange accounts with
which 1C logs in to the service we serve."""
import datetime as dt
import logging
import uuid

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from .mapping import VERSIONS
from .mapping_format import EXCHANGE_PLAN, is_guid

logger = logging.getLogger(__name__)

# Back-off of the retries: 1, 2, 4 … minutes, at most 6 hours.
RETRY_FIRST = 60
RETRY_MAX = 6 * 60 * 60


def retry_delay(attempts):
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MAX)


class Peer(DeactivableMixin, ModelSQL, ModelView):
    "1C accounting base the college exchanges with"
    __name__ = 'copp.exchange_1c.peer'
    __string__ = "1C Exchange Peer"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    exchange_plan = fields.Char("Exchange Plan", required=True,
        help="The exchange plan of 1C: "
        "«СинхронизацияДанныхЧерезУниверсальныйФормат».")
    our_code = fields.Char("Our Node Code", required=True,
        help="The code of ГИС ЦОПП in the 1C exchange plan: «From» of our "
        "messages and the PeerCode we give when we call 1C.")
    peer_code = fields.Char("1C Node Code", required=True,
        help="The code of the 1C base: «To» of our messages and the "
        "PeerCode 1C gives when it calls us.")
    format_version = fields.Selection('get_versions', "Format Version",
        required=True)
    organization_uuid = fields.Char("Organization GUID", required=True,
        strip=False,
        help="The GUID of the college as «Организация» in 1C.")
    client = fields.Boolean("We Call 1C",
        help="ГИС ЦОПП calls the web service published by 1C; otherwise 1C "
        "calls the service of ГИС ЦОПП with an exchange account.")
    url = fields.Char("1C Service Address",
        states={'required': Bool(Eval('client')),
            'invisible': ~Eval('client')},
        help="E.g. https://1c.college.ru/bgu/ws/"
        "EnterpriseDataExchange_1_0_1_1.1cws")
    login = fields.Char("Login", states={'invisible': ~Eval('client')})
    password = fields.Char("Password", strip=False,
        states={'invisible': ~Eval('client')})
    part_size = fields.Integer("Part Size (KB)", required=True,
        help="The files are cut into parts of this size (0: one part).")
    timeout = fields.Integer("Timeout (s)", required=True)
    auto_exchange = fields.Boolean("Exchange on Schedule",
        states={'invisible': ~Eval('client')})
    last_message_no = fields.Integer("Last Message Sent", readonly=True)
    received_no = fields.Integer("Last Message Received", readonly=True,
        help="The MessageNo of the last message of 1C applied: it is our "
        "ReceivedNo.")
    peer_received_no = fields.Integer("Confirmed by 1C", readonly=True,
        help="The ReceivedNo of 1C: our messages up to it are confirmed.")
    last_exchange = fields.Timestamp("Last Exchange", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    attempts = fields.Integer("Failed Attempts", readonly=True)
    next_attempt = fields.Timestamp("Next Attempt", readonly=True)
    accounts = fields.One2Many('copp.exchange_1c.account', 'peer',
        "Exchange Accounts")
    messages = fields.One2Many('copp.exchange_1c.message', 'peer',
        "Messages", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('company', 'ASC'), ('name', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('peer_code_unique', Unique(t, t.company, t.peer_code),
                'copp_exchange_1c.msg_peer_code_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range())))
        cls._buttons.update({
                'exchange_now': {
                    'invisible': ~Eval('client') | ~Eval('active'),
                    'icon': 'tryton-refresh',
                    'depends': ['client', 'active'],
                    },
                'test_connection': {
                    'invisible': ~Eval('client'),
                    'icon': 'tryton-ok',
                    'depends': ['client'],
                    },
                })

    @classmethod
    def get_versions(cls):
        return [(v, v) for v in sorted(VERSIONS)]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_exchange_plan(cls):
        return EXCHANGE_PLAN

    @classmethod
    def default_our_code(cls):
        return 'ЦОПП'

    @classmethod
    def default_peer_code(cls):
        return 'БГУ'

    @classmethod
    def default_format_version(cls):
        return '1.11'

    @classmethod
    def default_organization_uuid(cls):
        return str(uuid.uuid4())

    @classmethod
    def default_client(cls):
        return False

    @classmethod
    def default_part_size(cls):
        return 1024

    @classmethod
    def default_timeout(cls):
        return 60

    @classmethod
    def default_auto_exchange(cls):
        return True

    @classmethod
    def default_last_message_no(cls):
        return 0

    @classmethod
    def default_received_no(cls):
        return 0

    @classmethod
    def default_peer_received_no(cls):
        return 0

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def copy(cls, peers, default=None):
        default = default.copy() if default else {}
        for field in ['accounts', 'messages', 'last_exchange', 'last_error',
                'next_attempt']:
            default.setdefault(field, None)
        for field in ['last_message_no', 'received_no', 'peer_received_no',
                'attempts']:
            default.setdefault(field, 0)
        default.setdefault('organization_uuid',
            lambda data: str(uuid.uuid4()))
        default.setdefault('peer_code', lambda data: data['peer_code'] + '-2')
        return super().copy(peers, default=default)

    @classmethod
    def validate_fields(cls, peers, field_names):
        from .exceptions import ExchangeValidationError
        super().validate_fields(peers, field_names)
        for peer in peers:
            if not is_guid(peer.organization_uuid or ''):
                raise ExchangeValidationError(gettext(
                        'copp_exchange_1c.msg_invalid_guid',
                        guid=peer.organization_uuid or ''))
            if peer.part_size is not None and peer.part_size < 0:
                raise ExchangeValidationError(gettext(
                        'copp_exchange_1c.msg_part_size',
                        peer=peer.rec_name))

    # Exchange ----------------------------------------------------------------

    @classmethod
    @ModelView.button
    def exchange_now(cls, peers):
        """«Обменяться сейчас»: the whole exchange, errors go to the journal.

        ModelView.button checked the button's groups and the record rules
        of the peers; the exchange itself then writes the journal, the
        objects and the payments of that peer's college as the system."""
        from .exchange import exchange_with_peer
        with without_check_access():
            peers = cls.browse([p.id for p in peers])
            cls.lock(peers)  # before any call to 1C (see exchange_with_peer)
            for peer in peers:
                exchange_with_peer(peer)

    @classmethod
    @ModelView.button
    def test_connection(cls, peers):
        from .exchange import test_connection
        with without_check_access():
            for peer in cls.browse([p.id for p in peers]):
                test_connection(peer)

    def record_success(self):
        self.attempts = 0
        self.next_attempt = None
        self.last_error = None
        self.last_exchange = dt.datetime.now()
        self.save()

    def record_failure(self, error):
        "Store the error, and let the queue retry later with back-off"
        attempts = (self.attempts or 0) + 1
        delay = retry_delay(attempts)
        self.attempts = attempts
        self.last_error = error
        self.last_exchange = dt.datetime.now()
        self.next_attempt = dt.datetime.now() + dt.timedelta(seconds=delay)
        self.save()
        logger.warning("1C exchange with %s failed (attempt %s): %s",
            self.rec_name, attempts, error)
        with Transaction().set_context(
                queue_scheduled_at=dt.timedelta(seconds=delay),
                queue_name='copp_exchange_1c'):
            self.__class__.__queue__.retry_exchange([self])

    @classmethod
    def retry_exchange(cls, peers):
        """Queue task: exchange again when the back-off has passed (a task
        run too early, as without a worker, leaves it to the cron)"""
        from .exchange import exchange_with_peer
        now = dt.datetime.now()
        peers = [p for p in peers if p.active and p.client
            and not (p.next_attempt and p.next_attempt > now)]
        cls.lock(peers)  # before any call to 1C (see exchange_with_peer)
        for peer in peers:
            exchange_with_peer(peer)

    @classmethod
    def exchange_scheduled(cls):
        "Cron: exchange with the peers on schedule and retry the failed ones"
        from .exchange import exchange_with_peer
        now = dt.datetime.now()
        peers = cls.search([
                ('client', '=', True),
                ('auto_exchange', '=', True),
                ['OR',
                    ('next_attempt', '=', None),
                    ('next_attempt', '<=', now),
                    ],
                ])
        cls.lock(peers)  # before any call to 1C (see exchange_with_peer)
        for peer in peers:
            exchange_with_peer(peer)


class Account(DeactivableMixin, ModelSQL, ModelView):
    "Account with which 1C calls the exchange service of ГИС ЦОПП"
    __name__ = 'copp.exchange_1c.account'
    __string__ = "1C Exchange Account"
    _rec_name = 'login'

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer", required=True,
        ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    login = fields.Char("Login", required=True)
    password_hash = fields.Char("Password Hash", readonly=True)
    password = fields.Function(fields.Char("Password", strip=False),
        getter='get_password', setter='set_password')
    last_login = fields.Timestamp("Last Login", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('login', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('login_unique', Unique(t, t.login),
                'copp_exchange_1c.msg_account_login_unique'),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_password(self, name):
        return 'x' * 10 if self.password_hash else None

    @classmethod
    def set_password(cls, accounts, name, value):
        pool = Pool()
        User = pool.get('res.user')
        if value == 'x' * 10:
            return
        cls.write(list(accounts), {
                'password_hash': User.hash_password(value) if value else None,
                })

    @classmethod
    def authenticate(cls, login, password):
        "The active account of the login and password, else None"
        pool = Pool()
        User = pool.get('res.user')
        if not login or not password:
            return None
        accounts = cls.search([('login', '=', login)], limit=1)
        if not accounts or not accounts[0].password_hash:
            # Spend the same time as a check to not reveal the login.
            User.check_password(password, User.hash_password('-'))
            return None
        account, = accounts
        valid, _ = User.check_password(password, account.password_hash)
        if not valid or not account.peer.active:
            return None
        return account
