"""Success and quality by group or college (xlsx)."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView

from copp.company import context_college

from .period import first_day
from .rates import compute_rates
from .reports import _Book, _FileWizard, _fmt


def rates_xlsx(level, date_from, date_to, source, companies=None):
    pool = Pool()
    Company = pool.get('company.company')
    Group = pool.get('copp.study.group')
    rows = compute_rates(level, date_from, date_to, source=source,
        companies=companies)
    book = _Book()
    ws = book.sheet(gettext('copp_journal.msg_report_rates_sheet'))
    ws.write(0, 0, gettext('copp_journal.msg_report_rates_title_group'
            if level == 'group'
            else 'copp_journal.msg_report_rates_title_college'), book.title)
    ws.write(1, 0, gettext('copp_journal.msg_report_rates_period',
            date_from=_fmt(date_from), date_to=_fmt(date_to),
            source=gettext('copp_journal.msg_report_rates_source_final'
                if source == 'final'
                else 'copp_journal.msg_report_rates_source_current')))
    heads = [gettext('copp_journal.msg_report_college')] + (
        [gettext('copp_journal.msg_report_group')]
        if level == 'group' else []) + [
        gettext('copp_journal.msg_report_students'),
        gettext('copp_journal.msg_report_assessed'),
        gettext('copp_journal.msg_report_successful'),
        gettext('copp_journal.msg_report_quality'),
        gettext('copp_journal.msg_report_success_rate'),
        gettext('copp_journal.msg_report_quality_rate'),
        gettext('copp_journal.msg_report_average'),
        gettext('copp_journal.msg_report_planned_hours'),
        gettext('copp_journal.msg_report_missed_hours'),
        gettext('copp_journal.msg_report_excused_hours'),
        gettext('copp_journal.msg_report_unexcused_hours'),
        gettext('copp_journal.msg_report_attendance_rate'),
        ]
    row = 3
    for col, title in enumerate(heads):
        ws.write(row, col, title, book.head)
    ws.set_row(row, 45)
    companies_ = {c.id: c for c in Company.browse(
            list({r['company'] for r in rows if r.get('company')}))}
    groups = {}
    if level == 'group':
        groups = {g.id: g for g in Group.browse(
                list({r['group'] for r in rows if r.get('group')}))}
    rows.sort(key=lambda r: (companies_[r['company']].rec_name
            if r.get('company') in companies_ else '',
            groups[r['group']].rec_name if r.get('group') in groups else ''))
    for record in rows:
        row += 1
        col = 0
        ws.write(row, col, companies_[record['company']].rec_name
            if record.get('company') in companies_ else '', book.cell)
        if level == 'group':
            col += 1
            ws.write(row, col, groups[record['group']].rec_name
                if record.get('group') in groups else '', book.cell)
        for name in ['students', 'assessed', 'successful', 'quality']:
            col += 1
            ws.write(row, col, record[name], book.center)
        for name, fmt in [('success_rate', book.number),
                ('quality_rate', book.number), ('average', book.average)]:
            col += 1
            if record[name] is None:
                ws.write(row, col, '', book.cell)
            else:
                ws.write_number(row, col, record[name], fmt)
        for name in ['planned_hours', 'missed_hours', 'excused_hours',
                'unexcused_hours']:
            col += 1
            ws.write(row, col, record[name], book.center)
        col += 1
        if record['attendance_rate'] is None:
            ws.write(row, col, '', book.cell)
        else:
            ws.write_number(row, col, record['attendance_rate'], book.number)
    total, = compute_rates('region', date_from, date_to, source=source,
        companies=companies)
    row += 1
    ws.write(row, 0, gettext('copp_journal.msg_report_total'), book.bold)
    col = 1 if level == 'group' else 0
    for name in ['students', 'assessed', 'successful', 'quality']:
        col += 1
        ws.write(row, col, total[name], book.head)
    for name in ['success_rate', 'quality_rate', 'average']:
        col += 1
        ws.write(row, col, total[name] if total[name] is not None else '',
            book.head)
    for name in ['planned_hours', 'missed_hours', 'excused_hours',
            'unexcused_hours', 'attendance_rate']:
        col += 1
        ws.write(row, col, total[name] if total[name] is not None else '',
            book.head)
    ws.set_column(0, 0, 18)
    ws.set_column(1, len(heads), 12)
    return book.close()


class RatesReportStart(ModelView):
    "Success and Quality"
    __name__ = 'copp.journal.report.rates.start'
    __string__ = "Success and Quality"

    level = fields.Selection([
            ('group', "By Group"),
            ('college', "By College"),
            ], "Rows", required=True)
    source = fields.Selection([
            ('current', "Current Marks"),
            ('final', "Grade Sheets"),
            ], "Marks", required=True)
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True,
        domain=[('date_to', '>=', Eval('date_from'))])
    company = fields.Many2One('company.company', "College",
        domain=[('institution_kind', '=', 'college')],
        help="Empty for every college you work with.")

    @classmethod
    def default_level(cls):
        return 'group'

    @classmethod
    def default_source(cls):
        return 'current'

    @classmethod
    def default_date_from(cls):
        pool = Pool()
        Term = pool.get('copp.academic.term')
        today = pool.get('ir.date').today()
        term = Term.find(today)
        return term.start_date if term else first_day(today)

    @classmethod
    def default_date_to(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_company(cls):
        return context_college()


class RatesReport(_FileWizard):
    "Success and Quality"
    __name__ = 'copp.journal.report.rates'

    start = StateView('copp.journal.report.rates.start',
        'copp_journal.report_rates_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()

    def transition_export(self):
        pool = Pool()
        User = pool.get('res.user')
        if self.start.company:
            companies = [self.start.company.id]
        else:
            companies = list(User.get_companies()) if Transaction().user \
                else None
        self.result.file = rates_xlsx(self.start.level,
            self.start.date_from, self.start.date_to, self.start.source,
            companies)
        self.result.filename = gettext(
            'copp_journal.msg_report_rates_filename',
            date_from=self.start.date_from.isoformat(),
            date_to=self.start.date_to.isoformat())
        return 'result'
