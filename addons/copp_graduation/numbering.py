"""The book of issued documents: registration numbers per college and
calendar year (strict sequences made on first use, no gaps)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access


class Numbering(ModelSQL, ModelView):
    "Register of Issued Documents"
    __name__ = 'copp.graduation.numbering'
    __string__ = "Register of Issued Documents"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    sequence = fields.Many2One('ir.sequence.strict', "Sequence",
        required=True, ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('year_unique', Unique(t, t.company, t.year),
                'copp_graduation.msg_numbering_unique'),
            ]
        cls._order = [('company', 'ASC'), ('year', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _sequence(cls, company, year):
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id), ('year', '=', year)],
                limit=1)
            if records:
                return records[0].sequence
            sequence, = Sequence.create([{
                        'name': gettext(
                            'copp_graduation.msg_numbering_name',
                            college=company.short_name or company.rec_name,
                            year=year),
                        'sequence_type': ModelData.get_id(
                            'copp_graduation', 'sequence_type_registration'),
                        'prefix': f'{year}-', 'padding': 4,
                        'company': company.id,
                        }])
            cls.create([{'company': company.id, 'year': year,
                        'sequence': sequence.id}])
            return sequence

    @classmethod
    def next_registration(cls, company, date):
        pool = Pool()
        Numbering = pool.get('copp.contingent.numbering')
        return Numbering._take(cls._sequence(company, date.year), 1, date)[0]
