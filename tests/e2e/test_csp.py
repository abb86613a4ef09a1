"""The Content-Security-Policy holds on every main page, as each role uses it: charts draw,
htmx swaps work, and the browser refuses nothing. The recorder in conftest.py makes any browser
test fail on a violation; the last tests show it does see one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import CspWatch, login, screenshot

CHART = ".chart .main-svg"


def _no_violation_here(page: Any) -> None:
    recorded = page.evaluate("() => window.__cspViolations")
    assert recorded == [], f"{page.url}: {recorded}"


def _dashboard(page: Any, base: str) -> None:
    page.goto(f"{base}/dashboard/")
    # Every chart drawn (a zone part without records shows words or a number instead).
    page.wait_for_selector(".chart .main-svg")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')]"
        ".every(c => c.classList.contains('chart-drawn'))"
    )
    # Plotly's hover label is drawn on demand: it too must be allowed.
    chart = page.locator(".chart:has(.point path)").first
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".point path")
    bar = max(
        (bars.nth(i).bounding_box() for i in range(bars.count())),
        key=lambda box: box["width"] * box["height"] if box else 0,
    )
    assert bar is not None
    page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    chart.locator(".hoverlayer .hovertext").wait_for()
    _no_violation_here(page)
    screenshot(page, "csp-dashboard")
    # Another day through htmx: the fragment's charts are drawn again, still refusing nothing.
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page.fill("#id_as_of", yesterday)
    page.click(".dash-filters button[type=submit]")
    page.wait_for_url(f"**as_of={yesterday}**")
    page.wait_for_function(
        "() => document.querySelectorAll('.chart').length > 0 && "
        "[...document.querySelectorAll('.chart')].every(c => c.querySelector('.main-svg'))"
    )
    _no_violation_here(page)


def _briefing(page: Any, base: str) -> None:
    page.goto(f"{base}/briefing/")
    page.wait_for_selector("#briefing-page")
    # The scope form is boosted: htmx swaps in the page for another day.
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page.fill("#briefing-page #id_as_of", yesterday)
    page.click("#briefing-page form.filters button[type=submit]")
    page.wait_for_url(f"**as_of={yesterday}**")
    _no_violation_here(page)


def _industry_overview(page: Any, base: str) -> None:
    page.goto(f"{base}/industries/")
    page.wait_for_selector("#industry-chart .main-svg")
    _no_violation_here(page)
    screenshot(page, "csp-industry-overview")


def _metric_records(page: Any, base: str) -> None:
    page.goto(f"{base}/metrics/projects.space.reached.signed/")
    page.wait_for_selector("#records")
    _no_violation_here(page)


def _board(page: Any, base: str) -> None:
    page.goto(f"{base}/projects/board/")
    page.wait_for_selector("main h1")
    _no_violation_here(page)


def _project_advance(page: Any, base: str) -> None:
    from gaoxin.projects.models import Project

    project = Project.objects.exclude(stage__in=["terminated", "operating"]).order_by("pk").first()
    assert project is not None
    page.goto(f"{base}/projects/{project.pk}/")
    page.wait_for_selector("main h1")
    _no_violation_here(page)
    screenshot(page, "csp-project")
    page.goto(f"{base}/projects/{project.pk}/stage/")
    # Terminating is asked twice, by the static advance.js: the confirm must still appear.
    page.select_option("#id_to_stage", "terminated")
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("form button[type=submit].btn-primary")
    assert dialogs, "the terminate confirmation did not appear"
    assert page.url.endswith(f"/projects/{project.pk}/stage/")
    _no_violation_here(page)
    screenshot(page, "csp-project-advance")


def _enterprise_search(page: Any, base: str) -> None:
    page.goto(f"{base}/enterprises/")
    page.fill("#id_q", "hq")  # 横琴 by pinyin initials, through htmx
    page.wait_for_url("**q=hq**")
    page.wait_for_function(
        "() => { const names = [...document.querySelectorAll('#results td.name a')];"
        " return names.length > 0 && names.every(a => a.textContent.startsWith('横琴')); }"
    )
    _no_violation_here(page)
    screenshot(page, "csp-enterprise-search")


def _industry_map(page: Any, base: str) -> None:
    from gaoxin.industries.models import Industry

    industry = Industry.objects.order_by("pk").first()
    assert industry is not None
    page.goto(f"{base}/industries/{industry.pk}/")
    page.wait_for_selector("main h1")
    _no_violation_here(page)


def _home(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    page.wait_for_selector("main")
    _no_violation_here(page)


def _blockers_and_approvals(page: Any, base: str) -> None:
    for path in ("/blockers/", "/approvals/"):
        page.goto(f"{base}{path}")
        page.wait_for_selector("main h1")
        _no_violation_here(page)


def _admin_site(page: Any, base: str) -> None:
    from gaoxin.accounts.models import User

    officer = User.objects.get(username="officer")
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{officer.pk}/change/"):
        page.goto(f"{base}{path}")
        page.wait_for_selector("#content")
        _no_violation_here(page)


Visit = Callable[[Any, str], None]
VISITS: dict[str, list[Visit]] = {
    "leader": [_dashboard, _briefing, _industry_overview, _metric_records],
    "officer": [_board, _project_advance, _enterprise_search, _industry_map, _metric_records],
    "dept": [_blockers_and_approvals, _board],
    "enterprise": [_home],
    "admin": [_dashboard, _industry_overview, _admin_site],
}


@pytest.mark.parametrize("username", list(VISITS))
def test_main_pages_refuse_nothing(page, live_server, demo, csp_watch, username) -> None:
    base = live_server.url
    # The login page is the first page every role sees.
    login(page, base, username)
    for visit in VISITS[username]:
        visit(page, base)
    csp_watch.flush(page)
    assert not csp_watch.violations and not csp_watch.console, csp_watch.report()


def test_login_page_refuses_nothing(page, live_server, csp_watch) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_selector("#id_username")
    _no_violation_here(page)
    csp_watch.flush(page)
    assert not csp_watch.violations and not csp_watch.console, csp_watch.report()


# --- The recorder sees a violation ----------------------------------------------------------


def _inline_script_in_the_html(route: Any) -> None:
    """The page as the server sent it, header included, with an inline script added: what a
    template that gained one would serve."""
    response = route.fetch()
    body = response.text().replace(
        "</body>", "<script>window.__inlineRan = true;</script></body>", 1
    )
    route.fulfill(response=response, body=body)


@pytest.mark.parametrize(
    ("provoke", "directive"),
    [
        ("inline_script_in_template", "script-src-elem"),
        ("inline_handler", "script-src-attr"),
        ("script_from_elsewhere", "script-src-elem"),
        ("style_element", "style-src-elem"),
    ],
)
def test_the_recorder_sees_a_violation(
    page, live_server, csp_watch: CspWatch, provoke: str, directive: str
) -> None:
    csp_watch.expect_violations()
    url = f"{live_server.url}/accounts/login/"
    if provoke == "inline_script_in_template":
        page.route(url, _inline_script_in_the_html)
        page.goto(url)
        assert page.evaluate("() => window.__inlineRan") is None
    else:
        page.goto(url)
        page.evaluate(
            {
                "inline_handler": """() => {
                    const b = document.createElement("button");
                    b.id = "evil";
                    b.setAttribute("onclick", "window.__inlineRan = true");
                    document.body.append(b);
                    b.click();
                }""",
                "script_from_elsewhere": """() => {
                    const s = document.createElement("script");
                    s.src = "https://cdn.example.com/x.js";
                    document.body.append(s);
                }""",
                "style_element": """() => {
                    const s = document.createElement("style");
                    s.textContent = "body { background: red; }";
                    document.head.append(s);
                }""",
            }[provoke]
        )
        assert page.evaluate("() => window.__inlineRan") is None
    page.wait_for_function("() => window.__cspViolations.length > 0")
    csp_watch.flush(page)
    assert [v["directive"] for v in csp_watch.violations] == [directive]
