"""Honours, the supplement from the grade sheets (last attempt wins), the
blanks register, the ГИА with admission from debts and the graduation
order, the employment report. Runs on SQLite and PostgreSQL."""
import datetime as dt
import io
import json
import unittest
from decimal import Decimal

import openpyxl

from trytond.model.exceptions import ValidationError
from trytond.pool import Pool
from trytond.protocols.jsonrpc import JSONEncoder
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction

from copp_contingent.tests.tools import order
from copp_graduation.employment_export import employment_xlsx
from copp_graduation.exceptions import (
    AttestationError, BlankError, DocumentError)
from copp_graduation.honours import compute_honours
from copp_graduation.supplement_report import supplement_xlsx

from .tools import close_sheet, graduation_setup, receive_blanks

D = dt.date


class HonoursTestCase(unittest.TestCase):
    "Honours: the edge cases"

    def test_exactly_75(self):
        "3 «отлично» of 4 graded (75 %) with «зачтено» aside: honours"
        ok, share, reason = compute_honours([("ОП.01", '5'), ("ОП.02", '5'),
                ("ОП.03", '5'), ("ОП.04", '4'), ("СГ.04", 'pass')], ['5'])
        self.assertTrue(ok)
        self.assertEqual(share, Decimal('75.0'))
        self.assertIn("75,0 %", reason)

    def test_below_75(self):
        "5 of 7 (71,4 %): no honours, the reason says how many"
        ok, share, reason = compute_honours(
            [(f"ОП.0{i}", '5') for i in range(5)]
            + [("ОП.06", '4'), ("ОП.07", '4')], ['5'])
        self.assertFalse(ok)
        self.assertEqual(share, Decimal('71.4'))
        self.assertIn("71,4 % (5 из 7), нужно не менее 75 %", reason)

    def test_single_satisfactory(self):
        "All «отлично» but one «удовлетворительно»: no honours"
        ok, _, reason = compute_honours(
            [(f"ОП.0{i}", '5') for i in range(9)]
            + [("МДК.01.01 Разработка", '3')], ['5'])
        self.assertFalse(ok)
        self.assertIn("МДК.01.01 Разработка: «удовлетворительно»", reason)

    def test_gia_not_excellent(self):
        "All «отлично» but the ГИА «хорошо»: no honours"
        ok, share, reason = compute_honours([("ОП.01", '5')], ['5', '4'])
        self.assertFalse(ok)
        self.assertEqual(share, Decimal('100.0'))
        self.assertIn("ГИА: «хорошо»", reason)


