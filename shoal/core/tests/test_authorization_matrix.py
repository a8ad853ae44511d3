"""Authorization matrix (issue 9): every route under /api/v1/ × every method × every role × records
inside and outside the caller's view.

The rule of every cell, in order (API.md, Errors; STYLE.md: two permission axes):
  anonymous → 401 (but sign-in and session) · password change pending → 403 (but me, sign-out,
  password, session) · lacking the action permission the view declares → 403, whatever the id ·
  a record outside the caller's view (or none at all) → 404 · lacking a permission the service
  checks → 403 · a visible record the caller may only read, for an edit → 403 · otherwise 2xx.
Batch verbs answer 200 and settle each id on its own: ids outside the view fail with ``not_found``.
Every response is also searched for the private values of every customer the caller may not see.

``TABLE`` says, per (path, method), what the placeholders refer to, what to send and what it needs.
It is gathered from every app's ``shoal/<app>/tests/matrix.py`` (see ``shoal.core.tests.matrix_cases``);
a route with no entry fails ``test_every_api_route_has_a_matrix_entry``.
"""

import json
import re
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from shoal.core.tests.matrix_cases import MISSING, Case, Rule, Target, all_ids
from shoal.core.tests.matrix_world import (
    ACTORS,
    CUSTOMERS,
    PRIVATE_FIELDS,
    SUPERIOR,
    World,
    app_matrix_modules,
    build_world,
    permissions_of,
)
from shoal.org.models import User

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")

# ---------------------------------------------------------------- the routes that exist


def api_routes() -> dict[tuple[str, str], tuple[type, str]]:
    """(path template, METHOD) → (view class, DRF action or method) for every route under /api/v1/."""
    routes: dict[tuple[str, str], tuple[type, str]] = {}

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            assert isinstance(pattern, URLPattern)
            path = prefix + str(pattern.pattern)
            if not path.startswith("/api/v1/"):
                continue
            template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
            callback = pattern.callback
            cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            actions = getattr(callback, "actions", None)
            if actions is None:
                actions = {m: m for m in METHODS if cls is not None and hasattr(cls, m)}
            for method, action in actions.items():
                # DRF adds "head" to a viewset's actions on its first GET: HEAD is GET without a body.
                if method in METHODS:
                    routes[(template, method.upper())] = (cls, action)

    walk(get_resolver().url_patterns, "/")
    return routes


def declared_permission(cls: type, action: str) -> str | None:
    required = getattr(cls, "required_permissions", None) or {}
    return required.get(action, required.get("*"))


def gather_table() -> dict[tuple[str, str], list[Case]]:
    table: dict[tuple[str, str], list[Case]] = {}
    for module in app_matrix_modules():
        clash = set(table) & set(module.TABLE)
        assert not clash, f"{module.__name__} repeats matrix entries: {clash}"
        table.update(module.TABLE)
    return table


TABLE = gather_table()
CUSTOMERS_URL = "/api/v1/customers"

# ---------------------------------------------------------------- running the cells


def _client(w: World, actor: str) -> APIClient:
    client = APIClient()
    if actor == "pending":
        client.force_authenticate(User.objects.select_related("role", "department").get(pk=w.pending.pk))
    elif actor != "anonymous":
        client.force_authenticate(User.objects.select_related("role", "department").get(pk=w.users[actor].pk))
    return client


def call(w: World, actor: str, method: str, path: str, body):
    """One request, rolled back afterwards so every cell starts from the same world."""
    client = _client(w, actor)
    if path.endswith("/auth/login/"):
        cache.clear()  # the sign-in throttle counts per address
    with transaction.atomic():
        if method == "GET":
            response = client.get(path, body or {})
        else:
            response = client.generic(method, path, json.dumps(body or {}), content_type="application/json")
        transaction.set_rollback(True)
    return response


@dataclass
class Tally:
    cells: int = 0
    leaks: int = 0


def expected_status(case: Case, declared: str | None, w: World, actor: str, target: Target | None) -> int:
    if actor == "anonymous":
        return case.anonymous
    if actor == "pending":
        return case.pending
    allowed = case.perm is None or case.perm in permissions_of(actor)
    if not allowed and declared:
        return 403  # refused before any record is looked at: the id reveals nothing
    if target is not None and not target.visible:
        return 404
    if not allowed:
        return 403
    if case.needs == "edit" and target is not None and w.access(actor, target.customer) == "read":
        return 403
    return case.ok


