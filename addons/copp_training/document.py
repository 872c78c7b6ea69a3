"""Documents of the cohorts' learners: удостоверение о повышении
квалификации, диплом о профессиональной переподготовке, свидетельство о
профессии рабочего, должности служащего, and the справка об обучении of
those who left. Drafted by the completion and expulsion orders with a
snapshot of what the document states; «Выдать» numbers it in the
organization's book of the year (no gaps) and gives it the key of its
verification page (the QR code printed on it); an issued document is
read-only and may only be cancelled (аннулирован). Status, state, search
and copy are those of every document on education
(copp.education_document)."""
import secrets

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import without_check_access

from copp.education_document import EducationDocumentMixin
from copp.labels import SelectionLabelMixin, selection_label
from copp.party import GENDERS
from copp.personal_data import PersonalDataMixin
from copp.workflow import state_button

from .application import EDUCATION_LEVELS, FUNDINGS
from .exceptions import DocumentError
from .program import DOCUMENT_KINDS, VOCATIONAL_KINDS

KINDS = [k for k in DOCUMENT_KINDS if k[0] != 'none'] + [
    ('study_certificate', "Certificate of Study"),
    ]
# What the document states, copied from the learner, the application and
# the programme when it is drafted and again when it is issued.
SNAPSHOT = ['last_name', 'first_name', 'patronymic', 'birth_date', 'gender',
    'snils', 'citizenship', 'program_name', 'program_kind',
    'vocational_kind', 'hours', 'start_date', 'end_date', 'qualification',
    'rank', 'activity_field', 'education_level', 'education_surname',
    'education_series', 'education_number', 'funding', 'study_form',
    'final_grade']
# What may change on an issued document.
ISSUED_FIELDS = {'state', 'frdo_date', 'cancel_reason', 'cancel_date'}


