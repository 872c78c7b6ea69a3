"""A cohort in the colleges' journal: its teacher opens the page of a
module's teaching load over the cohort's own dates, marks attendance and
grades of its learners; another teacher cannot open it."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user
from copp_portal.tests.tools import PortalTestMixin

from .tools import create_application, create_cohort, training_setup


class CohortJournalTestCase(PortalTestMixin, RouteTestCase):
    "The journal page of a cohort"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    @with_transaction()
    def test_teacher_marks_attendance(self):
        "The cohort's teacher marks an absence and a grade of a learner"
        from copp_journal.journal import load_grid
        from copp_journal.journal_write import save_cell
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Timetable = pool.get('copp.training.timetable')
        Workload = pool.get('copp.journal.workload')
        Learner = pool.get('copp.training.learner')
        Lesson = pool.get('copp.journal.lesson')
        Application = pool.get('copp.training.application')
        Contract = pool.get('copp.contract')
        Order = pool.get('copp.training.cohort.order')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        teacher = ns.teacher.employee
        other = create_user('teacher_other', [ns.copp], ['group_teacher'])
        start = today - dt.timedelta(days=20)
        with Transaction().set_context(company=ns.copp.id):
            cohort = create_cohort(ns.program, start,
                today + dt.timedelta(days=30), state='draft',
                teachers=[('add', [teacher.id])])
            Cohort.start([cohort])
            loads = Workload.search([('group', '=', cohort.group.id)])
            self.assertEqual({l.teacher for l in loads}, {teacher})
            Timetable.create([{'cohort': cohort.id, 'weekday': str(d),
                        'pair': 1, 'hours': 2, 'line': loads[0].line.id}
                    for d in range(7)])
            Cohort.generate_lessons([cohort])
            applications = [create_application(ns.program, cohort, n)
                for n in range(2)]
            Application.check_documents(applications)
            Application.agree(applications)
            Contract.sign([a.contract for a in applications])
            Application.add_to_order(applications)
            Order.sign([Application(applications[0].id).order])
        learners = Learner.search([('cohort', '=', cohort.id)])
        students = sorted(l.student.id for l in learners)
        load = loads[0]
        past = Lesson.search([('workload', '=', load.id),
                ('date', '<=', today)], order=[('date', 'DESC')], limit=1)
        self.assertTrue(past)
        self.assertGreaterEqual(past[0].date, start)
        month = past[0].date.replace(day=1)
        with Transaction().set_user(ns.teacher.id), check_access():
            grid = load_grid(load.id, month)
            self.assertTrue(grid['editable'])
            self.assertEqual(grid['workload']['term'],
                f'поток {cohort.code}')
            self.assertEqual(sorted(s['id'] for s in grid['students']),
                students)
            lesson, = [l for l in grid['lessons'] if l['id'] == past[0].id]
            absent = save_cell(load.id, lesson['id'], students[0], 'н')
            graded = save_cell(load.id, lesson['id'], students[1], '5')
            self.assertEqual((absent['text'], graded['text']), ('н', '5'))
            grid = load_grid(load.id, month)
            self.assertEqual(grid['cells'][f"{lesson['id']}:{students[0]}"],
                'н')
        from copp_journal.exceptions import JournalAccessError
        with Transaction().set_user(other.id), check_access():
            with self.assertRaises(JournalAccessError):
                save_cell(load.id, lesson['id'], students[0], '4')

    @with_transaction()
    def test_contingent_order_refuses_cohort_group(self):
        "A college's contingent order cannot enrol into a cohort's group"
        from trytond.model.exceptions import DomainValidationError
        from copp_contingent.tests.tools import (
            create_applicants, create_group, order)
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        with Transaction().set_context(company=ns.college.id):
            Cohort.start([ns.college_cohort])
            cohort_group = ns.college_cohort.group
            self.assertEqual(cohort_group.company, ns.college)
            group = create_group(ns.college, "ИС-11", today.year)
            first, second = create_applicants(ns.college,
                ["Иванов Иван Иванович", "Петрова Анна Сергеевна"])
            with self.assertRaises(DomainValidationError) as raised:
                order(ns.college, 'enrolment', today,
                    [{'student': first, 'to_group': cohort_group,
                        'to_funding': 'budget'}],
                    sign=False)
            self.assertIn(cohort_group.rec_name, str(raised.exception))
            enrolment = order(ns.college, 'enrolment', today,
                [{'student': second, 'to_group': group,
                    'to_funding': 'budget'}], sign=False)
            self.assertEqual(enrolment.lines[0].to_group, group)


del RouteTestCase
