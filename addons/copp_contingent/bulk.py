"""Set-based inserts for imports and demo data.

The ORM creates a few hundred records per second; an import of 30 000
students with their persons must do better than 1 000 rows per second. The
rows are validated before (importers.py) and inserted here: ids reserved up
front, the model's defaults filled, each value converted by its field
(sql_format); COPY on PostgreSQL, multi-row INSERTs on SQLite."""
import datetime
import re

from sql import Flavor

from trytond import backend
from trytond.model import fields
from trytond.transaction import Transaction

CHUNK = 500
AUDIT = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}


def reserve_ids(table, count):
    "count new ids of the table"
    if not count:
        return []
    cursor = Transaction().connection.cursor()
    if backend.name == 'postgresql':
        cursor.execute('SELECT nextval(%s) FROM generate_series(1, %s)',
            (f'{table}_id_seq', count))
        return [i for i, in cursor]
    cursor.execute(f'SELECT MAX(id) FROM "{table}"')
    start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def stored_fields(Model):
    return {name: field for name, field in Model._fields.items()
        if name not in AUDIT
        and not isinstance(field, (fields.Function, fields.One2Many,
                fields.Many2Many))}


def _formatter(field):
    "A fast sql_format for the values the importers and the demo give"
    if isinstance(field, (fields.Char, fields.Selection, fields.Integer,
                fields.Many2One, fields.Text)) and not isinstance(
            field, fields.Reference):
        def format_(value):
            if value is None or isinstance(value, (str, int)):
                return value
            return field.sql_format(value)
        return format_
    return field.sql_format


def insert(Model, vlist, defaults=True):
    "Insert the values of vlist as new records of Model; return their ids"
    if not vlist:
        return []
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    stored = stored_fields(Model)
    default_values = {}
    if defaults:
        default_values = {k: v for k, v in Model.default_get(
                list(stored), with_rec_name=False).items() if k in stored}
    names = set(default_values)
    for values in vlist:
        names.update(k for k in values if k in stored)
    names = sorted(names)
    formatters = [_formatter(stored[n]) for n in names]
    ids = reserve_ids(Model._table, len(vlist))
    user = transaction.user
    now = datetime.datetime.now()
    rows = []
    for id_, values in zip(ids, vlist):
        row = [id_]
        for name, format_ in zip(names, formatters):
            value = values[name] if name in values else default_values.get(
                name)
            row.append(format_(value))
        row += [user, now]
        rows.append(row)
    columns = ', '.join(f'"{c}"' for c in ['id'] + names + [
            'create_uid', 'create_date'])
    if backend.name == 'postgresql':
        # COPY: no SQL text to build and parse for tens of thousands of rows
        with cursor.copy(
                f'COPY "{Model._table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return ids
    param = Flavor.get().param
    placeholder = '(' + ', '.join([param] * (len(names) + 3)) + ')'
    for index in range(0, len(rows), CHUNK):
        chunk = rows[index:index + CHUNK]
        cursor.execute(f'INSERT INTO "{Model._table}" ({columns}) VALUES '
            + ', '.join([placeholder] * len(chunk)),
            [v for row in chunk for v in row])
    return ids


def party_values(Party, vlist):
    """Complete persons' values as party.party's preprocess and compute do:
    name from its parts, code from the party sequence"""
    if not vlist:
        return []
    sequence = Party._code_sequence()
    codes = list(sequence.get_many(len(vlist))) if sequence else [
        None] * len(vlist)
    result = []
    for values, code in zip(vlist, codes):
        values = dict(values)
        if not values.get('name'):
            values['name'] = ' '.join(values[p] for p in [
                    'last_name', 'first_name', 'patronymic'] if values.get(p))
        values['code'] = code
        values['code_alnum'] = re.sub(r'[\W_]', '', code) if code else None
        try:
            values['code_digit'] = int(re.sub(r'\D', '', code or '')[-18:])
        except ValueError:
            values['code_digit'] = None
        values.setdefault('active', True)
        result.append(values)
    return result
