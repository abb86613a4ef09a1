"""An officer pastes a report into 数据核对, sees every figure marked (a red one with its sign
and number, not by colour alone), finds no WCAG violation on the result, and opens the records
behind a figure that disagrees."""

from __future__ import annotations

import re

import pytest

from gaoxin.factcheck import services
from tests.e2e.conftest import login, screenshot
from tests.factcheck.page_fakes import SAMPLE, SIGNED, fake_check


@pytest.fixture
def engine(monkeypatch) -> None:
    monkeypatch.setattr(services, "check", fake_check)


def test_an_officer_checks_a_text_and_opens_a_red_figures_records(
    page, live_server, demo, engine
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base = live_server.url
    login(page, base, "officer")
    page.click(".mainnav a[href='/factcheck/']")
    page.wait_for_url(f"{base}/factcheck/")
    page.fill("#id_text", SAMPLE)
    page.click("#factcheck-form button.btn-primary")
    page.wait_for_selector(".fc-result")

    marks = page.locator(".fc-text mark.fc-mark")
    assert marks.count() == 5
    red = page.locator(".fc-text mark.fc-disagrees")
    assert red.count() == 2
    assert red.first.inner_text().startswith("96个")
    assert "不一致" in (red.first.get_attribute("title") or "")
    assert page.locator("#id_as_of").input_value() == "2023-06-30"
    assert "读自正文：截至2023年6月30日" in page.locator(".fc-day").inner_text()
    screenshot(page, "factcheck")

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert results.response["violations"] == [], results.generate_report()

    # The red figure's footnote leads to its row; the row's link to its records.
    page.click(".fc-text sup.fc-ref a[href='#fc-r2']")
    row = page.locator("#fc-r2")
    assert "发布时正确，后经修正" in row.inner_text()
    row.locator("a.fc-records").click()
    page.wait_for_url(re.compile(rf".*/metrics/{re.escape(SIGNED)}/\?as_of=2023-06-30"))
    assert page.locator(".page-head h1").count() == 1
