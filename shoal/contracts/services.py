"""Every write of contracts, payment plans, payments, write-offs and collection tasks (SAL-6, SAL-7).

Money is Decimal, and every sum is kept by conditional UPDATEs whose row count decides a race, so two
people recording at once can never over-pay or over-plan (backed by check constraints)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shoal.contracts.deal_facts import publish_deal_facts
from shoal.contracts.models import (
    TRANSITIONS,
    CollectionTask,
    Contract,
    ContractCounter,
    ContractEvent,
    ContractStatus,
    Payment,
    PaymentPlan,
    PlanStatus,
    TaskStatus,
)
from shoal.core.batch import BatchResult
from shoal.core.errors import Conflict, Forbidden, InvalidInput, NotFound, ShoalError
from shoal.core.versioning import versioned_update
from shoal.customers.models import Customer
from shoal.opportunities.models import Opportunity, StageKind
from shoal.opportunities.selectors import may_work
from shoal.org.models import User

CENT = Decimal("0.01")
EDITABLE = ("title", "party_a", "party_b", "amount", "signed_on", "starts_on", "ends_on", "remarks")
OPEN_PLAN = (PlanStatus.PENDING, PlanStatus.PARTIAL)


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _money(value)
    return value


def _event(contract_id: int, actor: User | None, action: str, *, reason: str = "", changes=None) -> None:
    ContractEvent.objects.create(
        contract_id=contract_id, actor=actor, action=action, reason=reason or "", changes=changes or {}
    )


def _read_only() -> Forbidden:
    return Forbidden(_("Only the owner of this record or a manager of the customer may change it."), code="read_only")


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(fields={"ends_on": [_("The end date is before the start date.")]})


# ---------------------------------------------------------------- contracts (SAL-6)


def contract_number_next(today: date | None = None) -> str:
    """HT<year><5 digits>, from a per-year counter bumped by one UPDATE: concurrent creates queue on
    the row and each gets its own number (call inside the creating transaction)."""
    year = (today or timezone.localdate()).year
    if not ContractCounter.objects.filter(year=year).exists():
        try:
            with transaction.atomic():
                ContractCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # someone else created this year's counter first
    ContractCounter.objects.filter(year=year).update(last=F("last") + 1)
    last = ContractCounter.objects.get(year=year).last
    return f"HT{year}{last:05d}"


@transaction.atomic
def contract_create(
    *,
    actor: User,
    customer: Customer,
    data: dict,
    opportunity: Opportunity | None = None,
    order=None,
) -> Contract:
    """SAL-6 from a won opportunity, from a sales order (its total and number by default), or on its own."""
    if order is not None:
        from shoal.orders.models import OrderStatus

        if order.customer_id != customer.pk:
            raise InvalidInput(fields={"order": [_("The order belongs to another customer.")]})
        if order.status == OrderStatus.CANCELLED:
            raise InvalidInput(fields={"order": [_("A cancelled order cannot become a contract.")]})
        data = {**data}
        if data.get("amount") is None:
            data["amount"] = order.total
        data.setdefault("title", order.number)
    if opportunity is not None:
        if opportunity.customer_id != customer.pk:
            raise InvalidInput(fields={"opportunity": [_("The opportunity belongs to another customer.")]})
        if opportunity.status != StageKind.WON:
            raise InvalidInput(
                fields={"opportunity": [_("A contract is made from a won opportunity.")]}, code="opportunity_not_won"
            )
    owner_id = opportunity.owner_id if opportunity is not None else None
    if not may_work(user=actor, customer=customer, owner_id=owner_id):
        raise _read_only()
    values = {k: v for k, v in data.items() if k in EDITABLE}
    if "amount" not in values or values["amount"] is None:
        if opportunity is None:
            raise InvalidInput(fields={"amount": [_("Enter the contract amount.")]})
        values["amount"] = opportunity.expected_amount
    values.setdefault("title", opportunity.title if opportunity else customer.name)
    if not values.get("party_a"):
        values["party_a"] = customer.name
    _check_dates(values.get("starts_on"), values.get("ends_on"))
    contract = Contract.objects.create(
        number=contract_number_next(),
        customer=customer,
        opportunity=opportunity,
        order=order,
        owner=opportunity.owner if opportunity is not None else actor,
        created_by=actor,
        **values,
    )
    _event(contract.pk, actor, "create", changes={k: _json(v) for k, v in values.items()})
    publish_deal_facts(customer.pk)
    return contract


@transaction.atomic
def contract_update(*, actor: User, contract: Contract, version: int | None, data: dict, reason: str = "") -> Contract:
    if not may_work(user=actor, customer=contract.customer, owner_id=contract.owner_id):
        raise _read_only()
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    if "amount" in changes and changes["amount"] < contract.planned:
        raise InvalidInput(
            fields={
                "amount": [_("The payment plans already hold %(planned)s.") % {"planned": _money(contract.planned)}]
            }
        )
    _check_dates(changes.get("starts_on", contract.starts_on), changes.get("ends_on", contract.ends_on))
    diff = {k: [_json(getattr(contract, k)), _json(v)] for k, v in changes.items() if getattr(contract, k) != v}
    if "amount" in changes:
        # The plans' total may have grown since it was read: let the database hold the line.
        bumped = Contract.objects.filter(pk=contract.pk, planned__lte=changes["amount"]).update(
            amount=changes["amount"]
        )
        if not bumped:
            raise Conflict(_("The payment plans changed; reload and try again."), code="plans_changed")
    versioned_update(contract, version=version, changes=changes)
    _event(contract.pk, actor, "edit", reason=reason, changes=diff)
    publish_deal_facts(contract.customer_id)
    return contract


@transaction.atomic
def contract_transition(*, actor: User, contract: Contract, status: str, reason: str = "") -> Contract:
    """SAL-6: move along the allowed transitions only; two people moving it at once cannot both win."""
    if not may_work(user=actor, customer=contract.customer, owner_id=contract.owner_id):
        raise _read_only()
    current = contract.status
    if status not in TRANSITIONS.get(current, set()):
        raise InvalidInput(
            _("A contract cannot go from %(from)s to %(to)s.")
            % {"from": ContractStatus(current).label, "to": ContractStatus(status).label},
            code="invalid_transition",
        )
    changes: dict[str, Any] = {"status": status, "version": F("version") + 1}
    if status == ContractStatus.ACTIVE and contract.signed_on is None:
        changes["signed_on"] = timezone.localdate()
    moved = Contract.objects.filter(pk=contract.pk, status=current).update(**changes)
    if not moved:
        raise Conflict(_("Someone else changed this contract's status; reload it."), code="status_changed")
    if status == ContractStatus.TERMINATED:
        CollectionTask.objects.filter(plan__contract=contract, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, done_at=timezone.now(), note=_("Contract terminated")
        )
    _event(contract.pk, actor, "status", reason=reason, changes={"status": [current, status]})
    contract.refresh_from_db()
    publish_deal_facts(contract.customer_id)
    return contract


# ---------------------------------------------------------------- payment plans (SAL-7)


def _plan_status(amount: Decimal, received: Decimal, written_off: Decimal) -> str:
    if written_off > 0 and received + written_off >= amount:
        return PlanStatus.WRITTEN_OFF
    if received >= amount:
        return PlanStatus.PAID
    return PlanStatus.PARTIAL if received > 0 else PlanStatus.PENDING


def _settle_plan(plan_id: int, today: date | None = None) -> PaymentPlan:
    """Recompute an instalment's status and overdue flag from its money; close its task when settled."""
    plan = PaymentPlan.objects.get(pk=plan_id)
    status = _plan_status(plan.amount, plan.received, plan.written_off)
    overdue = status in OPEN_PLAN and plan.due_on < (today or timezone.localdate())
    PaymentPlan.objects.filter(pk=plan_id).update(status=status, is_overdue=overdue)
    if status not in OPEN_PLAN:
        CollectionTask.objects.filter(plan_id=plan_id, status=TaskStatus.OPEN).update(
            status=TaskStatus.DONE, done_at=timezone.now()
        )
    plan.status, plan.is_overdue = status, overdue
    return plan


