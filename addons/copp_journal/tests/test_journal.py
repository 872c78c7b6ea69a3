"""The journal: curriculum import, timetable, marks and attendance, the
rates against hand-computed numbers, grade sheets, debts and retakes,
closing, access of teachers and parents. Runs on SQLite and PostgreSQL."""
import datetime as dt
import io
import unittest

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp_journal import journal as grid
from copp_journal.diary import can_see_student, diary_for, students_of
from copp_journal.exceptions import (
    CurriculumImportError, JournalAccessError, JournalClosedError)
from copp_journal.importers import curriculum_template
from copp_journal.rates import compute_rates

from .tools import TERM1, absence, journal_setup, mark

OCT = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))


def as_user(user):
    "Run as the back-office user with access rights and record rules"
    class _Ctx:
        def __enter__(self):
            self.stack = [Transaction().set_user(user.id),
                Transaction().set_context(company=user.company.id
                    if user.company else None),
                check_access()]
            for item in self.stack:
                item.__enter__()
            return self

        def __exit__(self, *exc):
            for item in reversed(self.stack):
                item.__exit__(*exc)
    return _Ctx()


def october_marks(ns):
    """The fixed data set of the rate tests (see test_rates_current)"""
    s1, s2, s3, s4 = ns.students
    g1, g2, g3 = ns.lessons_graphics
    p1, p2 = ns.lessons_sport
    for lesson, student, value in [
            (g1, s1, '5'), (g2, s1, '5'), (g3, s1, '4'),
            (p1, s1, 'pass'), (p2, s1, 'pass'),
            (g1, s2, '3'), (g2, s2, '4'),
            (p1, s2, 'pass'), (p2, s2, 'fail'),
            (g1, s3, '2'), (g2, s3, '3'),
            (p1, s3, 'fail'), (p2, s3, 'fail'),
            (g1, s4, '3'), (g2, s4, '3'), (g3, s4, '4'),
            ]:
        mark(lesson, student, value)
    absence(g3, s2, 'illness')
    absence(g3, s3, None)
    absence(p2, s3, None, kind='late', hours=0)
    absence(p2, s4, 'application')
    absence(p1, s4, None)


