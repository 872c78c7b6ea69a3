from collections import defaultdict

from sql import Null

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.party.exceptions import InvalidIdentifierCode
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .identifiers import MODULES as RU_IDENTIFIERS
from .party_access import is_person_query, person_subrecords, rule_context
from .personal_data import PersonalDataMixin

GENDERS = [
    (None, ""),
    ('male', "Male"),
    ('female', "Female"),
    ]

# Party function fields backed by party.identifier rows of these types.
IDENTIFIER_FIELDS = {
    'inn': 'ru_vat',  # party's alias of stdnum.ru.inn
    'kpp': 'ru_kpp',
    'ogrn': 'ru_ogrn',
    'snils': 'ru_snils',
    }
NAME_PARTS = ['last_name', 'first_name', 'patronymic']


class Configuration(metaclass=PoolMeta):
    __name__ = 'party.configuration'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.identifier_types.selection += [
            ('ru_kpp', "Russian Tax Registration Reason Code (KPP)"),
            ('ru_snils', "Russian Individual Insurance Account Number (SNILS)"),
            ]


class PartyIdentifier(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.identifier'
    # The identifiers of persons (СНИЛС, a person's ИНН) are personal
    # data: their reads are logged (not those of organizations).
    _personal_data_fields = {'code', 'code_compact', 'rec_name'}

    @classmethod
    def _personal_data_ids(cls, ids):
        return person_subrecords(cls, ids)

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        # trytond checks the rules of an export in Python, where the rule
        # inherited from the party (`party where …`) always holds: check
        # them in SQL, as a read does, before a СНИЛС leaves the server.
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            cls.read([r.id for r in records], ['id'])
        return super().export_data(records, fields_names, header=header)

    @fields.depends('type', 'code')
    def on_change_with_code(self):
        module = RU_IDENTIFIERS.get(self.type)
        if module and module.is_valid(self.code):
            return module.format(self.code)
        return super().on_change_with_code()

    @fields.depends('type', 'party', 'code')
    def check_code(self):
        module = RU_IDENTIFIERS.get(self.type)
        if module is None:
            return super().check_code()
        if not module.is_valid(self.code):
            party = (self.party.rec_name
                if self.party and self.party.id > 0 else '')
            raise InvalidIdentifierCode(gettext(
                    'copp.msg_invalid_identifier',
                    type=self.type_string, code=self.code, party=party))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        module = RU_IDENTIFIERS.get(values.get('type'))
        if module and module.is_valid(values.get('code')):
            values['code'] = module.format(values['code'])
            values['code_compact'] = module.compact(values['code'])
        return values

    @classmethod
    def domain_code(cls, domain, tables):
        return cls._domain_code_hiding_snils('code', domain, tables)

    @classmethod
    def domain_code_compact(cls, domain, tables):
        return cls._domain_code_hiding_snils('code_compact', domain, tables)

    @classmethod
    def _domain_code_hiding_snils(cls, name, domain, tables):
        """A search by code (also through a path: identifiers.code,
        party.rec_name) does not find СНИЛС for a user who may not read it:
        trytond converts paths without the record rules of the target."""
        field = cls._fields[name]
        # The conversion the field would make without this method
        expression = fields.Field.convert_domain.__wrapped__(
            field, domain, tables, cls)
        user = Transaction().user
        if user and not rule_context()['snils_readable']:
            table, _ = tables[None]
            expression &= ((table.type != 'ru_snils') | (table.type == Null))
        return expression

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        module = RU_IDENTIFIERS.get(getattr(self, 'type', None))
        code = getattr(self, 'code', None)
        if module and code and module.is_valid(code):
            # Return only what changes, or the write loops forever.
            if module.format(code) != code:
                values['code'] = module.format(code)
            if module.compact(code) != getattr(self, 'code_compact', None):
                values['code_compact'] = module.compact(code)
        return values


class Party(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'party.party'
    # A person's name, birth date, СНИЛС, contacts: every read and search of
    # them on behalf of a user is logged (persons only, not organizations).
    _personal_data_fields = {'snils', 'name', 'rec_name', 'full_name',
        'last_name', 'first_name', 'patronymic', 'birth_date', 'gender',
        'inn', 'phone', 'mobile', 'email', 'fax'}

    @classmethod
    def _personal_data_ids(cls, ids):
        return is_person_query(ids)

    last_name = fields.Char("Last Name")
    first_name = fields.Char("First Name")
    patronymic = fields.Char("Patronymic")
    birth_date = fields.Date("Birth Date")
    gender = fields.Selection(GENDERS, "Gender")
    inn = fields.Function(fields.Char("INN"),
        'get_identifier_codes', setter='set_identifier_codes',
        searcher='search_identifier_code')
    kpp = fields.Function(fields.Char("KPP"),
        'get_identifier_codes', setter='set_identifier_codes',
        searcher='search_identifier_code')
    ogrn = fields.Function(fields.Char("OGRN"),
        'get_identifier_codes', setter='set_identifier_codes',
        searcher='search_identifier_code')
    snils = fields.Function(fields.Char("SNILS",
            help="Format 000-000-000 00."),
        'get_identifier_codes', setter='set_identifier_codes',
        searcher='search_identifier_code')

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create':
            parts = [values.get(f) for f in NAME_PARTS]
            if any(parts) and not values.get('name'):
                values['name'] = ' '.join(p for p in parts if p)
        return values

    @classmethod
    def write(cls, *args):
        super().write(*args)
        # A write of one name part keeps the other parts: the full name is
        # composed from the stored parts, not from the written values only.
        changed = []
        actions = iter(args)
        for parties, values in zip(actions, actions):
            if set(NAME_PARTS) & values.keys() and 'name' not in values:
                changed.extend(parties)
        renamed = defaultdict(list)
        for party in cls.browse(changed):
            parts = [getattr(party, f) for f in NAME_PARTS]
            name = ' '.join(p for p in parts if p)
            if name and name != party.name:
                renamed[name].append(party)
        if renamed:
            super().write(*[a for name, parties in renamed.items()
                    for a in (parties, {'name': name})])

    @fields.depends('last_name', 'first_name', 'patronymic', 'name')
    def on_change_last_name(self):
        self._compose_name()

    @fields.depends('last_name', 'first_name', 'patronymic', 'name')
    def on_change_first_name(self):
        self._compose_name()

    @fields.depends('last_name', 'first_name', 'patronymic', 'name')
    def on_change_patronymic(self):
        self._compose_name()

    def _compose_name(self):
        parts = [getattr(self, f) for f in NAME_PARTS]
        if any(parts):
            self.name = ' '.join(p for p in parts if p)

    @classmethod
    def get_identifier_codes(cls, parties, names):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        result = {n: {p.id: None for p in parties} for n in names}
        types = {IDENTIFIER_FIELDS[n]: n for n in names}
        identifiers = Identifier.search([
                ('party', 'in', [p.id for p in parties]),
                ('type', 'in', list(types)),
                ], order=[('sequence', 'DESC NULLS FIRST'), ('id', 'DESC')])
        for identifier in identifiers:
            result[types[identifier.type]][identifier.party.id] = (
                identifier.code)
        return result

    @classmethod
    def set_identifier_codes(cls, parties, name, value):
        pool = Pool()
        Identifier = pool.get('party.identifier')
        type_ = IDENTIFIER_FIELDS[name]
        existing = defaultdict(list)
        for identifier in Identifier.search([
                    ('party', 'in', [p.id for p in parties]),
                    ('type', '=', type_),
                    ]):
            existing[identifier.party.id].append(identifier)
        to_save, to_delete = [], []
        for party in parties:
            current = existing.get(party.id, [])
            if not value:
                to_delete.extend(current)
            elif current:
                current[0].code = value
                to_save.append(current[0])
                to_delete.extend(current[1:])
            else:
                to_save.append(Identifier(party=party, type=type_, code=value))
        Identifier.delete(to_delete)
        Identifier.save(to_save)

    @classmethod
    def search_identifier_code(cls, name, clause):
        _, operator, value, *extra = clause
        module = RU_IDENTIFIERS.get(IDENTIFIER_FIELDS[name])
        if module and isinstance(value, str) and module.is_valid(value):
            value = module.format(value)
        return [('identifiers', 'where', [
                    ('type', '=', IDENTIFIER_FIELDS[name]),
                    ('code', operator, value, *extra),
                    ])]
