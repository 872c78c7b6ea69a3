"""Generic checks of copp_site and its models' behaviour without HTTP:
news (image and summary checks, the public domain), the sanitizer, the
catalogue's filters, the open data generator's versions."""
import datetime as dt

from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from copp_portal.tests.tools import check_sao_widgets
from copp_site.exceptions import NewsValidationError


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

    @with_transaction()
    def test_news_text_lengths(self):
        "A title, picture description or summary too long is refused"
        News = Pool().get('copp.news')
        company = create_company()
        with set_company(company):
            news, = News.create([{'title': "Т" * 200,
                        'date': dt.date(2026, 3, 2), 'company': company.id,
                        'image_alt': "б" * 250, 'summary': "а" * 400}])
            for name, label, size in [('title', "Заголовок", 201),
                    ('image_alt', "Описание изображения", 251),
                    ('summary', "Анонс", 401)]:
                with self.subTest(field=name):
                    with self.assertRaises(NewsValidationError) as raised:
                        News.write([news], {name: "я" * size})
                    self.assertIn(str(size), raised.exception.message)
                    self.assertIn(label, raised.exception.message)


del ModuleTestCase
