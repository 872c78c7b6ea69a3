"""The security log of a period as an xlsx workbook, for the security
officer: one row per event, the labels and the kinds in the user's language,
every text written as text (a login like «=cmd|…» stays a string)."""
import datetime as dt
import io

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .xlsx import workbook


class SecurityEventExportStart(ModelView):
    "Export the Security Log"
    __name__ = 'copp.security.event.export.start'
    __string__ = "Export the Security Log"

    from_date = fields.Date("From", required=True,
        domain=[('from_date', '<=', Eval('to_date'))])
    to_date = fields.Date("To", required=True,
        domain=[('to_date', '>=', Eval('from_date'))])

    @classmethod
    def default_from_date(cls):
        Date = Pool().get('ir.date')
        return Date.today() - dt.timedelta(days=30)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


class SecurityEventExportResult(ModelView):
    "Security Log"
    __name__ = 'copp.security.event.export.result'
    __string__ = "Security Log"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)
    count = fields.Integer("Events", readonly=True)


class SecurityEventExport(Wizard):
    "Export the Security Log"
    __name__ = 'copp.security.event.export'

    start = StateView('copp.security.event.export.start',
        'copp.security_event_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'make', 'tryton-ok', default=True),
            ])
    make = StateTransition()
    result = StateView('copp.security.event.export.result',
        'copp.security_event_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_make(self):
        pool = Pool()
        Event = pool.get('copp.security.event')
        data, count = security_log_xlsx(
            self.start.from_date, self.start.to_date)
        self.result.file = data
        self.result.count = count
        self.result.filename = gettext('copp.msg_security_log_filename',
            from_date=self.start.from_date.isoformat(),
            to_date=self.start.to_date.isoformat())
        Event.log('export', record=None, details=(
                f"copp.security.event {self.start.from_date}"
                f"..{self.start.to_date}: {count}"))
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'filename': self.result.filename,
            'count': self.result.count,
            }


def security_log_xlsx(from_date, to_date):
    """(xlsx bytes, number of events) of the events between the dates, as
    the current user may read them (access rules apply)"""
    pool = Pool()
    Event = pool.get('copp.security.event')
    Model = pool.get('ir.model')
    names = [n for n in Event.export_fields() if n in Event._fields]
    definitions = Event.fields_get(names)
    start = dt.datetime.combine(from_date, dt.time())
    end = dt.datetime.combine(to_date + dt.timedelta(days=1), dt.time())
    read_names = [f'{n}.rec_name' if definitions[n]['type'] == 'many2one'
        else n for n in names]
    rows = Event.search_read([
            ('date', '>=', start),
            ('date', '<', end),
            ], order=[('date', 'ASC'), ('id', 'ASC')], fields_names=read_names)
    kinds = dict(definitions['kind']['selection'])
    models = dict(Model.get_name_items())

    def text(name, row):
        definition = definitions[name]
        if definition['type'] == 'many2one':
            return (row.get(f'{name}.') or {}).get('rec_name') or ''
        value = row.get(name)
        if name == 'kind':
            return kinds.get(value, value or '')
        if definition['type'] == 'reference' and value:
            model, _, id_ = value.partition(',')
            return f'{models.get(model, model)} #{id_}'
        return '' if value is None else str(value)

    output = io.BytesIO()
    book = workbook(output)
    sheet = book.add_worksheet(gettext('copp.msg_security_log_sheet')[:31])
    bold = book.add_format({'bold': True, 'text_wrap': True})
    when = book.add_format({'num_format': 'dd.mm.yyyy hh:mm:ss'})
    for col, name in enumerate(names):
        sheet.write_string(0, col, definitions[name]['string'], bold)
        sheet.set_column(col, col, 20 if name == 'date' else 18)
    sheet.freeze_panes(1, 0)
    for line, row in enumerate(rows, 1):
        for col, name in enumerate(names):
            if name == 'date':
                sheet.write_datetime(line, col, row['date'], when)
            else:
                sheet.write_string(line, col, text(name, row))
    if rows:
        sheet.autofilter(0, 0, len(rows), len(names) - 1)
    book.close()
    return output.getvalue(), len(rows)
