"""The figures page's content (and the pieces the dashboard's 经济运行 section shares): every
number is a sum over the rows in effect (or as known on a day) by the selectors the metrics use,
and links to the records of the metric that gives it.

Queries: one per indicator for its line of the table (month, year to date, 同比 on both
bases), one each for the months chart, the industries, the groups and the two lists: the count
does not grow with the data.

The figures page reads those sums through the figures cache (`cached_reads`,
core/figure_cache.py): values only (sums, growths, the listed enterprises' names and amounts),
kept under the zones' generations, so a warm view computes nothing from the records and any
write to a zone's records is seen by the next view. The cells are built per view, in the
reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core import charts, figure_cache
from gaoxin.core.figures import metric_url
from gaoxin.core.metrics import Unit
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.figures.metrics import GROUP_LABELS, UNITS
from gaoxin.economy.models import FigureValue, Indicator
from gaoxin.economy.periods import Period

MAX_LISTED = 10  # enterprises shown of the negative-growth and contributor lists

T = TypeVar("T")
# How the page reads a value computed from the records: `read(name, compute)`.
Read = Callable[[str, Callable[[], Any]], Any]


def fresh(name: str, compute: Callable[[], T]) -> T:
    """Computed from the records at every read."""
    return compute()


def cached_reads(
    zone_ids: Sequence[int], period: Period, known_on: dt.date | None, ranking: Sequence[str]
) -> Read:
    """Reads through the figures cache of the zones as of the period's end: a name says the
    rest of what a value depends on (the day the figures are known on, the sources'
    precedence), so two views that may differ never share a value."""
    cache = figure_cache.ScopeCache(zone_ids, fs.period_end(period), namespace="c")
    known = known_on.isoformat() if known_on is not None else "now"
    tail = f"{period.key}.{known}.{'-'.join(ranking)}"

    def read(name: str, compute: Callable[[], T]) -> T:
        return cache.through(f"economy.figures.{name}.{tail}", compute)

    return read


@dataclass(frozen=True)
class Cell:
    """A number of the page: its value, as shown, and the records behind it."""

    value: Decimal
    shown: str
    url: str

    @property
    def is_negative(self) -> bool:
        return not self.value.is_nan() and self.value < 0


class Links:
    """Metric links of one page: the zone picked and the day the period ends."""

    def __init__(self, period: Period, zone_code: str) -> None:
        self.as_of = fs.period_end(period)
        self.zone_code = zone_code

    def __call__(self, key: str, *, as_of: dt.date | None = None) -> str:
        return metric_url(key, as_of=as_of or self.as_of, zone_code=self.zone_code)


def unit_of(indicator: Indicator) -> Unit:
    return UNITS[Indicator.Unit(indicator.unit)]


def amount_cell(indicator: Indicator, value: Decimal, url: str) -> Cell:
    return Cell(value, unit_of(indicator).format(value), url)


def growth_cell(value: Decimal, url: str) -> Cell:
    return Cell(value, Unit.PERCENT.format(value), url)


def growth_key(basis: str) -> str:
    return "economy.growth" if basis == fs.Basis.COMPARABLE else "economy.growth_total"


# --- the table ---------------------------------------------------------------------------------


def _summary_values(
    rows: QuerySet[FigureValue], indicator: Indicator, period: Period
) -> tuple[Decimal, Decimal, fs.Growth, fs.Growth]:
    line = fs.summary(rows, indicator, period)
    return line.month, line.ytd, line.comparable, line.total


def table(
    rows: QuerySet[FigureValue],
    indicators: list[Indicator],
    period: Period,
    links: Links,
    read: Read = fresh,
) -> list[dict[str, Any]]:
    """Every indicator's 本月, 本年累计 and 同比 on both bases."""
    lines = []
    for indicator in indicators:
        code = indicator.code
        line = fs.Summary(
            indicator,
            *read(f"summary.{code}", lambda: _summary_values(rows, indicator, period)),  # noqa: B023
        )
        lines.append(
            {
                "indicator": indicator,
                "month": amount_cell(indicator, line.month, links(f"economy.month.{code}")),
                "ytd": amount_cell(indicator, line.ytd, links(f"economy.ytd.{code}")),
                "last_ytd": amount_cell(
                    indicator, line.total.last, links(f"economy.growth_total.{code}")
                ),
                "comparable": growth_cell(line.comparable.percent, links(f"economy.growth.{code}")),
                "total": growth_cell(line.total.percent, links(f"economy.growth_total.{code}")),
            }
        )
    return lines


