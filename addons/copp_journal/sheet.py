"""Grade sheets (ведомости), retake sheets (направления на пересдачу) and
academic debts.

A sheet is drawn for a final assessment of a group in a discipline and a
term; it has a line per student with the final grade or «неявка». Closing a
sheet signs it (the user, the time and a SHA-256 digest of its content);
only the college administrator and the ministry reopen it. A closed sheet
freezes the current marks of its discipline and term.

The academic debt of a student in a discipline and term is the latest
closed result when it is 2, «не зачтено» or «неявка»: a retake sheet closed
with a positive grade clears it.
"""
import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If, In
from trytond.tools import reduce_ids
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from copp_contingent.student import STATES as STUDENT_STATES

from .curriculum import ASSESSMENTS, PASS_FAIL_ASSESSMENTS
from .exceptions import SheetError
from .tools import sliced

GRADES = [
    (None, ""),
    ('5', "5 (Excellent)"),
    ('4', "4 (Good)"),
    ('3', "3 (Satisfactory)"),
    ('2', "2 (Unsatisfactory)"),
    ('pass', "Pass"),
    ('fail', "Fail"),
    ('absent', "No-show"),
    ]
NUMERIC_GRADES = {'5', '4', '3', '2'}
PASS_FAIL_GRADES = {'pass', 'fail'}
BAD_GRADES = {'2', 'fail', 'absent'}
GOOD_GRADES = {'5', '4', '3', 'pass'}
SHEET_KINDS = [
    ('regular', "Grade Sheet"),
    ('retake', "Retake Sheet"),
    ('commission', "Commission Retake"),
    ]
_CLOSING = '_copp_journal_sheet_closing'


