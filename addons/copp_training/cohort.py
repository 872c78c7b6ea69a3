"""Cohorts (потоки) of a programme: when and where it runs, how many
seats (and how many under a federal project), who teaches; its learners
are taught in the journal of copp_journal (cohort_journal.py) and enrolled
and completed by its orders (order.py)."""
import datetime as dt
from decimal import Decimal

from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from copp.labels import SelectionLabelMixin, selection_label
from copp.workflow import DraftCompanyMixin, state_button

from .exceptions import TrainingError, TrainingValidationError
from .program import FEDERAL_PROJECTS

STATES = [
    ('draft', "Draft"),
    ('open', "Enrolment Open"),
    ('running', "In Progress"),
    ('completed', "Completed"),
    ('cancelled', "Cancelled"),
    ]
# Stages of an application that hold a seat of the cohort.
SEAT_STAGES = ('agreement', 'enrolled')
# Stages of an application that hold a federal seat (the quota is checked
# when the application reaches «договор / направление»).
FEDERAL_STAGES = ('agreement', 'enrolled')


class Cohort(DraftCompanyMixin, SelectionLabelMixin, Workflow, ModelSQL,
        ModelView):
    "Cohort"
    __name__ = 'copp.training.cohort'
    __string__ = "Cohort"

    _draft = {'readonly': ~Eval('state').in_(['draft', 'open'])}

    code = fields.Char("Code", readonly=True,
        help="Given at creation; also the name of the cohort's group in "
        "the journal.")
    name = fields.Char("Name", required=True, states=_draft)
    program = fields.Many2One('copp.program', "Programme", required=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        states={'readonly': Eval('id', -1) > 0})
    program_kind = fields.Function(fields.Selection('get_program_kinds',
            "Programme Kind"), 'on_change_with_program_kind',
        searcher='search_program_kind')
    company = fields.Many2One('company.company', "Organization",
        required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) > 0},
        help="The ЦОПП or the college that runs the cohort.")
    start_date = fields.Date("Start Date", required=True, states=_draft)
    end_date = fields.Date("End Date", required=True, states=_draft,
        domain=[If(Bool(Eval('start_date')),
                ('end_date', '>=', Eval('start_date')), ())])
    application_deadline = fields.Date("Applications Until", states=_draft,
        help="Empty: applications are taken while enrolment is open.")
    place = fields.Char("Place", states=_draft,
        help="The address or the venue of the lessons.")
    schedule_note = fields.Char("Schedule", states=_draft,
        help="E.g. «пн, ср 18:00–21:00».")
    seats = fields.Integer("Seats", required=True, states=_draft,
        domain=[('seats', '>', 0)])
    federal_project = fields.Selection(FEDERAL_PROJECTS, "Federal Project",
        states=_draft)
    federal_seats = fields.Integer("Federal Seats", states={
            'readonly': ~Eval('state').in_(['draft', 'open']),
            'invisible': ~Bool(Eval('federal_project')),
            },
        domain=[If(Bool(Eval('federal_seats')),
                [('federal_seats', '>=', 0),
                    ('federal_seats', '<=', Eval('seats', 0))], [])],
        help="Seats free of charge under the federal project.")
    price = fields.Numeric("Price", digits=(16, 2), states=_draft,
        help="Of a paid seat; empty for a free programme.")
    teachers = fields.Many2Many('copp.training.cohort-company.employee',
        'cohort', 'employee', "Teachers",
        domain=[('company', '=', Eval('company', -1))])
    employer = fields.Many2One('copp.employer', "Employer",
        ondelete='RESTRICT', states=_draft,
        help="A corporate cohort: only this employer's staff apply.")
    group = fields.Many2One('copp.study.group', "Journal Group",
        readonly=True, ondelete='RESTRICT',
        help="The group of the journal the cohort's learners are taught "
        "in.")
    curriculum = fields.Many2One('copp.journal.curriculum', "Curriculum",
        readonly=True, ondelete='RESTRICT',
        help="The modules of the programme as the journal teaches them.")
    timetable = fields.One2Many('copp.training.timetable', 'cohort',
        "Timetable", states={'readonly': Eval('state').in_(
                ['completed', 'cancelled'])})
    applications = fields.One2Many('copp.training.application', 'cohort',
        "Applications", readonly=True)
    learners = fields.One2Many('copp.training.learner', 'cohort',
        "Learners", readonly=True)
    orders = fields.One2Many('copp.training.cohort.order', 'cohort',
        "Orders", readonly=True)
    seats_taken = fields.Function(fields.Integer("Seats Taken"),
        'get_seats')
    free_seats = fields.Function(fields.Integer("Free Seats"), 'get_seats')
    federal_taken = fields.Function(fields.Integer("Federal Seats Taken"),
        'get_seats')
    enrolled_count = fields.Function(fields.Integer("Learners"),
        'get_seats')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_label = selection_label("State")

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.program, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.company, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.start_date, Index.Range())),
                })
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'draft'),
            ('open', 'running'),
            ('draft', 'running'),
            ('running', 'completed'),
            ('completed', 'running'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': state_button('tryton-undo', ['open', 'cancelled']),
                'open': state_button('tryton-forward', ['draft']),
                'start': state_button('tryton-launch', ['draft', 'open']),
                'complete': state_button('tryton-ok', ['running']),
                'reopen': state_button('tryton-undo', ['completed']),
                'cancel': state_button('tryton-cancel', ['draft', 'open']),
                'prepare_journal': state_button('tryton-refresh',
                    hidden_in=['completed', 'cancelled']),
                'generate_lessons': state_button('tryton-launch',
                    ['open', 'running'], readonly=~Bool(Eval('group')),
                    depends=['group']),
                })

    @classmethod
    def default_federal_seats(cls):
        return 0

    @classmethod
    def get_program_kinds(cls):
        pool = Pool()
        Program = pool.get('copp.program')
        return Program.fields_get(['kind'])['kind']['selection']

    @fields.depends('program')
    def on_change_with_program_kind(self, name=None):
        if self.program:
            return self.program.kind

    @classmethod
    def search_program_kind(cls, name, clause):
        return [('program.kind',) + tuple(clause[1:])]

    @fields.depends('program', 'company', 'name', 'price', 'federal_project',
        'start_date')
    def on_change_program(self):
        if not self.program:
            return
        self.company = self.program.company
        if not self.price and not self.program.free:
            self.price = self.program.price
        if not self.federal_project:
            self.federal_project = self.program.federal_project
        if not self.name:
            self.name = self.program.name

    def get_rec_name(self, name):
        start = self.start_date.strftime('%d.%m.%Y') if self.start_date \
            else ''
        return gettext('copp_training.msg_cohort_rec_name',
            code=self.code or '', name=self.name or '', start=start)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ('program.name', operator, operand, *extra),
            ]

    # Seats -----------------------------------------------------------------

    @classmethod
    def taken_query(cls, federal=False):
        """python-sql query of (cohort, taken): the applications holding a
        seat of each cohort (or a federal seat), to join in reports and
        the catalogue"""
        pool = Pool()
        Application = pool.get('copp.training.application')
        application = Application.__table__()
        where = application.state.in_(
            list(FEDERAL_STAGES if federal else SEAT_STAGES))
        if federal:
            where &= application.funding == 'federal'
        return application.select(application.cohort.as_('cohort'),
            Count(application.id).as_('taken'),
            where=where, group_by=[application.cohort])

    @classmethod
    def seats_taken(cls, cohort_ids, federal=False):
        "{cohort id: seats taken} in one query"
        cursor = Transaction().connection.cursor()
        ids = list({int(i) for i in cohort_ids})
        result = {i: 0 for i in ids}
        if not ids:
            return result
        query = cls.taken_query(federal=federal)
        for start in range(0, len(ids), 1000):
            sub_ids = ids[start:start + 1000]
            cursor.execute(*query.select(query.cohort, query.taken,
                    where=query.cohort.in_(sub_ids)))
            result.update({c: int(t) for c, t in cursor})
        return result

    @classmethod
    def get_seats(cls, cohorts, names):
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        ids = [c.id for c in cohorts]
        taken = cls.seats_taken(ids)
        result = {n: {} for n in names}
        if 'federal_taken' in names:
            federal = cls.seats_taken(ids, federal=True)
            result['federal_taken'] = {i: federal[i] for i in ids}
        if 'enrolled_count' in names:
            learner = Learner.__table__()
            cursor = Transaction().connection.cursor()
            counts = {i: 0 for i in ids}
            for start in range(0, len(ids), 1000):
                cursor.execute(*learner.select(learner.cohort,
                        Count(learner.id),
                        where=learner.cohort.in_(ids[start:start + 1000])
                        & (learner.state != 'left'),
                        group_by=[learner.cohort]))
                counts.update({c: int(n) for c, n in cursor})
            result['enrolled_count'] = counts
        for cohort in cohorts:
            if 'seats_taken' in names:
                result['seats_taken'][cohort.id] = taken[cohort.id]
            if 'free_seats' in names:
                result['free_seats'][cohort.id] = max(
                    (cohort.seats or 0) - taken[cohort.id], 0)
        return result

    def accepts_applications(self, date=None):
        "Whether the public may apply now"
        if self.state != 'open':
            return False
        date = date or Pool().get('ir.date').today()
        return not self.application_deadline or (
            self.application_deadline >= date)

    # Validation and workflow ----------------------------------------------

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('code'):
            date = values.get('start_date') or pool.get('ir.date').today()
            with Transaction().set_context(date=date):
                values['code'] = Sequence(ModelData.get_id(
                        'copp_training', 'sequence_cohort')).get()
        return values

    @classmethod
    def validate_fields(cls, cohorts, field_names):
        super().validate_fields(cohorts, field_names)
        for cohort in cohorts:
            if cohort.program and cohort.program.company != cohort.company:
                raise TrainingValidationError(gettext(
                        'copp_training.msg_cohort_program_company',
                        cohort=cohort.rec_name,
                        program=cohort.program.rec_name))
            if cohort.price is not None and Decimal(
                    str(cohort.price)) < 0:
                raise TrainingValidationError(gettext(
                        'copp_training.msg_cohort_price',
                        cohort=cohort.rec_name))
            if (cohort.federal_seats or 0) > (cohort.seats or 0):
                raise TrainingValidationError(gettext(
                        'copp_training.msg_cohort_federal_seats',
                        cohort=cohort.rec_name, federal=cohort.federal_seats,
                        seats=cohort.seats))

    @classmethod
    def check_modification(cls, mode, cohorts, values=None, external=False):
        super().check_modification(
            mode, cohorts, values=values, external=external)
        if mode == 'delete':
            for cohort in cohorts:
                if cohort.state != 'draft' or cohort.applications:
                    raise TrainingError(gettext(
                            'copp_training.msg_cohort_delete',
                            cohort=cohort.rec_name))

    @classmethod
    def copy(cls, cohorts, default=None):
        default = default.copy() if default else {}
        for name in ['code', 'group', 'curriculum', 'applications',
                'learners', 'orders']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        return super().copy(cohorts, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, cohorts):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for cohort in cohorts:
            if cohort.program.state != 'published':
                raise TrainingError(gettext(
                        'copp_training.msg_cohort_program_not_published',
                        cohort=cohort.rec_name,
                        program=cohort.program.rec_name))
            if cohort.end_date < today:
                raise TrainingError(gettext(
                        'copp_training.msg_cohort_open_past',
                        cohort=cohort.rec_name))
            if not cohort.program.free and not cohort.price:
                raise TrainingError(gettext(
                        'copp_training.msg_cohort_price_required',
                        cohort=cohort.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def start(cls, cohorts):
        cls.prepare_journal(cohorts)

    @classmethod
    @ModelView.button
    @Workflow.transition('completed')
    def complete(cls, cohorts):
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        studying = Learner.search([
                ('cohort', 'in', [c.id for c in cohorts]),
                ('state', '=', 'studying'),
                ], limit=1)
        if studying:
            raise TrainingError(gettext(
                    'copp_training.msg_cohort_complete_studying',
                    cohort=studying[0].cohort.rec_name,
                    learner=studying[0].rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def reopen(cls, cohorts):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, cohorts):
        pool = Pool()
        Application = pool.get('copp.training.application')
        active = Application.search([
                ('cohort', 'in', [c.id for c in cohorts]),
                ('state', 'in', ['agreement', 'enrolled']),
                ], limit=1)
        if active:
            raise TrainingError(gettext(
                    'copp_training.msg_cohort_cancel_applications',
                    cohort=active[0].cohort.rec_name,
                    application=active[0].rec_name))

    @classmethod
    @ModelView.button
    def prepare_journal(cls, cohorts):
        "The group, the curriculum and the teaching loads of the journal"
        from .cohort_journal import prepare_journal
        for cohort in cohorts:
            prepare_journal(cohort)

    @classmethod
    @ModelView.button
    def generate_lessons(cls, cohorts):
        "The lessons of the timetable over the cohort's dates"
        from .cohort_journal import generate_lessons
        for cohort in cohorts:
            generate_lessons(cohort)


class CohortTeacher(ModelSQL):
    "Teacher of a Cohort"
    __name__ = 'copp.training.cohort-company.employee'
    __string__ = "Teacher of a Cohort"

    cohort = fields.Many2One('copp.training.cohort', "Cohort", required=True,
        ondelete='CASCADE')
    employee = fields.Many2One('company.employee', "Teacher", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('cohort')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.cohort, Index.Range())),
                Index(t, (t.employee, Index.Range())),
                })


def period_text(start, end):
    "«01.03.2026 – 30.04.2026»"
    def fmt(value):
        return value.strftime('%d.%m.%Y') if isinstance(value, dt.date) \
            else ''
    return f'{fmt(start)} – {fmt(end)}'
