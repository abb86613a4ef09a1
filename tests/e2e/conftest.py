"""Browser tests: Playwright for Python driving the system Chromium against a live server.

Chromium is looked for at $GAOXIN_CHROMIUM, then /usr/bin/chromium; without one these tests
are skipped and the run's summary says so in red."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import conftest as root_conftest

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("GAOXIN_CHROMIUM") or "/usr/bin/chromium"
    if Path(candidate).exists():
        return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    reason = None
    try:
        import playwright  # noqa: F401
    except ImportError:
        reason = "the playwright package is not installed (pip install -e '.[dev]')"
    if reason is None and chromium_path() is None:
        reason = (
            "no Chromium found at $GAOXIN_CHROMIUM or /usr/bin/chromium "
            "(Debian: apt-get install chromium fonts-noto-cjk)"
        )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
    if reason and any("tests/e2e/" in str(item.fspath) for item in items):
        if os.environ.get("GAOXIN_REQUIRE_BROWSER"):
            raise pytest.UsageError(f"GAOXIN_REQUIRE_BROWSER is set but {reason}")
        root_conftest.BROWSER_SKIP.append(f"Browser tests were skipped: {reason}.")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests' own
    # fixtures make are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


# Records every Content-Security-Policy violation of every document the page opens: into
# window.__cspViolations (for a test to read on the page) and, through an exposed binding, into
# Python at once, so a violation on a page the test has already left is not lost.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  var violation = {
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    source: event.sourceFile + ":" + event.lineNumber,
    page: document.location.pathname + document.location.search,
  };
  window.__cspViolations.push(violation);
  if (window.__reportCspViolation) {
    window.__reportCspViolation(violation);
  }
}, true);
"""
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Refused to")


class CspWatch:
    """What the browser refused under the Content-Security-Policy, as violation events and as
    console messages. Every browser test fails on any (see the page fixture) unless it says it
    provokes them on purpose with expect_violations()."""

    def __init__(self) -> None:
        self.violations: list[dict[str, Any]] = []
        self.console: list[str] = []
        self.expected = False

    def attach(self, page: Any) -> None:
        page.expose_binding(
            "__reportCspViolation", lambda _source, violation: self.violations.append(violation)
        )
        page.add_init_script(CSP_RECORDER)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._on_console_text(str(error)))

    def _on_console(self, message: Any) -> None:
        self._on_console_text(message.text)

    def _on_console_text(self, text: str) -> None:
        if any(marker in text for marker in CSP_CONSOLE_MARKERS):
            self.console.append(text)

    def expect_violations(self) -> None:
        self.expected = True

    def flush(self, page: Any) -> None:
        """Lets the page deliver what it has recorded but not yet reported to Python."""
        if not page.is_closed():
            page.evaluate("() => window.__cspViolations && window.__cspViolations.length")

    def report(self) -> str:
        return "\n".join([*(repr(v) for v in self.violations), *self.console])


@pytest.fixture
def csp_watch() -> CspWatch:
    return CspWatch()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def page(browser: Any, csp_watch: CspWatch, request: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_watch.attach(page)
    yield page
    csp_watch.flush(page)
    context.close()
    # A test that failed already says why; a passing one must also have refused nothing.
    if not csp_watch.expected and not getattr(request.node, "call_failed", False):
        assert not (csp_watch.violations or csp_watch.console), (
            "The Content-Security-Policy refused something:\n" + csp_watch.report()
        )


# The demo as the first browser test of this process loaded it, per day (the scenario maps its
# present onto the day it is loaded): a copy of the whole in-memory SQLite database.
_DEMO_SNAPSHOTS: dict[Any, Any] = {}


@pytest.fixture
def demo(transactional_db: None) -> None:
    import sqlite3

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from gaoxin.demo import scenario

    # The zone, its people, registry and pipeline; the seed figures (seed_data) take seconds to
    # build and are tested on their own in tests/demo/.
    # Loading takes about 5 s of CPU, in every browser test (the database is emptied after each):
    # on SQLite's in-memory test database the first load is kept and the next tests get a copy
    # of the same rows back through sqlite3's backup, in a fraction of a second.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    key = timezone.localdate()
    if not in_memory:
        scenario.load(seed=False)
        return
    connection.ensure_connection()
    if key not in _DEMO_SNAPSHOTS:
        scenario.load(seed=False)
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _DEMO_SNAPSHOTS[key] = snapshot
        return
    _DEMO_SNAPSHOTS[key].backup(connection.connection)
    # The flush before this test recreated the content types under new ids, which Django keeps
    # in memory: the rows copied back carry the first load's.
    ContentType.objects.clear_cache()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page: Any, base_url: str, username: str, password: str = "gaoxin-demo") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(f"{base_url}/")
