"""Authorization-matrix entries of the call page (ACT-4, ACT-6, phone leases)."""

from shoal.core.tests.matrix_cases import MISSING, Case, customers, one, records, version_of
from shoal.core.tests.matrix_world import CUSTOMERS


def populate(world) -> None:
    """One call annotation and one invalid-number report per customer, written by its owner (or the
    rep who entered a pool customer), with private text; and one talk script."""
    from shoal.calls.models import CallAnnotation, InvalidPhone, TalkScript

    world.extra["call_annotations"] = {}
    world.extra["invalid_phones"] = {}
    for key, spec in CUSTOMERS.items():
        customer = world.customers[key]
        author = world.users[spec.owner or spec.created_by]
        secret = f"机密批注{key}"
        world.extra["call_annotations"][key] = CallAnnotation.objects.create(
            customer=customer, author=author, network_awareness=secret, awareness_category="weak"
        )
        # Every number of the world is reported invalid: the pool has nothing left to lease, so a
        # lease request (which shows the leased numbers to the lessee, by design) reveals nothing here.
        world.extra["invalid_phones"][key] = InvalidPhone.objects.create(
            customer=customer, phone=customer.phone, reason="empty", marked_by=author, note=f"机密无效{key}"
        )
        world.secrets[key] += [secret, f"机密无效{key}"]
    world.extra["talk_scripts"] = {
        "script": TalkScript.objects.create(kind="objection", title="太贵了", content="先小预算试一个月")
    }


def _mobile(w, t) -> str:
    customer = w.customers.get(t.label)
    return customer.mobile if customer else "13900000000"


def _script(w):
    return w.extra["talk_scripts"]["script"]


def _script_version(w, a, t):
    from shoal.calls.models import TalkScript

    return {"version": version_of(w, t, TalkScript), "title": "改"}


CALL = "activity.call"
SCRIPTS = "calls.manage_talk_scripts"

TABLE = {
    # -------- call annotations (ACT-4): visible exactly when the customer is
    ("/api/v1/call-annotations/", "GET"): [Case(perm=CALL), Case(perm=CALL, body={"customer": MISSING})],
    ("/api/v1/call-annotations/", "POST"): [
        Case(
            targets=customers,
            perm=CALL,
            body=lambda w, a, t: {"customer": t.ids["pk"], "network_awareness": "有网站", "awareness_category": "weak"},
            ok=201,
        )
    ],
    ("/api/v1/call-annotations/{pk}/", "GET"): [Case(targets=records("call_annotations"), perm=CALL)],
    ("/api/v1/call-customers/{pk}/", "GET"): [Case(targets=customers, perm=CALL)],
    # -------- talk scripts: company-wide guidance, edited by managers
    ("/api/v1/talk-scripts/", "GET"): [Case()],
    ("/api/v1/talk-scripts/", "POST"): [
        Case(perm=SCRIPTS, body={"kind": "objection", "title": "没时间", "content": "只占您两分钟"}, ok=201)
    ],
    ("/api/v1/talk-scripts/{pk}/", "PATCH"): [Case(targets=one(_script), perm=SCRIPTS, body=_script_version)],
    ("/api/v1/talk-scripts/{pk}/", "DELETE"): [Case(targets=one(_script), perm=SCRIPTS, ok=204)],
    # -------- phone leases (seed 003 §6): one's own only
    ("/api/v1/phone-leases/", "GET"): [Case(perm=CALL)],
    ("/api/v1/phone-leases/quota/", "GET"): [Case(perm=CALL)],
    ("/api/v1/phone-leases/request/", "POST"): [Case(perm=CALL, body={"count": 3}, ok=409)],  # pool_exhausted
    ("/api/v1/phone-leases/release/", "POST"): [Case(perm=CALL, body={"ids": [MISSING]})],
    # -------- invalid numbers (ACT-6)
    ("/api/v1/invalid-phones/", "GET"): [Case(perm=CALL), Case(perm=CALL, body={"status": "open"})],
    ("/api/v1/invalid-phones/", "POST"): [
        Case(
            targets=customers,
            perm=CALL,
            body=lambda w, a, t: {"customer": t.ids["pk"], "phone": _mobile(w, t), "reason": "stopped"},
            ok=201,
        )
    ],
    ("/api/v1/invalid-phones/resolve/", "POST"): [
        Case(perm=CALL, body=lambda w, a, t: {"ids": [w.extra["invalid_phones"]["east"].pk, MISSING]})
    ],
    ("/api/v1/invalid-phones/stats/", "GET"): [Case(perm=CALL)],
}
