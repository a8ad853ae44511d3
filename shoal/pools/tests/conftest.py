import pytest

from shoal.customers.tests.factories import seed_dictionary, stages
from shoal.pools import notify


@pytest.fixture
def cast(cast):
    stages()
    seed_dictionary()
    return cast


@pytest.fixture(autouse=True)
def _sent():
    notify.SENT.clear()
    yield notify.SENT
