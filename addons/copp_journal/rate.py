"""Back-office views of the rates (list and graphs) by student, group,
college and the region, for the period chosen in the context."""
import datetime as dt

from sql import Literal
from sql.functions import CurrentTimestamp, RowNumber
from sql import Window

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from copp.company import context_college
from copp.labels import CollegeLabelMixin, college_label

from .rates import Filters, rates_query

PERIODS = [
    ('month', "Month"),
    ('term', "Term"),
    ('year', "Academic Year"),
    ('custom', "Dates"),
    ]
SOURCES = [
    ('current', "Current Marks"),
    ('final', "Grade Sheets"),
    ]


class RateContext(ModelView):
    "Rates"
    __name__ = 'copp.journal.rate.context'
    __string__ = "Rates"

    period = fields.Selection(PERIODS, "Period", required=True)
    date = fields.Date("Date", required=True,
        states={'invisible': Eval('period') == 'custom'},
        help="A day of the month, term or academic year.")
    date_from = fields.Date("From",
        states={'invisible': Eval('period') != 'custom',
            'required': Eval('period') == 'custom'})
    date_to = fields.Date("To",
        domain=[If(Eval('date_from') & Eval('date_to'),
                ('date_to', '>=', Eval('date_from')), ())],
        states={'invisible': Eval('period') != 'custom',
            'required': Eval('period') == 'custom'})
    source = fields.Selection(SOURCES, "Marks", required=True)
    company = fields.Many2One('company.company', "College",
        domain=[('institution_kind', '=', 'college')],
        help="Empty for every college you work with.")
    group = fields.Many2One('copp.study.group', "Group",
        domain=[If(Eval('company'), ('company', '=', Eval('company', -1)),
                ())])

    @classmethod
    def default_period(cls):
        return Transaction().context.get('period') or 'month'

    @classmethod
    def default_date(cls):
        return Transaction().context.get('date') or Pool().get(
            'ir.date').today()

    @classmethod
    def default_source(cls):
        return Transaction().context.get('source') or 'current'

    @classmethod
    def default_company(cls):
        return context_college()


def context_filters():
    "(Filters, source) from the context of the rate views"
    pool = Pool()
    User = pool.get('res.user')
    from .rates import period_of
    context = Transaction().context
    period = context.get('period') or 'month'
    today = pool.get('ir.date').today()

    def as_date(value, default):
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        return value or default
    if period == 'custom':
        date_from = as_date(context.get('date_from'), today.replace(day=1))
        date_to = as_date(context.get('date_to'), today)
    else:
        date_from, date_to = period_of(period, as_date(context.get('date'),
                today))
    if Transaction().user:
        companies = list(User.get_companies())
    else:
        companies = None
    college = context_college()
    if college:
        companies = [c for c in (companies or [college]) if c == college]
    groups = [context['group']] if context.get('group') else None
    return Filters(date_from, date_to, companies=companies, groups=groups,
        today=today), context.get('source') or 'current'


class RateMixin:
    __slots__ = ()
    _level = None

    company = fields.Many2One('company.company', "College", readonly=True)
    students = fields.Integer("Students", readonly=True)
    assessed = fields.Integer("Assessed", readonly=True,
        help="Students with at least one result in the period.")
    successful = fields.Integer("Successful", readonly=True,
        help="Assessed students without 2, «не зачтено» or «неявка».")
    quality = fields.Integer("With 4 and 5", readonly=True)
    success_rate = fields.Float("Success Rate, %", digits=(5, 1),
        readonly=True)
    quality_rate = fields.Float("Quality Rate, %", digits=(5, 1),
        readonly=True)
    marks = fields.Integer("Marks", readonly=True)
    average = fields.Float("Average Mark", digits=(3, 2), readonly=True)
    planned_hours = fields.Integer("Planned Hours", readonly=True,
        help="Hours of the lessons held × the students taught.")
    missed_hours = fields.Integer("Missed Hours", readonly=True)
    excused_hours = fields.Integer("Excused", readonly=True)
    unexcused_hours = fields.Integer("Unexcused", readonly=True)
    attendance_rate = fields.Float("Attendance, %", digits=(5, 1),
        readonly=True)

    @classmethod
    def table_query(cls):
        filters, source = context_filters()
        query = rates_query(cls._level, filters, source=source)
        keys = {'student': ['company', 'group', 'student'],
            'group': ['company', 'group'], 'college': ['company'],
            'region': []}[cls._level]
        columns = [getattr(query, c) for c in keys]
        window = Window([], order_by=columns or [query.students])
        measures = ['students', 'assessed', 'successful', 'quality',
            'marks', 'planned_hours', 'missed_hours', 'excused_hours',
            'unexcused_hours', 'success_rate', 'quality_rate', 'average',
            'attendance_rate']
        extra = [] if 'company' in keys else [Literal(None).as_('company')]
        return query.select(
            RowNumber(window=window).as_('id'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            *[getattr(query, c).as_(c) for c in keys], *extra,
            *[getattr(query, m).as_(m) for m in measures])


class RateStudent(RateMixin, ModelSQL, ModelView):
    "Rates by Student"
    __name__ = 'copp.journal.rate.student'
    __string__ = "Rates by Student"
    _level = 'student'

    group = fields.Many2One('copp.study.group', "Group", readonly=True)
    student = fields.Many2One('copp.student', "Student", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('group', 'ASC'), ('student', 'ASC'), ('id', 'ASC')]


class RateGroup(CollegeLabelMixin, RateMixin, ModelSQL, ModelView):
    "Rates by Group"
    __name__ = 'copp.journal.rate.group'
    __string__ = "Rates by Group"
    _level = 'group'

    group = fields.Many2One('copp.study.group', "Group", readonly=True)
    group_label = college_label("Group")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('group', 'ASC'), ('id', 'ASC')]


class RateCollege(RateMixin, ModelSQL, ModelView):
    "Rates by College"
    __name__ = 'copp.journal.rate.college'
    __string__ = "Rates by College"
    _level = 'college'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('company', 'ASC'), ('id', 'ASC')]


class RateRegion(RateMixin, ModelSQL, ModelView):
    "Rates of the Region"
    __name__ = 'copp.journal.rate.region'
    __string__ = "Rates of the Region"
    _level = 'region'
