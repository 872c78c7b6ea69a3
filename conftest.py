import pytest
from _pytest.doctest import DoctestItem

from copp.cli.init import WIP_MODULES

# Modules still in progress (copp.cli.init.WIP_MODULES): their tests, and the
# browser tests that need them, are not collected.
WIP_BROWSER_TESTS = []
collect_ignore = ([f'addons/{m}' for m in WIP_MODULES]
    + [f'tests/browser/{t}' for t in WIP_BROWSER_TESTS])


def pytest_configure(config):
    """LibreOffice converts the PDFs with a profile of this test run: the two
    backends run side by side, and two soffice starting at once on one
    profile fail (the first run on a fresh machine creates it). The live
    servers the tests start inherit the setting through the environment."""
    import os
    import shutil
    import tempfile
    from trytond import config as tryton_config
    profile = tempfile.mkdtemp(prefix='copp-soffice-')
    command = ('soffice --headless --nolockcheck --nodefault --norestore '
        f'-env:UserInstallation=file://{profile} '
        '--convert-to "%(output_extension)s" --outdir "%(directory)s" '
        '"%(input_path)s"')
    os.environ['TRYTOND_REPORT__CONVERT_COMMAND'] = command
    tryton_config.set('report', 'convert_command', command)
    config.add_cleanup(lambda: shutil.rmtree(profile, ignore_errors=True))
    # A missing test database is built on the nearest one of the run
    from copp.tests import db_cache
    db_cache.install()


@pytest.fixture(autouse=True)
def _tryton_scenario_teardown(request):
    yield
    if isinstance(request.node, DoctestItem):
        # Close the scenario's connections and drop its database, or the
        # next scenario on PostgreSQL finds it "being accessed by other users".
        from trytond.tests.test_tryton import doctest_teardown
        doctest_teardown(request.node.dtest)


# The browser tests are shared between the backends, which run side by
# side: the walk through every screen goes role by role, those of
# WALK_ON_SQLITE on SQLite (the backend of `make run`), the others and the
# portal pages on PostgreSQL (production), so that the two runs take about
# as long; the other browser tests run on SQLite. The browser only sees
# pages: what differs between the backends is below them, and the module,
# HTTP and access tests run on both. COPP_ALL_BROWSER=1 runs every browser
# test on the backend of the run.
WALK_TESTS = ('tests/browser/test_every_screen.py',)
WALK_ON_SQLITE = {'admin', 'admin1', 'prep1', 'buh1'}


def browser_backend_wanted(item, postgresql):
    import os
    if os.environ.get('COPP_ALL_BROWSER') or not item.get_closest_marker(
            'browser'):
        return True
    if not str(item.path).endswith(WALK_TESTS):
        return not postgresql
    callspec = getattr(item, 'callspec', None)
    login = callspec.params.get('login') if callspec else None
    return (login not in WALK_ON_SQLITE) == postgresql


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, skip the generic checks that ModuleTestCase and
    CompanyTestMixin inherit (views, fields, access records, …): they inspect
    the module definitions, not the database, and already ran on SQLite.
    Every test written in this repository runs on both backends, except the
    browser tests (browser_backend_wanted). COPP_PG_GENERIC=1 runs the
    generic checks anyway."""
    import os
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    postgresql = uri.startswith('postgresql')
    generic_modules = ('trytond.tests.', 'trytond.modules.')
    selected, deselected = [], []
    for item in items:
        function = getattr(item, 'function', None)
        module = getattr(function, '__module__', '') or ''
        if (postgresql and module.startswith(generic_modules)
                and not os.environ.get('COPP_PG_GENERIC')):
            deselected.append(item)
        elif not browser_backend_wanted(item, postgresql):
            deselected.append(item)
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
