"""Notifications of sales events. The lead adds ``shoal.notifications`` on main with
``notify(recipients, kind, title, body="", link="", dedupe_key="")``; until it is merged in, this
module sends nothing. Called after commit (STYLE.md: side effects after the transaction)."""

from importlib import import_module

from django.db import transaction


def send(recipients, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str = "") -> None:
    recipients = [r for r in recipients if r is not None]
    if not recipients:
        return

    def deliver() -> None:
        try:
            module = import_module("shoal.notifications.services")
        except ModuleNotFoundError:
            return
        module.notify(recipients, kind, title, body=body, link=link, dedupe_key=dedupe_key)

    transaction.on_commit(deliver)
