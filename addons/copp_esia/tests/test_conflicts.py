"""Who signs in through ЕСИА: the person found by СНИЛС (a student, the
citizen's event registrations), and the conflicts a clerk resolves — never a
silent merge (see http_tools.py for how HTTP reaches the portal)."""
import datetime as dt

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp_contingent.tests.tools import create_applicants
from copp_event.tests.tools import adult
from copp_portal.tests.tools import text

from .http_tools import EsiaRouteMixin, new_citizen


class EsiaPersonTestCase(EsiaRouteMixin, RouteTestCase):
    "The person of an ЕСИА sign-in, and the conflicts"
    module = 'copp_esia'
    extras = ['copp_contingent', 'copp_event']
    language = 'ru'

    def test_student_found_by_snils(self):
        "A student of the contingent signs in as their own person"
        person = new_citizen(last_name='Беляев', first_name='Максим',
            middle_name='Олегович', birth_date='05.02.2008', gender='M',
            email='belyaev@example.ru')
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Company = pool.get('company.company')
            student, = create_applicants(Company(self.college_a),
                ["Беляев Максим Олегович"])
            student.snils = person['snils']
            student.birth_date = dt.date(2008, 2, 5)
            student.save()
            party_id = student.party.id
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        with Transaction().start(DB_NAME, 0):
            self.assertEqual([p.id for p in self.persons(person['snils'])],
                [party_id])
            self.assertEqual(self.account(person['oid']).party.id, party_id)

    def test_registration_found_by_email(self):
        "The citizen's event registrations get the person (their tickets)"
        person = new_citizen(last_name='Зайцева', first_name='Ольга',
            birth_date='17.05.1990', email='zaitseva@example.ru')
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Registration = pool.get('copp.event.registration')
            mine, other = Registration.create([
                    dict(adult('Зайцева', 'Ольга',
                            email='Zaitseva@example.ru'),
                        event=self.event_id),
                    dict(adult('Зайцев', 'Олег',
                            email='zaitseva@example.ru'),
                        event=self.event_id),
                    ])
            mine_id, other_id = mine.id, other.id
        self.sign_in(person)
        with Transaction().start(DB_NAME, 0):
            Registration = Pool().get('copp.event.registration')
            party = self.account(person['oid']).party
            self.assertEqual(Registration(mine_id).party, party)
            self.assertIsNone(Registration(other_id).party)

    # Conflicts --------------------------------------------------------------
    def test_conflict_birth_date_resolved_by_the_college(self):
        """A student whose birth date differs from ЕСИА's: no sign-in, no
        new person; the clerk of the student's college links them"""
        person = new_citizen(last_name='Киселёва', first_name='Мария',
            birth_date='11.11.2007', email='kiseleva@example.ru')
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Company = pool.get('company.company')
            student, = create_applicants(Company(self.college_a),
                ["Киселева Мария Андреевна"])
            student.snils = person['snils']
            student.birth_date = dt.date(2007, 11, 12)
            student.save()
            party_id = student.party.id
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 200)
        self.assertIn('проверит', text(response))
        self.assertIsNone(client.cookie('copp_session'))
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            account = self.account(person['oid'])
            self.assertIsNone(account.party)
            conflict, = Conflict.search([('account', '=', account.id)])
            self.assertEqual(conflict.reason, 'birth_date')
            self.assertEqual(conflict.company.id, self.college_a)
            self.assertEqual([c.party.id for c in conflict.candidates],
                [party_id])
            self.assertIn('РКЭ', conflict.candidates[0].description)
            conflict_id = conflict.id
            self.assertEqual(len(self.persons(person['snils'])), 1)
        self.assertTrue(any(str(conflict_id) in d or 'birth_date' in d
                for d, _ in self.events('esia_conflict')))

        # Signing in again does not open a second conflict
        self.sign_in(person)
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            self.assertEqual(Conflict.search_count([
                        ('account.oid', '=', str(person['oid']))]), 1)

        self.resolve_as('clerk_b', conflict_id, visible=False)
        self.resolve_as('clerk_a', conflict_id, party_id=party_id,
            button='link')
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            conflict = Conflict(conflict_id)
            self.assertEqual(conflict.state, 'linked')
            self.assertEqual(conflict.resolved_by.login, 'clerk_a')
            self.assertEqual(self.account(person['oid']).party.id, party_id)
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(client.cookie('copp_session'))
        with Transaction().start(DB_NAME, 0):
            self.assertEqual(len(self.persons(person['snils'])), 1)

    def resolve_as(self, login, conflict_id, button=None, party_id=None,
            visible=True):
        "The clerk `login` opens the conflict and presses the button"
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            User = pool.get('res.user')
            Conflict = pool.get('copp.esia.conflict')
            user, = User.search([('login', '=', login)])
            with transaction.set_user(user.id), \
                    transaction.set_context(_check_access=True,
                        company=user.company.id,
                        companies=[c.id for c in user.companies]):
                found = Conflict.search([('id', '=', conflict_id)])
                self.assertEqual(bool(found), visible, login)
                if not visible:
                    return
                Conflict.read([conflict_id], ['esia_name', 'esia_snils',
                        'candidates', 'reason', 'state'])
                if party_id:
                    Conflict.write(found, {'party': party_id})
                if button:
                    getattr(Conflict, button)(found)

    def test_conflict_several_persons_for_the_copp(self):
        "Two persons with the СНИЛС: the ЦОПП sees it; the colleges do not"
        person = new_citizen(last_name='Громов', first_name='Илья',
            birth_date='01.01.2001', gender='M')
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            parties = Party.create([
                    {'last_name': 'Громов', 'first_name': 'Илья'},
                    {'last_name': 'Громов', 'first_name': 'Илья',
                        'birth_date': dt.date(2001, 1, 1)},
                    ])
            Party.write(parties, {'snils': person['snils']})
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(client.cookie('copp_session'))
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            conflict, = Conflict.search([
                    ('account.oid', '=', str(person['oid']))])
            self.assertEqual(conflict.reason, 'several')
            self.assertIsNone(conflict.company)
            self.assertEqual(len(conflict.candidates), 2)
            conflict_id = conflict.id
        self.resolve_as('clerk_a', conflict_id, visible=False)
        self.resolve_as('copp_user', conflict_id, button='reject')
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(client.cookie('copp_session'))
        self.assertTrue(self.events('esia_login_failed')[-1][0]
            .startswith('refused'))

    def test_conflict_namesake_without_snils(self):
        """A person of the same name and birth date without a СНИЛС: a
        conflict; the ЦОПП creates a new person"""
        person = new_citizen(last_name='Панова', first_name='Ирина',
            middle_name='Сергеевна', birth_date='20.06.1999')
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            namesake, = Party.create([{'last_name': 'ПАНОВА',
                        'first_name': 'Ирина', 'patronymic': 'Сергеевна',
                        'birth_date': dt.date(1999, 6, 20)}])
            namesake_id = namesake.id
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 200)
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            conflict, = Conflict.search([
                    ('account.oid', '=', str(person['oid']))])
            self.assertEqual(conflict.reason, 'no_snils')
            self.assertEqual([c.party.id for c in conflict.candidates],
                [namesake_id])
            conflict_id = conflict.id
            self.assertFalse(self.persons(person['snils']))
        self.resolve_as('copp_user', conflict_id, button='create_person')
        client, response = self.sign_in(person)
        self.assertEqual(response.status_code, 303)
        with Transaction().start(DB_NAME, 0):
            party, = self.persons(person['snils'])
            self.assertNotEqual(party.id, namesake_id)
            self.assertEqual(self.account(person['oid']).party, party)
        self.assertTrue(any(d.startswith('created')
                for d, _ in self.events('esia_conflict_resolved')))

    def test_link_needs_a_person(self):
        "«Привязать» without a chosen person is refused, naming the sign-in"
        person = new_citizen(last_name='Лебедев', first_name='Ян',
            birth_date='03.03.2003')
        with Transaction().start(DB_NAME, 0):
            Party = Pool().get('party.party')
            parties = Party.create([{'last_name': 'Лебедев',
                        'first_name': 'Ян'}] * 2)
            Party.write(parties, {'snils': person['snils']})
        self.sign_in(person)
        with Transaction().start(DB_NAME, 0):
            Conflict = Pool().get('copp.esia.conflict')
            conflict, = Conflict.search([
                    ('account.oid', '=', str(person['oid']))])
            with self.assertRaises(UserError) as cm:
                Conflict.link([conflict])
            self.assertIn('Лебедев Ян', cm.exception.message)

    # Refusals on our side ------------------------------------------------
