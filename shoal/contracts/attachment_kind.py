"""SAL-6: contracts as a kind of record attachments hang off (shoal.attachments): visible exactly when
the contract is (through its customer); changed by whoever may work the contract."""

from shoal.contracts import selectors
from shoal.contracts.models import Contract
from shoal.contracts.services import _event, _read_only
from shoal.core.permissions import require
from shoal.opportunities.permissions import Permission
from shoal.opportunities.selectors import may_work


def _get(user, pk: int) -> Contract:
    require(user, Permission.VIEW)
    return selectors.contract_get(user=user, pk=pk)


def _check_edit(user, contract: Contract) -> None:
    require(user, Permission.EDIT)
    if not may_work(user=user, customer=contract.customer, owner_id=contract.owner_id):
        raise _read_only()


def _on_change(user, contract: Contract, change: str, name: str) -> None:
    _event(contract.pk, user, "edit", changes={"attachment": {change: name}})


def register() -> None:
    from shoal.attachments.services import Kind, register_kind

    register_kind("contract", Kind(get=_get, check_edit=_check_edit, on_change=_on_change))
