"""A leader opens the dashboard, clicks a figure and lands on exactly that many records, then
asks for an earlier day and sees the figure as it stood then."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.conftest import login, screenshot

TILE = "a.tile[data-key='projects.space.reached.signed']"


def _number(text: str) -> int:
    match = re.search(r"\d[\d,]*", text)
    assert match, text
    return int(match.group(0).replace(",", ""))


def _signed_today() -> None:
    """A space tenant project signed today in the demo zone: today's figure is one more than
    yesterday's, whatever else the scenario holds."""
    from gaoxin.accounts.models import User, Zone
    from gaoxin.demo import scenario
    from tests.factories import IndustryFactory, ProjectFactory

    zone = Zone.objects.get(code=scenario.ZONE_CODE)
    ProjectFactory(
        zone=zone,
        name="今日签约储能项目",
        industry=IndustryFactory(zone=zone, name="今日产业"),
        carrier="space",
        stage="signed",
        stage_on=dt.date.today(),
        officer=User.objects.get(username="officer"),
    )


def test_leader_clicks_a_tile_to_its_records_and_goes_back_in_time(page, live_server, demo) -> None:
    _signed_today()
    base = live_server.url
    login(page, base, "leader")
    page.click(".mainnav a[href='/dashboard/']")
    page.wait_for_url(f"{base}/dashboard/")
    tile = page.locator(TILE)
    today_value = _number(tile.locator(".tile-value").inner_text())
    assert today_value >= 1
    # A leader of two zones is offered both, and all of them together.
    assert page.locator("#id_zone option").count() == 3
    page.wait_for_selector("#chart-funnel .main-svg")
    screenshot(page, "dashboard")

    # The tile opens its records: exactly as many as it said.
    tile.click()
    page.wait_for_url(re.compile(r".*/metrics/projects\.space\.reached\.signed/\?as_of=.*"))
    assert _number(page.locator(".page-head .figure").inner_text()) == today_value
    assert _number(page.locator("#records > p.muted").first.inner_text()) == today_value
    assert "今日签约储能项目" in page.locator("#records").inner_text()
    assert page.locator("#records tbody tr").count() == today_value
    screenshot(page, "dashboard-tile-records")

    # An earlier day: the figure as it stood then, without today's signing.
    page.go_back()
    page.wait_for_selector(TILE)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    page.fill("#id_as_of", yesterday)
    page.click(".dash-filters button[type=submit]")
    page.wait_for_selector(f"{TILE}[href*='as_of={yesterday}']")
    then_value = _number(page.locator(f"{TILE} .tile-value").inner_text())
    assert then_value == today_value - 1
    assert yesterday in page.locator("#dash-scope").inner_text()
    if then_value == 0:
        # No space tenant project yet on that day: the chart says so instead of an empty frame.
        page.wait_for_selector("p.chart-empty#chart-funnel")
    else:
        page.wait_for_selector("#chart-funnel .main-svg")
    screenshot(page, "dashboard-earlier-day")

    # Its records are that day's too.
    page.click(TILE)
    page.wait_for_url(re.compile(rf".*as_of={yesterday}.*"))
    assert _number(page.locator("#records > p.muted").first.inner_text()) == then_value
