"""Balances and debts of the contracts, per contract, student and college.

Every figure comes from one set-based query (charges and payments summed
per contract, as of a date), never from a query per contract. «Paid» is
net of the refunds made to the payers (payment.py): a refund makes the
debt grow back by its amount."""
import datetime as dt
import io

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Coalesce, Greatest
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp.company import context_college

from .amount import ZERO, sql_amount, to_decimal

BALANCE_STATES = ['signed', 'terminated', 'completed']


class DecimalSumMixin:
    "SQLite returns sums as float: back to Decimal kopecks on read"
    __slots__ = ()

    @classmethod
    def read(cls, ids, fields_names):
        rows = super().read(ids, fields_names)
        numeric = [n for n in fields_names
            if n in cls._fields and cls._fields[n]._type == 'numeric']
        if numeric:
            for row in rows:
                for name in numeric:
                    if row.get(name) is not None:
                        row[name] = to_decimal(row[name])
        return rows


def _date():
    context = Transaction().context
    date = context.get('date')
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return date


def _company_ids():
    "The colleges chosen in the context, else None (the rules still apply)"
    context = Transaction().context
    company = context.get('balance_company')
    return [company] if company else None


class ContractBalance(DecimalSumMixin, ModelSQL, ModelView):
    "Balance of a contract"
    __name__ = 'copp.contract.balance'
    __string__ = "Contract Balance"

    company = fields.Many2One('company.company', "College", readonly=True)
    contract = fields.Many2One('copp.contract', "Contract", readonly=True)
    student = fields.Many2One('copp.student', "Student", readonly=True)
    payer = fields.Many2One('party.party', "Payer", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    state = fields.Selection('get_states', "State", readonly=True)
    charged = fields.Numeric("Charged", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)
    debt = fields.Numeric("Debt", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('debt', 'DESC'), ('contract', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.contract.rec_name if self.contract else ''

    @classmethod
    def get_states(cls):
        pool = Pool()
        Contract = pool.get('copp.contract')
        return Contract.fields_get(['state'])['state']['selection']

    @classmethod
    def debt_query(cls, date=None, contract_ids=None, company_ids=None):
        """The query of the balances: contract, company, student, payer,
        state, charged, paid, balance, debt (charges and payments up to
        `date`, signed and closed contracts)."""
        pool = Pool()
        Contract = pool.get('copp.contract')
        Charge = pool.get('copp.contract.charge')
        Payment = pool.get('copp.contract.payment')
        contract = Contract.__table__()
        charge = Charge.__table__()
        payment = Payment.__table__()
        charge_where = Literal(True)
        payment_where = Literal(True)
        where = contract.state.in_(BALANCE_STATES)
        if date:
            charge_where &= charge.date <= date
            payment_where &= payment.date <= date
        if contract_ids is not None:
            where &= contract.id.in_(contract_ids or [-1])
            charge_where &= charge.contract.in_(contract_ids or [-1])
            payment_where &= payment.contract.in_(contract_ids or [-1])
        if company_ids is not None:
            where &= contract.company.in_(company_ids or [-1])
            charge_where &= charge.company.in_(company_ids or [-1])
            payment_where &= payment.company.in_(company_ids or [-1])
        charges = charge.select(charge.contract.as_('contract'),
            Sum(charge.amount).as_('amount'),
            where=charge_where, group_by=[charge.contract])
        payments = payment.select(payment.contract.as_('contract'),
            Sum(Payment.sql_signed_amount(payment)).as_('amount'),
            where=payment_where, group_by=[payment.contract])
        charged = Coalesce(charges.amount, 0)
        paid = Coalesce(payments.amount, 0)
        return contract.join(charges, 'LEFT',
            condition=charges.contract == contract.id
            ).join(payments, 'LEFT',
            condition=payments.contract == contract.id
            ).select(
            contract.id.as_('id'),
            contract.id.as_('contract'),
            contract.company.as_('company'),
            contract.student.as_('student'),
            contract.payer.as_('payer'),
            contract.state.as_('state'),
            charged.as_('charged'),
            paid.as_('paid'),
            (paid - charged).as_('balance'),
            Greatest(charged - paid, 0).as_('debt'),
            where=where)

    @classmethod
    def table_query(cls):
        query = cls.debt_query(date=_date(), company_ids=_company_ids())
        query.columns += (
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            )
        return query

    @classmethod
    def compute(cls, contract_ids=None, company_ids=None, date=None):
        "{contract id: (charged, paid)} in one query"
        query = cls.debt_query(date=date, contract_ids=contract_ids,
            company_ids=company_ids)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query.select(query.contract, query.charged,
                query.paid))
        return {c: (to_decimal(ch), to_decimal(p)) for c, ch, p in cursor}


class StudentBalance(DecimalSumMixin, ModelSQL, ModelView):
    "Balance of a student's contracts"
    __name__ = 'copp.contract.balance.student'
    __string__ = "Student Balance"

    company = fields.Many2One('company.company', "College", readonly=True)
    student = fields.Many2One('copp.student', "Student", readonly=True)
    contracts = fields.Integer("Contracts", readonly=True)
    charged = fields.Numeric("Charged", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)
    debt = fields.Numeric("Debt", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('debt', 'DESC'), ('student', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.student.rec_name if self.student else ''

    @classmethod
    def table_query(cls):
        pool = Pool()
        Balance = pool.get('copp.contract.balance')
        query = Balance.debt_query(date=_date(), company_ids=_company_ids())
        return query.select(
            query.student.as_('id'),
            query.company.as_('company'),
            query.student.as_('student'),
            Count(query.contract).as_('contracts'),
            Sum(query.charged).as_('charged'),
            Sum(query.paid).as_('paid'),
            Sum(query.balance).as_('balance'),
            Sum(query.debt).as_('debt'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            group_by=[query.student, query.company])


class CollegeBalance(DecimalSumMixin, ModelSQL, ModelView):
    "Balance of a college's contracts"
    __name__ = 'copp.contract.balance.college'
    __string__ = "College Balance"

    company = fields.Many2One('company.company', "College", readonly=True)
    contracts = fields.Integer("Contracts", readonly=True)
    debtors = fields.Integer("Contracts in Debt", readonly=True)
    charged = fields.Numeric("Charged", digits=(16, 2), readonly=True)
    paid = fields.Numeric("Paid", digits=(16, 2), readonly=True)
    balance = fields.Numeric("Balance", digits=(16, 2), readonly=True)
    debt = fields.Numeric("Debt", digits=(16, 2), readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.company.rec_name if self.company else ''

    @classmethod
    def table_query(cls):
        pool = Pool()
        Balance = pool.get('copp.contract.balance')
        query = Balance.debt_query(date=_date(), company_ids=_company_ids())
        from sql.conditionals import Case
        return query.select(
            query.company.as_('id'),
            query.company.as_('company'),
            Count(query.contract).as_('contracts'),
            Sum(Case((query.debt > 0, 1), else_=0)).as_('debtors'),
            Sum(query.charged).as_('charged'),
            Sum(query.paid).as_('paid'),
            Sum(query.balance).as_('balance'),
            Sum(query.debt).as_('debt'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            group_by=[query.company])


class BalanceContext(ModelView):
    "Balances as of a date"
    __name__ = 'copp.contract.balance.context'
    __string__ = "Balance Context"

    date = fields.Date("As of",
        help="Charges and payments up to this date; empty: all of them.")
    balance_company = fields.Many2One('company.company', "College")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class DebtorsStart(ModelView):
    "Debtors report"
    __name__ = 'copp.contract.debtors.start'
    __string__ = "Debtors Report"

    date = fields.Date("As of", required=True)
    company = fields.Many2One('company.company', "College",
        help="Empty: every college you work with.")
    minimum = fields.Numeric("Minimum Debt", digits=(16, 2),
        help="Only contracts whose debt is above this amount.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_company(cls):
        return context_college()

    @classmethod
    def default_minimum(cls):
        return ZERO


class DebtorsResult(ModelView):
    "Debtors report"
    __name__ = 'copp.contract.debtors.result'
    __string__ = "Debtors Report File"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)
    count = fields.Integer("Debtors", readonly=True)
    total = fields.Numeric("Total Debt", digits=(16, 2), readonly=True)


class Debtors(Wizard):
    "Debtors report (xlsx)"
    __name__ = 'copp.contract.debtors'

    start = StateView('copp.contract.debtors.start',
        'copp_contract.debtors_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Make", 'make', 'tryton-ok', default=True),
            ])
    make = StateTransition()
    result = StateView('copp.contract.debtors.result',
        'copp_contract.debtors_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_make(self):
        file, count, total = debtors_xlsx(self.start.date,
            self.start.company, self.start.minimum or ZERO)
        self.result.file = file
        self.result.filename = gettext('copp_contract.msg_debtors_filename',
            date=self.start.date.isoformat())
        self.result.count = count
        self.result.total = total
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'filename': self.result.filename,
            'count': self.result.count,
            'total': self.result.total,
            }


def debtor_rows(date, company=None, minimum=ZERO, persons=None):
    """The contracts in debt as of `date` in the colleges the user may read,
    with names, in one query; the ids of the students and payers named are
    added to `persons` ({model: set}) when given."""
    pool = Pool()
    Balance = pool.get('copp.contract.balance')
    Contract = pool.get('copp.contract')
    Student = pool.get('copp.student')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Group = pool.get('copp.study.group')
    # The contracts the user may read (record rules applied), as a query.
    visible = Contract.search(
        [('company', '=', company.id)] if company else [], query=True)
    query = Balance.debt_query(date=date,
        company_ids=[company.id] if company else None)
    contract = Contract.__table__()
    student = Student.__table__()
    person = Party.__table__()
    payer = Party.__table__()
    college = Company.__table__()
    college_party = Party.__table__()
    group = Group.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*query.join(contract,
            condition=contract.id == query.contract
            ).join(student, condition=student.id == query.student
            ).join(person, condition=person.id == student.party
            ).join(payer, 'LEFT', condition=payer.id == query.payer
            ).join(college, condition=college.id == query.company
            ).join(college_party, condition=college_party.id == college.party
            ).join(group, 'LEFT', condition=group.id == student.group
            ).select(
            Coalesce(college.short_name, college_party.name),
            contract.number, contract.date, person.name, student.record_book,
            group.name, payer.name, query.charged, query.paid, query.debt,
            query.student, query.payer,
            where=(query.debt > sql_amount(minimum))
            & query.contract.in_(visible),
            order_by=[college_party.name, person.name, contract.number]))
    rows = []
    for (college_name, number, date_, student_name, record_book, group_name,
            payer_name, charged, paid, debt, student_id, payer_id) in cursor:
        if persons is not None:
            persons.setdefault('copp.student', set()).add(student_id)
            if payer_id:
                persons.setdefault('party.party', set()).add(payer_id)
        if isinstance(date_, str):
            date_ = dt.date.fromisoformat(date_)
        rows.append((college_name, number, date_, student_name,
                record_book, group_name, payer_name, to_decimal(charged),
                to_decimal(paid), to_decimal(debt)))
    return rows


def debtors_xlsx(date, company=None, minimum=ZERO):
    "(xlsx bytes, number of contracts in debt, total debt)"
    from copp.personal_data import user_access_checked
    from copp.xlsx import workbook as xlsx_workbook
    from trytond.i18n import gettext
    persons = {}
    rows = debtor_rows(date, company, minimum, persons=persons)
    if user_access_checked():
        # The names of the students and payers leave in the file.
        Log = Pool().get('copp.personal_data.log')
        for model, ids in persons.items():
            Log.register(model, ids, ['rec_name'], action='export')
    output = io.BytesIO()
    book = xlsx_workbook(output, {'in_memory': True})
    bold = book.add_format({'bold': True, 'text_wrap': True,
            'valign': 'top', 'border': 1, 'bg_color': '#EEEEEE'})
    money = book.add_format({'num_format': '#,##0.00'})
    money_bold = book.add_format({'num_format': '#,##0.00', 'bold': True})
    date_format = book.add_format({'num_format': 'dd.mm.yyyy'})
    sheet = book.add_worksheet(gettext('copp_contract.msg_debtors_sheet'))
    title = gettext('copp_contract.msg_debtors_title',
        date=date.strftime('%d.%m.%Y'))
    sheet.write(0, 0, title, book.add_format({'bold': True,
                'font_size': 13}))
    headers = [gettext('copp_contract.msg_debtors_' + h) for h in [
            'college', 'number', 'date', 'student', 'record_book', 'group',
            'payer', 'charged', 'paid', 'debt']]
    widths = [14, 12, 11, 34, 12, 10, 34, 14, 14, 14]
    for col, (header, width) in enumerate(zip(headers, widths)):
        sheet.write(2, col, header, bold)
        sheet.set_column(col, col, width)
    total = ZERO
    by_college = {}
    row_index = 3
    for row in rows:
        for col, value in enumerate(row):
            if col == 2 and value:
                sheet.write_datetime(row_index, col,
                    dt.datetime.combine(value, dt.time()), date_format)
            elif col >= 7:
                sheet.write_number(row_index, col, float(value), money)
            else:
                sheet.write(row_index, col, value or '')
        total += row[9]
        college = by_college.setdefault(row[0], [0, ZERO])
        college[0] += 1
        college[1] += row[9]
        row_index += 1
    sheet.write(row_index, 0, gettext('copp_contract.msg_debtors_total'),
        bold)
    sheet.write_number(row_index, 9, float(total), money_bold)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(row_index - 1, 2), len(headers) - 1)

    summary = book.add_worksheet(
        gettext('copp_contract.msg_debtors_summary_sheet'))
    for col, key in enumerate(['college', 'count', 'debt']):
        summary.write(0, col, gettext('copp_contract.msg_debtors_' + key),
            bold)
    summary.set_column(0, 0, 30)
    summary.set_column(1, 2, 16)
    for i, (name, (count, debt)) in enumerate(sorted(by_college.items()), 1):
        summary.write(i, 0, name)
        summary.write_number(i, 1, count)
        summary.write_number(i, 2, float(debt), money)
    book.close()
    return output.getvalue(), len(rows), total
