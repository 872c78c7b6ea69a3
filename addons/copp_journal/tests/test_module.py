from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase


class CoppJournalTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the journal module"
    module = 'copp_journal'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The lines of a curriculum follow their curriculum (__access__);
        # the region's rates have no college (they sum the user's colleges).
        return super()._skip_company_rule | {
            ('copp.journal.curriculum.line', 'company'),
            ('copp.journal.rate.region', 'company'),
            }


del ModuleTestCase
