"""Reading a page of answers from a submitted form, checking it, and saving
it all or nothing.

Form field names: `q<question id>` (one value, several for multiple
choice), `q<id>_r<row id>` for a matrix row, and `q<id>_<line>_<column>`
for the lines of the staffing demand table. Every error is a Russian
message that names the question (ir.message of this module).
"""
import datetime as dt
import re

from trytond.i18n import gettext
from trytond.pool import Pool

from .survey import SCALE_MAX

CONTROL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
NUMBER = re.compile(r'^-?\d{1,12}([.,]\d{1,6})?$')
DEMAND_LINES = 10
DEMAND_MAX = 100000
SALARY_MAX = 10000000
DEMAND_COLUMNS = ['specialty', 'profession', 'qualification', 'next',
    'three', 'salary', 'conditions']


def _error(message_id, question, **variables):
    return gettext(f'copp_survey.{message_id}', question=question.text,
        **variables)


def clean_text(value):
    "The text as stored: no control characters, normalised line ends"
    value = (value or '').replace('\r\n', '\n').replace('\r', '\n')
    return CONTROL.sub('', value).strip()


def field_name(question, *parts):
    return '_'.join([f'q{question.id}', *map(str, parts)])


class PageAnswers:
    """The answers of one page as read from a form: `values` {question id:
    [answer values]}, `demands` {question id: [demand values]}, `errors`
    {question id: message}, `raw` {field name: submitted text} to show
    the form again"""

    def __init__(self, questions, form):
        self.questions = questions
        self.form = form
        self.values = {}
        self.demands = {}
        self.errors = {}

    def read(self):
        for question in self.questions:
            try:
                if question.kind == 'demand':
                    self.demands[question.id] = self.read_demand(question)
                else:
                    self.values[question.id] = self.read_question(question)
            except AnswerError as exc:
                self.errors[question.id] = str(exc)
        return self

    # Reading ------------------------------------------------------------
    def get(self, name):
        value = self.form.get(name)
        return value if value is not None else ''

    def getlist(self, name):
        if hasattr(self.form, 'getlist'):
            return self.form.getlist(name)
        value = self.form.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def read_question(self, question):
        kind = question.kind
        name = field_name(question)
        if kind == 'single':
            raw = self.get(name).strip()
            if not raw:
                return []
            return [{'option': self.option(question, raw)}]
        if kind == 'multiple':
            raws = [r.strip() for r in self.getlist(name) if r.strip()]
            options = []
            for raw in raws:
                option = self.option(question, raw)
                if option not in options:
                    options.append(option)
            return [{'option': o} for o in options]
        if kind == 'matrix':
            result = []
            for row in question.rows:
                raw = self.get(field_name(question, f'r{row.id}')).strip()
                if raw:
                    result.append({'row': row.id,
                            'option': self.option(question, raw)})
            return result
        if kind == 'text':
            value = clean_text(self.get(name))
            if not value:
                return []
            if len(value) > question.text_max_length:
                raise AnswerError(_error('msg_answer_too_long', question,
                        max=question.text_max_length, length=len(value)))
            return [{'text': value}]
        if kind == 'number':
            raw = re.sub(r'[\s\u00a0]', '', self.get(name))
            if not raw:
                return []
            if not NUMBER.match(raw):
                raise AnswerError(_error('msg_answer_number', question))
            value = float(raw.replace(',', '.'))
            if question.integer and value != int(value):
                raise AnswerError(_error('msg_answer_integer', question))
            if question.min_value is not None and value < question.min_value:
                raise AnswerError(_error('msg_answer_min', question,
                        min=_number(question.min_value)))
            if question.max_value is not None and value > question.max_value:
                raise AnswerError(_error('msg_answer_max', question,
                        max=_number(question.max_value)))
            return [{'number': value}]
        if kind == 'scale':
            raw = self.get(name).strip()
            if not raw:
                return []
            if not raw.isdigit() or not 1 <= int(raw) <= SCALE_MAX:
                raise AnswerError(_error('msg_answer_scale', question,
                        max=SCALE_MAX))
            return [{'number': float(int(raw))}]
        if kind == 'date':
            raw = self.get(name).strip()
            if not raw:
                return []
            for fmt in ['%Y-%m-%d', '%d.%m.%Y']:
                try:
                    value = dt.datetime.strptime(raw, fmt).date()
                    break
                except ValueError:
                    continue
            else:
                raise AnswerError(_error('msg_answer_date', question))
            if not 1900 <= value.year <= 2100:
                raise AnswerError(_error('msg_answer_date', question))
            return [{'date': value}]
        raise ValueError(kind)

    def option(self, question, raw):
        try:
            option_id = int(raw)
        except ValueError:
            raise AnswerError(_error('msg_answer_choice', question))
        if option_id not in {o.id for o in question.options}:
            raise AnswerError(_error('msg_answer_choice', question))
        return option_id

    def read_demand(self, question):
        pool = Pool()
        Specialty = pool.get('copp.specialty')
        lines = []
        for line in range(DEMAND_LINES):
            raw = {c: clean_text(self.get(field_name(question, line, c)))
                for c in DEMAND_COLUMNS}
            if not any(raw[c] for c in ['specialty', 'profession', 'next',
                        'three', 'salary', 'conditions']):
                continue
            number = line + 1
            specialty = None
            if raw['specialty']:
                if not raw['specialty'].isdigit() or not Specialty.search([
                            ('id', '=', int(raw['specialty']))]):
                    raise AnswerError(_error('msg_demand_specialty',
                            question, line=number))
                specialty = int(raw['specialty'])
            elif not raw['profession']:
                raise AnswerError(_error('msg_demand_specialty', question,
                        line=number))
            if len(raw['profession']) > 200 or len(raw['conditions']) > 500:
                raise AnswerError(_error('msg_demand_too_long', question,
                        line=number))
            counts = []
            for column in ['next', 'three']:
                value = re.sub(r'[\s\u00a0]', '', raw[column]) or '0'
                if not value.isdigit() or int(value) > DEMAND_MAX:
                    raise AnswerError(_error('msg_demand_number', question,
                            line=number, max=DEMAND_MAX))
                counts.append(int(value))
            if counts[1] < counts[0]:
                raise AnswerError(_error('msg_demand_three_years', question,
                        line=number))
            if not any(counts):
                raise AnswerError(_error('msg_demand_empty', question,
                        line=number))
            salary = re.sub(r'[\s\u00a0]', '', raw['salary'])
            if salary and (not salary.isdigit()
                    or int(salary) > SALARY_MAX):
                raise AnswerError(_error('msg_demand_salary', question,
                        line=number))
            qualification = raw['qualification'] or 'specialist'
            if qualification not in {'worker', 'specialist', 'higher',
                    'any'}:
                raise AnswerError(_error('msg_answer_choice', question))
            lines.append({
                    'specialty': specialty,
                    'profession': raw['profession'] or None,
                    'qualification': qualification,
                    'need_next_year': counts[0],
                    'need_three_years': counts[1],
                    'salary': int(salary) if salary else None,
                    'conditions': raw['conditions'] or None,
                    })
        return lines

    # Checking -----------------------------------------------------------
    def check(self, chosen_before):
        """Check the required questions that are shown; `chosen_before`
        {question id: set of option ids} of the other pages. Answers of
        hidden questions are dropped. Returns True when there is no error"""
        chosen = dict(chosen_before)
        for question_id, values in self.values.items():
            chosen[question_id] = {v['option'] for v in values
                if v.get('option') and not v.get('row')}
        self.hidden = set()
        for question in self.questions:
            if not visible(question, chosen):
                self.hidden.add(question.id)
                self.errors.pop(question.id, None)
                self.values[question.id] = []
                if question.id in self.demands:
                    self.demands[question.id] = []
                continue
            if question.id in self.errors or not question.required:
                continue
            if question.kind == 'demand':
                if not self.demands.get(question.id):
                    self.errors[question.id] = _error(
                        'msg_answer_required', question)
            elif question.kind == 'matrix':
                answered = {v['row'] for v in self.values[question.id]}
                for row in question.rows:
                    if row.id not in answered:
                        self.errors[question.id] = _error(
                            'msg_answer_matrix_row', question, row=row.text)
                        break
            elif not self.values.get(question.id):
                self.errors[question.id] = _error('msg_answer_required',
                    question)
        return not self.errors

    def save(self, response):
        "Replace the answers of these questions (the caller checked them)"
        pool = Pool()
        Answer = pool.get('copp.survey.answer')
        Demand = pool.get('copp.survey.demand')
        ids = [q.id for q in self.questions]
        Answer.delete(Answer.search([
                    ('response', '=', response.id),
                    ('question', 'in', ids),
                    ]))
        Demand.delete(Demand.search([
                    ('response', '=', response.id),
                    ('question', 'in', ids),
                    ]))
        to_create = []
        for question_id, values in self.values.items():
            for value in values:
                to_create.append(dict(value, response=response.id,
                        question=question_id))
        Answer.create(to_create)
        demands = []
        for question_id, lines in self.demands.items():
            for line in lines:
                demands.append(dict(line, response=response.id,
                        question=question_id))
        Demand.create(demands)


