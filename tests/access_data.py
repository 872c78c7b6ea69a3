"""Records of both probed colleges for the models the small demo leaves
empty, so that every model has a record of another institution to probe
(tests/test_access_models.py). Made through the public interfaces (JSON-RPC
as the administrator and the college's users, the partner portal's login
form); idempotent."""
import datetime as dt
import http.cookiejar
import re
import urllib.parse
import urllib.request

from tests.access_policy import COLLEGES


def _date(value):
    return {'__class__': 'date', 'year': value.year, 'month': value.month,
        'day': value.day}


def _ensure(admin, model, domain, values):
    ids = admin(f'model.{model}.search', domain, 0, 1, None,
        context={'active_test': False})
    if ids:
        return ids[0]
    return admin(f'model.{model}.create', [values])[0]


def complete_demo(admin, client, url):
    """`client(login)`: a JSON-RPC client of a demo user; `url`: the
    server's"""
    for number, name in COLLEGES.items():
        college, = admin('model.company.company.search',
            [('short_name', '=', name)], 0, 1, None)
        _college(admin, college, number)
        _college_survey(admin, college)
        if _has_model(admin, 'copp.news'):
            _college_news(admin, college)
        # A read of personal data on behalf of the registrar: logged
        registrar = client(f'uch{number}')
        student = registrar('model.copp.student.search', [], 0, 1, None)
        registrar('model.copp.student.read', student, ['snils'])
        # A study certificate (справка) issued by the registrar
        if not admin('model.copp.student.certificate.search',
                [('company', '=', college)], 0, 1, None):
            registrar('model.copp.student.certificate.create', [{
                        'company': college, 'student': student[0],
                        'date': _date(dt.date(2026, 1, 15)),
                        'number': f'{number}-ПД-1',
                        'purpose': "по месту требования"}])
    _portal_login(admin, url)


def _has_model(admin, model):
    "Whether the module of `model` is activated"
    return bool(admin('model.ir.model.search', [('name', '=', model)],
            0, 1, None))


def _college_news(admin, college):
    "A draft (unpublished) news item of the college's own"
    _ensure(admin, 'copp.news',
        [('company', '=', college), ('published', '=', False)],
        {'company': college, 'title': "Черновик новости колледжа",
            'date': _date(dt.date(2026, 1, 15)), 'published': False,
            'summary': "Новость колледжа, ещё не опубликованная"})


def _college(admin, college, number):
    # A specialty of the college's own (not of the federal list)
    specialty = _ensure(admin, 'copp.specialty', [('company', '=', college)],
        {'company': college, 'code': f'99.02.0{number}',
            'level': 'specialty',
            'name': "Специальность колледжа (проверка доступа)"})
    _ensure(admin, 'copp.specialty.qualification',
        [('specialty', '=', specialty)],
        {'specialty': specialty, 'name': "Техник"})
    _ensure(admin, 'copp.specialty.duration', [('specialty', '=', specialty)],
        {'specialty': specialty, 'basis': '9', 'study_form': 'full_time',
            'months': 46})
    # A closed month of the journal
    _ensure(admin, 'copp.journal.period', [('company', '=', college)],
        {'company': college, 'month': _date(dt.date(2025, 9, 1)),
            'state': 'closed'})
    # The 1C exchange's journal (exchanged objects are written by an
    # exchange with 1C only: see NO_DATA in tests/access_policy.py)
    peer, = admin('model.copp.exchange_1c.peer.search',
        [('company', '=', college)], 0, 1, None)
    _ensure(admin, 'copp.exchange_1c.message', [('company', '=', college)],
        {'company': college, 'peer': peer, 'direction': 'out',
            'state': 'prepared', 'transport': 'manual'})


def _college_survey(admin, college):
    "The college's own labour-market survey, with an answer and a demand"
    if admin('model.copp.survey.search', [('company', '=', college)],
            0, 1, None):
        return
    session, _, _ = admin('wizard.copp.survey.from_template.create')
    admin('wizard.copp.survey.from_template.execute', session,
        {'start': {'template': 'labor_market', 'company': college,
                'year': 2026}}, 'create_')
    admin('wizard.copp.survey.from_template.delete', session)
    survey, = admin('model.copp.survey.search', [('company', '=', college)],
        0, 1, None)
    employer, = admin('model.copp.employer.search', [], 0, 1, None)
    admin('model.copp.survey.invitation.create', [{'survey': survey,
                'segment': 'employer', 'employer': employer}])
    response, = admin('model.copp.survey.response.create', [{
                'survey': survey, 'segment': 'employer', 'state': 'submitted',
                'submitted_date': {'__class__': 'datetime', 'year': 2026,
                    'month': 1, 'day': 15, 'hour': 10, 'minute': 0,
                    'second': 0, 'microsecond': 0}}])
    questions = admin('model.copp.survey.question.search_read',
        [('survey', '=', survey)], 0, None, None, ['kind', 'options'])
    for question in questions:
        if question['options']:
            admin('model.copp.survey.answer.create', [{
                        'response': response, 'question': question['id'],
                        'option': question['options'][0]}])
            break
    demand = [q for q in questions if q['kind'] == 'demand']
    if demand:
        specialty, = admin('model.copp.specialty.search',
            [('company', '=', None)], 0, 1, None)
        admin('model.copp.survey.demand.create', [{
                    'response': response, 'question': demand[0]['id'],
                    'specialty': specialty, 'qualification': 'specialist',
                    'need_next_year': 1, 'need_three_years': 2}])


def _portal_login(admin, url):
    """A partner logs in to the portal: a portal session and a security
    event (the portal's own records)"""
    user, = admin('model.web.user.search_read', [], 0, 1,
        [('id', 'ASC')], ['email'])
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(
            http.cookiejar.CookieJar()))
    page = opener.open(f'{url}/partner/login').read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    opener.open(f'{url}/partner/login', urllib.parse.urlencode({
                'csrf_token': token, 'email': user['email'],
                'password': 'partner-demo-2026'}).encode()).read()
