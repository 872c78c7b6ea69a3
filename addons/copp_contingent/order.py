"""Movement orders (приказы по контингенту).

Signing an order applies each line at its effective date: it writes one
movement per line to the log and refreshes the students' snapshot.
Cancelling a signed order deletes its movements (the order itself stays in
the register, cancelled) and so reverses it; it is refused while a later
movement of one of its students exists.
"""
import datetime as dt
from collections import defaultdict
from itertools import groupby

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import OrderError, OrderWarning
from .movement import EXPULSION_REASONS, LEAVE_REASONS, MOVEMENT_KINDS
from .student import APPLY_CONTEXT, FUNDINGS, STATES
from .study_group import ACTIVE_STATES, MAX_COURSE, next_course_name

ORDER_KINDS = MOVEMENT_KINDS
ORDER_STATES = [
    ('draft', "Draft"),
    ('signed', "Signed"),
    ('cancelled', "Cancelled"),
    ]
# kind: states a student may be in before the line is applied
ALLOWED_BEFORE = {
    'enrolment': {'applicant', 'expelled', 'graduated'},
    'transfer': {'studying', 'academic_leave'},
    'course_transfer': {'studying'},
    'academic_leave': {'studying'},
    'leave_return': {'academic_leave'},
    'expulsion': {'studying', 'academic_leave'},
    'reinstatement': {'expelled'},
    }
LINE_CONTEXT = '_copp_contingent_line_apply'


class Numbering(ModelSQL, ModelView):
    """Numbering of a college's orders (per calendar year) and record books.

    The sequences are created the first time they are needed and can be
    edited afterwards (prefix, suffix, next number)."""
    __name__ = 'copp.contingent.numbering'

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('order', "Orders"),
            ('record_book', "Record Books"),
            ], "Kind", required=True, readonly=True)
    year = fields.Integer("Year", readonly=True)
    sequence = fields.Many2One('ir.sequence.strict', "Sequence",
        required=True, ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('kind_year_unique', Unique(t, t.company, t.kind, t.year),
                'copp_contingent.msg_numbering_unique'),
            ]
        cls._order = [('company', 'ASC'), ('kind', 'ASC'), ('year', 'DESC'),
            ('id', 'ASC')]

    @classmethod
    def _sequence(cls, company, kind, year=None):
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id),
                    ('kind', '=', kind),
                    ('year', '=', year),
                    ], limit=1)
            if records:
                return records[0].sequence
            name = company.short_name or company.rec_name
            if kind == 'order':
                values = {
                    'name': gettext('copp_contingent.msg_numbering_orders',
                        college=name, year=year),
                    'sequence_type': ModelData.get_id(
                        'copp_contingent', 'sequence_type_order'),
                    'suffix': '-к', 'padding': 0,
                    }
            else:
                values = {
                    'name': gettext(
                        'copp_contingent.msg_numbering_record_books',
                        college=name),
                    'sequence_type': ModelData.get_id(
                        'copp_contingent', 'sequence_type_record_book'),
                    'prefix': '${date_y}-', 'padding': 4,
                    }
            sequence, = Sequence.create([dict(values, company=company.id)])
            cls.create([{'company': company.id, 'kind': kind,
                        'year': year, 'sequence': sequence.id}])
            return sequence

    @classmethod
    def next_order_number(cls, company, date):
        return cls._take(cls._sequence(company, 'order', date.year), 1,
            date)[0]

    @classmethod
    def next_record_books(cls, company, date, count):
        return cls._take(cls._sequence(company, 'record_book'), count, date)

    @classmethod
    def _take(cls, sequence, count, date):
        """Take count numbers of the strict sequence without gaps.

        One UPDATE moves the counter: on PostgreSQL it locks the row until
        the transaction ends (concurrent signers wait, a rollback gives the
        numbers back) without the record locking of ir.sequence.strict, which
        asks the caller to restart the transaction (the copp command and
        the demo do not)."""
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        table = Sequence.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.number_next_internal],
                [table.number_next_internal
                    + table.number_increment * count],
                where=table.id == sequence.id))
        cursor.execute(*table.select(
                table.number_next_internal, table.number_increment,
                table.padding, table.prefix, table.suffix,
                where=table.id == sequence.id))
        end, increment, padding, prefix, suffix = cursor.fetchone()
        start = end - increment * count
        with Transaction().set_context(date=date):
            prefix = Sequence._process(prefix)
            suffix = Sequence._process(suffix)
        return [f'{prefix}{number:0>{padding or 0}d}{suffix}'
            for number in range(start, end, increment)]


