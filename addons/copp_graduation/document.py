"""Documents on education: the diploma of СПО and the «справка об
обучении», with their supplement (document_line.py), honours (honours.py)
and the blank they are printed on (blank.py).

A document is drafted from the student (the recipient's name and the data
of the studies are copied: the document keeps them as issued), issued on
a blank (series and number from the blank, registration number from the
book of issued documents of the college and year) and cancelled if need be.
A duplicate keeps the link to its original. Status, state, search and
copy are those of every document on education (copp.education_document).
"""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If, PYSONEncoder
from trytond.transaction import Transaction

from copp.education_document import EducationDocumentMixin
from copp.history import HistoryMixin
from copp.party import GENDERS
from copp.personal_data import PersonalDataMixin
from copp.specialty import STUDY_FORMS
from copp.workflow import state_button
from copp_contingent.student import FUNDINGS

from .exceptions import DocumentError
from .honours import compute_honours
from .supplement import supplement_lines

DOCUMENT_KINDS = [
    ('diploma', "Diploma of Secondary Vocational Education"),
    ('certificate', "Certificate of Study"),
    ]
DUPLICATE_REASONS = [
    (None, ""),
    ('lost', "Original Lost"),
    ('damaged', "Original Damaged"),
    ('name_change', "Change of Name"),
    ]


