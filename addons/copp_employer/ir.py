from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('copp.employer.agreement|expire_ended',
                    "Expire Ended Agreements"),
                ('copp.vacancy|close_expired', "Close Expired Vacancies"),
                ])
