"""Demo activities (filled in below)."""


def demo_create() -> None:
    pass


def demo_delete() -> None:
    pass