class Sheet(Workflow, ModelSQL, ModelView):
    "Grade Sheet"
    __name__ = 'copp.journal.sheet'
    __string__ = "Grade Sheet"
    _history = True
    _rec_name = 'number'

    _open = {'readonly': Eval('state') != 'open'}

    number = fields.Char("Number", readonly=True)
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_open)
    kind = fields.Selection(SHEET_KINDS, "Kind", required=True, states=_open)
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT', states=_open,
        domain=[('company', '=', Eval('company', -1))])
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        required=True, ondelete='RESTRICT', states=_open,
        domain=[('curriculum.company', '=', Eval('company', -1))])
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='RESTRICT', states=_open)
    workload = fields.Many2One('copp.journal.workload', "Teaching Load",
        ondelete='SET NULL', states=_open,
        domain=[('group', '=', Eval('group', -1)),
            ('line', '=', Eval('line', -1))])
    teacher = fields.Many2One('company.employee', "Examiner",
        ondelete='RESTRICT', states=_open,
        domain=[('company', '=', Eval('company', -1))])
    assessment = fields.Selection([a for a in ASSESSMENTS if a[0]],
        "Assessment", required=True, states=_open)
    date = fields.Date("Date", required=True, states=_open)
    original = fields.Many2One('copp.journal.sheet', "Original Sheet",
        ondelete='RESTRICT', readonly=True,
        states={'invisible': Eval('kind') == 'regular'},
        help="The sheet whose debt the retake clears.")
    lines = fields.One2Many('copp.journal.sheet.line', 'sheet', "Lines",
        states=_open)
    state = fields.Selection([
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", required=True, readonly=True, sort=False)
    signed_by = fields.Many2One('res.user', "Signed By", readonly=True)
    signed_at = fields.DateTime("Signed At", readonly=True)
    signature = fields.Char("Signature", readonly=True,
        help="SHA-256 digest of the content of the sheet at closing.")
    signature_valid = fields.Function(fields.Boolean("Signature Valid"),
        'get_signature_valid')
    count_5 = fields.Function(fields.Integer("«5»"), 'get_stats')
    count_4 = fields.Function(fields.Integer("«4»"), 'get_stats')
    count_3 = fields.Function(fields.Integer("«3»"), 'get_stats')
    count_2 = fields.Function(fields.Integer("«2»"), 'get_stats')
    count_pass = fields.Function(fields.Integer("Passed"), 'get_stats')
    count_fail = fields.Function(fields.Integer("Failed"), 'get_stats')
    count_absent = fields.Function(fields.Integer("No-shows"), 'get_stats')
    success_rate = fields.Function(fields.Numeric("Success Rate, %",
            digits=(5, 1)), 'get_stats')
    quality_rate = fields.Function(fields.Numeric("Quality Rate, %",
            digits=(5, 1)), 'get_stats')
    average = fields.Function(fields.Numeric("Average Mark", digits=(3, 2)),
        'get_stats')

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.group, Index.Range()), (t.line, Index.Range()),
                    (t.term, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.term, Index.Range())),
                Index(t, (t.teacher, Index.Range())),
                Index(t, (t.original, Index.Range())),
                })
        cls._transitions |= {('open', 'closed'), ('closed', 'open')}
        cls._buttons.update({
                'fill': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-lock',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'regular'

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_assessment(cls):
        return 'exam'

    @fields.depends('workload', 'group', 'line', 'term', 'teacher',
        'assessment')
    def on_change_workload(self):
        if self.workload:
            self.group = self.workload.group
            self.line = self.workload.line
            self.term = self.workload.term
            self.teacher = self.workload.teacher
            if self.workload.line.assessment:
                self.assessment = self.workload.line.assessment

    @fields.depends('line', 'assessment')
    def on_change_line(self):
        if self.line and self.line.assessment:
            self.assessment = self.line.assessment

    @property
    def pass_fail(self):
        return self.assessment in PASS_FAIL_ASSESSMENTS

    def get_rec_name(self, name):
        return gettext('copp_journal.msg_sheet_rec_name',
            number=self.number or '', group=self.group.rec_name,
            discipline=self.line.index)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('group.name', operator, operand, *extra),
            ('line.index', operator, operand, *extra),
            ]

    @classmethod
    def get_stats(cls, sheets, names):
        result = {n: {} for n in names}
        for sheet in sheets:
            counts = defaultdict(int)
            for line in sheet.lines:
                counts[line.grade] += 1
            stats = compute_stats(counts)
            for name in names:
                result[name][sheet.id] = stats[name]
        return result

    def content_digest(self):
        "SHA-256 of what the examiner signs"
        return sheet_digest(self.number, self.company.id, self.kind,
            self.group.id, self.group.rec_name, self.line.id,
            self.line.index, self.term.id, self.assessment, self.date,
            self.teacher.id if self.teacher else None,
            [(l.student.id, l.grade) for l in self.lines])

    @classmethod
    def get_signature_valid(cls, sheets, name):
        return {s.id: (s.signature == s.content_digest())
            if s.signature else None for s in sheets}

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            sequence = Sequence(ModelData.get_id(
                    'copp_journal', 'sequence_sheet'))
            with without_check_access():
                values['number'] = sequence.get()
        return values

    @classmethod
    def check_modification(cls, mode, sheets, values=None, external=False):
        super().check_modification(
            mode, sheets, values=values, external=external)
        if Transaction().context.get(_CLOSING):
            return
        if mode == 'delete':
            for sheet in sheets:
                if sheet.state == 'closed':
                    raise SheetError(gettext(
                            'copp_journal.msg_sheet_delete_closed',
                            sheet=sheet.rec_name))
        elif mode == 'write':
            changed = set(values or {}) - {'lines'}
            for sheet in sheets:
                if sheet.state == 'closed' and changed:
                    raise SheetError(gettext(
                            'copp_journal.msg_sheet_closed',
                            sheet=sheet.rec_name))

    @classmethod
    def copy(cls, sheets, default=None):
        default = default.copy() if default else {}
        for field in ['number', 'signed_by', 'signed_at', 'signature']:
            default.setdefault(field, None)
        default.setdefault('state', 'open')
        return super().copy(sheets, default=default)

    def audience(self):
        if self.workload:
            return self.workload.audience()
        pool = Pool()
        Student = pool.get('copp.student')
        with without_check_access():
            return [s.id for s in Student.search([
                        ('group', '=', self.group.id),
                        ('state', '=', 'studying'),
                        ])]

    @classmethod
    @ModelView.button
    def fill(cls, sheets):
        "Add a line for each student of the group who has none"
        pool = Pool()
        Line = pool.get('copp.journal.sheet.line')
        values = []
        for sheet in sheets:
            if sheet.state != 'open' or sheet.kind != 'regular':
                continue
            have = {l.student.id for l in sheet.lines}
            for student_id in sheet.audience():
                if student_id not in have:
                    values.append({'sheet': sheet.id, 'student': student_id})
        Line.create(values)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, sheets):
        pool = Pool()
        Line = pool.get('copp.journal.sheet.line')
        for sheet in sheets:
            if not sheet.lines:
                raise SheetError(gettext('copp_journal.msg_sheet_empty',
                        sheet=sheet.rec_name))
            missing = [l.student.rec_name for l in sheet.lines
                if not l.grade]
            if missing:
                raise SheetError(gettext(
                        'copp_journal.msg_sheet_missing_grades',
                        sheet=sheet.rec_name, students=', '.join(missing[:5])
                        + (' …' if len(missing) > 5 else '')))
            Line.check_grades(sheet.lines)
        now = dt.datetime.now()
        user = Transaction().user or None
        with Transaction().set_context(**{_CLOSING: True}):
            for sheet in sheets:
                sheet.state = 'closed'
                sheet.signed_by = user
                sheet.signed_at = now
                sheet.signature = sheet.content_digest()
            cls.save(sheets)

    @classmethod
    @ModelView.button
    def reopen(cls, sheets):
        # Restricted to the college administrator and the ministry by
        # ir.model.button-res.group; the ministry writes no college record
        # otherwise, hence without_check_access.
        with without_check_access(), Transaction().set_context(
                **{_CLOSING: True}):
            cls.write([cls(s.id) for s in sheets if s.state == 'closed'], {
                    'state': 'open',
                    'signed_by': None,
                    'signed_at': None,
                    'signature': None,
                    })