COLLECTION_HORIZON_DAYS = 7


def _task_for(plan: PaymentPlan) -> None:
    """An instalment created or moved into the collection window gets its task at once; the daily
    job does the same for the rest (the one-open-task constraint keeps both idempotent)."""
    horizon = timezone.localdate() + timedelta(days=COLLECTION_HORIZON_DAYS)
    if plan.status in OPEN_PLAN and plan.due_on <= horizon:
        CollectionTask.objects.bulk_create(
            [CollectionTask(plan=plan, customer_id=plan.customer_id, owner_id=plan.owner_id, due_on=plan.due_on)],
            ignore_conflicts=True,
        )
    CollectionTask.objects.filter(plan=plan, status=TaskStatus.OPEN).exclude(due_on=plan.due_on).update(
        due_on=plan.due_on
    )


def _plannable(contract: Contract) -> None:
    if contract.status in (ContractStatus.COMPLETED, ContractStatus.TERMINATED):
        raise InvalidInput(_("This contract is closed; its plans cannot change."), code="contract_closed")


@transaction.atomic
def plan_create(*, actor: User, contract: Contract, due_on: date, amount: Decimal, remarks: str = "") -> PaymentPlan:
    if not may_work(user=actor, customer=contract.customer, owner_id=contract.owner_id):
        raise _read_only()
    _plannable(contract)
    if amount <= 0:
        raise InvalidInput(fields={"amount": [_("The amount must be more than 0.")]})
    # SAL-7: the instalments never add up to more than the contract; settled in one UPDATE.
    added = Contract.objects.filter(pk=contract.pk, planned__lte=F("amount") - amount).update(
        planned=F("planned") + amount
    )
    if not added:
        contract.refresh_from_db()
        left = contract.amount - contract.planned
        raise InvalidInput(
            _("The instalments would exceed the contract amount; at most %(left)s can still be planned.")
            % {"left": _money(left)},
            code="plans_exceed_amount",
            fields={"amount": [_("At most %(left)s can still be planned.") % {"left": _money(left)}]},
        )
    seq = (PaymentPlan.objects.filter(contract=contract).aggregate(m=Max("seq"))["m"] or 0) + 1
    plan = PaymentPlan.objects.create(
        contract=contract,
        customer_id=contract.customer_id,
        owner_id=contract.owner_id,
        seq=seq,
        due_on=due_on,
        amount=amount,
        remarks=remarks,
        created_by=actor,
    )
    plan = _settle_plan(plan.pk)
    _task_for(plan)
    _event(contract.pk, actor, "plan", changes={"seq": seq, "due_on": due_on.isoformat(), "amount": _money(amount)})
    return plan