class Order(Workflow, ModelSQL, ModelView):
    "Contingent order"
    __name__ = 'copp.contingent.order'
    _rec_name = 'number'

    _readonly = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT',
        states={'readonly': (Eval('state') != 'draft')
            | Eval('lines', [0]) | Eval('groups', [0])})
    number = fields.Char("Number", readonly=True,
        help="Given at signing from the college's register of the year.")
    date = fields.Date("Date", required=True, states=_readonly)
    kind = fields.Selection(ORDER_KINDS, "Kind", required=True, sort=False,
        states={'readonly': (Eval('state') != 'draft')
            | Eval('lines', [0]) | Eval('groups', [0])})
    effective_date = fields.Date("Effective Date", states=_readonly,
        help="The date lines take effect when they have none of their own "
        "(the order's date by default).")
    title = fields.Function(fields.Char("Title"), 'get_title')
    preamble = fields.Text("Preamble", states=_readonly,
        help="The text before «ПРИКАЗЫВАЮ», e.g. «В соответствии с …».")
    basis = fields.Text("Basis", states=_readonly,
        help="The documents the order is based on (applications, minutes).")
    signer = fields.Many2One('company.employee', "Signer", states=_readonly,
        domain=[('company', '=', Eval('company', -1))],
        help="The head who signs the order.")
    lines = fields.One2Many('copp.contingent.order.line', 'order', "Students",
        states={'readonly': (Eval('state') != 'draft') | ~Eval('company')})
    groups = fields.One2Many('copp.contingent.order.group', 'order', "Groups",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'course_transfer',
            })
    line_count = fields.Function(fields.Integer("Students #"),
        'get_line_count')
    state = fields.Selection(ORDER_STATES, "State", required=True,
        readonly=True, sort=False)
    signed_by = fields.Many2One('res.user', "Signed By", readonly=True)
    signed_at = fields.Timestamp("Signed At", readonly=True)
    note = fields.Text("Note")

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state == 'draft'),
                })
        cls._transitions |= {
            ('draft', 'signed'),
            ('draft', 'cancelled'),
            ('signed', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') == 'cancelled',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_kind(cls):
        return 'enrolment'

    @classmethod
    def default_signer(cls):
        pool = Pool()
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        company_id = cls.default_company()
        if company_id is not None and company_id >= 0:
            company = Company(company_id)
            if company.head:
                employees = Employee.search([
                        ('company', '=', company.id),
                        ('party', '=', company.head.id),
                        ], limit=1)
                if employees:
                    return employees[0].id

    def get_title(self, name):
        return gettext(f'copp_contingent.msg_order_title_{self.kind}')

    def get_rec_name(self, name):
        date = self.date.strftime('%d.%m.%Y') if self.date else ''
        if self.number:
            return gettext('copp_contingent.msg_order_rec_name',
                number=self.number, date=date, title=self.title)
        return gettext('copp_contingent.msg_order_rec_name_draft',
            date=date, title=self.title)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('number', operator, operand, *extra)]

    @classmethod
    def get_line_count(cls, orders, name):
        return {o.id: len(o.lines) for o in orders}

    @classmethod
    def check_modification(cls, mode, orders, values=None, external=False):
        super().check_modification(
            mode, orders, values=values, external=external)
        if mode == 'write' and not Transaction().context.get(LINE_CONTEXT):
            changed = set(values or {}) - {'note', 'state', 'number',
                'signed_by', 'signed_at'}
            for order in orders:
                if order.state != 'draft' and changed:
                    raise OrderError(gettext(
                            'copp_contingent.msg_order_not_draft',
                            order=order.rec_name))
        elif mode == 'delete':
            for order in orders:
                if order.state == 'signed' or order.number:
                    raise OrderError(gettext(
                            'copp_contingent.msg_order_delete',
                            order=order.rec_name))

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default else {}
        for field in ['number', 'signed_by', 'signed_at']:
            default.setdefault(field, None)
        default.setdefault('state', 'draft')
        return super().copy(orders, default=default)

    # Workflow -----------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, orders):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, orders):
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        Student = pool.get('copp.student')
        Line = pool.get('copp.contingent.order.line')
        OrderGroup = pool.get('copp.contingent.order.group')
        Numbering = pool.get('copp.contingent.numbering')
        Date = pool.get('ir.date')
        transaction = Transaction()
        students = set()
        # One order after the other: a student may be in several of them.
        for order in sorted(orders, key=lambda o: (o.date, o.id)):
            latest = order.check_lines()
            cls._check_capacity([order])
            values = {
                'signed_by': transaction.user,
                'signed_at': dt.datetime.now(),
                }
            if not order.number:
                values['number'] = Numbering.next_order_number(
                    order.company, order.date)
            with transaction.set_context(**{LINE_CONTEXT: True}):
                cls.write([order], values)
            # Keep the instances: a write clears the order's cache.
            lines, order_groups = list(order.lines), list(order.groups)
            for order_group in order_groups:
                order_group.apply()
            movements = [line.movement_values(latest.get(line.student.id))
                for line in lines]
            order_students = {line.student.id for line in lines}
            with without_check_access(), \
                    transaction.set_context(**{LINE_CONTEXT: True}):
                Line.save(lines)
                OrderGroup.save(order_groups)
                Movement.create(movements)
                Movement.update_valid_to(order_students)
            students |= order_students
        with without_check_access():
            Student.update_current(students, Date.today())
            cls._assign_record_books(orders)

    @classmethod
    def _assign_record_books(cls, orders):
        pool = Pool()
        Student = pool.get('copp.student')
        Numbering = pool.get('copp.contingent.numbering')
        to_number = defaultdict(list)
        for order in orders:
            if order.kind not in {'enrolment', 'reinstatement'}:
                continue
            for line in order.lines:
                if not line.student.record_book:
                    to_number[(order.company, line.date)].append(
                        line.student)
        args = []
        for (company, date), students in to_number.items():
            numbers = Numbering.next_record_books(company, date, len(students))
            for student, number in zip(students, numbers):
                args.extend([[student], {'record_book': number}])
        if args:
            with Transaction().set_context(**{APPLY_CONTEXT: True}):
                Student.write(*args)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, orders):
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        Student = pool.get('copp.student')
        Date = pool.get('ir.date')
        signed = [o for o in orders if o.state == 'signed']
        if not signed:
            return
        with without_check_access():
            movements = Movement.search([
                    ('order', 'in', [o.id for o in signed]),
                    ])
        students = {m.student.id for m in movements}
        own = {m.id for m in movements}
        latest = Movement.latest(students)
        for movement in movements:
            last = latest.get(movement.student.id)
            if last and last.id not in own:
                raise OrderError(gettext(
                        'copp_contingent.msg_order_cancel_later',
                        order=movement.order.rec_name,
                        student=movement.student.rec_name,
                        later=(last.order.rec_name if last.order
                            else last.document_number or '')))
        for order in signed:
            for order_group in order.groups:
                order_group.revert()
        with without_check_access():
            Movement.delete(movements)
            Movement.update_valid_to(students)
            Student.update_current(students, Date.today())

    # Checks -------------------------------------------------------------

    def check_lines(self):
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        if not self.lines:
            raise OrderError(gettext('copp_contingent.msg_order_no_lines',
                    order=self.rec_name))
        seen = set()
        for line in self.lines:
            if line.student in seen:
                raise OrderError(gettext(
                        'copp_contingent.msg_order_student_twice',
                        order=self.rec_name, student=line.student.rec_name))
            seen.add(line.student)
        latest = Movement.latest(seen)
        groups = {g.group for g in self.groups}
        for line in self.lines:
            line.check(latest.get(line.student.id), groups)
        return latest

    @classmethod
    def _check_capacity(cls, orders):
        pool = Pool()
        Warning = pool.get('res.user.warning')
        arrivals = defaultdict(set)
        for order in orders:
            for line in order.lines:
                group = line.target_group
                if (group and group.size_limit and group != line.from_group
                        and order.kind != 'expulsion'):
                    arrivals[group].add(line.student.id)
        for group, students in arrivals.items():
            current = {s.id for s in group.students}
            total = len(current | students)
            if total > group.size_limit:
                key = Warning.format('group_capacity', [group])
                if Warning.check(key):
                    raise OrderWarning(key, gettext(
                            'copp_contingent.msg_group_over_limit',
                            group=group.rec_name, count=total,
                            limit=group.size_limit))


