"""The modules of a programme with their hours and assessment: the
public programme page lists them, the journal of a cohort teaches them
(one curriculum line and one teaching load per module)."""
from trytond.model import ModelSQL, ModelView, fields

from .program import ASSESSMENTS


class ProgramModule(ModelSQL, ModelView):
    "Module of a Programme"
    __name__ = 'copp.program.module'
    __string__ = "Module of a Programme"

    program = fields.Many2One('copp.program', "Programme", required=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    name = fields.Char("Name", required=True)
    hours_theory = fields.Integer("Theory", domain=[
            ('hours_theory', '>=', 0)])
    hours_practice = fields.Integer("Practice", domain=[
            ('hours_practice', '>=', 0)])
    hours_self = fields.Integer("Self-study", domain=[
            ('hours_self', '>=', 0)])
    hours = fields.Function(fields.Integer("Hours"), 'on_change_with_hours')
    assessment = fields.Selection(ASSESSMENTS, "Assessment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('program')
        cls._order = [('program', 'ASC'), ('sequence', 'ASC NULLS LAST'),
            ('id', 'ASC')]

    @classmethod
    def default_hours_theory(cls):
        return 0

    @classmethod
    def default_hours_practice(cls):
        return 0

    @classmethod
    def default_hours_self(cls):
        return 0

    @fields.depends('hours_theory', 'hours_practice', 'hours_self')
    def on_change_with_hours(self, name=None):
        return ((self.hours_theory or 0) + (self.hours_practice or 0)
            + (self.hours_self or 0))
