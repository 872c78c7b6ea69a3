"""Invitations, responses and answers of the surveys.

An invitation carries a personal token (HMAC of its id and nonce, see
tokens.py): it opens one response, which can be resumed page by page until
it is sent; a sent invitation cannot answer again. A response is `draft`
until sent (`submitted`). An anonymous survey cuts the link between the
response and its invitation and organization when the response is sent.
"""
import datetime as dt
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from copp.personal_data import PersonalDataMixin
from copp_portal.outbox import MailOriginMixin
from copp_portal.user import valid_email

from .exceptions import SurveyError, SurveyValidationError
from .survey import SEGMENTS

QUALIFICATIONS = [
    ('worker', "Skilled Worker"),
    ('specialist', "Mid-level Specialist"),
    ('higher', "Higher Education"),
    ('any', "Any"),
    ]
RESPONSE_STATES = [
    ('draft', "Started"),
    ('submitted', "Sent"),
    ]
INVITATION_STATES = [
    ('new', "Not Sent"),
    ('sent', "Sent"),
    ('started', "Started"),
    ('answered', "Answered"),
    ]


class Invitation(PersonalDataMixin, MailOriginMixin, ModelSQL, ModelView):
    "Survey Invitation"
    __name__ = 'copp.survey.invitation'
    __string__ = "Survey Invitation"
    # Every read of these fields on behalf of a user is registered in
    # copp.personal_data.log (with the owner of the survey).
    _personal_data_fields = {'email', 'name'}

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        ondelete='CASCADE')
    company = fields.Function(fields.Many2One('company.company', "Owner"),
        'on_change_with_company', searcher='search_company')
    email = fields.Char("E-mail")
    name = fields.Char("Name")
    organization = fields.Many2One('party.party', "Organization",
        ondelete='SET NULL', context={'company': Eval('company', -1)},
        depends={'company'},
        help="The organization on whose behalf the answer is given.")
    employer = fields.Many2One('copp.employer', "Employer",
        ondelete='SET NULL')
    registration = fields.Many2One('copp.event.registration',
        "Event Registration", ondelete='SET NULL', readonly=True,
        help="The participant of the event invited to its satisfaction "
        "survey.")
    segment = fields.Selection(SEGMENTS, "Segment", required=True)
    nonce = fields.Char("Nonce", readonly=True, strip=False)
    sent_date = fields.DateTime("Sent", readonly=True)
    reminded_date = fields.DateTime("Reminded", readonly=True)
    submitted = fields.Boolean("Answered", readonly=True)
    submitted_date = fields.DateTime("Answered On", readonly=True)
    state = fields.Function(fields.Selection(INVITATION_STATES, "State"),
        'get_state')
    url = fields.Function(fields.Char("Personal Link"), 'get_url')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_constraints += [
            ('survey_email_unique', Unique(t, t.survey, t.email),
                'copp_survey.msg_invitation_email_unique'),
            ('survey_organization_unique',
                Unique(t, t.survey, t.organization),
                'copp_survey.msg_invitation_organization_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.survey, Index.Range()),
                (t.submitted, Index.Equality(cardinality='low'))))
        cls._order = [('id', 'ASC')]

    @classmethod
    def default_segment(cls):
        return 'public'

    @classmethod
    def default_submitted(cls):
        return False

    @classmethod
    def default_nonce(cls):
        return secrets.token_urlsafe(12)

    @fields.depends('employer', 'organization', 'email', 'name', 'segment')
    def on_change_employer(self):
        if self.employer:
            self.organization = self.employer.party
            self.segment = 'employer'
            if not self.email:
                self.email = self.employer.email
            if not self.name:
                self.name = self.employer.rec_name

    @fields.depends('survey', '_parent_survey.company')
    def on_change_with_company(self, name=None):
        return self.survey.company if self.survey else None

    @classmethod
    def search_company(cls, name, clause):
        return [('survey.company',) + tuple(clause[1:])]

    def get_rec_name(self, name):
        return self.name or self.email or str(self.id)

    @property
    def token(self):
        from .tokens import invitation_token
        return invitation_token(self)

    def get_url(self, name):
        from copp_portal.mail import portal_url
        if self.id is None or self.id < 0:
            return None
        return portal_url(f'/survey/i/{self.token}')

    @classmethod
    def get_state(cls, invitations, name):
        pool = Pool()
        Response = pool.get('copp.survey.response')
        started = {r.invitation.id for r in Response.search([
                    ('invitation', 'in', [i.id for i in invitations]),
                    ])}
        result = {}
        for invitation in invitations:
            if invitation.submitted:
                state = 'answered'
            elif invitation.id in started:
                state = 'started'
            elif invitation.sent_date:
                state = 'sent'
            else:
                state = 'new'
            result[invitation.id] = state
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('email'):
            values['email'] = values['email'].strip().lower()
        if mode == 'create':
            values.setdefault('nonce', secrets.token_urlsafe(12))
            if values.get('employer') and not values.get('organization'):
                Employer = Pool().get('copp.employer')
                employer = Employer(values['employer'])
                values['organization'] = employer.party.id
        return values

    @classmethod
    def validate_fields(cls, invitations, field_names):
        super().validate_fields(invitations, field_names)
        for invitation in invitations:
            if invitation.email and not valid_email(invitation.email):
                raise SurveyValidationError(gettext(
                        'copp_survey.msg_invitation_email',
                        email=invitation.email))

    @classmethod
    def send(cls, invitations, reminder=False):
        from .mailing import send_invitation
        now = dt.datetime.now()
        for invitation in invitations:
            if not invitation.email or invitation.submitted:
                continue
            send_invitation(invitation, reminder=reminder)
            if reminder:
                invitation.reminded_date = now
            else:
                invitation.sent_date = now
        cls.save(invitations)

    @classmethod
    def copy(cls, invitations, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('sent_date', None)
        default.setdefault('reminded_date', None)
        default.setdefault('submitted', False)
        default.setdefault('submitted_date', None)
        default.setdefault('nonce', lambda o: secrets.token_urlsafe(12))
        return super().copy(invitations, default=default)


class Response(ModelSQL, ModelView):
    "Survey Response"
    __name__ = 'copp.survey.response'
    __string__ = "Survey Response"

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        ondelete='CASCADE', readonly=True)
    invitation = fields.Many2One('copp.survey.invitation', "Invitation",
        ondelete='SET NULL', readonly=True)
    organization = fields.Many2One('party.party', "Organization",
        ondelete='SET NULL', readonly=True)
    portal_user = fields.Many2One('web.user', "Portal User",
        ondelete='SET NULL', readonly=True)
    segment = fields.Selection(SEGMENTS, "Segment", required=True,
        readonly=True)
    state = fields.Selection(RESPONSE_STATES, "State", required=True,
        readonly=True)
    started = fields.DateTime("Started", readonly=True)
    submitted_date = fields.DateTime("Sent", readonly=True)
    last_page = fields.Integer("Last Page", readonly=True)
    nonce = fields.Char("Nonce", readonly=True, strip=False)
    answers = fields.One2Many('copp.survey.answer', 'response', "Answers",
        readonly=True)
    demands = fields.One2Many('copp.survey.demand', 'response',
        "Staffing Demand", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_constraints += [
            ('invitation_unique', Unique(t, t.invitation),
                'copp_survey.msg_response_invitation_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.survey, Index.Range()),
                    (t.state, Index.Equality(cardinality='low')),
                    (t.segment, Index.Equality(cardinality='low'))),
                Index(t, (t.organization, Index.Range())),
                })
        cls._order = [('submitted_date', 'DESC NULLS LAST'), ('id', 'DESC')]

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_segment(cls):
        return 'public'

    @classmethod
    def default_nonce(cls):
        return secrets.token_urlsafe(12)

    @classmethod
    def default_started(cls):
        return dt.datetime.now()

    def get_rec_name(self, name):
        who = self.organization.rec_name if self.organization else (
            f'№ {self.id}')
        return f'{self.survey.rec_name}: {who}'

    @property
    def token(self):
        from .tokens import response_token
        return response_token(self)

    @classmethod
    def start(cls, survey, invitation=None, organization=None,
            portal_user=None, segment=None):
        """The draft response of `invitation` (created when missing); raise
        SurveyError when it was already sent or the survey is closed"""
        survey.check_accepting()
        if invitation is not None:
            if invitation.submitted:
                raise SurveyError(gettext(
                        'copp_survey.msg_invitation_used'))
            existing = cls.search([('invitation', '=', invitation.id)],
                limit=1)
            if existing:
                if existing[0].state == 'submitted':
                    raise SurveyError(gettext(
                            'copp_survey.msg_invitation_used'))
                return existing[0]
        response = cls(survey=survey, invitation=invitation,
            organization=organization or (
                invitation.organization if invitation else None),
            portal_user=portal_user,
            segment=segment or (invitation.segment if invitation
                else 'public'),
            state='draft', started=dt.datetime.now(), last_page=1,
            nonce=secrets.token_urlsafe(12))
        response.save()
        return response

    def submit(self):
        """Send the response: the invitation is used; an anonymous survey
        forgets who answered"""
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        self.survey.check_accepting()
        if self.state == 'submitted':
            raise SurveyError(gettext('copp_survey.msg_invitation_used'))
        now = dt.datetime.now()
        invitation = self.invitation
        if invitation:
            Invitation.lock([invitation])
            if Invitation(invitation.id).submitted:
                raise SurveyError(gettext('copp_survey.msg_invitation_used'))
            Invitation.write([invitation], {
                    'submitted': True, 'submitted_date': now})
        self.state = 'submitted'
        if self.survey.anonymous:
            # Only the day is kept: the moment could tell who answered.
            self.submitted_date = dt.datetime.combine(now.date(), dt.time())
            self.invitation = None
            self.organization = None
            self.portal_user = None
        else:
            self.submitted_date = now
        self.save()


