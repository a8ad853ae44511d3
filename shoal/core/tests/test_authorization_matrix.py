"""Authorization matrix (issue 9): every route under /api/v1/ × every method × every role × records
inside and outside the caller's view.

The rule of every cell, in order (API.md, Errors; STYLE.md: two permission axes):
  anonymous → 401 (but sign-in and session) · password change pending → 403 (but me, sign-out,
  password, session) · lacking the action permission the view declares → 403, whatever the id ·
  a record outside the caller's view (or none at all) → 404 · lacking a permission the service
  checks → 403 · a visible record the caller may only read, for an edit → 403 · otherwise 2xx.
Batch verbs answer 200 and settle each id on its own: ids outside the view fail with ``not_found``.
Every response is also searched for the private values of every customer the caller may not see.

``TABLE`` says, per (path, method), what the placeholders refer to, what to send and what it needs;
a route with no entry fails ``test_every_api_route_has_a_matrix_entry``.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from shoal.core.tests.matrix_world import (
    ACTORS,
    CUSTOMERS,
    PASSWORD,
    PRIVATE_FIELDS,
    SUPERIOR,
    World,
    build_world,
    permissions_of,
)
from shoal.org.models import User

pytestmark = pytest.mark.django_db

MISSING = 999_999
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
                routes[(template, method.upper())] = (cls, action)

    walk(get_resolver().url_patterns, "/")
    return routes


def declared_permission(cls: type, action: str) -> str | None:
    required = getattr(cls, "required_permissions", None) or {}
    return required.get(action, required.get("*"))


# ---------------------------------------------------------------- what the placeholders refer to


@dataclass(frozen=True)
class Target:
    label: str
    ids: dict  # path placeholder → id
    visible: bool
    customer: str | None = None  # the customer it belongs to, for access checks


def _customers(w: World, actor: str) -> list[Target]:
    found = [
        Target(key, {"pk": w.customers[key].pk}, not spec.deleted and w.sees(actor, key), key)
        for key, spec in CUSTOMERS.items()
    ]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def _pool_customers(w: World, actor: str) -> list[Target]:
    found = [Target(key, {"pk": w.customers[key].pk}, not spec.deleted) for key, spec in CUSTOMERS.items()]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def _children(attribute: str, mismatch: tuple[str, str]):
    """A contact or relation under its customer; one under a customer it does not belong to; none."""

    def targets(w: World, actor: str) -> list[Target]:
        rows = getattr(w, attribute)
        found = [
            Target(
                key,
                {"customer_pk": w.customers[key].pk, "pk": rows[key].pk},
                not spec.deleted and w.sees(actor, key),
                key,
            )
            for key, spec in CUSTOMERS.items()
        ]
        parent, child = mismatch
        found.append(
            Target(f"{child}'s under {parent}", {"customer_pk": w.customers[parent].pk, "pk": rows[child].pk}, False)
        )
        return [*found, Target("missing", {"customer_pk": w.customers["own"].pk, "pk": MISSING}, False)]

    return targets


def _one(attribute: str):
    """Company-wide records (departments, staff, roles, settings): every signed-in user sees them."""

    def targets(w: World, actor: str) -> list[Target]:
        return [
            Target(attribute, {"pk": attribute_of(w, attribute).pk}, True),
            Target("missing", {"pk": MISSING}, False),
        ]

    return targets


def attribute_of(w: World, name: str):
    from shoal.customers.models import Stage

    return {
        "department": lambda: w.departments["empty"],
        "user": lambda: w.users["rep_east"],
        "role": lambda: w.custom_role,
        "dictionary_item": lambda: w.dictionary_item,
        "stage": lambda: Stage.objects.order_by("position").first(),
    }[name]()


def _tokens(w: World, actor: str) -> list[Target]:
    other = "general_manager" if actor == "admin" else "admin"
    return [
        Target("own token", {"pk": w.tokens[actor].pk}, True),
        Target("someone else's token", {"pk": w.tokens[other].pk}, False),
        Target("missing", {"pk": MISSING}, False),
    ]


# ---------------------------------------------------------------- per-id rules of the batch verbs

Rule = Callable[[World, str, str | None], str]  # (world, actor, customer key or None) → "ok" | failure code


def _seen(w: World, actor: str, key: str | None) -> bool:
    return key is not None and not CUSTOMERS[key].deleted and w.sees(actor, key)


def claim_rule(w, actor, key):
    # CUS-1: the pool is public — any customer not deleted may be claimed if nobody owns it.
    if key is None or CUSTOMERS[key].deleted:
        return "not_found"
    return "already_claimed" if CUSTOMERS[key].owner else "ok"


def return_rule(w, actor, key):
    if not _seen(w, actor, key):
        return "not_found"
    return "ok" if CUSTOMERS[key].owner == actor else "not_owner"


def recall_rule(w, actor, key):
    if not _seen(w, actor, key):
        return "not_found"
    owner, scope = CUSTOMERS[key].owner, w.recall_scope(actor)
    if owner is None:
        return "not_claimed"
    return "out_of_scope" if scope is not None and owner not in scope else "ok"


def assign_rule(w, actor, key):
    if not _seen(w, actor, key):
        return "not_found"
    owner, scope = CUSTOMERS[key].owner, w.recall_scope(actor)
    return "out_of_scope" if owner is not None and scope is not None and owner not in scope else "ok"


def writable_rule(w, actor, key):
    if not _seen(w, actor, key):
        return "not_found"
    return "read_only" if w.access(actor, key) == "read" else "ok"


def delete_rule(w, actor, key):
    if not _seen(w, actor, key):
        return "not_found"
    return "customer_claimed" if CUSTOMERS[key].owner else "ok"


def restore_rule(w, actor, key):
    seen = key is not None and CUSTOMERS[key].deleted and w.sees(actor, key)
    return "ok" if seen else "not_found"


def merge_rule(w, actor, key):
    if key == "hub":
        return "invalid"  # the survivor itself
    return writable_rule(w, actor, key)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    targets: Callable[[World, str], list[Target]] | None = None  # what the path placeholders refer to
    perm: str | None = None  # the action permission it needs (declared on the view, or checked by the service)
    needs: str = "see"  # on a customer: "see", or "edit" (owner or write access)
    body: Callable | dict | None = None  # (world, actor, target) → JSON body (query for GET)
    ok: int = 200
    batch: Rule | None = None
    anonymous: int = 401
    pending: int = 403  # the caller must change the password first


def _pk(w: World, t: Target) -> int:
    return t.ids["pk"]


def _version(w: World, t: Target) -> int:
    from shoal.customers.models import Customer

    return Customer.objects.filter(pk=t.ids["pk"]).values_list("version", flat=True).first() or 1


def _partner(w: World, t: Target) -> int:
    return w.customers["hub2" if t.label == "hub" else "hub"].pk


def _all_ids(w: World) -> list[int]:
    return [*(c.pk for c in w.customers.values()), MISSING]


def _batch(extra: Callable | None = None):
    return lambda w, a, t: {"ids": _all_ids(w), **(extra(w, a) if extra else {})}


CUSTOMERS_URL = "/api/v1/customers"

TABLE: dict[tuple[str, str], list[Case]] = {
    # -------- sign-in and the caller themselves (ORG-3)
    ("/api/v1/auth/login/", "POST"): [
        Case(
            body=lambda w, a, t: {"username": "nobody" if a == "anonymous" else a, "password": PASSWORD},
            anonymous=400,  # nobody by that name
            pending=200,
        )
    ],
    ("/api/v1/auth/logout/", "POST"): [Case(ok=204, pending=204)],
    ("/api/v1/auth/session/", "GET"): [Case(anonymous=200, pending=200)],
    ("/api/v1/auth/me/", "GET"): [Case(pending=200)],
    ("/api/v1/auth/me/", "PATCH"): [Case(body={"name": "改名"}, pending=200)],
    ("/api/v1/auth/password/", "POST"): [
        Case(body={"old_password": PASSWORD, "new_password": "Changed-pass-2026!"}, ok=204, pending=204)
    ],
    ("/api/v1/auth/tokens/", "GET"): [Case()],
    ("/api/v1/auth/tokens/", "POST"): [Case(body={"name": "cli"}, ok=201)],
    ("/api/v1/auth/tokens/{pk}/", "DELETE"): [Case(targets=_tokens, ok=204)],
    # -------- organisation (ORG-1, ORG-2, ORG-4): company-wide to read, administrators to change
    ("/api/v1/departments/", "GET"): [Case()],
    ("/api/v1/departments/", "POST"): [
        Case(
            perm="org.manage_departments",
            body=lambda w, a, t: {"name": "新部门", "parent": w.departments["root"].pk},
            ok=201,
        )
    ],
    ("/api/v1/departments/{pk}/", "GET"): [Case(targets=_one("department"))],
    ("/api/v1/departments/{pk}/", "PATCH"): [
        Case(targets=_one("department"), perm="org.manage_departments", body={"name": "改名部门"})
    ],
    ("/api/v1/departments/{pk}/", "DELETE"): [Case(targets=_one("department"), perm="org.manage_departments", ok=204)],
    ("/api/v1/users/", "GET"): [Case()],
    ("/api/v1/users/", "POST"): [
        Case(
            perm="org.manage_users",
            body=lambda w, a, t: {
                "username": "newbie",
                "name": "新人",
                "password": "Newbie-pass-2026!",
                "department": w.departments["team_a"].pk,
                "role": w.users["sales_rep"].role_id,
            },
            ok=201,
        )
    ],
    ("/api/v1/users/{pk}/", "GET"): [Case(targets=_one("user"))],
    ("/api/v1/users/{pk}/", "PATCH"): [Case(targets=_one("user"), perm="org.manage_users", body={"name": "改名"})],
    ("/api/v1/users/{pk}/history/", "GET"): [Case(targets=_one("user"), perm="org.manage_users")],
    ("/api/v1/users/{pk}/moves/", "GET"): [Case(targets=_one("user"), perm="org.view_staff")],
    ("/api/v1/users/{pk}/reset_password/", "POST"): [
        Case(targets=_one("user"), perm="org.manage_users", body={"password": "Reset-pass-2026!"}, ok=204)
    ],
    ("/api/v1/users/deactivate/", "POST"): [
        Case(perm="org.manage_users", body=lambda w, a, t: {"ids": [w.users["rep_east"].pk]})
    ],
    ("/api/v1/users/reactivate/", "POST"): [
        Case(perm="org.manage_users", body=lambda w, a, t: {"ids": [w.users["rep_east"].pk]})
    ],
    ("/api/v1/roles/", "GET"): [Case()],
    ("/api/v1/roles/", "POST"): [
        Case(
            perm="org.manage_roles",
            body={"code": "viewer", "name": "访客", "data_scope": "self", "permissions": []},
            ok=201,
        )
    ],
    ("/api/v1/roles/permissions/", "GET"): [Case()],
    ("/api/v1/roles/{pk}/", "GET"): [Case(targets=_one("role"))],
    ("/api/v1/roles/{pk}/", "PATCH"): [Case(targets=_one("role"), perm="org.manage_roles", body={"name": "审计员"})],
    ("/api/v1/roles/{pk}/", "DELETE"): [Case(targets=_one("role"), perm="org.manage_roles", ok=204)],
    # -------- settings (SYS-1, SYS-2)
    ("/api/v1/dictionary/", "GET"): [Case()],
    ("/api/v1/dictionary/", "POST"): [
        Case(perm="system.manage_dictionary", body={"kind": "industry", "code": "mining", "name": "采矿"}, ok=201)
    ],
    ("/api/v1/dictionary/kinds/", "GET"): [Case()],
    ("/api/v1/dictionary/{pk}/", "PATCH"): [
        Case(targets=_one("dictionary_item"), perm="system.manage_dictionary", body={"name": "航空航天"})
    ],
    ("/api/v1/dictionary/{pk}/", "DELETE"): [
        Case(targets=_one("dictionary_item"), perm="system.manage_dictionary", ok=204)
    ],
    ("/api/v1/parameters/", "GET"): [Case()],
    ("/api/v1/parameters/", "PATCH"): [Case(perm="system.manage_parameters", body={"claim_limit": 0})],
    ("/api/v1/customer-stages/", "GET"): [Case()],
    ("/api/v1/customer-stages/", "POST"): [
        Case(perm="system.manage_dictionary", body={"code": "lost", "name": "流失客户"}, ok=201)
    ],
    ("/api/v1/customer-stages/{pk}/", "PATCH"): [
        Case(targets=_one("stage"), perm="system.manage_dictionary", body={"name": "潜在"})
    ],
    # -------- the pool (CUS-1): every customer, public info only
    ("/api/v1/pool/", "GET"): [Case(perm="customer.view_pool")],
    ("/api/v1/pool/{pk}/", "GET"): [Case(targets=_pool_customers, perm="customer.view_pool")],
    # -------- customers (CUS-1…12): the records of the caller's view
    (f"{CUSTOMERS_URL}/", "GET"): [Case(), Case(body={"view": "deleted"}), Case(body={"view": "shared"})],
    (f"{CUSTOMERS_URL}/", "POST"): [
        Case(perm="customer.create", body=lambda w, a, t: {"name": f"矩阵新客户{a}", "source": "system"}, ok=201)
    ],
    (f"{CUSTOMERS_URL}/duplicates/", "GET"): [
        Case(body={"name": "矩阵east客户有限公司"}),
        Case(body={"phone": "0755-66000004"}),
    ],
    (f"{CUSTOMERS_URL}/intent-levels/", "GET"): [Case()],
    (f"{CUSTOMERS_URL}/{{pk}}/", "GET"): [Case(targets=_customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/", "PATCH"): [
        Case(
            targets=_customers,
            perm="customer.edit",
            needs="edit",
            body=lambda w, a, t: {"version": _version(w, t), "remarks": "改"},
        )
    ],
    (f"{CUSTOMERS_URL}/{{pk}}/contacts/", "GET"): [Case(targets=_customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/contacts/", "POST"): [
        Case(targets=_customers, perm="customer.edit", needs="edit", body={"name": "新联系人"}, ok=201)
    ],
    (f"{CUSTOMERS_URL}/{{pk}}/shares/", "GET"): [Case(targets=_customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/history/", "GET"): [Case(targets=_customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/relations/", "GET"): [Case(targets=_customers)],
    (f"{CUSTOMERS_URL}/{{pk}}/relations/", "POST"): [
        Case(
            targets=_customers,
            perm="customer.edit",
            needs="edit",
            body=lambda w, a, t: {"to_customer": _partner(w, t), "relation_type": "supplier"},
            ok=201,
        )
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/contacts/{{pk}}/", "PATCH"): [
        Case(targets=_children("contacts", ("hub", "east")), perm="customer.edit", needs="edit", body={"title": "经理"})
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/contacts/{{pk}}/", "DELETE"): [
        Case(targets=_children("contacts", ("hub", "east")), perm="customer.edit", needs="edit", ok=204)
    ],
    (f"{CUSTOMERS_URL}/{{customer_pk}}/relations/{{pk}}/", "DELETE"): [
        Case(targets=_children("relations", ("own", "east")), perm="customer.edit", needs="edit", ok=204)
    ],
    # -------- batch verbs (API.md, Writes): one request with every customer's id and a missing one
    (f"{CUSTOMERS_URL}/claim/", "POST"): [Case(perm="customer.claim", body=_batch(), batch=claim_rule)],
    (f"{CUSTOMERS_URL}/return/", "POST"): [Case(perm="customer.return", body=_batch(), batch=return_rule)],
    (f"{CUSTOMERS_URL}/recall/", "POST"): [Case(perm="customer.recall", body=_batch(), batch=recall_rule)],
    (f"{CUSTOMERS_URL}/assign/", "POST"): [
        Case(
            perm="customer.assign",
            body=_batch(lambda w, a: {"to": [w.users[a].pk if a in w.users else 1]}),
            batch=assign_rule,
        )
    ],
    (f"{CUSTOMERS_URL}/share/", "POST"): [
        Case(perm="customer.share", body=_batch(lambda w, a: {"users": [w.users["colleague"].pk]}), batch=writable_rule)
    ],
    (f"{CUSTOMERS_URL}/unshare/", "POST"): [
        Case(perm="customer.share", body=_batch(lambda w, a: {"users": [w.users["sales_rep"].pk]}), batch=writable_rule)
    ],
    (f"{CUSTOMERS_URL}/promote/", "POST"): [Case(perm="customer.promote", body=_batch(), batch=writable_rule)],
    (f"{CUSTOMERS_URL}/delete/", "POST"): [Case(perm="customer.delete", body=_batch(), batch=delete_rule)],
    (f"{CUSTOMERS_URL}/restore/", "POST"): [Case(perm="customer.restore", body=_batch(), batch=restore_rule)],
    (f"{CUSTOMERS_URL}/merge/", "POST"): [
        # every id into the hub (seen by everyone) …
        Case(perm="customer.merge", body=_batch(lambda w, a: {"target": w.customers["hub"].pk}), batch=merge_rule),
        # … and the hub into each customer: the survivor must be seen (404) and editable (403)
        Case(
            targets=_customers,
            perm="customer.merge",
            needs="edit",
            body=lambda w, a, t: {"target": _pk(w, t), "ids": [_partner(w, t)]},
        ),
    ],
}

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
                if response.content and response.get("Content-Type", "").startswith("application/json")
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
    for pk in _all_ids(w):
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
    assert set(row) == {"id", "claimed", "owner_name", "name"}
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
