"""A cohort in the journal of copp_journal: the cohort provides the
journal's audience as a study group of its own (`copp.study.group.cohort`),
its programme's modules as a curriculum (`copp.journal.curriculum.cohort`)
and a teaching load per module; its learners are student files
(`copp.student.cohort`) placed in that group by the enrolment order. The
journal page, its rules, marks, absences and totals are then the colleges'
own, unchanged; what differs is the period: a cohort's lessons fall within
its dates (summer included), not within an academic term.

The contingent keeps these files out: they are not moved by its orders
(no movement, so not in the contingent on a date nor in СПО-1), and the
rule of one file per СНИЛС does not apply to them (a college student may
take a programme at the ЦОПП)."""
import datetime as dt
from collections import defaultdict

from sql import Null

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction, without_check_access

from copp_journal.timetable import holidays_between

from .exceptions import TrainingError, TrainingValidationError

# The form of study of the journal's group for a programme's format.
FORMAT_STUDY_FORMS = {
    'onsite': 'full_time',
    'blended': 'part_time',
    'distance': 'extramural',
    }
ASSESSMENT_MAP = {'credit': 'credit', 'diff_credit': 'diff_credit',
    'exam': 'exam'}


def _relax_specialty(cls):
    "The specialty of a cohort's group or curriculum may be empty"
    cls.specialty.required = False
    cls.specialty.states = dict(cls.specialty.states or {},
        required=~Bool(Eval('cohort')))


class StudyGroup(metaclass=PoolMeta):
    __name__ = 'copp.study.group'

    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        readonly=True, ondelete='RESTRICT',
        help="Set on the group of a cohort of the ЦОПП catalogue.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        _relax_specialty(cls)


class ContingentOrderLine(metaclass=PoolMeta):
    __name__ = 'copp.contingent.order.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A cohort's group is filled by the cohort's own orders, never by a
        # college's contingent order.
        cls.to_group.domain = list(cls.to_group.domain) + [
            ('cohort', '=', None)]


class Curriculum(metaclass=PoolMeta):
    __name__ = 'copp.journal.curriculum'

    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        readonly=True, ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        _relax_specialty(cls)

    @classmethod
    def find(cls, group):
        # A cohort's loads are made by the cohort, not from the curricula
        # of the college's specialties.
        if getattr(group, 'cohort', None) or not group.specialty:
            return None
        return super().find(group)


class Student(metaclass=PoolMeta):
    __name__ = 'copp.student'

    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        readonly=True, ondelete='RESTRICT',
        help="The file of a learner of a cohort of the ЦОПП catalogue: "
        "not part of the college's contingent.")

    @classmethod
    def _snils_scope(cls, table):
        return super()._snils_scope(table) & (table.cohort == Null)


class Workload(metaclass=PoolMeta):
    __name__ = 'copp.journal.workload'

    def check_lesson_date(self, lesson):
        cohort = self.group.cohort if self.group else None
        if not cohort:
            return super().check_lesson_date(lesson)
        if not (cohort.start_date <= lesson.date <= cohort.end_date):
            raise TrainingValidationError(gettext(
                    'copp_training.msg_lesson_outside_cohort',
                    lesson=lesson.rec_name, cohort=cohort.rec_name,
                    start=cohort.start_date.strftime('%d.%m.%Y'),
                    end=cohort.end_date.strftime('%d.%m.%Y')))

    @classmethod
    def page_period(cls, info):
        pool = Pool()
        Group = pool.get('copp.study.group')
        Cohort = pool.get('copp.training.cohort')
        group, cohort = Group.__table__(), Cohort.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*group.join(cohort,
                condition=cohort.id == group.cohort).select(
                cohort.code, cohort.start_date, cohort.end_date,
                where=group.id == info.group))
        row = cursor.fetchone()
        if not row:
            return super().page_period(info)
        code, start, end = row
        if isinstance(start, str):
            start, end = (dt.date.fromisoformat(start),
                dt.date.fromisoformat(end))
        return start, end, gettext('copp_training.msg_cohort_period',
            code=code or '')


def term_for(date):
    """The academic term a cohort's loads belong to: the one of the date,
    else the latest begun before it (summer), else the first after it"""
    pool = Pool()
    Term = pool.get('copp.academic.term')
    term = Term.find(date)
    if term:
        return term
    terms = Term.search([('start_date', '<=', date)],
        order=[('start_date', 'DESC')], limit=1) or Term.search([],
        order=[('start_date', 'ASC')], limit=1)
    if not terms:
        raise TrainingError(gettext('copp_training.msg_no_term',
                date=date.strftime('%d.%m.%Y')))
    return terms[0]