class Answer(ModelSQL, ModelView):
    "Survey Answer"
    __name__ = 'copp.survey.answer'
    __string__ = "Survey Answer"

    response = fields.Many2One('copp.survey.response', "Response",
        required=True, ondelete='CASCADE')
    question = fields.Many2One('copp.survey.question', "Question",
        required=True, ondelete='CASCADE')
    option = fields.Many2One('copp.survey.option', "Option",
        ondelete='CASCADE')
    row = fields.Many2One('copp.survey.row', "Row", ondelete='CASCADE')
    number = fields.Float("Number")
    text = fields.Text("Text")
    date = fields.Date("Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('response')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.question, Index.Range()),
                    (t.option, Index.Range())),
                Index(t, (t.response, Index.Range())),
                })


class Demand(ModelSQL, ModelView):
    "Staffing Demand Answer"
    __name__ = 'copp.survey.demand'
    __string__ = "Staffing Demand Answer"

    response = fields.Many2One('copp.survey.response', "Response",
        required=True, ondelete='CASCADE')
    question = fields.Many2One('copp.survey.question', "Question",
        required=True, ondelete='CASCADE')
    specialty = fields.Many2One('copp.specialty', "Profession or Specialty",
        ondelete='RESTRICT')
    profession = fields.Char("Other Profession",
        help="When it is not in the catalog of specialties.")
    qualification = fields.Selection(QUALIFICATIONS, "Qualification Level",
        required=True)
    need_next_year = fields.Integer("Next Year", required=True,
        domain=[('need_next_year', '>=', 0)])
    need_three_years = fields.Integer("Next Three Years", required=True,
        domain=[('need_three_years', '>=', Eval('need_next_year', 0))],
        help="In all over the three next years, the next one included.")
    salary = fields.Integer("Salary Offered",
        help="Monthly, in roubles, before tax.")
    conditions = fields.Char("Conditions",
        help="E.g. targeted training, housing, practice with employment.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('response')
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.response, Index.Range())),
                Index(t, (t.specialty, Index.Range())),
                })

    @classmethod
    def default_qualification(cls):
        return 'specialist'

    def get_rec_name(self, name):
        if self.specialty:
            return self.specialty.rec_name
        return self.profession or ''
