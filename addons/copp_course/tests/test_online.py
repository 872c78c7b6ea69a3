"""Online sessions: the lesson kind, joining through the cabinet (CSRF,
the attendance recorded, the redirection to the room) and the absences of
those who did not join in the journal."""
import datetime as dt
import unittest

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, RouteTestCase, activate_module, with_transaction)
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from ..online_flow import transfer_attendance
from .tools import course_setup

PASSWORD = 'Kurs-2026-parol-dlinnyj'
ROOM = 'https://meet.example.com/room-1'
SESSION_START = dt.datetime(2025, 10, 15, 10, 0)


def add_session(course, name="Вебинар", start=SESSION_START, minutes=90,
        **values):
    Lesson = Pool().get('copp.course.lesson')
    lesson, = Lesson.create([dict({
                    'course': course.id, 'name': name, 'sequence': 10,
                    'kind': 'online', 'required': False,
                    'online_start': start, 'online_duration': minutes,
                    'meeting_url': ROOM,
                    }, **values)])
    return lesson


class OnlineTestCase(unittest.TestCase):
    "The online sessions and the attendance in the journal"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_course', lang='ru')

    @with_transaction()
    def test_session_validated(self):
        "A session needs its start and a http(s) meeting link"
        Lesson = Pool().get('copp.course.lesson')
        ns = course_setup()
        for values in [{'meeting_url': 'javascript:alert(1)'},
                {'meeting_url': None}, {'online_start': None},
                {'online_duration': 0}]:
            with self.subTest(values=values):
                with self.assertRaises(UserError):
                    add_session(ns.college_course, **values)
        session = add_session(ns.college_course)
        with self.assertRaises(UserError):
            Lesson.write([session], {'meeting_url': 'javascript:alert(1)'})
        with self.assertRaises(UserError):
            Lesson.write([session], {'meeting_url': None})

    @with_transaction()
    def test_phase(self):
        "The room opens 15 minutes before the start and closes at the end"
        Lesson = Pool().get('copp.course.lesson')
        lesson = Lesson(kind='online', online_start=SESSION_START,
            online_duration=90)
        minute = dt.timedelta(minutes=1)
        for moment, phase in [
                (SESSION_START - 16 * minute, 'upcoming'),
                (SESSION_START - 15 * minute, 'open'),
                (SESSION_START + 90 * minute, 'open'),
                (SESSION_START + 91 * minute, 'over')]:
            with self.subTest(moment=moment):
                self.assertEqual(lesson.online_phase(moment), phase)
        self.assertIsNone(Lesson(kind='online', online_start=None)
            .online_phase(SESSION_START))

    @with_transaction()
    def test_attendance(self):
        "Who did not join gets an absence on the session's day, once"
        pool = Pool()
        Progress = pool.get('copp.course.progress')
        Absence = pool.get('copp.journal.absence')
        Course = pool.get('copp.course')
        ns = course_setup()
        session = add_session(ns.college_course)
        later = add_session(ns.college_course, name="Разбор",
            start=dt.datetime(2025, 11, 5, 14, 0), minutes=45)
        ivanov, petrov, sidorova = ns.students
        Progress.record(session, ivanov.party, 'completed')
        # Before the second session is over, only the first one counts
        transfer_attendance([ns.college_course],
            now=dt.datetime(2025, 11, 5, 14, 30))
        absences = Absence.search([])
        self.assertEqual({(a.student, a.date, a.hours, a.kind)
                for a in absences}, {
                (petrov, SESSION_START.date(), 2, 'absent'),
                (sidorova, SESSION_START.date(), 2, 'absent')})
        lesson = absences[0].lesson
        self.assertEqual((lesson.workload, lesson.kind, lesson.hours),
            (ns.workload, 'lesson', 2))
        self.assertIn("Вебинар", lesson.topic)
        # The button: both sessions over; nothing doubled
        Progress.record(later, petrov.party, 'completed')
        Course.transfer_attendance([ns.college_course])
        absences = Absence.search([])
        self.assertEqual(sorted((a.student.id, a.date, a.hours)
                for a in absences), sorted([
                    (petrov.id, SESSION_START.date(), 2),
                    (sidorova.id, SESSION_START.date(), 2),
                    (ivanov.id, dt.date(2025, 11, 5), 1),
                    (sidorova.id, dt.date(2025, 11, 5), 1)]))

    @with_transaction()
    def test_attendance_error(self):
        "Without a teaching load nothing is written and the reason shown"
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Absence = pool.get('copp.journal.absence')
        Course = pool.get('copp.course')
        ns = course_setup()
        add_session(ns.college_course)
        Workload.delete([ns.workload])
        with self.assertRaises(UserError) as cm:
            Course.transfer_attendance([ns.college_course])
        self.assertIn("ИСП-21", cm.exception.message)
        self.assertEqual(Absence.search_count([]), 0)


