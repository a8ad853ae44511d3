"""Every write of opportunities, the pipeline and conflicts (SAL-1, SAL-2): one transaction each."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.core.errors import Conflict as ConflictError
from shoal.core.errors import Forbidden, InvalidInput
from shoal.core.versioning import versioned_update
from shoal.customers.models import Customer
from shoal.opportunities import notify
from shoal.opportunities.models import (
    Competitor,
    Conflict,
    ConflictStatus,
    Opportunity,
    OpportunityAction,
    OpportunityEvent,
    PipelineStage,
    StageKind,
)
from shoal.opportunities.permissions import Permission
from shoal.opportunities.selectors import may_work
from shoal.org.models import User

EDITABLE = ("title", "source", "summary", "expected_amount", "expected_close_date", "next_step", "feedback")


def _json(value: Any) -> Any:
    if isinstance(value, PipelineStage):
        return value.code
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def _event(opportunity: Opportunity, actor: User | None, action: str, *, reason: str = "", changes=None) -> None:
    OpportunityEvent.objects.create(
        opportunity=opportunity, actor=actor, action=action, reason=reason or "", changes=changes or {}
    )


def _publish(customer_id: int) -> None:
    from shoal.contracts.deal_facts import publish_deal_facts

    publish_deal_facts(customer_id)


def _read_only() -> Forbidden:
    return Forbidden(_("Only the owner of this record or a manager of the customer may change it."), code="read_only")


def _set_competitors(opportunity: Opportunity, competitors: list[dict], actor: User) -> None:
    opportunity.competitors.all().delete()
    Competitor.objects.bulk_create(
        [
            Competitor(
                opportunity=opportunity,
                created_by=actor,
                name=c["name"],
                strengths=c.get("strengths", ""),
                weaknesses=c.get("weaknesses", ""),
                remarks=c.get("remarks", ""),
            )
            for c in competitors
        ]
    )


def _first_open_stage() -> PipelineStage:
    stage = PipelineStage.objects.filter(kind=StageKind.OPEN, is_active=True).order_by("position", "id").first()
    if stage is None:
        raise InvalidInput(_("The pipeline has no open stage; ask an administrator to add one."), code="no_stage")
    return stage


# ---------------------------------------------------------------- opportunities (SAL-1)


@transaction.atomic
def opportunity_create(
    *, actor: User, customer: Customer, data: dict, competitors: list[dict] | None = None
) -> Opportunity:
    stage = data.pop("stage", None) or _first_open_stage()
    if stage.kind != StageKind.OPEN:
        raise InvalidInput(fields={"stage": [_("A new opportunity starts in an open stage.")]})
    values = {k: v for k, v in data.items() if k in EDITABLE}
    opportunity = Opportunity.objects.create(
        customer=customer, owner=actor, created_by=actor, stage=stage, status=StageKind.OPEN, **values
    )
    _set_competitors(opportunity, competitors or [], actor)
    _event(opportunity, actor, OpportunityAction.CREATE, changes={k: _json(v) for k, v in values.items()})
    conflict_detect(actor=actor, customer=customer, trigger="opportunity", opportunity=opportunity)
    _publish(customer.pk)
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    actor: User,
    opportunity: Opportunity,
    version: int | None,
    data: dict,
    competitors: list[dict] | None = None,
    reason: str = "",
) -> Opportunity:
    if not may_work(user=actor, customer=opportunity.customer, owner_id=opportunity.owner_id):
        raise _read_only()
    changes: dict[str, Any] = {k: v for k, v in data.items() if k in EDITABLE}
    action = OpportunityAction.EDIT
    stage: PipelineStage | None = data.get("stage")
    if stage is not None and stage.pk != opportunity.stage_id:
        changes["stage"] = stage
        changes["status"] = stage.kind
        if stage.kind == StageKind.OPEN:
            action = OpportunityAction.REOPEN if opportunity.status != StageKind.OPEN else OpportunityAction.STAGE
            changes["closed_at"] = None
            changes["close_reason"] = ""
        else:
            # SAL-1: won or lost always says why.
            close_reason = (data.get("close_reason") or "").strip()
            if not close_reason:
                raise InvalidInput(fields={"close_reason": [_("Say why the opportunity was won or lost.")]})
            action = OpportunityAction.WON if stage.kind == StageKind.WON else OpportunityAction.LOST
            changes["closed_at"] = timezone.now()
            changes["close_reason"] = close_reason
    diff = {
        k: [_json(getattr(opportunity, k)), _json(v)]
        for k, v in changes.items()
        if k != "closed_at" and getattr(opportunity, k) != v
    }
    versioned_update(opportunity, version=version, changes=changes)
    if competitors is not None:
        _set_competitors(opportunity, competitors, actor)
        diff["competitors"] = [c["name"] for c in competitors]
    _event(opportunity, actor, action, reason=reason or changes.get("close_reason", ""), changes=diff)
    _publish(opportunity.customer_id)
    return opportunity


# ---------------------------------------------------------------- the pipeline (SAL-1)


@transaction.atomic
def stage_create(*, actor: User, **values) -> PipelineStage:
    if PipelineStage.objects.filter(code=values["code"]).exists():
        raise InvalidInput(fields={"code": [_("A stage with this code exists already.")]})
    return PipelineStage.objects.create(created_by=actor, **values)


@transaction.atomic
def stage_update(*, actor: User, stage: PipelineStage, version: int | None, **changes) -> PipelineStage:
    if "kind" in changes and changes["kind"] != stage.kind and stage.opportunities.exists():
        raise InvalidInput(fields={"kind": [_("Opportunities use this stage; its kind cannot change.")]})
    return versioned_update(stage, version=version, changes=changes)


# ---------------------------------------------------------------- conflicts (SAL-2)


def _chain(user_id: int, superiors: dict[int, int | None]) -> list[int]:
    chain, seen = [], {user_id}
    current = superiors.get(user_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = superiors.get(current)
    return chain


def common_manager(a: User, b: User) -> User | None:
    """The nearest superior of both reps who may decide conflicts (SAL-2), or None."""
    from shoal.org.selectors import _superior_map

    superiors = _superior_map()
    above_b = set(_chain(b.pk, superiors))
    candidates = [uid for uid in _chain(a.pk, superiors) if uid in above_b]
    users = User.objects.select_related("role").in_bulk(candidates)
    for uid in candidates:
        user = users.get(uid)
        if user is not None and user.is_active and user.has_permission(Permission.RESOLVE_CONFLICTS):
            return user
    return None


def _working_reps(customer: Customer, actor: User) -> list[int]:
    """Who else works this customer: its owner and the owners of its open opportunities."""
    reps = set(
        Opportunity.objects.filter(customer=customer, status=StageKind.OPEN)
        .exclude(owner_id=actor.pk)
        .values_list("owner_id", flat=True)
    )
    if customer.owner_id and customer.owner_id != actor.pk:
        reps.add(customer.owner_id)
    return sorted(reps)


def conflict_on_claim(customer_id: int, actor: User) -> None:
    """SAL-2: a rep claims a customer from the pool on which another rep still has an open
    opportunity (returned with it, or recalled): the two now work one customer — a conflict."""
    others = Opportunity.objects.filter(customer_id=customer_id, status=StageKind.OPEN).exclude(owner_id=actor.pk)
    if others.exists():
        conflict_detect(actor=actor, customer=Customer.objects.get(pk=customer_id), trigger="claim")


def conflict_detect(
    *, actor: User, customer: Customer, trigger: str = "opportunity", opportunity: Opportunity | None = None
) -> list[Conflict]:
    """SAL-2: ``actor`` starts working ``customer`` (an opportunity, or claim activity logged by the
    activities app); for each other rep working it, exactly one open conflict exists afterwards.
    The unique constraint settles two requests at once: the loser of the race finds the winner's row."""
    found = []
    for rep_id in _working_reps(customer, actor):
        low, high = sorted((rep_id, actor.pk))
        key = f"{low}-{high}"
        existing = Conflict.objects.filter(customer=customer, pair_key=key, status=ConflictStatus.OPEN).first()
        if existing is not None:
            found.append(existing)
            continue
        incumbent = User.objects.get(pk=rep_id)
        manager = common_manager(incumbent, actor)
        try:
            with transaction.atomic():
                conflict = Conflict.objects.create(
                    customer=customer,
                    incumbent=incumbent,
                    challenger=actor,
                    manager=manager,
                    pair_key=key,
                    opportunity=opportunity,
                    trigger=trigger,
                    created_by=actor,
                )
        except IntegrityError:
            found.append(Conflict.objects.get(customer=customer, pair_key=key, status=ConflictStatus.OPEN))
            continue
        found.append(conflict)
        notify.send(
            [manager, incumbent],
            "sales.conflict",
            _("Conflict on %(customer)s") % {"customer": customer.name},
            body=_("%(a)s and %(b)s both work this customer.")
            % {"a": incumbent.name or incumbent.username, "b": actor.name or actor.username},
            link=f"/deals/conflicts?id={conflict.pk}",
            dedupe_key=f"conflict-{conflict.pk}",
        )
    return found


