"""An employer sends its staff to a cohort from the partner portal, through
real HTTP: every line checked first, one application per person, another
employer's corporate cohort a 404, output escaped."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_employer.tests.tools import create_employer
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

from .tools import create_cohort, training_setup

PASSWORD = 'Partner-Training-2026'
STAFF = ("Орлов Игорь Петрович; 04.03.1985; 112-233-445 95; "
    "orlov@alfa.example; токарь\n"
    "Лебедева Нина; 17.05.1990; 123-456-789 64; ; оператор ЧПУ\n")


class PartnerTrainingTestCase(PortalTestMixin, RouteTestCase):
    "Staff applications from the partner portal"
    module = 'copp_training'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        alfa = create_employer("ООО «Альфа <b>Металл</b>»",
            inn='7707083893')
        beta = create_employer("АО «Бета»")
        create_portal_user('anna@alfa.example', "Анна", alfa.party,
            PASSWORD)
        with Transaction().set_context(company=ns.copp.id):
            corporate = create_cohort(ns.program, today + dt.timedelta(5),
                today + dt.timedelta(30), employer=beta.id,
                place="Цех АО Бета")
        cls.cohort_id = ns.cohort.id
        cls.corporate_id = corporate.id
        cls.alfa_id = alfa.id

    def client(self):
        client = PortalClient()
        client.login('anna@alfa.example', PASSWORD)
        return client

    def test_send_staff(self):
        "Two people, two applications paid by the employer"
        client = self.client()
        html = text(client.get('/partner/training'))
        self.assertIn("Аддитивные технологии", html)
        self.assertNotIn("Цех АО Бета", html)
        path = f'/partner/training/{self.cohort_id}/apply'
        self.assertEqual(client.get(path).status_code, 200)

        # One bad line: nothing is created, the line is named.
        response = client.post(path, {'staff': STAFF + "<script>x</script>;"
                " 01.01.1990; 112-233-445 95", 'consent': '1'})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Строка 3", text(response))
        self.assertNotIn("<script>x", text(response))
        response = client.post(path, {'staff': STAFF})
        self.assertEqual(response.status_code, 422)  # no consent

        response = client.post(path, {'staff': STAFF, 'consent': '1'})
        self.assertEqual(response.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            Application = Pool().get('copp.training.application')
            applications = Application.search([
                    ('employer', '=', self.alfa_id)],
                order=[('id', 'ASC')])
            self.assertEqual([(a.last_name, a.snils, a.funding, a.source,
                        a.state, a.cohort.id) for a in applications], [
                    ("Орлов", '112-233-445 95', 'employer', 'employer',
                        'new', self.cohort_id),
                    ("Лебедева", '123-456-789 64', 'employer', 'employer',
                        'new', self.cohort_id)])
            self.assertEqual(applications[0].workplace, "токарь")
        html = text(client.get('/partner/training'))
        self.assertIn("Орлов Игорь Петрович", html)
        # The same people again: refused.
        response = client.post(path, {'staff': STAFF, 'consent': '1'})
        self.assertEqual(response.status_code, 422)

    def test_foreign_cohort(self):
        "Another employer's corporate cohort does not exist for Alfa"
        client = self.client()
        path = f'/partner/training/{self.corporate_id}/apply'
        self.assertEqual(client.get(path).status_code, 404)
        response = client.post(path, {'staff': STAFF, 'consent': '1'},
            csrf_from='/partner/training')
        self.assertEqual(response.status_code, 404)
        anonymous = PortalClient().get(
            f'/partner/training/{self.cohort_id}/apply')
        self.assertIn(anonymous.status_code, (302, 303))


del RouteTestCase
