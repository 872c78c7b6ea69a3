"""Formula injection through the graduation exports (issue 15 #7): the
ФИС ФРДО file and the employment report keep formula-looking names (of
graduates imported from files, of colleges and groups) as text."""
import datetime as dt
import unittest

from copp.tests.xlsx_tools import HOSTILE, check_text_cells
from copp_graduation.employment_export import employment_xlsx
from copp_graduation.frdo import frdo_row, frdo_xlsx


class GraduationXlsxInjectionTestCase(unittest.TestCase):
    "Hostile names in the graduation exports"

    def test_frdo_keeps_text(self):
        "A graduate's name and a program named like formulas"
        row = frdo_row({
                'kind': 'diploma', 'status': 'original', 'honours': False,
                'series': None, 'number': '0000001',
                'issue_date': dt.date(2023, 6, 30),
                'registration_number': '2023-0001',
                'specialty_code': '09.02.07',
                'specialty_name': "Информационные системы",
                'qualification': "Программист", 'admission_year': 2019,
                'program_name': HOSTILE[3],
                'graduation_year': 2023, 'duration_years': 3.83,
                'last_name': HOSTILE[0], 'first_name': HOSTILE[1],
                'patronymic': HOSTILE[4], 'birth_date': dt.date(2003, 1, 1),
                'gender': 'male', 'snils': '945-807-302 33',
                'citizenship': '643', 'study_form': 'full_time',
                'funding': 'budget', 'targeted': False,
                })
        check_text_cells(self, frdo_xlsx([row]),
            [HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[4]])

    def test_employment_keeps_text(self):
        "Colleges and groups named like formulas"
        data = employment_xlsx([(HOSTILE[0], "09.02.07", HOSTILE[2], {
                        'graduates': 4, 'employed': 2, 'by_specialty': 1,
                        'self_employed': 0, 'study': 0, 'army': 1,
                        'maternity': 0, 'unemployed': 1}),
                (HOSTILE[1], "09.02.07", "ИСП", {
                        'graduates': 1, 'employed': 1, 'by_specialty': 1,
                        'self_employed': 0, 'study': 0, 'army': 0,
                        'maternity': 0, 'unemployed': 0})],
            "Трудоустройство выпускников 2026 года")
        check_text_cells(self, data, [HOSTILE[0], HOSTILE[1], HOSTILE[2]])
