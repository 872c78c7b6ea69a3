from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('web.user.session|clean', "Delete Expired Portal Sessions"),
                ('copp.portal.token|clean', "Delete Old Portal Tokens"),
                ('copp.mail|deliver_due', "Deliver Due E-mails"),
                ])
