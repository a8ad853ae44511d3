"""The vocabulary of the authorization matrix (issue 9), shared by every app's table.

Each app lists its routes in ``shoal/<app>/tests/matrix.py``: a ``TABLE`` of
``(path template, METHOD) → [Case, …]`` and, when its records hang off customers, a
``populate(world)`` that adds one record per customer of the world to ``world.extra[<name>]``
(keyed like ``CUSTOMERS``) and the private text of each to ``world.secrets[key]``.
``shoal/core/tests/test_authorization_matrix.py`` gathers every table and runs every cell.
"""

from collections.abc import Callable
from dataclasses import dataclass

from shoal.core.tests.matrix_world import CUSTOMERS, World

MISSING = 999_999


@dataclass(frozen=True)
class Target:
    label: str
    ids: dict  # path placeholder → id
    visible: bool
    customer: str | None = None  # the customer it belongs to, for access checks


def customers(w: World, actor: str) -> list[Target]:
    found = [
        Target(key, {"pk": w.customers[key].pk}, not spec.deleted and w.sees(actor, key), key)
        for key, spec in CUSTOMERS.items()
    ]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def pool_customers(w: World, actor: str) -> list[Target]:
    found = [Target(key, {"pk": w.customers[key].pk}, not spec.deleted) for key, spec in CUSTOMERS.items()]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def children(attribute: str, mismatch: tuple[str, str]):
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


def one(attribute: str | Callable[[World], object]):
    """Company-wide records (departments, staff, roles, settings): every signed-in user sees them.
    ``attribute`` names one of ``attribute_of`` or is a function of the world giving the record."""

    def targets(w: World, actor: str) -> list[Target]:
        record = attribute(w) if callable(attribute) else attribute_of(w, attribute)
        return [
            Target(getattr(attribute, "__name__", str(attribute)), {"pk": record.pk}, True),
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


def tokens(w: World, actor: str) -> list[Target]:
    other = "general_manager" if actor == "admin" else "admin"
    return [
        Target("own token", {"pk": w.tokens[actor].pk}, True),
        Target("someone else's token", {"pk": w.tokens[other].pk}, False),
        Target("missing", {"pk": MISSING}, False),
    ]


# ---------------------------------------------------------------- per-id rules of the batch verbs

Rule = Callable[[World, str, str | None], str]  # (world, actor, customer key or None) → "ok" | failure code


def seen(w: World, actor: str, key: str | None) -> bool:
    return key is not None and not CUSTOMERS[key].deleted and w.sees(actor, key)


def claim_rule(w, actor, key):
    # CUS-1: the pool is public — any customer not deleted may be claimed if nobody owns it.
    if key is None or CUSTOMERS[key].deleted:
        return "not_found"
    return "already_claimed" if CUSTOMERS[key].owner else "ok"


def return_rule(w, actor, key):
    if not seen(w, actor, key):
        return "not_found"
    return "ok" if CUSTOMERS[key].owner == actor else "not_owner"


def recall_rule(w, actor, key):
    if not seen(w, actor, key):
        return "not_found"
    owner, scope = CUSTOMERS[key].owner, w.recall_scope(actor)
    if owner is None:
        return "not_claimed"
    return "out_of_scope" if scope is not None and owner not in scope else "ok"


def assign_rule(w, actor, key):
    if not seen(w, actor, key):
        return "not_found"
    owner, scope = CUSTOMERS[key].owner, w.recall_scope(actor)
    return "out_of_scope" if owner is not None and scope is not None and owner not in scope else "ok"


def writable_rule(w, actor, key):
    if not seen(w, actor, key):
        return "not_found"
    return "read_only" if w.access(actor, key) == "read" else "ok"


def share_rule(w, actor, key):
    if not seen(w, actor, key):
        return "not_found"
    return "ok" if w.may_share(actor, key) else "not_owner"


def delete_rule(w, actor, key):
    if not seen(w, actor, key):
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


def pk_of(w: World, t: Target) -> int:
    return t.ids["pk"]


def version_of(w: World, t: Target, model=None) -> int:
    """The current version of the record a target names (a customer unless ``model`` says otherwise)."""
    if model is None:
        from shoal.customers.models import Customer as model

    return model.objects.filter(pk=t.ids["pk"]).values_list("version", flat=True).first() or 1


def partner(w: World, t: Target) -> int:
    return w.customers["hub2" if t.label == "hub" else "hub"].pk


def all_ids(w: World) -> list[int]:
    return [*(c.pk for c in w.customers.values()), MISSING]


def batch_of(extra: Callable | None = None):
    return lambda w, a, t: {"ids": all_ids(w), **(extra(w, a) if extra else {})}


def records(name: str, mismatch: tuple[str, str] | None = None, *, nested: bool = False):
    """One record per customer, from ``world.extra[name]`` (filled by an app's ``populate``): visible
    exactly when its customer is. ``nested`` for routes under ``/customers/{customer_pk}/…``; then
    ``mismatch=(parent, child)`` adds the child's record under the wrong parent (must be 404)."""

    def targets(w: World, actor: str) -> list[Target]:
        rows = w.extra[name]
        found = []
        for key, record in rows.items():
            ids = {"pk": record.pk}
            if nested:
                ids["customer_pk"] = w.customers[key].pk
            found.append(Target(key, ids, not CUSTOMERS[key].deleted and w.sees(actor, key), key))
        if nested and mismatch:
            parent, child = mismatch
            found.append(
                Target(
                    f"{child}'s under {parent}", {"customer_pk": w.customers[parent].pk, "pk": rows[child].pk}, False
                )
            )
        missing = {"pk": MISSING, **({"customer_pk": w.customers["own"].pk} if nested else {})}
        return [*found, Target("missing", missing, False)]

    return targets
