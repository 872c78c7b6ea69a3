from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppPortalTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_portal"
    module = 'copp_portal'
    language = 'ru'

    @with_transaction()
    def test_sao_widgets(self):
        "The list and form views use only widgets sao knows"
        check_sao_widgets(self, 'copp_portal')


del ModuleTestCase
