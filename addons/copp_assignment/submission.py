"""A learner's work for an assignment (copp.assignment.submission): one
record per attempt, with the text and the files (ir.attachment of the
submission, checked by attachment.py), the lateness at hand-in time, the
teacher's grade, feedback and rubric scores (score.py).

States: draft → submitted → graded, or → returned (for rework); a graded
work may be graded again or returned. A new attempt exists only after the
last one was returned, when the assignment allows resubmission and
attempts are left (Assignment.attempt_refusal, checked in validate).

The course progress of the lesson (copp_course's Progress.record) follows:
'in_progress' when a work is handed in or returned, 'completed' or
'failed' when graded (final grade ≥ pass grade), with the final grade as
a percent of max_grade."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from copp_site.sanitize import clean_html

from . import policy
from .exceptions import GradingError, SubmissionError

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('graded', "Graded"),
    ('returned', "Returned for Rework"),
    ]
GRADING = ['submitted', 'graded']


class Submission(Workflow, ModelSQL, ModelView):
    __name__ = 'copp.assignment.submission'
    __string__ = "Assignment Submission"

    assignment = fields.Many2One('copp.assignment', "Assignment",
        required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    lesson = fields.Many2One('copp.course.lesson', "Lesson",
        ondelete='SET NULL',
        domain=[('assignment', '=', Eval('assignment', -1))],
        states={'readonly': Eval('state') != 'draft'},
        help="The course lesson the work was handed in for.")
    learner = fields.Many2One('party.party', "Learner", required=True,
        ondelete='RESTRICT', states={'readonly': Eval('id', -1) >= 0},
        context={'company': Eval('company', -1)}, depends={'company'})
    company = fields.Function(fields.Many2One('company.company',
            "Organization"), 'on_change_with_company',
        searcher='search_company')
    attempt = fields.Integer("Attempt", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    text = fields.Text("Text", states={'readonly': Eval('state') != 'draft'})
    files = fields.One2Many('ir.attachment', 'resource', "Files",
        states={'readonly': Eval('state') != 'draft'})
    submitted_date = fields.DateTime("Handed In", readonly=True)
    late = fields.Boolean("Late", readonly=True)
    days_late = fields.Integer("Days Late", readonly=True)
    penalty = fields.Numeric("Penalty (%)", digits=(16, 2), readonly=True)
    has_rubric = fields.Function(fields.Boolean("With Rubric"),
        'on_change_with_has_rubric')
    max_grade = fields.Function(fields.Numeric("Max Grade", digits=(16, 2)),
        'on_change_with_max_grade')
    scores = fields.One2Many('copp.assignment.submission.score',
        'submission', "Rubric Scores",
        states={'readonly': ~Eval('state').in_(GRADING)})
    grade = fields.Numeric("Grade", digits=(16, 2),
        states={'readonly': ~Eval('state').in_(GRADING)
            | Bool(Eval('has_rubric'))},
        help="Points before the penalty; with a rubric it is computed "
        "from the chosen levels when grading.")
    final_grade = fields.Numeric("Final Grade", digits=(16, 2),
        readonly=True, help="The grade less the late penalty.")
    passed = fields.Function(fields.Boolean("Passed"), 'get_passed')
    feedback = fields.Text("Feedback",
        states={'readonly': ~Eval('state').in_(GRADING)})
    graded_by = fields.Many2One('res.user', "Graded by", readonly=True,
        ondelete='SET NULL')
    graded_date = fields.DateTime("Graded", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('assignment')
        cls._order = [('submitted_date', 'DESC NULLS LAST'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('attempt_unique', Unique(t, t.assignment, t.learner, t.attempt),
                'copp_assignment.msg_attempt_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.assignment, Index.Range()),
                    (t.learner, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'graded'),
            ('graded', 'graded'),
            ('submitted', 'returned'),
            ('graded', 'returned'),
            }
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'evaluate': {
                    'invisible': ~Eval('state').in_(GRADING),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'rework': {
                    'invisible': ~Eval('state').in_(GRADING),
                    'icon': If(Eval('state') == 'graded', 'tryton-undo',
                        'tryton-back'),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('assignment')
    def on_change_with_company(self, name=None):
        return self.assignment.company if self.assignment else None

    @classmethod
    def search_company(cls, name, clause):
        return [('assignment.company',) + tuple(clause[1:])]

    @fields.depends('assignment')
    def on_change_with_has_rubric(self, name=None):
        return bool(self.assignment and self.assignment.criteria)

    @fields.depends('assignment')
    def on_change_with_max_grade(self, name=None):
        return self.assignment.max_grade if self.assignment else None

    def get_passed(self, name):
        if self.state != 'graded' or self.final_grade is None:
            return False
        return self.final_grade >= self.assignment.pass_grade

    def get_rec_name(self, name):
        return gettext('copp_assignment.msg_submission_rec_name',
            learner=self.learner.rec_name, assignment=self.assignment.rec_name,
            attempt=self.attempt or '')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause
        bool_op = 'AND' if operator.startswith('!') else 'OR'
        return [bool_op,
            ('learner.rec_name', operator, value),
            ('assignment.rec_name', operator, value)]

    @fields.depends('assignment', 'scores')
    def on_change_scores(self):
        "The rubric's grade shown while the teacher picks the levels"
        if self.assignment and self.assignment.criteria:
            grade = self.rubric_grade(strict=False)
            if grade is not None:
                self.grade = grade

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('text'):
            values['text'] = str(clean_html(values['text']))
        if mode == 'create' and not values.get('attempt') and (
                values.get('assignment') and values.get('learner')):
            previous = cls.search([
                    ('assignment', '=', values['assignment']),
                    ('learner', '=', values['learner']),
                    ], order=[('attempt', 'DESC')], limit=1)
            values['attempt'] = (previous[0].attempt + 1) if previous else 1
        return values

    @classmethod
    def validate_fields(cls, submissions, field_names):
        super().validate_fields(submissions, field_names)
        if field_names and not {'attempt', 'state', 'assignment',
                'learner'} & set(field_names):
            return
        for submission in submissions:
            submission.check_attempt()

    def check_attempt(self):
        "Earlier attempts were returned, and the assignment allows this one"
        earlier = [s for s in self.assignment.attempts_of(self.learner)
            if s.attempt < self.attempt]
        if not earlier:
            return
        refusal = self.assignment.attempt_refusal(self.learner, earlier)
        if refusal:
            raise SubmissionError(gettext(f'copp_assignment.{refusal}',
                    assignment=self.assignment.rec_name,
                    max_attempts=self.assignment.max_attempts or ''))

    @classmethod
    def check_modification(cls, mode, submissions, values=None,
            external=False):
        super().check_modification(mode, submissions, values=values,
            external=external)
        if mode == 'delete':
            for submission in submissions:
                if submission.state != 'draft':
                    raise SubmissionError(gettext(
                            'copp_assignment.msg_submission_delete',
                            submission=submission.rec_name))

    @classmethod
    def copy(cls, submissions, default=None):
        "A copy is a new draft attempt: no hand-in, no grading, no files"
        default = default.copy() if default is not None else {}
        for name in ['attempt', 'submitted_date', 'days_late', 'penalty',
                'grade', 'final_grade', 'graded_by', 'graded_date', 'scores',
                'files']:
            default.setdefault(name, None)
        default.setdefault('state', 'draft')
        default.setdefault('late', False)
        return super().copy(submissions, default=default)

    # Handing in ----------------------------------------------------------
    def check_content(self):
        "A text or a file, of the kinds the assignment accepts"
        self.assignment.check_content(self.text, self.files)

    @classmethod
    def hand_in(cls, submissions, when):
        """Hand the draft `submissions` in at `when` (a naive UTC datetime):
        refused after the cut-off, or after the deadline by the 'refuse'
        policy; otherwise late, days late and the penalty are kept"""
        for submission in submissions:
            submission.check_content()
            accepted, late, days, penalty = (
                submission.assignment.acceptance(when))
            if not accepted:
                raise SubmissionError(gettext(
                        'copp_assignment.msg_submission_closed',
                        assignment=submission.assignment.rec_name))
            submission.state = 'submitted'
            submission.submitted_date = when
            submission.late = late
            submission.days_late = days
            submission.penalty = penalty
        cls.save(submissions)
        cls.fill_rubric(submissions)
        for submission in submissions:
            submission.record_progress('in_progress')

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, submissions):
        cls.hand_in(submissions, dt.datetime.now())

    @classmethod
    def submit_online(cls, assignment, lesson, learner, text, files, when):
        """The learner's new attempt from the cabinet, handed in at `when`:
        `text` (HTML) and `files` [(name, data)]; raises SubmissionError
        or SubmissionFileError (Russian, naming the file)"""
        Attachment = Pool().get('ir.attachment')
        assignment.check_can_submit(learner, when)
        # Checked before anything is written: a caller that catches the
        # refusal (a test, a script) keeps no half-made work
        assignment.check_content(text, files)
        assignment.check_files([(n, len(d or b'')) for n, d in files or []])
        submission, = cls.create([{
                    'assignment': assignment.id,
                    'lesson': lesson.id if lesson else None,
                    'learner': int(learner),
                    'text': text or None,
                    }])
        if files:
            Attachment.create([{
                        'name': name,
                        'data': data,
                        'type': 'data',
                        'resource': str(submission),
                        } for name, data in files])
            submission = cls(submission.id)
        cls.hand_in([submission], when)
        return submission

    @classmethod
    def fill_rubric(cls, submissions):
        "A score line per criterion of the rubric (levels left to choose)"
        Score = Pool().get('copp.assignment.submission.score')
        to_create = []
        for submission in submissions:
            scored = {s.criterion.id for s in submission.scores}
            for criterion in submission.assignment.criteria:
                if criterion.id not in scored:
                    to_create.append({'submission': submission.id,
                            'criterion': criterion.id})
        if to_create:
            Score.create(to_create)

    # Grading ---------------------------------------------------------------
    def rubric_grade(self, strict=True):
        """The grade of the chosen levels, scaled to max_grade (rubric.py);
        strict: every criterion needs a level (else GradingError)"""
        assignment = self.assignment
        chosen = {s.criterion.id: s.level for s in self.scores
            if s.criterion and s.level}
        for criterion in assignment.criteria:
            if criterion.id not in chosen and strict:
                raise GradingError(gettext(
                        'copp_assignment.msg_grade_level_missing',
                        criterion=criterion.rec_name,
                        submission=self.rec_name))
        maxima = [c.max_points for c in assignment.criteria]
        if strict and not sum(maxima):
            raise GradingError(gettext(
                    'copp_assignment.msg_grade_rubric_empty',
                    assignment=assignment.rec_name))
        return policy.rubric_grade([l.points for l in chosen.values()],
            maxima, assignment.max_grade)

    @classmethod
    @ModelView.button
    @Workflow.transition('graded')
    def evaluate(cls, submissions):
        "Grade: the rubric's grade (or the typed one) less the penalty"
        pool = Pool()
        Score = pool.get('copp.assignment.submission.score')
        now = dt.datetime.now()
        user = Transaction().user
        cls.fill_rubric(submissions)
        scores = []
        # Fresh instances: fill_rubric() created score lines
        for submission in cls.browse([s.id for s in submissions]):
            assignment = submission.assignment
            if assignment.criteria:
                submission.grade = submission.rubric_grade()
                for score in submission.scores:
                    score.points = score.level.points if score.level else None
                    scores.append(score)
            if submission.grade is None:
                raise GradingError(gettext(
                        'copp_assignment.msg_grade_required',
                        submission=submission.rec_name))
            if not 0 <= submission.grade <= assignment.max_grade:
                raise GradingError(gettext(
                        'copp_assignment.msg_grade_range',
                        submission=submission.rec_name,
                        max_grade=assignment.max_grade))
            submission.final_grade = policy.apply_penalty(submission.grade,
                submission.penalty)
            submission.state = 'graded'
            submission.graded_by = user or None
            submission.graded_date = now
            submission.save()
            submission.record_progress(
                'completed' if submission.final_grade >= assignment.pass_grade
                else 'failed',
                policy.percent(submission.final_grade, assignment.max_grade))
        Score.save(scores)

    @classmethod
    @ModelView.button
    @Workflow.transition('returned')
    def rework(cls, submissions):
        "Return for rework: the learner may hand in a new attempt if allowed"
        for submission in submissions:
            submission.state = 'returned'
        cls.save(submissions)
        for submission in submissions:
            submission.record_progress('in_progress')

    # Course progress ---------------------------------------------------------
    def progress_lessons(self):
        """The lessons whose progress this work makes: its own lesson, else
        the assignment's lessons in the learner's courses"""
        Course = Pool().get('copp.course')
        if self.lesson:
            return [self.lesson]
        return [l for l in self.assignment.lessons
            if l.kind == 'assignment'
            and Course.is_learner(l.course, self.learner)]

    def record_progress(self, state, score=None):
        Progress = Pool().get('copp.course.progress')
        for lesson in self.progress_lessons():
            Progress.record(lesson, self.learner, state=state, score=score)
