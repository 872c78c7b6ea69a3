"""What the ФИС ФРДО export wizards share (copp_graduation's of the СПО
documents, copp_training's of the ДПО and ПО ones): the documents to send,
read with their originals in one query per slice of ids, the split of the
valid ones (rows of the file) from the rejected (lines of the report),
the fields of the three steps and the flow between them: no file when
nothing is to be sent, a check step only when a document is rejected,
the export logged as personal data and marked as sent.

Each module keeps its columns, rules and messages: its wizard mixes
`FrdoExportMixin` in and gives the hooks it names."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView


def _date(value):
    # SQLite returns the dates of a raw query as text.
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def read_documents(Document, ids, columns, original_columns, dates,
        joined=()):
    """The documents `ids` as dicts: their `columns`, the
    `original_columns` of their original as `original_<name>`, the
    columns of `joined` [(Model, Many2One of the document, {name: column
    of Model})], the `dates` as dates; in issue order, one query per
    1 000 ids"""
    doc, orig = Document.__table__(), Document.__table__()
    query = doc.join(orig, 'LEFT', condition=doc.original == orig.id)
    selected = [(getattr(doc, c), c) for c in columns] + [
        (getattr(orig, c), f'original_{c}') for c in original_columns]
    for Model, field, extra in joined:
        table = Model.__table__()
        query = query.join(table, 'LEFT',
            condition=getattr(doc, field) == table.id)
        selected += [(getattr(table, c), n) for n, c in extra.items()]
    names = [n for _, n in selected]
    cursor = Transaction().connection.cursor()
    result = []
    for sub_ids in grouped_slice(ids, 1000):
        cursor.execute(*query.select(*(c for c, _ in selected),
                where=fields.SQL_OPERATORS['in'](doc.id, list(sub_ids)),
                order_by=[doc.issue_date, doc.id]))
        for row in cursor:
            values = dict(zip(names, row))
            for name in dates:
                values[name] = _date(values[name])
            result.append(values)
    return result


def export_domain(company, date_from=None, date_to=None, only_new=True):
    """The domain of the issued documents of `company` in the period, only
    those not yet sent when `only_new`"""
    domain = [('company', '=', company.id), ('state', '=', 'issued')]
    if date_from:
        domain.append(('issue_date', '>=', date_from))
    if date_to:
        domain.append(('issue_date', '<=', date_to))
    if only_new:
        domain.append(('frdo_date', '=', None))
    return domain


def split_valid(documents, check):
    """(rows of the valid documents, their ids, report lines of the
    rejected ones); check(values) gives a document's row and its report
    lines (none when it is valid)"""
    rows, valid, report = [], [], []
    for values in documents:
        row, lines = check(values)
        if lines:
            report.extend(lines)
        else:
            rows.append(row)
            valid.append(values['id'])
    return rows, valid, report


class FrdoExportStartMixin:
    "Which documents: issued in a period, by default those not yet sent"
    __slots__ = ()
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


class FrdoExportCheckMixin:
    "The pre-validation: how many documents are ready, why the others not"
    __slots__ = ()
    valid = fields.Integer("Documents Ready", readonly=True)
    rejected = fields.Integer("Documents Rejected", readonly=True)
    report = fields.Text("Errors", readonly=True)


class FrdoExportResultMixin:
    "The file"
    __slots__ = ()
    count = fields.Integer("Documents", readonly=True)
    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


def frdo_export_states(wizard, module):
    """(start, check_, check, export, result): the states of the wizard
    `wizard` on its views `<wizard>.start|check|result` and their forms
    `frdo_start|check|result_view_form` of `module`"""
    return (
        StateView(f'{wizard}.start', f'{module}.frdo_start_view_form', [
                Button("Cancel", 'end', 'tryton-cancel'),
                Button("Check", 'check_', 'tryton-ok', default=True),
                ]),
        StateTransition(),
        StateView(f'{wizard}.check', f'{module}.frdo_check_view_form', [
                Button("Cancel", 'end', 'tryton-cancel'),
                Button("Export the Ready Ones", 'export', 'tryton-ok',
                    default=True, states={'invisible': ~Eval('valid')}),
                ]),
        StateTransition(),
        StateView(f'{wizard}.result', f'{module}.frdo_result_view_form', [
                Button("Close", 'end', 'tryton-close', default=True),
                ]),
        )


class FrdoExportMixin:
    """The flow of an export wizard. Its hooks: `_document_model`, the
    message `<_module>.msg_frdo_nothing_valid` (count) and the exception
    `_error` it raises, the fields of the personal data the file carries
    and the action they are logged as, `_document_ids()`, `_prepare(ids)`
    (as `split_valid`), `_nothing_to_send()` (the error when no document
    matches), `_xlsx(rows)` and `_filename(today)`"""
    __slots__ = ()
    _document_model = None
    _module = None
    _error = None
    _logged_fields = {'snils'}
    _log_action = 'read'

    def transition_check_(self):
        ids = self._document_ids()
        if not ids:
            # Nothing to send: no empty file, a clear word instead.
            raise self._nothing_to_send()
        _, valid, report = self._prepare(ids)
        self.check.valid = len(valid)
        self.check.rejected = len(ids) - len(valid)
        self.check.report = '\n'.join(report)
        return 'check' if report else 'export'

    def default_check(self, fields):
        return {'valid': self.check.valid, 'rejected': self.check.rejected,
            'report': self.check.report}

    def transition_export(self):
        pool = Pool()
        Document = pool.get(self._document_model)
        Date = pool.get('ir.date')
        ids = self._document_ids()
        rows, valid, _ = self._prepare(ids)
        if not rows:
            raise self._error(gettext(
                    f'{self._module}.msg_frdo_nothing_valid', count=len(ids)))
        if Transaction().user:
            # The file carries СНИЛС and names: personal data leave.
            Log = pool.get('copp.personal_data.log')
            Log.register(Document.__name__, valid, self._logged_fields,
                action=self._log_action)
        today = Date.today()
        self.result.file = self._xlsx(rows)
        self.result.count = len(rows)
        self.result.filename = self._filename(today)
        if self.start.mark_sent:
            Document.write(Document.browse(valid), {'frdo_date': today})
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'count': self.result.count,
            'filename': self.result.filename}
