"""Attempts of a quiz: limits, the server-side deadline, grading methods,
random draw, the stored shuffle, saving answers, essays graded by hand and
the course progress. Every moment is an explicit datetime (T0 + …)."""
import datetime as dt
import random
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from copp_quiz.grading import item_rest_correlation, quiz_grade

from .tools import (
    T0, answer_of, create_category, create_question, create_quiz,
    quiz_world)

MIN = dt.timedelta(minutes=1)


def answer(attempt, question, response, now=T0):
    "Save the response to the bank question `question` in the attempt"
    Attempt = Pool().get('copp.quiz.attempt')
    line, = [q for q in attempt.questions if q.question == question]
    return Attempt.save_answer(attempt, line, response, now=now)


def progress_of(lesson, learner):
    Progress = Pool().get('copp.course.progress')
    rows = Progress.search([('lesson', '=', lesson.id),
            ('learner', '=', learner.id)])
    return rows[0] if rows else None


class QuizTestCase(unittest.TestCase):
    "Behaviour of quizzes and attempts"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_quiz')

    def run_attempt(self, ns, learner, right_single, right_tf, now=T0):
        "An attempt of the world's quiz answered as asked, finished"
        Attempt = Pool().get('copp.quiz.attempt')
        attempt = Attempt.start(ns.quiz, learner, lesson=ns.lesson, now=now)
        answer(attempt, ns.single, answer_of(ns.single,
                "4" if right_single else "5").id, now)
        answer(attempt, ns.truefalse, right_tf, now)
        Attempt.finish([attempt], now + MIN)
        return Attempt(attempt.id)

    @with_transaction()
    def test_attempt_limit_and_resume(self):
        "Attempts within attempts_allowed; reopening resumes"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        ns.quiz.attempts_allowed = 2
        ns.quiz.save()
        learner = ns.learners[0]
        first = Attempt.start(ns.quiz, learner, lesson=ns.lesson, now=T0)
        self.assertEqual(first.number, 1)
        self.assertEqual(first.state, 'in_progress')
        again = Attempt.start(ns.quiz, learner, lesson=ns.lesson,
            now=T0 + MIN)
        self.assertEqual(again, first)
        Attempt.finish([first], T0 + 2 * MIN)
        second = Attempt.start(ns.quiz, learner, lesson=ns.lesson,
            now=T0 + 3 * MIN)
        self.assertEqual(second.number, 2)
        Attempt.finish([second], T0 + 4 * MIN)
        with self.assertRaises(UserError):
            Attempt.start(ns.quiz, learner, lesson=ns.lesson,
                now=T0 + 5 * MIN)
        # the other learner has their own attempts
        other = Attempt.start(ns.quiz, ns.learners[1], now=T0)
        self.assertEqual(other.number, 1)

    @with_transaction()
    def test_open_and_close_dates(self):
        "No attempt before the opening nor after the closing"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        ns.quiz.open_date = T0 + dt.timedelta(days=1)
        ns.quiz.close_date = T0 + dt.timedelta(days=2)
        ns.quiz.save()
        learner = ns.learners[0]
        with self.assertRaises(UserError):
            Attempt.start(ns.quiz, learner, now=T0)
        with self.assertRaises(UserError):
            Attempt.start(ns.quiz, learner, now=T0 + dt.timedelta(days=2))
        attempt = Attempt.start(ns.quiz, learner,
            now=T0 + dt.timedelta(days=1, hours=1))
        self.assertEqual(attempt.deadline, T0 + dt.timedelta(days=2))

    @with_transaction()
    def test_server_deadline(self):
        "The deadline is the server's: saves after it are refused"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        ns.quiz.time_limit = dt.timedelta(minutes=30)
        ns.quiz.save()
        learner = ns.learners[0]
        attempt = Attempt.start(ns.quiz, learner, lesson=ns.lesson, now=T0)
        self.assertEqual(attempt.deadline, T0 + 30 * MIN)
        self.assertEqual(answer(attempt, ns.truefalse, True,
                now=T0 + 29 * MIN), 'saved')
        self.assertEqual(answer(attempt, ns.single,
                answer_of(ns.single, "4").id, now=T0 + 30 * MIN), 'closed')
        attempt = Attempt(attempt.id)
        self.assertEqual(attempt.state, 'finished')
        self.assertEqual(attempt.finish_date, T0 + 30 * MIN)
        # the answer saved in time counts, the late one not
        self.assertEqual(attempt.score, Decimal('50.00'))

        # A close date before the time limit ends the attempt earlier
        ns.quiz.close_date = T0 + dt.timedelta(hours=2, minutes=10)
        ns.quiz.save()
        late = Attempt.start(ns.quiz, learner, now=T0 + 2 * 60 * MIN)
        self.assertEqual(late.deadline, ns.quiz.close_date)

    @with_transaction()
    def test_cron_closes_overdue(self):
        "The cron finishes the attempts whose deadline passed"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        ns.quiz.time_limit = dt.timedelta(minutes=10)
        ns.quiz.save()
        one = Attempt.start(ns.quiz, ns.learners[0], now=T0)
        two = Attempt.start(ns.quiz, ns.learners[1], now=T0 + 5 * MIN)
        closed = Attempt.close_overdue(now=T0 + 12 * MIN)
        self.assertEqual(closed, [one])
        self.assertEqual(Attempt(one.id).state, 'finished')
        self.assertEqual(Attempt(one.id).finish_date, T0 + 10 * MIN)
        self.assertEqual(Attempt(two.id).state, 'in_progress')
        # a reopening after the deadline finds it finished, not resumed
        again = Attempt.start(ns.quiz, ns.learners[1], now=T0 + 16 * MIN)
        self.assertEqual(Attempt(two.id).state, 'finished')
        self.assertEqual(again.number, 2)

    def test_quiz_grade_methods(self):
        "best / last / average / first of the attempts' scores"
        scores = [Decimal(50), Decimal(100), Decimal(0)]
        self.assertEqual(quiz_grade(scores, 'best'), Decimal(100))
        self.assertEqual(quiz_grade(scores, 'last'), Decimal(0))
        self.assertEqual(quiz_grade(scores, 'first'), Decimal(50))
        self.assertEqual(quiz_grade(scores, 'average'), Decimal(50))
        self.assertEqual(quiz_grade([Decimal(1), Decimal(2)], 'average'),
            Decimal('1.50'))
        self.assertIsNone(quiz_grade([], 'best'))

    @with_transaction()
    def test_grade_methods_progress(self):
        "The quiz grade by method goes to the progress as completed/failed"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        learner = ns.learners[0]
        first = self.run_attempt(ns, learner, True, False)  # 50 %
        self.assertEqual(first.score, Decimal('50.00'))
        self.assertFalse(first.passed)
        progress = progress_of(ns.lesson, learner)
        self.assertEqual(progress.state, 'failed')
        self.assertEqual(progress.score, Decimal('50.00'))
        # a later passed attempt turns failed into completed
        second = self.run_attempt(ns, learner, True, True,
            now=T0 + dt.timedelta(hours=1))  # 100 %
        self.assertTrue(second.passed)
        progress = progress_of(ns.lesson, learner)
        self.assertEqual(progress.state, 'completed')
        self.assertEqual(progress.score, Decimal('100.00'))
        self.run_attempt(ns, learner, False, False,
            now=T0 + dt.timedelta(hours=2))  # 0 %
        expected = {'best': Decimal(100), 'last': Decimal(0),
            'first': Decimal(50), 'average': Decimal(50)}
        for method, grade in expected.items():
            ns.quiz.grade_method = method
            ns.quiz.save()
            self.assertEqual(Attempt.quiz_grade(ns.quiz, learner), grade,
                method)
        # recorded by the method in force: last → 0 % → failed
        ns.quiz.grade_method = 'last'
        ns.quiz.save()
        Attempt.record_progress(Attempt.search([('learner', '=',
                        learner.id)]))
        progress = progress_of(ns.lesson, learner)
        self.assertEqual(progress.state, 'failed')
        self.assertEqual(progress.score, Decimal(0))

    @with_transaction()
    def test_random_draw(self):
        "count questions of the category, none twice, none of a fixed slot"
        pool = Pool()
        Attempt = pool.get('copp.quiz.attempt')
        Quiz = pool.get('copp.quiz')
        ns = quiz_world()
        bank = create_category(ns.college, "Банк")
        questions = [create_question(bank, 'truefalse', f"В{i}")
            for i in range(5)]
        quiz, = Quiz.create([{
                    'company': ns.college.id, 'name': "Случайный",
                    'slots': [('create', [
                                {'kind': 'fixed', 'question':
                                    questions[0].id, 'mark': 2,
                                    'sequence': 1},
                                {'kind': 'random', 'category': bank.id,
                                    'count': 3, 'mark': 1, 'sequence': 2},
                                ])],
                    }])
        self.assertEqual(quiz.max_mark, Decimal(5))
        for seed in range(6):
            attempt = Attempt.start(quiz, ns.learners[0], now=T0,
                rng=random.Random(seed))
            drawn = [q.question for q in attempt.questions]
            self.assertEqual(len(drawn), 4)
            self.assertEqual(len(set(drawn)), 4)
            self.assertEqual(drawn[0], questions[0])
            self.assertEqual(attempt.questions[0].max_mark, Decimal(2))
            self.assertTrue(set(drawn) <= set(questions))
            Attempt.finish([attempt], T0)
        quiz.slots[1].count = 5
        quiz.slots[1].save()
        with self.assertRaises(UserError):
            Attempt.start(quiz, ns.learners[0], now=T0)

    @with_transaction()
    def test_shuffle_stored(self):
        "The answers' order is drawn once and kept on resume"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        ordering = create_question(ns.category, 'ordering', "Порядок",
            answers=[{'text': str(i)} for i in range(8)])
        quiz = create_quiz(ns.college, [ns.single, ordering],
            shuffle_answers=True)
        attempt = Attempt.start(quiz, ns.learners[0], now=T0,
            rng=random.Random(3))
        orders = {q.question.id: q.order for q in attempt.questions}
        by_sequence = sorted(a.id for a in ordering.answers)
        self.assertEqual(sorted(orders[ordering.id]), by_sequence)
        self.assertNotEqual(orders[ordering.id], by_sequence)
        resumed = Attempt.start(quiz, ns.learners[0], now=T0 + MIN,
            rng=random.Random(99))
        self.assertEqual(resumed, attempt)
        for line in resumed.questions:
            self.assertEqual(line.order, orders[line.question.id])
            self.assertEqual([a.id for a in line.ordered_answers()],
                orders[line.question.id])

    @with_transaction()
    def test_save_answer_idempotent(self):
        "The same answer twice writes once; a change is saved"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        attempt = Attempt.start(ns.quiz, ns.learners[0], now=T0)
        right = answer_of(ns.single, "4").id
        self.assertEqual(answer(attempt, ns.single, right), 'saved')
        line, = [q for q in Attempt(attempt.id).questions
            if q.question == ns.single]
        written = line.write_date
        self.assertEqual(answer(Attempt(attempt.id), ns.single, right),
            'unchanged')
        line, = [q for q in Attempt(attempt.id).questions
            if q.question == ns.single]
        self.assertEqual(line.write_date, written)
        self.assertEqual(line.value, right)
        wrong = answer_of(ns.single, "5").id
        self.assertEqual(answer(Attempt(attempt.id), ns.single, wrong),
            'saved')
        other = Attempt.start(ns.quiz, ns.learners[1], now=T0)
        with self.assertRaises(ValueError):
            Attempt.save_answer(other, line, right, now=T0)
        Attempt.finish([attempt], T0 + MIN)
        self.assertEqual(answer(Attempt(attempt.id), ns.single, right),
            'closed')
        self.assertEqual(Attempt(attempt.id).score, Decimal(0))

    @with_transaction()
    def test_every_kind_graded(self):
        "Each kind is graded through the bank on finish"
        Attempt = Pool().get('copp.quiz.attempt')
        ns = quiz_world()
        kinds = ['multiple', 'short', 'numeric', 'matching', 'ordering']
        questions = {k: create_question(ns.category, k) for k in kinds}
        quiz = create_quiz(ns.college, [questions[k] for k in kinds])
        attempt = Attempt.start(quiz, ns.learners[0], now=T0)
        m, o = questions['matching'], questions['ordering']
        answer(attempt, questions['multiple'],
            [answer_of(questions['multiple'], "2").id])
        answer(attempt, questions['short'], " москва ")
        answer(attempt, questions['numeric'], "3,145")
        answer(attempt, m, {str(answer_of(m, "Россия").id):
                answer_of(m, "Россия").id,
                str(answer_of(m, "Франция").id): answer_of(m, "").id})
        answer(attempt, o, [a.id for a in o.answers][::-1])
        Attempt.finish([attempt], T0 + MIN)
        attempt = Attempt(attempt.id)
        fractions = {q.question.kind: q.fraction for q in attempt.questions}
        self.assertEqual(fractions, {'multiple': Decimal('0.5'),
                'short': Decimal(1), 'numeric': Decimal(1),
                'matching': Decimal('0.5'),
                'ordering': Decimal('0.3333333')})
        # (0.5 + 1 + 1 + 0.5 + 0.33) / 5
        self.assertEqual(attempt.score, Decimal('66.67'))

    @with_transaction()
    def test_essay_manual_grading(self):
        "An essay waits for the teacher; the mark completes the attempt"
        Attempt = Pool().get('copp.quiz.attempt')
        Line = Pool().get('copp.quiz.attempt.question')
        ns = quiz_world()
        essay = create_question(ns.category, 'essay', "Эссе")
        quiz = create_quiz(ns.college, [ns.single, essay])
        lesson = ns.lesson
        lesson.quiz = quiz
        lesson.save()
        learner = ns.learners[0]
        attempt = Attempt.start(quiz, learner, lesson=lesson, now=T0)
        answer(attempt, ns.single, answer_of(ns.single, "4").id)
        answer(attempt, essay, "Моё эссе о программировании")
        Attempt.finish([attempt], T0 + MIN)
        attempt = Attempt(attempt.id)
        self.assertEqual(attempt.state, 'needs_grading')
        self.assertIsNone(attempt.score)
        progress = progress_of(lesson, learner)
        self.assertNotIn(progress.state, ('completed', 'failed'))
        line, = Line.search([('waiting', '=', True)])
        self.assertEqual(line.question, essay)
        self.assertEqual(line.response_text, "Моё эссе о программировании")
        with self.assertRaises(ValidationError):
            Line.write([line], {'mark': Decimal(2)})
        Line.write([line], {'mark': Decimal('0.5'),
                'feedback': "Раскройте тему подробнее"})
        attempt = Attempt(attempt.id)
        self.assertEqual(attempt.state, 'graded')
        self.assertEqual(attempt.score, Decimal('75.00'))
        self.assertTrue(attempt.passed)
        line = Line(line.id)
        self.assertEqual(line.fraction, Decimal('0.5'))
        self.assertEqual(line.graded_by.login, 'admin')
        self.assertEqual(Line.search([('waiting', '=', True)]), [])
        progress = progress_of(lesson, learner)
        self.assertEqual(progress.state, 'completed')
        self.assertEqual(progress.score, Decimal('75.00'))
        # a regrade below the pass mark fails the lesson
        Line.write([line], {'mark': Decimal(0)})
        self.assertEqual(Attempt(attempt.id).score, Decimal('50.00'))
        self.assertEqual(progress_of(lesson, learner).state, 'failed')

    def test_item_rest_correlation(self):
        "Pearson's r, None when undefined"
        self.assertAlmostEqual(item_rest_correlation(
                [(1, 1), (1, .5), (0, .5), (0, 0)]), 0.5 ** 0.5)
        self.assertIsNone(item_rest_correlation([(1, 1), (0, 0)]))
        self.assertIsNone(item_rest_correlation([(1, 1), (1, 0), (1, .5)]))

    @with_transaction()
    def test_item_analysis(self):
        """Facility and discrimination on a hand-computed data set: three
        one-mark questions, four attempts right on 3, 2, 1 and 0 of them"""
        pool = Pool()
        Attempt = pool.get('copp.quiz.attempt')
        Analysis = pool.get('copp.quiz.item_analysis')
        ns = quiz_world()
        questions = [create_question(ns.category, 'single', f"З{i}")
            for i in range(3)]
        quiz = create_quiz(ns.college, questions)
        patterns = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0)]
        for number, pattern in enumerate(patterns):
            now = T0 + dt.timedelta(hours=number)
            attempt = Attempt.start(quiz, ns.learners[0], now=now)
            for question, right in zip(questions, pattern):
                answer(attempt, question,
                    answer_of(question, "4" if right else "5").id, now)
            Attempt.finish([attempt], now)
        # an attempt in progress does not count
        Attempt.start(quiz, ns.learners[1], now=T0)
        rows = {r.question: r for r in Analysis.search([
                    ('quiz', '=', quiz.id)])}
        self.assertEqual(len(rows), 3)
        q1, q2, q3 = (rows[q] for q in questions)
        self.assertEqual([r.attempt_count for r in (q1, q2, q3)], [4] * 3)
        self.assertEqual([r.facility for r in (q1, q2, q3)],
            [Decimal('0.75'), Decimal('0.5'), Decimal('0.25')])
        # r = 0.375 / sqrt(0.75 × 0.6875) for Q1 and Q3, 0.5 / sqrt(0.5)
        self.assertEqual([r.discrimination for r in (q1, q2, q3)],
            [Decimal('0.522'), Decimal('0.707'), Decimal('0.522')])
