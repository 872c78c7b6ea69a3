"""The «[bench]» data of scripts/bench/quiz_submit.py (issue 18): a cohort
of learners with portal accounts, a quiz of single-choice questions, its
published course, their attempts; made, found again and removed.

    build_world(learners, questions, today)  in the current transaction
    start_attempts(lesson, quiz, parties, now)
    prepare(settings, learners, questions)   committed, for the load run:
        the world (kept for the next runs), a session and an attempt per
        learner
    cleanup(settings)                        every «[bench]» record

The leading underscore keeps this module out of `copp bench`'s list."""
import collections
import datetime as dt
import random
import time
from decimal import Decimal

BENCH_MARK = '[bench]'
COURSE_CODE = 'BENCH-QUIZ'
COURSE_NAME = f'{BENCH_MARK} Курс нагрузочного теста квиза'
QUIZ_NAME = f'{BENCH_MARK} Итоговый тест нагрузочного бенчмарка'
CATEGORY_NAME = f'{BENCH_MARK} Вопросы нагрузочного бенчмарка'
PROGRAM_NAME = f'{BENCH_MARK} Программа нагрузочного теста квиза'
LAST_NAME = f'{BENCH_MARK} Квиз'
EMAIL = 'quiz-bench-{}@copp.invalid'
USER_AGENT = 'copp-bench-quiz-submit'


# The world ------------------------------------------------------------------

def _copp_company():
    "The ЦОПП of the database (else its first organization)"
    from trytond.pool import Pool
    Company = Pool().get('company.company')
    companies = Company.search([('institution_kind', '=', 'copp')],
        order=[('id', 'ASC')], limit=1) or Company.search([],
        order=[('id', 'ASC')], limit=1)
    if not companies:
        raise SystemExit("В базе нет организации: copp demo")
    return companies[0]


def _find_world():
    "The «[bench]» course, its quiz lesson and quiz, or None"
    from trytond.pool import Pool
    pool = Pool()
    Course = pool.get('copp.course')
    courses = Course.search([('code', '=', COURSE_CODE),
            ('name', '=', COURSE_NAME)], limit=1)
    if not courses:
        return None
    course, = courses
    lessons = [l for l in course.lessons if l.kind == 'quiz' and l.quiz]
    if not lessons:
        return None
    return course, lessons[0], lessons[0].quiz


def _cohort():
    from trytond.pool import Pool
    Cohort = Pool().get('copp.training.cohort')
    cohorts = Cohort.search([('place', '=', BENCH_MARK),
            ('name', '=', PROGRAM_NAME)], limit=1)
    return cohorts[0] if cohorts else None


