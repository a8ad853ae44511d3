"""CUS-14: customers as a kind of record attachments hang off (shoal.attachments): visible exactly
when the customer is; changed by whoever may edit it (owner, read-write sharee, a manager over it)."""

from django.utils.translation import gettext as _

from shoal.core.errors import Forbidden
from shoal.core.permissions import require
from shoal.customers import selectors
from shoal.customers.models import Customer, CustomerEvent, EventAction
from shoal.customers.permissions import Permission


def _get(user, pk: int) -> Customer:
    return selectors.customer_get(user=user, pk=pk)


def _check_edit(user, customer: Customer) -> None:
    require(user, Permission.EDIT)
    if selectors.customer_access(user=user, customer=customer) == "read":
        raise Forbidden(_("This customer is shared with you read-only."), code="read_only")


def _on_change(user, customer: Customer, change: str, name: str) -> None:
    # CUS-15: the customer's history shows files added and removed.
    CustomerEvent.objects.create(
        customer=customer, actor=user, action=EventAction.EDIT, changes={"attachment": {change: name}}
    )


def register() -> None:
    from shoal.attachments.services import Kind, register_kind

    register_kind("customer", Kind(get=_get, check_edit=_check_edit, on_change=_on_change))
