"""Formula injection through the survey exports (issue 15 #7): a partner
renames its organization `=HYPERLINK(…)` on the portal; the answers xlsx
(and the staffing-demand xlsx) of the results page keep it as text."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, RouteTestCase
from trytond.transaction import Transaction

from copp.tests.xlsx_tools import HOSTILE, check_text_cells
from copp_event.tests.tools import create_college
from copp_portal.tests.tools import (
    PortalClient, PortalTestMixin, create_portal_user, text)

PASSWORD = 'Rjazan-2026-partner'


class SurveyXlsxInjectionTestCase(PortalTestMixin, RouteTestCase):
    "Hostile names in the survey exports"
    module = 'copp_survey'
    language = 'ru'

    @classmethod
    def setUpDatabase(cls):
        from copp_employer.tests.tools import INNS, create_employer
        copp = create_college("ЦОПП Рязанской области", "ЦОПП", kind='copp')
        cls.copp_id = copp.id
        employer = create_employer("ООО «Честное имя»", inn=INNS[3],
            email='hr@honest.example')
        cls.party_id = employer.party.id
        create_portal_user('hr@honest.example', "Ольга Кадрова",
            employer.party, PASSWORD)

    def test_answers_and_demand_xlsx(self):
        "The partner's hostile name comes back as text in both exports"
        hostile = HOSTILE[0]
        client = PortalClient()
        client.login('hr@honest.example', PASSWORD)
        response = client.post('/partner/organization', {
                'name': hostile, 'district': 'ryazan'})
        self.assertEqual(response.status_code, 303, text(response)[:1000])
        with Transaction().start(DB_NAME, 0):
            pool = Pool()
            Party = pool.get('party.party')
            Survey = pool.get('copp.survey')
            Response = pool.get('copp.survey.response')
            Answer = pool.get('copp.survey.answer')
            Demand = pool.get('copp.survey.demand')
            from copp_survey.templates_data import create_survey
            self.assertEqual(Party(self.party_id).name, hostile)
            copp = pool.get('company.company')(self.copp_id)
            survey = create_survey('labor_market', copp, 2026,
                anonymous=False)
            Survey.open([survey])
            demand_q, = [x for x in survey.questions if x.kind == 'demand']
            text_q = [x for x in survey.questions if x.kind == 'text']
            response, = Response.create([{'survey': survey.id,
                        'segment': 'employer', 'state': 'submitted',
                        'organization': self.party_id,
                        'submitted_date': dt.datetime(2026, 3, 2, 10)}])
            Demand.create([{'response': response.id,
                        'question': demand_q.id, 'profession': HOSTILE[2],
                        'need_next_year': 2, 'need_three_years': 5,
                        'qualification': 'specialist',
                        'conditions': HOSTILE[3]}])
            texts = [hostile, HOSTILE[2], HOSTILE[3]]
            if text_q:
                Answer.create([{'response': response.id,
                            'question': text_q[0].id, 'text': HOSTILE[1]}])
                texts.append(HOSTILE[1])
            url = survey.results_url
        path = url[url.index('/survey/results/'):]
        xlsx = client.get(path + '/answers.xlsx')
        self.assertEqual(xlsx.status_code, 200)
        check_text_cells(self, xlsx.get_data(), texts)
        demand = client.get(path + '/demand.xlsx')
        self.assertEqual(demand.status_code, 200)
        check_text_cells(self, demand.get_data(), [])


del RouteTestCase
