"""The API token pages in a browser: a token created from the form is shown once with a copy
button that copies it (gaoxin/copy.js: no inline script, so nothing for the CSP to refuse),
a reload shows it no more, the copied token works on the API's docs page (Swagger UI from
static files, under the same policy), and the administrator's service-token form offers only
the departments of the zones ticked. The page fixture fails the test on any CSP refusal."""

from __future__ import annotations

import hashlib
import re

from gaoxin.accounts.models import ApiToken, Department, Zone
from gaoxin.demo.scenario import ZONE_CODE
from tests.e2e.conftest import login, screenshot

TOKEN = re.compile(r"gx_[A-Za-z0-9_-]{40}")
OFFERED = "sel => [...sel.options].filter(o => o.value).map(o => o.value)"


def test_token_shown_once_copied_and_used_on_the_docs(page, live_server, demo) -> None:
    base = live_server.url
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    login(page, base, "officer")

    page.goto(f"{base}/accounts/profile/")
    page.click("a[href='/accounts/tokens/']")
    page.click("a[href='/accounts/tokens/new/']")
    page.fill("#id_name", "浏览器测试")
    page.check("input[value='enterprises:read']")
    page.click("form.token-form button[type=submit]")
    page.wait_for_url(f"{base}/accounts/tokens/created/")

    raw = page.inner_text("#token-text").strip()
    assert TOKEN.fullmatch(raw)
    token = ApiToken.objects.get(name="浏览器测试")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert f"Bearer {raw}" in page.inner_text("#token-example")

    label = page.inner_text("button[data-copy='token-text']")
    page.click("button[data-copy='token-text']")
    page.wait_for_function(
        "label => document.querySelector(\"button[data-copy='token-text']\").textContent !== label",
        arg=label,
    )
    assert page.evaluate("navigator.clipboard.readText()") == raw
    screenshot(page, "api-token-shown-once")

    page.reload()
    assert page.url == f"{base}/accounts/tokens/"
    assert raw not in page.content()
    assert token.prefix in page.content()

    # The docs page: Swagger UI loads, takes the token and calls the API with it.
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".opblock")
    page.click("button.authorize")
    page.fill(".modal-ux input", raw)
    page.click(".modal-ux button.authorize")
    page.click(".modal-ux button.close-modal")
    page.click(".opblock-summary-path >> nth=0")
    page.click("button.try-out__btn")
    page.click("button.execute")
    page.wait_for_selector(".live-responses-table .response-col_status")
    statuses = page.locator(".live-responses-table .response-col_status").all_inner_texts()
    assert "200" in [s.strip() for s in statuses]


def test_service_token_department_follows_the_zones(page, live_server, demo) -> None:
    base = live_server.url
    login(page, base, "admin")
    page.goto(f"{base}/accounts/tokens/service/new/")
    zone = Zone.objects.get(code=ZONE_CODE)
    everything = page.eval_on_selector("#id_department", OFFERED)
    assert len(everything) == Department.objects.filter(is_active=True).count()
    page.check(f"input[name=zones][value='{zone.pk}']")
    assert set(page.eval_on_selector("#id_department", OFFERED)) == {
        str(pk)
        for pk in Department.objects.filter(zone=zone, is_active=True).values_list("pk", flat=True)
    }
    screenshot(page, "api-service-token-form")
