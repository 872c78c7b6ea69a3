"""The ФИС ФРДО export wizard of the training documents: the issued
documents of an organization (by default those not yet sent) for the ДПО
or the ПО template, read in one query, checked against the template's
rules before anything is written (a report of the rejected documents, the
ready ones exported), no file when there is nothing to send. The query,
the steps and their fields are copp.frdo_wizard's, shared with the export
of copp_graduation."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.wizard import Wizard

from copp.frdo_wizard import (
    FrdoExportCheckMixin, FrdoExportMixin, FrdoExportResultMixin,
    FrdoExportStartMixin, export_domain, frdo_export_states,
    read_documents as read_frdo_documents, split_valid)

from .exceptions import FrdoError
from .frdo import (
    DPO_KINDS, PO_KINDS, TEMPLATES, describe_errors, frdo_row, frdo_xlsx,
    validate_row)

COLUMNS = ['id', 'company', 'kind', 'status', 'series', 'number',
    'issue_date', 'registration_number', 'last_name', 'first_name',
    'patronymic', 'birth_date', 'gender', 'snils', 'citizenship',
    'program_name', 'vocational_kind', 'hours', 'start_date', 'end_date',
    'qualification', 'rank', 'activity_field', 'education_level',
    'education_surname', 'education_series', 'education_number', 'funding',
    'study_form']
ORIGINAL_COLUMNS = ['kind', 'series', 'number', 'registration_number',
    'issue_date', 'last_name', 'first_name', 'patronymic']
DATES = ['issue_date', 'birth_date', 'start_date', 'end_date',
    'original_issue_date']
TEMPLATE_KINDS = {'dpo': DPO_KINDS, 'po': PO_KINDS}


def read_documents(ids):
    "The documents as dicts for frdo_row, their originals joined"
    Document = Pool().get('copp.training.document')
    return read_frdo_documents(Document, ids, COLUMNS, ORIGINAL_COLUMNS,
        DATES)


def document_label(values):
    person = ' '.join(filter(None, [values.get('last_name'),
                values.get('first_name'), values.get('patronymic')]))
    return (f"Документ рег. № {values.get('registration_number') or '—'} "
        f"({person})")


def prepare(template, ids):
    "(rows of the valid documents, their ids, report lines of the others)"
    def check_document(values):
        row = frdo_row(template, values)
        return row, describe_errors(template, document_label(values),
            validate_row(template, row))
    return split_valid(read_documents(ids), check_document)


def document_ids(company, template, date_from=None, date_to=None,
        only_new=True):
    Document = Pool().get('copp.training.document')
    domain = export_domain(company, date_from, date_to, only_new) + [
        ('kind', 'in', sorted(TEMPLATE_KINDS[template]))]
    return [d.id for d in Document.search(domain, order=[('id', 'ASC')])]


class FrdoExportStart(FrdoExportStartMixin, ModelView):
    "FIS FRDO Export of Training Documents"
    __name__ = 'copp.training.frdo.start'
    __string__ = "FIS FRDO Export of Training Documents"

    company = fields.Many2One('company.company', "Organization",
        required=True)
    template = fields.Selection([
            ('dpo', "Further Professional Education (ДПО)"),
            ('po', "Professional Training (ПО)"),
            ], "Template", required=True)
    date_to = fields.Date("To", domain=[
            If(Bool(Eval('date_from')) & Bool(Eval('date_to')),
                ('date_to', '>=', Eval('date_from')), ())])

    @classmethod
    def default_template(cls):
        return 'dpo'


class FrdoExportCheck(FrdoExportCheckMixin, ModelView):
    "FIS FRDO Pre-validation"
    __name__ = 'copp.training.frdo.check'
    __string__ = "FIS FRDO Pre-validation"


class FrdoExportResult(FrdoExportResultMixin, ModelView):
    "FIS FRDO File"
    __name__ = 'copp.training.frdo.result'
    __string__ = "FIS FRDO File"


class FrdoExport(FrdoExportMixin, Wizard):
    "Export Training Documents to FIS FRDO"
    __name__ = 'copp.training.frdo'
    _document_model = 'copp.training.document'
    _module = 'copp_training'
    _error = FrdoError
    _logged_fields = {'snils', 'last_name', 'first_name', 'patronymic',
        'birth_date'}
    _log_action = 'export'

    start, check_, check, export, result = frdo_export_states(
        'copp.training.frdo', 'copp_training')

    @property
    def _template(self):
        return TEMPLATES[self.start.template]

    def _document_ids(self):
        start = self.start
        return document_ids(start.company, start.template, start.date_from,
            start.date_to, start.only_new)

    def _prepare(self, ids):
        return prepare(self._template, ids)

    def _nothing_to_send(self):
        return FrdoError(gettext('copp_training.msg_frdo_nothing',
                organization=self.start.company.rec_name,
                template=dict(self.start.fields_get(['template'])[
                        'template']['selection'])[self.start.template]))

    def _xlsx(self, rows):
        return frdo_xlsx(self._template, rows)

    def _filename(self, today):
        return gettext('copp_training.msg_frdo_filename',
            template=self._template.name.upper(),
            organization=self.start.company.short_name or '',
            date=today.strftime('%Y%m%d'))
