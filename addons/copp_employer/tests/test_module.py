from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppEmployerTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_employer"
    module = 'copp_employer'
    # With the optional copp_contingent: its views and fields are checked
    # too (the database is shared with test_practice_contingent.py).
    extras = ['copp_contingent']
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The executor college of a training order is optional and the
        # orders are regional: colleges see theirs by a group rule.
        return super()._skip_company_rule | {
            ('copp.training.order', 'college')}

    @with_transaction()
    def test_sao_widgets(self):
        "The list and form views use only widgets sao knows"
        check_sao_widgets(self, 'copp_employer')


del ModuleTestCase
