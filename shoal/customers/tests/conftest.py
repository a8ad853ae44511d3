import pytest

from shoal.customers.tests.factories import seed_dictionary, stages


@pytest.fixture
def cast(cast):
    """The shared cast, plus the stages and dictionary a customer needs (transactional tests flush
    the rows that migrations seeded)."""
    stages()
    seed_dictionary()
    return cast
