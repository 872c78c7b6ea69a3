"""The regional staffing-demand report: what the employers expect to need
(answers of a labor-market survey) beside what the colleges will supply.

For a labor-market survey of the reference year Y, per specialty:
- demand: the sum over the employers who answered of their need for the
  next year (Y+1) and for the three next years (Y+1..Y+3);
- estimate: that sum scaled up by the response rate of the invitations
  (answered / invited), or to the number of employers of the region when
  the survey gives it (`population` / responding organizations);
- supply: students of the contingent (studying or on academic leave) of
  the groups whose planned graduation year is Y+1 (resp. Y+1..Y+3), plus
  the places of the admissions plan that graduate in those years;
- gap: estimate − supply (positive: not enough graduates).
Everything is one SQL query (table_query) over the whole set.
"""
import io

from sql import Literal, Null, Union
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import CurrentTimestamp, Round

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import SurveyError

STUDENT_STATES = ['studying', 'academic_leave']


def scale_factor(survey):
    """(factor, answered, invited): how much the demand of the respondents
    is multiplied to estimate the region's"""
    pool = Pool()
    Response = pool.get('copp.survey.response')
    answered = Response.search_count([
            ('survey', '=', survey.id),
            ('state', '=', 'submitted'),
            ])
    if survey.population and answered:
        return survey.population / answered, answered, survey.population
    invited = survey.invitation_count
    invited_answered = survey.invitation_submitted
    if invited and invited_answered:
        return invited / invited_answered, invited_answered, invited
    return 1.0, answered, answered


