"""A leader opens the dashboard, reads the revenue's growth in the 经济运行 section, clicks it and
lands on the records behind it: the figures of the enterprises compared, each named with its
period and source; then opens the enterprises that contributed most."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tests.e2e.conftest import login, screenshot

GROWTH = "a.tile[data-key='economy.growth.revenue']"


def _figures() -> tuple[list[str], Decimal]:
    """Revenue of two enterprises of the demo zone, last year and this year up to the last
    month that has ended, recorded through the service; the growth a reader must see."""
    from gaoxin.accounts.models import Zone
    from gaoxin.demo import scenario
    from gaoxin.economy import catalogue
    from gaoxin.economy.figures.selectors import period_at
    from gaoxin.economy.models import Indicator, Source
    from gaoxin.economy.periods import Period
    from gaoxin.economy.services import FigureInput, figures_record
    from gaoxin.enterprises.models import Enterprise

    # A transactional test's flush empties the catalogue its migration loaded.
    if not Indicator.objects.exists():
        catalogue.load(Indicator)
    zone = Zone.objects.get(code=scenario.ZONE_CODE)
    revenue = Indicator.objects.get(code="revenue")
    firms = list(Enterprise.objects.filter(zone=zone).order_by("name")[:2])
    last_month = period_at(dt.date.today())
    values, sums = [], {last_month.year: Decimal(0), last_month.year - 1: Decimal(0)}
    for index, firm in enumerate(firms):
        for year in sums:
            for month in range(1, last_month.month + 1):
                amount = Decimal(2_000_000 * (index + 1) + (year - last_month.year + 1) * 500_000)
                sums[year] += amount
                values.append(FigureInput(firm.pk, revenue.pk, Period.of(year, month), amount))
    figures_record(zone=zone, values=values, source=Source.BUREAU, by=None)
    this, last = sums[last_month.year], sums[last_month.year - 1]
    return [f.name for f in firms], ((this - last) * 100 / last).quantize(Decimal("0.1"))


def test_growth_figure_opens_the_enterprises_behind_it(page, live_server, demo) -> None:
    names, growth = _figures()
    base = live_server.url
    login(page, base, "leader")
    page.goto(f"{base}/dashboard/")
    tile = page.locator(GROWTH)
    assert tile.locator(".tile-value").inner_text() == f"{growth}%"
    page.wait_for_selector("#chart-economy-months .main-svg")
    screenshot(page, "dashboard-economy")

    tile.click()
    page.wait_for_url(re.compile(r".*/metrics/economy\.growth\.revenue/\?as_of=.*"))
    assert page.locator(".page-head .figure").inner_text() == f"{growth}%"
    records = page.locator("#records").inner_text()
    assert names[0] in records
    assert "统计局" in records  # the source of every number
    screenshot(page, "economy-growth-records")

    # The figures page, and from it the enterprises that contributed most.
    page.goto(f"{base}/economy/")
    page.click("#economy-lists-title ~ h3 a >> nth=0")
    page.wait_for_url(re.compile(r".*/metrics/economy\.contributors\.revenue/.*"))
    listed = page.locator("#records").inner_text()
    assert all(name in listed for name in names)
