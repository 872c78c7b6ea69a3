"""What copp_training adds to a programme of the catalogue: the document
it leads to, the qualification or profession it gives, the fields of the
ФИС ФРДО upload, its modules with hours (the catalogue's programme page
shows them, the cohorts' journal teaches them) and the yearly quota of
seats under a federal project."""
from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Bool, Eval

from copp.labels import selection_label

DOCUMENT_KINDS = [
    ('qualification_certificate', "Certificate of Advanced Training"),
    ('retraining_diploma', "Diploma of Professional Retraining"),
    ('profession_certificate',
        "Certificate of a Worker's Profession or Employee's Position"),
    ('none', "No Document on Qualification"),
    ]
# The document a kind of programme leads to by default.
KIND_DOCUMENTS = {
    'advanced': 'qualification_certificate',
    'retraining': 'retraining_diploma',
    'vocational': 'profession_certificate',
    }
# Kinds of the programmes of professional training (ФРДО «ПО» template,
# column «Программа профессионального обучения, направление подготовки»).
VOCATIONAL_KINDS = [
    (None, ""),
    ('training', "Vocational Training of Workers and Employees"),
    ('retraining', "Retraining of Workers and Employees"),
    ('advanced', "Advanced Training of Workers and Employees"),
    ]
ASSESSMENTS = [
    (None, ""),
    ('credit', "Credit"),
    ('diff_credit', "Differentiated Credit"),
    ('exam', "Exam"),
    ]
FEDERAL_PROJECTS = [
    (None, ""),
    ('employment', "Assistance to Employment"),
    ('professionalitet', "Professionalitet"),
    ('other', "Other Federal Project"),
    ]


class Program(metaclass=PoolMeta):
    __name__ = 'copp.program'

    _readonly = {'readonly': Eval('state') != 'draft'}

    document_kind = fields.Selection(DOCUMENT_KINDS, "Document Issued",
        required=True, states=_readonly,
        help="The document on qualification the learners receive on "
        "completion.")
    document_kind_label = selection_label("Document Issued")
    qualification = fields.Char("Qualification", states=_readonly,
        help="The qualification (retraining) or the profession of a "
        "worker or the position of an employee (vocational training) "
        "the programme gives.")
    rank = fields.Char("Qualification Rank", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'vocational',
            },
        help="The rank, class or category assigned (vocational training), "
        "e.g. «3 разряд».")
    vocational_kind = fields.Selection(VOCATIONAL_KINDS,
        "Vocational Training Kind", states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'vocational',
            'required': Eval('kind') == 'vocational',
            })
    activity_field = fields.Char("Field of Professional Activity",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'retraining',
            },
        help="For a retraining programme (ФИС ФРДО).")
    modules = fields.One2Many('copp.program.module', 'program', "Modules",
        states=_readonly)
    federal_project = fields.Selection(FEDERAL_PROJECTS, "Federal Project",
        states=_readonly,
        help="The federal project the programme offers free seats under.")
    federal_quota = fields.Integer("Federal Seats per Year",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': ~Bool(Eval('federal_project')),
            },
        domain=[('federal_quota', '>=', 0)],
        help="Seats under the federal project the programme may fill in a "
        "calendar year (all its cohorts). Empty: no yearly limit.")
    cohorts = fields.One2Many('copp.training.cohort', 'program', "Cohorts",
        readonly=True)

    del _readonly

    @classmethod
    def default_document_kind(cls):
        return 'qualification_certificate'

    @fields.depends('kind', 'document_kind')
    def on_change_kind(self):
        if hasattr(super(), 'on_change_kind'):
            super().on_change_kind()
        if self.kind:
            self.document_kind = KIND_DOCUMENTS.get(self.kind, 'none')
