"""Study groups and students: course of a group, names unique among the
active groups, the student's person, protected fields and validation."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from copp_contingent.exceptions import StudentChangeError
from copp_contingent.study_group import course_of, next_course_name

from .tools import (
    create_applicants, create_college, create_group, order)

D = dt.date


class StudentTestCase(_DBTestCase):
    "Study groups and students of copp_contingent"
    module = 'copp_contingent'

    # Groups -------------------------------------------------------------

    def test_course_helpers(self):
        "Course from the year of admission; group names on the next course"
        self.assertEqual(course_of(2024, 2024), 1)
        self.assertEqual(course_of(2024, 2027), 4)
        self.assertEqual(course_of(2024, 2035), 6)
        self.assertEqual(course_of(2026, 2024), 1)
        self.assertEqual(next_course_name("ИСП-11", 1), "ИСП-21")
        self.assertEqual(next_course_name("ТМ-2-24", 2), "ТМ-3-24")
        self.assertEqual(next_course_name("Сварщики", 1), "Сварщики")
        self.assertEqual(next_course_name("ИСП-31", 1), "ИСП-31")

    @with_transaction()
    def test_group_name_unique_among_active(self):
        college = create_college("Колледж", "К")
        other = create_college("Другой", "Д")
        group = create_group(college, "ИСП-11", 2024)
        create_group(other, "ИСП-11", 2024)
        group.active = False
        group.save()
        create_group(college, "ИСП-11", 2025)
        with self.assertRaises(UserError):
            create_group(college, "ИСП-11", 2026)

    # Students -----------------------------------------------------------

    @with_transaction()
    def test_student_person_and_protection(self):
        "A student is an applicant with a person; orders change the state"
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2024)
        student, = Student.create([{'company': college.id,
                    'last_name': "Петрова", 'first_name': "Анна",
                    'patronymic': "Сергеевна", 'birth_date': D(2009, 5, 1),
                    'gender': 'female', 'snils': '11223344595'}])
        self.assertEqual(student.state, 'applicant')
        self.assertEqual(student.party.name, "Петрова Анна Сергеевна")
        self.assertEqual(student.rec_name, "Петрова Анна Сергеевна")
        self.assertEqual(student.snils, '112-233-445 95')
        self.assertEqual(Student.search([('snils', '=', '11223344595')]),
            [student])
        student.last_name = "Иванова"
        student.save()
        self.assertEqual(student.party.name, "Иванова Анна Сергеевна")
        Student.write([student], {'funding': 'contract'})
        for values in [{'state': 'studying'}, {'group': group.id},
                {'course': 2}, {'record_book': '1'}]:
            with self.assertRaises(StudentChangeError):
                Student.write([student], values)
        with self.assertRaises(StudentChangeError):
            Student.create([{'company': college.id, 'last_name': "Х",
                        'first_name': "Y", 'birth_date': D(2009, 1, 1),
                        'state': 'studying', 'group': group.id}])
        order(college, 'enrolment', D(2024, 9, 1), [
                {'student': student, 'to_group': group,
                    'to_funding': 'contract'}])
        with self.assertRaises(StudentChangeError):
            Student.write([student], {'funding': 'budget'})
        with self.assertRaises(StudentChangeError):
            Student.delete([student])

    @with_transaction()
    def test_student_validation(self):
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        student, = create_applicants(college, ["Иванов Иван Иванович"])
        with self.assertRaises(UserError):
            Student.write([student], {'citizenship': 'RU'})
        with self.assertRaises(UserError):
            Student.write([student], {'average_mark': 5.5})
        Student.write([student], {'citizenship': '112',
                'average_mark': 4.25})
        today = Pool().get('ir.date').today()
        age = today.year - 2008 - ((today.month, today.day) < (1, 1))
        self.assertEqual(Student(student.id).age, age)
        self.assertEqual(Student(student.id).minor, age < 18)
