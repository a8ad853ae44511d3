"""Browser tests against a real Shoal server (gunicorn) on a fresh database, driven by Playwright
for Python in Debian's Chromium. Screenshots are written to e2e/artifacts/."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
ADMIN_PASSWORD = "Admin-first-2026"
DEMO_PASSWORD = "Demo-pass-2026"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER_ENV: dict[str, str] = {}


def manage(*args: str) -> str:
    """Run a manage.py command against the server's data (e.g. ``shoal_run_jobs``): the browser tests
    have no Huey consumer, so periodic jobs run when a test says so."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=SERVER_ENV, check=True, capture_output=True, text=True
    )
    return done.stdout


@pytest.fixture(scope="session")
def server():
    """A fresh Shoal (own var/ dir, SQLite, demo data) served by gunicorn like `make run` does."""
    if not (ROOT / "web" / "dist" / "index.html").exists():
        pytest.fail("web/dist is missing: build the web app first (scripts/web.sh)")
    var_dir = Path(tempfile.mkdtemp(prefix="shoal-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "SHOAL_VAR_DIR": str(var_dir),
        "SHOAL_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SHOAL_DEMO_PASSWORD": DEMO_PASSWORD,
        "SHOAL_LOGIN_RATE": "1000/min",
        "SHOAL_HUEY_IMMEDIATE": "1",
        "SHOAL_CSP": "1",  # every browser test runs under the Content-Security-Policy (issue 9)
        "DATABASE_URL": "",
    }
    SERVER_ENV.clear()
    SERVER_ENV.update(env)
    python = sys.executable
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["shoal_setup"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    gunicorn = Path(python).parent / "gunicorn"
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            str(gunicorn),
            "shoal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/api/schema/", timeout=1)  # noqa: S310 - our own local server
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        pytest.fail(f"Shoal did not start; log:\n{(var_dir / 'server.log').read_text()}")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()
    shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class ConsoleWatcher:
    def __init__(self):
        self.errors: list[str] = []

    def on_console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def on_page_error(self, error):
        self.errors.append(str(error))

    def on_response(self, response):
        if response.status >= 500:
            self.errors.append(f"{response.status} from {response.url}")


@pytest.fixture
def new_page(browser, server):
    """new_page() → a fresh browser context (own cookies) in zh-CN; console errors are collected and
    fail the test at the end, as does any 5xx answer. The browser's own "Failed to load resource"
    line for a 4xx the test provoked on purpose (a wrong password) is not an error of the app."""
    contexts = []
    watchers = []

    def make():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900}, base_url=server)
        page = context.new_page()
        watcher = ConsoleWatcher()
        page.on("console", watcher.on_console)
        page.on("pageerror", watcher.on_page_error)
        page.on("response", watcher.on_response)
        contexts.append(context)
        watchers.append(watcher)
        return page

    yield make
    for context in contexts:
        context.close()
    errors = [e for w in watchers for e in w.errors if "Failed to load resource" not in e]
    assert not errors, f"console errors: {errors}"


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
