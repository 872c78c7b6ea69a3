import datetime as dt
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.company.tests import CompanyTestMixin, set_company
from copp.identifiers import kpp, snils
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

from .tools import create_college, create_user


class CoppTestCase(CompanyTestMixin, ModuleTestCase):
    "Test the base module copp"
    module = 'copp'
    language = 'ru'

    @property
    def _skip_company_rule(self):
        # The federal list has no college: its global rule also admits
        # company = None (tested below).
        return super()._skip_company_rule | {('copp.specialty', 'company')}

    # Validators -------------------------------------------------------

    def test_snils_checksum(self):
        "СНИЛС: valid and invalid control numbers"
        for number in ['112-233-445 95', '11223344595', '087-654-303 00',
                '000-000-100 00']:
            self.assertTrue(snils.is_valid(number), number)
        for number in ['112-233-445 96', '112-233-445', '1122334459a',
                '087-654-303 01', '']:
            self.assertFalse(snils.is_valid(number), number)
        self.assertEqual(snils.format('11223344595'), '112-233-445 95')

    def test_snils_without_checksum(self):
        "СНИЛС at or below 001-001-998 carries no checksum"
        self.assertTrue(snils.is_valid('001-001-998 00'))
        self.assertTrue(snils.is_valid('001-001-998 99'))
        self.assertTrue(snils.is_valid('000-000-001 42'))
        self.assertFalse(snils.is_valid('001-001-999 00'))

    def test_snils_checksum_100_and_101(self):
        "Sums of 100 and 101 give the control number 00"
        # 1*9 + 0*8 + ... chosen so the weighted sum is exactly 100 / 101.
        def weighted(number):
            return sum(int(d) * w for d, w in zip(number, range(9, 0, -1)))
        self.assertEqual(weighted('900000091'), 100)
        self.assertTrue(snils.is_valid('900000091 00'))
        self.assertFalse(snils.is_valid('900000091 01'))
        self.assertEqual(weighted('900000092'), 101)
        self.assertTrue(snils.is_valid('900000092 00'))

    def test_kpp(self):
        "КПП: 9 characters, the 5th and 6th may be letters"
        for number in ['773301001', '6234 01 001', '7733AB001']:
            self.assertTrue(kpp.is_valid(number), number)
        for number in ['77330100', '7733010011', 'A73301001', '773301A01']:
            self.assertFalse(kpp.is_valid(number), number)

    @with_transaction()
    def test_inn_ogrn_through_party_identifier(self):
        "ИНН of 10 and 12 digits and ОГРН of 13 and 15 digits are validated"
        pool = Pool()
        Party = pool.get('party.party')
        party = Party(name="ООО «Ромашка»")
        party.save()
        for field, good, bad in [
                ('inn', '7707083893', '7707083894'),
                ('inn', '500100732259', '500100732258'),
                ('ogrn', '1027700132195', '1027700132194'),
                ('ogrn', '304500116000157', '304500116000158'),
                ('kpp', '773601001', '77360100'),
                ('snils', '112-233-445 95', '112-233-445 96'),
                ]:
            setattr(party, field, good)
            party.save()
            self.assertEqual(Party(party.id).__getattr__(field).replace(
                    ' ', '').replace('-', ''),
                good.replace(' ', '').replace('-', ''))
            with self.assertRaises(ValidationError, msg=(field, bad)):
                setattr(party, field, bad)
                party.save()
            party = Party(party.id)

    @with_transaction()
    def test_snils_formatted_and_searchable(self):
        "A СНИЛС typed without separators is stored formatted and found"
        pool = Pool()
        Party = pool.get('party.party')
        party, = Party.create([{'name': "Иванов Иван", 'snils': '11223344595'}])
        self.assertEqual(party.snils, '112-233-445 95')
        self.assertEqual(Party.search([('snils', '=', '11223344595')]),
            [party])

    @with_transaction()
    def test_person_name_from_parts(self):
        pool = Pool()
        Party = pool.get('party.party')
        party, = Party.create([{'last_name': "Петрова",
                    'first_name': "Анна", 'patronymic': "Сергеевна"}])
        self.assertEqual(party.name, "Петрова Анна Сергеевна")

    @with_transaction()
    def test_snils_read_by_offices_only_and_logged(self):
        "A teacher does not read a person's СНИЛС; a registrar's read is logged"
        pool = Pool()
        Party = pool.get('party.party')
        Log = pool.get('copp.personal_data.log')
        college = create_college("Колледж")
        teacher = create_user('teacher', [college], ['group_teacher'])
        registrar = create_user('registrar', [college], ['group_registrar'])
        # The teacher's own person, held by the college (its employee)
        person = teacher.employee.party
        Party.write([person], {'last_name': "Петрова",
                'first_name': "Анна", 'snils': '112-233-445 95'})
        with Transaction().set_user(teacher.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(
                Party.read([person.id], ['name'])[0]['name'],
                "Петрова Анна")
            with self.assertRaises(AccessError):
                Party.read([person.id], ['snils'])
        with Transaction().set_user(registrar.id), \
                Transaction().set_context(company=college.id), check_access():
            self.assertEqual(Party.read([person.id], ['snils'])[0]['snils'],
                '112-233-445 95')
        log, = Log.search([('user', '=', registrar.id)])
        self.assertEqual((log.resource, log.user, log.company,
                log.fields_read), (person, registrar, college, 'snils'))
        # The log's screens name the fields as the user reads them
        with Transaction().set_context(language='ru'):
            self.assertEqual(Log(log.id).fields_label,
                Party.fields_get(['snils'])['snils']['string'])
        self.assertNotEqual(Log(log.id).fields_label, 'snils')

    @with_transaction()
    def test_person_name_after_writing_one_part(self):
        "Writing one name part keeps the others in the full name"
        pool = Pool()
        Party = pool.get('party.party')
        party, other = Party.create([{'last_name': "Петрова",
                    'first_name': "Анна", 'patronymic': "Сергеевна"},
                {'name': "ООО «Ромашка»"}])
        Party.write([party], {'last_name': "Иванова"}, [other],
            {'name': "ООО «Василёк»"})
        self.assertEqual(party.name, "Иванова Анна Сергеевна")
        self.assertEqual(other.name, "ООО «Василёк»")
        Party.write([party], {'patronymic': None})
        self.assertEqual(party.name, "Иванова Анна")

    # Catalogue --------------------------------------------------------

    @with_transaction()
    def test_specialty_code_format(self):
        pool = Pool()
        Specialty = pool.get('copp.specialty')
        specialty, = Specialty.create([{'code': '09.02.99',
                    'name': "Тестовая", 'level': 'specialty'}])
        for code in ['09.02', '9.02.07', '09-02-07', '09.02.077']:
            with self.assertRaises(ValidationError):
                Specialty.write([specialty], {'code': code})

    @with_transaction()
    def test_specialty_code_unique_per_college(self):
        "One code per college; the same code may exist in two colleges"
        pool = Pool()
        Specialty = pool.get('copp.specialty')
        college_a = create_college("Колледж А")
        college_b = create_college("Колледж Б")
        Specialty.create([
                {'code': '99.02.01', 'name': "А", 'company': college_a.id},
                {'code': '99.02.01', 'name': "Б", 'company': college_b.id}])
        with self.assertRaises(ValidationError):
            Specialty.create([{'code': '99.02.01', 'name': "А2",
                        'company': college_a.id}])

    @with_transaction()
    def test_specialty_duration_text(self):
        pool = Pool()
        Specialty = pool.get('copp.specialty')
        specialty, = Specialty.create([{'code': '99.02.02', 'name': "Т",
                    'durations': [('create', [{'study_form': 'full_time',
                                    'basis': '9', 'months': 46}])]}])
        duration, = specialty.durations
        self.assertIn('3', duration.duration)
        self.assertIn('10', duration.duration)

    @with_transaction()
    def test_program_workflow(self):
        pool = Pool()
        Program = pool.get('copp.program')
        college = create_college("Колледж")
        with set_company(college):
            program, = Program.create([{'name': "Сварщик",
                        'kind': 'vocational', 'hours': 144,
                        'price': Decimal('1000')}])
        self.assertEqual(program.company, college)
        self.assertEqual(program.state, 'draft')
        Program.publish([program])
        self.assertEqual(program.state, 'published')
        Program.archive([program])
        self.assertEqual(program.state, 'archived')
        Program.draft([program])
        self.assertEqual(program.state, 'draft')

    @with_transaction(context={'language': 'ru'})
    def test_program_kind_label(self):
        "The graph's x field: the kind in words, in the user's language"
        pool = Pool()
        Program = pool.get('copp.program')
        college = create_college("Колледж")
        programs = Program.create([{'name': "Сварщик", 'kind': kind,
                    'hours': 144, 'free': True, 'company': college.id}
                for kind in ['vocational', 'short_school']])
        self.assertEqual([p.kind_label for p in Program.browse(programs)],
            ["Профессиональное обучение",
                "Краткосрочная программа для школьников"])
        with Transaction().set_context(language='en'):
            self.assertEqual(Program(programs[1].id).kind_label,
                "Short program for schoolchildren")

    @with_transaction()
    def test_program_paid_needs_positive_price(self):
        pool = Pool()
        Program = pool.get('copp.program')
        college = create_college("Колледж")
        with self.assertRaises(ValidationError):
            Program.create([{'name': "Платная", 'kind': 'advanced',
                        'hours': 16, 'price': Decimal('0'),
                        'company': college.id}])
        free, = Program.create([{'name': "Бесплатная", 'kind': 'advanced',
                    'hours': 16, 'free': True, 'company': college.id}])
        self.assertTrue(free.free)

    @with_transaction()
    def test_academic_year_and_terms(self):
        pool = Pool()
        Year = pool.get('copp.academic.year')
        Term = pool.get('copp.academic.term')
        year, = Year.create([{'name': "2026/2027",
                    'start_date': dt.date(2026, 9, 1),
                    'end_date': dt.date(2027, 8, 31),
                    'terms': [('create', [
                                {'number': 1, 'start_date': dt.date(2026, 9, 1),
                                    'end_date': dt.date(2026, 12, 31)},
                                {'number': 2, 'start_date': dt.date(2027, 1, 9),
                                    'end_date': dt.date(2027, 6, 30)}])]}])
        self.assertEqual(Year.find(dt.date(2027, 3, 1)), year)
        self.assertEqual(Term.find(dt.date(2027, 3, 1)).number, 2)
        self.assertEqual(Year.starting_year(dt.date(2027, 3, 1)), 2026)
        self.assertEqual(Year.starting_year(dt.date(2031, 10, 1)), 2031)
        with self.assertRaises(ValidationError):
            Year.create([{'name': "пересекается",
                        'start_date': dt.date(2027, 6, 1),
                        'end_date': dt.date(2028, 5, 31)}])
        with self.assertRaises(ValidationError):
            Term.create([{'year': year.id, 'number': 1,
                        'start_date': dt.date(2026, 8, 1),
                        'end_date': dt.date(2026, 12, 1)}])

    # Record rules -----------------------------------------------------

    def _two_colleges(self):
        pool = Pool()
        Program = pool.get('copp.program')
        Specialty = pool.get('copp.specialty')
        college_a = create_college("Колледж А", "КА")
        college_b = create_college("Колледж Б", "КБ")
        ministry = create_college("Министерство", "МО", kind='ministry')
        program_a, program_b = Program.create([
                {'name': "Программа А", 'kind': 'advanced', 'hours': 16,
                    'free': True, 'company': college_a.id},
                {'name': "Программа Б", 'kind': 'advanced', 'hours': 16,
                    'free': True, 'company': college_b.id}])
        federal, specialty_a, specialty_b = Specialty.create([
                {'code': '98.02.01', 'name': "Федеральная"},
                {'code': '98.02.02', 'name': "Только А",
                    'company': college_a.id},
                {'code': '98.02.03', 'name': "Только Б",
                    'company': college_b.id}])
        clerk_a = create_user('clerk_a', [college_a], ['group_registrar'])
        admin_b = create_user('admin_b', [college_b], ['group_college_admin'])
        minister = create_user('minister', [ministry, college_a, college_b],
            ['group_ministry'], employer=ministry)
        return locals()

    @with_transaction()
    def test_rules_clerk_cannot_read_other_college(self):
        "A clerk of A cannot read, search or count college B's records"
        pool = Pool()
        Program = pool.get('copp.program')
        Specialty = pool.get('copp.specialty')
        d = self._two_colleges()
        with Transaction().set_user(d['clerk_a'].id), \
                Transaction().set_context(company=d['college_a'].id), \
                check_access():
            self.assertEqual(Program.search([]), [d['program_a']])
            self.assertEqual(Program.search_count([]), 1)
            self.assertEqual(
                Program.search([('name', '=', "Программа Б")]), [])
            with self.assertRaises(AccessError):
                Program.read([d['program_b'].id], ['name'])
            self.assertEqual(
                {s.code for s in Specialty.search([
                            ('code', 'like', '98.%')])},
                {'98.02.01', '98.02.02'})
            with self.assertRaises(AccessError):
                Specialty.read([d['specialty_b'].id], ['name'])

    @with_transaction()
    def test_rules_clerk_cannot_write_other_college(self):
        "A clerk of A cannot write B's records nor the federal list"
        pool = Pool()
        Specialty = pool.get('copp.specialty')
        d = self._two_colleges()
        with Transaction().set_user(d['clerk_a'].id), \
                Transaction().set_context(company=d['college_a'].id), \
                check_access():
            Specialty.write([Specialty(d['specialty_a'].id)],
                {'name': "Переименована"})
            with self.assertRaises(AccessError):
                Specialty.write([Specialty(d['specialty_b'].id)],
                    {'name': "Взлом"})
            with self.assertRaises(AccessError):
                Specialty.write([Specialty(d['federal'].id)],
                    {'name': "Взлом"})
            with self.assertRaises(AccessError):
                Specialty.create([{'code': '98.02.09', 'name': "Чужая",
                            'company': d['college_b'].id}])

    @with_transaction()
    def test_rules_admin_of_b_cannot_write_programs_of_a(self):
        pool = Pool()
        Program = pool.get('copp.program')
        d = self._two_colleges()
        with Transaction().set_user(d['admin_b'].id), \
                Transaction().set_context(company=d['college_b'].id), \
                check_access():
            Program.write([Program(d['program_b'].id)], {'hours': 20})
            with self.assertRaises(AccessError):
                Program.write([Program(d['program_a'].id)], {'hours': 20})
            with self.assertRaises(AccessError):
                Program.create([{'name': "Чужая", 'kind': 'advanced',
                            'hours': 1, 'free': True,
                            'company': d['college_a'].id}])

    @with_transaction()
    def test_rules_ministry_reads_all_writes_none(self):
        "The ministry reads every college and writes none of them"
        pool = Pool()
        Program = pool.get('copp.program')
        Specialty = pool.get('copp.specialty')
        d = self._two_colleges()
        with Transaction().set_user(d['minister'].id), \
                Transaction().set_context(company=d['ministry'].id), \
                check_access():
            self.assertEqual(set(Program.search([])),
                {d['program_a'], d['program_b']})
            self.assertEqual(len(Specialty.search([
                            ('code', 'like', '98.%')])), 3)
            with self.assertRaises(AccessError):
                Program.write([Program(d['program_a'].id)], {'hours': 2})
            # ... but keeps the federal list.
            Specialty.write([Specialty(d['federal'].id)],
                {'name': "Уточнено министерством"})
            with self.assertRaises(AccessError):
                Specialty.write([Specialty(d['specialty_a'].id)],
                    {'name': "Нет"})

    @with_transaction()
    def test_snils_field_access(self):
        "A teacher does not read СНИЛС; the registrar does"
        pool = Pool()
        Party = pool.get('party.party')
        college = create_college("Колледж")
        teacher = create_user('teacher', [college], ['group_teacher'])
        registrar = create_user('registrar', [college], ['group_registrar'])
        # The teacher's own person, held by the college (its employee)
        party = teacher.employee.party
        Party.write([party], {'name': "Студент", 'snils': '11223344595'})
        with Transaction().set_user(teacher.id), check_access():
            with self.assertRaises(AccessError):
                Party.read([party.id], ['snils'])
            self.assertEqual(Party.read([party.id], ['name'])[0]['name'],
                "Студент")
        with Transaction().set_user(registrar.id), check_access():
            self.assertEqual(Party.read([party.id], ['snils'])[0]['snils'],
                '112-233-445 95')

    @with_transaction()
    def test_status_bar_shows_college(self):
        "The header shows the user's college instead of the currency"
        pool = Pool()
        User = pool.get('res.user')
        college = create_college("Колледж электроники", "РКЭ")
        user = create_user('clerk', [college], ['group_registrar'])
        status = User(user.id).get_status_bar('status_bar')
        self.assertIn('РКЭ', status)
        self.assertNotIn('[', status)


del ModuleTestCase
