"""Documents printed from the student's card: the study certificate
(numbered in the college's register of the year, with the college's
requisites, the enrolment order and the signatures) and the student's
personal card (personal data, education, the movement orders, the legal
representatives); ODT always, PDF where LibreOffice is installed; the
prints are in the register of personal data."""
import datetime as dt
from decimal import Decimal
import io
import os
import re
import shutil
import unittest
import zipfile

from trytond.exceptions import UserError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_user

from .tools import SNILS, history

SOFFICE = shutil.which('soffice')
NEEDS_SOFFICE = unittest.skipUnless(SOFFICE, "LibreOffice (soffice) is not "
    "installed: the PDF variant falls back to ODT; install "
    "libreoffice-writer-nogui to test the conversion")


def keep(name, content):
    """Write a printed document into COPP_DOCS_DIR when it is set, to look
    at it (soffice --convert-to pdf, pdftoppm)"""
    folder = os.environ.get('COPP_DOCS_DIR')
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), 'wb') as fp:
            fp.write(content)


def odt_text(content):
    "The text of an ODT's content.xml, tags removed, spaces collapsed"
    with zipfile.ZipFile(io.BytesIO(content)) as odt:
        xml = odt.read('content.xml').decode('utf-8')
    text = re.sub(r'<text:tab/>', ' ', xml)
    text = re.sub(r'<[^>]+>', ' ', text)
    for entity, char in [('&quot;', '"'), ('&apos;', "'"), ('&lt;', '<'),
            ('&gt;', '>'), ('&amp;', '&')]:
        text = text.replace(entity, char)
    return re.sub(r'\s+', ' ', text)


def requisites(college):
    "A college with the requisites the documents print"
    pool = Pool()
    Party = pool.get('party.party')
    Employee = pool.get('company.employee')
    party = college.party
    Party.write([party], {
            'name': "ОГБПОУ «Колледж А»",
            'addresses': [('create', [{'street': "ул. Ленина, 1",
                            'city': "Рязань", 'postal_code': '390000'}])],
            'contact_mechanisms': [('create', [
                        {'type': 'phone', 'value': '+7 4912 00-00-01'},
                        {'type': 'email', 'value': 'info@kolledzh-a.example'},
                        ])],
            })
    head, = Party.create([{'name': "Сергеев Сергей Сергеевич",
                'last_name': "Сергеев", 'first_name': "Сергей",
                'patronymic': "Сергеевич"}])
    college.head = head
    college.head_position = "директор"
    college.licence_number = "Л035-01298-62/00123456"
    college.licence_date = dt.date(2016, 5, 20)
    college.save()
    del Employee
    return college


