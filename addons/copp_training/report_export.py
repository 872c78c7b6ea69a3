"""The xlsx of the ministry's training report: the sheet of the learners
by organization, kind of programme and seat, and the sheet of the federal
project seats, for a period and an organization (or every one the user
works with)."""
import io

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .report import PeriodMixin, companies_filter

TRAINED_HEADERS = ["Организация", "Вид программы", "Место (финансирование)",
    "Зачислено", "Завершили", "Отчислены", "Обучаются на конец периода",
    "Доля завершивших, %"]
QUOTA_HEADERS = ["Организация", "Программа", "Поток", "Начало обучения",
    "Федеральный проект", "Мест по проекту", "Занято", "Свободно"]


class ReportExportStart(PeriodMixin, ModelView):
    "Training Report (xlsx)"
    __name__ = 'copp.training.report.export.start'
    __string__ = "Training Report (xlsx)"


class ReportExportResult(ModelView):
    "Training Report (xlsx)"
    __name__ = 'copp.training.report.export.result'
    __string__ = "Training Report (xlsx)"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class ReportExport(Wizard):
    "Training Report (xlsx)"
    __name__ = 'copp.training.report.export'

    start = StateView('copp.training.report.export.start',
        'copp_training.report_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('copp.training.report.export.result',
        'copp_training.report_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        start = self.start
        self.result.file = report_xlsx(start.date_from, start.date_to,
            start.company.id if start.company else None, companies_filter())
        self.result.filename = gettext('copp_training.msg_report_filename',
            date_from=start.date_from.strftime('%Y%m%d'),
            date_to=start.date_to.strftime('%Y%m%d'))
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}


def _labels(Model, field):
    return dict(Model.fields_get([field])[field]['selection'])


def report_xlsx(date_from, date_to, company=None, companies=None):
    "The workbook (bytes) of the two sheets"
    from copp.xlsx import workbook
    pool = Pool()
    Report = pool.get('copp.training.report')
    Quota = pool.get('copp.training.quota.report')
    Company = pool.get('company.company')
    Program = pool.get('copp.program')
    Cohort = pool.get('copp.training.cohort')
    trained = Report.rows(date_from, date_to, company, companies)
    quotas = Quota.rows(date_from, date_to, company, companies)
    kinds = _labels(Report, 'program_kind')
    fundings = _labels(Report, 'funding')
    projects = _labels(Quota, 'federal_project')
    company_ids = {r['company'] for r in trained + quotas}
    with Transaction().set_context(_check_access=False):
        names = {c.id: c.short_name or c.rec_name
            for c in Company.browse(list(company_ids))}
        programs = {p.id: p.name for p in Program.browse(
                list({r['program'] for r in quotas}))}
        cohorts = {c.id: c.code or '' for c in Cohort.browse(
                list({r['cohort'] for r in quotas}))}
    output = io.BytesIO()
    book = workbook(output)
    head = book.add_format({'bold': True, 'text_wrap': True})
    date_format = book.add_format({'num_format': 'dd.mm.yyyy'})
    sheet = book.add_worksheet("Обучено")
    sheet.write(0, 0, gettext('copp_training.msg_report_title',
            date_from=date_from.strftime('%d.%m.%Y'),
            date_to=date_to.strftime('%d.%m.%Y')))
    sheet.write_row(2, 0, TRAINED_HEADERS, head)
    totals = [0, 0, 0, 0]
    row = 3
    for r in sorted(trained, key=lambda r: (names.get(r['company'], ''),
                r['program_kind'] or '', r['funding'] or '')):
        values = [int(r[n] or 0) for n in ['enrolled', 'completed', 'left',
                'studying']]
        totals = [a + b for a, b in zip(totals, values)]
        sheet.write_row(row, 0, [names.get(r['company'], ''),
                kinds.get(r['program_kind'], ''),
                fundings.get(r['funding'], '')] + values)
        if r['completion_rate'] is not None:
            sheet.write_number(row, 7, round(float(r['completion_rate']), 1))
        row += 1
    sheet.write_row(row, 0, ["Итого", '', ''] + totals, head)
    finished = totals[1] + totals[2]
    if finished:
        sheet.write_number(row, 7, round(totals[1] * 100 / finished, 1),
            head)
    sheet.set_column(0, 2, 28)
    sheet.set_column(3, 7, 14)
    sheet = book.add_worksheet("Федеральные квоты")
    sheet.write_row(0, 0, QUOTA_HEADERS, head)
    for row, r in enumerate(sorted(quotas, key=lambda r: (
                    names.get(r['company'], ''), str(r['start_date']))), 1):
        sheet.write_row(row, 0, [names.get(r['company'], ''),
                programs.get(r['program'], ''), cohorts.get(r['cohort'], '')])
        start = r['start_date']
        if isinstance(start, str):
            import datetime as dt
            start = dt.date.fromisoformat(start)
        sheet.write_datetime(row, 3, start, date_format)
        sheet.write_row(row, 4, [projects.get(r['federal_project'], ''),
                int(r['federal_seats'] or 0), int(r['used'] or 0),
                int(r['remaining'] or 0)])
    sheet.set_column(0, 2, 28)
    sheet.set_column(3, 7, 16)
    book.close()
    return output.getvalue()
