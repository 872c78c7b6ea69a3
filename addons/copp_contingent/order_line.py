"Lines of a movement order: one student's movement each."

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import OrderError
from .movement import EXPULSION_REASONS, LEAVE_REASONS
from .student import FUNDINGS, STATES
from .study_group import ACTIVE_STATES, MAX_COURSE
from .order import (
    ALLOWED_BEFORE, LINE_CONTEXT, ORDER_KINDS, ORDER_STATES)


class OrderLine(ModelSQL, ModelView):
    "Contingent order line"
    __name__ = 'copp.contingent.order.line'

    # A new line of a new order may not know its order's state yet: only a
    # signed or cancelled order makes its lines readonly.
    _readonly = {'readonly': Eval('order_state', 'draft').in_(
            ['signed', 'cancelled'])}

    order = fields.Many2One('copp.contingent.order', "Order", required=True,
        ondelete='CASCADE', states=_readonly)
    order_kind = fields.Function(fields.Selection(ORDER_KINDS, "Kind"),
        'on_change_with_order_kind')
    order_state = fields.Function(fields.Selection(ORDER_STATES,
            "Order State"), 'on_change_with_order_state')
    company = fields.Function(fields.Many2One('company.company', "College"),
        'on_change_with_company')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT', states=_readonly,
        domain=[
            ('company', '=', Eval('company', -1)),
            If(Eval('order_kind') == 'enrolment',
                ('state', 'in', ['applicant', 'expelled', 'graduated']),
                If(Eval('order_kind') == 'reinstatement',
                    ('state', '=', 'expelled'),
                    If(Eval('order_kind') == 'leave_return',
                        ('state', '=', 'academic_leave'),
                        If(Eval('order_kind').in_(
                                ['academic_leave', 'course_transfer']),
                            ('state', '=', 'studying'),
                            ('state', 'in', list(ACTIVE_STATES)))))),
            ])
    from_group = fields.Many2One('copp.study.group', "From Group",
        readonly=True, ondelete='RESTRICT')
    from_course = fields.Integer("From Course", readonly=True)
    from_funding = fields.Selection([(None, "")] + FUNDINGS, "From Funding",
        readonly=True)
    from_state = fields.Selection([(None, "")] + STATES, "State Before",
        readonly=True)
    to_group = fields.Many2One('copp.study.group', "To Group",
        ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            If(~Eval('order_state', 'draft').in_(['signed', 'cancelled']),
                ('active', '=', True), ()),
            ],
        states={
            'readonly': _readonly['readonly'],
            'required': Eval('order_kind').in_(['enrolment', 'reinstatement']),
            'invisible': Eval('order_kind').in_(
                ['academic_leave', 'expulsion', 'course_transfer']),
            })
    to_group_name = fields.Char("Group Name", readonly=True,
        help="The name of the target group when the order was signed.")
    to_course = fields.Integer("To Course",
        domain=[If(Bool(Eval('to_course')),
                [('to_course', '>=', 1), ('to_course', '<=', MAX_COURSE)],
                [])],
        states={
            'readonly': _readonly['readonly'],
            'invisible': Eval('order_kind').in_(
                ['academic_leave', 'expulsion']),
            })
    to_funding = fields.Selection([(None, "")] + FUNDINGS, "To Funding",
        states={
            'readonly': _readonly['readonly'],
            'required': Eval('order_kind').in_(['enrolment', 'reinstatement']),
            'invisible': ~Eval('order_kind').in_(
                ['enrolment', 'reinstatement', 'transfer', 'leave_return']),
            })
    date = fields.Date("Effective Date", states=_readonly,
        help="Empty: the effective date of the order.")
    expulsion_reason = fields.Selection(EXPULSION_REASONS, "Expulsion Reason",
        states={
            'readonly': _readonly['readonly'],
            'required': Eval('order_kind') == 'expulsion',
            'invisible': Eval('order_kind') != 'expulsion',
            })
    leave_reason = fields.Selection(LEAVE_REASONS, "Leave Reason",
        states={
            'readonly': _readonly['readonly'],
            'required': Eval('order_kind') == 'academic_leave',
            'invisible': Eval('order_kind') != 'academic_leave',
            })
    leave_end_date = fields.Date("Leave Until",
        domain=[If(Bool(Eval('leave_end_date')) & Bool(Eval('date')),
                ('leave_end_date', '>', Eval('date')), ())],
        states={
            'readonly': _readonly['readonly'],
            'invisible': Eval('order_kind') != 'academic_leave',
            })
    basis = fields.Char("Basis", states=_readonly,
        help="E.g. «личное заявление от 25.08.2026».")
    movements = fields.One2Many('copp.contingent.movement', 'order_line',
        "Movements", readonly=True)

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')
        t = cls.__table__()
        cls._order = [('order', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.order, Index.Range())),
                Index(t, (t.student, Index.Range())),
                })

    @classmethod
    def view_attributes(cls):
        """In the lines of an order (order_kind in the context), only the
        columns its kind fills: a list of every column was wider than the
        screen"""
        kind = Eval('order_kind')

        def hidden_unless(kinds):
            return Bool(kind) & ~kind.in_(kinds)

        def hidden_for(kinds):
            return Bool(kind) & kind.in_(kinds)
        columns = {
            'to_group': hidden_for(
                ['academic_leave', 'expulsion', 'course_transfer']),
            'to_course': hidden_for(['academic_leave', 'expulsion']),
            'to_funding': hidden_unless(
                ['enrolment', 'reinstatement', 'transfer', 'leave_return']),
            'expulsion_reason': hidden_unless(['expulsion']),
            'leave_reason': hidden_unless(['academic_leave']),
            'leave_end_date': hidden_unless(['academic_leave']),
            }
        return super().view_attributes() + [
            (f'/tree/field[@name="{name}"]', 'tree_invisible', condition)
            for name, condition in columns.items()]

    @fields.depends('order', '_parent_order.kind')
    def on_change_with_order_kind(self, name=None):
        return self.order.kind if self.order else None

    @fields.depends('order', '_parent_order.state')
    def on_change_with_order_state(self, name=None):
        return self.order.state if self.order else 'draft'

    @fields.depends('order', '_parent_order.company')
    def on_change_with_company(self, name=None):
        return self.order.company if self.order else None

    @fields.depends('student', 'order', '_parent_order.kind', 'to_group',
        'to_funding', 'to_course', methods=['_fill_from_student'])
    def on_change_student(self):
        self._fill_from_student()

    @fields.depends('student', 'order', '_parent_order.kind', 'to_group',
        'to_funding', 'to_course')
    def _fill_from_student(self):
        student = self.student
        kind = self.order.kind if self.order else None
        if not student:
            return
        self.from_state = student.state
        self.from_group = student.group
        self.from_course = student.course
        self.from_funding = (student.funding
            if student.state != 'applicant' else None)
        if kind in {'enrolment', 'reinstatement', 'transfer',
                'leave_return'} and not self.to_funding:
            self.to_funding = student.funding
        if kind == 'course_transfer' and student.course:
            self.to_group = student.group
            self.to_course = student.course + 1

    @fields.depends('to_group', 'to_course', 'from_group')
    def on_change_to_group(self):
        if self.to_group and self.to_group != self.from_group:
            self.to_course = self.to_group.course

    def get_rec_name(self, name):
        return self.student.rec_name if self.student else ''

    @property
    def target_group(self):
        return self.to_group or self.from_group

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if Transaction().context.get(LINE_CONTEXT):
            return
        for line in lines:
            if line.order.state != 'draft':
                raise OrderError(gettext(
                        'copp_contingent.msg_order_not_draft',
                        order=line.order.rec_name))

    def check(self, latest, order_groups):
        "Check the line against the student's latest movement"
        order = self.order
        kind = order.kind
        student = self.student
        date = self.date or order.effective_date or order.date
        name = student.rec_name
        params = {'order': order.rec_name, 'student': name}
        if student.company != order.company:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_other_college', **params))
        if self.to_group and self.to_group.company != order.company:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_other_college', **params))
        if latest and latest.date > date:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_backdated', **params,
                    date=date.strftime('%d.%m.%Y'),
                    last=latest.date.strftime('%d.%m.%Y')))
        state = latest.state if latest else 'applicant'
        if state not in ALLOWED_BEFORE[kind]:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_wrong_state', **params,
                    state=self._state_string(state)))
        if kind in {'enrolment', 'reinstatement'} and not self.to_group:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_group_required', **params))
        if kind == 'expulsion' and not self.expulsion_reason:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_reason_required', **params))
        if kind == 'academic_leave' and not self.leave_reason:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_reason_required', **params))
        if self.to_group and not self.to_group.active:
            raise OrderError(gettext(
                    'copp_contingent.msg_line_group_inactive', **params,
                    group=self.to_group.rec_name))
        if kind == 'course_transfer':
            group = latest.group if latest else None
            if group not in order_groups:
                raise OrderError(gettext(
                        'copp_contingent.msg_line_not_in_groups', **params,
                        group=group.rec_name if group else ''))
        if kind == 'transfer':
            group = self.to_group or (latest.group if latest else None)
            funding = self.to_funding or (latest.funding if latest else None)
            course = self.to_course or (
                group.course if self.to_group else latest.course)
            if latest and (group, funding, course) == (
                    latest.group, latest.funding, latest.course):
                raise OrderError(gettext(
                        'copp_contingent.msg_line_nothing_changes', **params))
            if self.to_group and state == 'academic_leave':
                raise OrderError(gettext(
                        'copp_contingent.msg_line_wrong_state', **params,
                        state=self._state_string(state)))

    def _state_string(self, state):
        selection = dict(self.__class__.fields_get(['from_state'])[
                'from_state']['selection'])
        return selection.get(state, state)

    def movement_values(self, latest):
        """The movement the line writes after `latest`, the student's latest
        movement; also snapshots the line"""
        order = self.order
        kind = order.kind
        date = self.date or order.effective_date or order.date
        state_before = latest.state if latest else 'applicant'
        group_before = latest.group if latest else None
        self.from_state = state_before
        self.from_group = group_before
        self.from_course = latest.course if latest else None
        self.from_funding = latest.funding if latest else None
        self.date = date

        group, course, funding = group_before, self.from_course, (
            self.from_funding or self.student.funding)
        state = state_before
        reason = None
        if kind in {'enrolment', 'reinstatement'}:
            group = self.to_group
            course = self.to_course or group.course
            funding = self.to_funding or self.student.funding
            state = 'studying'
        elif kind == 'transfer':
            if self.to_group and self.to_group != group_before:
                group = self.to_group
                course = self.to_course or group.course
            elif self.to_course:
                course = self.to_course
            funding = self.to_funding or funding
        elif kind == 'course_transfer':
            course = (self.to_course
                or min(MAX_COURSE, (self.from_course or 0) + 1))
        elif kind == 'academic_leave':
            state = 'academic_leave'
            reason = self.leave_reason
        elif kind == 'leave_return':
            # Back into the target group (the old one by default) and its
            # current course.
            state = 'studying'
            group = self.to_group or group_before
            course = self.to_course or (group.course if group else course)
            funding = self.to_funding or funding
        elif kind == 'expulsion':
            reason = self.expulsion_reason
            state = 'graduated' if reason == 'graduation' else 'expelled'
        self.to_course = course
        self.to_group_name = group.name if group else None
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        values = Movement.from_values(latest)
        values.update({
            'student': self.student.id,
            'company': order.company.id,
            'date': date,
            'kind': kind,
            'order': order.id,
            'order_line': self.id,
            'document_number': order.number,
            'document_date': order.date,
            'group': group.id if group else None,
            'group_name': group.name if group else None,
            'specialty': group.specialty.id if group else None,
            'course': course,
            'study_form': group.study_form if group else None,
            'funding': funding,
            'state': state,
            'reason': reason,
            })
        return values