class JournalTestCase(unittest.TestCase):
    "The journal on a small fixed data set"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_journal')

    # Cells ---------------------------------------------------------------

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

    # Curriculum ------------------------------------------------------------

    @with_transaction()
    def test_curriculum_import(self):
        "An xlsx curriculum: kinds, modules, assessments, hours"
        from copp_journal.importers import import_curriculum_lines
        Curriculum = Pool().get('copp.journal.curriculum')
        ns = journal_setup(with_users=False)
        curriculum, = Curriculum.copy([ns.curriculum], {'lines': None})
        data = curriculum_template()
        lines = import_curriculum_lines(curriculum, data, replace=True)
        self.assertEqual(len(lines), 8)
        by_index = {l.index: l for l in Curriculum(curriculum.id).lines}
        self.assertEqual(by_index['МДК.01.01'].kind, 'mdk')
        self.assertEqual(by_index['МДК.01.01'].parent, by_index['ПМ.01'])
        self.assertEqual(by_index['УП.01'].kind, 'edu_practice')
        self.assertEqual(by_index['ПП.01'].parent, by_index['ПМ.01'])
        self.assertEqual(by_index['ПМ.01'].assessment, 'qualification_exam')
        self.assertEqual(by_index['ОП.01'].assessment, 'diff_credit')
        self.assertEqual(by_index['СГ.04'].assessment, 'credit')
        self.assertEqual(by_index['ОП.02'].hours_total, 52)
        self.assertEqual(by_index['УП.01'].hours_total, 72)

    @with_transaction()
    def test_curriculum_import_errors(self):
        "Import errors name the row and the column"
        from copp_journal.importers import import_curriculum_lines
        ns = journal_setup(with_users=False)
        cases = [
            ([('ОП.01', "Графика", 'два', 1, 1, 1, None, 'Э')],
                ('Row 9', 'Семестр')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, 5, 'Э')],
                ('Row 9', 'Всего')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, None, 'Экзз')],
                ('Row 9', 'Форма аттестации')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, None, 'Э'),
                    ('ОП.01', "Графика", 1, 10, 10, 1, None, 'Э')],
                ('Row 10', 'row 9')),
            ([(None, "Без индекса", 1, 10, 10, 1, None, 'Э')],
                ('Row 9', 'Индекс')),
            ]
        for rows, expected in cases:
            with self.assertRaises(CurriculumImportError) as cm:
                import_curriculum_lines(ns.curriculum,
                    curriculum_template(rows=rows))
            for text in expected:
                self.assertIn(text, cm.exception.message)
        with self.assertRaises(CurriculumImportError):
            import_curriculum_lines(ns.curriculum, b'not a workbook')

    @with_transaction()
    def test_curriculum_cli_importer(self):
        "copp import curriculum FILE creates the curriculum from the header"
        import tempfile
        from pathlib import Path

        from copp_journal.importers import import_curriculum_file
        ns = journal_setup(with_users=False)
        data = curriculum_template(meta=[
                ("Колледж:", "КА"),
                ("Специальность:", "09.02.07 ИСП"),
                ("Форма обучения:", "очная"),
                ("Год набора:", 2025),
                ("На базе:", "9 классов"),
                ])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / 'plan.xlsx'
            path.write_bytes(data)
            message = import_curriculum_file(Pool(), path)
        self.assertIn("8", message)
        Curriculum = Pool().get('copp.journal.curriculum')
        curriculum, = Curriculum.search([('admission_year', '=', 2025)])
        self.assertEqual(curriculum.company, ns.college)
        self.assertEqual(curriculum.basis, '9')
        self.assertEqual(len(curriculum.lines), 8)

    # Workload and timetable -------------------------------------------------

    @with_transaction()
    def test_workload_from_curriculum(self):
        "The load of a term comes from the lines of the group's semester"
        from copp_journal.workload import create_workloads
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        GroupTeacher = pool.get('copp.study.group-company.employee')
        ns = journal_setup(with_users=False)
        created = create_workloads([ns.group], ns.term2)
        self.assertEqual([w.line for w in created], [ns.line_electro])
        self.assertEqual(created[0].hours_planned, 60)
        self.assertEqual(create_workloads([ns.group], ns.term2), [])
        self.assertEqual(create_workloads([ns.group], ns.term1), [])
        # The teachers of the load read the group's students.
        teachers = {r.employee for r in GroupTeacher.search([
                    ('group', '=', ns.group.id)])}
        self.assertEqual(teachers, {ns.teacher, ns.other_teacher})
        self.assertEqual(Workload(ns.workload_graphics.id).hours_given, 6)

    @with_transaction()
    def test_timetable_generation(self):
        "Weekly lines, odd weeks, public holidays and the planned hours"
        from copp_journal.lesson import generate_lessons
        pool = Pool()
        Timetable = pool.get('copp.journal.timetable')
        Lesson = pool.get('copp.journal.lesson')
        Workload = pool.get('copp.journal.workload')
        ns = journal_setup(with_users=False)
        timetable, = Timetable.create([{
                    'company': ns.college.id, 'group': ns.group.id,
                    'term': ns.term1.id,
                    'lines': [('create', [
                                {'weekday': '1', 'pair': 1,
                                    'workload': ns.workload_graphics.id},
                                {'weekday': '1', 'pair': 3, 'parity': 'odd',
                                    'workload': ns.workload_sport.id},
                                ])],
                    }])
        november = (dt.date(2025, 11, 1), dt.date(2025, 11, 30))
        lessons = generate_lessons([timetable], *november,
            limit_to_plan=False)
        dates = sorted((l.workload.line.index, l.date.day) for l in lessons)
        # Tuesdays 11, 18, 25 (4 November is a public holiday); odd weeks
        # of the term (from Monday 1 September) are 11 and 25 November.
        self.assertEqual(dates, [('ОП.01', 11), ('ОП.01', 18),
                ('ОП.01', 25), ('СГ.04', 11), ('СГ.04', 25)])
        self.assertEqual(generate_lessons([timetable], *november), [])
        Lesson.delete(lessons)
        Workload.write([ns.workload_sport], {'hours_planned': 6})
        lessons = generate_lessons([timetable], *november)
        sport = [l for l in lessons if l.workload == ns.workload_sport]
        self.assertEqual([l.date.day for l in sport], [11])

    # Rates -----------------------------------------------------------------

    @with_transaction()
    def test_rates_current(self):
        """Success, quality, average and attendance from current marks,
        against numbers computed by hand:

        S1 ОП.01 5 5 4 (→5), СГ.04 з з           successful, quality
        S2 ОП.01 3 4 (→3.5 → 4), з нз (tie: pass) successful, quality
           absent 20.10 illness (2 h excused)
        S3 ОП.01 2 3 (2.5 → 3), нз нз (failed)   not successful
           absent 20.10 unexcused (2 h), late 14.10 (0 h)
        S4 ОП.01 3 3 4 (3.33 → 3)                 successful, not quality
           absent 14.10 application (2 h excused), 7.10 unexcused (2 h)
        → 4 assessed, 3 successful (75 %), 2 quality (50 %);
          average = (14 + 7 + 5 + 10) / 10 marks = 3.6;
          planned = 5 lessons × 2 h × 4 students = 40 h, missed 8 h
          (4 excused, 4 unexcused) → attendance 80 %."""
        ns = journal_setup(with_users=False)
        october_marks(ns)
        row, = compute_rates('group', *OCT)
        self.assertEqual(row['group'], ns.group.id)
        self.assertEqual(row['company'], ns.college.id)
        self.assertEqual((row['students'], row['assessed'],
                row['successful'], row['quality']), (4, 4, 3, 2))
        self.assertEqual(row['success_rate'], 75.0)
        self.assertEqual(row['quality_rate'], 50.0)
        self.assertEqual(row['marks'], 10)
        self.assertEqual(row['average'], 3.6)
        self.assertEqual(row['planned_hours'], 40)
        self.assertEqual((row['missed_hours'], row['excused_hours'],
                row['unexcused_hours']), (8, 4, 4))
        self.assertEqual(row['attendance_rate'], 80.0)

        college, = compute_rates('college', *OCT)
        self.assertEqual(college['company'], ns.college.id)
        self.assertEqual((college['success_rate'], college['quality_rate'],
                college['attendance_rate']), (75.0, 50.0, 80.0))
        region, = compute_rates('region', *OCT)
        self.assertEqual((region['assessed'], region['average'],
                region['missed_hours']), (4, 3.6, 8))

        students = {r['student']: r for r in compute_rates('student', *OCT)}
        s1, s2, s3, s4 = ns.students
        self.assertEqual((students[s1.id]['successful'],
                students[s1.id]['quality']), (1, 1))
        self.assertEqual((students[s3.id]['successful'],
                students[s3.id]['average'], students[s3.id]['missed_hours'],
                students[s3.id]['unexcused_hours'],
                students[s3.id]['attendance_rate']), (0, 2.5, 2, 2, 80.0))
        self.assertEqual((students[s4.id]['quality'],
                students[s4.id]['average'], students[s4.id]['excused_hours'],
                students[s4.id]['planned_hours'],
                students[s4.id]['attendance_rate']), (0, 3.33, 2, 10, 60.0))
        self.assertEqual(students[s1.id]['attendance_rate'], 100.0)

        # The whole term reads the running totals: the same numbers.
        term_row, = compute_rates('group', *TERM1)
        for name in ['assessed', 'successful', 'quality', 'success_rate',
                'quality_rate', 'average', 'missed_hours', 'excused_hours',
                'planned_hours', 'attendance_rate']:
            self.assertEqual(term_row[name], row[name], name)

        # September: no lessons, no marks.
        september, = compute_rates('group', dt.date(2025, 9, 1),
            dt.date(2025, 9, 30))
        self.assertEqual((september['students'], september['assessed'],
                september['success_rate'], september['planned_hours'],
                september['attendance_rate']), (4, 0, None, 0, None))
        # Another college sees nothing of it.
        self.assertEqual(compute_rates('group', *OCT,
                companies=[ns.other_college.id]), [])

    @with_transaction()
    def test_rates_subgroup_planned_hours(self):
        "Lessons of a subgroup count only for its students"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Lesson = pool.get('copp.journal.lesson')
        ns = journal_setup(with_users=False)
        s1, s2, s3, s4 = ns.students
        sub, = Workload.create([{
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line_graphics.id,
                    'subgroup': 1, 'students': [('add', [s1.id, s2.id])],
                    'teacher': ns.teacher.id}])
        Lesson.create([{'workload': sub.id, 'date': dt.date(2025, 10, 8),
                    'pair': 2, 'hours': 2}])
        row, = compute_rates('group', *OCT)
        # 5 lessons × 2 h × 4 students + 2 h × 2 students
        self.assertEqual(row['planned_hours'], 44)
        students = {r['student']: r for r in compute_rates('student', *OCT)}
        self.assertEqual(students[s1.id]['planned_hours'], 12)
        self.assertEqual(students[s4.id]['planned_hours'], 10)

    @with_transaction()
    def test_rates_final_retake_and_debts(self):
        """Final results of the term from closed sheets: неявка and незачёт
        are debts; a retake closed with a positive grade clears the debt
        and the rates follow the latest result.

        ОП.01 exam: S1 5, S2 4, S3 неявка, S4 3
        СГ.04 credit: S1 зачт., S2 зачт., S3 зачт., S4 не зачт.
        → 2 of 4 successful and of quality (50 %), average (5+4+3)/3 = 4.0
        after S3's retake with 4: 3 of 4 (75 %), average 16/4 = 4.0"""
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        Debt = pool.get('copp.journal.debt')
        from copp_journal.sheet import create_sheets, issue_retakes
        ns = journal_setup(with_users=False)
        s1, s2, s3, s4 = ns.students
        graphics, sport = create_sheets(
            [ns.workload_graphics, ns.workload_sport], dt.date(2025, 12, 20))
        self.assertEqual(len(graphics.lines), 4)
        grades = {s1: '5', s2: '4', s3: 'absent', s4: '3'}
        for line in graphics.lines:
            line.grade = grades[line.student]
        graphics.lines = graphics.lines
        graphics.save()
        grades = {s1: 'pass', s2: 'pass', s3: 'pass', s4: 'fail'}
        for line in sport.lines:
            line.grade = grades[line.student]
        sport.lines = sport.lines
        sport.save()
        Sheet.close([graphics, sport])
        self.assertTrue(graphics.signature)
        self.assertTrue(Sheet(graphics.id).signature_valid)
        self.assertEqual(Sheet(graphics.id).success_rate, 75)

        row, = compute_rates('group', *TERM1, source='final',
            terms=[ns.term1.id])
        self.assertEqual((row['assessed'], row['successful'],
                row['quality'], row['success_rate'], row['quality_rate'],
                row['average']), (4, 2, 2, 50.0, 50.0, 4.0))
        debts = Debt.search([])
        self.assertEqual(sorted((d.student.id, d.line.index, d.grade)
                for d in debts),
            sorted([(s3.id, 'ОП.01', 'absent'), (s4.id, 'СГ.04', 'fail')]))
        self.assertEqual({d.attempts for d in debts}, {1})

        debt, = [d for d in debts if d.student == s3]
        retake, = issue_retakes([debt], dt.date(2026, 1, 20))
        self.assertEqual(retake.kind, 'retake')
        self.assertEqual(retake.original, graphics)
        Transaction().cache.clear()
        self.assertEqual(Debt(debt.id).pending, 1)
        retake_line, = retake.lines
        retake_line.grade = '4'
        retake_line.save()
        Sheet.close([retake])
        Transaction().cache.clear()
        debts = Debt.search([])
        self.assertEqual([(d.student, d.line.index) for d in debts],
            [(s4, 'СГ.04')])
        row, = compute_rates('group', *TERM1, source='final',
            terms=[ns.term1.id])
        self.assertEqual((row['successful'], row['quality'],
                row['success_rate'], row['average']), (3, 3, 75.0, 4.0))
        # A failed retake keeps the debt, with two attempts.
        debt, = debts
        retake, = issue_retakes([debt], dt.date(2026, 1, 21))
        retake.lines[0].grade = 'fail'
        retake.lines[0].save()
        Sheet.close([retake])
        Transaction().cache.clear()
        debt, = Debt.search([])
        self.assertEqual((debt.student, debt.attempts, debt.sheet),
            (s4, 2, retake))

    # Sheets and closing ------------------------------------------------------

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
        from copp_journal.sheet import create_sheets
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
                grid.save_cell(ns.workload_graphics.id,
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
            grid.save_cell(ns.workload_graphics.id,
                ns.lessons_graphics[1].id, s1.id, '5')

    @with_transaction()
    def test_sheet_grade_scale(self):
        "A credit is graded зачтено / не зачтено, an exam 2–5"
        pool = Pool()
        Line = pool.get('copp.journal.sheet.line')
        from copp_journal.sheet import create_sheets
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
                grid.save_cell(ns.workload_graphics.id,
                    ns.lessons_graphics[0].id, s1.id, '5')
            self.assertIn('October 2025', cm.exception.message)
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
            grid.save_cell(ns.workload_graphics.id,
                ns.lessons_graphics[0].id, s1.id, '5')

    # The journal grid -----------------------------------------------------

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
            result = grid.save_cell(wid, g1.id, s1.id, '5')
            self.assertEqual(result['text'], '5')
            grid.save_cell(wid, g2.id, s1.id, '4')
            result = grid.save_cell(wid, g3.id, s1.id, 'н')
            self.assertEqual(result['totals']['average'], 4.5)
            self.assertEqual(result['totals']['missed'], 2)
            self.assertEqual(result['totals']['unexcused'], 2)
            result = grid.save_cell(wid, g3.id, s1.id, 'б')
            self.assertEqual((result['totals']['excused'],
                    result['totals']['unexcused']), (2, 0))
            result = grid.save_cell(wid, g1.id, s2.id, 'jg4')  # оп4 on Latin
            self.assertEqual(result['text'], 'оп4')
            with self.assertRaises(UserError):
                grid.save_cell(wid, g1.id, s3.id, '7')
            with self.assertRaises(UserError):
                grid.save_cell(wid, g1.id, s3.id, 'н5')
            data = grid.load_grid(wid, dt.date(2025, 10, 1))
            self.assertEqual(data['cells'], {
                    f'{g1.id}:{s1.id}': '5', f'{g2.id}:{s1.id}': '4',
                    f'{g3.id}:{s1.id}': 'б', f'{g1.id}:{s2.id}': 'оп4'})
            result = grid.save_cell(wid, g1.id, s2.id, '')
            self.assertEqual(result['text'], '')
            grid.save_lesson(wid, g1.id, {'topic': "  Чертёж детали ",
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

        def snapshot():
            cursor = Transaction().connection.cursor()
            cursor.execute(*total.select(
                    *[getattr(total, c) for c in columns],
                    order_by=[getattr(total, c) for c in columns[:4]]))
            return [tuple(r) for r in cursor]

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

    # Access ---------------------------------------------------------------

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
                grid.save_cell(ns.workload_sport.id, other_lesson.id, s1.id,
                    'fail')
            with self.assertRaises(JournalAccessError):
                grid.load_grid(ns.workload_sport.id)
            # The teacher reads the group's students (load synced).
            self.assertEqual(len(grid.load_grid(
                        ns.workload_graphics.id)['students']), 4)
        # The registrar's office writes every lesson of the college.
        with as_user(ns.registrar_user):
            grid.save_cell(ns.workload_sport.id, other_lesson.id,
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

    # Reports --------------------------------------------------------------

    @with_transaction()
    def test_reports_xlsx(self):
        "The four xlsx reports open and carry the numbers"
        import openpyxl
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        from copp_journal.reports import (
            SheetReport, journal_month_xlsx, missed_hours_xlsx, rates_xlsx)
        from copp_journal.sheet import create_sheets
        ns = journal_setup(with_users=False)
        october_marks(ns)

        def load(data):
            return openpyxl.load_workbook(io.BytesIO(data))

        book = load(journal_month_xlsx([ns.workload_graphics],
                dt.date(2025, 10, 1)))
        sheet = book.worksheets[0]
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        flat = [v for row in values for v in row if v is not None]
        self.assertIn("Иванов Иван", flat)
        self.assertIn('06.10', flat)
        self.assertIn('б', flat)
        self.assertIn("Тема 6", [c.value for row in book.worksheets[1]
                for c in row])

        book = load(missed_hours_xlsx(ns.college, *OCT))
        rows = {row[1]: row for row in book.worksheets[0].iter_rows(
                values_only=True) if row and row[1]}
        # columns: №, name, ОП.01, СГ.04, total, illness, application,
        # order, unexcused, late
        self.assertEqual(rows["Кузнецов Олег"][4:10], (4, 0, 2, 0, 2, 0))
        self.assertEqual(rows["Сидорова Анна"][4:10], (2, 0, 0, 0, 2, 1))
        self.assertEqual(rows["Итого"][4:10], (8, 2, 2, 0, 4, 1))

        book = load(rates_xlsx('group', *OCT, 'current'))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        group_row = [r for r in rows if r and r[1] == 'ИСП-21'][0]
        self.assertEqual(group_row[6:9], (75.0, 50.0, 3.6))
        self.assertEqual(group_row[-1], 80.0)

        graphics, = create_sheets([ns.workload_graphics],
            dt.date(2025, 12, 20))
        for line, grade in zip(graphics.lines, ['5', '4', 'absent', '3']):
            line.grade = grade
            line.save()
        Sheet.close([graphics])
        with Transaction().set_user(0):
            oext, content, _, name = SheetReport.execute([graphics.id], {})
        self.assertEqual(oext, 'xlsx')
        book = load(content)
        flat = [c.value for row in book.worksheets[0] for c in row
            if c.value is not None]
        self.assertTrue(any('ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ' in str(v)
                for v in flat))
        self.assertIn("неявка", flat)
        self.assertIn(75.0, flat)  # success rate

    @with_transaction()
    def test_rate_views(self):
        "The back-office rate models read the context and the rules"
        pool = Pool()
        RateGroup = pool.get('copp.journal.rate.group')
        RateCollege = pool.get('copp.journal.rate.college')
        RateRegion = pool.get('copp.journal.rate.region')
        ns = journal_setup()
        october_marks(ns)
        context = {'period': 'month', 'date': dt.date(2025, 10, 15),
            'source': 'current'}
        with Transaction().set_context(context):
            with as_user(ns.registrar_user):
                row, = RateGroup.search([])
                self.assertEqual((row.group, row.success_rate,
                        row.quality_rate, row.attendance_rate),
                    (ns.group, 75.0, 50.0, 80.0))
                region, = RateRegion.search([])
                self.assertEqual(region.average, 3.6)
                row, = RateCollege.search([])
                self.assertEqual(row.company, ns.college)
            from copp.tests.tools import create_user
            other = create_user('registrar2', [ns.other_college],
                ['group_registrar'])
            with as_user(other):
                self.assertEqual(RateGroup.search([]), [])
