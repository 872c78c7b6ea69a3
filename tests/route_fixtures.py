"""The records the route probes of tests/test_route_idor.py run on: what
organization A owns (its ids answer 200) and what B owns (its ids must be
refused, and stay unchanged: snapshot)."""
import datetime as dt

from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction

from copp_portal.tests.tools import create_portal_user

MARK = 'ЧУЖОЕБ'
PASSWORD = 'Probe-Route-2026-partner'
STAFF_PASSWORD = 'Probe-Route-2026-teacher'


def build_fixtures():
    "Organizations A and B with their records; returns {name: value}"
    from copp.tests.tools import create_user
    from copp_employer.tests.tools import (
        INNS, create_agreement, create_employer, create_order,
        create_practice_place, create_vacancy, specialty as spec_employer)
    from copp_event.duplicates import resend_key
    from copp_event.tests.tools import adult, create_college, create_event
    from copp_event.tokens import checkin_key, ticket_token
    from copp_journal.tests.tools import create_students, create_year
    from copp_portal.security import get_secret
    from copp_portal.token import token_validity
    from copp_survey.tests.tools import survey_with_all_kinds
    from copp_survey.tokens import (
        invitation_token, response_token, results_key)
    pool = Pool()
    Contact = pool.get('copp.employer.contact')
    Registration = pool.get('copp.event.registration')
    Invitation = pool.get('copp.survey.invitation')
    Response = pool.get('copp.survey.response')
    Answer = pool.get('copp.survey.answer')
    Token = pool.get('copp.portal.token')
    Group = pool.get('copp.study.group')
    Curriculum = pool.get('copp.journal.curriculum')
    Workload = pool.get('copp.journal.workload')
    Lesson = pool.get('copp.journal.lesson')
    Session = pool.get('ir.session')
    data = {}
    college_a = create_college("Колледж А", "КА")
    college_b = create_college("Колледж Б", "КБ")
    copp = create_college("ЦОПП", "ЦОПП", kind='copp')

    # Employers, their portal users and records
    employer_a = create_employer("ООО «Альфа»", inn=INNS[0],
        email='hr@alfa.example')
    employer_b = create_employer("АО «Бета»", inn=INNS[1],
        email='hr@beta.example')
    create_portal_user('anna@alfa.example', "Анна", employer_a.party,
        PASSWORD)
    user_b = create_portal_user('boris@beta.example', f"Борис {MARK}",
        employer_b.party, PASSWORD)
    data['user_b_email'] = user_b.email
    data['specialty'] = spec_employer().id
    data['vacancy_a'] = create_vacancy(employer_a, "Токарь").id
    data['vacancy_b'] = create_vacancy(employer_b, f"Сварщик {MARK}").id
    data['vacancy_b_public'] = create_vacancy(employer_b, "Слесарь",
        publish=True).id
    data['order_a'] = create_order(employer_a).id
    data['order_b'] = create_order(employer_b, comment=f"Заказ {MARK}").id
    contact_a, contact_b = Contact.create([
            {'employer': employer_a.id, 'name': "Контакт Альфы"},
            {'employer': employer_b.id, 'name': f"Контакт {MARK}"}])
    data['contact_a'], data['contact_b'] = contact_a.id, contact_b.id
    data['place_a'] = create_practice_place(college_a, employer_a).id
    data['place_b'] = create_practice_place(college_b, employer_b,
        mentor=f"Наставник {MARK}").id
    data['agreement_a'] = create_agreement(college_a, employer_a, 'А-1').id
    data['agreement_b'] = create_agreement(college_b, employer_b,
        f'{MARK}-1', subject=f"Договор {MARK}").id
    data['invitation_key_b'] = Token.issue(user_b, 'invitation',
        token_validity('invitation'))
    data['reset_key_b'] = Token.issue(user_b, 'reset',
        token_validity('reset'))

    # Events: tickets, check-in keys
    event_a = create_event(college_a, name="День открытых дверей КА")
    event_b = create_event(college_b, name="День открытых дверей КБ")
    data['event_a'], data['event_b'] = event_a.id, event_b.id
    data['event_b_draft'] = create_event(college_b, name=f"Черновик {MARK}",
        publish=False).id
    registration_a, = Registration.register(event_a, [adult(
                "Альфин", email='alfin@example.com')], send=False)
    registration_b, = Registration.register(event_b, [adult(
                f"Участник{MARK}", email='beta@example.com')], send=False)
    data['ticket_a'] = ticket_token(registration_a)
    data['ticket_b'] = ticket_token(registration_b)
    data['ticket_b_forged'] = '%s-%s' % (registration_b.id,
        data['ticket_a'].split('-', 1)[1])
    data['checkin_key_a'] = checkin_key(event_a)
    data['resend_key_b'] = resend_key(get_secret(DB_NAME), registration_b)

    # Surveys: on the partner portal, closed to it, with their answers
    survey_a, _ = survey_with_all_kinds(copp, name="Опрос А")
    survey_b, questions = survey_with_all_kinds(copp,
        name=f"Опрос {MARK}")
    data['survey_a'], data['survey_b'] = survey_a.id, survey_b.id
    data['survey_closed'] = survey_b.id
    data['survey_partner'] = survey_with_all_kinds(copp,
        name="Опрос работодателей", audience='employers',
        partner_portal=True)[0].id
    data['results_key_a'] = results_key(survey_a)
    data['public_key_a'] = survey_a.public_key
    data['public_key_bad'] = 'f' * 40
    invitation_a, invitation_b = Invitation.create([
            {'survey': survey_a.id, 'employer': employer_a.id,
                'organization': employer_a.party.id, 'segment': 'employer',
                'email': 'hr@alfa.example'},
            {'survey': survey_b.id, 'employer': employer_b.id,
                'organization': employer_b.party.id, 'segment': 'employer',
                'email': 'hr@beta.example'}])
    data['invitation_b_forged'] = '%s-%s' % (invitation_b.id,
        invitation_token(invitation_a).split('-', 1)[1])
    response_a = Response.start(survey_a, invitation_a)
    response_b = Response.start(survey_b, invitation_b)
    Answer.create([{'response': response_b.id,
                'question': questions['why'].id, 'text': f"Ответ {MARK}"}])
    data['response_b'] = response_token(response_b)
    data['response_b_forged'] = '%s-%s' % (response_b.id,
        response_token(response_a).split('-', 1)[1])
    data['page_1'] = 1

    # The journal: a teacher of A; B's load, lesson and student
    _, term, _ = create_year()
    from copp_journal.tests.tools import specialty
    spec = specialty()
    teacher_a = create_user('teacher_a', [college_a], ['group_teacher'])
    teacher_a.password = STAFF_PASSWORD
    teacher_a.save()
    teacher_b = create_user('teacher_b', [college_b], ['group_teacher'])
    loads = {}
    for key, college, teacher in [('a', college_a, teacher_a),
            ('b', college_b, teacher_b)]:
        with Transaction().set_context(company=college.id):
            group, = Group.create([{'name': f'ИСП-{key}', 'company':
                        college.id, 'specialty': spec.id,
                        'study_form': 'full_time', 'basis': '9',
                        'admission_year': 2024, 'course': 2}])
            student, = create_students(college, group,
                [(f"Студент{MARK if key == 'b' else 'А'}", "Иван")])
            curriculum, = Curriculum.create([{'name': f'План {key}',
                        'company': college.id, 'specialty': spec.id,
                        'study_form': 'full_time', 'basis': '9',
                        'admission_year': 2024, 'lines': [('create', [{
                                        'index': 'ОП.01',
                                        'name': "Инженерная графика",
                                        'semester': 3, 'hours_theory': 20,
                                        'assessment': 'exam'}])]}])
            workload, = Workload.create([{'company': college.id,
                        'term': term.id, 'group': group.id,
                        'line': curriculum.lines[0].id,
                        'teacher': teacher.employee.id,
                        'hours_planned': 20}])
            lesson, = Lesson.create([{'workload': workload.id,
                        'date': dt.date(2025, 10, 6), 'pair': 1, 'hours': 2,
                        'topic': f"Тема {key.upper()} {MARK}"
                        if key == 'b' else "Тема А"}])
        loads[key] = (workload, lesson, student)
    # The cabinet: student A has a portal account
    student_a = loads['a'][2]
    account = create_portal_user('student_a@example.com', "Студент А", None,
        PASSWORD)
    account.party = student_a.party
    account.save()
    data['student_a'] = student_a.id
    data['consent_b'] = pool.get('copp.portal.consent').give(user_b,
        'partner_account', 'invitation').id
    data.update(site_fixtures(copp, employer_a, employer_b))
    data.update(application_fixtures(data, account, user_b))
    data.update(elearning_fixtures(college_a, college_b, student_a,
            loads['b'][2]))
    data['workload_a'] = loads['a'][0].id
    data['workload_b'], data['lesson_b'], data['student_b'] = (
        loads['b'][0].id, loads['b'][1].id, loads['b'][2].id)
    with Transaction().set_user(teacher_a.id):
        session, = Session.create([{}])
    data['staff'] = ('teacher_a', teacher_a.id, session.key)
    return data


