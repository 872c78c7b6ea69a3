"""Answering the surveys on the portal (the partner portal's entry is in
partner_routes.py, the results pages in results_routes.py).

- `/survey/i/<token>`: a personal invitation (one answer per token);
- `/survey/p/<key>`: the public link of a survey;
- `/survey/r/<token>/<page>`: the pages of a started response (resumable
  until it is sent), `/review`, `/submit`;
- `/partner/surveys`: employers answer on behalf of their organization;
- `/survey/results/<id>/<key>`: results with charts (signed link shown in
  the back office), answers as xlsx, and the staffing-demand report.
Routes run as root: every record is reached through a signed token, the
portal user's organization or the signed results key.
"""
import urllib.parse

from trytond.i18n import gettext

from copp_portal.portal import portal_route

from .answers import (
    DEMAND_LINES, PageAnswers, field_name, form_values, missing_pages,
    saved_choices, visible)
from .exceptions import SurveyError
from .tokens import invitation_of_token, response_of_token

SEGMENT_LABELS = {
    'employer': "Работодатель",
    'graduate': "Выпускник колледжа",
    'student': "Студент",
    'schoolchild': "Школьник",
    'parent': "Родитель",
    'public': "Другое",
    }
AUDIENCE_SEGMENT = {
    'employers': 'employer',
    'graduates': 'graduate',
    'students': 'student',
    'parents': 'parent',
    }
QUALIFICATIONS = [
    ('specialist', "Специалист среднего звена"),
    ('worker', "Квалифицированный рабочий"),
    ('higher', "Высшее образование"),
    ('any', "Любой уровень"),
    ]
KIND_LABELS = {
    'single': "один ответ", 'multiple': "несколько ответов",
    'text': "текст", 'number': "число", 'date': "дата",
    'scale': "шкала 1–10", 'matrix': "таблица", 'demand': "таблица",
    }


def _message_page(portal, title, message, status=200, layout=None,
        error=False):
    return portal.render('surveys/message.html', status=status,
        title=title, message=message, error=error,
        layout=layout or _layout(portal))


def _layout(portal, response=None):
    if portal.user and (response is None or response.portal_user):
        return 'layout_partner.html'
    return 'base.html'


def _closed(portal, survey, layout=None):
    return _message_page(portal, gettext('copp_survey.msg_page_closed'),
        gettext('copp_survey.msg_survey_closed', survey=survey.name),
        status=410, layout=layout)


def _invalid(portal):
    return _message_page(portal, gettext('copp_survey.msg_page_invalid'),
        gettext('copp_survey.msg_link_invalid'), status=404, error=True)


def _used(portal, survey, layout=None):
    return _message_page(portal, gettext('copp_survey.msg_page_used'),
        gettext('copp_survey.msg_invitation_used'), status=410,
        layout=layout)


def _page_url(response, page):
    return f'/survey/r/{response.token}/{page}'


# Entry points ------------------------------------------------------------

@portal_route('/survey/i/<token>', methods=['GET', 'POST'],
    model='copp.survey')
def invitation_entry(portal, token):
    pool = portal.pool
    Response = pool.get('copp.survey.response')
    invitation = invitation_of_token(token)
    if invitation is None:
        return _invalid(portal)
    survey = invitation.survey
    if invitation.submitted:
        return _used(portal, survey)
    if not survey.accepting():
        return _closed(portal, survey)
    existing = Response.search([('invitation', '=', invitation.id)],
        limit=1)
    if existing and existing[0].state == 'draft':
        return portal.redirect(_page_url(existing[0],
                existing[0].last_page or 1))
    if portal.request.method == 'POST':
        response = Response.start(survey, invitation)
        return portal.redirect(_page_url(response, 1))
    return portal.render('surveys/intro.html', survey=survey,
        action=f'/survey/i/{token}', pages=len(survey.pages),
        questions=len(survey.questions), segments=None,
        layout='base.html')


@portal_route('/survey/p/<key>', methods=['GET', 'POST'],
    model='copp.survey')
