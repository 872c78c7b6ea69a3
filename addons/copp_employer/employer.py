from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.transaction import without_check_access

from copp_portal.user import valid_email

from .catalog import (
    DISTRICTS, INDUSTRIES, SIZES, okved_section, okved_valid, size_of)
from .exceptions import EmployerValidationError
from .vacancy import clear_public_pages

PARTY_FIELDS = {'name', 'inn', 'kpp', 'ogrn'}
MECHANISMS = {'phone': 'phone', 'email': 'email', 'website': 'website'}


class Employer(DeactivableMixin, ModelSQL, ModelView):
    """Employer

    An organization of the real sector that partners with the colleges and
    the ЦОПП: agreements, practice places, vacancies and training orders.
    Its legal identity (name, ИНН, КПП, ОГРН, address, contacts) is kept on
    its party; the fields here write through to it."""
    __name__ = 'copp.employer'
    __string__ = "Employer"
    _history = True

    party = fields.Many2One('party.party', "Party", ondelete='RESTRICT',
        help="The party that holds the legal identity of the employer "
        "(created from the name when empty).")
    name = fields.Function(fields.Char("Name", required=True),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_field')
    inn = fields.Function(fields.Char("INN"),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_field')
    kpp = fields.Function(fields.Char("KPP"),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_field')
    ogrn = fields.Function(fields.Char("OGRN"),
        'get_party_fields', setter='set_party_fields',
        searcher='search_party_field')
    okved = fields.Char("Main OKVED Code",
        help="The main activity by ОКВЭД 2: NN, NN.N, NN.NN, NN.NN.N or "
        "NN.NN.NN, e.g. 25.62.")
    industry = fields.Selection(INDUSTRIES, "Industry",
        help="The section of ОКВЭД 2 (filled from the main code).")
    size = fields.Selection(SIZES, "Size",
        help="The category by the number of employees (209-ФЗ).")
    employees = fields.Integer("Employees",
        domain=['OR', ('employees', '=', None), ('employees', '>=', 0)])
    district = fields.Selection([(None, "")] + DISTRICTS, "District")
    district_string = district.translated('district')
    street = fields.Function(fields.Char("Street and Building"),
        'get_address_fields', setter='set_address_fields')
    city = fields.Function(fields.Char("City"),
        'get_address_fields', setter='set_address_fields')
    postal_code = fields.Function(fields.Char("Postal Code"),
        'get_address_fields', setter='set_address_fields')
    phone = fields.Function(fields.Char("Phone"),
        'get_mechanisms', setter='set_mechanisms')
    email = fields.Function(fields.Char("E-mail"),
        'get_mechanisms', setter='set_mechanisms')
    website = fields.Function(fields.Char("Website"),
        'get_mechanisms', setter='set_mechanisms')
    description = fields.Text("Description",
        help="What the organization does, shown to students.")
    contacts = fields.One2Many('copp.employer.contact', 'employer',
        "Contact Persons")
    agreements = fields.One2Many('copp.employer.agreement', 'employer',
        "Agreements", readonly=True)
    practice_places = fields.One2Many('copp.employer.practice_place',
        'employer', "Practice Places", readonly=True)
    vacancies = fields.One2Many('copp.vacancy', 'employer', "Vacancies",
        readonly=True)
    training_orders = fields.One2Many('copp.training.order', 'employer',
        "Training Orders", readonly=True)
    colleges = fields.Function(fields.Many2Many('company.company', None, None,
            "Partner Colleges",
            help="The colleges with an active agreement."),
        'get_colleges', searcher='search_colleges')
    active_agreements = fields.Function(fields.Integer("Active Agreements"),
        'get_counts')
    published_vacancies = fields.Function(
        fields.Integer("Published Vacancies"), 'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('party_unique', Unique(t, t.party),
                'copp_employer.msg_employer_party_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.district, Index.Equality())))
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    @classmethod
    def order_name(cls, tables):
        pool = Pool()
        Party = pool.get('party.party')
        table, _ = tables[None]
        if 'party' not in tables:
            party = Party.__table__()
            tables['party'] = {
                None: (party, table.party == party.id),
                }
        return Party.name.convert_order('name', tables['party'], Party)

    def get_rec_name(self, name):
        return self.party.rec_name if self.party else ''

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('party.rec_name', operator, operand, *extra),
            ('party.inn', operator, operand, *extra),
            ]

    # Party fields ------------------------------------------------------
    @classmethod
    def get_party_fields(cls, employers, names):
        result = {n: {} for n in names}
        for employer in employers:
            for name in names:
                result[name][employer.id] = (getattr(employer.party, name)
                    if employer.party else None)
        return result

    @classmethod
    def set_party_fields(cls, employers, name, value):
        pool = Pool()
        Party = pool.get('party.party')
        parties = [e.party for e in employers if e.party]
        if parties and name in PARTY_FIELDS:
            if name == 'name' and not value:
                return
            Party.write(parties, {name: value or None})

    @classmethod
    def search_party_field(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('party.' + name, operator, operand, *extra)]

    @classmethod
    def get_mechanisms(cls, employers, names):
        result = {n: {e.id: None for e in employers} for n in names}
        for employer in employers:
            if not employer.party:
                continue
            for mechanism in employer.party.contact_mechanisms:
                name = {v: k for k, v in MECHANISMS.items()}.get(
                    mechanism.type)
                if name in names and result[name][employer.id] is None:
                    result[name][employer.id] = mechanism.value
        return result

    @classmethod
    def set_mechanisms(cls, employers, name, value):
        pool = Pool()
        Mechanism = pool.get('party.contact_mechanism')
        type_ = MECHANISMS[name]
        to_save, to_delete = [], []
        for employer in employers:
            if not employer.party:
                continue
            existing = [m for m in employer.party.contact_mechanisms
                if m.type == type_]
            if not value:
                to_delete.extend(existing)
            elif existing:
                existing[0].value = value
                to_save.append(existing[0])
            else:
                to_save.append(Mechanism(party=employer.party, type=type_,
                        value=value))
        Mechanism.delete(to_delete)
        Mechanism.save(to_save)

    @classmethod
    def get_address_fields(cls, employers, names):
        result = {n: {e.id: None for e in employers} for n in names}
        for employer in employers:
            if employer.party and employer.party.addresses:
                address = employer.party.addresses[0]
                for name in names:
                    value = getattr(address, name, None)
                    if isinstance(value, str):
                        value = ' '.join(value.split()) or None
                    result[name][employer.id] = value
        return result

    @classmethod
    def set_address_fields(cls, employers, name, value):
        pool = Pool()
        Address = pool.get('party.address')
        to_save = []
        for employer in employers:
            if not employer.party:
                continue
            if employer.party.addresses:
                address = employer.party.addresses[0]
            elif not value:
                continue
            else:
                address = Address(party=employer.party)
            setattr(address, name, value or None)
            to_save.append(address)
        Address.save(to_save)

    @property
    def full_address(self):
        parts = [self.postal_code, self.city, self.street]
        return ', '.join(p for p in parts if p)

    # Relations ---------------------------------------------------------
    @classmethod
    def get_colleges(cls, employers, name):
        pool = Pool()
        Agreement = pool.get('copp.employer.agreement')
        result = defaultdict(list)
        for agreement in Agreement.search([
                    ('employer', 'in', [e.id for e in employers]),
                    ('state', '=', 'active'),
                    ], order=[('company', 'ASC')]):
            if agreement.company.id not in result[agreement.employer.id]:
                result[agreement.employer.id].append(agreement.company.id)
        return {e.id: result.get(e.id, []) for e in employers}

    @classmethod
    def search_colleges(cls, name, clause):
        _, operator, operand, *extra = clause
        return [('agreements', 'where', [
                    ('state', '=', 'active'),
                    ('company', operator, operand, *extra),
                    ])]

    @classmethod
    def get_counts(cls, employers, names):
        pool = Pool()
        Agreement = pool.get('copp.employer.agreement')
        Vacancy = pool.get('copp.vacancy')
        ids = [e.id for e in employers]
        result = {n: {i: 0 for i in ids} for n in names}
        if 'active_agreements' in names:
            for agreement in Agreement.search([
                        ('employer', 'in', ids), ('state', '=', 'active')]):
                result['active_agreements'][agreement.employer.id] += 1
        if 'published_vacancies' in names:
            for vacancy in Vacancy.search([
                        ('employer', 'in', ids), ('state', '=', 'published')]):
                result['published_vacancies'][vacancy.employer.id] += 1
        return result

    # Changes -----------------------------------------------------------
    @classmethod
    def on_modification(cls, mode, employers, field_names=None):
        super().on_modification(mode, employers, field_names=field_names)
        # Their names and contacts are on the public vacancies.
        clear_public_pages()

    @fields.depends('okved', 'industry')
    def on_change_okved(self):
        section = okved_section((self.okved or '').strip())
        if section:
            self.industry = section

    @fields.depends('employees', 'size')
    def on_change_employees(self):
        if self.employees is not None:
            self.size = size_of(self.employees)

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Party = pool.get('party.party')
        values = super().preprocess_values(mode, values)
        if values.get('okved'):
            values['okved'] = values['okved'].strip()
            if not values.get('industry'):
                values['industry'] = okved_section(values['okved'])
        if mode == 'create' and not values.get('party'):
            # The setters of the Function fields fill the new party.
            party, = Party.create([{'name': values.get('name') or '-'}])
            values['party'] = party.id
        return values

    @classmethod
    def validate_fields(cls, employers, field_names):
        super().validate_fields(employers, field_names)
        for employer in employers:
            if not employer.party:
                raise EmployerValidationError(gettext(
                        'copp_employer.msg_employer_party_required'))
            if employer.okved and not okved_valid(employer.okved):
                raise EmployerValidationError(gettext(
                        'copp_employer.msg_employer_okved_invalid',
                        code=employer.okved, employer=employer.rec_name))

    @classmethod
    def validate(cls, employers):
        super().validate(employers)
        cls.check_unique_inn(employers)

    @classmethod
    def check_unique_inn(cls, employers):
        "One employer per ИНН and КПП (branches have their own КПП)"
        with without_check_access():
            for employer in employers:
                if not employer.inn:
                    continue
                others = cls.search([
                        ('inn', '=', employer.inn),
                        ('id', '!=', employer.id),
                        ('active', 'in', [True, False]),
                        ])
                for other in others:
                    if (other.kpp or '') == (employer.kpp or ''):
                        raise EmployerValidationError(gettext(
                                'copp_employer.msg_employer_inn_unique',
                                inn=employer.inn, kpp=employer.kpp or '—',
                                other=other.rec_name))

    @classmethod
    def copy(cls, employers, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('party', None)
        default.setdefault('contacts', None)
        return super().copy(employers, default=default)

    # The portal --------------------------------------------------------
    @classmethod
    def of_portal_user(cls, user):
        "The employer a portal user acts for, or None"
        if not user or not user.organization:
            return None
        employers = cls.search([('party', '=', user.organization.id)],
            limit=1)
        return employers[0] if employers else None

    def get_portal_users(self):
        pool = Pool()
        User = pool.get('web.user')
        if not self.party:
            return []
        return User.search([('organization', '=', self.party.id)])


class Contact(ModelSQL, ModelView):
    "Contact person of an employer"
    __name__ = 'copp.employer.contact'
    __string__ = "Employer Contact"

    employer = fields.Many2One('copp.employer', "Employer", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True)
    position = fields.Char("Position")
    phone = fields.Char("Phone")
    email = fields.Char("E-mail")
    main = fields.Boolean("Main Contact",
        help="The person to contact first.")
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('employer')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.employer, Index.Range())))
        cls._order = [('main', 'DESC NULLS LAST'), ('name', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def default_main(cls):
        return False

    def get_rec_name(self, name):
        if self.position:
            return f'{self.name} ({self.position})'
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('name', operator, operand, *extra),
            ('position', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, contacts, field_names):
        super().validate_fields(contacts, field_names)
        for contact in contacts:
            if contact.email and not valid_email(contact.email):
                raise EmployerValidationError(gettext(
                        'copp_employer.msg_contact_email_invalid',
                        email=contact.email, contact=contact.name))
