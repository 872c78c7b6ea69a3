"""Attempts of a quiz (`copp.quiz.attempt`).

Life of an attempt: `start()` draws its questions (quiz.draw) and fixes
the order of their answers; the learner's answers are saved one by one as
given (`save_answer()`: one UPDATE of one row, nothing else), so a lost
connection loses nothing and reopening resumes; `finish()` grades every
question through the bank (Question.grade_response) — an essay waits for
the teacher (needs_grading) — and records the learner's quiz grade in the
course progress (`Progress.record`).

The deadline is computed by the server at the start (time limit, capped by
the quiz's closing). After it, saves are refused and the attempt is
finished at the deadline, by the next request that touches it or by the
cron `close_overdue`.

States: in_progress; finished (graded automatically, final);
needs_grading (an essay waits); graded (the teacher graded, final)."""
from collections import defaultdict

from sql import Null
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import compiled
from .exceptions import QuizError
from .grading import (
    RESPONSE_MAX, attempt_score, decode_response, encode_response,
    quiz_grade)
from .quiz import answer_order_text, now_of
from .related import related_values

STATES = [
    ('in_progress', "In Progress"),
    ('finished', "Finished"),
    ('needs_grading', "Needs Grading"),
    ('graded', "Graded"),
    ]
FINAL = ('finished', 'graded')


