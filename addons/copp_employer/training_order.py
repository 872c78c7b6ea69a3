import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction, without_check_access

from copp.labels import SelectionLabelMixin, selection_label
from copp_portal import mail

from .exceptions import (
    StageLogModificationError, TrainingOrderError,
    TrainingOrderValidationError)

STATES = [
    ('new', "New"),
    ('review', "Under Review"),
    ('accepted', "Accepted"),
    ('training', "In Training"),
    ('completed', "Completed"),
    ('declined', "Declined"),
    ]
# The path an order normally follows (for the portal's progress bar).
STAGE_PATH = ['new', 'review', 'accepted', 'training', 'completed']
EDITABLE_STATES = {'new'}


class TrainingOrder(SelectionLabelMixin, Workflow, ModelSQL, ModelView):
    """Training order (заказ на подготовку)

    An employer asks the colleges and the ЦОПП to train people: a specialty
    or a program, how many, by when. The ЦОПП reviews it, accepts it and
    assigns the college that trains; every change of stage is recorded with
    who and when."""
    __name__ = 'copp.training.order'
    __string__ = "Training Order"
    _history = True
    _rec_name = 'number'

    _new = {'readonly': Eval('state') != 'new'}

    number = fields.Char("Number", readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    employer = fields.Many2One('copp.employer', "Employer", required=True,
        ondelete='RESTRICT', states=_new)
    specialty = fields.Many2One('copp.specialty', "Specialty or Profession",
        ondelete='RESTRICT', states=_new)
    program = fields.Many2One('copp.program', "Program",
        ondelete='RESTRICT', states=_new,
        help="A program of the ЦОПП catalog (retraining, advanced "
        "training…).")
    quantity = fields.Integer("Number of People", required=True, states=_new,
        domain=[('quantity', '>', 0)])
    deadline = fields.Date("Deadline", required=True, states=_new,
        help="When the trained people are needed.")
    comment = fields.Text("Comment", states=_new,
        help="Requirements to the training, the workplace, conditions.")
    contact = fields.Many2One('copp.employer.contact', "Contact Person",
        ondelete='SET NULL', states=_new,
        domain=[('employer', '=', Eval('employer', -1))])
    college = fields.Many2One('company.company', "Executor College",
        ondelete='RESTRICT',
        states={
            'readonly': Eval('state').in_(['completed', 'declined']),
            'required': Eval('state').in_(['training', 'completed']),
            },
        help="The college (or the ЦОПП) that trains the people.")
    decline_reason = fields.Text("Reason for Declining",
        states={
            'invisible': ~Eval('state').in_(['new', 'review', 'accepted',
                    'declined']),
            'readonly': Eval('state') == 'declined',
            })
    stage_logs = fields.One2Many('copp.training.order.stage_log', 'order',
        "Stage History", readonly=True)
    stage_date = fields.Function(fields.DateTime("Stage Since"),
        'get_stage_date')
    state = fields.Selection(STATES, "Stage", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    state_label = selection_label("Stage")
    count = fields.Function(fields.Integer("Count",
            help="1 for every order: graphs sum it."), 'get_count')

    del _new

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.employer, Index.Range()),
                    (t.date, Index.Range(order='DESC'))),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.college, Index.Range())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('new', 'review'),
            ('new', 'declined'),
            ('review', 'accepted'),
            ('review', 'declined'),
            ('accepted', 'training'),
            ('accepted', 'declined'),
            ('training', 'completed'),
            }
        cls._buttons.update({
                'review': {
                    'invisible': Eval('state') != 'new',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': Eval('state') != 'review',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'start_training': {
                    'invisible': Eval('state') != 'accepted',
                    'readonly': ~Bool(Eval('college')),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'college'],
                    },
                'complete': {
                    'invisible': Eval('state') != 'training',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'decline': {
                    'invisible': ~Eval('state').in_(
                        ['new', 'review', 'accepted']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'new'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_quantity(cls):
        return 1

    def get_count(self, name):
        return 1

    def get_rec_name(self, name):
        return self.number or str(self.id)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('employer.rec_name', operator, operand, *extra),
            ]

    @property
    def subject(self):
        "What is ordered: the program or the specialty"
        if self.program:
            return self.program.name
        if self.specialty:
            return self.specialty.rec_name
        return ''

    @property
    def editable(self):
        return self.state in EDITABLE_STATES

    @classmethod
    def get_stage_date(cls, orders, name):
        pool = Pool()
        Log = pool.get('copp.training.order.stage_log')
        result = {o.id: None for o in orders}
        for log in Log.search([('order', 'in', [o.id for o in orders])],
                order=[('date', 'ASC'), ('id', 'ASC')]):
            result[log.order.id] = log.date
        return result

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('state') == 'declined', 'danger',
                    If(Eval('state') == 'completed', 'success',
                        If(Eval('state') == 'new', 'warning', '')))),
            ]

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            sequence = Sequence(ModelData.get_id(
                    'copp_employer', 'sequence_training_order'))
            values['number'] = sequence.get()
        return values

    @classmethod
    def create(cls, vlist):
        orders = super().create(vlist)
        cls._log_stage(orders, 'new', initial=True)
        return orders

    @classmethod
    def validate_fields(cls, orders, field_names):
        super().validate_fields(orders, field_names)
        for order in orders:
            if not order.specialty and not order.program:
                raise TrainingOrderValidationError(gettext(
                        'copp_employer.msg_order_subject_required',
                        order=order.rec_name))
            if order.contact and order.contact.employer != order.employer:
                raise TrainingOrderValidationError(gettext(
                        'copp_employer.msg_order_contact',
                        order=order.rec_name))

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'delete':
            for order in orders:
                if order.state != 'new':
                    raise TrainingOrderError(gettext(
                            'copp_employer.msg_order_delete',
                            order=order.rec_name))

    # Stages ------------------------------------------------------------
    @classmethod
    def _log_stage(cls, orders, to_state, comment=None, initial=False):
        "Record who moved `orders` to `to_state` and when"
        pool = Pool()
        Log = pool.get('copp.training.order.stage_log')
        transaction = Transaction()
        user = transaction.user or None
        portal_user = transaction.context.get('portal_user')
        now = dt.datetime.now()
        # Only the workflow writes the stage history (users may not).
        with without_check_access():
            Log.create([{
                        'order': order.id,
                        'from_state': None if initial else order.state,
                        'to_state': to_state,
                        'date': now,
                        'user': user,
                        'portal_user': portal_user,
                        'comment': comment,
                        } for order in orders])
        if not initial and not portal_user:
            for order in orders:
                order.notify_stage(to_state)

    def notify_stage(self, to_state):
        "Tell the employer's portal users that the stage changed"
        pool = Pool()
        Order = pool.get('copp.training.order')
        stage = dict(Order.fields_get(['state'])['state']['selection'])[
            to_state]
        for user in self.employer.get_portal_users():
            if not user.active or not user.email_valid:
                continue
            mail.send(user.email, gettext(
                    'copp_employer.msg_email_order_stage_subject',
                    number=self.number, stage=stage),
                'order_stage', name=user.name, user=user, order=self,
                stage=stage, to_state=to_state, link=mail.portal_url(
                    f'/partner/orders/{self.id}'), origin=user)

    @classmethod
    @ModelView.button
    @Workflow.transition('review')
    def review(cls, orders):
        cls._log_stage(orders, 'review')

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, orders):
        cls._log_stage(orders, 'accepted')

    @classmethod
    @ModelView.button
    @Workflow.transition('training')
    def start_training(cls, orders):
        for order in orders:
            if not order.college:
                raise TrainingOrderError(gettext(
                        'copp_employer.msg_order_college_required',
                        order=order.rec_name))
        cls._log_stage(orders, 'training')

    @classmethod
    @ModelView.button
    @Workflow.transition('completed')
    def complete(cls, orders):
        cls._log_stage(orders, 'completed')

    @classmethod
    @ModelView.button
    @Workflow.transition('declined')
    def decline(cls, orders):
        for order in orders:
            if not (order.decline_reason or '').strip():
                raise TrainingOrderError(gettext(
                        'copp_employer.msg_order_decline_reason',
                        order=order.rec_name))
        for order in orders:
            cls._log_stage([order], 'declined',
                comment=order.decline_reason[:250])

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', None)
        default.setdefault('date', None)
        default.setdefault('state', 'new')
        default.setdefault('stage_logs', None)
        default.setdefault('college', None)
        default.setdefault('decline_reason', None)
        return super().copy(orders, default=default)


