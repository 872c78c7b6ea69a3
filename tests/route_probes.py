"""The declared probe of every HTTP route of our modules (issue 15, build 2:
the routes part). tests/test_route_idor.py takes the routes from
trytond.wsgi.app's url map and fails on a route that has no entry here.

A probe says who calls the route and which values fill its variables:
`foreign` names records of organization B (another employer, another
college, another person) used by organization A's portal user or staff
session (a list of such dicts: each is probed, e.g. B's lesson in B's
course and in A's own course), `own` names A's records (the route must then answer 200: the
probe reaches the route's logic), `post` is the form posted (values
starting with «@» name fixtures). The values are made in
test_route_idor.build_fixtures().
"""
import json

# Answers a probe of B's records may get: nothing of B is returned.
REFUSED = (403, 404, 410)
# A list or a public page: 200 (without B's private data) or a redirect.
LISTED = (200, 303)


class Probe:
    def __init__(self, who, foreign=None, own=None, post=None,
            expect=REFUSED, note=''):
        assert who in {'anonymous', 'partner', 'staff', 'service',
            'cabinet'}
        self.who = who
        self.foreigns = (foreign if isinstance(foreign, list)
            else [foreign or {}])
        self.foreign = self.foreigns[0]
        self.own = own
        self.post = post or {}
        self.expect = expect
        self.note = note


REGISTRATION = {
    'last_name': "Проверкин", 'first_name': "Пётр", 'birth_date': '1990-01-02',
    'category': 'adult', 'email': 'probe@example.com',
    'phone': '+7 900 000-00-00', 'consent': '1'}
VACANCY = {'position': "Изменено чужим", 'district': 'ryazan',
    'requirements': "Изменено чужим", 'employment': 'full',
    'schedule': 'full_day'}
ORDER = {'specialty': '@specialty', 'quantity': '1',
    'deadline': '2030-01-01', 'comment': "Изменено чужим"}
CONTACT = {'name': "Изменено чужим"}
PASSWORD = {'password': 'Izmeneno-chuzhim-2026', 'password2':
    'Izmeneno-chuzhim-2026', 'consent': '1'}
SIGNUP = dict(PASSWORD, last_name="Проверкин", first_name="Пётр",
    birth_date='1990-01-02', email='@user_b_email')
APPLY = {'cohort': '@cohort_a', 'last_name': "Проверкин",
    'first_name': "Пётр", 'birth_date': '1990-01-02', 'gender': 'male',
    'snils': '112-233-445 95', 'email': 'probe@example.com',
    'id_document_kind': 'passport_ru', 'id_document_number': '123456',
    'id_document_issuer': "УМВД", 'id_document_date': '2015-01-01',
    'education_level': 'vocational', 'funding': 'paid', 'consent': '1'}
# What a SCORM player posts at LMSCommit (copp_scorm.tests.tools.payload)
SCORM_COMMIT = json.dumps({
    'session': 'c' * 32, 'finish': True, 'lesson_status': 'passed',
    'lesson_location': 'x', 'score_raw': '100', 'score_min': '0',
    'score_max': '100', 'session_time': '0000:10:00.00', 'exit': '',
    'suspend_data': "Изменено чужим"})
COURSE_LESSON = '/cabinet/courses/<int:course_id>/lessons/<int:lesson_id>'

