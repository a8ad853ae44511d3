import pytest

from shoal.customers.tests.factories import seed_dictionary, stages


@pytest.fixture
def cast(cast):
    """The shared cast, plus stages and the dictionary (with this app's two kinds)."""
    stages()
    seed_dictionary()
    return cast


@pytest.fixture
def sent(monkeypatch):
    """Notifications handed to the centre (shoal.notifications lands on main separately)."""
    calls = []

    def send(recipients, kind, title, body="", link="", dedupe_key=""):
        calls.append({"recipients": list(recipients), "kind": kind, "title": title, "link": link, "key": dedupe_key})
        return True

    monkeypatch.setattr("shoal.calls.notify.send", send)
    return calls
