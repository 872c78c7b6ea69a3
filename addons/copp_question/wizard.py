"""The wizards «Импорт вопросов» and «Экспорт вопросов» (exchange.py)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import QuestionImportError
from .exchange import detect_format, export_filename, export_questions, \
    import_questions

FORMATS = [
    ('xml', "Moodle XML"),
    ('gift', "GIFT"),
    ('xlsx', "Excel (xlsx)"),
    ]


class ImportStart(ModelView):
    "Import Questions"
    __name__ = 'copp.question.import.start'
    __string__ = "Import Questions"

    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")
    format = fields.Selection([(None, "By the File's Extension")]
        + FORMATS, "Format",
        help="Moodle XML (.xml), GIFT (.gift, .txt) or xlsx (.xlsx).")
    category = fields.Many2One('copp.question.category', "Category",
        required=True,
        help="The questions go into this category; the categories of the "
        "file become its subcategories.")

    @classmethod
    def default_category(cls):
        context = Transaction().context
        if context.get('active_model') == 'copp.question.category':
            return context.get('active_id')


class ImportResult(ModelView):
    "Import Questions"
    __name__ = 'copp.question.import.result'
    __string__ = "Imported Questions"

    questions = fields.Integer("Questions Created", readonly=True)
    categories = fields.Integer("Categories Created", readonly=True)
    skipped = fields.Integer("Items Skipped", readonly=True,
        help="Descriptions (texts without a question) are not imported.")


class Import(Wizard):
    "Import Questions"
    __name__ = 'copp.question.import'

    start = StateView('copp.question.import.start',
        'copp_question.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('copp.question.import.result',
        'copp_question.import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        fmt = self.start.format or detect_format(self.start.filename)
        if not fmt:
            raise QuestionImportError(gettext(
                    'copp_question.msg_import_format',
                    filename=self.start.filename or ''))
        questions, categories, skipped = import_questions(
            bytes(self.start.file), fmt, self.start.category)
        self.result.questions = len(questions)
        self.result.categories = len(categories)
        self.result.skipped = skipped
        return 'result'

    def default_result(self, fields):
        return {
            'questions': self.result.questions,
            'categories': self.result.categories,
            'skipped': self.result.skipped,
            }


class ExportStart(ModelView):
    "Export Questions"
    __name__ = 'copp.question.export.start'
    __string__ = "Export Questions"

    format = fields.Selection(FORMATS, "Format", required=True)
    category = fields.Many2One('copp.question.category', "Category",
        help="Its questions and those of its subcategories.")
    questions = fields.Many2Many('copp.question', None, None, "Questions",
        help="Exported with those of the category.")

    @classmethod
    def default_format(cls):
        return 'xml'

    @classmethod
    def default_category(cls):
        context = Transaction().context
        if context.get('active_model') == 'copp.question.category':
            return context.get('active_id')

    @classmethod
    def default_questions(cls):
        context = Transaction().context
        if context.get('active_model') == 'copp.question':
            return context.get('active_ids', [])
        return []


class ExportResult(ModelView):
    "Export Questions"
    __name__ = 'copp.question.export.result'
    __string__ = "Questions File"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class Export(Wizard):
    "Export Questions"
    __name__ = 'copp.question.export'

    start = StateView('copp.question.export.start',
        'copp_question.export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('copp.question.export.result',
        'copp_question.export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        pool = Pool()
        Question = pool.get('copp.question')
        questions = list(self.start.questions)
        if self.start.category:
            questions += Question.search([
                    ('category', 'child_of', [self.start.category.id],
                        'parent')])
        if not questions:
            raise QuestionImportError(gettext(
                    'copp_question.msg_export_nothing'))
        unique = {q.id: q for q in questions}
        # Grouped by category (one category switch per group in the file)
        ordered = sorted(unique.values(), key=lambda q: (
                q.category.rec_name, q.name, q.id))
        self.result.file = export_questions(ordered, self.start.format)
        self.result.filename = export_filename(self.start.format)
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}
