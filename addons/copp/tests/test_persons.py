"""Persons are read through the institution that holds them; СНИЛС rows of
party.identifier follow the field rule of party.snils (issue 15 #3)."""
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from .tools import create_college, create_user

SNILS_A = '112-233-445 95'
SNILS_B = '087-654-303 00'


def as_user(user, company):
    transaction = Transaction()
    return _Stack(transaction.set_user(user.id),
        transaction.set_context(company=company.id), check_access())


class _Stack:
    def __init__(self, *managers):
        self.managers = managers

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()
        return self

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)


def two_colleges():
    """Colleges A and B, a person employed by each (with СНИЛС), the users
    of both and of the ministry"""
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    ministry = create_college("Министерство", "Минобр", kind='ministry')
    college_a = create_college("Колледж А", "КА")
    college_b = create_college("Колледж Б", "КБ")
    person_a, person_b = Party.create([
            {'last_name': "Антонова", 'first_name': "Анна",
                'snils': SNILS_A},
            {'last_name': "Борисов", 'first_name': "Борис",
                'snils': SNILS_B},
            ])
    Employee.create([
            {'party': person_a.id, 'company': college_a.id},
            {'party': person_b.id, 'company': college_b.id},
            ])
    users = {
        'clerk_a': create_user('clerk_a', [college_a], ['group_registrar']),
        'buh_a': create_user('buh_a', [college_a], ['group_accountant']),
        'teacher_a': create_user('teacher_a', [college_a], ['group_teacher']),
        'clerk_b': create_user('clerk_b', [college_b], ['group_registrar']),
        'minobr': create_user('minobr', [ministry, college_a, college_b],
            ['group_ministry']),
        }
    return (college_a, college_b, ministry), (person_a, person_b), users


class PersonsTestCase(_DBTestCase):
    "Persons by their college, СНИЛС by the field rule"
    module = 'copp'
    language = 'ru'

    @with_transaction()
    def test_clerk_reads_persons_of_own_college_only(self):
        "A clerk of A reads, searches and counts the persons of A, not of B"
        pool = Pool()
        Party = pool.get('party.party')
        (a, b, _), (person_a, person_b), users = two_colleges()
        for login in ['clerk_a', 'buh_a']:
            with as_user(users[login], a):
                found = Party.search([('last_name', '!=', None)])
                self.assertIn(person_a, found, login)
                self.assertNotIn(person_b, found, login)
                self.assertEqual(Party.search_count(
                        [('id', '=', person_b.id)]), 0, login)
                self.assertEqual(Party.read([person_a.id], ['name'])[0][
                        'name'], "Антонова Анна", login)
                for field in ['name', 'birth_date', 'snils']:
                    with self.assertRaises(AccessError, msg=(login, field)):
                        Party.read([person_b.id], [field])
                with self.assertRaises(AccessError, msg=login):
                    Party.write([Party(person_b.id)], {'first_name': "Взлом"})
        self.assertEqual(person_b.first_name, "Борис")

    @with_transaction()
    def test_organizations_stay_readable(self):
        "Every user reads the institutions and the organizations"
        pool = Pool()
        Party = pool.get('party.party')
        (a, b, _), _, users = two_colleges()
        payer, = Party.create([{'name': "ООО «Плательщик»",
                    'inn': '7707083893'}])
        for login in ['clerk_a', 'teacher_a', 'buh_a']:
            with as_user(users[login], a):
                found = Party.search([])
                self.assertIn(b.party, found, login)
                self.assertIn(payer, found, login)
                self.assertEqual(Party.read([b.party.id], ['name'])[0][
                        'name'], "Колледж Б", login)

    @with_transaction()
    def test_ministry_reads_region(self):
        "The ministry reads the persons of every college"
        pool = Pool()
        Party = pool.get('party.party')
        (a, b, ministry), (person_a, person_b), users = two_colleges()
        with as_user(users['minobr'], ministry):
            found = Party.search([('last_name', '!=', None)])
            self.assertTrue({person_a, person_b} <= set(found))
            Party.read([person_a.id, person_b.id], ['name', 'birth_date'])

    @with_transaction()
    def test_teacher_reads_colleagues_not_other_persons(self):
        """A teacher reads themselves and the staff of their college (the
        names of colleagues), not the other persons it holds nor the staff
        of another college"""
        pool = Pool()
        Party = pool.get('party.party')
        (a, b, _), (person_a, person_b), users = two_colleges()
        with as_user(users['clerk_a'], a):
            applicant, = Party.create([{'last_name': "Новикова",
                        'first_name': "Нина"}])
        teacher = users['teacher_a']
        with as_user(teacher, a):
            found = Party.search([('id', 'in', [person_a.id, person_b.id,
                            applicant.id, teacher.employee.party.id])])
            self.assertEqual(sorted(found),
                sorted([teacher.employee.party, person_a]))
            for person in [applicant, person_b]:
                with self.assertRaises(AccessError):
                    Party.read([person.id], ['name'])

    @with_transaction()
    def test_created_person_held_by_creator_college(self):
        "A person a clerk creates is read by their college, not by another"
        pool = Pool()
        Party = pool.get('party.party')
        (a, b, _), _, users = two_colleges()
        with as_user(users['clerk_a'], a):
            person, = Party.create([{'last_name': "Новикова",
                        'first_name': "Нина"}])
            self.assertEqual(Party.read([person.id], ['name'])[0]['name'],
                "Новикова Нина")
        with as_user(users['clerk_b'], b):
            with self.assertRaises(AccessError):
                Party.read([person.id], ['name'])

    @with_transaction()
    def test_snils_identifiers_by_field_rule(self):
        """СНИЛС rows of party.identifier: read by the offices for the
        persons of their college, by nobody else, whatever the path"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        (a, b, _), (person_a, person_b), users = two_colleges()
        snils_a, = Identifier.search([('party', '=', person_a.id),
                ('type', '=', 'ru_snils')])
        snils_b, = Identifier.search([('party', '=', person_b.id),
                ('type', '=', 'ru_snils')])
        with as_user(users['clerk_a'], a):
            rows = Identifier.search_read([('type', '=', 'ru_snils')],
                fields_names=['code', 'party'])
            self.assertEqual([r['code'] for r in rows], [SNILS_A])
            with self.assertRaises(AccessError):
                Identifier.read([snils_b.id], ['code'])
            self.assertEqual(Party.search(
                    [('identifiers.code', '=', SNILS_B)]), [])
            self.assertEqual(Party.search([('snils', '=', SNILS_A)]),
                [person_a])
            with self.assertRaises(AccessError):
                Identifier.export_data([snils_b], ['code'])
        teacher = users['teacher_a']
        Party.write([teacher.employee.party], {'snils': '001-001-998 00'})
        with as_user(teacher, a):
            # Not even their own: the field rule of party.snils.
            self.assertEqual(Identifier.search(
                    [('type', '=', 'ru_snils')]), [])
            self.assertEqual(Party.search(
                    [('identifiers.code', '=', '001-001-998 00')]), [])
            with self.assertRaises(AccessError):
                Identifier.read([snils_a.id], ['code'])
            with self.assertRaises(AccessError):
                Party.search([('snils', '=', SNILS_A)])
            # Their party's other identifiers are still listed.
            own = Party.read([teacher.employee.party.id], ['identifiers'])
            self.assertEqual(own[0]['identifiers'], ())
