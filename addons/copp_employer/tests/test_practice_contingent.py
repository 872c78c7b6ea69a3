"""Practice placements linked to the students' records of the contingent
(copp_employer with copp_contingent activated)."""
import datetime as dt

from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from copp_contingent.tests.tools import (
    create_applicants, create_college, create_group, order)

from .tools import INNS, create_employer, create_practice_place


class PracticeContingentTestCase(_DBTestCase):
    "Placements of students of the contingent"
    module = 'copp_employer'
    extras = ['copp_contingent']
    language = 'ru'

    @with_transaction()
    def test_placement_follows_student_record(self):
        "The person and the group come from the record; the card lists it"
        pool = Pool()
        Placement = pool.get('copp.employer.practice_place.student')
        Student = pool.get('copp.student')
        college = create_college("Колледж А", "КА")
        other_college = create_college("Колледж Б", "КБ")
        group = create_group(college, "ИСП-21", 2024, course=2)
        student, = create_applicants(college, ["Иванов Иван Иванович"])
        order(college, 'enrolment', dt.date.today() - dt.timedelta(days=60),
            [{'student': student, 'to_group': group, 'to_funding': 'budget'}])
        employer = create_employer("ООО «Практика»", inn=INNS[3])
        place = create_practice_place(college, employer)

        placement, = Placement.create([{
                    'place': place.id, 'record': student.id}])
        self.assertEqual(placement.student, student.party)
        self.assertEqual(placement.group_name, "ИСП-21")
        self.assertEqual(placement.rec_name, student.party.rec_name)
        self.assertEqual(list(Student(student.id).practices), [placement])
        self.assertEqual(place.occupied, 1)

        # The form fills the person and the group when the record is
        # chosen.
        draft = Placement(place=place)
        draft.record = student
        draft.on_change_record()
        self.assertEqual((draft.student, draft.group_name),
            (student.party, "ИСП-21"))

        # A student of another college cannot be placed there.
        stranger, = create_applicants(other_college, ["Петров Пётр"])
        with self.assertRaises(ValidationError) as cm:
            Placement.create([{'place': place.id, 'record': stranger.id}])
        self.assertIn("Петров", cm.exception.message)
        self.assertIn("не из колледжа", cm.exception.message)

    @with_transaction()
    def test_student_form_lists_practices(self):
        "The student's form has the page of practices (this module's view)"
        pool = Pool()
        Student = pool.get('copp.student')
        arch = Student.fields_view_get(view_type='form')['arch']
        self.assertIn('name="practices"', arch)
        Placement = pool.get('copp.employer.practice_place.student')
        arch = Placement.fields_view_get(view_type='tree')['arch']
        self.assertIn('name="record"', arch)
