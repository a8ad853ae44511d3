import pytest

from shoal.customers.models import Contact, Share
from shoal.customers.tests.factories import CustomerFactory, seed_dictionary, stages


@pytest.fixture
def cast(cast):
    """The shared cast (owner and colleague in team A under the manager; sharee in team B; outsider
    in east), plus the stages and dictionary a customer needs."""
    stages()
    seed_dictionary()
    return cast


@pytest.fixture
def customer(cast):
    """The owner's customer, shared read-only with the sharee, with one contact."""
    customer = CustomerFactory(name="蓝海贸易有限公司", owner=cast["owner"], created_by=cast["owner"])
    Contact.objects.create(customer=customer, name="赵经理", is_primary=True)
    Share.objects.create(customer=customer, user=cast["sharee"], access="read")
    return customer


@pytest.fixture
def contact(customer):
    return customer.contacts.get()


@pytest.fixture
def sent(monkeypatch):
    """Notifications sent through shoal.activities.notify, captured (the centre may not be installed)."""
    from shoal.activities import notify

    calls: list[dict] = []
    seen: set[tuple] = set()

    def fake_send(recipients, kind, title, body="", link="", dedupe_key=""):
        new = 0
        for r in recipients:
            pk = r if isinstance(r, int) else r.pk
            if dedupe_key and (pk, dedupe_key) in seen:
                continue
            seen.add((pk, dedupe_key))
            calls.append({"to": pk, "kind": kind, "title": title, "body": body, "link": link, "key": dedupe_key})
            new += 1
        return new

    monkeypatch.setattr(notify, "available", lambda: True)
    monkeypatch.setattr(notify, "send", fake_send)
    return calls
