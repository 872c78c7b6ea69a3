from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool

from .exceptions import InvalidDates


class AcademicYear(ModelSQL, ModelView):
    "Academic year, e.g. «2026/2027»"
    __name__ = 'copp.academic.year'
    __string__ = "Academic Year"

    name = fields.Char("Name", required=True)
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True)
    terms = fields.One2Many('copp.academic.term', 'year', "Terms")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('name_unique', Unique(t, t.name),
                'copp.msg_academic_year_name_unique'),
            ]
        cls._order = [('start_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def validate(cls, years):
        super().validate(years)
        for year in years:
            if year.end_date <= year.start_date:
                raise InvalidDates(gettext('copp.msg_dates_order',
                        record=year.rec_name))
            overlapping = cls.search([
                    ('id', '!=', year.id),
                    ('start_date', '<=', year.end_date),
                    ('end_date', '>=', year.start_date),
                    ], limit=1)
            if overlapping:
                raise InvalidDates(gettext('copp.msg_academic_year_overlap',
                        year=year.rec_name, other=overlapping[0].rec_name))

    @classmethod
    def find(cls, date):
        "Return the academic year that contains the date, or None"
        years = cls.search([
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        return years[0] if years else None

    @classmethod
    def starting_year(cls, date):
        "The calendar year in which the academic year of the date began"
        # Without a configured year, Russian academic years start on 1 Sept.
        year = cls.find(date)
        if year:
            return year.start_date.year
        return date.year if date.month >= 9 else date.year - 1


class AcademicTerm(ModelSQL, ModelView):
    "Term (semester) of an academic year"
    __name__ = 'copp.academic.term'
    __string__ = "Academic Term"

    year = fields.Many2One('copp.academic.year', "Academic Year",
        required=True, ondelete='CASCADE')
    number = fields.Integer("Number", required=True,
        domain=[('number', 'in', [1, 2])])
    start_date = fields.Date("Start Date", required=True)
    end_date = fields.Date("End Date", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('year')
        t = cls.__table__()
        cls._sql_constraints = [
            ('year_number_unique', Unique(t, t.year, t.number),
                'copp.msg_academic_term_unique'),
            ]
        cls._order = [('start_date', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return gettext('copp.msg_term_name',
            number=self.number, year=self.year.name)

    @classmethod
    def validate(cls, terms):
        super().validate(terms)
        for term in terms:
            if term.end_date <= term.start_date:
                raise InvalidDates(gettext('copp.msg_dates_order',
                        record=term.rec_name))
            year = term.year
            if (term.start_date < year.start_date
                    or term.end_date > year.end_date):
                raise InvalidDates(gettext('copp.msg_term_outside_year',
                        term=term.rec_name, year=year.rec_name))

    @classmethod
    def find(cls, date):
        terms = cls.search([
                ('start_date', '<=', date),
                ('end_date', '>=', date),
                ], limit=1)
        return terms[0] if terms else None