class Document(EducationDocumentMixin, SelectionLabelMixin,
        PersonalDataMixin, Workflow, ModelSQL, ModelView):
    "Training Document"
    __name__ = 'copp.training.document'
    __string__ = "Training Document"
    _rec_name = 'registration_number'
    _copy_reset = ['registration_number', 'verify_key', 'issue_date',
        'frdo_date', 'cancel_reason', 'cancel_date', 'number']
    _delete_message = 'copp_training.msg_document_delete'
    _error = DocumentError
    _personal_data_fields = {'rec_name', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'snils', 'education_surname',
        'education_series', 'education_number'}

    _draft = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "Organization",
        required=True, readonly=True, ondelete='RESTRICT')
    learner = fields.Many2One('copp.training.learner', "Learner",
        required=True, readonly=True, ondelete='RESTRICT')
    cohort = fields.Many2One('copp.training.cohort', "Cohort", required=True,
        readonly=True, ondelete='RESTRICT')
    program = fields.Many2One('copp.program', "Programme", required=True,
        readonly=True, ondelete='RESTRICT')
    order = fields.Many2One('copp.training.cohort.order', "Order",
        readonly=True, ondelete='RESTRICT')
    kind = fields.Selection(KINDS, "Kind", required=True, states=_draft)
    kind_label = selection_label("Kind")
    original = fields.Many2One('copp.training.document', "Original",
        ondelete='RESTRICT', states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('status') != 'duplicate',
            'required': Eval('status') == 'duplicate',
            },
        domain=[('learner', '=', Eval('learner', -1)),
            ('state', '!=', 'draft')])
    series = fields.Char("Series", states=_draft,
        help="Of the blank; empty when it has none.")
    number = fields.Char("Number", states=_draft,
        help="Of the blank; the registration number when empty.")
    registration_number = fields.Char("Registration Number", readonly=True)
    issue_date = fields.Date("Issue Date", states=_draft)
    verify_key = fields.Char("Verification Key", readonly=True, strip=False)
    cancel_reason = fields.Char("Reason for Cancellation", states={
            'invisible': ~Eval('state').in_(['issued', 'cancelled']),
            'readonly': Eval('state') != 'issued',
            })
    cancel_date = fields.Date("Cancelled On", readonly=True)
    frdo_date = fields.Date("Sent to FIS FRDO", readonly=True)

    last_name = fields.Char("Last Name", states=_draft)
    first_name = fields.Char("First Name", states=_draft)
    patronymic = fields.Char("Patronymic", states=_draft)
    birth_date = fields.Date("Birth Date", states=_draft)
    gender = fields.Selection([(None, "")] + GENDERS, "Gender",
        states=_draft)
    snils = fields.Char("SNILS", states=_draft)
    citizenship = fields.Char("Citizenship", size=3, states=_draft)
    program_name = fields.Char("Programme Name", states=_draft)
    program_kind = fields.Char("Programme Kind", readonly=True)
    vocational_kind = fields.Selection(VOCATIONAL_KINDS,
        "Vocational Training Kind", readonly=True)
    hours = fields.Integer("Hours", states=_draft)
    start_date = fields.Date("Start Date", states=_draft)
    end_date = fields.Date("End Date", states=_draft)
    qualification = fields.Char("Qualification", states=_draft)
    rank = fields.Char("Qualification Rank", states=_draft)
    activity_field = fields.Char("Field of Professional Activity",
        states=_draft)
    education_level = fields.Selection(EDUCATION_LEVELS, "Education",
        states=_draft)
    education_surname = fields.Char("Surname in the Diploma", states=_draft)
    education_series = fields.Char("Diploma Series", states=_draft)
    education_number = fields.Char("Diploma Number", states=_draft)
    funding = fields.Selection([(None, "")] + FUNDINGS, "Seat",
        readonly=True)
    study_form = fields.Char("Form of Study", readonly=True)
    final_grade = fields.Char("Final Attestation", readonly=True)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('issue_date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._sql_constraints += [
            ('registration_unique',
                Unique(t, t.company, t.registration_number),
                'copp_training.msg_document_registration_unique'),
            ('verify_key_unique', Unique(t, t.verify_key),
                'copp_training.msg_document_key_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.learner, Index.Range())),
                Index(t, (t.company, Index.Range()),
                    (t.issue_date, Index.Range())),
                Index(t, (t.verify_key, Index.Equality())),
                })
        cls._buttons.update({
                'refresh': state_button('tryton-refresh', shown_in=['draft']),
                'cancel': state_button('tryton-cancel', shown_in=['issued']),
                })

    def get_rec_name(self, name):
        kind = self.kind_label or ''
        number = self.registration_number or gettext(
            'copp_training.msg_document_unnumbered')
        return f'{kind} {number}'

    # Snapshot ---------------------------------------------------------------

    @classmethod
    def snapshot(cls, learner):
        "The values the document states, from the learner's records"
        party = learner.party
        application = learner.application
        program = learner.cohort.program
        cohort = learner.cohort
        grade = dict(learner.fields_get(['final_grade'])['final_grade'][
                'selection']).get(learner.final_grade) or None
        return {
            'last_name': party.last_name,
            'first_name': party.first_name,
            'patronymic': party.patronymic,
            'birth_date': party.birth_date,
            'gender': party.gender,
            'snils': party.snils,
            'citizenship': (application.citizenship if application
                else '643'),
            'program_name': program.name,
            'program_kind': program.kind,
            'vocational_kind': program.vocational_kind,
            'hours': program.hours,
            'start_date': cohort.start_date,
            'end_date': cohort.end_date,
            'qualification': program.qualification,
            'rank': program.rank,
            'activity_field': program.activity_field,
            'education_level': (application.education_level
                if application else None),
            'education_surname': (application.education_document_surname
                or application.last_name) if application else None,
            'education_series': (application.education_document_series
                if application else None),
            'education_number': (application.education_document_number
                if application else None),
            'funding': learner.funding,
            'study_form': program.format,
            'final_grade': grade,
            }

    @classmethod
    def draft_for(cls, learners, order, kind=None):
        "Draft the documents of the learners (the programme's kind)"
        values = []
        for learner in learners:
            program = learner.cohort.program
            doc_kind = kind or program.document_kind
            if doc_kind == 'none':
                continue
            values.append(dict(cls.snapshot(learner),
                    company=learner.company.id, learner=learner.id,
                    cohort=learner.cohort.id, program=program.id,
                    order=order.id if order else None, kind=doc_kind))
        with without_check_access():
            return cls.create(values)

    # Workflow ---------------------------------------------------------------

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if mode == 'write':
            changed = set(values or {}) - ISSUED_FIELDS
            for document in documents:
                if document.state != 'draft' and changed:
                    raise DocumentError(gettext(
                            'copp_training.msg_document_issued',
                            document=document.rec_name))

    @classmethod
    @ModelView.button
    def refresh(cls, documents):
        "Copy again what the document states from the learner's records"
        for document in documents:
            if document.state == 'draft':
                cls.write([document], cls.snapshot(document.learner))

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def issue(cls, documents):
        pool = Pool()
        Numbering = pool.get('copp.training.numbering')
        Date = pool.get('ir.date')
        today = Date.today()
        for document in documents:
            for field in ['last_name', 'first_name', 'birth_date',
                    'program_name']:
                if not getattr(document, field):
                    label = cls.fields_get([field])[field]['string']
                    raise DocumentError(gettext(
                            'copp_training.msg_document_field_required',
                            document=document.rec_name, field=label))
            if document.kind != 'study_certificate' and (
                    document.learner.state != 'completed'):
                raise DocumentError(gettext(
                        'copp_training.msg_document_not_completed',
                        document=document.rec_name,
                        learner=document.learner.rec_name))
        for document in sorted(documents,
                key=lambda d: (d.issue_date or today, d.id)):
            date = document.issue_date or today
            number, = Numbering.take(document.company, 'document', date)
            cls.write([document], {
                    'issue_date': date,
                    'registration_number': number,
                    'number': document.number or number.rsplit('-', 1)[-1],
                    'verify_key': secrets.token_urlsafe(18),
                    })

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, documents):
        pool = Pool()
        Date = pool.get('ir.date')
        for document in documents:
            if not (document.cancel_reason or '').strip():
                raise DocumentError(gettext(
                        'copp_training.msg_document_cancel_reason',
                        document=document.rec_name))
        cls.write(documents, {'cancel_date': Date.today()})

    # Verification -----------------------------------------------------------

    @property
    def verify_path(self):
        return f'/verify/{self.verify_key}' if self.verify_key else None

    def verify_url(self):
        from copp_portal import mail
        if not self.verify_key:
            return None
        return mail.portal_url(self.verify_path)

    def qr_png(self):
        "The QR code of the verification page (PNG bytes)"
        import io
        import segno
        url = self.verify_url()
        if not url:
            return None
        output = io.BytesIO()
        segno.make(url, error='m').save(output, kind='png', scale=6,
            border=2)
        return output.getvalue()


def holder_initials(document):
    "«И. И. С.»: the letters of the holder's last, first and second names"
    parts = [document.last_name, document.first_name, document.patronymic]
    return ' '.join(f'{p.strip()[0].upper()}.' for p in parts
        if p and p.strip())


def verification(document):
    """What the public verification page shows: validity, kind, number,
    date, the holder's initials; nothing else"""
    return {
        'valid': document.state == 'issued',
        'cancelled': document.state == 'cancelled',
        'kind': document.kind_label,
        'registration_number': document.registration_number,
        'number': ' '.join(p for p in [document.series, document.number]
            if p),
        'issue_date': document.issue_date,
        'initials': holder_initials(document),
        'organization': (document.company.short_name
            or document.company.rec_name),
        }
