"""Surveys of the ЦОПП (their sections, questions, options and matrix rows
are in question.py).

A survey belongs to its owner (`company`, the ЦОПП as a rule) and follows
the two global rules of the suite; the ministry reads every survey. It is
answered through personal invitations (one answer per token), a public link,
or by employers on the partner portal on behalf of their organization.
Answers are rows of `copp.survey.answer` (one per chosen option, matrix row,
number, text or date) so that every distribution is one GROUP BY.
"""
import datetime as dt
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import SurveyError, SurveyValidationError

KINDS = [
    ('general', "General"),
    ('labor_market', "Labor Market (Staffing Demand)"),
    ('graduates', "Graduates"),
    ('event_satisfaction', "Event Satisfaction"),
    ]
AUDIENCES = [
    ('employers', "Employers"),
    ('graduates', "Graduates"),
    ('students', "Students"),
    ('parents', "Parents"),
    ('public', "The Public"),
    ]
SEGMENTS = [
    ('employer', "Employer"),
    ('graduate', "Graduate"),
    ('student', "Student"),
    ('schoolchild', "Schoolchild"),
    ('parent', "Parent"),
    ('public', "Other Citizen"),
    ]
STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('closed', "Closed"),
    ]
QUESTION_KINDS = [
    ('single', "Single Choice"),
    ('multiple', "Multiple Choice"),
    ('text', "Text"),
    ('number', "Number"),
    ('date', "Date"),
    ('scale', "Scale (1–10)"),
    ('matrix', "Matrix (Rows × Columns)"),
    ('demand', "Staffing Demand Table"),
    ]
CHOICE_KINDS = {'single', 'multiple'}
SCALE_MAX = 10
TEXT_MAX = 2000


