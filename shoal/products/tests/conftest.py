import pytest

from shoal.customers.tests.factories import seed_dictionary, stages


@pytest.fixture
def cast(cast):
    stages()
    seed_dictionary()
    return cast
