"""The journal: cells typed on the page, the grid, running totals, grade
sheets and closing (months, sheets), excused absences. Runs on SQLite and
PostgreSQL."""
import datetime as dt
import unittest
from unittest import mock

from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessButtonError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_journal import journal as grid
from copp_journal import journal_write as writes
from copp_journal.exceptions import JournalClosedError
from copp_journal.rates import compute_rates

from .tools import OCT, absence, as_user, journal_setup, mark, october_marks


class JournalTestCase(unittest.TestCase):
    "The journal on a small fixed data set"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_journal', lang='ru')

    def test_parse_cell(self):
        "Codes typed in a cell, Latin layout and aliases included"
        parse = grid.parse_cell
        self.assertEqual(parse('5'), ('5', None))
        self.assertEqual(parse(' З '), ('pass', None))
        self.assertEqual(parse('нз'), ('fail', None))
        self.assertEqual(parse('н'), (None, ('absent', None)))
        self.assertEqual(parse('y'), (None, ('absent', None)))  # й-layout
        self.assertEqual(parse('n'), (None, ('absent', None)))  # alias
        self.assertEqual(parse('б'), (None, ('absent', 'illness')))
        self.assertEqual(parse(','), (None, ('absent', 'illness')))
        self.assertEqual(parse('пр'), (None, ('absent', 'order')))
        self.assertEqual(parse('у'), (None, ('absent', 'application')))
        self.assertEqual(parse('оп'), (None, ('late', None)))
        self.assertEqual(parse('оп 4'), ('4', ('late', None)))
        self.assertEqual(parse('4оп'), ('4', ('late', None)))
        self.assertEqual(parse(''), (None, None))
        for bad in ['6', '1', 'x', 'нн', '55']:
            with self.assertRaises(UserError, msg=bad):
                parse(bad)
        self.assertEqual(grid.cell_text('pass'), 'з')
        self.assertEqual(grid.cell_text('4', ('late', None)), 'оп4')
        self.assertEqual(grid.cell_text(None, ('absent', 'order')), 'пр')

    @with_transaction()
    def test_sheet_close_refuses_edits_and_reopen(self):
        """Closing signs the sheet and freezes it and the current marks of
        its discipline; only the college administrator (or the ministry)
        reopens it"""
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        Line = pool.get('copp.journal.sheet.line')
        Mark = pool.get('copp.journal.mark')
        from copp_journal.exceptions import SheetError
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup()
        s1 = ns.students[0]
        mark(ns.lessons_graphics[0], s1, '4')
        sheet, = create_sheets([ns.workload_graphics], dt.date(2025, 12, 20))
        with as_user(ns.teacher_user):
            sheet = Sheet(sheet.id)
            with self.assertRaises(SheetError):
                Sheet.close([sheet])  # no grades yet
            Line.write(list(sheet.lines), {'grade': '4'})
            Sheet.close([sheet])
            sheet = Sheet(sheet.id)
            self.assertEqual(sheet.state, 'closed')
            self.assertEqual(sheet.signed_by, ns.teacher_user)
            with self.assertRaises(SheetError):
                Line.write([sheet.lines[0]], {'grade': '5'})
            with self.assertRaises(SheetError):
                Sheet.write([sheet], {'date': dt.date(2025, 12, 21)})
            with self.assertRaises(JournalClosedError):
                Mark.write(Mark.search([('student', '=', s1.id)]),
                    {'value': '5'})
            with self.assertRaises(JournalClosedError):
                writes.save_cell(ns.workload_graphics.id,
                    ns.lessons_graphics[1].id, s1.id, '5')
            with self.assertRaises(AccessButtonError):
                Sheet.reopen([sheet])
        # The other discipline is not frozen.
        mark(ns.lessons_sport[0], s1, 'pass')
        with as_user(ns.admin_user):
            Sheet.reopen([Sheet(sheet.id)])
        sheet = Sheet(sheet.id)
        self.assertEqual((sheet.state, sheet.signature), ('open', None))
        with as_user(ns.teacher_user):
            Line.write([Line(sheet.lines[0].id)], {'grade': '5'})
            writes.save_cell(ns.workload_graphics.id,
                ns.lessons_graphics[1].id, s1.id, '5')

    @with_transaction()
    def test_sheet_grade_scale(self):
        "A credit is graded зачтено / не зачтено, an exam 2–5"
        pool = Pool()
        Line = pool.get('copp.journal.sheet.line')
        from copp_journal.sheet_create import create_sheets
        ns = journal_setup(with_users=False)
        sport, = create_sheets([ns.workload_sport], dt.date(2025, 12, 22))
        with self.assertRaises(UserError):
            Line.write([sport.lines[0]], {'grade': '5'})
        Line.write([sport.lines[0]], {'grade': 'pass'})

    @with_transaction()
    def test_period_close(self):
        "A closed month refuses every change of its lessons, marks, absences"
        pool = Pool()
        Period = pool.get('copp.journal.period')
        Lesson = pool.get('copp.journal.lesson')
        ns = journal_setup()
        s1 = ns.students[0]
        mark(ns.lessons_graphics[0], s1, '4')
        period, = Period.close_months(ns.college, [dt.date(2025, 10, 15)])
        self.assertEqual(period.month, dt.date(2025, 10, 1))
        with as_user(ns.teacher_user):
            with self.assertRaises(JournalClosedError) as cm:
                writes.save_cell(ns.workload_graphics.id,
                    ns.lessons_graphics[0].id, s1.id, '5')
            self.assertIn('октябрь 2025', cm.exception.message)
            with self.assertRaises(JournalClosedError):
                Lesson.write([ns.lessons_graphics[0]], {'topic': "Новая"})
            with self.assertRaises(JournalClosedError):
                Lesson.create([{'workload': ns.workload_graphics.id,
                            'date': dt.date(2025, 10, 27), 'pair': 1}])
            data = grid.load_grid(ns.workload_graphics.id,
                dt.date(2025, 10, 1))
            self.assertTrue(all(l['locked'] for l in data['lessons']))
            with self.assertRaises(AccessButtonError):
                Period.reopen([period])
        # November is open.
        Lesson.create([{'workload': ns.workload_graphics.id,
                    'date': dt.date(2025, 11, 3), 'pair': 1}])
        with as_user(ns.admin_user):
            Period.reopen([period])
        with as_user(ns.teacher_user):
            writes.save_cell(ns.workload_graphics.id,
                ns.lessons_graphics[0].id, s1.id, '5')

    @with_transaction()
    def test_grid_load_and_save(self):
        "The teacher fills the grid: marks, absences, late, clearing"
        pool = Pool()
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        ns = journal_setup()
        s1, s2, s3, s4 = ns.students
        g1, g2, g3 = ns.lessons_graphics
        wid = ns.workload_graphics.id
        with as_user(ns.teacher_user):
            data = grid.load_grid(wid, dt.date(2025, 10, 1))
            self.assertTrue(data['editable'])
            self.assertEqual([s['id'] for s in data['students']],
                [s1.id, s4.id, s2.id, s3.id])  # by last name
            self.assertEqual(data['students'][0]['name'], "Иванов И.")
            self.assertEqual([l['date'] for l in data['lessons']],
                ['2025-10-06', '2025-10-13', '2025-10-20'])
            self.assertEqual(data['cells'], {})
            result = writes.save_cell(wid, g1.id, s1.id, '5')
            self.assertEqual(result['text'], '5')
            writes.save_cell(wid, g2.id, s1.id, '4')
            result = writes.save_cell(wid, g3.id, s1.id, 'н')
            self.assertEqual(result['totals']['average'], 4.5)
            self.assertEqual(result['totals']['missed'], 2)
            self.assertEqual(result['totals']['unexcused'], 2)
            result = writes.save_cell(wid, g3.id, s1.id, 'б')
            self.assertEqual((result['totals']['excused'],
                    result['totals']['unexcused']), (2, 0))
            result = writes.save_cell(wid, g1.id, s2.id, 'jg4')  # оп4 on Latin
            self.assertEqual(result['text'], 'оп4')
            with self.assertRaises(UserError):
                writes.save_cell(wid, g1.id, s3.id, '7')
            with self.assertRaises(UserError):
                writes.save_cell(wid, g1.id, s3.id, 'н5')
            data = grid.load_grid(wid, dt.date(2025, 10, 1))
            self.assertEqual(data['cells'], {
                    f'{g1.id}:{s1.id}': '5', f'{g2.id}:{s1.id}': '4',
                    f'{g3.id}:{s1.id}': 'б', f'{g1.id}:{s2.id}': 'оп4'})
            result = writes.save_cell(wid, g1.id, s2.id, '')
            self.assertEqual(result['text'], '')
            writes.save_lesson(wid, g1.id, {'topic': "  Чертёж детали ",
                    'homework': "§ 3"})
        self.assertEqual(Mark.search_count([('student', '=', s2.id)]), 0)
        self.assertEqual(Absence.search_count([('student', '=', s2.id)]), 0)
        absence_, = Absence.search([('student', '=', s1.id)])
        self.assertEqual((absence_.reason, absence_.excused, absence_.hours,
                absence_.date, absence_.group, absence_.line),
            ('illness', True, 2, g3.date, ns.group, ns.line_graphics))
        lesson = pool.get('copp.journal.lesson')(g1.id)
        self.assertEqual((lesson.topic, lesson.homework),
            ("Чертёж детали", "§ 3"))

    @with_transaction()
    def test_future_lesson_warns(self):
        """A mark or an unexcused absence on a lesson still to come asks the
        user (a warning they may accept, not a refusal); the page saves and
        says so; an absence excused in advance and server work do not ask"""
        pool = Pool()
        Date = pool.get('ir.date')
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        Warning = pool.get('res.user.warning')
        ns = journal_setup()
        s1, s2, s3, s4 = ns.students
        g1, g2, g3 = ns.lessons_graphics  # 06.10, 13.10, 20.10.2025
        wid = ns.workload_graphics.id
        with mock.patch.object(Date, 'today',
                return_value=dt.date(2025, 10, 10)):
            with Transaction().set_user(0):
                early = mark(g2, s2, '5')  # the server: an import, the demo
            with as_user(ns.teacher_user):
                mark(g1, s1, '5')  # a lesson that took place
                with self.assertRaises(UserWarning) as cm:
                    mark(g2, s1, '4')
                self.assertIn("13.10.2025", cm.exception.message)
                self.assertIn("ещё не прошло", cm.exception.message)
                with self.assertRaises(UserWarning):
                    absence(g3, s2)
                absence(g3, s3, reason='order')  # excused in advance
                Mark.write([early], {'note': "заранее"})  # not the mark
                with self.assertRaises(UserWarning) as cm:
                    Mark.write([early], {'value': '3'})
                # The client's «Да» (sao calls res.user.warning.skip).
                with Transaction().set_context(_check_access=False):
                    Warning.skip(cm.exception.name, False)
                Mark.write([early], {'value': '3'})
                # The page saves and tells why the column is special.
                data = grid.load_grid(wid, dt.date(2025, 10, 1))
                self.assertEqual([l['future'] for l in data['lessons']],
                    [False, True, True])
                result = writes.save_cell(wid, g3.id, s4.id, '3')
                self.assertEqual(result['text'], '3')
                self.assertIn("20.10.2025", result['warning'])
                result = writes.save_cell(wid, g1.id, s4.id, '4')
                self.assertNotIn('warning', result)
                result = writes.save_cell(wid, g3.id, s1.id, 'пр')
                self.assertNotIn('warning', result)
        self.assertEqual(Mark(early.id).value, '3')
        self.assertEqual(
            Mark.search_count([('lesson', '=', g3.id), ('value', '=', '3'),
                    ('student', '=', s4.id)]), 1)
        self.assertEqual(Absence.search_count([('lesson', '=', g3.id),
                    ('reason', '=', 'order')]), 2)

    @with_transaction()
    def test_subgroup_grid(self):
        "A subgroup's journal lists its students; others are refused"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Lesson = pool.get('copp.journal.lesson')
        Mark = pool.get('copp.journal.mark')
        ns = journal_setup()
        s1, s2, s3, s4 = ns.students
        sub, = Workload.create([{
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line_graphics.id,
                    'subgroup': 1, 'students': [('add', [s1.id, s2.id])],
                    'teacher': ns.teacher.id}])
        lesson, = Lesson.create([{'workload': sub.id,
                    'date': dt.date(2025, 10, 8), 'pair': 2, 'hours': 2}])
        with as_user(ns.teacher_user):
            data = grid.load_grid(sub.id, dt.date(2025, 10, 1))
            self.assertEqual({s['id'] for s in data['students']},
                {s1.id, s2.id})
            writes.save_cell(sub.id, lesson.id, s2.id, '4')
            with self.assertRaises(UserError):
                writes.save_cell(sub.id, lesson.id, s3.id, '5')
        # s2 leaves the subgroup: the mark keeps them on the page.
        Workload.write([sub], {'students': [('remove', [s2.id])]})
        with as_user(ns.teacher_user):
            data = grid.load_grid(sub.id, dt.date(2025, 10, 1))
            self.assertEqual({s['id'] for s in data['students']},
                {s1.id, s2.id})
            writes.save_cell(sub.id, lesson.id, s2.id, '5')
        self.assertEqual([m.value for m in Mark.search([
                        ('lesson', '=', lesson.id)])], ['5'])
        # Without its list of students a subgroup is taught the group.
        Workload.write([sub], {'students': [('remove', [s1.id])]})
        with as_user(ns.teacher_user):
            data = grid.load_grid(sub.id, dt.date(2025, 10, 1))
            self.assertEqual({s['id'] for s in data['students']},
                {s1.id, s2.id, s3.id, s4.id})

    @with_transaction()
    def test_totals_follow_changes(self):
        "The running totals stay equal to a rebuild after every change"
        pool = Pool()
        Total = pool.get('copp.journal.total')
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        Lesson = pool.get('copp.journal.lesson')
        ns = journal_setup(with_users=False)
        total = Total.__table__()
        columns = ['student', 'line', 'term', 'group', 'company', 'points',
            'numeric', 'passes', 'fails', 'missed', 'excused', 'late']

        monthly = pool.get('copp.journal.total.month').__table__()

        def snapshot():
            cursor = Transaction().connection.cursor()
            cursor.execute(*total.select(
                    *[getattr(total, c) for c in columns],
                    order_by=[getattr(total, c) for c in columns[:4]]))
            rows = [tuple(r) for r in cursor]
            cursor.execute(*monthly.select(monthly.month,
                    *[getattr(monthly, c) for c in columns],
                    order_by=[monthly.month] + [
                        getattr(monthly, c) for c in columns[:4]]))
            return rows + [tuple(r) for r in cursor]

        def check():
            current = snapshot()
            Total.rebuild()
            self.assertEqual(current, snapshot())
            return current

        october_marks(ns)
        rows = check()
        s1 = ns.students[0]
        self.assertIn((s1.id, ns.line_graphics.id, ns.term1.id, ns.group.id,
                ns.college.id, 14, 3, 0, 0, 0, 0, 0), rows)
        # The same sums for October in the monthly totals.
        self.assertIn(('2025-10-01', s1.id, ns.line_graphics.id, ns.term1.id,
                ns.group.id, ns.college.id, 14, 3, 0, 0, 0, 0, 0),
            [(str(r[0])[:10],) + r[1:] for r in rows if len(r) == 13])
        Mark.write(Mark.search([('student', '=', s1.id),
                    ('value', '=', '4')]), {'value': '2'})
        Absence.delete(Absence.search([('kind', '=', 'late')]))
        Absence.write(Absence.search([('reason', '=', None)]),
            {'reason': 'order'})
        check()
        Lesson.write([ns.lessons_graphics[0]], {'date': dt.date(2025, 11, 3)})
        check()
        Mark.delete(Mark.search([('student', '=', s1.id)]))
        rows = check()
        self.assertNotIn(s1.id, {r[0] for r in rows if r[5] or r[6]})

    @with_transaction()
    def test_lesson_date_propagates(self):
        "Moving a lesson moves the date of its marks and absences"
        pool = Pool()
        Lesson = pool.get('copp.journal.lesson')
        ns = journal_setup(with_users=False)
        record = mark(ns.lessons_graphics[0], ns.students[0], '5')
        Lesson.write([ns.lessons_graphics[0]], {'date': dt.date(2025, 10, 9)})
        self.assertEqual(record.__class__(record.id).date,
            dt.date(2025, 10, 9))

    @with_transaction()
    def test_excuse_absences(self):
        "A certificate excuses the absences of a period"
        from copp_journal.mark import excuse_absences
        ns = journal_setup(with_users=False)
        s4 = ns.students[3]
        absence(ns.lessons_sport[0], s4, None)
        absence(ns.lessons_sport[1], s4, None)
        absence(ns.lessons_graphics[2], s4, None)
        excused = excuse_absences(s4, dt.date(2025, 10, 1),
            dt.date(2025, 10, 15), 'illness', "справка № 12")
        self.assertEqual(len(excused), 2)
        row = {r['student']: r for r in compute_rates('student', *OCT)}[
            s4.id]
        self.assertEqual((row['excused_hours'], row['unexcused_hours']),
            (4, 2))