class Survey(Workflow, ModelSQL, ModelView):
    "Survey"
    __name__ = 'copp.survey'
    __string__ = "Survey"

    _readonly = {'readonly': Eval('state') != 'draft'}

    name = fields.Char("Title", required=True)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_readonly)
    description = fields.Text("Introduction",
        help="Shown to the respondent before the first question.")
    thanks = fields.Text("Thank-you Message",
        help="Shown after the answer is sent.")
    company = fields.Many2One('company.company', "Owner", required=True,
        ondelete='RESTRICT', states=_readonly,
        help="The ЦОПП (or a college) that runs the survey.")
    audience = fields.Selection(AUDIENCES, "Audience", required=True,
        states=_readonly)
    anonymous = fields.Boolean("Anonymous", states=_readonly,
        help="The answers are not linked to the respondent: when an "
        "answer is sent, its invitation and organization are cut off.")
    public_link = fields.Boolean("Public Link",
        help="Anyone with the link may answer (without an invitation).")
    partner_portal = fields.Boolean("On the Partner Portal",
        help="Employers answer on the partner portal on behalf of their "
        "organization (one answer per organization).")
    open_date = fields.DateTime("Opens",
        help="Answers are accepted from this moment; empty: when opened.")
    close_date = fields.DateTime("Closes",
        domain=[If(Bool(Eval('close_date')) & Bool(Eval('open_date')),
                ('close_date', '>', Eval('open_date')), ())],
        help="Answers are refused after this moment.")
    reference_year = fields.Integer("Reference Year",
        states={
            'invisible': Eval('kind') != 'labor_market',
            'required': Eval('kind') == 'labor_market',
            },
        help="The year of the survey: the staffing demand is asked for the "
        "next year and the three next years.")
    population = fields.Integer("Employers in the Region",
        states={'invisible': Eval('kind') != 'labor_market'},
        domain=[If(Bool(Eval('population')), ('population', '>', 0), ())],
        help="When set, the demand of the respondents is scaled to this "
        "number of employers instead of the invitations' response rate.")
    sections = fields.One2Many('copp.survey.section', 'survey', "Sections",
        states=_readonly)
    questions = fields.One2Many('copp.survey.question', 'survey',
        "Questions", states=_readonly)
    invitations = fields.One2Many('copp.survey.invitation', 'survey',
        "Invitations")
    responses = fields.One2Many('copp.survey.response', 'survey',
        "Responses", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    public_key = fields.Char("Public Key", readonly=True, strip=False)
    results_nonce = fields.Char("Results Nonce", readonly=True, strip=False)
    public_url = fields.Function(fields.Char("Public Link URL"), 'get_urls')
    results_url = fields.Function(fields.Char("Results Page",
            help="The results page with charts. Anyone who has the link "
            "sees the results: give it only to those who may; «New "
            "Results Link» cancels the old one."), 'get_urls')
    invitation_count = fields.Function(fields.Integer("Invited"),
        'get_rates')
    invitation_submitted = fields.Function(fields.Integer("Invitations Answered"),
        'get_rates')
    response_rate = fields.Function(fields.Float("Response Rate",
            digits=(16, 4), help="Answered invitations / invitations."),
        'get_rates')
    submitted_count = fields.Function(fields.Integer("Answers"), 'get_rates')
    draft_count = fields.Function(fields.Integer("Started, Not Sent"),
        'get_rates')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('open_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.public_key, Index.Equality())),
                Index(t, (t.company, Index.Range())),
                })
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'closed'),
            ('closed', 'open'),
            ('open', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'open': {
                    'invisible': Eval('state') == 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'send_invitations': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                'remind': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                'new_results_link': {
                    'icon': 'tryton-refresh',
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'general'

    @classmethod
    def default_audience(cls):
        return 'public'

    @classmethod
    def default_anonymous(cls):
        return False

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_public_key(cls):
        return secrets.token_urlsafe(16)

    @classmethod
    def default_results_nonce(cls):
        return secrets.token_urlsafe(12)

    @classmethod
    def default_reference_year(cls):
        return dt.date.today().year

    @fields.depends('kind', 'audience', 'partner_portal')
    def on_change_kind(self):
        if self.kind == 'labor_market':
            self.audience = 'employers'
            self.partner_portal = True

    @classmethod
    def copy(cls, surveys, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('invitations', None)
        default.setdefault('responses', None)
        default.setdefault('state', 'draft')
        default.setdefault('public_key',
            lambda o: secrets.token_urlsafe(16))
        default.setdefault('results_nonce',
            lambda o: secrets.token_urlsafe(12))
        default.setdefault('questions', None)
        default.setdefault('sections', None)
        new_surveys = super().copy(surveys, default=default)
        for survey, new in zip(surveys, new_surveys):
            survey.copy_structure(new)
        return new_surveys

    def copy_structure(self, target):
        "Copy the sections and questions (with their conditions) to target"
        pool = Pool()
        Section = pool.get('copp.survey.section')
        Question = pool.get('copp.survey.question')
        sections = {}
        for section in self.sections:
            new, = Section.copy([section], default={'survey': target.id})
            sections[section.id] = new.id
        questions, options = {}, {}
        for question in self.questions:
            new, = Question.copy([question], default={
                    'survey': target.id,
                    'section': sections.get(
                        question.section.id if question.section else None),
                    'condition_question': None,
                    'condition_options': None,
                    })
            questions[question.id] = new
            for old_option, new_option in zip(question.options, new.options):
                options[old_option.id] = new_option.id
        to_write = []
        for question in self.questions:
            if question.condition_question:
                to_write.extend([[questions[question.id]], {
                            'condition_question': questions[
                                question.condition_question.id].id,
                            'condition_options': [('add', [
                                        options[o.id] for o in
                                        question.condition_options])],
                            }])
        if to_write:
            Question.write(*to_write)

    # Links ---------------------------------------------------------------
    @classmethod
    def get_urls(cls, surveys, names):
        from copp_portal.mail import portal_url

        from .tokens import results_key
        result = {n: {} for n in names}
        for survey in surveys:
            if 'public_url' in names:
                result['public_url'][survey.id] = (
                    portal_url(f'/survey/p/{survey.public_key}')
                    if survey.public_link and survey.public_key else None)
            if 'results_url' in names:
                result['results_url'][survey.id] = (portal_url(
                        f'/survey/results/{survey.id}/{results_key(survey)}')
                    if survey.id >= 0 and survey.results_nonce else None)
        return result

    @classmethod
    def get_rates(cls, surveys, names):
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        Response = pool.get('copp.survey.response')
        from sql.aggregate import Count
        invitation = Invitation.__table__()
        response = Response.__table__()
        cursor = Transaction().connection.cursor()
        ids = [s.id for s in surveys]
        counts = {i: [0, 0] for i in ids}
        cursor.execute(*invitation.select(invitation.survey,
                invitation.submitted, Count(invitation.id),
                where=invitation.survey.in_(ids or [-1]),
                group_by=[invitation.survey, invitation.submitted]))
        for survey_id, submitted, count in cursor:
            counts[survey_id][0] += count
            if submitted:
                counts[survey_id][1] += count
        states = {i: {'draft': 0, 'submitted': 0} for i in ids}
        cursor.execute(*response.select(response.survey, response.state,
                Count(response.id),
                where=response.survey.in_(ids or [-1]),
                group_by=[response.survey, response.state]))
        for survey_id, state, count in cursor:
            states[survey_id][state] = count
        result = {n: {} for n in names}
        for survey_id in ids:
            invited, answered = counts[survey_id]
            if 'invitation_count' in names:
                result['invitation_count'][survey_id] = invited
            if 'invitation_submitted' in names:
                result['invitation_submitted'][survey_id] = answered
            if 'response_rate' in names:
                result['response_rate'][survey_id] = (
                    answered / invited if invited else None)
            if 'submitted_count' in names:
                result['submitted_count'][survey_id] = (
                    states[survey_id]['submitted'])
            if 'draft_count' in names:
                result['draft_count'][survey_id] = states[survey_id]['draft']
        return result

    # Acceptance ----------------------------------------------------------
    def accepting(self, now=None):
        "Whether answers are accepted now"
        now = now or dt.datetime.now()
        if self.state != 'open':
            return False
        if self.open_date and now < self.open_date:
            return False
        if self.close_date and now > self.close_date:
            return False
        return True

    def check_accepting(self, now=None):
        if not self.accepting(now):
            raise SurveyError(gettext('copp_survey.msg_survey_closed',
                    survey=self.name))

    @property
    def pages(self):
        """The questions page by page: [(section or None, [questions])];
        questions without a section come first"""
        pages = []
        loose = [q for q in self.questions if not q.section]
        if loose:
            pages.append((None, loose))
        for section in self.sections:
            questions = [q for q in self.questions
                if q.section and q.section.id == section.id]
            if questions:
                pages.append((section, questions))
        return pages

    # Validation ----------------------------------------------------------
    @classmethod
    def validate(cls, surveys):
        super().validate(surveys)
        for survey in surveys:
            if survey.state != 'draft':
                survey.check_structure()

    def check_structure(self):
        if not self.questions:
            raise SurveyValidationError(gettext(
                    'copp_survey.msg_survey_no_question', survey=self.name))
        for question in self.questions:
            question.check_structure()

    # Workflow ------------------------------------------------------------
    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, surveys):
        pool = Pool()
        Response = pool.get('copp.survey.response')
        if Response.search([('survey', 'in', [s.id for s in surveys])],
                limit=1):
            raise SurveyError(gettext('copp_survey.msg_survey_has_answers'))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, surveys):
        for survey in surveys:
            survey.check_structure()
            if not survey.public_key:
                survey.public_key = secrets.token_urlsafe(16)
        cls.save(surveys)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, surveys):
        pass

    @classmethod
    @ModelView.button
    def send_invitations(cls, surveys):
        "E-mail the invitations not sent yet"
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        for survey in surveys:
            survey.check_accepting()
            Invitation.send(Invitation.search([
                        ('survey', '=', survey.id),
                        ('sent_date', '=', None),
                        ('email', '!=', None),
                        ]))

    @classmethod
    @ModelView.button
    def remind(cls, surveys):
        "E-mail a reminder to the invited who have not answered"
        pool = Pool()
        Invitation = pool.get('copp.survey.invitation')
        for survey in surveys:
            survey.check_accepting()
            Invitation.send(Invitation.search([
                        ('survey', '=', survey.id),
                        ('sent_date', '!=', None),
                        ('submitted', '=', False),
                        ('email', '!=', None),
                        ]), reminder=True)

    @classmethod
    @ModelView.button
    def new_results_link(cls, surveys):
        for survey in surveys:
            survey.results_nonce = secrets.token_urlsafe(12)
        cls.save(surveys)

    @classmethod
    def close_expired(cls):
        "Cron: close the open surveys whose closing date has passed"
        cls.close(cls.search([
                    ('state', '=', 'open'),
                    ('close_date', '!=', None),
                    ('close_date', '<', dt.datetime.now()),
                    ]))
