"""xlsx reports: the workbook helper and the group's journal for a month.
The grade sheet: report_sheet.py; the statement of missed hours:
report_missed.py; success and quality: report_rates.py."""
import datetime as dt
import io

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import journal as grid
from .period import first_day


def grade_words():
    "{grade: its words in a printed sheet} in the language of the context"
    return {
        '5': gettext('copp_journal.msg_report_grade_5'),
        '4': gettext('copp_journal.msg_report_grade_4'),
        '3': gettext('copp_journal.msg_report_grade_3'),
        '2': gettext('copp_journal.msg_report_grade_2'),
        'pass': gettext('copp_journal.msg_report_grade_pass'),
        'fail': gettext('copp_journal.msg_report_grade_fail'),
        'absent': gettext('copp_journal.msg_report_grade_absent'),
        }


def assessment_titles():
    "{form of assessment: its words in a printed sheet}"
    return {
        'exam': gettext('copp_journal.msg_report_assessment_exam'),
        'credit': gettext('copp_journal.msg_report_assessment_credit'),
        'diff_credit': gettext(
            'copp_journal.msg_report_assessment_diff_credit'),
        'course_work': gettext(
            'copp_journal.msg_report_assessment_course_work'),
        'course_project': gettext(
            'copp_journal.msg_report_assessment_course_project'),
        'qualification_exam': gettext(
            'copp_journal.msg_report_assessment_qualification_exam'),
        'other': gettext('copp_journal.msg_report_assessment_other'),
        }


class _Book:
    "An xlsxwriter workbook with the formats of the reports"

    def __init__(self):
        from copp.xlsx import workbook as xlsx_workbook
        self.output = io.BytesIO()
        self.book = xlsx_workbook(self.output, {'in_memory': True})
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
        names = {'group': workload.group.rec_name,
            'index': workload.line.index, 'subgroup': workload.subgroup}
        if workload.subgroup:
            sheet = book.sheet(gettext(
                    'copp_journal.msg_report_journal_sheet_subgroup',
                    **names))
        else:
            sheet = book.sheet(f"{names['group']} {names['index']}")
        w = data['workload']
        sheet.write(0, 0, gettext('copp_journal.msg_report_journal_title',
                group=w['group']), book.title)
        if w['subgroup']:
            discipline = gettext(
                'copp_journal.msg_report_journal_discipline_subgroup',
                index=w['index'], discipline=w['discipline'],
                subgroup=w['subgroup'])
        else:
            discipline = f"{w['index']} {w['discipline']}"
        sheet.write(1, 0, discipline, book.bold)
        sheet.write(2, 0, gettext('copp_journal.msg_report_journal_teacher',
                teacher=w['teacher'],
                month=data['month_name'].capitalize(), term=w['term']))
        row = 4
        lessons = data['lessons']
        sheet.write(row, 0, gettext('copp_journal.msg_report_number'),
            book.head)
        sheet.write(row, 1, gettext('copp_journal.msg_report_student'),
            book.head)
        for col, lesson in enumerate(lessons, 2):
            date = dt.date.fromisoformat(lesson['date'])
            sheet.write(row, col, date.strftime('%d.%m'), book.vertical)
        total_col = 2 + len(lessons)
        sheet.write(row, total_col, gettext('copp_journal.msg_report_average'),
            book.head)
        sheet.write(row, total_col + 1,
            gettext('copp_journal.msg_report_missed_hours'), book.head)
        sheet.write(row, total_col + 2,
            gettext('copp_journal.msg_report_excused_short'), book.head)
        sheet.set_row(row, 42)
        for number, student in enumerate(data['students'], 1):
            r = row + number
            sheet.write(r, 0, number, book.center)
            sheet.write(r, 1, gettext('copp_journal.msg_report_student_left',
                    student=student['full_name']) if student['left']
                else student['full_name'], book.cell)
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
        sheet.write(row, 0, gettext('copp_journal.msg_report_legend',
                legend="; ".join(f"{code} — {text}"
                    for code, text in data['legend'])),
            book.small)
        topics = book.sheet(gettext(
                'copp_journal.msg_report_topics_sheet_subgroup'
                if workload.subgroup
                else 'copp_journal.msg_report_topics_sheet', **names))
        topics.write(0, 0, gettext('copp_journal.msg_report_topics_title',
                group=w['group'], index=w['index'],
                discipline=w['discipline']), book.title)
        for col, title in enumerate([
                    gettext('copp_journal.msg_report_date'),
                    gettext('copp_journal.msg_report_pair'),
                    gettext('copp_journal.msg_report_hours'),
                    gettext('copp_journal.msg_report_topic'),
                    gettext('copp_journal.msg_report_homework'),
                    ]):
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
        self.result.filename = gettext(
            'copp_journal.msg_report_journal_filename',
            group=self.start.group.rec_name, month=f'{month:%Y-%m}')
        return 'result'
