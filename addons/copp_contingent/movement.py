"""The movement log: the single source of truth of the contingent.

Every signed order line writes one movement: the student's state and study
attributes from its effective date on. `valid_to` is the date of the
student's next movement (NULL for the latest): it is derived from the log
(`update_valid_to`) so that the contingent on a date D is one range scan:
``date <= D AND (valid_to IS NULL OR valid_to > D)``.
"""
from sql import Null
from sql.aggregate import Min

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.specialty import STUDY_FORMS

from .student import FUNDINGS, STATES

MOVEMENT_KINDS = [
    ('enrolment', "Enrolment"),
    ('transfer', "Transfer"),
    ('course_transfer', "Transfer to the Next Course"),
    ('academic_leave', "Academic Leave"),
    ('leave_return', "Return from Academic Leave"),
    ('expulsion', "Expulsion"),
    ('reinstatement', "Reinstatement"),
    ]
EXPULSION_REASONS = [
    (None, ""),
    ('own_will', "At own will"),
    ('academic_failure', "Academic failure"),
    ('transfer_out', "Transfer to another organization"),
    ('graduation', "Completion of studies"),
    ('discipline', "Disciplinary sanction"),
    ('contract_breach', "Breach of the contract (non-payment)"),
    ('health', "For health reasons"),
    ('military', "Conscription into military service"),
    ('death', "Death"),
    ('other', "Other circumstances"),
    ]
LEAVE_REASONS = [
    (None, ""),
    ('medical', "Medical grounds"),
    ('family', "Family circumstances"),
    ('military', "Military service"),
    ('maternity', "Maternity or childcare"),
    ('other', "Other grounds"),
    ]
REASONS = EXPULSION_REASONS + [r for r in LEAVE_REASONS
    if r[0] and r[0] not in dict(EXPULSION_REASONS)]


class Movement(ModelSQL, ModelView):
    "Contingent movement"
    __name__ = 'copp.contingent.movement'

    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='RESTRICT', readonly=True)
    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT', readonly=True)
    date = fields.Date("Effective Date", required=True, readonly=True)
    kind = fields.Selection(MOVEMENT_KINDS, "Kind", required=True,
        readonly=True)
    order = fields.Many2One('copp.contingent.order', "Order",
        ondelete='RESTRICT', readonly=True)
    order_line = fields.Many2One('copp.contingent.order.line', "Order Line",
        ondelete='CASCADE', readonly=True)
    document_number = fields.Char("Order Number", readonly=True)
    document_date = fields.Date("Order Date", readonly=True)
    from_group = fields.Many2One('copp.study.group', "From Group",
        ondelete='RESTRICT', readonly=True)
    group = fields.Many2One('copp.study.group', "Group",
        ondelete='RESTRICT', readonly=True)
    group_name = fields.Char("Group Name", readonly=True,
        help="The name of the group at that time.")
    specialty = fields.Many2One('copp.specialty', "Specialty",
        ondelete='RESTRICT', readonly=True)
    course = fields.Integer("Course", readonly=True)
    study_form = fields.Selection(STUDY_FORMS, "Form of Study",
        readonly=True)
    funding = fields.Selection(FUNDINGS, "Funding", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True)
    # The student's attributes before the movement: a period's arrivals and
    # departures are read from the movements alone.
    from_state = fields.Selection([(None, "")] + STATES, "State Before",
        readonly=True)
    from_specialty = fields.Many2One('copp.specialty', "Specialty Before",
        ondelete='RESTRICT', readonly=True)
    from_course = fields.Integer("Course Before", readonly=True)
    from_study_form = fields.Selection([(None, "")] + STUDY_FORMS,
        "Form of Study Before", readonly=True)
    from_funding = fields.Selection([(None, "")] + FUNDINGS,
        "Funding Before", readonly=True)
    reason = fields.Selection(REASONS, "Reason", readonly=True)
    valid_to = fields.Date("Valid To", readonly=True,
        help="The date of the next movement of the student.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.student, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.student, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.date, Index.Range()), (t.valid_to, Index.Range())),
                Index(t, (t.order, Index.Range())),
                Index(t, (t.date, Index.Range()), (t.company, Index.Range())),
                })

    def get_rec_name(self, name):
        return f'{self.student.rec_name} {self.date:%d.%m.%Y}'

    @classmethod
    def update_valid_to(cls, students=None):
        """Recompute valid_to of the students' movements (all when None):
        the date of the next movement by (date, id)."""
        table = cls.__table__()
        nxt = cls.__table__()
        cursor = Transaction().connection.cursor()
        following = nxt.select(Min(nxt.date),
            where=(nxt.student == table.student)
            & ((nxt.date > table.date)
                | ((nxt.date == table.date) & (nxt.id > table.id))))
        if students is None:
            cursor.execute(*table.update([table.valid_to], [following]))
            return
        ids = sorted({int(s) for s in students})
        for sub_ids in grouped_slice(ids, _in_max()):
            sub_ids = list(sub_ids)
            cursor.execute(*table.update([table.valid_to], [following],
                    where=table.student.in_(list(sub_ids))))

    @classmethod
    def effective_query(cls, date, columns=None, where=None):
        """A python-sql query of the movements in force on date: one row per
        student that has a movement on or before the date."""
        table = cls.__table__()
        condition = (table.date <= date) & (
            (table.valid_to == Null) | (table.valid_to > date))
        if where is not None:
            condition &= where(table)
        return table, table.select(*(columns(table) if columns else [
                    table.id, table.student, table.company, table.state,
                    table.group, table.specialty, table.course,
                    table.study_form, table.funding, table.kind,
                    table.reason]),
            where=condition)

    @classmethod
    def from_values(cls, latest):
        "The from_* values of a movement that follows `latest`"
        if latest is None:
            return {'from_state': 'applicant', 'from_group': None,
                'from_specialty': None, 'from_course': None,
                'from_study_form': None, 'from_funding': None}
        return {
            'from_state': latest.state,
            'from_group': latest.group.id if latest.group else None,
            'from_specialty': (latest.specialty.id
                if latest.specialty else None),
            'from_course': latest.course,
            'from_study_form': latest.study_form,
            'from_funding': latest.funding,
            }

    @classmethod
    def latest(cls, students):
        """The latest movement (whatever its date) of each student as a
        dict student id → movement"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        ids = sorted({int(s) for s in students})
        for sub_ids in grouped_slice(ids, _in_max()):
            sub_ids = list(sub_ids)
            cursor.execute(*table.select(table.id,
                    where=table.student.in_(list(sub_ids))
                    & (table.valid_to == Null)))
            for movement in cls.browse([i for i, in cursor]):
                result[movement.student.id] = movement
        return result


def _in_max():
    from trytond import backend
    return backend.MAX_QUERY_PARAMS
