"""Survey invitations in the cabinet (/cabinet/surveys): the invitations
sent to the account's confirmed e-mail, and those of the account's person's
event registrations (a satisfaction survey after an event), with their
state and the personal link while the survey accepts answers.

Only the account's own invitations are read: an invitation to another
address never appears (its link stays reachable only by its token)."""
from copp_portal.portal import register_menu

from .routes import cabinet_route

# The entry is labelled by a message of copp_survey: it shows only where
# copp_survey is activated (the page answers 404 elsewhere).
register_menu('cabinet', '/cabinet/surveys',
    'copp_survey.msg_cabinet_nav_surveys', sequence=25)


def own_invitations_domain(user):
    "The invitations of the web user `user`, or None when none can be"
    who = []
    if user.email and user.email_valid:
        who.append(('email', '=', user.email.strip().lower()))
    if user.party:
        who.append(('registration.party', '=', user.party.id))
    if not who:
        return None
    return [
        ('sent_date', '!=', None),
        ('survey.state', 'in', ['open', 'closed']),
        ['OR'] + who,
        ]


@cabinet_route('/cabinet/surveys', model='copp.survey.invitation')
def surveys(portal):
    Invitation = portal.pool.get('copp.survey.invitation')
    user = portal.user
    domain = own_invitations_domain(user)
    invitations = Invitation.search(domain,
        order=[('sent_date', 'DESC'), ('id', 'DESC')]) if domain else []
    Log = portal.pool.get('copp.personal_data.log')
    Log.register_portal(user, 'copp.survey.invitation', invitations,
        ['survey', 'email', 'state'])
    rows = [{
            'survey': i.survey,
            'state': i.state,
            'accepting': i.survey.accepting(portal.now),
            'path': f'/survey/i/{i.token}',
            'submitted_date': i.submitted_date,
            } for i in invitations]
    return portal.render('cabinet/surveys.html', rows=rows)