class AdmissionPlan(ModelSQL, ModelView):
    "Admissions Plan"
    __name__ = 'copp.survey.admission_plan'
    __string__ = "Admissions Plan"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    year = fields.Integer("Year of Admission", required=True,
        domain=[('year', '>=', 2000), ('year', '<=', 2100)])
    specialty = fields.Many2One('copp.specialty', "Specialty",
        required=True, ondelete='RESTRICT')
    places = fields.Integer("Places", required=True,
        domain=[('places', '>', 0)],
        help="Planned admissions (budget and contract).")
    graduation_year = fields.Integer("Graduation Year", required=True,
        domain=[('graduation_year', '>=', Eval('year', 0))],
        help="When the admitted students graduate.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('plan_unique', Unique(t, t.company, t.year, t.specialty),
                'copp_survey.msg_admission_plan_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.graduation_year, Index.Range())))
        cls._order = [('year', 'DESC'), ('company', 'ASC'),
            ('specialty', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('specialty', 'year', 'graduation_year')
    def on_change_with_graduation_year(self):
        import math
        if self.specialty and self.year and self.specialty.durations:
            months = min(d.months for d in self.specialty.durations
                if d.study_form == 'full_time') if any(
                d.study_form == 'full_time'
                for d in self.specialty.durations) else min(
                d.months for d in self.specialty.durations)
            return self.year + math.ceil(months / 12)
        return self.graduation_year


class DemandContext(ModelView):
    "Staffing Demand Context"
    __name__ = 'copp.survey.demand.context'
    __string__ = "Staffing Demand Context"

    survey = fields.Many2One('copp.survey', "Labor-market Survey",
        required=True, domain=[('kind', '=', 'labor_market')])

    @classmethod
    def default_survey(cls):
        pool = Pool()
        Survey = pool.get('copp.survey')
        surveys = Survey.search([('kind', '=', 'labor_market'),
                ('state', '!=', 'draft')],
            order=[('reference_year', 'DESC'), ('id', 'DESC')], limit=1)
        return surveys[0].id if surveys else None


class DemandReport(ModelSQL, ModelView):
    "Staffing Demand by Specialty"
    __name__ = 'copp.survey.demand.report'
    __string__ = "Staffing Demand by Specialty"

    specialty = fields.Many2One('copp.specialty', "Specialty")
    demand_next = fields.Integer("Demand Next Year",
        help="The sum over the employers who answered.")
    estimate_next = fields.Integer("Estimated Demand Next Year",
        help="The demand scaled by the response rate.")
    supply_next = fields.Integer("Graduates Next Year")
    gap_next = fields.Integer("Gap Next Year",
        help="Estimated demand − graduates: positive when there are not "
        "enough graduates.")
    demand_three = fields.Integer("Demand in Three Years")
    estimate_three = fields.Integer("Estimated Demand in Three Years")
    supply_three = fields.Integer("Graduates in Three Years")
    gap_three = fields.Integer("Gap in Three Years")
    employers = fields.Integer("Employers",
        help="The employers who need this specialty.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('gap_three', 'DESC'), ('specialty', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Survey = pool.get('copp.survey')
        Demand = pool.get('copp.survey.demand')
        Response = pool.get('copp.survey.response')
        Student = pool.get('copp.student')
        Group = pool.get('copp.study.group')
        Plan = pool.get('copp.survey.admission_plan')
        demand = Demand.__table__()
        response = Response.__table__()
        student = Student.__table__()
        group = Group.__table__()
        plan = Plan.__table__()

        survey_id = Transaction().context.get('survey')
        surveys = Survey.search([('id', '=', survey_id or -1)])
        if surveys:
            survey, = surveys
            year = survey.reference_year or 0
            factor = scale_factor(survey)[0]
        else:
            year, factor = 0, 1.0
        first, last = year + 1, year + 3

        needs = demand.join(response,
            condition=demand.response == response.id).select(
                demand.specialty.as_('specialty'),
                Sum(demand.need_next_year).as_('next'),
                Sum(demand.need_three_years).as_('three'),
                Count(response.organization, distinct=True).as_(
                    'employers'),
                where=(response.survey == (survey_id or -1))
                & (response.state == 'submitted')
                & (demand.specialty != Null),
                group_by=[demand.specialty])
        graduates = student.join(group,
            condition=student.group == group.id).select(
                group.specialty.as_('specialty'),
                Sum(Case((group.graduation_year == first, 1), else_=0)
                    ).as_('next'),
                Count(student.id).as_('three'),
                where=student.state.in_(STUDENT_STATES)
                & (group.graduation_year >= first)
                & (group.graduation_year <= last),
                group_by=[group.specialty])
        planned = plan.select(
            plan.specialty.as_('specialty'),
            Sum(Case((plan.graduation_year == first, plan.places),
                    else_=0)).as_('next'),
            Sum(plan.places).as_('three'),
            where=(plan.graduation_year >= first)
            & (plan.graduation_year <= last),
            group_by=[plan.specialty])
        keys = Union(
            needs.select(needs.specialty),
            graduates.select(graduates.specialty),
            planned.select(planned.specialty))
        factor = Literal(float(factor))
        demand_next = Coalesce(needs.next, 0)
        demand_three = Coalesce(needs.three, 0)
        estimate_next = Round(demand_next * factor)
        estimate_three = Round(demand_three * factor)
        supply_next = Coalesce(graduates.next, 0) + Coalesce(planned.next, 0)
        supply_three = Coalesce(graduates.three, 0) + Coalesce(
            planned.three, 0)
        query = keys.join(needs, 'LEFT',
            condition=needs.specialty == keys.specialty
            ).join(graduates, 'LEFT',
            condition=graduates.specialty == keys.specialty
            ).join(planned, 'LEFT',
            condition=planned.specialty == keys.specialty
            ).select(
                keys.specialty.as_('id'),
                Literal(0).as_('create_uid'),
                CurrentTimestamp().as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                keys.specialty.as_('specialty'),
                demand_next.as_('demand_next'),
                estimate_next.as_('estimate_next'),
                supply_next.as_('supply_next'),
                (estimate_next - supply_next).as_('gap_next'),
                demand_three.as_('demand_three'),
                estimate_three.as_('estimate_three'),
                supply_three.as_('supply_three'),
                (estimate_three - supply_three).as_('gap_three'),
                Coalesce(needs.employers, 0).as_('employers'),
                where=keys.specialty != Null)
        return query

    @classmethod
    def read(cls, ids, fields_names):
        # Round() answers a float: the fields are integers.
        rows = super().read(ids, fields_names)
        for row in rows:
            for name in ['estimate_next', 'estimate_three', 'gap_next',
                    'gap_three']:
                if row.get(name) is not None:
                    row[name] = int(round(row[name]))
        return rows


def report_rows(survey):
    "The lines of the report of `survey` as dicts, biggest gap first"
    pool = Pool()
    Report = pool.get('copp.survey.demand.report')
    with Transaction().set_context(survey=survey.id):
        records = Report.search([])
        names = ['specialty', 'demand_next', 'estimate_next',
            'supply_next', 'gap_next', 'demand_three', 'estimate_three',
            'supply_three', 'gap_three', 'employers']
        rows = Report.read([r.id for r in records], names)
    by_id = {r['id']: r for r in rows}
    return [by_id[r.id] for r in records]


def report_xlsx(survey):
    "The report as an xlsx workbook (bytes) with a bar chart"
    from copp.xlsx import workbook as xlsx_workbook
    pool = Pool()
    Specialty = pool.get('copp.specialty')
    Demand = pool.get('copp.survey.demand')
    rows = report_rows(survey)
    specialties = {s.id: s for s in Specialty.browse(
            [r['specialty'] for r in rows])}
    factor, answered, invited = scale_factor(survey)
    year = survey.reference_year
    output = io.BytesIO()
    workbook = xlsx_workbook(output, {'in_memory': True})
    bold = workbook.add_format({'bold': True})
    header = workbook.add_format({'bold': True, 'text_wrap': True,
            'valign': 'top', 'bg_color': '#E8F1FB', 'border': 1})
    number = workbook.add_format({'num_format': '# ##0', 'border': 1})
    text = workbook.add_format({'border': 1})
    gap = workbook.add_format({'num_format': '+# ##0;-# ##0;0',
            'border': 1, 'bold': True})
    sheet = workbook.add_worksheet("Потребность в кадрах")
    sheet.write(0, 0, "Потребность в кадрах и выпуск колледжей по "
        "специальностям", bold)
    sheet.write(1, 0, f"Опрос: {survey.name}")
    sheet.write(2, 0, f"Ответили работодателей: {answered} из {invited}; "
        f"коэффициент пересчёта на регион: {factor:.2f}")
    columns = ["Код", "Профессия / специальность", "Работодателей",
        f"Потребность {year + 1} (ответы)",
        f"Потребность {year + 1} (оценка по региону)",
        f"Выпуск {year + 1}", f"Дефицит {year + 1}",
        f"Потребность {year + 1}–{year + 3} (ответы)",
        f"Потребность {year + 1}–{year + 3} (оценка)",
        f"Выпуск {year + 1}–{year + 3}", f"Дефицит {year + 1}–{year + 3}"]
    for col, title in enumerate(columns):
        sheet.write(4, col, title, header)
    for line, row in enumerate(rows, 5):
        specialty = specialties[row['specialty']]
        sheet.write(line, 0, specialty.code, text)
        sheet.write(line, 1, specialty.name, text)
        for col, name in enumerate(['employers', 'demand_next',
                    'estimate_next', 'supply_next'], 2):
            sheet.write_number(line, col, row[name] or 0, number)
        sheet.write_number(line, 6, row['gap_next'] or 0, gap)
        for col, name in enumerate(['demand_three', 'estimate_three',
                    'supply_three'], 7):
            sheet.write_number(line, col, row[name] or 0, number)
        sheet.write_number(line, 10, row['gap_three'] or 0, gap)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 45)
    sheet.set_column(2, 10, 14)
    sheet.set_row(4, 60)
    sheet.freeze_panes(5, 2)
    if rows:
        last = 4 + len(rows)
        chart = workbook.add_chart({'type': 'bar'})
        chart.add_series({
                'name': f"Потребность {year + 1}–{year + 3} (оценка)",
                'categories': ['Потребность в кадрах', 5, 1, last, 1],
                'values': ['Потребность в кадрах', 5, 8, last, 8],
                'fill': {'color': '#0B4F8A'}})
        chart.add_series({
                'name': f"Выпуск {year + 1}–{year + 3}",
                'categories': ['Потребность в кадрах', 5, 1, last, 1],
                'values': ['Потребность в кадрах', 5, 9, last, 9],
                'fill': {'color': '#1E6B37'}})
        chart.set_title({'name': "Потребность и выпуск за три года"})
        chart.set_legend({'position': 'bottom'})
        chart.set_size({'width': 900, 'height': max(320,
                    40 + 28 * len(rows))})
        chart.set_y_axis({'reverse': True})
        sheet.insert_chart(last + 2, 1, chart)

    others = Demand.search([
            ('response.survey', '=', survey.id),
            ('response.state', '=', 'submitted'),
            ('specialty', '=', None),
            ])
    if others:
        sheet2 = workbook.add_worksheet("Другие профессии")
        for col, title in enumerate(["Профессия", "Организация",
                    f"{year + 1}", f"{year + 1}–{year + 3}", "Условия"]):
            sheet2.write(0, col, title, header)
        for line, demand in enumerate(others, 1):
            organization = demand.response.organization
            sheet2.write(line, 0, demand.profession or '')
            sheet2.write(line, 1, organization.rec_name
                if organization else '')
            sheet2.write_number(line, 2, demand.need_next_year)
            sheet2.write_number(line, 3, demand.need_three_years)
            sheet2.write(line, 4, demand.conditions or '')
        sheet2.set_column(0, 1, 40)
        sheet2.set_column(4, 4, 40)
    workbook.close()
    return output.getvalue()


class DemandExportStart(ModelView):
    "Export the Staffing Demand"
    __name__ = 'copp.survey.demand.export.start'
    __string__ = "Export the Staffing Demand"

    survey = fields.Many2One('copp.survey', "Labor-market Survey",
        required=True, domain=[('kind', '=', 'labor_market')])

    @classmethod
    def default_survey(cls):
        context = Transaction().context
        if context.get('survey'):
            return context['survey']
        if context.get('active_model') == 'copp.survey' and context.get(
                'active_id'):
            return context['active_id']
        return DemandContext.default_survey()


class DemandExportResult(ModelView):
    "Export the Staffing Demand"
    __name__ = 'copp.survey.demand.export.result'
    __string__ = "Staffing Demand File"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class DemandExport(Wizard):
    "Export the Staffing Demand"
    __name__ = 'copp.survey.demand.export'

    start = StateView('copp.survey.demand.export.start',
        'copp_survey.demand_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('copp.survey.demand.export.result',
        'copp_survey.demand_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        survey = self.start.survey
        if survey.kind != 'labor_market':
            raise SurveyError(gettext('copp_survey.msg_demand_not_labor',
                    survey=survey.rec_name))
        self.result.file = report_xlsx(survey)
        self.result.filename = gettext('copp_survey.msg_demand_filename',
            year=survey.reference_year)
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}
