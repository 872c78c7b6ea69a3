"""Learning monitoring by learner (issue 18, item 7): one row per course
participant with the lessons completed, the progress and grade, the last
activity and whether the learner has stalled.

The context gives the reference date (`date`, today by default) and the
number of days without activity after which a learner is stalled
(`stall_days`, 14 by default). A learner who has not begun is measured
from the day they got the course (the participant's creation); a learner
who completed the course is never stalled.

The rows come from one SQL view (table_query) over the participants, the
progress rows and the lessons; the days are computed from the row read."""
import datetime as dt

from sql import Literal
from sql.aggregate import Count, Max, Sum
from sql.conditionals import Case, Coalesce

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.personal_data import PersonalDataMixin

DEFAULT_STALL_DAYS = 14


def monitoring_date():
    "The reference date of the context (today by default)"
    context = Transaction().context
    return context.get('date') or Pool().get('ir.date').today()


def stall_days():
    "The days without activity that make a learner stalled (context)"
    value = Transaction().context.get('stall_days')
    return DEFAULT_STALL_DAYS if value is None else max(int(value), 1)


def to_date(value):
    "A DateTime column read back (a str on SQLite for an aggregate)"
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


class MonitoringContext(ModelView):
    "Learning Monitoring Context"
    __name__ = 'copp.course.monitoring.context'
    __string__ = "Learning Monitoring Context"

    date = fields.Date("Date", required=True,
        help="The day the days without activity are counted to.")
    stall_days = fields.Integer("Stalled After, Days", required=True,
        help="A learner without activity for this many days is stalled.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_stall_days(cls):
        return DEFAULT_STALL_DAYS


class Monitoring(PersonalDataMixin, ModelSQL, ModelView):
    "Learning Monitoring by Learner"
    __name__ = 'copp.course.monitoring'
    __string__ = "Learning Monitoring by Learner"
    # A person's results: the reads on behalf of a user are logged
    _personal_data_fields = {'rec_name', 'party', 'progress', 'grade',
        'completed'}

    course = fields.Many2One('copp.course', "Course", readonly=True)
    company = fields.Many2One('company.company', "Organization",
        readonly=True)
    party = fields.Many2One('party.party', "Learner", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    enrolment = fields.Many2One('copp.course.enrolment', "Enrolment",
        readonly=True)
    lessons_completed = fields.Integer("Lessons Completed", readonly=True,
        help="Required lessons completed.")
    lessons_required = fields.Integer("Lessons Required", readonly=True)
    progress = fields.Numeric("Progress, %", digits=(5, 2), readonly=True)
    grade = fields.Numeric("Grade, %", digits=(5, 2), readonly=True)
    completed = fields.Boolean("Completed", readonly=True)
    last_activity = fields.DateTime("Last Activity", readonly=True)
    inactive_since = fields.DateTime("Inactive Since", readonly=True,
        help="The last activity, or the day the course was given.")
    last_activity_date = fields.Function(fields.Date("Last Activity"),
        'get_days')
    days_inactive = fields.Function(fields.Integer("Days Without Activity"),
        'get_days')
    stalled = fields.Boolean("Stalled", readonly=True,
        help="No activity for the number of days of the context; a "
        "learner who completed the course is never stalled.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('course', 'ASC'), ('party', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Participant = pool.get('copp.course.participant')
        Progress = pool.get('copp.course.progress')
        Lesson = pool.get('copp.course.lesson')
        participant = Participant.__table__()
        progress, lesson = Progress.__table__(), Lesson.__table__()
        required = Lesson.__table__()

        done = (progress.state == 'completed') & (
            lesson.required == Literal(True))
        activity = progress.join(lesson,
            condition=progress.lesson == lesson.id
            ).select(
                progress.course.as_('course'),
                progress.learner.as_('learner'),
                Max(progress.last_activity).as_('last_activity'),
                Sum(Case((done, 1), else_=0)).as_('done'),
                group_by=[progress.course, progress.learner])
        lessons = required.select(
            required.course.as_('course'),
            Count(required.id).as_('required'),
            where=required.required == Literal(True),
            group_by=[required.course])

        # stalled ⇔ last activity day ≤ date − N ⇔ before the next midnight
        threshold = dt.datetime.combine(
            monitoring_date() - dt.timedelta(days=stall_days() - 1),
            dt.time.min)
        since = Coalesce(activity.last_activity, participant.create_date)
        completed = Coalesce(participant.completed, Literal(False))
        stalled = Case(((completed == Literal(False)) & (since < threshold),
                Literal(True)), else_=Literal(False))
        return participant.join(activity, 'LEFT',
            condition=(activity.course == participant.course)
            & (activity.learner == participant.party)
            ).join(lessons, 'LEFT',
                condition=lessons.course == participant.course
            ).select(
                participant.id.as_('id'),
                participant.create_uid.as_('create_uid'),
                participant.create_date.as_('create_date'),
                participant.write_uid.as_('write_uid'),
                participant.write_date.as_('write_date'),
                participant.course.as_('course'),
                participant.company.as_('company'),
                participant.party.as_('party'),
                participant.enrolment.as_('enrolment'),
                Coalesce(activity.done, 0).as_('lessons_completed'),
                Coalesce(lessons.required, 0).as_('lessons_required'),
                participant.progress.as_('progress'),
                participant.grade.as_('grade'),
                completed.as_('completed'),
                activity.last_activity.as_('last_activity'),
                since.as_('inactive_since'),
                stalled.as_('stalled'))

    def get_rec_name(self, name):
        return f'{self.party.rec_name} — {self.course.rec_name}'

    @classmethod
    def get_days(cls, records, names):
        "From the rows read: no query"
        today = monitoring_date()
        result = {n: {} for n in names}
        for record in records:
            last = to_date(record.last_activity)
            since = to_date(record.inactive_since)
            if 'last_activity_date' in result:
                result['last_activity_date'][record.id] = last
            if 'days_inactive' in result:
                result['days_inactive'][record.id] = (
                    max((today - since).days, 0) if since else None)
        return result

    @staticmethod
    def order_last_activity_date(tables):
        table, _ = tables[None]
        return [table.last_activity]
