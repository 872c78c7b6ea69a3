"""The surveys of the partner portal (`/partner/surveys`): an employer
answers on behalf of its organization, one answer per organization; the
pages of the answer are those of routes.py."""
import datetime as dt

from trytond.i18n import gettext

from copp_portal.portal import portal_route, register_menu

from .routes import _page_url, _used

register_menu('partner', '/partner/surveys', 'copp_survey.msg_nav_surveys',
    sequence=60)


# The partner portal -------------------------------------------------------

def _partner_surveys(portal):
    Survey = portal.pool.get('copp.survey')
    now = dt.datetime.now()
    return [s for s in Survey.search([
                ('partner_portal', '=', True),
                ('state', '=', 'open'),
                ], order=[('close_date', 'ASC NULLS LAST'), ('id', 'DESC')])
        if s.accepting(now)]


@portal_route('/partner/surveys', login=True, model='copp.survey')
def partner_surveys(portal):
    pool = portal.pool
    Response = pool.get('copp.survey.response')
    Invitation = pool.get('copp.survey.invitation')
    surveys = _partner_surveys(portal)
    organization = portal.organization
    answered = {}
    if organization:
        for invitation in Invitation.search([
                    ('survey', 'in', [s.id for s in surveys]),
                    ('organization', '=', organization.id),
                    ('submitted', '=', True)]):
            answered[invitation.survey.id] = 'answered'
        for response in Response.search([
                    ('survey', 'in', [s.id for s in surveys]),
                    ('organization', '=', organization.id)]):
            answered[response.survey.id] = (
                'answered' if response.state == 'submitted' else 'started')
    return portal.render('surveys/partner_list.html', surveys=surveys,
        answered=answered)


@portal_route('/partner/surveys/<int:survey_id>', methods=['GET', 'POST'],
    login=True, model='copp.survey')
def partner_survey(portal, survey_id):
    pool = portal.pool
    Invitation = pool.get('copp.survey.invitation')
    Response = pool.get('copp.survey.response')
    surveys = [s for s in _partner_surveys(portal) if s.id == survey_id]
    if not surveys:
        portal.not_found()
    survey, = surveys
    organization = portal.organization
    if organization is None:
        portal.forbidden(gettext('copp_survey.msg_partner_no_organization'))
    invitations = Invitation.search([('survey', '=', survey.id),
            ('organization', '=', organization.id)], limit=1)
    invitation = invitations[0] if invitations else None
    if invitation and invitation.submitted:
        return _used(portal, survey, 'layout_partner.html')
    if portal.request.method == 'POST':
        if invitation is None:
            Invitation.lock()
            invitation, = Invitation.create([{
                        'survey': survey.id,
                        'organization': organization.id,
                        'email': None,
                        'name': organization.rec_name,
                        'segment': 'employer',
                        }])
        response = Response.start(survey, invitation,
            portal_user=portal.user, segment='employer')
        if not response.portal_user:
            Response.write([response], {'portal_user': portal.user.id})
        portal.log('record_changed', record=response,
            details=f'survey {survey.id}')
        return portal.redirect(_page_url(response,
                response.last_page or 1))
    return portal.render('surveys/intro.html', survey=survey,
        action=f'/partner/surveys/{survey.id}', pages=len(survey.pages),
        questions=len(survey.questions), segments=None,
        layout='layout_partner.html', organization_name=organization.rec_name,
        started=bool(invitation and Response.search([
                    ('invitation', '=', invitation.id)], limit=1)))
