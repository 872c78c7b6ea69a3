"""E-mails of the surveys (invitations and reminders), through the
portal's mail helper (copp_portal.mail.send: queued in the outbox, the
invitation shows the status)."""
from trytond.i18n import gettext

from copp_portal import mail


def send_invitation(invitation, reminder=False):
    survey = invitation.survey
    subject = gettext('copp_survey.msg_mail_reminder' if reminder
        else 'copp_survey.msg_mail_invitation', survey=survey.name)
    return mail.send(invitation.email, subject, 'survey_invitation',
        name=invitation.name, invitation=invitation, survey=survey,
        reminder=reminder, origin=invitation,
        link=mail.portal_url(f'/survey/i/{invitation.token}'),
        close_date=survey.close_date)
