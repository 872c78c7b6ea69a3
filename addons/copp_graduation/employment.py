"""Graduates' employment monitoring: the status of every graduate at the
checkpoints after graduation (1 December of the year of graduation, 1 April
of the next year), and the regional report by college and specialty."""
import datetime as dt
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

CHECKPOINTS = [
    ('december', "1 December"),
    ('april', "1 April of the Next Year"),
    ]
STATUSES = [
    ('employed', "Employed"),
    ('self_employed', "Self-employed or Entrepreneur"),
    ('study', "Continuing Study"),
    ('army', "Military Service"),
    ('maternity', "Maternity Leave"),
    ('unemployed', "Not Employed"),
    ]
COUNTS = ['graduates', 'employed', 'by_specialty', 'self_employed', 'study',
    'army', 'maternity', 'unemployed']
RATES = {
    # rate: (numerator counts, denominator); see README
    'employment_rate': (['employed', 'self_employed'], 'graduates'),
    'specialty_rate': (['by_specialty'], 'graduates'),
    'study_rate': (['study'], 'graduates'),
    'unemployment_rate': (['unemployed'], 'graduates'),
    }


def checkpoint_date(year, checkpoint):
    if not year or not checkpoint:
        return None
    if checkpoint == 'december':
        return dt.date(year, 12, 1)
    return dt.date(year + 1, 4, 1)


def latest_graduation_year(today):
    """The graduation year being monitored on `today`: the graduates of
    June–July are checked at 1 December and at 1 April of the next year"""
    return today.year if today.month >= 7 else today.year - 1


def compute_rates(counts):
    "Rates in % (1 decimal) of a dict of COUNTS"
    result = {}
    for name, (numerators, denominator) in RATES.items():
        total = counts.get(denominator) or 0
        part = sum(counts.get(n) or 0 for n in numerators)
        result[name] = (Decimal(100) * part / total).quantize(
            Decimal('0.1')) if total else None
    return result


class Employment(ModelSQL, ModelView):
    "Graduate Employment"
    __name__ = 'copp.graduation.employment'
    __string__ = "Graduate Employment"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    student = fields.Many2One('copp.student', "Graduate", required=True,
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))])
    specialty = fields.Many2One('copp.specialty', "Specialty",
        required=True, ondelete='RESTRICT')
    graduation_year = fields.Integer("Year of Graduation", required=True,
        domain=[('graduation_year', '>=', 2000),
            ('graduation_year', '<=', 2100)])
    checkpoint = fields.Selection(CHECKPOINTS, "Checkpoint", required=True,
        sort=False)
    date = fields.Function(fields.Date("Checkpoint Date"), 'get_date')
    status = fields.Selection(STATUSES, "Status", required=True, sort=False)
    by_specialty = fields.Boolean("By Specialty",
        states={'invisible': Eval('status') != 'employed'})
    employer = fields.Char("Employer",
        states={'invisible': ~Eval('status').in_(
                ['employed', 'self_employed'])})
    employer_inn = fields.Char("Employer's INN",
        states={'invisible': ~Eval('status').in_(
                ['employed', 'self_employed'])})
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('graduation_year', 'DESC'), ('checkpoint', 'ASC'),
            ('id', 'ASC')]
        cls._sql_constraints += [
            ('student_checkpoint_unique', Unique(t, t.student,
                    t.graduation_year, t.checkpoint),
                'copp_graduation.msg_employment_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.graduation_year, Index.Range()),
                (t.company, Index.Range())))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_checkpoint(cls):
        return 'december'

    @fields.depends('student', 'specialty')
    def on_change_student(self):
        if self.student and self.student.specialty:
            self.specialty = self.student.specialty

    def get_date(self, name):
        return checkpoint_date(self.graduation_year, self.checkpoint)

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('status') and values['status'] != 'employed':
            values['by_specialty'] = False
        return values


