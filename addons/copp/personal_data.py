"""Register of accesses to personal data (152-ФЗ): who read, searched,
exported or printed which fields of whose record, and when.

A model lists its personal fields in `_personal_data_fields` and mixes in
PersonalDataMixin: every read of those fields on behalf of a user (RPC, a
report, a portal route run as a user) and every search whose domain uses
them registers the records, one row per record, in one INSERT (a list of
1 000 students is one statement, not 1 000). Exports (export_data of any
model, following the paths of the columns) and printed reports are
registered by personal_data_export.py. Internal reads of the server (cron,
root, code running without access checks) are not logged. The log is
append-only: nobody writes or deletes it through the ORM.
"""
from collections import defaultdict

from sql import Cast, Literal, Null
from sql.conditionals import Coalesce
from sql.functions import CurrentTimestamp
from sql.operators import Concat

from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import (
    Transaction, inactive_records, without_check_access)

ACTIONS = [
    ('read', "Read"),
    ('search', "Search"),
    ('export', "Export"),
    ('print', "Print"),
    ]


def _in(column, ids):
    return fields.SQL_OPERATORS['in'](column, list(ids))


def user_access_checked():
    "True when the transaction acts on behalf of a user (RPC, user routes)"
    transaction = Transaction()
    return bool(transaction.user and transaction.check_access)


class PersonalDataLog(ModelSQL, ModelView):
    "Personal data access"
    __name__ = 'copp.personal_data.log'
    __string__ = "Personal data access"

    company = fields.Many2One('company.company', "Institution",
        readonly=True, ondelete='CASCADE')
    user = fields.Many2One('res.user', "User", readonly=True,
        ondelete='RESTRICT')
    action = fields.Selection(ACTIONS, "Action", readonly=True, sort=False)
    model = fields.Char("Model", readonly=True)
    resource = fields.Reference("Record", selection='get_models',
        readonly=True)
    record_name = fields.Function(fields.Char("Record"), 'get_record_name')
    fields_read = fields.Char("Fields", readonly=True,
        help="The personal data fields read, searched or exported; the "
        "report for a print.")
    fields_label = fields.Function(fields.Char("Fields"),
        'get_fields_label')
    date = fields.Function(fields.Timestamp("Date"), 'get_date',
        searcher='search_date')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._sql_indexes.update({
                Index(t, (t.resource, Index.Equality())),
                Index(t, (t.create_date, Index.Range()),
                    (t.company, Index.Equality())),
                Index(t, (t.user, Index.Equality()),
                    (t.create_date, Index.Range())),
                Index(t, (t.model, Index.Equality()),
                    (t.create_date, Index.Range())),
                })

    @classmethod
    def __register__(cls, module):
        table_h = cls.__table_handler__(module)
        had_action = table_h.column_exist('action')
        had_model = table_h.column_exist('model')
        super().__register__(module)
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        if not had_action:
            # The rows written before the column were reads.
            cursor.execute(*table.update([table.action], ['read'],
                    where=table.action == Null))
        if not had_model:
            # The model of the rows written before the column, from the
            # record's reference (the models of later modules are not in
            # the pool yet).
            cursor.execute(*table.select(table.id, table.resource,
                    where=table.model == Null))
            by_model = defaultdict(list)
            for id_, resource in cursor.fetchall():
                by_model[(resource or '').split(',', 1)[0]].append(id_)
            for name, ids in by_model.items():
                for sub_ids in grouped_slice(ids, 1000):
                    cursor.execute(*table.update([table.model], [name],
                            where=_in(table.id, sub_ids)))

    @classmethod
    def default_action(cls):
        return 'read'

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
    def get_fields_label(cls, logs, name):
        "The labels of the fields read, in the user's language"
        pool = Pool()
        labels = {}
        result = {}
        for log in logs:
            if log.model not in labels:
                try:
                    Model = pool.get(log.model)
                except KeyError:
                    labels[log.model] = {}
                else:
                    labels[log.model] = {n: d['string']
                        for n, d in Model.fields_get().items()}
            names = [n for n in (log.fields_read or '').split(',') if n]
            result[log.id] = ', '.join(
                labels[log.model].get(n, n) for n in names)
        return result

    @classmethod
    def get_record_name(cls, logs, name):
        """The name of the record accessed, for the readers of the log (the
        offices of its college, the officer), who may not read the model
        itself: one query for the references, one browse per model"""
        pool = Pool()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        by_model = defaultdict(lambda: defaultdict(list))
        for sub_ids in grouped_slice([l.id for l in logs], 1000):
            cursor.execute(*table.select(table.id, table.resource,
                    where=_in(table.id, sub_ids)))
            for log_id, resource in cursor:
                result[log_id] = resource or ''
                model, _, id_ = (resource or '').partition(',')
                if model and id_.isdigit():
                    by_model[model][int(id_)].append(log_id)
        with without_check_access(), inactive_records():
            for model, ids in by_model.items():
                try:
                    Model = pool.get(model)
                except KeyError:
                    continue
                existing = Model.search([('id', 'in', list(ids))], order=[])
                for record in Model.browse([r.id for r in existing]):
                    for log_id in ids[record.id]:
                        result[log_id] = record.rec_name
        return result

    @classmethod
    def search_date(cls, name, clause):
        return [('create_date',) + tuple(clause[1:])]

    @classmethod
    def order_date(cls, tables):
        table, _ = tables[None]
        return [table.create_date]

    @classmethod
    def register(cls, model, records, field_names, action='read'):
        """Log the `action` on `field_names` of `records` (instances or
        ids) of `model` on behalf of the transaction's user (root for a
        route that shows them to the holder of a link).

        Only the records that are personal data are logged (a model may
        keep some out: organizations among the parties). Records with a
        college are logged under it, the others (people) under the reader's
        current institution."""
        pool = Pool()
        transaction = Transaction()
        if not records:
            return
        Model = pool.get(model)
        ids = sorted({int(getattr(r, 'id', r)) for r in records
                if getattr(r, 'id', r) is not None
                and int(getattr(r, 'id', r)) >= 0})
        filter_ = getattr(Model, '_personal_data_ids', None)
        if filter_ is not None and ids:
            ids = sorted(filter_(ids))
        if not ids:
            return
        names = ','.join(sorted(field_names))[:1000]
        if transaction.readonly:
            # Reads run in read-only transactions (PostgreSQL refuses an
            # INSERT there): the log is written and committed beside them.
            with transaction.new_transaction() as log_transaction:
                cls._insert(log_transaction, Model, ids, names, action)
        else:
            cls._insert(transaction, Model, ids, names, action)

    @classmethod
    def _insert(cls, transaction, Model, ids, names, action):
        "One INSERT … SELECT per 1 000 records, from the model's own table"
        table = cls.__table__()
        cursor = transaction.connection.cursor()
        user = transaction.user
        reader_company = transaction.context.get('company')
        if reader_company is None and user:
            # A call without the client's context: the user's institution
            User = Pool().get('res.user')
            with transaction.set_user(0):
                company = User(user).company
            reader_company = company.id if company else None
        source = None
        company = Cast(Literal(reader_company), 'INTEGER')
        company_field, computed_company = institution_field(Model)
        if isinstance(Model, type) and issubclass(Model, ModelSQL) \
                and not callable(getattr(Model, 'table_query', None)) \
                and not computed_company:
            source = Model.__table__()
            if company_field:
                company = Coalesce(source.company, company)
        columns = [table.company, table.user, table.action, table.model,
            table.resource, table.fields_read, table.create_uid,
            table.create_date]
        for sub_ids in grouped_slice(ids, 1000):
            sub_ids = list(sub_ids)
            if source is not None:
                query = source.select(company, Literal(user),
                    Literal(action), Literal(Model.__name__),
                    Concat(Model.__name__ + ',', Cast(source.id, 'VARCHAR')),
                    Literal(names), Literal(user), CurrentTimestamp(),
                    where=_in(source.id, sub_ids))
                cursor.execute(*table.insert(columns, query))
            else:
                companies = {}
                if computed_company:
                    # The institution of a record is computed (a
                    # registration's is its event's): read in one batch
                    with transaction.set_user(0), \
                            transaction.set_context(_check_access=False):
                        companies = {r.id: r.company.id if r.company
                            else None for r in Model.browse(sub_ids)}
                cursor.execute(*table.insert(columns, [
                            [companies.get(i) or reader_company, user,
                                action, Model.__name__,
                                f'{Model.__name__},{i}', names, user,
                                CurrentTimestamp()] for i in sub_ids]))


