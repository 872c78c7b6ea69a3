"""Access to the lines of a college's records from another college (issue 15:
child models without access control, export_data and copy bypassing the
record rules, business errors naming another college's records)."""
import datetime as dt
import unittest

from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user
from copp_contingent.tests.tools import create_applicants

from .tools import close_sheet, graduation_setup

D = dt.date


class ChildAccessTestCase(unittest.TestCase):
    "Access of another college to the lines of a college's records"

    @classmethod
    def setUpClass(cls):
        activate_module('copp_graduation', lang='ru')

    def _college_a(self):
        "College A: a closed sheet, a draft diploma with its supplement"
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Attestation = pool.get('copp.graduation.attestation')
        ns = graduation_setup()
        s1, s2, s3, s4 = ns.students
        with Transaction().set_context(company=ns.college.id):
            ns.sheet = close_sheet(ns, 'ОП.02', {s1: '5', s2: '4', s3: '4',
                    s4: '5'}, D(2026, 1, 20))
            values = Document.values_from_student(s1, ns.group)
            values.update({'company': ns.college.id, 'student': s1.id,
                    'issue_date': D(2026, 6, 30)})
            ns.document, = Document.create([values])
            Document.compute([ns.document])
            ns.attestation, = Attestation.create([{
                        'company': ns.college.id, 'group': ns.group.id,
                        'form': 'both', 'date_from': D(2026, 6, 15),
                        'date_to': D(2026, 6, 28)}])
            Attestation.fill([ns.attestation])
        return ns

    def _clerk_b(self):
        other = create_college("Колледж Б", "КБ")
        return create_user('clerk_b', [other], ['group_registrar',
                'group_college_admin'])

    @with_transaction()
    def test_lines_follow_their_parent(self):
        "The lines of another college's records: not found, not changed"
        pool = Pool()
        ns = self._college_a()
        DocumentLine = pool.get('copp.graduation.document.line')
        SheetLine = pool.get('copp.journal.sheet.line')
        CurriculumLine = pool.get('copp.journal.curriculum.line')
        AttestationLine = pool.get('copp.graduation.attestation.line')
        document_line = ns.document.lines[0]
        # a student of the college not on the sheet (the rules refuse
        # before the sheet's own checks)
        newcomer, = create_applicants(ns.college, ["Новиков Илья Петрович"])
        cases = [
            (DocumentLine, document_line, {'grade': '3'},
                {'document': ns.document.id, 'kind': 'discipline',
                    'name': "Взлом", 'grade': '5'}),
            (SheetLine, ns.sheet.lines[0], {'grade': '2'},
                {'sheet': ns.sheet.id, 'student': newcomer.id}),
            (CurriculumLine, ns.curriculum.lines[0], {'hours_total': 1},
                {'curriculum': ns.curriculum.id, 'index': 'ОП.99',
                    'name': "Взлом", 'semester': 1}),
            (AttestationLine, ns.attestation.lines[0], {'admitted': False},
                {'attestation': ns.attestation.id,
                    'student': newcomer.id}),
            ]
        clerk_b = self._clerk_b()
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=clerk_b.company.id), \
                check_access():
            for Model, line, change, new in cases:
                with self.subTest(model=Model.__name__):
                    self.assertEqual(Model.search([]), [])
                    self.assertEqual(Model.search_count([]), 0)
                    with self.assertRaises(AccessError):
                        Model.read([line.id], ['id'])
                    with self.assertRaises(AccessError):
                        Model.write([Model(line.id)], change)
                    with self.assertRaises(AccessError):
                        Model.delete([Model(line.id)])
                    with self.assertRaises(AccessError):
                        Model.create([new])
        self.assertEqual(DocumentLine(document_line.id).grade,
            document_line.grade)

    @with_transaction()
    def test_export_data_checks_inherited_rules(self):
        """export_data of lines whose rules come from their parent
        (__access__) or through a path: refused for another college"""
        pool = Pool()
        ns = self._college_a()
        OrderLine = pool.get('copp.contingent.order.line')
        DocumentLine = pool.get('copp.graduation.document.line')
        Movement = pool.get('copp.contingent.movement')
        order_lines = OrderLine.search([('order.company', '=', ns.college)])
        self.assertTrue(order_lines)
        clerk_b = self._clerk_b()
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=clerk_b.company.id), \
                check_access():
            with self.assertRaises(AccessError):
                OrderLine.export_data(OrderLine.browse(order_lines),
                    ['student/rec_name'])
            with self.assertRaises(AccessError):
                DocumentLine.export_data(
                    DocumentLine.browse(ns.document.lines), ['grade'])
            with self.assertRaises(AccessError):
                Movement.export_data(Movement.browse(
                        [m.id for m in ns.students[0].movements]), ['state'])
        # The college's own registrar exports them
        clerk_a = create_user('clerk_a', [ns.college], ['group_registrar'])
        with Transaction().set_user(clerk_a.id), \
                Transaction().set_context(company=ns.college.id), \
                check_access():
            rows = OrderLine.export_data(OrderLine.browse(order_lines),
                ['student/last_name'])
        self.assertEqual(sorted(r[0] for r in rows),
            sorted(s.last_name for s in ns.students))

    @with_transaction()
    def test_copy_of_another_college_refused(self):
        """A copy reads the original: another college's student cannot be
        copied into one's own college"""
        pool = Pool()
        Student = pool.get('copp.student')
        ns = self._college_a()
        clerk_b = self._clerk_b()
        before = Student.search_count([])
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=clerk_b.company.id), \
                check_access():
            with self.assertRaises(AccessError):
                Student.copy([Student(ns.students[0].id)],
                    {'company': clerk_b.company.id})
        self.assertEqual(Student.search_count([]), before)

    @with_transaction()
    def test_business_error_does_not_name_other_college_record(self):
        """Deleting another college's closed sheet: the access refusal, not
        the sheet's own error naming it"""
        pool = Pool()
        Sheet = pool.get('copp.journal.sheet')
        ns = self._college_a()
        clerk_b = self._clerk_b()
        with Transaction().set_user(clerk_b.id), \
                Transaction().set_context(company=clerk_b.company.id), \
                check_access():
            with self.assertRaises(AccessError) as cm:
                Sheet.delete([Sheet(ns.sheet.id)])
        self.assertNotIn(ns.sheet.rec_name, cm.exception.message)
        self.assertEqual(Sheet(ns.sheet.id).state, 'closed')
