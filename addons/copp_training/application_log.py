"""The stage history of an application: who moved it, when, from which
stage to which, and why. Written only by the workflow."""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields

from .application import STATES
from .exceptions import ApplicationError


class ApplicationLog(ModelSQL, ModelView):
    "Stage Change of an Application"
    __name__ = 'copp.training.application.log'
    __string__ = "Stage Change of an Application"

    application = fields.Many2One('copp.training.application', "Application",
        required=True, ondelete='CASCADE', readonly=True)
    from_state = fields.Selection([(None, "")] + STATES, "From Stage",
        readonly=True)
    to_state = fields.Selection(STATES, "To Stage", required=True,
        readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True,
        ondelete='SET NULL')
    applicant = fields.Boolean("By the Applicant", readonly=True)
    comment = fields.Char("Comment", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('application')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.application, Index.Range()),
                (t.date, Index.Range())))
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, logs, values=None, external=False):
        super().check_modification(
            mode, logs, values=values, external=external)
        if mode == 'write' or (mode in {'create', 'delete'} and external):
            raise ApplicationError(gettext(
                    'copp_training.msg_stage_log_readonly'))
