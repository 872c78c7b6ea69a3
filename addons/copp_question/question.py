"""The question bank: categories (a tree per institution), questions of
eight kinds and their answers. The rules of the answers of each kind are in
structure.py (shared with the importers), the grading in grading.py.

Texts: a question's text and general feedback are HTML, cleaned with
copp_site's allow-list whenever they are written (a teacher's editor or
an imported file may bring <script>); a plain text becomes paragraphs.
The answers' texts and feedbacks are plain text."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, fields, sequence_ordered, tree)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp_site.sanitize import body_html

from . import grading, structure
from .exceptions import QuestionValidationError


def clean_text(value):
    "The stored HTML of a question's text"
    if not value or not value.strip():
        return value
    return str(body_html(value))


class Category(tree(separator=' / '), ModelSQL, ModelView):
    "Question Category"
    __name__ = 'copp.question.category'
    __string__ = "Question Category"

    company = fields.Many2One('company.company', "Institution",
        required=True, ondelete='RESTRICT')
    name = fields.Char("Name", required=True)
    parent = fields.Many2One('copp.question.category', "Parent",
        ondelete='CASCADE',
        domain=[('company', '=', Eval('company', -1))])
    children = fields.One2Many('copp.question.category', 'parent',
        "Children")
    description = fields.Text("Description")
    competencies = fields.Text("Competencies",
        help="The competencies the questions assess, one per line "
        "(the programs keep their competencies as text too).")
    questions = fields.One2Many('copp.question', 'category', "Questions")
    question_count = fields.Function(fields.Integer("Questions #"),
        'get_question_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.company, Index.Range()),
                (t.parent, Index.Range())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def get_question_count(cls, categories, name):
        pool = Pool()
        Question = pool.get('copp.question')
        counts = dict.fromkeys((c.id for c in categories), 0)
        for question in Question.search([
                    ('category', 'in', list(counts))]):
            counts[question.category.id] += 1
        return counts

    @classmethod
    def validate(cls, categories):
        super().validate(categories)
        for category in categories:
            if category.parent and category.parent.company != (
                    category.company):
                raise QuestionValidationError(gettext(
                        'copp_question.msg_category_company',
                        category=category.rec_name))

    def path(self):
        "The names from the root to this category"
        names = []
        category = self
        while category:
            names.insert(0, category.name)
            category = category.parent
        return names


class Question(ModelSQL, ModelView):
    "Question"
    __name__ = 'copp.question'
    __string__ = "Question"

    company = fields.Many2One('company.company', "Institution",
        required=True, ondelete='RESTRICT')
    category = fields.Many2One('copp.question.category', "Category",
        required=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    name = fields.Char("Title", required=True)
    kind = fields.Selection(structure.KINDS, "Kind", required=True,
        sort=False)
    text = fields.Text("Question Text",
        help="HTML; tags outside the allowed list are removed.")
    default_mark = fields.Numeric("Default Mark", digits=(16, 4),
        required=True)
    general_feedback = fields.Text("General Feedback",
        help="Shown to the learner after the answer, whatever it is.")
    shuffle_answers = fields.Boolean("Shuffle Answers",
        states={'invisible': ~Eval('kind').in_(
                ['single', 'multiple', 'matching', 'ordering'])})
    case_sensitive = fields.Boolean("Case Sensitive",
        states={'invisible': Eval('kind') != 'short'})
    answers = fields.One2Many('copp.question.answer', 'question',
        "Answers", states={'invisible': Eval('kind') == 'essay'},
        help="Short answer: the accepted variants (* is any text). "
        "Numeric: the values with their tolerance. Matching: the pairs "
        "(an answer without text is an extra right-hand choice). "
        "Ordering: the items in the right order.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.category, Index.Range())),
                Index(t, (t.company, Index.Range())),
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'single'

    @classmethod
    def default_default_mark(cls):
        return Decimal(1)

    @classmethod
    def default_shuffle_answers(cls):
        return True

    @classmethod
    def default_case_sensitive(cls):
        return False

    @fields.depends('category', '_parent_category.company')
    def on_change_category(self):
        if self.category and self.category.company:
            self.company = self.category.company

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name in ('text', 'general_feedback'):
            if values.get(name):
                values[name] = clean_text(values[name])
        return values

    @property
    def ordered_answers(self):
        return sorted(self.answers, key=lambda a: (
                a.sequence if a.sequence is not None else 0, a.id))

    @classmethod
    def validate(cls, questions):
        super().validate(questions)
        for question in questions:
            question.check_structure()

    def check_structure(self):
        if self.category and self.category.company != self.company:
            raise QuestionValidationError(gettext(
                    'copp_question.msg_question_category_company',
                    question=self.rec_name))
        broken = structure.errors(structure.question_values(self))
        if broken:
            message, params = broken
            raise QuestionValidationError(gettext(
                    f'copp_question.msg_{message}', question=self.name,
                    line='', **params))

    def grade_response(self, response):
        """The fraction (Decimal 0..1) of the mark a response earns, None
        for an essay: see grading.py for the responses of each kind"""
        return grading.grade(self, response)


class Answer(sequence_ordered(), ModelSQL, ModelView):
    "Question Answer"
    __name__ = 'copp.question.answer'
    __string__ = "Question Answer"

    question = fields.Many2One('copp.question', "Question", required=True,
        ondelete='CASCADE')
    text = fields.Text("Answer",
        help="True/false: «true» or «false». Matching: the left-hand text "
        "(empty for an extra choice). Numeric: the value (* is any).")
    fraction = fields.Numeric("Fraction", digits=(16, 7), required=True,
        help="The share of the mark the answer earns, from −1 to 1 "
        "(Moodle's percent divided by 100).")
    feedback = fields.Text("Feedback")
    tolerance = fields.Numeric("Tolerance", digits=(16, 7),
        help="Numeric: the accepted error, the answer matches from value "
        "− tolerance to value + tolerance.")
    match_text = fields.Char("Matching Text",
        help="Matching: the right-hand text paired with the answer.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('question')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.question, Index.Range())))

    @classmethod
    def default_fraction(cls):
        return Decimal(0)

    @classmethod
    def validate(cls, answers):
        # The rules between the answers of a question are checked with the
        # question (once all its answers are saved); an answer edited alone
        # is checked for itself.
        super().validate(answers)
        for answer in answers:
            if not (-1 <= (answer.fraction or 0) <= 1):
                raise QuestionValidationError(gettext(
                        'copp_question.msg_answer_fraction',
                        question=answer.question.name,
                        answer='«%s»' % answer.rec_name))
            if answer.tolerance is not None and answer.tolerance < 0:
                raise QuestionValidationError(gettext(
                        'copp_question.msg_answer_tolerance',
                        question=answer.question.name,
                        answer='«%s»' % answer.rec_name))

    def get_rec_name(self, name):
        return self.text or self.match_text or str(self.id)
