"""A line of the supplement to a diploma: a discipline, module, practice,
course work or the ГИА with its hours and final grade."""
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from copp.history import HistoryMixin
from copp_journal.sheet import GRADES

LINE_KINDS = [
    ('discipline', "Discipline"),
    ('module', "Professional Module"),
    ('practice', "Practice"),
    ('course_work', "Course Work"),
    ('gia', "State Final Attestation"),
    ]


class DocumentLine(HistoryMixin, ModelSQL, ModelView):
    "Supplement Line"
    __name__ = 'copp.graduation.document.line'
    __string__ = "Supplement Line"

    document = fields.Many2One('copp.graduation.document', "Document",
        required=True, ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    kind = fields.Selection(LINE_KINDS, "Kind", required=True)
    index = fields.Char("Index")
    name = fields.Char("Name", required=True)
    hours = fields.Integer("Hours",
        domain=['OR', ('hours', '=', None), ('hours', '>=', 0)])
    grade = fields.Selection(GRADES, "Final Grade")
    sheet = fields.Many2One('copp.journal.sheet', "Grade Sheet",
        readonly=True, ondelete='SET NULL',
        help="The closed sheet of the last attempt.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('document')
        cls._order.insert(0, ('sequence', 'ASC'))

    @classmethod
    def default_kind(cls):
        return 'discipline'
