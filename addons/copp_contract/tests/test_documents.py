"""The printed contract: the college's bank (treasury) details and address,
the payer's requisites — a person's passport and address, an
organization's ИНН/КПП/ОГРН and address — and the student's; ODT, and PDF
where LibreOffice is installed. The bank details are checked when they are
typed (БИК, the control key of the accounts)."""
import datetime as dt
import io
import os
import re
import shutil
import unittest
import zipfile

from trytond.model.exceptions import ValidationError
from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from copp.bank import account_valid, with_key

from .tools import create_contract, create_student

SOFFICE = shutil.which('soffice')
TREASURY = {
    'bank_name': "ОТДЕЛЕНИЕ РЯЗАНЬ БАНКА РОССИИ//УФК по Рязанской области "
    "г. Рязань",
    'bank_bic': '016126031',
    'bank_correspondent_account': '40102810345370000051',
    'bank_account': with_key('03224643610000005900', '016126031'),
    'bank_personal_account': '20596Ц73410',
    'oktmo': '61701000',
    }


def odt_text(content):
    with zipfile.ZipFile(io.BytesIO(content)) as odt:
        xml = odt.read('content.xml').decode('utf-8')
    text = re.sub(r'<[^>]+>', ' ', xml.replace('<text:tab/>', ' '))
    for entity, char in [('&quot;', '"'), ('&apos;', "'"), ('&lt;', '<'),
            ('&gt;', '>'), ('&amp;', '&')]:
        text = text.replace(entity, char)
    return re.sub(r'\s+', ' ', text)


def college_with_requisites():
    pool = Pool()
    Party = pool.get('party.party')
    from copp.tests.tools import create_college
    college = create_college("Колледж", "К")
    Party.write([college.party], {
            'name': "ОГБПОУ «Рязанский колледж электроники»",
            'addresses': [('create', [{'street': "ул. Островского, 33",
                            'city': "Рязань", 'postal_code': '390048'}])],
            })
    head, = Party.create([{'name': "Сергеев Сергей Сергеевич",
                'last_name': "Сергеев", 'first_name': "Сергей",
                'patronymic': "Сергеевич"}])
    for key, value in dict(TREASURY, head=head.id,
            head_position="директор",
            licence_number="Л035-01298-62/00123456",
            licence_date=dt.date(2016, 5, 20)).items():
        setattr(college, key, value)
    college.save()
    return college