def sheet_digest(number, company_id, kind, group_id, group_name, line_id,
        line_index, term_id, assessment, date, teacher_id, lines):
    """SHA-256 of the content of a sheet: its header and the (student id,
    grade) of its lines"""
    parts = [number or '', str(company_id), kind, str(group_id), group_name,
        str(line_id), line_index, str(term_id), assessment, date.isoformat(),
        str(teacher_id or '')]
    for student_id, grade in sorted(lines):
        parts.append(f'{student_id}:{grade or ""}')
    return hashlib.sha256('|'.join(parts).encode('utf-8')).hexdigest()


def compute_stats(counts):
    "Counts of grades → the statistics of a sheet (and of the report)"
    numeric = sum(counts[g] for g in NUMERIC_GRADES)
    total = sum(counts[g] for g in NUMERIC_GRADES | PASS_FAIL_GRADES
        | {'absent'})
    good = sum(counts[g] for g in GOOD_GRADES)
    quality = counts['5'] + counts['4'] + counts['pass']
    points = sum(int(g) * counts[g] for g in NUMERIC_GRADES)
    hundred = Decimal(100)
    return {
        'count_5': counts['5'], 'count_4': counts['4'],
        'count_3': counts['3'], 'count_2': counts['2'],
        'count_pass': counts['pass'], 'count_fail': counts['fail'],
        'count_absent': counts['absent'],
        'success_rate': (hundred * good / total).quantize(Decimal('0.1'))
        if total else None,
        'quality_rate': (hundred * quality / total).quantize(Decimal('0.1'))
        if total else None,
        'average': (Decimal(points) / numeric).quantize(Decimal('0.01'))
        if numeric else None,
        }


