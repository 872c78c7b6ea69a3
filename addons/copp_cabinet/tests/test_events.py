"""A citizen's events in the cabinet: the registrations of the account's
person with their tickets; another person's registration never shows."""
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_event.tests.tools import adult, create_college, create_event
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

PASSWORD = 'Kabinet-2026-parol'


class CabinetEventsTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/events"
    module = 'copp_cabinet'
    extras = ['copp_event']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        college = create_college("Колледж А", "КА")
        event = create_event(college, name="Профпробы: сварщик")
        other_event = create_event(college, name="Чужое мероприятие")
        user = create_portal_user('citizen@example.ru', "Орлова Дарья",
            None, PASSWORD)
        mine, = Registration.register(event, [adult("Орлова",
                    first_name="Дарья", email='citizen@example.ru')],
            send=False)
        Registration.write([mine], {'party': user.party.id})
        Registration.register(other_event, [adult("Чужаков",
                    email='stranger@example.ru')], send=False)
        create_portal_user('nobody@example.ru', "Без мероприятий", None,
            PASSWORD)

    def test_own_registrations_only(self):
        client = PortalClient()
        client.login('citizen@example.ru', PASSWORD)
        page = text(client.get('/cabinet/events'))
        self.assertIn("Профпробы: сварщик", page)
        self.assertNotIn("Чужое мероприятие", page)
        self.assertNotIn("Чужаков", page)
        link = page.split('href="/events/ticket/', 1)[1].split('"', 1)[0]
        ticket = client.get(f'/events/ticket/{link}')
        self.assertEqual(ticket.status_code, 200)
        self.assertIn("Орлова", text(ticket))
        with Transaction().start(DB_NAME, 0):
            Log = Pool().get('copp.personal_data.log')
            self.assertEqual(len(Log.search([
                            ('model', '=', 'copp.event.registration'),
                            ('portal_user', '!=', None)])), 1)
        other = PortalClient()
        other.login('nobody@example.ru', PASSWORD)
        page = text(other.get('/cabinet/events'))
        self.assertNotIn("Профпробы: сварщик", page)
        self.assertIn("Календарь мероприятий", page)
