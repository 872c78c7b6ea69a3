"""The demo of copp_quiz on a small data set: the ЦОПП course of
copp_course's demo and two colleges РКЭ and РЖК with a study group each,
the question bank of copp_question's demo."""
import datetime as dt
import unittest
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from copp_contingent.tests.tools import create_group
from copp_course.tests.tools import course_setup
from copp_event.tests.tools import create_college
from copp_journal.tests.tools import create_students

MODELS = ['copp.quiz', 'copp.quiz.slot', 'copp.quiz.attempt',
    'copp.quiz.attempt.question', 'copp.quiz.item_analysis']


class QuizDemoTestCase(unittest.TestCase):
    "Demo data of copp_quiz"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_quiz')

    @with_transaction()
    def test_demo(self):
        "Quizzes with finished attempts in the ЦОПП, РКЭ and РЖК"
        from copp_course import demo as course_demo
        from copp_question import demo as question_demo

        from .. import demo
        pool = Pool()
        Company = pool.get('company.company')
        Cohort = pool.get('copp.training.cohort')
        Attempt = pool.get('copp.quiz.attempt')
        ns = course_setup()
        Cohort.write([ns.cohort], {'state': 'running'})
        Company.write([ns.college], {'short_name': 'РКЭ'})
        rzhk = create_college("Рязанский железнодорожный колледж", "РЖК")
        group = create_group(rzhk, "ТЭ-25-1", 2025)
        create_students(rzhk, group, [("Сидоров", "Олег"),
                ("Кузнецова", "Мария"), ("Орлов", "Илья"),
                ("Смирнова", "Дарья")])
        counts = {}
        env = SimpleNamespace(pool=pool, today=dt.date(2025, 10, 20),
            count=counts.__setitem__)
        course_demo.populate(env)
        question_demo.populate(env)
        demo.populate(env)

        self.assertEqual(counts["Тесты"], 3)
        institutions = [ns.copp, ns.college, rzhk]
        for name in MODELS:
            Model = pool.get(name)
            companies = set()
            for record in Model.search([]):
                quiz = (record if name == 'copp.quiz'
                    else record.attempt.quiz
                    if name == 'copp.quiz.attempt.question'
                    else record.quiz)
                companies.add(quiz.company)
            self.assertGreaterEqual(len(companies), 2, name)
            self.assertEqual(companies, set(institutions), name)
        for company in institutions:
            attempts = Attempt.search([('quiz.company', '=', company.id)])
            self.assertTrue(all(a.state == 'finished' for a in attempts))
            self.assertTrue(any(a.passed for a in attempts), company.rec_name)
            self.assertTrue(any(not a.passed for a in attempts),
                company.rec_name)
            self.assertGreaterEqual(len({a.learner for a in attempts}), 2)
