"""Surveys: answering (invitation, public link, partner portal), validation
of bad input, conditional questions, distributions, the staffing-demand
report, exports and the post-event survey."""
import datetime as dt
import io
import re
import urllib.parse

from trytond.exceptions import UserError
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase, with_transaction
from trytond.transaction import Transaction

from copp_event.tests.tools import (
    ActivatedMenusMixin, adult, create_college, create_event)
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, message_link,
    run_queue, text)

from .tools import option, survey_with_all_kinds

PASSWORD = 'Rjazan-2026-partner'
PAGE = re.compile(r'/survey/r/(\d+-[0-9a-f]{32})/(\d+)')


class SurveyTestCase(ActivatedMenusMixin, PortalTestMixin, RouteTestCase):
    "Surveys"
    module = 'copp_survey'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        from copp_employer.tests.tools import INNS, create_employer
        copp = create_college("ЦОПП Рязанской области", "ЦОПП", kind='copp')
        cls.copp_id = copp.id
        employers = [create_employer(name, inn=inn, email=email)
            for name, inn, email in [
                ("АО «Рязанский станкозавод»", INNS[0], 'hr@stanok.example'),
                ("ООО «Агро-Рязань»", INNS[1], 'hr@agro.example'),
                ("ПАО «Рязанский радиозавод»", INNS[2], 'hr@radio.example'),
                ]]
        cls.employer_ids = [e.id for e in employers]
        create_portal_user('kadry@stanok.example', "Ирина Кадрова",
            employers[0].party, PASSWORD)

    # Helpers -------------------------------------------------------------
    def copp(self):
        return Pool().get('company.company')(self.copp_id)

    def start_public(self, client, survey_id):
        with Transaction().start(DB_NAME, 0):
            Survey = Pool().get('copp.survey')
            key = Survey(survey_id).public_key
        response = client.post(f'/survey/p/{key}', {'segment': 'graduate'})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        token, number = PAGE.search(response.headers['Location']).groups()
        return token

    # Conditional questions -----------------------------------------------
    @with_transaction()
    def test_conditional_question_not_required_when_hidden(self):
        "A required question hidden by its condition is not required"
        from copp_survey.answers import PageAnswers
        survey, q = survey_with_all_kinds(self.copp())
        page = survey.pages[0][1]
        yes = option(q['works'], "Да").id
        no = option(q['works'], "Нет").id

        answers = PageAnswers(page, {f"q{q['works'].id}": str(yes)}).read()
        self.assertTrue(answers.check({}), answers.errors)
        self.assertIn(q['why'].id, answers.hidden)

        # An answer to the hidden question is not kept.
        answers = PageAnswers(page, {f"q{q['works'].id}": str(yes),
                f"q{q['why'].id}": "не сохранится"}).read()
        self.assertTrue(answers.check({}))
        self.assertEqual(answers.values[q['why'].id], [])

        answers = PageAnswers(page, {f"q{q['works'].id}": str(no)}).read()
        self.assertFalse(answers.check({}))
        self.assertEqual(answers.errors[q['why'].id],
            "Ответьте на вопрос «Почему?».")

    # Bad input -----------------------------------------------------------
    def test_bad_input_refused_nothing_saved(self):
        "Over-long text, bad numbers, forged options: clear errors, no save"
        with Transaction().start(DB_NAME, 0):
            survey, q = survey_with_all_kinds(self.copp(),
                name="Опрос для ошибок")
            survey_id = survey.id
            ids = {k: v.id for k, v in q.items()}
            no = option(q['works'], "Нет").id
            good, bad = [o.id for o in q['matrix'].options]
            rows = [r.id for r in q['matrix'].rows]
        client = PortalClient()
        token = self.start_public(client, survey_id)
        path = f'/survey/r/{token}/1'
        cases = [
            ({f"q{ids['works']}": str(no), f"q{ids['why']}": "я" * 51},
                "содержит 51 символов, а можно не больше 50"),
            ({f"q{ids['works']}": str(no), f"q{ids['why']}": "x",
                    f"q{ids['age']}": "много"}, "«Возраст»: введите число"),
            ({f"q{ids['works']}": str(no), f"q{ids['why']}": "x",
                    f"q{ids['age']}": "5"},
                "«Возраст»: число не может быть меньше 14"),
            ({f"q{ids['works']}": str(no), f"q{ids['why']}": "x",
                    f"q{ids['age']}": "20,5"},
                "«Возраст»: введите целое число"),
            ({f"q{ids['works']}": "999999"},
                "«Работаете?»: выберите один из предложенных ответов"),
            ({f"q{ids['works']}": str(no)}, "Ответьте на вопрос «Почему?»"),
            ]
        for data, message in cases:
            response = client.post(path, dict(data, action='next'))
            self.assertEqual(response.status_code, 422, message)
            self.assertIn(message, text(response))
            self.assertIn("ничего не сохранено", text(response))
        with Transaction().start(DB_NAME, 0):
            Answer = Pool().get('copp.survey.answer')
            self.assertEqual(Answer.search_count([
                        ('question.survey', '=', survey_id)]), 0)

        # HTML is kept as text and shown escaped.
        response = client.post(path, {f"q{ids['works']}": str(no),
                f"q{ids['why']}": "<b>мало</b><script>x()</script>",
                f"q{ids['age']}": "20", 'action': 'next'})
        self.assertEqual(response.status_code, 303, text(response)[:3000])
        page2 = f'/survey/r/{token}/2'
        for data, message in [
                ({f"q{ids['score']}": "11"}, "выберите оценку от 1 до 10"),
                ({f"q{ids['score']}": "7", f"q{ids['date']}": "32.13.2020",
                        f"q{ids['matrix']}_r{rows[0]}": str(good),
                        f"q{ids['matrix']}_r{rows[1]}": str(bad)},
                    "«Дата выпуска»: укажите дату"),
                ({f"q{ids['score']}": "7",
                        f"q{ids['matrix']}_r{rows[0]}": str(good)},
                    "«Подготовка»: ответьте в строке «Практика»"),
                ]:
            response = client.post(page2, dict(data, action='next'))
            self.assertEqual(response.status_code, 422, message)
            self.assertIn(message, text(response))
        response = client.post(page2, {f"q{ids['score']}": "7",
                f"q{ids['matrix']}_r{rows[0]}": str(good),
                f"q{ids['matrix']}_r{rows[1]}": str(bad), 'action': 'next'})
        self.assertEqual(response.headers['Location'],
            f'/survey/r/{token}/review')
        review = text(client.get(f'/survey/r/{token}/review'))
        self.assertIn("&lt;b&gt;мало&lt;/b&gt;&lt;script&gt;", review)
        self.assertNotIn("<script>x()", review)

        # A closed survey accepts nothing more.
        with Transaction().start(DB_NAME, 0):
            Survey = Pool().get('copp.survey')
            Survey.close([Survey(survey_id)])
        response = client.post(page2, {f"q{ids['score']}": "3",
                'action': 'next'}, csrf_from='/partner/login')
        self.assertEqual(response.status_code, 410)
        self.assertIn("закрыт", text(response))
        response = client.post(f'/survey/r/{token}/submit', {},
            csrf_from='/partner/login')
        self.assertEqual(response.status_code, 410)
        with Transaction().start(DB_NAME, 0):
            Answer = Pool().get('copp.survey.answer')
            Response = Pool().get('copp.survey.response')
            score, = Answer.search([('question', '=', ids['score'])])
            self.assertEqual(score.number, 7)
            self.assertEqual(Response.search([
                        ('survey', '=', survey_id)])[0].state, 'draft')

    # Invitations -----------------------------------------------------------
    def test_invitation_answers_once(self):
        "A personal link answers once; a forged token opens nothing"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Invitation = pool.get('copp.survey.invitation')
            survey, q = survey_with_all_kinds(self.copp(),
                name="Опрос выпускников", public_link=False)
            invitation, = Invitation.create([{'survey': survey.id,
                        'email': 'vypusknik@example.com',
                        'name': "Павел", 'segment': 'graduate'}])
            Invitation.send([invitation])
            ids = {k: v.id for k, v in q.items()}
            yes = option(q['works'], "Да").id
            good = q['matrix'].options[0].id
            rows = [r.id for r in q['matrix'].rows]
        run_queue()
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['vypusknik@example.com'])
        self.assertIn("Опрос выпускников", message['Subject'])
        link = message_link(message, '/survey/i/')
        client = PortalClient()
        self.assertIn("Начать опрос", text(client.get(link)))
        response = client.post(link, {})
        page1 = response.headers['Location']
        token = PAGE.search(page1).group(1)
        # Save and resume later by the same invitation link.
        response = client.post(page1, {f"q{ids['works']}": str(yes),
                'action': 'save'})
        self.assertEqual(response.headers['Location'], page1)
        other = PortalClient()
        resumed = other.get(link)
        self.assertEqual(resumed.status_code, 303)
        self.assertEqual(resumed.headers['Location'], page1)
        self.assertIn('checked', text(other.get(page1)))
        other.post(page1, {f"q{ids['works']}": str(yes), 'action': 'next'})
        response = other.post(f'/survey/r/{token}/2', {
                f"q{ids['score']}": "9",
                f"q{ids['matrix']}_r{rows[0]}": str(good),
                f"q{ids['matrix']}_r{rows[1]}": str(good),
                'action': 'next'})
        self.assertEqual(response.status_code, 303, text(response)[-3000:])
        review = other.get(f'/survey/r/{token}/review')
        self.assertIn("Проверьте ответы", text(review), text(review)[-2000:])
        response = other.post(f'/survey/r/{token}/submit', {},
            csrf_from=f'/survey/r/{token}/review')
        self.assertEqual(response.status_code, 200)
        self.assertIn("Спасибо", text(response))

        response = client.get(link)
        self.assertEqual(response.status_code, 410)
        self.assertIn("ответить можно только один раз", text(response))
        response = client.post(f'/survey/r/{token}/1',
            {f"q{ids['works']}": str(yes), 'action': 'next'},
            csrf_from='/partner/login')
        self.assertNotEqual(response.status_code, 303)
        for forged in [link[:-3] + 'abc', '/survey/i/1-' + '0' * 32,
                '/survey/i/xyz', f'/survey/r/{token[:-2]}00/1']:
            response = client.get(forged)
            self.assertEqual(response.status_code, 404, forged)
            self.assertIn("Ссылка недействительна", text(response))
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Invitation = pool.get('copp.survey.invitation')
            Response = pool.get('copp.survey.response')
            invitation, = Invitation.search([
                    ('email', '=', 'vypusknik@example.com')])
            self.assertTrue(invitation.submitted)
            self.assertEqual(invitation.state, 'answered')
            response, = Response.search([('survey', '=', survey.id)])
            self.assertEqual(response.state, 'submitted')
            with self.assertRaises(UserError):
                Response.start(response.survey, invitation)

    # Results -------------------------------------------------------------
    @with_transaction()
    def test_distributions(self):
        "Distributions against hand-computed counts, with a segment filter"
        pool = Pool()
        Response = pool.get('copp.survey.response')
        Answer = pool.get('copp.survey.answer')
        Result = pool.get('copp.survey.result')
        from copp_survey.results import distributions, number_stats
        survey, q = survey_with_all_kinds(self.copp())
        yes, no = [o.id for o in q['works'].options]
        salary, schedule, team = [o.id for o in q['important'].options]
        good, bad = [o.id for o in q['matrix'].options]
        theory, practice = [r.id for r in q['matrix'].rows]
        plan = [
            # segment, works, important, score, matrix (theory, practice)
            ('graduate', yes, [salary, team], 8, (good, good)),
            ('graduate', no, [salary], 6, (good, bad)),
            ('student', yes, [salary, schedule, team], 10, (bad, bad)),
            ('graduate', yes, [], 8, (good, bad)),
            ]
        for segment, works, important, score, (m1, m2) in plan:
            response, = Response.create([{'survey': survey.id,
                        'segment': segment, 'state': 'submitted'}])
            values = [{'question': q['works'].id, 'option': works},
                {'question': q['score'].id, 'number': score},
                {'question': q['matrix'].id, 'row': theory, 'option': m1},
                {'question': q['matrix'].id, 'row': practice, 'option': m2}]
            values += [{'question': q['important'].id, 'option': o}
                for o in important]
            Answer.create([dict(v, response=response.id) for v in values])
        draft, = Response.create([{'survey': survey.id, 'state': 'draft'}])
        Answer.create([{'response': draft.id, 'question': q['works'].id,
                    'option': no}])

        data = distributions(survey)
        self.assertEqual(data['responses'], 4)
        works = data['questions'][q['works'].id]
        self.assertEqual(works['answered'], 4)
        self.assertEqual(works['counts'], {(yes, None): 3, (no, None): 1})
        important = data['questions'][q['important'].id]
        self.assertEqual(important['answered'], 3)
        self.assertEqual(important['counts'], {(salary, None): 3,
                (schedule, None): 1, (team, None): 2})
        matrix = data['questions'][q['matrix'].id]['counts']
        self.assertEqual(matrix, {(good, theory): 3, (bad, theory): 1,
                (good, practice): 1, (bad, practice): 3})
        scores = data['questions'][q['score'].id]['values']
        self.assertEqual(scores, {8.0: 2, 6.0: 1, 10.0: 1})
        stats = number_stats(scores)
        self.assertEqual((stats['mean'], stats['median'], stats['min'],
                stats['max']), (8.0, 8.0, 6.0, 10.0))

        graduates = distributions(survey, 'graduate')
        self.assertEqual(graduates['responses'], 3)
        self.assertEqual(graduates['questions'][q['works'].id]['counts'],
            {(yes, None): 2, (no, None): 1})

        # The same counts in the back office's graph model.
        lines = Result.search([('question', '=', q['important'].id)])
        self.assertEqual({(line.option.id, line.count, line.answered,
                    line.percent) for line in lines}, {
                (salary, 3, 3, 100.0), (schedule, 1, 3, 33.3),
                (team, 2, 3, 66.7)})
        with Transaction().set_context(segment='student'):
            lines = Result.search([('question', '=', q['score'].id)])
            self.assertEqual([(line.label, line.count) for line in lines],
                [("10", 1)])

    @with_transaction()
    def test_results_filter_form(self):
        """The results open on one survey and one charted question (the one
        they are opened from, else the first); the chart numbers answers by
        question only when several questions are shown"""
        pool = Pool()
        Response = pool.get('copp.survey.response')
        Answer = pool.get('copp.survey.answer')
        Result = pool.get('copp.survey.result')
        Context = pool.get('copp.survey.result.context')
        survey, q = survey_with_all_kinds(self.copp())
        other, _ = survey_with_all_kinds(self.copp(), name="Другой опрос")
        yes, no = q['works'].options
        for works, score in [(yes, 8), (no, 6), (yes, 8)]:
            response, = Response.create([{'survey': survey.id,
                        'state': 'submitted'}])
            Answer.create([{'response': response.id,
                        'question': q['works'].id, 'option': works.id},
                    {'response': response.id, 'question': q['score'].id,
                        'number': score}])
        # Opened from the menu: the latest survey, its first charted question
        self.assertEqual(Context.default_survey(), other.id)
        with Transaction().set_context(active_model='copp.survey',
                active_id=survey.id, active_ids=[survey.id]):
            self.assertEqual((Context.default_survey(),
                    Context.default_question()), (survey.id, q['works'].id))
        with Transaction().set_context(active_model='copp.survey.question',
                active_id=q['score'].id, active_ids=[q['score'].id]):
            self.assertEqual((Context.default_survey(),
                    Context.default_question()), (survey.id, q['score'].id))
        with Transaction().set_context(survey=survey.id,
                question=q['works'].id):
            self.assertEqual({(r.chart_text, r.count)
                    for r in Result.search([])}, {("Да", 2), ("Нет", 1)})
        with Transaction().set_context(survey=survey.id):
            # «Работаете?» is the 1st question, «Оценка» the 5th
            self.assertEqual({(r.chart_text, r.count)
                    for r in Result.search([])},
                {("1. Да", 2), ("1. Нет", 1), ("5. 8", 2), ("5. 6", 1)})
        with Transaction().set_context(survey=other.id):
            self.assertEqual(Result.search([]), [])

    @with_transaction()
    def test_demand_report(self):
        "Demand scaled by the response rate beside the contingent's supply"
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        Response = pool.get('copp.survey.response')
        Demand = pool.get('copp.survey.demand')
        Plan = pool.get('copp.survey.admission_plan')
        Employer = pool.get('copp.employer')
        from copp_contingent.tests.tools import (
            create_applicants, create_group, federal_specialty, order)
        from copp_survey.demand import report_rows, report_xlsx
        from copp_survey.templates_data import create_survey
        year = dt.date.today().year
        survey = create_survey('labor_market', self.copp(), year)
        pool.get('copp.survey').open([survey])
        demand_q, = [x for x in survey.questions if x.kind == 'demand']
        it, welder = federal_specialty('09.02.07'), federal_specialty(
            '15.01.05')
        employers = Employer.browse(self.employer_ids)
        invitations = Invitation.create([{'survey': survey.id,
                    'employer': e.id, 'email': e.email,
                    'segment': 'employer'} for e in employers])
        # Two of the three invited employers answer.
        for invitation, lines in [
                (invitations[0], [(it, 5, 12), (welder, 2, 4)]),
                (invitations[1], [(it, 3, 6)])]:
            response = Response.start(survey, invitation)
            Demand.create([{'response': response.id,
                        'question': demand_q.id, 'specialty': s.id,
                        'need_next_year': n1, 'need_three_years': n3,
                        'qualification': 'specialist'}
                    for s, n1, n3 in lines])
            response.submit()
        # A started, unsent answer does not count.
        draft = Response.start(survey, invitations[2])
        Demand.create([{'response': draft.id, 'question': demand_q.id,
                    'specialty': it.id, 'need_next_year': 100,
                    'need_three_years': 100, 'qualification': 'any'}])
        self.assertAlmostEqual(survey.response_rate, 2 / 3)

        # Supply: 5 students of IT graduating next year, 2 in two years,
        # 1 in five years; the plan adds 10 welders in three years.
        college = create_college("Колледж Б", "КБ")
        g1 = create_group(college, "ИСП-41", year - 3, course=4,
            graduation_year=year + 1)
        g2 = create_group(college, "ИСП-31", year - 2, course=3,
            graduation_year=year + 2)
        g3 = create_group(college, "ИСП-21", year - 1, course=2,
            graduation_year=year + 5)
        students = create_applicants(college, [f"Студентов Иван {i}"
                for i in range(8)])
        order(college, 'enrolment', dt.date.today(), [
                {'student': s, 'to_group': g, 'to_funding': 'budget'}
                for s, g in zip(students, [g1, g1, g1, g1, g2, g2, g3,
                        g1])])
        Plan.create([{'company': college.id, 'year': year,
                    'specialty': welder.id, 'places': 10,
                    'graduation_year': year + 3}])

        rows = {r['specialty']: r for r in report_rows(survey)}
        it_row, welder_row = rows[it.id], rows[welder.id]
        # IT: demand 5+3=8 next year, 12+6=18 over three years, scaled by
        # 3 invited / 2 answered = 1.5 -> 12 and 27; supply 5 (g1) and
        # 7 (g1 + g2; g3 graduates later).
        self.assertEqual((it_row['demand_next'], it_row['estimate_next'],
                it_row['supply_next'], it_row['gap_next']), (8, 12, 5, 7))
        self.assertEqual((it_row['demand_three'], it_row['estimate_three'],
                it_row['supply_three'], it_row['gap_three']),
            (18, 27, 7, 20))
        self.assertEqual(it_row['employers'], 2)
        # Welders: 2 and 4 scaled to 3 and 6; supply 0 next year, 10 planned.
        self.assertEqual((welder_row['estimate_next'],
                welder_row['supply_next'], welder_row['gap_next'],
                welder_row['estimate_three'], welder_row['supply_three'],
                welder_row['gap_three']), (3, 0, 3, 6, 10, -4))

        # The population of employers replaces the response rate.
        survey.population = 10
        survey.save()
        rows = {r['specialty']: r for r in report_rows(survey)}
        self.assertEqual(rows[it.id]['estimate_next'], 40)  # 8 * 10 / 2

        from openpyxl import load_workbook
        book = load_workbook(io.BytesIO(report_xlsx(survey)))
        sheet = book['Потребность в кадрах']
        codes = [sheet.cell(row=r, column=1).value for r in range(6, 8)]
        self.assertEqual(sorted(codes), ['09.02.07', '15.01.05'])

    # Partner portal --------------------------------------------------------
    def test_employer_answers_on_partner_portal(self):
        "An employer answers the labor-market survey for its organization"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            from copp_survey.templates_data import create_survey
            from copp_contingent.tests.tools import federal_specialty
            survey = create_survey('labor_market', self.copp(),
                dt.date.today().year)
            pool.get('copp.survey').open([survey])
            survey_id = survey.id
            qs = {x.code: x for x in survey.questions}
            hiring_yes = option(qs['hiring'], "Да").id
            ids = {k: v.id for k, v in qs.items()}
            it = federal_specialty('09.02.07').id
            pages = len(survey.pages)
        client = PortalClient()
        client.login('kadry@stanok.example', PASSWORD)
        listing = text(client.get('/partner/surveys'))
        self.assertIn("Потребность работодателей в кадрах", listing)
        self.assertIn("Нет ответа", listing)
        intro = client.get(f'/partner/surveys/{survey_id}')
        self.assertIn("АО «Рязанский станкозавод»", text(intro))
        response = client.post(f'/partner/surveys/{survey_id}', {})
        page1 = response.headers['Location']
        token = PAGE.search(page1).group(1)
        response = client.post(page1, {f"q{ids['staff']}": "250",
                f"q{ids['hiring']}": str(hiring_yes), 'action': 'next'})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        page2 = f'/survey/r/{token}/2'
        d = f"q{ids['demand']}_0_"
        # The three-year need smaller than the next year's is refused.
        response = client.post(page2, {d + 'specialty': str(it),
                d + 'next': '5', d + 'three': '3', 'action': 'next'})
        self.assertEqual(response.status_code, 422)
        self.assertIn("строка 1: потребность за три года", text(response))
        response = client.post(page2, {d + 'specialty': str(it),
                d + 'qualification': 'specialist', d + 'next': '5',
                d + 'three': '12', d + 'salary': '55 000',
                d + 'conditions': "Целевое обучение",
                f"q{ids['demand']}_1_profession": "Оператор БПЛА",
                f"q{ids['demand']}_1_next": '1',
                f"q{ids['demand']}_1_three": '3', 'action': 'next'})
        self.assertEqual(response.status_code, 303, text(response)[:2000])
        # Nobody but the organization's users opens this answer.
        anonymous = PortalClient()
        self.assertEqual(anonymous.get(page1).status_code, 303)
        for number in range(3, pages + 1):
            client.post(f'/survey/r/{token}/{number}', {'action': 'next'})
        response = client.post(f'/survey/r/{token}/submit', {},
            csrf_from=f'/survey/r/{token}/review')
        self.assertIn("Спасибо", text(response))
        self.assertIn("Ответ отправлен",
            text(client.get('/partner/surveys')))
        response = client.get(f'/partner/surveys/{survey_id}')
        self.assertEqual(response.status_code, 410)

        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Response = pool.get('copp.survey.response')
            Employer = pool.get('copp.employer')
            response, = Response.search([('survey', '=', survey_id)])
            employer = Employer(self.employer_ids[0])
            self.assertEqual(response.organization, employer.party)
            self.assertEqual(response.segment, 'employer')
            self.assertEqual(response.state, 'submitted')
            self.assertEqual(sorted((d.need_next_year, d.need_three_years,
                        d.salary) for d in response.demands),
                [(1, 3, None), (5, 12, 55000)])

    # Exports and results page -------------------------------------------
    def test_results_page_and_export(self):
        "The signed results page with SVG charts, escaped texts and xlsx"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Response = pool.get('copp.survey.response')
            Answer = pool.get('copp.survey.answer')
            survey, q = survey_with_all_kinds(self.copp(),
                name="Опрос с результатами")
            response, = Response.create([{'survey': survey.id,
                        'segment': 'student', 'state': 'submitted',
                        'submitted_date': dt.datetime.now()}])
            Answer.create([
                    {'response': response.id, 'question': q['works'].id,
                        'option': q['works'].options[1].id},
                    {'response': response.id, 'question': q['why'].id,
                        'text': '=HYPERLINK("x") <img src=x onerror=1>'},
                    {'response': response.id, 'question': q['score'].id,
                        'number': 4}])
            url = survey.results_url
            survey_id = survey.id
        path = url[url.index('/survey/results/'):]
        client = PortalClient()
        page = client.get(path)
        self.assertEqual(page.status_code, 200)
        html = text(page)
        self.assertIn('<svg class="chart"', html)
        self.assertIn("&lt;img src=x onerror=1&gt;", html)
        self.assertNotIn("<img src=x", html)
        self.assertEqual(client.get(path + '?segment=employer').status_code,
            200)
        self.assertEqual(client.get(
                f'/survey/results/{survey_id}/' + '0' * 32).status_code, 403)
        xlsx = client.get(path + '/answers.xlsx')
        self.assertEqual(xlsx.status_code, 200)
        # The file is named in Russian, for browsers as RFC 6266 asks
        self.assertEqual(xlsx.headers['Content-Disposition'],
            f"attachment; filename=survey-{survey_id}-answers.xlsx; "
            "filename*=UTF-8''" + urllib.parse.quote(
                f"опрос-{survey_id}-ответы.xlsx"))
        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
        self.assertEqual(sheet.max_row, 2)  # the header and one response
        headers = [c.value for c in sheet[1]]
        self.assertIn("Подготовка — Практика", headers)
        row = {h: c.value for h, c in zip(headers, sheet[2])}
        self.assertEqual(row["Работаете?"], "Нет")
        self.assertEqual(row["Оценка"], 4)
        # A formula-looking answer stays text.
        self.assertEqual(row["Почему?"], '=HYPERLINK("x") <img src=x onerror=1>')
        self.assertEqual(sheet.cell(row=2, column=headers.index(
                    "Почему?") + 1).data_type, 's')

    # Post-event survey -----------------------------------------------------
    def test_event_satisfaction_survey(self):
        "Attendees of a finished event are invited to its survey"
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Event = pool.get('copp.event')
            Registration = pool.get('copp.event.registration')
            Attendance = pool.get('copp.event.attendance')
            Invitation = pool.get('copp.survey.invitation')
            from copp_survey.templates_data import create_survey
            survey = create_survey('event_satisfaction', self.copp())
            pool.get('copp.survey').open([survey])
            event = create_event(self.copp(), days=0,
                satisfaction_survey=survey.id)
            came, absent = Registration.register(event, [
                    adult("Пришедший", email='came@example.com'),
                    adult("Непришедший", email='absent@example.com')],
                send=False)
            Attendance.check_in(came, event.sessions[0])
            Event.done([event])
            invitation, = Invitation.search([('survey', '=', survey.id)])
            self.assertEqual(invitation.email, 'came@example.com')
            self.assertEqual(invitation.registration, came)
            self.assertIsNotNone(invitation.sent_date)
            # Sending again invites nobody twice.
            Event.invite_attendees([event])
            self.assertEqual(Invitation.search_count([
                        ('survey', '=', survey.id)]), 1)
        run_queue()
        _, recipients, message = self.smtp.last()
        self.assertEqual(recipients, ['came@example.com'])
        self.assertIn("Оценка мероприятия", message['Subject'])