def build_world(learners, questions, today):
    """In the current transaction: the cohort of `learners`, the quiz of
    `questions` single-choice questions and the course; returns (course,
    lesson, quiz, parties of the learners)"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool()
    Program = pool.get('copp.program')
    Cohort = pool.get('copp.training.cohort')
    Student = pool.get('copp.student')
    Learner = pool.get('copp.training.learner')
    Category = pool.get('copp.question.category')
    Question = pool.get('copp.question')
    Quiz = pool.get('copp.quiz')
    Course = pool.get('copp.course')
    Lesson = pool.get('copp.course.lesson')
    company = _copp_company()
    with Transaction().set_context(company=company.id):
        program, = Program.create([{
                    'name': PROGRAM_NAME, 'kind': 'advanced', 'hours': 72,
                    'format': 'distance', 'free': True,
                    'document_kind': 'qualification_certificate',
                    'company': company.id,
                    }])
        # A draft cohort: its learners are made here, not by applications
        # and orders, and a draft cohort can be deleted by --cleanup.
        cohort, = Cohort.create([{
                    'name': PROGRAM_NAME, 'program': program.id,
                    'company': company.id,
                    'start_date': today - dt.timedelta(days=7),
                    'end_date': today + dt.timedelta(days=60),
                    'seats': learners, 'federal_seats': 0,
                    'place': BENCH_MARK,
                    }])
        students = Student.create([{
                    'company': company.id,
                    'last_name': LAST_NAME, 'first_name': f"Слушатель {n}",
                    'birth_date': dt.date(1990, 1, 1)
                    + dt.timedelta(days=n),
                    'funding': 'contract', 'study_form': 'full_time',
                    'cohort': cohort.id,
                    } for n in range(1, learners + 1)])
        Learner.create([{
                    'company': company.id, 'cohort': cohort.id,
                    'student': s.id, 'party': s.party.id,
                    'funding': 'budget', 'enrolment_date': cohort.start_date,
                    } for s in students])
        category, = Category.create([{'company': company.id,
                    'name': CATEGORY_NAME}])
        bank = Question.create([{
                    'company': company.id, 'category': category.id,
                    'name': f"{BENCH_MARK} Вопрос {n}", 'kind': 'single',
                    'text': f"<p>Сколько будет {n} + {n}?</p>",
                    'answers': [('create', [
                                {'text': str(2 * n), 'fraction': Decimal(1),
                                    'sequence': 1},
                                {'text': str(2 * n + 1),
                                    'fraction': Decimal(0), 'sequence': 2},
                                {'text': str(2 * n - 1),
                                    'fraction': Decimal(0), 'sequence': 3},
                                ])],
                    } for n in range(1, questions + 1)])
        quiz, = Quiz.create([{
                    'company': company.id, 'name': QUIZ_NAME,
                    'attempts_allowed': 0, 'shuffle_questions': False,
                    'shuffle_answers': False, 'questions_per_page': 0,
                    'slots': [('create', [{
                                    'kind': 'fixed', 'question': q.id,
                                    'mark': Decimal(1), 'sequence': i,
                                    } for i, q in enumerate(bank, 1)])],
                    }])
        course, = Course.create([{
                    'company': company.id, 'name': COURSE_NAME,
                    'code': COURSE_CODE, 'pass_grade': Decimal(60),
                    'enrolments': [('create', [{'cohort': cohort.id}])],
                    }])
        lesson, = Lesson.create([{
                    'course': course.id, 'name': QUIZ_NAME, 'kind': 'quiz',
                    'quiz': quiz.id, 'weight': Decimal(1),
                    }])
        Course.publish([course])
    return course, lesson, quiz, [s.party for s in students]


def start_attempts(lesson, quiz, parties, now):
    """A new attempt of each learner (their previous bench attempts and
    progress deleted); returns [(attempt id, [(attempt question id,
    [answer ids])])] in the order of `parties`"""
    from trytond.pool import Pool
    pool = Pool()
    Attempt = pool.get('copp.quiz.attempt')
    Progress = pool.get('copp.course.progress')
    Attempt.delete(Attempt.search([('quiz', '=', quiz.id)]))
    Progress.delete(Progress.search([('lesson', '=', lesson.id)]))
    rng = random.Random(2026)
    attempts = [Attempt.start(quiz, party, lesson=lesson, now=now, rng=rng)
        for party in parties]
    result = []
    for attempt in Attempt.browse([a.id for a in attempts]):
        result.append((attempt.id, [(q.id, [a.id for a in sorted(
                            q.question.answers,
                            key=lambda a: (a.sequence or 0, a.id))])
                    for q in sorted(attempt.questions,
                        key=lambda q: q.sequence)]))
    return result


# The load variant: data ------------------------------------------------------

def _pool(settings):
    from trytond.pool import Pool
    if settings.database not in Pool.database_list():
        Pool(settings.database).init()


def prepare(settings, learners, questions):
    """The committed «[bench]» world (made or rebuilt when its size is not
    the one asked), a new session and a new attempt per learner; returns
    {'clients': [(attempt id, cookie key, csrf token, [(question id,
    [answer ids])])], 'quiz': id, 'made': bool, 'seconds': {...}}"""
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    from copp_portal.security import get_secret, sign
    _pool(settings)
    seconds = {}
    with Transaction(new=True).start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        pool = Pool()
        User = pool.get('web.user')
        Session = pool.get('web.user.session')
        Learner = pool.get('copp.training.learner')
        today = pool.get('ir.date').today()
        world = _find_world()
        cohort = _cohort()
        made = False
        if world is not None and cohort is not None and (
                len(world[2].slots) == questions
                and Learner.search_count([('cohort', '=', cohort.id)])
                == learners):
            course, lesson, quiz = world
            parties = [l.party for l in Learner.search(
                    [('cohort', '=', cohort.id)], order=[('id', 'ASC')])]
        else:
            if world is not None or cohort is not None:
                print("  мир «[bench]» другого размера: удаляю и строю "
                    "заново", flush=True)
                _cleanup()
            began = time.perf_counter()
            course, lesson, quiz, parties = build_world(learners,
                questions, today)
            seconds['world'] = time.perf_counter() - began
            made = True
        # The portal accounts, their new sessions
        began = time.perf_counter()
        users = {u.email: u for u in User.search([
                    ('email', 'like', EMAIL.format('%'))])}
        to_save = []
        for n, party in enumerate(parties, 1):
            email = EMAIL.format(n)
            user = users.get(email) or User(email=email)
            if (getattr(user, 'id', None) is None or user.party != party
                    or not user.email_valid or not user.active):
                user.name = f"{BENCH_MARK} Слушатель {n}"
                user.party = party
                user.email_valid = True
                user.active = True
                to_save.append(user)
            users[email] = user
        if to_save:
            User.save(to_save)
        accounts = [users[EMAIL.format(n)]
            for n in range(1, len(parties) + 1)]
        Session.delete(Session.search([
                    ('user', 'in', [u.id for u in accounts])]))
        keys = [Session.open(u, '127.0.0.1', USER_AGENT)[1]
            for u in accounts]
        seconds['sessions'] = time.perf_counter() - began
        began = time.perf_counter()
        attempts = start_attempts(lesson, quiz, parties, dt.datetime.now())
        seconds['attempts'] = time.perf_counter() - began
        secret = get_secret(settings.database)
        transaction.commit()
        quiz_id = quiz.id
    clients = [(attempt_id, key, sign(secret, 'csrf-session', key),
            questions_) for (attempt_id, questions_), key
        in zip(attempts, keys)]
    return {'clients': clients, 'quiz': quiz_id, 'made': made,
        'seconds': seconds}


def _cleanup():
    """Delete every «[bench]» record of this benchmark in the current
    transaction; returns the counts"""
    from trytond.pool import Pool
    pool = Pool()
    User = pool.get('web.user')
    Session = pool.get('web.user.session')
    Attempt = pool.get('copp.quiz.attempt')
    Progress = pool.get('copp.course.progress')
    Participant = pool.get('copp.course.participant')
    Course = pool.get('copp.course')
    Quiz = pool.get('copp.quiz')
    Question = pool.get('copp.question')
    Category = pool.get('copp.question.category')
    Learner = pool.get('copp.training.learner')
    Student = pool.get('copp.student')
    Party = pool.get('party.party')
    Cohort = pool.get('copp.training.cohort')
    Program = pool.get('copp.program')
    counts = collections.Counter()
    users = User.search([('email', 'like', EMAIL.format('%'))])
    Session.delete(Session.search([('user', 'in', [u.id for u in users])]))
    User.delete(users)
    counts['учётных записей'] = len(users)
    courses = Course.search([('code', '=', COURSE_CODE),
            ('name', '=', COURSE_NAME)])
    quizzes = Quiz.search([('name', '=', QUIZ_NAME)])
    attempts = Attempt.search([('quiz', 'in', [q.id for q in quizzes])])
    Attempt.delete(attempts)
    counts['попыток'] = len(attempts)
    Progress.delete(Progress.search([
                ('lesson.course', 'in', [c.id for c in courses])]))
    Participant.delete(Participant.search([
                ('course', 'in', [c.id for c in courses])]))
    Course.delete(courses)
    counts['курсов'] = len(courses)
    Quiz.delete(quizzes)
    categories = Category.search([('name', '=', CATEGORY_NAME)])
    questions = Question.search([
            ('category', 'in', [c.id for c in categories])])
    Question.delete(questions)
    Category.delete(categories)
    counts['вопросов банка'] = len(questions)
    cohorts = Cohort.search([('place', '=', BENCH_MARK),
            ('name', '=', PROGRAM_NAME)])
    learners = Learner.search([('cohort', 'in', [c.id for c in cohorts])])
    students = [l.student for l in learners]
    parties = [l.party for l in learners]
    Learner.delete(learners)
    Student.delete(students)
    Party.delete(parties)
    counts['слушателей'] = len(learners)
    Cohort.delete(cohorts)
    Program.delete(Program.search([('name', '=', PROGRAM_NAME)]))
    return counts


def cleanup(settings):
    from trytond.transaction import Transaction
    _pool(settings)
    with Transaction(new=True).start(settings.database, 0,
            context={'language': 'ru'}) as transaction:
        counts = _cleanup()
        transaction.commit()
    return counts
