"""The rubric of an assignment: criteria, each with levels worth points.

Grading with a rubric (submission.py, policy.rubric_grade): the teacher
chooses one level per criterion; the grade is the points of the chosen
levels over the best level of every criterion, scaled to the
assignment's max_grade:

    grade = max_grade × Σ chosen points / Σ best points

(criteria of 4 and 6 points, levels of 3 and 6 chosen, max grade 100:
grade 90). Without criteria the teacher types the grade."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, sequence_ordered, fields

from .exceptions import AssignmentValidationError


class Criterion(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'copp.assignment.criterion'
    __string__ = "Rubric Criterion"

    assignment = fields.Many2One('copp.assignment', "Assignment",
        required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    description = fields.Text("Description")
    levels = fields.One2Many('copp.assignment.criterion.level', 'criterion',
        "Levels")
    max_points = fields.Function(fields.Numeric("Max Points",
            digits=(16, 2)), 'get_max_points')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('assignment')

    def get_max_points(self, name=None):
        return max((l.points or Decimal(0) for l in self.levels),
            default=Decimal(0))


class Level(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'copp.assignment.criterion.level'
    __string__ = "Rubric Level"

    criterion = fields.Many2One('copp.assignment.criterion', "Criterion",
        required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    description = fields.Text("Description")
    points = fields.Numeric("Points", digits=(16, 2), required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('criterion')

    @classmethod
    def default_points(cls):
        return Decimal(0)

    def get_rec_name(self, name):
        points = format((self.points or Decimal(0)).normalize(), 'f')
        return f'{self.name} ({points})'

    @classmethod
    def validate_fields(cls, levels, field_names):
        super().validate_fields(levels, field_names)
        for level in levels:
            if level.points is not None and level.points < 0:
                raise AssignmentValidationError(gettext(
                        'copp_assignment.msg_level_points',
                        level=level.name,
                        criterion=level.criterion.rec_name))
