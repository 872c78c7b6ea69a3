from trytond.pool import Pool, PoolMeta

from .party_access import rule_context as person_rule_context


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "employee_companies" as list of ids of the companies the '
            'current user is employed by (all of "companies" for '
            'administrators)'
            '\n- "persons_all", "person_companies", "employees", '
            '"snils_readable": which persons the user reads (see '
            'copp/party_access.py)')

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        # persons_all and person_companies follow the groups and companies
        # already in the key.
        persons = person_rule_context()
        return (*key, User.get_employee_companies(),
            tuple(persons['employees']), persons['snils_readable'])

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context['employee_companies'] = User.get_employee_companies()
        context.update(person_rule_context())
        return context
