"""Registers of a college: order numbers per calendar year (15-к) and
record-book numbers (26-0153), as strict sequences made on first use."""

from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, fields)
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access



class Numbering(ModelSQL, ModelView):
    """Numbering of a college's orders (per calendar year) and record books.

    The sequences are created the first time they are needed and can be
    edited afterwards (prefix, suffix, next number)."""
    __name__ = 'copp.contingent.numbering'

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('order', "Orders"),
            ('record_book', "Record Books"),
            ], "Kind", required=True, readonly=True)
    year = fields.Integer("Year", readonly=True)
    sequence = fields.Many2One('ir.sequence.strict', "Sequence",
        required=True, ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('kind_year_unique', Unique(t, t.company, t.kind, t.year),
                'copp_contingent.msg_numbering_unique'),
            ]
        cls._order = [('company', 'ASC'), ('kind', 'ASC'), ('year', 'DESC'),
            ('id', 'ASC')]

    @classmethod
    def _sequence(cls, company, kind, year=None):
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        ModelData = pool.get('ir.model.data')
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id),
                    ('kind', '=', kind),
                    ('year', '=', year),
                    ], limit=1)
            if records:
                return records[0].sequence
            name = company.short_name or company.rec_name
            if kind == 'order':
                values = {
                    'name': gettext('copp_contingent.msg_numbering_orders',
                        college=name, year=year),
                    'sequence_type': ModelData.get_id(
                        'copp_contingent', 'sequence_type_order'),
                    'suffix': '-к', 'padding': 0,
                    }
            else:
                values = {
                    'name': gettext(
                        'copp_contingent.msg_numbering_record_books',
                        college=name),
                    'sequence_type': ModelData.get_id(
                        'copp_contingent', 'sequence_type_record_book'),
                    'prefix': '${date_y}-', 'padding': 4,
                    }
            sequence, = Sequence.create([dict(values, company=company.id)])
            cls.create([{'company': company.id, 'kind': kind,
                        'year': year, 'sequence': sequence.id}])
            return sequence

    @classmethod
    def next_order_number(cls, company, date):
        return cls._take(cls._sequence(company, 'order', date.year), 1,
            date)[0]

    @classmethod
    def next_record_books(cls, company, date, count):
        return cls._take(cls._sequence(company, 'record_book'), count, date)

    @classmethod
    def _take(cls, sequence, count, date):
        """Take count numbers of the strict sequence without gaps.

        One UPDATE moves the counter: on PostgreSQL it locks the row until
        the transaction ends (concurrent signers wait, a rollback gives the
        numbers back) without the record locking of ir.sequence.strict, which
        asks the caller to restart the transaction (the copp command and
        the demo do not)."""
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        table = Sequence.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.number_next_internal],
                [table.number_next_internal
                    + table.number_increment * count],
                where=table.id == sequence.id))
        cursor.execute(*table.select(
                table.number_next_internal, table.number_increment,
                table.padding, table.prefix, table.suffix,
                where=table.id == sequence.id))
        end, increment, padding, prefix, suffix = cursor.fetchone()
        start = end - increment * count
        with Transaction().set_context(date=date):
            prefix = Sequence._process(prefix)
            suffix = Sequence._process(suffix)
        return [f'{prefix}{number:0>{padding or 0}d}{suffix}'
            for number in range(start, end, increment)]
