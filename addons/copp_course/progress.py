"""The progress of a learner (a person, party.party) in a lesson: one row
per lesson and learner. `Progress.record` is the entry point of every kind
of lesson (the cabinet's pages, copp_quiz, copp_scorm, copp_assignment):
it upserts the row and recomputes the learner's course result."""
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access

from copp.personal_data import PersonalDataMixin

from .exceptions import CourseValidationError

STATES = [
    ('not_started', "Not Started"),
    ('in_progress', "In Progress"),
    ('completed', "Completed"),
    ('failed', "Failed"),
    ]
# What a mere visit (in_progress) does not overwrite.
FINAL_STATES = {'completed', 'failed'}


class Progress(PersonalDataMixin, ModelSQL, ModelView):
    "Lesson Progress"
    __name__ = 'copp.course.progress'
    __string__ = "Lesson Progress"
    # A person's results: the reads on behalf of a user are logged
    _personal_data_fields = {'rec_name', 'learner', 'state', 'score'}

    course = fields.Many2One('copp.course', "Course", required=True,
        ondelete='CASCADE', readonly=True)
    lesson = fields.Many2One('copp.course.lesson', "Lesson", required=True,
        ondelete='CASCADE', readonly=True)
    learner = fields.Many2One('party.party', "Learner", required=True,
        ondelete='RESTRICT', readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    score = fields.Numeric("Score, %", digits=(5, 2), readonly=True,
        help="0–100; empty when the lesson gives no score.")
    attempts = fields.Integer("Attempts", readonly=True)
    time_spent = fields.TimeDelta("Time Spent", readonly=True)
    last_activity = fields.DateTime("Last Activity", readonly=True)
    completed_date = fields.DateTime("Completed", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('course')
        t = cls.__table__()
        cls._order = [('course', 'ASC'), ('learner', 'ASC'),
            ('lesson', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('lesson_learner_unique', Unique(t, t.lesson, t.learner),
                'copp_course.msg_progress_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.learner, Index.Range()),
                    (t.course, Index.Range())),
                Index(t, (t.course, Index.Range())),
                })

    @classmethod
    def default_state(cls):
        return 'not_started'

    @classmethod
    def default_attempts(cls):
        return 0

    def get_rec_name(self, name):
        return f'{self.learner.rec_name} — {self.lesson.rec_name}'

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for record in records:
            if record.score is not None and not (
                    0 <= record.score <= 100):
                raise CourseValidationError(gettext(
                        'copp_course.msg_progress_score',
                        progress=record.rec_name))

    @classmethod
    def record(cls, lesson, learner_party, state=None, score=None,
            time_spent=None):
        """Record the activity of `learner_party` in `lesson` and recompute
        the learner's course result; return the progress row.

        state: 'in_progress' never replaces 'completed' or 'failed' (a
        visit after the end); 'completed' and 'failed' are set as given
        (the caller decides, e.g. copp_quiz by its grading method), each
        counts an attempt. score: a percent 0..100, kept when None.
        time_spent: a timedelta added to the time already spent.

        Runs without access checks: the callers (the cabinet, a teacher
        grading an essay) checked that the learner takes the course."""
        with without_check_access():
            return cls._record_progress(lesson, learner_party, state=state,
                score=score, time_spent=time_spent)

    @classmethod
    def _record_progress(cls, lesson, learner_party, state=None, score=None,
            time_spent=None):
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        Participant = pool.get('copp.course.participant')
        lesson = Lesson(int(lesson))
        party_id = int(learner_party)
        if state is not None and state not in dict(STATES):
            raise ValueError(f'unknown progress state {state!r}')
        rows = cls.search([
                ('lesson', '=', lesson.id),
                ('learner', '=', party_id),
                ], limit=1)
        now = dt.datetime.now()
        if rows:
            progress, = rows
        else:
            progress = cls(course=lesson.course.id, lesson=lesson.id,
                learner=party_id, state='not_started', attempts=0,
                score=None, time_spent=None, completed_date=None)
        if state is not None and not (
                state == 'in_progress' and progress.state in FINAL_STATES):
            if state == 'completed' and progress.state != 'completed':
                progress.completed_date = now
            elif state != 'completed':
                progress.completed_date = None
            progress.state = state
            if state in FINAL_STATES:
                progress.attempts = (progress.attempts or 0) + 1
        if score is not None:
            progress.score = Decimal(str(score)).quantize(Decimal('0.01'))
        if time_spent:
            progress.time_spent = (progress.time_spent
                or dt.timedelta()) + time_spent
        progress.last_activity = now
        progress.save()
        Participant.recompute_for(lesson.course, [party_id])
        return progress
