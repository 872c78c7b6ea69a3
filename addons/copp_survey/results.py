"""Results of a survey: the distribution of every question in a few
GROUP BY queries over the answers of the sent responses.

`distributions(survey, segment)` is what the results page, the back office
and the benchmark use; `ResultLine` is the same counts as a table_query
model for the graph views of the back office.
"""
from collections import defaultdict

from sql import Literal, Null
from sql.aggregate import Count, Min
from sql.conditionals import Case, Coalesce
from sql.functions import CurrentTimestamp

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .survey import SEGMENTS

# Questions whose answers the results chart: options, rows of options, scales
CHART_KINDS = ['single', 'multiple', 'matrix', 'scale']


def _response_filter(response, survey_id, segment=None):
    where = (response.survey == survey_id) & (response.state == 'submitted')
    if segment:
        where &= response.segment == segment
    return where


def distributions(survey, segment=None):
    """{'responses': number of sent responses, 'questions': {question id:
    {'answered': responses that answered, 'counts': {(option, row): n},
    'values': {number: n}, 'dates': {date: n}, 'texts': n}}} for the sent
    responses (of the segment).

    One GROUP BY over the answers gives every count; the respondents of a
    multiple-choice or matrix question (several rows per response) need a
    COUNT(DISTINCT) restricted to those questions."""
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Response = pool.get('copp.survey.response')
    answer = Answer.__table__()
    response = Response.__table__()
    cursor = Transaction().connection.cursor()
    where = _response_filter(response, survey.id, segment)
    join = answer.join(response, condition=answer.response == response.id)

    cursor.execute(*response.select(Count(response.id), where=where))
    total, = cursor.fetchone()
    questions = defaultdict(lambda: {'answered': 0, 'counts': {},
            'values': {}, 'dates': {}, 'texts': 0})
    kinds = {q.id: q.kind for q in survey.questions}

    cursor.execute(*join.select(answer.question, answer.option, answer.row,
            answer.number, answer.date, Count(answer.id),
            where=where,
            group_by=[answer.question, answer.option, answer.row,
                answer.number, answer.date]))
    for question_id, option_id, row_id, number, date, count in cursor:
        stats = questions[question_id]
        if option_id is not None:
            stats['counts'][(option_id, row_id)] = count
        elif number is not None:
            stats['values'][number] = count
        elif date is not None:
            stats['dates'][date] = count
        else:
            stats['texts'] += count
        # One answer per response for the other kinds
        stats['answered'] += count

    several = [i for i, k in kinds.items() if k in {'multiple', 'matrix'}]
    if several:
        for question_id in several:
            questions[question_id]['answered'] = 0
        cursor.execute(*join.select(answer.question,
                Count(answer.response, distinct=True),
                where=where & answer.question.in_(several),
                group_by=[answer.question]))
        for question_id, count in cursor:
            questions[question_id]['answered'] = count
    if 'demand' in kinds.values():
        Demand = pool.get('copp.survey.demand')
        demand = Demand.__table__()
        cursor.execute(*demand.join(response,
                condition=demand.response == response.id).select(
                demand.question, Count(demand.response, distinct=True),
                where=where, group_by=[demand.question]))
        for question_id, count in cursor:
            questions[question_id]['answered'] = count
    return {'responses': total, 'questions': dict(questions)}


def number_stats(values):
    "count, mean, median, min and max of {value: count}"
    count = sum(values.values())
    if not count:
        return None
    items = sorted(values.items())
    mean = sum(v * c for v, c in items) / count
    half, seen, median = count / 2, 0, None
    for value, c in items:
        seen += c
        if seen >= half:
            median = value
            break
    return {'count': count, 'mean': mean, 'median': median,
        'min': items[0][0], 'max': items[-1][0]}


def texts(survey, question, segment=None, limit=50, offset=0):
    "The free-text answers of `question`, latest first: (total, [texts])"
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Response = pool.get('copp.survey.response')
    answer = Answer.__table__()
    response = Response.__table__()
    cursor = Transaction().connection.cursor()
    where = _response_filter(response, survey.id, segment) & (
        answer.question == question.id) & (answer.text != Null)
    join = answer.join(response, condition=answer.response == response.id)
    cursor.execute(*join.select(Count(answer.id), where=where))
    total, = cursor.fetchone()
    cursor.execute(*join.select(answer.text, where=where,
            order_by=[answer.id.desc], limit=limit, offset=offset))
    return total, [t for t, in cursor]


