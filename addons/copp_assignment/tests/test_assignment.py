"""Assignments through the model API: the late policies at fixed instants,
grading with a rubric scaled to the max grade, the file limits checked on
the attachments, the resubmission rules, and the course progress rows that
handing in and grading make (copp.course.progress)."""
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user

from .tools import (
    CUTOFF, DEADLINE, PDF, assignment_setup, create_assignment, progress_of)

D = Decimal
ON_TIME = DEADLINE - dt.timedelta(days=1)


class AssignmentTestCase(RouteTestCase):
    "Assignments, submissions, grading"
    module = 'copp_assignment'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pass

    def hand_in(self, ns, when, learner=None, text="<p>Ответ</p>",
            files=None, assignment=None):
        Submission = Pool().get('copp.assignment.submission')
        return Submission.submit_online(assignment or ns.assignment,
            ns.lesson, learner or ns.learner, text, files or [], when)

    @with_transaction()
    def test_on_time_and_marked_late(self):
        ns = assignment_setup()
        submission = self.hand_in(ns, ON_TIME)
        self.assertEqual((submission.state, submission.late,
                submission.days_late, submission.penalty, submission.attempt,
                submission.submitted_date),
            ('submitted', False, 0, D(0), 1, ON_TIME))
        late = self.hand_in(ns, DEADLINE + dt.timedelta(hours=25),
            learner=ns.learner2)
        self.assertEqual((late.late, late.days_late, late.penalty),
            (True, 2, D(0)))

    @with_transaction()
    def test_refuse_policy_and_cutoff(self):
        ns = assignment_setup(late_policy='refuse')
        with self.assertRaisesRegex(UserError, "срок сдачи прошёл"):
            self.hand_in(ns, DEADLINE + dt.timedelta(minutes=1))
        ns.assignment.late_policy = 'mark'
        ns.assignment.save()
        with self.assertRaisesRegex(UserError, "срок сдачи прошёл"):
            self.hand_in(ns, CUTOFF + dt.timedelta(seconds=1))
        # Nothing was kept of the refused works
        Submission = Pool().get('copp.assignment.submission')
        self.assertEqual(Submission.search([]), [])
        self.hand_in(ns, CUTOFF)

    @with_transaction()
    def test_penalty_per_started_day_capped(self):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        ns = assignment_setup(late_policy='penalty', penalty_per_day=D(10),
            penalty_max=D(25), cutoff=None)
        first = self.hand_in(ns, DEADLINE + dt.timedelta(days=1, hours=2))
        self.assertEqual((first.days_late, first.penalty), (2, D(20)))
        second = self.hand_in(ns, DEADLINE + dt.timedelta(days=4),
            learner=ns.learner2)
        self.assertEqual((second.days_late, second.penalty), (4, D(25)))
        Submission.write([first, second], {'grade': D(80)})
        Submission.evaluate([first, second])
        self.assertEqual(Submission(first.id).final_grade, D('64.00'))
        self.assertEqual(Submission(second.id).final_grade, D('60.00'))
        self.assertTrue(Submission(second.id).passed)

    @with_transaction()
    def test_rubric_grade_scaled_and_progress(self):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        Score = pool.get('copp.assignment.submission.score')
        ns = assignment_setup(rubric=True, max_grade=D(5), pass_grade=D(3))
        self.assertEqual(ns.assignment.rubric_max, D(10))
        self.assertIsNone(progress_of(ns.lesson, ns.learner))
        submission = self.hand_in(ns, ON_TIME)
        self.assertEqual(progress_of(ns.lesson, ns.learner),
            ('in_progress', None))
        # One score line per criterion, waiting for a level
        self.assertEqual([s.criterion.name for s in submission.scores],
            ["Модель данных", "Запросы"])
        with self.assertRaisesRegex(UserError, "Модель данных"):
            Submission.evaluate([submission])
        model, queries = submission.scores
        Score.write([model], {'level': [l for l in model.criterion.levels
                    if l.name == "Частично"][0].id, 'comment': "Нет связей"})
        Score.write([queries], {'level': [l for l in queries.criterion.levels
                    if l.name == "Верно"][0].id})
        Submission.write([submission], {'feedback': "Хорошо, но ER-диаграмма"
                " неполная."})
        Submission.evaluate([submission])
        submission = Submission(submission.id)
        # (2 + 6) / (4 + 6) of 5 points
        self.assertEqual((submission.state, submission.grade,
                submission.final_grade), ('graded', D('4.00'), D('4.00')))
        self.assertEqual([s.points for s in submission.scores], [D(2), D(6)])
        self.assertEqual(progress_of(ns.lesson, ns.learner),
            ('completed', D('80.00')))
        self.assertIsNotNone(submission.graded_date)

    @with_transaction()
    def test_failed_grade_and_typed_grade_range(self):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        ns = assignment_setup()
        submission = self.hand_in(ns, ON_TIME)
        with self.assertRaisesRegex(UserError, "укажите оценку"):
            Submission.evaluate([submission])
        submission.grade = D(120)
        submission.save()
        with self.assertRaisesRegex(UserError, "от 0 до 100"):
            Submission.evaluate([submission])
        submission.grade = D(40)
        submission.save()
        Submission.evaluate([submission])
        self.assertEqual(progress_of(ns.lesson, ns.learner),
            ('failed', D('40.00')))
        self.assertFalse(Submission(submission.id).passed)

    @with_transaction()
    def test_file_limits(self):
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        ns = assignment_setup()   # pdf, docx; 0.5 MB; 2 files
        with self.assertRaisesRegex(UserError, "«virus.exe».*pdf, docx"):
            self.hand_in(ns, ON_TIME, files=[('virus.exe', b'MZ')])
        big = PDF + b'0' * (600 * 1024)
        with self.assertRaisesRegex(UserError, "«big.pdf» весит 0,6 МБ.*0,5"):
            self.hand_in(ns, ON_TIME, files=[('big.pdf', big)])
        with self.assertRaisesRegex(UserError, "не больше 2"):
            self.hand_in(ns, ON_TIME, files=[('a.pdf', PDF), ('b.pdf', PDF),
                    ('c.docx', PDF)])
        Submission = Pool().get('copp.assignment.submission')
        self.assertEqual(Submission.search([]), [])
        submission = self.hand_in(ns, ON_TIME, text=None,
            files=[('Отчёт.PDF', PDF), ('b.docx', PDF)])
        self.assertEqual(sorted(f.name for f in submission.files),
            ['b.docx', 'Отчёт.PDF'])
        # The limits hold for a file added later by any other way
        with self.assertRaisesRegex(UserError, "не больше 2 файлов"):
            Attachment.create([{'name': 'c.pdf', 'data': PDF,
                        'resource': str(submission)}])
        with self.assertRaisesRegex(UserError, "ссылки"):
            Attachment.write(list(submission.files[:1]), {'type': 'link',
                    'link': 'https://example.com/'})

    @with_transaction()
    def test_content_kinds(self):
        ns = assignment_setup(accept_files=False)
        with self.assertRaisesRegex(UserError, "не принимает файлы"):
            self.hand_in(ns, ON_TIME, files=[('a.pdf', PDF)])
        with self.assertRaisesRegex(UserError, "работа пустая"):
            self.hand_in(ns, ON_TIME, text="<p> </p>")

    @with_transaction()
    def test_resubmission_rules(self):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        ns = assignment_setup()   # resubmission, 2 attempts
        first = self.hand_in(ns, ON_TIME)
        with self.assertRaisesRegex(UserError, "ждёт проверки"):
            self.hand_in(ns, ON_TIME)
        first.grade = D(50)
        first.save()
        Submission.evaluate([first])
        with self.assertRaisesRegex(UserError, "оценена"):
            self.hand_in(ns, ON_TIME)
        Submission.rework([first])
        self.assertEqual(Submission(first.id).state, 'returned')
        second = self.hand_in(ns, ON_TIME + dt.timedelta(hours=1))
        self.assertEqual(second.attempt, 2)
        Submission.rework([second])
        with self.assertRaisesRegex(UserError, r"попытки \(2\)"):
            self.hand_in(ns, ON_TIME + dt.timedelta(hours=2))
        # Only the rework of the last attempt opens a new one: a created
        # record that skips the rules is refused too
        with self.assertRaisesRegex(UserError, r"попытки \(2\)"):
            Submission.create([{'assignment': ns.assignment.id,
                        'learner': ns.learner.id, 'text': "x"}])

    @with_transaction()
    def test_no_resubmission(self):
        pool = Pool()
        Submission = pool.get('copp.assignment.submission')
        ns = assignment_setup(resubmission=False)
        first = self.hand_in(ns, ON_TIME)
        Submission.rework([first])
        with self.assertRaisesRegex(UserError, "не допускает повторной"):
            self.hand_in(ns, ON_TIME)

    @with_transaction()
    def test_settings_checked(self):
        ns = assignment_setup()
        for values, message in [
                ({'cutoff': DEADLINE - dt.timedelta(days=1)}, "раньше срока"),
                ({'pass_grade': D(150)}, "проходной балл"),
                ({'accept_text': False, 'accept_files': False}, "разрешите"),
                ({'penalty_per_day': D(120)}, "процент"),
                ({'max_files': 50}, "число файлов"),
                ]:
            with self.assertRaisesRegex(UserError, message):
                create_assignment(ns.college, **values)

    @with_transaction()
    def test_sanitised_html(self):
        pool = Pool()
        Assignment = pool.get('copp.assignment')
        ns = assignment_setup()
        Assignment.write([ns.assignment], {'instructions':
                '<p onclick="x()">Сделайте</p><script>alert(1)</script>'})
        self.assertNotIn('script', ns.assignment.instructions)
        self.assertNotIn('onclick', ns.assignment.instructions)
        self.assertIn('Сделайте', ns.assignment.instructions)
        submission = self.hand_in(ns, ON_TIME,
            text='<p>Ответ<img src=x onerror="alert(1)"></p>')
        self.assertNotIn('onerror', submission.text)

    @with_transaction()
    def test_copy_keeps_rubric_not_works(self):
        pool = Pool()
        Assignment = pool.get('copp.assignment')
        ns = assignment_setup(rubric=True)
        self.hand_in(ns, ON_TIME)
        copy, = Assignment.copy([ns.assignment])
        self.assertEqual([c.name for c in copy.criteria],
            ["Модель данных", "Запросы"])
        self.assertEqual(copy.rubric_max, D(10))
        self.assertEqual((copy.submissions, copy.lessons), ((), ()))
        self.assertEqual(len(ns.assignment.submissions), 1)

    @with_transaction()
    def test_lesson_cabinet_url_and_company(self):
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        ns = assignment_setup()
        self.assertEqual(ns.lesson.cabinet_url(),
            f'/cabinet/courses/{ns.course.id}/lessons/{ns.lesson.id}'
            '/assignment')
        with self.assertRaisesRegex(UserError, "другой организации"):
            Lesson.write([ns.lesson], {'assignment': ns.other_assignment.id})

    @with_transaction()
    def test_other_college_sees_nothing(self):
        pool = Pool()
        Assignment = pool.get('copp.assignment')
        Submission = pool.get('copp.assignment.submission')
        ns = assignment_setup()
        submission = self.hand_in(ns, ON_TIME)
        teacher = create_user('teacher_b', [ns.other_college],
            ['group_teacher'])
        with Transaction().set_user(teacher.id), check_access():
            self.assertEqual(Assignment.search([]), [ns.other_assignment])
            self.assertEqual(Submission.search([]), [])
            with self.assertRaises(AccessError):
                Submission.read([submission.id], ['grade'])


del RouteTestCase
