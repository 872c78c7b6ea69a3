"""The payment schedule of a contract: its periods (by term, by month or a
single payment), computed from the contract's dates and price (the last
period takes the remainder of kopecks) and checked to sum to the price on
signing."""
import datetime as dt
from decimal import ROUND_DOWN, Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool

from copp.history import HistoryMixin

from .amount import CENT, ZERO
from .exceptions import ContractValidationError

SCHEDULE_KINDS = [
    ('term', "By Term"),
    ('month', "By Month"),
    ('single', "Single Payment"),
    ]


class ContractSchedule:
    "The computation and the check of the schedule of copp.contract"
    __slots__ = ()

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

    def check_schedule(self):
        total = sum((Decimal(str(l.amount)) for l in self.schedule), ZERO)
        if not self.schedule or total != Decimal(
                str(self.total_amount)).quantize(CENT):
            raise ContractValidationError(gettext(
                    'copp_contract.msg_schedule_total',
                    contract=self.rec_name, total=self.total_amount,
                    schedule=total))


class ScheduleLine(HistoryMixin, ModelSQL, ModelView):
    "Period of the payment schedule of a contract"
    __name__ = 'copp.contract.schedule'
    __string__ = "Payment Schedule Line"

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
        cls.__access__.add('contract')
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