def table_sheet(lines: list[dict[str, Any]], period: Period) -> tuple[list[str], list[list[Any]]]:
    """The table as a sheet's headers and rows (amounts in the indicator's unit, growths in
    per cent to one decimal; a growth on nothing is empty)."""
    headers = [
        _("Indicator"),
        _("Unit"),
        _("Month (本月)"),
        _("Year to date (本年累计)"),
        _("Same period last year"),
        _("Growth, comparable basis (%)"),
        _("Growth, total basis (%)"),
    ]

    def number(value: Decimal) -> Any:
        return None if value.is_nan() else value

    rows = [
        [
            line["indicator"].name,
            unit_of(line["indicator"]).symbol,
            line["month"].value,
            line["ytd"].value,
            line["last_ytd"].value,
            number(line["comparable"].value),
            number(line["total"].value),
        ]
        for line in lines
    ]
    return headers, rows


# --- this year against last, month by month ----------------------------------------------------


def months_chart(
    rows: QuerySet[FigureValue],
    indicator: Indicator,
    period: Period,
    links: Links,
    values: dict[int, dict[int, Decimal]] | None = None,
) -> dict[str, Any]:
    """This year's months to the period and last year's twelve, side by side: each bar the
    month's figure, opening its records. `values`: `fs.by_month`'s, when read already (the
    dashboard reads them through the figures cache)."""
    if values is None:
        values = fs.by_month(rows, indicator, period)
    unit = unit_of(indicator)
    scale, scale_label = (
        charts.money_scale([v for year in values.values() for v in year.values()])
        if unit is Unit.YUAN
        else (Decimal(1), str(unit.label))
    )
    labels = [f"{month}月" for month in range(1, 13)]
    data = []
    for year, colour in (
        (period.year - 1, charts.COLOURS["light"]),
        (period.year, charts.COLOURS["brand"]),
    ):
        months = range(1, 13) if year < period.year else range(1, period.month + 1)
        amounts = [values[year].get(m, Decimal(0)) for m in months]
        urls = [
            links(f"economy.month.{indicator.code}", as_of=fs.month_end(year, m)) for m in months
        ]
        data.append(
            charts.bars(
                str(year),
                labels[: len(amounts)],
                [charts.scaled(a, scale) for a in amounts],
                [unit.format(a) for a in amounts],
                urls,
                colour,
                # Twenty-four values would crowd the months: the hover gives each one.
                show_text=False,
            )
        )
    layout = charts.layout(
        barmode="group",
        height=300,
        margin={"l": 8, "r": 16, "t": 8, "b": 44},
        yaxis=charts.value_axis(
            [v for trace in data for v in trace["y"]], title=scale_label, headroom=0.05
        ),
        xaxis={"automargin": True, "fixedrange": True, "tickangle": 0},
    )
    return {
        "indicator": indicator,
        "has_data": any(values[y] for y in values),
        "chart": charts.present(
            {"data": data, "layout": layout}, empty=_("No figures for these years.")
        ),
    }


# --- breakdowns --------------------------------------------------------------------------------