@transaction.atomic
def conflict_resolve(*, actor: User, conflict: Conflict, winner_id: int, decision: str) -> Conflict:
    if not may_work(user=actor, customer=conflict.customer, owner_id=None):
        raise Forbidden(_("Only a manager over this customer may decide the conflict."), code="out_of_scope")
    if winner_id not in (conflict.incumbent_id, conflict.challenger_id):
        raise InvalidInput(fields={"winner": [_("Choose one of the two reps.")]})
    now = timezone.now()
    decided = Conflict.objects.filter(pk=conflict.pk, status=ConflictStatus.OPEN).update(
        status=ConflictStatus.RESOLVED, winner_id=winner_id, decision=decision, resolved_by=actor, resolved_at=now
    )
    if not decided:
        raise ConflictError(_("This conflict has been decided already."), code="already_resolved")
    loser_id = conflict.challenger_id if winner_id == conflict.incumbent_id else conflict.incumbent_id
    # The winner keeps the customer's deals: the loser's open opportunities on it move to the winner.
    moving = list(
        Opportunity.objects.select_for_update().filter(
            customer_id=conflict.customer_id, owner_id=loser_id, status=StageKind.OPEN
        )
    )
    for opportunity in moving:
        Opportunity.objects.filter(pk=opportunity.pk).update(owner_id=winner_id, version=F("version") + 1)
        _event(
            opportunity,
            actor,
            OpportunityAction.TRANSFER,
            reason=decision,
            changes={"owner": [loser_id, winner_id], "conflict": conflict.pk},
        )
    conflict.refresh_from_db()
    notify.send(
        [conflict.incumbent, conflict.challenger],
        "sales.conflict_resolved",
        _("Conflict on %(customer)s decided") % {"customer": conflict.customer.name},
        body=decision,
        link=f"/deals/conflicts?id={conflict.pk}",
        dedupe_key=f"conflict-resolved-{conflict.pk}",
    )
    _publish(conflict.customer_id)
    return conflict