class GraduationTestCase(unittest.TestCase):
    "Graduation"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_graduation', lang='ru')

    def _sheets(self, ns):
        """Ivanov: all 5 after a retake of ОП.01 (2 → 5); Petrova: 5 5 4 5
        with a retake 5 → the «4» of the first attempt is replaced;
        Sidorov: a debt in ОП.02; Kuznetsova: a «3»"""
        s1, s2, s3, s4 = ns.students
        first = close_sheet(ns, 'ОП.01', {s1: '2', s2: '5', s3: '4',
                s4: '4'}, D(2026, 1, 15))
        close_sheet(ns, 'ОП.01', {s1: '5'}, D(2026, 2, 1), kind='retake',
            original=first)
        close_sheet(ns, 'ОП.02', {s1: '5', s2: '4', s3: '2', s4: '5'},
            D(2026, 1, 20))
        close_sheet(ns, 'МДК.01.01 КП', {s1: '5', s2: '5', s3: '4',
                s4: '5'}, D(2025, 12, 20))
        close_sheet(ns, 'МДК.01.01', {s1: '5', s2: '5', s3: '4', s4: '3'},
            D(2026, 1, 25))
        close_sheet(ns, 'УП.01', {s1: '5', s2: '5', s3: '5', s4: '5'},
            D(2026, 1, 26))
        close_sheet(ns, 'ПМ.01', {s1: '5', s2: '4', s3: '4', s4: '5'},
            D(2026, 1, 28))
        close_sheet(ns, 'СГ.04', {s1: 'pass', s2: 'pass', s3: 'pass',
                s4: 'pass'}, D(2026, 1, 29))

    def _attestation(self, ns, grades):
        Attestation = Pool().get('copp.graduation.attestation')
        attestation, = Attestation.create([{
                    'company': ns.college.id, 'group': ns.group.id,
                    'form': 'both', 'date_from': D(2026, 6, 15),
                    'date_to': D(2026, 6, 28),
                    'chairman': "Петров П. П.",
                    }])
        Attestation.fill([attestation])
        attestation = Attestation(attestation.id)
        for line in attestation.lines:
            if line.student.last_name in grades and line.admitted:
                line.demo_grade, line.thesis_grade = grades[
                    line.student.last_name]
                line.demo_score = Decimal('87.5')
                line.demo_level = 'profile'
                line.save()
        return Attestation(attestation.id)

    @with_transaction()
    def test_attestation_supplement_honours_order(self):
        "ГИА admission from debts, the order, the supplement and honours"
        pool = Pool()
        Attestation = pool.get('copp.graduation.attestation')
        Order = pool.get('copp.contingent.order')
        Student = pool.get('copp.student')
        Document = pool.get('copp.graduation.document')
        ns = graduation_setup()
        s1, s2, s3, s4 = ns.students
        with Transaction().set_context(company=ns.college.id):
            self._sheets(ns)
            attestation = self._attestation(ns, {
                    "Иванов": ('5', '5'), "Петрова": ('5', '4'),
                    "Сидоров": ('5', '5'), "Кузнецова": ('5', '5')})
            lines = {l.student: l for l in attestation.lines}
            # Sidorov has a debt (ОП.02 «2»): not admitted, no grade
            self.assertEqual((lines[s3].debts, lines[s3].admitted), (1, False))
            self.assertIsNone(lines[s3].demo_grade)
            self.assertEqual([lines[s].admitted for s in (s1, s2, s4)],
                [True] * 3)
            # a grade for a student not admitted is refused at closing
            Attestation.write([lines[s3].attestation], {'lines': [
                        ('write', [lines[s3].id], {'demo_grade': '5'})]})
            with self.assertRaises(AttestationError) as cm:
                Attestation.done([attestation])
            self.assertIn("Сидоров", cm.exception.message)
            Attestation.fill([attestation])
            Attestation.done([attestation])
            attestation = Attestation(attestation.id)
            self.assertEqual((attestation.admitted_count,
                    attestation.passed_count), (3, 3))

            # the graduation order goes through the contingent
            Attestation.create_order([attestation])
            graduation = Attestation(attestation.id).order
            self.assertEqual(graduation.kind, 'expulsion')
            self.assertEqual(graduation.state, 'draft')
            self.assertEqual({l.student for l in graduation.lines},
                {s1, s2, s4})
            self.assertEqual({l.expulsion_reason for l in graduation.lines},
                {'graduation'})
            Order.sign([graduation])
            self.assertEqual([Student(s.id).state for s in ns.students],
                ['graduated', 'graduated', 'studying', 'graduated'])

            documents = Attestation.draft_documents([attestation])
            by_student = {d.student: Document(d.id) for d in documents}
            self.assertEqual(set(by_student), {s1, s2, s4})
            ivanov, petrova, kuznetsova = (by_student[s] for s in (s1, s2, s4))
            # the button (sao calls it through JSON-RPC) drafts nothing
            # more and returns the action opening these diplomas
            action = Attestation.create_documents([attestation])
            json.dumps(action, cls=JSONEncoder)
            self.assertEqual(action['res_model'], 'copp.graduation.document')
            self.assertEqual(Document.search(
                    PYSONDecoder().decode(action['pyson_domain'])),
                sorted(by_student.values(), key=lambda d: (
                        d.last_name, d.first_name, d.patronymic or '')))

            # the supplement: lines, hours, the last attempt wins
            rows = [(l.kind, l.index, l.hours, l.grade) for l in ivanov.lines]
            self.assertEqual(rows, [
                    ('discipline', 'МДК.01.01', 180, '5'),
                    ('discipline', 'ОП.01', 72, '5'),
                    ('discipline', 'ОП.02', 60, '5'),
                    ('discipline', 'СГ.04', 40, 'pass'),
                    ('module', 'ПМ.01', None, '5'),
                    ('practice', 'УП.01', 144, '5'),
                    ('course_work', 'МДК.01.01', None, '5'),
                    ('gia', 'ГИА', 216, '5'),
                    ('gia', 'ГИА', None, '5'),
                    ])
            self.assertIn("демонстрационный экзамен", ivanov.lines[-2].name)
            self.assertEqual(ivanov.lines[1].sheet.kind, 'retake')
            # honours: Ivanov yes (all 5 after the retake)
            self.assertTrue(ivanov.honours)
            self.assertEqual(ivanov.honours_share, Decimal('100.0'))
            self.assertIn("Выполнено", ivanov.honours_reason)
            # Petrova: 5 of 6 graded are «отлично», but the thesis «хорошо»
            self.assertFalse(petrova.honours)
            self.assertEqual(petrova.honours_share, Decimal('66.7'))
            self.assertIn("ГИА: «хорошо»", petrova.honours_reason)
            # Kuznetsova: a single «удовлетворительно»
            self.assertFalse(kuznetsova.honours)
            self.assertIn("МДК.01.01 Разработка программных модулей: "
                "«удовлетворительно»", kuznetsova.honours_reason)

            # the printable supplement
            content = supplement_xlsx([ivanov])
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            cells = [c for row in sheet.iter_rows(values_only=True)
                for c in row if c is not None]
            self.assertIn("Инженерная графика", cells)
            self.assertIn("Курсовые работы (проекты)", cells)
            self.assertIn(72 + 60 + 180 + 40 + 144 + 216, cells)

            # issue: honours diploma takes a honours blank
            with self.assertRaises(DocumentError):
                Document.issue([ivanov])
            receive_blanks(ns.college, 'diploma_honours', '116205',
                '0000100', '0000101')
            Document.issue([ivanov])
            ivanov = Document(ivanov.id)
            self.assertEqual((ivanov.series, ivanov.number, ivanov.state),
                ('116205', '0000100', 'issued'))
            self.assertEqual(ivanov.blank.state, 'issued')
            self.assertEqual(ivanov.blank.document, ivanov)

    @with_transaction()
    def test_blanks(self):
        "A blank is used once; spoiled blanks are not reusable; duplicates"
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Blank = pool.get('copp.graduation.blank')
        ns = graduation_setup()
        s1, s2, s3, s4 = ns.students
        with Transaction().set_context(company=ns.college.id):
            batch = receive_blanks(ns.college, 'diploma', '116224',
                '0000098', '0000102')
            self.assertEqual([b.number for b in batch.blanks], [
                    '0000098', '0000099', '0000100', '0000101', '0000102'])
            with self.assertRaises(BlankError):
                receive_blanks(ns.college, 'diploma', '116224', '0000102',
                    '0000103')
            with self.assertRaises(BlankError):
                receive_blanks(ns.college, 'diploma', '116224', '0000110',
                    '0000105')
            b98, b99, b100, b101, b102 = batch.blanks
            Blank.spoil([b98])
            Blank.lose([b99])

            def draft(student):
                values = Document.values_from_student(student, ns.group)
                values.update({'company': ns.college.id,
                        'student': student.id,
                        'issue_date': D(2026, 6, 30)})
                return Document.create([values])[0]
            d1, d2, d3 = draft(s1), draft(s2), draft(s3)
            # a spoiled blank cannot be chosen
            d1.blank = b98
            with self.assertRaises(ValidationError):
                d1.save()
            with self.assertRaises(BlankError) as cm:
                Blank.check_usable(b98, d1)
            self.assertIn("0000098", cm.exception.message)
            # (the refused write went to the table: the test's transaction
            # is not rolled back)
            Document.write([Document(d1.id)], {'blank': None})
            d1 = Document(d1.id)
            Document.issue([d1])
            self.assertEqual(Document(d1.id).number, '0000100')
            # the same blank cannot be issued twice
            d2.blank = b100
            with self.assertRaises(ValidationError):
                d2.save()
            with self.assertRaises(BlankError) as cm:
                Blank.check_usable(Blank(b100.id), d2)
            self.assertIn("0000100", cm.exception.message)
            with self.assertRaises(BlankError):
                Blank.use([Blank(b100.id)], {b100.id: d2})
            Document.write([Document(d2.id)], {'blank': None})
            d2 = Document(d2.id)
            Document.issue([d2])
            # registration numbers follow the book of the year
            self.assertEqual([Document(d).registration_number
                    for d in (d1, d2)], ['2026-0001', '2026-0002'])
            # cancelling an issued document spoils its blank
            Document.cancel([Document(d2.id)])
            self.assertEqual(Blank(b101.id).state, 'spoiled')
            Document.issue([d3])
            self.assertEqual(Document(d3.id).number, '0000102')
            # no blank left
            d4 = draft(s4)
            with self.assertRaises(DocumentError):
                Document.issue([d4])
            # a duplicate keeps the link to its original
            receive_blanks(ns.college, 'diploma', '116224', '0000200',
                '0000200')
            duplicate, = Document.draft_duplicates([Document(d1.id)])
            self.assertEqual(duplicate.original, Document(d1.id))
            self.assertEqual(duplicate.status, 'duplicate')
            self.assertTrue(duplicate.loss_confirmed)
            Document.issue([duplicate])
            duplicate = Document(duplicate.id)
            self.assertEqual(duplicate.number, '0000200')
            self.assertEqual(duplicate.registration_number, '2026-0004')
            self.assertEqual(Document(d1.id).duplicates, (duplicate,))
            self.assertEqual(Document(d1.id).state, 'issued')

    @with_transaction()
    def test_demo(self):
        "The demo: ГИА, issued diplomas with a duplicate, employment"
        import random
        from types import SimpleNamespace

        from faker import Faker

        from copp_graduation.demo import populate
        from copp_graduation.frdo_export import prepare
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Employment = pool.get('copp.graduation.employment')
        Attestation = pool.get('copp.graduation.attestation')
        ns = graduation_setup()
        with Transaction().set_context(company=ns.college.id):
            order(ns.college, 'expulsion', D(2026, 6, 30), [
                    {'student': s, 'expulsion_reason': 'graduation'}
                    for s in ns.students])
        counted = {}
        env = SimpleNamespace(pool=pool, random=random.Random(1),
            faker=Faker('ru_RU'), today=D(2026, 12, 20), scale='small',
            count=counted.__setitem__)
        populate(env)
        with Transaction().set_context(company=ns.college.id):
            attestation, = Attestation.search([])
            self.assertEqual(attestation.state, 'done')
            self.assertEqual(attestation.passed_count, 4)
            documents = Document.search([])
            self.assertEqual(len(documents), 5)
            self.assertEqual({d.state for d in documents}, {'issued'})
            self.assertEqual(len([d for d in documents
                        if d.status == 'duplicate' and d.original]), 1)
            self.assertEqual(Employment.search_count([]), 8)
            # every demo document passes the ФИС ФРДО pre-validation
            _, valid, report = prepare([d.id for d in documents])
            self.assertEqual(report, [])
            self.assertEqual(len(valid), 5)
        self.assertEqual(counted["Документы об образовании"], 5)

    @with_transaction()
    def test_employment_report(self):
        "Rates by college and specialty against hand-computed numbers"
        pool = Pool()
        Employment = pool.get('copp.graduation.employment')
        Report = pool.get('copp.graduation.employment.report')
        ns = graduation_setup()
        s1, s2, s3, s4 = ns.students
        spec = ns.group.specialty
        values = []
        for student, december, april in [
                (s1, ('employed', True), ('employed', True)),
                (s2, ('employed', False), ('self_employed', False)),
                (s3, ('army', False), ('army', False)),
                (s4, ('unemployed', False), ('employed', True)),
                ]:
            for checkpoint, (status, by_specialty) in [
                    ('december', december), ('april', april)]:
                values.append({'company': ns.college.id,
                        'student': student.id, 'specialty': spec.id,
                        'graduation_year': 2026, 'checkpoint': checkpoint,
                        'status': status, 'by_specialty': by_specialty})
        Employment.create(values)
        with Transaction().set_context(graduation_year=2026,
                checkpoint='december'):
            december, = Report.search([])
        self.assertEqual((december.graduates, december.employed,
                december.by_specialty, december.army, december.unemployed),
            (4, 2, 1, 1, 1))
        # employed 2 of 4; by specialty 1 of 4; not employed 1 of 4
        self.assertEqual(december.employment_rate, Decimal('50.0'))
        self.assertEqual(december.specialty_rate, Decimal('25.0'))
        self.assertEqual(december.unemployment_rate, Decimal('25.0'))
        with Transaction().set_context(graduation_year=2026,
                checkpoint='april'):
            april, = Report.search([])
        # employed 2 + self-employed 1 of 4 = 75 %; by specialty 2 of 4
        self.assertEqual(april.employment_rate, Decimal('75.0'))
        self.assertEqual(april.specialty_rate, Decimal('50.0'))
        self.assertEqual(april.unemployment_rate, Decimal('0.0'))

        content = employment_xlsx([("Колледж А", "09.02.07", "ИСП", {
                        'graduates': 4, 'employed': 2, 'by_specialty': 1,
                        'self_employed': 0, 'study': 0, 'army': 1,
                        'maternity': 0, 'unemployed': 1}),
                ("Колледж Б", "09.02.07", "ИСП", {
                        'graduates': 6, 'employed': 1, 'by_specialty': 1,
                        'self_employed': 2, 'study': 3, 'army': 0,
                        'maternity': 0, 'unemployed': 0})], "Отчёт")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        total = [r for r in rows if r[0] == "Итого по региону"][0]
        # region: employed 3 + self-employed 2 of 10 = 50 %; specialty 20 %
        self.assertEqual(total[3], 10)
        self.assertEqual(total[11], 50.0)
        self.assertEqual(total[12], 20.0)
        self.assertEqual(len(sheet._charts), 1)


if __name__ == '__main__':
    unittest.main()
