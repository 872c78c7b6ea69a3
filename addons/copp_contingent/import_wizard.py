from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .importers import import_data


class ImportStart(ModelView):
    "Import students and groups"
    __name__ = 'copp.contingent.import.start'

    kind = fields.Selection([
            ('students', "Students (and groups of the sheet «Группы»)"),
            ('groups', "Groups"),
            ], "What to Import", required=True)
    file = fields.Binary("File", required=True, filename='filename',
        help="An xlsx workbook or a CSV file (UTF-8 or Windows-1251, "
        "separated by «;» or «,»).")
    filename = fields.Char("File Name")
    template = fields.Binary("Template", readonly=True,
        filename='template_name',
        help="The workbook with the columns and an example row.")
    template_name = fields.Char("Template Name", readonly=True)

    @classmethod
    def default_kind(cls):
        return 'students'

    @classmethod
    def default_template(cls):
        from .template import template_bytes
        return template_bytes()

    @classmethod
    def default_template_name(cls):
        return gettext('copp_contingent.msg_import_template_filename')


class ImportResult(ModelView):
    "Import students and groups"
    __name__ = 'copp.contingent.import.result'

    message = fields.Text("Result", readonly=True)


class Import(Wizard):
    "Import students and groups"
    __name__ = 'copp.contingent.import'

    start = StateView('copp.contingent.import.start',
        'copp_contingent.import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('copp.contingent.import.result',
        'copp_contingent.import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        # A UserError rolls the whole transaction back: nothing is imported.
        self.result.message = import_data(Pool(), self.start.file,
            self.start.filename or '', self.start.kind)
        return 'result'

    def default_result(self, fields):
        return {'message': self.result.message}
