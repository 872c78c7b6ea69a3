from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppScormTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_scorm"
    module = 'copp_scorm'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The optional companies of the modules below (their own tests).
        return super()._skip_company_rule | {
            ('copp.training.order', 'college')}

    @with_transaction()
    def test_sao_widgets(self):
        "Every field of the views has a widget of sao"
        check_sao_widgets(self, 'copp_scorm')


del ModuleTestCase
