"""Test databases cached between runs, keyed by the content of addons/.

trytond's test tools build one database per set of activated modules and keep
it as a template (DB_CACHE): a SQLite file in a directory, or a PostgreSQL
database named test-<hash of the module list>. Building them is most of a
run's time on PostgreSQL. They stay valid while the modules' sources do not
change, so they are kept between runs and thrown away when addons/ changes:

    test_cache.py hash                  the key of the current sources
    test_cache.py sqlite-dir BASE       BASE/sqlite-<key> (made; other keys'
                                        directories under BASE removed)
    test_cache.py pg-prepare URI        drop the databases of earlier runs and
                                        the templates of other sources
    test_cache.py pg-mark URI           mark the templates as built from the
                                        current sources
"""
import hashlib
import shutil
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Databases of `make test-postgresql` (DB_NAME=test_copp_<pid>) and of the
# live servers of browser tests; other runs' test_<someone>_… are left alone.
RUN_PREFIXES = ('test_copp_', 'copp_live_')
TEMPLATE_PREFIX = 'test-'


def sources_key():
    import trytond
    digest = hashlib.sha256(trytond.__version__.encode())
    for path in sorted((ROOT / 'addons').rglob('*')):
        if path.is_file() and not any(part == '__pycache__'
                or part.endswith('.egg-info') for part in path.parts):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_dir(base):
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    current = base / f'sqlite-{sources_key()}'
    for other in base.glob('sqlite-*'):
        if other != current:
            shutil.rmtree(other, ignore_errors=True)
    current.mkdir(exist_ok=True)
    return current


def _connect(uri):
    import psycopg
    dsn = urllib.parse.urlparse(uri)._replace(path='/postgres').geturl()
    return psycopg.connect(dsn, autocommit=True)


def _databases(conn):
    return conn.execute(
        "SELECT datname, shobj_description(oid, 'pg_database') "
        "FROM pg_database").fetchall()


def pg_prepare(uri):
    from psycopg import sql
    key = sources_key()
    dropped = kept = 0
    with _connect(uri) as conn:
        for name, comment in _databases(conn):
            stale = name.startswith(TEMPLATE_PREFIX) and comment != key
            if name.startswith(RUN_PREFIXES) or stale:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                    .format(sql.Identifier(name)))
                dropped += 1
            elif name.startswith(TEMPLATE_PREFIX):
                kept += 1
    print(f"Тестовые базы PostgreSQL: удалено {dropped}, "
        f"шаблонов текущих исходников оставлено {kept}")


def pg_mark(uri):
    from psycopg import sql
    key = sources_key()
    with _connect(uri) as conn:
        for name, comment in _databases(conn):
            if name.startswith(RUN_PREFIXES):
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                    .format(sql.Identifier(name)))
            elif name.startswith(TEMPLATE_PREFIX) and comment != key:
                conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(name), sql.Literal(key)))


def main(argv):
    command, *args = argv
    if command == 'hash':
        print(sources_key())
    elif command == 'sqlite-dir':
        print(sqlite_dir(args[0]))
    elif command == 'pg-prepare':
        pg_prepare(args[0])
    elif command == 'pg-mark':
        pg_mark(args[0])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:] or ['help'])
