"""Applications to a programme (заявки на обучение): the person, the
education document, the scans, the consent, the seat wanted (free under a
federal project, free, paid by the learner or by the employer).

Stages: новая → документы проверены → договор / направление → зачислен
(by the enrolment order of the cohort); отказ (with the reason), отозвана.
Every move is a button (application_flow.py): checked, written in the
stage log and e-mailed to the applicant.

The applicant's data typed in the application stay on it (and are personal
data under field access and the access log); the person (party.party) is
linked when the documents are checked: found by СНИЛС with the same name
and birth date, else by name and birth date, else created."""
import datetime as dt
import re

from sql import Null
from sql.functions import Upper

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from copp.identifiers import snils as snils_validator
from copp.labels import SelectionLabelMixin, selection_label
from copp.party import GENDERS
from copp.personal_data import PersonalDataMixin
from copp_contingent.student import ID_DOCUMENT_KINDS
from copp_portal.outbox import MailOriginMixin

from .application_flow import ApplicationFlowMixin
from .exceptions import ApplicationValidationError

STATES = [
    ('new', "New"),
    ('checked', "Documents Checked"),
    ('agreement', "Contract / Referral"),
    ('enrolled', "Enrolled"),
    ('rejected', "Rejected"),
    ('withdrawn', "Withdrawn"),
    ]
ACTIVE_STATES = ('new', 'checked', 'agreement', 'enrolled')
FUNDINGS = [
    ('federal', "Free: Federal Project"),
    ('budget', "Free: Budget"),
    ('paid', "Paid by the Learner"),
    ('employer', "Paid by the Employer"),
    ]
PAID_FUNDINGS = {'paid', 'employer'}
EDUCATION_LEVELS = [
    (None, ""),
    ('higher', "Higher Education"),
    ('vocational', "Secondary Vocational Education"),
    ('student_higher', "Student of Higher Education"),
    ('student_vocational', "Student of Secondary Vocational Education"),
    ('secondary', "Secondary General Education"),
    ('basic', "Basic General Education"),
    ('none', "No Education Document (Schoolchild)"),
    ]
# Who may take a further professional programme (273-ФЗ, art. 76).
DPO_LEVELS = {'higher', 'vocational', 'student_higher',
    'student_vocational'}
# Categories of citizens of the federal project «Содействие занятости».
ELIGIBILITY = [
    (None, ""),
    ('unemployed', "Registered Unemployed"),
    ('job_seeker', "Job Seeker Registered with the Employment Service"),
    ('dismissal_risk', "Employee at Risk of Dismissal"),
    ('parental_leave', "On Parental Leave"),
    ('preschool_parent', "Not Working Parent of a Preschool Child"),
    ('over_50', "Aged 50 and Over"),
    ('pre_retirement', "Pre-retirement Age"),
    ('youth', "Young Person under 35 (Unemployed or Job Seeker)"),
    ('veteran', "Participant of the Special Military Operation or "
        "Family Member"),
    ]
SOURCES = [
    ('office', "Back Office"),
    ('portal', "Portal"),
    ('employer', "Employer's Application"),
    ]
# The text of the consent is versioned: the version agreed to is stored.
CONSENT_VERSION = '2026-1'


def normalize_snils(value):
    "«112-233-445 95» of any spelling, or the value as typed"
    digits = re.sub(r'\D', '', value or '')
    if len(digits) == 11:
        return snils_validator.format(digits)
    return (value or '').strip() or None


