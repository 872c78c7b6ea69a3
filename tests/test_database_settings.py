"""The deployment database made by `copp init` on PostgreSQL carries the
settings of copp.cli.database.PG_SETTINGS (JIT off) for every connection."""
import pytest

from copp.cli.database import PG_SETTINGS


def test_init_tunes_postgresql(live_server):
    uri = live_server.env['TRYTOND_DATABASE__URI']
    if not uri.startswith('postgresql'):
        pytest.skip("PostgreSQL only: SQLite has no such settings")
    import psycopg
    base = uri.rstrip('/')
    with psycopg.connect(f'{base}/{live_server.database}') as conn:
        for name, value in PG_SETTINGS.items():
            shown = conn.execute(f'SHOW {name}').fetchone()[0]
            assert shown == value, (name, shown)