def institution_field(Model):
    """(has a `company` field of company.company, the field is computed):
    where the personal-data log finds the institution of a record"""
    field = Model._fields.get('company')
    target = getattr(field, '_field', field)  # a Function's field
    company_field = (isinstance(target, fields.Many2One)
        and target.model_name == 'company.company')
    return company_field, company_field and isinstance(field, fields.Function)


def domain_personal_fields(Model, domain):
    """The paths of `domain` (a search of Model) that reach a personal data
    field of Model or of a model on the way ('party.snils', 'last_name')"""
    pool = Pool()
    found = set()

    def target_of(model, name):
        field = model._fields.get(name)
        target = getattr(field, 'model_name', None)
        try:
            return pool.get(target) if target else None
        except KeyError:
            return None

    def walk(domain, model, prefix=''):
        if not domain or not isinstance(domain, (list, tuple)):
            return
        if (len(domain) > 2 and isinstance(domain[0], str)
                and isinstance(domain[1], str)):
            current = model
            for name in domain[0].split('.'):
                name = name.split(':', 1)[0]
                if name in getattr(current, '_personal_data_fields', ()):
                    found.add(prefix + domain[0])
                    break
                current = target_of(current, name)
                if current is None:
                    break
            if domain[1] in {'where', 'not where'}:
                target = target_of(model, domain[0].split('.', 1)[0])
                if target is not None:
                    walk(domain[2], target, prefix + domain[0] + '.')
            return
        for item in domain:
            if isinstance(item, (list, tuple)):
                walk(item, model, prefix)

    walk(domain, Model)
    return found


class PersonalDataMixin:
    """Logs the reads of the fields named in _personal_data_fields and the
    searches that use them"""
    __slots__ = ()
    _personal_data_fields = set()

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        read = cls._personal_data_fields.intersection(
            f.split('.', 1)[0] for f in fields_names)
        if read and ids and user_access_checked():
            Log = Pool().get('copp.personal_data.log')
            Log.register(cls.__name__, [r['id'] for r in result], read)
        return result

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        result = super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)
        if (not count and not query and result and user_access_checked()):
            searched = domain_personal_fields(cls, domain)
            if searched:
                Log = Pool().get('copp.personal_data.log')
                Log.register(cls.__name__, result, searched,
                    action='search')
        return result
