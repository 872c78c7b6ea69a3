"""Demo journal: curricula for the specialties of the demo groups, the
college's bell schedule, the teaching load of the current term (and of the
two previous academic years at the region scale), weekly timetables, lessons,
marks, absences, closed grade sheets with debts and retakes.

Curricula, teaching load and timetables go through the ORM in bulk;
lessons, marks, absences and sheet lines are inserted with SQL (COPY on
PostgreSQL): the region scale makes ~10 million marks and ~3 million
absences. The teacher of the demo user prep1 gets a real teaching load in
the first college, so the journal page has data at his first login.

The parts: demo_curriculum.py (curricula, teaching load), demo_timetable.py
(bells, timetables, lessons), demo_marks.py (marks, absences), demo_sheets.py
(grade sheets, retakes, closed months); demo_bulk.py loads in bulk,
demo_data.py holds the plans and topics.
"""
import datetime as dt
import time
from collections import defaultdict

from trytond.pool import Pool
from trytond.transaction import Transaction

from .demo_bulk import analyze
from .demo_curriculum import _CurriculumDemo
from .demo_marks import _MarkDemo
from .demo_sheets import _SheetDemo
from .demo_timetable import _TimetableDemo

# Terms of history at the region scale (two academic years) besides the
# current one.
REGION_HISTORY = 4


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Group = pool.get('copp.study.group')
    Term = pool.get('copp.academic.term')
    colleges = Company.search([('institution_kind', '=', 'college')],
        order=[('id', 'ASC')])
    groups = [g for g in Group.search([('active', '=', True)],
            order=[('company', 'ASC'), ('name', 'ASC'), ('id', 'ASC')])
        if g.student_count]
    if not colleges or not groups:
        return
    today = env.today
    current = Term.find(today) or _nearest_term(today)
    if not current:
        return
    terms = [current]
    if env.scale == 'region':
        terms = _previous_terms(current, REGION_HISTORY) + terms
    sheet_terms = _previous_terms(current, 2 if env.scale == 'region' else 1)
    demo = _Demo(env, colleges, groups, today)
    started = time.perf_counter()
    demo.bells()
    demo.curricula()
    demo.workloads(sorted(set(terms) | set(sheet_terms),
            key=lambda t: t.start_date))
    demo.give_prep1_a_load(current)
    demo.timetables(current)
    demo.lessons(terms)
    demo.entries(terms)
    pool.get('copp.journal.total').rebuild()
    demo.sheets(sheet_terms)
    demo.periods(terms, current)
    analyze([pool.get(name) for name in [
                'copp.journal.curriculum', 'copp.journal.curriculum.line',
                'copp.journal.workload', 'copp.journal.timetable',
                'copp.journal.timetable.line', 'copp.journal.lesson',
                'copp.journal.total', 'copp.journal.total.month',
                'copp.journal.sheet',
                'copp.journal.sheet.line', 'copp.journal.period']])
    env.count("Учебные планы", demo.curriculum_count)
    env.count("Строки педагогической нагрузки", demo.workload_count)
    env.count("Занятия", demo.lesson_count)
    env.count("Текущие оценки", demo.mark_count)
    env.count("Пропуски и опоздания", demo.absence_count)
    env.count("Ведомости", demo.sheet_count)
    env.count("Журнал: секунд на генерацию",
        round(time.perf_counter() - started))


def _nearest_term(date):
    Term = Pool().get('copp.academic.term')
    terms = Term.search([('start_date', '>', date)], limit=1,
        order=[('start_date', 'ASC')])
    return terms[0] if terms else None


def _previous_terms(term, count):
    Term = Pool().get('copp.academic.term')
    return list(reversed(Term.search([('end_date', '<', term.start_date)],
                order=[('start_date', 'DESC')], limit=count)))


class _Demo(_CurriculumDemo, _TimetableDemo, _MarkDemo, _SheetDemo):
    "The state shared by the parts of the demo journal"

    def __init__(self, env, colleges, groups, today):
        self.env = env
        self.pool = env.pool
        self.random = env.random
        self.colleges = colleges
        self.groups = groups
        self.today = today
        self.now = dt.datetime.now()
        self.curriculum_count = self.workload_count = 0
        self.lesson_count = self.mark_count = self.absence_count = 0
        self.sheet_count = 0
        self.load = defaultdict(list)  # (group, term) → workloads
        self.teachers = {}
        self.students = {}  # group id → [student ids]
        self.ability = {}
        self.truancy = {}
        Student = self.pool.get('copp.student')
        student = Student.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*student.select(student.id, student.group,
                where=student.state.in_(['studying', 'academic_leave'])
                & (student.group != None),  # noqa: E711
                order_by=[student.id]))
        for student_id, group_id in cursor:
            self.students.setdefault(group_id, []).append(student_id)
        rnd = self.random
        for ids in self.students.values():
            for student_id in ids:
                self.ability[student_id] = min(1.0, max(0.0,
                        rnd.betavariate(2.6, 1.9)))
                self.truancy[student_id] = rnd.choice(
                    [0.01, 0.02, 0.04, 0.06, 0.09, 0.14, 0.22])
