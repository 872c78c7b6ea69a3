"""The student file (личное дело обучающегося).

The person (name parts, birth date, gender, СНИЛС) lives on party.party;
the student proxies them so a clerk edits one form. The state, group, course,
specialty, form of study and funding are the snapshot of the latest movement
of the log that has taken effect: only orders change them
(`update_current`).
"""
import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from sql import Null
from sql.aggregate import Max, Min

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from copp.history import HistoryMixin
from copp.party import GENDERS
from copp.personal_data import PersonalDataMixin
from copp.specialty import STUDY_FORMS

from .exceptions import ContingentValidationError, StudentChangeError

STATES = [
    ('applicant', "Applicant"),
    ('studying', "Studying"),
    ('academic_leave', "Academic Leave"),
    ('expelled', "Expelled"),
    ('graduated', "Graduated"),
    ]
FUNDINGS = [
    ('budget', "Budget"),
    ('contract', "Contract"),
    ('targeted', "Targeted"),
    ]
ID_DOCUMENT_KINDS = [
    (None, ""),
    ('passport_ru', "Passport of a citizen of Russia"),
    ('birth_certificate', "Birth certificate"),
    ('foreign_passport', "Foreign passport"),
    ('residence_permit', "Residence permit"),
    ('refugee_certificate', "Refugee certificate"),
    ('other', "Other document"),
    ]
EDUCATION_DOCUMENT_KINDS = [
    (None, ""),
    ('basic_general', "Certificate of basic general education (9 classes)"),
    ('secondary_general', "Certificate of secondary general education "
        "(11 classes)"),
    ('vocational', "Diploma of secondary vocational education"),
    ('higher', "Diploma of higher education"),
    ('other', "Other document"),
    ]
REPRESENTATIVE_RELATIONS = [
    ('mother', "Mother"),
    ('father', "Father"),
    ('guardian', "Guardian"),
    ('trustee', "Trustee"),
    ('foster_parent', "Foster parent"),
    ('other', "Other"),
    ]
# Fields proxied to the person (party.party).
PARTY_FIELDS = ['last_name', 'first_name', 'patronymic', 'birth_date',
    'gender', 'snils']
# Fields that only orders change (the applicant's wishes excepted).
ORDER_FIELDS = {'state', 'group', 'course', 'record_book'}
APPLICANT_FIELDS = {'specialty', 'study_form', 'funding'}
# Personal data protected by ir.model.field.access (see student.xml).
PERSONAL_DATA_FIELDS = ['snils', 'id_document_kind', 'id_document_series',
    'id_document_number', 'id_document_issuer', 'id_document_date',
    'id_document_issuer_code', 'registration_address', 'actual_address',
    'previous_document_number']
OKSM_PATTERN = re.compile(r'^\d{3}$')
APPLY_CONTEXT = '_copp_contingent_apply'


