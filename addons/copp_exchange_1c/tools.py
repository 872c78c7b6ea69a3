"""SQL helpers of the exchange: bulk inserts, an all-or-nothing savepoint,
and small conversions shared by the outgoing and incoming messages."""
import contextlib
import datetime as dt
from decimal import Decimal

from trytond import backend
from trytond.transaction import Transaction

IN_CHUNK = 1000


def to_date(value):
    "A date from a date or an ISO string (as SQLite returns dates)"
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def to_amount(value):
    "A Decimal with kopecks"
    return Decimal(str(value or 0)).quantize(Decimal('0.01'))


def counts_text(counts):
    "The objects by type: «Документ.…: 3, Справочник.…: 2»"
    return ', '.join(f"{k}: {v}" for k, v in sorted(counts.items()))


def insert_rows(Model, names, rows):
    """Insert many rows of Model's table: on PostgreSQL one INSERT … SELECT
    FROM unnest() of one array per column (the fastest way through psycopg),
    elsewhere one prepared statement executed for every row."""
    if not rows:
        return
    table = Model.__table__()
    columns = [getattr(table, n) for n in names]
    cursor = Transaction().connection.cursor()
    if backend.name == 'postgresql':
        types = [Model._fields[n].sql_type().base for n in names]
        arrays = [list(c) for c in zip(*rows)]
        quote = '"'
        sql = (f'INSERT INTO {quote}{Model._table}{quote} ('
            + ', '.join(f'{quote}{n}{quote}' for n in names)
            + ') SELECT * FROM unnest('
            + ', '.join(f'%s::{t}[]' for t in types) + ')')
        cursor.execute(sql, arrays)
    else:
        sql, _ = tuple(table.insert(columns, [rows[0]]))
        cursor.executemany(sql, rows)


@contextlib.contextmanager
def savepoint(name='copp_exchange_1c_apply'):
    """All or nothing inside a transaction that already wrote something"""
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute(f'SAVEPOINT {name}')
    try:
        yield
    except BaseException:
        cursor.execute(f'ROLLBACK TO SAVEPOINT {name}')
        for cache in transaction.cache.values():
            cache.clear()
        raise
    else:
        cursor.execute(f'RELEASE SAVEPOINT {name}')
