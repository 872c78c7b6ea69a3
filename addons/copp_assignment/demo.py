"""Demo data of copp_assignment (see copp.cli.demo): for the ЦОПП and the
colleges «РКЭ» and «РЖК», an assignment with a rubric as a lesson of a
published course (the ЦОПП course of copp_course's demo; a small course of
the college enrolled for one of its study groups), works handed in by real
learners through Submission.submit_online, one graded with the rubric and
one returned for rework. Fixed instants relative to the demo's today."""
import datetime as dt
from decimal import Decimal

from trytond.transaction import Transaction

COLLEGES = ['РКЭ', 'РЖК']
TASKS = {
    'copp': ("Практическая работа: оценка рисков на рабочем месте",
        "<p>Опишите рабочее место, перечислите опасные факторы и "
        "предложите меры по снижению рисков.</p>"),
    'college': ("Практическая работа: проект базы данных",
        "<p>Спроектируйте базу данных учёта заказов: сущности, связи, "
        "ключи; приложите SQL-запросы к трём отчётам.</p>"),
    }
ANSWERS = [
    "<p>Рабочее место слесаря: вращающиеся части станка, шум, стружка. "
    "Меры: защитные кожухи, наушники, очки, инструктаж.</p>",
    "<p>Выполненная работа: описание, схема и выводы приложены в тексте.</p>",
    "<p>Черновой вариант работы, прошу проверить.</p>",
    ]


def _rubric():
    return [('create', [{
                    'sequence': 1, 'name': "Полнота анализа",
                    'description': "Все существенные факторы учтены.",
                    'levels': [('create', [
                                {'sequence': 1, 'name': "Не выполнено",
                                    'points': Decimal(0)},
                                {'sequence': 2, 'name': "Частично",
                                    'points': Decimal(2)},
                                {'sequence': 3, 'name': "Полностью",
                                    'points': Decimal(4)}])],
                    }, {
                    'sequence': 2, 'name': "Обоснованность решений",
                    'levels': [('create', [
                                {'sequence': 1, 'name': "Есть ошибки",
                                    'points': Decimal(1)},
                                {'sequence': 2, 'name': "Верно",
                                    'points': Decimal(6)}])],
                    }])]


def _course_of_college(env, company):
    "A published course of the college enrolled for a group, or None"
    pool = env.pool
    Group = pool.get('copp.study.group')
    Student = pool.get('copp.student')
    Course = pool.get('copp.course')
    for group in Group.search([('company', '=', company.id)],
            order=[('id', 'ASC')]):
        if len(Student.search([('group', '=', group.id),
                        ('party', '!=', None),
                        ('state', '=', 'studying')], limit=2)) < 2:
            continue
        course, = Course.create([{
                    'company': company.id,
                    'name': "Проектирование баз данных",
                    'code': f'ЭК-БД-{group.id}',
                    'pass_grade': Decimal(60),
                    'description': "Электронный курс группы "
                    f"{group.rec_name}: практические работы.",
                    'enrolments': [('create', [{'group': group.id}])],
                    }])
        return course
    return None


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    Assignment = pool.get('copp.assignment')
    Submission = pool.get('copp.assignment.submission')
    Score = pool.get('copp.assignment.submission.score')
    companies = Company.search([('institution_kind', '=', 'copp')],
        order=[('id', 'ASC')], limit=1)
    companies += Company.search([('short_name', 'in', COLLEGES)],
        order=[('id', 'ASC')])
    today = env.today
    # 23:59 Moscow = 20:59 UTC, a week ago; the cut-off five days later
    deadline = dt.datetime.combine(today - dt.timedelta(days=7),
        dt.time(20, 59))
    cutoff = deadline + dt.timedelta(days=5)
    counts = {'assignments': 0, 'submissions': 0}
    for company in companies:
        kind = 'copp' if company.institution_kind == 'copp' else 'college'
        with Transaction().set_context(company=company.id):
            if kind == 'copp':
                courses = Course.search([('company', '=', company.id),
                        ('state', '=', 'published')],
                    order=[('id', 'ASC')], limit=1)
                course = courses[0] if courses else None
                publish = False
            else:
                course = _course_of_college(env, company)
                publish = True
            if not course:
                continue
            name, instructions = TASKS[kind]
            assignment, = Assignment.create([{
                        'company': company.id,
                        'name': name,
                        'instructions': instructions,
                        'accept_text': True,
                        'accept_files': True,
                        'allowed_extensions': 'pdf, docx',
                        'max_file_size': Decimal(10),
                        'max_files': 3,
                        'deadline': deadline,
                        'cutoff': cutoff,
                        'late_policy': 'penalty',
                        'penalty_per_day': Decimal(10),
                        'penalty_max': Decimal(30),
                        'max_grade': Decimal(100),
                        'pass_grade': Decimal(60),
                        'resubmission': True,
                        'max_attempts': 3,
                        'criteria': _rubric(),
                        }])
            lesson, = Lesson.create([{
                        'course': course.id,
                        'name': name,
                        'kind': 'assignment',
                        'assignment': assignment.id,
                        'weight': Decimal(1),
                        }])
            if publish:
                Course.publish([course])
            counts['assignments'] += 1
            learners = sorted({party for (c, party)
                    in Course.enrolment_learners([course])})[:3]
            submissions = []
            for number, party in enumerate(learners):
                # Two on time, the third a day late (with the penalty)
                when = deadline + dt.timedelta(days=number - 1, hours=-3)
                submissions.append(Submission.submit_online(assignment,
                        lesson, party, ANSWERS[number], [], when))
            counts['submissions'] += len(submissions)
            if submissions:
                graded = submissions[0]
                best = {}
                for criterion in assignment.criteria:
                    levels = sorted(criterion.levels,
                        key=lambda l: l.points)
                    best[criterion.id] = levels[-1] if criterion.sequence == 1 \
                        else levels[0]
                for score in graded.scores:
                    score.level = best[score.criterion.id]
                    score.comment = "Замечаний нет." if (
                        score.criterion.sequence == 1) else (
                        "Обоснуйте выбор мер.")
                Score.save(list(graded.scores))
                graded = Submission(graded.id)
                graded.feedback = "Хорошая работа, выводы обоснуйте точнее."
                graded.save()
                Submission.evaluate([graded])
                Submission.write([graded], {'graded_date':
                        graded.submitted_date + dt.timedelta(days=2)})
            if len(submissions) > 1:
                returned = Submission(submissions[1].id)
                returned.feedback = "Не хватает схемы: доработайте."
                returned.save()
                Submission.rework([returned])
    env.count("Задания", counts['assignments'])
    env.count("Работы по заданиям", counts['submissions'])
