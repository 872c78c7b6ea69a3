"""Assignments (copp.assignment): a task with instructions that a learner
answers with a text and/or files, before a deadline, graded by a teacher
in points (optionally with a rubric, rubric.py).

Late policy (policy.lateness): after the cut-off nothing is accepted;
between the deadline and the cut-off a work is refused ('refuse'),
accepted and marked late ('mark'), or accepted with a penalty of N % of
the grade per started day, capped ('penalty').

The instructions are HTML of sao's editor, kept sanitised
(copp_site.sanitize.clean_html) whatever wrote them."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp_site.sanitize import clean_html, plain_text

from . import policy
from .exceptions import (
    AssignmentValidationError, SubmissionError, SubmissionFileError)

LATE_POLICIES = [
    ('refuse', "Refuse after the deadline"),
    ('mark', "Accept, marked late"),
    ('penalty', "Accept with a penalty per day"),
    ]
# The most a file may weigh (MB): the cabinet's request limit follows it
MAX_FILE_MB = 100
MAX_FILES = 20


class Assignment(ModelSQL, ModelView):
    __name__ = 'copp.assignment'
    __string__ = "Assignment"

    company = fields.Many2One('company.company', "Organization",
        required=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    instructions = fields.Text("Instructions",
        help="What the learner must do (formatted text).")
    accept_text = fields.Boolean("Text Answer",
        help="The learner may type the answer on the page.")
    accept_files = fields.Boolean("File Answer",
        help="The learner may upload files.")
    allowed_extensions = fields.Char("Allowed Extensions",
        states={'invisible': ~Eval('accept_files')},
        help="File extensions separated by commas, e.g. «pdf, docx, zip»; "
        "empty: any file.")
    max_file_size = fields.Numeric("Max File Size (MB)", digits=(16, 1),
        states={'invisible': ~Eval('accept_files'),
            'required': Eval('accept_files', False)})
    max_files = fields.Integer("Max Files",
        states={'invisible': ~Eval('accept_files'),
            'required': Eval('accept_files', False)})
    deadline = fields.DateTime("Deadline",
        help="After it a work is late (see the late policy).")
    cutoff = fields.DateTime("Cut-off",
        help="After it no work is accepted at all.")
    late_policy = fields.Selection(LATE_POLICIES, "Late Policy",
        required=True, sort=False)
    penalty_per_day = fields.Numeric("Penalty per Day (%)", digits=(16, 2),
        states={'invisible': Eval('late_policy') != 'penalty',
            'required': Eval('late_policy') == 'penalty'},
        help="Percent of the grade taken off per started day of delay.")
    penalty_max = fields.Numeric("Max Penalty (%)", digits=(16, 2),
        states={'invisible': Eval('late_policy') != 'penalty'},
        help="The penalty never exceeds this percent (empty: 100 %).")
    max_grade = fields.Numeric("Max Grade", digits=(16, 2), required=True,
        help="Points of a perfect work. With a rubric, the rubric's points "
        "are scaled to it.")
    pass_grade = fields.Numeric("Pass Grade", digits=(16, 2), required=True,
        help="Points (after the penalty) from which the lesson is passed.")
    resubmission = fields.Boolean("Resubmission Allowed",
        help="A work returned for rework may be handed in again.")
    max_attempts = fields.Integer("Max Attempts",
        states={'invisible': ~Eval('resubmission')},
        help="Attempts in all, the first one included (0: no limit).")
    criteria = fields.One2Many('copp.assignment.criterion', 'assignment',
        "Rubric")
    rubric_max = fields.Function(fields.Numeric("Rubric Points",
            digits=(16, 2)), 'get_rubric_max')
    lessons = fields.One2Many('copp.course.lesson', 'assignment', "Lessons",
        readonly=True)
    submissions = fields.One2Many('copp.assignment.submission',
        'assignment', "Submissions", readonly=True)
    to_grade = fields.Function(fields.Integer("Waiting for Grading"),
        'get_counts')
    submitted_count = fields.Function(fields.Integer("Handed In"),
        'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('deadline', 'DESC NULLS LAST'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_accept_text(cls):
        return True

    @classmethod
    def default_accept_files(cls):
        return True

    @classmethod
    def default_max_file_size(cls):
        return Decimal(10)

    @classmethod
    def default_max_files(cls):
        return 5

    @classmethod
    def default_late_policy(cls):
        return 'mark'

    @classmethod
    def default_max_grade(cls):
        return Decimal(100)

    @classmethod
    def default_pass_grade(cls):
        return Decimal(50)

    @classmethod
    def default_resubmission(cls):
        return True

    @classmethod
    def default_max_attempts(cls):
        return 0

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('instructions'):
            values['instructions'] = str(clean_html(values['instructions']))
        return values

    @classmethod
    def copy(cls, assignments, default=None):
        "A copy has the rubric, not the works nor the lessons"
        default = default.copy() if default is not None else {}
        default.setdefault('submissions', None)
        default.setdefault('lessons', None)
        return super().copy(assignments, default=default)

    def get_rubric_max(self, name):
        return sum((c.max_points for c in self.criteria), Decimal(0))

    @classmethod
    def get_counts(cls, assignments, names):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        result = {n: {a.id: 0 for a in assignments} for n in names}
        states = {'to_grade': ['submitted'],
            'submitted_count': ['submitted', 'graded', 'returned']}
        for name in names:
            rows = Submission.search([
                    ('assignment', 'in', [a.id for a in assignments]),
                    ('state', 'in', states[name]),
                    ])
            for row in rows:
                result[name][row.assignment.id] += 1
        return result

    @classmethod
    def validate_fields(cls, assignments, field_names):
        super().validate_fields(assignments, field_names)
        for a in assignments:
            a.check_settings()

    def _error(self, message_id, **values):
        raise AssignmentValidationError(gettext(
                f'copp_assignment.{message_id}', assignment=self.rec_name,
                **values))

    def check_settings(self):
        if not self.accept_text and not self.accept_files:
            self._error('msg_assignment_no_type')
        if self.deadline and self.cutoff and self.cutoff < self.deadline:
            self._error('msg_assignment_cutoff')
        if self.max_grade is not None and self.max_grade <= 0:
            self._error('msg_assignment_max_grade')
        if self.pass_grade is not None and self.max_grade is not None and (
                not 0 <= self.pass_grade <= self.max_grade):
            self._error('msg_assignment_pass_grade',
                max_grade=self.max_grade)
        for name in ['penalty_per_day', 'penalty_max']:
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 100:
                self._error('msg_assignment_percent',
                    field=self.__names__(name)['field'])
        if self.accept_files:
            if self.max_file_size is not None and not (
                    0 < self.max_file_size <= MAX_FILE_MB):
                self._error('msg_assignment_file_size', limit=MAX_FILE_MB)
            if self.max_files is not None and not (
                    1 <= self.max_files <= MAX_FILES):
                self._error('msg_assignment_max_files', limit=MAX_FILES)
        if self.max_attempts is not None and self.max_attempts < 0:
            self._error('msg_assignment_max_attempts')

    # The rules, for the models and the cabinet -------------------------
    def acceptance(self, when):
        "(accepted, late, days late, penalty %) of a work handed in at `when`"
        return policy.lateness(when, self.deadline, self.cutoff,
            self.late_policy, self.penalty_per_day, self.penalty_max)

    def file_problem(self, filename, size):
        "None or (problem, values) of a file for this assignment"
        return policy.file_problem(filename, size,
            self.allowed_extensions, self.max_file_size)

    def file_error(self, filename, size):
        "The Russian message refusing a file (naming it), or None"
        problem = self.file_problem(filename, size)
        if not problem:
            return None
        kind, values = problem
        return gettext(f'copp_assignment.msg_file_{kind}', name=filename,
            assignment=self.rec_name, **values)

    def check_content(self, text, files):
        """A text (HTML) or files, of the kinds the assignment accepts;
        raise SubmissionError (Russian) otherwise"""
        text = plain_text(text)
        if text and not self.accept_text:
            raise SubmissionError(gettext(
                    'copp_assignment.msg_submission_no_text',
                    assignment=self.rec_name))
        if files and not self.accept_files:
            raise SubmissionError(gettext(
                    'copp_assignment.msg_submission_no_files',
                    assignment=self.rec_name))
        if not text and not files:
            raise SubmissionError(gettext(
                    'copp_assignment.msg_submission_empty',
                    assignment=self.rec_name))

    def check_files(self, files):
        "Raise SubmissionFileError for [(name, size)] out of the limits"
        for name, size in files:
            message = self.file_error(name, size)
            if message:
                raise SubmissionFileError(message)
        if len(files) > (self.max_files or 0):
            raise SubmissionFileError(gettext(
                    'copp_assignment.msg_form_file_count',
                    count=len(files), limit=self.max_files or 0))

    def attempts_of(self, learner):
        "The learner's submissions, the last attempt first"
        Submission = Pool().get('copp.assignment.submission')
        return Submission.search([
                ('assignment', '=', self.id),
                ('learner', '=', int(learner)),
                ], order=[('attempt', 'DESC')])

    def attempt_refusal(self, learner, submissions=None):
        """Why `learner` may not start a new attempt: None or the message
        id ('msg_attempt_pending', 'msg_attempt_graded',
        'msg_attempt_no_resubmission', 'msg_attempt_limit')"""
        if submissions is None:
            submissions = self.attempts_of(learner)
        if not submissions:
            return None
        last = submissions[0]
        if last.state in {'draft', 'submitted'}:
            return 'msg_attempt_pending'
        if last.state == 'graded':
            return 'msg_attempt_graded'
        if not self.resubmission:
            return 'msg_attempt_no_resubmission'
        if self.max_attempts and len(submissions) >= self.max_attempts:
            return 'msg_attempt_limit'
        return None

    def check_can_submit(self, learner, when, submissions=None):
        """Raise SubmissionError (Russian) when `learner` cannot hand in a
        new work at `when`; return (late, days late, penalty)"""
        refusal = self.attempt_refusal(learner, submissions)
        if refusal:
            raise SubmissionError(gettext(f'copp_assignment.{refusal}',
                    assignment=self.rec_name,
                    max_attempts=self.max_attempts or ''))
        accepted, late, days, penalty = self.acceptance(when)
        if not accepted:
            raise SubmissionError(gettext(
                    'copp_assignment.msg_submission_closed',
                    assignment=self.rec_name))
        return late, days, penalty

    def late_policy_text(self):
        "The policy explained to the learner (Russian), for the cabinet"
        if self.late_policy == 'refuse':
            text = gettext('copp_assignment.msg_policy_refuse')
        elif self.late_policy == 'penalty':
            text = gettext('copp_assignment.msg_policy_penalty',
                per_day=_number(self.penalty_per_day),
                cap=_number(self.penalty_max
                    if self.penalty_max is not None else 100))
        else:
            text = gettext('copp_assignment.msg_policy_mark')
        if self.cutoff and self.late_policy != 'refuse':
            text += ' ' + gettext('copp_assignment.msg_policy_cutoff')
        return text


def _number(value):
    "12.50 -> «12,5», 10.00 -> «10»"
    value = Decimal(value or 0).normalize()
    text = format(value, 'f')
    return text.replace('.', ',')
