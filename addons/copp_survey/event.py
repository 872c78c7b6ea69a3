"""Post-event survey: an event attaches a satisfaction survey that is sent
to the participants who attended (when the event is done, or by the
button)."""
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .exceptions import SurveyError

SEGMENT_OF_CATEGORY = {
    'schoolchild': 'schoolchild',
    'student': 'student',
    'adult': 'public',
    'employer': 'employer',
    }


class Event(metaclass=PoolMeta):
    __name__ = 'copp.event'

    satisfaction_survey = fields.Many2One('copp.survey',
        "Satisfaction Survey", ondelete='SET NULL',
        domain=[('kind', '=', 'event_satisfaction'),
            ('state', '!=', 'closed')],
        help="Sent to the participants who attended when the event is "
        "done.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_satisfaction_survey': {
                    'invisible': (~Eval('satisfaction_survey')
                        | ~Eval('state').in_(['published', 'done'])),
                    'icon': 'tryton-email',
                    'depends': ['satisfaction_survey', 'state'],
                    },
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def done(cls, events):
        super().done(events)
        cls.invite_attendees([e for e in events if e.satisfaction_survey
                and e.satisfaction_survey.accepting()])

    @classmethod
    @ModelView.button
    def send_satisfaction_survey(cls, events):
        for event in events:
            if not event.satisfaction_survey or (
                    not event.satisfaction_survey.accepting()):
                raise SurveyError(gettext(
                        'copp_survey.msg_event_survey_closed',
                        event=event.rec_name))
        cls.invite_attendees(events)

    @classmethod
    def invite_attendees(cls, events):
        """Invite the participants who attended (once each) and e-mail the
        invitations; returns the new invitations"""
        pool = Pool()
        Registration = pool.get('copp.event.registration')
        Invitation = pool.get('copp.survey.invitation')
        new = []
        for event in events:
            survey = event.satisfaction_survey
            registrations = Registration.search([
                    ('event', '=', event.id),
                    ('state', '=', 'confirmed'),
                    ('attended', '=', True),
                    ])
            known = {i.email for i in Invitation.search([
                        ('survey', '=', survey.id)])}
            values = []
            for registration in registrations:
                email = registration.recipient
                if not email or email in known:
                    continue
                known.add(email)
                segment = SEGMENT_OF_CATEGORY.get(registration.category,
                    'public')
                if registration.minor and not registration.email:
                    segment = 'parent'
                values.append({
                        'survey': survey.id,
                        'email': email,
                        'name': registration.rec_name,
                        'registration': registration.id,
                        'segment': segment,
                        })
            invitations = Invitation.create(values)
            Invitation.send(invitations)
            new.extend(invitations)
        return new
