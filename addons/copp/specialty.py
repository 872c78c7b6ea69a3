import re

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import InvalidSpecialtyCode

LEVELS = [
    ('profession', "Profession (skilled worker)"),
    ('specialty', "Specialty (mid-level specialist)"),
    ]
STUDY_FORMS = [
    ('full_time', "Full-time"),
    ('part_time', "Part-time (evening)"),
    ('extramural', "Extramural"),
    ]
BASES = [
    ('9', "9 classes"),
    ('11', "11 classes"),
    ]
CODE_PATTERN = re.compile(r'^\d{2}\.\d{2}\.\d{2}$')
GROUP_CODE_PATTERN = re.compile(r'^\d{2}\.00\.00$')


class SpecialtyGroup(ModelSQL, ModelView):
    "Enlarged group of professions and specialties (УГПС)"
    __name__ = 'copp.specialty.group'
    __string__ = "Enlarged Group of Specialties"
    _rec_name = 'code'

    code = fields.Char("Code", required=True, help="Format NN.00.00.")
    name = fields.Char("Name", required=True, translate=False)
    specialties = fields.One2Many('copp.specialty', 'group', "Specialties")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code), 'copp.msg_specialty_group_code_unique'),
            ]
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, groups, field_names):
        super().validate_fields(groups, field_names)
        if field_names and 'code' not in field_names:
            return
        for group in groups:
            if not GROUP_CODE_PATTERN.match(group.code or ''):
                raise InvalidSpecialtyCode(gettext(
                        'copp.msg_specialty_group_code_format',
                        code=group.code))


class Specialty(DeactivableMixin, ModelSQL, ModelView):
    """Profession or specialty of the ФГОС СПО.

    Without a college it belongs to the federal list that every college reads;
    with one it is that college's own record (e.g. a pilot program).
    """
    __name__ = 'copp.specialty'
    __string__ = "Specialty"

    code = fields.Char("Code", required=True, help="Format NN.NN.NN.")
    name = fields.Char("Name", required=True)
    level = fields.Selection(LEVELS, "Level", required=True)
    group = fields.Many2One('copp.specialty.group', "Enlarged Group",
        ondelete='RESTRICT',
        help="Enlarged group of professions and specialties (УГПС).")
    company = fields.Many2One('company.company', "College",
        ondelete='CASCADE',
        help="Empty for the federal list; a college for its own records.")
    qualifications = fields.One2Many('copp.specialty.qualification',
        'specialty', "Qualifications")
    durations = fields.One2Many('copp.specialty.duration', 'specialty',
        "Normative Durations")
    fgos = fields.Char("FGOS Order",
        help="The order that approved the standard, e.g. «Приказ Минпросвещения "
        "России от 09.12.2016 № 1547».")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.code, Index.Equality())))
        cls._order = [('code', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_level(cls):
        return 'specialty'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'{self.code} {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, specialties, field_names):
        super().validate_fields(specialties, field_names)
        if field_names and not (field_names & {'code', 'company'}):
            return
        for specialty in specialties:
            if not CODE_PATTERN.match(specialty.code or ''):
                raise InvalidSpecialtyCode(gettext(
                        'copp.msg_specialty_code_format',
                        code=specialty.code))
        cls._check_unique_code(specialties)

    @classmethod
    def _check_unique_code(cls, specialties):
        # A code is unique within the federal list and within one college;
        # NULL college defeats a SQL UNIQUE, hence the check here.
        for specialty in specialties:
            company = specialty.company.id if specialty.company else None
            duplicates = cls.search([
                    ('code', '=', specialty.code),
                    ('company', '=', company),
                    ('id', '!=', specialty.id),
                    ('active', 'in', [True, False]),
                    ], limit=1)
            if duplicates:
                raise InvalidSpecialtyCode(gettext(
                        'copp.msg_specialty_code_unique',
                        code=specialty.code))


class SpecialtyQualification(ModelSQL, ModelView):
    "Qualification awarded for a specialty"
    __name__ = 'copp.specialty.qualification'
    __string__ = "Specialty Qualification"

    specialty = fields.Many2One('copp.specialty', "Specialty",
        required=True, ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A class attribute would be reset by Model.__setup__.
        cls.__access__.add('specialty')
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class SpecialtyDuration(ModelSQL, ModelView):
    "Normative duration of study by form and basis"
    __name__ = 'copp.specialty.duration'
    __string__ = "Normative Duration"

    specialty = fields.Many2One('copp.specialty', "Specialty",
        required=True, ondelete='CASCADE')
    study_form = fields.Selection(STUDY_FORMS, "Form of Study", required=True)
    basis = fields.Selection(BASES, "Basis", required=True,
        help="Education the admission is based on.")
    months = fields.Integer("Months", required=True,
        domain=[('months', '>', 0)],
        help="E.g. 46 for 3 years 10 months.")
    duration = fields.Function(fields.Char("Duration"), 'get_duration')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('specialty')
        t = cls.__table__()
        cls._sql_constraints = [
            ('form_basis_unique',
                Unique(t, t.specialty, t.study_form, t.basis),
                'copp.msg_specialty_duration_unique'),
            ]
        cls._order = [('study_form', 'ASC'), ('basis', 'ASC'), ('id', 'ASC')]

    def get_duration(self, name):
        if not self.months:
            return ''
        years, months = divmod(self.months, 12)
        return gettext('copp.msg_duration_years_months',
            years=years, months=months)
