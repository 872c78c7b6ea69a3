"""The weekly timetable of a cohort: the slots (weekday, pair, module,
kind, teacher, room) that «Создать занятия» lays out over the cohort's
dates as lessons of the journal (cohort_journal.generate_lessons)."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.pyson import Eval

from copp_journal.lesson import LESSON_KINDS
from copp_journal.timetable import WEEKDAYS


class Timetable(ModelSQL, ModelView):
    "Timetable of a Cohort"
    __name__ = 'copp.training.timetable'
    __string__ = "Timetable of a Cohort"

    cohort = fields.Many2One('copp.training.cohort', "Cohort", required=True,
        ondelete='CASCADE')
    weekday = fields.Selection(WEEKDAYS + [('6', "Sunday")], "Weekday",
        required=True)
    pair = fields.Integer("Pair", required=True,
        domain=[('pair', '>=', 1), ('pair', '<=', 10)])
    hours = fields.Integer("Hours", required=True,
        domain=[('hours', '>', 0), ('hours', '<=', 12)])
    line = fields.Many2One('copp.journal.curriculum.line', "Module",
        required=True, ondelete='CASCADE',
        domain=[('curriculum.cohort', '=', Eval('cohort', -1))],
        help="Prepare the journal of the cohort first: its modules come "
        "from the programme.")
    kind = fields.Selection(LESSON_KINDS, "Kind", required=True)
    teacher = fields.Many2One('company.employee', "Teacher",
        ondelete='SET NULL',
        help="Empty: the teacher of the module's teaching load.")
    room = fields.Char("Room")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('cohort')
        cls._order = [('cohort', 'ASC'), ('weekday', 'ASC'), ('pair', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def default_hours(cls):
        return 2

    @classmethod
    def default_kind(cls):
        return 'lesson'