def run_case(w: World, key: tuple[str, str], case: Case, declared: str | None, tally: Tally) -> list[str]:
    template, method = key
    problems: list[str] = []
    for actor in [*ACTORS, "anonymous", "pending"]:
        targets = case.targets(w, actor if actor in ACTORS else "sales_rep") if case.targets else [None]
        if actor not in ACTORS:
            targets = targets[:1]  # refused before any lookup
        for target in targets:
            path = template.format(**target.ids) if target else template
            body = case.body(w, actor, target) if callable(case.body) else case.body
            where = f"{actor:<18} {method} {path} [{target.label if target else '-'}]"
            try:
                response = call(w, actor, method, path, body)
            except Exception as error:  # noqa: BLE001 — a crash is a finding, reported with the others
                problems.append(f"{where}: raised {error!r}")
                continue
            tally.cells += 1
            want = expected_status(case, declared, w, actor, target)
            payload = (
                response.json()
                if not response.streaming  # file downloads (FileResponse) are not JSON
                and response.content
                and response.get("Content-Type", "").startswith("application/json")
                else None
            )
            if response.status_code != want:
                problems.append(f"{where}: expected {want}, got {response.status_code} {str(payload)[:200]}")
                continue
            if want == 404 and payload["error"]["code"] != "not_found":
                problems.append(f"{where}: 404 with code {payload['error']['code']}")
            leaks = w.leaks(actor if actor in ACTORS else None, payload) if payload is not None else []
            tally.leaks += len(leaks)
            problems += [f"{where}: LEAK {leak}" for leak in leaks]
            if case.batch and response.status_code == 200:
                problems += check_batch(w, actor, case.batch, payload, where, tally)
    return problems


