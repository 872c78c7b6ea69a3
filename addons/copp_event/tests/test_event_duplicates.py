"""Repeated registrations through HTTP (issue 15 #8: mail flooding): the
form sent again, with other letter case, Latin look-alike letters or an
upper-case e-mail, registers nobody and sends nothing; the ticket is sent
again only on request, at most once per [copp] ticket_resend_minutes. Huge
ids in the addresses are a 404 page, not a 500 (issue 15 #15)."""
import datetime as dt
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_portal.tests.tools import PortalClient, PortalTestMixin, text

from .tools import ActivatedMenusMixin, create_college, create_event

RESEND = re.compile(r'name="key" value="([^"]+)"')
HUGE = '99999999999999999999'


class EventDuplicatesTestCase(ActivatedMenusMixin, PortalTestMixin,
        RouteTestCase):
    "Repeated registrations on the portal"
    module = 'copp_event'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        college = create_college("ОГБПОУ «Рязанский колледж связи»", "РКС")
        cls.event_id = create_event(college, name="День открытых дверей РКС",
            kind='open_day', days=5).id
        cls.other_id = create_event(college, name="Мастер-класс РКС",
            kind='master_class', days=6).id

    def register(self, client, event_id=None, **values):
        data = {
            'last_name': "Орлова", 'first_name': "Дарья",
            'birth_date': '1990-05-06', 'category': 'adult',
            'email': 'orlova@example.com', 'phone': '+7 910 000-00-01',
            'consent': '1',
            }
        data.update(values)
        return client.post(f'/events/{event_id or self.event_id}/register',
            data)

    def registrations(self, email='orlova@example.com'):
        with Transaction().start(DB_NAME, 0):
            Registration = Pool().get('copp.event.registration')
            return Registration.search_count([
                    ('event', '=', self.event_id),
                    ('email', '=', email)])

    def test_fold_name(self):
        "Case, ё, spaces, hyphens and Latin look-alikes do not count"
        from copp_event.duplicates import fold_name
        self.assertEqual(fold_name("Иванов"), fold_name("ИВАНОВ"))
        self.assertEqual(fold_name("Иванов"), fold_name("Ивaнов"))  # Latin a
        self.assertEqual(fold_name("Орлова"), fold_name("OPЛOBA"))  # Latin
        self.assertEqual(fold_name("Семёнова"), fold_name("семенова"))
        self.assertEqual(fold_name("Салтыков-Щедрин"),
            fold_name("салтыков щедрин"))
        self.assertNotEqual(fold_name("Иванов"), fold_name("Иванова"))

    def test_resubmission_sends_nothing(self):
        "The same participant again: no registration, no e-mail"
        client = PortalClient()
        response = self.register(client)
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        self.smtp.wait(1)
        self.assertEqual(self.registrations(), 1)
        self.smtp.clear()
        for values in [
                {},
                {},
                {'last_name': "ОРЛОВА", 'first_name': "дарья"},
                # Latin О, а, о and а in the names
                {'last_name': "Oрлoвa", 'first_name': "Дaрья"},
                {'email': 'ORLOVA@Example.COM'},
                ]:
            with self.subTest(**values):
                response = self.register(client, **values)
                self.assertEqual(response.status_code, 422)
                html = text(response)
                self.assertIn("уже зарегистрирован", html)
                self.assertIn("Отправить билет ещё раз", html)
        self.assertEqual(self.registrations(), 1)
        self.assertEqual(self.smtp.messages, [])
        # Another person with the same e-mail (a parent registering two
        # children) is registered.
        response = self.register(client, first_name="Мария")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.registrations(), 2)

    def test_resend_rate_limited(self):
        "The ticket is sent again on request, once per the delay"
        client = PortalClient()
        values = {'last_name': "Петров", 'email': 'petrov@example.com'}
        self.register(client, **values)
        self.smtp.wait(1)
        key = RESEND.search(text(self.register(client, **values))).group(1)
        self.smtp.clear()
        path = f'/events/{self.event_id}/register/resend'
        # Just registered: the ticket has just been sent.
        response = client.post(path, {'key': key},
            csrf_from=f'/events/{self.event_id}/register')
        self.assertEqual(response.status_code, 303)
        self.assertIn("можно через", text(client.get(
                    response.headers['Location'])))
        self.assertEqual(self.smtp.messages, [])

        with Transaction().start(DB_NAME, 0):
            Registration = Pool().get('copp.event.registration')
            table = Registration.__table__()
            cursor = Transaction().connection.cursor()
            registration, = Registration.search([
                    ('email', '=', 'petrov@example.com')])
            cursor.execute(*table.update([table.create_date],
                    [dt.datetime.now() - dt.timedelta(minutes=16)],
                    where=table.id == registration.id))
        response = client.post(path, {'key': key},
            csrf_from=f'/events/{self.event_id}/register')
        self.assertEqual(response.status_code, 303)
        self.assertIn("Билет будет отправлен ещё раз", text(client.get(
                    response.headers['Location'])))
        _, rcpt, message = self.smtp.last()
        self.assertEqual(rcpt, ['petrov@example.com'])
        self.smtp.clear()
        for _ in range(3):
            response = client.post(path, {'key': key},
                csrf_from=f'/events/{self.event_id}/register')
            self.assertEqual(response.status_code, 303)
        self.assertEqual(self.smtp.messages, [])

    def test_resend_forged_key(self):
        "A forged key, another event's address or no CSRF: refused"
        client = PortalClient()
        values = {'last_name': "Сидоров", 'email': 'sidorov@example.com'}
        self.register(client, **values)
        key = RESEND.search(text(self.register(client, **values))).group(1)
        number, signature = key.split('.')
        for path, data in [
                (f'/events/{self.event_id}/register/resend',
                    {'key': f'{number}.{"0" * 32}'}),
                (f'/events/{self.event_id}/register/resend',
                    {'key': f'{int(number) + 1}.{signature}'}),
                (f'/events/{self.other_id}/register/resend', {'key': key}),
                (f'/events/{self.event_id}/register/resend',
                    {'key': 'x' * 5000}),
                ]:
            with self.subTest(path=path, key=data['key'][:40]):
                response = client.post(path, data,
                    csrf_from=f'/events/{self.event_id}/register')
                self.assertEqual(response.status_code, 404)
        response = client.post(f'/events/{self.event_id}/register/resend',
            {'key': key}, csrf=False)
        self.assertEqual(response.status_code, 403)

    def test_huge_ids(self):
        "Ids beyond the database's integers: 404 and 400 pages, not 500"
        client = PortalClient()
        for path in [f'/events/{HUGE}', f'/events/{HUGE}/register',
                f'/events/{2 ** 31}']:
            with self.subTest(path=path):
                response = client.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertIn("<title>Страница не найдена", text(response))
        response = client.get(f'/events?organizer={HUGE}')
        self.assertIn(response.status_code, {200, 400})
        self.assertNotIn("Внутренняя ошибка", text(response))


del RouteTestCase
