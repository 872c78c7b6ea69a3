"""The people who signed in through ЕСИА: the oid of their ЕСИА account,
the person (party.party) it is linked to, and the data ЕСИА gave at the
last sign-in (personal data: every read is logged)."""
import datetime as dt

from trytond.model import Index, ModelSQL, ModelView, Unique, fields

from copp.party import GENDERS
from copp.personal_data import PersonalDataMixin

# What ЕСИА gives (client.person) -> our fields
RECEIVED_FIELDS = ['last_name', 'first_name', 'patronymic', 'birth_date',
    'gender', 'snils', 'email', 'mobile', 'trusted']


class Account(PersonalDataMixin, ModelSQL, ModelView):
    """ESIA Account

    A citizen's account of ЕСИА (Госуслуги) that signed in to the portal:
    its oid, the person it is linked to (empty while a clerk checks a
    conflict) and the data received at the last sign-in."""
    __name__ = 'copp.esia.account'
    __string__ = "ESIA Account"
    _personal_data_fields = {'rec_name', 'last_name', 'first_name',
        'patronymic', 'birth_date', 'gender', 'snils', 'email', 'mobile',
        'full_name'}

    oid = fields.Char("ESIA ID", required=True, readonly=True,
        help="The identifier of the person's account in ЕСИА (oid).")
    party = fields.Many2One('party.party', "Person", readonly=True,
        ondelete='RESTRICT',
        help="The person of the system this account signs in as; empty "
        "while a clerk resolves a conflict.")
    user = fields.Many2One('web.user', "Portal Account", readonly=True,
        ondelete='SET NULL',
        help="The portal account this ЕСИА account signs in to.")
    last_name = fields.Char("Last Name", readonly=True)
    first_name = fields.Char("First Name", readonly=True)
    patronymic = fields.Char("Patronymic", readonly=True)
    full_name = fields.Function(fields.Char("Name"), 'get_full_name')
    birth_date = fields.Date("Birth Date", readonly=True)
    gender = fields.Selection(GENDERS, "Gender", readonly=True)
    snils = fields.Char("SNILS", readonly=True)
    email = fields.Char("E-mail", readonly=True,
        help="The e-mail address confirmed in ЕСИА.")
    mobile = fields.Char("Mobile", readonly=True)
    trusted = fields.Boolean("Confirmed Account", readonly=True,
        help="The account is confirmed in ЕСИА (identity checked).")
    first_login = fields.DateTime("First Sign-in", readonly=True)
    last_login = fields.DateTime("Last Sign-in", readonly=True)
    logins = fields.Integer("Sign-ins", readonly=True)
    conflicts = fields.One2Many('copp.esia.conflict', 'account',
        "Conflicts", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('oid_unique', Unique(t, t.oid),
                'copp_esia.msg_account_oid_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range())),
                Index(t, (t.snils, Index.Equality())),
                })
        cls._order = [('last_login', 'DESC NULLS LAST'), ('id', 'DESC')]

    @staticmethod
    def default_logins():
        return 0

    def get_full_name(self, name):
        return ' '.join(filter(None,
                [self.last_name, self.first_name, self.patronymic]))

    def get_rec_name(self, name):
        return self.full_name or self.oid

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('oid', operator, value),
            ('last_name', operator, value),
            ('snils', operator, value),
            ]

    @classmethod
    def record(cls, identity, now=None):
        """The account of `identity` (client.person) with the data received
        now; created at the first sign-in"""
        now = now or dt.datetime.now()
        accounts = cls.search([('oid', '=', identity['oid'])], limit=1)
        values = {f: identity.get(f) for f in RECEIVED_FIELDS}
        values['last_login'] = now
        if accounts:
            account, = accounts
            values['logins'] = (account.logins or 0) + 1
            cls.write([account], values)
        else:
            account, = cls.create([dict(values, oid=identity['oid'],
                        first_login=now, logins=1)])
        return account

    @classmethod
    def link(cls, accounts, party):
        "Link the accounts to the person (by a clerk, or found by СНИЛС)"
        cls.write(list(accounts), {'party': party.id if party else None})

    def link_records(self, party):
        """Attach to the person the records of the citizen that name no
        person yet (extended by modules: copp_event's registrations)"""

    def identity(self):
        "The data of the last sign-in, as client.person gives it"
        return dict({f: getattr(self, f) for f in RECEIVED_FIELDS},
            oid=self.oid, party=self.party)
