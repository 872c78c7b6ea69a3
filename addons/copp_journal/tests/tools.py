"""A small fixed data set of the journal tests: a college with a group of
four students, a curriculum, two teachers with their teaching load and
lessons in October 2025 (term 1 of 2025/2026)."""
import datetime as dt
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction, check_access

from copp.tests.tools import create_college, create_user

YEAR_START = dt.date(2025, 9, 1)
TERM1 = (dt.date(2025, 9, 1), dt.date(2025, 12, 31))
TERM2 = (dt.date(2026, 1, 12), dt.date(2026, 6, 30))


def create_year():
    pool = Pool()
    Year = pool.get('copp.academic.year')
    year, = Year.create([{
                'name': '2025/2026',
                'start_date': YEAR_START,
                'end_date': dt.date(2026, 8, 31),
                'terms': [('create', [
                            {'number': 1, 'start_date': TERM1[0],
                                'end_date': TERM1[1]},
                            {'number': 2, 'start_date': TERM2[0],
                                'end_date': TERM2[1]},
                            ])],
                }])
    term1, term2 = sorted(year.terms, key=lambda t: t.number)
    return year, term1, term2


def specialty():
    pool = Pool()
    Specialty = pool.get('copp.specialty')
    found = Specialty.search([('code', '=', '09.02.07')], limit=1)
    if found:
        return found[0]
    specialty, = Specialty.create([{'code': '09.02.07',
                'name': "Информационные системы и программирование",
                'level': 'specialty'}])
    return specialty


def create_students(college, group, names, first_number=1):
    "Studying students of the group (set as an order would)"
    pool = Pool()
    Student = pool.get('copp.student')
    from copp_contingent.student import APPLY_CONTEXT
    values = []
    for number, (last, first) in enumerate(names, 1):
        values.append({
                'company': college.id,
                'last_name': last, 'first_name': first,
                'birth_date': dt.date(2008, 1, number),
                'specialty': group.specialty.id,
                'funding': 'budget', 'study_form': 'full_time',
                })
    students = Student.create(values)
    with Transaction().set_context(**{APPLY_CONTEXT: True}):
        Student.write(students, {'state': 'studying', 'group': group.id,
                'course': group.course})
        for number, student in enumerate(students, first_number):
            Student.write([student], {'record_book': f'25-{number:03d}'})
    return students


