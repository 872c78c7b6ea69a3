"""Lessons (занятия) of a teaching load and the college's bell schedule.
The weekly timetable that generates the lessons of a term: timetable.py."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import JournalValidationError
from .tools import reduce_ids, sliced

LESSON_KINDS = [
    ('lesson', "Lesson"),
    ('lecture', "Lecture"),
    ('practical', "Practical Lesson"),
    ('laboratory', "Laboratory Work"),
    ('seminar', "Seminar"),
    ('test', "Test"),
    ('consultation', "Consultation"),
    ('exam', "Exam"),
    ('practice', "Practice"),
    ]
# Non-working public holidays of the Russian Federation (ТК РФ, ст. 112).
HOLIDAYS = {(1, d) for d in range(1, 9)} | {
    (1, 7), (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}
DEFAULT_BELLS = [
    (1, dt.time(8, 30), dt.time(10, 0)),
    (2, dt.time(10, 10), dt.time(11, 40)),
    (3, dt.time(12, 20), dt.time(13, 50)),
    (4, dt.time(14, 0), dt.time(15, 30)),
    (5, dt.time(15, 40), dt.time(17, 10)),
    (6, dt.time(17, 20), dt.time(18, 50)),
    ]


class Bell(ModelSQL, ModelView):
    "Bell Schedule"
    __name__ = 'copp.journal.bell'
    __string__ = "Bell Schedule"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE')
    number = fields.Integer("Pair", required=True,
        domain=[('number', '>=', 1), ('number', '<=', 10)])
    start = fields.Time("Start", required=True)
    end = fields.Time("End", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('company', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'copp_journal.msg_bell_unique'),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return gettext('copp_journal.msg_bell_rec_name', number=self.number,
            start=self.start.strftime('%H:%M'),
            end=self.end.strftime('%H:%M'))

    @classmethod
    def validate(cls, bells):
        super().validate(bells)
        for bell in bells:
            if bell.end <= bell.start:
                raise JournalValidationError(gettext(
                        'copp_journal.msg_bell_times', bell=bell.rec_name))

    @classmethod
    def times(cls, company_id):
        "{pair number: (start, end)} of the college (the default schedule)"
        bells = cls.search([('company', '=', company_id)])
        if bells:
            return {b.number: (b.start, b.end) for b in bells}
        return {n: (s, e) for n, s, e in DEFAULT_BELLS}


class Lesson(ModelSQL, ModelView):
    "Lesson"
    __name__ = 'copp.journal.lesson'
    __string__ = "Lesson"

    workload = fields.Many2One('copp.journal.workload', "Teaching Load",
        required=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT', readonly=True)
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        required=True, ondelete='RESTRICT', readonly=True)
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='RESTRICT', readonly=True)
    teacher = fields.Many2One('company.employee', "Teacher",
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))],
        help="The teacher of the teaching load, or who replaced them.")
    date = fields.Date("Date", required=True)
    pair = fields.Integer("Pair",
        domain=[If(Eval('pair'), [('pair', '>=', 1), ('pair', '<=', 10)],
                [])],
        help="The number of the pair in the bell schedule.")
    hours = fields.Integer("Hours", required=True,
        domain=[('hours', '>=', 0), ('hours', '<=', 12)],
        help="Academic hours of the lesson (a pair is 2 hours).")
    kind = fields.Selection(LESSON_KINDS, "Kind", required=True)
    topic = fields.Char("Topic")
    homework = fields.Char("Homework")
    room = fields.Char("Room")
    start_time = fields.Function(fields.Time("Start"), 'get_times')
    end_time = fields.Function(fields.Time("End"), 'get_times')
    marks = fields.One2Many('copp.journal.mark', 'lesson', "Marks")
    absences = fields.One2Many('copp.journal.absence', 'lesson', "Absences")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('pair', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.workload, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.company, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.group, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.teacher, Index.Range()), (t.date, Index.Range())),
                })

    @classmethod
    def default_hours(cls):
        return 2

    @classmethod
    def default_kind(cls):
        return 'lesson'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @fields.depends('workload', 'teacher')
    def on_change_workload(self):
        if self.workload and self.workload.teacher and not self.teacher:
            self.teacher = self.workload.teacher

    def get_rec_name(self, name):
        pair = (gettext('copp_journal.msg_pair', number=self.pair)
            if self.pair else '')
        return ' '.join(p for p in [
                self.date.strftime('%d.%m.%Y') if self.date else '', pair,
                self.group.rec_name if self.group else '',
                self.line.index if self.line else '',
                self.line.name if self.line else ''] if p)

    @classmethod
    def get_times(cls, lessons, names):
        pool = Pool()
        Bell = pool.get('copp.journal.bell')
        result = {n: {} for n in names}
        schedules = {}
        for lesson in lessons:
            company = lesson.company.id
            if company not in schedules:
                schedules[company] = Bell.times(company)
            start, end = schedules[company].get(lesson.pair, (None, None))
            if 'start_time' in result:
                result['start_time'][lesson.id] = start
            if 'end_time' in result:
                result['end_time'][lesson.id] = end
        return result

    @classmethod
    def _workload_values(cls, workload_id):
        pool = Pool()
        Workload = pool.get('copp.journal.workload')
        workload = Workload(workload_id)
        return {
            'company': workload.company.id,
            'group': workload.group.id,
            'line': workload.line.id,
            'term': workload.term.id,
            }

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('workload'):
            workload_values = cls._workload_values(values['workload'])
            values.update(workload_values)
            if mode == 'create' and 'teacher' not in values:
                with without_check_access():
                    teacher = Pool().get('copp.journal.workload')(
                        values['workload']).teacher
                values['teacher'] = teacher.id if teacher else None
        return values

    @classmethod
    def validate(cls, lessons):
        super().validate(lessons)
        for lesson in lessons:
            lesson.workload.check_lesson_date(lesson)

    @classmethod
    def check_modification(cls, mode, lessons, values=None, external=False):
        pool = Pool()
        Lock = pool.get('copp.journal.period')
        super().check_modification(
            mode, lessons, values=values, external=external)
        if mode in {'write', 'delete'}:
            Lock.check_lessons(lessons)

    @classmethod
    def on_modification(cls, mode, lessons, field_names=None):
        pool = Pool()
        Lock = pool.get('copp.journal.period')
        super().on_modification(mode, lessons, field_names=field_names)
        if mode == 'create':
            Lock.check_lessons(lessons)
        elif mode == 'write':
            Lock.check_lessons(lessons)
            denormalized = {'date', 'workload'}
            if field_names is None or denormalized & set(field_names):
                cls.propagate(lessons)

    @classmethod
    def propagate(cls, lessons):
        """Copy the lessons' college, group, discipline, term and date to the
        rows of marks and absences"""
        pool = Pool()
        Total = pool.get('copp.journal.total')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        lesson = cls.__table__()
        entries = {}
        keys = set()
        for model in ['copp.journal.mark', 'copp.journal.absence']:
            Model = pool.get(model)
            entries[model] = Model.search([
                    ('lesson', 'in', [l.id for l in lessons])])
            keys |= Total.keys_of(Model, entries[model])
        transaction.counter += 1
        for cache in transaction.cache.values():
            for model in ['copp.journal.mark', 'copp.journal.absence']:
                if model in cache:
                    cache[model].clear()
        for model in ['copp.journal.mark', 'copp.journal.absence']:
            table = pool.get(model).__table__()
            for sub_ids in sliced([l.id for l in lessons]):
                columns = ['company', 'group', 'line', 'term', 'date']
                cursor.execute(*table.update(
                        [getattr(table, c) for c in columns],
                        [lesson.select(getattr(lesson, c),
                                where=lesson.id == table.lesson)
                            for c in columns],
                        where=reduce_ids(table.lesson, sub_ids)))
        for model, records in entries.items():
            keys |= Total.keys_of(pool.get(model), records)
        Total.refresh(keys)
