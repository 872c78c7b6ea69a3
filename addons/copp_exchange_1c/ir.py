from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('copp.exchange_1c.peer|exchange_scheduled',
                    "Exchange with 1C Accounting"),
                ('copp.exchange_1c.file.part|expire',
                    "Drop Abandoned Uploads of 1C"),
                ])
