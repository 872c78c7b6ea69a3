"""The lines of a grade sheet: a student with the final grade or
«неявка», and what the journal says of them (average, missed hours)."""
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If, In
from trytond.transaction import Transaction

from copp.history import HistoryMixin

from .curriculum import ASSESSMENTS, PASS_FAIL_ASSESSMENTS
from .exceptions import SheetError
from .sheet import _CLOSING, GRADES, NUMERIC_GRADES
from .tools import reduce_ids, sliced


class SheetLine(HistoryMixin, ModelSQL, ModelView):
    "Grade Sheet Line"
    __name__ = 'copp.journal.sheet.line'
    __string__ = "Grade Sheet Line"
    _history = True

    sheet = fields.Many2One('copp.journal.sheet', "Sheet", required=True,
        ondelete='CASCADE')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT',
        states={'readonly': Eval('sheet_state') != 'open'},
        depends=['sheet_state'])
    record_book = fields.Function(fields.Char("Record Book"),
        'get_student_info')
    grade = fields.Selection(GRADES, "Grade", sort=False,
        states={'readonly': Eval('sheet_state') != 'open'},
        domain=[If(In(Eval('sheet_assessment'),
                    list(PASS_FAIL_ASSESSMENTS)),
                ('grade', 'in', [None, 'pass', 'fail', 'absent']),
                ('grade', 'in', [None, '5', '4', '3', '2', 'absent']))],
        depends=['sheet_state', 'sheet_assessment'])
    note = fields.Char("Note",
        states={'readonly': Eval('sheet_state') != 'open'},
        depends=['sheet_state'])
    sheet_state = fields.Function(fields.Selection([
                ('open', "Open"), ('closed', "Closed")], "Sheet State"),
        'on_change_with_sheet_state')
    sheet_assessment = fields.Function(fields.Selection(
            [a for a in ASSESSMENTS if a[0]], "Assessment"),
        'on_change_with_sheet_assessment')
    journal_average = fields.Function(fields.Numeric("Journal Average",
            digits=(3, 2),
            help="The average of the current marks of the term."),
        'get_journal')
    missed_hours = fields.Function(fields.Integer("Missed Hours"),
        'get_journal')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('sheet')
        t = cls.__table__()
        cls._order = [('sheet', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('sheet_student_unique', Unique(t, t.sheet, t.student),
                'copp_journal.msg_sheet_line_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.student, Index.Range())),
                })

    @fields.depends('sheet', '_parent_sheet.state')
    def on_change_with_sheet_state(self, name=None):
        return self.sheet.state if self.sheet else 'open'

    @fields.depends('sheet', '_parent_sheet.assessment')
    def on_change_with_sheet_assessment(self, name=None):
        return self.sheet.assessment if self.sheet else None

    def get_rec_name(self, name):
        return f'{self.sheet.rec_name}: {self.student.rec_name}'

    @classmethod
    def get_student_info(cls, lines, name):
        return {l.id: l.student.record_book for l in lines}

    @classmethod
    def get_journal(cls, lines, names):
        pool = Pool()
        Mark = pool.get('copp.journal.mark')
        Absence = pool.get('copp.journal.absence')
        mark = Mark.__table__()
        absence = Absence.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {l.id: None for l in lines} for n in names}
        by_key = defaultdict(list)
        for line in lines:
            by_key[(line.sheet.line.id, line.sheet.term.id)].append(line)
        points = Case((mark.value == '5', 5), (mark.value == '4', 4),
            (mark.value == '3', 3), (mark.value == '2', 2), else_=Null)
        for (line_id, term_id), sub_lines in by_key.items():
            students = {l.student.id: l for l in sub_lines}
            for sub_ids in sliced(list(students)):
                if 'journal_average' in names:
                    cursor.execute(*mark.select(mark.student, Sum(points),
                            Count(points),
                            where=reduce_ids(mark.student, sub_ids)
                            & (mark.line == line_id)
                            & (mark.term == term_id),
                            group_by=[mark.student]))
                    for student, total, count in cursor:
                        if count:
                            result['journal_average'][
                                students[student].id] = (
                                Decimal(int(total)) / count).quantize(
                                    Decimal('0.01'))
                if 'missed_hours' in names:
                    for student in sub_ids:
                        result['missed_hours'][students[student].id] = 0
                    cursor.execute(*absence.select(absence.student,
                            Sum(absence.hours),
                            where=reduce_ids(absence.student, sub_ids)
                            & (absence.line == line_id)
                            & (absence.term == term_id),
                            group_by=[absence.student]))
                    for student, hours in cursor:
                        result['missed_hours'][students[student].id] = int(
                            hours or 0)
        return result

    @classmethod
    def check_grades(cls, lines):
        for line in lines:
            if not line.grade:
                continue
            allowed = ({'pass', 'fail', 'absent'} if line.sheet.pass_fail
                else NUMERIC_GRADES | {'absent'})
            if line.grade not in allowed:
                raise SheetError(gettext('copp_journal.msg_sheet_grade_scale',
                        student=line.student.rec_name,
                        sheet=line.sheet.rec_name))

    @classmethod
    def validate(cls, lines):
        super().validate(lines)
        cls.check_grades(lines)
        for line in lines:
            if line.student.company != line.sheet.company:
                raise SheetError(gettext(
                        'copp_journal.msg_entry_student_company',
                        student=line.student.rec_name,
                        lesson=line.sheet.rec_name))

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if Transaction().context.get(_CLOSING):
            return
        for line in lines:
            if line.sheet.state == 'closed':
                raise SheetError(gettext('copp_journal.msg_sheet_closed',
                        sheet=line.sheet.rec_name))
