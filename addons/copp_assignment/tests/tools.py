"""A small fixed data set of the copp_assignment tests: a college with a
study group of two students enrolled in a published course whose lesson
is an assignment (with or without a rubric), a student of another group
who is not enrolled, and another college with its own assignment."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp.tests.tools import create_college
from copp_contingent.tests.tools import create_group
from copp_journal.tests.tools import create_students

# Fixed instants (naive UTC, as Tryton stores them): never today's clock
DEADLINE = dt.datetime(2030, 3, 10, 20, 59)   # 23:59 in Moscow
CUTOFF = dt.datetime(2030, 3, 15, 20, 59)
PDF = b'%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'


def create_assignment(company, rubric=False, **values):
    pool = Pool()
    Assignment = pool.get('copp.assignment')
    values = dict({
            'company': company.id,
            'name': "Практическая работа № 1",
            'instructions': "<p>Спроектируйте базу данных.</p>",
            'accept_text': True,
            'accept_files': True,
            'allowed_extensions': 'pdf, docx',
            'max_file_size': Decimal('0.5'),
            'max_files': 2,
            'deadline': DEADLINE,
            'cutoff': CUTOFF,
            'late_policy': 'mark',
            'max_grade': Decimal(100),
            'pass_grade': Decimal(60),
            'resubmission': True,
            'max_attempts': 2,
            }, **values)
    if rubric:
        values['criteria'] = [('create', [{
                        'sequence': 1, 'name': "Модель данных",
                        'levels': [('create', [
                                    {'sequence': 1, 'name': "Нет",
                                        'points': Decimal(0)},
                                    {'sequence': 2, 'name': "Частично",
                                        'points': Decimal(2)},
                                    {'sequence': 3, 'name': "Полностью",
                                        'points': Decimal(4)},
                                    ])],
                        }, {
                        'sequence': 2, 'name': "Запросы",
                        'levels': [('create', [
                                    {'sequence': 1, 'name': "Ошибки",
                                        'points': Decimal(1)},
                                    {'sequence': 2, 'name': "Верно",
                                        'points': Decimal(6)},
                                    ])],
                        }])]
    assignment, = Assignment.create([values])
    return assignment


def assignment_setup(rubric=False, **values):
    "The data set (in the current transaction); returns a namespace"
    pool = Pool()
    Course = pool.get('copp.course')
    Enrolment = pool.get('copp.course.enrolment')
    Lesson = pool.get('copp.course.lesson')
    ns = SimpleNamespace()
    ns.college = create_college("Колледж связи", "КС")
    ns.other_college = create_college("Колледж Б", "КБ")
    ns.group = create_group(ns.college, "ИС-25", 2025)
    ns.other_group = create_group(ns.college, "ИС-24", 2024, course=2)
    ns.students = create_students(ns.college, ns.group,
        [("Иванова", "Анна"), ("Петров", "Пётр")])
    ns.outsiders = create_students(ns.college, ns.other_group,
        [("Сидоров", "Илья")], first_number=10)
    ns.learner = ns.students[0].party
    ns.learner2 = ns.students[1].party
    ns.outsider = ns.outsiders[0].party
    with Transaction().set_context(company=ns.college.id):
        ns.course, = Course.create([{
                    'company': ns.college.id,
                    'name': "Базы данных",
                    'pass_grade': Decimal(60),
                    }])
        Enrolment.create([{'course': ns.course.id, 'group': ns.group.id}])
        ns.assignment = create_assignment(ns.college, rubric=rubric,
            **values)
        ns.lesson, = Lesson.create([{
                    'course': ns.course.id,
                    'name': "Практическая работа: база данных",
                    'kind': 'assignment',
                    'assignment': ns.assignment.id,
                    'weight': Decimal(1),
                    }])
        Course.publish([ns.course])
    with Transaction().set_context(company=ns.other_college.id):
        ns.other_course, = Course.create([{
                    'company': ns.other_college.id,
                    'name': "Чужой курс",
                    'pass_grade': Decimal(60),
                    }])
        ns.other_assignment = create_assignment(ns.other_college,
            name="Чужое задание")
        ns.other_lesson, = Lesson.create([{
                    'course': ns.other_course.id,
                    'name': "Чужое задание",
                    'kind': 'assignment',
                    'assignment': ns.other_assignment.id,
                    'weight': Decimal(1),
                    }])
        Course.publish([ns.other_course])
    return ns


def progress_of(lesson, party):
    "(state, score) of the course progress row, or None"
    Progress = Pool().get('copp.course.progress')
    rows = Progress.search([
            ('lesson', '=', lesson.id),
            ('learner', '=', party.id),
            ])
    if not rows:
        return None
    row, = rows
    return row.state, row.score
