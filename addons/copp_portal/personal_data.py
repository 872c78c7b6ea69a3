"""The personal-data log (copp.personal_data.log) knows the portal account
that read: a student or a parent reading a student's marks in the cabinet
is recorded like a clerk reading the student's file (action «read», the
student's college, the fields shown), with the portal account instead of a
back-office user."""
from sql import Cast, Literal
from sql.functions import CurrentTimestamp
from sql.operators import Concat

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from copp.personal_data import institution_field


class PersonalDataLog(metaclass=PoolMeta):
    __name__ = 'copp.personal_data.log'

    portal_user = fields.Many2One('web.user', "Portal Account",
        readonly=True, ondelete='SET NULL',
        help="The portal account that read (a student, a parent).")

    @classmethod
    def register_portal(cls, portal_user, model, records, field_names,
            action='read'):
        """Log that `portal_user` was shown `field_names` of `records` of
        `model` (one INSERT … SELECT per 1 000 records), under each
        record's college"""
        pool = Pool()
        transaction = Transaction()
        ids = sorted({int(getattr(r, 'id', r)) for r in records or []})
        if not ids or portal_user is None:
            return
        Model = pool.get(model)
        names = ','.join(sorted(field_names))[:1000]
        if transaction.readonly:
            with transaction.new_transaction() as log_transaction:
                cls._insert_portal(log_transaction, Model, ids, names,
                    action, int(portal_user))
        else:
            cls._insert_portal(transaction, Model, ids, names, action,
                int(portal_user))

    @classmethod
    def _insert_portal(cls, transaction, Model, ids, names, action,
            portal_user):
        table = cls.__table__()
        source = Model.__table__()
        cursor = transaction.connection.cursor()
        company_field, computed_company = institution_field(Model)
        company = (source.company if company_field and not computed_company
            else Cast(Literal(None), 'INTEGER'))
        columns = [table.company, table.user, table.portal_user, table.action,
            table.model, table.resource, table.fields_read, table.create_uid,
            table.create_date]
        for sub_ids in grouped_slice(ids, 1000):
            sub_ids = list(sub_ids)
            if computed_company:
                # The institution of a record is computed (an invitation's
                # is its survey's): read in one batch
                with transaction.set_user(0), \
                        transaction.set_context(_check_access=False):
                    companies = {r.id: r.company.id if r.company else None
                        for r in Model.browse(sub_ids)}
                cursor.execute(*table.insert(columns, [
                            [companies.get(i), None, portal_user, action,
                                Model.__name__, f'{Model.__name__},{i}',
                                names, 0, CurrentTimestamp()]
                            for i in sub_ids]))
                continue
            query = source.select(company, Cast(Literal(None), 'INTEGER'),
                Literal(portal_user), Literal(action), Literal(Model.__name__),
                Concat(Model.__name__ + ',', Cast(source.id, 'VARCHAR')),
                Literal(names), Literal(0), CurrentTimestamp(),
                where=source.id.in_(sub_ids))
            cursor.execute(*table.insert(columns, query))
