"""A sign-in through ЕСИА the system could not link to one person by itself:
the СНИЛС belongs to several persons, or to a person whose birth date or
first name differs, or nobody has the СНИЛС but persons of the same name and
birth date exist without one. Nothing is merged: a clerk of the college
holding the persons (the ЦОПП when several colleges do) links the account to
one of them, creates a new person, or refuses; the citizen signs in after
that."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from copp.personal_data import PersonalDataMixin

from .exceptions import EsiaConflictError

REASONS = [
    ('several', "Several persons have this SNILS"),
    ('birth_date', "The birth date differs"),
    ('name', "The first name differs"),
    ('no_snils', "Same name and birth date, no SNILS on file"),
    ]
STATES = [
    ('open', "To Resolve"),
    ('linked', "Linked to a Person"),
    ('created', "New Person Created"),
    ('rejected', "Refused"),
    ]


class Conflict(PersonalDataMixin, Workflow, ModelSQL, ModelView):
    """ESIA Sign-in Conflict

    Listed to the clerks to resolve; never merged silently."""
    __name__ = 'copp.esia.conflict'
    __string__ = "ESIA Sign-in Conflict"
    _personal_data_fields = {'rec_name', 'esia_name', 'esia_birth_date',
        'esia_snils'}

    account = fields.Many2One('copp.esia.account', "ESIA Account",
        required=True, readonly=True, ondelete='CASCADE')
    reason = fields.Selection(REASONS, "Reason", required=True,
        readonly=True, sort=False)
    company = fields.Many2One('company.company', "College", readonly=True,
        ondelete='SET NULL',
        help="The college holding every person found; empty when several "
        "colleges (or none) do: then the ЦОПП resolves it.")
    esia_name = fields.Function(fields.Char("Name in ESIA"),
        'get_esia')
    esia_birth_date = fields.Function(fields.Date("Birth Date in ESIA"),
        'get_esia')
    esia_snils = fields.Function(fields.Char("SNILS in ESIA"), 'get_esia')
    candidates = fields.One2Many('copp.esia.conflict.candidate', 'conflict',
        "Persons Found", readonly=True)
    candidate_parties = fields.Function(fields.Many2Many('party.party',
            None, None, "Persons Found",
            context={'company': Eval('company', -1)}, depends={'company'}),
        'get_candidate_parties')
    party = fields.Many2One('party.party', "Person to Link",
        domain=[If(Eval('state') == 'open',
                ('id', 'in', Eval('candidate_parties', [])),
                ())],
        context={'company': Eval('company', -1)}, depends={'company'},
        states={
            'readonly': Eval('state') != 'open',
            },
        help="One of the persons found: the account signs in as this "
        "person.")
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    resolved_by = fields.Many2One('res.user', "Resolved By", readonly=True)
    resolved_date = fields.DateTime("Resolved", readonly=True)
    note = fields.Text("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.company, Index.Range())),
                Index(t, (t.account, Index.Range())),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'linked'),
            ('open', 'created'),
            ('open', 'rejected'),
            }
        cls._buttons.update({
                'link': {
                    'invisible': Eval('state') != 'open',
                    'readonly': ~Eval('party'),
                    'depends': ['state', 'party'],
                    'icon': 'tryton-link',
                    },
                'create_person': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    'icon': 'tryton-create',
                    },
                'reject': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    'icon': 'tryton-cancel',
                    },
                })

    @staticmethod
    def default_state():
        return 'open'

    @classmethod
    def get_esia(cls, conflicts, names):
        # What ЕСИА gave, shown through the conflict (whose reads are
        # logged): the clerks do not read the ЕСИА accounts themselves.
        result = {n: {} for n in names}
        with without_check_access():
            for conflict in cls.browse(conflicts):
                account = conflict.account
                values = {
                    'esia_name': account.full_name,
                    'esia_birth_date': account.birth_date,
                    'esia_snils': account.snils,
                    }
                for name in names:
                    result[name][conflict.id] = values[name]
        return result

    @classmethod
    def get_candidate_parties(cls, conflicts, name):
        return {c.id: [x.party.id for x in c.candidates if x.party]
            for c in conflicts}

    def get_rec_name(self, name):
        with without_check_access():
            return self.__class__(self.id).account.full_name

    @classmethod
    def open_for(cls, account, reason, parties):
        """The open conflict of `account` with the persons `parties` (the
        one already open is brought up to date, never doubled)"""
        pool = Pool()
        Candidate = pool.get('copp.esia.conflict.candidate')
        Party = pool.get('party.party')
        conflicts = cls.search([
                ('account', '=', account.id),
                ('state', '=', 'open'),
                ], limit=1)
        companies = set()
        held_by_all = True
        for party in Party.browse(parties):
            holders = set(party.copp_companies or [])
            companies |= {c.id for c in holders}
            held_by_all &= bool(holders)
        company = (companies.pop()
            if len(companies) == 1 and held_by_all else None)
        if conflicts:
            conflict, = conflicts
            Candidate.delete(conflict.candidates)
            conflict.reason = reason
            conflict.company = company
        else:
            conflict = cls(account=account, reason=reason, company=company)
        conflict.candidates = [Candidate(party=p,
                description=Candidate.describe(p)) for p in parties]
        conflict.save()
        return conflict

    @classmethod
    def refused(cls, account):
        "A clerk refused to link the account (its latest conflict)"
        conflicts = cls.search([('account', '=', account.id)],
            order=[('id', 'DESC')], limit=1)
        return bool(conflicts) and conflicts[0].state == 'rejected'

    def _resolve(self, state):
        pool = Pool()
        Event = pool.get('copp.security.event')
        self.state = state
        self.resolved_by = Transaction().user
        self.resolved_date = dt.datetime.now()
        Event.log('esia_conflict_resolved', record=self.account,
            details=f'{state}: {self.party.rec_name if self.party else ""}'
            [:500])

    @classmethod
    @ModelView.button
    @Workflow.transition('linked')
    def link(cls, conflicts):
        pool = Pool()
        Account = pool.get('copp.esia.account')
        for conflict in conflicts:
            party = conflict.party
            if not party or party not in conflict.candidate_parties:
                raise EsiaConflictError(gettext(
                        'copp_esia.msg_conflict_no_person',
                        conflict=conflict.rec_name))
            account = conflict.account
            values = {}
            if not party.snils and account.snils:
                values['snils'] = account.snils
            if not party.birth_date and account.birth_date:
                values['birth_date'] = account.birth_date
            if values:
                party.__class__.write([party], values)
            Account.link([account], party)
            conflict._resolve('linked')
        cls.save(conflicts)

    @classmethod
    @ModelView.button
    @Workflow.transition('created')
    def create_person(cls, conflicts):
        pool = Pool()
        Account = pool.get('copp.esia.account')
        Party = pool.get('party.party')
        for conflict in conflicts:
            account = conflict.account
            party, = Party.create([{
                        'last_name': account.last_name,
                        'first_name': account.first_name,
                        'patronymic': account.patronymic,
                        'birth_date': account.birth_date,
                        'gender': account.gender,
                        }])
            if account.snils:
                Party.write([party], {'snils': account.snils})
            conflict.party = party
            Account.link([account], party)
            conflict._resolve('created')
        cls.save(conflicts)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, conflicts):
        for conflict in conflicts:
            conflict.party = None
            conflict._resolve('rejected')
        cls.save(conflicts)


class Candidate(ModelSQL, ModelView):
    "ESIA Sign-in Conflict Person"
    __name__ = 'copp.esia.conflict.candidate'
    __string__ = "ESIA Sign-in Conflict Person"

    conflict = fields.Many2One('copp.esia.conflict', "Conflict",
        required=True, ondelete='CASCADE', readonly=True)
    party = fields.Many2One('party.party', "Person", readonly=True,
        ondelete='CASCADE')
    birth_date = fields.Function(fields.Date("Birth Date"), 'get_party')
    snils = fields.Function(fields.Char("SNILS"), 'get_party')
    description = fields.Char("Where", readonly=True,
        help="Where the person is in the system (student, event "
        "participant…) when the conflict was found.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('conflict')
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.conflict, Index.Range())))

    @classmethod
    def get_party(cls, candidates, names):
        return {n: {c.id: getattr(c.party, n, None) if c.party else None
                for c in candidates} for n in names}

    @classmethod
    def describe(cls, party):
        "Where the person is (extended by the modules holding persons)"
        return ', '.join(cls._describe_parts(party))[:250] or None

    @classmethod
    def _describe_parts(cls, party):
        return []
