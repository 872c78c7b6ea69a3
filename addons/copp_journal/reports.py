"""xlsx reports: the group's journal for a month, the grade sheet (printable
form, also of a retake sheet), the statement of missed hours (ведомость
пропусков) and success and quality by group or college."""
import datetime as dt
import io
from collections import defaultdict

from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import journal as grid
from .period import first_day
from .rates import compute_rates
from .sheet import compute_stats

GRADE_WORDS = {'5': "5 (отлично)", '4': "4 (хорошо)",
    '3': "3 (удовлетворительно)", '2': "2 (неудовлетворительно)",
    'pass': "зачтено", 'fail': "не зачтено", 'absent': "неявка"}
ASSESSMENT_TITLES = {
    'exam': "экзамен", 'credit': "зачёт",
    'diff_credit': "дифференцированный зачёт",
    'course_work': "курсовая работа", 'course_project': "курсовой проект",
    'qualification_exam': "экзамен квалификационный",
    'other': "другая форма контроля"}


class _Book:
    "An xlsxwriter workbook with the formats of the reports"

    def __init__(self):
        import xlsxwriter
        self.output = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.output, {'in_memory': True})
        add = self.book.add_format
        self.title = add({'bold': True, 'font_size': 13})
        self.bold = add({'bold': True})
        self.head = add({'bold': True, 'bg_color': '#DDEBF7', 'border': 1,
                'text_wrap': True, 'align': 'center', 'valign': 'vcenter'})
        self.cell = add({'border': 1})
        self.center = add({'border': 1, 'align': 'center'})
        self.wrap = add({'border': 1, 'text_wrap': True, 'valign': 'top'})
        self.number = add({'border': 1, 'num_format': '0.0'})
        self.average = add({'border': 1, 'num_format': '0.00'})
        self.vertical = add({'bold': True, 'bg_color': '#DDEBF7',
                'border': 1, 'rotation': 90, 'align': 'center',
                'font_size': 9})
        self.small = add({'font_size': 9, 'italic': True})
        self.names = set()

    def sheet(self, name):
        name = ''.join(c for c in name if c not in '[]:*?/\\')[:31] or '—'
        base, number = name, 2
        while name in self.names:
            suffix = f' ({number})'
            name = base[:31 - len(suffix)] + suffix
            number += 1
        self.names.add(name)
        sheet = self.book.add_worksheet(name)
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        return sheet

    def close(self):
        self.book.close()
        return self.output.getvalue()


def _fmt(date):
    return date.strftime('%d.%m.%Y') if date else ''


# The group's journal for a month ---------------------------------------

