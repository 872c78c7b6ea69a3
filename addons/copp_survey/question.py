"""The structure of a survey: sections (pages), questions, the options to
choose from (the columns of a matrix), the rows of a matrix, and the
options that show a conditional question."""
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pyson import Bool, Eval, If

from .exceptions import SurveyValidationError
from .survey import CHOICE_KINDS, QUESTION_KINDS, TEXT_MAX


class Section(sequence_ordered(), ModelSQL, ModelView):
    "Survey Section"
    __name__ = 'copp.survey.section'
    __string__ = "Survey Section"

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        ondelete='CASCADE')
    name = fields.Char("Title", required=True)
    description = fields.Text("Description")
    questions = fields.One2Many('copp.survey.question', 'section',
        "Questions", domain=[('survey', '=', Eval('survey', -1))])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')


class Question(sequence_ordered(), ModelSQL, ModelView):
    "Survey Question"
    __name__ = 'copp.survey.question'
    __string__ = "Survey Question"

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        ondelete='CASCADE')
    section = fields.Many2One('copp.survey.section', "Section",
        ondelete='SET NULL', domain=[('survey', '=', Eval('survey', -1))])
    text = fields.Char("Question", required=True)
    hint = fields.Char("Hint")
    code = fields.Char("Code",
        help="A short identifier for exports and templates.")
    kind = fields.Selection(QUESTION_KINDS, "Kind", required=True)
    required = fields.Boolean("Required")
    options = fields.One2Many('copp.survey.option', 'question', "Options",
        states={'invisible': ~Eval('kind').in_(
                ['single', 'multiple', 'matrix'])},
        help="The answers to choose from (the columns of a matrix).")
    rows = fields.One2Many('copp.survey.row', 'question', "Rows",
        states={'invisible': Eval('kind') != 'matrix'})
    min_value = fields.Float("Minimum", states={
            'invisible': ~Eval('kind').in_(['number'])})
    max_value = fields.Float("Maximum", states={
            'invisible': ~Eval('kind').in_(['number'])})
    integer = fields.Boolean("Whole Numbers Only",
        states={'invisible': Eval('kind') != 'number'})
    max_length = fields.Integer("Maximum Length",
        states={'invisible': Eval('kind') != 'text'},
        domain=[If(Bool(Eval('max_length')),
                [('max_length', '>', 0), ('max_length', '<=', 20000)], [])])
    multiline = fields.Boolean("Several Lines",
        states={'invisible': Eval('kind') != 'text'})
    condition_question = fields.Many2One('copp.survey.question',
        "Shown When Question", ondelete='SET NULL',
        domain=[
            ('survey', '=', Eval('survey', -1)),
            ('kind', 'in', ['single', 'multiple']),
            ('id', '!=', Eval('id', -1)),
            ],
        help="The question is shown only when this earlier question has "
        "one of the answers below.")
    condition_options = fields.Many2Many('copp.survey.question-option',
        'question', 'option', "Has One of the Answers",
        domain=[('question', '=', Eval('condition_question', -1))],
        states={'invisible': ~Eval('condition_question')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.survey, Index.Range())))

    @classmethod
    def default_kind(cls):
        return 'single'

    @classmethod
    def default_required(cls):
        return False

    def get_rec_name(self, name):
        return self.text

    @property
    def text_max_length(self):
        return self.max_length or TEXT_MAX

    def check_structure(self):
        if self.kind in {'single', 'multiple', 'matrix'} and not self.options:
            raise SurveyValidationError(gettext(
                    'copp_survey.msg_question_no_option',
                    question=self.text))
        if self.kind == 'matrix' and not self.rows:
            raise SurveyValidationError(gettext(
                    'copp_survey.msg_question_no_row', question=self.text))
        if (self.min_value is not None and self.max_value is not None
                and self.min_value > self.max_value):
            raise SurveyValidationError(gettext(
                    'copp_survey.msg_question_range', question=self.text))
        if self.condition_question:
            condition = self.condition_question
            if condition.survey != self.survey or (
                    condition.kind not in CHOICE_KINDS):
                raise SurveyValidationError(gettext(
                        'copp_survey.msg_question_condition',
                        question=self.text))
            if self.position() <= condition.position():
                raise SurveyValidationError(gettext(
                        'copp_survey.msg_question_condition_order',
                        question=self.text, condition=condition.text))

    def position(self):
        "The place of the question in the order it is asked"
        order = []
        for _, questions in self.survey.pages:
            order.extend(q.id for q in questions)
        return order.index(self.id) if self.id in order else len(order)


class QuestionOption(ModelSQL):
    "Survey Question Condition Option"
    __name__ = 'copp.survey.question-option'
    __string__ = "Survey Question Condition Option"

    question = fields.Many2One('copp.survey.question', "Question",
        required=True, ondelete='CASCADE')
    option = fields.Many2One('copp.survey.option', "Option", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('question')


class Option(sequence_ordered(), ModelSQL, ModelView):
    "Survey Option"
    __name__ = 'copp.survey.option'
    __string__ = "Survey Answer Option"

    question = fields.Many2One('copp.survey.question', "Question",
        required=True, ondelete='CASCADE')
    text = fields.Char("Answer", required=True)
    value = fields.Char("Code",
        help="A short identifier for exports and templates.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('question')

    def get_rec_name(self, name):
        return self.text


class Row(sequence_ordered(), ModelSQL, ModelView):
    "Survey Matrix Row"
    __name__ = 'copp.survey.row'
    __string__ = "Survey Matrix Row"

    question = fields.Many2One('copp.survey.question', "Question",
        required=True, ondelete='CASCADE')
    text = fields.Char("Row", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('question')

    def get_rec_name(self, name):
        return self.text
