"""Charges (начисления) of the contracts: one per period of the payment
schedule, made by the cron when the period is due."""
import uuid
from decimal import Decimal

from sql import Null

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval
from trytond.pool import Pool
from trytond.transaction import Transaction

from .amount import CENT, amount_in_words
from .exceptions import ContractError


class Charge(ModelSQL, ModelView):
    "Charge of a contract for a period of its schedule"
    __name__ = 'copp.contract.charge'
    __string__ = "Charge"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    contract = fields.Many2One('copp.contract', "Contract", required=True,
        ondelete='RESTRICT', readonly=True,
        domain=[('company', '=', Eval('company', -1))])
    schedule_line = fields.Many2One('copp.contract.schedule',
        "Schedule Period", ondelete='RESTRICT', readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    name = fields.Char("Period", required=True, readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    amount_words = fields.Function(fields.Char("Amount in Words"),
        'get_amount_words')
    uuid = fields.Char("GUID", required=True, readonly=True, strip=False)
    student = fields.Function(fields.Many2One('copp.student', "Student"),
        'get_contract_field', searcher='search_contract_field')
    payer = fields.Function(fields.Many2One('party.party', "Payer",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'get_contract_field', searcher='search_contract_field')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('schedule_line_unique', Unique(t, t.schedule_line),
                'copp_contract.msg_charge_line_unique'),
            ('uuid_unique', Unique(t, t.uuid),
                'copp_contract.msg_uuid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.contract, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                })

    @classmethod
    def default_uuid(cls):
        return str(uuid.uuid4())

    def get_rec_name(self, name):
        return f"{self.contract.number}: {self.name}"

    def get_amount_words(self, name):
        return amount_in_words(self.amount)

    def get_contract_field(self, name):
        value = getattr(self.contract, name)
        return value.id if value else None

    @classmethod
    def search_contract_field(cls, name, clause):
        return [('contract.' + clause[0], *clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('uuid'):
            values['uuid'] = str(uuid.uuid4())
        return values

    @classmethod
    def check_modification(cls, mode, charges, values=None, external=False):
        super().check_modification(
            mode, charges, values=values, external=external)
        if mode == 'delete' and external:
            for charge in charges:
                if charge.contract.state != 'draft':
                    raise ContractError(gettext(
                            'copp_contract.msg_charge_delete',
                            charge=charge.rec_name))

    @classmethod
    def generate(cls, date=None, contracts=None):
        """Charge every due and uncharged period of the signed contracts:
        one query for the due periods, one create for the charges."""
        pool = Pool()
        Date = pool.get('ir.date')
        Contract = pool.get('copp.contract')
        Line = pool.get('copp.contract.schedule')
        date = date or Date.today()
        line = Line.__table__()
        contract = Contract.__table__()
        charge = cls.__table__()
        cursor = Transaction().connection.cursor()
        where = ((contract.state == 'signed')
            & (line.date <= date)
            & (charge.id == Null))
        if contracts is not None:
            ids = [c.id for c in contracts]
            if not ids:
                return []
            where &= contract.id.in_(ids)
        cursor.execute(*line.join(contract,
                condition=line.contract == contract.id
                ).join(charge, 'LEFT',
                condition=charge.schedule_line == line.id
                ).select(line.id, contract.id, contract.company, line.date,
                line.name, line.amount,
                where=where,
                order_by=[contract.id, line.date, line.id]))
        values = [{
                'company': company,
                'contract': contract_id,
                'schedule_line': line_id,
                'date': line_date,
                'name': name,
                'amount': Decimal(str(amount)).quantize(CENT),
                } for line_id, contract_id, company, line_date, name, amount
            in cursor]
        if not values:
            return []
        return cls.create(values)

    @classmethod
    def generate_due(cls):
        "Cron: charge the periods that are due today"
        cls.generate()
