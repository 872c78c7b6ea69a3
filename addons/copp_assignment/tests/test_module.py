from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppAssignmentTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_assignment"
    module = 'copp_assignment'
    language = 'ru'


del ModuleTestCase
