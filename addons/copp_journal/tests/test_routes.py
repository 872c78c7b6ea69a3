"""The HTTP routes of the journal: the back-office session, CSRF, a teacher
who writes only their own teaching load, closed months, the diary."""
import base64
import datetime as dt
import json
from unittest import mock

from werkzeug.exceptions import Forbidden

from trytond import security
from trytond.pool import Pool
from trytond.tests.test_tryton import RouteTestCase
from trytond.transaction import Transaction

from copp_journal.journal import csrf_token

from .tools import journal_setup

PASSWORD = 'Journal-Test-2026'
ORIGIN = 'http://localhost'


class JournalRouteTestCase(RouteTestCase):
    "The journal page and the diary over HTTP"
    module = 'copp_journal'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        User = pool.get('res.user')
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        Representative = pool.get('copp.student.representative')
        from copp.tests.tools import create_user
        ns = journal_setup()
        User.write([ns.teacher_user, ns.other_teacher_user,
                ns.registrar_user], {'password': PASSWORD})
        # A teacher of the college whose son studies in the group.
        parent = create_user('parent1', [ns.college], ['group_teacher'])
        User.write([parent], {'password': PASSWORD})
        Representative.create([{'student': ns.students[0].id,
                    'name': parent.employee.party.name, 'relation': 'father',
                    'party': parent.employee.party.id}])
        cls.ids = {
            'workload': ns.workload_graphics.id,
            'other_workload': ns.workload_sport.id,
            'lessons': [l.id for l in ns.lessons_graphics],
            'other_lesson': ns.lessons_sport[0].id,
            'students': [s.id for s in ns.students],
            'college': ns.college.id,
            }
        del Party, Employee

    def login(self, login):
        # The test client has no remote address: nor has the session.
        user_id, key = security.login(self.db_name, login,
            {'password': PASSWORD}, context={'_request': {}})
        token = base64.b64encode(f'{login}:{user_id}:{key}'.encode()).decode()
        return {
            'Authorization': f'Session {token}',
            'Origin': ORIGIN,
            'X-CSRF-Token': csrf_token(key, user_id),
            }

    def post(self, client, url, body, headers):
        return client.post(url, data=json.dumps(body), headers=headers,
            content_type='application/json')

    def url(self, path):
        return f'/{self.db_name}/journal/{path}'

    def test_page_requires_session(self):
        "Without a session the page asks to log in, the API answers 401"
        client = self.client()
        response = client.get(self.url(self.ids['workload']))
        self.assertEqual(response.status_code, 401)
        self.assertIn('login-form', response.get_data(as_text=True))
        response = client.get(self.url(f"{self.ids['workload']}/data"))
        self.assertEqual(response.status_code, 401)
        response = self.post(client, self.url(f"{self.ids['workload']}/cell"),
            {}, {'Origin': ORIGIN})
        self.assertEqual(response.status_code, 401)

    def test_page_and_save_cell(self):
        "The teacher opens the grid, types a mark and an absence"
        client = self.client()
        headers = self.login('teacher1')
        response = client.get(
            self.url(self.ids['workload']) + '?month=2025-10',
            headers=headers)
        self.assertEqual(response.status_code, 200)
        page = response.get_data(as_text=True)
        data = json.loads(page.split('type="application/json">')[1].split(
                '</script>')[0])
        self.assertEqual(data['students'][0]['name'], 'Иванов И.')
        self.assertEqual(len(data['lessons']), 3)
        # The read of the students' marks is in the register of ПДн.
        with Transaction().start(self.db_name, 0):
            pool = Pool()
            Log = pool.get('copp.personal_data.log')
            User = pool.get('res.user')
            teacher, = User.search([('login', '=', 'teacher1')])
            logs = Log.search([('user', '=', teacher.id)])
            self.assertEqual(
                {str(l.resource) for l in logs},
                {f'copp.student,{s}' for s in self.ids['students']})
            self.assertEqual({l.fields_read for l in logs},
                {'absences,marks'})
        self.assertIn("default-src 'self'", response.headers[
                'Content-Security-Policy'])
        self.assertIn('app;dur=', response.headers['Server-Timing'])
        lesson, student = self.ids['lessons'][0], self.ids['students'][1]
        url = self.url(f"{self.ids['workload']}/cell")
        response = self.post(client, url,
            {'lesson': lesson, 'student': student, 'value': '4'}, headers)
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(response.json['text'], '4')
        self.assertEqual(response.json['totals']['average'], 4.0)
        response = self.post(client, url, {'lesson': self.ids['lessons'][1],
                'student': student, 'value': 'н'}, headers)
        self.assertEqual(response.json['totals']['missed'], 2)
        data = client.get(self.url(f"{self.ids['workload']}/data")
            + '?month=2025-10', headers=headers).json
        self.assertEqual(data['cells'][f'{lesson}:{student}'], '4')
        self.assertEqual(
            data['cells'][f"{self.ids['lessons'][1]}:{student}"], 'н')
        response = self.post(client, url,
            {'lesson': lesson, 'student': student, 'value': '9'}, headers)
        self.assertEqual(response.status_code, 400)
        self.assertIn('error', response.json)
        response = self.post(client, self.url(
                f"{self.ids['workload']}/lesson/{lesson}"),
            {'topic': "Сопряжения"}, headers)
        self.assertEqual(response.json['topic'], "Сопряжения")

    def test_cell_changes_audited(self):
        "Each change of a cell is in ir.model.log: who, which entry, what"
        client = self.client()
        headers = self.login('teacher1')
        lesson, student = self.ids['lessons'][2], self.ids['students'][0]
        url = self.url(f"{self.ids['workload']}/cell")
        for value in ['5', '3', 'н', '']:
            response = self.post(client, url,
                {'lesson': lesson, 'student': student, 'value': value},
                headers)
            self.assertEqual(response.status_code, 200, response.data)
        with Transaction().start(self.db_name, 0):
            pool = Pool()
            Log = pool.get('ir.model.log')
            User = pool.get('res.user')
            Mark = pool.get('copp.journal.mark')
            Absence = pool.get('copp.journal.absence')
            teacher, = User.search([('login', '=', 'teacher1')])
            self.assertFalse(Mark.search([('lesson', '=', lesson),
                        ('student', '=', student)]))
            # The entries are deleted: their references are read as text.
            log = Log.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*log.select(log.resource, log.event, log.target,
                    log.create_uid, log.create_date,
                    where=(log.user == teacher.id)
                    & log.resource.like('copp.journal.%'),
                    order_by=[log.id.asc]))
            rows = cursor.fetchall()
            # «5» created the mark, «3» changed it, «н» deleted it and
            # created an absence, the empty cell deleted the absence.
            self.assertEqual([(r[0].split(',')[0], r[1], r[2]) for r in rows],
                [(Mark.__name__, 'write', 'value'),
                    (Mark.__name__, 'delete', None),
                    (Absence.__name__, 'delete', None)])
            self.assertEqual(rows[0][0], rows[1][0])
            self.assertTrue(all(r[3] == teacher.id and r[4] for r in rows))

    def test_session_logged_out_refused(self):
        "A session closed in the back office no longer opens the page"
        client = self.client()
        headers = self.login('teacher1')
        response = client.get(self.url(self.ids['workload']),
            headers=headers)
        self.assertEqual(response.status_code, 200)
        userid, key = base64.b64decode(headers['Authorization'].split()[1]
            ).decode().split(':')[1:]
        security.logout(self.db_name, int(userid), key,
            context={'_request': {}})
        response = client.get(self.url(self.ids['workload']),
            headers=headers)
        self.assertEqual(response.status_code, 401)
        self.assertIn('login-form', response.get_data(as_text=True))
        response = self.post(client, self.url(
                f"{self.ids['workload']}/cell"),
            {'lesson': self.ids['lessons'][0],
                'student': self.ids['students'][0], 'value': '5'}, headers)
        self.assertEqual(response.status_code, 401)

    def test_csrf(self):
        "A write needs the page's token and this site's origin"
        client = self.client()
        headers = self.login('teacher1')
        body = {'lesson': self.ids['lessons'][2],
            'student': self.ids['students'][2], 'value': '5'}
        url = self.url(f"{self.ids['workload']}/cell")
        for change in [{'X-CSRF-Token': 'forged'},
                {'Origin': 'https://evil.example'},
                {'Origin': 'null'}]:
            try:
                status = self.post(client, url, body,
                    dict(headers, **change)).status_code
            except Forbidden:  # trytond refuses foreign origins itself
                status = 403
            self.assertEqual(status, 403, change)
        no_origin = {k: v for k, v in headers.items() if k != 'Origin'}
        self.assertEqual(self.post(client, url, body,
                no_origin).status_code, 403)
        response = client.post(url, data='lesson=1', headers=headers,
            content_type='application/x-www-form-urlencoded')
        self.assertEqual(response.status_code, 403)

    def test_other_teacher_refused(self):
        "A teacher cannot open nor write another teacher's journal"
        client = self.client()
        headers = self.login('teacher1')
        with self.assertLogs('copp.audit', 'INFO') as logs:
            response = client.get(self.url(self.ids['other_workload']),
                headers=headers)
        self.assertEqual(response.status_code, 403)
        self.assertIn('what=journal object=copp.journal.workload,'
            f"{self.ids['other_workload']} result=refused", logs.output[-1])
        response = self.post(client,
            self.url(f"{self.ids['other_workload']}/cell"),
            {'lesson': self.ids['other_lesson'],
                'student': self.ids['students'][0], 'value': 'pass'},
            headers)
        self.assertEqual(response.status_code, 403)
        self.assertIn('error', response.json)
        # Nor by pretending the lesson belongs to their own load.
        response = self.post(client, self.url(f"{self.ids['workload']}/cell"),
            {'lesson': self.ids['other_lesson'],
                'student': self.ids['students'][0], 'value': 'pass'},
            headers)
        self.assertEqual(response.status_code, 400)
        with Transaction().start(self.db_name, 0):
            Mark = Pool().get('copp.journal.mark')
            self.assertEqual(Mark.search([
                        ('lesson', '=', self.ids['other_lesson'])]), [])

    def test_student_outside_the_load_refused(self):
        """A cell of a student the load does not teach is refused; a student
        who left the group keeps the marks they had and can be corrected"""
        from .tools import create_students
        with Transaction().start(self.db_name, 0) as transaction:
            pool = Pool()
            Group = pool.get('copp.study.group')
            Student = pool.get('copp.student')
            Mark = pool.get('copp.journal.mark')
            group, = Group.search([('name', '=', 'ИСП-21')])
            with transaction.set_context(company=group.company.id):
                other_group, = Group.copy([group], {'name': 'ИСП-22'})
                stranger, = create_students(group.company, other_group,
                    [("Чужой", "Кирилл")], first_number=90)
            leaver = Student(self.ids['students'][3])
            Mark.create([{'lesson': self.ids['lessons'][0],
                        'student': leaver.id, 'value': '3'}])
            # Transferred as an order would.
            from copp_contingent.student import APPLY_CONTEXT
            with transaction.set_context(**{APPLY_CONTEXT: True}):
                Student.write([leaver], {'group': other_group.id})
            transaction.commit()
        client = self.client()
        headers = self.login('teacher1')
        url = self.url(f"{self.ids['workload']}/cell")
        response = self.post(client, url, {'lesson': self.ids['lessons'][0],
                'student': stranger.id, 'value': '5'}, headers)
        self.assertEqual(response.status_code, 400)
        self.assertIn('error', response.json)
        response = self.post(client, url, {'lesson': self.ids['lessons'][1],
                'student': leaver.id, 'value': '5'}, headers)
        self.assertEqual(response.status_code, 400)
        response = self.post(client, url, {'lesson': self.ids['lessons'][0],
                'student': leaver.id, 'value': '4'}, headers)
        self.assertEqual(response.status_code, 200, response.data)
        with Transaction().start(self.db_name, 0):
            Mark = Pool().get('copp.journal.mark')
            self.assertEqual(Mark.search([('student', '=', stranger.id)]),
                [])
            mark, = Mark.search([('student', '=', leaver.id)])
            self.assertEqual(mark.value, '4')

    def test_closed_month_refused(self):
        "A closed month answers 409 with a clear message"
        client = self.client()
        headers = self.login('registrar1')
        with Transaction().start(self.db_name, 0) as transaction:
            pool = Pool()
            Period = pool.get('copp.journal.period')
            Company = pool.get('company.company')
            periods = Period.close_months(Company(self.ids['college']),
                [dt.date(2025, 10, 1)])
            transaction.commit()
        try:
            response = self.post(client,
                self.url(f"{self.ids['workload']}/cell"),
                {'lesson': self.ids['lessons'][0],
                    'student': self.ids['students'][3], 'value': '3'},
                headers)
            self.assertEqual(response.status_code, 409)
            self.assertIn('October 2025', response.json['error'])
        finally:
            with Transaction().start(self.db_name, 0) as transaction:
                Period = Pool().get('copp.journal.period')
                Period.reopen(Period.browse([p.id for p in periods]))
                transaction.commit()

    def test_future_lesson_saved_with_warning(self):
        """The page saves a mark on a lesson still to come and tells why;
        the grid marks the columns of lessons to come"""
        client = self.client()
        headers = self.login('teacher1')
        lessons, student = self.ids['lessons'], self.ids['students'][2]
        with Transaction().start(self.db_name, 0):
            Date = Pool().get('ir.date')
        with mock.patch.object(Date, 'today',
                return_value=dt.date(2025, 10, 10)):
            data = client.get(self.url(f"{self.ids['workload']}/data")
                + '?month=2025-10', headers=headers).json
            self.assertEqual([l['future'] for l in data['lessons']],
                [False, True, True])
            response = self.post(client,
                self.url(f"{self.ids['workload']}/cell"),
                {'lesson': lessons[2], 'student': student, 'value': '5'},
                headers)
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(response.json['text'], '5')
        self.assertIn("20.10.2025", response.json['warning'])
        with Transaction().start(self.db_name, 0) as transaction:
            Mark = Pool().get('copp.journal.mark')
            mark, = Mark.search([('lesson', '=', lessons[2]),
                    ('student', '=', student)])
            self.assertEqual(mark.value, '5')
            Mark.delete([mark])
            transaction.commit()

    def test_diary(self):
        "A parent sees their child's diary only; staff of the college too"
        client = self.client()
        child, other = self.ids['students'][0], self.ids['students'][1]
        headers = self.login('parent1')
        url = f'/{self.db_name}/api/diary/'
        with self.assertLogs('copp.audit', 'INFO') as logs:
            response = client.get(
                url + f'{child}?from=2025-09-01&to=2025-12-31',
                headers=headers)
        self.assertIn(f'what=diary object=copp.student,{child} result=ok',
            logs.output[-1])
        with Transaction().start(self.db_name, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertEqual([(l.user.login, l.fields_read) for l in
                    Log.search([('resource', '=', f'copp.student,{child}'),
                            ('fields_read', 'like', '%debts%')])],
                [('parent1', 'absences,debts,homework,marks')])
        self.assertEqual(response.status_code, 200, response.data)
        self.assertEqual(response.json['student']['id'], child)
        self.assertEqual(client.get(url + str(other),
                headers=self.login('teacher2')).status_code, 200)
        headers = self.login('registrar1')
        self.assertEqual(client.get(url + str(other),
                headers=headers).status_code, 200)

    def test_diary_refused_to_stranger_parent(self):
        "The parent's session does not open another student's diary"
        client = self.client()
        headers = self.login('parent1')
        with self.assertLogs('copp.audit', 'INFO') as logs:
            response = client.get(
                f"/{self.db_name}/api/diary/{self.ids['students'][1]}",
                headers=headers)
        self.assertIn('result=refused', logs.output[-1])
        # parent1 is a teacher too: a teacher reads the students of the
        # groups they teach only (teacher rule of copp_contingent), and
        # parent1 teaches nothing.
        self.assertEqual(response.status_code, 403)

    def test_clean_url_and_static(self):
        client = self.client()
        response = client.get('/journal/12?month=2025-10')
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.headers['Location'].endswith(
                '/journal/12?month=2025-10'))
        response = client.get('/journal/static/journal.js')
        self.assertEqual(response.status_code, 200)
        self.assertIn('javascript', response.headers['Content-Type'])
        self.assertEqual(client.get(
                '/journal/static/../__init__.py').status_code, 404)

    def test_index(self):
        client = self.client()
        response = client.get(self.url(''), headers=self.login('teacher1'))
        self.assertEqual(response.status_code, 200)
        self.assertIn('ОП.01', response.get_data(as_text=True))
