"""Root conftest: says loudly at the end of a run when the browser tests were skipped."""

from __future__ import annotations

from typing import Any

BROWSER_SKIP: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if BROWSER_SKIP:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(BROWSER_SKIP[0], red=True)