def industries(
    rows: QuerySet[FigureValue],
    indicator: Indicator,
    period: Period,
    basis: str,
    links: Links,
    found: list[fs.IndustryGrowth] | None = None,
) -> dict[str, Any]:
    """The year to date and its growth by the zone's industries, largest first. `found`:
    `fs.by_industry`'s lines, when read already."""
    if found is None:
        found = fs.by_industry(rows, indicator, period, basis)
    code, growth = indicator.code, growth_key(basis)
    lines: list[dict[str, Any]] = [
        {
            "name": line.name,
            "ytd": amount_cell(
                indicator,
                line.growth.this,
                links(f"economy.ytd.{code}.industry.{line.industry_id}"),
            ),
            "growth": growth_cell(
                line.growth.percent, links(f"{growth}.{code}.industry.{line.industry_id}")
            ),
        }
        for line in found
    ]
    unit = unit_of(indicator)
    scale, scale_label = (
        charts.money_scale([line.growth.this for line in found])
        if unit is Unit.YUAN
        else (Decimal(1), str(unit.label))
    )
    data = [
        charts.bars(
            _("Year to date (本年累计)"),
            [line["name"] for line in lines],
            [charts.scaled(line["ytd"].value, scale) for line in lines],
            [line["ytd"].shown for line in lines],
            [line["ytd"].url for line in lines],
            charts.COLOURS["brand"],
            horizontal=True,
        )
    ]
    chart = {
        "data": data,
        "layout": charts.layout(
            showlegend=False,
            height=charts.bar_height(len(lines)),
            yaxis=charts.category_axis(),
            xaxis=charts.value_axis(
                data[0]["x"], title=scale_label, headroom=charts.LABEL_HEADROOM
            ),
        ),
    }
    return {
        "rows": lines,
        "chart": charts.present(chart, empty=_("No figures of enterprises with an industry.")),
    }


def groups(
    rows: QuerySet[FigureValue],
    indicator: Indicator,
    period: Period,
    basis: str,
    links: Links,
    read: Read = fresh,
) -> list[dict[str, Any]]:
    """规上, 规下 and 新入统: year to date and growth."""
    found = read(
        f"by_group.{indicator.code}.{basis}",
        lambda: fs.by_group(rows, indicator, period, basis),
    )
    code, growth = indicator.code, growth_key(basis)
    return [
        {
            "name": GROUP_LABELS[group],
            "ytd": amount_cell(
                indicator, found[group].this, links(f"economy.ytd.{code}.group.{group}")
            ),
            "growth": growth_cell(found[group].percent, links(f"{growth}.{code}.group.{group}")),
        }
        for group in fs.Group.ALL
    ]


def _share(share: Decimal | None) -> str | None:
    return None if share is None else Unit.PERCENT.format(share)


def enterprise_lists(
    rows: QuerySet[FigureValue],
    indicator: Indicator,
    period: Period,
    zone_ids: list[int],
    links: Links,
    *,
    in_effect: bool = False,
    read: Read = fresh,
) -> dict[str, Any]:
    """The first enterprises of 负增长企业 and of the contributors, and links to the whole
    lists."""
    unit = unit_of(indicator)

    def first(enterprises: QuerySet[Any]) -> list[tuple[Any, ...]]:
        """The listed enterprises' names and amounts (values, cached as such)."""
        return [
            (e.name, e.this_ytd, e.last_ytd, e.change, getattr(e, "share", None))
            for e in enterprises[:MAX_LISTED]
        ]

    def shown(listed: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        return [
            {
                "name": name,
                "this": unit.format(this_ytd),
                "last": unit.format(last_ytd),
                "change": unit.format(change),
                "growth": Unit.PERCENT.format(fs.growth_percent(this_ytd, last_ytd)),
                "share": _share(share),
            }
            for name, this_ytd, last_ytd, change, share in listed
        ]

    code = indicator.code
    decliners = read(
        f"decliners.{code}",
        lambda: first(fs.decliners(rows, indicator, period, zone_ids, in_effect=in_effect)),
    )
    contributors = read(
        f"contributors.{code}",
        lambda: first(fs.contributors(rows, indicator, period, zone_ids, in_effect=in_effect)),
    )
    return {
        "decliners": shown(decliners),
        "decliners_url": links(f"economy.decliners.{code}"),
        "contributors": shown(contributors),
        "contributors_url": links(f"economy.contributors.{code}"),
    }
