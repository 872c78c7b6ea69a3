"""Quizzes (`copp.quiz`) and their slots (`copp.quiz.slot`).

A quiz belongs to a college (`company`) and is placed in a course as a
lesson of kind «quiz» (lesson.py). Its questions come from the question
bank (copp_question) through slots: a slot is either one fixed question or
`count` questions drawn at random from a category, at the start of each
attempt (attempt.py keeps the drawn questions and the order of their
answers, so a resumed attempt shows the same test).

Times are naive UTC datetimes, as Tryton stores them; the moment «now» is
always passed in by the caller (the cabinet passes the request's time), so
the tests use explicit datetimes instead of the clock."""
import datetime as dt
import json
import random
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields, sequence_ordered
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import QuizError, QuizValidationError
from .grading import GRADE_METHODS

# Kinds whose answers are shown as a list the learner picks or arranges
# from: their order is shuffled (when asked) and stored per attempt.
SHUFFLED_KINDS = {'single', 'multiple', 'matching', 'ordering'}
# An ordering question is always shown shuffled: in its own order it
# would give the right answer away.
ALWAYS_SHUFFLED = {'ordering'}


def now_of(now=None):
    """The moment of an operation: the one given, else the context's
    `copp_quiz_now` (tests, scripts), else the clock"""
    if now is not None:
        return now
    return Transaction().context.get('copp_quiz_now') or dt.datetime.now()


