"""The public events pages, registration, ticket and check-in through real
HTTP (werkzeug client on trytond.wsgi.app, SMTP on loopback)."""
import datetime as dt
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, message_link, message_text, refused_port,
    run_queue, text)

from .tools import ActivatedMenusMixin, adult, create_college, create_event

TICKET = re.compile(r'/events/ticket/(\d+-[0-9a-f]{32})')


def plain(response):
    "The text of a page without its tags"
    return re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', '', text(response)))


class EventPortalTestCase(ActivatedMenusMixin, PortalTestMixin,
        RouteTestCase):
    "Events on the public portal"
    module = 'copp_event'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Event = pool.get('copp.event')
        college = create_college(
            "ОГБПОУ «Рязанский колледж электроники»", "РКЭ")
        cls.college_id = college.id
        create_event(college, name="Сварка <script>alert(1)</script>",
            kind='master_class', capacity=1, days=3,
            description="Мастер-класс для школьников 8–11 классов")
        create_event(college, name="Ярмарка вакансий РКЭ", kind='job_fair',
            days=10, min_age=16, audience=('students', 'adults'))
        create_event(college, name="Профпробы", kind='career_guidance',
            days=4)
        create_event(college, name="Экскурсия на завод", kind='open_day',
            capacity=20, days=6)
        create_event(college, name="Черновик", publish=False)
        drafts_only = create_college("ОГБПОУ «Колледж черновиков»", "КЧ")
        create_event(drafts_only, name="Ещё не опубликовано",
            publish=False)
        past = create_event(college, name="Прошедший день открытых дверей",
            days=-20)
        Event.done([past])

    def event_id(self, name):
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.event')
            event, = Event.search([('name', '=', name)])
            return event.id

    def register_form(self, client, event_id, **values):
        data = {
            'last_name': "Кузнецов", 'first_name': "Игорь",
            'patronymic': "Олегович", 'birth_date': '1995-03-04',
            'category': 'adult', 'email': 'kuznetsov@example.com',
            'phone': '+7 910 123-45-67', 'consent': '1',
            }
        data.update(values)
        return client.post(f'/events/{event_id}/register', data)

    def free_places(self, client, event_id):
        page = client.get(f'/events/{event_id}')
        self.assertEqual(page.status_code, 200)
        found = re.search(r'places-big"><span class="stat-value">(\d+)<',
            text(page))
        return int(found.group(1))

    def test_public_pages_fresh_after_change(self):
        "The micro-cached event pages show a registration and a new name"
        from copp_portal import microcache
        self.assertGreater(microcache.microcache_seconds(), 0)
        event_id = self.event_id("Экскурсия на завод")
        client = PortalClient()
        self.assertEqual(self.free_places(client, event_id), 20)
        self.assertIn("Экскурсия на завод", text(client.get('/events')))
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Event = pool.get('copp.event')
            Registration = pool.get('copp.event.registration')
            event = Event(event_id)
            # as the staff add one from the list (register() locks the
            # event, which a test transaction cannot retry)
            Registration.create([dict(adult("Заводской"), event=event_id,
                        state='confirmed',
                        confirmed_date=dt.datetime(2026, 1, 10, 9))])
            Event.write([event], {'name': "Экскурсия на станкозавод"})
            transaction.commit()
        self.assertEqual(self.free_places(client, event_id), 19)
        self.assertIn("Экскурсия на станкозавод",
            text(client.get('/events')))

    def test_list_and_calendar(self):
        "Published events only, escaped, with filters; the calendar"
        client = PortalClient()
        response = client.get('/events')
        self.assertEqual(response.status_code, 200)
        html = text(response)
        self.assertIn("Ярмарка вакансий РКЭ", html)
        self.assertIn("Сварка &lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertNotIn("<script>alert(1)", html)
        self.assertNotIn("Черновик", html)
        self.assertNotIn("Прошедший", html)
        self.assertIn('href="/events"', html)
        # The organizer filter offers those with published events only
        self.assertIn(f'<option value="{self.college_id}"', html)
        self.assertIn("РКЭ", html)
        self.assertNotIn("Колледж черновиков", html)

        html = text(client.get('/events?kind=job_fair'))
        self.assertIn("Ярмарка вакансий РКЭ", html)
        self.assertNotIn("Сварка", html)
        html = text(client.get('/events?age=14'))
        self.assertNotIn("Ярмарка вакансий РКЭ", html)
        self.assertIn("Сварка", html)
        html = text(client.get('/events?period=past'))
        self.assertIn("Прошедший день открытых дверей", html)
        # Bad filter values are ignored, not errors.
        response = client.get('/events?age=abc&kind=<b>&organizer=x&page=-3')
        self.assertEqual(response.status_code, 200)

        when = dt.date.today() + dt.timedelta(days=10)
        response = client.get(f'/events/calendar?month={when:%Y-%m}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ярмарка вакансий РКЭ", text(response))
        self.assertEqual(
            client.get('/events/calendar?month=99999').status_code, 200)

        draft = self.event_id("Черновик")
        self.assertEqual(client.get(f'/events/{draft}').status_code, 404)

    def test_ticket_page_tells_the_mail_truth(self):
        """The SMTP server refuses the connection: the ticket page says
        the e-mail is not sent yet (never «отправлено»), the back office
        shows why; once the server is back the retry sends it"""
        event_id = self.event_id("Профпробы")
        self.smtp.point_to(f'smtp://127.0.0.1:{refused_port()}')
        try:
            client = PortalClient()
            response = self.register_form(client, event_id,
                last_name="Отказов", email='otkazov@example.com')
            self.assertEqual(response.status_code, 303)
            location = response.headers['Location']
            html = plain(client.get(location))
            self.assertIn("Билет будет отправлен на почту "
                "otkazov@example.com", html)
            self.assertIn("Письмо на otkazov@example.com пока не "
                "отправлено", html)
            self.assertIn("Эта страница — ваш билет", html)
            self.assertNotIn("Письмо отправлено", html)
            self.assertNotIn("Билет отправлен", html)
            self.assertEqual(self.smtp.messages, [])
        finally:
            self.smtp.restore()
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            Registration = pool.get('copp.event.registration')
            Mail = pool.get('copp.mail')
            registration, = Registration.search([
                    ('email', '=', 'otkazov@example.com')])
            self.assertEqual(registration.mail_state, 'retry')
            self.assertIn("Пока не отправлено на otkazov@example.com",
                registration.mail_status)
            self.assertIn("недоступен", registration.mail_status)
            mail, = Mail.search([('origin', '=', str(registration))])
            Mail.deliver_due(now=mail.next_attempt)
            transaction.commit()
        run_queue()
        self.assertEqual(self.smtp.last()[1], ['otkazov@example.com'])
        html = plain(client.get(location))
        self.assertIn("Письмо отправлено на otkazov@example.com", html)
        self.assertNotIn("пока не отправлено", html)

    def test_register_ticket_email_and_cancel(self):
        "Register, get the ticket by e-mail, cancel: the queue moves up"
        event_id = self.event_id("Сварка <script>alert(1)</script>")
        client = PortalClient()
        page = client.get(f'/events/{event_id}')
        self.assertIn("свободное место из 1", text(page))
        response = self.register_form(client, event_id)
        self.assertEqual(response.status_code, 303, text(response)[:3000])
        location = response.headers['Location']
        self.assertRegex(location, TICKET)
        ticket = client.get(location)
        html = text(ticket)
        self.assertIn("Место подтверждено", html)
        self.assertIn('src="data:image/svg+xml;base64,', html)
        # «Отправлено» only because the SMTP server took it.
        self.assertIn(
            "Билет будет отправлен на почту kuznetsov@example.com", html)
        self.assertIn("Письмо отправлено на kuznetsov@example.com", html)

        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['kuznetsov@example.com'])
        self.assertIn("Ваш билет", message['Subject'])
        body = message_text(message)
        self.assertIn("Кузнецов Игорь Олегович зарегистрирован(а)", body)
        self.assertEqual(message_link(message, '/events/ticket/'),
            location)
        images = [p for p in message.walk()
            if p.get_content_type() == 'image/png']
        self.assertEqual(len(images), 1)
        self.assertTrue(images[0].get_content().startswith(b'\x89PNG'))

        # The only place is taken: the next one waits.
        self.smtp.clear()
        other = PortalClient()
        response = self.register_form(other, event_id, last_name="Орлова",
            first_name="Дарья", patronymic="", email='orlova@example.com')
        self.assertEqual(response.status_code, 303)
        waiting = response.headers['Location']
        self.assertIn("Лист ожидания", text(other.get(waiting)))
        self.assertIn("Лист ожидания", self.smtp.last()[2]['Subject'])

        # The same person twice: refused, nothing sent (the page offers to
        # send the ticket again: test_event_duplicates.py).
        self.smtp.clear()
        response = self.register_form(other, event_id, last_name="Орлова",
            first_name="Дарья", patronymic="", email='orlova@example.com')
        self.assertEqual(response.status_code, 422)
        self.assertIn("уже зарегистрирован", text(response))
        self.assertIn("Отправить билет ещё раз", text(response))
        self.assertEqual(self.smtp.messages, [])

        # Cancelling the first frees the place for the second.
        self.smtp.clear()
        token = TICKET.search(location).group(1)
        response = client.post(f'/events/ticket/{token}/cancel',
            csrf_from=location)
        self.assertEqual(response.status_code, 303)
        self.assertIn("Регистрация отменена", text(client.get(location)))
        subjects = {m['Subject'] for _, _, m in self.smtp.wait(2)}
        self.assertTrue(any("освободилось место" in s for s in subjects),
            subjects)
        self.assertIn("Место подтверждено", text(other.get(waiting)))

    def test_minor_and_bad_input(self):
        "A minor needs a representative; bad input is refused, nothing saved"
        event_id = self.event_id("Профпробы")
        client = PortalClient()
        birth = dt.date.today().replace(year=dt.date.today().year - 14)
        response = self.register_form(client, event_id,
            birth_date=birth.isoformat(), category='schoolchild',
            last_name="Петров", email='petrov@example.com')
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Участнику 14 лет: несовершеннолетнего регистрирует "
            "законный представитель", html)
        self.assertIn('aria-invalid="true"', html)

        response = self.register_form(client, event_id,
            last_name="Я" * 101, email='long@example.com')
        self.assertEqual(response.status_code, 422)
        self.assertIn("100", text(response))
        response = self.register_form(client, event_id, consent='',
            last_name="Безсогласия", email='noconsent@example.com')
        self.assertEqual(response.status_code, 422)
        response = self.register_form(client, event_id,
            birth_date='31.02.2000', email='baddate@example.com')
        self.assertEqual(response.status_code, 422)
        response = self.register_form(client, event_id,
            email='not-an-email')
        self.assertEqual(response.status_code, 422)
        # Too young for the fair (16+).
        fair = self.event_id("Ярмарка вакансий РКЭ")
        response = self.register_form(client, fair,
            birth_date=birth.isoformat(), category='schoolchild',
            representative_name="Петрова Ольга",
            representative_relation='mother',
            representative_phone='+7 900 000-00-00')
        self.assertEqual(response.status_code, 422)
        self.assertIn("от 16 лет", text(response))
        with Transaction().start(DB_NAME, 0):
            Registration = Pool().get('copp.event.registration')
            self.assertFalse(Registration.search(['OR',
                        ('last_name', 'in', ["Петров", "Безсогласия"]),
                        ('email', 'in', ['long@example.com',
                                'baddate@example.com', 'not-an-email']),
                        ]))
        self.assertEqual(self.smtp.messages, [])

        # With the representative the minor is registered.
        response = self.register_form(client, event_id,
            birth_date=birth.isoformat(), category='schoolchild',
            last_name="Петров", email='petrov@example.com',
            representative_name="Петрова Ольга Ивановна",
            representative_relation='mother',
            representative_phone='+7 900 000-00-00')
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        with Transaction().start(DB_NAME, 0):
            Registration = Pool().get('copp.event.registration')
            registration, = Registration.search([('last_name', '=', "Петров")])
            self.assertEqual(registration.consent_by, 'representative')
            self.assertTrue(registration.minor)

    def test_forged_tokens(self):
        "Forged ticket tokens and check-in keys open nothing"
        event_id = self.event_id("Ярмарка вакансий РКЭ")
        client = PortalClient()
        for path in ['/events/ticket/1-' + '0' * 32,
                '/events/ticket/abc', '/events/ticket/1-0/cancel',
                '/events/certificate/1-' + 'a' * 32]:
            self.assertIn(client.get(path).status_code, {404, 405}, path)
        response = client.get(f'/events/{event_id}/checkin/' + 'f' * 32)
        self.assertEqual(response.status_code, 403)
        self.assertIn("недействительна", text(response))

    def test_check_in_by_qr_and_name(self):
        "The staff check in by the ticket code, the ticket page and the name"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Registration = pool.get('copp.event.registration')
            Event = pool.get('copp.event')
            college = pool.get('company.company')(self.college_id)
            event = create_event(college, name="Чемпионат", days=0,
                kind='championship')
            registrations = Registration.register(event, [
                    adult("Сидоров", email='sidorov@example.com'),
                    adult("Морозова", email='morozova@example.com')],
                send=False)
            first, second = registrations
            event_id = event.id
            tokens = [r.token for r in registrations]
            checkin_url = Event(event_id).checkin_url
        path = checkin_url[checkin_url.index('/events/'):]
        staff = PortalClient()
        page = staff.get(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("0 из 2 отмечены", plain(page))
        self.assertIn('src="/portal-static/events/checkin.js"', text(page))

        # The scanned QR content is the ticket URL.
        response = staff.post(path, {'action': 'token',
                'token': f'http://localhost/events/ticket/{tokens[0]}'})
        self.assertEqual(response.status_code, 303)
        page = staff.get(response.headers['Location'])
        self.assertIn("Отмечен(а): Сидоров Пётр", text(page))
        self.assertIn("1 из 2 отмечены", plain(page))
        response = staff.post(path, {'action': 'token', 'token': tokens[0]})
        page = staff.get(response.headers['Location'])
        self.assertIn("уже отмечен(а)", text(page))
        response = staff.post(path, {'action': 'token',
                'token': '1-' + '0' * 32})
        self.assertIn("Билета этого мероприятия с таким кодом нет",
            text(staff.get(response.headers['Location'])))

        # The phone camera opens the ticket page: the staff's browser is
        # offered the check-in button.
        ticket = staff.get(f'/events/ticket/{tokens[1]}')
        self.assertIn("Отметить присутствие: Морозова Пётр", text(ticket))
        visitor = PortalClient()
        self.assertNotIn("Отметить присутствие",
            text(visitor.get(f'/events/ticket/{tokens[1]}')))

        # Search by name: the names shown are registered as read.
        page = staff.get(path + '?q=морозова')
        self.assertIn("Морозова Пётр", text(page))
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            logs = Log.search([('resource', 'like',
                        'copp.event.registration,%')])
            self.assertEqual([(str(log.resource), log.fields_read,
                        log.company.id) for log in logs],
                [(f'copp.event.registration,{second.id}',
                        'first_name,group_name,last_name,patronymic',
                        self.college_id)])
        response = staff.post(path, {'action': 'registration',
                'registration': str(second.id), 'q': 'морозова'},
            csrf_from=path)
        self.assertEqual(response.status_code, 303)
        self.assertIn("2 из 2 отмечены",
            plain(staff.get(response.headers['Location'])))

        # Those who attended download their certificate.
        pdf = visitor.get(f'/events/ticket/{tokens[0]}/certificate.pdf')
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers['Content-Type'], 'application/pdf')
        self.assertTrue(pdf.get_data().startswith(b'%PDF'))
        check = visitor.get(f'/events/certificate/{tokens[0]}')
        self.assertIn("Сертификат подлинный", text(check))

        # A new check-in link cancels the old one.
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.event')
            Event.new_checkin_link([Event(event_id)])
        self.assertEqual(staff.get(path).status_code, 403)