class AnswerError(Exception):
    pass


def _number(value):
    if value == int(value):
        return str(int(value))
    return str(value).replace('.', ',')


def visible(question, chosen):
    "Whether the question is shown for the chosen options {question: ids}"
    condition = question.condition_question
    if not condition:
        return True
    wanted = {o.id for o in question.condition_options}
    return bool(wanted & chosen.get(condition.id, set()))


def saved_choices(response):
    "{question id: set of chosen option ids} of the saved answers"
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    table = Answer.__table__()
    from trytond.transaction import Transaction
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.select(table.question, table.option,
            where=(table.response == response.id)
            & (table.option != None) & (table.row == None)))  # noqa: E711
    chosen = {}
    for question_id, option_id in cursor:
        chosen.setdefault(question_id, set()).add(option_id)
    return chosen


def form_values(response, questions):
    """The form fields of the saved answers of `questions` {name: value or
    [values]} to show a page again"""
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Demand = pool.get('copp.survey.demand')
    by_id = {q.id: q for q in questions}
    values = {}
    for answer in Answer.search([
                ('response', '=', response.id),
                ('question', 'in', list(by_id)),
                ]):
        question = by_id[answer.question.id]
        name = field_name(question)
        if question.kind == 'multiple':
            values.setdefault(name, []).append(str(answer.option.id))
        elif question.kind == 'matrix':
            values[field_name(question, f'r{answer.row.id}')] = str(
                answer.option.id)
        elif question.kind == 'single':
            values[name] = str(answer.option.id)
        elif question.kind == 'text':
            values[name] = answer.text or ''
        elif question.kind == 'date':
            values[name] = answer.date.isoformat() if answer.date else ''
        elif question.kind in {'number', 'scale'}:
            values[name] = _number(answer.number) if (
                answer.number is not None) else ''
    lines = {}
    for demand in Demand.search([
                ('response', '=', response.id),
                ('question', 'in', list(by_id)),
                ], order=[('id', 'ASC')]):
        question = by_id[demand.question.id]
        line = lines.get(question.id, 0)
        lines[question.id] = line + 1
        for column, value in [
                ('specialty', demand.specialty.id if demand.specialty
                    else ''),
                ('profession', demand.profession or ''),
                ('qualification', demand.qualification),
                ('next', demand.need_next_year),
                ('three', demand.need_three_years),
                ('salary', demand.salary if demand.salary is not None
                    else ''),
                ('conditions', demand.conditions or '')]:
            values[field_name(question, line, column)] = str(value)
    return values


def missing_pages(response):
    """The first page (1-based) with a required, shown question left
    unanswered, with its message; (None, None) when complete"""
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Demand = pool.get('copp.survey.demand')
    answered = {a.question.id for a in Answer.search([
                ('response', '=', response.id)])}
    answered |= {d.question.id for d in Demand.search([
                ('response', '=', response.id)])}
    rows = {}
    for answer in Answer.search([('response', '=', response.id),
                ('row', '!=', None)]):
        rows.setdefault(answer.question.id, set()).add(answer.row.id)
    chosen = saved_choices(response)
    for number, (_, questions) in enumerate(response.survey.pages, 1):
        for question in questions:
            if not question.required or not visible(question, chosen):
                continue
            if question.kind == 'matrix':
                missing = [r for r in question.rows
                    if r.id not in rows.get(question.id, set())]
                if missing:
                    return number, _error('msg_answer_matrix_row', question,
                        row=missing[0].text)
            elif question.id not in answered:
                return number, _error('msg_answer_required', question)
    return None, None