def public_entry(portal, key):
    pool = portal.pool
    Survey = pool.get('copp.survey')
    Response = pool.get('copp.survey.response')
    surveys = Survey.search([('public_key', '=', key[:64]),
            ('public_link', '=', True)], limit=1) if key else []
    if not surveys:
        return _invalid(portal)
    survey, = surveys
    if not survey.accepting():
        return _closed(portal, survey)
    fixed = AUDIENCE_SEGMENT.get(survey.audience)
    segments = None if fixed else list(SEGMENT_LABELS.items())
    error = None
    if portal.request.method == 'POST':
        segment = fixed or portal.request.form.get('segment')
        if segment not in SEGMENT_LABELS:
            error = gettext('copp_survey.msg_segment_required')
        else:
            response = Response.start(survey, segment=segment)
            return portal.redirect(_page_url(response, 1))
    return portal.render('surveys/intro.html',
        status=422 if error else 200, survey=survey,
        action=f'/survey/p/{key}', pages=len(survey.pages),
        questions=len(survey.questions), segments=segments,
        segment_error=error, layout='base.html')


# Pages --------------------------------------------------------------------

def _response(portal, token):
    response = response_of_token(token)
    if response is None:
        return None, _invalid(portal)
    layout = _layout(portal, response)
    if response.state == 'submitted':
        return None, _message_page(portal,
            gettext('copp_survey.msg_page_done'),
            response.survey.thanks or gettext('copp_survey.msg_thanks'),
            layout=layout)
    if not response.survey.accepting():
        return None, _closed(portal, response.survey, layout)
    if response.portal_user and (not portal.user
            or portal.organization != response.organization):
        # The answer of an organization is given by its logged-in users.
        return None, portal.redirect('/partner/login?' +
            urllib.parse.urlencode({'next': portal.request.path}))
    return response, None


def _question_views(questions, values, errors, chosen, specialties):
    views = []
    for question in questions:
        condition = question.condition_question
        views.append({
                'q': question,
                'name': field_name(question),
                'kind_label': KIND_LABELS[question.kind],
                'error': errors.get(question.id),
                'hidden': not visible(question, chosen),
                'condition': condition.id if condition else None,
                'condition_options': ','.join(
                    str(o.id) for o in question.condition_options),
                })
    return views


class FormValues(dict):
    "The values shown in the inputs: one value or a list per field"

    def one(self, name):
        value = self.get(name)
        if isinstance(value, list):
            return value[0] if value else ''
        return value or ''

    def many(self, name):
        value = self.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def _render_page(portal, response, number, values, errors, status=200):
    pool = portal.pool
    Specialty = pool.get('copp.specialty')
    survey = response.survey
    pages = survey.pages
    section, questions = pages[number - 1]
    chosen = saved_choices(response)
    if values is not None and errors:
        # Show the visibility of the submitted answers of this page.
        for question in questions:
            if question.kind in {'single', 'multiple'}:
                ids = set()
                for raw in values.many(field_name(question)):
                    if str(raw).isdigit():
                        ids.add(int(raw))
                chosen[question.id] = ids
    specialties = []
    if any(q.kind == 'demand' for q in questions):
        specialties = [(s.id, s.rec_name) for s in Specialty.search([
                    ('company', '=', None)], order=[('code', 'ASC')])]
    views = _question_views(questions, values, errors, chosen, specialties)
    return portal.render('surveys/page.html', status=status,
        survey=survey, response=response, section=section,
        questions=views, values=values, number=number, total=len(pages),
        errors=errors, token=response.token, specialties=specialties,
        qualifications=QUALIFICATIONS, demand_lines=DEMAND_LINES,
        layout=_layout(portal, response),
        progress=int(100 * (number - 1) / len(pages)))


@portal_route('/survey/r/<token>/<int:number>', methods=['GET', 'POST'],
    model='copp.survey')
