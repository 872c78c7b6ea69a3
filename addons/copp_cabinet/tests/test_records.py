"""The student's records in the cabinet through HTTP (issue 16): the closed
grade sheets with their attempts, the movement orders, the practice
placements and the issued documents on education — for the student and,
read-only, for a parent; another student's id answers 404 and nothing of
another student reaches the page."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_contingent.tests.tools import order
from copp_employer.tests.tools import INNS, create_employer
from copp_graduation.tests.tools import (
    close_sheet, graduation_setup, receive_blanks)
from copp_journal.tests.tools import create_students, journal_setup

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

PASSWORD = 'Kabinet-2026-parol'
ROUTES = ['/cabinet/students/{id}/sheets', '/cabinet/students/{id}/documents']
# What belongs to Петрова only: never on Иванов's pages
OTHERS = ["Разработка программных модулей", "АО «Чужая практика»",
    "Чужой наставник", "По семейным обстоятельствам", "Справка об обучении",
    "Академический отпуск", "Петрова"]


def account(email_, party, children=()):
    user = create_portal_user(email_, party.name, None, PASSWORD)
    user.party = party
    user.secondary_parties = [c.party for c in children]
    user.save()
    return user


class CabinetRecordsTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/students/<id>/sheets and /documents"
    module = 'copp_cabinet'
    extras = ['copp_graduation', 'copp_employer']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Party = pool.get('party.party')
        Representative = pool.get('copp.student.representative')
        Document = pool.get('copp.graduation.document')
        Placement = pool.get('copp.employer.practice_place.student')
        Place = pool.get('copp.employer.practice_place')
        ns = graduation_setup()
        ivanov, petrova, sidorov, _ = ns.students
        today = pool.get('ir.date').today()
        with Transaction().set_context(company=ns.college.id):
            # ОП.01: Иванов fails, then passes the retake; Петрова «5»
            first = close_sheet(ns, 'ОП.01', {ivanov: '2', petrova: '5',
                    sidorov: '3'}, dt.date(2025, 12, 20))
            close_sheet(ns, 'ОП.01', {ivanov: '4'}, dt.date(2026, 1, 15),
                kind='retake', original=first)
            # СГ.04: Иванов «не зачтено» (an open debt)
            close_sheet(ns, 'СГ.04', {ivanov: 'fail', petrova: 'pass'},
                dt.date(2025, 12, 22))
            # A sheet of Петрова only, and an open sheet of Иванов
            close_sheet(ns, 'МДК.01.01 КП', {petrova: '5'},
                dt.date(2025, 12, 25))
            Sheet = pool.get('copp.journal.sheet')
            line = ns.lines['ОП.02'][-1]
            Sheet.create([{'company': ns.college.id, 'group': ns.group.id,
                        'line': line.id, 'term': ns.term1.id,
                        'assessment': 'diff_credit',
                        'date': dt.date(2026, 1, 20),
                        'lines': [('create', [{'student': ivanov.id,
                                        'grade': '5'}])]}])
            # Orders: Петрова's academic leave, Иванов's draft transfer
            order(ns.college, 'academic_leave', dt.date(2026, 2, 1),
                [{'student': petrova, 'leave_reason': 'family',
                        'leave_end_date': dt.date(2027, 2, 1)}])
            order(ns.college, 'transfer', dt.date(2026, 2, 2),
                [{'student': ivanov, 'to_group': ns.group,
                        'to_funding': 'budget'}], sign=False)
            # Documents: Иванов's diploma issued, Петрова's справка draft
            receive_blanks(ns.college, 'diploma', '116224', '0000100',
                '0000101')
            receive_blanks(ns.college, 'diploma_honours', '116205',
                '0000200', '0000201')
            values = Document.values_from_student(ivanov, ns.group)
            values.update({'company': ns.college.id, 'student': ivanov.id,
                    'issue_date': dt.date(2026, 6, 30)})
            diploma, = Document.create([values])
            Document.issue([diploma])
            values = Document.values_from_student(petrova, ns.group)
            values.update({'company': ns.college.id, 'student': petrova.id,
                    'kind': 'certificate'})
            Document.create([values])
            # Practice: Иванов at «Практика», Петрова elsewhere
            mine = create_employer("ООО «Практика»", inn=INNS[3])
            theirs = create_employer("АО «Чужая практика»", inn=INNS[4])
            places = Place.create([{
                        'company': ns.college.id, 'employer': employer.id,
                        'specialty': ns.group.specialty.id, 'places': 2,
                        'start_date': today - dt.timedelta(days=5),
                        'end_date': today + dt.timedelta(days=25),
                        'mentor': mentor, 'address': address,
                        } for employer, mentor, address in [
                        (mine, "Кузнецов Пётр Ильич", "Рязань, ул. Мира, 1"),
                        (theirs, "Чужой наставник", None)]])
            Placement.create([
                    {'place': places[0].id, 'record': ivanov.id},
                    {'place': places[1].id, 'record': petrova.id}])
        mother, = Party.create([{'name': "Иванова Мария Петровна"}])
        Representative.create([{'student': ivanov.id, 'party': mother.id,
                    'name': mother.name, 'relation': 'mother'}])
        account('ivanov@student.example', ivanov.party)
        account('petrova@student.example', petrova.party)
        account('maria@parent.example', mother, [ivanov])
        cls.ids = {s.last_name: s.id for s in ns.students}
        enrolment, = pool.get('copp.contingent.order').search([
                ('kind', '=', 'enrolment')])
        cls.enrolment_number = enrolment.number
        cls.diploma = (diploma.series, diploma.number,
            diploma.registration_number)

    def client(self, email_):
        client = PortalClient()
        client.login(email_, PASSWORD)
        return client

    def assertIvanov(self, client):
        "The records of Иванов, and nothing of Петрова"
        student_id = self.ids['Иванов']
        response = client.get(f'/cabinet/students/{student_id}/sheets')
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertIn("1 семестр 2025/2026", page)
        self.assertIn("ОП.01 Инженерная графика", page)
        self.assertIn("Экзамен", page)
        self.assertIn("2 (неудовлетворительно)", page)
        self.assertRegex(page, r'4 \(хорошо\)</td>\s*<td data-label="Попытка">'
            r'2 <span class="muted">\(направление на пересдачу\)')
        self.assertIn("СГ.04 Физическая культура", page)
        # the failed credit is still a debt, the passed retake is not
        self.assertEqual(page.count("задолженность"), 1)
        self.assertRegex(page, r'не зачтено[^<]*<span class="badge[^"]*">'
            r'задолженность')
        self.assertNotIn("Электротехника", page)  # an open sheet
        for other in OTHERS:
            self.assertNotIn(other, page)

        response = client.get(f'/cabinet/students/{student_id}/documents')
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertIn("Зачисление", page)
        self.assertIn(f"№ {self.enrolment_number}<", page)
        self.assertIn("в силе с 01.09.2022", page)
        self.assertIn("группа ИСП-41", page)
        self.assertNotIn("Перевод<", page)  # the draft order
        series, number, registration = self.diploma
        self.assertIn("Диплом о среднем профессиональном образовании", page)
        self.assertIn(f"{series} {number}", page)
        self.assertIn(registration, page)
        self.assertIn("30.06.2026", page)
        self.assertIn("ООО «Практика»", page)
        self.assertIn("Кузнецов Пётр Ильич", page)
        self.assertIn("Рязань, ул. Мира, 1", page)
        self.assertIn("Идёт", page)
        for other in OTHERS:
            self.assertNotIn(other, page)

    def test_student(self):
        "The student reads their sheets, orders, diploma and practice"
        client = self.client('ivanov@student.example')
        self.assertIvanov(client)
        home = text(client.get('/cabinet/'))
        self.assertIn(f'/cabinet/students/{self.ids["Иванов"]}/sheets', home)
        diary = text(client.get(f'/cabinet/students/{self.ids["Иванов"]}'))
        self.assertIn(f'/cabinet/students/{self.ids["Иванов"]}/documents',
            diary)
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            logged = Log.search([('portal_user', '!=', None),
                    ('resource', '=', f'copp.student,{self.ids["Иванов"]}'),
                    ('fields_read', 'in', ['sheet_results',
                            'education_documents,orders,practices'])])
            self.assertGreaterEqual(len(logged), 2)

    def test_other_student_pages(self):
        "Петрова reads her own records: her leave, her placement"
        client = self.client('petrova@student.example')
        student_id = self.ids['Петрова']
        page = text(client.get(f'/cabinet/students/{student_id}/documents'))
        self.assertIn("Академический отпуск", page)
        self.assertIn("По семейным обстоятельствам, до 01.02.2027", page)
        self.assertIn("вступит в силу 01.02.2026"
            if dt.date.today() < dt.date(2026, 2, 1)
            else "в силе с 01.02.2026", page)
        self.assertIn("АО «Чужая практика»", page)
        # her справка is a draft: not shown
        self.assertIn("Документы об образовании ещё не выданы", page)
        page = text(client.get(f'/cabinet/students/{student_id}/sheets'))
        self.assertIn("Разработка программных модулей", page)

    def test_parent(self):
        "The mother reads her child's records"
        self.assertIvanov(self.client('maria@parent.example'))

    def test_no_other_student(self):
        "Another student's id, or one beyond the table: 404; anonymous: login"
        strangers = [self.ids['Петрова'], self.ids['Сидоров'],
            max(self.ids.values()) + 1000, 2 ** 31 - 1]
        for email_ in ['ivanov@student.example', 'maria@parent.example']:
            client = self.client(email_)
            for route in ROUTES:
                for student_id in strangers:
                    with self.subTest(who=email_, route=route,
                            id=student_id):
                        response = client.get(route.format(id=student_id))
                        self.assertEqual(response.status_code, 404)
                        for other in OTHERS:
                            self.assertNotIn(other, text(response))
        anonymous = PortalClient()
        for route in ROUTES:
            response = anonymous.get(route.format(id=self.ids['Иванов']))
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers['Location'].startswith(
                    '/cabinet/login'))


class CabinetRecordsWithoutExtrasTestCase(PortalTestMixin, RouteTestCase):
    "Without copp_graduation and copp_employer: no such sections"
    module = 'copp_cabinet'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        ns = journal_setup(with_users=False)
        student, = create_students(ns.college, ns.group,
            [("Орлов", "Олег")], first_number=9)
        account('orlov@student.example', student.party)
        cls.student_id = student.id

    def test_sections(self):
        client = PortalClient()
        client.login('orlov@student.example', PASSWORD)
        page = text(client.get(
                f'/cabinet/students/{self.student_id}/documents'))
        self.assertIn("Приказов пока нет", page)
        self.assertNotIn("Документы об образовании", page)
        self.assertNotIn("Практика", page)
        page = text(client.get(f'/cabinet/students/{self.student_id}/sheets'))
        self.assertIn("Закрытых ведомостей пока нет", page)
