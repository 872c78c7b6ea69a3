"""Consents to the processing of personal data (152-ФЗ, ст. 9): the texts
the operator publishes, each purpose in versions, and every consent an
account gave — with the version of the text it agreed to, when, from
which address — and its withdrawal. Consents are never deleted; a
withdrawal is a date on the consent."""
import datetime as dt
from pathlib import Path

from sql.functions import CurrentTimestamp

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import PortalConsentError

PURPOSES = [
    ('partner_account', "Partner Portal Account"),
    ('cabinet_account', "Personal Cabinet Account"),
    ('mailing', "News and Invitations by E-mail"),
    ]
CHANNELS = [
    ('invitation', "Invitation"),
    ('signup', "Sign-up"),
    ('esia', "ESIA"),
    ('cabinet', "Cabinet"),
    ]
# Purposes without which the account cannot work: withdrawing one closes
# the account (its sessions end and it is deactivated).
ACCOUNT_PURPOSES = {'partner_account', 'cabinet_account'}
TEXTS = Path(__file__).parent / 'templates' / 'consent'


class ConsentText(ModelSQL, ModelView):
    """Consent Text

    One version of the text of a consent. The version in force for a
    purpose is the latest whose date has come; the texts of earlier
    versions stay, as the consents given to them point at them."""
    __name__ = 'copp.portal.consent.text'
    __string__ = "Consent Text"

    purpose = fields.Selection(PURPOSES, "Purpose", required=True)
    purpose_string = purpose.translated('purpose')
    version = fields.Char("Version", required=True)
    valid_from = fields.Date("Valid From", required=True)
    text = fields.Text("Text", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('purpose', 'ASC'), ('valid_from', 'DESC'),
            ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.purpose, Index.Equality()),
                (t.valid_from, Index.Range())))

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        for purpose, _ in PURPOSES:
            cls.initial_version(purpose)

    @classmethod
    def initial_version(cls, purpose):
        """The id of the first version of `purpose`, created from
        templates/consent/<purpose>.txt when the table has none"""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, where=table.purpose == purpose,
                order_by=[table.valid_from.asc, table.id.asc], limit=1))
        row = cursor.fetchone()
        if row:
            return row[0]
        text = (TEXTS / f'{purpose}.txt').read_text(encoding='utf-8').strip()
        cursor.execute(*table.insert(
                [table.purpose, table.version, table.valid_from, table.text,
                    table.create_uid, table.create_date],
                [[purpose, '1', dt.date(2025, 1, 1), text, 0,
                        CurrentTimestamp()]]))
        cursor.execute(*table.select(table.id, where=table.purpose == purpose,
                limit=1))
        return cursor.fetchone()[0]

    def get_rec_name(self, name):
        return gettext('copp_portal.msg_consent_text_name',
            purpose=self.purpose_string, version=self.version)

    @classmethod
    def current(cls, purpose, date=None):
        "The version of `purpose` in force on `date` (today)"
        date = date or Pool().get('ir.date').today()
        texts = cls.search([('purpose', '=', purpose),
                ('valid_from', '<=', date)],
            order=[('valid_from', 'DESC'), ('id', 'DESC')], limit=1)
        return texts[0] if texts else None

    @classmethod
    def check_modification(cls, mode, texts, values=None, external=False):
        super().check_modification(mode, texts, values=values,
            external=external)
        # An empty write changes nothing (the access probe's write)
        if mode == 'delete' or (mode == 'write' and values):
            Consent = Pool().get('copp.portal.consent')
            for text in texts:
                if Consent.search([('text', '=', text.id)], limit=1):
                    raise PortalConsentError(gettext(
                            'copp_portal.msg_consent_text_used',
                            text=text.rec_name))


