from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

INSTITUTION_KINDS = [
    ('ministry', "Ministry"),
    ('copp', "Center of Advanced Professional Training"),
    ('college', "College"),
    ]


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

    @classmethod
    def default_institution_kind(cls):
        return 'college'

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
