from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .exceptions import InvalidProgram
from .labels import SelectionLabelMixin, selection_label

PROGRAM_KINDS = [
    ('advanced', "Advanced training (повышение квалификации)"),
    ('retraining', "Professional retraining (переподготовка)"),
    ('vocational', "Vocational training (профессиональное обучение)"),
    ('short_school', "Short program for schoolchildren"),
    ('short_adult', "Short program for adults"),
    ]
FORMATS = [
    ('onsite', "On-site"),
    ('distance', "Distance"),
    ('blended', "Blended"),
    ]


class Program(SelectionLabelMixin, Workflow, ModelSQL, ModelView):
    "Program of the ЦОПП catalog"
    __name__ = 'copp.program'
    __string__ = "Program"
    _history = True

    _readonly = {'readonly': Eval('state') != 'draft'}

    name = fields.Char("Name", required=True, states=_readonly)
    kind = fields.Selection(PROGRAM_KINDS, "Kind", required=True,
        states=_readonly)
    kind_label = selection_label("Kind")
    hours = fields.Integer("Hours", required=True, states=_readonly,
        domain=[('hours', '>', 0)])
    format = fields.Selection(FORMATS, "Format", required=True,
        states=_readonly)
    competencies = fields.Text("Competencies", states=_readonly,
        help="The competencies the learner acquires, one per line.")
    description = fields.Text("Description")
    specialty = fields.Many2One('copp.specialty', "Specialty",
        help="The profession or specialty the program relates to.")
    free = fields.Boolean("Free", states=_readonly)
    price = fields.Numeric("Price", digits=(16, 2),
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Bool(Eval('free')),
            'required': ~Eval('free'),
            })
    company = fields.Many2One('company.company', "Provider", required=True,
        states=_readonly, help="The college or the ЦОПП that runs the program.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('published', "Published"),
            ('archived', "Archived"),
            ], "State", required=True, readonly=True, sort=False)

    count = fields.Function(fields.Integer("Count",
            help="1 for every program: graphs sum it to count programs."),
        'get_count')

    del _readonly

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('name', 'ASC'), ('id', 'ASC')]
        cls._sql_indexes.add(Index(t,
                (t.state, Index.Equality(cardinality='low')),
                (t.company, Index.Range())))
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'archived'),
            ('published', 'draft'),
            ('archived', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') == 'draft',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'publish': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'archive': {
                    'invisible': Eval('state') != 'published',
                    'icon': 'tryton-archive',
                    'depends': ['state'],
                    },
                })

    def get_count(self, name):
        return 1

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_format(cls):
        return 'onsite'

    @classmethod
    def default_free(cls):
        return False

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def validate(cls, programs):
        super().validate(programs)
        for program in programs:
            if not program.free and program.price is not None and (
                    program.price <= Decimal(0)):
                raise InvalidProgram(gettext(
                        'copp.msg_program_price_positive',
                        program=program.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, programs):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, programs):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, programs):
        pass
