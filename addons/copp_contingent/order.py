"""Movement orders (приказы по контингенту).

Signing an order applies each line at its effective date: it writes one
movement per line to the log and refreshes the students' snapshot.
Cancelling a signed order deletes its movements (the order itself stays in
the register, cancelled) and so reverses it; it is refused while a later
movement of one of its students exists.
"""
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import OrderError, OrderWarning
from .movement import MOVEMENT_KINDS
from .student import APPLY_CONTEXT

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
        states={'readonly': (Eval('state') != 'draft') | ~Eval('company')},
        # The list of lines shows the columns of the order's kind
        context={'order_kind': Eval('kind')})
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
