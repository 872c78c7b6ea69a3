"""The exchange journal (every message in and out), the GUIDs of the
exchanged objects, and the parts of files being uploaded by 1C (dropped by
a cron when their upload is abandoned)."""
import datetime as dt
import uuid

from trytond import config

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.personal_data import PersonalDataMixin

DIRECTIONS = [
    ('out', "Outgoing"),
    ('in', "Incoming"),
    ]
TRANSPORTS = [
    ('served', "1C Called Our Service"),
    ('client', "We Called 1C"),
    ('manual', "File"),
    ('folder', "Shared Folder"),
    ('ftp', "FTP"),
    ]
STATES = [
    ('prepared', "Prepared"),
    ('sent', "Sent"),
    ('confirmed', "Confirmed"),
    ('received', "Received"),
    ('applied', "Applied"),
    ('duplicate', "Already Received"),
    ('failed', "Failed"),
    ]


class Message(PersonalDataMixin, ModelSQL, ModelView):
    """Message of the exchange with 1C. Its XML names the payers (people
    with their ИНН): reading it on behalf of a user is logged."""
    __name__ = 'copp.exchange_1c.message'
    __string__ = "1C Exchange Message"
    _personal_data_fields = {'data', 'archive'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer",
        ondelete='CASCADE', readonly=True)
    direction = fields.Selection(DIRECTIONS, "Direction", required=True,
        readonly=True)
    transport = fields.Selection(TRANSPORTS, "Transport", required=True,
        readonly=True)
    message_no = fields.Integer("Message No.", readonly=True)
    received_no = fields.Integer("Received No.", readonly=True,
        help="The number of the last message of the other side received "
        "when this message was made.")
    format_version = fields.Char("Format", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    object_count = fields.Integer("Objects", readonly=True)
    applied_count = fields.Integer("Applied", readonly=True,
        help="Objects that changed data of ГИС ЦОПП (payments recorded, "
        "GUIDs matched).")
    queued_count = fields.Integer("Unmatched", readonly=True,
        help="Payments put in the queue «Неразнесённые платежи».")
    counts = fields.Char("Objects by Type", readonly=True)
    error = fields.Text("Error", readonly=True)
    warning = fields.Text("Warnings", readonly=True)
    data = fields.Binary("XML", readonly=True, filename='filename')
    filename = fields.Function(fields.Char("File Name"), 'get_filename')
    data_size = fields.Integer("Size (bytes)", readonly=True)
    archive = fields.Binary("Zip", readonly=True)
    file_id = fields.Char("File ID", readonly=True)
    operation_id = fields.Char("Operation ID", readonly=True)
    part_size = fields.Integer("Part Size (KB)", readonly=True)
    part_count = fields.Integer("Parts", readonly=True)
    part_base = fields.Integer("First Part Number", readonly=True,
        help="1, or 0 when the other side numbers the parts from 0.")
    file_name = fields.Char("File Name in the Folder", readonly=True)
    file_digest = fields.Char("File Digest", readonly=True,
        help="SHA-1 of the file read from a folder or FTP: the same file "
        "is not read twice.")
    remote_address = fields.Char("Address", readonly=True)
    sent_at = fields.Timestamp("Sent at", readonly=True)
    confirmed_at = fields.Timestamp("Confirmed at", readonly=True)
    created_at = fields.Function(fields.Timestamp("Time"), 'get_created_at')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.peer, Index.Range()),
                    (t.direction, Index.Equality(cardinality='low')),
                    (t.message_no, Index.Range())),
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.operation_id, Index.Equality())),
                Index(t, (t.file_id, Index.Equality())),
                })

    @classmethod
    def default_state(cls):
        return 'prepared'

    @classmethod
    def default_object_count(cls):
        return 0

    @classmethod
    def default_applied_count(cls):
        return 0

    @classmethod
    def default_queued_count(cls):
        return 0

    def get_rec_name(self, name):
        direction = '→' if self.direction == 'out' else '←'
        return f"{direction} {self.message_no or '—'} ({self.peer.rec_name if self.peer else ''})"

    def get_filename(self, name):
        number = self.message_no or self.id
        return f'message-{self.direction}-{number}.xml'

    def get_created_at(self, name):
        return self.create_date.replace(microsecond=0)

    @classmethod
    def order_created_at(cls, tables):
        table, _ = tables[None]
        return [table.create_date]

    @classmethod
    def new_operation_id(cls):
        return str(uuid.uuid4())


class ExchangeObject(ModelSQL, ModelView):
    """An object exchanged with a peer: its GUID, the version last sent and
    whether the peer confirmed it"""
    __name__ = 'copp.exchange_1c.object'
    __string__ = "1C Exchange Object"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer", required=True,
        ondelete='CASCADE', readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    model = fields.Char("Model", required=True, readonly=True)
    record = fields.Integer("Record ID", required=True, readonly=True)
    uuid = fields.Char("GUID", required=True, readonly=True, strip=False)
    object_type = fields.Char("1C Object", readonly=True)
    digest = fields.Char("Version Sent", readonly=True,
        help="A hash of the XML of the object last sent.")
    sent_message_no = fields.Integer("Sent in Message", readonly=True)
    confirmed = fields.Boolean("Confirmed", readonly=True)
    origin = fields.Selection([
            ('ours', "Sent by Us"),
            ('peer', "Learned from 1C"),
            ], "Origin", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('peer', 'ASC'), ('model', 'ASC'), ('record', 'ASC'),
            ('id', 'ASC')]
        cls._sql_constraints += [
            ('record_unique', Unique(t, t.peer, t.model, t.record, t.uuid),
                'copp_exchange_1c.msg_object_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.peer, Index.Range()), (t.uuid, Index.Equality())),
                Index(t, (t.peer, Index.Range()), (t.model, Index.Equality()),
                    (t.record, Index.Range())),
                })

    def get_rec_name(self, name):
        return f"{self.object_type or self.model} {self.uuid}"


class FilePart(ModelSQL):
    "Part of a file that 1C uploads to ГИС ЦОПП (PutFilePart)"
    __name__ = 'copp.exchange_1c.file.part'
    __string__ = "1C File Part"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE')
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer", required=True,
        ondelete='CASCADE')
    file_id = fields.Char("File ID", required=True)
    part_number = fields.Integer("Part", required=True)
    data = fields.Binary("Data")
    size = fields.Integer("Size")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('part_unique', Unique(t, t.peer, t.file_id, t.part_number),
                'copp_exchange_1c.msg_part_unique'),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def expire(cls):
        """Cron: drop the parts of uploads abandoned for longer than
        [copp_exchange_1c] part_lifetime hours (24): PutData never came"""
        hours = config.getint('copp_exchange_1c', 'part_lifetime',
            default=24)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(where=table.create_date
                < dt.datetime.now() - dt.timedelta(hours=hours)))
