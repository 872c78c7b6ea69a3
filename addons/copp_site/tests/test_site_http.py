"""The public site through real HTTP (werkzeug client on trytond.wsgi.app):
the home page, the catalogue with its filters, a programme page with its
cohorts, the news, the open data files and the methodology's rules on the
files served; output escaped, nothing unpublished reachable by its id."""
import datetime as dt
import random
from types import SimpleNamespace

from faker import Faker

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp_portal.tests.tools import PortalClient, PortalTestMixin, text
from copp_site.catalogue import MONTHS
from copp_site.tests.opendata_rules import check_opendata
from copp_training.tests.tools import (
    create_cohort, create_program, training_setup)

INN = '6231000009'
XSS = '<script>alert(1)</script>'


class SiteHTTPTestCase(PortalTestMixin, RouteTestCase):
    "The public site"
    module = 'copp_site'
    extras = ['copp_training']
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        News = pool.get('copp.news')
        Party = pool.get('party.party')
        Program = pool.get('copp.program')
        today = pool.get('ir.date').today()
        ns = training_setup(today)
        Party.write([ns.copp.party], {'inn': INN})
        with Transaction().set_context(company=ns.copp.id):
            hidden = create_program(ns.copp, name=f"Сварка {XSS}")
            Program.draft([hidden])
            Program.write([hidden], {'name': "Черновая программа"})
            xss = create_program(ns.copp, name=f"Робототехника {XSS}",
                kind='retraining', price='30000')
            create_cohort(xss, today + dt.timedelta(days=40),
                today + dt.timedelta(days=100), place=f"Корпус {XSS}")
            create_cohort(ns.program, today + dt.timedelta(days=3),
                today + dt.timedelta(days=20), state='draft',
                name="Черновой поток")
            employer, = pool.get('copp.employer').create([{
                        'name': "ООО «Станкозавод»", 'district': 'ryazan'}])
            create_cohort(ns.program, today + dt.timedelta(days=5),
                today + dt.timedelta(days=25), employer=employer.id,
                name="Корпоративный поток", place="Цех № 5 станкозавода")
            News.create([{
                        'title': f"Новость {XSS}", 'published': True,
                        'body': f"<p>Текст <b>жирный</b>{XSS}"
                        '<a href="javascript:alert(1)">ссылка</a></p>',
                        'date': today, 'company': ns.copp.id,
                        }, {
                        'title': "Неопубликованная новость",
                        'published': False, 'company': ns.copp.id,
                        'date': today,
                        }, {
                        'title': "Новость из будущего", 'published': True,
                        'company': ns.copp.id,
                        'date': today + dt.timedelta(days=5),
                        }])
        cls.program_id = ns.program.id
        cls.hidden_id = hidden.id
        cls.college_id = ns.college.id

    def ids(self, model, domain):
        with Transaction().start(DB_NAME, 0):
            Model = Pool().get(model)
            return [r.id for r in Model.search(domain)]

    def test_home(self):
        "The home page: the offer, the nearest cohorts, the news"
        html = text(PortalClient().get('/portal/'))
        self.assertIn("Аддитивные технологии", html)
        self.assertIn("Новость &lt;script&gt;", html)
        self.assertNotIn(XSS, html)
        self.assertNotIn("Черновой поток", html)
        self.assertNotIn("Цех № 5", html)
        self.assertNotIn("Неопубликованная", html)
        self.assertNotIn("Новость из будущего", html)

    def test_catalogue_filters(self):
        "Published programmes only, escaped; every filter narrows"
        client = PortalClient()
        response = client.get('/programs')
        self.assertEqual(response.status_code, 200)
        html = text(response)
        for name in ["Аддитивные технологии", "Сварщик ручной дуговой",
                "Робототехника &lt;script&gt;"]:
            self.assertIn(name, html)
        self.assertNotIn(XSS, html)
        self.assertNotIn("Черновая программа", html)

        html = text(client.get('/programs?kind=vocational'))
        self.assertIn("Сварщик ручной дуговой", html)
        self.assertNotIn("Аддитивные технологии", html)
        html = text(client.get('/programs?funding=federal'))
        self.assertIn("Сварщик ручной дуговой", html)
        self.assertNotIn("Робототехника", html)
        html = text(client.get('/programs?funding=paid&q=робот'))
        self.assertIn("Робототехника", html)
        self.assertNotIn("Аддитивные", html)
        html = text(client.get(f'/programs?college={self.college_id}'))
        self.assertIn("Сварщик ручной дуговой", html)
        self.assertNotIn("Робототехника", html)
        html = text(client.get('/programs?duration=over250'))
        self.assertNotIn("Аддитивные технологии", html)
        # Values that are not filters are ignored, never an error.
        for query in ['kind=%3Cscript%3E', 'college=-1', 'month=2026-13',
                'page=999999', 'q=' + 'я' * 500, "q=' OR 1=1 --",
                'q=%3Cscript%3Ealert(1)%3C/script%3E']:
            response = client.get('/programs?' + query)
            self.assertEqual(response.status_code, 200, query)
            self.assertNotIn(XSS, text(response))

    def test_catalogue_caches_cleared(self):
        "A cohort opened, then withdrawn, shows at once (caches cleared)"
        client = PortalClient()
        with Transaction().start(DB_NAME, 0):
            start = Pool().get('ir.date').today() + dt.timedelta(days=400)
        month = f'{MONTHS[start.month - 1]} {start.year}'
        self.assertNotIn(month, text(client.get('/programs')))
        with Transaction().start(DB_NAME, 0) as transaction:
            Program = Pool().get('copp.program')
            program = Program(self.program_id)
            with Transaction().set_context(company=program.company.id):
                cohort_id = create_cohort(program, start,
                    start + dt.timedelta(days=30)).id
            transaction.commit()
        self.assertIn(month, text(client.get('/programs')))
        self.assertIn(f'{start:%d.%m.%Y}',
            text(client.get(f'/programs/{self.program_id}')))
        with Transaction().start(DB_NAME, 0) as transaction:
            Cohort = Pool().get('copp.training.cohort')
            cohorts = Cohort.browse([cohort_id])
            Cohort.draft(cohorts)
            Cohort.delete(cohorts)
            transaction.commit()
        self.assertNotIn(month, text(client.get('/programs')))
        self.assertNotIn(f'{start:%d.%m.%Y}',
            text(client.get(f'/programs/{self.program_id}')))

    def test_program_page(self):
        "Modules with hours, open cohorts with free seats; drafts 404"
        client = PortalClient()
        html = text(client.get(f'/programs/{self.program_id}'))
        self.assertIn("Основы 3D-моделирования", html)
        self.assertIn("Практика печати", html)
        self.assertIn("Рязань, ул. Связи, 21", html)
        self.assertNotIn("Черновой поток", html)
        self.assertNotIn("Цех № 5", html)
        for path in [f'/programs/{self.hidden_id}', '/programs/0',
                '/programs/99999999', f'/programs/{2 ** 40}']:
            self.assertEqual(client.get(path).status_code, 404, path)

    def test_news(self):
        "Published news: the body cleaned, the others 404 by their id"
        client = PortalClient()
        html = text(client.get('/news'))
        self.assertIn("Новость &lt;script&gt;", html)
        self.assertNotIn("Неопубликованная", html)
        published, = self.ids('copp.news', [('title', 'like', 'Новость <%')])
        html = text(client.get(f'/news/{published}'))
        self.assertIn("<b>жирный</b>", html)
        self.assertNotIn(XSS, html)
        self.assertNotIn('javascript:', html)
        for news_id in self.ids('copp.news', [
                    ('title', 'in', ["Неопубликованная новость",
                            "Новость из будущего"])]):
            self.assertEqual(client.get(f'/news/{news_id}').status_code,
                404)
            self.assertEqual(
                client.get(f'/news/{news_id}/image').status_code, 404)

    def test_opendata_methodology(self):
        "Every file served follows the methodology 3.0 (integrations §5)"
        client = PortalClient()

        def get(path):
            response = client.get(path)
            return (response.status_code, response.content_type,
                response.get_data())
        self.assertEqual(client.get('/opendata/list.csv').status_code, 404)
        with Transaction().start(DB_NAME, 0):
            Pool().get('copp.opendata.file').regenerate()
        datasets = check_opendata(get, INN)
        cohorts = datasets[f'{INN}-cohorts']
        places = {r[cohorts['fields'].index('place')]
            for r in cohorts['rows']}
        self.assertIn("Рязань, ул. Связи, 21", places)
        self.assertNotIn("Цех № 5 станкозавода", places)
        programs = datasets[f'{INN}-programs']
        names = {r[programs['fields'].index('name')]
            for r in programs['rows']}
        self.assertTrue(names)
        self.assertNotIn("Черновая программа", names)
        # A path outside the patterns is a 404 before any query.
        for path in ['/opendata/../list.csv', f'/opendata/{INN}-programs/'
                'meta.txt', '/opendata/x/meta.csv',
                f'/opendata/{INN}-programs/data-1-structure-1.csv']:
            self.assertEqual(client.get(path).status_code, 404, path)
        self.assertEqual(client.get('/opendata/').status_code, 200)

    @with_transaction()
    def test_demo(self):
        "The demo: audiences, news, open data files with the cohorts"
        from copp_site.demo import populate
        from copp_training.demo import populate as populate_training
        pool = Pool()
        News = pool.get('copp.news')
        Program = pool.get('copp.program')
        File = pool.get('copp.opendata.file')
        counted = {}
        env = SimpleNamespace(pool=pool, random=random.Random(2),
            faker=Faker('ru_RU'), today=pool.get('ir.date').today(),
            scale='small', count=counted.__setitem__)
        populate_training(env)
        populate(env)
        self.assertEqual(counted["Новости сайта"], 5)
        self.assertEqual(News.search_count(News.public_domain()), 4 + 1)
        self.assertTrue(all(p.audience for p in Program.search([
                        ('state', '=', 'published')])))
        cohorts = File.search([('dataset', '=', f'{INN}-cohorts'),
                ('kind', '=', 'data')])
        self.assertEqual(len(cohorts), 1)
        self.assertGreaterEqual(bytes(cohorts[0].data).count(b'\n'),
            counted["Потоки программ ЦОПП"] // 2)


del RouteTestCase
