"""Survey invitations in the cabinet: those sent to the account's confirmed
e-mail or to its person's event registration, never another's."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_event.tests.tools import adult, create_college, create_event
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)
from copp_survey.tests.tools import survey_with_all_kinds

PASSWORD = 'Kabinet-2026-parol'
SENT = dt.datetime(2026, 3, 2, 9, 0)


class CabinetSurveysTestCase(PortalTestMixin, RouteTestCase):
    "/cabinet/surveys"
    module = 'copp_cabinet'
    extras = ['copp_survey']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        Registration = pool.get('copp.event.registration')
        Survey = pool.get('copp.survey')
        college = create_college("Колледж А", "КА")
        user = create_portal_user('Citizen@Example.ru', "Орлова Дарья",
            None, PASSWORD)
        create_portal_user('nobody@example.ru', "Без приглашений", None,
            PASSWORD)
        unconfirmed = create_portal_user('unconfirmed@example.ru',
            "Не подтвердила", None, PASSWORD)
        unconfirmed.email_valid = False
        unconfirmed.save()

        graduates, _ = survey_with_all_kinds(college,
            name="Опрос выпускников")
        answered, _ = survey_with_all_kinds(college, name="Уже отвеченный")
        closed, _ = survey_with_all_kinds(college, name="Закрытый опрос")
        unsent, _ = survey_with_all_kinds(college, name="Ещё не разослан")
        foreign, _ = survey_with_all_kinds(college, name="Чужой опрос")
        after_event, _ = survey_with_all_kinds(college,
            name="Оценка мероприятия")
        event = create_event(college, name="Профпробы")
        registration, = Registration.register(event, [adult("Орлова",
                    first_name="Дарья", email='other-address@example.ru')],
            send=False)
        Registration.write([registration], {'party': user.party.id})

        def invite(survey, email, **values):
            return Invitation.create([dict({'survey': survey.id,
                            'email': email, 'segment': 'public',
                            'sent_date': SENT}, **values)])[0]
        invite(graduates, 'citizen@example.ru')
        invite(answered, 'citizen@example.ru', submitted=True,
            submitted_date=dt.datetime(2026, 3, 3, 7, 30))
        invite(closed, 'citizen@example.ru')
        invite(unsent, 'citizen@example.ru', sent_date=None)
        invite(foreign, 'stranger@example.ru')
        invite(after_event, 'other-address@example.ru',
            registration=registration.id)
        invite(graduates, 'unconfirmed@example.ru')
        Survey.close([closed])

    def test_own_invitations_only(self):
        client = PortalClient()
        client.login('citizen@example.ru', PASSWORD)
        response = client.get('/cabinet/surveys')
        self.assertEqual(response.status_code, 200)
        page = text(response)
        self.assertIn("Мои опросы", page)
        for title in ["Опрос выпускников", "Уже отвеченный",
                "Закрытый опрос", "Оценка мероприятия"]:
            self.assertIn(title, page)
        self.assertNotIn("Ещё не разослан", page)
        self.assertNotIn("Чужой опрос", page)
        self.assertIn("Отправлен 03.03.2026 10:30", page)
        self.assertIn("Опрос закрыт, ответ не отправлен", page)
        self.assertEqual(page.count("Пройти опрос"), 2)
        link = page.split('href="/survey/i/', 1)[1].split('"', 1)[0]
        survey_page = client.get(f'/survey/i/{link}')
        self.assertEqual(survey_page.status_code, 200)
        self.assertIn("Начать опрос", text(survey_page))
        self.assertIn("Оценка мероприятия", text(survey_page))
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Log = pool.get('copp.personal_data.log')
            Invitation = pool.get('copp.survey.invitation')
            logs = Log.search([('model', '=', 'copp.survey.invitation'),
                    ('portal_user', '!=', None)])
            shown = Invitation.search([('survey.name', 'in', [
                            "Опрос выпускников", "Уже отвеченный",
                            "Закрытый опрос", "Оценка мероприятия"]),
                    ('email', '!=', 'unconfirmed@example.ru')])
            self.assertEqual(len(shown), 4)
            self.assertEqual(sorted(int(l.resource) for l in logs),
                sorted(i.id for i in shown))
            # under the college that runs the surveys (computed company)
            self.assertEqual({l.company.party.name for l in logs},
                {"Колледж А"})

    def test_nothing_for_others(self):
        for email in ['nobody@example.ru', 'unconfirmed@example.ru']:
            client = PortalClient()
            client.login(email, PASSWORD)
            page = text(client.get('/cabinet/surveys'))
            self.assertNotIn("Опрос выпускников", page)
            self.assertIn("Приглашений к опросам пока нет", page)

    def test_anonymous_goes_to_login(self):
        response = PortalClient().get('/cabinet/surveys')
        self.assertIn(response.status_code, (302, 303))
        self.assertIn('/cabinet/login', response.headers['Location'])
