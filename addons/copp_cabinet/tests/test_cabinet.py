"""The personal cabinet through HTTP: a college invites a student and a
parent of two children; they set their passwords from the e-mailed links,
sign in and read the journal's real marks, absences and timetable; no one
opens a student who is not theirs (404 on every cabinet route)."""
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_journal.tests.tools import (
    absence, create_students, journal_setup, mark)

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, message_link, run_queue, text)

from ..account import account_states, invite_student

PASSWORD = 'Kabinet-2026-parol'
TERM = '?from=2025-09-01&to=2025-12-31'
# Every cabinet route that takes a student id (the IDOR probe)
STUDENT_ROUTES = ['/cabinet/students/{id}', '/cabinet/students/{id}/timetable']


class CabinetTestCase(PortalTestMixin, RouteTestCase):
    "Invitations, the student's and the parent's pages, ownership"
    module = 'copp_cabinet'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Student = pool.get('copp.student')
        Representative = pool.get('copp.student.representative')
        ns = journal_setup(with_users=False)
        ivanov, petrov, sidorova, kuznetsov = ns.students
        orlova, zaitsev = create_students(ns.college, ns.group,
            [("Орлова", "Ольга"), ("Зайцев", "Захар")], first_number=5)
        # Each test invites its own students (the database is shared).
        Student.write([ivanov], {'email': 'ivan@student.example'})
        Student.write([petrov], {'email': 'petr@student.example'})
        Student.write([kuznetsov], {'email': 'oleg@student.example'})
        Student.write([zaitsev], {'email': 'Taken@Example.ru'})
        # One mother of Иванов and Петров (a parent of two children)
        Representative.create([
                {'student': ivanov.id, 'name': "Иванова Мария Петровна",
                    'relation': 'mother', 'email': 'maria@parent.example'},
                {'student': petrov.id, 'name': "Иванова Мария Петровна",
                    'relation': 'mother', 'email': 'maria@parent.example'},
                {'student': sidorova.id, 'name': "Сидоров Павел",
                    'relation': 'father'},
                {'student': kuznetsov.id, 'name': "Кузнецов Игорь",
                    'relation': 'father', 'email': 'igor@parent.example'},
                {'student': orlova.id, 'name': "Орлова Вера",
                    'relation': 'mother', 'email': 'vera@parent.example'},
                ])
        g1, g2, g3 = ns.lessons_graphics
        p1, p2 = ns.lessons_sport
        for lesson, student, value in [(g1, ivanov, '5'), (g2, ivanov, '4'),
                (g1, petrov, '3'), (g1, sidorova, '2'),
                (g2, kuznetsov, '5')]:
            mark(lesson, student, value)
        absence(g3, ivanov, 'illness')
        absence(p1, sidorova, None)

    def student_ids(self):
        with Transaction().start(DB_NAME, 0):
            Student = Pool().get('copp.student')
            return {s.last_name: s.id for s in Student.search([])}

    def invite(self, last_name):
        with Transaction().start(DB_NAME, 0):
            Student = Pool().get('copp.student')
            student, = Student.search([('last_name', '=', last_name)])
            outcomes = invite_student(student)
        run_queue()
        return outcomes

    def accept(self, email_, password=PASSWORD):
        "Follow the last invitation sent to `email_`, set the password"
        messages = [m for _, to, m in self.smtp.messages if email_ in to]
        self.assertTrue(messages, email_)
        link = message_link(messages[-1], '/cabinet/invitation/')
        client = PortalClient()
        self.assertEqual(client.get(link).status_code, 200)
        response = client.post(link, {'password': password,
                'password2': password, 'consent': '1'})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        self.assertEqual(response.headers['Location'], '/cabinet/')
        return client

    def test_student_and_parent(self):
        "Invited, they sign in and read the journal; the parent switches"
        ids = self.student_ids()
        outcomes = self.invite('Иванов')
        self.assertEqual([(o.role, o.status) for o in outcomes],
            [('student', 'invited'), ('representative', 'invited')])
        outcomes = self.invite('Петров')
        # The same mother: her account gets the second child (a new link)
        self.assertEqual([(o.role, o.status) for o in outcomes],
            [('student', 'invited'), ('representative', 'invited')])
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            mother, = User.search([('email', '=', 'maria@parent.example')])
            self.assertEqual(
                sorted(p.id for p in mother.secondary_parties), sorted(
                    Pool().get('copp.student')(ids[n]).party.id
                    for n in ['Иванов', 'Петров']))
            Student = Pool().get('copp.student')
            states = account_states(Student.browse(list(ids.values())))
            self.assertEqual(states[ids['Иванов']], 'invited')
            self.assertEqual(states[ids['Сидорова']], 'none')

        student = self.accept('ivan@student.example')
        home = text(student.get('/cabinet/'))
        self.assertIn("Мой кабинет", home)
        self.assertIn("Иванов Иван", home)
        self.assertNotIn("Петров", home)
        diary = text(student.get(f"/cabinet/students/{ids['Иванов']}{TERM}"))
        self.assertIn("ОП.01 Инженерная графика", diary)
        self.assertRegex(diary, r'>5</span>\s*<span class="mark"[^>]*>4<')
        self.assertIn("4.5", diary)
        self.assertIn("из них по уважительной причине 2 ч.", diary)
        timetable = text(student.get(
                f"/cabinet/students/{ids['Иванов']}/timetable?week=2025-10-08"))
        self.assertIn("06.10.2025", timetable)
        self.assertIn("Физическая культура", timetable)
        self.assertIn("Тема 6", timetable)
        self.assertNotIn("Тема 13", timetable)
        with Transaction().start(DB_NAME, 0):
            Student = Pool().get('copp.student')
            states = account_states(Student.browse(list(ids.values())))
            self.assertEqual(states[ids['Иванов']], 'active')
            Log = Pool().get('copp.personal_data.log')
            logged = Log.search([('portal_user', '!=', None),
                    ('resource', '=', f"copp.student,{ids['Иванов']}")])
            self.assertEqual(len(logged), 2)

        parent = self.accept('maria@parent.example')
        home = text(parent.get('/cabinet/'))
        self.assertIn("Иванов Иван", home)
        self.assertIn("Петров Пётр", home)
        self.assertIn("законный представитель", home)
        diary = text(parent.get(f"/cabinet/students/{ids['Петров']}{TERM}"))
        self.assertRegex(diary, r'<span class="mark"[^>]*>3</span>')

    def test_invite_wizard(self):
        "The clerk invites a whole group; the result lists what to fix"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Group = pool.get('copp.study.group')
            Invite = pool.get('copp.cabinet.invite', type='wizard')
            group, = Group.search([])
            with Transaction().set_context(active_model='copp.study.group',
                    active_ids=[group.id], active_id=group.id):
                session_id, _, _ = Invite.create()
                start = Invite.execute(session_id, {}, 'start')[
                    'view']['defaults']
                self.assertEqual(len(start['students']), 6)
                self.assertTrue(start['representatives'])
                result = Invite.execute(session_id, {'start': {
                            'students': start['students'],
                            'representatives': True, 'resend': True}},
                    'invite')['view']['defaults']
            self.assertTrue(result['summary'].startswith(
                    "Отправлено приглашений:"), result['summary'])
            details = result['details'].splitlines()
            # What the clerk has to fix comes first
            self.assertEqual(sorted(details[:3]), [
                    "Орлова Ольга (студент): в личном деле нет адреса почты, "
                    "приглашение не отправлено",
                    "Сидоров Павел (законный представитель): в личном деле "
                    "нет адреса почты, приглашение не отправлено",
                    "Сидорова Анна (студент): в личном деле нет адреса "
                    "почты, приглашение не отправлено",
                    ])
            self.assertNotIn("нет адреса почты", details[3])
            self.assertTrue(any("Кузнецов Игорь (законный представитель): "
                    "приглашение отправлено на igor@parent.example" in line
                    for line in details), details)
            transaction.rollback()

    def test_no_other_student(self):
        "Every cabinet route answers 404 for a student who is not theirs"
        ids = self.student_ids()
        self.invite('Кузнецов')
        student = self.accept('oleg@student.example')
        parent = self.accept('igor@parent.example')
        anonymous = PortalClient()
        strangers = [ids['Иванов'], ids['Петров'], ids['Сидорова'],
            ids['Орлова'], max(ids.values()) + 1000, 2 ** 31 - 1]
        for route in STUDENT_ROUTES:
            own = route.format(id=ids['Кузнецов'])
            for who, client in [('student', student), ('parent', parent)]:
                with self.subTest(route=route, who=who):
                    self.assertEqual(client.get(own).status_code, 200)
                for student_id in strangers:
                    with self.subTest(route=route, who=who, id=student_id):
                        self.assertEqual(client.get(
                                route.format(id=student_id)).status_code, 404)
            response = anonymous.get(own)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers['Location'].startswith(
                    '/cabinet/login'))

    def test_representative_removed(self):
        "A representative removed from the file no longer reads the child"
        ids = self.student_ids()
        self.invite('Орлова')
        parent = self.accept('vera@parent.example')
        url = f"/cabinet/students/{ids['Орлова']}"
        self.assertEqual(parent.get(url).status_code, 200)
        with Transaction().start(DB_NAME, 0):
            Representative = Pool().get('copp.student.representative')
            Representative.delete(Representative.search([
                        ('student', '=', ids['Орлова'])]))
        self.assertEqual(parent.get(url).status_code, 404)
        self.assertNotIn("Орлова Ольга", text(parent.get("/cabinet/")))

    def test_no_email_and_taken(self):
        "No e-mail: nothing sent; an address of another person: refused"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Student = pool.get('copp.student')
            User = pool.get('web.user')
            User.create([{'email': 'taken@example.ru', 'name': "Чужой"}])
            sidorova, = Student.search([('last_name', '=', 'Сидорова')])
            zaitsev, = Student.search([('last_name', '=', 'Зайцев')])
            self.assertEqual([o.status for o in invite_student(sidorova)],
                ['no_email', 'no_email'])
            self.assertEqual([o.status for o in invite_student(zaitsev)],
                ['email_taken'])
        run_queue()
        self.assertFalse(self.smtp.messages)
