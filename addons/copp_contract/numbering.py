"""Numbering of the contracts: the register of a college's contract numbers
per calendar year (an ir.sequence made on first use)."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


class Numbering(ModelSQL, ModelView):
    """Numbering of a college's contracts per calendar year.

    The sequence is created the first time a contract of the year is made;
    its prefix and next number can be edited afterwards."""
    __name__ = 'copp.contract.numbering'
    __string__ = "Contract Numbering"

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    year = fields.Integer("Year", required=True, readonly=True)
    sequence = fields.Many2One('ir.sequence', "Sequence", required=True,
        ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('company_year_unique', Unique(t, t.company, t.year),
                'copp_contract.msg_numbering_unique'),
            ]
        cls._order = [('company', 'ASC'), ('year', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def get_number(cls, company, date):
        pool = Pool()
        Sequence = pool.get('ir.sequence')
        ModelData = pool.get('ir.model.data')
        year = date.year
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id),
                    ('year', '=', year),
                    ], limit=1)
            if records:
                sequence = records[0].sequence
            else:
                sequence, = Sequence.create([{
                            'name': gettext(
                                'copp_contract.msg_numbering_name',
                                college=company.rec_name, year=year),
                            'sequence_type': ModelData.get_id(
                                'copp_contract', 'sequence_type_contract'),
                            'company': company.id,
                            'prefix': f'{year}-',
                            'padding': 4,
                            }])
                cls.create([{'company': company.id, 'year': year,
                            'sequence': sequence.id}])
            return Sequence(sequence.id).get()
