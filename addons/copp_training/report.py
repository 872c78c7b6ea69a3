"""Reports of the ministry on the training of the ЦОПП and the colleges:
learners enrolled, completed and left in a period by organization, kind
of programme and seat (funding), with the completion rate; the seats of
the federal projects offered and used per cohort. Each is one set-based
query (table_query) over the learners (or the cohorts and applications)
filtered by the period and the organization of the context and by the
user's organizations; the ministry and the ЦОПП land on the region
(copp.company.context_college)."""
import datetime as dt

from sql import Literal, Null, Window
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce
from sql.functions import CurrentTimestamp, RowNumber

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.company import context_college
from copp.labels import SelectionLabelMixin, selection_label
from copp.program import PROGRAM_KINDS

from .application import FUNDINGS
from .program import FEDERAL_PROJECTS


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def period():
    "(date_from, date_to, company) of the context"
    pool = Pool()
    Context = pool.get('copp.training.report.context')
    context = Transaction().context
    date_to = _date(context.get('date_to')) or Context.default_date_to()
    date_from = _date(context.get('date_from')) or Context.default_date_from()
    if date_from > date_to:
        date_from = date_to
    company = context.get('company')
    if 'company' not in context:
        company = context_college()
    return date_from, date_to, company


def companies_filter():
    "The organizations of the user (None: no restriction)"
    pool = Pool()
    User = pool.get('res.user')
    transaction = Transaction()
    if transaction.user == 0 or not transaction.check_access:
        return None
    return list(User.get_companies())


def record_columns(id_):
    "The columns every record has, `id_` its id"
    return [id_.as_('id'), Literal(0).as_('create_uid'),
        CurrentTimestamp().as_('create_date'), Literal(None).as_('write_uid'),
        Literal(None).as_('write_date')]


def filter_companies(where, column, company=None, companies=None):
    """`where` restricted to the organization `company` and to those of
    `companies` (None: any) by the column `column`"""
    if company:
        where &= column == company
    if companies is not None:
        where &= column.in_(companies or [-1])
    return where


