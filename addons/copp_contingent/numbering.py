"""Registers of a college: order numbers per calendar year (15-к),
record-book numbers (26-0153) and study certificates per calendar year
(1, 2, …), as strict sequences made on first use. `RegisterMixin` is the
register itself, which the registers of copp_training share."""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


class RegisterMixin:
    """Registers of an organization: a strict sequence per kind and year,
    made on first use (`_sequence_values` gives its name, type, prefix…),
    its numbers taken without gaps (`_take`). The model has the fields
    company, kind and year; `_unique_message` names the message of the
    uniqueness of a register."""
    __slots__ = ()
    _unique_message = None
    sequence = fields.Many2One('ir.sequence.strict', "Sequence",
        required=True, ondelete='RESTRICT', readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('kind_year_unique', Unique(t, t.company, t.kind, t.year),
                cls._unique_message),
            ]
        cls._order = [('company', 'ASC'), ('kind', 'ASC'), ('year', 'DESC'),
            ('id', 'ASC')]

    @classmethod
    def _sequence_values(cls, kind, year, organization):
        "The values of the new sequence of a register of `organization`"
        raise NotImplementedError

    @classmethod
    def _sequence(cls, company, kind, year=None):
        pool = Pool()
        Sequence = pool.get('ir.sequence.strict')
        with without_check_access():
            records = cls.search([
                    ('company', '=', company.id),
                    ('kind', '=', kind),
                    ('year', '=', year),
                    ], limit=1)
            if records:
                return records[0].sequence
            values = cls._sequence_values(kind, year,
                company.short_name or company.rec_name)
            sequence, = Sequence.create([dict(values, company=company.id)])
            cls.create([{'company': company.id, 'kind': kind,
                        'year': year, 'sequence': sequence.id}])
            return sequence

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


class Numbering(RegisterMixin, ModelSQL, ModelView):
    """Numbering of a college's orders (per calendar year) and record books.

    The sequences are created the first time they are needed and can be
    edited afterwards (prefix, suffix, next number)."""
    __name__ = 'copp.contingent.numbering'
    _unique_message = 'copp_contingent.msg_numbering_unique'

    company = fields.Many2One('company.company', "College", required=True,
        ondelete='CASCADE', readonly=True)
    kind = fields.Selection([
            ('order', "Orders"),
            ('record_book', "Record Books"),
            ('certificate', "Study Certificates"),
            ], "Kind", required=True, readonly=True)
    year = fields.Integer("Year", readonly=True)

    @classmethod
    def _sequence_values(cls, kind, year, organization):
        ModelData = Pool().get('ir.model.data')
        if kind == 'order':
            return {
                'name': gettext('copp_contingent.msg_numbering_orders',
                    college=organization, year=year),
                'sequence_type': ModelData.get_id(
                    'copp_contingent', 'sequence_type_order'),
                'suffix': '-к', 'padding': 0,
                }
        if kind == 'certificate':
            return {
                'name': gettext(
                    'copp_contingent.msg_numbering_certificates',
                    college=organization, year=year),
                'sequence_type': ModelData.get_id(
                    'copp_contingent', 'sequence_type_certificate'),
                'padding': 0,
                }
        return {
            'name': gettext(
                'copp_contingent.msg_numbering_record_books',
                college=organization),
            'sequence_type': ModelData.get_id(
                'copp_contingent', 'sequence_type_record_book'),
            'prefix': '${date_y}-', 'padding': 4,
            }

    @classmethod
    def next_order_number(cls, company, date):
        return cls._take(cls._sequence(company, 'order', date.year), 1,
            date)[0]

    @classmethod
    def next_certificate_numbers(cls, company, date, count):
        "Numbers of study certificates of the college's register of the year"
        return cls._take(cls._sequence(company, 'certificate', date.year),
            count, date)

    @classmethod
    def next_record_books(cls, company, date, count):
        return cls._take(cls._sequence(company, 'record_book'), count, date)
