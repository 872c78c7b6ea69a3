"""Bulk loading of the demo journal: COPY on PostgreSQL (multi-row INSERT
elsewhere), ids reserved from the sequences, secondary indexes dropped and
rebuilt around the load."""
import io

from trytond import backend
from trytond.transaction import Transaction


def _reserve_ids(cursor, table, count):
    if not count:
        return []
    if backend.name == 'postgresql':
        cursor.execute('SELECT nextval(%s) FROM generate_series(1, %s)',
            (f'{table}_id_seq', count))
        return [i for i, in cursor]
    cursor.execute(f'SELECT MAX(id) FROM "{table}"')
    start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


class _Writer:
    """Bulk insert of many rows: COPY on PostgreSQL, multi-row INSERT
    elsewhere"""

    def __init__(self, model, columns, chunk=2000):
        self.model = model
        self.table = model.__table__()
        self.columns = columns
        self.chunk = chunk
        self.rows = []
        self.count = 0
        self.cursor = Transaction().connection.cursor()
        self.postgresql = backend.name == 'postgresql'
        if self.postgresql:
            self.buffer = io.StringIO()

    def add(self, row):
        self.count += 1
        if self.postgresql:
            self.buffer.write('\t'.join(_copy_text(v) for v in row))
            self.buffer.write('\n')
            if self.count % 200000 == 0:
                self._copy()
        else:
            self.rows.append(row)
            if len(self.rows) >= self.chunk:
                self._insert()

    def _copy(self):
        data = self.buffer.getvalue()
        self.buffer = io.StringIO()
        if not data:
            return
        columns = ', '.join(f'"{c}"' for c in self.columns)
        with self.cursor.copy(
                f'COPY "{self.model._table}" ({columns}) FROM STDIN') as copy:
            copy.write(data)

    def _insert(self):
        if self.rows:
            table = self.table
            self.cursor.execute(*table.insert(
                    [getattr(table, c) for c in self.columns], self.rows))
            self.rows = []

    def close(self):
        if self.postgresql:
            self._copy()
        else:
            self._insert()
        return self.count


class _BulkLoad:
    """On PostgreSQL, load the big tables without their secondary indexes
    (rebuilt at the end, then ANALYZE) and, for a superuser, without the
    foreign-key triggers (the generated rows are consistent by
    construction)"""

    def __init__(self, models):
        self.tables = [m._table for m in models]
        self.indexes = []
        self.replica = False

    def __enter__(self):
        if backend.name != 'postgresql':
            return self
        cursor = Transaction().connection.cursor()
        cursor.execute('SELECT rolsuper FROM pg_roles '
            'WHERE rolname = current_user')
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("SET LOCAL session_replication_role = 'replica'")
            self.replica = True
        for table in self.tables:
            cursor.execute('SELECT indexname, indexdef FROM pg_indexes '
                'WHERE tablename = %s AND indexname NOT IN ('
                'SELECT conname FROM pg_constraint '
                'WHERE conrelid = %s::regclass)', (table, f'"{table}"'))
            for name, definition in cursor.fetchall():
                self.indexes.append(definition)
                cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        if backend.name != 'postgresql' or exc[0]:
            return
        cursor = Transaction().connection.cursor()
        if self.replica:
            cursor.execute("SET LOCAL session_replication_role = 'origin'")
        cursor.execute('SET LOCAL maintenance_work_mem = \'256MB\'')
        for definition in self.indexes:
            cursor.execute(definition)
        for table in self.tables:
            cursor.execute(f'ANALYZE "{table}"')


def _copy_text(value):
    if value is None:
        return '\\N'
    if value is True:
        return 't'
    if value is False:
        return 'f'
    text = str(value)
    if '\\' in text or '\t' in text or '\n' in text:
        text = text.replace('\\', '\\\\').replace('\t', '\\t').replace(
            '\n', '\\n')
    return text


def analyze(models):
    """ANALYZE the tables on PostgreSQL: without statistics the planner
    guesses thousands of lessons per teaching load and plans the journal
    page's small queries in parallel (~15 ms of worker start-up each)"""
    if backend.name != 'postgresql':
        return
    cursor = Transaction().connection.cursor()
    for model in models:
        cursor.execute(f'ANALYZE "{model._table}"')