class EmploymentContext(ModelView):
    "Employment Report Context"
    __name__ = 'copp.graduation.employment.context'
    __string__ = "Employment Report Context"

    graduation_year = fields.Integer("Year of Graduation")
    checkpoint = fields.Selection(CHECKPOINTS, "Checkpoint", required=True)

    @classmethod
    def default_graduation_year(cls):
        return latest_graduation_year(Pool().get('ir.date').today())

    @classmethod
    def default_checkpoint(cls):
        return 'december'


def employment_query(graduation_year=None, checkpoint=None,
        company_ids=None):
    """python-sql query: one row per college × specialty × year ×
    checkpoint with the COUNTS"""
    Employment = Pool().get('copp.graduation.employment')
    e = Employment.__table__()
    where = Literal(True)
    if graduation_year:
        where &= e.graduation_year == graduation_year
    if checkpoint:
        where &= e.checkpoint == checkpoint
    if company_ids is not None:
        where &= e.company.in_(list(company_ids) or [-1])

    def count(condition):
        return Sum(Case((condition, 1), else_=0))
    return e.select(
        Min(e.id).as_('id'),
        e.company.as_('company'), e.specialty.as_('specialty'),
        e.graduation_year.as_('graduation_year'),
        e.checkpoint.as_('checkpoint'),
        Count(e.id).as_('graduates'),
        count(e.status == 'employed').as_('employed'),
        count((e.status == 'employed') & (e.by_specialty == Literal(True))
            ).as_('by_specialty'),
        count(e.status == 'self_employed').as_('self_employed'),
        count(e.status == 'study').as_('study'),
        count(e.status == 'army').as_('army'),
        count(e.status == 'maternity').as_('maternity'),
        count(e.status == 'unemployed').as_('unemployed'),
        where=where,
        group_by=[e.company, e.specialty, e.graduation_year, e.checkpoint])


class EmploymentReport(ModelSQL, ModelView):
    "Graduate Employment by College and Specialty"
    __name__ = 'copp.graduation.employment.report'
    __string__ = "Graduate Employment by College and Specialty"

    company = fields.Many2One('company.company', "College", readonly=True)
    specialty = fields.Many2One('copp.specialty', "Specialty",
        readonly=True)
    graduation_year = fields.Integer("Year of Graduation", readonly=True)
    checkpoint = fields.Selection(CHECKPOINTS, "Checkpoint", readonly=True)
    graduates = fields.Integer("Graduates", readonly=True)
    employed = fields.Integer("Employed", readonly=True)
    by_specialty = fields.Integer("Employed by Specialty", readonly=True)
    self_employed = fields.Integer("Self-employed", readonly=True)
    study = fields.Integer("Continuing Study", readonly=True)
    army = fields.Integer("Military Service", readonly=True)
    maternity = fields.Integer("Maternity Leave", readonly=True)
    unemployed = fields.Integer("Not Employed", readonly=True)
    employment_rate = fields.Function(fields.Numeric("Employment Rate, %",
            digits=(5, 1)), 'get_rates')
    specialty_rate = fields.Function(fields.Numeric(
            "Employed by Specialty, %", digits=(5, 1)), 'get_rates')
    study_rate = fields.Function(fields.Numeric("Continuing Study, %",
            digits=(5, 1)), 'get_rates')
    unemployment_rate = fields.Function(fields.Numeric("Not Employed, %",
            digits=(5, 1)), 'get_rates')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('specialty', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        context = Transaction().context
        query = employment_query(context.get('graduation_year'),
            context.get('checkpoint'))
        return query.select(query.id, Literal(0).as_('create_uid'),
            Literal(None).as_('create_date'),
            Literal(None).as_('write_uid'), Literal(None).as_('write_date'),
            query.company, query.specialty, query.graduation_year,
            query.checkpoint, *[getattr(query, c) for c in COUNTS])

    @classmethod
    def get_rates(cls, records, names):
        result = {n: {} for n in names}
        for record in records:
            rates = compute_rates({c: getattr(record, c) for c in COUNTS})
            for name in names:
                result[name][record.id] = rates[name]
        return result
