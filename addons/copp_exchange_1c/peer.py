"""Exchange peers: a college's 1С:БГУ base and how we exchange with it —
1C calls the service we serve, we call the service 1C publishes, or message
files through a shared folder or FTP (as stock 1C configures them)."""
import datetime as dt
import logging
import uuid

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .mapping import VERSIONS
from .mapping_format import EXCHANGE_PLAN, is_guid

logger = logging.getLogger(__name__)

TRANSPORTS = [
    ('served', "1C Calls the Service of ГИС ЦОПП"),
    ('client', "ГИС ЦОПП Calls the Service of 1C"),
    ('folder', "Message Files in a Shared Folder"),
    ('ftp', "Message Files on FTP"),
    ]

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
    transport = fields.Selection(TRANSPORTS, "Transport", required=True,
        help="How messages go between ГИС ЦОПП and 1C.")
    url = fields.Char("Address",
        states={
            'required': Eval('transport').in_(['client', 'ftp']),
            'invisible': ~Eval('transport').in_(['client', 'ftp']),
            },
        help="The web service published by 1C, e.g. https://1c.college.ru/"
        "bgu/ws/EnterpriseDataExchange_1_0_1_1.1cws; or the FTP folder, "
        "e.g. ftp://ftp.college.ru:21/obmen (as «Путь» in 1C).")
    folder = fields.Char("Exchange Folder",
        states={
            'required': Eval('transport') == 'folder',
            'invisible': Eval('transport') != 'folder',
            },
        help="The folder shared with 1C (its «Каталог обмена информацией»).")
    ftp_passive = fields.Boolean("Passive FTP",
        states={'invisible': Eval('transport') != 'ftp'})
    login = fields.Char("Login",
        states={'invisible': ~Eval('transport').in_(['client', 'ftp'])})
    password = fields.Char("Password", strip=False,
        states={'invisible': ~Eval('transport').in_(['client', 'ftp'])})
    part_size = fields.Integer("Part Size (KB)", required=True,
        help="The files are cut into parts of this size (0: one part).")
    timeout = fields.Integer("Timeout (s)", required=True)
    auto_exchange = fields.Boolean("Exchange on Schedule",
        states={'invisible': Eval('transport') == 'served'})
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
                    'invisible': ((Eval('transport') == 'served')
                        | ~Eval('active')),
                    'icon': 'tryton-refresh',
                    'depends': ['transport', 'active'],
                    },
                'test_connection': {
                    'invisible': Eval('transport') == 'served',
                    'icon': 'tryton-ok',
                    'depends': ['transport'],
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
    def default_transport(cls):
        return 'served'

    @classmethod
    def default_ftp_passive(cls):
        return True

    @classmethod
    def __register__(cls, module):
        table_h = cls.__table_handler__(module)
        migrate = table_h.column_exist('client') and not (
            table_h.column_exist('transport'))
        super().__register__(module)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if migrate:
            from sql import Literal
            cursor.execute(*table.update([table.transport], ['client'],
                    where=table.client == Literal(True)))
            table_h.drop_column('client')
        # One organization GUID per college: peers of other colleges that
        # were given the same one (one default for a batch) get their own.
        cursor.execute(*table.select(table.id, table.company,
                table.organization_uuid, order_by=[table.id.asc]))
        owner, fix = {}, []
        for id_, company, guid in cursor.fetchall():
            if owner.setdefault(guid, company) != company:
                fix.append(id_)
        for id_ in fix:
            cursor.execute(*table.update([table.organization_uuid],
                    [str(uuid.uuid4())], where=table.id == id_))

    @classmethod
    def create(cls, vlist):
        """Each college's organization GUID: the one of its other peers,
        else a new one per college (not one default for the whole batch)"""
        vlist = [dict(v) for v in vlist]
        known = {}
        missing = [v for v in vlist if not v.get('organization_uuid')]
        companies = {v.get('company') or cls.default_company()
            for v in missing}
        if companies - {None}:
            for peer in cls.search([('company', 'in', list(companies))],
                    order=[('id', 'ASC')]):
                known.setdefault(peer.company.id, peer.organization_uuid)
        for values in missing:
            company = values.get('company') or cls.default_company()
            if company not in known:
                known[company] = str(uuid.uuid4())
            values['organization_uuid'] = known[company]
        return super().create(vlist)

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
        # Every college, whatever the rules let the user see.
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for peer in peers:
            cursor.execute(*table.select(table.name,
                    where=(table.organization_uuid == peer.organization_uuid)
                    & (table.company != peer.company.id), limit=1))
            other = cursor.fetchone()
            if other:
                raise ExchangeValidationError(gettext(
                        'copp_exchange_1c.msg_organization_uuid_shared',
                        guid=peer.organization_uuid, peer=peer.rec_name,
                        other=other[0]))

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
        peers = [p for p in peers if p.active and p.transport != 'served'
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
                ('transport', '!=', 'served'),
                ('auto_exchange', '=', True),
                ['OR',
                    ('next_attempt', '=', None),
                    ('next_attempt', '<=', now),
                    ],
                ])
        cls.lock(peers)  # before any call to 1C (see exchange_with_peer)
        for peer in peers:
            exchange_with_peer(peer)
