"""Export of all the answers of a survey to xlsx: one row per response,
one column per question (per row of a matrix); the staffing-demand lines
on a second sheet. Read set-based: one query for the answers."""
import io
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .survey import SEGMENTS

SEGMENT_LABELS = {
    'employer': "Работодатель",
    'graduate': "Выпускник",
    'student': "Студент",
    'schoolchild': "Школьник",
    'parent': "Родитель",
    'public': "Другой житель",
    }
QUALIFICATION_LABELS = {
    'worker': "Квалифицированный рабочий",
    'specialist': "Специалист среднего звена",
    'higher': "Высшее образование",
    'any': "Любой",
    }
assert set(SEGMENT_LABELS) == {s for s, _ in SEGMENTS}


def answers_xlsx(survey, segment=None, include_drafts=False):
    "All the responses of `survey` as xlsx bytes"
    from copp.xlsx import workbook as xlsx_workbook
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Response = pool.get('copp.survey.response')
    Demand = pool.get('copp.survey.demand')
    Party = pool.get('party.party')
    Specialty = pool.get('copp.specialty')
    answer = Answer.__table__()
    response = Response.__table__()
    cursor = Transaction().connection.cursor()

    where = response.survey == survey.id
    if not include_drafts:
        where &= response.state == 'submitted'
    if segment:
        where &= response.segment == segment
    cursor.execute(*response.select(response.id, response.state,
            response.segment, response.organization, response.started,
            response.submitted_date, where=where,
            order_by=[response.id.asc]))
    responses = cursor.fetchall()
    organizations = {p.id: p.rec_name for p in Party.browse(
            list({r[3] for r in responses if r[3]}))}

    questions = [q for _, qs in survey.pages for q in qs]
    options = {o.id: o.text for q in questions for o in q.options}
    columns = []  # (question, row or None)
    for question in questions:
        if question.kind == 'matrix':
            columns.extend((question, row) for row in question.rows)
        else:
            columns.append((question, None))
    index = {(q.id, r.id if r else None): i for i, (q, r) in
        enumerate(columns)}

    values = defaultdict(lambda: defaultdict(list))
    cursor.execute(*answer.join(response,
            condition=answer.response == response.id).select(
            answer.response, answer.question, answer.option, answer.row,
            answer.number, answer.text, answer.date, where=where,
            order_by=[answer.response.asc, answer.id.asc]))
    for (response_id, question_id, option_id, row_id, number, text,
            date) in cursor:
        key = index.get((question_id, row_id))
        if key is None:
            continue
        if option_id:
            value = options.get(option_id, '')
        elif number is not None:
            value = int(number) if number == int(number) else number
        elif date is not None:
            value = date if not isinstance(date, str) else date
        else:
            value = text or ''
        values[response_id][key].append(value)

    demands = Demand.search([('response.survey', '=', survey.id),
            ('response', 'in', [r[0] for r in responses])],
        order=[('response', 'ASC'), ('id', 'ASC')])
    specialties = {s.id: s for s in Specialty.browse(
            list({d.specialty.id for d in demands if d.specialty}))}
    demand_text = defaultdict(list)
    for demand in demands:
        name = (specialties[demand.specialty.id].rec_name
            if demand.specialty else demand.profession)
        demand_text[(demand.response.id, demand.question.id)].append(
            f'{name}: {demand.need_next_year} / {demand.need_three_years}')

    output = io.BytesIO()
    workbook = xlsx_workbook(output, {'in_memory': True,
            'constant_memory': True})
    header = workbook.add_format({'bold': True, 'text_wrap': True,
            'valign': 'top', 'bg_color': '#E8F1FB', 'border': 1})
    date_format = workbook.add_format({'num_format': 'dd.mm.yyyy'})
    datetime_format = workbook.add_format({'num_format': 'dd.mm.yyyy hh:mm'})
    sheet = workbook.add_worksheet("Ответы")
    fixed = ["№ ответа", "Состояние", "Начат", "Отправлен", "Категория"]
    if not survey.anonymous:
        fixed.append("Организация")
    titles = fixed + [
        f'{q.text} — {r.text}' if r else q.text for q, r in columns]
    for col, title in enumerate(titles):
        sheet.write(0, col, title, header)
    sheet.set_row(0, 45)
    sheet.set_column(0, len(fixed) - 1, 14)
    sheet.set_column(len(fixed), len(titles), 28)
    sheet.freeze_panes(1, 1)
    for line, (response_id, state, segment_, organization, started,
            submitted) in enumerate(responses, 1):
        sheet.write_number(line, 0, response_id)
        sheet.write(line, 1, "Отправлен" if state == 'submitted'
            else "Начат")
        if started:
            sheet.write_datetime(line, 2, _datetime(started),
                datetime_format)
        if submitted:
            sheet.write_datetime(line, 3, _datetime(submitted),
                datetime_format)
        sheet.write(line, 4, SEGMENT_LABELS.get(segment_, segment_))
        if not survey.anonymous:
            sheet.write(line, 5, organizations.get(organization, ''))
        for key, (question, row) in enumerate(columns):
            col = len(fixed) + key
            if question.kind == 'demand':
                text = '; '.join(demand_text.get(
                        (response_id, question.id), []))
                if text:
                    sheet.write_string(line, col, text)
                continue
            items = values[response_id].get(key)
            if not items:
                continue
            if len(items) > 1:
                sheet.write_string(line, col, '; '.join(map(str, items)))
            elif isinstance(items[0], (int, float)):
                sheet.write_number(line, col, items[0])
            elif hasattr(items[0], 'year'):
                sheet.write_datetime(line, col, _datetime(items[0]),
                    date_format)
            else:
                # write_string: a text that looks like a formula stays text
                sheet.write_string(line, col, str(items[0]))

    if demands:
        sheet2 = workbook.add_worksheet("Потребность в кадрах")
        year = survey.reference_year or 0
        for col, title in enumerate(["№ ответа", "Организация", "Код",
                    "Профессия / специальность", "Уровень квалификации",
                    f"{year + 1}", f"{year + 1}–{year + 3}", "Зарплата",
                    "Условия"]):
            sheet2.write(0, col, title, header)
        for line, demand in enumerate(demands, 1):
            organization = demand.response.organization
            specialty = (specialties[demand.specialty.id]
                if demand.specialty else None)
            sheet2.write_number(line, 0, demand.response.id)
            sheet2.write(line, 1, organization.rec_name
                if organization and not survey.anonymous else '')
            sheet2.write(line, 2, specialty.code if specialty else '')
            sheet2.write_string(line, 3, specialty.name if specialty
                else (demand.profession or ''))
            sheet2.write(line, 4, QUALIFICATION_LABELS.get(
                    demand.qualification, ''))
            sheet2.write_number(line, 5, demand.need_next_year)
            sheet2.write_number(line, 6, demand.need_three_years)
            if demand.salary is not None:
                sheet2.write_number(line, 7, demand.salary)
            sheet2.write_string(line, 8, demand.conditions or '')
        sheet2.set_column(1, 1, 35)
        sheet2.set_column(3, 4, 35)
        sheet2.set_column(8, 8, 40)
    workbook.close()
    return output.getvalue()


def _datetime(value):
    import datetime as dt
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time())


class ExportStart(ModelView):
    "Export Survey Answers"
    __name__ = 'copp.survey.export.start'
    __string__ = "Export Survey Answers"

    survey = fields.Many2One('copp.survey', "Survey", required=True)
    segment = fields.Selection([(None, "")] + SEGMENTS, "Segment")
    include_drafts = fields.Boolean("Include Unsent Answers")

    @classmethod
    def default_survey(cls):
        context = Transaction().context
        if context.get('active_model') == 'copp.survey':
            return context.get('active_id')

    @classmethod
    def default_include_drafts(cls):
        return False


class ExportResult(ModelView):
    "Export Survey Answers"
    __name__ = 'copp.survey.export.result'
    __string__ = "Survey Answers File"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class Export(Wizard):
    "Export Survey Answers"
    __name__ = 'copp.survey.export'

    start = StateView('copp.survey.export.start',
        'copp_survey.export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('copp.survey.export.result',
        'copp_survey.export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        survey = self.start.survey
        self.result.file = answers_xlsx(survey, self.start.segment,
            self.start.include_drafts)
        self.result.filename = gettext('copp_survey.msg_answers_filename',
            survey=survey.id)
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}

