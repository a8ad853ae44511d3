"""Security settings (issue 9): deploy checks, HTTPS headers, CSP, upload limits, rate limits, 503."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from rest_framework.test import APIClient

from shoal.core.errors import InvalidInput, PayloadTooLarge
from shoal.gates.uploads import check_upload, storage_name

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def _settings_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOAL_")}
    env.update(SHOAL_VAR_DIR=str(tmp_path), SHOAL_DEBUG="0", **extra)
    return env


def test_check_deploy_is_clean_over_https(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_settings_env(tmp_path, SHOAL_HTTPS="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_turn_on_secure_cookies_hsts_and_csp(tmp_path):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SHOAL_CSP]))"
    )
    env = _settings_env(tmp_path, SHOAL_HTTPS="1", DJANGO_SETTINGS_MODULE="shoal.settings")
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    import json

    secure, csrf, redirect, hsts, subdomains, csp = json.loads(out.stdout)
    assert secure and csrf and redirect and subdomains
    assert hsts >= 31536000
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp


def test_responses_carry_hsts_and_csp_when_served_over_https(settings, cast):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.SHOAL_CSP = "default-src 'self'; script-src 'self'"
    client = APIClient()
    response = client.post("/api/v1/auth/login/", {"username": "owner", "password": "x"}, format="json", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Content-Security-Policy"] == "default-src 'self'; script-src 'self'"
    assert response["X-Content-Type-Options"] == "nosniff"
    cast["owner"].set_password("Secret-pass-2026")
    cast["owner"].save()
    response = client.post(
        "/api/v1/auth/login/", {"username": "owner", "password": "Secret-pass-2026"}, format="json", secure=True
    )
    assert response.status_code == 200
    assert response.cookies["sessionid"]["secure"] and response.cookies["sessionid"]["httponly"]


def test_api_docs_work_under_the_policy(settings, cast, client_for):
    settings.SHOAL_CSP = "default-src 'self'; script-src 'self'"
    page = client_for(cast["admin"]).get("/api/docs/")
    assert page.status_code == 200
    assert b"<script>" not in page.content  # the init script is a separate same-origin file


# ---------------------------------------------------------------- rate limits


def test_sign_in_locks_the_account_after_repeated_failures(settings, cast):
    cache.clear()
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/login/", {"username": "owner", "password": "wrong"}, format="json")
    response = client.post("/api/v1/auth/login/", {"username": "owner", "password": "wrong"}, format="json")
    assert response.status_code in (403, 429)
    assert "error" in response.json()


def test_sign_in_attempts_per_address_are_throttled(settings, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "login": "3/min"}
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        client = APIClient()
        codes = [
            client.post("/api/v1/auth/login/", {"username": f"u{i}", "password": "x"}, format="json").status_code
            for i in range(4)
        ]
    finally:
        ScopedRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes[:3] == [400, 400, 400]
    assert codes[3] == 429


def test_api_tokens_are_rate_limited_per_user_but_the_session_is_not(cast, client_for):
    from shoal.gates.security import TokenRateThrottle

    cache.clear()
    owner = cast["owner"]
    session = client_for(owner)
    keys = [session.post("/api/v1/auth/tokens/", {"name": f"t{i}"}, format="json").json()["key"] for i in range(2)]
    original = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {**original, "token": "3/min"}
    try:
        codes = []
        for i in range(4):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {keys[i % 2]}")
            codes.append(client.get("/api/v1/auth/me/"))
        assert [r.status_code for r in codes] == [200, 200, 200, 429]
        assert codes[3].json()["error"]["code"] == "throttled"
        assert int(codes[3]["Retry-After"]) > 0
        # another user's token and the web session are unaffected
        other = APIClient()
        other_key = client_for(cast["colleague"]).post("/api/v1/auth/tokens/", {}, format="json").json()["key"]
        other.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
        assert other.get("/api/v1/auth/me/").status_code == 200
        assert all(session.get("/api/v1/auth/me/").status_code == 200 for _ in range(5))
    finally:
        TokenRateThrottle.THROTTLE_RATES = original
        cache.clear()


# ---------------------------------------------------------------- uploads


def test_upload_limits_size_type_and_magic_bytes(settings):
    settings.SHOAL_MAX_UPLOAD_MB = 1
    limit = 1024 * 1024
    ok = SimpleUploadedFile("客户.xlsx", _zip({"xl/workbook.xml": b"<workbook/>"}))
    assert check_upload(ok, {"xlsx", "csv"}) == "xlsx"
    assert check_upload(SimpleUploadedFile("a.csv", "名称,电话\n张三,1\n".encode()), {"csv"}) == "csv"
    with pytest.raises(PayloadTooLarge) as too_big:
        check_upload(SimpleUploadedFile("a.csv", b"a" * (limit + 1)), {"csv"})
    assert too_big.value.status == 413 and too_big.value.code == "upload_too_large"
    assert check_upload(SimpleUploadedFile("a.csv", b"a" * limit), {"csv"}) == "csv"
    for name, content in [
        ("macro.xlsm", b"PK\x03\x04"),  # macro workbook: not an allowed type
        ("fake.xlsx", b"MZ\x90\x00 an exe"),  # wrong magic bytes
        ("a.csv", b"\x00\x01binary"),
        ("noext", b"PK\x03\x04"),
    ]:
        with pytest.raises(InvalidInput) as bad:
            check_upload(SimpleUploadedFile(name, content), {"xlsx", "csv"})
        assert bad.value.code == "upload_type_not_allowed"


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bombs_macros_and_broken_office_files_are_refused(settings):
    settings.SHOAL_MAX_UPLOAD_MB = 1
    good = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert check_upload(SimpleUploadedFile("a.xlsx", good), {"xlsx"}) == "xlsx"
    bomb = _zip({"xl/sharedStrings.xml": b"\0" * (11 * 1024 * 1024)})  # 11 MB of zeros, ~11 KB packed
    assert len(bomb) < 1024 * 1024
    with pytest.raises(PayloadTooLarge):
        check_upload(SimpleUploadedFile("bomb.xlsx", bomb), {"xlsx"})
    macro = _zip({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"Attribute VB_Name"})
    with pytest.raises(InvalidInput):
        check_upload(SimpleUploadedFile("renamed.xlsx", macro), {"xlsx"})
    with pytest.raises(InvalidInput):
        check_upload(SimpleUploadedFile("cut.xlsx", b"PK\x03\x04 truncated"), {"xlsx"})


def test_storage_names_are_made_by_the_server():
    name = storage_name("../../etc/passwd.xlsx")
    assert name.startswith("uploads/") and name.endswith(".xlsx") and ".." not in name
    assert storage_name("x.exe").count(".") == 0
    assert storage_name("a.png") != storage_name("a.png")


def test_an_oversized_json_body_is_413_in_the_error_shape(settings, cast, client_for):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for(cast["owner"]).post(
        "/api/v1/customers/", {"name": "x" * 5000, "source": "web"}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "upload_too_large"


# ---------------------------------------------------------------- database outage → 503


def test_a_lost_database_answers_503_in_the_error_shape(cast, client_for, monkeypatch):
    from shoal.org import api as org_api

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(org_api.MeSerializer, "to_representation", down)
    response = client_for(cast["owner"]).get("/api/v1/auth/me/")
    assert response.status_code == 503
    assert response.json() == {"error": {"code": "service_unavailable", "message": response.json()["error"]["message"]}}
    assert response["Retry-After"] == "5"


def test_an_outage_outside_the_api_view_is_also_503(rf):
    from shoal.core.views import server_error

    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(rf.get("/api/v1/customers/"))
    assert response.status_code == 503
    assert b"service_unavailable" in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/api/v1/customers/")).status_code == 500


def test_a_real_outage_in_middleware_is_503(settings, cast, monkeypatch):
    """The session lookup fails before any view runs (PostgreSQL restarting)."""
    from django.contrib.sessions.backends import db as session_db

    client = APIClient(raise_request_exception=False)
    client.force_login(cast["owner"])

    def down(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(session_db.SessionStore, "_get_session_from_db", down)
    response = client.get("/api/v1/auth/me/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
