"""Current marks and attendance: the largest tables of the system.

Only the exceptions are stored: a lesson without an absence row for a
student means the student was present. Each row repeats the college, the
group, the discipline, the term and the date of its lesson (set from the
lesson on create and kept in step by `Lesson.propagate`): the rates of a
college or a group for a period are then one GROUP BY over one table read by
an index on (company, date) or (term, company), without joining a million
lessons; the cost is five integer columns per row.
"""
from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, dualmethod, fields)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp.history import HistoryMixin

from .exceptions import (
    JournalError, JournalFutureWarning, JournalValidationError)
from .tools import reduce_ids, sliced

MARK_VALUES = [
    ('5', "5"),
    ('4', "4"),
    ('3', "3"),
    ('2', "2"),
    ('pass', "Pass"),
    ('fail', "Fail"),
    ]
POINTS = {'5': 5, '4': 4, '3': 3, '2': 2}
BAD_MARKS = {'2', 'fail'}
ABSENCE_KINDS = [
    ('absent', "Absent"),
    ('late', "Late"),
    ]
ABSENCE_REASONS = [
    (None, "Unexcused"),
    ('illness', "Illness"),
    ('application', "Application"),
    ('order', "Order"),
    ]
EXCUSING_REASONS = {'illness', 'application', 'order'}
LESSON_FIELDS = ['company', 'group', 'line', 'term', 'date']


class JournalEntryMixin:
    "A row of the journal: a student at a lesson"
    __slots__ = ()

    lesson = fields.Many2One('copp.journal.lesson', "Lesson", required=True,
        ondelete='CASCADE')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT')
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT', readonly=True)
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        required=True, ondelete='RESTRICT', readonly=True)
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='RESTRICT', readonly=True)
    date = fields.Date("Date", required=True, readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('lesson_student_unique', Unique(t, t.lesson, t.student),
                'copp_journal.msg_entry_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.student, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.term, Index.Range()),
                    (t.company, Index.Range())),
                Index(t, (t.group, Index.Range()), (t.date, Index.Range())),
                })

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Lesson = pool.get('copp.journal.lesson')
        values = super().preprocess_values(mode, values)
        if values.get('lesson'):
            lesson = Lesson.__table__()
            cursor = Transaction().connection.cursor()
            cursor.execute(*lesson.select(
                    *[getattr(lesson, f) for f in LESSON_FIELDS],
                    where=lesson.id == values['lesson']))
            row = cursor.fetchone()
            if row:
                values.update(zip(LESSON_FIELDS, row))
        return values

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        pool = Pool()
        Period = pool.get('copp.journal.period')
        super().check_modification(
            mode, records, values=values, external=external)
        if mode in {'write', 'delete'}:
            Period.check_entries(cls, records)
        if mode == 'create' or (mode == 'write'
                and set(values or {}) & cls._future_fields):
            cls.check_future(records)

    # What a user changes that warns on a lesson still to come.
    _future_fields = {'lesson', 'student'}

    @classmethod
    def _future_entries(cls, records, today):
        return [r for r in records if r.date and r.date > today]

    @classmethod
    def check_future(cls, records):
        """Warn (res.user.warning: the user may go on) when a user puts an
        entry on a lesson that has not taken place yet: usually a cell of
        the wrong column. Server work (root, _skip_warnings) is not asked."""
        pool = Pool()
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        transaction = Transaction()
        if (not transaction.user or not records
                or transaction.context.get('_skip_warnings')):
            return
        future = cls._future_entries(records, Date.today())
        if not future:
            return
        key = Warning.format('copp_journal.future_entry', future)
        if Warning.check(key):
            entry = future[0]
            raise JournalFutureWarning(key, gettext(
                    'copp_journal.msg_entry_future',
                    lesson=entry.lesson.rec_name,
                    student=entry.student.rec_name, count=len(future)))

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        Period = pool.get('copp.journal.period')
        Total = pool.get('copp.journal.total')
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create' or (mode == 'write' and (
                    field_names is None or 'lesson' in field_names)):
            Period.check_entries(cls, records)
        if mode == 'create':
            Total.refresh(Total.keys_of(cls, records))

    @classmethod
    def on_write(cls, records, values):
        "Refresh the totals of the keys before and after the write"
        pool = Pool()
        Total = pool.get('copp.journal.total')
        callbacks = super().on_write(records, values)
        before = Total.keys_of(cls, records)
        records = list(records)
        if {'lesson', 'student'} & set(values):
            callbacks.append(lambda: Total.refresh(
                    before | Total.keys_of(cls, records)))
        else:
            callbacks.append(lambda: Total.refresh(before))
        return callbacks

    @classmethod
    def on_delete(cls, records):
        pool = Pool()
        Total = pool.get('copp.journal.total')
        callbacks = super().on_delete(records)
        keys = Total.keys_of(cls, records)
        callbacks.append(lambda: Total.refresh(keys))
        return callbacks

    @classmethod
    def validate_fields(cls, records, field_names):
        "The student belongs to the lesson's college (checked on changes)"
        pool = Pool()
        Student = pool.get('copp.student')
        super().validate_fields(records, field_names)
        if field_names is not None and not (
                {'student', 'lesson', 'company'} & set(field_names)):
            return
        table, student = cls.__table__(), Student.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in sliced([r.id for r in records]):
            cursor.execute(*table.join(student,
                    condition=student.id == table.student).select(table.id,
                    where=reduce_ids(table.id, sub_ids)
                    & (student.company != table.company), limit=1))
            row = cursor.fetchone()
            if row:
                record = cls(row[0])
                raise JournalValidationError(gettext(
                        'copp_journal.msg_entry_student_company',
                        student=record.student.rec_name,
                        lesson=record.lesson.rec_name))

    @dualmethod
    def log(cls, records, event, target=None, user=None, **extra):
        """The audit rows of ir.model.log (who changed or deleted which
        mark or absence) inserted at once: the ORM create of the log reads
        every entry back to check its reference, a third of the time of a
        cell saved on the journal page"""
        pool = Pool()
        Log = pool.get('ir.model.log')
        if not cls._log or extra or not records:
            return super().log(records, event, target=target, user=user,
                **extra)
        transaction = Transaction()
        if user is None:
            user = transaction.user
        log = Log.__table__()
        cursor = transaction.connection.cursor()
        now = CurrentTimestamp()
        for sub_records in sliced(list(records)):
            cursor.execute(*log.insert(
                    [log.create_uid, log.create_date, log.resource,
                        log.event, log.target, log.user],
                    [[transaction.user, now, f'{cls.__name__},{r.id}', event,
                            target, user] for r in sub_records]))

    def get_rec_name(self, name):
        return f'{self.student.rec_name} — {self.lesson.rec_name}'


