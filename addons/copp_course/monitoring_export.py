"""«Мониторинг обучения» as xlsx (issue 18, item 7): for the selected
courses, the sheet «По слушателям» (copp.course.monitoring) and the sheet
«По занятиям» (copp.course.monitoring.lesson) with a bar chart of the
completion by lesson. The rows are read through the two report models
with the user's access rules (a teacher exports only their college's)."""
import io

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .monitoring import DEFAULT_STALL_DAYS

LEARNER_SHEET = "По слушателям"
LESSON_SHEET = "По занятиям"
LEARNER_COLUMNS = ["Курс", "Организация", "Слушатель", "Занятий пройдено",
    "Обязательных занятий", "Прогресс, %", "Оценка, %", "Курс пройден",
    "Последняя активность", "Дней без активности", "Остановился"]
LESSON_COLUMNS = ["Курс", "Занятие", "Обязательное", "Слушателей",
    "Начали", "Прошли", "Не сдали", "Прохождение, %", "Средний балл, %"]


def number(value):
    return float(value) if value is not None else ''


def monitoring_xlsx(title, learners, lessons):
    """learners: copp.course.monitoring rows; lessons:
    copp.course.monitoring.lesson rows; the workbook's bytes"""
    from copp.xlsx import workbook as xlsx_workbook
    output = io.BytesIO()
    book = xlsx_workbook(output, {'in_memory': True})
    bold = book.add_format({'bold': True, 'font_size': 13})
    head = book.add_format({'bold': True, 'bg_color': '#DDEBF7',
            'border': 1, 'text_wrap': True, 'valign': 'vcenter'})
    cell = book.add_format({'border': 1})
    rate = book.add_format({'border': 1, 'num_format': '0.00'})
    day = book.add_format({'border': 1, 'num_format': 'dd.mm.yyyy'})

    sheet = book.add_worksheet(LEARNER_SHEET)
    sheet.write(0, 0, title, bold)
    for c, label in enumerate(LEARNER_COLUMNS):
        sheet.write(2, c, label, head)
    for r, row in enumerate(learners, 3):
        sheet.write(r, 0, row.course.rec_name, cell)
        sheet.write(r, 1, row.company.rec_name, cell)
        sheet.write(r, 2, row.party.rec_name, cell)
        sheet.write(r, 3, row.lessons_completed, cell)
        sheet.write(r, 4, row.lessons_required, cell)
        sheet.write(r, 5, number(row.progress), rate)
        sheet.write(r, 6, number(row.grade), rate)
        sheet.write(r, 7, "да" if row.completed else "нет", cell)
        if row.last_activity_date:
            sheet.write_datetime(r, 8, row.last_activity_date, day)
        else:
            sheet.write(r, 8, '', cell)
        sheet.write(r, 9, number(row.days_inactive), cell)
        sheet.write(r, 10, "да" if row.stalled else "нет", cell)
    sheet.set_column(0, 2, 30)
    sheet.set_column(3, 10, 14)

    sheet = book.add_worksheet(LESSON_SHEET)
    sheet.write(0, 0, title, bold)
    for c, label in enumerate(LESSON_COLUMNS):
        sheet.write(2, c, label, head)
    last = 2
    for r, row in enumerate(lessons, 3):
        last = r
        sheet.write(r, 0, row.course.rec_name, cell)
        sheet.write(r, 1, row.lesson.name, cell)
        sheet.write(r, 2, "да" if row.required else "нет", cell)
        sheet.write(r, 3, row.enrolled, cell)
        sheet.write(r, 4, row.started, cell)
        sheet.write(r, 5, row.completed, cell)
        sheet.write(r, 6, row.failed, cell)
        sheet.write(r, 7, number(row.completion), rate)
        sheet.write(r, 8, number(row.average_score), rate)
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 8, 14)
    if last > 2:
        chart = book.add_chart({'type': 'bar'})
        chart.add_series({
                'name': "Прохождение, %",
                'categories': [LESSON_SHEET, 3, 1, last, 1],
                'values': [LESSON_SHEET, 3, 7, last, 7],
                'data_labels': {'value': True},
                })
        chart.set_title({'name': "Прохождение по занятиям"})
        chart.set_x_axis({'min': 0, 'max': 100})
        chart.set_y_axis({'reverse': True})
        chart.set_legend({'none': True})
        chart.set_size({'width': 720, 'height': 80 + 28 * (last - 2)})
        sheet.insert_chart(last + 2, 0, chart)
    book.close()
    return output.getvalue()


class MonitoringExportStart(ModelView):
    "Learning Monitoring (xlsx)"
    __name__ = 'copp.course.monitoring.export.start'
    __string__ = "Learning Monitoring (xlsx)"

    courses = fields.Many2Many('copp.course', None, None, "Courses",
        required=True)
    date = fields.Date("Date", required=True)
    stall_days = fields.Integer("Stalled After, Days", required=True)
    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class MonitoringExport(Wizard):
    "Learning Monitoring (xlsx)"
    __name__ = 'copp.course.monitoring.export'

    start = StateView('copp.course.monitoring.export.start',
        'copp_course.monitoring_export_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Make", 'make', 'tryton-ok', default=True),
            ])
    make = StateTransition()

    def transition_make(self):
        pool = Pool()
        Monitoring = pool.get('copp.course.monitoring')
        MonitoringLesson = pool.get('copp.course.monitoring.lesson')
        courses = sorted(self.start.courses, key=lambda c: c.id)
        ids = [c.id for c in courses]
        with Transaction().set_context(date=self.start.date,
                stall_days=self.start.stall_days):
            learners = Monitoring.search([('course', 'in', ids)])
            lessons = MonitoringLesson.search([('course', 'in', ids)])
            title = (f"Мониторинг обучения на "
                f"{self.start.date.strftime('%d.%m.%Y')}: "
                + ", ".join(c.rec_name for c in courses))
            self.start.file = monitoring_xlsx(title, learners, lessons)
        self.start.filename = gettext('copp_course.msg_monitoring_filename',
            codes='_'.join(c.code or str(c.id) for c in courses))
        return 'start'

    def default_start(self, fields):
        values = {}
        for name in ['date', 'stall_days', 'file', 'filename']:
            value = getattr(self.start, name, None)
            if value is not None:
                values[name] = value
        if getattr(self.start, 'courses', None):
            values['courses'] = [c.id for c in self.start.courses]
        elif Transaction().context.get('active_model') == 'copp.course':
            values['courses'] = list(
                Transaction().context.get('active_ids') or [])
        values.setdefault('date', Pool().get('ir.date').today())
        values.setdefault('stall_days', DEFAULT_STALL_DAYS)
        return values
