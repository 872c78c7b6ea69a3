import datetime as dt
from decimal import Decimal

from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from copp_portal.portal import invalidate_public_pages

from .catalog import DISTRICTS
from .exceptions import VacancyValidationError

SCHEDULES = [
    ('full_day', "Full Day"),
    ('shift', "Shift Work"),
    ('flexible', "Flexible Hours"),
    ('remote', "Remote Work"),
    ('rotation', "Rotation (Fly-in Fly-out)"),
    ]
EMPLOYMENTS = [
    ('full', "Full-time"),
    ('part', "Part-time"),
    ('internship', "Internship"),
    ('temporary', "Temporary"),
    ('project', "Project Work"),
    ]
EXPERIENCES = [
    ('none', "No Experience"),
    ('from1', "1 to 3 Years"),
    ('from3', "3 to 6 Years"),
    ('from6', "More than 6 Years"),
    ]
STATES = [
    ('draft', "Draft"),
    ('published', "Published"),
    ('closed', "Closed"),
    ]
DEFAULT_VALIDITY = dt.timedelta(days=60)

# The public list of vacancies (/vacancies) is cached per process and cleared
# when a vacancy or an employer changes (other processes: within `duration`).
public_cache = Cache('copp_employer.vacancy.public', duration=60,
    context=False)


def clear_public_pages():
    "The public vacancies changed: forget the cached lists and pages"
    public_cache.clear()
    invalidate_public_pages()


