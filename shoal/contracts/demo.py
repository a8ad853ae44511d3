"""Demo contracts for `make run` / `make demo`: a contract of each won opportunity, with two
instalments (the first already partly paid), and today's collection tasks."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shoal.contracts import services
from shoal.contracts.models import CollectionTask, Contract, ContractCounter, ContractEvent, Payment, PaymentPlan
from shoal.opportunities.models import Opportunity, StageKind


def demo_create() -> None:
    if Contract.objects.exists():
        return
    today = timezone.localdate()
    for opportunity in Opportunity.objects.filter(status=StageKind.WON).select_related("customer", "owner")[:4]:
        rep = opportunity.owner
        contract = services.contract_create(
            actor=rep,
            customer=opportunity.customer,
            opportunity=opportunity,
            data={
                "party_b": "鲸群科技有限公司",
                "starts_on": today - timedelta(days=20),
                "ends_on": today + timedelta(days=345),
            },
        )
        for status in ("in_approval", "active"):
            contract = services.contract_transition(actor=rep, contract=contract, status=status)
        first = (contract.amount * Decimal("0.6")).quantize(Decimal("0.01"))
        plan = services.plan_create(actor=rep, contract=contract, due_on=today - timedelta(days=5), amount=first)
        services.plan_create(
            actor=rep, contract=contract, due_on=today + timedelta(days=60), amount=contract.amount - first
        )
        services.payment_record(
            actor=rep,
            plan=plan,
            amount=(first / 2).quantize(Decimal("0.01")),
            received_on=today - timedelta(days=3),
            method="bank_transfer",
        )
    services.plans_refresh_overdue()
    services.collection_tasks_generate()


def demo_delete() -> None:
    CollectionTask.objects.all().delete()
    Payment.objects.all().delete()
    PaymentPlan.objects.all().delete()
    ContractEvent.objects.all().delete()
    Contract.objects.all().delete()
    ContractCounter.objects.all().delete()
