"""Demo data of copp_quiz (see copp.cli.demo): a quiz on labour safety
built from the demo question bank of copp_question, for the ЦОПП (a quiz
lesson added to the course of copp_course's demo) and for the colleges
РКЭ and РЖК (a small published course of the college enrolled for one of
its study groups). Learners of each institution take it through the
Attempt API (start, save_answer, finish) at fixed moments of the week
before the demo's day: some pass, some fail, one retakes and passes."""
import datetime as dt
import random
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

COLLEGES = ('РКЭ', 'РЖК')
INTRO = ("Тест по охране труда: {count} вопросов, 30 минут, две попытки. "
    "Зачёт — от 60 % правильных ответов.")
# Per learner: the numbers (0-based) of the questions answered wrong in
# each attempt; an empty list is a perfect attempt.
PROFILES = [
    [[]],
    [[0, 2, 4, 6]],
    [[0, 1, 3, 5, 6], [3]],
    [[1, 5]],
    [[2]],
    [[0, 1, 2, 3, 4, 5, 6]],
    ]


def _ordered(question):
    return sorted(question.answers, key=lambda a: (a.sequence or 0, a.id))


def response(question, right):
    "A right or a wrong response of a learner to the bank question"
    answers = _ordered(question)
    kind = question.kind
    if kind == 'single':
        best = max(answers, key=lambda a: a.fraction or 0)
        other = [a for a in answers if a != best]
        return best.id if right or not other else other[0].id
    elif kind == 'multiple':
        good = [a.id for a in answers if (a.fraction or 0) > 0]
        bad = [a.id for a in answers if (a.fraction or 0) < 0]
        return good if right else good[:1] + bad
    elif kind == 'truefalse':
        from copp_question.grading import grade
        truth = grade(question, True) == 1
        return truth if right else not truth
    elif kind in {'short', 'numeric'}:
        best = max(answers, key=lambda a: a.fraction or 0)
        return best.text if right else "не знаю"
    elif kind == 'matching':
        subs = [a for a in answers if (a.text or '').strip()]
        if right:
            return {str(s.id): s.id for s in subs}
        return {str(s.id): subs[(i + 1) % len(subs)].id
            for i, s in enumerate(subs)}
    elif kind == 'ordering':
        ids = [a.id for a in answers]
        return ids if right else list(reversed(ids))
    return "Ответ"


def make_quiz(company, questions, start):
    Quiz = Pool().get('copp.quiz')
    quiz, = Quiz.create([{
                'company': company.id,
                'name': "Итоговый тест по охране труда",
                'intro': INTRO.format(count=len(questions)),
                'open_date': start - dt.timedelta(days=1),
                'time_limit': dt.timedelta(minutes=30),
                'attempts_allowed': 2,
                'grade_method': 'best',
                'pass_mark': Decimal(60),
                'shuffle_answers': True,
                'questions_per_page': 1,
                'slots': [('create', [{
                                'kind': 'fixed', 'question': q.id,
                                'mark': Decimal(1), 'sequence': i,
                                } for i, q in enumerate(questions, 1)])],
                }])
    return quiz


def take(quiz, lesson, learners, start):
    "Finished attempts of the learners by PROFILES; their number"
    Attempt = Pool().get('copp.quiz.attempt')
    positions = {s.question.id: i for i, s in enumerate(
            sorted(quiz.slots, key=lambda s: s.sequence))}
    count = 0
    for number, (learner, profile) in enumerate(zip(learners, PROFILES)):
        moment = start + dt.timedelta(hours=number, minutes=7 * number)
        for wrong in profile:
            # a seeded draw: the same shuffle of the answers every run
            attempt = Attempt.start(quiz, learner, lesson=lesson,
                now=moment, rng=random.Random(number))
            for line in attempt.questions:
                moment += dt.timedelta(minutes=2)
                right = positions[line.question.id] not in wrong
                Attempt.save_answer(attempt, line,
                    response(line.question, right), now=moment)
            moment += dt.timedelta(minutes=1)
            Attempt.finish([attempt], now=moment)
            count += 1
            moment += dt.timedelta(days=1)
    return count


