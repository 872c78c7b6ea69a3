"Groups of a course transfer order: the group, its new course and name."

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import OrderError
from .student import APPLY_CONTEXT
from .study_group import MAX_COURSE, next_course_name
from .order import (
    LINE_CONTEXT)


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
