"""The quiz pages of the cabinet through the WSGI application: a learner
starts an attempt, saves answers through the JSON route, loses the
connection (a new session of the same account) and resumes with the
answers kept, finishes and sees the review. Another learner's attempt and
a course the account is not enrolled in answer 404; a POST without the
CSRF token is refused. The quiz has no time limit nor dates: nothing here
depends on the clock."""
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from .tools import answer_of, quiz_world

PASSWORD = 'Kabinet-2026-parol'
ANNA, PETR = 'anna@example.ru', 'petr@example.ru'
QUESTION = re.compile(r'data-question="(\d+)"')
TOKEN = re.compile(r'data-csrf="([^"]+)"')


class QuizRoutesTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/quiz/…"
    module = 'copp_quiz'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = quiz_world()
        for email, name, learner in [(ANNA, "Иванова Анна", ns.learners[0]),
                (PETR, "Петров Пётр", ns.learners[1])]:
            user = create_portal_user(email, name, None, PASSWORD)
            user.party = learner
            user.save()

    def world(self):
        "ids of the records made by setUpDatabase"
        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Lesson = pool.get('copp.course.lesson')
            Question = pool.get('copp.question')
            lesson, = Lesson.search([('name', '=', "Проверочный тест")])
            other, = Lesson.search([('name', '=', "Тест чужого курса")])
            single, = Question.search([('name', '=', "Сложение")])
            return {'lesson': lesson.id, 'other': other.id,
                'right': answer_of(single, "4").id,
                'single': single.id}

    def client(self, email=ANNA):
        client = PortalClient()
        client.login(email, PASSWORD)
        return client

    def post_json(self, client, path, data, token=None):
        headers = {'Accept': 'application/json'}
        if token:
            headers['X-CSRF-Token'] = token
        return client.client.post(path, json=data, headers=headers,
            base_url=client.base_url,
            environ_base={'REMOTE_ADDR': client.remote_addr})

    def start(self, client, lesson):
        page = client.get(f'/cabinet/quiz/{lesson}')
        self.assertEqual(page.status_code, 200)
        response = client.post(f'/cabinet/quiz/{lesson}/start',
            csrf_from=f'/cabinet/quiz/{lesson}')
        self.assertEqual(response.status_code, 303)
        location = response.headers['Location']
        self.assertRegex(location, r'/cabinet/quiz/attempts/\d+$')
        return location

    def lines(self):
        "{bank question id: attempt question id} of the attempt in progress"
        with Transaction().start(DB_NAME, 0, readonly=True):
            Line = Pool().get('copp.quiz.attempt.question')
            return {l.question.id: l.id for l in Line.search([
                        ('attempt.state', '=', 'in_progress')])}

    def test_attempt_saved_resumed_finished(self):
        world = self.world()
        client = self.client()
        page = text(client.get(f"/cabinet/quiz/{world['lesson']}"))
        self.assertIn("Начать попытку", page)
        attempt_url = self.start(client, world['lesson'])
        page = text(client.get(attempt_url))
        self.assertIn("Сложение?", page)
        shown = [int(i) for i in QUESTION.findall(page)]
        self.assertEqual(len(shown), 2)
        token = TOKEN.search(page).group(1)
        lines = self.lines()
        single_line = lines[world['single']]
        tf_line, = set(shown) - {single_line}

        save_url = attempt_url + '/save'
        data = {'question': single_line,
            'values': {f'q{single_line}': [str(world['right'])]}}
        response = self.post_json(client, save_url, data, token)
        self.assertEqual(response.status_code, 200, text(response))
        self.assertEqual(response.json, {'status': 'saved'})
        response = self.post_json(client, save_url, data, token)
        self.assertEqual(response.json, {'status': 'unchanged'})
        # without the token: refused, nothing written
        refused = self.post_json(client, save_url, {'question': tf_line,
                'values': {f'q{tf_line}': ['true']}})
        self.assertEqual(refused.status_code, 403)
        # a question of no attempt of this learner
        response = self.post_json(client, save_url, {'question': 999999,
                'values': {}}, token)
        self.assertEqual(response.status_code, 404)

        # The connection is lost: a new session of the same account
        again = self.client()
        page = text(again.get(f"/cabinet/quiz/{world['lesson']}"))
        self.assertIn("Продолжить", page)
        self.assertNotIn("Начать попытку", page)
        self.assertEqual(self.start(again, world['lesson']), attempt_url)
        page = text(again.get(attempt_url))
        self.assertIn(f'name="q{single_line}" value="{world["right"]}" '
            'checked', page)
        self.assertIn(f'name="q{tf_line}" value="true">', page)
        self.assertIn("Сохранено", page)

        # the plain form (no script) saves the page's questions
        response = again.post(save_url, {f'q{single_line}':
                str(world['right']), f'q{tf_line}': 'false',
                'page': '1', 'action': 'finish'}, csrf_from=attempt_url)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].endswith('/finish'))
        page = text(again.get(attempt_url + '/finish'))
        self.assertIn("Ответы даны на все вопросы", page)
        response = again.post(attempt_url + '/finish', {},
            csrf_from=attempt_url + '/finish')
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers['Location'].endswith('/review'))
        review = text(again.get(attempt_url + '/review'))
        self.assertIn("Результат: <strong>50,00%</strong>", review)
        self.assertIn("не зачтено", review)
        self.assertIn("Верно: 2 + 2 = 4", review)  # feedback of the answer
        self.assertNotIn("Правильный ответ", review)  # not after attempt
        # saving after the end is refused
        token = again.csrf_token(f"/cabinet/quiz/{world['lesson']}")
        response = self.post_json(again, save_url, data, token)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json, {'status': 'closed'})
        # the attempt page of a finished attempt goes to the review
        response = again.get(attempt_url)
        self.assertEqual(response.status_code, 303)

        with Transaction().start(DB_NAME, 0, readonly=True):
            pool = Pool()
            Progress = pool.get('copp.course.progress')
            Log = pool.get('copp.personal_data.log')
            progress, = Progress.search([
                    ('lesson', '=', world['lesson'])])
            self.assertEqual(progress.state, 'failed')
            self.assertEqual(progress.score, 50)
            self.assertTrue(Log.search([
                        ('model', '=', 'copp.quiz.attempt')]))

        # Another learner: the attempt is not theirs
        petr = self.client(PETR)
        for path in [attempt_url, attempt_url + '/review',
                attempt_url + '/finish']:
            self.assertEqual(petr.get(path).status_code, 404, path)
        petr_page = petr.get(f"/cabinet/quiz/{world['lesson']}")
        self.assertEqual(petr_page.status_code, 200)
        token = petr.csrf_token(f"/cabinet/quiz/{world['lesson']}")
        response = self.post_json(petr, save_url, data, token)
        self.assertEqual(response.status_code, 404)

    def test_not_enrolled_course(self):
        world = self.world()
        client = self.client()
        self.assertEqual(client.get(
                f"/cabinet/quiz/{world['other']}").status_code, 404)
        response = client.post(f"/cabinet/quiz/{world['other']}/start",
            csrf_from=f"/cabinet/quiz/{world['lesson']}")
        self.assertEqual(response.status_code, 404)

    def test_start_without_csrf(self):
        world = self.world()
        client = self.client()
        response = client.post(f"/cabinet/quiz/{world['lesson']}/start",
            csrf=False)
        self.assertEqual(response.status_code, 403)

    def test_anonymous_goes_to_login(self):
        world = self.world()
        response = PortalClient().get(f"/cabinet/quiz/{world['lesson']}")
        self.assertIn(response.status_code, (302, 303))
        self.assertIn('/cabinet/login', response.headers['Location'])
