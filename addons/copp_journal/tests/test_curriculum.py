"""Curriculum (xlsx import, errors naming the row and the column),
teaching load from the curricula, lessons generated from a weekly
timetable. Runs on SQLite and PostgreSQL."""
import datetime as dt
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

from copp_journal.exceptions import CurriculumImportError
from copp_journal.importers import curriculum_template

from .tools import journal_setup


class CurriculumTestCase(unittest.TestCase):
    "Curriculum, teaching load and timetable"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_journal', lang='ru')

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
                ('Строка 9', 'Семестр')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, 5, 'Э')],
                ('Строка 9', 'Всего')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, None, 'Экзз')],
                ('Строка 9', 'Форма аттестации')),
            ([('ОП.01', "Графика", 1, 10, 10, 1, None, 'Э'),
                    ('ОП.01', "Графика", 1, 10, 10, 1, None, 'Э')],
                ('Строка 10', 'строку 9')),
            ([(None, "Без индекса", 1, 10, 10, 1, None, 'Э')],
                ('Строка 9', 'Индекс')),
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
        from copp_journal.timetable import generate_lessons
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