class ContractDocumentTestCase(CompanyTestMixin, _DBTestCase):
    "The printed contract"
    module = 'copp_contract'

    def render(self, contract, action='report_contract'):
        pool = Pool()
        Report = pool.get('copp.contract.report', type='report')
        ModelData = pool.get('ir.model.data')
        ext, content, _, _ = Report.execute([contract.id], {
                'model': 'copp.contract', 'id': contract.id,
                'ids': [contract.id],
                'action_id': ModelData.get_id('copp_contract', action)})
        if ext == 'odt' and os.environ.get('COPP_DOCS_DIR'):
            os.makedirs(os.environ['COPP_DOCS_DIR'], exist_ok=True)
            path = os.path.join(os.environ['COPP_DOCS_DIR'],
                f'contract-{contract.payer_kind}.odt')
            with open(path, 'wb') as fp:
                fp.write(content)
        return ext, content

    @with_transaction()
    def test_contract_parties_and_bank_details(self):
        pool = Pool()
        Student = pool.get('copp.student')
        Party = pool.get('party.party')
        Representative = pool.get('copp.student.representative')
        college = college_with_requisites()
        student = create_student(college, "Иванов", "Иван", "Иванович")
        Student.write([student], {
                'id_document_kind': 'passport_ru',
                'id_document_series': '6121', 'id_document_number': '654321',
                'id_document_issuer': "УМВД России по Рязанской области",
                'id_document_date': dt.date(2021, 6, 1),
                'id_document_issuer_code': '620-002',
                'registration_address': "г. Рязань, ул. Полевая, д. 3",
                'phone': '+7 910 111-22-33'})

        # The student pays: two parties, the student's passport.
        contract = create_contract(college, student, '45000')
        ext, content = self.render(contract)
        self.assertEqual(ext, 'odt')
        text = odt_text(content)
        for expected in [
                "ДОГОВОР № " + contract.number,
                "об оказании платных образовательных услуг",
                "ОГБПОУ «Рязанский колледж электроники»",
                "лицензии на осуществление образовательной деятельности "
                "№ Л035-01298-62/00123456 от 20.05.2016",
                "директор Сергеев Сергей Сергеевич",
                "являющийся одновременно Заказчиком и Обучающимся",
                "Адрес: 390048, Рязань, ул. Островского, 33",
                "Банк: ОТДЕЛЕНИЕ РЯЗАНЬ БАНКА РОССИИ//УФК по Рязанской "
                "области г. Рязань",
                "БИК 016126031", "Счёт " + TREASURY['bank_account'],
                "Корр. счёт (ЕКС) 40102810345370000051",
                "Лицевой счёт 20596Ц73410", "ОКТМО 61701000",
                "Заказчик и Обучающийся", "Иванов Иван Иванович",
                "Дата рождения: 17.05.2007", "Паспорт: 6121 № 654321",
                "УМВД России по Рязанской области, 01.06.2021, код "
                "подразделения 620-002",
                "Адрес регистрации: г. Рязань, ул. Полевая, д. 3",
                "сорок пять тысяч рублей 00 копеек",
                "С. С. Сергеев", "И. И. Иванов", "М. П."]:
            self.assertIn(expected, text)
        self.assertNotIn("(далее — Заказчик)", text)

        # A parent pays: three parties, the parent's address, blanks for
        # the passport the file does not hold.
        mother, = Representative.create([{'student': student.id,
                    'name': "Иванова Мария Петровна", 'relation': 'mother',
                    'address': "г. Рязань, ул. Полевая, д. 3, кв. 1",
                    'phone': '+7 910 444-55-66'}])
        contract = create_contract(college, student, '30000',
            payer_kind='representative', representative=mother.id)
        text = odt_text(self.render(contract)[1])
        for expected in [
                "Иванова Мария Петровна (далее — Заказчик)",
                "Иванов Иван Иванович (далее — Обучающийся)",
                "Исполнитель Заказчик Обучающийся",
                "Адрес: г. Рязань, ул. Полевая, д. 3, кв. 1",
                "Паспорт: серия ______ № __________",
                "+7 910 444-55-66", "Паспорт: 6121 № 654321"]:
            self.assertIn(expected, text)

        # An organization pays: its requisites.
        company, = Party.create([{'name': "ООО «Технопарк»",
                    'addresses': [('create', [{'street': "ул. Высоковольтная, 9",
                                    'city': "Рязань",
                                    'postal_code': '390023'}])]}])
        company.inn = '7707083893'
        company.kpp = '773601001'
        company.ogrn = '1027700132195'
        company.save()
        contract = create_contract(college, student, '60000',
            payer_kind='organization', payer=company.id)
        text = odt_text(self.render(contract)[1])
        for expected in ["ООО «Технопарк» (далее — Заказчик)",
                "ИНН 7707083893, КПП 773601001", "ОГРН 1027700132195",
                "Адрес: 390023, Рязань, ул. Высоковольтная, 9"]:
            self.assertIn(expected, text)

    @unittest.skipUnless(SOFFICE, "LibreOffice (soffice) is not installed: "
        "the PDF variant falls back to ODT; install libreoffice-writer-nogui "
        "to test the conversion")
    @with_transaction()
    def test_contract_pdf(self):
        college = college_with_requisites()
        student = create_student(college, "Петров", "Пётр")
        contract = create_contract(college, student, '45000')
        ext, content = self.render(contract, 'report_contract_pdf')
        self.assertEqual((ext, content[:5]), ('pdf', b'%PDF-'))

    @with_transaction()
    def test_bank_details_checked(self):
        "A wrong БИК, account or ОКТМО is refused with a Russian message"
        college = college_with_requisites()
        self.assertTrue(account_valid(TREASURY['bank_account'],
                TREASURY['bank_bic']))
        self.assertTrue(account_valid('30101810400000000225', '044525225',
                correspondent=True))  # Сбербанк, Москва
        for values in [{'bank_bic': '16126031'},
                # One digit changed: the control key does not match.
                {'bank_account': TREASURY['bank_account'][:-1] + '1'},
                {'bank_correspondent_account': '40102810345370000052'},
                {'bank_account': '0322464361000000590'},
                {'oktmo': '6170100'}]:
            with self.subTest(values=values):
                for key, value in values.items():
                    setattr(college, key, value)
                with self.assertRaises(ValidationError):
                    college.save()
                for key in values:
                    setattr(college, key, TREASURY.get(key))
        college.save()
