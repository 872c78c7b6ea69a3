"""The report of personal data accesses per user and period, its xlsx, and
the log of identifier reads (issue 15 #5, build 3)."""
import datetime as dt
import io

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from .test_persons import as_user, two_colleges
from .tools import create_user


class PersonalDataReportTestCase(_DBTestCase):
    "ПДн accesses: logged, summed per user, exported for the officer"
    module = 'copp'
    language = 'ru'

    def accesses(self):
        """Clerk A reads two persons twice and one identifier, exports one
        person; clerk B reads their person; the teacher reads nothing"""
        pool = Pool()
        Party = pool.get('party.party')
        Identifier = pool.get('party.identifier')
        (a, b, ministry), (person_a, person_b), users = two_colleges()
        colleague, = Party.create([{'last_name': "Васильев",
                    'first_name': "Василий"}])
        pool.get('company.employee').create([
                {'party': colleague.id, 'company': a.id}])
        with as_user(users['clerk_a'], a):
            for _ in range(2):
                Party.read([person_a.id, colleague.id], ['name'])
            Identifier.search_read([('party', '=', person_a.id)],
                fields_names=['code'])
            Party.export_data([Party(person_a.id)], ['birth_date'])
            # An organization is not personal data: not logged.
            Party.read([b.party.id], ['name'])
        with as_user(users['clerk_b'], b):
            Party.read([person_b.id], ['name', 'snils'])
        return (a, b, ministry), (person_a, person_b, colleague), users

    @with_transaction()
    def test_identifier_reads_logged(self):
        "Reads of a person's identifiers are logged, not an organization's"
        pool = Pool()
        Log = pool.get('copp.personal_data.log')
        Identifier = pool.get('party.identifier')
        Party = pool.get('party.party')
        (a, b, _), (person_a, person_b, _), users = self.accesses()
        snils, = Identifier.search([('party', '=', person_a.id)])
        logs = Log.search([('model', '=', 'party.identifier')])
        self.assertEqual([(l.resource, l.user, l.fields_read, l.action)
                for l in logs],
            [(snils, users['clerk_a'], 'code', 'read')])
        organization, = Party.create([{'name': "ООО «Ромашка»",
                    'inn': '7707083893'}])
        inn, = Identifier.search([('party', '=', organization.id)])
        with as_user(users['clerk_a'], a):
            Identifier.read([inn.id], ['code'])
        self.assertEqual(Log.search_count(
                [('model', '=', 'party.identifier')]), 1)

    @with_transaction()
    def test_report_per_user(self):
        "The report sums the accesses of the period per user, data, action"
        pool = Pool()
        Report = pool.get('copp.personal_data.report')
        Date = pool.get('ir.date')
        (a, b, ministry), _, users = self.accesses()
        officer = create_user('officer', [ministry, a, b],
            ['group_security_officer'])
        today = Date.today()
        period = {'from_date': today - dt.timedelta(days=1),
            'to_date': today + dt.timedelta(days=1)}
        with as_user(officer, ministry), \
                Transaction().set_context(**period):
            rows = {(r.user.login, r.model.name, r.action):
                (r.accesses, r.records) for r in Report.search([])}
        self.assertEqual(rows, {
                ('clerk_a', 'party.party', 'read'): (4, 2),
                ('clerk_a', 'party.identifier', 'read'): (1, 1),
                ('clerk_a', 'party.party', 'export'): (1, 1),
                ('clerk_b', 'party.party', 'read'): (1, 1),
                })
        with as_user(officer, ministry), Transaction().set_context(
                pdn_user=users['clerk_b'].id, **period):
            self.assertEqual([r.user for r in Report.search([])],
                [users['clerk_b']])
        with as_user(officer, ministry), Transaction().set_context(
                pdn_action='export', **period):
            self.assertEqual([(r.user, r.records) for r in Report.search([])],
                [(users['clerk_a'], 1)])
        # A period before the accesses lists nothing.
        with as_user(officer, ministry), Transaction().set_context(
                from_date=today - dt.timedelta(days=30),
                to_date=today - dt.timedelta(days=2)):
            self.assertEqual(Report.search([]), [])
        # The officer's log names the persons whose data were accessed.
        Log = pool.get('copp.personal_data.log')
        with as_user(officer, ministry):
            rows = Log.search_read([('user', '=', users['clerk_b'].id)],
                fields_names=['record_name', 'action', 'fields_read'])
        self.assertEqual([(r['record_name'], r['action'], r['fields_read'])
                for r in rows], [("Борисов Борис", 'read', 'name,snils')])
        # The offices of a college do not read the report.
        with as_user(users['clerk_a'], a), check_access():
            with self.assertRaises(AccessError):
                Report.search([])

    @with_transaction()
    def test_report_xlsx(self):
        "The officer's xlsx: the summary per user and every log line"
        from openpyxl import load_workbook
        pool = Pool()
        Export = pool.get('copp.personal_data.report.export', type='wizard')
        Date = pool.get('ir.date')
        (a, b, ministry), _, users = self.accesses()
        officer = create_user('officer', [ministry, a, b],
            ['group_security_officer'])
        today = Date.today()
        with as_user(officer, ministry):
            session_id, _, _ = Export.create()
            result = Export.execute(session_id, {'start': {
                        'from_date': today - dt.timedelta(days=1),
                        'to_date': today + dt.timedelta(days=1),
                        'pdn_user': users['clerk_a'].id,
                        'pdn_model': None, 'pdn_action': None}}, 'make')
        values = result['view']['defaults']
        self.assertEqual(values['lines'], 6)
        self.assertTrue(values['filename'].endswith('.xlsx'))
        book = load_workbook(io.BytesIO(values['file']))
        summary, log = book.worksheets
        rows = [r for r in summary.iter_rows(min_row=4, values_only=True)
            if r[0]]
        self.assertEqual(sorted((r[1], r[5], r[6]) for r in rows),
            [('clerk_a', 1, 1), ('clerk_a', 1, 1), ('clerk_a', 4, 2)])
        lines = list(log.iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(lines), 6)
        self.assertEqual({l[2] for l in lines}, {'clerk_a'})
        self.assertTrue(all(isinstance(l[0], dt.datetime) for l in lines))
