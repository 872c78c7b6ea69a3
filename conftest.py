import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(autouse=True)
def _tryton_scenario_teardown(request):
    yield
    if isinstance(request.node, DoctestItem):
        # Close the scenario's connections and drop its database, or the
        # next scenario on PostgreSQL finds it "being accessed by other users".
        from trytond.tests.test_tryton import doctest_teardown
        doctest_teardown(request.node.dtest)
