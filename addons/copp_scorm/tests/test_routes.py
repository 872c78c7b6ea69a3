"""The SCORM player through HTTP (werkzeug's test client on trytond's WSGI
application): an enrolled learner opens the player, loads the SCO's files,
commits, comes back and resumes; nobody reads a file outside the package,
opens another course's lesson or commits without the CSRF token."""
import html
import json
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from .tools import StorageMixin, payload, scorm_setup

PASSWORD = 'Scorm-2026-kabinet'
DATA = re.compile(
    r'<script type="application/json" id="scorm-data">(.*?)</script>', re.S)
FRAME = re.compile(r'<iframe id="scorm-frame"[^>]* data-src="([^"]+)"')


class ScormRoutesTestCase(StorageMixin, PortalTestMixin, RouteTestCase):
    "/cabinet/scorm/…"
    module = 'copp_scorm'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = scorm_setup()
        learner, other = ns.students
        for email, student in [('ivanov@example.ru', learner),
                ('petrova@example.ru', other),
                ('sidorov@example.ru', ns.other_students[0])]:
            user = create_portal_user(email, student.party.name, None,
                PASSWORD)
            user.party = student.party
            user.save()
        create_portal_user('nobody@example.ru', "Без курсов", None, PASSWORD)
        cls.ids = {
            'lesson': ns.lesson.id,
            'text_lesson': ns.text_lesson.id,
            'locked_lesson': ns.locked_lesson.id,
            'other_lesson': ns.other_lesson.id,
            'course': ns.course.id,
            'learner': learner.party.id,
            'package': ns.package.id,
            }

    def client(self, email='ivanov@example.ru'):
        client = PortalClient()
        client.login(email, PASSWORD)
        return client

    def player(self, client, lesson_id=None):
        response = client.get(f'/cabinet/scorm/{lesson_id or self.ids["lesson"]}')
        self.assertEqual(response.status_code, 200, text(response)[:500])
        page = text(response)
        # Jinja's tojson: JSON whose <, > and & are \u escapes
        data = json.loads(DATA.search(page).group(1))
        return response, page, data

    def commit(self, client, data, values, csrf=True, **kwargs):
        headers = {'X-CSRF-Token': data['csrf_token']} if csrf else {}
        return client.client.post(data['commit_url'],
            data=json.dumps(values), content_type='application/json',
            headers=headers, base_url=client.base_url, **kwargs)

    def track(self):
        with Transaction().start(DB_NAME, 0):
            Track = Pool().get('copp.scorm.track')
            tracks = Track.search([('learner', '=', self.ids['learner']),
                    ('lesson', '=', self.ids['lesson'])])
            if not tracks:
                return None
            track, = tracks
            return {name: getattr(track, name) for name in [
                    'lesson_status', 'score_raw', 'suspend_data',
                    'session_count', 'total_time', 'entry', 'exit',
                    'lesson_location']}

    def progress(self):
        with Transaction().start(DB_NAME, 0):
            Progress = Pool().get('copp.course.progress')
            rows = Progress.search([('learner', '=', self.ids['learner']),
                    ('lesson', '=', self.ids['lesson'])])
            return [(p.state, p.score, p.time_spent) for p in rows]

    # Tests ---------------------------------------------------------------
    def test_player_content_commit_resume(self):
        "The whole way: player, files, commit, progress, resume"
        client = self.client()
        response, page, data = self.player(client)
        self.assertEqual(response.headers['X-Frame-Options'], 'DENY')
        self.assertIn('/portal-static/scorm/scorm_api.js', page)
        self.assertIn("Вводный урок SCORM", page)
        src = html.unescape(FRAME.search(page).group(1))
        self.assertEqual(src,
            f'/cabinet/scorm/{self.ids["lesson"]}/content/index.html'
            '?mode=test')
        self.assertEqual(data['entry'], 'ab-initio')
        self.assertEqual(data['lesson_status'], 'not attempted')
        self.assertEqual(data['student_name'], 'Иванов, Иван')
        self.assertEqual(data['launch_data'], 'lang=ru')
        self.assertEqual(data['suspend_data'], '')
        self.assertEqual(data['total_time'], '0000:00:00.00')

        # The SCO's files, with their types, framable by the portal only
        for path, mimetype in [('index.html?mode=test', 'text/html'),
                ('sco.js', 'text/javascript'), ('style.css', 'text/css')]:
            with self.subTest(path=path):
                answer = client.get(f'/cabinet/scorm/{self.ids["lesson"]}'
                    f'/content/{path}')
                self.assertEqual(answer.status_code, 200)
                self.assertEqual(answer.mimetype, mimetype)
                self.assertEqual(answer.headers['X-Frame-Options'],
                    'SAMEORIGIN')
                self.assertIn("frame-ancestors 'self'",
                    answer.headers['Content-Security-Policy'])
                self.assertEqual(answer.headers['X-Content-Type-Options'],
                    'nosniff')
        index = client.get(src)
        self.assertIn('LMSInitialize', client.get(
                f'/cabinet/scorm/{self.ids["lesson"]}/content/sco.js'
                ).get_data(as_text=True))
        self.assertIn("Тестовый учебный объект", text(index))
        # Conditional requests: the ETag revalidates the file
        etag = index.headers['ETag']
        again = client.get(src, headers={'If-None-Match': etag})
        self.assertEqual(again.status_code, 304)

        # What the test SCO commits
        answer = self.commit(client, data, payload(
                lesson_status='passed', score_raw='80', score_min='0',
                score_max='100', session_time='0000:01:30.00',
                exit='suspend', suspend_data='visits=1',
                lesson_location='page-2'))
        self.assertEqual(answer.status_code, 200, text(answer))
        self.assertEqual(answer.json['result'], 'true')
        self.assertEqual(answer.json['lesson_status'], 'passed')
        finish = self.commit(client, data, payload(
                lesson_status='passed', score_raw='80', score_min='0',
                score_max='100', session_time='0000:01:30.00',
                exit='suspend', suspend_data='visits=1',
                lesson_location='page-2', finish=True))
        self.assertEqual(finish.status_code, 200)
        track = self.track()
        self.assertEqual(track['lesson_status'], 'passed')
        self.assertEqual(track['score_raw'], 80)
        self.assertEqual(track['session_count'], 1)
        self.assertEqual(track['total_time'].total_seconds(), 90)
        (state, score, spent), = self.progress()
        self.assertEqual((state, score, spent.total_seconds()),
            ('completed', 80, 90))

        # The learner comes back: the API resumes
        _, page, data = self.player(client)
        self.assertEqual(data['entry'], 'resume')
        self.assertEqual(data['suspend_data'], 'visits=1')
        self.assertEqual(data['lesson_location'], 'page-2')
        self.assertEqual(data['lesson_status'], 'passed')
        self.assertEqual(data['score_raw'], '80')
        self.assertEqual(data['total_time'], '0000:01:30.00')
        self.assertIn("результат 80", page)
        # The page was closed before LMSFinish: navigator.sendBeacon's form
        values = payload(session='c' * 32, lesson_status='passed',
            score_raw='85', score_min='0', score_max='100',
            session_time='0000:00:20.00', suspend_data='visits=2',
            finish=True)
        beacon = client.client.post(data['commit_url'], data={
                'csrf_token': data['csrf_token'],
                'payload': json.dumps(values)}, base_url=client.base_url)
        self.assertEqual(beacon.status_code, 200, text(beacon))
        track = self.track()
        self.assertEqual(track['session_count'], 2)
        self.assertEqual(track['suspend_data'], 'visits=2')
        self.assertEqual(track['total_time'].total_seconds(), 110)
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertTrue(Log.search([('model', '=', 'copp.scorm.track'),
                        ('portal_user', '!=', None)]))

    def test_traversal_and_missing_files(self):
        "No file outside the package's folder: 404"
        client = self.client()
        base = f'/cabinet/scorm/{self.ids["lesson"]}/content'
        for path in ['../../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd',
                '%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/etc/passwd',
                'missing.html', '..', '.', 'imsmanifest.xml/../../1',
                '%00index.html', 'index.html%00.png', 'C:\\Windows\\win.ini',
                '..\\..\\etc\\passwd']:
            with self.subTest(path=path):
                # («//etc» is merged into «/etc» by a redirect: followed)
                answer = client.get(f'{base}/{path}', follow_redirects=True)
                self.assertEqual(answer.status_code, 404, path)
                self.assertNotIn('root:', text(answer))
        # The storage itself is not reachable through another package
        self.assertEqual(client.get(f'{base}/sco.js').status_code, 200)

    def test_foreign_lessons(self):
        "Another course's lesson, a text lesson, a locked one: never served"
        client = self.client()
        other = self.ids['other_lesson']
        for url in [f'/cabinet/scorm/{other}',
                f'/cabinet/scorm/{other}/content/index.html',
                f'/cabinet/scorm/{self.ids["text_lesson"]}',
                f'/cabinet/scorm/{self.ids["text_lesson"]}/content/index.html',
                '/cabinet/scorm/999999',
                '/cabinet/scorm/99999999999',
                '/cabinet/scorm/99999999999/content/index.html']:
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 404)
        _, _, data = self.player(client)
        answer = client.client.post(f'/cabinet/scorm/{other}/commit',
            data=json.dumps(payload()), content_type='application/json',
            headers={'X-CSRF-Token': data['csrf_token']},
            base_url=client.base_url)
        self.assertEqual(answer.status_code, 404)
        # The other college's learner: not the lesson of college A
        stranger = self.client('sidorov@example.ru')
        self.assertEqual(stranger.get(
                f'/cabinet/scorm/{self.ids["lesson"]}').status_code, 404)
        self.assertEqual(stranger.get(
                f'/cabinet/scorm/{other}').status_code, 200)
        nobody = self.client('nobody@example.ru')
        self.assertEqual(nobody.get(
                f'/cabinet/scorm/{self.ids["lesson"]}').status_code, 404)
        # A lesson not yet released: 403 with the reason
        locked = client.get(f'/cabinet/scorm/{self.ids["locked_lesson"]}')
        self.assertEqual(locked.status_code, 403)
        self.assertIn("01.01.2099", text(locked))
        self.assertEqual(client.get(
                f'/cabinet/scorm/{self.ids["locked_lesson"]}'
                '/content/index.html').status_code, 403)

    def test_anonymous(self):
        anonymous = PortalClient()
        answer = anonymous.get(f'/cabinet/scorm/{self.ids["lesson"]}')
        self.assertIn(answer.status_code, (302, 303))
        self.assertIn('/cabinet/login', answer.headers['Location'])
        answer = anonymous.client.post(
            f'/cabinet/scorm/{self.ids["lesson"]}/commit',
            data=json.dumps(payload()), content_type='application/json')
        self.assertEqual(answer.status_code, 403)

    def test_commit_without_csrf(self):
        "A commit without (or with a forged) token is refused, nothing kept"
        client = self.client('petrova@example.ru')
        _, _, data = self.player(client)
        values = payload(lesson_status='passed', score_raw='100')
        answer = self.commit(client, data, values, csrf=False)
        self.assertEqual(answer.status_code, 403)
        forged = client.client.post(data['commit_url'],
            data=json.dumps(values), content_type='application/json',
            headers={'X-CSRF-Token': 'forged'}, base_url=client.base_url)
        self.assertEqual(forged.status_code, 403)
        # Another account's token does not work either
        _, _, theirs = self.player(self.client())
        answer = client.client.post(data['commit_url'],
            data=json.dumps(values), content_type='application/json',
            headers={'X-CSRF-Token': theirs['csrf_token']},
            base_url=client.base_url)
        self.assertEqual(answer.status_code, 403)
        with Transaction().start(DB_NAME, 0):
            Track = Pool().get('copp.scorm.track')
            self.assertEqual(Track.search([
                        ('learner.name', 'ilike', 'Петрова%')]), [])

    def test_commit_invalid_values(self):
        "Values outside SCORM 1.2 answer 400 with the Russian message"
        client = self.client('petrova@example.ru')
        _, _, data = self.player(client)
        for values, message in [
                (payload(lesson_status='done'), "Статус урока «done»"),
                (payload(score_raw='1e3'), "должен быть числом"),
                (payload(session_time='99:99:99'),
                    "не в формате ЧЧЧЧ:ММ:СС.СС"),
                (payload(suspend_data='x' * 4097), "4097 символов"),
                ('not an object', "не распознаны"),
                ]:
            with self.subTest(message=message):
                answer = self.commit(client, data, values)
                self.assertEqual(answer.status_code, 400)
                self.assertEqual(answer.json['result'], 'false')
                self.assertIn(message, answer.json['error'])
        broken = client.client.post(data['commit_url'], data='{broken',
            content_type='application/json',
            headers={'X-CSRF-Token': data['csrf_token']},
            base_url=client.base_url)
        self.assertEqual(broken.status_code, 400)
        huge = self.commit(client, data, payload(suspend_data='x' * 40000))
        self.assertEqual(huge.status_code, 400)
