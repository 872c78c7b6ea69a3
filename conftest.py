import pytest
from _pytest.doctest import DoctestItem

from copp.cli.init import WIP_MODULES

# Modules still in progress (copp.cli.init.WIP_MODULES): their tests, and the
# browser tests that need them, are not collected.
WIP_BROWSER_TESTS = []
collect_ignore = ([f'addons/{m}' for m in WIP_MODULES]
    + [f'tests/browser/{t}' for t in WIP_BROWSER_TESTS])


@pytest.fixture(autouse=True)
def _tryton_scenario_teardown(request):
    yield
    if isinstance(request.node, DoctestItem):
        # Close the scenario's connections and drop its database, or the
        # next scenario on PostgreSQL finds it "being accessed by other users".
        from trytond.tests.test_tryton import doctest_teardown
        doctest_teardown(request.node.dtest)


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, skip the generic checks that ModuleTestCase and
    CompanyTestMixin inherit (views, fields, access records, …): they inspect
    the module definitions, not the database, and already ran on SQLite.
    Every test written in this repository runs on both backends.
    COPP_PG_GENERIC=1 runs them anyway."""
    import os
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if not uri.startswith('postgresql') or os.environ.get('COPP_PG_GENERIC'):
        return
    generic_modules = ('trytond.tests.', 'trytond.modules.')
    selected, deselected = [], []
    for item in items:
        function = getattr(item, 'function', None)
        module = getattr(function, '__module__', '') or ''
        if module.startswith(generic_modules):
            deselected.append(item)
        else:
            selected.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