class SheetLine(ModelSQL, ModelView):
    "Grade Sheet Line"
    __name__ = 'copp.journal.sheet.line'
    __string__ = "Grade Sheet Line"
    __access__ = {'sheet'}
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


class Debt(ModelSQL, ModelView):
    """Academic debt: the latest closed result of a student in a discipline
    and term is 2, «не зачтено» or «неявка»"""
    __name__ = 'copp.journal.debt'
    __string__ = "Academic Debt"

    company = fields.Many2One('company.company', "College", readonly=True)
    student = fields.Many2One('copp.student', "Student", readonly=True)
    group = fields.Many2One('copp.study.group', "Group", readonly=True)
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
    from sql.operators import Exists, Not
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


class SheetCreateStart(ModelView):
    "Create Grade Sheets"
    __name__ = 'copp.journal.sheet.create.start'
    __string__ = "Create Grade Sheets"

    company = fields.Many2One('company.company', "College", required=True)
    term = fields.Many2One('copp.academic.term', "Term", required=True)
    groups = fields.Many2Many('copp.study.group', None, None, "Groups",
        domain=[('company', '=', Eval('company', -1))],
        help="Empty for every group with a teaching load in the term.")
    date = fields.Date("Date", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_term(cls):
        return Pool().get('copp.journal.workload').default_term()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class SheetCreate(Wizard):
    "Create Grade Sheets"
    __name__ = 'copp.journal.sheet.create'

    start = StateView('copp.journal.sheet.create.start',
        'copp_journal.sheet_create_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()
    open_ = StateAction('copp_journal.act_sheet')

    def default_start(self, fields):
        context = Transaction().context
        values = {}
        if context.get('active_model') == 'copp.journal.workload' and (
                self.records):
            values['term'] = self.records[0].term.id
            values['company'] = self.records[0].company.id
            values['groups'] = list({w.group.id for w in self.records})
        return values

    def transition_create_(self):
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        context = Transaction().context
        if context.get('active_model') == 'copp.journal.workload' and (
                self.records):
            workloads = list(self.records)
        else:
            domain = [('company', '=', self.start.company.id),
                ('term', '=', self.start.term.id)]
            if self.start.groups:
                domain.append(('group', 'in',
                        [g.id for g in self.start.groups]))
            workloads = Workload.search(domain)
        self.sheets = create_sheets(workloads, self.start.date)
        return 'open_'

    def do_open_(self, action):
        action['pyson_domain'] = '[["id", "in", %s]]' % (
            [s.id for s in getattr(self, 'sheets', [])],)
        return action, {}


def create_sheets(workloads, date):
    """A regular sheet with its lines for each teaching load whose discipline
    has a final assessment (one per group, discipline and term: subgroups
    share it); the existing sheets are kept"""
    pool = Pool()
    Sheet = pool.get('copp.journal.sheet')
    existing = {(s.group.id, s.line.id, s.term.id) for s in Sheet.search([
                ('kind', '=', 'regular'),
                ('group', 'in', list({w.group.id for w in workloads})),
                ])}
    values, seen = [], set()
    for workload in workloads:
        key = (workload.group.id, workload.line.id, workload.term.id)
        if not workload.line.assessment or key in existing or key in seen:
            continue
        seen.add(key)
        whole = [w for w in workloads if (w.group.id, w.line.id, w.term.id)
            == key]
        students = set()
        for w in whole:
            students.update(w.audience())
        values.append({
                'company': workload.company.id,
                'kind': 'regular',
                'group': workload.group.id,
                'line': workload.line.id,
                'term': workload.term.id,
                'workload': workload.id if len(whole) == 1 else None,
                'teacher': workload.teacher.id if workload.teacher else None,
                'assessment': workload.line.assessment,
                'date': date,
                'lines': [('create', [{'student': s}
                            for s in sorted(students)])],
                })
    return Sheet.create(values)
