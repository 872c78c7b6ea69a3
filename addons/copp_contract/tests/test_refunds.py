"""Refunds to the payers (copp.contract.payment of kind «refund»): the
balance, the debt, the student's and college's balances and the debtors
report count them against the payments; a refund has no receipt."""
import datetime as dt
import io
import unittest
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp.tests.tools import create_college

from .tools import add_payment, create_contract, create_student

D = Decimal


class RefundsTestCase(unittest.TestCase):
    "Refunds on the contracts"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_contract', lang='ru')

    @with_transaction()
    def test_refund_in_balances_and_debtors(self):
        """Contract of 30 000 (single, charged), paid 30 000 on 1 Sep, 4 000
        refunded on 1 Oct: debt 4 000 from 1 Oct, nothing before"""
        import openpyxl
        pool = Pool()
        Contract = pool.get('copp.contract')
        Charge = pool.get('copp.contract.charge')
        Payment = pool.get('copp.contract.payment')
        StudentBalance = pool.get('copp.contract.balance.student')
        CollegeBalance = pool.get('copp.contract.balance.college')
        Debtors = pool.get('copp.contract.debtors', type='wizard')
        college = create_college("Колледж А", "КА")
        student = create_student(college, "Петров", "Пётр")
        contract = create_contract(college, student, '30000',
            schedule_kind='single')
        Charge.generate(date=dt.date(2027, 3, 1))
        add_payment(contract, '30000', dt.date(2026, 9, 1), 'П-1')
        refund = add_payment(contract, '4000', dt.date(2026, 10, 1), 'В-1',
            kind='refund')
        self.assertEqual((refund.amount, refund.signed_amount),
            (D('4000'), D('-4000')))
        contract = Contract(contract.id)
        self.assertEqual((contract.charged_amount, contract.paid_amount,
                contract.balance, contract.debt),
            (D('30000'), D('26000'), D('-4000'), D('4000')))
        self.assertEqual(Contract.search([('debt', '>', 0)]), [contract])
        row, = StudentBalance.search([('student', '=', student.id)])
        self.assertEqual((row.paid, row.debt), (D('26000'), D('4000')))
        row, = CollegeBalance.search([('company', '=', college.id)])
        self.assertEqual((row.paid, row.debtors, row.debt),
            (D('26000'), 1, D('4000')))
        with Transaction().set_context(date=dt.date(2026, 9, 30)):
            row, = StudentBalance.search([('student', '=', student.id)])
            self.assertEqual((row.paid, row.debt), (D('30000'), D('0')))

        session_id, _, _ = Debtors.create()
        result = Debtors.execute(session_id, {'start': {
                    'date': dt.date(2027, 3, 1), 'company': college.id,
                    'minimum': D('0')}}, 'make')
        defaults = result['view']['defaults']
        self.assertEqual((defaults['count'], defaults['total']),
            (1, D('4000')))
        sheet = openpyxl.load_workbook(
            io.BytesIO(defaults['file'])).worksheets[0]
        row = next(sheet.iter_rows(min_row=4, values_only=True))
        self.assertEqual(row[7:10], (30000, 26000, 4000))

        # Shown in Russian in the contract's payments.
        selection = dict(Payment.fields_get(['kind'])['kind']['selection'])
        self.assertEqual(selection, {'payment': "Оплата",
                'refund': "Возврат"})

    @with_transaction()
    def test_refund_has_no_receipt(self):
        pool = Pool()
        Receipt = pool.get('copp.contract.payment.receipt', type='report')
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        contract = create_contract(college, student, '45000')
        refund = add_payment(contract, '100', dt.date(2026, 9, 3), 'В-7',
            kind='refund')
        with self.assertRaises(UserError) as cm:
            Receipt.execute([refund.id], {})
        self.assertIn("возврат плательщику", cm.exception.message)
