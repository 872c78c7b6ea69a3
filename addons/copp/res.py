from trytond.cache import Cache
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    _get_employee_companies_cache = Cache(
        'res.user.get_employee_companies', context=False)

    @classmethod
    def get_employee_companies(cls):
        """Companies whose records the user may write: those they are employed
        by, among the companies they work with now.

        The ministry and the ЦОПП read every college (all companies in their
        list) but write only their own institution's records."""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        user_id = Transaction().user
        companies = cls.get_companies()
        key = (user_id, tuple(companies))
        result = cls._get_employee_companies_cache.get(key)
        if result is not None:
            return result
        user = cls(user_id)
        admin_group = ModelData.get_id('res', 'group_admin')
        if admin_group in {g.id for g in user.groups}:
            result = tuple(companies)
        else:
            employed = {e.company.id for e in user.employees}
            result = tuple(c for c in companies if c in employed)
        return cls._get_employee_companies_cache.set(key, result)

    def get_status_bar(self, name):
        # A clerk sees their college next to their name, not the currency.
        status = super().get_status_bar(name)
        if self.company:
            status = status.removesuffix(' [%s]' % self.company.currency.code)
            college = ' - %s' % self.company.rec_name
            if college not in status:
                status += college
        return status

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        cls._get_employee_companies_cache.clear()


class UserEmployee(metaclass=PoolMeta):
    __name__ = 'res.user-company.employee'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_employee_companies_cache.clear()


class UserGroup(metaclass=PoolMeta):
    __name__ = 'res.user-res.group'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_employee_companies_cache.clear()
