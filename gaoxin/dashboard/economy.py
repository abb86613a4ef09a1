"""The dashboard's 经济运行 section: the year-to-date totals with 同比, this year against last
month by month, by industry, and the reporting status of the month.

The section reads the last month with figures on or before the dashboard's day (a dashboard
as of 29 November, when October's figures are not all in, shows September's), and its figures
are the registered metrics as of that month's end, so every number opens its records.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from gaoxin.core.figures import Figures
from gaoxin.core.metrics import MetricScope
from gaoxin.dashboard import yoy
from gaoxin.economy.figures import page
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.models import Indicator
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting.selectors import ReportingSummary, reporting_summary
from gaoxin.economy.selectors import values_in_effect

# The headline figures: 规上工业总产值, then the zone's revenue, tax and profit.
HEADLINES = (
    ("output", ".group.above"),
    ("revenue", ""),
    ("tax", ""),
    ("profit", ""),
)
CHART_INDICATOR = "revenue"


def reporting_status(zone_ids: list[int], period: Period) -> ReportingSummary:
    """Who has reported the month (已报/未报/逾期)."""
    return reporting_summary(zone_ids, period)


def section(figures: Figures) -> dict[str, Any] | None:
    """The section's content, or None when the zones have no figures by the day."""
    scope = figures.scope
    rows = values_in_effect(scope.zone_ids)
    # What is read from the records (the month, the chart's values, the industries' lines)
    # is cached with the scope's figures; the cells and charts are built from it per view.
    period = figures.cached(
        "dashboard.economy.period", lambda: fs.latest_period(rows, by=scope.as_of)
    )
    if period is None:
        return None
    at_month = Figures(
        MetricScope.of(scope.zone_ids, fs.period_end(period)),
        zone_code=figures.zone_code,
        allowed_zone_ids=figures.allowed_zone_ids,
    )
    headlines = []
    for code, suffix in HEADLINES:
        total = at_month.get(f"economy.ytd.{code}{suffix}")
        if total is None or not total.value:
            continue
        growth = at_month.get(f"economy.growth.{code}{suffix}")
        headlines.append(
            {
                "total": total,
                "growth": growth,
                "yoy": yoy.change(Decimal(growth.value)) if growth is not None else None,
            }
        )
    indicator = figures.cached(
        f"dashboard.economy.indicator.{CHART_INDICATOR}",
        lambda: Indicator.objects.filter(code=CHART_INDICATOR).first(),
    )
    links = page.Links(period, figures.zone_code)
    content: dict[str, Any] = {
        "period": period,
        "headlines": headlines,
        # Counted as things stand now: a report submitted is a write (the zone's generation
        # moves on), and a report turns overdue at the start of a day, so today's date is in
        # the name. 148 ms of a warm view on the 100k set.
        "reporting": figures.cached(
            f"dashboard.economy.reporting.{period.key}.{timezone.localdate().isoformat()}",
            lambda: reporting_status(list(scope.zone_ids), period),
        ),
        "figures_url": _figures_url(period, figures.zone_code),
    }
    if indicator is not None:
        by_month = figures.cached(
            f"dashboard.economy.by_month.{indicator.code}.{period.key}",
            lambda: fs.by_month(rows, indicator, period),
        )
        basis = fs.Basis.COMPARABLE
        by_industry = figures.cached(
            f"dashboard.economy.by_industry.{indicator.code}.{period.key}.{basis}",
            lambda: fs.by_industry(rows, indicator, period, basis),
        )
        content["months"] = page.months_chart(rows, indicator, period, links, by_month)
        content["industries"] = page.industries(rows, indicator, period, basis, links, by_industry)
        content["indicator"] = indicator
    return content


def _figures_url(period: Period, zone_code: str) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    query = {"period": period.key, **({"zone": zone_code} if zone_code else {})}
    return f"{reverse('economy:figures')}?{urlencode(query)}"