def journal_month_xlsx(workloads, month):
    "The journal pages of the teaching loads for a month (one sheet each)"
    book = _Book()
    for workload in workloads:
        data = grid.load_grid(workload.id, month)
        sheet = book.sheet(f"{workload.group.rec_name} {workload.line.index}"
            + (f" п{workload.subgroup}" if workload.subgroup else ''))
        w = data['workload']
        sheet.write(0, 0, f"Журнал учебных занятий — {w['group']}", book.title)
        sheet.write(1, 0, f"{w['index']} {w['discipline']}"
            + (f", подгруппа {w['subgroup']}" if w['subgroup'] else ''),
            book.bold)
        sheet.write(2, 0, f"Преподаватель: {w['teacher']}. "
            f"{data['month_name'].capitalize()}, {w['term']}.")
        row = 4
        lessons = data['lessons']
        sheet.write(row, 0, "№", book.head)
        sheet.write(row, 1, "Обучающийся", book.head)
        for col, lesson in enumerate(lessons, 2):
            date = dt.date.fromisoformat(lesson['date'])
            sheet.write(row, col, date.strftime('%d.%m'), book.vertical)
        total_col = 2 + len(lessons)
        sheet.write(row, total_col, "Средний балл", book.head)
        sheet.write(row, total_col + 1, "Пропущено, ч", book.head)
        sheet.write(row, total_col + 2, "в т.ч. по уваж.", book.head)
        sheet.set_row(row, 42)
        for number, student in enumerate(data['students'], 1):
            r = row + number
            sheet.write(r, 0, number, book.center)
            sheet.write(r, 1, student['full_name']
                + (" (выбыл)" if student['left'] else ''), book.cell)
            for col, lesson in enumerate(lessons, 2):
                sheet.write(r, col, data['cells'].get(
                        f"{lesson['id']}:{student['id']}", ''), book.center)
            totals = data['totals'][str(student['id'])]
            if totals['average'] is not None:
                sheet.write_number(r, total_col, totals['average'],
                    book.average)
            else:
                sheet.write(r, total_col, '', book.cell)
            sheet.write(r, total_col + 1, totals['missed'], book.center)
            sheet.write(r, total_col + 2, totals['excused'], book.center)
        sheet.set_column(0, 0, 4)
        sheet.set_column(1, 1, 34)
        sheet.set_column(2, total_col - 1, 4)
        sheet.set_column(total_col, total_col + 2, 10)
        row += len(data['students']) + 2
        row += 2
        sheet.write(row, 0, "Обозначения: " + "; ".join(
                f"{code} — {text}" for code, text in data['legend']),
            book.small)
        topics = book.sheet(f"{workload.group.rec_name} "
            f"{workload.line.index} темы"
            + (f" п{workload.subgroup}" if workload.subgroup else ''))
        topics.write(0, 0, f"Содержание занятий — {w['group']}, "
            f"{w['index']} {w['discipline']}", book.title)
        for col, title in enumerate(["Дата", "Пара", "Часы",
                    "Тема занятия", "Домашнее задание"]):
            topics.write(2, col, title, book.head)
        for r, lesson in enumerate(lessons, 3):
            date = dt.date.fromisoformat(lesson['date'])
            topics.write(r, 0, date.strftime('%d.%m.%Y'), book.cell)
            topics.write(r, 1, lesson['pair'] or '', book.center)
            topics.write(r, 2, lesson['hours'], book.center)
            topics.write(r, 3, lesson['topic'], book.wrap)
            topics.write(r, 4, lesson['homework'], book.wrap)
        topics.set_column(0, 0, 12)
        topics.set_column(1, 2, 6)
        topics.set_column(3, 3, 60)
        topics.set_column(4, 4, 40)
    return book.close()


class JournalMonthStart(ModelView):
    "Group Journal for a Month"
    __name__ = 'copp.journal.report.journal.start'
    __string__ = "Group Journal for a Month"

    group = fields.Many2One('copp.study.group', "Group", required=True)
    month = fields.Date("Month", required=True,
        help="Any day of the month.")
    workloads = fields.Many2Many('copp.journal.workload', None, None,
        "Disciplines", domain=[('group', '=', Eval('group', -1))],
        help="Empty for every discipline of the group in the month's term.")

    @classmethod
    def default_month(cls):
        return Pool().get('ir.date').today()


class ReportResult(ModelView):
    "Report"
    __name__ = 'copp.journal.report.result'
    __string__ = "Report"

    file = fields.Binary("File", readonly=True, filename='filename')
    filename = fields.Char("File Name", readonly=True)


