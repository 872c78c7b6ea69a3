import datetime as dt
import io
import zipfile
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user
from copp_contract.amount import amount_in_words, format_amount

from .tools import add_payment, create_contract, create_student

D = Decimal


class CoppContractTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_contract"
    module = 'copp_contract'

    # Amounts in words -------------------------------------------------------

    def test_amount_in_words_rubles(self):
        "Rubles: 0, 1, 2, 5, 11, 21, 1 000 000 and the issue's 45 000"
        for amount, words in [
                ('0', "ноль рублей 00 копеек"),
                ('1', "один рубль 00 копеек"),
                ('2', "два рубля 00 копеек"),
                ('5', "пять рублей 00 копеек"),
                ('11', "одиннадцать рублей 00 копеек"),
                ('21', "двадцать один рубль 00 копеек"),
                ('1000000', "один миллион рублей 00 копеек"),
                ('45000', "сорок пять тысяч рублей 00 копеек"),
                ('112', "сто двенадцать рублей 00 копеек"),
                ('1024', "одна тысяча двадцать четыре рубля 00 копеек"),
                ]:
            with self.subTest(amount=amount):
                self.assertEqual(amount_in_words(D(amount)), words)

    def test_amount_in_words_kopecks(self):
        "Kopecks: 0, 1, 2, 5, 11, 21 as two digits with their form"
        for amount, words in [
                ('0.00', "ноль рублей 00 копеек"),
                ('0.01', "ноль рублей 01 копейка"),
                ('0.02', "ноль рублей 02 копейки"),
                ('0.05', "ноль рублей 05 копеек"),
                ('0.11', "ноль рублей 11 копеек"),
                ('0.21', "ноль рублей 21 копейка"),
                ('1000000.99', "один миллион рублей 99 копеек"),
                ('2.5', "два рубля 50 копеек"),
                ('21.214', "двадцать один рубль 21 копейка"),
                ('5.005', "пять рублей 01 копейка"),
                ]:
            with self.subTest(amount=amount):
                self.assertEqual(amount_in_words(D(amount)), words)
        self.assertEqual(format_amount(D('45000')), '45\u00a0000,00')

    # Numbering and schedule -----------------------------------------------

    @with_transaction()
    def test_number_per_college_and_year(self):
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        student_a = create_student(college_a, "Иванов", "Иван")
        student_b = create_student(college_b, "Петров", "Пётр")
        a1 = create_contract(college_a, student_a, '1000', sign=False)
        a2 = create_contract(college_a, student_a, '1000', sign=False)
        b1 = create_contract(college_b, student_b, '1000', sign=False)
        a3 = create_contract(college_a, student_a, '1000', sign=False,
            start=dt.date(2027, 1, 10), end=dt.date(2027, 6, 30))
        self.assertEqual([a1.number, a2.number, b1.number, a3.number],
            ['2026-0001', '2026-0002', '2026-0001', '2027-0001'])
        self.assertNotEqual(a1.uuid, a2.uuid)
        self.assertEqual(len(a1.uuid), 36)

    @with_transaction()
    def test_schedule_by_term_and_month(self):
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        by_term = create_contract(college, student, '45000', sign=False)
        self.assertEqual([(l.period_start, l.period_end, l.date, l.amount)
                for l in by_term.schedule], [
                (dt.date(2026, 9, 1), dt.date(2027, 1, 31),
                    dt.date(2026, 9, 1), D('22500.00')),
                (dt.date(2027, 2, 1), dt.date(2027, 6, 30),
                    dt.date(2027, 2, 1), D('22500.00')),
                ])
        by_month = create_contract(college, student, '10000', sign=False,
            start=dt.date(2026, 9, 15), end=dt.date(2026, 11, 30),
            schedule_kind='month')
        self.assertEqual([(l.period_start, l.amount)
                for l in by_month.schedule], [
                (dt.date(2026, 9, 15), D('3333.33')),
                (dt.date(2026, 10, 1), D('3333.33')),
                (dt.date(2026, 11, 1), D('3333.34')),
                ])
        self.assertEqual(sum(l.amount for l in by_month.schedule),
            D('10000'))

    @with_transaction()
    def test_schedule_by_academic_terms(self):
        "Configured academic terms give the periods"
        pool = Pool()
        Year = pool.get('copp.academic.year')
        Year.create([{'name': '2026/2027', 'start_date': dt.date(2026, 9, 1),
                    'end_date': dt.date(2027, 8, 31), 'terms': [('create', [
                                {'number': 1, 'start_date': dt.date(2026, 9, 1),
                                    'end_date': dt.date(2026, 12, 28)},
                                {'number': 2, 'start_date': dt.date(2027, 1, 11),
                                    'end_date': dt.date(2027, 6, 30)}])]}])
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        contract = create_contract(college, student, '30001', sign=False)
        self.assertEqual([(l.date, l.amount) for l in contract.schedule], [
                (dt.date(2026, 9, 1), D('15000.50')),
                (dt.date(2027, 1, 11), D('15000.50')),
                ])
        self.assertIn('2026/2027', contract.schedule[0].name)

    @with_transaction()
    def test_sign_sets_payer(self):
        pool = Pool()
        Contract = pool.get('copp.contract')
        Party = pool.get('party.party')
        Representative = pool.get('copp.student.representative')
        college = create_college("Колледж", "К")
        student = create_student(college, "Сидоров", "Олег")
        by_student = create_contract(college, student, '1000')
        self.assertEqual(by_student.payer, student.party)
        self.assertEqual(by_student.state, 'signed')
        self.assertEqual(by_student.amount_words,
            "одна тысяча рублей 00 копеек")

        mother, = Representative.create([{'student': student.id,
                    'name': "Сидорова Анна Петровна", 'relation': 'mother'}])
        by_mother = create_contract(college, student, '1000',
            payer_kind='representative', representative=mother.id)
        self.assertEqual(by_mother.payer.name, "Сидорова Анна Петровна")
        # The same representative pays the next contract as the same party.
        again = create_contract(college, student, '1000',
            payer_kind='representative', representative=mother.id)
        self.assertEqual(again.payer, by_mother.payer)

        with self.assertRaises(UserError):
            create_contract(college, student, '1000',
                payer_kind='organization')
        company, = Party.create([{'name': "ООО «Завод»",
                    'inn': '7707083893', 'kpp': '773601001'}])
        by_company = create_contract(college, student, '1000',
            payer_kind='organization', payer=company.id)
        self.assertEqual(by_company.payer, company)
        self.assertEqual(Contract.search([('payer', '=', company.id)]),
            [by_company])

    @with_transaction()
    def test_validation(self):
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        with self.assertRaises(UserError):
            create_contract(college, student, '0', sign=False)
        with self.assertRaises(UserError):
            create_contract(college, student, '100', sign=False,
                start=dt.date(2026, 9, 1), end=dt.date(2026, 8, 1))
        pool = Pool()
        Contract = pool.get('copp.contract')
        Line = pool.get('copp.contract.schedule')
        contract = create_contract(college, student, '1000', sign=False)
        Line.write([contract.schedule[0]], {'amount': D('1')})
        with self.assertRaises(UserError):
            Contract.sign([contract])

    # Charges, payments, balances --------------------------------------------

    def _setup_balances(self):
        """Two colleges; in A: Иванов has contracts X (45 000 by term) and
        Y (12 000 by month, Sep–Dec); Петров has Z (30 000 single);
        in B: Смирнов has W (10 000 single). Charged as of 2027-03-01."""
        pool = Pool()
        Charge = pool.get('copp.contract.charge')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        ivanov = create_student(college_a, "Иванов", "Иван")
        petrov = create_student(college_a, "Петров", "Пётр")
        smirnov = create_student(college_b, "Смирнов", "Сергей")
        x = create_contract(college_a, ivanov, '45000')
        y = create_contract(college_a, ivanov, '12000',
            end=dt.date(2026, 12, 31), schedule_kind='month')
        z = create_contract(college_a, petrov, '30000',
            schedule_kind='single')
        w = create_contract(college_b, smirnov, '10000',
            schedule_kind='single')
        draft = create_contract(college_a, petrov, '99999', sign=False)
        # Hand-computed charges due on 2027-03-01:
        # X: 22 500 (1 Sep) + 22 500 (1 Feb); Y: 4 × 3 000; Z: 30 000;
        # W: 10 000; the draft contract is not charged.
        charges = Charge.generate(date=dt.date(2027, 3, 1))
        self.assertEqual(len(charges), 2 + 4 + 1 + 1)
        self.assertEqual(Charge.generate(date=dt.date(2027, 3, 1)), [])
        add_payment(x, '20000', dt.date(2026, 9, 5), 'П-1')
        add_payment(x, '10000', dt.date(2027, 2, 10), 'П-2')
        add_payment(y, '15000', dt.date(2026, 9, 3), 'П-3')
        add_payment(z, '30000', dt.date(2026, 9, 1), 'П-4')
        add_payment(w, '2500.50', dt.date(2026, 10, 1), 'П-5')
        return college_a, college_b, ivanov, petrov, smirnov, x, y, z, w, draft

    @with_transaction()
    def test_charges_and_balances(self):
        pool = Pool()
        Contract = pool.get('copp.contract')
        Charge = pool.get('copp.contract.charge')
        (college_a, college_b, ivanov, petrov, smirnov, x, y, z, w,
            draft) = self._setup_balances()
        x, y, z, w, draft = Contract.browse([x, y, z, w, draft])
        self.assertEqual(
            [(c.charged_amount, c.paid_amount, c.balance, c.debt)
                for c in [x, y, z, w, draft]], [
                (D('45000'), D('30000'), D('-15000'), D('15000')),
                (D('12000'), D('15000'), D('3000'), D('0')),
                (D('30000'), D('30000'), D('0'), D('0')),
                (D('10000'), D('2500.50'), D('-7499.50'), D('7499.50')),
                (D('0'), D('0'), D('0'), D('0')),
                ])
        self.assertEqual(Contract.search([('debt', '>', 0)],
                order=[('id', 'ASC')]), [x, w])
        self.assertEqual(x.schedule[0].charged, True)
        self.assertEqual(Charge.search([('contract', '=', y.id)],
                order=[('date', 'ASC')])[0].name.split()[-1], '2026')
        # A contract terminated keeps its charges and is no longer charged.
        Contract.terminate([x])
        self.assertEqual(Contract(x.id).debt, D('15000'))

    @with_transaction()
    def test_balances_by_student_and_college(self):
        pool = Pool()
        StudentBalance = pool.get('copp.contract.balance.student')
        CollegeBalance = pool.get('copp.contract.balance.college')
        ContractBalance = pool.get('copp.contract.balance')
        (college_a, college_b, ivanov, petrov, smirnov, *_) = (
            self._setup_balances())
        rows = {b.student: (b.contracts, b.charged, b.paid, b.balance, b.debt)
            for b in StudentBalance.search([])}
        # Иванов: debts are summed per contract (Y's overpayment does not
        # pay X's debt): 15 000 of debt, balance −12 000.
        self.assertEqual(rows[ivanov], (2, D('57000'), D('45000'),
                D('-12000'), D('15000')))
        self.assertEqual(rows[petrov], (1, D('30000'), D('30000'), D('0'),
                D('0')))
        self.assertEqual(rows[smirnov], (1, D('10000'), D('2500.50'),
                D('-7499.50'), D('7499.50')))
        rows = {b.company: (b.contracts, b.debtors, b.charged, b.paid,
                b.debt) for b in CollegeBalance.search([])}
        self.assertEqual(rows[college_a], (3, 1, D('87000'), D('75000'),
                D('15000')))
        self.assertEqual(rows[college_b], (1, 1, D('10000'), D('2500.50'),
                D('7499.50')))
        # As of 2026-12-31: X charged 22 500 and paid 20 000; Y charged
        # 12 000 and paid 15 000.
        with Transaction().set_context(date=dt.date(2026, 12, 31)):
            row, = StudentBalance.search([('student', '=', ivanov.id)])
            self.assertEqual((row.charged, row.paid, row.debt),
                (D('34500'), D('35000'), D('2500')))
            self.assertEqual(len(ContractBalance.search(
                        [('debt', '>', 0)])), 2)
        with Transaction().set_context(balance_company=college_b.id):
            self.assertEqual([b.company for b in CollegeBalance.search([])],
                [college_b])

    @with_transaction()
    def test_debtors_xlsx(self):
        import openpyxl
        pool = Pool()
        Debtors = pool.get('copp.contract.debtors', type='wizard')
        (college_a, college_b, ivanov, *_) = self._setup_balances()
        session_id, _, _ = Debtors.create()
        result = Debtors.execute(session_id, {'start': {
                    'date': dt.date(2027, 3, 1), 'company': None,
                    'minimum': D('0')}}, 'make')
        defaults = result['view']['defaults']
        self.assertEqual(defaults['count'], 2)
        self.assertEqual(defaults['total'], D('22499.50'))
        book = openpyxl.load_workbook(io.BytesIO(defaults['file']))
        sheet = book.worksheets[0]
        rows = [r for r in sheet.iter_rows(min_row=4, values_only=True)]
        self.assertEqual([(r[0], r[3], r[9]) for r in rows[:2]], [
                ("КА", ivanov.rec_name, 15000),
                ("КБ", "Смирнов Сергей", 7499.5)])
        self.assertEqual(rows[2][9], 22499.5)
        summary = book.worksheets[1]
        self.assertEqual(
            [r for r in summary.iter_rows(min_row=2, values_only=True)],
            [("КА", 1, 15000), ("КБ", 1, 7499.5)])
        # One college only, and a threshold.
        session_id, _, _ = Debtors.create()
        result = Debtors.execute(session_id, {'start': {
                    'date': dt.date(2027, 3, 1), 'company': college_b.id,
                    'minimum': D('7000')}}, 'make')
        self.assertEqual(result['view']['defaults']['count'], 1)

    # Reports ----------------------------------------------------------------

    @with_transaction()
    def test_reports_amounts_in_words(self):
        pool = Pool()
        ContractReport = pool.get('copp.contract.report', type='report')
        Receipt = pool.get('copp.contract.payment.receipt', type='report')
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван", "Иванович")
        contract = create_contract(college, student, '45000')
        payment = add_payment(contract, '22500.50', dt.date(2026, 9, 3),
            'П-7')
        ext, data, _, name = ContractReport.execute([contract.id], {})
        self.assertEqual(ext, 'odt')
        content = zipfile.ZipFile(io.BytesIO(data)).read(
            'content.xml').decode('utf-8')
        self.assertIn("сорок пять тысяч рублей 00 копеек", content)
        self.assertIn("двадцать две тысячи пятьсот рублей 00 копеек",
            content)
        self.assertIn(contract.number, content)
        self.assertIn("Иванов Иван Иванович", content)
        ext, data, _, name = Receipt.execute([payment.id], {})
        content = zipfile.ZipFile(io.BytesIO(data)).read(
            'content.xml').decode('utf-8')
        self.assertIn(
            "двадцать две тысячи пятьсот рублей 50 копеек", content)
        self.assertIn("П-7", content)

    # Access -----------------------------------------------------------------

    @with_transaction()
    def test_access_by_college_and_role(self):
        pool = Pool()
        Contract = pool.get('copp.contract')
        Payment = pool.get('copp.contract.payment')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        student = create_student(college_a, "Иванов", "Иван")
        contract = create_contract(college_a, student, '1000')
        accountant_a = create_user('buh_a', [college_a], ['group_accountant'])
        accountant_b = create_user('buh_b', [college_b], ['group_accountant'])
        registrar_a = create_user('uch_a', [college_a], ['group_registrar'])
        teacher_a = create_user('prep_a', [college_a], ['group_teacher'])
        ministry = create_user('minobr', [college_a, college_b],
            ['group_ministry'])

        with Transaction().set_user(accountant_a.id), \
                Transaction().set_context(company=college_a.id), \
                check_access():
            self.assertEqual(Contract.search([]), [contract])
            Payment.create([{'company': college_a.id,
                        'contract': contract.id, 'amount': D('100'),
                        'date': dt.date(2026, 9, 2)}])
        with Transaction().set_user(accountant_b.id), \
                Transaction().set_context(company=college_b.id), \
                check_access():
            self.assertEqual(Contract.search([]), [])
            with self.assertRaises(AccessError):
                Contract.read([contract.id], ['number'])
        with Transaction().set_user(registrar_a.id), check_access():
            self.assertEqual(Contract.search([]), [contract])
            with self.assertRaises(AccessError):
                Contract.write([Contract(contract.id)], {'note': "x"})
        with Transaction().set_user(teacher_a.id), check_access():
            with self.assertRaises(AccessError):
                Contract.search([])
        with Transaction().set_user(ministry.id), check_access():
            self.assertEqual(Contract.search([]), [contract])
            with self.assertRaises(AccessError):
                Contract.write([Contract(contract.id)], {'note': "x"})

    @with_transaction()
    def test_delete_protection_and_cron(self):
        pool = Pool()
        Contract = pool.get('copp.contract')
        Cron = pool.get('ir.cron')
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        draft = create_contract(college, student, '1000', sign=False)
        signed = create_contract(college, student, '1000')
        Contract.delete([draft])
        with self.assertRaises(UserError):
            Contract.delete([signed])
        self.assertIn('copp.contract.charge|generate_due',
            dict(Cron.fields_get(['method'])['method']['selection']))

    @with_transaction()
    def test_cron_charges_due_periods(self):
        "The daily cron charges the periods due by today, once"
        pool = Pool()
        Cron = pool.get('ir.cron')
        Charge = pool.get('copp.contract.charge')
        ModelData = pool.get('ir.model.data')
        today = pool.get('ir.date').today()
        college = create_college("Колледж", "К")
        student = create_student(college, "Иванов", "Иван")
        monthly = create_contract(college, student, '9000',
            start=today - dt.timedelta(days=40),
            end=today + dt.timedelta(days=200), schedule_kind='month')
        create_contract(college, student, '9000', sign=False,
            start=today - dt.timedelta(days=40),
            end=today + dt.timedelta(days=200), schedule_kind='month')
        due = [l for l in monthly.schedule if l.date <= today]
        # 40 days back: the first period and at least the next month.
        self.assertGreaterEqual(len(due), 2)
        self.assertLess(len(due), len(monthly.schedule))
        cron = Cron(ModelData.get_id('copp_contract',
                'cron_generate_charges'))
        self.assertEqual((cron.method, cron.interval_type),
            ('copp.contract.charge|generate_due', 'days'))
        cron.run_once()
        charges = Charge.search([], order=[('date', 'ASC')])
        self.assertEqual([(c.schedule_line, c.amount, c.date)
                for c in charges],
            [(l, l.amount, l.date) for l in due])
        cron.run_once()
        self.assertEqual(len(Charge.search([])), len(due))


del ModuleTestCase