ROUTES = {
    # copp_portal: accounts. The keys are random (only their hash is kept):
    # a key of another kind or a made-up one opens nothing.
    '/partner/login': Probe('anonymous', expect=LISTED,
        note="login form: no data of anybody"),
    '/partner/logout': Probe('partner', expect=(303,),
        note="ends the caller's own session only"),
    '/partner/password/forgot': Probe('anonymous', expect=LISTED,
        post={'email': '@user_b_email'},
        note="the same answer for every address; the link goes to B"),
    '/partner/password/reset/<key>': Probe('anonymous',
        foreign={'key': 'invitation_key_b'}, post=PASSWORD),
    '/partner/invitation/<key>': Probe('anonymous',
        foreign={'key': 'reset_key_b'}, post=PASSWORD),
    '/partner/email/confirm/<key>': Probe('anonymous',
        foreign={'key': 'reset_key_b'}),
    '/partner/account': Probe('partner', expect=LISTED,
        post={'name': "Изменено", 'phone': '+7 900 000-00-00'},
        note="the caller's own account"),
    '/partner/account/password': Probe('partner', expect=(303, 422),
        post={'current': 'wrong', 'password': 'x', 'password2': 'x'},
        note="the caller's own password"),
    '/partner/account/email': Probe('partner', expect=(303, 422),
        post={'email': '@user_b_email', 'current': 'wrong'},
        note="the caller's own e-mail; another user's address is taken"),
    '/portal/accessibility': Probe('anonymous', expect=(303,),
        note="a cookie of the caller"),
    '/portal/privacy': Probe('anonymous', expect=(200,)),
    '/portal-static/<path:filename>': Probe('anonymous',
        foreign={'filename': '../../copp_portal/user.py'}, expect=(404,),
        note="static files of the modules only, no path traversal"),

    # copp_employer: the partner portal, every record of the employer
    '/partner/': Probe('partner', expect=LISTED),
    '/partner/organization': Probe('partner', expect=LISTED,
        post={'name': "ООО «Альфа»", 'district': 'ryazan'},
        note="the caller's own organization"),
    '/partner/organization/contacts/new': Probe('partner', expect=LISTED,
        post=CONTACT, note="creates a contact of the caller's employer"),
    '/partner/organization/contacts/<int:contact_id>': Probe('partner',
        foreign={'contact_id': 'contact_b'}, own={'contact_id': 'contact_a'},
        post=CONTACT),
    '/partner/organization/contacts/<int:contact_id>/delete': Probe(
        'partner', foreign={'contact_id': 'contact_b'}),
    '/partner/practice': Probe('partner', expect=LISTED),
    '/partner/practice/<int:place_id>': Probe('partner',
        foreign={'place_id': 'place_b'}, own={'place_id': 'place_a'}),
    '/partner/agreements': Probe('partner', expect=LISTED),
    '/partner/agreements/<int:agreement_id>': Probe('partner',
        foreign={'agreement_id': 'agreement_b'},
        own={'agreement_id': 'agreement_a'}),
    '/partner/vacancies': Probe('partner', expect=LISTED),
    '/partner/vacancies/new': Probe('partner', expect=LISTED, post=VACANCY,
        note="creates a vacancy of the caller's employer"),
    '/partner/vacancies/<int:vacancy_id>': Probe('partner',
        foreign={'vacancy_id': 'vacancy_b'}, own={'vacancy_id': 'vacancy_a'}),
    '/partner/vacancies/<int:vacancy_id>/edit': Probe('partner',
        foreign={'vacancy_id': 'vacancy_b'}, own={'vacancy_id': 'vacancy_a'},
        post=VACANCY),
    '/partner/vacancies/<int:vacancy_id>/publish': Probe('partner',
        foreign={'vacancy_id': 'vacancy_b'}),
    '/partner/vacancies/<int:vacancy_id>/close': Probe('partner',
        foreign={'vacancy_id': 'vacancy_b_public'}),
    '/partner/vacancies/<int:vacancy_id>/draft': Probe('partner',
        foreign={'vacancy_id': 'vacancy_b_public'}),
    '/partner/orders': Probe('partner', expect=LISTED),
    '/partner/orders/new': Probe('partner', expect=LISTED, post=ORDER,
        note="creates an order of the caller's employer"),
    '/partner/orders/<int:order_id>': Probe('partner',
        foreign={'order_id': 'order_b'}, own={'order_id': 'order_a'}),
    '/partner/orders/<int:order_id>/edit': Probe('partner',
        foreign={'order_id': 'order_b'}, own={'order_id': 'order_a'},
        post=ORDER),
    # copp_employer: the public vacancies (published ones are public)
    '/vacancies': Probe('anonymous', expect=LISTED),
    '/vacancies/<int:vacancy_id>': Probe('anonymous',
        foreign={'vacancy_id': 'vacancy_b'},
        own={'vacancy_id': 'vacancy_b_public'}),

    # copp_event: public pages; tickets and check-in by signed keys
    '/events': Probe('anonymous', expect=LISTED),
    '/events/calendar': Probe('anonymous', expect=LISTED),
    '/events/<int:event_id>': Probe('anonymous',
        foreign={'event_id': 'event_b_draft'}, own={'event_id': 'event_a'}),
    '/events/<int:event_id>/register': Probe('anonymous',
        foreign={'event_id': 'event_b_draft'}, own={'event_id': 'event_a'},
        post=REGISTRATION),
    '/events/<int:event_id>/register/resend': Probe('anonymous',
        foreign={'event_id': 'event_a'}, post={'key': '@resend_key_b'},
        note="B's key on another event's address"),
    '/events/<int:event_id>/checkin/<key>': Probe('anonymous',
        foreign={'event_id': 'event_b', 'key': 'checkin_key_a'},
        own={'event_id': 'event_a', 'key': 'checkin_key_a'},
        post={'code': '@ticket_b'}),
    '/events/ticket/<token>': Probe('anonymous',
        foreign={'token': 'ticket_b_forged'}, own={'token': 'ticket_a'}),
    '/events/ticket/<token>/cancel': Probe('anonymous',
        foreign={'token': 'ticket_b_forged'}),
    '/events/ticket/<token>/certificate.pdf': Probe('anonymous',
        foreign={'token': 'ticket_b_forged'}),
    '/events/certificate/<token>': Probe('anonymous',
        foreign={'token': 'ticket_b_forged'}),

    # copp_survey: invitations, answers and results by signed keys
    '/partner/surveys': Probe('partner', expect=LISTED),
    '/partner/surveys/<int:survey_id>': Probe('partner',
        foreign={'survey_id': 'survey_closed'},
        own={'survey_id': 'survey_partner'},
        note="a survey not on the partner portal"),
    '/survey/i/<token>': Probe('anonymous',
        foreign={'token': 'invitation_b_forged'}),
    '/survey/p/<key>': Probe('anonymous', foreign={'key': 'public_key_bad'},
        own={'key': 'public_key_a'}),
    '/survey/r/<token>/<int:number>': Probe('anonymous',
        foreign={'token': 'response_b_forged', 'number': 'page_1'},
        post={'action': 'next'}),
    '/survey/r/<token>/review': Probe('anonymous',
        foreign={'token': 'response_b_forged'}),
    '/survey/r/<token>/submit': Probe('anonymous',
        foreign={'token': 'response_b_forged'}),
    '/survey/results/<int:survey_id>/<key>': Probe('anonymous',
        foreign={'survey_id': 'survey_b', 'key': 'results_key_a'},
        own={'survey_id': 'survey_a', 'key': 'results_key_a'}),
    '/survey/results/<int:survey_id>/<key>/answers.xlsx': Probe('anonymous',
        foreign={'survey_id': 'survey_b', 'key': 'results_key_a'},
        own={'survey_id': 'survey_a', 'key': 'results_key_a'}),
    '/survey/results/<int:survey_id>/<key>/demand': Probe('anonymous',
        foreign={'survey_id': 'survey_b', 'key': 'results_key_a'}),
    '/survey/results/<int:survey_id>/<key>/demand.xlsx': Probe('anonymous',
        foreign={'survey_id': 'survey_b', 'key': 'results_key_a'}),

    # copp_journal: a teacher of college A (back-office session)
    '/journal': Probe('anonymous', expect=(302,),
        note="redirects to the deployment's database"),
    '/journal/': Probe('anonymous', expect=(302,)),
    '/journal/<path:path>': Probe('anonymous', foreign={'path': 'x'},
        expect=(302, 404)),
    '/<database_name>/journal/': Probe('staff', expect=(200,),
        note="the teacher's own loads"),
    '/<database_name>/journal/<int:workload_id>': Probe('staff',
        foreign={'workload_id': 'workload_b'},
        own={'workload_id': 'workload_a'}),
    '/<database_name>/journal/<int:workload_id>/data': Probe('staff',
        foreign={'workload_id': 'workload_b'},
        own={'workload_id': 'workload_a'}),
    '/<database_name>/journal/<int:workload_id>/cell': Probe('staff',
        foreign={'workload_id': 'workload_b'},
        post={'lesson': '@lesson_b', 'student': '@student_b', 'value': '2'}),
    '/<database_name>/journal/<int:workload_id>/lesson/<int:lesson_id>':
        Probe('staff', foreign={'workload_id': 'workload_b',
                'lesson_id': 'lesson_b'}, post={'topic': "Изменено чужим"}),
    '/<database_name>/journal/<int:workload_id>/lessons': Probe('staff',
        foreign={'workload_id': 'workload_b'},
        post={'date': '2025-10-08', 'pair': 2, 'hours': 2}),
    '/<database_name>/api/diary/<int:student_id>': Probe('staff',
        foreign={'student_id': 'student_b'}),

    # copp_cabinet: the personal cabinet of student A (a portal account)
    '/cabinet/login': Probe('anonymous', expect=LISTED,
        note="login form: no data of anybody"),
    '/cabinet/invitation/<key>': Probe('anonymous',
        foreign={'key': 'reset_key_b'}, post=PASSWORD),
    '/cabinet/': Probe('cabinet', expect=LISTED,
        note="the students of the caller's own account"),
    '/cabinet/students/<int:student_id>': Probe('cabinet',
        foreign={'student_id': 'student_b'},
        own={'student_id': 'student_a'}),
    '/cabinet/students/<int:student_id>/timetable': Probe('cabinet',
        foreign={'student_id': 'student_b'},
        own={'student_id': 'student_a'}),
    '/cabinet/students/<int:student_id>/sheets': Probe('cabinet',
        foreign={'student_id': 'student_b'},
        own={'student_id': 'student_a'}),
    '/cabinet/students/<int:student_id>/documents': Probe('cabinet',
        foreign={'student_id': 'student_b'},
        own={'student_id': 'student_a'}),
    '/cabinet/events': Probe('cabinet', expect=LISTED,
        note="the registrations of the caller's own person"),
    '/cabinet/surveys': Probe('cabinet', expect=LISTED,
        note="the invitations of the caller's confirmed e-mail and person"),
    '/cabinet/account': Probe('cabinet', expect=LISTED,
        note="the caller's own consents and sessions"),
    '/cabinet/account/consents/<int:consent_id>/withdraw': Probe('cabinet',
        foreign={'consent_id': 'consent_b'}),
    '/cabinet/account/mailing': Probe('cabinet', expect=(303,),
        post={'subscribe': '1'}, note="the caller's own subscription"),
    '/cabinet/account/sessions/end': Probe('cabinet', expect=(303,),
        note="ends the caller's other sessions only"),
    '/cabinet/signup': Probe('anonymous', expect=LISTED, post=SIGNUP,
        note="the same answer for every address: B's account is not "
        "changed, its owner gets an e-mail"),
    '/cabinet/signup/confirm/<key>': Probe('anonymous',
        foreign={'key': 'reset_key_b'}, note="a key of another kind"),
    '/cabinet/password/reset/<key>': Probe('anonymous',
        foreign={'key': 'invitation_key_b'}, post=PASSWORD),
    '/cabinet/applications': Probe('cabinet', expect=LISTED,
        note="the applications the caller's own account sent"),
    '/cabinet/applications/<int:application_id>': Probe('cabinet',
        foreign={'application_id': 'application_b'},
        own={'application_id': 'application_a'}),
    '/cabinet/applications/<int:application_id>/withdraw': Probe('cabinet',
        foreign={'application_id': 'application_b'},
        post={'reason': "Отозвано чужим"}),

    # copp_course: the courses of student A (college A's course is
    # enrolled for A's study group, B's course for B's group only)
    '/cabinet/courses': Probe('cabinet', expect=LISTED,
        note="the courses of the caller's own person"),
    '/cabinet/courses/<int:course_id>': Probe('cabinet',
        foreign={'course_id': 'course_b'}, own={'course_id': 'course_a'}),
    COURSE_LESSON: Probe('cabinet',
        foreign=[{'course_id': 'course_b', 'lesson_id': 'text_b'},
            {'course_id': 'course_a', 'lesson_id': 'text_b'}],
        own={'course_id': 'course_a', 'lesson_id': 'text_a'},
        note="B's lesson in B's course and in A's own course"),
    COURSE_LESSON + '/done': Probe('cabinet',
        foreign=[{'course_id': 'course_b', 'lesson_id': 'text_b'},
            {'course_id': 'course_a', 'lesson_id': 'text_b'}]),
    COURSE_LESSON + '/join': Probe('cabinet',
        foreign=[{'course_id': 'course_b', 'lesson_id': 'text_b'},
            {'course_id': 'course_a', 'lesson_id': 'text_b'}],
        note="an online session: only a lesson of the caller's course"),
    COURSE_LESSON + '/file/<any(document, video):which>': Probe('cabinet',
        foreign=[{'course_id': 'course_b', 'lesson_id': 'document_b',
                'which': 'document'},
            {'course_id': 'course_a', 'lesson_id': 'document_b',
                'which': 'document'}],
        own={'course_id': 'course_a', 'lesson_id': 'document_a',
            'which': 'document'}),

    # copp_quiz: quiz lessons of the learner's courses, the learner's own
    # attempts (B's student has a finished one and one in progress)
    '/cabinet/quiz/<int:lesson_id>': Probe('cabinet',
        foreign={'lesson_id': 'quiz_lesson_b'},
        own={'lesson_id': 'quiz_lesson_a'}),
    '/cabinet/quiz/<int:lesson_id>/start': Probe('cabinet',
        foreign={'lesson_id': 'quiz_lesson_b'}),
    '/cabinet/quiz/attempts/<int:attempt_id>': Probe('cabinet',
        foreign={'attempt_id': 'attempt_b'}, own={'attempt_id': 'attempt_a'}),
    '/cabinet/quiz/attempts/<int:attempt_id>/save': Probe('cabinet',
        foreign={'attempt_id': 'attempt_b'}, post={'action': 'save'},
        note="the page's form without answers would clear B's answer"),
    '/cabinet/quiz/attempts/<int:attempt_id>/finish': Probe('cabinet',
        foreign={'attempt_id': 'attempt_b'}, own={'attempt_id': 'attempt_a'}),
    '/cabinet/quiz/attempts/<int:attempt_id>/review': Probe('cabinet',
        foreign={'attempt_id': 'attempt_b_done'},
        own={'attempt_id': 'attempt_a_done'}),

    # copp_scorm: the player, the unpacked files of the lesson's package
    # (B's package has a file of its own) and the commits of the learner
    '/cabinet/scorm/<int:lesson_id>': Probe('cabinet',
        foreign={'lesson_id': 'scorm_lesson_b'},
        own={'lesson_id': 'scorm_lesson_a'}),
    '/cabinet/scorm/<int:lesson_id>/content/<path:path>': Probe('cabinet',
        foreign=[{'lesson_id': 'scorm_lesson_b', 'path': 'secret.txt'},
            {'lesson_id': 'scorm_lesson_a', 'path': 'scorm_path_b'}],
        own={'lesson_id': 'scorm_lesson_a', 'path': 'index.html'},
        note="B's lesson; B's file by a path out of A's package folder"),
    '/cabinet/scorm/<int:lesson_id>/commit': Probe('cabinet',
        foreign={'lesson_id': 'scorm_lesson_b'},
        post={'payload': SCORM_COMMIT}),

    # copp_assignment: the assignment lessons of the learner's courses and
    # the files of the learner's own submissions
    COURSE_LESSON + '/assignment': Probe('cabinet',
        foreign=[{'course_id': 'course_b',
                'lesson_id': 'assignment_lesson_b'},
            {'course_id': 'course_a', 'lesson_id': 'assignment_lesson_b'}],
        own={'course_id': 'course_a', 'lesson_id': 'assignment_lesson_a'},
        post={'text': "Изменено чужим"}),
    COURSE_LESSON + '/assignment/submissions/<int:submission_id>/files/'
    '<int:file_id>': Probe('cabinet',
        foreign=[{'course_id': 'course_b',
                'lesson_id': 'assignment_lesson_b',
                'submission_id': 'submission_b', 'file_id': 'file_b'},
            {'course_id': 'course_a', 'lesson_id': 'assignment_lesson_a',
                'submission_id': 'submission_b', 'file_id': 'file_b'},
            {'course_id': 'course_a', 'lesson_id': 'assignment_lesson_a',
                'submission_id': 'submission_a', 'file_id': 'file_b'}],
        own={'course_id': 'course_a', 'lesson_id': 'assignment_lesson_a',
            'submission_id': 'submission_a', 'file_id': 'file_a'},
        note="B's submission, and B's file under A's own submission"),

    # copp_esia: not configured here (no [esia] client_id): no pages; the
    # callback refuses a state that is not this browser's
    '/esia/login': Probe('anonymous', expect=(404,)),
    '/esia/start': Probe('anonymous', expect=(404,)),
    '/esia/callback': Probe('anonymous', expect=(400,),
        note="no request of this browser"),
    '/esia/logout': Probe('partner', expect=(303,),
        note="ends the caller's own session only"),
    '/esia/signed-out': Probe('anonymous', expect=(303,)),

    # copp_site: the Center's public site; drafts are not public
    '/portal/': Probe('anonymous', expect=(200,)),
    '/programs': Probe('anonymous', expect=(200,)),
    '/programs/<int:program_id>': Probe('anonymous',
        foreign={'program_id': 'program_b_draft'},
        own={'program_id': 'program_a'}),
    '/news': Probe('anonymous', expect=(200,)),
    '/news/<int:news_id>': Probe('anonymous',
        foreign={'news_id': 'news_b_draft'}, own={'news_id': 'news_a'}),
    '/news/<int:news_id>/image': Probe('anonymous',
        foreign={'news_id': 'news_b_draft'},
        note="a public item without an image is 404 as well"),
    '/opendata/': Probe('anonymous', expect=(200,)),
    '/opendata/list.csv': Probe('anonymous', expect=(200,)),
    '/opendata/<identifier>/<name>': Probe('anonymous',
        foreign={'identifier': 'opendata_a', 'name': '..%2Fuser.py'},
        own={'identifier': 'opendata_a', 'name': 'meta.csv'},
        note="the generated files only, no path traversal"),

    # copp_training: documents verified by their random key; the cohorts
    # an employer may send its staff to (open ones and its own corporate)
    '/verify/<key>': Probe('anonymous',
        foreign={'key': 'verify_key_forged'}),
    '/partner/training': Probe('partner', expect=LISTED),
    '/partner/training/<int:cohort_id>/apply': Probe('partner',
        foreign={'cohort_id': 'cohort_b'}, own={'cohort_id': 'cohort_a'},
        post={'staff': "Иванов Иван; 01.02.1990; 112-233-445 95",
            'consent': '1'},
        note="B's corporate cohort"),
    '/programs/<int:program_id>/apply': Probe('cabinet',
        foreign={'program_id': 'program_b_draft'},
        own={'program_id': 'program_a'}, post=APPLY,
        note="a draft programme; the form shows the caller's own person"),

    # copp_exchange_1c: the SOAP service of 1C, HTTP Basic per college;
    # its answers are the caller's college's (see its own tests)
    '/<database_name>/ws/EnterpriseDataExchange_1_0_1_1': Probe('service',
        expect=(200, 401), note="WSDL on GET, 401 without an account"),
    '/<database_name>/ws/EnterpriseDataExchange_1_0_1_1.1cws': Probe(
        'service', expect=(200, 401)),
    }
