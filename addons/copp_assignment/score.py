"""The rubric's score of a submission: the level the teacher chose for
one criterion, its points (kept when graded, so that a later change of
the rubric does not change a grade given) and a comment."""
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval


class Score(ModelSQL, ModelView):
    __name__ = 'copp.assignment.submission.score'
    __string__ = "Rubric Score"

    submission = fields.Many2One('copp.assignment.submission', "Submission",
        required=True, ondelete='CASCADE')
    criterion = fields.Many2One('copp.assignment.criterion', "Criterion",
        required=True, ondelete='CASCADE')
    level = fields.Many2One('copp.assignment.criterion.level', "Level",
        ondelete='RESTRICT',
        domain=[('criterion', '=', Eval('criterion', -1))])
    points = fields.Numeric("Points", digits=(16, 2), readonly=True)
    comment = fields.Text("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('submission')
        cls._order = [('criterion.sequence', 'ASC NULLS FIRST'),
            ('criterion.id', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('criterion_unique', Unique(t, t.submission, t.criterion),
                'copp_assignment.msg_score_unique'),
            ]

    @fields.depends('level')
    def on_change_with_points(self):
        return self.level.points if self.level else None
