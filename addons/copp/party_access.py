"""Who may read a person (152-ФЗ): persons are read through the institution
that holds them.

A party is an *organization* (an institution, an employer, a payer with
INN/KPP…: readable by every user as before) or a *person*. A person is held
by institutions (a student by their college, an employee by their employer,
a contract payer by the college of the contract, a registrant by the
organizer of the event…) and watched by staff in charge (a teacher by the
students of their groups). Each module lists where it holds persons in
`_person_holders` / `_person_staff` / `_organization_sources` of party.party;
the record rule of party.party (party.xml) reads:

- users of the ministry, the ЦОПП and the administrators: every person;
- the college's offices (registrar, college administrator, accountant) and
  the security officer: the persons held by their institutions
  (`person_companies` of the rule context);
- everybody: organizations, the persons the user's employees are in
  charge of (`employees`: a teacher reads the names of their students)
  and their colleagues (the staff of the same institution).

The three Function fields below search with one UNION of the holders'
tables (a subquery, never a query per person), so the rule stays set-based.
"""
from sql import Null, Union

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

# Groups that read every person of the region, and the offices that read
# the persons of their colleges (module, xml id).
REGION_GROUPS = [('res', 'group_admin'), ('copp', 'group_ministry'),
    ('copp', 'group_copp')]
COLLEGE_GROUPS = [('copp', 'group_registrar'),
    ('copp', 'group_college_admin'), ('copp', 'group_accountant'),
    ('copp', 'group_security_officer')]
IN_MAX = 1000


def _in(column, ids):
    return fields.SQL_OPERATORS['in'](column, list(ids))


def _and(where, clause):
    return clause if where is None else (where & clause)


def _group_ids(xml_ids):
    ModelData = Pool().get('ir.model.data')
    ids = set()
    for module, name in xml_ids:
        try:
            ids.add(ModelData.get_id(module, name))
        except KeyError:
            pass
    return ids


