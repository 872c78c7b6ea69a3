"""The learner's courses through HTTP (the WSGI application and werkzeug's
test client): a student of the enrolled group and a learner of the
enrolled cohort sign in to the cabinet, see only their own course, open
lessons (recorded «in progress»), mark one as done (CSRF), download the
document of an unlocked lesson; any other id answers 404."""
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from .tools import course_setup

PASSWORD = 'Kurs-2026-parol-dlinnyj'


class CourseCabinetTestCase(PortalTestMixin, RouteTestCase):
    "The cabinet's course pages"
    module = 'copp_course'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = course_setup()
        for email_, party in [
                ('ivanov@student.example', ns.students[0].party),
                ('smirnova@learner.example', ns.learners[0].party)]:
            user = create_portal_user(email_, party.rec_name,
                password=PASSWORD)
            user.party = party
            user.save()

    def ids(self):
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Course = pool.get('copp.course')
            result = {}
            for course in Course.search([]):
                result[course.code] = (course.id,
                    {l.name: l.id for l in course.lessons})
            return result

    def client(self, email_):
        client = PortalClient()
        response = client.post('/cabinet/login', {'email': email_,
                'password': PASSWORD})
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        return client

    def progress(self, lesson_id, last_name):
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Progress = pool.get('copp.course.progress')
            rows = Progress.search([('lesson', '=', lesson_id),
                    ('learner.name', 'ilike', f'%{last_name}%')])
            return rows[0].state if rows else None

    def test_anonymous_redirected(self):
        "The pages need a signed-in account"
        response = PortalClient().get('/cabinet/courses')
        self.assertEqual(response.status_code, 303)
        self.assertIn('/cabinet/login', response.headers['Location'])

    def test_student_course(self):
        "The group's student: own course, locks, mark as done, file"
        ids = self.ids()
        course_id, lessons = ids['E-CAD']
        foreign_id, foreign_lessons = ids['E-3D']
        client = self.client('ivanov@student.example')

        page = text(client.get('/cabinet/courses'))
        self.assertIn("Чертёж в САПР", page)
        self.assertNotIn("Основы 3D-печати", page)
        self.assertIn('<progress max="100" value="0"', page)

        base = f'/cabinet/courses/{course_id}'
        for path in [f'/cabinet/courses/{foreign_id}',
                f"/cabinet/courses/{foreign_id}/lessons/"
                f"{foreign_lessons['Что такое 3D-печать']}",
                f"{base}/lessons/{foreign_lessons['Что такое 3D-печать']}",
                f"{base}/lessons/{foreign_lessons['Памятка']}/file/document",
                '/cabinet/courses/999999', f'{base}/lessons/2147483647']:
            self.assertEqual(client.get(path).status_code, 404, path)

        page = text(client.get(base))
        self.assertIn("Введение", page)
        self.assertIn("Сначала пройдите: «Что такое 3D-печать»", page)

        memo = f"{base}/lessons/{lessons['Памятка']}"
        response = client.get(memo)
        self.assertEqual(response.status_code, 403)
        self.assertIn("Занятие пока закрыто", text(response))
        self.assertEqual(client.get(f'{memo}/file/document').status_code,
            404)

        lesson = f"{base}/lessons/{lessons['Что такое 3D-печать']}"
        page = text(client.get(lesson))
        self.assertIn("Послойное <b>наращивание</b>", page)
        self.assertNotIn("alert(1)", page)
        self.assertIn("Отметить как пройденный", page)
        self.assertEqual(self.progress(lessons['Что такое 3D-печать'],
                'Иванов'), 'in_progress')

        refused = client.post(f'{lesson}/done', csrf=False)
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(self.progress(lessons['Что такое 3D-печать'],
                'Иванов'), 'in_progress')
        # Another's lesson through one's own course: 404, nothing written
        response = client.post(
            f"{base}/lessons/{foreign_lessons['Памятка']}/done",
            csrf_from=lesson)
        self.assertEqual(response.status_code, 404)

        done = client.post(f'{lesson}/done', csrf_from=lesson)
        self.assertEqual(done.status_code, 303)
        self.assertEqual(done.headers['Location'], lesson)
        self.assertEqual(self.progress(lessons['Что такое 3D-печать'],
                'Иванов'), 'completed')
        page = text(client.get('/cabinet/courses'))
        self.assertIn('<progress max="100" value="33"', page)

        # The document opens once its prerequisite is completed
        self.assertEqual(client.get(memo).status_code, 200)
        response = client.get(f'{memo}/file/document')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, 'application/pdf')
        self.assertEqual(response.get_data(), b'%PDF-1.4 memo')
        self.assertTrue(response.headers['Content-Disposition'].startswith(
                'inline'))
        response = client.get(f'{memo}/file/document',
            headers={'Range': 'bytes=0-3'})
        self.assertEqual((response.status_code, response.get_data()),
            (206, b'%PDF'))
        response = client.get(f'{memo}/file/document?download=1')
        self.assertTrue(response.headers['Content-Disposition'].startswith(
                'attachment'))
        self.assertEqual(client.get(f'{memo}/file/video').status_code, 404)

        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertTrue(Log.search([
                        ('model', '=', 'copp.course.participant'),
                        ('portal_user', '!=', None)]))

    def test_cohort_learner_video(self):
        "The cohort's learner: the video page embeds the service"
        ids = self.ids()
        course_id, lessons = ids['E-3D']
        client = self.client('smirnova@learner.example')
        page = text(client.get('/cabinet/courses'))
        self.assertIn("Основы 3D-печати", page)
        self.assertNotIn("Чертёж в САПР", page)
        response = client.get(
            f"/cabinet/courses/{course_id}/lessons/{lessons['Видеоурок']}")
        self.assertEqual(response.status_code, 200)
        self.assertRegex(text(response),
            re.escape('src="https://rutube.ru/play/embed/'
                '0123456789abcdef0123456789abcdef"'))
        self.assertIn("frame-src 'self' https://rutube.ru",
            response.headers['Content-Security-Policy'])
