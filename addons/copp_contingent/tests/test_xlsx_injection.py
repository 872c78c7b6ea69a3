"""Formula injection through the contingent's xlsx export (issue 15 #7): a
college and a group named like formulas (an import of groups writes the
names as they are in the file) stay text."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from copp.tests.tools import create_college
from copp.tests.xlsx_tools import HOSTILE, check_text_cells

from .tools import create_applicants, create_group, order

D = dt.date


class ContingentXlsxInjectionTestCase(_DBTestCase):
    "Hostile names in the contingent's export"
    module = 'copp_contingent'

    @with_transaction()
    def test_export_keeps_text(self):
        "The names of the college and of the group stay text"
        from copp_contingent.contingent import export_xlsx
        Company = Pool().get('company.company')
        college = create_college("Колледж Ф", "КФ")
        group = create_group(college, HOSTILE[2], 2025)
        applicant, = create_applicants(college, ["Формулов Иван Иванович"])
        order(college, 'enrolment', D(2025, 9, 1), [
                {'student': applicant, 'to_group': group,
                    'to_funding': 'budget'}])
        Company.write([college], {'short_name': HOSTILE[1]})
        data = export_xlsx(D(2025, 10, 1), D(2025, 9, 1), college)
        check_text_cells(self, data, [HOSTILE[1]])
