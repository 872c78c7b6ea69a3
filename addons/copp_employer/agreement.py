import datetime as dt

from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    Check, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateTransition, StateView, Wizard

from .exceptions import AgreementValidationError, EmployerNotFound

KINDS = [
    ('cooperation', "General Cooperation"),
    ('practice', "Practical Training"),
    ('targeted', "Targeted Training"),
    ('network', "Network Program"),
    ('equipment', "Equipment and Workshops"),
    ('employment', "Graduate Employment"),
    ]
STATES = [
    ('draft', "Draft"),
    ('active', "Active"),
    ('expired', "Expired"),
    ('terminated', "Terminated"),
    ]
EXPIRING_DAYS = 30


class Agreement(Workflow, ModelSQL, ModelView):
    """Agreement of cooperation between a college and an employer

    College-owned: a college sees and writes its own agreements."""
    __name__ = 'copp.employer.agreement'
    __string__ = "Agreement of Cooperation"
    _history = True
    _rec_name = 'number'

    _readonly = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One('company.company', "College", required=True,
        states=_readonly, ondelete='RESTRICT')
    employer = fields.Many2One('copp.employer', "Employer", required=True,
        states=_readonly, ondelete='RESTRICT')
    number = fields.Char("Number", required=True, states=_readonly)
    date = fields.Date("Signing Date", required=True, states=_readonly)
    start_date = fields.Date("Start Date", required=True, states=_readonly)
    end_date = fields.Date("End Date", states={
            'readonly': Eval('state').in_(['expired', 'terminated']),
            },
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())],
        help="Empty for an agreement without an end date.")
    kind = fields.Selection(KINDS, "Kind", required=True, states=_readonly)
    subject = fields.Text("Subject", required=True, states=_readonly,
        help="What the parties agree on.")
    responsible = fields.Many2One('company.employee', "Responsible",
        domain=[('company', '=', Eval('company', -1))],
        help="The college's employee who follows the agreement.")
    contact = fields.Many2One('copp.employer.contact', "Employer Contact",
        domain=[('employer', '=', Eval('employer', -1))])
    termination_date = fields.Date("Termination Date", readonly=True)
    note = fields.Text("Note")
    practice_places = fields.One2Many('copp.employer.practice_place',
        'agreement', "Practice Places", readonly=True)
    expiring = fields.Function(fields.Boolean("Expiring",
            help="Active and ending within 30 days."), 'get_expiring')
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    kind_string = kind.translated('kind')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('number_unique', Unique(t, t.company, t.number),
                'copp_employer.msg_agreement_number_unique'),
            ('dates', Check(t, (t.end_date == Null)
                    | (t.end_date >= t.start_date)),
                'copp_employer.msg_agreement_dates'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.employer, Index.Range()),
                    (t.company, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.end_date, Index.Range())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'expired'),
            ('active', 'terminated'),
            ('expired', 'draft'),
            ('terminated', 'draft'),
            ('active', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') == 'draft',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'activate': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'terminate': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'cooperation'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'№ {self.number} ({self.employer.rec_name})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('number', operator, operand, *extra),
            ('employer.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def get_expiring(cls, agreements, name):
        today = Pool().get('ir.date').today()
        limit = today + dt.timedelta(days=EXPIRING_DAYS)
        return {a.id: bool(a.state == 'active' and a.end_date
                and a.end_date <= limit) for a in agreements}

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('expiring', False), 'warning',
                    If(Eval('state').in_(['expired', 'terminated']),
                        'muted', ''))),
            ]

    @classmethod
    def validate_fields(cls, agreements, field_names):
        super().validate_fields(agreements, field_names)
        for agreement in agreements:
            if agreement.end_date and agreement.start_date and (
                    agreement.end_date < agreement.start_date):
                raise AgreementValidationError(gettext(
                        'copp_employer.msg_agreement_dates'))

    @property
    def is_current(self):
        today = Pool().get('ir.date').today()
        return self.state == 'active' and (
            not self.end_date or self.end_date >= today)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, agreements):
        cls.write(agreements, {'termination_date': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, agreements):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('terminated')
    def terminate(cls, agreements):
        today = Pool().get('ir.date').today()
        cls.write(agreements, {'termination_date': today})

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, agreements):
        pass

    @classmethod
    def expire_ended(cls):
        "Cron: the active agreements whose end date has passed expire"
        today = Pool().get('ir.date').today()
        cls.expire(cls.search([
                    ('state', '=', 'active'),
                    ('end_date', '<', today),
                    ]))

    @classmethod
    def copy(cls, agreements, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number', lambda data: data['number'] + '-copy')
        default.setdefault('termination_date', None)
        return super().copy(agreements, default=default)


class AgreementCreateStart(ModelView):
    "Find the employer of a new agreement by its INN"
    __name__ = 'copp.employer.agreement.create.start'
    __string__ = "New Agreement by INN"

    company = fields.Many2One('company.company', "College", required=True)
    inn = fields.Char("INN", required=True,
        help="The ИНН of the employer: it is found in the regional registry "
        "even if your college has no agreement with it yet.")
    kpp = fields.Char("KPP",
        help="Only for a branch with its own КПП.")
    name = fields.Char("Name",
        help="Only when the employer is not in the registry yet.")
    ogrn = fields.Char("OGRN",
        help="Only when the employer is not in the registry yet.")
    number = fields.Char("Number", required=True)
    date = fields.Date("Signing Date", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date",
        domain=[If(Eval('end_date') & Eval('start_date'),
                ('end_date', '>=', Eval('start_date')), ())])
    kind = fields.Selection(KINDS, "Kind", required=True)
    subject = fields.Text("Subject", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'cooperation'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()


class AgreementCreate(Wizard):
    """New agreement with an employer found by its ИНН.

    A college sees only the employers it has agreements with; this wizard
    finds (or registers) the employer in the whole regional registry, then
    creates the college's agreement with the user's own rights."""
    __name__ = 'copp.employer.agreement.create'

    start = StateView('copp.employer.agreement.create.start',
        'copp_employer.agreement_create_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateTransition()
    open_ = StateAction('copp_employer.act_agreement')

    def transition_create_(self):
        pool = Pool()
        Employer = pool.get('copp.employer')
        Agreement = pool.get('copp.employer.agreement')
        start = self.start
        inn = ''.join((start.inn or '').split())
        kpp = ''.join((start.kpp or '').split()) or None
        with without_check_access():
            employers = Employer.search([
                    ('inn', '=', inn),
                    ('active', 'in', [True, False]),
                    ])
            employers = [e for e in employers
                if not kpp or (e.kpp or '').replace(' ', '') == kpp]
            if employers:
                employer = employers[0]
            elif start.name:
                employer, = Employer.create([{
                            'name': start.name, 'inn': inn, 'kpp': kpp,
                            'ogrn': start.ogrn or None,
                            }])
            else:
                raise EmployerNotFound(gettext(
                        'copp_employer.msg_employer_not_found', inn=inn))
            employer_id = employer.id
        agreement, = Agreement.create([{
                    'company': start.company.id,
                    'employer': employer_id,
                    'number': start.number,
                    'date': start.date,
                    'start_date': start.start_date,
                    'end_date': start.end_date,
                    'kind': start.kind,
                    'subject': start.subject,
                    }])
        self.agreement_id = agreement.id
        return 'open_'

    def do_open_(self, action):
        action['res_id'] = [self.agreement_id]
        action['views'] = sorted(action['views'],
            key=lambda view: view[1] != 'form')
        return action, {}