class _FileWizard(Wizard):
    result = StateView('copp.journal.report.result',
        'copp_journal.report_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}


class JournalMonth(_FileWizard):
    "Group Journal for a Month"
    __name__ = 'copp.journal.report.journal'

    start = StateView('copp.journal.report.journal.start',
        'copp_journal.report_journal_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()

    def default_start(self, fields):
        context = Transaction().context
        if context.get('active_model') == 'copp.study.group' and (
                self.records):
            return {'group': self.records[0].id}
        if context.get('active_model') == 'copp.journal.workload' and (
                self.records):
            return {'group': self.records[0].group.id,
                'workloads': [w.id for w in self.records]}
        return {}

    def transition_export(self):
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        Term = pool.get('copp.academic.term')
        month = first_day(self.start.month)
        workloads = list(self.start.workloads)
        if not workloads:
            term = Term.find(month) or Term.find(
                month + dt.timedelta(days=27))
            workloads = Workload.search([
                    ('group', '=', self.start.group.id),
                    ('term', '=', term.id if term else -1),
                    ])
        self.result.file = journal_month_xlsx(workloads, month)
        self.result.filename = (f"zhurnal_{self.start.group.rec_name}_"
            f"{month:%Y-%m}.xlsx")
        return 'result'


# The grade sheet --------------------------------------------------------

def sheet_xlsx(sheets):
    book = _Book()
    for sheet_record in sheets:
        ws = book.sheet(f"Ведомость {sheet_record.number or sheet_record.id}")
        retake = sheet_record.kind != 'regular'
        ws.merge_range(0, 0, 0, 4, sheet_record.company.full_name
            or sheet_record.company.rec_name, book.bold)
        title = ("НАПРАВЛЕНИЕ НА ПЕРЕСДАЧУ" if sheet_record.kind == 'retake'
            else "ВЕДОМОСТЬ КОМИССИОННОЙ ПЕРЕСДАЧИ"
            if sheet_record.kind == 'commission'
            else "ЭКЗАМЕНАЦИОННАЯ ВЕДОМОСТЬ"
            if sheet_record.assessment in {'exam', 'qualification_exam'}
            else "ЗАЧЁТНАЯ ВЕДОМОСТЬ")
        ws.merge_range(2, 0, 2, 4, f"{title} № {sheet_record.number or ''}",
            book.title)
        info = [
            ("Группа", sheet_record.group.rec_name),
            ("Дисциплина (МДК, практика)",
                f"{sheet_record.line.index} {sheet_record.line.name}"),
            ("Семестр", f"{sheet_record.line.semester} "
                f"({sheet_record.term.rec_name})"),
            ("Форма аттестации",
                ASSESSMENT_TITLES.get(sheet_record.assessment, '')),
            ("Преподаватель (экзаменатор)",
                sheet_record.teacher.rec_name if sheet_record.teacher
                else ''),
            ("Дата", _fmt(sheet_record.date)),
            ]
        if retake and sheet_record.original:
            info.append(("Основная ведомость",
                    sheet_record.original.number or ''))
        row = 4
        for label, value in info:
            ws.write(row, 0, label, book.bold)
            ws.merge_range(row, 1, row, 4, value)
            row += 1
        row += 1
        for col, title in enumerate(["№", "Фамилия, имя, отчество",
                    "№ зачётной книжки", "Оценка", "Подпись экзаменатора"]):
            ws.write(row, col, title, book.head)
        counts = defaultdict(int)
        lines = sorted(sheet_record.lines,
            key=lambda l: (l.student.rec_name or '').lower())
        for number, line in enumerate(lines, 1):
            row += 1
            counts[line.grade] += 1
            ws.write(row, 0, number, book.center)
            ws.write(row, 1, line.student.rec_name, book.cell)
            ws.write(row, 2, line.student.record_book or '', book.center)
            ws.write(row, 3, GRADE_WORDS.get(line.grade, ''), book.cell)
            ws.write(row, 4, '', book.cell)
        stats = compute_stats(counts)
        row += 2
        summary = []
        if sheet_record.pass_fail:
            summary += [("Зачтено", stats['count_pass']),
                ("Не зачтено", stats['count_fail'])]
        else:
            summary += [("«5»", stats['count_5']), ("«4»", stats['count_4']),
                ("«3»", stats['count_3']), ("«2»", stats['count_2'])]
        summary += [("Неявка", stats['count_absent']),
            ("Успеваемость, %", stats['success_rate']),
            ("Качество, %", stats['quality_rate'])]
        if not sheet_record.pass_fail:
            summary.append(("Средний балл", stats['average']))
        for label, value in summary:
            ws.write(row, 1, label, book.bold)
            ws.write(row, 2, float(value) if value is not None else '')
            row += 1
        row += 1
        ws.write(row, 1, "Экзаменатор ____________ / "
            + (sheet_record.teacher.rec_name if sheet_record.teacher else '')
            + " /")
        row += 2
        ws.write(row, 1, "Заведующий отделением ____________")
        if sheet_record.state == 'closed':
            row += 2
            signer = (sheet_record.signed_by.rec_name
                if sheet_record.signed_by else '')
            signed_at = (f"{sheet_record.signed_at:%d.%m.%Y %H:%M}"
                if sheet_record.signed_at else '')
            ws.write(row, 0, f"Ведомость закрыта и подписана: {signer}, "
                f"{signed_at}. Контрольная сумма SHA-256: "
                f"{sheet_record.signature}", book.small)
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, 38)
        ws.set_column(2, 2, 18)
        ws.set_column(3, 3, 22)
        ws.set_column(4, 4, 22)
    return book.close()


class SheetReport(Report):
    "Grade Sheet (xlsx)"
    __name__ = 'copp.journal.sheet.report'
    __string__ = "Grade Sheet (xlsx)"

    @classmethod
    def _execute(cls, records, header, data, action):
        return 'xlsx', sheet_xlsx(records)


# The statement of missed hours -------------------------------------------

def missed_hours_rows(company_id, date_from, date_to, group_ids=None):
    """{group: {student: {line: {'excused': h, 'unexcused': h, reason: h}}}}
    in one query"""
    pool = Pool()
    Absence = pool.get('copp.journal.absence')
    absence = Absence.__table__()
    cursor = Transaction().connection.cursor()
    where = ((absence.company == company_id) & (absence.date >= date_from)
        & (absence.date <= date_to))
    if group_ids is not None:
        where &= absence.group.in_(list(group_ids) or [-1])
    cursor.execute(*absence.select(absence.group, absence.student,
            absence.line, absence.reason, Sum(absence.hours),
            Sum(Case((absence.kind == 'late', 1), else_=0)),
            where=where,
            group_by=[absence.group, absence.student, absence.line,
                absence.reason]))
    result = defaultdict(lambda: defaultdict(lambda: defaultdict(
                lambda: defaultdict(int))))
    for group, student, line, reason, hours, late in cursor:
        cell = result[group][student][line]
        cell[reason or 'unexcused'] += int(hours or 0)
        cell['late'] += int(late or 0)
    return result


def missed_hours_xlsx(company, date_from, date_to, groups=None):
    pool = Pool()
    Group = pool.get('copp.study.group')
    Student = pool.get('copp.student')
    Line = pool.get('copp.journal.curriculum.line')
    data = missed_hours_rows(company.id, date_from, date_to,
        [g.id for g in groups] if groups else None)
    book = _Book()
    group_ids = ([g.id for g in groups] if groups else sorted(data))
    for group in Group.browse(group_ids):
        students = data.get(group.id, {})
        line_ids = sorted({l for s in students.values() for l in s})
        lines = Line.browse(line_ids)
        ws = book.sheet(group.rec_name)
        ws.write(0, 0, f"Ведомость учёта пропусков занятий — группа "
            f"{group.rec_name}", book.title)
        ws.write(1, 0, f"{company.rec_name}, период: {_fmt(date_from)} — "
            f"{_fmt(date_to)}")
        row = 3
        heads = ["№", "Обучающийся"] + [l.index for l in lines] + [
            "Всего, ч", "Болезнь", "Заявление", "Приказ",
            "Без уваж. причины", "Опоздания"]
        for col, title in enumerate(heads):
            ws.write(row, col, title,
                book.vertical if 2 <= col < 2 + len(lines) else book.head)
        ws.set_row(row, 60)
        active = {s.id for s in Student.search([('group', '=', group.id),
                    ('state', 'in', ['studying', 'academic_leave'])])}
        all_students = Student.browse(sorted(active | set(students)))
        all_students = sorted(all_students,
            key=lambda s: (s.rec_name or '').lower())
        totals = defaultdict(int)
        for number, student in enumerate(all_students, 1):
            row += 1
            per_line = students.get(student.id, {})
            ws.write(row, 0, number, book.center)
            ws.write(row, 1, student.rec_name, book.cell)
            sums = defaultdict(int)
            for col, line in enumerate(lines, 2):
                cell = per_line.get(line.id, {})
                hours = sum(v for k, v in cell.items() if k != 'late')
                ws.write(row, col, hours or '', book.center)
                for key, value in cell.items():
                    sums[key] += value
            total = sum(v for k, v in sums.items() if k != 'late')
            values = [total, sums['illness'], sums['application'],
                sums['order'], sums['unexcused'], sums['late']]
            for offset, value in enumerate(values):
                ws.write(row, 2 + len(lines) + offset, value, book.center)
                totals[offset] += value
        row += 1
        ws.write(row, 1, "Итого", book.bold)
        for offset in range(6):
            ws.write(row, 2 + len(lines) + offset, totals[offset], book.head)
        ws.set_column(0, 0, 4)
        ws.set_column(1, 1, 34)
        ws.set_column(2, 1 + len(lines), 5)
        ws.set_column(2 + len(lines), 7 + len(lines), 10)
    if not group_ids:
        ws = book.sheet("Пропуски")
        ws.write(0, 0, "Пропусков за период нет.")
    return book.close()


class MissedHoursStart(ModelView):
    "Statement of Missed Hours"
    __name__ = 'copp.journal.report.missed.start'
    __string__ = "Statement of Missed Hours"

    company = fields.Many2One('company.company', "College", required=True)
    groups = fields.Many2Many('copp.study.group', None, None, "Groups",
        domain=[('company', '=', Eval('company', -1))],
        help="Empty for every group with absences.")
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True,
        domain=[('date_to', '>=', Eval('date_from'))])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date_from(cls):
        return first_day(Pool().get('ir.date').today())

    @classmethod
    def default_date_to(cls):
        return Pool().get('ir.date').today()