def site_fixtures(copp, employer_a, employer_b):
    """The Center's site and training (copp_site, copp_training): a
    published programme with an open cohort (A's to apply to), a draft
    programme, B's corporate cohort, a published and a draft news item,
    the open data files"""
    from copp_site.tests.test_site_http import INN
    from copp_training.tests.tools import create_cohort, create_program
    pool = Pool()
    Program = pool.get('copp.program')
    News = pool.get('copp.news')
    today = pool.get('ir.date').today()
    day = dt.timedelta(days=1)
    data = {}
    pool.get('party.party').write([copp.party], {'inn': INN})
    with Transaction().set_context(company=copp.id):
        program = create_program(copp)
        draft = create_program(copp, name=f"Программа {MARK}")
        Program.draft([draft])
        data['program_a'], data['program_b_draft'] = program.id, draft.id
        data['cohort_a'] = create_cohort(program, today + 7 * day,
            today + 60 * day).id
        data['cohort_b'] = create_cohort(program, today + 7 * day,
            today + 60 * day, employer=employer_b.id,
            name=f"Поток {MARK}").id
        news_a, news_b = News.create([{
                    'title': "Новость А", 'published': True,
                    'date': today, 'company': copp.id,
                    }, {
                    'title': f"Новость {MARK}", 'published': False,
                    'date': today, 'company': copp.id,
                    }])
        data['news_a'], data['news_b_draft'] = news_a.id, news_b.id
    pool.get('copp.opendata.file').regenerate()
    data['opendata_a'] = f'{INN}-programs'
    data['verify_key_forged'] = 'x' * 24
    return data


