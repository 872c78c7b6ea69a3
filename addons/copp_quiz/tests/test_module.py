from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppQuizTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_quiz"
    module = 'copp_quiz'
    language = 'ru'

    @with_transaction()
    def test_sao_widgets(self):
        "Every field of the views has a widget of sao"
        check_sao_widgets(self, 'copp_quiz')


del ModuleTestCase
