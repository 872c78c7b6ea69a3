"""The statement of missed hours (ведомость пропусков) of a college's
groups for a period."""
from collections import defaultdict

from sql.aggregate import Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView

from copp.company import context_college

from .period import first_day
from .reports import _Book, _FileWizard, _fmt


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
        ws.write(0, 0, gettext('copp_journal.msg_report_missed_title',
                group=group.rec_name), book.title)
        ws.write(1, 0, gettext('copp_journal.msg_report_missed_period',
                college=company.rec_name, date_from=_fmt(date_from),
                date_to=_fmt(date_to)))
        row = 3
        heads = [gettext('copp_journal.msg_report_number'),
            gettext('copp_journal.msg_report_student'),
            ] + [l.index for l in lines] + [
            gettext('copp_journal.msg_report_total_hours'),
            gettext('copp_journal.msg_report_illness'),
            gettext('copp_journal.msg_report_application'),
            gettext('copp_journal.msg_report_order'),
            gettext('copp_journal.msg_report_unexcused_short'),
            gettext('copp_journal.msg_report_late'),
            ]
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
        ws.write(row, 1, gettext('copp_journal.msg_report_total'), book.bold)
        for offset in range(6):
            ws.write(row, 2 + len(lines) + offset, totals[offset], book.head)
        ws.set_column(0, 0, 4)
        ws.set_column(1, 1, 34)
        ws.set_column(2, 1 + len(lines), 5)
        ws.set_column(2 + len(lines), 7 + len(lines), 10)
    if not group_ids:
        ws = book.sheet(gettext('copp_journal.msg_report_missed_sheet'))
        ws.write(0, 0, gettext('copp_journal.msg_report_missed_none'))
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
        return context_college()

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
        self.result.filename = gettext(
            'copp_journal.msg_report_missed_filename',
            date_from=self.start.date_from.isoformat(),
            date_to=self.start.date_to.isoformat())
        return 'result'


# Success and quality ----------------------------------------------------