@transaction.atomic
def plan_update(*, actor: User, plan: PaymentPlan, version: int | None, data: dict, reason: str = "") -> PaymentPlan:
    contract = plan.contract
    if not may_work(user=actor, customer=plan.customer, owner_id=plan.owner_id):
        raise _read_only()
    _plannable(contract)
    if plan.status == PlanStatus.WRITTEN_OFF:
        raise InvalidInput(_("A written-off instalment cannot change."), code="written_off")
    changes = {k: v for k, v in data.items() if k in ("due_on", "amount", "remarks")}
    if "amount" in changes:
        new = changes["amount"]
        if new < plan.received + plan.written_off:
            raise InvalidInput(
                fields={"amount": [_("%(received)s has been received already.") % {"received": _money(plan.received)}]}
            )
        delta = new - plan.amount
        moved = Contract.objects.filter(pk=contract.pk, planned__lte=F("amount") - delta).update(
            planned=F("planned") + delta
        )
        if not moved:
            raise InvalidInput(
                fields={"amount": [_("The instalments would exceed the contract amount.")]}, code="plans_exceed_amount"
            )
        # The received money may have grown since it was read: the plan row holds the line too.
        if not PaymentPlan.objects.filter(pk=plan.pk, received__lte=new - F("written_off")).exists():
            raise Conflict(_("A payment was recorded meanwhile; reload and try again."), code="plan_changed")
    diff = {k: [_json(getattr(plan, k)), _json(v)] for k, v in changes.items() if getattr(plan, k) != v}
    versioned_update(plan, version=version, changes=changes)
    plan = _settle_plan(plan.pk)
    _task_for(plan)
    _event(contract.pk, actor, "plan", reason=reason, changes={"seq": plan.seq, **diff})
    return plan


