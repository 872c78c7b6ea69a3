from trytond.tools import grouped_slice


def sliced(records, size=1000):
    """Lists of at most `size` records (grouped_slice without a size is
    deprecated in trytond 8 and slices one by one)"""
    for part in grouped_slice(list(records), size):
        yield list(part)


def reduce_ids(column, ids):
    """`column IN ids` (= ANY(array) on PostgreSQL): what the deprecated
    trytond.tools.reduce_ids does, without its warning"""
    from trytond.model.fields import SQL_OPERATORS
    return SQL_OPERATORS['in'](column, list(ids))
