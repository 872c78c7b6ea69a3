from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppEventTestCase(CompanyTestMixin, ModuleTestCase):
    "Generic checks of the module copp_event"
    module = 'copp_event'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The host of the venue is not the owner: the organizer (company)
        # carries the rules.
        return super()._skip_company_rule | {
            ('copp.event', 'venue_company')}


del ModuleTestCase
