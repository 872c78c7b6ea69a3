"""The queue «Неразнесённые платежи»: lines of 1C payments and refunds to
payers the exchange could not put on a contract (no such contract, a
draft, another organization). The rest of their message is applied; the
accountant of the college resolves each line: matches it to a contract (a
payment or refund is recorded, with the GUID and line of the 1C document,
so that 1C sending the document again changes nothing), or marks it
returned to the payer."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.personal_data import PersonalDataMixin
from copp_contract.payment import KINDS

from .exceptions import ExchangeUserError

STATES = [
    ('pending', "Pending"),
    ('matched', "Matched to a Contract"),
    ('returned', "Returned to the Payer"),
    ]


class UnmatchedPayment(PersonalDataMixin, Workflow, ModelSQL, ModelView):
    """A line of a 1C payment not matched to a contract. It names the payer
    (a person, with their ИНН): reading it on behalf of a user is logged."""
    __name__ = 'copp.exchange_1c.unmatched_payment'
    __string__ = "Unmatched Payment"
    _personal_data_fields = {'payer_name', 'payer_inn', 'purpose'}

    _pending = {'readonly': Eval('state') != 'pending'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    peer = fields.Many2One('copp.exchange_1c.peer', "Peer", readonly=True,
        ondelete='SET NULL')
    message = fields.Many2One('copp.exchange_1c.message', "Received in",
        readonly=True, ondelete='SET NULL')
    uuid = fields.Char("1C GUID", required=True, readonly=True, strip=False,
        help="The GUID of the 1C payment document.")
    line = fields.Integer("Line of the 1C Document", required=True,
        readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True,
        sort=False,
        help="A refund is money the college paid back to the payer.")
    date = fields.Date("Date", required=True, readonly=True)
    number = fields.Char("Document Number", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    payer_name = fields.Char("Paid By", readonly=True)
    payer_inn = fields.Char("Payer INN", readonly=True)
    contract_number = fields.Char("Contract in 1C", readonly=True,
        help="The number of the contract the payment names in 1C.")
    contract_uuid = fields.Char("Contract GUID in 1C", readonly=True,
        strip=False)
    purpose = fields.Text("Purpose of Payment", readonly=True)
    reason = fields.Text("Why Not Matched", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    contract = fields.Many2One('copp.contract', "Contract",
        ondelete='RESTRICT', states=_pending,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('state', 'in', ['signed', 'terminated', 'completed']),
            ],
        help="The contract the accountant puts the payment on.")
    payment = fields.Many2One('copp.contract.payment', "Payment",
        readonly=True, ondelete='SET NULL')
    resolved_by = fields.Many2One('res.user', "Resolved by", readonly=True,
        ondelete='SET NULL')
    resolved_at = fields.Timestamp("Resolved at", readonly=True)
    note = fields.Text("Note")

    del _pending

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('uuid_line_unique', Unique(t, t.company, t.uuid, t.line),
                'copp_exchange_1c.msg_unmatched_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.uuid, Index.Equality())),
                })
        cls._transitions |= {
            ('pending', 'matched'),
            ('pending', 'returned'),
            }
        cls._buttons.update({
                'match': {
                    'invisible': Eval('state') != 'pending',
                    'readonly': ~Eval('contract'),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'contract'],
                    },
                'mark_returned': {
                    'invisible': Eval('state') != 'pending',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_kind(cls):
        return 'payment'

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f"{self.number or '—'} ({self.date}), {self.line}"

    @classmethod
    @ModelView.button
    @Workflow.transition('matched')
    def match(cls, entries):
        """Record the payment of each line on its contract, with the GUID
        and line of the 1C document"""
        pool = Pool()
        Payment = pool.get('copp.contract.payment')
        for entry in entries:
            if not entry.contract:
                raise ExchangeUserError(gettext(
                        'copp_exchange_1c.msg_unmatched_no_contract',
                        payment=entry.rec_name))
        payments = Payment.create([{
                    'company': e.company.id,
                    'contract': e.contract.id,
                    'kind': e.kind,
                    'date': e.date,
                    'number': e.number,
                    'amount': e.amount,
                    'payer_name': e.payer_name,
                    'origin': '1c',
                    'uuid': e.uuid,
                    'line': e.line,
                    'note': e.purpose,
                    } for e in entries])
        user = Transaction().user
        now = dt.datetime.now()
        for entry, payment in zip(entries, payments):
            entry.payment = payment
            entry.resolved_by = user or None
            entry.resolved_at = now
        cls.save(entries)

    @classmethod
    @ModelView.button
    @Workflow.transition('returned')
    def mark_returned(cls, entries):
        "The money went back to the payer: no payment is recorded"
        user = Transaction().user
        cls.write(list(entries), {
                'resolved_by': user or None,
                'resolved_at': dt.datetime.now(),
                })
