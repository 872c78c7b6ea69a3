"""Orders of a cohort (приказы по потоку): enrolment of the applications
at «договор / направление», completion of the learners who passed the
final attestation (their documents on qualification are drafted), and
expulsion of those who leave (a справка об обучении is drafted). Numbered
in the register of the organization's orders of the year when signed
(«12-по»); only a signed order moves applications and learners."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from copp.labels import SelectionLabelMixin, selection_label

from .exceptions import OrderError

KINDS = [
    ('enrolment', "Enrolment"),
    ('completion', "Completion"),
    ('expulsion', "Expulsion"),
    ]
STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ]


class CohortOrder(SelectionLabelMixin, Workflow, ModelSQL, ModelView):
    "Order of a Cohort"
    __name__ = 'copp.training.cohort.order'
    __string__ = "Order of a Cohort"

    _draft = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "Organization",
        required=True, readonly=True, ondelete='RESTRICT')
    cohort = fields.Many2One('copp.training.cohort', "Cohort", required=True,
        ondelete='RESTRICT', states={
            'readonly': (Eval('state') != 'draft') | Bool(Eval('lines', [0])),
            })
    kind = fields.Selection(KINDS, "Kind", required=True, states={
            'readonly': (Eval('state') != 'draft') | Bool(Eval('lines', [0])),
            })
    kind_label = selection_label("Kind")
    number = fields.Char("Number", readonly=True)
    date = fields.Date("Date", required=True, states=_draft)
    lines = fields.One2Many('copp.training.cohort.order.line', 'order',
        "Lines", states=_draft)
    signed_by = fields.Many2One('res.user', "Signed By", readonly=True,
        ondelete='SET NULL')
    note = fields.Text("Note", states=_draft)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.cohort, Index.Range()),
                    (t.kind, Index.Equality(cardinality='low'))),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                })
        cls._transitions |= {('draft', 'signed')}
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('cohort', 'company')
    def on_change_cohort(self):
        if self.cohort:
            self.company = self.cohort.company

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and values.get('cohort'):
            values['company'] = Cohort(values['cohort']).company.id
        return values

    def get_rec_name(self, name):
        return gettext('copp_training.msg_order_rec_name',
            kind=self.kind_label or '', number=self.number or '—',
            date=self.date.strftime('%d.%m.%Y') if self.date else '')

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode in {'write', 'delete'}:
            for order in orders:
                if order.state != 'draft' and (mode == 'delete' or set(
                            values or {}) - {'state', 'number',
                            'signed_by'}):
                    raise OrderError(gettext(
                            'copp_training.msg_order_signed',
                            order=order.rec_name))

    @classmethod
    def draft_order(cls, cohort, kind):
        "The cohort's draft order of the kind (made when there is none)"
        orders = cls.search([
                ('cohort', '=', cohort.id),
                ('kind', '=', kind),
                ('state', '=', 'draft'),
                ], order=[('id', 'DESC')], limit=1)
        if orders:
            return orders[0]
        order, = cls.create([{'cohort': cohort.id, 'kind': kind}])
        return order

    @classmethod
    def enrol_applications(cls, applications):
        "Add applications to their cohorts' draft enrolment orders"
        pool = Pool()
        Line = pool.get('copp.training.cohort.order.line')
        Application = pool.get('copp.training.application')
        for application in applications:
            order = cls.draft_order(application.cohort, 'enrolment')
            if not any(l.application == application for l in order.lines):
                Line.create([{'order': order.id,
                            'application': application.id}])
            Application.write([application], {'order': order.id})

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, orders):
        pool = Pool()
        Numbering = pool.get('copp.training.numbering')
        for order in orders:
            if not order.lines:
                raise OrderError(gettext('copp_training.msg_order_empty',
                        order=order.rec_name))
            order.check_lines()
        for order in orders:
            number, = Numbering.take(order.company, 'order', order.date)
            cls.write([order], {
                    'number': number,
                    'signed_by': Transaction().user or None,
                    })
            order = cls(order.id)
            getattr(order, f'_apply_{order.kind}')()

    def check_lines(self):
        for line in self.lines:
            line.check_for(self)

    def _apply_enrolment(self):
        "Learners from the applications; their files study in the group"
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        Cohort = pool.get('copp.training.cohort')
        cohort = self.cohort
        if not cohort.group:
            Cohort.prepare_journal([cohort])
            cohort = Cohort(cohort.id)
        values = []
        for line in self.lines:
            application = line.application
            values.append({
                    'company': self.company.id,
                    'cohort': cohort.id,
                    'application': application.id,
                    'student': application.student.id,
                    'party': application.party.id,
                    'funding': application.funding,
                    'enrolment_date': self.date,
                    })
        with without_check_access():
            learners = Learner.create(values)
        set_students(learners, 'studying', cohort.group)
        for line, learner in zip(self.lines, learners):
            line.__class__.write([line], {'learner': learner.id})
            line.application.enrol(self, learner)

    def _apply_completion(self):
        "The learners complete; their documents are drafted"
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        Document = pool.get('copp.training.document')
        learners = [l.learner for l in self.lines]
        with without_check_access():
            Learner.write(learners, {
                    'state': 'completed', 'completion_date': self.date})
        set_students(learners, 'graduated')
        Document.draft_for(learners, self)

    def _apply_expulsion(self):
        "The learners leave; a справка об обучении is drafted"
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        Document = pool.get('copp.training.document')
        with without_check_access():
            for line in self.lines:
                Learner.write([line.learner], {
                        'state': 'left', 'leave_date': self.date,
                        'leave_reason': line.reason})
        learners = [l.learner for l in self.lines]
        set_students(learners, 'expelled')
        Document.draft_for(learners, self, kind='study_certificate')


def set_students(learners, state, group=None):
    """Move the learners' files (copp.student of the cohort): they are not
    the college's contingent, so no contingent movement; written as the
    contingent's orders write their snapshot"""
    pool = Pool()
    Student = pool.get('copp.student')
    from copp_contingent.student import APPLY_CONTEXT
    values = {'state': state}
    if group is not None:
        values['group'] = group.id
        values['course'] = 1
    students = [l.student for l in learners]
    with Transaction().set_context(**{APPLY_CONTEXT: True}), \
            without_check_access():
        Student.write(students, values)


