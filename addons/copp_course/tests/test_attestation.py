"""The course result as the final attestation of the cohort learner
(attestation_flow.py)."""
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from .tools import COHORT_END, COHORT_START, course_setup

WORK = "Электронный курс «Основы 3D-печати»"


class AttestationTestCase(unittest.TestCase):
    "A final-attestation course writes the learner's final grade"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_course', lang='ru')

    def complete(self, lessons, party, score):
        Progress = Pool().get('copp.course.progress')
        text, video, document, final = lessons
        for lesson in (text, document):
            Progress.record(lesson, party, 'completed')
        Progress.record(final, party, 'completed', score=score)

    def participant(self, course, party):
        Participant = Pool().get('copp.course.participant')
        participant, = Participant.search([
                ('course', '=', course.id), ('party', '=', party.id)])
        return participant

    def setup(self, final_attestation=True):
        Course = Pool().get('copp.course')
        ns = course_setup()
        if final_attestation:
            Course.write([ns.course], {'final_attestation': True})
        return ns

    def learner(self, learner):
        return Pool().get('copp.training.learner')(learner.id)

    def result(self, learner):
        learner = self.learner(learner)
        return (learner.final_grade, learner.attestation_date,
            learner.final_work)

    @with_transaction()
    def test_completion_writes_attestation(self):
        "Completion writes grade, date and work; a regrade updates them"
        ns = self.setup()
        learner = ns.learners[0]
        self.complete(ns.lessons, learner.party, 90)
        participant = self.participant(ns.course, learner.party)
        day = max(participant.completed_date.date(), COHORT_START)
        self.assertEqual(self.result(learner), ('5', day, WORK))
        self.assertEqual(
            (participant.attestation_grade, participant.attestation_note),
            ('5', None))
        # The other learner has not completed: nothing written
        self.assertEqual(self.result(ns.learners[1]), (None, None, None))
        # A regrade once completed rewrites the course's own grade
        self.complete(ns.lessons, learner.party, 72)
        self.assertEqual(self.result(learner)[0], '4')
        self.assertEqual(
            self.participant(ns.course, learner.party).attestation_grade,
            '4')

    @with_transaction()
    def test_failed_grade(self):
        "A grade below the pass grade is written as «2»"
        ns = self.setup()
        learner = ns.learners[1]
        self.complete(ns.lessons, learner.party, 40)
        self.assertEqual(self.result(learner)[0], '2')
        self.assertEqual(self.result(learner)[2], WORK)

    @with_transaction()
    def test_learner_left(self):
        "A learner who left is left as is and the reason is kept"
        Learner = Pool().get('copp.training.learner')
        ns = self.setup()
        learner = ns.learners[0]
        Learner.write([learner], {'state': 'left',
                'leave_date': COHORT_END, 'leave_reason': "По заявлению"})
        self.complete(ns.lessons, learner.party, 90)
        participant = self.participant(ns.course, learner.party)
        self.assertTrue(participant.completed)
        self.assertEqual(self.result(learner), (None, None, None))
        self.assertIsNone(participant.attestation_grade)
        self.assertIn(learner.rec_name, participant.attestation_note)
        # The button keeps it so, the other learner unaffected
        Course = Pool().get('copp.course')
        Course.transfer_attestation([ns.course])
        self.assertEqual(self.result(learner), (None, None, None))
        self.assertEqual(self.result(ns.learners[1]), (None, None, None))

    @with_transaction()
    def test_clerk_grade_kept(self):
        "A grade typed by a clerk before is never overwritten"
        pool = Pool()
        Learner = pool.get('copp.training.learner')
        Course = pool.get('copp.course')
        ns = self.setup()
        learner = ns.learners[0]
        Learner.write([learner], {'final_grade': '3',
                'attestation_date': COHORT_END,
                'final_work': "Экзамен по программе"})
        self.complete(ns.lessons, learner.party, 95)
        expected = ('3', COHORT_END, "Экзамен по программе")
        self.assertEqual(self.result(learner), expected)
        participant = self.participant(ns.course, learner.party)
        self.assertIsNone(participant.attestation_grade)
        self.assertIn(learner.rec_name, participant.attestation_note)
        Course.transfer_attestation([ns.course])
        self.assertEqual(self.result(learner), expected)
        # The clerk clears the grade: the course's button writes its own
        Learner.write([learner], {'final_grade': None,
                'attestation_date': None, 'final_work': None})
        Course.transfer_attestation([ns.course])
        self.assertEqual(self.result(learner)[0], '5')
        participant = self.participant(ns.course, learner.party)
        self.assertEqual(
            (participant.attestation_grade, participant.attestation_note),
            ('5', None))
        # A clerk's later change is kept against a regrade
        Learner.write([learner], {'final_grade': '4'})
        self.complete(ns.lessons, learner.party, 50)
        self.assertEqual(self.result(learner)[0], '4')
        self.assertIn(learner.rec_name,
            self.participant(ns.course, learner.party).attestation_note)

    @with_transaction()
    def test_without_option(self):
        "A course without the option writes nothing; the button does later"
        Course = Pool().get('copp.course')
        ns = self.setup(final_attestation=False)
        learner = ns.learners[0]
        self.complete(ns.lessons, learner.party, 90)
        participant = self.participant(ns.course, learner.party)
        self.assertTrue(participant.journal_mark)
        self.assertEqual(self.result(learner), (None, None, None))
        self.assertEqual(
            (participant.attestation_grade, participant.attestation_note),
            (None, None))
        # The button of a course without the option does nothing either
        Course.transfer_attestation([ns.course])
        self.assertEqual(self.result(learner), (None, None, None))
        # Once the option is set, the button sends the completed ones
        Course.write([ns.course], {'final_attestation': True})
        Course.transfer_attestation([ns.course])
        self.assertEqual(self.result(learner)[0], '5')
        self.assertEqual(self.result(ns.learners[1]), (None, None, None))