class Vacancy(Workflow, ModelSQL, ModelView):
    """Vacancy of an employer

    Published vacancies are shown to students and graduates on /vacancies.
    Employers keep them on the partner portal; the ЦОПП in the back office."""
    __name__ = 'copp.vacancy'
    __string__ = "Vacancy"
    _history = True
    _rec_name = 'position'

    _closed = {'readonly': Eval('state') == 'closed'}

    employer = fields.Many2One('copp.employer', "Employer", required=True,
        ondelete='CASCADE', states=_closed)
    position = fields.Char("Position", required=True, states=_closed)
    specialty = fields.Many2One('copp.specialty', "Specialty or Profession",
        ondelete='SET NULL', states=_closed,
        help="The specialty or profession of the ФГОС СПО the vacancy "
        "suits.")
    salary_from = fields.Numeric("Salary From", digits=(16, 0),
        states=_closed,
        domain=['OR', ('salary_from', '=', None), ('salary_from', '>=', 0)],
        help="Monthly, before tax, in roubles.")
    salary_to = fields.Numeric("Salary To", digits=(16, 0), states=_closed,
        domain=['OR', ('salary_to', '=', None), ('salary_to', '>=', 0)])
    employment = fields.Selection(EMPLOYMENTS, "Employment", required=True,
        states=_closed)
    schedule = fields.Selection(SCHEDULES, "Schedule", required=True,
        states=_closed)
    experience = fields.Selection(EXPERIENCES, "Experience", required=True,
        states=_closed)
    for_students = fields.Boolean("Suits Students and Graduates",
        states=_closed,
        help="Open to students and graduates without work experience.")
    quantity = fields.Integer("Positions", required=True, states=_closed,
        domain=[('quantity', '>', 0)])
    requirements = fields.Text("Requirements", required=True,
        states=_closed)
    duties = fields.Text("Duties", states=_closed)
    conditions = fields.Text("Conditions", states=_closed)
    district = fields.Selection(DISTRICTS, "District", required=True,
        states=_closed, help="Where the work is.")
    address = fields.Char("Address", states=_closed)
    contact = fields.Many2One('copp.employer.contact', "Contact Person",
        ondelete='SET NULL', states=_closed,
        domain=[('employer', '=', Eval('employer', -1))])
    valid_until = fields.Date("Valid Until", states=_closed,
        help="The vacancy closes by itself after this date.")
    published_date = fields.DateTime("Published", readonly=True)
    closed_date = fields.DateTime("Closed", readonly=True)
    state = fields.Selection(STATES, "State", required=True, readonly=True,
        sort=False)
    state_string = state.translated('state')
    employment_string = employment.translated('employment')
    schedule_string = schedule.translated('schedule')
    experience_string = experience.translated('experience')
    district_string = district.translated('district')
    count = fields.Function(fields.Integer("Count",
            help="1 for every vacancy: graphs sum it."), 'get_count')

    del _closed

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.published_date, Index.Range(order='DESC'))),
                Index(t, (t.employer, Index.Range())),
                Index(t, (t.specialty, Index.Range()),
                    where=t.state == 'published'),
                Index(t, (t.district, Index.Equality()),
                    where=t.state == 'published'),
                })
        cls._order = [('published_date', 'DESC NULLS LAST'),
            ('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'published'),
            ('published', 'draft'),
            ('published', 'closed'),
            ('draft', 'closed'),
            ('closed', 'draft'),
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
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_quantity(cls):
        return 1

    @classmethod
    def default_employment(cls):
        return 'full'

    @classmethod
    def default_schedule(cls):
        return 'full_day'

    @classmethod
    def default_experience(cls):
        return 'none'

    @classmethod
    def default_for_students(cls):
        return True

    def get_count(self, name):
        return 1

    def get_rec_name(self, name):
        return f'{self.position} ({self.employer.rec_name})'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        bool_op = 'AND' if operator.startswith('!') or operator.startswith(
            'not ') else 'OR'
        return [bool_op,
            ('position', operator, operand, *extra),
            ('employer.rec_name', operator, operand, *extra),
            ]

    @fields.depends('employer', 'district', 'address')
    def on_change_employer(self):
        if self.employer:
            if not self.district and self.employer.district:
                self.district = self.employer.district
            if not self.address:
                self.address = self.employer.full_address or None

    @property
    def salary_text(self):
        "«от 40 000 до 60 000 ₽» or None"
        from copp_portal.portal import _format_money
        if self.salary_from and self.salary_to:
            if self.salary_from == self.salary_to:
                return _format_money(self.salary_from)
            return gettext('copp_employer.msg_salary_range',
                salary_from=_format_money(self.salary_from),
                salary_to=_format_money(self.salary_to))
        if self.salary_from:
            return gettext('copp_employer.msg_salary_from',
                salary=_format_money(self.salary_from))
        if self.salary_to:
            return gettext('copp_employer.msg_salary_to',
                salary=_format_money(self.salary_to))

    @classmethod
    def validate_fields(cls, vacancies, field_names):
        super().validate_fields(vacancies, field_names)
        for vacancy in vacancies:
            for value in [vacancy.salary_from, vacancy.salary_to]:
                if value is not None and value < 0:
                    raise VacancyValidationError(gettext(
                            'copp_employer.msg_vacancy_salary_negative',
                            vacancy=vacancy.rec_name))
            if (vacancy.salary_from is not None
                    and vacancy.salary_to is not None
                    and Decimal(vacancy.salary_from) > Decimal(
                        vacancy.salary_to)):
                raise VacancyValidationError(gettext(
                        'copp_employer.msg_vacancy_salary_range',
                        vacancy=vacancy.rec_name))
            if vacancy.contact and vacancy.contact.employer != (
                    vacancy.employer):
                raise VacancyValidationError(gettext(
                        'copp_employer.msg_vacancy_contact',
                        vacancy=vacancy.rec_name))

    @classmethod
    def on_modification(cls, mode, vacancies, field_names=None):
        super().on_modification(mode, vacancies, field_names=field_names)
        clear_public_pages()

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, vacancies):
        cls.write(vacancies, {'closed_date': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('published')
    def publish(cls, vacancies):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        now = dt.datetime.now()
        for vacancy in vacancies:
            if vacancy.valid_until and vacancy.valid_until < today:
                raise VacancyValidationError(gettext(
                        'copp_employer.msg_vacancy_valid_until_past',
                        vacancy=vacancy.rec_name))
            if not vacancy.employer.active:
                raise VacancyValidationError(gettext(
                        'copp_employer.msg_vacancy_employer_inactive',
                        vacancy=vacancy.rec_name))
        for vacancy in vacancies:
            vacancy.published_date = now
            vacancy.closed_date = None
            if not vacancy.valid_until:
                vacancy.valid_until = today + DEFAULT_VALIDITY
        cls.save(vacancies)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, vacancies):
        cls.write(vacancies, {'closed_date': dt.datetime.now()})

    @classmethod
    def close_expired(cls):
        "Cron: close the published vacancies past their date"
        today = Pool().get('ir.date').today()
        cls.close(cls.search([
                    ('state', '=', 'published'),
                    ('valid_until', '<', today),
                    ]))

    @classmethod
    def copy(cls, vacancies, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'draft')
        default.setdefault('published_date', None)
        default.setdefault('closed_date', None)
        default.setdefault('valid_until', None)
        return super().copy(vacancies, default=default)

    @classmethod
    def public_domain(cls, today=None):
        "The vacancies anyone may see"
        today = today or Pool().get('ir.date').today()
        return [
            ('state', '=', 'published'),
            ['OR', ('valid_until', '=', None), ('valid_until', '>=', today)],
            ('employer.active', '=', True),
            ]