class OnlineCabinetTestCase(PortalTestMixin, RouteTestCase):
    "Joining an online session in the cabinet"
    module = 'copp_course'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = course_setup()
        # Sessions around the moment of the run: the room opens 15 minutes
        # before the start and closes at the end
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        with Transaction().set_context(company=ns.college.id):
            add_session(ns.college_course, start=now - dt.timedelta(
                    minutes=10))
            add_session(ns.college_course, name="Скоро",
                start=now + dt.timedelta(hours=2))
            add_session(ns.college_course, name="Прошло")
        user = create_portal_user('ivanov@student.example',
            ns.students[0].party.rec_name, password=PASSWORD)
        user.party = ns.students[0].party
        user.save()

    def ids(self):
        with Transaction().start(DB_NAME, 0):
            Course = Pool().get('copp.course')
            course, = Course.search([('code', '=', 'E-CAD')])
            return course.id, {l.name: l.id for l in course.lessons}

    def progress(self, lesson_id):
        with Transaction().start(DB_NAME, 0):
            Progress = Pool().get('copp.course.progress')
            rows = Progress.search([('lesson', '=', lesson_id)])
            return rows[0].state if rows else None

    def test_join(self):
        "«Подключиться»: CSRF, the attendance recorded, the room opened"
        course_id, lessons = self.ids()
        client = PortalClient()
        response = client.post('/cabinet/login', {
                'email': 'ivanov@student.example', 'password': PASSWORD})
        self.assertEqual(response.status_code, 303)
        lesson = f"/cabinet/courses/{course_id}/lessons/{lessons['Вебинар']}"
        page = text(client.get(lesson))
        self.assertIn("Онлайн-занятие", page)
        self.assertIn("Подключиться", page)
        self.assertNotIn("Отметить как пройденный", page)
        self.assertEqual(self.progress(lessons['Вебинар']), 'in_progress')
        self.assertEqual(
            client.post(f'{lesson}/join', csrf=False).status_code, 403)
        self.assertEqual(client.post(f'{lesson}/done',
                csrf_from=lesson).status_code, 400)
        self.assertEqual(self.progress(lessons['Вебинар']), 'in_progress')
        response = client.post(f'{lesson}/join', csrf_from=lesson)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'], ROOM)
        self.assertEqual(self.progress(lessons['Вебинар']), 'completed')
        # Before its room opens and after its end a session is not joined:
        # the page says why, a stale form changes nothing
        for name, says in [("Скоро", "за 15 минут до начала"),
                ("Прошло", "Занятие завершено")]:
            with self.subTest(session=name):
                page_path = (f"/cabinet/courses/{course_id}/lessons/"
                    f"{lessons[name]}")
                page = text(client.get(page_path))
                self.assertIn(says, page)
                self.assertNotIn('/join"', page)
                response = client.post(f'{page_path}/join',
                    csrf_from=lesson)
                self.assertEqual(response.status_code, 303)
                self.assertTrue(
                    response.headers['Location'].endswith(page_path))
                self.assertNotEqual(self.progress(lessons[name]),
                    'completed')
        # Only an online session is joined
        other = (f"/cabinet/courses/{course_id}/lessons/"
            f"{lessons['Что такое 3D-печать']}")
        self.assertEqual(client.post(f'{other}/join',
                csrf_from=other).status_code, 400)
