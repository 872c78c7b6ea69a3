"""The partner portal and the public vacancies through real HTTP
(werkzeug test client on trytond.wsgi.app; see copp_portal/tests/tools.py):
ownership (no IDOR, on GET and POST), CSRF, escaping, vacancies and
training orders, the stage the employer follows."""
import datetime as dt
import re

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp.tests.tools import create_college, create_user

from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_link,
    run_queue, text)

from .tools import (
    INNS, create_agreement, create_employer, create_order,
    create_practice_place, create_vacancy, specialty)

PASSWORD = 'Partner-2026-pass'


class PartnerPortalTestCase(PortalTestMixin, RouteTestCase):
    "The partner portal and /vacancies through HTTP"
    module = 'copp_employer'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        pool = Pool()
        Program = pool.get('copp.program')
        college = create_college("Рязанский колледж электроники", "РКЭ")
        copp_center = create_college("ЦОПП Рязанской области", "ЦОПП",
            kind='copp')
        create_user('copp1', [copp_center, college], ['group_copp'],
            employer=copp_center)
        alfa = create_employer("ООО «Альфа-Металл»", inn=INNS[0],
            okved='25.62', district='ryazan', phone='+7 4912 000001')
        beta = create_employer("АО «Бета-Агро»", inn=INNS[1],
            okved='01.11', district='shilovsky')
        create_portal_user('anna@alfa.example', "Анна Смирнова", alfa.party,
            PASSWORD)
        create_portal_user('boris@beta.example', "Борис Петров", beta.party,
            PASSWORD)
        create_portal_user('nobody@org.example', "Без работодателя", None,
            PASSWORD)
        create_agreement(college, alfa, 'РКЭ-15/2026')
        create_agreement(college, beta, 'РКЭ-16/2026')
        create_practice_place(college, alfa,
            students=["Иванов Иван Иванович", "Петрова Мария Сергеевна"])
        create_practice_place(college, beta, students=["Сидоров Семён"])
        create_vacancy(alfa, "Оператор станков с ЧПУ", publish=True,
            specialty=specialty('15.02.16').id)
        create_vacancy(beta, "Тракторист-машинист", publish=True,
            district='shilovsky', salary_from=30000, salary_to=35000)
        create_vacancy(beta, "Агроном (черновик)")
        create_order(beta, quantity=7)
        Program.create([{'name': "Сварщик ручной дуговой сварки",
                    'kind': 'vocational', 'hours': 256, 'format': 'onsite',
                    'free': True, 'company': copp_center.id,
                    'state': 'published'}])

    def record(self, model, domain):
        records = Pool().get(model).search(domain)
        self.assertEqual(len(records), 1, (model, domain))
        return records[0]

    def ids(self):
        "Ids of Beta's records (the other organization for Anna)"
        with Transaction().start(DB_NAME, 0):
            beta = self.record('copp.employer', [('inn', '=', INNS[1])])
            return {
                'vacancy': self.record('copp.vacancy', [
                        ('employer', '=', beta.id),
                        ('state', '=', 'published')]).id,
                'draft': self.record('copp.vacancy', [
                        ('employer', '=', beta.id),
                        ('state', '=', 'draft')]).id,
                'order': self.record('copp.training.order', [
                        ('employer', '=', beta.id)]).id,
                'place': self.record('copp.employer.practice_place', [
                        ('employer', '=', beta.id)]).id,
                'agreement': self.record('copp.employer.agreement', [
                        ('employer', '=', beta.id)]).id,
                }

    def anna(self):
        client = PortalClient()
        client.login('anna@alfa.example', PASSWORD)
        return client

    # Ownership ---------------------------------------------------------
    def test_other_organization_answers_404(self):
        "Another organization's records answer 404 on GET and POST"
        ids = self.ids()
        with Transaction().start(DB_NAME, 0):
            Contact = Pool().get('copp.employer.contact')
            beta = self.record('copp.employer', [('inn', '=', INNS[1])])
            contact, = Contact.create([{'employer': beta.id,
                        'name': "Контакт Беты"}])
            ids['contact'] = contact.id
        client = self.anna()
        for url in [
                f"/partner/vacancies/{ids['vacancy']}",
                f"/partner/vacancies/{ids['draft']}",
                f"/partner/vacancies/{ids['vacancy']}/edit",
                f"/partner/orders/{ids['order']}",
                f"/partner/orders/{ids['order']}/edit",
                f"/partner/practice/{ids['place']}",
                f"/partner/agreements/{ids['agreement']}",
                f"/partner/organization/contacts/{ids['contact']}",
                ]:
            response = client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("Страница не найдена", text(response))
            self.assertNotIn("Бета", text(response), url)
        for url, data in [
                (f"/partner/vacancies/{ids['draft']}/publish", {}),
                (f"/partner/vacancies/{ids['vacancy']}/close", {}),
                (f"/partner/vacancies/{ids['vacancy']}/draft", {}),
                (f"/partner/vacancies/{ids['vacancy']}/edit",
                    {'position': "Взлом", 'requirements': "x",
                        'district': 'ryazan', 'employment': 'full',
                        'schedule': 'full_day', 'experience': 'none',
                        'quantity': '1'}),
                (f"/partner/orders/{ids['order']}/edit",
                    {'quantity': '1', 'deadline': '2030-01-01',
                        'specialty': ''}),
                (f"/partner/organization/contacts/{ids['contact']}",
                    {'name': "Взлом"}),
                (f"/partner/organization/contacts/{ids['contact']}/delete",
                    {}),
                ]:
            response = client.post(url, data, csrf_from='/partner/')
            self.assertEqual(response.status_code, 404, url)
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Vacancy = pool.get('copp.vacancy')
            Order = pool.get('copp.training.order')
            Contact = pool.get('copp.employer.contact')
            self.assertEqual(Vacancy(ids['vacancy']).state, 'published')
            self.assertEqual(Vacancy(ids['vacancy']).position,
                "Тракторист-машинист")
            self.assertEqual(Vacancy(ids['draft']).state, 'draft')
            self.assertEqual(Order(ids['order']).quantity, 7)
            self.assertEqual(Contact(ids['contact']).name, "Контакт Беты")

    def test_lists_show_own_records_only(self):
        client = self.anna()
        for url, own, foreign in [
                ('/partner/vacancies', "Оператор станков", "Тракторист"),
                ('/partner/practice', "РКЭ", None),
                ('/partner/agreements', "РКЭ-15/2026", "РКЭ-16/2026"),
                ('/partner/orders', None, "ЗП-"),
                ]:
            html = text(client.get(url))
            if own:
                self.assertIn(own, html, url)
            if foreign:
                self.assertNotIn(foreign, html, url)

    def test_practice_students(self):
        "The employer sees its practice places and the students placed"
        client = self.anna()
        html = text(client.get('/partner/practice'))
        place_id = re.search(r'href="/partner/practice/(\d+)"', html).group(1)
        html = text(client.get(f'/partner/practice/{place_id}'))
        self.assertIn("Иванов Иван Иванович", html)
        self.assertIn("Петрова Мария Сергеевна", html)
        self.assertIn("ИСП-21", html)
        self.assertNotIn("Сидоров", html)

    def test_user_without_employer(self):
        client = PortalClient()
        client.login('nobody@org.example', PASSWORD)
        response = client.get('/partner/')
        self.assertEqual(response.status_code, 403)
        self.assertIn("не привязана к работодателю", text(response))

    def test_anonymous_redirected_to_login(self):
        response = PortalClient().get('/partner/vacancies?state=draft')
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers['Location'],
            '/partner/login?next=%2Fpartner%2Fvacancies%3Fstate%3Ddraft')
        response = PortalClient().post('/partner/vacancies/new', {},
            csrf_from='/partner/login')
        self.assertEqual(response.status_code, 403)

    # Vacancies ---------------------------------------------------------
    def test_create_and_publish_vacancy(self):
        "An employer creates a vacancy, publishes it, it is public"
        client = self.anna()
        response = client.get('/partner/vacancies/new')
        self.assertEqual(response.status_code, 200)
        self.assertIn('<option value="ryazan" selected>', text(response))
        response = client.post('/partner/vacancies/new', {
                'position': "Наладчик станков с ЧПУ",
                'specialty': str(self.specialty_id()),
                'employment': 'full', 'schedule': 'shift',
                'experience': 'none', 'salary_from': '55 000',
                'salary_to': '70000', 'quantity': '2', 'district': 'ryazan',
                'for_students': '1', 'requirements': "СПО по профилю",
                'action': 'draft'})
        self.assertEqual(response.status_code, 303, text(response)[:3000])
        url = response.headers['Location']
        html = text(client.get(url))
        self.assertIn("Вакансия сохранена", html)
        self.assertIn("Черновик", html)
        vacancy_id = int(url.rsplit('/', 1)[1])
        self.assertEqual(PortalClient().get(
                f'/vacancies/{vacancy_id}').status_code, 404)

        response = client.post(f'{url}/publish', {}, csrf_from=url)
        self.assertEqual(response.status_code, 303)
        html = text(client.get(url))
        self.assertIn("Вакансия опубликована", html)
        self.assertIn("Опубликована", html)
        public = text(PortalClient().get('/vacancies?q=Наладчик'))
        self.assertIn("Наладчик станков с ЧПУ", public)
        self.assertIn("от 55\u00a0000\u00a0₽ до 70\u00a0000\u00a0₽", public)
        response = PortalClient().get(f'/vacancies/{vacancy_id}')
        self.assertEqual(response.status_code, 200)
        self.assertIn("ООО «Альфа-Металл»", text(response))

        # Closing removes it from the public list.
        client.post(f'{url}/close', {}, csrf_from=url)
        self.assertNotIn("Наладчик станков с ЧПУ</a>",
            text(PortalClient().get('/vacancies?q=Наладчик')))
        with Transaction().start(DB_NAME, 0):
            Event = Pool().get('copp.security.event')
            events = Event.search([
                    ('record', '=', f'copp.vacancy,{vacancy_id}')])
            self.assertEqual({e.kind for e in events},
                {'record_created', 'state_changed'})

    def specialty_id(self):
        with Transaction().start(DB_NAME, 0):
            return specialty().id

    def test_vacancy_form_errors(self):
        "Russian errors next to the fields; nothing is saved"
        client = self.anna()
        response = client.post('/partner/vacancies/new', {
                'position': '', 'employment': 'full', 'schedule': 'full_day',
                'experience': 'none', 'salary_from': '90000',
                'salary_to': '50000', 'quantity': '0',
                'district': 'atlantis', 'requirements': '',
                'valid_until': '01.01.2020', 'action': 'publish'})
        self.assertEqual(response.status_code, 422)
        html = text(response)
        for field, message in [
                ('position', "Заполните это поле"),
                ('requirements', "Заполните это поле"),
                ('salary_to', "Зарплата «до» не может быть меньше"),
                ('quantity', "не меньше 1"),
                ('district', "Выберите значение из списка"),
                ('valid_until', "Дата не может быть раньше"),
                ]:
            self.assertRegex(html, r'id="f-%s-error"><span class="visually-'
                r'hidden">Ошибка: </span>[^<]*%s' % (field, re.escape(
                        message)), field)
            self.assertRegex(html, r'<(input|select|textarea) id="f-%s"[^>]*'
                r'aria-invalid="true"' % field, field)
        self.assertIn('value="90000"', html)  # the typed values are kept

    def test_script_in_vacancy_escaped(self):
        "A position with <script> is shown escaped, in the cabinet and "
        "on the public pages"
        evil = '<script>alert(1)</script>Сварщик'
        client = self.anna()
        response = client.post('/partner/vacancies/new', {
                'position': evil, 'employment': 'full',
                'schedule': 'full_day', 'experience': 'none',
                'quantity': '1', 'district': 'ryazan',
                'requirements': '<img src=x onerror=alert(2)>',
                'action': 'publish'})
        self.assertEqual(response.status_code, 303)
        url = response.headers['Location']
        vacancy_id = url.rsplit('/', 1)[1]
        for page in [text(client.get(url)),
                text(PortalClient().get('/vacancies')),
                text(PortalClient().get(f'/vacancies/{vacancy_id}'))]:
            self.assertNotIn('<script>alert', page)
            self.assertNotIn('<img src=x', page)
            self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;Сварщик',
                page)

    def test_publish_needs_csrf(self):
        client = self.anna()
        response = client.post('/partner/vacancies/new', {
                'position': "Электромонтажник", 'employment': 'full',
                'schedule': 'full_day', 'experience': 'none',
                'quantity': '1', 'district': 'ryazan',
                'requirements': "Допуск по электробезопасности",
                'action': 'draft'})
        url = response.headers['Location']
        response = client.post(f'{url}/publish', {}, csrf=False)
        self.assertEqual(response.status_code, 403)
        self.assertIn("Черновик", text(client.get(url)))

    # Training orders ---------------------------------------------------
    def test_training_order_follow_stage(self):
        "The employer orders training; the ЦОПП accepts; the employer sees"
        client = self.anna()
        response = client.post('/partner/orders/new', {
                'specialty': str(self.specialty_id()), 'quantity': '15',
                'deadline': (dt.date.today() + dt.timedelta(days=200)
                    ).isoformat(),
                'comment': "Нужны программисты станков"})
        self.assertEqual(response.status_code, 303, text(response)[:3000])
        url = response.headers['Location']
        html = text(client.get(url))
        self.assertIn("отправлен в ЦОПП", html)
        self.assertRegex(html, r'<li class="current" aria-current="step">'
            r'Новый</li>')
        self.assertIn("Анна Смирнова", html)  # who created it
        order_id = int(url.rsplit('/', 1)[1])

        # The ЦОПП specialist moves it in the back office.
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Order = pool.get('copp.training.order')
            User = pool.get('res.user')
            specialist, = User.search([('login', '=', 'copp1')])
            with Transaction().set_user(specialist.id):
                order = Order(order_id)
                Order.review([order])
                Order.accept([order])
                number = order.number
        run_queue()
        html = text(client.get(url))
        self.assertRegex(html, r'<li class="current" aria-current="step">'
            r'Принят</li>')
        self.assertRegex(html, r'<li class="done">Новый')
        self.assertIn("На рассмотрении", html)
        self.assertIn("copp1", html)
        # Editing is over once the order is in work.
        response = client.get(f'{url}/edit')
        self.assertEqual(response.status_code, 303)
        # The employer's user was told by e-mail.
        messages = self.smtp.wait(2)
        subjects = [m['Subject'] for _, _, m in messages]
        self.assertIn(f"Заказ на подготовку {number}: Принят",
            subjects)
        self.assertEqual(message_link(messages[-1][2], '/partner/orders/'),
            url)

    def test_training_order_form_errors(self):
        client = self.anna()
        response = client.post('/partner/orders/new', {
                'specialty': '', 'program': '', 'quantity': 'много',
                'deadline': '2001-01-01'})
        self.assertEqual(response.status_code, 422)
        html = text(response)
        self.assertIn("Выберите специальность (профессию) или программу",
            html)
        self.assertIn("Введите целое число", html)
        self.assertIn("Дата не может быть раньше", html)

    def test_training_order_by_program_and_edit(self):
        client = self.anna()
        html = text(client.get('/partner/orders/new'))
        program_id = re.search(r'<option value="(\d+)">Сварщик ручной',
            html).group(1)
        response = client.post('/partner/orders/new', {
                'program': program_id, 'quantity': '3',
                'deadline': (dt.date.today() + dt.timedelta(days=90)
                    ).isoformat()})
        url = response.headers['Location']
        response = client.post(f'{url}/edit', {
                'program': program_id, 'quantity': '4',
                'deadline': (dt.date.today() + dt.timedelta(days=90)
                    ).isoformat()})
        self.assertEqual(response.status_code, 303)
        html = text(client.get(url))
        self.assertIn("Сварщик ручной дуговой сварки", html)
        self.assertIn("<dd>4</dd>", html)

    # Organization ------------------------------------------------------
    def test_organization_profile_and_contacts(self):
        client = self.anna()
        html = text(client.get('/partner/organization'))
        self.assertIn(INNS[0], html.replace(' ', ''))
        response = client.post('/partner/organization', {
                'name': "ООО «Альфа-Металл»", 'okved': '25.621',
                'district': 'ryazan'})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Введите код ОКВЭД", text(response))
        response = client.post('/partner/organization', {
                'name': "ООО «Альфа-Металл»", 'okved': '25.62',
                'district': 'ryazan', 'employees': '120', 'size': 'medium',
                'city': "Рязань", 'street': "ул. Промышленная, 5",
                'postal_code': '390000', 'phone': '+7 4912 555555',
                'email': 'info@alfa.example', 'website': 'alfa.example',
                'description': "Металлообработка"})
        self.assertEqual(response.status_code, 303)
        response = client.post('/partner/organization/contacts/new', {
                'name': "Кадровик Ольга", 'position': "HR",
                'phone': '+7 900 000 00 00', 'email': 'hr@alfa.example',
                'main': '1'}, csrf_from='/partner/organization')
        self.assertEqual(response.status_code, 303)
        html = text(client.get('/partner/organization'))
        self.assertIn("Кадровик Ольга", html)
        with Transaction().start(DB_NAME, 0):
            alfa = self.record('copp.employer', [('inn', '=', INNS[0])])
            self.assertEqual(alfa.party.email, 'info@alfa.example')
            self.assertEqual(alfa.city, "Рязань")
            self.assertEqual(alfa.employees, 120)
            self.assertEqual(alfa.industry, 'C')
            contact, = alfa.contacts
            self.assertTrue(contact.main)
            contact_id = contact.id
        response = client.post(
            f'/partner/organization/contacts/{contact_id}/delete', {},
            csrf_from='/partner/organization')
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("Кадровик Ольга",
            text(client.get('/partner/organization')))

    def test_dashboard(self):
        html = text(self.anna().get('/partner/'))
        self.assertIn("ООО «Альфа-Металл»", html)
        self.assertIn('aria-current="page">Главная', html)
        self.assertIn("на практике", html)

    # Public vacancies --------------------------------------------------
    def test_public_vacancies_filters(self):
        "Published vacancies only, with filters by salary, district…"
        client = PortalClient()
        html = text(client.get('/vacancies'))
        self.assertIn("Оператор станков с ЧПУ", html)
        self.assertIn("Тракторист-машинист", html)
        self.assertNotIn("Агроном", html)
        html = text(client.get('/vacancies?district=shilovsky'))
        self.assertIn("Тракторист-машинист", html)
        self.assertNotIn("Оператор станков с ЧПУ", html)
        html = text(client.get('/vacancies?salary=50000'))
        self.assertIn("Оператор станков с ЧПУ", html)
        self.assertNotIn("Тракторист-машинист", html)
        html = text(client.get(
            '/vacancies?district=<script>&salary=abc&page=x&specialty=-1'))
        self.assertNotIn('<script>', html)
        self.assertIn("Тракторист-машинист", html)
        html = text(client.get('/vacancies?q=%25'))
        self.assertIn("Вакансий по этим условиям нет", html)
        ids = self.ids()
        self.assertEqual(client.get(f"/vacancies/{ids['draft']}").status_code,
            404)
        response = client.get(f"/vacancies/{ids['vacancy']}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("АО «Бета-Агро»", text(response))
        self.assertIn("Шиловский район", text(response))

    def test_public_vacancies_pagination(self):
        with Transaction().start(DB_NAME, 0):
            Vacancy = Pool().get('copp.vacancy')
            beta = self.record('copp.employer', [('inn', '=', INNS[1])])
            vacancies = Vacancy.create([{'employer': beta.id,
                        'position': f"Разнорабочий № {i}",
                        'requirements': "—", 'district': 'pronsky'}
                    for i in range(45)])
            Vacancy.publish(vacancies)
        client = PortalClient()
        html = text(client.get('/vacancies?district=pronsky'))
        self.assertIn("45 вакансий", html)
        self.assertIn('href="/vacancies?district=pronsky&amp;page=3"', html)
        html = text(client.get('/vacancies?district=pronsky&page=3'))
        self.assertIn("Показаны 41–45 из 45", html)
        self.assertIn('aria-current="page"><span class="visually-hidden">'
            'Страница </span>3', html)
        with Transaction().start(DB_NAME, 0):
            Vacancy = Pool().get('copp.vacancy')
            Vacancy.close(Vacancy.search([('district', '=', 'pronsky')]))
        html = text(client.get('/vacancies?district=pronsky'))
        self.assertIn("Вакансий по этим условиям нет", html)