class OrderLine(ModelSQL, ModelView):
    "Contingent order line"
    __name__ = 'copp.contingent.order.line'

    _readonly = {'readonly': Eval('order_state', 'draft') != 'draft'}

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
            If(Eval('order_state', 'draft') == 'draft',
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


class OrderGroup(ModelSQL, ModelView):
    "Group of a course transfer order"
    __name__ = 'copp.contingent.order.group'

    order = fields.Many2One('copp.contingent.order', "Order", required=True,
        ondelete='CASCADE')
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('_parent_order.company', -1))])
    from_course = fields.Integer("From Course", readonly=True)
    to_course = fields.Integer("To Course", readonly=True)
    from_name = fields.Char("Name", readonly=True)
    to_name = fields.Char("New Name",
        help="The name of the group on the next course "
        "(«ИСП-11» → «ИСП-21»); empty keeps the name.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('order')

    @fields.depends('group', 'to_name', 'from_course', 'to_course',
        'from_name')
    def on_change_group(self):
        if self.group:
            self.from_name = self.group.name
            self.from_course = self.group.course
            self.to_course = min(MAX_COURSE, (self.group.course or 0) + 1)
            self.to_name = next_course_name(self.group.name,
                self.group.course)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if Transaction().context.get(LINE_CONTEXT):
            return
        for record in records:
            if record.order.state != 'draft':
                raise OrderError(gettext(
                        'copp_contingent.msg_order_not_draft',
                        order=record.order.rec_name))

    def apply(self):
        pool = Pool()
        Group = pool.get('copp.study.group')
        group = self.group
        self.from_course = group.course
        self.from_name = group.name
        self.to_course = min(MAX_COURSE, group.course + 1)
        values = {'course': self.to_course}
        if self.to_name and self.to_name != group.name:
            values['name'] = self.to_name
        with without_check_access(), Transaction().set_context(
                **{APPLY_CONTEXT: True}):
            Group.write([group], values)

    def revert(self):
        pool = Pool()
        Group = pool.get('copp.study.group')
        group = self.group
        if group.course != self.to_course:
            raise OrderError(gettext(
                    'copp_contingent.msg_order_cancel_group_course',
                    order=self.order.rec_name, group=group.rec_name))
        values = {'course': self.from_course}
        if self.from_name and group.name != self.from_name:
            values['name'] = self.from_name
        with without_check_access(), Transaction().set_context(
                **{APPLY_CONTEXT: True}):
            Group.write([group], values)


class OrderReport(Report):
    __name__ = 'copp.contingent.order.report'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['clauses'] = cls.clauses
        context['fmt'] = lambda d: d.strftime('%d.%m.%Y') if d else ''
        context['city'] = cls.city
        context['signer_name'] = cls.signer_name
        context['signer_position'] = cls.signer_position
        return context

    @classmethod
    def city(cls, order):
        party = order.company.party
        for address in party.addresses:
            if address.city:
                return address.city
        return ''

    @classmethod
    def _signer_party(cls, order):
        if order.signer:
            return order.signer.party
        return order.company.head

    @classmethod
    def signer_name(cls, order):
        "«И.И. Иванов»"
        party = cls._signer_party(order)
        if not party:
            return ''
        if party.last_name and party.first_name:
            initials = ''.join(f'{p[0]}.' for p in [party.first_name,
                    party.patronymic] if p)
            return f'{initials} {party.last_name}'
        return party.name

    @classmethod
    def signer_position(cls, order):
        if order.signer and order.signer.position:
            position = order.signer.position
        else:
            position = order.company.head_position or ''
        return position[:1].upper() + position[1:]

    @classmethod
    def clauses(cls, order):
        """The numbered clauses of the order: (text, [(name, detail)])"""
        pool = Pool()
        Line = pool.get('copp.contingent.order.line')
        kind = order.kind

        def fmt(date):
            return date.strftime('%d.%m.%Y') if date else ''

        def key(line):
            date = line.date or order.effective_date or order.date
            group = line.to_group or line.from_group
            if kind in {'enrolment', 'reinstatement'}:
                return (date, group.id if group else 0,
                    line.to_course or 0, line.to_funding or '')
            if kind == 'course_transfer':
                return (date, line.from_group.id if line.from_group else 0)
            if kind == 'academic_leave':
                return (date, line.leave_reason or '',
                    line.leave_end_date or dt.date.min)
            if kind == 'expulsion':
                return (date, line.expulsion_reason or '')
            if kind == 'leave_return':
                return (date, group.id if group else 0)
            return (date,)

        lines = sorted(order.lines, key=lambda l: (key(l), l.rec_name))
        result = []
        for _, group_lines in groupby(lines, key=key):
            group_lines = list(group_lines)
            first = group_lines[0]
            text = cls._clause_text(order, first, fmt)
            students = []
            for line in group_lines:
                students.append((line.student.rec_name,
                        cls._line_detail(order, line, fmt)))
            result.append((text, students))
        return result

    @classmethod
    def _selection(cls, model, field, value):
        Model = Pool().get(model)
        selection = dict(Model.fields_get([field])[field]['selection'])
        text = selection.get(value, value) or ''
        return text[:1].lower() + text[1:]

    @classmethod
    def _clause_text(cls, order, line, fmt):
        kind = order.kind
        date = fmt(line.date or order.effective_date or order.date)
        group = line.to_group or line.from_group
        name = line.to_group_name or (group.name if group else '')
        if kind in {'enrolment', 'reinstatement'}:
            return gettext(f'copp_contingent.msg_clause_{kind}',
                date=date, course=line.to_course or group.course,
                form=gettext(
                    f'copp_contingent.msg_phrase_form_{group.study_form}'),
                specialty=group.specialty.rec_name, group=name,
                funding=gettext('copp_contingent.msg_phrase_funding_'
                    + (line.to_funding or 'budget')))
        if kind == 'course_transfer':
            group = line.from_group
            return gettext('copp_contingent.msg_clause_course_transfer',
                date=date, course=line.to_course or '',
                group=_order_group_name(order, group),
                specialty=group.specialty.rec_name if group else '')
        if kind == 'academic_leave':
            text = gettext('copp_contingent.msg_clause_academic_leave',
                date=date, reason=cls._selection(
                    'copp.contingent.order.line', 'leave_reason',
                    line.leave_reason))
            if line.leave_end_date:
                text = text.rstrip(':') + ' ' + gettext(
                    'copp_contingent.msg_phrase_until',
                    date=fmt(line.leave_end_date)) + ':'
            return text
        if kind == 'leave_return':
            return gettext('copp_contingent.msg_clause_leave_return',
                date=date, group=name)
        if kind == 'expulsion':
            return gettext('copp_contingent.msg_clause_expulsion',
                date=date, reason=cls._selection(
                    'copp.contingent.order.line', 'expulsion_reason',
                    line.expulsion_reason))
        return gettext('copp_contingent.msg_clause_transfer', date=date)

    @classmethod
    def _line_detail(cls, order, line, fmt):
        parts = []
        if order.kind == 'transfer' and (not line.to_group
                or line.to_group == line.from_group) and (
                line.to_funding and line.to_funding != line.from_funding):
            parts.append(gettext('copp_contingent.msg_detail_funding',
                    group=line.from_group.name if line.from_group else '',
                    course=line.from_course or '',
                    source=cls._selection('copp.contingent.order.line',
                        'from_funding', line.from_funding),
                    target=cls._selection('copp.contingent.order.line',
                        'to_funding', line.to_funding)))
        elif order.kind == 'transfer':
            source = line.from_group.name if line.from_group else ''
            target = line.to_group_name or (
                line.to_group.name if line.to_group else source)
            parts.append(gettext('copp_contingent.msg_detail_transfer',
                    source=source, target=target,
                    course=line.to_course or line.from_course or '',
                    funding=cls._selection('copp.contingent.order.line',
                        'to_funding',
                        line.to_funding or line.from_funding)))
        elif order.kind in {'academic_leave', 'expulsion'} and (
                line.from_group):
            parts.append(gettext('copp_contingent.msg_detail_group',
                    group=line.from_group.name,
                    course=line.from_course or ''))
        if line.student.record_book:
            parts.append(gettext('copp_contingent.msg_detail_record_book',
                    number=line.student.record_book))
        if line.basis:
            parts.append(line.basis)
        return '; '.join(parts)


def _order_group_name(order, group):
    for order_group in order.groups:
        if order_group.group == group:
            if order_group.to_name and order_group.to_name != (
                    order_group.from_name or group.name):
                return gettext('copp_contingent.msg_phrase_renamed',
                    old=order_group.from_name or group.name,
                    new=order_group.to_name)
            return order_group.from_name or group.name
    return group.name if group else ''


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
