"""Hook for demo data of the domain apps beyond the organisation (customers etc. add theirs here)."""

from importlib import import_module

DEMO_MODULES: list[str] = []


def demo_extras_create() -> None:
    for name in DEMO_MODULES:
        import_module(name).demo_create()
