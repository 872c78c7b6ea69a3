"""The regional report of graduates' employment as xlsx, with a chart."""
import io

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .employment import (
    CHECKPOINTS, COUNTS, compute_rates, latest_graduation_year)

COLUMNS = [
    ("Колледж", None), ("Код", None), ("Специальность", None),
    ("Выпускников", 'graduates'), ("Трудоустроены", 'employed'),
    ("Из них по специальности", 'by_specialty'),
    ("Самозанятые, ИП", 'self_employed'), ("Продолжили обучение", 'study'),
    ("Служба в армии", 'army'), ("Отпуск по уходу за ребёнком", 'maternity'),
    ("Не трудоустроены", 'unemployed'),
    ("Трудоустройство, %", 'employment_rate'),
    ("По специальности, %", 'specialty_rate'),
    ("Не трудоустроены, %", 'unemployment_rate'),
    ]


def employment_xlsx(rows, title):
    """rows: [(college, code, specialty, {count: n})]; a sheet with the
    table, the total of the region and a bar chart of the rates"""
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    book = xlsx_workbook(output, {'in_memory': True})
    sheet = book.add_worksheet("Трудоустройство")
    bold = book.add_format({'bold': True, 'font_size': 13})
    head = book.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True, 'valign': 'vcenter'})
    cell = book.add_format({'border': 1})
    rate = book.add_format({'border': 1, 'num_format': '0.0'})
    sheet.write(0, 0, title, bold)
    for c, (label, _) in enumerate(COLUMNS):
        sheet.write(2, c, label, head)
    totals = {c: 0 for c in COUNTS}
    r = 2
    for college, code, specialty, counts in rows:
        r += 1
        for name in COUNTS:
            totals[name] += counts.get(name) or 0
        values = dict(counts, **compute_rates(counts))
        sheet.write(r, 0, college, cell)
        sheet.write(r, 1, code, cell)
        sheet.write(r, 2, specialty, cell)
        for c, (_, name) in enumerate(COLUMNS[3:], 3):
            value = values.get(name)
            sheet.write(r, c, float(value) if value is not None else '',
                rate if name.endswith('_rate') else cell)
    last = r
    r += 1
    values = dict(totals, **compute_rates(totals))
    sheet.write(r, 0, "Итого по региону", head)
    for c, (_, name) in enumerate(COLUMNS[3:], 3):
        value = values.get(name)
        sheet.write(r, c, float(value) if value is not None else '', head)
    if last > 2:
        chart = book.add_chart({'type': 'bar'})
        for col, name in [(11, "Трудоустройство, %"),
                (12, "По специальности, %")]:
            chart.add_series({
                    'name': name,
                    'categories': ['Трудоустройство', 3, 1, last, 2],
                    'values': ['Трудоустройство', 3, col, last, col],
                    })
        chart.set_title({'name': title})
        chart.set_x_axis({'min': 0, 'max': 100})
        chart.set_size({'width': 720, 'height': 60 + 28 * (last - 2)})
        sheet.insert_chart(r + 2, 0, chart)
    sheet.set_column(0, 0, 30)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, 13, 14)
    book.close()
    return output.getvalue()


class EmploymentExportStart(ModelView):
    "Employment Report"
    __name__ = 'copp.graduation.employment.export.start'
    __string__ = "Employment Report"

    graduation_year = fields.Integer("Year of Graduation", required=True)
    checkpoint = fields.Selection(CHECKPOINTS, "Checkpoint", required=True)
    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)

    @classmethod
    def default_graduation_year(cls):
        return latest_graduation_year(Pool().get('ir.date').today())

    @classmethod
    def default_checkpoint(cls):
        return 'december'


class EmploymentExport(Wizard):
    "Employment Report (xlsx)"
    __name__ = 'copp.graduation.employment.export'

    start = StateView('copp.graduation.employment.export.start',
        'copp_graduation.employment_export_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Make", 'make', 'tryton-ok', default=True),
            ])
    make = StateTransition()

    def transition_make(self):
        pool = Pool()
        Report = pool.get('copp.graduation.employment.report')
        with Transaction().set_context(
                graduation_year=self.start.graduation_year,
                checkpoint=self.start.checkpoint):
            records = Report.search([])
            rows = [(r.company.rec_name, r.specialty.code, r.specialty.name,
                    {c: getattr(r, c) for c in COUNTS}) for r in records]
        checkpoint = "1 декабря" if self.start.checkpoint == 'december' \
            else "1 апреля следующего года"
        title = (f"Трудоустройство выпускников "
            f"{self.start.graduation_year} г. на {checkpoint}")
        self.start.file = employment_xlsx(rows, title)
        from trytond.i18n import gettext
        from .employment import checkpoint_date
        self.start.filename = gettext(
            'copp_graduation.msg_employment_filename',
            year=self.start.graduation_year, date=checkpoint_date(
                self.start.graduation_year, self.start.checkpoint).isoformat())
        return 'start'

    def default_start(self, fields):
        values = {}
        for name in ['graduation_year', 'checkpoint', 'file', 'filename']:
            value = getattr(self.start, name, None)
            if value is not None:
                values[name] = value
        return values
