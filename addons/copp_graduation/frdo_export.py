"""The ФИС ФРДО export: reading the documents in one query, the
pre-validation report, the wizard and the deadline view (the query, the
steps and their fields are copp.frdo_wizard's, shared with the export of
copp_training)."""
import datetime as dt

from sql import Literal, Null
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Wizard

from copp.frdo_wizard import (
    FrdoExportCheckMixin, FrdoExportMixin, FrdoExportResultMixin,
    FrdoExportStartMixin, export_domain, frdo_export_states,
    read_documents as read_frdo_documents, split_valid)

from .exceptions import FrdoError
from .frdo import describe_errors, frdo_row, frdo_xlsx, validate_row

DOCUMENT_COLUMNS = ['id', 'company', 'kind', 'status', 'honours',
    'loss_confirmed', 'exchange_confirmed', 'destruction_confirmed',
    'series', 'number', 'issue_date', 'registration_number',
    'qualification', 'program_name', 'admission_year', 'graduation_year',
    'duration_years', 'last_name', 'first_name', 'patronymic', 'birth_date',
    'gender', 'snils', 'citizenship', 'study_form', 'form_at_end', 'funding',
    'targeted', 'targeted_number', 'targeted_date', 'targeted_org',
    'targeted_ogrn', 'targeted_kpp', 'employer_name', 'employer_ogrn',
    'employer_kpp', 'employer_region']
ORIGINAL_COLUMNS = ['kind', 'honours', 'series', 'number',
    'registration_number', 'issue_date', 'last_name', 'first_name',
    'patronymic']
DATES = ['issue_date', 'birth_date', 'targeted_date', 'original_issue_date']
DEFAULT_DAYS = 60


def _text(date):
    "A date of the period for people, «—» for none"
    return date.strftime('%d.%m.%Y') if date else '—'


def read_documents(ids):
    """The documents `ids` as dicts for frdo_row (specialty and original
    joined), in one query per slice of ids"""
    pool = Pool()
    Document = pool.get('copp.graduation.document')
    Specialty = pool.get('copp.specialty')
    return read_frdo_documents(Document, ids, DOCUMENT_COLUMNS,
        ORIGINAL_COLUMNS, DATES, joined=[(Specialty, 'specialty',
                {'specialty_code': 'code', 'specialty_name': 'name'})])


def document_label(values):
    number = ' '.join(filter(None, [values.get('series'),
                values.get('number')])) or '—'
    person = ' '.join(filter(None, [values.get('last_name'),
                values.get('first_name'), values.get('patronymic')]))
    reg = values.get('registration_number') or '—'
    return f"Документ {number}, рег. № {reg} ({person})"


def check_document(values):
    "The row of a document and the report lines of its errors"
    row = frdo_row(values)
    return row, describe_errors(document_label(values), validate_row(row))


def prepare(ids):
    """(rows of the valid documents, their ids, report lines of the
    rejected ones)"""
    return split_valid(read_documents(ids), check_document)


class FrdoExportStart(FrdoExportStartMixin, ModelView):
    "FRDO Export"
    __name__ = 'copp.graduation.frdo.start'
    __string__ = "FRDO Export"

    company = fields.Many2One('company.company', "College", required=True)


class FrdoExportCheck(FrdoExportCheckMixin, ModelView):
    "FRDO Pre-validation"
    __name__ = 'copp.graduation.frdo.check'
    __string__ = "FRDO Pre-validation"


class FrdoExportResult(FrdoExportResultMixin, ModelView):
    "FRDO File"
    __name__ = 'copp.graduation.frdo.result'
    __string__ = "FRDO File"


class FrdoExport(FrdoExportMixin, Wizard):
    "Export to FIS FRDO"
    __name__ = 'copp.graduation.frdo'
    _document_model = 'copp.graduation.document'
    _module = 'copp_graduation'
    _error = FrdoError

    start, check_, check, export, result = frdo_export_states(
        'copp.graduation.frdo', 'copp_graduation')

    def _document_ids(self):
        Document = Pool().get('copp.graduation.document')
        start = self.start
        return [d.id for d in Document.search(export_domain(start.company,
                    start.date_from, start.date_to, start.only_new))]

    def _prepare(self, ids):
        return prepare(ids)

    def _nothing_to_send(self):
        return FrdoError(gettext('copp_graduation.msg_frdo_nothing_to_send',
                college=self.start.company.rec_name,
                date_from=_text(self.start.date_from),
                date_to=_text(self.start.date_to)))

    def _xlsx(self, rows):
        return frdo_xlsx(rows)

    def _filename(self, today):
        organization = self.start.company.short_name or ''
        return f"frdo-{organization}-{today:%Y%m%d}.xlsx"


class FrdoOverdueContext(ModelView):
    "FRDO Deadline"
    __name__ = 'copp.graduation.frdo.overdue.context'
    __string__ = "FRDO Deadline"

    days = fields.Integer("Days Since Issue", required=True,
        help="Documents issued more than so many days ago and not sent.")

    @classmethod
    def default_days(cls):
        return DEFAULT_DAYS


class FrdoOverdue(ModelSQL, ModelView):
    "Documents Not Sent to FRDO"
    __name__ = 'copp.graduation.frdo.overdue'
    __string__ = "Documents Not Sent to FRDO"

    company = fields.Many2One('company.company', "College", readonly=True)
    document = fields.Many2One('copp.graduation.document', "Document",
        readonly=True)
    issue_date = fields.Date("Issue Date", readonly=True)
    registration_number = fields.Char("Registration Number", readonly=True)
    days = fields.Function(fields.Integer("Days Since Issue"), 'get_days')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('issue_date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Date = pool.get('ir.date')
        doc = Document.__table__()
        days = Transaction().context.get('days')
        if days is None:
            days = DEFAULT_DAYS
        limit = Date.today() - dt.timedelta(days=int(days))
        return doc.select(
            doc.id.as_('id'), Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(None).as_('write_uid'), Literal(None).as_('write_date'),
            doc.company.as_('company'), doc.id.as_('document'),
            doc.issue_date.as_('issue_date'),
            doc.registration_number.as_('registration_number'),
            where=(doc.state == 'issued') & (doc.frdo_date == Null)
            & (doc.issue_date < limit))

    def get_days(self, name):
        today = Pool().get('ir.date').today()
        return (today - self.issue_date).days if self.issue_date else None