class StageLog(ModelSQL, ModelView):
    "Change of stage of a training order"
    __name__ = 'copp.training.order.stage_log'
    __string__ = "Training Order Stage Change"

    order = fields.Many2One('copp.training.order', "Order", required=True,
        ondelete='CASCADE', readonly=True)
    from_state = fields.Selection([(None, "")] + STATES, "From Stage",
        readonly=True)
    to_state = fields.Selection(STATES, "To Stage", required=True,
        readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True,
        ondelete='SET NULL', help="The back-office user who changed it.")
    portal_user = fields.Many2One('web.user', "Portal User",
        readonly=True, ondelete='SET NULL',
        help="The employer's portal user who changed it.")
    comment = fields.Char("Comment", readonly=True)
    author = fields.Function(fields.Char("Changed By"), 'get_author')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.order, Index.Range()),
                (t.date, Index.Range())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    def get_author(self, name):
        if self.portal_user:
            return self.portal_user.name
        if self.user:
            return self.user.name
        return ''

    @classmethod
    def check_modification(cls, mode, logs, values=None, external=False):
        super().check_modification(
            mode, logs, values=values, external=external)
        if mode == 'write' or (mode in {'create', 'delete'} and external):
            raise StageLogModificationError(gettext(
                    'copp_employer.msg_stage_log_readonly'))
