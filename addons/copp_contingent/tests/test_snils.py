"""One student file per СНИЛС in the back office, as in the importer, and
no invalid СНИЛС (issue 15, finding 9)."""
import datetime as dt

from trytond.model.exceptions import ValidationError
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.identifiers import snils
from copp.tests.tools import create_user
from copp_contingent.student import APPLY_CONTEXT

from .tools import SNILS, create_applicants, create_college, create_group, order

D = dt.date


class SnilsTestCase(_DBTestCase):
    "СНИЛС of the students of copp_contingent"
    module = 'copp_contingent'

    def test_snils_numbers(self):
        "000-000-000 00 is no number; the early numbers had no checksum"
        self.assertFalse(snils.is_valid('000-000-000 00'))
        self.assertFalse(snils.is_valid('00000000000'))
        self.assertFalse(snils.is_valid('000-000-000 12'))
        self.assertTrue(snils.is_valid('000-000-100 00'))
        self.assertTrue(snils.is_valid('001-001-998 55'))
        self.assertFalse(snils.is_valid('945-807-302 34'))
        for number in SNILS:
            self.assertTrue(snils.is_valid(number), number)

    @with_transaction()
    def test_invalid_snils_refused(self):
        "The registrar's write of 000-000-000 00 names the field and person"
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        student, = create_applicants(college, ["Иванов Иван Иванович"])
        clerk = create_user('clerk', [college], ['group_registrar'])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), \
                check_access():
            with self.assertRaises(InvalidIdentifierCode) as cm:
                Student.write([Student(student.id)],
                    {'snils': '000-000-000 00'})
        self.assertIn('000-000-000 00', cm.exception.message)
        self.assertIn('Иванов Иван Иванович', cm.exception.message)

    @with_transaction()
    def test_snils_of_another_student_of_the_college(self):
        "Two files of the college cannot share a СНИЛС"
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        ivanov, petrova = create_applicants(college,
            ["Иванов Иван Иванович", "Петрова Анна Сергеевна"])
        clerk = create_user('clerk', [college], ['group_registrar'])
        Student.write([ivanov], {'snils': SNILS[0]})
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), \
                check_access():
            with self.assertRaises(ValidationError) as cm:
                Student.write([Student(petrova.id)], {'snils': SNILS[0]})
            message = cm.exception.message
            self.assertIn(SNILS[0], message)
            self.assertIn('Петрова Анна Сергеевна', message)
            self.assertIn('Иванов Иван Иванович', message)
            # A new file with the same СНИЛС neither
            with self.assertRaises(ValidationError):
                Student.create([{'company': college.id,
                            'last_name': "Иванов", 'first_name': "Иван",
                            'birth_date': D(2008, 1, 1),
                            'snils': SNILS[0]}])

    @with_transaction()
    def test_snils_through_the_persons_identifiers(self):
        "A СНИЛС written on the person (party.identifier) is checked too"
        pool = Pool()
        Student = pool.get('copp.student')
        Identifier = pool.get('party.identifier')
        college = create_college("Колледж", "К")
        ivanov, petrova = create_applicants(college,
            ["Иванов Иван Иванович", "Петрова Анна Сергеевна"])
        Student.write([ivanov], {'snils': SNILS[0]})
        with self.assertRaises(ValidationError) as cm:
            Identifier.create([{'party': petrova.party.id,
                        'type': 'ru_snils', 'code': SNILS[0]}])
        self.assertIn('Петрова Анна Сергеевна', cm.exception.message)

    @with_transaction()
    def test_snils_of_a_student_of_another_college(self):
        """A person who studies in another college cannot be a student here
        too (a transfer is an order of both); a graduate of it can, and the
        other college is not named"""
        pool = Pool()
        Student = pool.get('copp.student')
        college = create_college("Колледж", "К")
        other = create_college("Другой колледж", "Д")
        group = create_group(other, "ТМ-11", 2024)
        there, graduate = create_applicants(other,
            ["Сидоров Олег Петрович", "Кузнецова Мария Олеговна"])
        Student.write([there], {'snils': SNILS[1]})
        Student.write([graduate], {'snils': SNILS[2]})
        order(other, 'enrolment', D(2024, 9, 1), [
                {'student': there, 'to_group': group,
                    'to_funding': 'budget'}])
        with Transaction().set_context(**{APPLY_CONTEXT: True}):
            Student.write([graduate], {'state': 'graduated'})
        here, again = create_applicants(college,
            ["Сидоров Олег Петрович", "Кузнецова Мария Олеговна"])
        with self.assertRaises(ValidationError) as cm:
            Student.write([here], {'snils': SNILS[1]})
        self.assertIn(SNILS[1], cm.exception.message)
        self.assertIn("Сидоров Олег Петрович", cm.exception.message)
        self.assertNotIn("Другой", cm.exception.message)
        # The graduate of the other college enrols here
        Student.write([again], {'snils': SNILS[2]})
        self.assertEqual(Student(again.id).snils, SNILS[2])