def rule_context():
    """The keys of the rule context about persons for the current user:
    persons_all, person_companies, employees, snils_readable"""
    pool = Pool()
    User = pool.get('res.user')
    Party = pool.get('party.party')
    FieldAccess = pool.get('ir.model.field.access')
    groups = set(User.get_groups())
    persons_all = bool(groups & _group_ids(Party._person_region_groups()))
    if groups & _group_ids(Party._person_college_groups()):
        person_companies = list(User.get_companies())
    else:
        person_companies = []
    access = FieldAccess.get_access(['party.party'])['party.party']
    snils = access.get('snils', {'read': True})
    return {
        'persons_all': persons_all,
        'person_companies': person_companies,
        'employees': list(User.get_employees()),
        'snils_readable': bool(snils['read']),
        }


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    copp_organization = fields.Function(fields.Boolean("Organization",
            help="An institution, an employer or a payer organization: "
            "readable by every user, not personal data."),
        'get_copp_organization', searcher='search_copp_organization')
    copp_companies = fields.Function(fields.Many2Many(
            'company.company', None, None, "Holding Institutions",
            help="The institutions that hold the person: the college of a "
            "student, the employer of an employee…"),
        'get_copp_holders', searcher='search_copp_holders')
    copp_staff = fields.Function(fields.Many2Many(
            'company.employee', None, None, "Staff in Charge",
            help="The employees in charge of the person: the teachers and "
            "curators of a student's group, the employee themselves."),
        'get_copp_holders', searcher='search_copp_holders')

    @classmethod
    def _person_region_groups(cls):
        "(module, xml id) of the groups that read every person"
        return list(REGION_GROUPS)

    @classmethod
    def _person_college_groups(cls):
        "(module, xml id) of the groups that read the persons of their colleges"
        return list(COLLEGE_GROUPS)

    @classmethod
    def _organization_sources(cls):
        """(from, party column, where) of the parties that are
        organizations"""
        pool = Pool()
        Company = pool.get('company.company')
        Identifier = pool.get('party.identifier')
        company = Company.__table__()
        identifier = Identifier.__table__()
        return [
            (company, company.party, None),
            # The heads of the institutions: their names are public (the
            # institution publishes them, 273-ФЗ art. 29) and every form of
            # an institution shows them
            (company, company.head, None),
            # КПП, ОГРН, or the 10-digit ИНН of a legal entity
            (identifier, identifier.party,
                identifier.type.in_(['ru_kpp', 'ru_ogrn'])
                | ((identifier.type == 'ru_vat')
                    & identifier.code_compact.like('_' * 10))),
            ]

    @classmethod
    def _person_holders(cls):
        """(from, party column, company column, where): the institutions
        holding a person"""
        pool = Pool()
        Company = pool.get('company.company')
        Employee = pool.get('company.employee')
        company = Company.__table__()
        employee = Employee.__table__()
        return [
            (employee, employee.party, employee.company, None),
            (company, company.head, company.id, None),
            ]

    @classmethod
    def _person_staff(cls):
        """(from, party column, employee column, where): the employees in
        charge of a person"""
        pool = Pool()
        Employee = pool.get('company.employee')
        employee = Employee.__table__()
        colleague = Employee.__table__()
        # The staff of an institution read the names of their colleagues
        # (the director who signs, the curator of a group), themselves too
        return [(employee.join(colleague,
                    condition=colleague.company == employee.company),
                employee.party, colleague.id, None)]

    @classmethod
    def _creator_users(cls, company_ids):
        """The users employed by the companies: a person they create is held
        by their college until a student file, a contract… holds it"""
        pool = Pool()
        Employee = pool.get('company.employee')
        UserEmployee = pool.get('res.user-company.employee')
        employee = Employee.__table__()
        user_employee = UserEmployee.__table__()
        return user_employee.join(employee,
            condition=employee.id == user_employee.employee
            ).select(user_employee.user,
            where=employee.company.in_(list(company_ids)))

    @classmethod
    def _holder_query(cls, name, holder_ids=None, party_ids=None):
        """UNION of (party, holder) of `name` (copp_companies: the holding
        institutions, copp_staff: the employees in charge)"""
        sources = (cls._person_holders() if name == 'copp_companies'
            else cls._person_staff())
        queries = []
        for from_, party, holder, where in sources:
            clause = (party != Null) & (holder != Null)
            if where is not None:
                clause &= where
            if holder_ids is not None:
                clause &= holder.in_(list(holder_ids))
            if party_ids is not None:
                clause &= _in(party, party_ids)
            queries.append(from_.select(
                    party.as_('party'), holder.as_('holder'), where=clause))
        return Union(*queries) if len(queries) > 1 else queries[0]

    @classmethod
    def get_copp_organization(cls, parties, name):
        cursor = Transaction().connection.cursor()
        result = {p.id: False for p in parties}
        for sub_ids in grouped_slice([p.id for p in parties], IN_MAX):
            sub_ids = list(sub_ids)
            queries = [from_.select(party.as_('party'),
                    where=_and(where, _in(party, sub_ids)))
                for from_, party, where in cls._organization_sources()]
            cursor.execute(*Union(*queries))
            for party_id, in cursor:
                result[party_id] = True
        return result

    @classmethod
    def search_copp_organization(cls, name, clause):
        _, operator, value = clause[:3]
        queries = [from_.select(party.as_('party'),
                where=_and(where, party != Null))
            for from_, party, where in cls._organization_sources()]
        organizations = Union(*queries)
        positive = (operator == '=') == bool(value)
        if operator not in {'=', '!='}:
            raise ValueError(f"Unsupported operator {operator}")
        return [('id', 'in' if positive else 'not in', organizations)]

    @classmethod
    def get_copp_holders(cls, parties, names):
        pool = Pool()
        Employee = pool.get('company.employee')
        UserEmployee = pool.get('res.user-company.employee')
        cursor = Transaction().connection.cursor()
        ids = [p.id for p in parties]
        result = {n: {i: set() for i in ids} for n in names}
        for sub_ids in grouped_slice(ids, IN_MAX):
            sub_ids = list(sub_ids)
            for name in names:
                query = cls._holder_query(name, party_ids=sub_ids)
                cursor.execute(*query.select(query.party, query.holder))
                for party_id, holder in cursor:
                    result[name][party_id].add(holder)
            if 'copp_companies' in names:
                table = cls.__table__()
                employee = Employee.__table__()
                user_employee = UserEmployee.__table__()
                cursor.execute(*table.join(user_employee,
                        condition=user_employee.user == table.create_uid
                        ).join(employee,
                        condition=employee.id == user_employee.employee
                        ).select(table.id, employee.company,
                        where=_in(table.id, sub_ids)))
                for party_id, company in cursor:
                    result['copp_companies'][party_id].add(company)
        return {n: {i: sorted(v) for i, v in r.items()}
            for n, r in result.items()}

    @classmethod
    def search_copp_holders(cls, name, clause):
        _, operator, value = clause[:3]
        if operator == '=':
            operator, value = 'in', [value]
        if operator != 'in':
            raise ValueError(f"Unsupported operator {operator}")
        value = [v for v in (value or []) if v is not None]
        if not value:
            return [('id', '=', None)]
        query = cls._holder_query(name, holder_ids=value)
        domain = ['OR', ('id', 'in', query.select(query.party))]
        if name == 'copp_companies':
            domain.append(('create_uid', 'in', cls._creator_users(value)))
        return domain


def is_person_query(party_ids):
    """The ids among `party_ids` that are persons (not organizations), in
    one query"""
    pool = Pool()
    Party = pool.get('party.party')
    cursor = Transaction().connection.cursor()
    persons = set()
    for sub_ids in grouped_slice(party_ids, IN_MAX):
        sub_ids = list(sub_ids)
        table = Party.__table__()
        organizations = Union(*[from_.select(party.as_('party'),
                    where=_and(where, _in(party, sub_ids)))
                for from_, party, where in Party._organization_sources()])
        cursor.execute(*table.select(table.id,
                where=_in(table.id, sub_ids)
                & ~table.id.in_(organizations)))
        persons.update(i for i, in cursor)
    return persons


def person_subrecords(Model, ids):
    """The ids among `ids` of Model (an identifier, an address, a contact
    mechanism) whose party is a person, in two queries"""
    table = Model.__table__()
    cursor = Transaction().connection.cursor()
    parties = {}
    for sub_ids in grouped_slice(ids, IN_MAX):
        cursor.execute(*table.select(table.id, table.party,
                where=_in(table.id, list(sub_ids))))
        parties.update(cursor)
    persons = is_person_query([p for p in set(parties.values()) if p])
    return {i for i, p in parties.items() if p in persons}
