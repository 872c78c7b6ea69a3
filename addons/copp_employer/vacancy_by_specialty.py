"""Published vacancies by specialty for a readable chart: the specialties
with the most vacancies, one row each, and the rest in one row «Другие
специальности» (a bar per specialty of the region made dozens of
overlapping labels)."""
from sql import Literal, Null, Window
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case
from sql.functions import CurrentTimestamp, RowNumber

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool


class VacancyBySpecialty(ModelSQL, ModelView):
    "Vacancies by Specialty"
    __name__ = 'copp.vacancy.by_specialty'
    __string__ = "Vacancies by Specialty"
    # Bars of the chart besides «other specialties»
    top = 12

    specialty = fields.Many2One('copp.specialty', "Specialty or Profession",
        readonly=True)
    label = fields.Function(fields.Char("Specialty or Profession"),
        'get_label')
    specialties = fields.Integer("Specialties", readonly=True,
        help="How many specialties the row counts.")
    vacancies = fields.Integer("Vacancies", readonly=True)
    positions = fields.Integer("Positions", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'ASC')]

    @classmethod
    def table_query(cls):
        "Ranks the specialties of the published vacancies the user may read"
        pool = Pool()
        Vacancy = pool.get('copp.vacancy')
        vacancy = Vacancy.__table__()
        readable = Vacancy.search([('state', '=', 'published')], query=True)
        counts = vacancy.select(
            vacancy.specialty.as_('specialty'),
            Count(vacancy.id).as_('vacancies'),
            Sum(vacancy.quantity).as_('positions'),
            where=vacancy.id.in_(readable),
            group_by=[vacancy.specialty])
        ranked = counts.select(
            counts.specialty, counts.vacancies, counts.positions,
            RowNumber(window=Window([], order_by=[counts.vacancies.desc,
                        counts.positions.desc, counts.specialty])
                ).as_('rank'))
        shown = (ranked.rank <= cls.top) & (ranked.specialty != Null)
        # Grouped by a column, not by the CASE: PostgreSQL does not match
        # the parameters of a selected CASE with those of the GROUP BY.
        rows = ranked.select(
            Case((shown, ranked.specialty), else_=Null).as_('specialty'),
            Case((shown, ranked.rank), else_=cls.top + 1).as_('position'),
            ranked.vacancies, ranked.positions)
        return rows.select(
            Min(rows.position).as_('id'),
            Literal(0).as_('create_uid'),
            CurrentTimestamp().as_('create_date'),
            Literal(None).as_('write_uid'),
            Literal(None).as_('write_date'),
            rows.specialty.as_('specialty'),
            Count(rows.position).as_('specialties'),
            Sum(rows.vacancies).as_('vacancies'),
            Sum(rows.positions).as_('positions'),
            group_by=[rows.specialty])

    def get_label(self, name):
        if self.specialty:
            return self.specialty.rec_name
        return gettext('copp_employer.msg_vacancy_other_specialties',
            count=self.specialties)
