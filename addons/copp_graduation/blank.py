"""The register of strict-accountability blanks (бланки строгой
отчётности): ranges received, each blank available, issued (with its
document), spoiled or lost. A blank is used once: issued, spoiled and lost
blanks never come back."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import BlankError

BLANK_KINDS = [
    ('diploma', "Diploma"),
    ('diploma_honours', "Diploma with Honours"),
    ('supplement', "Supplement to a Diploma"),
    ('certificate', "Certificate of Study"),
    ]
BLANK_STATES = [
    ('available', "Available"),
    ('issued', "Issued"),
    ('spoiled', "Spoiled"),
    ('lost', "Lost"),
    ]
MAX_RANGE = 10000


class BlankBatch(Workflow, ModelSQL, ModelView):
    "Received Blanks"
    __name__ = 'copp.graduation.blank.batch'
    __string__ = "Received Blanks"

    _draft = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_draft)
    kind = fields.Selection(BLANK_KINDS, "Kind", required=True,
        states=_draft)
    series = fields.Char("Series", states=_draft)
    number_from = fields.Char("From Number", required=True, states=_draft)
    number_to = fields.Char("To Number", required=True, states=_draft)
    date = fields.Date("Received On", required=True, states=_draft)
    reference = fields.Char("Delivery Document", states=_draft,
        help="The invoice or act the blanks came with.")
    blanks = fields.One2Many('copp.graduation.blank', 'batch', "Blanks",
        readonly=True)
    count = fields.Function(fields.Integer("Blanks #"), 'get_count')
    state = fields.Selection([
            ('draft', "Draft"),
            ('received', "Received"),
            ], "State", required=True, readonly=True, sort=False)
    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {('draft', 'received')}
        cls._buttons.update({
                'receive': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'diploma'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f"{self.series or ''} {self.number_from}–{self.number_to}"

    def get_count(self, name):
        try:
            return int(self.number_to) - int(self.number_from) + 1
        except (TypeError, ValueError):
            return None

    def numbers(self):
        "The numbers of the range, zero-padded to the width of the first"
        params = {'batch': self.rec_name}
        if not (self.number_from or '').isdigit() or not (
                self.number_to or '').isdigit():
            raise BlankError(gettext(
                    'copp_graduation.msg_batch_number_digits', **params))
        start, end = int(self.number_from), int(self.number_to)
        if end < start:
            raise BlankError(gettext(
                    'copp_graduation.msg_batch_range_order', **params))
        if end - start + 1 > MAX_RANGE:
            raise BlankError(gettext(
                    'copp_graduation.msg_batch_range_size',
                    maximum=MAX_RANGE, **params))
        width = len(self.number_from)
        return [f'{n:0{width}d}' for n in range(start, end + 1)]

    @classmethod
    @ModelView.button
    @Workflow.transition('received')
    def receive(cls, batches):
        "Register a blank for every number of the range"
        pool = Pool()
        Blank = pool.get('copp.graduation.blank')
        values = []
        for batch in batches:
            numbers = batch.numbers()
            existing = Blank.search([
                    ('company', '=', batch.company.id),
                    ('kind', '=', batch.kind),
                    ('series', '=', batch.series),
                    ('number', 'in', numbers),
                    ], limit=1)
            if existing:
                raise BlankError(gettext(
                        'copp_graduation.msg_batch_overlap',
                        batch=batch.rec_name,
                        blank=existing[0].rec_name))
            values.extend({'company': batch.company.id, 'batch': batch.id,
                    'kind': batch.kind, 'series': batch.series,
                    'number': number, 'state': 'available'}
                for number in numbers)
        Blank.create(values)


class Blank(Workflow, ModelSQL, ModelView):
    "Blank of Strict Accountability"
    __name__ = 'copp.graduation.blank'
    __string__ = "Blank of Strict Accountability"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    batch = fields.Many2One('copp.graduation.blank.batch', "Received With",
        ondelete='RESTRICT', readonly=True)
    kind = fields.Selection(BLANK_KINDS, "Kind", required=True,
        readonly=True)
    series = fields.Char("Series", readonly=True)
    number = fields.Char("Number", required=True, readonly=True)
    state = fields.Selection(BLANK_STATES, "State", required=True,
        readonly=True, sort=False)
    document = fields.Many2One('copp.graduation.document', "Document",
        readonly=True, ondelete='RESTRICT')
    write_off_date = fields.Date("Write-off Date", readonly=True)
    write_off_reason = fields.Char("Write-off Reason",
        states={'readonly': Eval('state') != 'available'},
        help="Why the blank is spoiled or lost (the act of write-off).")
    count = fields.Function(fields.Integer("Count",
            help="1 for every blank: graphs sum it to count blanks."),
        'get_count')
    state_name = fields.Function(fields.Char("State"), 'get_state_name')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('kind', 'ASC'), ('series', 'ASC'), ('number', 'ASC'),
            ('id', 'ASC')]
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.kind, t.series,
                    t.number), 'copp_graduation.msg_blank_unique'),
            ('document_unique', Unique(t, t.document),
                'copp_graduation.msg_blank_document_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range()),
                (t.kind, Index.Equality()), (t.state, Index.Equality())))
        cls._transitions |= {('available', 'issued'),
            ('available', 'spoiled'), ('available', 'lost'),
            ('issued', 'spoiled')}
        cls._buttons.update({
                'spoil': {
                    'invisible': Eval('state') != 'available',
                    'icon': 'tryton-delete',
                    'depends': ['state'],
                    },
                'lose': {
                    'invisible': Eval('state') != 'available',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'available'

    def get_rec_name(self, name):
        return ' '.join(filter(None, [self.series, self.number]))

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return ['OR',
            ('number', operator, operand, *extra),
            ('series', operator, operand, *extra),
            ]

    def get_count(self, name):
        return 1

    @classmethod
    def get_state_name(cls, blanks, name):
        "The state in words: the graph shows the values of its x field"
        labels = dict(cls.fields_get(['state'])['state']['selection'])
        return {b.id: labels.get(b.state, b.state) for b in blanks}

    @classmethod
    def selection_label(cls, field, value):
        "The label of a value of a selection field, in the user's language"
        return dict(cls.fields_get([field])[field]['selection']).get(
            value, value)

    @classmethod
    def next_available(cls, company, kind):
        blanks = cls.search([
                ('company', '=', company.id), ('kind', '=', kind),
                ('state', '=', 'available'),
                ], order=[('series', 'ASC'), ('number', 'ASC')], limit=1)
        return blanks[0] if blanks else None

    @classmethod
    def check_usable(cls, blank, document):
        params = {'blank': blank.rec_name, 'document': document.rec_name}
        if blank.state != 'available':
            raise BlankError(gettext('copp_graduation.msg_blank_used',
                    state=cls.selection_label('state', blank.state),
                    **params))
        if blank.company != document.company:
            raise BlankError(gettext('copp_graduation.msg_blank_company',
                    **params))
        if blank.kind != document.blank_kind:
            raise BlankError(gettext('copp_graduation.msg_blank_kind',
                    kind=cls.selection_label('kind', blank.kind),
                    expected=cls.selection_label('kind', document.blank_kind),
                    **params))

    @classmethod
    def use(cls, blanks, documents):
        """Mark the blanks issued with their document; a blank that is no
        longer available (used meanwhile) is refused"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        today = Pool().get('ir.date').today()
        for blank in blanks:
            document = documents[blank.id]
            cursor.execute(*table.update(
                    [table.state, table.document, table.write_off_date],
                    ['issued', document.id, document.issue_date or today],
                    where=(table.id == blank.id)
                    & (table.state == 'available')))
            if cursor.rowcount != 1:
                raise BlankError(gettext('copp_graduation.msg_blank_used',
                        blank=blank.rec_name, document=document.rec_name,
                        state=cls.selection_label(
                            'state', cls(blank.id).state)))

    @classmethod
    @ModelView.button
    @Workflow.transition('spoiled')
    def spoil(cls, blanks):
        cls._write_off(blanks)

    @classmethod
    @ModelView.button
    @Workflow.transition('lost')
    def lose(cls, blanks):
        cls._write_off(blanks)

    @classmethod
    def _write_off(cls, blanks):
        today = Pool().get('ir.date').today()
        for blank in blanks:
            if not blank.write_off_date:
                blank.write_off_date = today
        cls.save(blanks)
