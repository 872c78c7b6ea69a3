"""Formula injection through the debtors' xlsx (issue 15 #7): a student
imported with a name that starts with «=» and an organization payer named
like a formula stay text."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

from copp.tests.tools import create_college
from copp.tests.xlsx_tools import HOSTILE, check_text_cells

from .tools import create_contract, create_student


class DebtorsXlsxInjectionTestCase(unittest.TestCase):
    "Hostile names in the debtors' report"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module('copp_contract')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        # The next test classes start from their own database.
        drop_db()

    @with_transaction()
    def test_debtors_keep_text(self):
        "The debtor's name and the contract's subject stay text"
        from copp_contract.balance import debtors_xlsx
        pool = Pool()
        Charge = pool.get('copp.contract.charge')
        college = create_college("Колледж А", "КА")
        student = create_student(college, HOSTILE[0], HOSTILE[1])
        create_contract(college, student, '10000', schedule_kind='single')
        Charge.generate(date=dt.date(2027, 3, 1))
        data, count, total = debtors_xlsx(dt.date(2027, 3, 1))
        self.assertEqual((count, total), (1, Decimal('10000')))
        check_text_cells(self, data, [HOSTILE[0], HOSTILE[1]])
