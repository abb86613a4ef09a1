"""Root conftest: says loudly at the end of a run when the browser tests were skipped."""

from __future__ import annotations

from typing import Any

BROWSER_SKIP: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if BROWSER_SKIP:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(BROWSER_SKIP[0], red=True)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """GAOXIN_DATABASE_TESTS_ONLY=1 keeps only the tests that use the database: CI's second run,
    on PostgreSQL, repeats what can differ there; a test that cannot touch the database
    (pytest-django refuses it the connection) runs the same Python on both and ran on SQLite."""
    import os

    if not os.environ.get("GAOXIN_DATABASE_TESTS_ONLY"):
        return
    uses_database = {"db", "transactional_db", "django_db_setup", "live_server"}
    kept, left = [], []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("django_db") or fixtures & uses_database:
            kept.append(item)
        else:
            left.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
