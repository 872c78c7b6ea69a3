"""The report of personal data accesses for the security officer: per user,
institution, kind of data and action over a period, how many accesses and
how many distinct records (one GROUP BY over copp.personal_data.log), a
graph per user, and an xlsx with the summary and the log lines."""
import datetime as dt
import io
from zoneinfo import ZoneInfo

from sql import Literal, Null
from sql.aggregate import Count, Max, Min
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .personal_data import ACTIONS

DETAIL_LIMIT = 200000


def _period(from_date, to_date):
    """The UTC bounds (naive, as create_date is stored) of the days from
    `from_date` to `to_date` in the timezone of the user's institution"""
    pool = Pool()
    Company = pool.get('company.company')
    company_id = Transaction().context.get('company')
    name = None
    if company_id:
        name = Company(company_id).timezone
    zone = ZoneInfo(name or 'UTC')

    def utc(date):
        return dt.datetime.combine(date, dt.time(), tzinfo=zone).astimezone(
            dt.timezone.utc).replace(tzinfo=None)
    start = utc(from_date) if from_date else None
    end = utc(to_date + dt.timedelta(days=1)) if to_date else None
    return start, end, zone


def log_where(log, from_date=None, to_date=None, user=None, model=None,
        action=None, companies=None):
    "The WHERE clause of the log rows of the filters"
    where = Literal(True)
    start, end, _ = _period(from_date, to_date)
    if start:
        where &= log.create_date >= start
    if end:
        where &= log.create_date < end
    if user:
        where &= log.user == user
    if model:
        where &= log.model == model
    if action:
        where &= log.action == action
    if companies is not None:
        where &= log.company.in_(list(companies) or [-1])
    return where


def _filters():
    "The filters of the report from the context (its context model)"
    context = Transaction().context
    dates = []
    for key in ['from_date', 'to_date']:
        value = context.get(key)
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        dates.append(value)
    return {'from_date': dates[0], 'to_date': dates[1],
        'user': context.get('pdn_user'), 'model': context.get('pdn_model'),
        'action': context.get('pdn_action')}


