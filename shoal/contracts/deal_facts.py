"""Deal facts of a customer for the pool auto-return rules (another module's rules read them).

``customer_deal_facts`` computes them from opportunities and contracts; every service here that
changes one of them calls ``publish_deal_facts`` after its write, which stores them on the customer
for the pool rules (countdown, exemptions, deal customers) in the same transaction."""

from datetime import date, datetime, time

from django.db.models import Max
from django.utils import timezone

OPEN_CONTRACT_STATUSES = ("draft", "in_approval", "active")
SIGNED_STATUSES = ("active", "completed", "terminated")


def customer_deal_facts(customer_id: int) -> dict:
    """``last_deal_at``: the latest won opportunity or signed contract (aware datetime or None);
    ``contract_ended_on``: the latest end date of a signed contract (date or None);
    ``open_deals``: open opportunities plus contracts not yet completed or terminated;
    ``signed_contracts``: contracts in force (active)."""
    from shoal.contracts.models import Contract
    from shoal.opportunities.models import Opportunity, StageKind

    won = Opportunity.objects.filter(customer_id=customer_id, status=StageKind.WON).aggregate(at=Max("closed_at"))["at"]
    signed = Contract.objects.filter(customer_id=customer_id, status__in=SIGNED_STATUSES).aggregate(
        signed=Max("signed_on"), ended=Max("ends_on")
    )
    signed_at = _start_of(signed["signed"])
    last = max((d for d in (won, signed_at) if d is not None), default=None)
    open_deals = (
        Opportunity.objects.filter(customer_id=customer_id, status=StageKind.OPEN).count()
        + Contract.objects.filter(customer_id=customer_id, status__in=OPEN_CONTRACT_STATUSES).count()
    )
    in_force = Contract.objects.filter(customer_id=customer_id, status="active").count()
    return {
        "last_deal_at": last,
        "contract_ended_on": signed["ended"],
        "open_deals": open_deals,
        "signed_contracts": in_force,
    }


def _start_of(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def publish_deal_facts(customer_id: int) -> dict:
    """The one hook called after every change of a customer's deal facts: the pool rules see them."""
    from shoal.customers.services import customer_deal_facts_set

    facts = customer_deal_facts(customer_id)
    customer_deal_facts_set(customer_id, **facts)
    return facts
