from shoal.opportunities.models import PipelineStage

STAGES = [
    ("initial", "初步接洽", 10, "open"),
    ("needs", "需求确认", 30, "open"),
    ("proposal", "方案报价", 50, "open"),
    ("negotiation", "商务谈判", 70, "open"),
    ("won", "赢单", 100, "won"),
    ("lost", "输单", 0, "lost"),
]


def pipeline() -> dict[str, PipelineStage]:
    """The default pipeline (transactional tests flush the rows the data migration seeded)."""
    return {
        code: PipelineStage.objects.get_or_create(
            code=code, defaults={"name": name, "probability": p, "kind": kind, "position": i}
        )[0]
        for i, (code, name, p, kind) in enumerate(STAGES)
    }


def opportunity(customer, owner, **values):
    from shoal.opportunities import services

    values.setdefault("title", f"{customer.name}的机会")
    return services.opportunity_create(actor=owner, customer=customer, data=values)
