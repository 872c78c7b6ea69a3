"""Learning monitoring by lesson (issue 18, item 7): one row per lesson
with the learners of its course, how many started, completed and failed
it, the completion rate and the average score.

- enrolled: the participants of the course;
- started: the progress rows of the lesson that are not «not started»;
- completion = completed / enrolled × 100 (empty without participants);
- average score over the rows that have a score.

The rows come from one SQL view (table_query); the rates are computed from
the row read."""
from decimal import Decimal

from sql import Literal
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool

HUNDRED = Decimal(100)
CENT = Decimal('0.01')


def to_decimal(value):
    "A numeric aggregate read back (a float on SQLite)"
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


class MonitoringLesson(ModelSQL, ModelView):
    "Learning Monitoring by Lesson"
    __name__ = 'copp.course.monitoring.lesson'
    __string__ = "Learning Monitoring by Lesson"

    course = fields.Many2One('copp.course', "Course", readonly=True)
    company = fields.Many2One('company.company', "Organization",
        readonly=True)
    lesson = fields.Many2One('copp.course.lesson', "Lesson", readonly=True)
    sequence = fields.Integer("Sequence", readonly=True)
    required = fields.Boolean("Required", readonly=True)
    enrolled = fields.Integer("Learners", readonly=True)
    started = fields.Integer("Started", readonly=True)
    completed = fields.Integer("Completed", readonly=True)
    failed = fields.Integer("Failed", readonly=True)
    scored = fields.Integer("Scored", readonly=True)
    score_total = fields.Numeric("Score Total", readonly=True)
    completion = fields.Function(fields.Numeric("Completion, %",
            digits=(5, 2)), 'get_rates')
    average_score = fields.Function(fields.Numeric("Average Score, %",
            digits=(5, 2)), 'get_rates')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('course', 'ASC'), ('sequence', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Course = pool.get('copp.course')
        Lesson = pool.get('copp.course.lesson')
        Progress = pool.get('copp.course.progress')
        Participant = pool.get('copp.course.participant')
        course, lesson = Course.__table__(), Lesson.__table__()
        progress, participant = Progress.__table__(), Participant.__table__()

        def count(condition):
            return Sum(Case((condition, 1), else_=0))
        rows = progress.select(
            progress.lesson.as_('lesson'),
            count(progress.state != 'not_started').as_('started'),
            count(progress.state == 'completed').as_('completed'),
            count(progress.state == 'failed').as_('failed'),
            Count(progress.score).as_('scored'),
            Sum(progress.score).as_('score_total'),
            group_by=[progress.lesson])
        learners = participant.select(
            participant.course.as_('course'),
            Count(participant.id).as_('enrolled'),
            group_by=[participant.course])
        return lesson.join(course, condition=lesson.course == course.id
            ).join(rows, 'LEFT', condition=rows.lesson == lesson.id
            ).join(learners, 'LEFT', condition=learners.course == course.id
            ).select(
                lesson.id.as_('id'),
                lesson.create_uid.as_('create_uid'),
                lesson.create_date.as_('create_date'),
                lesson.write_uid.as_('write_uid'),
                lesson.write_date.as_('write_date'),
                lesson.course.as_('course'),
                course.company.as_('company'),
                lesson.id.as_('lesson'),
                lesson.sequence.as_('sequence'),
                Coalesce(lesson.required, Literal(False)).as_('required'),
                Coalesce(learners.enrolled, 0).as_('enrolled'),
                Coalesce(rows.started, 0).as_('started'),
                Coalesce(rows.completed, 0).as_('completed'),
                Coalesce(rows.failed, 0).as_('failed'),
                Coalesce(rows.scored, 0).as_('scored'),
                rows.score_total.as_('score_total'))

    def get_rec_name(self, name):
        return self.lesson.rec_name

    @classmethod
    def get_rates(cls, records, names):
        "From the rows read: no query"
        result = {n: {} for n in names}
        for record in records:
            if 'completion' in result:
                result['completion'][record.id] = (
                    (HUNDRED * (record.completed or 0) / record.enrolled
                        ).quantize(CENT) if record.enrolled else None)
            if 'average_score' in result:
                total = to_decimal(record.score_total)
                result['average_score'][record.id] = (
                    (total / record.scored).quantize(CENT)
                    if record.scored and total is not None else None)
        return result
