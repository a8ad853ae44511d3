"""Authorization-matrix entries of opportunities, the pipeline and conflicts (SAL-1, SAL-2)."""

from decimal import Decimal

from shoal.core.tests.matrix_cases import Case, one, records, version_of

URL = "/api/v1/opportunities"


def populate(world) -> None:
    """One opportunity and one open conflict per customer of the world, owned by the customer's owner."""
    from shoal.opportunities.models import Conflict, Opportunity, PipelineStage
    from shoal.opportunities.tests.factories import pipeline

    stages = pipeline()
    opportunities, conflicts = {}, {}
    for key, customer in world.customers.items():
        owner = customer.owner or world.users["rep_east"]
        challenger = world.users["rep_b" if owner.username == "colleague" else "colleague"]
        title = f"机密机会{key}"
        opportunities[key] = Opportunity.objects.create(
            customer=customer,
            owner=owner,
            title=title,
            summary=f"机密概述{key}",
            expected_amount=Decimal("5000.00"),
            stage=stages["initial"],
        )
        low, high = sorted((owner.pk, challenger.pk))
        conflicts[key] = Conflict.objects.create(
            customer=customer,
            incumbent=owner,
            challenger=challenger,
            pair_key=f"{low}-{high}",
            opportunity=opportunities[key],
        )
        world.secrets[key] = [*world.secrets.get(key, []), title, f"机密概述{key}"]
    world.extra["opportunities"] = opportunities
    world.extra["conflicts"] = conflicts
    world.extra["pipeline_stage"] = PipelineStage.objects.order_by("position").first()


def _opportunity_version(w, a, t):
    from shoal.opportunities.models import Opportunity

    return {"version": version_of(w, t, Opportunity), "next_step": "再约"}


def _resolve(w, a, t):
    conflict = w.extra["conflicts"].get(t.customer) if t.customer else None
    return {"winner": conflict.incumbent_id if conflict else 1, "decision": "老客户归原负责人"}


def _stage_version(w, a, t):
    from shoal.opportunities.models import PipelineStage

    return {"version": version_of(w, t, PipelineStage), "probability": 15}


TABLE = {
    ("/api/v1/opportunity-stages/", "GET"): [Case()],
    ("/api/v1/opportunity-stages/", "POST"): [
        Case(perm="sales.manage_pipeline", body={"code": "pilot", "name": "试用", "probability": 60}, ok=201)
    ],
    ("/api/v1/opportunity-stages/{pk}/", "PATCH"): [
        Case(targets=one(lambda w: w.extra["pipeline_stage"]), perm="sales.manage_pipeline", body=_stage_version)
    ],
    (f"{URL}/", "GET"): [Case(perm="sales.view"), Case(perm="sales.view", body={"status": "open", "ordering": "-id"})],
    (f"{URL}/", "POST"): [
        Case(
            perm="sales.edit",
            body=lambda w, a, t: {"customer": w.customers["hub"].pk, "title": "矩阵新机会"},
            ok=201,
        )
    ],
    (f"{URL}/{{pk}}/", "GET"): [Case(targets=records("opportunities"), perm="sales.view")],
    (f"{URL}/{{pk}}/", "PATCH"): [
        Case(targets=records("opportunities"), perm="sales.edit", needs="edit", body=_opportunity_version)
    ],
    (f"{URL}/{{pk}}/history/", "GET"): [Case(targets=records("opportunities"), perm="sales.view")],
    ("/api/v1/conflicts/", "GET"): [Case(perm="sales.view"), Case(perm="sales.view", body={"view": "to_decide"})],
    ("/api/v1/conflicts/{pk}/", "GET"): [Case(targets=records("conflicts"), perm="sales.view")],
    ("/api/v1/conflicts/{pk}/resolve/", "POST"): [
        Case(targets=records("conflicts"), perm="sales.resolve_conflicts", needs="edit", body=_resolve)
    ],
}
