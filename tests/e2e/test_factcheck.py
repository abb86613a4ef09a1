"""An officer pastes a report into 数据核对 (the demo zone's own briefing, one count written
wrong), sees every figure marked (the wrong one red, with its sign and number, not by colour
alone), finds no WCAG violation on the result, and opens the records behind the red figure.
The real engine checks it."""

from __future__ import annotations

import re

from django.utils import timezone

from tests.e2e.conftest import login, screenshot
from tests.factcheck.page_texts import briefing_with_one_wrong


def test_an_officer_checks_a_text_and_opens_a_red_figures_records(page, live_server, demo) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from gaoxin.accounts.models import Zone
    from gaoxin.demo import scenario

    today = timezone.localdate()
    text, wrong, written = briefing_with_one_wrong(Zone.objects.get(code=scenario.ZONE_CODE), today)
    base = live_server.url
    login(page, base, "officer")
    page.click(".mainnav a[href='/factcheck/']")
    page.wait_for_url(f"{base}/factcheck/")
    page.fill("#id_text", text)
    page.fill("#id_as_of", today.isoformat())
    page.click("#factcheck-form button.btn-primary")
    page.wait_for_selector(".fc-result")

    assert page.locator(".fc-text mark.fc-agrees").count() >= 3
    red = page.locator(".fc-text mark.fc-disagrees")
    assert red.count() == 1
    assert red.first.inner_text().startswith(written)
    assert "不一致" in (red.first.get_attribute("title") or "")
    assert page.locator("#id_as_of").input_value() == today.isoformat()
    screenshot(page, "factcheck")

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert results.response["violations"] == [], results.generate_report()

    # The red figure's footnote leads to its row; the row's link to its records.
    number = red.first.get_attribute("id").removeprefix("fc-m")
    page.click(f".fc-text sup.fc-ref a[href='#fc-r{number}']")
    row = page.locator(f"#fc-r{number}")
    assert "不一致" in row.inner_text()
    row.locator("a.fc-records").click()
    page.wait_for_url(re.compile(rf".*/metrics/{re.escape(wrong.key)}/\?as_of={today}.*"))
    assert page.locator(".page-head h1").count() == 1