class Mark(HistoryMixin, JournalEntryMixin, ModelSQL, ModelView):
    "Mark"
    __name__ = 'copp.journal.mark'
    __string__ = "Mark"

    value = fields.Selection(MARK_VALUES, "Mark", required=True, sort=False)
    note = fields.Char("Note")

    _future_fields = {'lesson', 'student', 'value'}


class Absence(HistoryMixin, JournalEntryMixin, ModelSQL, ModelView):
    "Absence"
    __name__ = 'copp.journal.absence'
    __string__ = "Absence"

    kind = fields.Selection(ABSENCE_KINDS, "Kind", required=True)
    reason = fields.Selection(ABSENCE_REASONS, "Reason",
        help="Empty for an unexcused absence.")
    excused = fields.Boolean("Excused", readonly=True)
    document = fields.Char("Document",
        states={'invisible': ~Eval('reason')},
        help="The medical certificate, the application or the order.")
    hours = fields.Integer("Missed Hours", required=True,
        domain=[('hours', '>=', 0), ('hours', '<=', 12)])
    minutes = fields.Integer("Minutes Late",
        states={'invisible': Eval('kind') != 'late'})

    @classmethod
    def default_kind(cls):
        return 'absent'

    @classmethod
    def default_hours(cls):
        return 2

    @fields.depends('lesson', '_parent_lesson.hours', 'kind', 'hours')
    def on_change_kind(self):
        if self.kind == 'late':
            self.hours = 0
        elif self.lesson:
            self.hours = self.lesson.hours

    _future_fields = {'lesson', 'student', 'kind', 'reason'}

    @classmethod
    def _future_entries(cls, records, today):
        # An absence excused in advance (an order, an application) is not
        # a slip: only an absence or a lateness without a reason warns.
        return [r for r in super()._future_entries(records, today)
            if not r.reason]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'reason' in values:
            values['excused'] = values['reason'] in EXCUSING_REASONS
        elif mode == 'create':
            values['excused'] = False
        return values


class AbsenceExcuseStart(ModelView):
    "Excuse Absences"
    __name__ = 'copp.journal.absence.excuse.start'
    __string__ = "Excuse Absences"

    student = fields.Many2One('copp.student', "Student", required=True)
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True,
        domain=[('date_to', '>=', Eval('date_from'))])
    reason = fields.Selection([r for r in ABSENCE_REASONS if r[0]],
        "Reason", required=True)
    document = fields.Char("Document",
        help="E.g. «справка № 123 от 10.11.2026».")

    @classmethod
    def default_reason(cls):
        return 'illness'


class AbsenceExcuseResult(ModelView):
    "Excuse Absences"
    __name__ = 'copp.journal.absence.excuse.result'
    __string__ = "Excuse Absences"

    message = fields.Text("Result", readonly=True)


class AbsenceExcuse(Wizard):
    """Excuse the absences of a student over a period, e.g. with a medical
    certificate (справка) brought to the curator"""
    __name__ = 'copp.journal.absence.excuse'

    start = StateView('copp.journal.absence.excuse.start',
        'copp_journal.absence_excuse_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Excuse", 'excuse', 'tryton-ok', default=True),
            ])
    excuse = StateTransition()
    result = StateView('copp.journal.absence.excuse.result',
        'copp_journal.absence_excuse_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        context = Transaction().context
        values = {}
        if context.get('active_model') == 'copp.journal.absence' and (
                self.records):
            absences = self.records
            values['student'] = absences[0].student.id
            values['date_from'] = min(a.date for a in absences)
            values['date_to'] = max(a.date for a in absences)
        elif context.get('active_model') == 'copp.student' and self.records:
            values['student'] = self.records[0].id
        return values

    def transition_excuse(self):
        absences = excuse_absences(self.start.student, self.start.date_from,
            self.start.date_to, self.start.reason, self.start.document)
        self.result.message = gettext('copp_journal.msg_absences_excused',
            count=len(absences), hours=sum(a.hours for a in absences),
            student=self.start.student.rec_name)
        return 'result'

    def default_result(self, fields):
        return {'message': self.result.message}


def excuse_absences(student, date_from, date_to, reason, document=None):
    pool = Pool()
    Absence = pool.get('copp.journal.absence')
    if reason not in EXCUSING_REASONS:
        raise JournalError(gettext('copp_journal.msg_excuse_reason'))
    absences = Absence.search([
            ('student', '=', student.id),
            ('date', '>=', date_from),
            ('date', '<=', date_to),
            ('kind', '=', 'absent'),
            ])
    if absences:
        Absence.write(absences, {'reason': reason, 'document': document})
    return absences
