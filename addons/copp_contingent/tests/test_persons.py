"""Persons of the contingent (issue 15 #3, #5): a student's person is read by
the offices of their college and, for the name, by the teachers of their
group; reads, searches, exports and prints of personal data are logged, a
list in one INSERT."""
import datetime as dt

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user

from .tools import (
    SNILS, create_applicants, create_college, create_group, history)

D = dt.date


class _As:
    "Act as `user` of `company` with access checks"

    def __init__(self, user, company):
        transaction = Transaction()
        self.managers = [transaction.set_user(user.id),
            transaction.set_context(company=company.id), check_access()]

    def __enter__(self):
        for manager in self.managers:
            manager.__enter__()

    def __exit__(self, *exc):
        for manager in reversed(self.managers):
            manager.__exit__(*exc)


class _CountingCursor:
    def __init__(self, cursor, counts):
        self._cursor = cursor
        self._counts = counts

    def execute(self, query, *args, **kwargs):
        if query.lstrip().upper().startswith('INSERT INTO'):
            table = query.split()[2].strip('"')
            self._counts[table] = self._counts.get(table, 0) + 1
        return self._cursor.execute(query, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __iter__(self):
        return iter(self._cursor)


class _CountingConnection:
    "Counts the INSERT statements per table sent through the connection"

    def __init__(self, connection):
        self._connection = connection
        self.counts = {}

    def cursor(self, *args, **kwargs):
        return _CountingCursor(
            self._connection.cursor(*args, **kwargs), self.counts)

    def __getattr__(self, name):
        return getattr(self._connection, name)


def set_snils(students):
    pool = Pool()
    Party = pool.get('party.party')
    for student, snils in zip(students, SNILS):
        Party.write([student.party], {'snils': snils})


class PersonsTestCase(_DBTestCase):
    "Persons of students: by college and group; every access logged"
    module = 'copp_contingent'

    @with_transaction()
    def test_teacher_reads_names_of_own_students_only(self):
        "A teacher reads the person of a student of their group, no other"
        pool = Pool()
        Party = pool.get('party.party')
        Group = pool.get('copp.study.group')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
        set_snils([a1, a5])
        teacher = create_user('teacher', [college], ['group_teacher'])
        Group.write([g3], {'curator': teacher.employees[0].id})
        with _As(teacher, college):
            self.assertEqual(Party.search([('id', 'in',
                            [a1.party.id, a5.party.id])]), [a5.party])
            self.assertEqual(Party.read([a5.party.id], ['name'])[0]['name'],
                "Дарьина Дарья Петровна")
            with self.assertRaises(AccessError):
                Party.read([a1.party.id], ['name'])
            # Their student's СНИЛС: neither the field nor the identifier.
            with self.assertRaises(AccessError):
                Party.read([a5.party.id], ['snils'])
            self.assertEqual(Party.search(
                    [('identifiers.code', '=', SNILS[1])]), [])
        # Taught, not curated: the teachers of a group read them too.
        Group.write([g3], {'curator': None,
                'teachers': [('add', [teacher.employees[0].id])]})
        with _As(teacher, college):
            self.assertEqual(Party.read([a5.party.id], ['name'])[0]['name'],
                "Дарьина Дарья Петровна")

    @with_transaction()
    def test_clerk_of_other_college(self):
        """A clerk of B neither reads, searches, exports the persons of A's
        students nor their СНИЛС; the clerk of A does"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        set_snils([a1, a2])
        other = create_college("Колледж Б", "КБ")
        b1, = create_applicants(other, ["Ершов Егор Ильич"])
        clerk_a = create_user('clerk_a', [college], ['group_registrar'])
        clerk_b = create_user('clerk_b', [other], ['group_registrar'])
        persons_a = [s.party.id for s in [a1, a2, a3, a4, a5]]
        with _As(clerk_b, other):
            self.assertEqual(Party.search([('id', 'in', persons_a)]), [])
            self.assertEqual(Party.search([('snils', '=', SNILS[0])]), [])
            self.assertEqual(Party.search(
                    [('rec_name', 'ilike', '%Антонова%')]), [])
            self.assertEqual(Identifier.search_read(
                    [('type', '=', 'ru_snils')], fields_names=['code']), [])
            with self.assertRaises(AccessError):
                Party.read(persons_a[:1], ['name', 'birth_date'])
            with self.assertRaises(AccessError):
                Party.export_data(Party.browse(persons_a[:1]), ['name'])
            self.assertEqual(Party.search([('id', '=', b1.party.id)]),
                [b1.party])
        with _As(clerk_a, college):
            self.assertEqual(
                sorted(Party.search([('id', 'in', persons_a)])),
                sorted(Party.browse(persons_a)))
            self.assertEqual(Party.search([('snils', '=', SNILS[0])]),
                [a1.party])
            codes = Identifier.search_read([('type', '=', 'ru_snils')],
                fields_names=['code'])
            self.assertEqual(sorted(r['code'] for r in codes),
                sorted(SNILS[:2]))
            with self.assertRaises(AccessError):
                Party.read([b1.party.id], ['name'])

    @with_transaction()
    def test_list_logged_in_one_insert(self):
        "Reading 1 000 students and their persons: one INSERT each"
        pool = Pool()
        Student = pool.get('copp.student')
        Party = pool.get('party.party')
        Log = pool.get('copp.personal_data.log')
        college = create_college("Колледж", "К")
        students = create_applicants(college,
            [f"Студентов{i} Студент" for i in range(1000)])
        clerk = create_user('clerk', [college], ['group_registrar'])
        transaction = Transaction()
        counting = _CountingConnection(transaction.connection)
        transaction.connection = counting
        try:
            with _As(clerk, college):
                rows = Student.read([s.id for s in students],
                    ['last_name', 'first_name', 'record_book',
                        'party.rec_name'])
        finally:
            transaction.connection = counting._connection
        self.assertEqual(len(rows), 1000)
        self.assertEqual(counting.counts.get('copp_personal_data_log'), 2)
        self.assertEqual(Log.search_count([
                    ('resource', 'like', 'copp.student,%'),
                    ('fields_read', '=', 'first_name,last_name'),
                    ('user', '=', clerk.id), ('action', '=', 'read')]),
            1000)
        self.assertEqual(Log.search_count([
                    ('resource', 'like', 'party.party,%'),
                    ('fields_read', '=', 'rec_name')]), 1000)
        # The college of the student file, the reader's for the person
        self.assertEqual({l.company for l in Log.search([])}, {college})

    @with_transaction()
    def test_search_export_print_logged(self):
        """A search on ПДн, an export (also through a path) and a print are
        logged with their action"""
        pool = Pool()
        Student = pool.get('copp.student')
        Log = pool.get('copp.personal_data.log')
        Order = pool.get('copp.contingent.order')
        OrderReport = pool.get('copp.contingent.order.report', type='report')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        set_snils([a1, a2])
        clerk = create_user('clerk', [college], ['group_registrar'])
        with _As(clerk, college):
            found = Student.search([('last_name', 'ilike', 'А%')])
            Student.search([('state', '=', 'studying')])  # no ПДн: no row
            Student.export_data([a1, a2],
                ['record_book', 'party/snils', 'party/identifiers/code'])
            Student.export_data_domain([('id', '=', a3.id)], ['birth_date'])
            OrderReport.execute([o['E2'].id], {})
        self.assertEqual(found, [a1])

        def logged(action, model):
            return {(str(l.resource), l.fields_read) for l in Log.search([
                        ('action', '=', action),
                        ('resource', 'like', model + ',%')])}
        self.assertEqual(logged('search', 'copp.student'),
            {(f'copp.student,{a1.id}', 'last_name')})
        self.assertEqual(logged('export', 'copp.student'),
            {(f'copp.student,{a3.id}', 'birth_date')})
        self.assertEqual(logged('export', 'party.party'),
            {(f'party.party,{s.party.id}', 'snils') for s in [a1, a2]})
        identifiers = logged('export', 'party.identifier')
        self.assertEqual(len(identifiers), 2)
        self.assertEqual({f for _, f in identifiers}, {'code'})
        self.assertEqual(logged('print', 'copp.student'),
            {(f'copp.student,{a5.id}', 'copp.contingent.order.report')})
        self.assertEqual(Order(o['E2'].id).lines[0].student, a5)