class PeriodMixin:
    """The choice of a report: a period (by default the year so far) and
    an organization (by default the user's college, none for the region:
    see context_college)"""
    __slots__ = ()
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True,
        domain=[('date_to', '>=', Eval('date_from'))])
    company = fields.Many2One('company.company', "Organization",
        help="Empty for every organization you work with.")

    @classmethod
    def default_date_to(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_date_from(cls):
        return cls.default_date_to().replace(month=1, day=1)

    @classmethod
    def default_company(cls):
        return context_college()


class ReportContext(PeriodMixin, ModelView):
    "Training Report"
    __name__ = 'copp.training.report.context'
    __string__ = "Training Report"


class ReportQueryMixin:
    """A report of one query, `report_query(date_from, date_to, company,
    companies, with_ids)`: shown for the period of the context, read as
    dicts for any other"""
    __slots__ = ()

    @classmethod
    def table_query(cls):
        return cls.report_query(*period(), companies_filter())

    @classmethod
    def rows(cls, date_from, date_to, company=None, companies=None):
        "The rows as dicts (the xlsx export and the tests)"
        query = cls.report_query(date_from, date_to, company, companies,
            with_ids=False)
        cursor = Transaction().connection.cursor()
        cursor.execute(*query)
        names = [c.output_name for c in query.columns]
        return [dict(zip(names, r)) for r in cursor]


class TrainingReport(ReportQueryMixin, SelectionLabelMixin, ModelSQL,
        ModelView):
    "Trained by Programme Kind and Seat"
    __name__ = 'copp.training.report'
    __string__ = "Trained by Programme Kind and Seat"

    company = fields.Many2One('company.company', "Organization",
        readonly=True)
    program_kind = fields.Selection(PROGRAM_KINDS, "Programme Kind",
        readonly=True)
    program_kind_label = selection_label("Programme Kind")
    funding = fields.Selection(FUNDINGS, "Seat", readonly=True)
    funding_label = selection_label("Seat")
    enrolled = fields.Integer("Enrolled", readonly=True)
    completed = fields.Integer("Completed", readonly=True)
    left = fields.Integer("Left", readonly=True)
    studying = fields.Integer("Studying at the End", readonly=True)
    completion_rate = fields.Float("Completion Rate, %", digits=(5, 1),
        readonly=True,
        help="Completed of those who finished (completed or left) in the "
        "period.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('program_kind', 'ASC'),
            ('funding', 'ASC'), ('id', 'ASC')]

    @classmethod
    def report_query(cls, date_from, date_to, company=None, companies=None,
            with_ids=True):
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        Cohort = pool.get('copp.training.cohort')
        Program = pool.get('copp.program')
        learner, cohort, program = (Learner.__table__(), Cohort.__table__(),
            Program.__table__())
        one, zero = Literal(1), Literal(0)

        def between(column):
            return (column >= date_from) & (column <= date_to)
        enrolled = between(learner.enrolment_date)
        completed = between(learner.completion_date)
        left = between(learner.leave_date)
        studying = (learner.enrolment_date <= date_to) & (
            (learner.completion_date == Null)
            | (learner.completion_date > date_to)) & (
            (learner.leave_date == Null) | (learner.leave_date > date_to))
        where = filter_companies(enrolled | completed | left | studying,
            learner.company, company, companies)
        sums = {
            'enrolled': Sum(Case((enrolled, one), else_=zero)),
            'completed': Sum(Case((completed, one), else_=zero)),
            'left': Sum(Case((left, one), else_=zero)),
            'studying': Sum(Case((studying, one), else_=zero)),
            }
        finished = sums['completed'] + sums['left']
        rate = Case((finished > 0,
                sums['completed'] * Literal(100.0) / finished),
            else_=Null)
        dims = [learner.company, program.kind, learner.funding]
        columns = record_columns(RowNumber(window=Window([], order_by=dims))
            ) if with_ids else []
        return learner.join(cohort, condition=cohort.id == learner.cohort
            ).join(program, condition=program.id == cohort.program
            ).select(*columns,
                learner.company.as_('company'),
                program.kind.as_('program_kind'),
                learner.funding.as_('funding'),
                *[s.as_(n) for n, s in sums.items()],
                rate.as_('completion_rate'),
                where=where, group_by=dims)


class QuotaReport(ReportQueryMixin, SelectionLabelMixin, ModelSQL,
        ModelView):
    "Federal Project Seats"
    __name__ = 'copp.training.quota.report'
    __string__ = "Federal Project Seats"

    company = fields.Many2One('company.company', "Organization",
        readonly=True)
    program = fields.Many2One('copp.program', "Programme", readonly=True)
    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        readonly=True)
    start_date = fields.Date("Start Date", readonly=True)
    federal_project = fields.Selection(FEDERAL_PROJECTS, "Federal Project",
        readonly=True)
    federal_project_label = selection_label("Federal Project")
    federal_seats = fields.Integer("Federal Seats", readonly=True)
    used = fields.Integer("Used", readonly=True,
        help="Applications on federal seats at «договор / направление» or "
        "enrolled.")
    remaining = fields.Integer("Remaining", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('start_date', 'DESC'), ('id', 'ASC')]

    @classmethod
    def report_query(cls, date_from, date_to, company=None, companies=None,
            with_ids=True):
        "The cohorts with federal seats starting in the period"
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        cohort = Cohort.__table__()
        taken = Cohort.taken_query(federal=True)
        where = filter_companies((cohort.federal_seats > 0)
            & (cohort.start_date >= date_from)
            & (cohort.start_date <= date_to)
            & (cohort.state != 'cancelled'),
            cohort.company, company, companies)
        used = Coalesce(taken.taken, 0)
        columns = record_columns(cohort.id) if with_ids else []
        return cohort.join(taken, 'LEFT',
            condition=taken.cohort == cohort.id).select(*columns,
                cohort.company.as_('company'),
                cohort.program.as_('program'),
                cohort.id.as_('cohort'),
                cohort.start_date.as_('start_date'),
                cohort.federal_project.as_('federal_project'),
                cohort.federal_seats.as_('federal_seats'),
                used.as_('used'),
                (cohort.federal_seats - used).as_('remaining'),
                where=where)


