from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('copp.event.registration|send_reminders',
                    "Send Event Reminders"),
                ('copp.event|close_finished', "Close Finished Events"),
                ])