def journal_setup(with_users=True):
    """The data set; returns a namespace of its records"""
    pool = Pool()
    Group = pool.get('copp.study.group')
    Curriculum = pool.get('copp.journal.curriculum')
    Workload = pool.get('copp.journal.workload')
    Lesson = pool.get('copp.journal.lesson')
    Employee = pool.get('company.employee')
    Party = pool.get('party.party')
    ns = SimpleNamespace()
    ns.college = create_college("Колледж А", "КА")
    ns.other_college = create_college("Колледж Б", "КБ")
    ns.year, ns.term1, ns.term2 = create_year()
    spec = specialty()
    with Transaction().set_context(company=ns.college.id):
        ns.group, = Group.create([{
                    'name': 'ИСП-21', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2024, 'course': 2,
                    }])
        ns.students = create_students(ns.college, ns.group, [
                ("Иванов", "Иван"), ("Петров", "Пётр"),
                ("Сидорова", "Анна"), ("Кузнецов", "Олег")])
        ns.curriculum, = Curriculum.create([{
                    'name': '09.02.07 2024', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2024,
                    'lines': [('create', [
                                {'index': 'ОП.01',
                                    'name': "Инженерная графика",
                                    'semester': 3, 'hours_theory': 20,
                                    'hours_practice': 40, 'hours_self': 6,
                                    'assessment': 'exam'},
                                {'index': 'СГ.04',
                                    'name': "Физическая культура",
                                    'semester': 3, 'hours_practice': 30,
                                    'assessment': 'credit'},
                                {'index': 'ОП.02', 'name': "Электротехника",
                                    'semester': 4, 'hours_theory': 30,
                                    'hours_practice': 30,
                                    'assessment': 'diff_credit'},
                                ])],
                    }])
        lines = {l.index: l for l in ns.curriculum.lines}
        ns.line_graphics = lines['ОП.01']
        ns.line_sport = lines['СГ.04']
        ns.line_electro = lines['ОП.02']
    if with_users:
        ns.teacher_user = create_user('teacher1', [ns.college],
            ['group_teacher'])
        ns.other_teacher_user = create_user('teacher2', [ns.college],
            ['group_teacher'])
        ns.registrar_user = create_user('registrar1', [ns.college],
            ['group_registrar'])
        ns.admin_user = create_user('collegeadmin1', [ns.college],
            ['group_college_admin'])
        ns.teacher = ns.teacher_user.employee
        ns.other_teacher = ns.other_teacher_user.employee
    else:
        parties = Party.create([{'name': "Учитель Один"},
                {'name': "Учитель Два"}])
        ns.teacher, ns.other_teacher = Employee.create([
                {'party': p.id, 'company': ns.college.id} for p in parties])
    with Transaction().set_context(company=ns.college.id):
        ns.workload_graphics, ns.workload_sport = Workload.create([{
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line_graphics.id,
                    'teacher': ns.teacher.id, 'hours_planned': 60,
                    }, {
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line_sport.id,
                    'teacher': ns.other_teacher.id, 'hours_planned': 30,
                    }])
        ns.lessons_graphics = Lesson.create([{
                    'workload': ns.workload_graphics.id,
                    'date': dt.date(2025, 10, day), 'pair': 1, 'hours': 2,
                    'topic': f"Тема {day}",
                    } for day in (6, 13, 20)])
        ns.lessons_sport = Lesson.create([{
                    'workload': ns.workload_sport.id,
                    'date': dt.date(2025, 10, day), 'pair': 3, 'hours': 2,
                    } for day in (7, 14)])
    return ns


def mark(lesson, student, value):
    Mark = Pool().get('copp.journal.mark')
    return Mark.create([{'lesson': lesson.id, 'student': student.id,
                'value': value}])[0]


def absence(lesson, student, reason=None, kind='absent', hours=None):
    Absence = Pool().get('copp.journal.absence')
    return Absence.create([{'lesson': lesson.id, 'student': student.id,
                'kind': kind, 'reason': reason,
                'hours': lesson.hours if hours is None else hours}])[0]


OCT = (dt.date(2025, 10, 1), dt.date(2025, 10, 31))


def as_user(user):
    "Run as the back-office user with access rights and record rules"
    class _Ctx:
        def __enter__(self):
            self.stack = [Transaction().set_user(user.id),
                Transaction().set_context(company=user.company.id
                    if user.company else None),
                check_access()]
            for item in self.stack:
                item.__enter__()
            return self

        def __exit__(self, *exc):
            for item in reversed(self.stack):
                item.__exit__(*exc)
    return _Ctx()


def october_marks(ns):
    """The fixed data set of the rate tests (see test_rates_current)"""
    s1, s2, s3, s4 = ns.students
    g1, g2, g3 = ns.lessons_graphics
    p1, p2 = ns.lessons_sport
    for lesson, student, value in [
            (g1, s1, '5'), (g2, s1, '5'), (g3, s1, '4'),
            (p1, s1, 'pass'), (p2, s1, 'pass'),
            (g1, s2, '3'), (g2, s2, '4'),
            (p1, s2, 'pass'), (p2, s2, 'fail'),
            (g1, s3, '2'), (g2, s3, '3'),
            (p1, s3, 'fail'), (p2, s3, 'fail'),
            (g1, s4, '3'), (g2, s4, '3'), (g3, s4, '4'),
            ]:
        mark(lesson, student, value)
    absence(g3, s2, 'illness')
    absence(g3, s3, None)
    absence(p2, s3, None, kind='late', hours=0)
    absence(p2, s4, 'application')
    absence(p1, s4, None)
