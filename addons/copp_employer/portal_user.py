from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class PortalUser(metaclass=PoolMeta):
    __name__ = 'web.user'

    employer = fields.Function(fields.Many2One('copp.employer', "Employer",
            help="The employer the user acts for (sets the organization)."),
        'get_employer', setter='set_employer', searcher='search_employer')

    @classmethod
    def get_employer(cls, users, name):
        pool = Pool()
        Employer = pool.get('copp.employer')
        parties = {u.organization.id for u in users if u.organization}
        employers = {e.party.id: e.id for e in Employer.search([
                    ('party', 'in', list(parties)),
                    ('active', 'in', [True, False]),
                    ])}
        return {u.id: employers.get(u.organization.id)
            if u.organization else None for u in users}

    @classmethod
    def set_employer(cls, users, name, value):
        pool = Pool()
        Employer = pool.get('copp.employer')
        if value:
            cls.write(users, {'organization': Employer(value).party.id})

    @classmethod
    def search_employer(cls, name, clause):
        _, operator, value, *extra = clause
        nested = name.partition('.')[2]
        if nested:
            target = [(nested, operator, value, *extra)]
        elif isinstance(value, str):
            target = [('rec_name', operator, value, *extra)]
        else:
            target = [('id', operator, value, *extra)]
        return [('organization.id', 'in', [0] + [
                    e.party.id for e in Pool().get('copp.employer').search(
                        target + [('active', 'in', [True, False])])])]

    @fields.depends('employer', 'organization')
    def on_change_employer(self):
        if self.employer:
            self.organization = self.employer.party
