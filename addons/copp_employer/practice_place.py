from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import Check, Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import PracticePlaceValidationError

PERIOD_STATES = [
    ('planned', "Planned"),
    ('current', "Current"),
    ('finished', "Finished"),
    ]


class PracticePlace(ModelSQL, ModelView):
    """Practice place offered by an employer to a college's students

    College-owned: the college that places its students there keeps it."""
    __name__ = 'copp.employer.practice_place'
    __string__ = "Practice Place"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT')
    employer = fields.Many2One('copp.employer', "Employer", required=True,
        ondelete='RESTRICT')
    agreement = fields.Many2One('copp.employer.agreement', "Agreement",
        ondelete='RESTRICT',
        domain=[
            ('employer', '=', Eval('employer', -1)),
            ('company', '=', Eval('company', -1)),
            ])
    specialty = fields.Many2One('copp.specialty', "Specialty or Profession",
        required=True, ondelete='RESTRICT')
    places = fields.Integer("Places", required=True,
        domain=[('places', '>', 0)])
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True,
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    mentor = fields.Char("Mentor",
        help="The employer's employee who supervises the students.")
    mentor_position = fields.Char("Mentor Position")
    mentor_phone = fields.Char("Mentor Phone")
    address = fields.Char("Address",
        help="Where the practice takes place, if not at the employer's "
        "address.")
    description = fields.Text("Description",
        help="Tasks of the students, equipment, working hours.")
    students = fields.One2Many('copp.employer.practice_place.student',
        'place', "Students")
    occupied = fields.Function(fields.Integer("Occupied"), 'get_occupied')
    free = fields.Function(fields.Integer("Free"), 'get_occupied')
    period_state = fields.Function(fields.Selection(PERIOD_STATES, "Period"),
        'get_period_state')
    period_state_string = period_state.translated('period_state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('places_positive', Check(t, t.places > 0),
                'copp_employer.msg_practice_places_positive'),
            ('dates', Check(t, t.end_date >= t.start_date),
                'copp_employer.msg_practice_dates'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.employer, Index.Range()),
                    (t.start_date, Index.Range())),
                Index(t, (t.company, Index.Range())),
                })
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_places(cls):
        return 1

    def get_rec_name(self, name):
        return (f'{self.employer.rec_name}: {self.specialty.code} '
            f'{self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y}')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('employer.rec_name', operator, operand, *extra),
            ('specialty.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def get_occupied(cls, places, names):
        pool = Pool()
        Student = pool.get('copp.employer.practice_place.student')
        counts = defaultdict(int)
        for student in Student.search([
                    ('place', 'in', [p.id for p in places])]):
            counts[student.place.id] += 1
        result = {}
        if 'occupied' in names:
            result['occupied'] = {p.id: counts[p.id] for p in places}
        if 'free' in names:
            result['free'] = {p.id: max(0, (p.places or 0) - counts[p.id])
                for p in places}
        return result

    def get_period_state(self, name):
        today = Pool().get('ir.date').today()
        if self.start_date and self.start_date > today:
            return 'planned'
        if self.end_date and self.end_date < today:
            return 'finished'
        return 'current'

    @fields.depends('agreement', 'employer', 'company')
    def on_change_agreement(self):
        if self.agreement:
            self.employer = self.agreement.employer
            self.company = self.agreement.company

    @classmethod
    def validate(cls, places):
        super().validate(places)
        for place in places:
            if place.end_date < place.start_date:
                raise PracticePlaceValidationError(gettext(
                        'copp_employer.msg_practice_dates'))
            if len(place.students) > place.places:
                raise PracticePlaceValidationError(gettext(
                        'copp_employer.msg_practice_overbooked',
                        place=place.rec_name, places=place.places,
                        students=len(place.students)))
            if place.agreement and (
                    place.agreement.employer != place.employer
                    or place.agreement.company != place.company):
                raise PracticePlaceValidationError(gettext(
                        'copp_employer.msg_practice_agreement',
                        place=place.rec_name))


class PracticeStudent(ModelSQL, ModelView):
    "Student placed on a practice place"
    __name__ = 'copp.employer.practice_place.student'
    __string__ = "Practice Placement"

    place = fields.Many2One('copp.employer.practice_place', "Practice Place",
        required=True, ondelete='CASCADE')
    student = fields.Many2One('party.party', "Student", required=True,
        ondelete='RESTRICT',
        help="The person of the student (the contingent links its records "
        "to the same party).")
    group_name = fields.Char("Study Group")
    start_date = fields.Date("Start Date")
    end_date = fields.Date("End Date")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('place')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.place, Index.Range())))
        cls._order = [('student.name', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.student.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('student.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate(cls, students):
        super().validate(students)
        PracticePlace = Pool().get('copp.employer.practice_place')
        PracticePlace.validate(list({s.place for s in students}))
