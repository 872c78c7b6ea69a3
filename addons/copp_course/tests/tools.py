"""The data set of the copp_course tests, on fixed dates (the academic
year 2025/2026 of copp_journal's tests): the ЦОПП with a programme and a
cohort whose journal is prepared (2 learners), a college with a study
group of 3 students and a teaching load of «ОП.01»; a published course of
the programme with two sections and four lessons."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp.tests.tools import create_college
from copp_journal.tests.tools import create_students, create_year, specialty
from copp_training.tests.tools import create_cohort, create_program

COHORT_START = dt.date(2025, 10, 1)
COHORT_END = dt.date(2025, 12, 20)


def cohort_learners(cohort, names):
    "Learners of the cohort with their files in the cohort's journal group"
    pool = Pool()
    Student = pool.get('copp.student')
    Learner = pool.get('copp.training.learner')
    from copp_contingent.student import APPLY_CONTEXT
    students = Student.create([{
                'company': cohort.company.id,
                'last_name': last, 'first_name': first,
                'birth_date': dt.date(1990, 1, n),
                'funding': 'contract', 'study_form': 'full_time',
                'cohort': cohort.id,
                } for n, (last, first) in enumerate(names, 1)])
    with Transaction().set_context(**{APPLY_CONTEXT: True}):
        Student.write(students, {'state': 'studying',
                'group': cohort.group.id, 'course': 1})
    return Learner.create([{
                'company': cohort.company.id,
                'cohort': cohort.id,
                'student': s.id,
                'party': s.party.id,
                'funding': 'budget',
                'enrolment_date': COHORT_START,
                } for s in students])


def course_values(company, program=None, **values):
    return dict({
            'company': company.id,
            'name': "Основы 3D-печати",
            'code': 'E-3D',
            'program': program.id if program else None,
            'pass_grade': Decimal(60),
            'sections': [('create', [
                        {'name': "Введение", 'sequence': 1},
                        {'name': "Практика", 'sequence': 2},
                        ])],
            }, **values)


def create_course(company, program=None, **values):
    """A course with two sections and four lessons: «Что такое 3D-печать»
    (text, required), «Видеоурок» (video, optional), «Памятка» (document,
    required, after the first), «Итоговая работа» (link, required, weight
    1, after «Памятка»)"""
    pool = Pool()
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    course, = Course.create([course_values(company, program, **values)])
    intro, practice = sorted(course.sections, key=lambda s: s.sequence)
    text, video, document, final = Lesson.create([{
                'course': course.id, 'section': intro.id, 'sequence': 1,
                'name': "Что такое 3D-печать", 'kind': 'text',
                'content': '<p>Послойное <b>наращивание</b></p>'
                '<script>alert(1)</script>',
                }, {
                'course': course.id, 'section': intro.id, 'sequence': 2,
                'name': "Видеоурок", 'kind': 'video', 'required': False,
                'video_url': 'https://rutube.ru/video/'
                '0123456789abcdef0123456789abcdef/',
                }, {
                'course': course.id, 'section': practice.id, 'sequence': 3,
                'name': "Памятка", 'kind': 'document',
                'document': b'%PDF-1.4 memo', 'document_filename':
                'памятка.pdf',
                }, {
                'course': course.id, 'section': practice.id, 'sequence': 4,
                'name': "Итоговая работа", 'kind': 'link',
                'link_url': 'https://example.com/task',
                'weight': Decimal(1),
                }])
    Lesson.write([document], {'prerequisites': [('add', [text.id])]},
        [final], {'prerequisites': [('add', [document.id])]})
    return course, (text, video, document, final)


def course_setup():
    "The data set; returns a namespace"
    pool = Pool()
    Group = pool.get('copp.study.group')
    Curriculum = pool.get('copp.journal.curriculum')
    Workload = pool.get('copp.journal.workload')
    Cohort = pool.get('copp.training.cohort')
    Course = pool.get('copp.course')
    ns = SimpleNamespace()
    ns.copp = create_college("Центр опережающей подготовки", "ЦОПП",
        kind='copp')
    ns.college = create_college("Колледж А", "КА")
    ns.year, ns.term1, ns.term2 = create_year()
    with Transaction().set_context(company=ns.copp.id):
        ns.program = create_program(ns.copp)
        ns.cohort = create_cohort(ns.program, COHORT_START, COHORT_END,
            state='draft')
        Cohort.prepare_journal([ns.cohort])
        ns.learners = cohort_learners(ns.cohort,
            [("Смирнова", "Анна"), ("Волков", "Пётр")])
    with Transaction().set_context(company=ns.college.id):
        spec = specialty()
        ns.group, = Group.create([{
                    'name': 'ИСП-21', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2024, 'course': 2,
                    }])
        ns.students = create_students(ns.college, ns.group, [
                ("Иванов", "Иван"), ("Петров", "Пётр"),
                ("Сидорова", "Анна")])
        curriculum, = Curriculum.create([{
                    'name': '09.02.07 2024', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2024,
                    'lines': [('create', [{'index': 'ОП.01',
                                    'name': "Инженерная графика",
                                    'semester': 3, 'hours_theory': 20,
                                    'assessment': 'exam'}])],
                    }])
        ns.line, = curriculum.lines
        ns.workload, = Workload.create([{
                    'company': ns.college.id, 'term': ns.term1.id,
                    'group': ns.group.id, 'line': ns.line.id,
                    'hours_planned': 20,
                    }])
    with Transaction().set_context(company=ns.copp.id):
        ns.course, ns.lessons = create_course(ns.copp, ns.program,
            enrolments=[('create', [{'cohort': ns.cohort.id}])])
        Course.publish([ns.course])
    with Transaction().set_context(company=ns.college.id):
        ns.college_course, ns.college_lessons = create_course(ns.college,
            discipline=ns.line.id, name="Чертёж в САПР", code='E-CAD',
            enrolments=[('create', [{'group': ns.group.id}])])
        Course.publish([ns.college_course])
    return ns
