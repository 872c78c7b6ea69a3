"""Learning monitoring (item 7): the numbers by learner and by lesson on a
fixed reference date, the stalled learners, the company rule and the xlsx
export."""
import datetime as dt
import io
import unittest
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user

from .tools import course_setup

DATE = dt.date(2025, 12, 1)


class MonitoringTestCase(unittest.TestCase):
    "Learning monitoring of copp_course"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_course', lang='ru')

    def record(self, lesson, party, state, when, score=None):
        "Record the progress, then date its activity on `when`"
        pool = Pool()
        Progress = pool.get('copp.course.progress')
        row = Progress.record(lesson, party, state=state, score=score)
        table = Progress.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.last_activity], [when],
                where=table.id == row.id))
        return row

    def scenario(self):
        """The college course: the 1st student completes it (last active
        1 Nov), the 2nd completes the text, looks at the video and fails
        the final work (last active 20 Nov 15:30), the 3rd does nothing
        (got the course on 5 Nov)"""
        pool = Pool()
        Participant = pool.get('copp.course.participant')
        ns = course_setup()
        text, video, document, final = ns.college_lessons
        first, second, third = (s.party for s in ns.students)
        self.record(text, first, 'completed', dt.datetime(2025, 10, 20, 9))
        self.record(document, first, 'completed',
            dt.datetime(2025, 10, 25, 9))
        self.record(final, first, 'completed', dt.datetime(2025, 11, 1, 12),
            score=80)
        self.record(text, second, 'completed', dt.datetime(2025, 11, 10, 9))
        self.record(video, second, 'in_progress',
            dt.datetime(2025, 11, 12, 9))
        self.record(final, second, 'failed',
            dt.datetime(2025, 11, 20, 15, 30), score=40)
        table = Participant.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.create_date],
                [dt.datetime(2025, 11, 5, 9)],
                where=table.course == ns.college_course.id))
        return ns

    def learners(self, ns, stall_days=14):
        Monitoring = Pool().get('copp.course.monitoring')
        with Transaction().set_context(date=DATE, stall_days=stall_days):
            return {r.party.id: r for r in Monitoring.search([
                        ('course', '=', ns.college_course.id)])}

    @with_transaction()
    def test_by_learner(self):
        "Lessons, progress, grade, last activity and days without activity"
        ns = self.scenario()
        first, second, third = (s.party.id for s in ns.students)
        rows = self.learners(ns)
        self.assertEqual(set(rows), {first, second, third})
        values = {p: (r.lessons_completed, r.lessons_required, r.progress,
                r.grade, r.completed, r.last_activity_date, r.days_inactive,
                r.stalled) for p, r in rows.items()}
        self.assertEqual(values[first], (3, 3, Decimal('100.00'),
                Decimal('80.00'), True, dt.date(2025, 11, 1), 30, False))
        self.assertEqual(values[second], (1, 3, Decimal('33.33'),
                Decimal('40.00'), False, dt.date(2025, 11, 20), 11, False))
        # never began: counted from the day the course was given
        self.assertEqual(values[third], (0, 3, Decimal('0.00'),
                None, False, None, 26, True))
        self.assertEqual(rows[first].company, ns.college)

    @with_transaction()
    def test_stalled(self):
        "Stalled after N days without activity; a completed one never"
        Monitoring = Pool().get('copp.course.monitoring')
        ns = self.scenario()
        first, second, third = (s.party.id for s in ns.students)
        for days, expected in [(11, {second, third}), (12, {third}),
                (26, {third}), (27, set()), (1, {second, third})]:
            rows = self.learners(ns, stall_days=days)
            self.assertEqual({p for p, r in rows.items() if r.stalled},
                expected, days)
            self.assertFalse(rows[first].stalled)
        # searchable: the «Остановившиеся» tab
        with Transaction().set_context(date=DATE, stall_days=11):
            stalled = Monitoring.search([
                    ('course', '=', ns.college_course.id),
                    ('stalled', '=', True)])
            self.assertEqual({r.party.id for r in stalled}, {second, third})
            self.assertEqual(Monitoring.search([
                        ('company', '=', ns.college.id),
                        ('stalled', '=', False)], count=True), 1)
        # a later date makes everyone not completed stalled
        with Transaction().set_context(date=dt.date(2026, 2, 1)):
            self.assertEqual({r.party.id for r in Monitoring.search([
                            ('course', '=', ns.college_course.id),
                            ('stalled', '=', True)])}, {second, third})

    @with_transaction()
    def test_by_lesson(self):
        "Learners, started, completed, failed, completion and average"
        MonitoringLesson = Pool().get('copp.course.monitoring.lesson')
        ns = self.scenario()
        text, video, document, final = ns.college_lessons
        rows = MonitoringLesson.search([
                ('course', '=', ns.college_course.id)])
        self.assertEqual([r.lesson for r in rows],
            [text, video, document, final])
        self.assertEqual([(r.enrolled, r.started, r.completed, r.failed,
                    r.completion, r.average_score) for r in rows], [
                (3, 2, 2, 0, Decimal('66.67'), None),
                (3, 1, 0, 0, Decimal('0.00'), None),
                (3, 1, 1, 0, Decimal('33.33'), None),
                (3, 2, 1, 1, Decimal('33.33'), Decimal('60.00')),
                ])
        self.assertTrue(all(r.company == ns.college for r in rows))
        # the ЦОПП's course: its 2 learners, nothing begun
        rows = MonitoringLesson.search([('course', '=', ns.course.id)])
        self.assertEqual({(r.enrolled, r.started, r.completion)
                for r in rows}, {(2, 0, Decimal('0.00'))})

    @with_transaction()
    def test_company_rule(self):
        "A teacher sees the college's courses; another college's none"
        pool = Pool()
        Monitoring = pool.get('copp.course.monitoring')
        MonitoringLesson = pool.get('copp.course.monitoring.lesson')
        ns = self.scenario()
        other = create_college("Колледж Б", "КБ")
        teacher = create_user('teacher_ka', [ns.college], ['group_teacher'])
        stranger = create_user('teacher_kb', [other], ['group_teacher'])
        copp = create_user('copp_user', [ns.copp, ns.college], ['group_copp'])
        with Transaction().set_user(teacher.id), check_access(), \
                Transaction().set_context(date=DATE):
            self.assertEqual({r.course for r in Monitoring.search([])},
                {ns.college_course})
            self.assertEqual(
                {r.course for r in MonitoringLesson.search([])},
                {ns.college_course})
        with Transaction().set_user(stranger.id), check_access(), \
                Transaction().set_context(date=DATE):
            self.assertEqual(Monitoring.search([]), [])
            self.assertEqual(MonitoringLesson.search([]), [])
        with Transaction().set_user(copp.id), check_access(), \
                Transaction().set_context(date=DATE):
            self.assertEqual({r.course for r in Monitoring.search([])},
                {ns.course, ns.college_course})

    @with_transaction()
    def test_xlsx(self):
        "The export has both sheets, the course's rows and a chart"
        from openpyxl import load_workbook
        pool = Pool()
        Export = pool.get('copp.course.monitoring.export', type='wizard')
        ns = self.scenario()
        teacher = create_user('teacher_ka', [ns.college], ['group_teacher'])
        with Transaction().set_user(teacher.id), check_access(), \
                Transaction().set_context(language='ru',
                    active_model='copp.course',
                    active_ids=[ns.college_course.id]):
            session_id, _, _ = Export.create()
            export = Export(session_id)
            defaults = export.default_start(None)
            self.assertEqual(defaults['courses'], [ns.college_course.id])
            self.assertEqual(defaults['stall_days'], 14)
            export.start.courses = [ns.college_course]
            export.start.date = DATE
            export.start.stall_days = 14
            self.assertEqual(export.transition_make(), 'start')
            data, filename = export.start.file, export.start.filename
        self.assertEqual(filename, 'мониторинг-E-CAD.xlsx')
        book = load_workbook(io.BytesIO(data))
        self.assertEqual(book.sheetnames, ["По слушателям", "По занятиям"])
        learners = book["По слушателям"]
        rows = [r for r in learners.iter_rows(min_row=4, values_only=True)
            if r[0]]
        self.assertEqual(len(rows), 3)
        by_name = {r[2]: r for r in rows}
        third = by_name[ns.students[2].party.rec_name]
        self.assertEqual((third[3], third[4], third[9], third[10]),
            (0, 3, 26, "да"))
        first = by_name[ns.students[0].party.rec_name]
        self.assertEqual((first[5], first[6], first[7], first[8].date()),
            (100, 80, "да", dt.date(2025, 11, 1)))
        lessons = book["По занятиям"]
        rows = [r for r in lessons.iter_rows(min_row=4, values_only=True)
            if r[0]]
        self.assertEqual([(r[1], r[3], r[5], r[7]) for r in rows], [
                ("Что такое 3D-печать", 3, 2, 66.67),
                ("Видеоурок", 3, 0, 0),
                ("Памятка", 3, 1, 33.33),
                ("Итоговая работа", 3, 1, 33.33),
                ])
        self.assertEqual(len(lessons._charts), 1)


if __name__ == '__main__':
    unittest.main()