# ---------------------------------------------------------------- payments (SAL-7)


@transaction.atomic
def payment_record(
    *,
    actor: User,
    plan: PaymentPlan,
    amount: Decimal,
    received_on: date,
    method: str = "",
    remarks: str = "",
) -> Payment:
    if not may_work(user=actor, customer=plan.customer, owner_id=plan.owner_id):
        raise _read_only()
    if plan.contract.status == ContractStatus.TERMINATED:
        raise InvalidInput(_("This contract is terminated."), code="contract_closed")
    if amount <= 0:
        raise InvalidInput(fields={"amount": [_("The amount must be more than 0.")]})
    # One conditional UPDATE: only if the instalment still has room for this amount. Two people
    # recording at once queue on the row; the second sees the first one's money and may be refused.
    took = PaymentPlan.objects.filter(
        pk=plan.pk, status__in=OPEN_PLAN, amount__gte=F("received") + F("written_off") + amount
    ).update(received=F("received") + amount, version=F("version") + 1)
    if not took:
        plan.refresh_from_db()
        left = plan.amount - plan.received - plan.written_off
        message = _("Over-payment: this instalment has %(left)s outstanding, %(amount)s was entered.") % {
            "left": _money(left),
            "amount": _money(amount),
        }
        raise InvalidInput(message, code="overpayment", fields={"amount": [message]})
    Contract.objects.filter(pk=plan.contract_id).update(received=F("received") + amount)
    payment = Payment.objects.create(
        plan=plan,
        contract_id=plan.contract_id,
        customer_id=plan.customer_id,
        amount=amount,
        received_on=received_on,
        method=method,
        remarks=remarks,
        created_by=actor,
    )
    settled = _settle_plan(plan.pk)
    _event(
        plan.contract_id,
        actor,
        "payment",
        changes={
            "seq": plan.seq,
            "amount": _money(amount),
            "received_on": received_on.isoformat(),
            "plan": settled.status,
        },
    )
    return payment


# ---------------------------------------------------------------- bad debt (SAL-7)


def plan_write_off(*, actor: User, ids: list[int], reason: str, visible) -> BatchResult:
    """Write off what is still outstanding on each instalment, with a reason; each id on its own.
    ``visible`` is the caller's queryset of plans (selectors.plan_list)."""
    result = BatchResult()
    reason = (reason or "").strip()
    for pk in ids:
        try:
            with transaction.atomic():
                plan = visible.filter(pk=pk).first()
                if plan is None:
                    raise NotFound()
                if not reason:
                    raise InvalidInput(_("Say why the debt is written off."), code="reason_required")
                if not may_work(user=actor, customer=plan.customer, owner_id=None):
                    raise Forbidden(
                        _("Only a manager over this customer may write off its debts."), code="out_of_scope"
                    )
                left = plan.amount - plan.received - plan.written_off
                if plan.status not in OPEN_PLAN or left <= 0:
                    raise InvalidInput(_("Nothing is outstanding on this instalment."), code="nothing_outstanding")
                took = PaymentPlan.objects.filter(
                    pk=pk, status__in=OPEN_PLAN, received=plan.received, written_off=plan.written_off
                ).update(
                    written_off=F("written_off") + left,
                    write_off_reason=reason,
                    written_off_by=actor,
                    written_off_at=timezone.now(),
                    version=F("version") + 1,
                )
                if not took:
                    raise Conflict(_("A payment was recorded meanwhile; reload and try again."), code="plan_changed")
                Contract.objects.filter(pk=plan.contract_id).update(written_off=F("written_off") + left)
                _settle_plan(pk)
                _event(
                    plan.contract_id,
                    actor,
                    "write_off",
                    reason=reason,
                    changes={"seq": plan.seq, "amount": _money(left)},
                )
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result


