"""The batch verbs of quotes and orders in the authorization-matrix world: every actor, every
customer's record and a missing id — each id settles on its own, and an id the actor may not see
fails with not_found exactly as if it did not exist (the matrix's TABLE checks only the 200)."""

import pytest

from shoal.core.tests.matrix_cases import MISSING
from shoal.core.tests.matrix_world import ACTORS, CUSTOMERS, permissions_of
from shoal.core.tests.test_authorization_matrix import _module_world, call, world  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db

VERBS = [
    ("/api/v1/quotes/send/", "quotes", "ok"),
    ("/api/v1/quotes/accept/", "quotes", "ok"),
    ("/api/v1/quotes/reject/", "accepted_quotes", "invalid_status"),
    ("/api/v1/quotes/delete/", "quotes", "ok"),
    ("/api/v1/quotes/delete/", "accepted_quotes", "invalid_status"),
    ("/api/v1/orders/cancel/", "orders", "ok"),
]


@pytest.mark.parametrize(("path", "name", "allowed"), VERBS)
def test_batch_verbs_settle_each_id_by_visibility_and_access(world, path, name, allowed, record_property):  # noqa: F811
    cells = 0
    for actor in ACTORS:
        rows = world.extra[name]
        ids = [r.pk for r in rows.values()] + [MISSING]
        response = call(world, actor, "POST", path, {"ids": ids, "reason": "矩阵"})
        if "sales.edit" not in permissions_of(actor):
            assert response.status_code == 403
            continue
        assert response.status_code == 200, response.content
        body = response.json()
        outcome = {pk: "ok" for pk in body["succeeded"]} | {f["id"]: f["code"] for f in body["failed"]}
        for key, record in rows.items():
            seen = not CUSTOMERS[key].deleted and world.sees(actor, key)
            if not seen:
                want = "not_found"
            elif world.access(actor, key) == "read":
                want = "read_only"
            else:
                want = allowed
            assert outcome[record.pk] == want, (actor, path, key)
            cells += 1
        assert outcome[MISSING] == "not_found"
        assert not world.leaks(actor, body)
    record_property("matrix_cells", cells)
