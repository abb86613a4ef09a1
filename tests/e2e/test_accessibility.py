"""axe-core (WCAG 2 A and AA) finds nothing on the main pages, as each role sees them.

One browser, one logged-in context per role, every page loaded once; the violations of all
pages are gathered and reported together (rule, element, page), so one run shows everything
that is left to fix. One page is also checked at a phone's width."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest

from gaoxin.accounts.models import User, Zone
from gaoxin.demo import scenario
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.models import Industry
from gaoxin.projects.models import Project
from tests.e2e.conftest import login

# The rules of WCAG 2.0 and 2.1 at levels A and AA; axe's best practices are left out.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

STAFF_PAGES = [
    "/",
    "/dashboard/",
    "/industries/",
    "/industries/{industry}/",
    "/enterprises/",
    "/enterprises/{enterprise}/",
    "/leads/",
    "/projects/",
    "/projects/board/",
    "/projects/{project}/",
    "/approvals/",
    "/blockers/",
    "/spaces/",
    "/policies/",
    "/campaigns/",
    "/awards/",
    "/economy/",
    "/cultivation/",
    "/metrics/",
    "/metrics/accounts.users.officer/",
    "/briefing/",
    "/factcheck/",
]
# Each role on the pages it may open (tests/test_permission_matrix.py says who may open what).
PAGES_BY_ROLE = {
    "admin": STAFF_PAGES,
    "leader": STAFF_PAGES,
    "officer": STAFF_PAGES,
    "dept": [p for p in STAFF_PAGES if p not in ("/dashboard/", "/briefing/", "/factcheck/")],
    # The enterprise user's /enterprises/ is its own enterprise's page.
    "enterprise": ["/", "/enterprises/", "/policies/", "/campaigns/", "/awards/"],
}
PHONE_ROLE, PHONE_PAGE = "officer", "/projects/board/"
# What differs between two loads of the same markup: the form's CSRF token and the CSP nonce.
PER_REQUEST = re.compile(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"')


def _axe_violations(page: Any, axe: Any, base: str, path: str, seen: set[str]) -> list[str]:
    """The page's violations, or none when another role's visit already checked the very same
    <main> (the same markup under the same stylesheet gives the same answer; each role's own
    header and menu are checked on its first page, whose greeting is its own)."""
    response = page.goto(f"{base}{path}")
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    assert "/accounts/login/" not in page.url, f"{path} sent the user to the login page"
    main = re.search(r"<main\b.*</main>", response.text(), re.S)
    assert main, f"{path} has no <main> landmark"
    signature = hashlib.sha1(PER_REQUEST.sub("", main.group(0)).encode()).hexdigest()
    if signature in seen:
        return []
    seen.add(signature)
    results = axe.run(page, options=AXE_OPTIONS).response
    return [
        f"{violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}"
        f"\n      {node['html'][:160]}"
        f"\n      {node['failureSummary'].splitlines()[1].strip()[:200]}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def test_main_pages_have_no_wcag_violations_for_any_role(browser, live_server, demo) -> None:
    from axe_playwright_python.sync_playwright import Axe

    zone = Zone.objects.get(code=scenario.ZONE_CODE)
    ids = {
        "industry": Industry.objects.filter(zone=zone, segments__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "enterprise": Enterprise.objects.filter(zone=zone, designations__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "project": Project.objects.filter(zone=zone).order_by("pk").values_list("pk", flat=True)[0],
    }
    assert User.objects.get(username="enterprise").enterprise_id  # its /enterprises/ is its own
    axe = Axe()
    base = live_server.url
    found: list[str] = []
    seen: set[str] = set()
    checked = 0
    for role, paths in PAGES_BY_ROLE.items():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, base, role)
        for path in [p.format(**ids) for p in paths]:
            found += [f"{role} {path}: {v}" for v in _axe_violations(page, axe, base, path, seen)]
            checked += 1
        context.close()

    phone = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    login(page, base, PHONE_ROLE)
    found += [
        f"{PHONE_ROLE} {PHONE_PAGE} at 390px: {v}"
        for v in _axe_violations(page, axe, base, PHONE_PAGE, set())
    ]
    phone.close()

    assert checked == sum(len(paths) for paths in PAGES_BY_ROLE.values())
    assert len(seen) >= len(STAFF_PAGES)  # every page was checked at least once
    if found:
        pytest.fail(
            f"axe-core found {len(found)} WCAG 2 A/AA violations:\n" + "\n".join(found),
            pytrace=False,
        )


def test_a_form_answered_with_field_errors_has_no_wcag_violations(
    browser, live_server, demo
) -> None:
    """A field's errors are announced (role="alert") around their list, not on it: on the
    <ul> the alert role took the list's away and axe found its items orphaned (listitem)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "officer")
    page.goto(f"{live_server.url}/enterprises/new/")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    errors = page.locator("main .field-error")
    assert errors.count() >= 2, "the empty form was not refused field by field"
    assert page.locator("main [role=alert] > ul.field-error").count() == errors.count()
    results = Axe().run(page, options=AXE_OPTIONS).response
    found = [
        f"{violation['id']}: {' '.join(map(str, node['target']))}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]
    context.close()
    assert not found, found
