"""A column of the record a Many2One points at, for many records at once."""
from trytond.model import fields
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


def related_values(Model, records, link, Target, column):
    """{record id: Target.<column>} through Model.<link>: one query per
    slice, not the rows of the targets (function fields of lists)"""
    table, target = Model.__table__(), Target.__table__()
    cursor = Transaction().connection.cursor()
    result = {r.id: None for r in records}
    for sub_ids in grouped_slice(list(result), 1000):
        cursor.execute(*table.join(target,
                condition=target.id == getattr(table, link)).select(
                table.id, getattr(target, column),
                where=fields.SQL_OPERATORS['in'](table.id, list(sub_ids))))
        result.update(cursor)
    return result
