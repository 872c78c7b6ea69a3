"""The portal accounts of a database made with the code before web.user
(copp.portal.user) survive the update: the old code (read from git, the
parent of the commit that removed copp.portal.user) creates a database and
some activity (old_portal_activity.py), the current code updates
copp_portal and checks every account, hash, login delay, session, link and
security-log row (check_web_user.py).

SQLite by default; PostgreSQL when TRYTOND_DATABASE_URI says so (the
database `<DB_NAME or test>_webuser_mig` is created and dropped).
Takes two activations of copp_portal (about two minutes on SQLite)."""
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MARKER = "__name__ = 'copp.portal.user'"
# copp too: the update must bring the base's own changes (new columns)
MODULES = ['copp', 'copp_portal']


def _git(*args):
    return subprocess.run(['git', '-C', str(REPO), *args], check=True,
        capture_output=True).stdout


def old_revision():
    "The last commit whose copp_portal still had copp.portal.user"
    ref = os.environ.get('COPP_MIGRATION_OLD_REF')
    if ref:
        return ref
    removed = _git('log', '-1', '--format=%H', '-S', MARKER, 'HEAD', '--',
        'addons/copp_portal/user.py').decode().strip()
    if not removed:
        pytest.skip("no commit with copp.portal.user in this history")
    return f'{removed}^'


def extract(revision, target):
    """The addons/ of `revision` into target/addons; the modules added since
    (registered by the installed entry points, imported by trytond) are
    empty there, as they did not exist for the old code"""
    data = _git('archive', '--format=tar', revision, 'addons')
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter='data')
    addons = target / 'addons'
    for module in (REPO / 'addons').iterdir():
        if (module / 'tryton.cfg').exists() and not (addons / module.name
                ).exists():
            (addons / module.name).mkdir()
            (addons / module.name / '__init__.py').write_text('')
            (addons / module.name / 'tryton.cfg').write_text(
                '[tryton]\nversion=8.0.0\ndepends:\n    ir\n')
    return addons


def _uri():
    return (os.environ.get('TRYTOND_DATABASE__URI')
        or os.environ.get('TRYTOND_DATABASE_URI') or 'sqlite://')


@pytest.fixture
def database(tmp_path):
    "(name, env): a new empty database and the environment to reach it"
    uri = _uri()
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_DATABASE')}
    env['TRYTOND_DATABASE__URI'] = uri
    env.pop('PYTHONPATH', None)
    env['COPP_MIG_TMP'] = str(tmp_path)
    if uri.startswith('sqlite'):
        name = 'webuser_mig'
        env['TRYTOND_DATABASE__PATH'] = str(tmp_path)
        (tmp_path / f'{name}.sqlite').touch()
        yield name, env
        return
    import psycopg
    name = (os.environ.get('DB_NAME') or 'test') + '_webuser_mig'
    with psycopg.connect(uri.rstrip('/') + '/postgres',
            autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, env
    finally:
        with psycopg.connect(uri.rstrip('/') + '/postgres',
                autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args, env, pythonpath=None):
    env = dict(env)
    if pythonpath:
        env['PYTHONPATH'] = str(pythonpath)
    result = subprocess.run(args, env=env, capture_output=True, text=True,
        cwd=env.get('TRYTOND_DATABASE__PATH') or None)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n"
        f"{result.stderr[-6000:]}")
    return result.stdout


def admin(name, env, pythonpath=None, fresh=False):
    "trytond-admin -u MODULES (a fresh database: with the admin's password)"
    extra = []
    if fresh:
        passfile = Path(env['COPP_MIG_TMP']) / 'admin-password'
        passfile.write_text('Migracija-admin-2026', encoding='utf-8')
        env = dict(env, TRYTONPASSFILE=str(passfile))
        extra = ['--email', 'admin@mig.example']
    trytond_admin = [sys.executable, '-c',
        'import sys; from trytond.cli.admin import main; '
        'sys.argv[0] = "trytond-admin"; sys.exit(main())']
    return run(trytond_admin + ['-d', name, '-u', *MODULES,
            '--activate-dependencies', *extra], env, pythonpath)


@pytest.mark.skipif(shutil.which('git') is None, reason="git is needed")
def test_portal_accounts_survive(tmp_path, database):
    name, env = database
    old_addons = extract(old_revision(), tmp_path / 'old')
    assert MARKER in (old_addons / 'copp_portal' / 'user.py').read_text()
    # The old code: a database with accounts and their history
    admin(name, env, pythonpath=old_addons, fresh=True)
    facts = tmp_path / 'facts.json'
    run([sys.executable, str(HERE / 'old_portal_activity.py'), name,
            str(facts)], env, pythonpath=old_addons)
    recorded = json.loads(facts.read_text(encoding='utf-8'))
    assert len(recorded['accounts']) == 3
    assert recorded['events']
    # The current code: update, then check
    admin(name, env)
    output = run([sys.executable, str(HERE / 'check_web_user.py'), name,
            str(facts)], env)
    assert f"OK {len(recorded['accounts'])} accounts" in output, output
