"""A student of the contingent signs in through the loopback ЕСИА (found by
СНИЛС, no password, no invitation) and lands in their cabinet: their own
student page opens, another student's is 404; the consent given through
ЕСИА is in the history and withdrawing it closes the account."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_contingent.tests.tools import create_applicants
from copp_esia.tests.http_tools import EsiaRouteMixin, new_citizen
from copp_portal.tests.tools import text


class CabinetEsiaTestCase(EsiaRouteMixin, RouteTestCase):
    "ЕСИА's sign-in into the cabinet"
    module = 'copp_cabinet'
    extras = ['copp_esia', 'copp_event']
    language = 'ru'

    def test_student_signs_in_with_esia(self):
        person = new_citizen(last_name='Соколов', first_name='Артём',
            middle_name='Игоревич', birth_date='14.03.2008', gender='M',
            email='sokolov@example.ru')
        with Transaction().start(DB_NAME, 0):
            Company = Pool().get('company.company')
            student, other = create_applicants(Company(self.college_a),
                ["Соколов Артём Игоревич", "Другой Студент"])
            student.snils = person['snils']
            student.birth_date = dt.date(2008, 3, 14)
            student.save()
            student_id, other_id = student.id, other.id
        client, response = self.sign_in(person, next_url='/cabinet/')
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        self.assertEqual(response.headers['Location'], '/cabinet/')
        home = text(client.get('/cabinet/'))
        self.assertIn("Соколов Артём Игоревич", home)
        self.assertIn(f'/cabinet/students/{student_id}', home)
        self.assertEqual(
            client.get(f'/cabinet/students/{student_id}').status_code, 200)
        self.assertEqual(
            client.get(f'/cabinet/students/{other_id}').status_code, 404)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            User = pool.get('web.user')
            Consent = pool.get('copp.portal.consent')
            user, = User.search([('email', '=', 'sokolov@example.ru')])
            self.assertFalse(user.has_password)
            self.assertEqual(user.state, 'active')
            consent, = Consent.search([('user', '=', user.id)])
            self.assertEqual((consent.purpose, consent.channel),
                ('cabinet_account', 'esia'))
            consent_id, user_id = consent.id, user.id
        page = text(client.get('/cabinet/account'))
        self.assertIn("Учётная запись личного кабинета", page)
        response = client.post(
            f'/cabinet/account/consents/{consent_id}/withdraw', {},
            csrf_from='/cabinet/account')
        self.assertEqual(response.status_code, 200)
        self.assertEqual(client.get('/cabinet/').status_code, 303)
        with Transaction().start(DB_NAME, 0):
            User = Pool().get('web.user')
            user, = User.search([('id', '=', user_id),
                    ('active', 'in', [True, False])])
            self.assertFalse(user.active)
        # Signing in through ЕСИА again is refused: the account is closed
        _, response = self.sign_in(person, next_url='/cabinet/')
        self.assertEqual(response.status_code, 403)
