"""The wizard «перевод на следующий курс»: whole groups of a college to
the next course, and the final year graduated, in one order."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import (
    ModelView, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import OrderError
from .study_group import MAX_COURSE, next_course_name


class CourseTransferStart(ModelView):
    "Transfer to the next course"
    __name__ = 'copp.contingent.course_transfer.start'

    company = fields.Many2One('company.company', "College", required=True)
    date = fields.Date("Order Date", required=True)
    effective_date = fields.Date("Effective Date", required=True)
    graduation_date = fields.Date("Graduation Date",
        states={'required': Bool(Eval('graduating_groups'))},
        help="The effective date of the graduation of the final-year groups.")
    rename = fields.Boolean("Rename Groups",
        help="Put the new course in the names: «ИСП-11» → «ИСП-21».")
    groups = fields.Many2Many('copp.study.group', None, None,
        "Groups to Transfer",
        domain=[('company', '=', Eval('company', -1)),
            ('active', '=', True)])
    graduating_groups = fields.Many2Many('copp.study.group', None, None,
        "Groups to Graduate",
        domain=[('company', '=', Eval('company', -1)),
            ('active', '=', True)])


class CourseTransfer(Wizard):
    """Transfer whole groups to the next course (and graduate the final
    year) at the end of the academic year"""
    __name__ = 'copp.contingent.course_transfer'

    start = StateView('copp.contingent.course_transfer.start',
        'copp_contingent.course_transfer_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Drafts", 'create_drafts', 'tryton-save'),
            Button("Create and Sign", 'create_signed', 'tryton-ok',
                default=True),
            ])
    create_drafts = StateTransition()
    create_signed = StateTransition()
    open_ = StateAction('copp_contingent.act_order')

    def default_start(self, fields):
        pool = Pool()
        Group = pool.get('copp.study.group')
        AcademicYear = pool.get('copp.academic.year')
        Date = pool.get('ir.date')
        context = Transaction().context
        today = Date.today()
        starting = AcademicYear.starting_year(today)
        # At the end of the academic year: effective on 1 September.
        effective = dt.date(starting + 1, 9, 1)
        graduation = dt.date(starting + 1, 6, 30)
        if context.get('active_model') == 'copp.study.group':
            groups = Group.browse(context.get('active_ids') or [])
            company = groups[0].company.id if groups else context.get(
                'company')
        else:
            company = context.get('company')
            groups = Group.search([
                    ('company', '=', company),
                    ('active', '=', True),
                    ('students', '!=', None),
                    ]) if company else []
        transfer, graduate = [], []
        for group in groups:
            if group.graduation_year and group.graduation_year <= (
                    starting + 1):
                graduate.append(group.id)
            else:
                transfer.append(group.id)
        return {
            'company': company,
            'date': today,
            'effective_date': effective,
            'graduation_date': graduation,
            'rename': True,
            'groups': transfer,
            'graduating_groups': graduate,
            }

    def transition_create_drafts(self):
        self.order_ids = [o.id for o in self._create_orders()]
        return 'open_'

    def transition_create_signed(self):
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        orders = self._create_orders()
        Order.sign(orders)
        self.order_ids = [o.id for o in orders]
        return 'open_'

    def _create_orders(self):
        pool = Pool()
        Order = pool.get('copp.contingent.order')
        start = self.start
        orders = []
        transfer = [g for g in start.groups
            if g not in start.graduating_groups]
        if transfer:
            order = Order(company=start.company, kind='course_transfer',
                date=start.date, effective_date=start.effective_date)
            order.groups = [{
                    'group': g.id, 'from_name': g.name,
                    'from_course': g.course,
                    'to_course': min(MAX_COURSE, g.course + 1),
                    'to_name': (next_course_name(g.name, g.course)
                        if start.rename else g.name),
                    } for g in transfer]
            order.lines = [{
                    'student': s.id, 'from_group': g.id,
                    'from_course': s.course, 'from_state': s.state,
                    'from_funding': s.funding,
                    'to_group': g.id,
                    'to_course': min(MAX_COURSE, (s.course or g.course) + 1),
                    } for g in transfer for s in g.students
                if s.state == 'studying']
            orders.append(order)
        if start.graduating_groups:
            order = Order(company=start.company, kind='expulsion',
                date=start.date, effective_date=start.graduation_date)
            order.lines = [{
                    'student': s.id, 'from_group': g.id,
                    'from_course': s.course, 'from_state': s.state,
                    'expulsion_reason': 'graduation',
                    } for g in start.graduating_groups for s in g.students
                if s.state == 'studying']
            orders.append(order)
        orders = [o for o in orders if o.lines]
        if not orders:
            raise OrderError(gettext(
                    'copp_contingent.msg_course_transfer_nothing'))
        Order.save(orders)
        return orders

    def do_open_(self, action):
        action['domains'] = []
        return action, {'res_id': getattr(self, 'order_ids', [])}