class ResultContext(ModelView):
    "Survey Results Context"
    __name__ = 'copp.survey.result.context'
    __string__ = "Survey Results Context"

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        domain=[('state', '!=', 'draft')])
    question = fields.Many2One('copp.survey.question', "Question",
        domain=[('survey', '=', Eval('survey', -1)),
            ('kind', 'in', CHART_KINDS)],
        help="Empty for every question of the survey.")
    segment = fields.Selection([(None, "")] + SEGMENTS, "Segment")

    @classmethod
    def _active(cls, model):
        context = Transaction().context
        if context.get('active_model') == model:
            return context.get('active_id') or next(
                iter(context.get('active_ids') or []), None)

    @classmethod
    def default_survey(cls):
        "The survey or question the results are opened from, else the latest"
        pool = Pool()
        Survey = pool.get('copp.survey')
        Question = pool.get('copp.survey.question')
        if survey := cls._active('copp.survey'):
            return survey
        if question := cls._active('copp.survey.question'):
            return Question(question).survey.id
        surveys = Survey.search([('state', '!=', 'draft')],
            order=[('reference_year', 'DESC NULLS LAST'), ('id', 'DESC')],
            limit=1)
        return surveys[0].id if surveys else None

    @classmethod
    def default_question(cls):
        "The question opened from, else the first one with a chart"
        pool = Pool()
        Question = pool.get('copp.survey.question')
        if question := cls._active('copp.survey.question'):
            return question
        survey = cls.default_survey()
        questions = Question.search([('survey', '=', survey or -1),
                ('kind', 'in', CHART_KINDS)], limit=1)
        return questions[0].id if questions else None

    @fields.depends('survey', 'question')
    def on_change_survey(self):
        if self.question and self.question.survey != self.survey:
            self.question = None


class ResultLine(ModelSQL, ModelView):
    "Survey Result"
    __name__ = 'copp.survey.result'
    __string__ = "Survey Result"

    survey = fields.Many2One('copp.survey', "Survey", required=True)
    question = fields.Many2One('copp.survey.question', "Question")
    option = fields.Many2One('copp.survey.option', "Answer")
    row = fields.Many2One('copp.survey.row', "Row")
    value = fields.Float("Value")
    label = fields.Function(fields.Char("Answer"), 'get_label')
    chart_text = fields.Function(fields.Char("Answer",
            help="The answer, after the question's number when the results "
            "of several questions are shown."), 'get_chart_text')
    count = fields.Integer("Answers")
    answered = fields.Integer("Respondents")
    percent = fields.Function(fields.Float("Share (%)", digits=(16, 1)),
        'get_percent')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        cls._order = [('question', 'ASC'), ('row', 'ASC'),
            ('option', 'ASC'), ('value', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Answer = pool.get('copp.survey.answer')
        Response = pool.get('copp.survey.response')
        Question = pool.get('copp.survey.question')
        answer = Answer.__table__()
        response = Response.__table__()
        question = Question.__table__()
        answer2 = Answer.__table__()
        response2 = Response.__table__()
        context = Transaction().context
        segment = context.get('segment')

        where = response.state == 'submitted'
        where2 = response2.state == 'submitted'
        if segment:
            where &= response.segment == segment
            where2 &= response2.segment == segment
        # The filter form of the results: one survey, maybe one question
        if context.get('survey'):
            where &= response.survey == context['survey']
            where2 &= response2.survey == context['survey']
        if context.get('question'):
            where &= answer.question == context['question']
            where2 &= answer2.question == context['question']
        value = Case((question.kind == 'scale', answer.number),
            else_=Null)
        counts = answer.join(response,
            condition=answer.response == response.id
            ).join(question, condition=answer.question == question.id
            ).select(
                Min(answer.id).as_('id'),
                response.survey.as_('survey'),
                answer.question.as_('question'),
                answer.option.as_('option'),
                answer.row.as_('row'),
                value.as_('value'),
                Count(answer.id).as_('count'),
                where=where & ((answer.option != Null)
                    | (question.kind == 'scale')),
                # Not the CASE itself: PostgreSQL does not match its
                # parameters with the selected one.
                group_by=[response.survey, answer.question, answer.option,
                    answer.row, question.kind, answer.number])
        totals = answer2.join(response2,
            condition=answer2.response == response2.id).select(
                answer2.question.as_('question'),
                Count(answer2.response, distinct=True).as_('answered'),
                where=where2, group_by=[answer2.question])
        return counts.join(totals,
            condition=counts.question == totals.question).select(
                counts.id.as_('id'),
                Literal(0).as_('create_uid'),
                CurrentTimestamp().as_('create_date'),
                Literal(None).as_('write_uid'),
                Literal(None).as_('write_date'),
                counts.survey.as_('survey'),
                counts.question.as_('question'),
                counts.option.as_('option'),
                counts.row.as_('row'),
                counts.value.as_('value'),
                counts.count.as_('count'),
                Coalesce(totals.answered, 0).as_('answered'))

    def get_label(self, name):
        if self.option:
            label = self.option.text
        elif self.value is not None:
            label = str(int(self.value)) if self.value == int(
                self.value) else str(self.value)
        else:
            label = ''
        if self.row:
            label = f'{self.row.text}: {label}'
        return label

    @classmethod
    def get_chart_text(cls, lines, name):
        "The label, numbered by question unless one question is shown"
        pool = Pool()
        Question = pool.get('copp.survey.question')
        if Transaction().context.get('question'):
            return {l.id: l.label for l in lines}
        surveys = {l.survey.id for l in lines}
        numbers = {}
        for survey in surveys:
            questions = Question.search([('survey', '=', survey)])
            numbers.update({q.id: i for i, q in enumerate(questions, 1)})
        return {l.id: (f'{numbers.get(l.question.id, "")}. {l.label}'
                if l.question else l.label) for l in lines}

    def get_percent(self, name):
        if not self.answered:
            return None
        return round(100.0 * self.count / self.answered, 1)
