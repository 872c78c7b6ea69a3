"""The record rules of the journal use Eval('employees') (the user's
employees). copp_contingent adds it to the rule context already; this
PoolMeta only guards the key (setdefault) in case that module stops
providing it, and keys the rule cache by it."""
from trytond.pool import Pool, PoolMeta


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def _get_cache_key(cls, model_names):
        pool = Pool()
        User = pool.get('res.user')
        key = super()._get_cache_key(model_names)
        employees = tuple(User.get_employees())
        if employees in key:
            return key
        return (*key, employees)

    @classmethod
    def _get_context(cls, model_name):
        pool = Pool()
        User = pool.get('res.user')
        context = super()._get_context(model_name)
        context.setdefault('employees', list(User.get_employees()))
        return context