def bank_questions(company):
    "The auto-graded questions of the demo bank of the institution"
    Question = Pool().get('copp.question')
    return Question.search([
            ('company', '=', company.id),
            ('kind', '!=', 'essay'),
            ], order=[('id', 'ASC')])


def college_course(college, questions, start):
    """A published course of the college for one of its study groups with
    a quiz lesson; (quiz, lesson, learners) or None"""
    pool = Pool()
    Group = pool.get('copp.study.group')
    Student = pool.get('copp.student')
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    Participant = pool.get('copp.course.participant')
    for group in Group.search([('company', '=', college.id)],
            order=[('id', 'ASC')]):
        if Student.search_count([
                    ('group', '=', group.id),
                    ('state', '=', 'studying'),
                    ('party', '!=', None),
                    ]) >= 3:
            break
    else:
        return None
    quiz = make_quiz(college, questions, start)
    course, = Course.create([{
                'company': college.id,
                'name': "Охрана труда",
                'code': f'ОТ-{group.id}',
                'pass_grade': Decimal(60),
                'description': f"Электронный курс группы {group.name}: "
                "памятка и итоговый тест.",
                'enrolments': [('create', [{'group': group.id}])],
                'sections': [('create', [{
                                'sequence': 1, 'name': "Инструктаж"}])],
                }])
    section, = course.sections
    _, lesson = Lesson.create([{
                'course': course.id, 'section': section.id, 'sequence': 1,
                'name': "Памятка по охране труда", 'kind': 'text',
                'content': "<p>Перед началом работы пройдите инструктаж, "
                "проверьте средства защиты и исправность "
                "оборудования.</p>",
                }, {
                'course': course.id, 'section': section.id, 'sequence': 2,
                'name': "Итоговый тест", 'kind': 'quiz',
                'quiz': quiz.id, 'weight': Decimal(1),
                }])
    Course.publish([course])
    participants = Participant.search([('course', '=', course.id)],
        order=[('id', 'ASC')])
    return quiz, lesson, [p.party for p in participants]


def copp_course(copp, questions, start):
    """A quiz lesson added to the course of copp_course's demo;
    (quiz, lesson, learners) or None"""
    pool = Pool()
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    Participant = pool.get('copp.course.participant')
    courses = Course.search([
            ('company', '=', copp.id),
            ('state', '=', 'published'),
            ], order=[('id', 'ASC')], limit=1)
    if not courses:
        return None
    course, = courses
    participants = Participant.search([('course', '=', course.id)],
        order=[('id', 'ASC')])
    if not participants:
        return None
    quiz = make_quiz(copp, questions, start)
    sections = sorted(course.sections, key=lambda s: s.sequence or 0)
    lesson, = Lesson.create([{
                'course': course.id,
                'section': sections[-1].id if sections else None,
                'sequence': max((l.sequence or 0 for l in course.lessons),
                    default=0) + 1,
                'name': "Тест по охране труда", 'kind': 'quiz',
                'quiz': quiz.id, 'weight': Decimal(1),
                }])
    return quiz, lesson, [p.party for p in participants]


def populate(env):
    pool = env.pool
    Company = pool.get('company.company')
    copp = Company.search([('institution_kind', '=', 'copp')],
        order=[('id', 'ASC')], limit=1)
    colleges = Company.search([
            ('institution_kind', '=', 'college'),
            ('short_name', 'in', COLLEGES),
            ], order=[('id', 'ASC')])
    # Fixed moments: the quizzes are taken the week before the demo's day
    start = dt.datetime.combine(env.today - dt.timedelta(days=7),
        dt.time(9, 0))
    quizzes = attempts = 0
    for company in copp + colleges:
        questions = bank_questions(company)
        if not questions:
            continue
        with Transaction().set_context(company=company.id):
            if company.institution_kind == 'copp':
                made = copp_course(company, questions, start)
            else:
                made = college_course(company, questions, start)
            if not made:
                continue
            quiz, lesson, learners = made
            quizzes += 1
            attempts += take(quiz, lesson, learners, start)
    if quizzes:
        env.count("Тесты", quizzes)
        env.count("Попытки тестов", attempts)
