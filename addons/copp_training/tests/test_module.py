from trytond.modules.company.tests import CompanyTestMixin
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets


class CoppTrainingTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the module copp_training"
    module = 'copp_training'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The executor college of an employer's training order (extended
        # here with its cohort) is optional: copp_employer's group rules.
        return super()._skip_company_rule | {
            ('copp.training.order', 'college')}

    @with_transaction()
    def test_sao_widgets(self):
        "The list and form views use only widgets sao knows"
        check_sao_widgets(self, 'copp_training')

    @with_transaction(context={'language': 'ru'})
    def test_russian(self):
        "Labels, states and messages in Russian (locale/ru.po)"
        from trytond.i18n import gettext
        from trytond.pool import Pool
        Cohort = Pool().get('copp.training.cohort')
        fields = Cohort.fields_get(['seats', 'state'])
        self.assertEqual(fields['seats']['string'], "Мест")
        self.assertIn(('open', "Набор открыт"), fields['state']['selection'])
        self.assertEqual(gettext('copp_training.msg_partner_line_snils',
                line=2), "Строка 2: неверный СНИЛС.")


del ModuleTestCase