class Consent(ModelSQL, ModelView):
    """Consent

    A consent given by a portal account to a version of a consent text,
    and its withdrawal."""
    __name__ = 'copp.portal.consent'
    __string__ = "Consent"

    user = fields.Many2One('web.user', "Account", required=True,
        ondelete='CASCADE', readonly=True)
    party = fields.Many2One('party.party', "Person", readonly=True,
        ondelete='SET NULL')
    purpose = fields.Selection(PURPOSES, "Purpose", required=True,
        readonly=True)
    purpose_string = purpose.translated('purpose')
    text = fields.Many2One('copp.portal.consent.text', "Text",
        required=True, readonly=True, ondelete='RESTRICT')
    version = fields.Char("Version", readonly=True)
    given = fields.DateTime("Given", required=True, readonly=True)
    channel = fields.Selection(CHANNELS, "Given Through", readonly=True)
    ip_address = fields.Char("IP Address", readonly=True)
    withdrawn = fields.DateTime("Withdrawn", readonly=True)
    withdrawn_ip_address = fields.Char("Withdrawn From", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('given', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.add(Index(t, (t.user, Index.Range()),
                (t.purpose, Index.Equality())))

    def get_rec_name(self, name):
        return self.text.rec_name

    @classmethod
    def give(cls, user, purpose, channel, ip_address=None):
        "Record the consent of `user` to the current text of `purpose`"
        Text = Pool().get('copp.portal.consent.text')
        text = Text.current(purpose)
        consent, = cls.create([{
                    'user': user.id,
                    'party': user.party.id if user.party else None,
                    'purpose': purpose,
                    'text': text.id,
                    'version': text.version,
                    'given': dt.datetime.now(),
                    'channel': channel,
                    'ip_address': ip_address,
                    }])
        return consent

    @classmethod
    def latest_given(cls, users, purpose_kind='account'):
        "{user id: date of the latest consent in force} of an account purpose"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        purposes = (ACCOUNT_PURPOSES if purpose_kind == 'account'
            else {purpose_kind})
        from sql.aggregate import Max
        from trytond import backend
        from trytond.tools import grouped_slice, sqlite_apply_types
        result = {u.id: None for u in users}
        for sub in grouped_slice([u.id for u in users], 1000):
            query = table.select(table.user, Max(table.given).as_('given'),
                where=table.user.in_(list(sub))
                & table.purpose.in_(list(purposes))
                & (table.withdrawn == None),  # noqa: E711
                group_by=[table.user])
            if backend.name == 'sqlite':
                sqlite_apply_types(query, [None, 'DATETIME'])
            cursor.execute(*query)
            result.update(dict(cursor))
        return result

    @classmethod
    def active_for(cls, user, purpose):
        return cls.search([('user', '=', user.id), ('purpose', '=', purpose),
                ('withdrawn', '=', None)], limit=1)

    def withdraw(self, ip_address=None):
        """Withdraw the consent; for an account purpose the account closes
        (its sessions end and it is deactivated). Returns True when the
        account was closed."""
        pool = Pool()
        User = pool.get('web.user')
        Session = pool.get('web.user.session')
        Event = pool.get('copp.security.event')
        if self.withdrawn:
            return False
        self.__class__.write([self], {
                'withdrawn': dt.datetime.now(),
                'withdrawn_ip_address': ip_address,
                })
        Event.log_portal('consent_withdrawn', user=self.user,
            email=self.user.email, record=self, details=self.rec_name,
            ip_address=ip_address)
        if self.purpose in ACCOUNT_PURPOSES:
            Session.end_for([self.user])
            User.write([self.user], {'active': False})
            return True
        return False

    @classmethod
    def check_modification(cls, mode, consents, values=None,
            external=False):
        super().check_modification(mode, consents, values=values,
            external=external)
        # An account removed by the system (a sign-up never confirmed)
        # takes its consents with it; the key cannot come from a client
        # (trytond strips context keys starting with «_»)
        removal = Transaction().context.get('_copp_account_removal')
        if (mode == 'delete' and not removal) or (
                mode == 'write' and external):
            raise PortalConsentError(gettext(
                    'copp_portal.msg_consent_readonly'))

