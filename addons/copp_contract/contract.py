"""Contracts for paid education services (договоры об оказании платных
образовательных услуг): draft → signed → terminated / completed.

The contract's numbering is in numbering.py, its payer in payer.py, its
payment schedule in schedule.py, its charges, payments and balances in
charge.py, payment.py and balance.py."""
import uuid
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from copp.history import HistoryMixin

from .amount import ZERO, amount_in_words, sql_amount
from .exceptions import ContractError, ContractValidationError
from .payer import PAYER_KINDS, ContractPayer
from .schedule import SCHEDULE_KINDS, ContractSchedule

STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ('terminated', "Terminated"),
    ('completed', "Completed"),
    ]
SUBJECTS = [
    ('specialty', "Specialty"),
    ('program', "Program"),
    ]


def new_uuid():
    return str(uuid.uuid4())


class Contract(HistoryMixin, ContractPayer, ContractSchedule, Workflow,
        ModelSQL, ModelView):
    "Contract for paid education services"
    __name__ = 'copp.contract'
    __string__ = "Contract"
    _rec_name = 'number'

    _draft = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_draft)
    number = fields.Char("Number", readonly=True,
        help="Given at creation: year and number within the college.")
    date = fields.Date("Date", required=True, states=_draft)
    uuid = fields.Char("GUID", readonly=True, required=True, strip=False,
        help="The stable identifier of the contract in the exchange with "
        "the accounting (1C).")
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT', states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    payer_kind = fields.Selection(PAYER_KINDS, "Payer", required=True,
        states=_draft)
    representative = fields.Many2One('copp.student.representative',
        "Legal Representative", ondelete='RESTRICT',
        domain=[('student', '=', Eval('student', -1))],
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('payer_kind') != 'representative',
            'required': ((Eval('payer_kind') == 'representative')
                & (Eval('state') != 'draft')),
            })
    payer = fields.Many2One('party.party', "Payer (Person or Organization)",
        ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'readonly': ((Eval('state') != 'draft')
                | (Eval('payer_kind') == 'student')),
            'required': Eval('state') != 'draft',
            },
        help="The customer of the contract: the student, a person created "
        "from the legal representative, or an organization with INN/KPP.")
    subject = fields.Selection(SUBJECTS, "Subject", required=True,
        states=_draft)
    specialty = fields.Many2One('copp.specialty', "Specialty",
        ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('subject') != 'specialty',
            'required': Eval('subject') == 'specialty',
            })
    program = fields.Many2One('copp.program', "Program",
        ondelete='RESTRICT',
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('subject') != 'program',
            'required': Eval('subject') == 'program',
            })
    start_date = fields.Date("Start Date", required=True, states=_draft,
        domain=[If(Bool(Eval('end_date')),
                ('start_date', '<=', Eval('end_date')), ())])
    end_date = fields.Date("End Date", required=True, states=_draft)
    total_amount = fields.Numeric("Total Price", digits=(16, 2),
        required=True, states=_draft)
    amount_words = fields.Function(fields.Char("Total Price in Words"),
        'get_amount_words')
    schedule_kind = fields.Selection(SCHEDULE_KINDS, "Payment Schedule",
        required=True, states=_draft)
    schedule = fields.One2Many('copp.contract.schedule', 'contract',
        "Schedule", states=_draft)
    charges = fields.One2Many('copp.contract.charge', 'contract', "Charges",
        readonly=True)
    payments = fields.One2Many('copp.contract.payment', 'contract',
        "Payments", readonly=True)
    charged_amount = fields.Function(fields.Numeric("Charged",
            digits=(16, 2)), 'get_balances')
    paid_amount = fields.Function(fields.Numeric("Paid", digits=(16, 2)),
        'get_balances')
    balance = fields.Function(fields.Numeric("Balance", digits=(16, 2),
            help="Paid minus charged: negative when the payer owes."),
        'get_balances')
    debt = fields.Function(fields.Numeric("Debt", digits=(16, 2)),
        'get_balances', searcher='search_debt')
    signed_date = fields.Date("Signed On", readonly=True)
    termination_date = fields.Date("Terminated On",
        states={
            'invisible': Eval('state') != 'terminated',
            'readonly': Eval('state') != 'signed',
            })
    termination_reason = fields.Char("Termination Reason",
        states={
            'invisible': Eval('state') != 'terminated',
            })
    note = fields.Text("Note")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('number', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'copp_contract.msg_contract_number_unique'),
            ('uuid_unique', Unique(t, t.uuid),
                'copp_contract.msg_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.student, Index.Range())),
                Index(t, (t.payer, Index.Range())),
                Index(t, (t.number, Index.Similarity())),
                })
        cls._transitions |= {
            ('draft', 'signed'),
            ('signed', 'draft'),
            ('signed', 'terminated'),
            ('signed', 'completed'),
            ('terminated', 'signed'),
            ('completed', 'signed'),
            }
        cls._buttons.update({
                'compute_schedule': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'terminate': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'complete': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(
                        ['terminated', 'completed']),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_payer_kind(cls):
        return 'student'

    @classmethod
    def default_subject(cls):
        return 'specialty'

    @classmethod
    def default_schedule_kind(cls):
        return 'term'

    @classmethod
    def default_uuid(cls):
        return new_uuid()

    def get_rec_name(self, name):
        if self.number and self.student:
            return f"{self.number} ({self.student.rec_name})"
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('student.rec_name', operator, operand, *extra),
            ('payer.rec_name', operator, operand, *extra),
            ]

    def get_amount_words(self, name):
        return amount_in_words(self.total_amount)

    @fields.depends('program', 'total_amount')
    def on_change_program(self):
        if self.program and self.program.price and not self.total_amount:
            self.total_amount = self.program.price

    # Balances ---------------------------------------------------------------

    @classmethod
    def get_balances(cls, contracts, names):
        pool = Pool()
        Balance = pool.get('copp.contract.balance')
        balances = Balance.compute(contract_ids=[c.id for c in contracts])
        result = {n: {} for n in names}
        for contract in contracts:
            charged, paid = balances.get(contract.id, (ZERO, ZERO))
            values = {
                'charged_amount': charged,
                'paid_amount': paid,
                'balance': paid - charged,
                'debt': max(charged - paid, ZERO),
                }
            for name in names:
                result[name][contract.id] = values[name]
        return result

    @classmethod
    def search_debt(cls, name, clause):
        pool = Pool()
        Balance = pool.get('copp.contract.balance')
        _, operator, value = clause[:3]
        query = Balance.debt_query()
        Operator = fields.SQL_OPERATORS[operator]
        return [('id', 'in', query.select(query.contract,
                    where=Operator(query.debt, sql_amount(value))))]

    # Validation and workflow ------------------------------------------------

    @classmethod
    def validate_fields(cls, contracts, field_names):
        super().validate_fields(contracts, field_names)
        if not field_names or field_names & {'total_amount'}:
            for contract in contracts:
                # SQLite: Numeric checks in Python, not in SQL.
                if Decimal(str(contract.total_amount or 0)) <= 0:
                    raise ContractValidationError(gettext(
                            'copp_contract.msg_contract_amount_positive',
                            contract=contract.rec_name))
        if not field_names or field_names & {'start_date', 'end_date'}:
            for contract in contracts:
                if (contract.start_date and contract.end_date
                        and contract.end_date < contract.start_date):
                    raise ContractValidationError(gettext(
                            'copp_contract.msg_contract_dates',
                            contract=contract.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        Student = pool.get('copp.student')
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            if not values.get('uuid'):
                values['uuid'] = new_uuid()
            if not values.get('number') and values.get('company'):
                values['number'] = pool.get(
                    'copp.contract.numbering').get_number(
                    Company(values['company']),
                    values.get('date') or Date.today())
            if (values.get('payer_kind', 'student') == 'student'
                    and values.get('student') and not values.get('payer')):
                values['payer'] = Student(values['student']).party.id
        return values

    @classmethod
    def check_modification(cls, mode, contracts, values=None,
            external=False):
        super().check_modification(
            mode, contracts, values=values, external=external)
        if mode == 'delete':
            for contract in contracts:
                if contract.state != 'draft' or contract.charges or (
                        contract.payments):
                    raise ContractError(gettext(
                            'copp_contract.msg_contract_delete',
                            contract=contract.rec_name))

    @classmethod
    def copy(cls, contracts, default=None):
        default = default.copy() if default else {}
        for field in ['number', 'signed_date', 'termination_date',
                'termination_reason', 'charges', 'payments']:
            default.setdefault(field, None)
        default.setdefault('uuid', lambda data: new_uuid())
        return super().copy(contracts, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, contracts):
        for contract in contracts:
            if contract.charges:
                raise ContractError(gettext(
                        'copp_contract.msg_contract_draft_charged',
                        contract=contract.rec_name))
        cls.write(contracts, {'signed_date': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, contracts):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        to_write = []
        for contract in contracts:
            if not contract.schedule:
                cls.compute_schedule([contract])
                contract = cls(contract.id)
            contract.check_schedule()
            payer = contract._signing_payer()
            to_write.extend([[contract], {
                        'payer': payer.id,
                        'signed_date': contract.signed_date or today,
                        }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('terminated')
    def terminate(cls, contracts):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for contract in contracts:
            if not contract.termination_date:
                contract.termination_date = today
        cls.save(contracts)

    @classmethod
    @ModelView.button
    @Workflow.transition('completed')
    def complete(cls, contracts):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def reopen(cls, contracts):
        cls.write(contracts, {'termination_date': None})