class DocumentsTestCase(_DBTestCase):
    "Printed documents of the student's card"
    module = 'copp_contingent'

    def setUp(self):
        super().setUp()

    def issue(self, students, date, purpose=None, button='issue_odt'):
        "Run the wizard of the print menu; return (certificates, action)"
        pool = Pool()
        Issue = pool.get('copp.student.certificate.issue', type='wizard')
        session_id, _, _ = Issue.create()
        with Transaction().set_context(active_model='copp.student',
                active_id=students[0].id,
                active_ids=[s.id for s in students]):
            start = Issue.execute(session_id, {}, 'start')
            defaults = start['view']['defaults']
            self.assertEqual(defaults['purpose'],
                "для предъявления по месту требования")
            result = Issue.execute(session_id, {'start': {
                        'date': date,
                        'purpose': purpose or defaults['purpose'],
                        'students': [s.id for s in students],
                        'certificates': [],
                        }}, button)
        Issue.delete(session_id)
        (action, data), = result['actions']
        Certificate = pool.get('copp.student.certificate')
        return Certificate.browse(data['ids']), action, data

    @with_transaction()
    def test_study_certificate(self):
        "Numbered per college and year; the college, the student, the order"
        pool = Pool()
        Report = pool.get('copp.student.certificate.report', type='report')
        college, (g1, g2, g3), (a1, a2, a3, a4, a5), o = history()
        requisites(college)
        with set_company(college):
            (first,), action, data = self.issue([a1], dt.date(2026, 2, 2))
            (second,), _, _ = self.issue([a5], dt.date(2026, 2, 3),
                purpose="для представления в военный комиссариат")
            (next_year,), _, _ = self.issue([a1], dt.date(2027, 1, 11))
        self.assertEqual((first.number, second.number, next_year.number),
            ('1', '2', '1'))
        self.assertEqual(first.student, a1)
        self.assertEqual(first.company, college)
        self.assertEqual(action['report_name'],
            'copp.student.certificate.report')
        with set_company(college):
            ext, content, _, name = Report.execute([first.id], data)
        self.assertEqual(ext, 'odt')
        keep('certificate.odt', content)
        text = odt_text(content)
        for expected in [
                "ОГБПОУ «Колледж А»", "390000, Рязань, ул. Ленина, 1",
                "+7 4912 00-00-01", "info@kolledzh-a.example",
                "Л035-01298-62/00123456", "20.05.2016",
                "СПРАВКА", "(с места учёбы)", "№ 1", "02.02.2026",
                "Антонова Анна Игоревна", "01.01.2008",
                "2 курса", "ИСП-21", "09.02.07",
                "Информационные системы и программирование",
                "приказом № 1-к от 25.08.2024 с 01.09.2024",
                "Номер зачётной книжки: 24-0001",
                "Справка выдана для предъявления по месту требования",
                "Планируемый год окончания обучения: 2028",
                "Директор", "С. С. Сергеев", "М. П."]:
            self.assertIn(expected, text)
        self.assertNotIn('&lt;', text)
        with set_company(college):
            text = odt_text(Report.execute([second.id], data)[1])
        self.assertIn("Дарьина Дарья Петровна", text)
        self.assertIn("Б-11", text)
        self.assertIn("для представления в военный комиссариат", text)
        # The numbers of one college, one year are unique.
        Certificate = pool.get('copp.student.certificate')
        self.assertEqual(Certificate.search_count([]), 3)

    @with_transaction()
    def test_study_certificate_only_for_students(self):
        "An expelled student gets no certificate (Russian error)"
        college, groups, (a1, a2, a3, a4, a5), o = history()
        Student = Pool().get('copp.student')
        # a4 was expelled (X1) and reinstated (V1): expel a student anew.
        applicant, = Student.create([{'company': college.id,
                    'last_name': "Новикова", 'first_name': "Нина",
                    'birth_date': dt.date(2009, 3, 3),
                    'funding': 'budget'}])
        with set_company(college), self.assertRaises(UserError):
            self.issue([applicant], dt.date(2026, 2, 2))

    @with_transaction()
    def test_registrar_prints_and_it_is_logged(self):
        """The registrar issues and prints through the access rights; the
        print of the student's data is in the register of personal data"""
        pool = Pool()
        Report = pool.get('copp.student.certificate.report', type='report')
        Card = pool.get('copp.student.card', type='report')
        Log = pool.get('copp.personal_data.log')
        ModelData = pool.get('ir.model.data')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        registrar = create_user('registrar', [college], ['group_registrar'])
        with Transaction().set_user(registrar.id), \
                Transaction().set_context(company=college.id):
            (certificate,), action, data = self.issue(
                [a3], dt.date(2026, 2, 2))
            with check_access():
                Report.execute([certificate.id], data)
                Card.execute([a3.id], {'model': 'copp.student',
                        'id': a3.id, 'ids': [a3.id],
                        'action_id': ModelData.get_id(
                            'copp_contingent', 'report_student_card')})
        logs = Log.search([('user', '=', registrar.id),
                ('resource', '=', str(a3))])
        self.assertTrue(logs)
        if 'action' in Log._fields:
            self.assertEqual({l.action for l in logs} & {'print'},
                {'print'})

    @with_transaction()
    def test_student_card(self):
        """The personal card: personal data, education, every movement
        order of the log, the legal representatives"""
        pool = Pool()
        Card = pool.get('copp.student.card', type='report')
        Student = pool.get('copp.student')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        requisites(college)
        Student.write([a2], {
                'snils': SNILS[0],
                'id_document_kind': 'passport_ru',
                'id_document_series': '6109', 'id_document_number': '123456',
                'id_document_issuer': "УМВД России по Рязанской области",
                'id_document_date': dt.date(2022, 1, 20),
                'id_document_issuer_code': '620-001',
                'registration_address': "г. Рязань, ул. Есенина, д. 5, кв. 7",
                'phone': '+7 910 000-00-02',
                'previous_school': "МБОУ «Школа № 1»",
                'previous_document_kind': 'basic_general',
                'previous_document_number': '06224000012345',
                'previous_graduation_year': 2024,
                'average_mark': Decimal('4.35'),
                'representatives': [('create', [{
                                'name': "Борисова Ольга Ивановна",
                                'relation': 'mother',
                                'phone': '+7 910 000-00-03',
                                'address': "г. Рязань, ул. Есенина, д. 5"}])],
                })
        with set_company(college):
            ext, content, _, _ = Card.execute([a2.id], {
                    'model': 'copp.student', 'id': a2.id, 'ids': [a2.id]})
        self.assertEqual(ext, 'odt')
        keep('student_card.odt', content)
        text = odt_text(content)
        for expected in [
                "ЛИЧНАЯ КАРТОЧКА СТУДЕНТА", "ОГБПОУ «Колледж А»",
                "Номер зачётной книжки: 24-0002",
                "Борисов", "Борис", "Олегович", "02.01.2008",
                "Российская Федерация", SNILS[0], "6109 № 123456",
                "УМВД России по Рязанской области, 20.01.2022",
                "620-001", "г. Рязань, ул. Есенина, д. 5, кв. 7",
                "МБОУ «Школа № 1»", "№ 06224000012345", "2024", "4,35",
                "09.02.07", "ИСП-21",
                # The movement log: enrolment, leave, return.
                "01.09.2024", "№ 1-к от 25.08.2024",
                "01.02.2025", "01.10.2025",
                "Борисова Ольга Ивановна", "+7 910 000-00-03"]:
            self.assertIn(expected, text)
        for key in ['E1', 'L1', 'R1']:
            self.assertIn(o[key].number, text)
        self.assertNotIn("01.03.2025", text)  # a4's expulsion
        # Two students: two cards in one document.
        with set_company(college):
            text = odt_text(Card.execute([a1.id, a5.id], {
                        'model': 'copp.student', 'id': a1.id,
                        'ids': [a1.id, a5.id]})[1])
        self.assertEqual(text.count("ЛИЧНАЯ КАРТОЧКА СТУДЕНТА"), 2)
        self.assertIn("Сведений о законных представителях нет", text)

    @NEEDS_SOFFICE
    @with_transaction()
    def test_pdf(self):
        "The PDF variants are converted by LibreOffice"
        pool = Pool()
        Report = pool.get('copp.student.certificate.report', type='report')
        Card = pool.get('copp.student.card', type='report')
        ModelData = pool.get('ir.model.data')
        college, groups, (a1, a2, a3, a4, a5), o = history()
        requisites(college)
        with set_company(college):
            (certificate,), action, data = self.issue(
                [a1], dt.date(2026, 2, 2), button='issue_pdf')
            ext, content, _, _ = Report.execute([certificate.id], data)
            self.assertEqual((ext, content[:5]), ('pdf', b'%PDF-'))
            ext, content, _, _ = Card.execute([a2.id], {
                    'model': 'copp.student', 'id': a2.id, 'ids': [a2.id],
                    'action_id': ModelData.get_id('copp_contingent',
                        'report_student_card_pdf')})
            self.assertEqual((ext, content[:5]), ('pdf', b'%PDF-'))
