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


def _drop_head_aliases(patterns) -> None:
    from django.urls import URLResolver

    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _drop_head_aliases(pattern.url_patterns)
            continue
        actions = getattr(pattern.callback, "actions", None)
        if isinstance(actions, dict):
            actions.pop("head", None)


@pytest.fixture(autouse=True)
def _routes_as_declared():
    """DRF's ViewSetMixin adds "head" to a route's shared ``actions`` dict on its first GET. The
    authorization matrix (shoal/core) lists routes from those dicts, and this app's tests run before
    it in the same process: undo the alias so the matrix sees the routes as declared."""
    yield
    from django.urls import get_resolver

    _drop_head_aliases(get_resolver().url_patterns)