def check_batch(w: World, actor: str, rule: Rule, payload: dict, where: str, tally: Tally) -> list[str]:
    outcome = {pk: "ok" for pk in payload["succeeded"]}
    outcome.update({f["id"]: f["code"] for f in payload["failed"]})
    problems = []
    for pk in all_ids(w):
        key = w.key_of(pk) if pk != MISSING else None
        tally.cells += 1
        want, got = rule(w, actor, key), outcome.get(pk)
        if want != got:
            problems.append(f"{where} id {pk} ({key or 'missing'}): expected {want}, got {got}")
    return problems


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The world is built once per module (and worker) inside a transaction rolled back at the end;
    each test runs in a savepoint within it, and each request in a savepoint within that."""
    from django.test import override_settings

    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, db) -> World:
    return _module_world


# ---------------------------------------------------------------- the tests


def test_every_api_route_has_a_matrix_entry():
    routes = set(api_routes())
    missing = sorted(routes - set(TABLE))
    assert not missing, "routes with no authorization-matrix entry (add them to TABLE): " + ", ".join(
        f"{m} {p}" for p, m in missing
    )
    stale = sorted(set(TABLE) - routes)
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def test_every_declared_permission_matches_the_table():
    routes = api_routes()
    wrong = []
    for key, cases in TABLE.items():
        cls, action = routes[key]
        declared = declared_permission(cls, action)
        if declared and any(case.perm != declared for case in cases):
            wrong.append(f"{key}: the view declares {declared}, the table says {[c.perm for c in cases]}")
    assert not wrong, "\n".join(wrong)


def test_the_oracle_agrees_with_the_hand_written_table(world):
    # Who sees which customer of the world, as a person reads the rules (ORG-2, SYS-2, CUS-1/3/5).
    everyone = ["hub", "hub2"]
    south = [*everyone, "shared_south"]
    table = {
        "admin": set(CUSTOMERS) - {"deleted"},
        "general_manager": set(CUSTOMERS) - {"deleted"},
        "region_manager": {*south, "own", "colleague", "team_b", "technician", "pool", "marketing_pool"},
        "department_manager": {*south, "own", "colleague", "technician", "pool", "marketing_pool"},
        "sales_rep": {*south, "own", "shared_read", "shared_write"},
        "customer_service": {*south},
        "technician": {*south, "technician"},
        "marketing": {*south, "marketing_pool"},
    }
    assert {actor: world.visible_keys(actor) for actor in ACTORS} == table
    from shoal.org.selectors import user_effective_superior_id

    for person, superior in SUPERIOR.items():
        assert user_effective_superior_id(world.users[person]) == (world.users[superior].pk if superior else None)


@pytest.mark.parametrize("route", sorted(TABLE), ids=lambda r: f"{r[1]} {r[0]}")
def test_authorization_matrix(world, route, record_property):
    cls, action = api_routes()[route]
    declared = declared_permission(cls, action)
    tally = Tally()
    problems = []
    for case in TABLE[route]:
        problems += run_case(world, route, case, declared, tally)
    record_property("matrix_cells", tally.cells)
    record_property("matrix_leaks", tally.leaks)
    assert not problems, f"{len(problems)} wrong cells of {tally.cells}:\n" + "\n".join(problems[:60])


# ---------------------------------------------------------------- leaks in lists


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_customer_lists_hold_exactly_what_each_role_may_see(world, record_property):
    cells = 0
    for actor in ACTORS:
        client = _client(world, actor)
        pks = lambda keys: {world.customers[k].pk for k in keys}  # noqa: E731
        views = {
            "all": world.visible_keys(actor),
            "deleted": world.visible_keys(actor, deleted=True),
            "mine": {k for k, s in CUSTOMERS.items() if s.owner == actor and not s.deleted},
        }
        for view, keys in views.items():
            response = client.get(f"{CUSTOMERS_URL}/", {"view": view, "page_size": 200})
            assert _ids(response) == pks(keys), (actor, view)
            assert not world.leaks(actor, response.json()), (actor, view)
            cells += 1
        # CUS-3: shared with me (or a department above me), and my subordinates' (forced sharing)
        shared = {
            k
            for k, s in CUSTOMERS.items()
            if not s.deleted
            and s.owner != actor
            and (s.owner in world.subordinates(actor) or world.shared_with(actor, k) is not None)
        }
        response = client.get(f"{CUSTOMERS_URL}/", {"view": "shared", "page_size": 200})
        assert _ids(response) == pks(shared), actor
        assert shared <= world.visible_keys(actor), actor
        cells += 1
    record_property("matrix_cells", cells)


def test_pool_rows_carry_public_fields_and_claim_status_only(world, client_for, record_property):
    from shoal.system.defaults import CUSTOMER_PUBLIC_FIELDS, PARAMETER_DEFAULTS

    cells = 0
    allowed = {"id", "claimed", "owner_name", "stage_code", "stage_name", *PARAMETER_DEFAULTS["public_fields"]}
    allowed |= {"pool", "phone_masked", "mobile_masked"}  # CUS-1 pool rules (shoal.pools): masked while unclaimed
    for actor in ["sales_rep", "customer_service", "marketing"]:
        client = _client(world, actor)
        body = client.get("/api/v1/pool/", {"page_size": 200}).json()
        assert {row["id"] for row in body["results"]} == {c.pk for k, c in world.customers.items() if k != "deleted"}
        for row in body["results"]:
            assert set(row) <= allowed, set(row) - allowed
            key = world.key_of(row["id"])
            assert row["claimed"] is (CUSTOMERS[key].owner is not None)
        for key, customer in world.customers.items():
            if key == "deleted":
                continue
            row = client.get(f"/api/v1/pool/{customer.pk}/").json()
            assert set(row) <= allowed and not set(row) & set(PRIVATE_FIELDS), (actor, key, row)
            cells += 1
        # the private values of claimed customers the actor cannot see appear nowhere
        assert not world.leaks(actor, body)
        cells += 1
    # an administrator narrows the public fields: the pool narrows with them
    client_for(world.users["admin"]).patch("/api/v1/parameters/", {"public_fields": ["name"]}, format="json")
    row = _client(world, "sales_rep").get(f"/api/v1/pool/{world.customers['east'].pk}/").json()
    assert set(row) == {"id", "claimed", "owner_name", "name", "pool", "phone_masked", "mobile_masked"}
    assert set(CUSTOMER_PUBLIC_FIELDS) >= set(PARAMETER_DEFAULTS["public_fields"])
    record_property("matrix_cells", cells + 1)


def test_duplicate_answers_for_invisible_matches_carry_no_details(world, client_for, record_property):
    cells = 0
    east = world.customers["east"]
    for actor in ACTORS:
        client = _client(world, actor)
        for query in ({"name": east.name}, {"phone": east.phone}, {"mobile": world.contacts["east"].mobile}):
            answer = client.get(f"{CUSTOMERS_URL}/duplicates/", query).json()
            assert not world.leaks(actor, answer), (actor, query)
            for entry in answer:
                key = world.key_of(entry["id"])
                assert entry["visible"] is world.sees(actor, key), (actor, key)
            cells += 1
        # creating the same name again: the 409 tells who has it, nothing more
        response = client.post(f"{CUSTOMERS_URL}/", {"name": east.name}, format="json")
        if "customer.create" in permissions_of(actor):
            assert response.status_code == 409, response.content
        assert not world.leaks(actor, response.json())
        cells += 1
    # with the name not public, an invisible match does not even say its name
    client_for(world.users["admin"]).patch("/api/v1/parameters/", {"public_fields": ["industry"]}, format="json")
    [entry] = _client(world, "sales_rep").get(f"{CUSTOMERS_URL}/duplicates/", {"name": east.name}).json()
    assert entry["visible"] is False and entry["name"] is None and entry["message"]
    record_property("matrix_cells", cells + 1)


def test_pool_filters_and_sorting_reveal_nothing_private(world, record_property):
    """Filtering or sorting the pool by a field that is not public would tell it bit by bit (filter
    ``short_name`` by one character at a time; sort by ``primary_contact_mobile`` next to a customer of
    one's own): both only work on public fields; on others they do nothing."""
    from shoal.customers.api import ORDERING_FIELDS
    from shoal.customers.filters import POOL_FILTERS
    from shoal.system.defaults import PARAMETER_DEFAULTS

    public = set(PARAMETER_DEFAULTS["public_fields"]) | {"id", "owner", "owner_name", "claimed"}
    client = _client(world, "sales_rep")
    east = world.customers["east"]

    def order(**params) -> list[int]:
        response = client.get("/api/v1/pool/", {"page_size": 200, **params})
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    everything = order()
    cells = 0
    for name in sorted(f for f, field in POOL_FILTERS.items() if field is not None and field not in public):
        value = getattr(east, name.removesuffix("__gte").removesuffix("__lte"))
        value = value.isoformat() if hasattr(value, "isoformat") else value
        assert order(**{name: "" if value is None else value}) == everything, f"pool filter {name} is not public"
        cells += 1
    for column in sorted(set(ORDERING_FIELDS) - public - {"stage"}):
        for direction in ("", "-"):
            assert order(ordering=direction + column) == everything, f"pool ordering by {column} is not public"
            cells += 1
    record_property("matrix_cells", cells)


def test_token_callers_get_the_answers_of_the_matrix(world, record_property):
    """The matrix signs callers in directly; the same cells through a real API token (ORG-3)."""
    from shoal.org.services import token_create, token_revoke

    rep = world.users["sales_rep"]
    _token, key = token_create(actor=rep, name="matrix")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    c = world.customers
    assert client.get(f"{CUSTOMERS_URL}/{c['own'].pk}/").status_code == 200
    assert client.get(f"{CUSTOMERS_URL}/{c['east'].pk}/").status_code == 404
    assert client.get(f"{CUSTOMERS_URL}/{c['share_expired'].pk}/").status_code == 404
    edit = client.patch(f"{CUSTOMERS_URL}/{c['shared_read'].pk}/", {"version": 1, "remarks": "x"}, format="json")
    assert edit.status_code == 403 and edit.json()["error"]["code"] == "read_only"
    assert client.post(f"{CUSTOMERS_URL}/recall/", {"ids": [c["own"].pk]}, format="json").status_code == 403
    token_revoke(actor=rep, token_id=_token.pk)
    assert client.get(f"{CUSTOMERS_URL}/{c['own'].pk}/").status_code == 401
    record_property("matrix_cells", 6)
