"""Contracts for paid education services (договоры об оказании платных
образовательных услуг) and their payment schedules."""
import datetime as dt
import uuid
from decimal import ROUND_DOWN, Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from .amount import CENT, amount_in_words
from .exceptions import ContractError, ContractValidationError

STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ('terminated', "Terminated"),
    ('completed', "Completed"),
    ]
PAYER_KINDS = [
    ('student', "Student"),
    ('representative', "Legal Representative"),
    ('organization', "Organization"),
    ]
SUBJECTS = [
    ('specialty', "Specialty"),
    ('program', "Program"),
    ]
SCHEDULE_KINDS = [
    ('term', "By Term"),
    ('month', "By Month"),
    ('single', "Single Payment"),
    ]
ZERO = Decimal('0.00')


def to_decimal(value):
    "SQLite returns Numeric sums as float or text: back to kopecks"
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


def sql_amount(value):
    "A parameter to compare with a sum: SQLite compares text above numbers"
    from trytond import backend
    value = Decimal(str(value or 0))
    return float(value) if backend.name == 'sqlite' else value


def new_uuid():
    return str(uuid.uuid4())


class Numbering(ModelSQL, ModelView):
    """Numbering of a college's contracts per calendar year.

    The sequence is created the first time a contract of the year is made;
    its prefix and next number can be edited afterwards."""
    __name__ = 'copp.contract.numbering'
    __string__ = "Contract Numbering"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    sequence = fields.Many2One('ir.sequence', "Sequence", required=True,
        ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_year_unique', Unique(t, t.company, t.year),
                'copp_contract.msg_numbering_unique'),
            ]
        cls._order = [('company', 'ASC'), ('year', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def get_number(cls, company, date):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        year = date.year
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id),
                    ('year', '=', year),
                    ], limit=1)
            if records:
                sequence = records[0].sequence
            else:
                sequence, = Sequence.create([{
                            'name': gettext(
                                'copp_contract.msg_numbering_name',
                                college=company.rec_name, year=year),
                            'sequence_type': ModelData.get_id(
                                'copp_contract', 'sequence_type_contract'),
                            'company': company.id,
                            'prefix': f'{year}-',
                            'padding': 4,
                            }])
                cls.create([{'company': company.id, 'year': year,
                            'sequence': sequence.id}])
            return Sequence(sequence.id).get()


