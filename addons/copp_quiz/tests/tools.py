"""Helpers for the tests of copp_quiz: a college with a study group of
students enrolled in a published course whose lesson is a quiz, and bank
questions of every kind."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from trytond.pool import Pool

from copp_contingent.tests.tools import create_group
from copp_event.tests.tools import create_college
from copp_journal.tests.tools import create_students

T0 = dt.datetime(2026, 3, 2, 9, 0)

ANSWERS = {
    'single': [
        {'text': "4", 'fraction': Decimal(1), 'feedback': "Верно: 2 + 2 = 4"},
        {'text': "5", 'fraction': Decimal(0), 'feedback': "Пересчитайте"},
        {'text': "3", 'fraction': Decimal(0)},
        ],
    'multiple': [
        {'text': "2", 'fraction': Decimal('0.5')},
        {'text': "3", 'fraction': Decimal('0.5')},
        {'text': "4", 'fraction': Decimal(-1)},
        ],
    'truefalse': [
        {'text': "true", 'fraction': Decimal(1)},
        {'text': "false", 'fraction': Decimal(0)},
        ],
    'short': [{'text': "Москва", 'fraction': Decimal(1)}],
    'numeric': [{'text': "3.14", 'fraction': Decimal(1),
            'tolerance': Decimal('0.01')}],
    'matching': [
        {'text': "Россия", 'match_text': "Москва"},
        {'text': "Франция", 'match_text': "Париж"},
        {'text': "", 'match_text': "Берлин"},
        ],
    'ordering': [{'text': "один"}, {'text': "два"}, {'text': "три"}],
    'essay': [],
    }


def create_category(college, name="Основы"):
    Category = Pool().get('copp.question.category')
    category, = Category.create([{'company': college.id, 'name': name}])
    return category


def create_question(category, kind, name=None, answers=None):
    Question = Pool().get('copp.question')
    answers = ANSWERS[kind] if answers is None else answers
    question, = Question.create([{
                'company': category.company.id,
                'category': category.id,
                'name': name or f"Вопрос {kind}",
                'kind': kind,
                'text': f"<p>{name or kind}?</p>",
                'answers': [('create', [dict(a, sequence=i)
                            for i, a in enumerate(answers, 1)])],
                }])
    return question


def create_quiz(college, questions=(), **values):
    "A quiz with a fixed slot (mark 1) per question"
    Quiz = Pool().get('copp.quiz')
    quiz, = Quiz.create([dict({
                    'company': college.id,
                    'name': "Итоговый тест",
                    'slots': [('create', [{
                                    'kind': 'fixed', 'question': q.id,
                                    'mark': Decimal(1), 'sequence': i,
                                    } for i, q in enumerate(questions, 1)])],
                    }, **values)])
    return quiz


def quiz_world(names=(("Иванова", "Анна"), ("Петров", "Пётр"))):
    """A college, a group of students enrolled in a published course with
    a quiz lesson (the quiz: one single-choice and one true/false
    question); a second course nobody is enrolled in, with its own quiz
    lesson"""
    pool = Pool()
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    ns = SimpleNamespace()
    ns.college = create_college("Колледж А", "КА")
    group = create_group(ns.college, "ИС-25-1", 2025)
    ns.students = create_students(ns.college, group, list(names))
    ns.learners = [s.party for s in ns.students]
    ns.category = create_category(ns.college)
    ns.single = create_question(ns.category, 'single', "Сложение")
    ns.truefalse = create_question(ns.category, 'truefalse', "Истина")
    ns.quiz = create_quiz(ns.college, [ns.single, ns.truefalse])
    ns.course, ns.other_course = Course.create([{
                'company': ns.college.id,
                'name': "Основы программирования",
                'code': "ОП-1",
                'pass_grade': Decimal(60),
                'enrolments': [('create', [{'group': group.id}])],
                }, {
                'company': ns.college.id,
                'name': "Чужой курс",
                'code': "ЧК-1",
                'pass_grade': Decimal(60),
                }])
    ns.lesson, ns.other_lesson = Lesson.create([{
                'course': ns.course.id, 'name': "Проверочный тест",
                'kind': 'quiz', 'quiz': ns.quiz.id, 'weight': Decimal(1),
                }, {
                'course': ns.other_course.id, 'name': "Тест чужого курса",
                'kind': 'quiz', 'quiz': ns.quiz.id, 'weight': Decimal(1),
                }])
    Course.publish([ns.course, ns.other_course])
    return ns


def answer_of(question, text):
    "The answer of the question whose text is `text`"
    return next(a for a in question.answers if a.text == text)
