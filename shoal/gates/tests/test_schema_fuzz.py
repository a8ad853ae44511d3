"""Schema fuzzing (issue 9): schemathesis generates requests for every operation of
``/api/schema/`` — valid and invalid ones — and sends them in-process to the WSGI app, signed in
(with an API token) as a sales rep and as an administrator, on the authorization-matrix world.
Every response must be no server error and match the schema it declares (status, body, type).

Quick profile in ``make test`` (few examples per operation); ``make fuzz`` runs the deep profile
(``SHOAL_FUZZ=deep``) and the stateful run (``test_schema_stateful.py``). New apps' endpoints are
covered as soon as their routes are in the schema.
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from shoal.core.tests.matrix_world import build_world
from shoal.gates.security import TokenRateThrottle

DEEP = os.environ.get("SHOAL_FUZZ") == "deep"
EXAMPLES = int(os.environ.get("SHOAL_FUZZ_EXAMPLES", "60" if DEEP else "6"))
ACTORS = ("sales_rep", "admin")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    """The matrix world (eight roles, customers in and out of view, shares, contacts, relations and
    every app's ``populate``), built once per module and rolled back at the end."""
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def in_process(monkeypatch):
    """Like Django's test client: requests do not close the test's database connection, and the
    token rate limit is off (the fuzzer sends far more than a person would)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {**TokenRateThrottle.THROTTLE_RATES, "token": None})
    cache.clear()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema():
    from shoal.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _schema()


def _known_ids(world) -> tuple[list[int], list[int]]:
    customers = sorted(c.pk for c in world.customers.values())
    others = [
        *(r.pk for r in world.contacts.values()),
        *(r.pk for r in world.relations.values()),
        *(u.pk for u in world.users.values()),
        *(d.pk for d in world.departments.values()),
        world.custom_role.pk,
        world.dictionary_item.pk,
    ]
    return customers, sorted({*customers, *others})


def aim_at_real_records(case, world) -> None:
    """Random ids almost never name a record; map most generated ids onto the world's records (of
    every kind, so also the wrong kind), keep every fifth as generated (usually missing)."""
    customers, known = _known_ids(world)

    def aim(value, pool):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0 and value % 5:
            return pool[value % len(pool)]
        return value

    for name, value in (case.path_parameters or {}).items():
        case.path_parameters[name] = aim(value, customers if name == "customer_pk" else known)
    body = case.body if isinstance(case.body, dict) else None
    if body is not None and isinstance(body.get("ids"), list):
        body["ids"] = [aim(value, customers) for value in body["ids"]]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not DEEP,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@pytest.mark.parametrize("actor", ACTORS)
def test_every_operation_answers_within_its_schema(case, actor, fuzz_world, db, in_process, record_property):
    record_property("fuzz_examples", 1)
    aim_at_real_records(case, fuzz_world)
    case.call_and_validate(headers={"Authorization": f"Token {fuzz_world.tokens[actor]}"}, checks=CHECKS)
