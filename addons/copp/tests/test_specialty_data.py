"""Федеральный перечень профессий и специальностей СПО (specialty_data.xml)."""
import re
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction

CODE = re.compile(r'^\d{2}\.\d{2}\.\d{2}$')
GROUP_CODE = re.compile(r'^\d{2}\.00\.00$')
MIN_SPECIALTIES = 45


class SpecialtyDataTestCase(unittest.TestCase):
    "Данные модуля copp: профессии и специальности ФГОС СПО"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        activate_module('copp', lang='ru')

    def federal_list(self):
        Specialty = Pool().get('copp.specialty')
        return Specialty.search([
                ('company', '=', None),
                ('active', 'in', [True, False]),
                ])

    @with_transaction()
    def test_count(self):
        "В федеральном перечне не меньше 45 профессий и специальностей"
        specialties = self.federal_list()
        self.assertGreaterEqual(len(specialties), MIN_SPECIALTIES)
        codes = [s.code for s in specialties]
        self.assertEqual(len(codes), len(set(codes)), "duplicate codes")

    @with_transaction()
    def test_codes_and_groups(self):
        "Код NN.NN.NN, первые две цифры совпадают с кодом УГПС"
        for specialty in self.federal_list():
            with self.subTest(code=specialty.code):
                self.assertRegex(specialty.code, CODE)
                self.assertTrue(specialty.name)
                self.assertTrue(specialty.group, "no enlarged group")
                self.assertRegex(specialty.group.code, GROUP_CODE)
                self.assertTrue(specialty.group.name)
                self.assertEqual(
                    specialty.code[:2], specialty.group.code[:2])

    @with_transaction()
    def test_level(self):
        "Профессия - ровно те коды, где средняя часть 01"
        for specialty in self.federal_list():
            with self.subTest(code=specialty.code):
                expected = ('profession' if specialty.code.split('.')[1] == '01'
                    else 'specialty')
                self.assertEqual(specialty.level, expected)

    @with_transaction()
    def test_durations(self):
        "Очная форма на базе 9 и 11 классов задана у каждой записи"
        for specialty in self.federal_list():
            with self.subTest(code=specialty.code):
                full_time = {d.basis: d.months for d in specialty.durations
                    if d.study_form == 'full_time'}
                self.assertIn('9', full_time)
                self.assertIn('11', full_time)
                for months in full_time.values():
                    self.assertGreater(months, 0)
                # On the basis of 9 classes general education is added.
                self.assertGreaterEqual(full_time['9'], full_time['11'])

    @with_transaction()
    def test_qualifications(self):
        "У каждой записи есть хотя бы одна квалификация"
        for specialty in self.federal_list():
            with self.subTest(code=specialty.code):
                self.assertTrue(specialty.qualifications)
                for qualification in specialty.qualifications:
                    self.assertTrue(qualification.name)


if __name__ == '__main__':
    unittest.main()
