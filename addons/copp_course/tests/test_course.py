"""Courses: versions, prerequisites and locks, enrolled learners, the
progress and grade of a learner, the grade in the journal."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user

from ..journal_flow import five_point
from .tools import COHORT_END, COHORT_START, course_setup, create_course


class CourseTestCase(unittest.TestCase):
    "Behaviour of copp_course"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_course', lang='ru')

    def record(self, lesson, party, state=None, score=None):
        Progress = Pool().get('copp.course.progress')
        return Progress.record(lesson, party, state=state, score=score)

    def participant(self, course, party):
        Participant = Pool().get('copp.course.participant')
        participant, = Participant.search([
                ('course', '=', course.id), ('party', '=', party.id)])
        return participant

    @with_transaction()
    def test_new_version(self):
        "A new version copies the structure; the old learners stay"
        pool = Pool()
        Course = pool.get('copp.course')
        Progress = pool.get('copp.course.progress')
        ns = course_setup()
        text, video, document, final = ns.lessons
        party = ns.learners[0].party
        self.record(text, party, 'completed')
        action = Course.new_version([ns.course])
        new, = Course.search([('previous_version', '=', ns.course.id)])
        self.assertEqual(action['res_id'], [new.id])
        self.assertEqual((new.version, new.state, new.name),
            (2, 'draft', ns.course.name))
        self.assertEqual(new.enrolments, ())
        self.assertEqual(new.participants, ())
        self.assertEqual(sorted(s.name for s in new.sections),
            ["Введение", "Практика"])
        lessons = {l.name: l for l in new.lessons}
        self.assertEqual(len(lessons), 4)
        self.assertTrue(all(l.course == new for l in lessons.values()))
        self.assertEqual(lessons["Памятка"].section.course, new)
        self.assertEqual(lessons["Памятка"].prerequisites,
            (lessons["Что такое 3D-печать"],))
        self.assertEqual(lessons["Итоговая работа"].prerequisites,
            (lessons["Памятка"],))
        self.assertEqual(bytes(lessons["Памятка"].document), b'%PDF-1.4 memo')
        # The old version: its prerequisites, learners and progress as before
        self.assertEqual(document.prerequisites, (text,))
        self.assertEqual(ns.course.state, 'published')
        self.assertEqual(len(ns.course.enrolments), 1)
        self.assertTrue(Course.is_learner(ns.course, party))
        self.assertFalse(Course.is_learner(new, party))
        self.assertEqual([p.lesson for p in Progress.search([
                        ('learner', '=', party.id)])], [text])
        self.assertEqual(self.participant(ns.course, party).progress,
            Decimal('33.33'))

    @with_transaction()
    def test_prerequisites_validated(self):
        "No cycle of prerequisites, none of another course"
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        ns = course_setup()
        text, video, document, final = ns.lessons
        with self.assertRaises(UserError) as cm:
            Lesson.write([text], {'prerequisites': [('add', [final.id])]})
        self.assertIn("3D-печати", cm.exception.message)
        other = ns.college_lessons[0]
        with self.assertRaises(UserError):
            Lesson.write([video], {'prerequisites': [('add', [other.id])]})
        with self.assertRaises(UserError):
            Lesson.write([video], {'link_url': 'javascript:alert(1)',
                    'kind': 'link'})

    @with_transaction()
    def test_content_sanitised(self):
        "The HTML of a text lesson is stored without its scripts"
        ns = course_setup()
        text = ns.lessons[0]
        self.assertIn('<b>наращивание</b>', text.content)
        self.assertNotIn('script', text.content)

    @with_transaction()
    def test_locks(self):
        "Locked until the prerequisites are completed and the release date"
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        ns = course_setup()
        text, video, document, final = ns.lessons
        party = ns.learners[0].party
        day = dt.date(2025, 10, 10)
        Lesson.write([video], {'release_date': dt.date(2025, 10, 15)})
        locks = Lesson.lock_reasons(ns.lessons, party, day)
        self.assertIsNone(locks[text.id])
        self.assertEqual(locks[video.id], "Занятие откроется 15.10.2025.")
        self.assertEqual(locks[document.id],
            "Сначала пройдите: «Что такое 3D-печать».")
        self.assertIsNotNone(locks[final.id])
        self.record(text, party, 'in_progress')
        self.assertIsNotNone(
            Lesson.lock_reasons([document], party, day)[document.id])
        self.record(text, party, 'completed')
        locks = Lesson.lock_reasons(ns.lessons, party,
            dt.date(2025, 10, 15))
        self.assertIsNone(locks[video.id])
        self.assertIsNone(locks[document.id])
        self.assertIsNotNone(locks[final.id])
        # Another learner's progress opens nothing
        other = ns.learners[1].party
        self.assertIsNotNone(
            Lesson.lock_reasons([document], other, day)[document.id])

    @with_transaction()
    def test_progress_and_grade(self):
        "Progress, weighted grade and completion recomputed by record()"
        pool = Pool()
        Lesson = pool.get('copp.course.lesson')
        ns = course_setup()
        text, video, document, final = ns.lessons
        Lesson.write([video], {'weight': Decimal(3)})
        party = ns.learners[0].party
        participant = self.participant(ns.course, party)
        self.assertEqual((participant.progress, participant.grade,
                participant.completed), (0, None, False))
        Progress = pool.get('copp.course.progress')
        progress = Progress.record(text, party, state='in_progress',
            time_spent=dt.timedelta(minutes=5))
        self.assertEqual((progress.state, progress.attempts,
                progress.time_spent),
            ('in_progress', 0, dt.timedelta(minutes=5)))
        progress = Progress.record(text, party,
            time_spent=dt.timedelta(minutes=3))
        self.assertEqual(progress.time_spent, dt.timedelta(minutes=8))
        self.record(text, party, 'completed')
        progress = self.record(text, party, 'in_progress')
        self.assertEqual((progress.state, progress.attempts),
            ('completed', 1))
        self.record(video, party, score=40)
        participant = self.participant(ns.course, party)
        # 1 of 3 required lessons; video 3 × 40, final 1 × 0 (no score)
        self.assertEqual(participant.progress, Decimal('33.33'))
        self.assertEqual(participant.grade, Decimal('30.00'))
        self.record(document, party, 'completed')
        self.record(final, party, 'failed', score=30)
        participant = self.participant(ns.course, party)
        self.assertEqual(participant.progress, Decimal('66.67'))
        self.assertFalse(participant.completed)
        self.assertEqual(participant.grade, Decimal('37.50'))
        progress = self.record(final, party, 'completed', score=80)
        self.assertEqual(progress.attempts, 2)
        participant = self.participant(ns.course, party)
        self.assertEqual(participant.progress, Decimal(100))
        self.assertEqual(participant.grade, Decimal('50.00'))
        self.assertTrue(participant.completed)
        self.assertEqual(participant.completed_date, progress.completed_date)
        course = pool.get('copp.course')(ns.course.id)
        self.assertEqual((course.lesson_count, course.participant_count,
                course.completed_count),
            (4, len(course.participants), 1))
        self.assertGreater(course.participant_count, 1)
        # The optional video does not count for the completion
        self.assertEqual(
            self.record(video, party).state, 'not_started')
        # A regraded failure reopens the course
        self.record(final, party, 'failed', score=10)
        participant = self.participant(ns.course, party)
        self.assertFalse(participant.completed)
        self.assertIsNone(participant.completed_date)
        with self.assertRaises(UserError):
            self.record(final, party, score=120)

    @with_transaction()
    def test_learners(self):
        "Learners by cohort and by group; is_learner, learner_courses"
        pool = Pool()
        Course = pool.get('copp.course')
        Enrolment = pool.get('copp.course.enrolment')
        Participant = pool.get('copp.course.participant')
        ns = course_setup()
        cohort_parties = {l.party for l in ns.learners}
        group_parties = {s.party for s in ns.students}
        learners = Course.enrolment_learners([ns.course, ns.college_course])
        self.assertEqual({p for (c, p) in learners if c == ns.course.id},
            {p.id for p in cohort_parties})
        self.assertEqual(
            {p for (c, p) in learners if c == ns.college_course.id},
            {p.id for p in group_parties})
        self.assertEqual(
            {p.party for p in Participant.search([
                        ('course', '=', ns.college_course.id)])},
            group_parties)
        enrolment, = ns.college_course.enrolments
        self.assertEqual(enrolment.learner_count, 3)
        for party in cohort_parties:
            self.assertTrue(Course.is_learner(ns.course, party))
            self.assertFalse(Course.is_learner(ns.college_course, party))
            self.assertEqual(Course.learner_courses(party), [ns.course])
        for party in group_parties:
            self.assertEqual(Course.learner_courses(party),
                [ns.college_course])
        # A draft course has no learner in the cabinet
        Course.draft([ns.course])
        self.assertFalse(Course.is_learner(ns.course, ns.learners[0].party))
        self.assertEqual(Course.learner_courses(ns.learners[0].party), [])
        # An enrolment is for a cohort or a group: one of the two
        with self.assertRaises(UserError):
            Enrolment.create([{'course': ns.course.id}])
        with self.assertRaises(UserError):
            Enrolment.create([{'course': ns.course.id,
                        'cohort': ns.cohort.id, 'group': ns.group.id}])
        with self.assertRaises(UserError):
            Enrolment.create([{'course': ns.course.id,
                        'cohort': ns.cohort.id}])

    def test_five_point(self):
        "The scale of the journal mark"
        cases = [(Decimal(100), '5'), (Decimal(85), '5'), (Decimal('84.99'),
                '4'), (Decimal(70), '4'), (Decimal(60), '3'),
            (Decimal('59.9'), '2'), (Decimal(0), '2'), (None, 'pass')]
        for grade, mark in cases:
            self.assertEqual(five_point(grade, Decimal(60)), mark, grade)
        # A pass grade above 70: below it is 2 whatever the scale says
        self.assertEqual(five_point(Decimal(72), Decimal(75)), '2')

    def complete(self, lessons, party, score):
        text, video, document, final = lessons
        for lesson in (text, document):
            self.record(lesson, party, 'completed')
        self.record(final, party, 'completed', score=score)

    @with_transaction()
    def test_journal_group(self):
        "A student's completion writes the mark of the group's discipline"
        pool = Pool()
        Mark = pool.get('copp.journal.mark')
        Course = pool.get('copp.course')
        Lesson = pool.get('copp.course.lesson')
        ns = course_setup()
        ivanov, petrov, _ = ns.students
        self.complete(ns.college_lessons, ivanov.party, 90)
        participant = self.participant(ns.college_course, ivanov.party)
        mark = participant.journal_mark
        self.assertEqual(participant.journal_note, None)
        self.assertEqual((mark.value, mark.student, mark.line, mark.group),
            ('5', ivanov, ns.line, ns.group))
        lesson = mark.lesson
        self.assertEqual((lesson.workload, lesson.kind, lesson.hours),
            (ns.workload, 'test', 0))
        self.assertIn("Чертёж в САПР", lesson.topic)
        self.assertTrue(ns.term1.start_date <= lesson.date
            <= ns.term1.end_date)
        # The second student: the same final lesson; a regrade updates
        self.complete(ns.college_lessons, petrov.party, 65)
        mark2 = self.participant(ns.college_course, petrov.party).journal_mark
        self.assertEqual((mark2.value, mark2.lesson), ('3', lesson))
        self.record(ns.college_lessons[3], petrov.party, 'completed',
            score=75)
        self.assertEqual(Mark(mark2.id).value, '4')
        self.assertEqual(Mark.search_count([('lesson', '=', lesson.id)]), 2)
        # A new graded lesson lowers the grade; the teacher's button
        # sends it (the participant is no longer completed: not sent)
        Lesson.write([ns.college_lessons[0]], {'weight': Decimal(1)})
        Course.transfer_grades([ns.college_course])
        self.assertEqual(Mark(mark.id).value, '2')  # (0 + 90) / 2 = 45 < 60

    @with_transaction()
    def test_journal_cohort(self):
        "A cohort learner's grade goes to the cohort's journal group"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        ns = course_setup()
        learner = ns.learners[0]
        self.complete(ns.lessons, learner.party, 72)
        participant = self.participant(ns.course, learner.party)
        mark = participant.journal_mark
        self.assertEqual((mark.value, mark.student, mark.group),
            ('4', learner.student, ns.cohort.group))
        last_line = max(ns.cohort.curriculum.lines,
            key=lambda l: (l.semester, l.sequence or 0, l.id))
        self.assertEqual(mark.line, last_line)
        self.assertTrue(COHORT_START <= mark.lesson.date <= COHORT_END)
        self.assertIn(mark.lesson.workload, Workload.search([
                    ('group', '=', ns.cohort.group.id)]))

    @with_transaction()
    def test_journal_error_kept(self):
        "Without a load the progress is saved and the reason is kept"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Course = pool.get('copp.course')
        ns = course_setup()
        Workload.delete([ns.workload])
        ivanov = ns.students[0]
        self.complete(ns.college_lessons, ivanov.party, 90)
        participant = self.participant(ns.college_course, ivanov.party)
        self.assertTrue(participant.completed)
        self.assertIsNone(participant.journal_mark)
        self.assertIn("ИСП-21", participant.journal_note)
        with self.assertRaises(UserError):
            Course.transfer_grades([ns.college_course])

    @with_transaction()
    def test_demo(self):
        "The demo makes one published course for a running cohort"
        from types import SimpleNamespace

        from .. import demo
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Course = pool.get('copp.course')
        Participant = pool.get('copp.course.participant')
        ns = course_setup()
        Cohort.write([ns.cohort], {'state': 'running'})
        counts = {}
        env = SimpleNamespace(pool=pool, today=dt.date(2025, 10, 20),
            count=counts.__setitem__)
        demo.populate(env)
        course, = Course.search([('code', 'like', 'ЭК-%')])
        self.assertEqual((course.state, len(course.sections),
                len(course.lessons)), ('published', 2, 5))
        online, = [l for l in course.lessons if l.kind == 'online']
        self.assertEqual(online.online_start,
            dt.datetime(2025, 10, 23, 12, 0))
        self.assertEqual(course.enrolments[0].cohort, ns.cohort)
        participants = Participant.search([('course', '=', course.id)])
        self.assertEqual(len(participants), 2)
        self.assertEqual(sorted(p.progress for p in participants),
            [Decimal('33.33'), Decimal('66.67')])
        self.assertEqual(counts["Электронные курсы"], 1)

    @with_transaction()
    def test_teacher_authoring(self):
        "A college teacher authors, publishes and versions a course"
        pool = Pool()
        Course = pool.get('copp.course')
        Participant = pool.get('copp.course.participant')
        ns = course_setup()
        teacher = create_user('teacher_ka', [ns.college], ['group_teacher'])
        minister = create_user('minister', [ns.college, ns.copp],
            ['group_ministry'])
        with Transaction().set_user(teacher.id), check_access(), \
                Transaction().set_context(company=ns.college.id):
            course, lessons = create_course(ns.college,
                discipline=ns.line.id, name="Охрана труда", code='E-OT',
                enrolments=[('create', [{'group': ns.group.id}])])
            Course.publish([course])
            self.assertEqual(len(Participant.search([
                            ('course', '=', course.id)])), 3)
            self.record(lessons[0], ns.students[0].party, 'completed')
            Course.transfer_grades([course])
            Course.new_version([course])
            new, = Course.search([('previous_version', '=', course.id)])
            self.assertEqual(new.version, 2)
        with Transaction().set_user(minister.id), check_access():
            self.assertEqual(len(Course.search([])), 4)
            with self.assertRaises(AccessError):
                Course.write([course], {'name': "Изменено"})

    @with_transaction()
    def test_company_rule(self):
        "A teacher of another organization reads no course of the ЦОПП"
        pool = Pool()
        Course = pool.get('copp.course')
        ns = course_setup()
        teacher = create_user('teacher_ka', [ns.college], ['group_teacher'])
        with Transaction().set_user(teacher.id), check_access():
            self.assertEqual(Course.search([]), [ns.college_course])
            with self.assertRaises(AccessError):
                Course.read([ns.course.id], ['name'])


if __name__ == '__main__':
    unittest.main()
