"""The assignment lesson in the learner's cabinet, through HTTP (werkzeug's
test client on trytond's WSGI application): an enrolled learner hands in a
text and a file (a refused file comes back named, with the text kept), the
teacher grades with the rubric through the model API, the learner reads
the grade, the feedback and the rubric, the work is returned and handed in
again. Another learner's work or file, a course the account is not
enrolled in and a lesson of another course answer 404; a POST without the
CSRF token is refused."""
import datetime as dt
import io
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from .tools import PDF, assignment_setup, progress_of

PASSWORD = 'Zadanie-2026-kabinet'
# Far from today's clock: the page is before the deadline whenever it runs
DEADLINE = dt.datetime(2099, 6, 30, 20, 59)


class CabinetAssignmentTestCase(PortalTestMixin, RouteTestCase):
    "The assignment page of the cabinet"
    module = 'copp_assignment'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = assignment_setup(rubric=True, deadline=DEADLINE, cutoff=None,
            late_policy='penalty', penalty_per_day=Decimal(10),
            penalty_max=Decimal(30))
        for email_, name, party in [
                ('anna@example.ru', "Анна Иванова", ns.learner),
                ('petr@example.ru', "Пётр Петров", ns.learner2),
                ('ilya@example.ru', "Илья Сидоров", ns.outsider)]:
            user = create_portal_user(email_, name, None, PASSWORD)
            user.party = party
            user.save()
        cls.course_id = ns.course.id
        cls.lesson_id = ns.lesson.id
        cls.other_course_id = ns.other_course.id
        cls.other_lesson_id = ns.other_lesson.id
        cls.assignment_id = ns.assignment.id
        cls.learner_id = ns.learner.id
        cls.learner2_id = ns.learner2.id
        cls.page = (f'/cabinet/courses/{ns.course.id}/lessons/{ns.lesson.id}'
            '/assignment')

    def client(self, email_):
        client = PortalClient()
        client.login(email_, PASSWORD)
        return client

    def submissions(self, learner_id=None):
        "(id, learner, attempt, state, file ids) of the works (of a learner)"
        with Transaction().start(DB_NAME, 0):
            Submission = Pool().get('copp.assignment.submission')
            domain = [('learner', '=', learner_id)] if learner_id else []
            return [(s.id, s.learner.id, s.attempt, s.state,
                    [f.id for f in s.files])
                for s in Submission.search(domain,
                    order=[('id', 'ASC')])]

    def grade(self, submission_id, levels, feedback):
        "The teacher's grading with the rubric (model API, committed)"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Submission = pool.get('copp.assignment.submission')
            Score = pool.get('copp.assignment.submission.score')
            submission = Submission(submission_id)
            for score in submission.scores:
                level, = [l for l in score.criterion.levels
                    if l.name == levels[score.criterion.name]]
                Score.write([score], {'level': level.id,
                        'comment': f"Комментарий: {level.name}"})
            Submission.write([submission], {'feedback': feedback})
            Submission.evaluate([submission])

    def rework(self, submission_id):
        with Transaction().start(DB_NAME, 0):
            Submission = Pool().get('copp.assignment.submission')
            Submission.rework([Submission(submission_id)])

    def test_hand_in_grade_rework(self):
        "Hand in, refused file, grade with the rubric, rework, hand in again"
        anna = self.client('anna@example.ru')
        html = text(anna.get(self.page))
        self.assertIn("Спроектируйте базу данных", html)
        self.assertIn("30.06.2099 23:59 (мск)", html)
        self.assertIn("осталось", html)
        self.assertIn("на 10 % за каждый начатый день опоздания", html)
        self.assertIn('enctype="multipart/form-data"', html)
        self.assertIn("Вы ещё не сдавали работу", html)

        # A refused file: named, nothing kept, the text comes back
        typed = "Моя ER-диаграмма <b>и</b> запросы"
        response = anna.post(self.page, {
                'text': typed,
                'files': [(io.BytesIO(PDF), 'er.pdf'),
                    (io.BytesIO(b'MZ\x90'), 'setup.exe')],
                })
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Файл «setup.exe» не принят", html)
        self.assertIn("Моя ER-диаграмма &lt;b&gt;и&lt;/b&gt; запросы", html)
        self.assertEqual(self.submissions(self.learner_id), [])

        response = anna.post(self.page, {
                'text': typed + "\n\nВторой абзац",
                'files': [(io.BytesIO(PDF), 'er.pdf')],
                })
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        self.assertEqual(response.headers['Location'], self.page)
        (submission_id, learner, attempt, state, files), = (
            self.submissions(self.learner_id))
        self.assertEqual((learner, attempt, state),
            (self.learner_id, 1, 'submitted'))
        html = text(anna.get(self.page))
        self.assertIn("Работа сдана (попытка 1)", html)
        self.assertIn("Попытка 1", html)
        self.assertIn("Сдана", html)
        self.assertIn("ждёт проверки", html)
        # The answer is shown escaped, its paragraphs kept
        self.assertIn("<p>Моя ER-диаграмма &lt;b&gt;и&lt;/b&gt; запросы</p>"
            "<p>Второй абзац</p>", html)
        file_url = f'{self.page}/submissions/{submission_id}/files/{files[0]}'
        self.assertIn(file_url, html)
        download = anna.get(file_url)
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.get_data(), PDF)
        self.assertIn("er.pdf", download.headers['Content-Disposition'])

        self.grade(submission_id, {"Модель данных": "Частично",
                "Запросы": "Верно"}, "Связи между таблицами не заданы.")
        html = text(anna.get(self.page))
        # (2 + 6) / (4 + 6) of 100 points
        self.assertIn("80 из 100", html)
        self.assertIn("зачтено", html)
        self.assertIn("Связи между таблицами не заданы.", html)
        self.assertIn("Комментарий: Частично", html)
        self.assertNotIn("Отправить на проверку", html)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Lesson = pool.get('copp.course.lesson')
            Party = pool.get('party.party')
            self.assertEqual(progress_of(Lesson(self.lesson_id),
                    Party(self.learner_id)), ('completed', Decimal('80.00')))

        self.rework(submission_id)
        html = text(anna.get(self.page))
        self.assertIn("Возвращена на доработку", html)
        self.assertIn("Сдать работу заново", html)
        # The form starts from the previous answer
        self.assertIn("Второй абзац</textarea>", html)
        response = anna.post(self.page, {'text': "Исправленный ответ",
                'files': [(io.BytesIO(PDF), 'er-v2.pdf')]})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        rows = self.submissions(self.learner_id)
        self.assertEqual([(r[2], r[3]) for r in rows],
            [(1, 'returned'), (2, 'submitted')])
        self.assertIn("Попытка 2", text(anna.get(self.page)))
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertTrue(Log.search([
                        ('model', '=', 'copp.assignment.submission'),
                        ('portal_user.email', '=', 'anna@example.ru')]))

    def test_foreign_ids(self):
        "Another learner's work, another course, a lesson not of the course"
        petr = self.client('petr@example.ru')
        response = petr.post(self.page, {'text': "Ответ Петра"})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        (submission_id, *_), = self.submissions(self.learner2_id)
        with Transaction().start(DB_NAME, 0):
            Attachment = Pool().get('ir.attachment')
            attachment, = Attachment.create([{'name': 'petr.pdf',
                        'data': PDF, 'type': 'data',
                        'resource': f'copp.assignment.submission,'
                        f'{submission_id}'}])
            file_id = attachment.id
        petr_file = f'{self.page}/submissions/{submission_id}/files/{file_id}'
        self.assertEqual(petr.get(petr_file).status_code, 200)
        # A file id that is not of this work
        self.assertEqual(petr.get(f'{self.page}/submissions/{submission_id}'
                f'/files/{file_id + 1000}').status_code, 404)

        # Anna, enrolled in the course too: not Pyotr's work nor file
        anna = self.client('anna@example.ru')
        page = text(anna.get(self.page))
        self.assertNotIn("Ответ Петра", page)
        self.assertNotIn("petr.pdf", page)
        self.assertEqual(anna.get(petr_file).status_code, 404)

        # Ilya is not enrolled: the lesson, its POST and the file are 404
        ilya = self.client('ilya@example.ru')
        self.assertEqual(ilya.get(self.page).status_code, 404)
        response = ilya.post(self.page, {'text': "Чужой ответ"},
            csrf_from='/cabinet/')
        self.assertEqual(response.status_code, 404)
        self.assertEqual(ilya.get(petr_file).status_code, 404)

        # Another college's course, and its lesson under Anna's course id
        other = (f'/cabinet/courses/{self.other_course_id}/lessons/'
            f'{self.other_lesson_id}/assignment')
        self.assertEqual(anna.get(other).status_code, 404)
        mixed = (f'/cabinet/courses/{self.course_id}/lessons/'
            f'{self.other_lesson_id}/assignment')
        self.assertEqual(anna.get(mixed).status_code, 404)
        self.assertEqual(anna.post(mixed, {'text': "x"},
                csrf_from=self.page).status_code, 404)
        self.assertEqual([r[1] for r in self.submissions()
                if r[1] not in {self.learner_id, self.learner2_id}], [])

    def test_post_without_csrf(self):
        petr = self.client('petr@example.ru')
        before = self.submissions()
        response = petr.post(self.page, {'text': "Без токена"}, csrf=False)
        self.assertEqual(response.status_code, 403)
        response = petr.post(self.page, {'text': "Чужой токен",
                'csrf_token': 'x' * 43})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.submissions(), before)

    def test_anonymous_goes_to_login(self):
        response = PortalClient().get(self.page)
        self.assertEqual(response.status_code, 303)
        self.assertIn('/cabinet/login', response.headers['Location'])


del RouteTestCase