class Attempt(ModelSQL, ModelView):
    "Quiz Attempt"
    __name__ = 'copp.quiz.attempt'
    __string__ = "Quiz Attempt"

    quiz = fields.Many2One('copp.quiz', "Quiz", required=True,
        ondelete='CASCADE', readonly=True)
    lesson = fields.Many2One('copp.course.lesson', "Lesson",
        ondelete='SET NULL', readonly=True,
        help="The course lesson the attempt was made in (its progress).")
    learner = fields.Many2One('party.party', "Learner", required=True,
        ondelete='RESTRICT', readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    number = fields.Integer("Attempt", required=True, readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    start_date = fields.DateTime("Started", required=True, readonly=True)
    deadline = fields.DateTime("Deadline", readonly=True,
        help="Computed by the server at the start from the time limit and "
        "the quiz's closing.")
    finish_date = fields.DateTime("Finished", readonly=True)
    score = fields.Numeric("Score, %", digits=(5, 2), readonly=True)
    passed = fields.Boolean("Passed", readonly=True)
    questions = fields.One2Many('copp.quiz.attempt.question', 'attempt',
        "Questions", readonly=True)
    company = fields.Function(fields.Many2One('company.company', "College"),
        'get_company', searcher='search_company')
    start_day = fields.Function(fields.Date("Start Date"), 'get_day')
    start_time = fields.Function(fields.Time("Start Time"), 'get_day')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('quiz')
        t = cls.__table__()
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.quiz, t.learner, t.number),
                'copp_quiz.msg_attempt_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.quiz, Index.Range()),
                    (t.learner, Index.Range())),
                Index(t, (t.learner, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.deadline, Index.Range()),
                    where=t.state == 'in_progress'),
                })
        cls._buttons.update({
                'finish_button': {
                    'invisible': Eval('state') != 'in_progress',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'in_progress'

    @classmethod
    def get_company(cls, attempts, name):
        """The college of the quizzes: one query, not their rows (the
        learner field's context depends on it, so every read of an
        attempt computes it)"""
        Quiz = Pool().get('copp.quiz')
        return related_values(cls, attempts, 'quiz', Quiz, 'company')

    @classmethod
    def search_company(cls, name, clause):
        return [('quiz.company',) + tuple(clause[1:])]

    def get_day(self, name):
        if not self.start_date:
            return None
        return (self.start_date.date() if name == 'start_day'
            else self.start_date.time().replace(microsecond=0))

    def get_rec_name(self, name):
        return f'{self.quiz.rec_name} — {self.learner.rec_name} #{self.number}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR',
            ('quiz.rec_name',) + tuple(clause[1:]),
            ('learner.rec_name',) + tuple(clause[1:]),
            ]

    def is_overdue(self, now=None):
        return bool(self.deadline and now_of(now) >= self.deadline)

    # Start -----------------------------------------------------------
    @classmethod
    def current(cls, quiz, learner, now=None):
        """The attempt in progress of the learner (finished first if its
        deadline passed, then None)"""
        attempts = cls.search([
                ('quiz', '=', quiz.id),
                ('learner', '=', learner.id),
                ('state', '=', 'in_progress'),
                ], order=[('number', 'DESC')])
        overdue = [a for a in attempts if a.is_overdue(now)]
        if overdue:
            cls.finish(overdue, now)
        for attempt in attempts:
            if attempt not in overdue:
                return attempt
        return None

    @classmethod
    def can_start(cls, quiz, learner, now=None):
        "None if a new attempt may start at `now`, else the reason"
        if not quiz.is_open(now):
            return gettext('copp_quiz.msg_quiz_not_open', quiz=quiz.rec_name)
        if quiz.attempts_allowed:
            made = cls.search_count([
                    ('quiz', '=', quiz.id),
                    ('learner', '=', learner.id),
                    ])
            if made >= quiz.attempts_allowed:
                return gettext('copp_quiz.msg_attempts_used',
                    quiz=quiz.rec_name, count=quiz.attempts_allowed)
        return None

    @classmethod
    def start(cls, quiz, learner, lesson=None, now=None, rng=None):
        """The learner's attempt in progress, or a new one (refused outside
        the quiz's dates and beyond the attempts allowed)"""
        pool = Pool()
        Question = pool.get('copp.quiz.attempt.question')
        now = now_of(now)
        current = cls.current(quiz, learner, now)
        if current:
            return current
        reason = cls.can_start(quiz, learner, now)
        if reason:
            raise QuizError(reason)
        last = cls.search([
                ('quiz', '=', quiz.id),
                ('learner', '=', learner.id),
                ], order=[('number', 'DESC')], limit=1)
        drawn = quiz.draw(rng)
        attempt = cls(quiz=quiz, learner=learner, lesson=lesson,
            number=(last[0].number + 1) if last else 1,
            state='in_progress', start_date=now,
            deadline=quiz.deadline_from(now))
        attempt.save()
        Question.create([{
                    'attempt': attempt.id,
                    'sequence': i,
                    'question': question.id,
                    'max_mark': mark,
                    'answer_order': answer_order_text(order),
                    } for i, (question, mark, order) in enumerate(drawn, 1)])
        if lesson:
            # the lesson is begun (never replaces completed or failed)
            pool.get('copp.course.progress').record(lesson, learner,
                state='in_progress')
        return attempt

    # Answers ---------------------------------------------------------
    @classmethod
    def save_answer(cls, attempt, attempt_question, response, now=None):
        """Save the response (JSON-able, see copp_question's formats) of one
        question of the attempt as given: 'saved', 'unchanged' (the same
        response again: nothing written) or 'closed' (the attempt is over;
        when its deadline passed it is finished now). One UPDATE of one
        row (write_response): nothing is read or written for the other
        questions."""
        if attempt_question.attempt.id != attempt.id:
            raise ValueError("question of another attempt")
        if attempt.state != 'in_progress':
            return 'closed'
        if attempt.is_overdue(now):
            cls.finish([attempt], now)
            return 'closed'
        text = cls.response_text(response)
        if (attempt_question.response or None) == text:
            return 'unchanged'
        if not cls.write_response(attempt.id, attempt_question.id, text,
                now):
            # the attempt in the database is no longer in progress
            return 'closed'
        return 'saved'

    @classmethod
    def response_text(cls, response):
        "The response as stored (JSON), refused beyond RESPONSE_MAX"
        text = encode_response(response)
        if text is not None and len(text) > RESPONSE_MAX:
            raise QuizError(gettext('copp_quiz.msg_response_too_long'))
        return text

    @classmethod
    def write_response(cls, attempt_id, question_id, text, now=None):
        """Write `text` as the response of the attempt question
        `question_id` if it is a question of the attempt `attempt_id` and
        the attempt is in progress with its deadline not passed at `now`;
        True if written.

        One guarded UPDATE in SQL (write_uid and write_date set as the
        ORM's write sets them), no record read: the save of an answer is
        the hot path of a class taking a test together. The response is
        readonly and checked by nothing else; should an ir.trigger watch
        the writes of attempt questions, the ORM writes instead."""
        pool = Pool()
        Line = pool.get('copp.quiz.attempt.question')
        Trigger = pool.get('ir.trigger')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        values = dict(attempt_id=attempt_id, question_id=question_id,
            now=now_of(now))

        def where(attempt_id, question_id, now):
            line, attempt = Line.__table__(), cls.__table__()
            running = attempt.select(attempt.id,
                where=(attempt.id == attempt_id)
                & (attempt.state == 'in_progress')
                & ((attempt.deadline == Null) | (attempt.deadline > now)))
            return line, ((line.id == question_id)
                & (line.attempt == attempt_id) & line.attempt.in_(running))

        if Trigger.get_triggers(Line.__name__, 'write'):
            line, condition = where(**values)
            cursor.execute(*line.select(line.id, where=condition))
            lines = Line.browse([r for r, in cursor])
            if lines:
                Line.write(lines, {'response': text})
            return bool(lines)

        def update(text, user, **values):
            line, condition = where(**values)
            return line.update(
                [line.response, line.write_uid, line.write_date],
                [text, user, CurrentTimestamp()], where=condition)
        compiled.execute(cursor, cls, 'write_response', update, text=text,
            user=transaction.user, **values)
        if cursor.rowcount <= 0:
            return False
        # As the ORM's write: the cached values of the row are stale.
        transaction.counter += 1
        for cache in transaction.cache.values():
            if Line.__name__ in cache:
                cache[Line.__name__].pop(question_id, None)
        return True

    # Finish and grades -----------------------------------------------
    @classmethod
    @ModelView.button
    def finish_button(cls, attempts):
        cls.finish(attempts)

    @classmethod
    def finish(cls, attempts, now=None):
        """End the attempts in progress: grade each question through the
        bank; an answered essay waits for the teacher"""
        pool = Pool()
        Question = pool.get('copp.quiz.attempt.question')
        now = now_of(now)
        attempts = [a for a in attempts if a.state == 'in_progress']
        if not attempts:
            return
        to_write = []
        for attempt in attempts:
            pending = False
            for question in attempt.questions:
                fraction = question.auto_fraction()
                if fraction is None:
                    pending = True
                    to_write.extend([[question], {
                                'fraction': None, 'mark': None}])
                else:
                    to_write.extend([[question], {
                            'fraction': fraction,
                            'mark': question.mark_of(fraction),
                            }])
            end = now
            if attempt.deadline and attempt.deadline < now:
                # Closed late by the cron or a later request: it ended at
                # its deadline.
                end = attempt.deadline
            attempt.finish_date = end
            attempt.state = 'needs_grading' if pending else 'finished'
        if to_write:
            Question.write(*to_write)
        cls.save(attempts)
        # fresh instances: the questions' grades were just written
        cls.update_scores(cls.browse([a.id for a in attempts]))

    @classmethod
    def update_scores(cls, attempts):
        """Score of the graded attempts and the learners' progress"""
        for attempt in attempts:
            pending = any(q.fraction is None for q in attempt.questions)
            if attempt.state == 'needs_grading' and not pending:
                attempt.state = 'graded'
            elif attempt.state == 'graded' and pending:
                # a teacher cleared a mark: it waits again
                attempt.state = 'needs_grading'
            if attempt.state in FINAL:
                # from the fractions, not the rounded marks
                attempt.score = attempt_score(
                    [q.fraction * q.max_mark for q in attempt.questions],
                    [q.max_mark for q in attempt.questions])
                attempt.passed = attempt.score >= attempt.quiz.pass_mark
            else:
                attempt.score, attempt.passed = None, False
        cls.save(attempts)
        cls.record_progress(attempts)

    @classmethod
    def quiz_grade(cls, quiz, learner):
        "The learner's grade on the quiz by its method, or None"
        attempts = cls.search([
                ('quiz', '=', quiz.id),
                ('learner', '=', learner.id),
                ('state', 'in', FINAL),
                ], order=[('number', 'ASC')])
        return quiz_grade([a.score for a in attempts], quiz.grade_method)

    @classmethod
    def record_progress(cls, attempts):
        """The quiz grade of each learner to the course progress of the
        lesson: completed when it reaches the pass mark, else failed (a
        later passing attempt — with a method that takes it — turns failed
        into completed)"""
        pool = Pool()
        Progress = pool.get('copp.course.progress')
        Lesson = pool.get('copp.course.lesson')
        Course = pool.get('copp.course')
        keys = defaultdict(set)
        for attempt in attempts:
            if attempt.state in FINAL:
                keys[(attempt.quiz, attempt.learner)].add(attempt.lesson)
        for (quiz, learner), lessons in keys.items():
            grade = cls.quiz_grade(quiz, learner)
            if grade is None:
                continue
            lessons = {l for l in lessons if l}
            if not lessons:
                # Made outside a lesson (back office): every lesson of the
                # quiz in a course the learner follows.
                lessons = {l for l in Lesson.search([('quiz', '=', quiz.id)])
                    if Course.is_learner(l.course, learner)}
            state = 'completed' if grade >= quiz.pass_mark else 'failed'
            for lesson in lessons:
                Progress.record(lesson, learner, state=state, score=grade)

    @classmethod
    def close_overdue(cls, now=None):
        "Cron: finish the attempts whose deadline passed"
        now = now_of(now)
        attempts = cls.search([
                ('state', '=', 'in_progress'),
                ('deadline', '!=', None),
                ('deadline', '<=', now),
                ])
        cls.finish(attempts, now)
        return attempts

    # Review ----------------------------------------------------------
    def review(self, now=None):
        "What the learner sees of this finished attempt at `now`"
        if self.state == 'in_progress':
            return None
        return self.quiz.review_options(now)


def response_of(attempt_question):
    "The decoded response of an attempt question"
    return decode_response(attempt_question.response)
