"""Academic debts and retake sheets.

The academic debt of a student in a discipline and term is the latest
closed result when it is 2, «не зачтено» or «неявка»: a retake sheet closed
with a positive grade clears it.
"""
from sql import Literal
from sql.aggregate import Count
from sql.functions import CurrentTimestamp
from sql.operators import Exists, Not

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from copp.labels import CollegeLabelMixin, college_label
from copp_contingent.student import STATES as STUDENT_STATES

from .curriculum import ASSESSMENTS
from .sheet import BAD_GRADES, GRADES, SHEET_KINDS
from .tools import reduce_ids


class Debt(CollegeLabelMixin, ModelSQL, ModelView):
    """Academic debt: the latest closed result of a student in a discipline
    and term is 2, «не зачтено» or «неявка»"""
    __name__ = 'copp.journal.debt'
    __string__ = "Academic Debt"

    company = fields.Many2One('company.company', "College", readonly=True)
    student = fields.Many2One('copp.student', "Student", readonly=True)
    group = fields.Many2One('copp.study.group', "Group", readonly=True)
    group_label = college_label("Group")
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        readonly=True)
    term = fields.Many2One('copp.academic.term', "Term", readonly=True)
    sheet = fields.Many2One('copp.journal.sheet', "Sheet", readonly=True)
    sheet_line = fields.Many2One('copp.journal.sheet.line', "Sheet Line",
        readonly=True)
    teacher = fields.Many2One('company.employee', "Examiner", readonly=True)
    assessment = fields.Selection([a for a in ASSESSMENTS if a[0]],
        "Assessment", readonly=True)
    grade = fields.Selection(GRADES, "Grade", readonly=True)
    date = fields.Date("Date", readonly=True)
    attempts = fields.Integer("Attempts", readonly=True,
        help="Closed sheets of the student in the discipline and term.")
    pending = fields.Integer("Open Retake Sheets", readonly=True)
    count = fields.Integer("Debts", readonly=True,
        help="1 for every debt: graphs sum it to count the debts.")
    student_state = fields.Function(fields.Selection(STUDENT_STATES,
            "Student State"), 'get_student_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        return debts_query()

    @classmethod
    def get_student_state(cls, debts, name):
        return {d.id: d.student.state if d.student else None
            for d in debts}


def debts_query(student_ids=None, company_ids=None):
    """python-sql query of the academic debts: a closed sheet line with a
    bad grade and no later closed line of the same student, discipline and
    term; `id` is the sheet line"""
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    Line = pool.get('copp.journal.sheet.line')
    sheet, line = Sheet.__table__(), Line.__table__()
    later_sheet, later_line = Sheet.__table__(), Line.__table__()
    all_sheet, all_line = Sheet.__table__(), Line.__table__()
    open_sheet, open_line = Sheet.__table__(), Line.__table__()
    later = later_line.join(later_sheet,
        condition=later_line.sheet == later_sheet.id).select(
        later_line.id,
        where=(later_line.student == line.student)
        & (later_sheet.line == sheet.line)
        & (later_sheet.term == sheet.term)
        & (later_sheet.state == 'closed')
        & ((later_sheet.date > sheet.date)
            | ((later_sheet.date == sheet.date)
                & (later_sheet.id > sheet.id))))
    attempts = all_line.join(all_sheet,
        condition=all_line.sheet == all_sheet.id).select(
        Count(all_line.id),
        where=(all_line.student == line.student)
        & (all_sheet.line == sheet.line)
        & (all_sheet.term == sheet.term)
        & (all_sheet.state == 'closed'))
    pending = open_line.join(open_sheet,
        condition=open_line.sheet == open_sheet.id).select(
        Count(open_line.id),
        where=(open_line.student == line.student)
        & (open_sheet.line == sheet.line)
        & (open_sheet.term == sheet.term)
        & (open_sheet.state == 'open'))
    where = (sheet.state == 'closed') & line.grade.in_(list(BAD_GRADES)) & (
        Not(Exists(later)))
    if student_ids is not None:
        where &= reduce_ids(line.student, student_ids)
    if company_ids is not None:
        where &= sheet.company.in_(list(company_ids) or [-1])
    return line.join(sheet, condition=line.sheet == sheet.id).select(
        line.id.as_('id'),
        Literal(0).as_('create_uid'),
        CurrentTimestamp().as_('create_date'),
        Literal(None).as_('write_uid'),
        Literal(None).as_('write_date'),
        sheet.company.as_('company'),
        line.student.as_('student'),
        sheet.group.as_('group'),
        sheet.line.as_('line'),
        sheet.term.as_('term'),
        sheet.id.as_('sheet'),
        line.id.as_('sheet_line'),
        sheet.teacher.as_('teacher'),
        sheet.assessment.as_('assessment'),
        line.grade.as_('grade'),
        sheet.date.as_('date'),
        attempts.as_('attempts'),
        pending.as_('pending'),
        Literal(1).as_('count'),
        where=where)


class RetakeStart(ModelView):
    "Issue Retake Sheets"
    __name__ = 'copp.journal.retake.start'
    __string__ = "Issue Retake Sheets"

    date = fields.Date("Retake Date", required=True)
    kind = fields.Selection([k for k in SHEET_KINDS if k[0] != 'regular'],
        "Kind", required=True)
    teacher = fields.Many2One('company.employee', "Examiner",
        help="Empty for the examiner of the original sheet.")

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_kind(cls):
        return 'retake'


class Retake(Wizard):
    "Issue Retake Sheets"
    __name__ = 'copp.journal.retake'

    start = StateView('copp.journal.retake.start',
        'copp_journal.retake_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Issue", 'issue', 'tryton-ok', default=True),
            ])
    issue = StateTransition()
    open_ = StateAction('copp_journal.act_sheet')

    def transition_issue(self):
        pool = Pool()
        Debt = pool.get('copp.journal.debt')
        debts = Debt.browse(Transaction().context.get('active_ids') or [])
        self.sheets = issue_retakes(debts, self.start.date, self.start.kind,
            self.start.teacher)
        return 'open_'

    def do_open_(self, action):
        action['pyson_domain'] = '[["id", "in", %s]]' % (
            [s.id for s in getattr(self, 'sheets', [])],)
        return action, {}


def issue_retakes(debts, date, kind='retake', teacher=None):
    """Create a retake sheet (направление) per debt with the student's line;
    returns the sheets"""
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    values = []
    for debt in debts:
        original = debt.sheet
        values.append({
                'company': original.company.id,
                'kind': kind,
                'group': original.group.id,
                'line': original.line.id,
                'term': original.term.id,
                'workload': original.workload.id if original.workload
                else None,
                'teacher': (teacher or original.teacher).id
                if (teacher or original.teacher) else None,
                'assessment': original.assessment,
                'date': date,
                'original': original.id,
                'lines': [('create', [{'student': debt.student.id}])],
                })
    return Sheet.create(values)