def prepare_journal(cohort):
    """Make (once) the cohort's group, its curriculum from the programme's
    modules and a teaching load per module; add the loads of modules added
    since. The cohort's access was checked: these records are the
    cohort's own."""
    pool = Pool()
    Group = pool.get('copp.study.group')
    Curriculum = pool.get('copp.journal.curriculum')
    Line = pool.get('copp.journal.curriculum.line')
    Workload = pool.get('copp.journal.workload')
    Cohort = pool.get('copp.training.cohort')
    program = cohort.program
    form = FORMAT_STUDY_FORMS.get(program.format, 'full_time')
    year = cohort.start_date.year
    teachers = [t.id for t in cohort.teachers]
    with without_check_access():
        changes = {}
        if not cohort.group:
            group, = Group.create([{
                        'name': cohort.code,
                        'company': cohort.company.id,
                        'specialty': (program.specialty.id
                            if program.specialty else None),
                        'study_form': form,
                        'basis': '11',
                        'admission_year': year,
                        'course': 1,
                        'graduation_year': cohort.end_date.year,
                        'size_limit': cohort.seats,
                        'cohort': cohort.id,
                        'teachers': [('add', teachers)],
                        }])
            changes['group'] = group.id
        else:
            group = cohort.group
            missing = set(teachers) - {t.id for t in group.teachers}
            if missing:
                Group.write([group], {'teachers': [('add', list(missing))]})
        if not cohort.curriculum:
            curriculum, = Curriculum.create([{
                        'name': f'{cohort.code} {program.name}'[:250],
                        'company': cohort.company.id,
                        'specialty': (program.specialty.id
                            if program.specialty else None),
                        'study_form': form,
                        'admission_year': year,
                        'cohort': cohort.id,
                        'state': 'approved',
                        'approval_date': pool.get('ir.date').today(),
                        }])
            changes['curriculum'] = curriculum.id
        else:
            curriculum = cohort.curriculum
        if changes:
            Cohort.write([cohort], changes)
        have = {l.name for l in curriculum.lines}
        modules = list(program.modules) or [None]
        values = []
        for number, module in enumerate(modules, 1):
            name = module.name if module else program.name
            if name in have:
                continue
            values.append({
                    'curriculum': curriculum.id,
                    'sequence': number,
                    'index': f'М.{number:02d}',
                    'name': name,
                    'kind': 'other',
                    'semester': 1,
                    'hours_theory': (module.hours_theory if module
                        else program.hours),
                    'hours_practice': module.hours_practice if module else 0,
                    'hours_self': module.hours_self if module else 0,
                    'assessment': ASSESSMENT_MAP.get(
                        module.assessment if module else 'credit'),
                    })
        if values:
            Line.create(values)
        lines = Line.search([('curriculum', '=', curriculum.id)])
        loaded = {w.line.id for w in Workload.search([
                    ('group', '=', group.id)])}
        term = term_for(cohort.start_date)
        slot_teachers = defaultdict(set)
        for slot in cohort.timetable:
            if slot.teacher:
                slot_teachers[slot.line.id].add(slot.teacher.id)
        loads = []
        for line in lines:
            if line.id in loaded:
                continue
            teacher = None
            if len(slot_teachers[line.id]) == 1:
                teacher, = slot_teachers[line.id]
            elif len(teachers) == 1:
                teacher, = teachers
            loads.append({
                    'company': cohort.company.id,
                    'term': term.id,
                    'group': group.id,
                    'line': line.id,
                    'teacher': teacher,
                    'hours_planned': line.classroom_hours or None,
                    })
        if loads:
            Workload.create(loads)
    return group


def generate_lessons(cohort, skip_holidays=True):
    """Create the lessons of the cohort's timetable over its dates (public
    holidays skipped, within the planned hours of each module); the
    lessons that exist are kept. Return the new lessons."""
    pool = Pool()
    Workload = pool.get('copp.journal.workload')
    Lesson = pool.get('copp.journal.lesson')
    if not cohort.group:
        raise TrainingError(gettext('copp_training.msg_cohort_no_journal',
                cohort=cohort.rec_name))
    loads = {w.line.id: w for w in Workload.search([
                ('group', '=', cohort.group.id)])}
    slots = sorted(cohort.timetable, key=lambda s: (int(s.weekday), s.pair))
    if not slots:
        raise TrainingError(gettext('copp_training.msg_cohort_no_timetable',
                cohort=cohort.rec_name))
    existing, given = set(), defaultdict(int)
    for lesson in Lesson.search([
                ('workload', 'in', [w.id for w in loads.values()])]):
        existing.add((lesson.workload.id, lesson.date, lesson.pair))
        given[lesson.workload.id] += lesson.hours
    skip = (holidays_between(cohort.start_date, cohort.end_date)
        if skip_holidays else set())
    values = []
    day = cohort.start_date
    while day <= cohort.end_date:
        if day not in skip:
            for slot in slots:
                if int(slot.weekday) != day.weekday():
                    continue
                load = loads.get(slot.line.id)
                if not load or (load.id, day, slot.pair) in existing:
                    continue
                planned = load.hours_planned
                if planned is not None and (
                        given[load.id] + slot.hours > planned):
                    continue
                given[load.id] += slot.hours
                existing.add((load.id, day, slot.pair))
                values.append({
                        'workload': load.id,
                        'date': day,
                        'pair': slot.pair,
                        'hours': slot.hours,
                        'kind': slot.kind,
                        'room': slot.room or cohort.place,
                        'teacher': (slot.teacher.id if slot.teacher
                            else load.teacher.id if load.teacher else None),
                        })
        day += dt.timedelta(days=1)
    return Lesson.create(values)
