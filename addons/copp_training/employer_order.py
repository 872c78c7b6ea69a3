"""An employer's training order (copp_employer) accepted by the ЦОПП can
become a cohort of its programme: «Создать поток» makes a corporate cohort
(only that employer's staff apply) run by the executor college or the
programme's organization, with the order's number of people as seats."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval

from .exceptions import TrainingError


class TrainingOrder(metaclass=PoolMeta):
    __name__ = 'copp.training.order'

    cohort = fields.Many2One('copp.training.cohort', "Cohort",
        readonly=True, ondelete='SET NULL',
        help="The cohort made from the order.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'make_cohort': {
                    'invisible': (~Eval('state').in_(
                            ['accepted', 'training']) | Bool(Eval('cohort'))
                        | ~Bool(Eval('program'))),
                    'icon': 'tryton-add',
                    'depends': ['state', 'cohort', 'program'],
                    },
                })

    @classmethod
    def copy(cls, orders, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('cohort', None)
        return super().copy(orders, default=default)

    @classmethod
    @ModelView.button
    def make_cohort(cls, orders):
        pool = Pool()
        Cohort = pool.get('copp.training.cohort')
        Date = pool.get('ir.date')
        today = Date.today()
        for order in orders:
            if order.cohort:
                continue
            if order.state not in {'accepted', 'training'}:
                raise TrainingError(gettext(
                        'copp_training.msg_order_cohort_state',
                        order=order.rec_name))
            program = order.program
            if not program:
                raise TrainingError(gettext(
                        'copp_training.msg_order_cohort_program',
                        order=order.rec_name))
            company = program.company
            start = max(today + dt.timedelta(days=14), today)
            end = max(order.deadline or start, start)
            cohort, = Cohort.create([{
                        'name': gettext('copp_training.msg_order_cohort_name',
                            program=program.name,
                            employer=order.employer.rec_name)[:250],
                        'program': program.id,
                        'company': company.id,
                        'start_date': start,
                        'end_date': end,
                        'seats': order.quantity,
                        'employer': order.employer.id,
                        'price': None if program.free else program.price,
                        }])
            cls.write([order], {'cohort': cohort.id})
