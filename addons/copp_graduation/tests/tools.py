"""The data set of the graduation tests: a college with a final-year group
of four students, its curriculum, closed grade sheets (with a retake),
blanks."""
import datetime as dt
from types import SimpleNamespace

from trytond.pool import Pool
from trytond.transaction import Transaction

from copp.tests.tools import create_college
from copp_contingent.tests.tools import create_applicants, order
from copp_journal.tests.tools import create_year, specialty

SNILS = ['945-807-302 33', '157-368-193 00', '036-426-212 33',
    '997-220-033 31']
LINES = [
    # index, name, semester, hours, assessment
    ('ОП.01', "Инженерная графика", 5, 72, 'exam'),
    ('ОП.02', "Электротехника", 6, 60, 'diff_credit'),
    ('МДК.01.01', "Разработка программных модулей", 6, 100,
        'course_project'),
    ('МДК.01.01', "Разработка программных модулей", 7, 80, 'exam'),
    ('УП.01', "Учебная практика", 7, 144, 'diff_credit'),
    ('ПМ.01', "Разработка модулей программного обеспечения", 7, None,
        'qualification_exam'),
    ('СГ.04', "Физическая культура", 7, 40, 'credit'),
    ('ГИА', "Государственная итоговая аттестация", 8, 216, None),
    ]


def graduation_setup():
    pool = Pool()
    Group = pool.get('copp.study.group')
    Curriculum = pool.get('copp.journal.curriculum')
    Student = pool.get('copp.student')
    ns = SimpleNamespace()
    ns.college = create_college("Колледж А", "КА")
    ns.year, ns.term1, ns.term2 = create_year()
    spec = specialty()
    with Transaction().set_context(company=ns.college.id):
        ns.group, = Group.create([{
                    'name': 'ИСП-41', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2022, 'course': 4,
                    'graduation_year': 2026,
                    }])
        ns.students = create_applicants(ns.college, [
                "Иванов Иван Иванович", "Петрова Анна Сергеевна",
                "Сидоров Олег Петрович", "Кузнецова Мария Олеговна"])
        for student, snils in zip(ns.students, SNILS):
            Student.write([student], {'snils': snils,
                    'birth_date': dt.date(2006, 1, 1),
                    'specialty': spec.id, 'citizenship': '643'})
        order(ns.college, 'enrolment', dt.date(2022, 9, 1), [
                {'student': s, 'to_group': ns.group, 'to_funding': 'budget'}
                for s in ns.students])
        ns.students = Student.browse(ns.students)
        ns.curriculum, = Curriculum.create([{
                    'name': '09.02.07 2022', 'company': ns.college.id,
                    'specialty': spec.id, 'study_form': 'full_time',
                    'basis': '9', 'admission_year': 2022,
                    'lines': [('create', [{
                                    'index': i, 'name': n, 'semester': s,
                                    'hours_total': h, 'assessment': a,
                                    } for i, n, s, h, a in LINES])],
                    }])
        ns.lines = {}
        for line in ns.curriculum.lines:
            key = line.index + (
                ' КП' if line.assessment == 'course_project' else '')
            ns.lines.setdefault(key, []).append(line)
    return ns


def close_sheet(ns, index, grades, date, kind='regular', original=None,
        semester=None):
    """A closed sheet of the group in the curriculum line `index` (the
    latest semester unless given) with {student: grade}"""
    Sheet = Pool().get('copp.journal.sheet')
    lines = ns.lines[index]
    line = [l for l in lines if semester is None or l.semester == semester
        ][-1]
    sheet, = Sheet.create([{
                'company': ns.college.id, 'kind': kind, 'group': ns.group.id,
                'line': line.id, 'term': ns.term1.id,
                'assessment': line.assessment or 'exam', 'date': date,
                'original': original.id if original else None,
                'lines': [('create', [{'student': s.id, 'grade': g}
                            for s, g in grades.items()])],
                }])
    Sheet.close([sheet])
    return sheet


def receive_blanks(college, kind, series, first, last):
    Batch = Pool().get('copp.graduation.blank.batch')
    batch, = Batch.create([{'company': college.id, 'kind': kind,
                'series': series, 'number_from': first, 'number_to': last,
                'date': dt.date(2026, 5, 1)}])
    Batch.receive([batch])
    return batch
