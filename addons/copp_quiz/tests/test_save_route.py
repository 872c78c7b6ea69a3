"""The JSON save of an answer (POST /cabinet/quiz/attempts/<id>/save, what
quiz.js sends) through the WSGI application: its lean path keeps every
check of the page. Another learner's attempt and a course the learner no
longer follows answer 404 and write nothing; a finished attempt answers
closed; past its deadline the attempt is finished (at its deadline) and
the answer is closed; the same response again is unchanged (the row is
not written); an expired or idle session, an inactive account, a missing
or wrong CSRF token are refused; a response too long is refused. The
session lookup of every request (one query, the settings cached) is
checked at explicit moments.

The attempts are made in the database at explicit moments of the year
2000 (START): their deadline, when they have one, is long past whatever
the clock says; nothing here depends on today's date nor on timing."""
import datetime as dt
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user)

from .tools import answer_of, create_question, quiz_world

PASSWORD = 'Kabinet-2026-parol'
ANNA, PETR = 'anna.save@example.ru', 'petr.save@example.ru'
START = dt.datetime(2000, 1, 1, 9, 0)
DEADLINE = dt.datetime(2000, 1, 1, 9, 30)
FAR = dt.datetime(2000, 1, 1, 0, 0)


class QuizSaveRouteTestCase(PortalTestMixin, RouteTestCase):
    "POST /cabinet/quiz/attempts/<id>/save as JSON"
    module = 'copp_quiz'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        Quiz = Pool().get('copp.quiz')
        ns = quiz_world()
        essay = create_question(ns.category, 'essay', "Эссе")
        ordering = create_question(ns.category, 'ordering', "Порядок")
        Quiz.write([ns.quiz], {'slots': [('create', [{
                            'kind': 'fixed', 'question': q.id,
                            'mark': Decimal(1), 'sequence': i,
                            } for i, q in enumerate([essay, ordering], 3)])]})
        for email, name, learner in [(ANNA, "Иванова Анна", ns.learners[0]),
                (PETR, "Петров Пётр", ns.learners[1])]:
            user = create_portal_user(email, name, None, PASSWORD)
            user.party = learner
            user.save()

    # The data ----------------------------------------------------------
    def new_attempt(self, email, lesson="Проверочный тест", deadline=None,
            finished=False):
        """A new attempt of the account's person started at START (their
        other attempts deleted): {'id', 'lines': {kind: attempt question
        id}, 'right': the right answer of the single choice, 'ordering':
        the answer ids of the ordering question}"""
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Attempt = pool.get('copp.quiz.attempt')
            Lesson = pool.get('copp.course.lesson')
            User = pool.get('web.user')
            user, = User.search([('email', '=', email)])
            lesson, = Lesson.search([('name', '=', lesson)])
            Attempt.delete(Attempt.search([
                        ('learner', '=', user.party.id)]))
            attempt = Attempt.start(lesson.quiz, user.party, lesson=lesson,
                now=START)
            if deadline:
                Attempt.write([attempt], {'deadline': deadline})
            if finished:
                Attempt.finish([attempt], START + dt.timedelta(minutes=5))
            lines = {q.question.kind: q for q in attempt.questions}
            return {
                'id': attempt.id,
                'lines': {k: q.id for k, q in lines.items()},
                'right': answer_of(lines['single'].question, "4").id,
                'ordering': [a.id for a in
                    lines['ordering'].question.answers],
                }

    def line(self, line_id):
        "(response, write_date, write_uid) of an attempt question"
        with Transaction().start(DB_NAME, 0, readonly=True):
            Line = Pool().get('copp.quiz.attempt.question')
            line = Line(line_id)
            return (line.response, line.write_date,
                line.write_uid.id if line.write_uid else None)

    def attempt(self, attempt_id):
        "(state, finish_date) of an attempt"
        with Transaction().start(DB_NAME, 0, readonly=True):
            Attempt = Pool().get('copp.quiz.attempt')
            attempt = Attempt(attempt_id)
            return attempt.state, attempt.finish_date

    def session_of(self, email, **values):
        "Write `values` on the account's sessions (or the account)"
        with Transaction().start(DB_NAME, 0,
                context={'active_test': False}):
            pool = Pool()
            Session = pool.get('web.user.session')
            User = pool.get('web.user')
            user, = User.search([('email', '=', email)])
            if 'active' in values:
                User.write([user], values)
            else:
                Session.write(Session.search([('user', '=', user.id)]),
                    values)

    # The client --------------------------------------------------------
    def client(self, email=ANNA):
        "A signed-in client and the CSRF token of its session"
        client = PortalClient()
        client.login(email, PASSWORD)
        return client, client.csrf_token('/cabinet/')

    def save(self, client, attempt_id, data, token=None):
        headers = {'Accept': 'application/json'}
        if token:
            headers['X-CSRF-Token'] = token
        return client.client.post(
            f'/cabinet/quiz/attempts/{attempt_id}/save', json=data,
            headers=headers, base_url=client.base_url,
            environ_base={'REMOTE_ADDR': client.remote_addr})

    def single(self, attempt, answer=None):
        line = attempt['lines']['single']
        return {'question': line, 'values': {
                f'q{line}': [str(answer or attempt['right'])]}}

    # The tests ---------------------------------------------------------
    def test_saved_then_unchanged(self):
        "A save writes the row once; the same response again is unchanged"
        client, token = self.client()
        attempt = self.new_attempt(ANNA)
        line = attempt['lines']['single']
        self.assertEqual(self.line(line)[0], None)
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json, {'status': 'saved'})
        text, written, user = self.line(line)
        self.assertEqual(text, str(attempt['right']))
        self.assertIsNotNone(written)
        self.assertEqual(user, 0)  # the portal's transactions run as root
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json, {'status': 'unchanged'})
        self.assertEqual(self.line(line), (text, written, user))
        # another answer; then nothing (an empty choice clears it)
        other = next(a for a in [attempt['right'] + 1,
                attempt['right'] - 1] if a != attempt['right'])
        response = self.save(client, attempt['id'],
            self.single(attempt, other), token)
        self.assertEqual(response.json, {'status': 'saved'})
        self.assertEqual(self.line(line)[0], str(other))
        response = self.save(client, attempt['id'], {'question': line,
                'values': {}}, token)
        self.assertEqual(response.json, {'status': 'saved'})
        self.assertIsNone(self.line(line)[0])

    def test_kinds(self):
        "True/false, an essay and an ordering (its answers read) are saved"
        client, token = self.client()
        attempt = self.new_attempt(ANNA)
        lines = attempt['lines']
        response = self.save(client, attempt['id'], {
                'question': lines['truefalse'],
                'values': {f"q{lines['truefalse']}": 'false'}}, token)
        self.assertEqual(response.json, {'status': 'saved'})
        self.assertEqual(self.line(lines['truefalse'])[0], 'false')
        response = self.save(client, attempt['id'], {
                'question': lines['essay'],
                'values': {f"q{lines['essay']}": ["Ответ «эссе»"]}}, token)
        self.assertEqual(response.json, {'status': 'saved'})
        self.assertEqual(self.line(lines['essay'])[0], '"Ответ «эссе»"')
        one, two, three = attempt['ordering']
        name = f"q{lines['ordering']}"
        response = self.save(client, attempt['id'], {
                'question': lines['ordering'], 'values': {
                    f'{name}_{one}': ['3'], f'{name}_{two}': ['1'],
                    f'{name}_{three}': ['2']}}, token)
        self.assertEqual(response.json, {'status': 'saved'})
        self.assertEqual(self.line(lines['ordering'])[0],
            f'[{two},{three},{one}]')

    def test_response_too_long(self):
        "A response beyond the limit is refused, nothing written"
        client, token = self.client()
        attempt = self.new_attempt(ANNA)
        line = attempt['lines']['essay']
        response = self.save(client, attempt['id'], {'question': line,
                'values': {f'q{line}': ["а\n" * 25000]}}, token)
        self.assertEqual(response.status_code, 400)
        self.assertIsNone(self.line(line)[0])

    def test_malformed(self):
        "A malformed request: 400 on one's attempt, 404 on another's"
        client, token = self.client()
        attempt = self.new_attempt(ANNA)
        for data in [{'question': 'x', 'values': {}}, {'values': {}},
                {'question': attempt['lines']['single'], 'values': []},
                ['q']]:
            response = self.save(client, attempt['id'], data, token)
            self.assertEqual(response.status_code, 400, data)
            self.assertEqual(response.json, {'status': 'error'})
        petr, petr_token = self.client(PETR)
        response = self.save(petr, attempt['id'], {'values': {}},
            petr_token)
        self.assertEqual(response.status_code, 404)

    def test_another_learner(self):
        "Another learner's attempt or question: 404, nothing written"
        anna = self.new_attempt(ANNA)
        petr_attempt = self.new_attempt(PETR)
        client, token = self.client(PETR)
        line = anna['lines']['single']
        response = self.save(client, anna['id'], self.single(anna), token)
        self.assertEqual(response.status_code, 404)
        # Anna's question through Petr's own attempt
        response = self.save(client, petr_attempt['id'], self.single(anna),
            token)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json, {'status': 'not_found'})
        # an id no record has
        response = self.save(client, petr_attempt['id'], {
                'question': 10 ** 12, 'values': {}}, token)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.line(line), (None, None, None))
        # and the owner still saves
        client, token = self.client(ANNA)
        response = self.save(client, anna['id'], self.single(anna), token)
        self.assertEqual(response.json, {'status': 'saved'})

    def test_course_not_followed(self):
        "An attempt made in a lesson of a course the learner does not follow"
        client, token = self.client()
        attempt = self.new_attempt(ANNA, lesson="Тест чужого курса")
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.status_code, 404)
        self.assertIsNone(self.line(attempt['lines']['single'])[0])

    def test_finished_attempt(self):
        "A finished attempt: closed, nothing written"
        client, token = self.client()
        attempt = self.new_attempt(ANNA, finished=True)
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json, {'status': 'closed'})
        self.assertIsNone(self.line(attempt['lines']['single'])[0])
        self.assertEqual(self.attempt(attempt['id']),
            ('finished', START + dt.timedelta(minutes=5)))

    def test_past_deadline(self):
        "Past its deadline the attempt is finished at it: closed"
        client, token = self.client()
        attempt = self.new_attempt(ANNA, deadline=DEADLINE)
        self.assertEqual(self.attempt(attempt['id']), ('in_progress', None))
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json, {'status': 'closed'})
        self.assertIsNone(self.line(attempt['lines']['single'])[0])
        self.assertEqual(self.attempt(attempt['id']),
            ('finished', DEADLINE))

    def test_session_refused(self):
        "Expired, idle, of an inactive account: refused, nothing written"
        attempt = self.new_attempt(ANNA)
        line = attempt['lines']['single']
        for values in [{'expires': FAR}, {'last_activity': FAR},
                {'active': False}]:
            client, token = self.client()
            self.session_of(ANNA, **values)
            try:
                response = self.save(client, attempt['id'],
                    self.single(attempt), token)
            finally:
                if 'active' in values:
                    self.session_of(ANNA, active=True)
            self.assertEqual(response.status_code, 403, values)
            self.assertIsNone(self.line(line)[0], values)
        client, token = self.client()
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.json, {'status': 'saved'})

    def test_csrf(self):
        "Without the CSRF token or with another session's: refused"
        attempt = self.new_attempt(ANNA)
        line = attempt['lines']['single']
        client, token = self.client()
        _, other_token = self.client()  # another session of the account
        for sent in [None, other_token, token[:-1] + 'x']:
            response = self.save(client, attempt['id'],
                self.single(attempt), sent)
            self.assertEqual(response.status_code, 403, sent)
            self.assertIsNone(self.line(line)[0])
        response = self.save(client, attempt['id'], self.single(attempt),
            token)
        self.assertEqual(response.json, {'status': 'saved'})

    def test_session_lookup(self):
        """The session of every request at explicit moments: the idle
        timeout of the settings (their cache follows a change), the
        expiry, the account active"""
        with Transaction().start(DB_NAME, 0,
                context={'active_test': False}) as transaction:
            pool = Pool()
            Session = pool.get('web.user.session')
            User = pool.get('web.user')
            Configuration = pool.get('copp.portal.configuration')
            user, = User.search([('email', '=', ANNA)])
            session, key = Session.open(user)
            Session.write([session], {'last_activity': START,
                    'expires': START + dt.timedelta(hours=12)})

            def lookup(minutes, key=key):
                return Session.lookup(key,
                    START + dt.timedelta(minutes=minutes))
            found = lookup(30)
            self.assertEqual(found, session)
            self.assertEqual(found.user, user)
            self.assertEqual(found.last_activity, START)
            self.assertFalse(found.needs_touch(START))
            self.assertIsNone(lookup(60))  # idle 60 minutes (the default)
            Configuration.write([Configuration(1)],
                {'session_idle_minutes': 20})
            self.assertIsNone(lookup(30))
            self.assertEqual(lookup(10), session)
            Session.write([session],
                {'last_activity': START + dt.timedelta(hours=12)})
            self.assertIsNone(lookup(12 * 60 + 5))  # expired
            Session.write([session], {'last_activity': START})
            User.write([user], {'active': False})
            self.assertIsNone(lookup(10))
            User.write([user], {'active': True})
            self.assertEqual(lookup(10), session)
            self.assertIsNone(lookup(10, key + 'x'))
            self.assertIsNone(lookup(10, 'x' * 129))
            transaction.rollback()
