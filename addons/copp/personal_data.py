"""Register of reads of personal data (152-ФЗ): who read which fields of
whose record, and when.

A model lists its personal fields in `_personal_data_fields` and mixes in
PersonalDataMixin: every read of those fields on behalf of a user (RPC, a
report, a portal route run as a user) writes one log row per record, in one
INSERT. Internal reads of the server (cron, root) are not logged. The log is
append-only: nobody writes or deletes it through the ORM.
"""
from sql.functions import CurrentTimestamp

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction


class PersonalDataLog(ModelSQL, ModelView):
    "Personal data access"
    __name__ = 'copp.personal_data.log'
    __string__ = "Personal data access"

    company = fields.Many2One('company.company', "Institution",
        readonly=True, ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", readonly=True,
        ondelete='RESTRICT')
    resource = fields.Reference("Record", selection='get_models',
        readonly=True)
    fields_read = fields.Char("Fields", readonly=True)
    date = fields.Function(fields.Timestamp("Date"), 'get_date')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.resource, Index.Equality())),
                Index(t, (t.create_date, Index.Range()),
                    (t.company, Index.Equality())),
                })

    @classmethod
    def get_models(cls):
        pool = Pool()
        Model = pool.get('ir.model')
        names = [n for n, m in pool.iterobject()
            if getattr(m, '_personal_data_fields', None)]
        return [(None, '')] + [(n, Model.get_name(n)) for n in sorted(names)]

    def get_date(self, name):
        return self.create_date

    @classmethod
    def order_date(cls, tables):
        table, _ = tables[None]
        return [table.create_date]

    @classmethod
    def register(cls, model, records, field_names):
        "Log the read of field_names of records (instances with company)"
        transaction = Transaction()
        if not records:
            return
        names = ','.join(sorted(field_names))
        user = transaction.user
        # Records without a college (people) are logged under the reader's
        # current institution.
        reader_company = transaction.context.get('company')
        values = [[getattr(getattr(r, 'company', None), 'id', None)
                or reader_company, user, f'{model},{r.id}', names, user]
            for r in records]
        if transaction.readonly:
            # Reads run in read-only transactions (PostgreSQL refuses an
            # INSERT there): the log is written and committed beside them.
            with transaction.new_transaction() as log_transaction:
                cls._insert(log_transaction, values)
        else:
            cls._insert(transaction, values)

    @classmethod
    def _insert(cls, transaction, values):
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        for start in range(0, len(values), 1000):
            cursor.execute(*table.insert(
                    [table.company, table.user, table.resource,
                        table.fields_read, table.create_uid,
                        table.create_date],
                    [v + [CurrentTimestamp()]
                        for v in values[start:start + 1000]]))


class PersonalDataMixin:
    "Logs the reads of the fields named in _personal_data_fields"
    __slots__ = ()
    _personal_data_fields = set()

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        transaction = Transaction()
        read = cls._personal_data_fields.intersection(fields_names)
        if (read and ids and transaction.user
                and transaction.check_access):
            Log = Pool().get('copp.personal_data.log')
            Log.register(cls.__name__, cls.browse(
                    [r['id'] for r in result]), read)
        return result
