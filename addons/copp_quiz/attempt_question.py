"""The questions of one attempt (`copp.quiz.attempt.question`).

A row per question of the attempt, made at its start: which bank question,
its mark in this quiz (`max_mark`), the order in which its answers are
shown (`answer_order`, JSON list of answer ids: the shuffle is fixed at the
start, so a resumed attempt shows the same order), the learner's response
(JSON text, copp_question's format for the kind) and its grade.

The teacher grades an essay by writing `mark` (and `feedback`): the
fraction follows, the grader is recorded, and the attempt becomes graded
when no question waits any more (its score and the course progress are
recomputed); changing a mark later regrades the same way."""
import json
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import QuizValidationError
from .grading import decode_response, quantize
from .related import related_values

FRACTION_DIGITS = (9, 7)


class AttemptQuestion(ModelSQL, ModelView):
    "Quiz Attempt Question"
    __name__ = 'copp.quiz.attempt.question'
    __string__ = "Quiz Attempt Question"

    attempt = fields.Many2One('copp.quiz.attempt', "Attempt", required=True,
        ondelete='CASCADE', readonly=True)
    sequence = fields.Integer("Number", readonly=True)
    question = fields.Many2One('copp.question', "Question", required=True,
        ondelete='RESTRICT', readonly=True)
    max_mark = fields.Numeric("Maximum Mark", digits=(16, 2), required=True,
        readonly=True)
    answer_order = fields.Text("Order of the Answers", readonly=True,
        help="The ids of the answers in the order shown to the learner.")
    response = fields.Text("Response", readonly=True,
        help="The learner's answer as saved (JSON).")
    fraction = fields.Numeric("Fraction", digits=FRACTION_DIGITS,
        readonly=True)
    mark = fields.Numeric("Mark", digits=(16, 2),
        states={
            'readonly': ~Eval('attempt_state').in_(
                ['needs_grading', 'graded', 'finished']),
            },
        depends=['attempt_state'])
    feedback = fields.Text("Teacher's Feedback",
        states={
            'readonly': Eval('attempt_state') == 'in_progress',
            },
        depends=['attempt_state'])
    graded_by = fields.Many2One('res.user', "Graded By", readonly=True,
        ondelete='SET NULL')
    attempt_state = fields.Function(fields.Selection('get_attempt_states',
            "Attempt State"), 'get_attempt_fields',
        searcher='search_attempt_field')
    quiz = fields.Function(fields.Many2One('copp.quiz', "Quiz"),
        'get_attempt_fields', searcher='search_attempt_field')
    learner = fields.Function(fields.Many2One('party.party', "Learner"),
        'get_attempt_fields', searcher='search_attempt_field')
    kind = fields.Function(fields.Selection('get_kinds', "Kind"),
        'get_kind', searcher='search_kind')
    question_text = fields.Function(fields.Text("Question Text"),
        'get_question_text')
    response_text = fields.Function(fields.Text("Answer"),
        'get_response_text')
    waiting = fields.Function(fields.Boolean("Waits for Grading"),
        'get_waiting', searcher='search_waiting')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('attempt')
        t = cls.__table__()
        cls._order = [('attempt', 'DESC'), ('sequence', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.attempt, Index.Range()),
                    (t.sequence, Index.Range())),
                Index(t, (t.question, Index.Range())),
                })

    @classmethod
    def get_attempt_states(cls):
        Attempt = Pool().get('copp.quiz.attempt')
        return Attempt.fields_get(['state'])['state']['selection']

    @classmethod
    def get_kinds(cls):
        Question = Pool().get('copp.question')
        return Question.fields_get(['kind'])['kind']['selection']

    def get_attempt_fields(self, name):
        if name == 'attempt_state':
            return self.attempt.state
        return getattr(self.attempt, name).id

    @classmethod
    def search_attempt_field(cls, name, clause):
        field = 'state' if name == 'attempt_state' else name
        return [('attempt.' + field,) + tuple(clause[1:])]

    @classmethod
    def get_kind(cls, questions, name):
        "The kind of the bank questions: one query, not their rows"
        Question = Pool().get('copp.question')
        return related_values(cls, questions, 'question', Question, 'kind')

    @classmethod
    def search_kind(cls, name, clause):
        return [('question.kind',) + tuple(clause[1:])]

    def get_question_text(self, name):
        from copp_site.sanitize import plain_text
        return plain_text(self.question.text or '')

    def get_waiting(self, name):
        return self.fraction is None and self.attempt.state == 'needs_grading'

    @classmethod
    def search_waiting(cls, name, clause):
        _, operator, value = clause[:3]
        waiting = (operator == '=') == bool(value)
        if waiting:
            return [('fraction', '=', None),
                ('attempt.state', '=', 'needs_grading')]
        return ['OR', ('fraction', '!=', None),
            ('attempt.state', '!=', 'needs_grading')]

    def get_rec_name(self, name):
        return f'{self.attempt.rec_name}: {self.sequence}'

    @property
    def order(self):
        "The answer ids in the order of this attempt"
        try:
            return [int(i) for i in json.loads(self.answer_order or '[]')]
        except (ValueError, TypeError):
            return []

    def ordered_answers(self):
        "The question's answers in the order of this attempt"
        by_id = {a.id: a for a in self.question.answers}
        result = [by_id.pop(i) for i in self.order if i in by_id]
        # answers added to the question after the start come last
        return result + sorted(by_id.values(),
            key=lambda a: (a.sequence or 0, a.id))

    @property
    def value(self):
        "The decoded response"
        return decode_response(self.response)

    def get_response_text(self, name):
        "The response in words, for the teacher's lists"
        value = self.value
        if value is None:
            return ''
        kind = self.question.kind
        answers = {a.id: a for a in self.question.answers}

        def label(answer_id):
            try:
                answer = answers.get(int(answer_id))
            except (TypeError, ValueError):
                answer = None
            return (answer.text or answer.match_text or '') if answer else '?'
        if kind in ('essay', 'short', 'numeric'):
            return str(value)
        if kind == 'truefalse':
            return "Верно" if value is True else "Неверно"
        if kind == 'single':
            return label(value)
        if kind in ('multiple', 'ordering') and isinstance(value, list):
            return '; '.join(label(v) for v in value)
        if kind == 'matching' and isinstance(value, dict):
            pairs = []
            for key, chosen in value.items():
                answer = answers.get(chosen) if isinstance(chosen, int) else None
                pairs.append(f'{label(key)} → '
                    + ((answer.match_text or '?') if answer else '?'))
            return '; '.join(pairs)
        return str(value)

    def auto_fraction(self):
        """The fraction the bank gives the response (an unanswered question
        earns 0, even an essay: nothing to grade), None for an answered
        essay"""
        value = self.value
        if value is None or value == '' or value == [] or value == {}:
            return Decimal(0)
        if self.question.kind == 'essay':
            if not str(value).strip():
                return Decimal(0)
            return None
        return self.question.grade_response(value)

    def mark_of(self, fraction):
        if fraction is None:
            return None
        return quantize(Decimal(self.max_mark or 0) * Decimal(fraction))

    @classmethod
    def validate_fields(cls, questions, field_names):
        super().validate_fields(questions, field_names)
        # only a written mark is checked: a write of the response alone
        # reads nothing back
        if {'mark', 'max_mark'} & set(field_names):
            cls.check_mark(questions)

    @classmethod
    def check_mark(cls, questions):
        for question in questions:
            if question.mark is not None and not (
                    0 <= question.mark <= (question.max_mark or 0)):
                raise QuizValidationError(gettext(
                        'copp_quiz.msg_mark_range',
                        question=question.rec_name,
                        max=question.max_mark))

    @classmethod
    def write(cls, *args):
        "A mark written without a fraction is the teacher's grade"
        pool = Pool()
        Attempt = pool.get('copp.quiz.attempt')
        graded = []
        actions = iter(args)
        new_args = []
        for records, values in zip(actions, actions):
            if 'mark' in values and 'fraction' not in values:
                values = values.copy()
                values['graded_by'] = Transaction().user or None
                graded.extend(records)
            new_args.extend([records, values])
        super().write(*new_args)
        if not graded:
            return
        to_write = []
        for question in cls.browse([q.id for q in graded]):
            fraction = None
            if question.mark is not None and question.max_mark:
                fraction = (Decimal(question.mark)
                    / Decimal(question.max_mark)).quantize(
                    Decimal(1).scaleb(-FRACTION_DIGITS[1]))
            to_write.extend([[question], {'fraction': fraction}])
        super().write(*to_write)
        attempts = Attempt.browse(list({q.attempt.id for q in graded}))
        Attempt.update_scores([a for a in attempts
                if a.state in ('needs_grading', 'graded', 'finished')])
