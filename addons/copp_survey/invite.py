"""Inviting respondents to a survey from the back office: the employers
of the register (all, or of a district or an industry) or a pasted list of
e-mail addresses."""
import re

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from copp_portal.user import valid_email

from .exceptions import SurveyValidationError
from .survey import SEGMENTS


class InviteStart(ModelView):
    "Invite to a Survey"
    __name__ = 'copp.survey.invite.start'
    __string__ = "Invite to a Survey"

    survey = fields.Many2One('copp.survey', "Survey", required=True,
        domain=[('state', '!=', 'closed')])
    source = fields.Selection([
            ('employers', "Employers of the Register"),
            ('emails', "List of E-mail Addresses"),
            ], "Whom", required=True)
    district = fields.Selection('get_districts', "District",
        states={'invisible': Eval('source') != 'employers'})
    industry = fields.Selection('get_industries', "Industry",
        states={'invisible': Eval('source') != 'employers'})
    emails = fields.Text("E-mail Addresses",
        states={
            'invisible': Eval('source') != 'emails',
            'required': Eval('source') == 'emails',
            },
        help="One per line: «address» or «address; name».")
    segment = fields.Selection(SEGMENTS, "Segment", required=True,
        states={'invisible': Eval('source') != 'emails'})
    send = fields.Boolean("Send Now",
        help="E-mail the invitations at once (the survey must be open).")

    @classmethod
    def get_districts(cls):
        Employer = Pool().get('copp.employer')
        selection = Employer.fields_get(['district'])['district']['selection']
        return [(None, "")] + [tuple(s) for s in selection if s[0]]

    @classmethod
    def get_industries(cls):
        Employer = Pool().get('copp.employer')
        selection = Employer.fields_get(['industry'])['industry']['selection']
        return [(None, "")] + [tuple(s) for s in selection if s[0]]

    @classmethod
    def default_survey(cls):
        context = Transaction().context
        if context.get('active_model') == 'copp.survey':
            return context.get('active_id')

    @classmethod
    def default_source(cls):
        return 'employers'

    @classmethod
    def default_segment(cls):
        return 'graduate'

    @classmethod
    def default_send(cls):
        return True


class InviteResult(ModelView):
    "Invite to a Survey"
    __name__ = 'copp.survey.invite.result'
    __string__ = "Invitations Created"

    created = fields.Integer("Invitations Created", readonly=True)
    skipped = fields.Integer("Already Invited or Without E-mail",
        readonly=True)


class Invite(Wizard):
    "Invite to a Survey"
    __name__ = 'copp.survey.invite'

    start = StateView('copp.survey.invite.start',
        'copp_survey.invite_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Invite", 'invite', 'tryton-ok', default=True),
            ])
    invite = StateTransition()
    result = StateView('copp.survey.invite.result',
        'copp_survey.invite_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_invite(self):
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        Employer = pool.get('copp.employer')
        start = self.start
        survey = start.survey
        existing = Invitation.search([('survey', '=', survey.id)])
        emails = {i.email for i in existing if i.email}
        organizations = {i.organization.id for i in existing
            if i.organization}
        values, skipped = [], 0
        if start.source == 'employers':
            domain = []
            if start.district:
                domain.append(('district', '=', start.district))
            if start.industry:
                domain.append(('industry', '=', start.industry))
            for employer in Employer.search(domain):
                email = (employer.email or '').strip().lower()
                if (not valid_email(email) or email in emails
                        or employer.party.id in organizations):
                    skipped += 1
                    continue
                emails.add(email)
                organizations.add(employer.party.id)
                values.append({'survey': survey.id, 'email': email,
                        'name': employer.rec_name, 'employer': employer.id,
                        'organization': employer.party.id,
                        'segment': 'employer'})
        else:
            for number, line in enumerate(
                    (start.emails or '').splitlines(), 1):
                if not line.strip():
                    continue
                email, _, name = [p.strip() for p in re.split(
                            r'[;\t]', line, maxsplit=1) + ['', '']][:3]
                email = email.lower()
                if not valid_email(email):
                    raise SurveyValidationError(gettext(
                            'copp_survey.msg_invite_line', line=number,
                            text=line[:80]))
                if email in emails:
                    skipped += 1
                    continue
                emails.add(email)
                values.append({'survey': survey.id, 'email': email,
                        'name': name or None, 'segment': start.segment})
        invitations = Invitation.create(values)
        if start.send and invitations:
            survey.check_accepting()
            Invitation.send(invitations)
        self.result.created = len(invitations)
        self.result.skipped = skipped
        return 'result'

    def default_result(self, fields):
        return {'created': self.result.created,
            'skipped': self.result.skipped}
