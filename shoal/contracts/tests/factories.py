from datetime import date, timedelta
from decimal import Decimal

from shoal.contracts import services


def contract(customer, owner, amount="10000.00", **values):
    return services.contract_create(
        actor=owner, customer=customer, data={"title": "合同", "amount": Decimal(amount), **values}
    )


def plan(contract, amount, due_on=None, actor=None):
    return services.plan_create(
        actor=actor or contract.owner,
        contract=contract,
        due_on=due_on or date.today() + timedelta(days=3),
        amount=Decimal(amount),
    )
