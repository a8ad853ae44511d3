"""Authorization-matrix entries of help requests (ACT-7), work logs and attendance (ORG-6).

Neither hangs off customers: the superior chain decides who sees what, so the targets are computed
here from the world's SUPERIOR table and role defaults, not from the selectors."""

from datetime import timedelta

from shoal.core.tests.matrix_cases import MISSING, Case, Target, version_of
from shoal.core.tests.matrix_world import PEOPLE, SUPERIOR, permissions_of

ASKERS = ["sales_rep", "colleague", "rep_b", "rep_east", "customer_service"]


def populate(world) -> None:
    from django.utils import timezone

    from shoal.teamwork.models import HelpRequest, WorkLog

    world.extra["help_requests"] = {
        who: HelpRequest.objects.create(
            requester=world.users[who], superior=world.users[SUPERIOR[who]], subject=f"求助{who}", body="客户压价"
        )
        for who in ASKERS
    }
    yesterday = timezone.localdate() - timedelta(days=1)
    world.extra["work_logs"] = {
        who: WorkLog.objects.create(user=world.users[who], day=yesterday, content=f"日志{who}") for who in PEOPLE
    }


def _help_sees(w, actor: str, asker: str) -> bool:
    return actor in (asker, SUPERIOR[asker]) or asker in w.subordinates(actor)


def help_requests(w, actor: str) -> list[Target]:
    rows = w.extra["help_requests"]
    found = [Target(k, {"pk": r.pk}, _help_sees(w, actor, k)) for k, r in rows.items()]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def _log_sees(w, actor: str, writer: str) -> bool:
    if writer == actor or writer in w.subordinates(actor):
        return True
    if "org.view_staff" in permissions_of(actor):
        scope = w.scope(actor)
        return scope is None or writer in scope
    return False


def work_logs(w, actor: str) -> list[Target]:
    rows = w.extra["work_logs"]
    found = [Target(k, {"pk": r.pk}, _log_sees(w, actor, k)) for k, r in rows.items()]
    return [*found, Target("missing", {"pk": MISSING}, False)]


def own_or_unseen_logs(w, actor: str) -> list[Target]:
    """For edits: one's own log (200) and logs one cannot see (404); others' visible logs answer 403
    not_author, checked in test_api."""
    return [t for t in work_logs(w, actor) if t.label == actor or not t.visible]


def _log_version(w, a, t):
    from shoal.teamwork.models import WorkLog

    return {"version": version_of(w, t, WorkLog), "content": "补充"}


TABLE = {
    ("/api/v1/help-requests/", "GET"): [Case(), Case(body={"box": "inbox"})],
    # The success path needs a superior (the general manager has none): covered by test_api; here the
    # body is incomplete, so every signed-in caller gets the same 400.
    ("/api/v1/help-requests/", "POST"): [Case(body={"subject": "求助"}, ok=400)],
    ("/api/v1/help-requests/{pk}/", "GET"): [Case(targets=help_requests)],
    ("/api/v1/help-requests/{pk}/messages/", "POST"): [Case(targets=help_requests, body={"body": "回复"}, ok=201)],
    ("/api/v1/help-requests/close/", "POST"): [Case(body={"ids": [MISSING]})],
    ("/api/v1/work-logs/", "GET"): [Case(), Case(body={"mine": "true"})],
    ("/api/v1/work-logs/", "POST"): [Case(body={"content": "今天拜访了两个客户"}, ok=201)],
    ("/api/v1/work-logs/{pk}/", "GET"): [Case(targets=work_logs)],
    ("/api/v1/work-logs/{pk}/", "PATCH"): [Case(targets=own_or_unseen_logs, body=_log_version)],
    ("/api/v1/work-logs/{pk}/comments/", "POST"): [Case(targets=work_logs, body={"body": "很好"}, ok=201)],
    ("/api/v1/attendance/", "GET"): [Case(), Case(body={"month": "2026-01"})],
}