class PersonalDataReport(ModelSQL, ModelView):
    "Personal Data Access Report"
    __name__ = 'copp.personal_data.report'
    __string__ = "Personal Data Access Report"

    user = fields.Many2One('res.user', "User", readonly=True)
    company = fields.Many2One('company.company', "Institution",
        readonly=True)
    model = fields.Many2One('ir.model', "Data", readonly=True)
    action = fields.Selection(ACTIONS, "Action", readonly=True, sort=False)
    accesses = fields.Integer("Accesses", readonly=True,
        help="The log lines: one per record and access.")
    records = fields.Integer("Records", readonly=True,
        help="The distinct records (persons, students…) accessed.")
    first_access = fields.DateTime("First Access", readonly=True)
    last_access = fields.DateTime("Last Access", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('accesses', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Log = pool.get('copp.personal_data.log')
        IrModel = pool.get('ir.model')
        log = Log.__table__()
        ir_model = IrModel.__table__()
        return log.join(ir_model, 'LEFT',
            condition=ir_model.name == log.model
            ).select(
            Min(log.id).as_('id'),
            log.user.as_('user'),
            log.company.as_('company'),
            ir_model.id.as_('model'),
            log.action.as_('action'),
            Count(log.id).as_('accesses'),
            Count(log.resource, distinct=True).as_('records'),
            Min(log.create_date).as_('first_access'),
            Max(log.create_date).as_('last_access'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(Null).as_('write_uid'),
            Literal(Null).as_('write_date'),
            where=log_where(log, **_filters()),
            group_by=[log.user, log.company, ir_model.id, log.action])

    def get_rec_name(self, name):
        return ' — '.join(filter(None, [
                    self.user.rec_name if self.user else '',
                    self.model.rec_name if self.model else '']))


class PersonalDataReportContext(ModelView):
    "Personal Data Access Report"
    __name__ = 'copp.personal_data.report.context'
    __string__ = "Personal Data Access Report Filter"

    from_date = fields.Date("From Date")
    to_date = fields.Date("To Date")
    pdn_user = fields.Many2One('res.user', "User")
    pdn_model = fields.Selection('get_models', "Data")
    pdn_action = fields.Selection([(None, "")] + ACTIONS, "Action")

    @classmethod
    def get_models(cls):
        IrModel = Pool().get('ir.model')
        return [(None, "")] + [(n, IrModel.get_name(n))
            for n in personal_models()]

    @classmethod
    def default_from_date(cls):
        Date = Pool().get('ir.date')
        return Date.today().replace(day=1)

    @classmethod
    def default_to_date(cls):
        return Pool().get('ir.date').today()


def personal_models():
    "The names of the models whose accesses are logged"
    pool = Pool()
    return sorted(n for n, m in pool.iterobject()
        if getattr(m, '_personal_data_fields', None))


class PersonalDataReportExportStart(PersonalDataReportContext):
    "Personal Data Access Report"
    __name__ = 'copp.personal_data.report.export.start'
    __string__ = "Personal Data Access Report Export"


class PersonalDataReportExportResult(ModelView):
    "Personal Data Access Report"
    __name__ = 'copp.personal_data.report.export.result'
    __string__ = "Personal Data Access Report File"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)
    lines = fields.Integer("Log Lines", readonly=True)


class PersonalDataReportExport(Wizard):
    "Personal data access report (xlsx)"
    __name__ = 'copp.personal_data.report.export'

    start = StateView('copp.personal_data.report.export.start',
        'copp.personal_data_report_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Make", 'make', 'tryton-ok', default=True),
            ])
    make = StateTransition()
    result = StateView('copp.personal_data.report.export.result',
        'copp.personal_data_report_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_make(self):
        pool = Pool()
        start = self.start
        filters = {'from_date': start.from_date, 'to_date': start.to_date,
            'user': start.pdn_user.id if start.pdn_user else None,
            'model': start.pdn_model,
            'action': start.pdn_action}
        content, lines = report_xlsx(**filters)
        self.result.file = content
        self.result.lines = lines
        self.result.filename = gettext('copp.msg_pdn_report_filename',
            start=(start.from_date or dt.date.min).strftime('%d.%m.%Y'),
            end=(start.to_date or dt.date.today()).strftime('%d.%m.%Y'))
        try:
            SecurityEvent = pool.get('copp.security.event')
        except KeyError:
            SecurityEvent = None
        if SecurityEvent is not None:
            SecurityEvent.log('personal_data_report',
                details=gettext('copp.msg_pdn_report_event',
                    filename=self.result.filename, lines=lines))
        return 'result'

    def default_result(self, fields):
        return {
            'file': self.result.file,
            'filename': self.result.filename,
            'lines': self.result.lines,
            }


def report_xlsx(from_date=None, to_date=None, user=None, model=None,
        action=None):
    """(xlsx bytes, number of log lines) of the accesses of the period in
    the institutions the user reads: a summary sheet and the log lines"""
    from .xlsx import workbook
    pool = Pool()
    Log = pool.get('copp.personal_data.log')
    User = pool.get('res.user')
    Company = pool.get('company.company')
    IrModel = pool.get('ir.model')
    log = Log.__table__()
    user_table = User.__table__()
    cursor = Transaction().connection.cursor()
    _, _, zone = _period(from_date, to_date)
    companies = User.get_companies()
    where = log_where(log, from_date, to_date, user, model, action,
        companies=companies)
    actions = dict(Log.fields_get(['action'])['action']['selection'])
    company_names = {c.id: c.rec_name for c in Company.browse(companies)}

    def local(value):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc).astimezone(
            zone).replace(tzinfo=None)

    model_names = {}

    def model_name(name):
        if name not in model_names:
            try:
                model_names[name] = IrModel.get_name(name)
            except Exception:
                model_names[name] = name
        return model_names[name]

    output = io.BytesIO()
    book = workbook(output)
    bold = book.add_format({'bold': True, 'border': 1,
            'bg_color': '#EEEEEE', 'text_wrap': True, 'valign': 'top'})
    when = book.add_format({'num_format': 'dd.mm.yyyy hh:mm:ss'})
    title = gettext('copp.msg_pdn_report_title',
        start=from_date.strftime('%d.%m.%Y') if from_date else '…',
        end=to_date.strftime('%d.%m.%Y') if to_date else '…')

    summary = book.add_worksheet(gettext('copp.msg_pdn_report_sheet_summary'))
    summary.write(0, 0, title, book.add_format({'bold': True,
                'font_size': 13}))
    heads = ['user', 'login', 'institution', 'data', 'action', 'accesses',
        'records', 'first', 'last']
    widths = [30, 14, 14, 30, 12, 10, 10, 20, 20]
    for col, (head, width) in enumerate(zip(heads, widths)):
        summary.write(2, col, gettext('copp.msg_pdn_report_' + head), bold)
        summary.set_column(col, col, width)
    cursor.execute(*log.join(user_table, 'LEFT',
            condition=user_table.id == log.user
            ).select(user_table.name, user_table.login, log.company,
            log.model, log.action, Count(log.id),
            Count(log.resource, distinct=True),
            Min(log.create_date), Max(log.create_date),
            where=where,
            group_by=[user_table.name, user_table.login, log.company,
                log.model, log.action],
            order_by=[user_table.name, log.model, log.action]))
    row = 3
    for (name, login, company, model_, action_, accesses, records, first,
            last) in cursor.fetchall():
        values = [name or '', login or '', company_names.get(company, ''),
            model_name(model_), actions.get(action_, action_ or ''),
            accesses, records]
        for col, value in enumerate(values):
            summary.write(row, col, value)
        for col, value in [(7, local(first)), (8, local(last))]:
            if value:
                summary.write_datetime(row, col, value, when)
        row += 1

    detail = book.add_worksheet(gettext('copp.msg_pdn_report_sheet_log'))
    heads = ['date', 'user', 'login', 'institution', 'action', 'data',
        'record', 'fields']
    widths = [20, 30, 14, 14, 12, 30, 24, 40]
    for col, (head, width) in enumerate(zip(heads, widths)):
        detail.write(0, col, gettext('copp.msg_pdn_report_' + head), bold)
        detail.set_column(col, col, width)
    cursor.execute(*log.join(user_table, 'LEFT',
            condition=user_table.id == log.user
            ).select(log.create_date, user_table.name, user_table.login,
            log.company, log.action, log.model, log.resource,
            log.fields_read,
            where=where, order_by=[log.create_date, log.id],
            limit=DETAIL_LIMIT))
    lines = 0
    for (date, name, login, company, action_, model_, resource,
            fields_read) in cursor:
        lines += 1
        value = local(date)
        if value:
            detail.write_datetime(lines, 0, value, when)
        for col, text in enumerate([name or '', login or '',
                    company_names.get(company, ''),
                    actions.get(action_, action_ or ''), model_name(model_),
                    (resource or '').split(',', 1)[-1], fields_read or ''],
                1):
            detail.write(lines, col, text)
    book.close()
    return output.getvalue(), lines