# ---------------------------------------------------------------- overdue and collection (SAL-7)


def plans_refresh_overdue(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Daily: mark instalments past their due date with money outstanding as overdue (and clear the
    flag of those settled). Bounded batches of set-based UPDATEs; running it twice changes nothing."""
    today = timezone.localdate(now or timezone.now())
    changed = 0
    for flag, condition in (
        (True, Q(due_on__lt=today, status__in=OPEN_PLAN, is_overdue=False)),
        (False, Q(is_overdue=True) & (Q(due_on__gte=today) | ~Q(status__in=OPEN_PLAN))),
    ):
        while True:
            ids = list(PaymentPlan.objects.filter(condition).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            changed += PaymentPlan.objects.filter(pk__in=ids).update(is_overdue=flag)
    return changed


def collection_tasks_generate(
    *, now: datetime | None = None, horizon_days: int = COLLECTION_HORIZON_DAYS, batch_size: int = 500
) -> int:
    """SAL-7 催款: one open task per instalment that is overdue or due within ``horizon_days``, for
    the instalment's rep. Idempotent: the one-open-task-per-plan constraint drops repeats."""
    today = timezone.localdate(now or timezone.now())
    created = 0
    last_pk = 0
    while True:
        plans = list(
            PaymentPlan.objects.filter(
                pk__gt=last_pk,
                status__in=OPEN_PLAN,
                due_on__lte=today + timedelta(days=horizon_days),
                contract__status__in=(ContractStatus.ACTIVE, ContractStatus.IN_APPROVAL, ContractStatus.DRAFT),
            )
            .exclude(tasks__status=TaskStatus.OPEN)
            .order_by("pk")
            .values("pk", "customer_id", "owner_id", "due_on")[:batch_size]
        )
        if not plans:
            return created
        last_pk = plans[-1]["pk"]
        before = CollectionTask.objects.filter(plan_id__in=[p["pk"] for p in plans], status=TaskStatus.OPEN).count()
        CollectionTask.objects.bulk_create(
            [
                CollectionTask(
                    plan_id=p["pk"], customer_id=p["customer_id"], owner_id=p["owner_id"], due_on=p["due_on"]
                )
                for p in plans
            ],
            ignore_conflicts=True,
        )
        after = CollectionTask.objects.filter(plan_id__in=[p["pk"] for p in plans], status=TaskStatus.OPEN).count()
        created += after - before


def collection_task_done(*, actor: User, ids: list[int], note: str, visible) -> BatchResult:
    result = BatchResult()
    for pk in ids:
        try:
            with transaction.atomic():
                task = visible.filter(pk=pk).first()
                if task is None:
                    raise NotFound()
                if not may_work(user=actor, customer=task.customer, owner_id=task.owner_id):
                    raise _read_only()
                done = CollectionTask.objects.filter(pk=pk, status=TaskStatus.OPEN).update(
                    status=TaskStatus.DONE, done_at=timezone.now(), note=note
                )
                if not done:
                    raise Conflict(_("This task is done already."), code="already_done")
        except ShoalError as error:
            result.fail(pk, error)
        else:
            result.ok(pk)
    return result
