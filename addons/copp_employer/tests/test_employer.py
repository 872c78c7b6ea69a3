"""Employers, agreements, practice places, vacancies and training orders:
validation, workflows, the stage history and the record rules."""
import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user

from copp_employer.catalog import okved_section, okved_valid, size_of

from .tools import (
    INNS, KPP, OGRN, create_agreement, create_employer, create_order,
    create_practice_place, create_vacancy, specialty)


class EmployerTestCase(_DBTestCase):
    "Models of copp_employer"
    module = 'copp_employer'
    language = 'ru'

    # Employers ---------------------------------------------------------
    def test_okved_formats(self):
        "ОКВЭД: NN, NN.N, NN.NN, NN.NN.N, NN.NN.NN of an existing class"
        for code in ['01', '25.6', '25.62', '25.62.1', '25.62.11', '62.01',
                '85.21', '99']:
            self.assertTrue(okved_valid(code), code)
        for code in ['1', '04', '25.', '25.6.1', '25.621', '25-62', 'AB.12',
                '25.62.111', '00', '']:
            self.assertFalse(okved_valid(code), code)
        self.assertEqual(okved_section('25.62'), 'C')
        self.assertEqual(okved_section('01.11'), 'A')
        self.assertEqual(okved_section('62.01'), 'J')
        self.assertEqual(okved_section('85.21'), 'P')

    def test_size(self):
        self.assertEqual([size_of(n) for n in [None, 3, 15, 16, 100, 101,
                    250, 251]], [None, 'micro', 'micro', 'small', 'small',
                'medium', 'medium', 'large'])

    @with_transaction()
    def test_employer_identity_on_party(self):
        "Name, ИНН, КПП, ОГРН, address and contacts live on the party"
        employer = create_employer("АО «Рязанский станкозавод»",
            inn=INNS[0], kpp=KPP, ogrn=OGRN, okved='28.41', phone='+7 4912 111111',
            email='hr@stanok.example', city="Рязань",
            street="ул. Станкостроителей, 1", postal_code='390000')
        party = employer.party
        self.assertEqual(party.name, "АО «Рязанский станкозавод»")
        self.assertEqual(party.inn.replace(' ', ''), INNS[0])
        self.assertEqual(party.kpp.replace(' ', ''), KPP)
        self.assertEqual(party.ogrn.replace(' ', ''), OGRN)
        self.assertEqual(employer.industry, 'C')
        self.assertEqual(employer.phone, '+7 4912 111111')
        self.assertEqual(party.email, 'hr@stanok.example')
        self.assertEqual(party.addresses[0].city, "Рязань")
        self.assertEqual(employer.full_address,
            "390000, Рязань, ул. Станкостроителей, 1")
        Employer = Pool().get('copp.employer')
        self.assertEqual(Employer.search([('inn', '=', INNS[0])]),
            [employer])
        self.assertEqual(Employer.search([('rec_name', 'ilike', '%станко%')]),
            [employer])

    @with_transaction()
    def test_employer_invalid_identifiers(self):
        "ИНН, КПП, ОГРН with a wrong checksum or format are refused"
        for field, value in [('inn', '7707083894'), ('kpp', '77360100'),
                ('ogrn', '1027700132194')]:
            with self.assertRaises(ValidationError, msg=field):
                create_employer("ООО «Ошибка»", **{field: value})

    @with_transaction()
    def test_employer_invalid_okved(self):
        with self.assertRaises(ValidationError) as cm:
            create_employer("ООО «Код»", okved='25.621')
        self.assertIn("ОКВЭД", cm.exception.message)

    @with_transaction()
    def test_employer_inn_unique(self):
        "One employer per ИНН and КПП; a branch has its own КПП"
        create_employer("ООО «Один»", inn=INNS[1], kpp='773601001')
        create_employer("ООО «Один», филиал", inn=INNS[1], kpp='623401001')
        with self.assertRaises(ValidationError) as cm:
            create_employer("ООО «Дубль»", inn=INNS[1], kpp='773601001')
        self.assertIn(INNS[1], cm.exception.message)

    # Agreements --------------------------------------------------------
    @with_transaction()
    def test_agreement_workflow_and_expiry(self):
        pool = Pool()
        Agreement = pool.get('copp.employer.agreement')
        college = create_college("Колледж А", "КА")
        employer = create_employer("ООО «Партнёр»", inn=INNS[2])
        with set_company(college):
            agreement = create_agreement(college, employer, '1/2026',
                end_date=dt.date.today() - dt.timedelta(days=1),
                start_date=dt.date.today() - dt.timedelta(days=400))
            self.assertEqual(agreement.state, 'active')
            self.assertEqual(employer.colleges, (college,))
            Agreement.expire_ended()
            self.assertEqual(Agreement(agreement.id).state, 'expired')
            with self.assertRaises(Exception):
                create_agreement(college, employer, '2/2026',
                    start_date=dt.date.today(),
                    end_date=dt.date.today() - dt.timedelta(days=1))

    @with_transaction()
    def test_agreement_number_unique_per_college(self):
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        employer = create_employer("ООО «Партнёр»", inn=INNS[2])
        create_agreement(college_a, employer, '7')
        create_agreement(college_b, employer, '7')
        with self.assertRaises(Exception):
            create_agreement(college_a, employer, '7')

    # Practice ----------------------------------------------------------
    @with_transaction()
    def test_practice_place_students(self):
        "Students placed on a practice place: no more than its places"
        college = create_college("Колледж А", "КА")
        employer = create_employer("ООО «Практика»", inn=INNS[3])
        place = create_practice_place(college, employer,
            students=["Иванов Иван", "Петров Пётр"], places=2)
        self.assertEqual((place.occupied, place.free), (2, 0))
        self.assertEqual(place.period_state, 'current')
        Student = Pool().get('copp.employer.practice_place.student')
        Party = Pool().get('party.party')
        extra, = Party.create([{'name': "Сидоров Сидор"}])
        with self.assertRaises(ValidationError):
            Student.create([{'place': place.id, 'student': extra.id}])

    # Vacancies ---------------------------------------------------------
    @with_transaction()
    def test_vacancy_publishing(self):
        "draft → published → closed → draft; dates and validity"
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        employer = create_employer("ООО «Вакансия»", inn=INNS[4])
        vacancy = create_vacancy(employer, "Сварщик")
        self.assertEqual(vacancy.state, 'draft')
        self.assertIsNone(vacancy.published_date)
        Vacancy.publish([vacancy])
        self.assertEqual(vacancy.state, 'published')
        self.assertIsNotNone(vacancy.published_date)
        self.assertEqual(vacancy.valid_until,
            dt.date.today() + dt.timedelta(days=60))
        self.assertIn(vacancy, Vacancy.search(Vacancy.public_domain()))
        Vacancy.close([vacancy])
        self.assertEqual(vacancy.state, 'closed')
        self.assertNotIn(vacancy, Vacancy.search(Vacancy.public_domain()))
        Vacancy.draft([vacancy])
        self.assertEqual(vacancy.state, 'draft')
        self.assertEqual(vacancy.salary_text, "от 40\u00a0000\u00a0₽ до "
            "60\u00a0000\u00a0₽")

    @with_transaction()
    def test_vacancy_validation(self):
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        employer = create_employer("ООО «Вакансия»", inn=INNS[4])
        with self.assertRaises(ValidationError):
            create_vacancy(employer, "Токарь", salary_from=Decimal(70000),
                salary_to=Decimal(50000))
        vacancy = create_vacancy(employer, "Токарь",
            valid_until=dt.date.today() - dt.timedelta(days=1))
        with self.assertRaises(ValidationError):
            Vacancy.publish([vacancy])
        other = create_employer("ООО «Другой»", inn=INNS[5])
        Contact = pool.get('copp.employer.contact')
        contact, = Contact.create([{'employer': other.id, 'name': "Чужой"}])
        with self.assertRaises(ValidationError):
            Vacancy.write([vacancy], {'contact': contact.id})

    @with_transaction()
    def test_vacancy_close_expired(self):
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        employer = create_employer("ООО «Вакансия»", inn=INNS[4])
        vacancy = create_vacancy(employer, "Слесарь", publish=True)
        Vacancy.write([vacancy], {
                'valid_until': dt.date.today() - dt.timedelta(days=1)})
        self.assertNotIn(vacancy, Vacancy.search(Vacancy.public_domain()))
        Vacancy.close_expired()
        self.assertEqual(vacancy.state, 'closed')

    @with_transaction()
    def test_vacancies_by_specialty(self):
        """The chart's rows: the 12 specialties with the most published
        vacancies, the rest in «Другие специальности (N)»; a college
        counts the vacancies of its partners only"""
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        Specialty = pool.get('copp.specialty')
        Report = pool.get('copp.vacancy.by_specialty')
        specialties = Specialty.search([('company', '=', None)],
            order=[('code', 'ASC')], limit=14)
        partner = create_employer("ООО «Партнёр»", inn=INNS[4])
        other = create_employer("ООО «Другой»", inn=INNS[5])
        # specialty i: 14 - i vacancies of 2 positions
        vacancies = Vacancy.create([{'employer': partner.id,
                    'position': f"Специалист {i}", 'specialty': s.id,
                    'quantity': 2, 'requirements': "СПО",
                    'district': 'ryazan'}
                for i, s in enumerate(specialties) for _ in range(14 - i)])
        Vacancy.publish(vacancies)
        create_vacancy(other, "Разнорабочий", publish=True)
        create_vacancy(partner, "Черновик", specialty=specialties[0].id)

        def rows():
            return [(r.specialty, r.label, r.specialties, r.vacancies,
                    r.positions) for r in Report.search([])]
        expected = [(s, s.rec_name, 1, 14 - i, 2 * (14 - i))
            for i, s in enumerate(specialties[:12])]
        # specialties 13 and 14 (2 + 1 vacancies) and one without specialty
        self.assertEqual(rows(), expected + [
                (None, "Другие специальности (3)", 3, 4, 7)])
        college = create_college("Колледж А", "КА")
        create_agreement(college, partner, 'A-1')
        clerk = create_user('clerk', [college], ['group_college_admin'])
        with Transaction().set_user(clerk.id), check_access():
            self.assertEqual(rows(), expected + [
                    (None, "Другие специальности (2)", 2, 3, 6)])

    # Training orders ---------------------------------------------------
    @with_transaction()
    def test_training_order_stages_and_history(self):
        "new → review → accepted → training → completed, with who and when"
        pool = Pool()
        Order = pool.get('copp.training.order')
        Log = pool.get('copp.training.order.stage_log')
        college = create_college("Колледж А", "КА")
        copp_center = create_college("ЦОПП", "ЦОПП", kind='copp')
        specialist = create_user('copp1', [copp_center, college],
            ['group_copp'])
        employer = create_employer("ООО «Заказчик»", inn=INNS[5])
        order = create_order(employer, quantity=12)
        self.assertTrue(order.number.startswith('ЗП-'))
        self.assertEqual(order.state, 'new')
        self.assertEqual([(l.from_state, l.to_state) for l in
                order.stage_logs], [(None, 'new')])

        with Transaction().set_user(specialist.id):
            Order.review([order])
            Order.accept([order])
            # The training needs the executor college.
            with self.assertRaises(UserError):
                Order.start_training([order])
            Order.write([order], {'college': college.id})
            Order.start_training([order])
            # A transition from the wrong stage is skipped.
            Order.review([order])
            Order.complete([order])
        order = Order(order.id)
        self.assertEqual(order.state, 'completed')
        logs = Log.search([('order', '=', order.id)])
        self.assertEqual([(l.from_state, l.to_state) for l in logs], [
                (None, 'new'), ('new', 'review'), ('review', 'accepted'),
                ('accepted', 'training'), ('training', 'completed')])
        for log in logs[1:]:
            self.assertEqual(log.user, specialist)
            self.assertEqual(log.author, 'copp1')
            self.assertLessEqual(log.date, dt.datetime.now())
        self.assertEqual(order.stage_date, logs[-1].date)
        with self.assertRaises(AccessError):
            Log.write(logs[:1], {'comment': "подделка"})
        with self.assertRaises(UserError):
            Order.delete([order])

    @with_transaction()
    def test_training_order_decline_needs_reason(self):
        pool = Pool()
        Order = pool.get('copp.training.order')
        employer = create_employer("ООО «Заказчик»", inn=INNS[5])
        order = create_order(employer)
        with self.assertRaises(UserError):
            Order.decline([order])
        Order.write([order], {'decline_reason': "Нет подходящей программы"})
        Order.decline([order])
        self.assertEqual(order.state, 'declined')
        self.assertEqual(order.stage_logs[-1].comment,
            "Нет подходящей программы")

    @with_transaction()
    def test_training_order_subject_required(self):
        pool = Pool()
        Order = pool.get('copp.training.order')
        Program = pool.get('copp.program')
        employer = create_employer("ООО «Заказчик»", inn=INNS[5])
        with self.assertRaises(ValidationError):
            Order.create([{'employer': employer.id, 'quantity': 3,
                        'deadline': dt.date.today()}])
        college = create_college("ЦОПП", "ЦОПП", kind='copp')
        program, = Program.create([{'name': "Сварка", 'kind': 'vocational',
                    'hours': 72, 'format': 'onsite', 'free': True,
                    'company': college.id}])
        order = create_order(employer, program=program.id)
        self.assertEqual(order.subject, "Сварка")

    @with_transaction()
    def test_training_order_portal_user_in_history(self):
        "A stage change made on the portal records the portal user"
        pool = Pool()
        User = pool.get('web.user')
        employer = create_employer("ООО «Заказчик»", inn=INNS[5])
        user, = User.create([{'name': "Ольга", 'email': 'olga@z.example',
                    'employer': employer.id}])
        self.assertEqual(user.organization, employer.party)
        self.assertEqual(user.employer, employer)
        self.assertEqual(User.search([('employer', '=', employer.id)]),
            [user])
        # The portal runs as root (0) with its user in the context.
        with Transaction().set_user(0), \
                Transaction().set_context(portal_user=user.id):
            order = create_order(employer)
        log, = order.stage_logs
        self.assertEqual(log.portal_user, user)
        self.assertIsNone(log.user)
        self.assertEqual(log.author, "Ольга")

    # Record rules ------------------------------------------------------
    @with_transaction()
    def test_rules_college_sees_its_partners(self):
        "A college sees the employers it has agreements with, their "
        "vacancies and orders; ЦОПП and ministry see all"
        pool = Pool()
        Employer = pool.get('copp.employer')
        Agreement = pool.get('copp.employer.agreement')
        Vacancy = pool.get('copp.vacancy')
        Order = pool.get('copp.training.order')
        Place = pool.get('copp.employer.practice_place')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        copp_center = create_college("ЦОПП", "ЦОПП", kind='copp')
        ministry = create_college("Минобр", "Минобр", kind='ministry')
        everyone = [ministry, copp_center, college_a, college_b]
        clerk_a = create_user('admin_a', [college_a], ['group_college_admin'])
        teacher_a = create_user('teacher_a', [college_a], ['group_teacher'])
        specialist = create_user('copp1', everyone, ['group_copp'],
            employer=copp_center)
        official = create_user('minobr1', everyone, ['group_ministry'],
            employer=ministry)
        partner_a = create_employer("ООО «Партнёр А»", inn=INNS[0])
        partner_b = create_employer("ООО «Партнёр Б»", inn=INNS[1])
        nobody = create_employer("ООО «Ничей»", inn=INNS[2])
        agreement_a = create_agreement(college_a, partner_a, 'A-1')
        agreement_b = create_agreement(college_b, partner_b, 'B-1')
        vacancy_a = create_vacancy(partner_a, "Монтажник", publish=True)
        vacancy_b = create_vacancy(partner_b, "Повар", publish=True)
        order_a = create_order(partner_a)
        order_b = create_order(partner_b)
        place_a = create_practice_place(college_a, partner_a)
        place_b = create_practice_place(college_b, partner_b)

        for user in [clerk_a, teacher_a]:
            with Transaction().set_user(user.id), check_access():
                self.assertEqual(Employer.search([]), [partner_a], user.login)
                self.assertEqual(Agreement.search([]), [agreement_a])
                self.assertEqual(Vacancy.search([]), [vacancy_a])
                self.assertEqual(Place.search([]), [place_a])
                if user == clerk_a:  # teachers have no access to orders
                    self.assertEqual(Order.search([]), [order_a])
                with self.assertRaises(AccessError):
                    Employer.read([partner_b.id], ['name'])
                with self.assertRaises(AccessError):
                    Agreement.read([agreement_b.id], ['number'])
        for user in [specialist, official]:
            with Transaction().set_user(user.id), check_access():
                self.assertEqual(set(Employer.search([])),
                    {partner_a, partner_b, nobody}, user.login)
                self.assertEqual(set(Vacancy.search([])),
                    {vacancy_a, vacancy_b})
                self.assertEqual(set(Order.search([])), {order_a, order_b})
                self.assertEqual(set(Place.search([])), {place_a, place_b})

        # The ministry reads; only the ЦОПП moves the orders.
        with Transaction().set_user(official.id), check_access():
            with self.assertRaises(AccessError):
                Order.write([Order(order_a.id)], {'quantity': 1})
        with Transaction().set_user(specialist.id), check_access():
            Order.review([Order(order_b.id)])
        # A college writes only its own agreements.
        with Transaction().set_user(clerk_a.id), check_access():
            Agreement.write([Agreement(agreement_a.id)], {'note': "ок"})

    @with_transaction()
    def test_agreement_by_inn_wizard(self):
        "A college finds an employer of the registry by its ИНН"
        pool = Pool()
        Agreement = pool.get('copp.employer.agreement')
        Employer = pool.get('copp.employer')
        Wizard = pool.get('copp.employer.agreement.create', type='wizard')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        clerk_a = create_user('admin_a', [college_a], ['group_college_admin'])
        partner_b = create_employer("ООО «Партнёр Б»", inn=INNS[1])
        create_agreement(college_b, partner_b, 'B-1')

        def run(values):
            session_id, _, _ = Wizard.create()
            with Transaction().set_context(company=college_a.id):
                start = Wizard.execute(session_id, {}, 'start')
                data = {k: v for k, v in start['view']['defaults'].items()
                    if '.' not in k}
                data.update(values)
                return Wizard.execute(session_id, {'start': data}, 'create_')

        with Transaction().set_user(clerk_a.id), check_access(), \
                Transaction().set_context(company=college_a.id):
            self.assertEqual(Employer.search([]), [])
            values = {'number': 'A-7', 'subject': "Практика",
                'company': college_a.id, 'inn': INNS[1]}
            result = run(values)
            self.assertEqual(result['actions'][0][0]['res_model'],
                'copp.employer.agreement')
            self.assertEqual(Employer.search([]), [partner_b])
            agreement, = Agreement.search([('number', '=', 'A-7')])
            self.assertEqual(agreement.company, college_a)
            # Unknown ИНН without a name: an error; with a name: registered.
            with self.assertRaises(UserError):
                run(dict(values, number='A-8', inn=INNS[3]))
            run(dict(values, number='A-9', inn=INNS[3],
                    name="ООО «Новый партнёр»"))
            self.assertEqual(len(Employer.search([])), 2)

    @with_transaction()
    def test_specialty_of_tools(self):
        self.assertEqual(specialty().code, '09.02.07')


del _DBTestCase