def application_fixtures(data, account_a, user_b):
    """Applications for training sent online: A's by student A's account
    (its cabinet lists it), B's by B's account"""
    from copp_training.tests.tools import application_values
    pool = Pool()
    Application = pool.get('copp.training.application')
    program = pool.get('copp.program')(data['program_a'])
    cohort_a = pool.get('copp.training.cohort')(data['cohort_a'])
    cohort_b = pool.get('copp.training.cohort')(data['cohort_b'])
    application_a, application_b = Application.create([
            application_values(program, cohort_a, 0, source='portal',
                portal_user=account_a.id),
            application_values(program, cohort_b, 1, source='portal',
                portal_user=user_b.id, last_name=f"Заявитель{MARK}"),
            ])
    return {'application_a': application_a.id,
        'application_b': application_b.id}


def elearning_fixtures(college_a, college_b, student_a, student_b):
    """The e-learning of each college (copp_course, copp_question,
    copp_quiz, copp_scorm, copp_assignment): a published course enrolled
    for the study group of the college's student, with a lesson of each
    kind: text, document, quiz (a single-choice and a true/false question),
    SCORM (the test package of copp_scorm, unpacked, with a file of its
    own) and assignment. Each student has a finished quiz attempt and one
    in progress with an answer, a SCORM track and a submission with a
    file: B's are what the probes must not reach, A's answer 200."""
    from decimal import Decimal

    from copp_assignment.tests.tools import PDF, create_assignment
    from copp_quiz.tests.tools import (
        create_category, create_question, create_quiz)
    from copp_scorm.tests.tools import (
        create_package, make_test_package, payload)
    pool = Pool()
    Course = pool.get('copp.course')
    Attempt = pool.get('copp.quiz.attempt')
    Track = pool.get('copp.scorm.track')
    Submission = pool.get('copp.assignment.submission')
    Attachment = pool.get('ir.attachment')
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    data = {}
    packages = {}
    for key, college, student in [('a', college_a, student_a),
            ('b', college_b, student_b)]:
        mark = MARK if key == 'b' else 'А'
        party = student.party
        with Transaction().set_context(company=college.id):
            category = create_category(college, f"Основы {mark}")
            quiz = create_quiz(college, [
                    create_question(category, 'single', f"Сложение {mark}"),
                    create_question(category, 'truefalse',
                        f"Истина {mark}"),
                    ], name=f"Тест {mark}")
            package = create_package(college, make_test_package(**{
                        'secret.txt': f"Файл {mark}"}),
                name=f"Пакет {mark}")
            assignment = create_assignment(college, name=f"Задание {mark}",
                instructions=f"<p>Задание {mark}</p>")
            course, = Course.create([{
                        'company': college.id,
                        'name': f"Курс {mark}",
                        'code': f'E-{key.upper()}',
                        'pass_grade': Decimal(60),
                        'enrolments': [('create', [
                                    {'group': student.group.id}])],
                        'lessons': [('create', [{
                                        'name': f"Текст {mark}",
                                        'sequence': 1, 'kind': 'text',
                                        'content': f'<p>Текст {mark}</p>',
                                        }, {
                                        'name': f"Памятка {mark}",
                                        'sequence': 2, 'kind': 'document',
                                        'document': f'%PDF-1.4 {mark}'
                                        .encode(),
                                        'document_filename': 'памятка.pdf',
                                        }, {
                                        'name': f"Проверочный тест {mark}",
                                        'sequence': 3, 'kind': 'quiz',
                                        'quiz': quiz.id,
                                        'weight': Decimal(1),
                                        }, {
                                        'name': f"Урок SCORM {mark}",
                                        'sequence': 4, 'kind': 'scorm',
                                        'scorm_package': package.id,
                                        }, {
                                        'name': f"Практическая {mark}",
                                        'sequence': 5,
                                        'kind': 'assignment',
                                        'assignment': assignment.id,
                                        'weight': Decimal(1),
                                        }])],
                        }])
            Course.publish([course])
            lessons = {l.kind: l for l in course.lessons}
            # The quiz: a finished attempt, one in progress with an answer
            attempts = []
            for _ in range(2):
                attempt = Attempt.start(quiz, party, lesson=lessons['quiz'])
                attempt = Attempt(attempt.id)
                question = attempt.questions[0]
                Attempt.save_answer(attempt, question,
                    question.question.answers[0].id
                    if question.question.kind == 'single' else True)
                attempts.append(Attempt(attempt.id))
                if len(attempts) == 1:
                    Attempt.finish([attempts[0]])
            Track.commit(lessons['scorm'], party, payload(
                    session=key * 32, lesson_location='p1',
                    suspend_data=f"Закладка {mark}"))
            submission = Submission.submit_online(assignment,
                lessons['assignment'], party, f'<p>Ответ {mark}</p>',
                [(f'работа {mark}.pdf', PDF + mark.encode())], now)
            file, = Attachment.search([
                    ('resource', '=', str(submission))])
        packages[key] = pool.get('copp.scorm.package')(package.id)
        data.update({
                f'course_{key}': course.id,
                f'text_{key}': lessons['text'].id,
                f'document_{key}': lessons['document'].id,
                f'quiz_lesson_{key}': lessons['quiz'].id,
                f'scorm_lesson_{key}': lessons['scorm'].id,
                f'assignment_lesson_{key}': lessons['assignment'].id,
                f'attempt_{key}_done': attempts[0].id,
                f'attempt_{key}': attempts[1].id,
                f'submission_{key}': submission.id,
                f'file_{key}': file.id,
                })
    # From A's unpacked folder to B's file (<database>/<id>/<version-key>)
    data['scorm_path_b'] = '../../%s/%s/secret.txt' % (packages['b'].id,
        packages['b'].folder.rsplit('/', 1)[-1])
    return data


