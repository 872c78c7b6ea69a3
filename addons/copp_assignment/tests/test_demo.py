"The demo data of copp_assignment (demo.py)"
import datetime as dt
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction

from copp.tests.tools import create_college
from copp_contingent.tests.tools import create_group
from copp_journal.tests.tools import create_students

MODELS = ['copp.assignment', 'copp.assignment.criterion',
    'copp.assignment.criterion.level', 'copp.assignment.submission',
    'copp.assignment.submission.score']


def company_of(record):
    "The institution of a record of MODELS"
    for name in ['criterion', 'submission', 'assignment']:
        if hasattr(record, name):
            return company_of(getattr(record, name))
    return record.company


class AssignmentDemoTestCase(RouteTestCase):
    "The demo data"
    module = 'copp_assignment'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    @with_transaction()
    def test_demo(self):
        "The demo makes an assignment with works in each college"
        from .. import demo
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        for number, (name, short) in enumerate([
                    ("Рязанский колледж электроники", 'РКЭ'),
                    ("Рязанский железнодорожный колледж", 'РЖК')]):
            college = create_college(name, short)
            group = create_group(college, f"ИС-{number}", 2025)
            create_students(college, group,
                [("Иванова", "Анна"), ("Петров", "Пётр"),
                    ("Сидоров", "Илья")], first_number=10 * number + 1)
        counts = {}
        env = SimpleNamespace(pool=pool, today=dt.date(2026, 12, 7),
            count=counts.__setitem__)
        demo.populate(env)
        for model in MODELS:
            Model = pool.get(model)
            companies = {company_of(r) for r in Model.search([])}
            self.assertEqual(len(companies), 2, model)
        states = sorted(s.state for s in Submission.search([]))
        self.assertEqual(states, ['graded'] * 2 + ['returned'] * 2
            + ['submitted'] * 2)
        for graded in Submission.search([('state', '=', 'graded')]):
            self.assertTrue(all(s.level for s in graded.scores))
            self.assertIsNotNone(graded.final_grade)
        self.assertEqual(counts["Задания"], 2)
        self.assertEqual(counts["Работы по заданиям"], 6)