class Contract(Workflow, ModelSQL, ModelView):
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

    @fields.depends('student', 'payer_kind', 'payer', 'specialty',
        'subject', 'representative')
    def on_change_student(self):
        if self.student:
            if self.payer_kind == 'student':
                self.payer = self.student.party
            if self.subject == 'specialty' and not self.specialty:
                self.specialty = self.student.specialty
        if (self.representative
                and self.representative.student != self.student):
            self.representative = None

    @fields.depends('payer_kind', 'representative',
        methods=['on_change_student'])
    def on_change_payer_kind(self):
        if self.payer_kind == 'student':
            self.on_change_student()
        elif self.payer_kind == 'representative':
            self.payer = None
        else:
            self.representative = None

    @fields.depends('representative', 'payer_kind')
    def on_change_representative(self):
        if self.payer_kind == 'representative' and self.representative:
            self.payer = self._representative_party(create=False)

    @fields.depends('program', 'total_amount')
    def on_change_program(self):
        if self.program and self.program.price and not self.total_amount:
            self.total_amount = self.program.price

    def _representative_party(self, create=True):
        "The person (party) of the legal representative, made on demand"
        pool = Pool()
        Party = pool.get('party.party')
        representative = self.representative
        if not representative:
            return None
        with without_check_access():
            parties = Party.search([('name', '=', representative.name)],
                order=[('id', 'ASC')])
            # A party with the same name that already pays this student.
            if parties:
                paying = self.search([
                        ('student', '=', self.student.id),
                        ('payer', 'in', [p.id for p in parties]),
                        ], limit=1)
                if paying:
                    return paying[0].payer
            if not create:
                return None
            party, = Party.create([{'name': representative.name}])
        return party

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

    # Schedule ---------------------------------------------------------------

    def _schedule_periods(self):
        "[(name, period_start, period_end, due_date)] of the schedule kind"
        pool = Pool()
        Lang = pool.get('ir.lang')
        Term = pool.get('copp.academic.term')
        start, end = self.start_date, self.end_date
        if self.schedule_kind == 'single':
            return [(gettext('copp_contract.msg_schedule_single'),
                    start, end, start)]
        periods = []
        if self.schedule_kind == 'month':
            lang = Lang.get()
            month = start.replace(day=1)
            while month <= end:
                next_month = (month + dt.timedelta(days=32)).replace(day=1)
                period_start = max(month, start)
                period_end = min(next_month - dt.timedelta(days=1), end)
                periods.append((lang.strftime(month, '%B %Y').capitalize(),
                        period_start, period_end, period_start))
                month = next_month
            return periods
        # By term: the academic terms of the catalog, or half-years
        # (1 September – 31 January, 1 February – 31 August) without them.
        terms = Term.search([
                ('start_date', '<=', end),
                ('end_date', '>=', start),
                ], order=[('start_date', 'ASC')])
        if terms:
            bounds = []
            for i, term in enumerate(terms):
                term_start = max(term.start_date, start)
                if i + 1 < len(terms):
                    term_end = terms[i + 1].start_date - dt.timedelta(days=1)
                else:
                    term_end = end
                bounds.append((gettext('copp_contract.msg_schedule_term',
                            number=term.number, year=term.year.name),
                        term_start, min(term_end, end)))
            # The days before the first term belong to it.
            name, first_start, first_end = bounds[0]
            bounds[0] = (name, min(first_start, start), first_end)
        else:
            bounds = []
            year = start.year if start.month >= 9 else start.year - 1
            while True:
                for number, (h_start, h_end) in enumerate([
                            (dt.date(year, 9, 1), dt.date(year + 1, 1, 31)),
                            (dt.date(year + 1, 2, 1),
                                dt.date(year + 1, 8, 31))], 1):
                    if h_end < start or h_start > end:
                        continue
                    bounds.append((gettext(
                                'copp_contract.msg_schedule_term',
                                number=number, year=f"{year}/{year + 1}"),
                            max(h_start, start), min(h_end, end)))
                year += 1
                if dt.date(year, 9, 1) > end:
                    break
        return [(n, s, e, s) for n, s, e in bounds]

    def _schedule_values(self):
        periods = self._schedule_periods()
        total = Decimal(str(self.total_amount or 0)).quantize(CENT)
        count = len(periods) or 1
        share = (total / count).quantize(CENT, rounding=ROUND_DOWN)
        values = []
        for i, (name, start, end, due) in enumerate(periods):
            amount = share
            if i == len(periods) - 1:
                amount = total - share * (len(periods) - 1)
            values.append({
                    'sequence': i + 1,
                    'name': name,
                    'period_start': start,
                    'period_end': end,
                    'date': due,
                    'amount': amount,
                    })
        return values

    @classmethod
    @ModelView.button
    def compute_schedule(cls, contracts):
        pool = Pool()
        Line = pool.get('copp.contract.schedule')
        to_delete, to_create = [], []
        for contract in contracts:
            if contract.state != 'draft':
                continue
            to_delete.extend(contract.schedule)
            for values in contract._schedule_values():
                values['contract'] = contract.id
                to_create.append(values)
        Line.delete(to_delete)
        Line.create(to_create)

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

    def check_schedule(self):
        total = sum((Decimal(str(l.amount)) for l in self.schedule), ZERO)
        if not self.schedule or total != Decimal(
                str(self.total_amount)).quantize(CENT):
            raise ContractValidationError(gettext(
                    'copp_contract.msg_schedule_total',
                    contract=self.rec_name, total=self.total_amount,
                    schedule=total))

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
            payer = contract.payer
            if contract.payer_kind == 'student':
                payer = contract.student.party
            elif contract.payer_kind == 'representative':
                if not contract.representative:
                    raise ContractValidationError(gettext(
                            'copp_contract.msg_contract_representative',
                            contract=contract.rec_name))
                if not payer:
                    payer = contract._representative_party()
            elif not payer:
                raise ContractValidationError(gettext(
                        'copp_contract.msg_contract_payer',
                        contract=contract.rec_name))
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


class ScheduleLine(ModelSQL, ModelView):
    "Period of the payment schedule of a contract"
    __name__ = 'copp.contract.schedule'
    __string__ = "Payment Schedule Line"
    __access__ = {'contract'}

    contract = fields.Many2One('copp.contract', "Contract", required=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    name = fields.Char("Period", required=True)
    period_start = fields.Date("From", required=True)
    period_end = fields.Date("To", required=True)
    date = fields.Date("Due Date", required=True,
        help="The charge of the period is made on this date.")
    amount = fields.Numeric("Amount", digits=(16, 2), required=True)
    charge = fields.Function(fields.Many2One('copp.contract.charge',
            "Charge"), 'get_charge')
    charged = fields.Function(fields.Boolean("Charged"), 'get_charge')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('contract', 'ASC'), ('date', 'ASC'),
            ('sequence', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t, (t.contract, Index.Range()),
                (t.date, Index.Range())))

    @classmethod
    def get_charge(cls, lines, names):
        pool = Pool()
        Charge = pool.get('copp.contract.charge')
        charges = {}
        for charge in Charge.search([
                    ('schedule_line', 'in', [l.id for l in lines]),
                    ]):
            charges[charge.schedule_line.id] = charge.id
        result = {}
        if 'charge' in names:
            result['charge'] = {l.id: charges.get(l.id) for l in lines}
        if 'charged' in names:
            result['charged'] = {l.id: l.id in charges for l in lines}
        return result

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if not field_names or 'amount' in field_names:
            for line in lines:
                if Decimal(str(line.amount or 0)) < 0:
                    raise ContractValidationError(gettext(
                            'copp_contract.msg_schedule_amount',
                            contract=line.contract.rec_name))