class CohortOrderLine(ModelSQL, ModelView):
    "Line of an Order of a Cohort"
    __name__ = 'copp.training.cohort.order.line'
    __string__ = "Line of an Order of a Cohort"

    order = fields.Many2One('copp.training.cohort.order', "Order",
        required=True, ondelete='CASCADE')
    kind = fields.Function(fields.Selection(KINDS, "Kind"),
        'on_change_with_kind')
    cohort = fields.Function(fields.Many2One('copp.training.cohort',
            "Cohort"), 'on_change_with_cohort')
    application = fields.Many2One('copp.training.application',
        "Application", ondelete='RESTRICT',
        domain=[
            ('cohort', '=', Eval('cohort', -1)),
            ('state', '=', 'agreement'),
            ],
        states={
            'invisible': Eval('kind') != 'enrolment',
            'required': Eval('kind') == 'enrolment',
            })
    learner = fields.Many2One('copp.training.learner', "Learner",
        ondelete='RESTRICT',
        domain=[('cohort', '=', Eval('cohort', -1))],
        states={
            'readonly': Eval('kind') == 'enrolment',
            'required': Eval('kind').in_(['completion', 'expulsion']),
            })
    reason = fields.Char("Reason", states={
            'invisible': Eval('kind') != 'expulsion',
            'required': Eval('kind') == 'expulsion',
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.order, Index.Range())),
                Index(t, (t.application, Index.Range())),
                Index(t, (t.learner, Index.Range())),
                })

    @fields.depends('order', '_parent_order.kind')
    def on_change_with_kind(self, name=None):
        if self.order:
            return self.order.kind

    @fields.depends('order', '_parent_order.cohort')
    def on_change_with_cohort(self, name=None):
        if self.order and self.order.cohort:
            return self.order.cohort.id

    def get_rec_name(self, name):
        record = self.application or self.learner
        return record.rec_name if record else ''

    def check_for(self, order):
        "Refuse a line the signed order could not apply"
        name = self.get_rec_name(None)
        if order.kind == 'enrolment':
            application = self.application
            if not application or application.state != 'agreement' or (
                    application.cohort != order.cohort):
                raise OrderError(gettext(
                        'copp_training.msg_order_line_application',
                        order=order.rec_name, line=name))
            if application.contract and (
                    application.contract.state != 'signed'):
                raise OrderError(gettext(
                        'copp_training.msg_order_contract_unsigned',
                        order=order.rec_name, line=name,
                        contract=application.contract.rec_name))
        else:
            learner = self.learner
            if not learner or learner.state != 'studying' or (
                    learner.cohort != order.cohort):
                raise OrderError(gettext(
                        'copp_training.msg_order_line_learner',
                        order=order.rec_name, line=name))
            if order.kind == 'completion' and not learner.passed:
                raise OrderError(gettext(
                        'copp_training.msg_order_not_passed',
                        order=order.rec_name, line=name))
