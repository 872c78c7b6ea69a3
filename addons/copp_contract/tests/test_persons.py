"""Payers are persons of the contract's college (issue 15 #3): the
accountant of A reads the payer of A's contract, not B's; an organization
payer stays readable; the names of the debtors' xlsx are logged (#5)."""
import datetime as dt
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user

from .tools import create_contract, create_student


class PayersTestCase(_DBTestCase):
    "Contract payers by the college of the contract"
    module = 'copp_contract'

    def contracts(self):
        pool = Pool()
        Party = pool.get('party.party')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        student_a = create_student(college_a, "Иванов", "Иван")
        student_b = create_student(college_b, "Смирнов", "Сергей")
        mother, organization = Party.create([
                {'last_name': "Иванова", 'first_name': "Мария"},
                {'name': "ООО «Плательщик»", 'inn': '7707083893'}])
        representative, = pool.get('copp.student.representative').create([{
                    'student': student_a.id, 'name': "Иванова Мария",
                    'relation': 'mother'}])
        contract_a = create_contract(college_a, student_a, '30000',
            payer_kind='representative', representative=representative.id,
            payer=mother.id, sign=False, schedule_kind='single')
        contract_b = create_contract(college_b, student_b, '15000',
            payer_kind='organization', payer=organization.id, sign=False)
        return (college_a, college_b), (contract_a, contract_b), (
            mother, organization)

    @with_transaction()
    def test_accountant_reads_payers_of_own_college(self):
        "The payer of A's contract, the organization of B's, not B's persons"
        pool = Pool()
        Contract = pool.get('copp.contract')
        Party = pool.get('party.party')
        (a, b), (contract_a, contract_b), (mother, organization) = (
            self.contracts())
        buh_a = create_user('buh_a', [a], ['group_accountant'])
        buh_b = create_user('buh_b', [b], ['group_accountant'])
        with Transaction().set_user(buh_a.id), \
                Transaction().set_context(company=a.id), check_access():
            row, = Contract.read([contract_a.id], ['payer.rec_name'])
            self.assertEqual(row['payer.']['rec_name'], "Иванова Мария")
            # The organization of another college's contract: readable
            self.assertEqual(Party.read([organization.id], ['name'])[0][
                    'name'], "ООО «Плательщик»")
        with Transaction().set_user(buh_b.id), \
                Transaction().set_context(company=b.id), check_access():
            with self.assertRaises(AccessError):
                Party.read([mother.id], ['name'])
            self.assertEqual(Party.search([('id', '=', mother.id)]), [])
            with self.assertRaises(AccessError):
                Party.read([contract_a.student.party.id], ['name'])

    @with_transaction()
    def test_debtors_xlsx_logged(self):
        "The students and payers named in the debtors' xlsx are logged"
        pool = Pool()
        Contract = pool.get('copp.contract')
        Debtors = pool.get('copp.contract.debtors', type='wizard')
        Log = pool.get('copp.personal_data.log')
        (a, b), (contract_a, contract_b), (mother, organization) = (
            self.contracts())
        Contract.sign([contract_a])
        pool.get('copp.contract.charge').generate(date=dt.date(2027, 3, 1))
        buh_a = create_user('buh_a', [a], ['group_accountant'])
        with Transaction().set_user(buh_a.id), \
                Transaction().set_context(company=a.id), check_access():
            session_id, _, _ = Debtors.create()
            result = Debtors.execute(session_id, {'start': {
                        'date': dt.date(2027, 3, 1), 'company': None,
                        'minimum': Decimal('0')}}, 'make')
        self.assertEqual(result['view']['defaults']['count'], 1)
        logged = {(str(l.resource), l.action) for l in Log.search([
                    ('user', '=', buh_a.id)])}
        self.assertEqual(logged, {
                (f'copp.student,{contract_a.student.id}', 'export'),
                (f'party.party,{mother.id}', 'export')})
