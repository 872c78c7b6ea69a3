"""Generic checks of copp_site and its models' behaviour without HTTP:
news (image and summary checks, the public domain), the sanitizer, the
catalogue's filters, the open data generator's versions."""
from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppSiteTestCase(CompanyTestMixin, ModuleTestCase):
    "Test copp_site"
    module = 'copp_site'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # Published news are read by everybody: the read rule is
        # «published, or of the user's companies» (news.xml).
        return super()._skip_company_rule | {('copp.news', 'company')}

    @with_transaction()
    def test_sao_widgets(self):
        "The list and form views use only widgets sao knows"
        check_sao_widgets(self, 'copp_site')


del ModuleTestCase
