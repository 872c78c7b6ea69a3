from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppContingentTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_contingent"
    module = 'copp_contingent'


del ModuleTestCase
