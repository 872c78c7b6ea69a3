"""Applications sent online from the programme page (apply_routes.py): the
application remembers the portal account (web.user) that sent it — the
account lists it in its cabinet and may withdraw it — and is created in
one go with its scans, checked as the back office checks them (the scans'
type, size and number by ir.attachment, the duplicates of the person by
the application's own `program_duplicates()`), logged in the stage
history as sent by the applicant and e-mailed to them."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .exceptions import ApplicationError

ONLINE_SOURCE = 'portal'


class DuplicateApplicationError(ApplicationError):
    "The person has an application to the programme in progress"

    def __init__(self, message, others):
        super().__init__(message)
        self.others = others


class Application(metaclass=PoolMeta):
    __name__ = 'copp.training.application'

    portal_user = fields.Many2One('web.user', "Portal Account",
        readonly=True, ondelete='SET NULL',
        help="The account of the personal cabinet the application was sent "
        "from: it sees the application and its stage.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.portal_user, Index.Range())))

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default else {}
        default.setdefault('portal_user', None)
        return super().copy(applications, default=default)

    @classmethod
    def submit_online(cls, user, values, scans):
        """Create the application `values` of the portal account `user`
        (source «Портал», stage «новая») with its `scans` [(kind, file
        name, data)]: DuplicateApplicationError when the person has an
        application to the programme in progress, ScanError for a scan the
        back office would refuse. The caller rolls the transaction back on
        an error: nothing is kept half-saved."""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Log = pool.get('copp.training.application.log')
        with without_check_access():
            application, = cls.create([dict(values,
                        source=ONLINE_SOURCE, portal_user=user.id,
                        state='new', consent=True)])
            others = application.program_duplicates()
            if others:
                raise DuplicateApplicationError(gettext(
                        'copp_training.msg_online_duplicate'), others)
            if scans:
                Attachment.create([{
                            'resource': str(application),
                            'name': name,
                            'type': 'data',
                            'data': data,
                            'copp_scan_kind': kind,
                            } for kind, name, data in scans])
            Log.create([{
                        'application': application.id,
                        'from_state': None,
                        'to_state': 'new',
                        'date': dt.datetime.now(),
                        'applicant': True,
                        'comment': gettext('copp_training.msg_online_sent'),
                        }])
        # Read again: the e-mail shows the stage history just written.
        application = cls(application.id)
        application.notify('new')
        return application

    @classmethod
    def withdraw_online(cls, application, reason=None):
        "The applicant withdraws the application from the cabinet"
        with without_check_access():
            if reason:
                cls.write([application], {'withdraw_reason': reason})
            cls.withdraw([application], applicant=True)

    @property
    def online_withdrawable(self):
        "The applicant may still withdraw it (the workflow's transitions)"
        return (self.state, 'withdrawn') in self._transitions
