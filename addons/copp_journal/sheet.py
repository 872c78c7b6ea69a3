"""Grade sheets (ведомости) and retake sheets (направления на пересдачу).

A sheet is drawn for a final assessment of a group in a discipline and a
term; it has a line per student (sheet_line.py) with the final grade or
«неявка». Closing a sheet signs it (the user, the time and a SHA-256 digest
of its content); only the college administrator and the ministry reopen it.
A closed sheet freezes the current marks of its discipline and term.
Academic debts and retakes: debt.py; drawing the sheets of a term:
sheet_create.py.
"""
import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from copp.history import HistoryMixin

from .curriculum import ASSESSMENTS, PASS_FAIL_ASSESSMENTS
from .exceptions import SheetError

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


class Sheet(HistoryMixin, Workflow, ModelSQL, ModelView):
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
                    'icon': 'copp-lock',
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