class Document(EducationDocumentMixin, HistoryMixin, PersonalDataMixin,
        Workflow, ModelSQL, ModelView):
    "Document on Education"
    __name__ = 'copp.graduation.document'
    __string__ = "Document on Education"
    _rec_name = 'registration_number'
    _copy_reset = ['blank', 'series', 'number', 'registration_number',
        'issue_date', 'frdo_date']
    _delete_message = 'copp_graduation.msg_document_delete'
    _error = DocumentError
    _personal_data_fields = {'snils'}

    _draft = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', states=_draft)
    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT', states=_draft,
        domain=[('company', '=', Eval('company', -1))])
    group = fields.Many2One('copp.study.group', "Group", ondelete='RESTRICT',
        states=_draft, domain=[('company', '=', Eval('company', -1))])
    kind = fields.Selection(DOCUMENT_KINDS, "Kind", required=True,
        states=_draft)
    kind_string = kind.translated('kind')
    original = fields.Many2One('copp.graduation.document', "Original",
        ondelete='RESTRICT', domain=[('company', '=', Eval('company', -1))],
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('status') == 'duplicate',
            'invisible': Eval('status') != 'duplicate',
            })
    duplicate_reason = fields.Selection(DUPLICATE_REASONS, "Reason",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('status') != 'duplicate',
            })
    duplicates = fields.One2Many('copp.graduation.document', 'original',
        "Duplicates", readonly=True)
    loss_confirmed = fields.Boolean("Loss Confirmed", states=_draft)
    exchange_confirmed = fields.Boolean("Exchange Confirmed", states=_draft)
    destruction_confirmed = fields.Boolean("Destruction Confirmed",
        states=_draft)
    blank = fields.Many2One('copp.graduation.blank', "Blank",
        ondelete='RESTRICT', states=_draft,
        domain=[('company', '=', Eval('company', -1)),
            If(Eval('state') == 'draft', ('state', '=', 'available'), ())],
        help="Left empty, issuing takes the next available blank.")
    series = fields.Char("Series", readonly=True)
    number = fields.Char("Number", readonly=True)
    registration_number = fields.Char("Registration Number", readonly=True,
        help="From the book of issued documents of the college and year.")
    issue_date = fields.Date("Issue Date", states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('state') == 'issued',
            })
    specialty = fields.Many2One('copp.specialty', "Specialty",
        ondelete='RESTRICT', states=_draft)
    qualification = fields.Char("Qualification", states=_draft)
    program_name = fields.Char("Educational Program", states=_draft)
    admission_year = fields.Integer("Year of Admission", states=_draft)
    graduation_year = fields.Integer("Year of Graduation", states=_draft)
    duration_years = fields.Numeric("Duration, Years", digits=(4, 2),
        states=_draft)
    study_form = fields.Selection(STUDY_FORMS, "Form of Study", states=_draft)
    form_at_end = fields.Selection([(None, "")] + STUDY_FORMS,
        "Form of Study at the End", states=_draft)
    funding = fields.Selection([(None, "")] + FUNDINGS, "Funding",
        states=_draft)
    last_name = fields.Char("Last Name", required=True, states=_draft)
    first_name = fields.Char("First Name", required=True, states=_draft)
    patronymic = fields.Char("Patronymic", states=_draft)
    birth_date = fields.Date("Birth Date", states=_draft)
    gender = fields.Selection(GENDERS, "Gender", states=_draft)
    snils = fields.Char("SNILS", states=_draft,
        help="Format 000-000-000 00.")
    citizenship = fields.Char("Citizenship", size=3, states=_draft,
        help="Numeric code of the country by ОКСМ (643 — Russia).")
    targeted = fields.Boolean("Targeted Training Contract", states=_draft)
    _targeted = {'invisible': ~Eval('targeted'),
        'readonly': Eval('state') != 'draft'}
    targeted_number = fields.Char("Contract Number", states=_targeted)
    targeted_date = fields.Date("Contract Date", states=_targeted)
    targeted_org = fields.Char("Customer of the Training", states=_targeted)
    targeted_ogrn = fields.Char("Customer's OGRN", states=_targeted)
    targeted_kpp = fields.Char("Customer's KPP", states=_targeted)
    employer_name = fields.Char("Employer", states=_targeted)
    employer_ogrn = fields.Char("Employer's OGRN", states=_targeted)
    employer_kpp = fields.Char("Employer's KPP", states=_targeted)
    employer_region = fields.Char("Employer's Region", states=_targeted)
    del _targeted
    attestation_grade = fields.Selection([
            (None, ""), ('5', "5 (Excellent)"), ('4', "4 (Good)"),
            ('3', "3 (Satisfactory)"), ('2', "2 (Unsatisfactory)"),
            ], "Final Attestation Grade", states=_draft)
    lines = fields.One2Many('copp.graduation.document.line', 'document',
        "Supplement", states=_draft)
    honours = fields.Boolean("With Honours", readonly=True)
    honours_share = fields.Numeric("«Excellent», %", digits=(5, 1),
        readonly=True)
    honours_reason = fields.Text("Honours: Reason", readonly=True)
    frdo_date = fields.Date("Sent to FRDO", readonly=True,
        help="The date of the ФИС ФРДО file that included the document.")

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        # drafts first, by name (the class list); then the latest issued
        cls._order = [('issue_date', 'DESC NULLS FIRST'),
            ('registration_number', 'DESC NULLS FIRST'),
            ('last_name', 'ASC'), ('first_name', 'ASC'),
            ('patronymic', 'ASC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.issue_date, Index.Range())),
                Index(t, (t.student, Index.Range())),
                Index(t, (t.original, Index.Range())),
                Index(t, (t.frdo_date, Index.Range())),
                })
        cls._transitions |= {('draft', 'cancelled')}
        cls._buttons.update({
                'compute': state_button('tryton-refresh', shown_in=['draft']),
                'cancel': state_button('tryton-cancel',
                    hidden_in=['cancelled']),
                'duplicate': {
                    'invisible': (Eval('state') != 'issued')
                    | Bool(Eval('duplicates', [])),
                    'icon': 'tryton-copy',
                    'depends': ['state', 'duplicates'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'diploma'

    @classmethod
    def default_citizenship(cls):
        return '643'

    def get_rec_name(self, name):
        kind = self.kind_string or ''
        number = ' '.join(filter(None, [self.series, self.number]))
        person = ' '.join(filter(None, [self.last_name, self.first_name,
                    self.patronymic]))
        return gettext('copp_graduation.msg_document_rec_name',
            kind=kind, number=number or '—', person=person)

    @fields.depends('student', 'company', 'group')
    def on_change_student(self):
        if self.student:
            for name, value in self.values_from_student(self.student).items():
                setattr(self, name, value)

    @classmethod
    def values_from_student(cls, student, group=None):
        "What a new document copies from the student file"
        group = group or student.group
        values = {
            'last_name': student.last_name,
            'first_name': student.first_name,
            'patronymic': student.patronymic,
            'birth_date': student.birth_date,
            'gender': student.gender,
            'snils': student.snils,
            'citizenship': student.citizenship or '643',
            'study_form': student.study_form,
            'form_at_end': student.study_form,
            'funding': student.funding,
            'targeted': student.funding == 'targeted',
            'specialty': student.specialty.id if student.specialty else None,
            }
        specialty = student.specialty
        if specialty:
            if specialty.qualifications:
                values['qualification'] = specialty.qualifications[0].name
            values['program_name'] = (
                f"{specialty.code} {specialty.name}")
        if group:
            values['group'] = group.id
            values['admission_year'] = group.admission_year
            values['graduation_year'] = group.graduation_year
            if specialty:
                for duration in specialty.durations:
                    if (duration.study_form == group.study_form
                            and duration.basis == group.basis):
                        values['duration_years'] = (
                            Decimal(duration.months) / 12).quantize(
                            Decimal('0.01'))
        return values

    @classmethod
    @ModelView.button
    def compute(cls, documents):
        """Rebuild the supplement from the closed grade sheets and compute
        the honours"""
        pool = Pool()
        Line = pool.get('copp.graduation.document.line')
        Attestation = pool.get('copp.graduation.attestation.line')
        documents = [d for d in documents if d.state == 'draft']
        if not documents:
            return
        gia = Attestation.results([d.student.id for d in documents])
        built = supplement_lines(
            [(d.student.id, d.group) for d in documents], gia)
        Line.delete([l for d in documents for l in d.lines])
        to_create = []
        for document in documents:
            for value in built.get(document.student.id, []):
                to_create.append(dict(value, document=document.id))
        Line.create(to_create)
        cls.update_honours(documents)

    @classmethod
    def update_honours(cls, documents):
        to_write = []
        for document in cls.browse(documents):
            gia = [l.grade for l in document.lines if l.kind == 'gia']
            if not gia and document.attestation_grade:
                gia = [document.attestation_grade]
            lines = [(f"{l.index} {l.name}", l.grade)
                for l in document.lines if l.kind != 'gia']
            honours, share, reason = compute_honours(lines, gia)
            if document.kind != 'diploma':
                honours = False
            to_write.extend([[document], {
                        'honours': honours, 'honours_share': share,
                        'honours_reason': reason,
                        'attestation_grade': gia[-1] if gia else None,
                        }])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def issue(cls, documents):
        pool = Pool()
        Blank = pool.get('copp.graduation.blank')
        Numbering = pool.get('copp.graduation.numbering')
        Date = pool.get('ir.date')
        cls.update_honours(documents)
        documents = cls.browse(documents)
        for document in documents:
            if document.status == 'duplicate' and not document.original:
                raise DocumentError(gettext(
                        'copp_graduation.msg_duplicate_original',
                        document=document.rec_name))
            if not document.issue_date:
                document.issue_date = Date.today()
            if not document.blank:
                document.blank = Blank.next_available(
                    document.company, document.blank_kind)
            if not document.blank:
                raise DocumentError(gettext(
                        'copp_graduation.msg_no_blank',
                        document=document.rec_name,
                        kind=Blank.selection_label(
                            'kind', document.blank_kind)))
            Blank.check_usable(document.blank, document)
            document.series = document.blank.series
            document.number = document.blank.number
            document.registration_number = Numbering.next_registration(
                document.company, document.issue_date)
            document.save()
            # one by one: the next document takes the next blank
            Blank.use([document.blank], {document.blank.id: document})

    @property
    def blank_kind(self):
        if self.kind == 'certificate':
            return 'certificate'
        return 'diploma_honours' if self.honours else 'diploma'

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, documents):
        "Cancel; the blank of an issued document is spoiled"
        pool = Pool()
        Blank = pool.get('copp.graduation.blank')
        today = pool.get('ir.date').today()
        blanks = [d.blank for d in documents
            if d.state == 'issued' and d.blank]
        if blanks:
            Blank.write(blanks, {'state': 'spoiled',
                    'write_off_date': today,
                    'write_off_reason': gettext(
                        'copp_graduation.msg_blank_document_cancelled')})

    @classmethod
    @ModelView.button_action('copp_graduation.act_document')
    def duplicate(cls, documents):
        "Draft the duplicates (draft_duplicates) and open them"
        duplicates = cls.draft_duplicates(documents)
        # a button returns JSON: the action, not the records
        return {
            'pyson_domain': PYSONEncoder().encode(
                [('id', 'in', [d.id for d in duplicates])]),
            'res_id': [d.id for d in duplicates],
            }

    @classmethod
    def draft_duplicates(cls, documents):
        """Draft a duplicate of each issued document, linked to it; returns
        the duplicates"""
        new = []
        for document in documents:
            if document.state != 'issued' or document.duplicates:
                continue
            new.extend(cls.copy([document], default={
                        'status': 'duplicate',
                        'original': document.id,
                        'duplicate_reason': 'lost',
                        'loss_confirmed': True,
                        }))
        return new

    @classmethod
    def check_modification(cls, mode, documents, values=None,
            external=False):
        super().check_modification(
            mode, documents, values=values, external=external)
        if mode == 'write' and external:
            # an issued document is as printed: corrections go through a
            # duplicate (the buttons and the ФРДО export write internally)
            for document in documents:
                if document.state != 'draft':
                    raise DocumentError(gettext(
                            'copp_graduation.msg_document_modify',
                            document=document.rec_name))
