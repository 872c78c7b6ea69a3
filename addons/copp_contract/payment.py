"""Payments received on the contracts and refunds made to the payers:
entered by hand or from 1C (Документ.ПБДСРасчетыСКонтрагентами for a
payment, Документ.СБДСРасчетыСКонтрагентами for a refund).

A refund is a line of the same model with kind «refund»: its amount is
positive as on the bank document, its effect on the balance negative
(`signed_amount`, and `ContractBalance.debt_query` sums the same way), so
the balance, the debt and the debtors report read one table and a refund
and a payment of 1C share the key (company, GUID, line) that applies each
line of a 1C document once."""
from decimal import Decimal

from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.history import HistoryMixin

from .amount import amount_in_words
from .exceptions import PaymentValidationError

KINDS = [
    ('payment', "Payment"),
    ('refund', "Refund"),
    ]
ORIGINS = [
    ('manual', "Entered by Hand"),
    ('1c', "1C Accounting"),
    ]


class Payment(HistoryMixin, ModelSQL, ModelView):
    "Payment received on a contract"
    __name__ = 'copp.contract.payment'
    __string__ = "Payment"

    _manual = {'readonly': Eval('origin') != 'manual'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_manual)
    contract = fields.Many2One('copp.contract', "Contract", required=True,
        ondelete='RESTRICT', states=_manual,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', 'in', ['signed', 'terminated', 'completed']),
            ])
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False,
        states=_manual,
        help="A refund is money returned to the payer: it lowers what was "
        "paid on the contract.")
    date = fields.Date("Date", required=True, states=_manual)
    number = fields.Char("Document Number", states=_manual,
        help="The number of the bank statement or payment order.")
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        states=_manual)
    signed_amount = fields.Function(fields.Numeric("Effect on Balance",
            digits=(16, 2),
            help="The amount for a payment, minus the amount for a refund."),
        'get_signed_amount')
    amount_words = fields.Function(fields.Char("Amount in Words"),
        'get_amount_words')
    payer_name = fields.Char("Paid By", states=_manual)
    origin = fields.Selection(ORIGINS, "Origin", required=True,
        readonly=True)
    uuid = fields.Char("1C GUID", readonly=True, strip=False,
        help="The GUID of the 1C document the payment came from.")
    line = fields.Integer("Line of the 1C Document", readonly=True)
    student = fields.Function(fields.Many2One('copp.student', "Student"),
        'get_contract_field', searcher='search_contract_field')
    note = fields.Text("Note")

    del _manual

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('uuid_line_unique', Unique(t, t.company, t.uuid, t.line),
                'copp_contract.msg_payment_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.contract, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.uuid, Index.Equality())),
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'payment'

    @classmethod
    def default_origin(cls):
        return 'manual'

    @classmethod
    def default_date(cls):
        from trytond.pool import Pool
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f"{self.number or self.id} ({self.date})"

    def get_signed_amount(self, name):
        if self.amount is None:
            return None
        amount = Decimal(str(self.amount))
        return -amount if self.kind == 'refund' else amount

    @classmethod
    def sql_signed_amount(cls, table):
        "The effect on the balance of a row of the table, in SQL"
        return Case((table.kind == 'refund', -table.amount),
            else_=table.amount)

    def get_amount_words(self, name):
        return amount_in_words(self.amount)

    def get_contract_field(self, name):
        value = getattr(self.contract, name)
        return value.id if value else None

    @classmethod
    def search_contract_field(cls, name, clause):
        return [('contract.' + clause[0], *clause[1:])]

    @fields.depends('contract', 'payer_name')
    def on_change_contract(self):
        if self.contract and self.contract.payer and not self.payer_name:
            self.payer_name = self.contract.payer.rec_name

    @classmethod
    def validate_fields(cls, payments, field_names):
        super().validate_fields(payments, field_names)
        if not field_names or field_names & {'amount'}:
            for payment in payments:
                # SQLite stores Numeric as text: check here, not in SQL.
                if Decimal(str(payment.amount or 0)) <= 0:
                    raise PaymentValidationError(gettext(
                            'copp_contract.msg_payment_amount_positive',
                            payment=payment.rec_name))
        if not field_names or field_names & {'contract', 'company'}:
            for payment in payments:
                if payment.contract.company != payment.company:
                    raise PaymentValidationError(gettext(
                            'copp_contract.msg_payment_company',
                            payment=payment.rec_name))
