"""Authorization-matrix entries of contracts, receivables, payments and collection tasks (SAL-6, SAL-7)."""

from datetime import date, timedelta
from decimal import Decimal

from shoal.core.tests.matrix_cases import MISSING, Case, records, version_of


def populate(world) -> None:
    """Per customer of the world: a draft contract, one instalment, a payment on it and a collection task."""
    from shoal.contracts.models import CollectionTask, Contract, Payment, PaymentPlan

    contracts, plans, payments, tasks = {}, {}, {}, {}
    due = date.today() + timedelta(days=2)
    for n, (key, customer) in enumerate(world.customers.items(), start=1):
        owner = customer.owner or world.users["rep_east"]
        title = f"机密合同{key}"
        contracts[key] = Contract.objects.create(
            number=f"MX{n:05d}",
            customer=customer,
            owner=owner,
            title=title,
            party_a=customer.name,
            amount=Decimal("10000.00"),
            planned=Decimal("1000.00"),
            received=Decimal("100.00"),
        )
        plans[key] = PaymentPlan.objects.create(
            contract=contracts[key],
            customer=customer,
            owner=owner,
            due_on=due,
            amount=Decimal("1000.00"),
            received=Decimal("100.00"),
            status="partial",
            remarks=f"机密分期{key}",
        )
        payments[key] = Payment.objects.create(
            plan=plans[key],
            contract=contracts[key],
            customer=customer,
            amount=Decimal("100.00"),
            received_on=date.today(),
            remarks=f"机密收款{key}",
        )
        tasks[key] = CollectionTask.objects.create(plan=plans[key], customer=customer, owner=owner, due_on=due)
        world.secrets[key] = [*world.secrets.get(key, []), title, f"机密分期{key}", f"机密收款{key}"]
    world.extra.update(contracts=contracts, payment_plans=plans, payments=payments, tasks=tasks)


def _version(model_name: str, **extra):
    def body(w, a, t):
        from shoal.contracts import models

        return {"version": version_of(w, t, getattr(models, model_name)), **extra}

    return body


def _ids(name: str):
    return lambda w: [*(r.pk for r in w.extra[name].values()), MISSING]


TABLE = {
    ("/api/v1/contracts/", "GET"): [
        Case(perm="sales.view"),
        Case(perm="sales.view", body={"status": "draft", "ordering": "-amount"}),
    ],
    ("/api/v1/contracts/", "POST"): [
        Case(
            perm="sales.edit",
            body=lambda w, a, t: {"customer": w.customers["own"].pk, "title": "矩阵合同", "amount": "500.00"},
            ok=201,
        )
    ],
    ("/api/v1/contracts/{pk}/", "GET"): [Case(targets=records("contracts"), perm="sales.view")],
    ("/api/v1/contracts/{pk}/", "PATCH"): [
        Case(targets=records("contracts"), perm="sales.edit", needs="edit", body=_version("Contract", remarks="改"))
    ],
    ("/api/v1/contracts/{pk}/transition/", "POST"): [
        Case(targets=records("contracts"), perm="sales.edit", needs="edit", body={"status": "in_approval"})
    ],
    ("/api/v1/contracts/{pk}/history/", "GET"): [Case(targets=records("contracts"), perm="sales.view")],
    ("/api/v1/contracts/{pk}/attachments/", "GET"): [Case(targets=records("contracts"), perm="sales.view")],
    ("/api/v1/contracts/{pk}/attachments/", "POST"): [
        Case(targets=records("contracts"), perm="sales.edit", needs="edit", ok=400)  # may upload: no file sent
    ],
    ("/api/v1/receivables/", "GET"): [Case(perm="sales.view"), Case(perm="sales.view", body={"is_overdue": "false"})],
    ("/api/v1/receivables/", "POST"): [
        Case(
            perm="sales.edit",
            body=lambda w, a, t: {
                "contract": w.extra["contracts"]["own"].pk,
                "due_on": date.today().isoformat(),
                "amount": "10.00",
            },
            ok=201,
        )
    ],
    ("/api/v1/receivables/{pk}/", "GET"): [Case(targets=records("payment_plans"), perm="sales.view")],
    ("/api/v1/receivables/{pk}/", "PATCH"): [
        Case(
            targets=records("payment_plans"),
            perm="sales.edit",
            needs="edit",
            body=_version("PaymentPlan", remarks="改"),
        )
    ],
    ("/api/v1/receivables/write-off/", "POST"): [
        Case(perm="sales.write_off", body=lambda w, a, t: {"ids": _ids("payment_plans")(w), "reason": "坏账"})
    ],
    ("/api/v1/payments/", "GET"): [Case(perm="sales.view")],
    ("/api/v1/payments/", "POST"): [
        Case(
            perm="sales.edit",
            body=lambda w, a, t: {"plan": w.extra["payment_plans"]["own"].pk, "amount": "1.00"},
            ok=201,
        )
    ],
    ("/api/v1/payments/{pk}/", "GET"): [Case(targets=records("payments"), perm="sales.view")],
    ("/api/v1/collection-tasks/", "GET"): [Case(perm="sales.view"), Case(perm="sales.view", body={"mine": "true"})],
    ("/api/v1/collection-tasks/done/", "POST"): [
        Case(perm="sales.edit", body=lambda w, a, t: {"ids": _ids("tasks")(w)})
    ],
}
