from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

INSTITUTION_KINDS = [
    ('ministry', "Ministry"),
    ('copp', "Center of Advanced Professional Training"),
    ('college', "College"),
    ]


def context_college():
    """The college a report or its filter opens on: the user's current
    company when it is a college; None (every college the user works with)
    for the users of the ministry and the ЦОПП, who read the region"""
    company_id = Transaction().context.get('company')
    if not company_id:
        return None
    Company = Pool().get('company.company')
    with Transaction().set_context(_check_access=False):
        company = Company(company_id)
        if company.institution_kind == 'college':
            return company.id
    return None


class Company(metaclass=PoolMeta):
    "An institution of the region: the ministry, the ЦОПП operator or a college"
    __name__ = 'company.company'

    institution_kind = fields.Selection(
        INSTITUTION_KINDS, "Institution Kind", required=True)
    short_name = fields.Char("Short Name",
        help="The name used in lists and reports, e.g. «РКЖТ».")
    full_name = fields.Function(fields.Char("Full Name"), 'get_party_field')
    inn = fields.Function(fields.Char("INN"), 'get_party_field')
    kpp = fields.Function(fields.Char("KPP"), 'get_party_field')
    ogrn = fields.Function(fields.Char("OGRN"), 'get_party_field')
    head = fields.Many2One('party.party', "Head",
        help="The head of the institution (director, minister).")
    head_position = fields.Char("Head Position")
    licence_number = fields.Char("Licence Number")
    licence_date = fields.Date("Licence Date")
    accreditation_number = fields.Char("Accreditation Number",
        states={'invisible': Eval('institution_kind') == 'ministry'})
    accreditation_date = fields.Date("Accreditation Date",
        states={'invisible': Eval('institution_kind') == 'ministry'})
    # Bank details for contracts and receipts (a regional college: the
    # treasury — УФК, казначейский счёт, ЕКС, лицевой счёт).
    bank_name = fields.Char("Bank",
        help="E.g. «ОТДЕЛЕНИЕ РЯЗАНЬ БАНКА РОССИИ//УФК по Рязанской "
        "области г. Рязань».")
    bank_bic = fields.Char("BIC", size=9, help="9 digits.")
    bank_account = fields.Char("Settlement Account", size=20,
        help="The settlement or treasury account, 20 digits.")
    bank_correspondent_account = fields.Char("Correspondent Account",
        size=20, help="The correspondent account of the bank or the single "
        "treasury account (ЕКС), 20 digits.")
    bank_personal_account = fields.Char("Personal Account",
        help="The personal account (лицевой счёт) opened in the treasury.")
    oktmo = fields.Char("OKTMO", size=11,
        help="Code of the municipality (8 or 11 digits), for payments.")

    @classmethod
    def default_institution_kind(cls):
        return 'college'

    @classmethod
    def validate_fields(cls, companies, field_names):
        super().validate_fields(companies, field_names)
        bank_fields = {'bank_bic', 'bank_account',
            'bank_correspondent_account', 'oktmo'}
        if field_names is None or bank_fields & set(field_names):
            for company in companies:
                company.check_bank_details()

    def check_bank_details(self):
        "БИК, accounts with their control key, ОКТМО (Russian errors)"
        from .bank import BankDetailsError, account_valid, bic_valid, compact
        name = self.rec_name
        if self.bank_bic and not bic_valid(self.bank_bic):
            raise BankDetailsError(gettext('copp.msg_bank_bic',
                    company=name, bic=self.bank_bic))
        for field, correspondent in [('bank_account', False),
                ('bank_correspondent_account', True)]:
            value = getattr(self, field)
            if value and not account_valid(value, self.bank_bic or '',
                    correspondent=correspondent):
                raise BankDetailsError(gettext('copp.msg_bank_account',
                        company=name, account=value,
                        field=self.__class__.__names__(field)['field']))
        if self.oktmo and (not compact(self.oktmo).isdigit()
                or len(compact(self.oktmo)) not in {8, 11}):
            raise BankDetailsError(gettext('copp.msg_oktmo',
                    company=name, oktmo=self.oktmo))

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if mode == 'create':
            cls._grant_regional_readers(companies)

    @classmethod
    def _grant_regional_readers(cls, companies):
        "The ministry's and the ЦОПП's users work with every new institution"
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        groups = [ModelData.get_id('copp', 'group_ministry'),
            ModelData.get_id('copp', 'group_copp')]
        users = User.search([
                ('groups', 'in', groups),
                ('login', '!=', 'admin'),
                ])
        if users:
            User.write(users, {
                    'companies': [('add', [c.id for c in companies])],
                    })

    def get_party_field(self, name):
        if name == 'full_name':
            return self.party.name
        return getattr(self.party, name)

    def get_rec_name(self, name):
        return self.short_name or super().get_rec_name(name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('short_name', operator, operand, *extra),
            ('party.rec_name', operator, operand, *extra),
            ]


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    position = fields.Char("Position",
        help="E.g. «преподаватель», «мастер производственного обучения».")

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        pool = Pool()
        User = pool.get('res.user')
        super().on_modification(mode, employees, field_names=field_names)
        User._get_employee_companies_cache.clear()
