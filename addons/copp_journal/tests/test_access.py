"""Access: a teacher writes only their own lessons (RPC rules and the
journal's grid functions), a parent sees only their child. Runs on SQLite
and PostgreSQL."""
import datetime as dt
import unittest

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_journal import journal as grid
from copp_journal import journal_write as writes
from copp_journal.diary import can_see_student, diary_for, students_of
from copp_journal.exceptions import JournalAccessError

from .tools import (
    OCT, absence, as_user, create_students, journal_setup, mark,
    october_marks)


class AccessTestCase(unittest.TestCase):
    "Teachers and parents see and write only their own"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_journal', lang='ru')

    @with_transaction()
    def test_teacher_writes_only_own_lessons(self):
        """A teacher cannot write another teacher's lesson, its marks or
        absences, through RPC (ORM with access checks) nor the journal"""
        pool = Pool()
        Mark = pool.get('copp.journal.mark')
        Lesson = pool.get('copp.journal.lesson')
        Absence = pool.get('copp.journal.absence')
        ns = journal_setup()
        s1 = ns.students[0]
        other_lesson = ns.lessons_sport[0]
        foreign = mark(other_lesson, s1, 'pass')
        with as_user(ns.teacher_user):
            # Own lesson: fine.
            Mark.create([{'lesson': ns.lessons_graphics[0].id,
                        'student': s1.id, 'value': '5'}])
            with self.assertRaises(AccessError):
                Mark.create([{'lesson': other_lesson.id,
                            'student': ns.students[1].id, 'value': '5'}])
            with self.assertRaises(AccessError):
                Mark.write([Mark(foreign.id)], {'value': 'fail'})
            with self.assertRaises(AccessError):
                Mark.delete([Mark(foreign.id)])
            with self.assertRaises(AccessError):
                Absence.create([{'lesson': other_lesson.id,
                            'student': s1.id, 'hours': 2}])
            with self.assertRaises(AccessError):
                Lesson.write([Lesson(other_lesson.id)], {'topic': "Чужая"})
            with self.assertRaises(JournalAccessError):
                writes.save_cell(ns.workload_sport.id, other_lesson.id, s1.id,
                    'fail')
            with self.assertRaises(JournalAccessError):
                grid.load_grid(ns.workload_sport.id)
            # The teacher reads the group's students (load synced).
            self.assertEqual(len(grid.load_grid(
                        ns.workload_graphics.id)['students']), 4)
        # The registrar's office writes every lesson of the college.
        with as_user(ns.registrar_user):
            writes.save_cell(ns.workload_sport.id, other_lesson.id,
                ns.students[1].id, 'з')
        # A teacher of another college sees nothing.
        from copp.tests.tools import create_user
        stranger = create_user('teacher3', [ns.other_college],
            ['group_teacher'])
        with as_user(stranger):
            self.assertEqual(Lesson.search([]), [])
            with self.assertRaises(JournalAccessError):
                grid.load_grid(ns.workload_graphics.id)

    @with_transaction()
    def test_teacher_reads_only_own_groups(self):
        """Marks, absences, sheets, debts and the students' rates of a group
        are read by its teachers and curator, not by the college's other
        teachers; the registrar's office reads them all"""
        pool = Pool()
        Group = pool.get('copp.study.group')
        Workload = pool.get('copp.journal.workload')
        Lesson = pool.get('copp.journal.lesson')
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        Sheet = pool.get('copp.journal.sheet')
        Debt = pool.get('copp.journal.debt')
        RateStudent = pool.get('copp.journal.rate.student')
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup()
        with Transaction().set_context(company=ns.college.id):
            group2, = Group.copy([ns.group], {'name': 'ИСП-22',
                    'teachers': None, 'curator': None})
            other, = create_students(ns.college, group2,
                [("Орлов", "Антон")], first_number=101)
            load2, = Workload.create([{
                        'company': ns.college.id, 'term': ns.term1.id,
                        'group': group2.id, 'line': ns.line_graphics.id,
                        'teacher': ns.other_teacher.id}])
            lesson2, = Lesson.create([{'workload': load2.id,
                        'date': dt.date(2025, 10, 8), 'pair': 1,
                        'hours': 2}])
        mark(ns.lessons_graphics[0], ns.students[0], '5')
        other_mark = mark(lesson2, other, '2')
        absence(lesson2, other)
        sheet, = create_sheets([load2], dt.date(2025, 12, 20))
        sheet.lines[0].grade = '2'
        sheet.lines[0].save()
        Sheet.close([sheet])
        with Transaction().set_context(period='custom', date_from=OCT[0],
                date_to=OCT[1]):
            with as_user(ns.teacher_user):
                self.assertEqual({m.student for m in Mark.search([])},
                    {ns.students[0]})
                self.assertEqual(Absence.search([]), [])
                self.assertEqual(Sheet.search([]), [])
                self.assertEqual(Debt.search([]), [])
                self.assertNotIn(other, {r.student
                        for r in RateStudent.search([])})
                with self.assertRaises(AccessError):
                    Mark.read([other_mark.id], ['value'])
            with as_user(ns.other_teacher_user):
                # teacher2 teaches both groups (sport in ИСП-21).
                self.assertEqual(len(Mark.search([])), 2)
                self.assertEqual(len(Debt.search([])), 1)
                self.assertIn(other, {r.student
                        for r in RateStudent.search([])})
            with as_user(ns.registrar_user):
                self.assertEqual(len(Mark.search([])), 2)
                self.assertEqual(len(Absence.search([])), 1)
                self.assertEqual(len(Sheet.search([])), 1)
                self.assertEqual(len(Debt.search([])), 1)

    @with_transaction()
    def test_parent_sees_only_own_child(self):
        "The diary: a representative's person sees their child only"
        pool = Pool()
        Party = pool.get('party.party')
        Representative = pool.get('copp.student.representative')
        ns = journal_setup(with_users=False)
        s1, s2, s3, s4 = ns.students
        october_marks(ns)
        mother, stranger = Party.create([{'name': "Иванова Мария"},
                {'name': "Посторонний"}])
        Representative.create([{'student': s1.id, 'name': mother.name,
                    'relation': 'mother', 'party': mother.id}])
        self.assertTrue(can_see_student(mother, s1))
        self.assertFalse(can_see_student(mother, s2))
        self.assertFalse(can_see_student(stranger, s1))
        self.assertTrue(can_see_student(s2.party, s2))  # the student
        self.assertFalse(can_see_student(s2.party, s1))
        self.assertEqual(students_of(mother), [s1])
        diary = diary_for(s1, *OCT)
        self.assertEqual(diary['student']['id'], s1.id)
        graphics = diary['disciplines'][0]
        self.assertEqual(graphics['index'], 'ОП.01')
        self.assertEqual([m['mark'] for m in graphics['marks']],
            ['5', '5', '4'])
        self.assertEqual(graphics['average'], 4.67)
        diary = diary_for(s4, *OCT)
        self.assertEqual(diary['totals']['missed'], 4)
        self.assertEqual(diary['totals']['excused'], 2)
        self.assertEqual({a['code'] for a in diary['absences']}, {'у', 'н'})
        from copp_journal.diary import diary_for_party
        with self.assertRaises(PermissionError):
            diary_for_party(mother, s2)