class Quiz(ModelSQL, ModelView):
    "Quiz"
    __name__ = 'copp.quiz'
    __string__ = "Quiz"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    intro = fields.Text("Introduction",
        help="Shown to the learner before the attempt (HTML allowed).")
    open_date = fields.DateTime("Opens",
        help="Attempts can be started from this moment; empty: at once.")
    close_date = fields.DateTime("Closes",
        domain=[If(Bool(Eval('close_date')) & Bool(Eval('open_date')),
                ('close_date', '>', Eval('open_date')), ())],
        help="Attempts cannot be started after this moment, and an attempt "
        "in progress ends at this moment.")
    time_limit = fields.TimeDelta("Time Limit",
        help="The time of one attempt, counted by the server from its "
        "start; empty: no limit.")
    attempts_allowed = fields.Integer("Attempts Allowed", required=True,
        domain=[('attempts_allowed', '>=', 0)],
        help="0: unlimited.")
    grade_method = fields.Selection(GRADE_METHODS, "Grading Method",
        required=True,
        help="Which attempts make the learner's grade on the quiz.")
    pass_mark = fields.Numeric("Pass Mark, %", digits=(5, 2), required=True,
        domain=[('pass_mark', '>=', 0), ('pass_mark', '<=', 100)])
    shuffle_questions = fields.Boolean("Shuffle Questions")
    shuffle_answers = fields.Boolean("Shuffle Answers",
        help="Shuffle the answers of the questions that allow it.")
    questions_per_page = fields.Integer("Questions per Page",
        domain=[('questions_per_page', '>=', 0)],
        help="0: all the questions on one page.")
    review_marks = fields.Boolean("Marks After the Attempt")
    review_answers = fields.Boolean("Right Answers After the Attempt")
    review_feedback = fields.Boolean("Feedback After the Attempt")
    closed_review_marks = fields.Boolean("Marks After the Quiz Closes")
    closed_review_answers = fields.Boolean(
        "Right Answers After the Quiz Closes")
    closed_review_feedback = fields.Boolean("Feedback After the Quiz Closes")
    slots = fields.One2Many('copp.quiz.slot', 'quiz', "Questions")
    attempts = fields.One2Many('copp.quiz.attempt', 'quiz', "Attempts",
        readonly=True)
    max_mark = fields.Function(fields.Numeric("Maximum Mark",
            digits=(16, 2)), 'get_max_mark')
    question_count = fields.Function(fields.Integer("Questions"),
        'get_max_mark')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('name', 'ASC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.company, Index.Range())))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_attempts_allowed(cls):
        return 0

    @classmethod
    def default_grade_method(cls):
        return 'best'

    @classmethod
    def default_pass_mark(cls):
        return Decimal(60)

    @classmethod
    def default_questions_per_page(cls):
        return 0

    @classmethod
    def default_review_marks(cls):
        return True

    @classmethod
    def default_review_feedback(cls):
        return True

    @classmethod
    def default_closed_review_marks(cls):
        return True

    @classmethod
    def default_closed_review_answers(cls):
        return True

    @classmethod
    def default_closed_review_feedback(cls):
        return True

    @classmethod
    def get_max_mark(cls, quizzes, names):
        result = {n: {} for n in names}
        for quiz in quizzes:
            total, count = Decimal(0), 0
            for slot in quiz.slots:
                number = slot.question_number
                total += (slot.mark or 0) * number
                count += number
            if 'max_mark' in result:
                result['max_mark'][quiz.id] = total
            if 'question_count' in result:
                result['question_count'][quiz.id] = count
        return result

    @classmethod
    def validate(cls, quizzes):
        super().validate(quizzes)
        for quiz in quizzes:
            if quiz.time_limit is not None and (
                    quiz.time_limit <= dt.timedelta(0)):
                raise QuizValidationError(gettext(
                        'copp_quiz.msg_time_limit_positive',
                        quiz=quiz.rec_name))

    @classmethod
    def copy(cls, quizzes, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('attempts', None)
        return super().copy(quizzes, default=default)

    def is_open(self, now=None):
        "Attempts can be started at `now`"
        now = now_of(now)
        if self.open_date and now < self.open_date:
            return False
        if self.close_date and now >= self.close_date:
            return False
        return True

    def is_closed(self, now=None):
        "The quiz closed (its review options after closing apply)"
        return bool(self.close_date and now_of(now) >= self.close_date)

    def deadline_from(self, start):
        "The server-side end of an attempt started at `start` (or None)"
        deadlines = []
        if self.time_limit:
            deadlines.append(start + self.time_limit)
        if self.close_date:
            deadlines.append(self.close_date)
        return min(deadlines) if deadlines else None

    def draw(self, rng=None):
        """The questions of a new attempt: [(question, mark, answer ids in
        the order shown)], each question once (a random slot skips the
        questions already placed by the slots before it and the fixed
        ones)"""
        pool = Pool()
        Question = pool.get('copp.question')
        rng = rng or random.SystemRandom()
        fixed = {s.question.id for s in self.slots
            if s.kind == 'fixed' and s.question}
        used = set()
        drawn = []
        for slot in self.slots:
            if slot.kind == 'fixed':
                if not slot.question or slot.question.id in used:
                    continue
                chosen = [slot.question]
            else:
                candidates = [q for q in Question.search([
                            ('category', '=', slot.category.id),
                            ], order=[('id', 'ASC')])
                    if q.id not in used and q.id not in fixed]
                if len(candidates) < (slot.count or 0):
                    raise QuizError(gettext(
                            'copp_quiz.msg_not_enough_questions',
                            quiz=self.rec_name,
                            category=slot.category.rec_name,
                            count=slot.count, available=len(candidates)))
                chosen = rng.sample(candidates, slot.count or 0)
            for question in chosen:
                used.add(question.id)
                drawn.append((question, slot.mark))
        if not drawn:
            raise QuizError(gettext('copp_quiz.msg_no_questions',
                    quiz=self.rec_name))
        if self.shuffle_questions:
            rng.shuffle(drawn)
        return [(q, m, self.answer_order(q, rng)) for q, m in drawn]

    def answer_order(self, question, rng):
        "The ids of the question's answers in the order this attempt shows"
        answers = [a.id for a in question.answers]
        if question.kind in ALWAYS_SHUFFLED or (
                question.kind in SHUFFLED_KINDS and self.shuffle_answers
                and getattr(question, 'shuffle_answers', True)):
            rng.shuffle(answers)
        return answers

    def review_options(self, now=None):
        "What the review of a finished attempt shows at `now`"
        if self.is_closed(now):
            return {
                'marks': bool(self.closed_review_marks),
                'answers': bool(self.closed_review_answers),
                'feedback': bool(self.closed_review_feedback),
                }
        return {
            'marks': bool(self.review_marks),
            'answers': bool(self.review_answers),
            'feedback': bool(self.review_feedback),
            }


class QuizSlot(sequence_ordered(), ModelSQL, ModelView):
    "Quiz Slot"
    __name__ = 'copp.quiz.slot'
    __string__ = "Quiz Slot"

    quiz = fields.Many2One('copp.quiz', "Quiz", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('fixed', "Fixed Question"),
            ('random', "Random from a Category"),
            ], "Kind", required=True)
    question = fields.Many2One('copp.question', "Question",
        ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'fixed',
            'required': Eval('kind') == 'fixed',
            })
    category = fields.Many2One('copp.question.category', "Category",
        ondelete='RESTRICT',
        states={
            'invisible': Eval('kind') != 'random',
            'required': Eval('kind') == 'random',
            })
    count = fields.Integer("Number of Questions",
        domain=[If(Eval('kind') == 'random', ('count', '>', 0), ())],
        states={
            'invisible': Eval('kind') != 'random',
            'required': Eval('kind') == 'random',
            })
    mark = fields.Numeric("Mark", digits=(16, 2), required=True,
        domain=[('mark', '>', 0)],
        help="The mark of each question of the slot.")
    question_number = fields.Function(fields.Integer("Questions"),
        'on_change_with_question_number')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('quiz')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.quiz, Index.Range())))

    @classmethod
    def default_kind(cls):
        return 'fixed'

    @classmethod
    def default_count(cls):
        return 1

    @classmethod
    def default_mark(cls):
        return Decimal(1)

    @fields.depends('question', 'mark')
    def on_change_question(self):
        if self.question and getattr(self.question, 'default_mark', None):
            self.mark = self.question.default_mark

    @fields.depends('kind', 'count')
    def on_change_with_question_number(self, name=None):
        if self.kind == 'random':
            return self.count or 0
        return 1

    def get_rec_name(self, name):
        if self.kind == 'fixed' and self.question:
            return self.question.rec_name
        if self.category:
            return f'{self.category.rec_name} × {self.count or 0}'
        return str(self.id)


def answer_order_text(order):
    return json.dumps(order)
