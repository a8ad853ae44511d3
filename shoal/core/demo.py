"""Hook for demo data of the domain apps beyond the organisation (customers etc. add theirs here)."""

from importlib import import_module

DEMO_MODULES: list[str] = [
    "shoal.customers.demo",
    "shoal.customers.demo_tags",
    "shoal.pools.demo",
    "shoal.opportunities.demo",
    "shoal.contracts.demo",
    "shoal.calls.demo",
    "shoal.teamwork.demo",
    "shoal.products.demo",
    "shoal.orders.demo",
    "shoal.activities.demo",
]


def demo_extras_create() -> None:
    for name in DEMO_MODULES:
        import_module(name).demo_create()


def demo_extras_delete() -> None:
    """Before the demo organisation is deleted (`--reset-demo`): modules with a ``demo_delete``
    remove what they created, newest domain first, so nothing protected blocks the reset."""
    for name in reversed(DEMO_MODULES):
        module = import_module(name)
        if hasattr(module, "demo_delete"):
            module.demo_delete()
