"""The ФИС ФРДО export: reading the documents in one query, the
pre-validation report, the wizard and the deadline view."""
import datetime as dt

from sql import Literal, Null
from sql.functions import CurrentTimestamp

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp_journal.tools import reduce_ids, sliced

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
DEFAULT_DAYS = 60


def _date(value):
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def read_documents(ids):
    """The documents `ids` as dicts for frdo_row (specialty and original
    joined), in one query per slice of ids"""
    pool = Pool()
    Document = pool.get('copp.graduation.document')
    Specialty = pool.get('copp.specialty')
    doc, orig, spec = (Document.__table__(), Document.__table__(),
        Specialty.__table__())
    columns = [getattr(doc, c) for c in DOCUMENT_COLUMNS] + [
        spec.code, spec.name] + [getattr(orig, c) for c in ORIGINAL_COLUMNS]
    names = DOCUMENT_COLUMNS + ['specialty_code', 'specialty_name'] + [
        f'original_{c}' for c in ORIGINAL_COLUMNS]
    cursor = Transaction().connection.cursor()
    result = []
    for sub_ids in sliced(ids, 1000):
        cursor.execute(*doc.join(spec, 'LEFT',
                condition=doc.specialty == spec.id
                ).join(orig, 'LEFT', condition=doc.original == orig.id
                ).select(*columns, where=reduce_ids(doc.id, sub_ids),
                order_by=[doc.issue_date, doc.id]))
        for row in cursor:
            values = dict(zip(names, row))
            for name in ['issue_date', 'birth_date', 'targeted_date',
                    'original_issue_date']:
                values[name] = _date(values[name])
            result.append(values)
    return result


def document_label(values):
    number = ' '.join(filter(None, [values.get('series'),
                values.get('number')])) or '—'
    person = ' '.join(filter(None, [values.get('last_name'),
                values.get('first_name'), values.get('patronymic')]))
    reg = values.get('registration_number') or '—'
    return f"Документ {number}, рег. № {reg} ({person})"


def prepare(ids):
    """(rows of the valid documents, their ids, report lines of the
    rejected ones)"""
    rows, valid, report = [], [], []
    for values in read_documents(ids):
        row = frdo_row(values)
        errors = validate_row(row)
        if errors:
            report.extend(describe_errors(document_label(values), errors))
        else:
            rows.append(row)
            valid.append(values['id'])
    return rows, valid, report


class FrdoExportStart(ModelView):
    "FRDO Export"
    __name__ = 'copp.graduation.frdo.start'
    __string__ = "FRDO Export"

    company = fields.Many2One('company.company', "College", required=True)
    date_from = fields.Date("From")
    date_to = fields.Date("To")
    only_new = fields.Boolean("Only Not Yet Sent")
    mark_sent = fields.Boolean("Mark as Sent",
        help="Set the date of sending on the exported documents.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_only_new(cls):
        return True

    @classmethod
    def default_mark_sent(cls):
        return True


class FrdoExportCheck(ModelView):
    "FRDO Pre-validation"
    __name__ = 'copp.graduation.frdo.check'
    __string__ = "FRDO Pre-validation"

    valid = fields.Integer("Documents Ready", readonly=True)
    rejected = fields.Integer("Documents Rejected", readonly=True)
    report = fields.Text("Errors", readonly=True)


class FrdoExportResult(ModelView):
    "FRDO File"
    __name__ = 'copp.graduation.frdo.result'
    __string__ = "FRDO File"

    count = fields.Integer("Documents", readonly=True)
    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class FrdoExport(Wizard):
    "Export to FIS FRDO"
    __name__ = 'copp.graduation.frdo'

    start = StateView('copp.graduation.frdo.start',
        'copp_graduation.frdo_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Check", 'check_', 'tryton-ok', default=True),
            ])
    check_ = StateTransition()
    check = StateView('copp.graduation.frdo.check',
        'copp_graduation.frdo_check_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export the Ready Ones", 'export', 'tryton-ok',
                default=True),
            ])
    export = StateTransition()
    result = StateView('copp.graduation.frdo.result',
        'copp_graduation.frdo_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def _document_ids(self):
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        domain = [('company', '=', self.start.company.id),
            ('state', '=', 'issued')]
        if self.start.date_from:
            domain.append(('issue_date', '>=', self.start.date_from))
        if self.start.date_to:
            domain.append(('issue_date', '<=', self.start.date_to))
        if self.start.only_new:
            domain.append(('frdo_date', '=', None))
        return [d.id for d in Document.search(domain)]

    def transition_check_(self):
        rows, valid, report = prepare(self._document_ids())
        self._report = report
        rejected = len({line.split(':')[0] for line in report})
        self.check.valid = len(valid)
        self.check.rejected = rejected
        self.check.report = '\n'.join(report)
        if report:
            return 'check'
        return 'export'

    def default_check(self, fields):
        return {'valid': self.check.valid, 'rejected': self.check.rejected,
            'report': self.check.report}

    def transition_export(self):
        pool = Pool()
        Document = pool.get('copp.graduation.document')
        Date = pool.get('ir.date')
        ids = self._document_ids()
        rows, valid, _ = prepare(ids)
        if Transaction().user:
            # The file carries СНИЛС: a read of personal data
            Log = pool.get('copp.personal_data.log')
            Log.register(Document.__name__, Document.browse(valid),
                {'snils'})
        today = Date.today()
        self.result.file = frdo_xlsx(rows)
        self.result.count = len(rows)
        self.result.filename = (f"frdo-{self.start.company.short_name or ''}"
            f"-{today:%Y%m%d}.xlsx")
        if self.start.mark_sent and valid:
            Document.write(Document.browse(valid), {'frdo_date': today})
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'count': self.result.count,
            'filename': self.result.filename}


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