class Student(HistoryMixin, PersonalDataMixin, ModelSQL, ModelView):
    "Student"
    __name__ = 'copp.student'
    # СНИЛС, documents and addresses are readable only by the groups of
    # ir.model.field.access (student.xml); every read and search of these
    # and of the name, birth date and contacts on behalf of a user is
    # registered in copp.personal_data.log.
    _personal_data_fields = {'snils', 'id_document_kind',
        'id_document_series', 'id_document_number', 'id_document_issuer',
        'id_document_issuer_code', 'id_document_date',
        'registration_address', 'actual_address',
        'previous_document_number', 'rec_name', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'phone', 'email'}

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='RESTRICT',
        states={'readonly': Eval('state') != 'applicant'})
    # Required once saved; a new student's person is made from the name.
    party = fields.Many2One('party.party', "Person",
        ondelete='RESTRICT', states={
            'readonly': Eval('id', -1) > 0,
            'required': Eval('id', -1) > 0,
            },
        context={'company': Eval('company', -1)}, depends={'company'},
        help="Created from the name when left empty.")
    last_name = fields.Function(fields.Char("Last Name", required=True),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    first_name = fields.Function(fields.Char("First Name", required=True),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    patronymic = fields.Function(fields.Char("Patronymic"),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    birth_date = fields.Function(fields.Date("Birth Date", required=True),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    gender = fields.Function(fields.Selection(GENDERS, "Gender"),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    snils = fields.Function(fields.Char("SNILS",
            help="Format 000-000-000 00."),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_fields')
    age = fields.Function(fields.Integer("Age"), 'get_age')
    minor = fields.Function(fields.Boolean("Minor"), 'get_age')
    citizenship = fields.Char("Citizenship", size=3,
        help="Numeric code of the country by ОКСМ (643 — Russia).")

    id_document_kind = fields.Selection(ID_DOCUMENT_KINDS,
        "Identity Document")
    id_document_series = fields.Char("Series")
    id_document_number = fields.Char("Number")
    id_document_issuer = fields.Char("Issued By")
    id_document_date = fields.Date("Issue Date")
    id_document_issuer_code = fields.Char("Issuer Code",
        help="Code of the issuing office, e.g. 620-001.")

    registration_address = fields.Text("Registration Address")
    actual_address = fields.Text("Actual Address")
    phone = fields.Char("Phone")
    email = fields.Char("E-mail")
    representatives = fields.One2Many('copp.student.representative',
        'student', "Legal Representatives")

    previous_school = fields.Char("Previous Educational Institution")
    previous_document_kind = fields.Selection(EDUCATION_DOCUMENT_KINDS,
        "Education Document")
    previous_document_number = fields.Char("Education Document Number")
    previous_graduation_year = fields.Integer("Year of Graduation",
        domain=[If(Eval('previous_graduation_year'),
                ('previous_graduation_year', '>=', 1950), ())])
    average_mark = fields.Numeric("Average Mark of the Certificate",
        digits=(3, 2))

    record_book = fields.Char("Record Book", readonly=True,
        help="Number of the record book (зачётная книжка), unique in the "
        "college; given at enrolment.")
    funding = fields.Selection(FUNDINGS, "Funding", required=True,
        states={'readonly': Eval('state') != 'applicant'})
    study_form = fields.Selection(STUDY_FORMS, "Form of Study", required=True,
        states={'readonly': Eval('state') != 'applicant'})
    specialty = fields.Many2One('copp.specialty', "Specialty",
        ondelete='RESTRICT',
        domain=[('company', 'in', [None, Eval('company', -1)])],
        states={'readonly': Eval('state') != 'applicant'})
    group = fields.Many2One('copp.study.group', "Group", readonly=True,
        ondelete='RESTRICT')
    course = fields.Integer("Course", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    enrolment_date = fields.Function(fields.Date("Enrolment Date"),
        'get_movement_dates')
    last_movement_date = fields.Function(fields.Date("Last Movement"),
        'get_movement_dates')
    movements = fields.One2Many('copp.contingent.movement', 'student',
        "Movements", readonly=True)
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('party', 'ASC'), ('id', 'ASC')]
        cls._sql_constraints += [
            ('record_book_unique', Unique(t, t.company, t.record_book),
                'copp_contingent.msg_record_book_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.company, Index.Range()),
                    (t.state, Index.Equality(cardinality='low'))),
                Index(t, (t.group, Index.Range())),
                Index(t, (t.party, Index.Range())),
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'applicant'

    @classmethod
    def default_funding(cls):
        return 'budget'

    @classmethod
    def default_study_form(cls):
        return 'full_time'

    @classmethod
    def default_citizenship(cls):
        return '643'

    @classmethod
    def default_id_document_kind(cls):
        return 'passport_ru'

    # Person ------------------------------------------------------------

    def get_rec_name(self, name):
        return self.party.rec_name if self.party else ''

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('party.name', operator, operand, *extra),
            ('record_book', operator, operand, *extra),
            ]

    @classmethod
    def get_party_fields(cls, students, names):
        result = {n: {} for n in names}
        for student in students:
            for name in names:
                result[name][student.id] = getattr(student.party, name, None)
        return result

    @classmethod
    def set_party_fields(cls, students, name, value):
        pool = Pool()
        Party = pool.get('party.party')
        parties = list({s.party for s in students if s.party})
        if not parties:
            return
        args = []
        if name in {'last_name', 'first_name', 'patronymic'}:
            # Keep the full name in step with its parts.
            by_name = defaultdict(list)
            for party in parties:
                parts = {p: getattr(party, p) for p in [
                        'last_name', 'first_name', 'patronymic']}
                parts[name] = value
                full = ' '.join(parts[p] for p in [
                        'last_name', 'first_name', 'patronymic']
                    if parts[p])
                by_name[full].append(party)
            for full, records in by_name.items():
                args.extend([records, {name: value, 'name': full or None}])
        else:
            args = [parties, {name: value}]
        # Editing the student's file edits the person: access to the
        # student was checked.
        with without_check_access():
            Party.write(*args)

    @classmethod
    def search_party_fields(cls, name, clause):
        return [('party.' + clause[0], *clause[1:])]

    @classmethod
    def order_last_name(cls, tables):
        pool = Pool()
        Party = pool.get('party.party')
        table, _ = tables[None]
        if 'party' not in tables:
            party = Party.__table__()
            tables['party'] = {
                None: (party, table.party == party.id),
                }
        party, _ = tables['party'][None]
        return [party.last_name, party.first_name, party.patronymic]

    @classmethod
    def get_age(cls, students, names):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        result = {n: {} for n in names}
        for student in students:
            birth = student.birth_date
            age = None
            if birth:
                age = today.year - birth.year - (
                    (today.month, today.day) < (birth.month, birth.day))
            if 'age' in result:
                result['age'][student.id] = age
            if 'minor' in result:
                result['minor'][student.id] = age is not None and age < 18
        return result

    @classmethod
    def get_movement_dates(cls, students, names):
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        movement = Movement.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {s.id: None for s in students} for n in names}
        for sub_ids in grouped_slice([s.id for s in students], _in_max()):
            sub_ids = list(sub_ids)
            if 'enrolment_date' in names:
                cursor.execute(*movement.select(
                        movement.student, Min(movement.date),
                        where=movement.student.in_(list(sub_ids))
                        & (movement.kind == 'enrolment'),
                        group_by=[movement.student]))
                result['enrolment_date'].update(
                    (s, _to_date(d)) for s, d in cursor)
            if 'last_movement_date' in names:
                cursor.execute(*movement.select(
                        movement.student, Max(movement.date),
                        where=movement.student.in_(list(sub_ids)),
                        group_by=[movement.student]))
                result['last_movement_date'].update(
                    (s, _to_date(d)) for s, d in cursor)
        return result

    # Creation and protection ------------------------------------------------

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Party = pool.get('party.party')
        vlist = [v.copy() for v in vlist]
        without_party = [v for v in vlist if not v.get('party')]
        if without_party:
            party_values = []
            for values in without_party:
                party_values.append({f: values.pop(f) for f in PARTY_FIELDS
                        if values.get(f) is not None})
            with without_check_access():
                parties = Party.create(party_values)
            for values, party in zip(without_party, parties):
                values['party'] = party.id
        return super().create(vlist)

    @classmethod
    def check_modification(cls, mode, students, values=None, external=False):
        super().check_modification(
            mode, students, values=values, external=external)
        if Transaction().context.get(APPLY_CONTEXT):
            return
        if mode == 'create':
            for student in students:
                if student.state != 'applicant' or student.group:
                    raise StudentChangeError(gettext(
                            'copp_contingent.msg_student_create_applicant',
                            student=student.rec_name))
        elif mode == 'write':
            changed = set(values or {})
            if changed & ORDER_FIELDS:
                raise StudentChangeError(gettext(
                        'copp_contingent.msg_student_change_by_order',
                        student=students[0].rec_name if students else ''))
            if changed & APPLICANT_FIELDS:
                for student in students:
                    if student.state != 'applicant':
                        raise StudentChangeError(gettext(
                                'copp_contingent.msg_student_change_by_order',
                                student=student.rec_name))
        elif mode == 'delete':
            pool = Pool()
            Movement = pool.get('copp.contingent.movement')
            OrderLine = pool.get('copp.contingent.order.line')
            ids = [s.id for s in students]
            for sub_ids in grouped_slice(ids, _in_max()):
                sub_ids = list(sub_ids)
                with without_check_access():
                    movements = Movement.search([
                            ('student', 'in', list(sub_ids)),
                            ], limit=1)
                    lines = OrderLine.search([
                            ('student', 'in', list(sub_ids)),
                            ], limit=1)
                if movements or lines:
                    student = (movements[0].student if movements
                        else lines[0].student)
                    raise StudentChangeError(gettext(
                            'copp_contingent.msg_student_delete',
                            student=student.rec_name))

    @classmethod
    def validate_fields(cls, students, field_names):
        super().validate_fields(students, field_names)
        if not field_names or 'party' in field_names:
            for student in students:
                if not student.party:
                    raise ContingentValidationError(gettext(
                            'copp_contingent.msg_student_party_required'))
        if not field_names or 'citizenship' in field_names:
            for student in students:
                if student.citizenship and not OKSM_PATTERN.match(
                        student.citizenship):
                    raise ContingentValidationError(gettext(
                            'copp_contingent.msg_student_citizenship',
                            student=student.rec_name,
                            code=student.citizenship))
        if not field_names or 'average_mark' in field_names:
            for student in students:
                mark = student.average_mark
                # SQLite stores Numeric as text: check here, not in SQL.
                if mark is not None and not (
                        Decimal('2') <= Decimal(str(mark)) <= Decimal('5')):
                    raise ContingentValidationError(gettext(
                            'copp_contingent.msg_student_average_mark',
                            student=student.rec_name, mark=mark))

    @classmethod
    def copy(cls, students, default=None):
        default = default.copy() if default else {}
        for field in ['record_book', 'group', 'course', 'movements']:
            default.setdefault(field, None)
        default.setdefault('state', 'applicant')
        return super().copy(students, default=default)

    # The snapshot of the log -------------------------------------------------

    @classmethod
    def update_current(cls, students, date=None):
        """Set state, group, course, specialty, form and funding of the
        students from their latest movement effective on `date` (today)."""
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        Date = pool.get('ir.date')
        date = date or Date.today()
        movement = Movement.__table__()
        cursor = Transaction().connection.cursor()
        ids = sorted({int(s) for s in students})
        current = {}
        for sub_ids in grouped_slice(ids, _in_max()):
            sub_ids = list(sub_ids)
            cursor.execute(*movement.select(
                    movement.student, movement.state, movement.group,
                    movement.course, movement.specialty, movement.study_form,
                    movement.funding,
                    where=movement.student.in_(list(sub_ids))
                    & (movement.date <= date)
                    & ((movement.valid_to == Null)
                        | (movement.valid_to > date))))
            for student_id, *values in cursor:
                current[student_id] = values
        to_write = defaultdict(list)
        for student in cls.browse(ids):
            if student.id in current:
                state, group, course, specialty, form, funding = current[
                    student.id]
                values = {'state': state, 'group': group, 'course': course,
                    'specialty': specialty, 'study_form': form,
                    'funding': funding}
            else:
                values = {'state': 'applicant', 'group': None,
                    'course': None}
            old = {'state': student.state,
                'group': student.group.id if student.group else None,
                'course': student.course,
                'specialty': (student.specialty.id
                    if student.specialty else None),
                'study_form': student.study_form,
                'funding': student.funding}
            if any(old[k] != v for k, v in values.items()):
                to_write[tuple(sorted(values.items()))].append(student)
        if to_write:
            args = []
            for values, records in to_write.items():
                args.extend([records, dict(values)])
            with Transaction().set_context(**{APPLY_CONTEXT: True}), \
                    without_check_access():
                cls.write(*args)

    @classmethod
    def update_current_daily(cls):
        "Apply the movements that take effect today (and catch up a week)"
        pool = Pool()
        Movement = pool.get('copp.contingent.movement')
        Date = pool.get('ir.date')
        today = Date.today()
        movement = Movement.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*movement.select(movement.student,
                where=(movement.date > today - dt.timedelta(days=7))
                & (movement.date <= today),
                group_by=[movement.student]))
        ids = [s for s, in cursor]
        for sub_ids in grouped_slice(ids, 1000):
            sub_ids = list(sub_ids)
            cls.update_current(list(sub_ids), today)


def _to_date(value):
    if isinstance(value, str):  # SQLite aggregates return text
        return dt.date.fromisoformat(value)
    return value


class StudentRepresentative(PersonalDataMixin, ModelSQL, ModelView):
    "Legal representative of a student"
    __name__ = 'copp.student.representative'
    _personal_data_fields = {'rec_name', 'name', 'phone', 'email',
        'address'}

    student = fields.Many2One('copp.student', "Student", required=True,
        ondelete='CASCADE')
    name = fields.Char("Full Name", required=True)
    relation = fields.Selection(REPRESENTATIVE_RELATIONS, "Relation",
        required=True)
    phone = fields.Char("Phone")
    email = fields.Char("E-mail")
    address = fields.Text("Address")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('student')
        cls._order = [('id', 'ASC')]

    @classmethod
    def default_relation(cls):
        return 'mother'


def _in_max():
    from trytond import backend
    return backend.MAX_QUERY_PARAMS