class Application(ApplicationFlowMixin, SelectionLabelMixin,
        MailOriginMixin, PersonalDataMixin, Workflow, ModelSQL, ModelView):
    "Application for Training"
    __name__ = 'copp.training.application'
    __string__ = "Application for Training"
    _rec_name = 'number'
    _personal_data_fields = {'rec_name', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'snils', 'email', 'phone', 'address',
        'id_document_kind', 'id_document_series', 'id_document_number',
        'id_document_issuer', 'id_document_date',
        'education_document_series', 'education_document_number',
        'education_document_surname', 'workplace', 'full_name'}

    _new = {'readonly': ~Eval('state').in_(['new'])}
    _open = {'readonly': ~Eval('state').in_(['new', 'checked'])}

    number = fields.Char("Number", readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    source = fields.Selection(SOURCES, "Source", required=True,
        readonly=True)
    company = fields.Many2One('company.company', "Organization",
        required=True, ondelete='RESTRICT', states=_new)
    program = fields.Many2One('copp.program', "Programme", required=True,
        ondelete='RESTRICT', states=_new,
        domain=[('company', '=', Eval('company', -1))])
    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        ondelete='RESTRICT', states=_open,
        domain=[('program', '=', Eval('program', -1))],
        help="The cohort wanted; required from «договор / направление».")
    party = fields.Many2One('party.party', "Person", readonly=True,
        ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        help="Linked when the documents are checked.")
    last_name = fields.Char("Last Name", required=True, states=_new)
    first_name = fields.Char("First Name", required=True, states=_new)
    patronymic = fields.Char("Patronymic", states=_new)
    full_name = fields.Function(fields.Char("Full Name"), 'get_full_name',
        searcher='search_full_name')
    birth_date = fields.Date("Birth Date", required=True, states=_new)
    gender = fields.Selection([(None, "")] + GENDERS, "Gender", states=_new)
    snils = fields.Char("SNILS", states=_new, help="Format 000-000-000 00.")
    citizenship = fields.Char("Citizenship", size=3, states=_new,
        help="Numeric code of the country by ОКСМ (643 — Russia).")
    email = fields.Char("E-mail", states=_open)
    phone = fields.Char("Phone", states=_open)
    address = fields.Text("Registration Address", states=_open)
    id_document_kind = fields.Selection(ID_DOCUMENT_KINDS,
        "Identity Document", states=_open)
    id_document_series = fields.Char("Series", states=_open)
    id_document_number = fields.Char("Number of the Document",
        states=_open)
    id_document_issuer = fields.Char("Issued By", states=_open)
    id_document_date = fields.Date("Issue Date", states=_open)
    education_level = fields.Selection(EDUCATION_LEVELS, "Education",
        states=_open)
    education_document_series = fields.Char("Diploma Series", states=_open)
    education_document_number = fields.Char("Diploma Number", states=_open)
    education_document_surname = fields.Char("Surname in the Diploma",
        states=_open,
        help="When it differs from the last name, attach the "
        "certificate of the change of name.")
    education_document_year = fields.Integer("Diploma Year", states=_open)
    workplace = fields.Char("Workplace and Position", states=_open)
    funding = fields.Selection(FUNDINGS, "Seat", required=True,
        states=_open)
    funding_label = selection_label("Seat")
    employer = fields.Many2One('copp.employer', "Employer",
        ondelete='RESTRICT', states={
            'readonly': ~Eval('state').in_(['new', 'checked']),
            'required': Eval('funding') == 'employer',
            })
    eligibility = fields.Selection(ELIGIBILITY,
        "Federal Project Category", states={
            'readonly': ~Eval('state').in_(['new', 'checked']),
            'invisible': Eval('funding') != 'federal',
            'required': Eval('funding') == 'federal',
            },
        help="Who the federal project trains free of charge.")
    eligibility_confirmed = fields.Boolean("Category Confirmed", states={
            'readonly': ~Eval('state').in_(['new', 'checked']),
            'invisible': Eval('funding') != 'federal',
            },
        help="The document confirming the category was seen.")
    eligibility_employed = fields.Boolean("Employed Now", states={
            'readonly': ~Eval('state').in_(['new', 'checked']),
            'invisible': Eval('funding') != 'federal',
            })
    referral = fields.Char("Referral", states={
            'readonly': ~Eval('state').in_(['new', 'checked', 'agreement']),
            'invisible': Eval('funding') != 'federal',
            },
        help="Number and date of the referral of the employment service.")
    consent = fields.Boolean("Consent to Personal Data Processing",
        states=_new)
    consent_version = fields.Char("Consent Version", readonly=True)
    consent_date = fields.DateTime("Consent Given", readonly=True)
    scans = fields.One2Many('ir.attachment', 'resource', "Scans",
        states={'readonly': ~Eval('state').in_(['new', 'checked'])},
        help="Passport, diploma, СНИЛС, change of name: PDF, JPEG or PNG.")
    duplicates = fields.Function(fields.Many2Many(
            'copp.training.application', None, None, "Possible Duplicates",
            help="Other applications of the same СНИЛС or person."),
        'get_duplicates')
    state = fields.Selection(STATES, "Stage", required=True, readonly=True,
        sort=False)
    state_label = selection_label("Stage")
    reject_reason = fields.Text("Reason for Rejection", states={
            'invisible': ~Eval('state').in_(['new', 'checked', 'agreement',
                    'rejected']),
            'readonly': Eval('state') == 'rejected',
            })
    withdraw_reason = fields.Char("Reason for Withdrawal", states={
            'invisible': ~Eval('state').in_(['new', 'checked', 'agreement',
                    'withdrawn']),
            'readonly': Eval('state') == 'withdrawn',
            })
    student = fields.Many2One('copp.student', "Learner's File",
        readonly=True, ondelete='RESTRICT')
    contract = fields.Many2One('copp.contract', "Contract", readonly=True,
        ondelete='RESTRICT')
    order = fields.Many2One('copp.training.cohort.order', "Enrolment Order",
        readonly=True, ondelete='SET NULL')
    learner = fields.Many2One('copp.training.learner', "Learner",
        readonly=True, ondelete='SET NULL')
    stage_logs = fields.One2Many('copp.training.application.log',
        'application', "Stage History", readonly=True)
    note = fields.Text("Note")
    count = fields.Function(fields.Integer("Count",
            help="1 for every application: graphs sum it."), 'get_count')

    del _new, _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.cohort, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.program, Index.Range())),
                Index(t, (t.snils, Index.Equality())),
                Index(t, (t.party, Index.Range())),
                })
        cls._setup_flow()

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'new'

    @classmethod
    def default_source(cls):
        return 'office'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_funding(cls):
        return 'budget'

    @classmethod
    def default_citizenship(cls):
        return '643'

    @classmethod
    def default_id_document_kind(cls):
        return 'passport_ru'

    @classmethod
    def default_consent(cls):
        return False

    @fields.depends('program', 'company', 'funding', 'cohort')
    def on_change_program(self):
        if self.program:
            self.company = self.program.company
            if self.funding in {None, 'budget'} and not self.program.free:
                self.funding = 'paid'
            elif self.program.free and self.funding in PAID_FUNDINGS:
                self.funding = 'budget'
            if self.cohort and self.cohort.program != self.program:
                self.cohort = None

    def get_count(self, name):
        return 1

    def get_full_name(self, name):
        return ' '.join(p for p in [self.last_name, self.first_name,
                self.patronymic] if p)

    @classmethod
    def search_full_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('last_name', operator, operand, *extra),
            ('first_name', operator, operand, *extra),
            ]

    def get_rec_name(self, name):
        return gettext('copp_training.msg_application_rec_name',
            number=self.number or '', name=self.full_name or '')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('last_name', operator, operand, *extra),
            ]

    @classmethod
    def get_duplicates(cls, applications, name):
        """The other applications with the same СНИЛС, the same person or
        the same name and birth date: one query for all"""
        table, other = cls.__table__(), cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {a.id: [] for a in applications}
        ids = list(result)
        same = (((table.snils != Null) & (other.snils == table.snils))
            | ((table.party != Null) & (other.party == table.party))
            | ((Upper(other.last_name) == Upper(table.last_name))
                & (Upper(other.first_name) == Upper(table.first_name))
                & (other.birth_date == table.birth_date)))
        for start in range(0, len(ids), 1000):
            cursor.execute(*table.join(other,
                    condition=(other.id != table.id) & same).select(
                    table.id, other.id,
                    where=table.id.in_(ids[start:start + 1000])
                    & other.state.in_(list(ACTIVE_STATES)),
                    order_by=[other.id]))
            for id_, other_id in cursor:
                result[id_].append(other_id)
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        values = super().preprocess_values(mode, values)
        if 'snils' in values:
            values['snils'] = normalize_snils(values['snils'])
        for name in ['last_name', 'first_name', 'patronymic',
                'education_document_surname', 'email']:
            if values.get(name):
                values[name] = ' '.join(values[name].split())
        if mode == 'create':
            if not values.get('number'):
                values['number'] = Sequence(ModelData.get_id(
                        'copp_training', 'sequence_application')).get()
        if values.get('consent') and not values.get('consent_version'):
            values['consent_version'] = CONSENT_VERSION
            values['consent_date'] = dt.datetime.now()
        return values

    @classmethod
    def validate_fields(cls, applications, field_names):
        super().validate_fields(applications, field_names)
        for application in applications:
            if application.snils and not snils_validator.is_valid(
                    application.snils):
                raise ApplicationValidationError(gettext(
                        'copp_training.msg_application_snils',
                        application=application.rec_name,
                        snils=application.snils))
            if application.program and (
                    application.program.company != application.company):
                raise ApplicationValidationError(gettext(
                        'copp_training.msg_application_company',
                        application=application.rec_name))
            if application.cohort and (
                    application.cohort.program != application.program):
                raise ApplicationValidationError(gettext(
                        'copp_training.msg_application_cohort_program',
                        application=application.rec_name,
                        cohort=application.cohort.rec_name))
            if (application.program and application.program.free
                    and application.funding in PAID_FUNDINGS):
                raise ApplicationValidationError(gettext(
                        'copp_training.msg_application_free_program',
                        application=application.rec_name))
            if (application.program and not application.program.free
                    and application.funding == 'budget'):
                raise ApplicationValidationError(gettext(
                        'copp_training.msg_application_paid_program',
                        application=application.rec_name))

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default else {}
        for name in ['number', 'party', 'student', 'contract', 'order',
                'learner', 'stage_logs', 'scans', 'consent_version',
                'consent_date', 'reject_reason', 'withdraw_reason']:
            default.setdefault(name, None)
        default.setdefault('state', 'new')
        default.setdefault('consent', False)
        return super().copy(applications, default=default)
