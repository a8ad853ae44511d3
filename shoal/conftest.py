"""Fixtures shared by every app's tests: the fixed cast (STYLE.md) and API clients."""

import pytest
from rest_framework.test import APIClient

from shoal.org.tests.factories import DepartmentFactory, UserFactory, role


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    from shoal.core.permissions import all_permission_codes

    all_permission_codes.cache_clear()


@pytest.fixture
def company(db):
    """company → sales (manager) → team A, team B; another department 'east' elsewhere."""
    root = DepartmentFactory(name="公司", parent=None)
    sales = DepartmentFactory(name="销售部", parent=root)
    team_a = DepartmentFactory(name="销售一组", parent=sales)
    team_b = DepartmentFactory(name="销售二组", parent=sales)
    east = DepartmentFactory(name="华东", parent=root)
    return {"root": root, "sales": sales, "team_a": team_a, "team_b": team_b, "east": east}


@pytest.fixture
def cast(company):
    """owner, colleague (same team), sharee, manager (of sales), outsider (east), admin."""
    admin = UserFactory(username="admin", role=role("admin"), department=company["root"])
    manager = UserFactory(username="manager", role=role("department_manager"), department=company["sales"])
    company["sales"].manager = manager
    company["sales"].save()
    owner = UserFactory(username="owner", role=role("sales_rep"), department=company["team_a"])
    colleague = UserFactory(username="colleague", role=role("sales_rep"), department=company["team_a"])
    sharee = UserFactory(username="sharee", role=role("sales_rep"), department=company["team_b"])
    outsider = UserFactory(username="outsider", role=role("sales_rep"), department=company["east"])
    return {
        "admin": admin,
        "manager": manager,
        "owner": owner,
        "colleague": colleague,
        "sharee": sharee,
        "outsider": outsider,
    }


@pytest.fixture
def client_for():
    """client_for(user) → an APIClient signed in as that user (session auth, CSRF enforced)."""

    def make(user):
        client = APIClient(enforce_csrf_checks=False)
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def anon():
    return APIClient()


# ---------------------------------------------------------------- authorization matrix summary (issue 9)
# Tests record ``matrix_cells`` / ``matrix_leaks`` as user properties; the reports reach this process
# under xdist too, so the total is printed once at the end of the run.

_matrix = {"cells": 0, "leaks": 0, "seen": False}
_fuzz = {"examples": 0, "tests": 0, "failed": 0}


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name in {"matrix_cells", "matrix_leaks"}:
            _matrix["seen"] = True
            _matrix[name.removeprefix("matrix_")] += int(value)
        elif name == "fuzz_examples":  # schema fuzzing (shoal/gates): requests sent
            _fuzz["examples"] += int(value)
    if report.when == "call" and "test_schema_" in report.nodeid:
        _fuzz["tests"] += 1
        _fuzz["failed"] += int(report.failed)


def pytest_terminal_summary(terminalreporter):
    if _matrix["seen"]:
        terminalreporter.write_line(f"authorization matrix: {_matrix['cells']} cells checked, {_matrix['leaks']} leaks")
    if _fuzz["tests"]:
        terminalreporter.write_line(
            f"schema fuzzing: {_fuzz['examples']} requests in {_fuzz['tests']} operation/actor runs, "
            f"{_fuzz['failed']} failing"
        )