def snapshot():
    "What B owns, to compare before and after the probes"
    pool = Pool()
    result = {}
    for model, domain, names in [
            ('copp.vacancy', [('employer.name', '=', "АО «Бета»")],
                ['position', 'state', 'requirements']),
            ('copp.training.order', [('employer.name', '=', "АО «Бета»")],
                ['comment', 'quantity', 'state']),
            ('copp.employer.contact', [('employer.name', '=', "АО «Бета»")],
                ['name']),
            ('copp.employer.practice_place', [('company.short_name', '=',
                        'КБ')], ['mentor', 'places']),
            ('copp.employer.agreement', [('company.short_name', '=', 'КБ')],
                ['subject', 'state']),
            ('web.user', [('email', '=', 'boris@beta.example')],
                ['name', 'email', 'email_valid', 'password_hash', 'active']),
            ('copp.portal.consent', [('user.email', '=',
                        'boris@beta.example')], ['withdrawn']),
            ('copp.event.registration', [('event.company.short_name', '=',
                        'КБ')], ['state', 'last_name', 'ticket_resent']),
            ('copp.survey.response', [('survey.name', '=', f"Опрос {MARK}")],
                ['state', 'last_page']),
            ('copp.survey.answer', [('response.survey.name', '=',
                        f"Опрос {MARK}")], ['text']),
            ('copp.training.application', [('cohort.name', '=',
                        f"Поток {MARK}")], ['snils', 'state',
                    'withdraw_reason']),
            ('copp.news', [('title', '=', f"Новость {MARK}")],
                ['published', 'body']),
            ('copp.journal.lesson', [('workload.company.short_name', '=',
                        'КБ')], ['topic']),
            ('copp.journal.mark', [('lesson.workload.company.short_name', '=',
                        'КБ')], ['value']),
            ('copp.course.progress', [('course.company.short_name', '=',
                        'КБ')], ['learner', 'state', 'score', 'attempts']),
            ('copp.course.participant', [('course.company.short_name', '=',
                        'КБ')], ['party', 'progress', 'grade', 'completed']),
            ('copp.quiz.attempt', [('quiz.company.short_name', '=', 'КБ')],
                ['learner', 'state', 'score', 'finish_date']),
            ('copp.quiz.attempt.question', [('attempt.quiz.company.short_name',
                        '=', 'КБ')], ['response', 'fraction', 'mark']),
            ('copp.scorm.track', [('lesson.course.company.short_name', '=',
                        'КБ')], ['learner', 'lesson_status', 'suspend_data',
                    'session_count', 'total_time']),
            ('copp.assignment.submission', [('assignment.company.short_name',
                        '=', 'КБ')], ['learner', 'state', 'text', 'attempt']),
            ('ir.attachment', [('resource', 'like',
                        'copp.assignment.submission,%')], ['name', 'resource']),
            ]:
        Model = pool.get(model)
        records = Model.search(domain, order=[('id', 'ASC')])
        result[model] = [tuple([r.id] + [getattr(r, n) for n in names])
            for r in records]
    return result
