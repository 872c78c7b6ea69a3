"""Teaching load (педагогическая нагрузка): a discipline of the curriculum
taught to a group (or a subgroup) during an academic term by a teacher,
with the planned hours; the given hours are the sum of the lessons held."""
from collections import defaultdict

from sql.aggregate import Count, Sum

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .curriculum import ASSESSMENTS, semester_of
from .exceptions import JournalError, JournalValidationError
from .tools import reduce_ids, sliced


class Workload(ModelSQL, ModelView):
    "Teaching Load"
    __name__ = 'copp.journal.workload'
    __string__ = "Teaching Load"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    term = fields.Many2One('copp.academic.term', "Term", required=True,
        ondelete='RESTRICT')
    group = fields.Many2One('copp.study.group', "Group", required=True,
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    line = fields.Many2One('copp.journal.curriculum.line', "Discipline",
        required=True, ondelete='RESTRICT',
        domain=[('curriculum.company', '=', Eval('company', -1))],
        help="The line of the group's curriculum.")
    subgroup = fields.Integer("Subgroup",
        domain=[If(Eval('subgroup'), ('subgroup', '>', 0), ())],
        help="Empty when the whole group attends.")
    students = fields.Many2Many('copp.journal.workload-copp.student',
        'workload', 'student', "Subgroup Students",
        domain=[('group', '=', Eval('group', -1))],
        states={'invisible': ~Eval('subgroup')},
        help="The students of the subgroup.")
    teacher = fields.Many2One('company.employee', "Teacher",
        ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    hours_planned = fields.Integer("Planned Hours",
        domain=[If(Eval('hours_planned'), ('hours_planned', '>=', 0), ())])
    hours_given = fields.Function(fields.Integer("Given Hours"),
        'get_hours')
    hours_left = fields.Function(fields.Integer("Hours Left"), 'get_hours')
    lesson_count = fields.Function(fields.Integer("Lessons"), 'get_hours')
    assessment = fields.Function(fields.Selection(ASSESSMENTS,
            "Final Assessment"), 'on_change_with_assessment')
    lessons = fields.One2Many('copp.journal.lesson', 'workload', "Lessons",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('term', 'DESC'), ('group', 'ASC'), ('line', 'ASC'),
            ('subgroup', 'ASC NULLS FIRST'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('workload_unique',
                Unique(t, t.term, t.group, t.line, t.subgroup),
                'copp_journal.msg_workload_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()), (t.term, Index.Range())),
                Index(t, (t.teacher, Index.Range()), (t.term, Index.Range())),
                Index(t, (t.group, Index.Range()), (t.term, Index.Range())),
                })
        cls._buttons.update({
                'open_journal': {
                    'icon': 'tryton-open',
                    'invisible': Eval('id', -1) < 0,
                    'depends': ['id'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_term(cls):
        pool = Pool()
        Term = pool.get('copp.academic.term')
        Date = pool.get('ir.date')
        term = Term.find(Date.today())
        return term.id if term else None

    @fields.depends('line')
    def on_change_with_assessment(self, name=None):
        if self.line:
            return self.line.assessment

    @fields.depends('line', 'hours_planned')
    def on_change_line(self):
        if self.line and not self.hours_planned:
            self.hours_planned = self.line.classroom_hours or None

    def get_rec_name(self, name):
        parts = [self.group.rec_name if self.group else '',
            self.line.index if self.line else '',
            self.line.name if self.line else '']
        text = ' '.join(p for p in parts if p)
        if self.subgroup:
            text += ' ' + gettext('copp_journal.msg_subgroup',
                number=self.subgroup)
        if self.teacher:
            text += f' — {self.teacher.rec_name}'
        return text

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('group.name', operator, operand, *extra),
            ('line.index', operator, operand, *extra),
            ('line.name', operator, operand, *extra),
            ('teacher.party.name', operator, operand, *extra),
            ]

    @classmethod
    def get_hours(cls, workloads, names):
        pool = Pool()
        Lesson = pool.get('copp.journal.lesson')
        Date = pool.get('ir.date')
        lesson = Lesson.__table__()
        cursor = Transaction().connection.cursor()
        today = Date.today()
        given = defaultdict(int)
        count = defaultdict(int)
        for sub_ids in sliced([w.id for w in workloads]):
            # Given: the lessons held (dated up to today).
            cursor.execute(*lesson.select(lesson.workload,
                    Sum(lesson.hours), Count(lesson.id),
                    where=reduce_ids(lesson.workload, sub_ids)
                    & (lesson.date <= today),
                    group_by=[lesson.workload]))
            for workload_id, hours, number in cursor:
                given[workload_id] = int(hours or 0)
                count[workload_id] = number
        result = {}
        if 'hours_given' in names:
            result['hours_given'] = {w.id: given[w.id] for w in workloads}
        if 'lesson_count' in names:
            result['lesson_count'] = {w.id: count[w.id] for w in workloads}
        if 'hours_left' in names:
            result['hours_left'] = {
                w.id: ((w.hours_planned or 0) - given[w.id])
                for w in workloads}
        return result

    def audience(self):
        "The ids of the students taught: the subgroup's, or the group's"
        pool = Pool()
        Student = pool.get('copp.student')
        if self.subgroup and self.students:
            return [s.id for s in self.students]
        with without_check_access():
            return [s.id for s in Student.search([
                        ('group', '=', self.group.id),
                        ('state', 'in', ['studying', 'academic_leave']),
                        ])]

    def check_lesson_date(self, lesson):
        """Refuse a lesson of the load dated outside the load's term (a
        module may give some loads another period: copp_training's cohorts
        run on their own dates, in the summer too)"""
        term = self.term
        if not (term.start_date <= lesson.date <= term.end_date):
            raise JournalValidationError(gettext(
                    'copp_journal.msg_lesson_outside_term',
                    lesson=lesson.rec_name, term=term.rec_name))

    @classmethod
    def page_period(cls, info):
        """(first day, last day, name) of the period whose months the
        journal page of the load offers; `info` is journal.load_info's
        namespace (ids and the term's dates and name). The term by
        default; copp_training answers a cohort's dates and name."""
        return info.term_start, info.term_end, info.term_name

    @classmethod
    def validate(cls, workloads):
        super().validate(workloads)
        for workload in workloads:
            if workload.line.curriculum.company != workload.company:
                raise JournalError(gettext(
                        'copp_journal.msg_workload_line_company',
                        workload=workload.rec_name))

    @classmethod
    def on_modification(cls, mode, workloads, field_names=None):
        super().on_modification(mode, workloads, field_names=field_names)
        if mode in {'create', 'write'}:
            cls._sync_group_teachers(workloads)

    @classmethod
    def _sync_group_teachers(cls, workloads):
        """Add the teachers to the study groups' teachers: they then read
        the students of the group (rules of copp_contingent)"""
        pool = Pool()
        GroupTeacher = pool.get('copp.study.group-company.employee')
        pairs = {(w.group.id, w.teacher.id) for w in workloads if w.teacher}
        if not pairs:
            return
        with without_check_access():
            existing = GroupTeacher.search([
                    ('group', 'in', list({g for g, _ in pairs})),
                    ])
            have = {(r.group.id, r.employee.id) for r in existing}
            GroupTeacher.create([{'group': g, 'employee': e}
                    for g, e in sorted(pairs - have)])

    @classmethod
    def copy(cls, workloads, default=None):
        default = default.copy() if default else {}
        default.setdefault('lessons', None)
        return super().copy(workloads, default=default)

    @classmethod
    @ModelView.button
    def open_journal(cls, workloads):
        "Open the journal page of the teaching load in a new browser tab"
        if not workloads:
            return
        workload = workloads[0]
        database = Transaction().database.name
        return {
            'type': 'ir.action.url',
            'name': gettext('copp_journal.msg_journal_page_title'),
            'url': f'/{database}/journal/{workload.id}',
            }


class OpenJournal(Wizard):
    """Open the journal page: the URL carries the database of the session
    (the page lives under /<database>/ where sao's session cookie is sent)"""
    __name__ = 'copp.journal.open'

    start = StateAction('copp_journal.act_journal_page')

    def do_start(self, action):
        action['url'] = f'/{Transaction().database.name}/journal/'
        return action, {}


class WorkloadStudent(ModelSQL):
    "Student of a Subgroup"
    __name__ = 'copp.journal.workload-copp.student'
    __string__ = "Student of a Subgroup"

    workload = fields.Many2One('copp.journal.workload', "Teaching Load",
        required=True, ondelete='CASCADE')
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('workload')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.workload, Index.Range())),
                Index(t, (t.student, Index.Range())),
                })


class WorkloadCreateStart(ModelView):
    "Create Teaching Load from Curricula"
    __name__ = 'copp.journal.workload.create.start'
    __string__ = "Create Teaching Load from Curricula"

    company = fields.Many2One('company.company', "College", required=True)
    term = fields.Many2One('copp.academic.term', "Term", required=True)
    groups = fields.Many2Many('copp.study.group', None, None, "Groups",
        domain=[('company', '=', Eval('company', -1))],
        help="Empty for every active group of the college.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_term(cls):
        return Pool().get('copp.journal.workload').default_term()


class WorkloadCreate(Wizard):
    "Create Teaching Load from Curricula"
    __name__ = 'copp.journal.workload.create'

    start = StateView('copp.journal.workload.create.start',
        'copp_journal.workload_create_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()

    def transition_create_(self):
        pool = Pool()
        Group = pool.get('copp.study.group')
        groups = list(self.start.groups) or Group.search([
                ('company', '=', self.start.company.id),
                ('active', '=', True),
                ])
        create_workloads(groups, self.start.term)
        return 'end'


def create_workloads(groups, term):
    """Create the teaching load of the groups for the term from their
    curricula (without teacher); the existing rows are kept"""
    pool = Pool()
    Curriculum = pool.get('copp.journal.curriculum')
    Workload = pool.get('copp.journal.workload')
    existing = {(w.group.id, w.line.id) for w in Workload.search([
                ('term', '=', term.id),
                ('group', 'in', [g.id for g in groups]),
                ])}
    values = []
    for group in groups:
        curriculum = Curriculum.find(group)
        if not curriculum:
            continue
        semester = semester_of(group.admission_year, term)
        for line in curriculum.lines:
            if line.semester != semester or line.kind == 'module':
                continue
            if (group.id, line.id) in existing:
                continue
            values.append({
                    'company': group.company.id,
                    'term': term.id,
                    'group': group.id,
                    'line': line.id,
                    'hours_planned': line.classroom_hours or None,
                    })
    return Workload.create(values)
