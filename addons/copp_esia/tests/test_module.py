from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppEsiaTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_esia"
    module = 'copp_esia'
    extras = ['copp_contingent', 'copp_event']
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # A conflict's college only decides which clerks see it (group
        # rules); the ЦОПП resolves those of several colleges.
        return super()._skip_company_rule | {
            ('copp.esia.conflict', 'company')}

    @with_transaction()
    def test_sao_widgets(self):
        "Every field of the views has a widget of sao"
        check_sao_widgets(self, 'copp_esia')


del ModuleTestCase
