import pytest

from shoal.customers.tests.factories import seed_dictionary, stages
from shoal.opportunities.tests.factories import pipeline


@pytest.fixture
def cast(cast):
    stages()
    seed_dictionary()
    pipeline()
    return cast


@pytest.fixture
def stage():
    return pipeline()
