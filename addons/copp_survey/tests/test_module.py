from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppSurveyTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_survey"
    module = 'copp_survey'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # copp_event's venue host is not an owner (see copp_event tests).
        return super()._skip_company_rule | {
            ('copp.event', 'venue_company')}


del ModuleTestCase
