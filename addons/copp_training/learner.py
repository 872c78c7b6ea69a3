"""A learner of a cohort (слушатель): enrolled by the cohort's enrolment
order from an application, taught in the journal through the learner's
file (copp.student of the cohort), finished by the final attestation and
the completion order (a document on qualification) or by the expulsion
order (a справка об обучении)."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pyson import Bool, Eval

from copp.labels import SelectionLabelMixin, selection_label
from copp.personal_data import PersonalDataMixin

from .application import FUNDINGS
from .exceptions import TrainingValidationError

STATES = [
    ('studying', "Studying"),
    ('completed', "Completed"),
    ('left', "Left"),
    ]
GRADES = [
    (None, ""),
    ('5', "Excellent (5)"),
    ('4', "Good (4)"),
    ('3', "Satisfactory (3)"),
    ('2', "Unsatisfactory (2)"),
    ('pass', "Pass"),
    ('fail', "Fail"),
    ('absent', "Did Not Attend"),
    ]
PASSED = {'5', '4', '3', 'pass'}


class Learner(SelectionLabelMixin, PersonalDataMixin, ModelSQL, ModelView):
    "Learner"
    __name__ = 'copp.training.learner'
    __string__ = "Learner"
    _personal_data_fields = {'rec_name', 'party'}

    company = fields.Many2One('company.company', "Organization",
        required=True, readonly=True, ondelete='RESTRICT')
    cohort = fields.Many2One('copp.training.cohort', "Cohort", required=True,
        readonly=True, ondelete='RESTRICT')
    program = fields.Function(fields.Many2One('copp.program', "Programme"),
        'on_change_with_program', searcher='search_program')
    application = fields.Many2One('copp.training.application',
        "Application", readonly=True, ondelete='RESTRICT')
    student = fields.Many2One('copp.student', "Learner's File",
        required=True, readonly=True, ondelete='RESTRICT')
    party = fields.Many2One('party.party', "Person", required=True,
        readonly=True, ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'})
    funding = fields.Selection(FUNDINGS, "Seat", required=True,
        readonly=True)
    funding_label = selection_label("Seat")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_label = selection_label("State")
    enrolment_date = fields.Date("Enrolment Date", readonly=True)
    completion_date = fields.Date("Completion Date", readonly=True)
    leave_date = fields.Date("Leave Date", readonly=True)
    leave_reason = fields.Char("Reason for Leaving", readonly=True)
    final_grade = fields.Selection(GRADES, "Final Attestation",
        states={'readonly': Eval('state') != 'studying'})
    attestation_date = fields.Date("Attestation Date",
        states={
            'readonly': Eval('state') != 'studying',
            'required': Bool(Eval('final_grade')),
            })
    final_work = fields.Char("Final Work",
        states={'readonly': Eval('state') != 'studying'},
        help="The topic of the final work or the name of the exam.")
    documents = fields.One2Many('copp.training.document', 'learner',
        "Documents", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('cohort', 'DESC'), ('id', 'ASC')]
        cls._sql_indexes.update({
                Index(t, (t.cohort, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.company, Index.Range()),
                    (t.completion_date, Index.Range())),
                Index(t, (t.party, Index.Range())),
                })

    @classmethod
    def default_state(cls):
        return 'studying'

    @fields.depends('cohort')
    def on_change_with_program(self, name=None):
        if self.cohort:
            return self.cohort.program.id

    @classmethod
    def search_program(cls, name, clause):
        return [('cohort.program',) + tuple(clause[1:])]

    def get_rec_name(self, name):
        return self.party.rec_name if self.party else ''

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    @property
    def passed(self):
        return self.final_grade in PASSED

    @classmethod
    def validate_fields(cls, learners, field_names):
        super().validate_fields(learners, field_names)
        for learner in learners:
            if learner.attestation_date and learner.cohort and (
                    learner.attestation_date < learner.cohort.start_date):
                raise TrainingValidationError(gettext(
                        'copp_training.msg_learner_attestation_date',
                        learner=learner.rec_name,
                        cohort=learner.cohort.rec_name))

    @classmethod
    def check_modification(cls, mode, learners, values=None,
            external=False):
        super().check_modification(
            mode, learners, values=values, external=external)
        if mode == 'delete' and external:
            raise TrainingValidationError(gettext(
                    'copp_training.msg_learner_delete'))
