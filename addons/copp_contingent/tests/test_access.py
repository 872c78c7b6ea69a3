"""Access: colleges kept apart, the registrar's work, the teacher and the
ministry, personal data fields and the log of their reads."""
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user

from .tools import (
    SNILS, create_applicants, create_college, create_group, history)

D = dt.date


class AccessTestCase(_DBTestCase):
    "Record rules and personal data of copp_contingent"
    module = 'copp_contingent'

    @with_transaction()
    def test_access_other_college(self):
        "A clerk of another college neither sees nor changes a student"
        pool = Pool()
        Student = pool.get('copp.student')
        Order = pool.get('copp.contingent.order')
        Movement = pool.get('copp.contingent.movement')
        Report = pool.get('copp.contingent.report')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
        other = create_college("Колледж Б", "КБ")
        clerk_b = create_user('clerk_b', [other], ['group_registrar'])
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=other.id), check_access():
            self.assertEqual(Student.search([]), [])
            self.assertEqual(Order.search([]), [])
            self.assertEqual(Movement.search([]), [])
            with Transaction().set_context(date=D(2026, 2, 1)):
                self.assertEqual(Report.search([]), [])
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['last_name'])
            with self.assertRaises(AccessError):
                Student.write([Student(a1.id)], {'note': "взлом"})
            with self.assertRaises(AccessError):
                Order.cancel([Order(o['T2'].id)])
        self.assertEqual(o['T2'].state, 'signed')

    @with_transaction()
    def test_access_registrar_works(self):
        "A registrar creates an applicant and signs an enrolment order"
        pool = Pool()
        Student = pool.get('copp.student')
        Order = pool.get('copp.contingent.order')
        college = create_college("Колледж", "К")
        group = create_group(college, "ИСП-11", 2024)
        clerk = create_user('clerk', [college], ['group_registrar'])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), check_access():
            student, = Student.create([{'last_name': "Новый",
                        'first_name': "Студент", 'birth_date': D(2009, 1, 1),
                        'snils': SNILS[0],
                        'id_document_number': '123456'}])
            enrol, = Order.create([{'kind': 'enrolment',
                        'date': D(2024, 9, 1),
                        'lines': [('create', [{'student': student.id,
                                        'to_group': group.id,
                                        'to_funding': 'budget'}])]}])
            Order.sign([enrol])
            self.assertEqual(Student(student.id).state, 'studying')
            self.assertEqual(Student.read([student.id], ['snils'])[0][
                    'snils'], SNILS[0])
        teacher = create_user('teacher', [college], ['group_teacher'])
        with Transaction().set_user(teacher.id), check_access():
            with self.assertRaises(AccessError):
                Order.sign([Order(enrol.id)])

    @with_transaction()
    def test_personal_data_reads_logged(self):
        "Reads of ПДн on behalf of a user are logged; the log is read-only"
        pool = Pool()
        Student = pool.get('copp.student')
        Log = pool.get('copp.personal_data.log')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        clerk = create_user('clerk', [college], ['group_registrar'])
        Student.read([a1.id], ['snils'])  # the server itself: not logged
        self.assertEqual(Log.search([]), [])
        with Transaction().set_user(clerk.id), \
                Transaction().set_context(company=college.id), check_access():
            Student.read([a1.id, a2.id], ['last_name', 'group'])
            Student.read([a1.id, a2.id],
                ['last_name', 'snils', 'registration_address'])
            with self.assertRaises(AccessError):
                Log.search([])  # a registrar does not read the log
        # The names are personal data too: both reads are logged.
        logs = Log.search([])
        self.assertEqual(len(logs), 4)
        self.assertEqual(sorted(str(log.resource) for log in logs),
            sorted(f'copp.student,{s.id}' for s in [a1, a2, a1, a2]))
        self.assertEqual({log.fields_read for log in logs},
            {'last_name', 'last_name,registration_address,snils'})
        self.assertEqual({log.action for log in logs}, {'read'})
        self.assertEqual({log.user for log in logs}, {clerk})
        self.assertEqual({log.company for log in logs}, {college})
        self.assertTrue(all(log.date for log in logs))
        director = create_user('director', [college],
            ['group_college_admin'])
        with Transaction().set_user(director.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(len(Log.search([])), 4)
            with self.assertRaises(AccessError):
                Log.delete(Log.search([]))
            with self.assertRaises(AccessError):
                Log.write(Log.search([]), {'fields_read': 'x'})

    @with_transaction()
    def test_access_teacher(self):
        "A teacher reads the students of their groups, not their ПДн"
        pool = Pool()
        Student = pool.get('copp.student')
        Group = pool.get('copp.study.group')
        Movement = pool.get('copp.contingent.movement')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
        teacher = create_user('teacher', [college], ['group_teacher'])
        Group.write([g3], {'curator': teacher.employees[0].id})
        Student.write([a5], {'id_document_number': '654321',
                'registration_address': "Рязань"})
        with Transaction().set_user(teacher.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(Student.search([]), [a5])
            self.assertEqual(
                Student.read([a5.id], ['last_name', 'group'])[0][
                    'last_name'], "Дарьина")
            for field in ['snils', 'id_document_number',
                    'registration_address', 'actual_address']:
                with self.assertRaises(AccessError, msg=field):
                    Student.read([a5.id], [field])
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['last_name'])
            with self.assertRaises(AccessError):
                Student.write([Student(a5.id)], {'note': "нет"})
            self.assertEqual({m.student for m in Movement.search([])}, {a5})
            view = Student.fields_view_get(view_type='form')
            self.assertNotIn('snils', view['fields'])
            self.assertIn('last_name', view['fields'])
        # The hook of the journal: teachers of a group read it too
        Group.write([g1], {'teachers': [('add', [teacher.employees[0].id])]})
        with Transaction().set_user(teacher.id), check_access():
            self.assertEqual(set(Student.search([])), {a1, a2, a5})

    @with_transaction()
    def test_access_ministry(self):
        "The ministry reads every college's students, no ПДн, no writes"
        pool = Pool()
        Student = pool.get('copp.student')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        other = create_college("Колледж Б", "КБ")
        b1, = create_applicants(other, ["Бэшкин Б Б"])
        ministry = create_college("Министерство", "МО", kind='ministry')
        minister = create_user('minister', [ministry, college, other],
            ['group_ministry'], employer=ministry)
        with Transaction().set_user(minister.id), check_access():
            self.assertEqual(len(Student.search([])), 6)
            with self.assertRaises(AccessError):
                Student.read([a1.id], ['snils'])
            with self.assertRaises(AccessError):
                Student.write([Student(a1.id)], {'note': "нет"})