class MissedHours(_FileWizard):
    "Statement of Missed Hours"
    __name__ = 'copp.journal.report.missed'

    start = StateView('copp.journal.report.missed.start',
        'copp_journal.report_missed_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()

    def default_start(self, fields):
        context = Transaction().context
        if context.get('active_model') == 'copp.study.group' and (
                self.records):
            return {'groups': [g.id for g in self.records],
                'company': self.records[0].company.id}
        return {}

    def transition_export(self):
        self.result.file = missed_hours_xlsx(self.start.company,
            self.start.date_from, self.start.date_to,
            list(self.start.groups) or None)
        self.result.filename = (f"propuski_{self.start.date_from:%Y-%m-%d}_"
            f"{self.start.date_to:%Y-%m-%d}.xlsx")
        return 'result'


# Success and quality ----------------------------------------------------

def rates_xlsx(level, date_from, date_to, source, companies=None):
    pool = Pool()
    Company = pool.get('company.company')
    Group = pool.get('copp.study.group')
    rows = compute_rates(level, date_from, date_to, source=source,
        companies=companies)
    book = _Book()
    ws = book.sheet("Успеваемость")
    what = "по группам" if level == 'group' else "по колледжам"
    origin = ("итоговые оценки (ведомости)" if source == 'final'
        else "текущие оценки")
    ws.write(0, 0, f"Успеваемость и качество {what}", book.title)
    ws.write(1, 0, f"Период: {_fmt(date_from)} — {_fmt(date_to)}; "
        f"источник: {origin}.")
    heads = ["Колледж"] + (["Группа"] if level == 'group' else []) + [
        "Обучающихся", "Аттестовано", "Успевающих", "На «4» и «5»",
        "Успеваемость, %", "Качество, %", "Средний балл",
        "Часов по плану", "Пропущено, ч", "по уваж. причине",
        "без уваж. причины", "Посещаемость, %"]
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
    ws.write(row, 0, "Итого", book.bold)
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
        return Transaction().context.get('company')


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
        self.result.filename = (f"uspevaemost_{self.start.date_from:%Y-%m-%d}"
            f"_{self.start.date_to:%Y-%m-%d}.xlsx")
        return 'result'
