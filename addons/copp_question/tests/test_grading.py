"""grading.grade for every kind of question, with edge cases (pure
Python: plain objects stand for the records)"""
import unittest
from decimal import Decimal as D
from types import SimpleNamespace

from copp_question.grading import grade, parse_number


def question(kind, answers, case_sensitive=False):
    return SimpleNamespace(kind=kind, case_sensitive=case_sensitive,
        answers=[SimpleNamespace(id=i, sequence=i, text=text,
                fraction=D(str(fraction)), tolerance=tolerance,
                match_text=match_text)
            for i, (text, fraction, tolerance, match_text) in enumerate(
                answers, 1)])


def choices(*pairs):
    return [(text, fraction, None, None) for text, fraction in pairs]


class GradingTestCase(unittest.TestCase):

    def test_single(self):
        q = question('single', choices(('a', 1), ('b', 0), ('c', 0.5),
                ('d', -0.5)))
        self.assertEqual(grade(q, 1), 1)
        self.assertEqual(grade(q, 2), 0)
        self.assertEqual(grade(q, 3), D('0.5'))
        self.assertEqual(grade(q, '1'), 1, "an id as JSON text")
        self.assertEqual(grade(q, 4), 0, "a negative fraction is 0")
        self.assertEqual(grade(q, 99), 0, "an unknown id")
        self.assertEqual(grade(q, None), 0)
        self.assertEqual(grade(q, True), 0, "a boolean is not an id")
        self.assertEqual(grade(q, [1]), 0)

    def test_multiple(self):
        third = D('0.3333333')
        q = question('multiple', choices(('2', third), ('3', third),
                ('5', third), ('4', -1)))
        self.assertEqual(grade(q, [1, 2, 3]), D('0.9999999'))
        self.assertEqual(grade(q, [1]), third)
        self.assertEqual(grade(q, [1, 2, 3, 4]), 0, "clamped to 0")
        self.assertEqual(grade(q, [1, 1, 1]), third, "an id counts once")
        self.assertEqual(grade(q, []), 0)
        self.assertEqual(grade(q, 1), 0, "not a list")
        self.assertEqual(grade(q, [1, 'x', None, 42]), third)
        half = question('multiple', choices(('a', 0.5), ('b', 0.5),
                ('c', 0.5)))
        self.assertEqual(grade(half, [1, 2, 3]), 1, "clamped to 1")

    def test_truefalse(self):
        q = question('truefalse', choices(('true', 0), ('false', 1)))
        self.assertEqual(grade(q, False), 1)
        self.assertEqual(grade(q, True), 0)
        self.assertEqual(grade(q, 'false'), 0, "only a JSON boolean")
        self.assertEqual(grade(q, None), 0)
        russian = question('truefalse', choices(('Верно', 1),
                ('Неверно', 0)))
        self.assertEqual(grade(russian, True), 1)

    def test_short(self):
        q = question('short', choices(('Ока', 1), ('О*а', 0.5),
                ('река  Ока', 1)))
        self.assertEqual(grade(q, 'Ока'), 1)
        self.assertEqual(grade(q, '  ока '), 1, "trimmed, any case")
        self.assertEqual(grade(q, 'Онега'), D('0.5'), "wildcard")
        self.assertEqual(grade(q, 'Река ока'), 1, "spaces collapsed")
        self.assertEqual(grade(q, 'Волга'), 0)
        self.assertEqual(grade(q, ''), 0)
        self.assertEqual(grade(q, '   '), 0)
        self.assertEqual(grade(q, None), 0)
        self.assertEqual(grade(q, 5), 0)
        sensitive = question('short', choices(('Ока', 1)),
            case_sensitive=True)
        self.assertEqual(grade(sensitive, 'Ока'), 1)
        self.assertEqual(grade(sensitive, 'ока'), 0)
        literal = question('short', choices(('a.b (c)+', 1), ('*', 0.1)))
        self.assertEqual(grade(literal, 'a.b (c)+'), 1, "no regex")
        self.assertEqual(grade(literal, 'aXb (c)'), D('0.1'),
            "* alone accepts anything, the best fraction counts")

    def test_numeric(self):
        q = question('numeric', [
                ('3.14', 1, D('0.01'), None),
                ('3', D('0.5'), D('0.5'), None),
                ('-2', D('0.2'), None, None)])
        self.assertEqual(grade(q, 3.14), 1)
        self.assertEqual(grade(q, '3,141'), 1, "a comma")
        self.assertEqual(grade(q, '3.15'), 1, "on the tolerance's edge")
        self.assertEqual(grade(q, '3.16'), D('0.5'))
        self.assertEqual(grade(q, 2.5), D('0.5'))
        self.assertEqual(grade(q, 2.49), 0)
        self.assertEqual(grade(q, '-2'), D('0.2'), "no tolerance: exact")
        self.assertEqual(grade(q, '-2.0001'), 0)
        self.assertEqual(grade(q, 'три'), 0)
        self.assertEqual(grade(q, '3.1.4'), 0)
        self.assertEqual(grade(q, 'NaN'), 0)
        self.assertEqual(grade(q, 'Infinity'), 0)
        self.assertEqual(grade(q, None), 0)
        self.assertEqual(grade(q, True), 0)
        self.assertEqual(grade(q, ' 3 '), D('0.5'))
        anything = question('numeric', [('42', 1, 0, None),
                ('*', D('0.1'), 0, None)])
        self.assertEqual(grade(anything, 7), D('0.1'))
        self.assertEqual(grade(anything, 'x'), 0, "* needs a number")

    def test_matching(self):
        q = question('matching', [
                ('Кошка', 0, None, 'мяу'), ('Собака', 0, None, 'гав'),
                ('Корова', 0, None, 'му'), ('Утка', 0, None, 'кря'),
                ('', 0, None, 'кукареку')])
        self.assertEqual(grade(q, {'1': 1, '2': 2, '3': 3, '4': 4}), 1)
        self.assertEqual(grade(q, {1: 1, 2: 2, 3: 5, 4: 3}), D('0.5'))
        self.assertEqual(grade(q, {'1': 2, '2': 1}), 0)
        self.assertEqual(grade(q, {'1': 1}), D('0.25'))
        self.assertEqual(grade(q, {'5': 5}), 0,
            "the extra choice is not a subquestion")
        self.assertEqual(grade(q, {'1': 99, 'x': 1}), 0)
        self.assertEqual(grade(q, [1, 2]), 0)
        same = question('matching', [('a', 0, None, 'x'),
                ('b', 0, None, 'x'), ('c', 0, None, 'y')])
        self.assertEqual(grade(same, {'1': 2, '2': 1, '3': 3}), 1,
            "answers with the same right-hand text are interchangeable")

    def test_ordering(self):
        q = question('ordering', choices(('a', 0), ('b', 0), ('c', 0),
                ('d', 0)))
        self.assertEqual(grade(q, [1, 2, 3, 4]), 1)
        self.assertEqual(grade(q, [2, 1, 3, 4]), D('0.5'))
        self.assertEqual(grade(q, [4, 3, 2, 1]), 0)
        self.assertEqual(grade(q, [1, 2]), D('0.5'), "missing items")
        self.assertEqual(grade(q, [1, 2, 3, 4, 5]), 1, "extra ignored")
        self.assertEqual(grade(q, ['1', '2', 3, 4]), 1)
        self.assertEqual(grade(q, []), 0)
        self.assertEqual(grade(q, 'abcd'), 0)
        three = question('ordering', choices(('a', 0), ('b', 0), ('c', 0)))
        self.assertEqual(grade(three, [1, 3, 2]), D('0.3333333'))

    def test_essay(self):
        q = question('essay', [])
        self.assertIsNone(grade(q, "Мой ответ"))
        self.assertIsNone(grade(q, None))

    def test_parse_number(self):
        self.assertEqual(parse_number('1 000,5'), D('1000.5'))
        self.assertEqual(parse_number('-.5'), D('-0.5'))
        self.assertEqual(parse_number('1e3'), D('1000'))
        self.assertIsNone(parse_number('1,000.5'))
        self.assertIsNone(parse_number(''))