def response_page(portal, token, number):
    pool = portal.pool
    Response = pool.get('copp.survey.response')
    response, refusal = _response(portal, token)
    if refusal is not None:
        return refusal
    pages = response.survey.pages
    if not 1 <= number <= len(pages):
        portal.not_found()
    _, questions = pages[number - 1]
    request = portal.request
    if request.method == 'GET':
        values = FormValues(form_values(response, questions))
        return _render_page(portal, response, number, values, {})
    action = request.form.get('action', 'next')
    answers = PageAnswers(questions, request.form).read()
    valid = answers.check(_other_choices(response, questions))
    if not valid:
        if action == 'back' and number > 1:
            return portal.redirect(_page_url(response, number - 1))
        # Nothing is saved of a page with an error.
        values = FormValues({k: request.form.getlist(k)
                if len(request.form.getlist(k)) > 1 else request.form.get(k)
                for k in request.form.keys()})
        portal.rollback = True
        return _render_page(portal, response, number, values,
            answers.errors, status=422)
    answers.save(response)
    target = {'back': number - 1, 'save': number}.get(action, number + 1)
    Response.write([response], {'last_page': max(1, min(target,
                    len(pages)))})
    if action == 'save':
        portal.flash(gettext('copp_survey.msg_flash_saved'))
        return portal.redirect(_page_url(response, number))
    if target < 1:
        target = 1
    if target > len(pages):
        return portal.redirect(f'/survey/r/{response.token}/review')
    return portal.redirect(_page_url(response, target))


def _other_choices(response, questions):
    ids = {q.id for q in questions}
    return {k: v for k, v in saved_choices(response).items()
        if k not in ids}


def _summary(response):
    "The answers of the response page by page for the review"
    from trytond.pool import Pool
    pool = Pool()
    Answer = pool.get('copp.survey.answer')
    Demand = pool.get('copp.survey.demand')
    answers = {}
    for answer in Answer.search([('response', '=', response.id)],
            order=[('id', 'ASC')]):
        if answer.option:
            text = answer.option.text
            if answer.row:
                text = f'{answer.row.text}: {text}'
        elif answer.number is not None:
            text = (str(int(answer.number))
                if answer.number == int(answer.number)
                else str(answer.number).replace('.', ','))
        elif answer.date:
            text = answer.date.strftime('%d.%m.%Y')
        else:
            text = answer.text or ''
        answers.setdefault(answer.question.id, []).append(text)
    for demand in Demand.search([('response', '=', response.id)],
            order=[('id', 'ASC')]):
        name = demand.specialty.rec_name if demand.specialty else (
            demand.profession)
        answers.setdefault(demand.question.id, []).append(
            f'{name}: {demand.need_next_year} / {demand.need_three_years}')
    chosen = saved_choices(response)
    pages = []
    for number, (section, questions) in enumerate(response.survey.pages, 1):
        items = [(q, answers.get(q.id, [])) for q in questions
            if visible(q, chosen)]
        pages.append((number, section, items))
    return pages


@portal_route('/survey/r/<token>/review', model='copp.survey')
def response_review(portal, token):
    response, refusal = _response(portal, token)
    if refusal is not None:
        return refusal
    total = len(response.survey.pages)
    return portal.render('surveys/review.html', survey=response.survey,
        response=response, pages=_summary(response), token=token,
        total=total, layout=_layout(portal, response))


@portal_route('/survey/r/<token>/submit', methods=['POST'],
    model='copp.survey')
def response_submit(portal, token):
    response, refusal = _response(portal, token)
    if refusal is not None:
        return refusal
    page, message = missing_pages(response)
    if page:
        portal.flash(message, 'error')
        return portal.redirect(_page_url(response, page))
    try:
        response.submit()
    except SurveyError as exc:
        portal.rollback = True
        return _message_page(portal, gettext('copp_survey.msg_page_used'),
            exc.message, status=410, layout=_layout(portal, response))
    return _message_page(portal, gettext('copp_survey.msg_page_done'),
        response.survey.thanks or gettext('copp_survey.msg_thanks'),
        layout=_layout(portal, response))
