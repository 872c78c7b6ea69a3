"""Drop the PostgreSQL databases and templates left by test runs.

trytond's test tools create test_* databases and, with DB_CACHE=postgresql://,
cached templates named by the module list; a schema change makes a cached
template stale, so every full run starts from none.
"""
import sys
import urllib.parse

import psycopg
from psycopg import sql

# The databases of `make test-postgresql` (DB_NAME=test_copp_<pid>), the
# templates of DB_CACHE=postgresql:// and the live servers of browser tests;
# other runs' databases (test_<someone>_…) are left alone.
PREFIXES = ('test_copp_', 'test-', 'copp_live_')


def main(uri):
    parts = urllib.parse.urlparse(uri)
    dsn = parts._replace(path='/postgres').geturl()
    with psycopg.connect(dsn, autocommit=True) as conn:
        names = [name for name, in conn.execute(
                "SELECT datname FROM pg_database WHERE NOT datistemplate "
                "OR datname LIKE 'test%%'")
            if name.startswith(PREFIXES)]
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                .format(sql.Identifier(name)))
    print(f"Удалено тестовых баз PostgreSQL: {len(names)}")


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else
        'postgresql://postgres@127.0.0.1:5432/')
