from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppGraduationTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_graduation"
    module = 'copp_graduation'
    language = 'ru'


del ModuleTestCase
