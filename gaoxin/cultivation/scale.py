"""The two 规上 radars: 小升规 (enterprises not 规上 whose last twelve months of revenue reach a
share of their threshold, closest first) and 应统尽统 (a full year of figures over the line,
still not counted by the statistics bureau).

Both read the same rows: the zones' enterprises in the zone and not 规上 on the radar's day,
joined to their `Standing` of the radar's month (the latest month with revenue figures by the
day) and annotated with the 规上 rule in force at that month's end (`thresholds.rule_case`):
threshold, revenue_ttm, months_ttm, ratio (per cent of the threshold) and gap. An enterprise
with no threshold (no national industry class, or a section not counted by revenue) is on
neither radar.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Round
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.bounds import MoneyField
from gaoxin.core.formatting import money
from gaoxin.core.metrics import MetricScope
from gaoxin.cultivation import radars
from gaoxin.cultivation.models import Followup, ScaleThreshold
from gaoxin.cultivation.standings import (
    REVENUE,
    month_index,
    radar_period,
    standings_for,
    with_standing,
)
from gaoxin.cultivation.thresholds import rule_case, rules_in_force
from gaoxin.economy.models import Indicator
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import values_in_effect
from gaoxin.enterprises.metrics import above_scale_on, registered
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.selectors import panel_once

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

SCALE, UNREPORTED = "scale", "unreported"
DEFAULT_SHARE = 80  # per cent of the threshold from which an enterprise is on 小升规
FULL_YEAR = 12
# The list's orders: closest to the line first (the default), then by gap, revenue or name.
SORTS = {
    "ratio": ("ratio", "name", "pk"),
    "-ratio": ("-ratio", "name", "pk"),
    "gap": ("gap", "name", "pk"),
    "-gap": ("-gap", "name", "pk"),
    "revenue": ("revenue_ttm", "name", "pk"),
    "-revenue": ("-revenue_ttm", "name", "pk"),
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
}
DEFAULT_SORT = "-ratio"
RATIO = DecimalField(max_digits=12, decimal_places=2)
MONEY = MoneyField(max_digits=24, decimal_places=2)  # written in 万元/亿元 where shown


def period_end(period: Period) -> dt.date:
    return dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def _reaches_rule() -> Q:
    """The rule met by the annotated row (thresholds.reaches, in SQL): the revenue, or the
    head count instead where the rule says "or", or both where it says "and"."""
    by_revenue = Q(revenue_ttm__gte=F("threshold"))
    by_people = Q(
        min_employees__isnull=False,
        employees__isnull=False,
        employees__gte=F("min_employees"),
    )
    revenue_only = Q(min_employees__isnull=True) | Q(combine="") | Q(combine__isnull=True)
    return (
        (revenue_only & by_revenue)
        | (
            Q(combine=ScaleThreshold.Combine.OR, min_employees__isnull=False)
            & (by_revenue | by_people)
        )
        | (
            Q(combine=ScaleThreshold.Combine.AND, min_employees__isnull=False)
            & by_revenue
            & by_people
        )
    )


def _nothing() -> QuerySet[Any]:
    """No rows, with the annotations the radars filter and sort on (no figures yet)."""
    nothing: dict[str, Any] = {
        "threshold": Value(None, output_field=MONEY),
        "min_employees": Value(None, output_field=IntegerField()),
        "combine": Value(None, output_field=CharField()),
        "rule_name": Value(None, output_field=CharField()),
        "revenue_ttm": Value(None, output_field=MONEY),
        "months_ttm": Value(None, output_field=IntegerField()),
        "ratio": Value(None, output_field=RATIO),
        "gap": Value(None, output_field=MONEY),
        "reaches": Value(False, output_field=BooleanField()),
    }
    return Enterprise.objects.none().annotate(**nothing)


def standing_rows(
    zone_ids: Iterable[int],
    as_of: dt.date,
    period: Period | None = None,
    *,
    enterprise_id: int | None = None,
) -> QuerySet[Any]:
    """The zones' enterprises in the zone and not 规上 on the day, with revenue figures in the
    radar's month and a threshold, annotated (see the module's docstring). `period` is the
    radar's month when the caller has read it already; `enterprise_id`: that enterprise's row
    alone (the standings' subquery then reads its one standing, not the zone's)."""
    zone_ids = sorted(set(zone_ids))
    if period is None:
        period = radar_period(zone_ids, as_of)
    if period is None:
        return _nothing()
    standings_for(zone_ids, period)  # built first where they are not
    day = period_end(period)
    rules = rules_in_force(day)  # read once for the rule's four columns
    return (
        registered(MetricScope.of(zone_ids, as_of))
        .filter(with_standing(zone_ids, period, **_one(enterprise_id)))
        .exclude(above_scale_on(as_of))
        .annotate(
            standing=FilteredRelation(
                "standings",
                condition=Q(standings__year=period.year, standings__month=period.month),
            ),
            threshold=rule_case(day, rules=rules),
            min_employees=rule_case(day, "min_employees", rules=rules),
            combine=rule_case(day, "combine", rules=rules),
            rule_name=rule_case(day, "name", rules=rules),
        )
        .filter(standing__isnull=False, threshold__isnull=False)
        .annotate(
            revenue_ttm=F("standing__revenue_ttm"),
            months_ttm=F("standing__months_ttm"),
            # Rounded in SQL: SQLite computes with floats, and a gap of 0.01 must read 0.01.
            ratio=Round(
                ExpressionWrapper(F("standing__revenue_ttm") * 100 / F("threshold"), RATIO), 2
            ),
            gap=Round(ExpressionWrapper(F("threshold") - F("standing__revenue_ttm"), MONEY), 2),
        )
        .annotate(
            reaches=Case(
                When(_reaches_rule(), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def _one(enterprise_id: int | None) -> dict[str, int]:
    return {} if enterprise_id is None else {"enterprise_id": enterprise_id}


def unreported(
    zone_ids: Iterable[int], as_of: dt.date, period: Period | None = None
) -> QuerySet[Any]:
    """应统尽统: a full year of figures meeting the rule, still not 规上; highest first."""
    return (
        standing_rows(zone_ids, as_of, period)
        .filter(months_ttm__gte=FULL_YEAR, reaches=True)
        .order_by("-ratio", "name", "pk")
    )


def near_scale(
    zone_ids: Iterable[int],
    as_of: dt.date,
    share: int | Decimal = DEFAULT_SHARE,
    period: Period | None = None,
) -> QuerySet[Any]:
    """小升规: revenue of the last twelve months at `share` per cent of the threshold or more,
    not on 应统尽统; closest first."""
    return (
        standing_rows(zone_ids, as_of, period)
        # Multiplied, not divided: no rounding on either side of the share.
        .filter(GreaterThanOrEqual(F("revenue_ttm") * 100, F("threshold") * Decimal(share)))
        .exclude(months_ttm__gte=FULL_YEAR, reaches=True)
        .order_by("-ratio", "name", "pk")
    )


def _scale_records(zone_ids: Iterable[int], as_of: dt.date) -> QuerySet[Any]:
    return near_scale(zone_ids, as_of)


# --- an enterprise's line --------------------------------------------------------------------


def _own_row(enterprise: Enterprise, day: dt.date) -> tuple[Any, bool]:
    """The enterprise's annotated row as of the day (None when it is 规上, out of the zone,
    without figures or without a threshold), and whether it is on 应统尽统 (read once for
    the page's panels: both radars' lines read it)."""
    return panel_once(
        ("cultivation.scale_row", enterprise.pk, day), lambda: _read_row(enterprise, day)
    )


def _read_row(enterprise: Enterprise, day: dt.date) -> tuple[Any, bool]:
    row = (
        standing_rows([enterprise.zone_id], day, enterprise_id=enterprise.pk)
        .filter(pk=enterprise.pk)
        .first()
    )
    if row is None:
        return None, False
    return row, row.months_ttm >= FULL_YEAR and row.reaches


def scale_line(enterprise: Enterprise, day: dt.date) -> str | None:
    """ "距规上线还差 …" for an enterprise below its line (whatever the share), or what stops
    one over it from 应统尽统; None when 规上, on 应统尽统, or without threshold or figures."""
    row, on_unreported = _own_row(enterprise, day)
    if row is None or on_unreported:
        return None
    values = {
        "gap": money(row.gap),
        "revenue": money(row.revenue_ttm),
        "threshold": money(row.threshold),
        "months": row.months_ttm,
        "people": row.min_employees,
    }
    if row.revenue_ttm < row.threshold:
        if row.months_ttm < FULL_YEAR:
            return (
                _(
                    "%(gap)s short of the 规上 line (revenue of %(months)s months with figures "
                    "in the last 12: %(revenue)s; line %(threshold)s)"
                )
                % values
            )
        return (
            _(
                "%(gap)s short of the 规上 line (revenue of the last 12 months %(revenue)s, "
                "line %(threshold)s)"
            )
            % values
        )
    if row.months_ttm < FULL_YEAR:
        return (
            _(
                "Revenue of %(months)s months, %(revenue)s, reaches the 规上 line %(threshold)s; "
                "not yet a full year"
            )
            % values
        )
    # A full year over the revenue line that the rule still does not count: its head count.
    return (
        _(
            "Revenue of the last 12 months, %(revenue)s, reaches the 规上 line %(threshold)s; "
            "fewer than %(people)s people employed"
        )
        % values
    )


def unreported_line(enterprise: Enterprise, day: dt.date) -> str | None:
    _row, on_unreported = _own_row(enterprise, day)
    return (
        _("Over the 规上 line for the last 12 months, not yet counted (入统)")
        if on_unreported
        else None
    )


# --- the months behind a row -----------------------------------------------------------------


@dataclass(frozen=True)
class WindowColumn:
    """A column of the twelve-month window: one month, or 1–2月 (reported together)."""

    year: int
    first_month: int
    month: int

    @property
    def label(self) -> str:
        return Period(self.year, self.month, self.first_month).label

    @property
    def short(self) -> str:
        if self.first_month == self.month:
            return f"{self.month}月"
        return f"{self.first_month}–{self.month}月"

    @property
    def indices(self) -> range:
        return range(
            month_index(self.year, self.first_month), month_index(self.year, self.month) + 1
        )


def window_columns(period: Period) -> list[WindowColumn]:
    """The window's columns, oldest first: January and February of a year together when
    both are inside the window (the bureau reports them as 1–2月)."""
    end = month_index(period.year, period.month)
    columns: list[WindowColumn] = []
    for index in range(end - 11, end + 1):
        year, month = divmod(index - 1, 12)
        month += 1
        if month == 2 and columns and columns[-1].year == year and columns[-1].month == 1:
            columns[-1] = WindowColumn(year, 1, 2)
        else:
            columns.append(WindowColumn(year, month, month))
    return columns


def window_values(
    zone_ids: Iterable[int], enterprise_ids: Iterable[int], period: Period
) -> dict[int, list[Decimal | None]]:
    """{enterprise id: its revenue in each window column} for a page of rows, in one query.
    A figure of several months that the window or a column cuts counts for the share of its
    months inside (as the standings count it), so a row's columns add up to its revenue_ttm;
    None where no figure covers the column."""
    ids = list(enterprise_ids)
    columns = window_columns(period)
    found: dict[int, list[Decimal | None]] = defaultdict(lambda: [None] * len(columns))
    if not ids:
        return {}
    end = month_index(period.year, period.month)
    start = end - 11
    rows = (
        values_in_effect(zone_ids)
        .filter(
            enterprise_id__in=ids,
            indicator_id__in=Indicator.objects.filter(code=REVENUE).values("pk"),
        )
        .filter(
            Q(year=period.year - 1, month__gt=period.month)
            | Q(year=period.year, month__lte=period.month)
        )
        .values_list("enterprise_id", "year", "first_month", "month", "amount")
    )
    for enterprise_id, year, first, last, amount in rows:
        lo, hi = month_index(year, first), month_index(year, last)
        length = hi - lo + 1
        cells = found[enterprise_id]
        for position, column in enumerate(columns):
            inside = [i for i in column.indices if lo <= i <= hi and start <= i <= end]
            if inside:
                share = amount if len(inside) == length else amount * len(inside) / length
                cells[position] = (cells[position] or Decimal(0)) + share
    return {pk: found[pk] for pk in ids if pk in found}


def radar_search(
    user: User,
    *,
    radar: str,
    zone_ids: Iterable[int],
    as_of: dt.date,
    period: Period | None,
    q: str = "",
    industry: int | None = None,
    section: str = "",
    liaison_officer: int | None = None,
    followed: bool | None = None,
    share: int = DEFAULT_SHARE,
    sort: str = DEFAULT_SORT,
) -> QuerySet[Any]:
    """One of the two radars' rows narrowed by its list's filters, in the list's order.
    `q` searches as the enterprise registry does (name, pinyin initials, credit code)."""
    from gaoxin.enterprises.selectors import enterprise_search

    if radar == UNREPORTED:
        rows = unreported(zone_ids, as_of, period)
    else:
        rows = near_scale(zone_ids, as_of, share, period)
    if q.strip():
        rows = rows.filter(pk__in=enterprise_search(user, q=q).order_by().values("pk"))
    if industry:
        rows = rows.filter(industries=industry)
    if section:
        rows = rows.filter(national_industry__parent__code=section)
    if liaison_officer:
        rows = rows.filter(liaison_officer=liaison_officer)
    if followed is not None:
        rows = rows.filter(followed_filter(radar) if followed else ~followed_filter(radar))
    return rows.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def followed_filter(radar: str) -> Exists:
    """Enterprises with an open follow-up on the radar."""
    return Exists(
        Followup.objects.filter(enterprise_id=OuterRef("pk"), radar=radar, closed_on__isnull=True)
    )


def as_wan(amount: Any) -> Decimal | None:
    return None if amount is None else (Decimal(amount) / 10_000).quantize(Decimal("0.1"))


def radar_label(key: str) -> str:
    found = radars.radar(key)
    return str(found.label) if found is not None else key


def register() -> None:
    """Register the two radars (called from CultivationConfig.ready)."""
    radars.register(
        radars.Radar(
            key=SCALE,
            label=gettext_lazy("Near the 规上 line (小升规)"),
            description=gettext_lazy(
                "Enterprises not yet 规上 whose revenue of the last twelve months reaches 80 per "
                "cent of their threshold, closest first."
            ),
            url_name="cultivation:scale_list",
            records=_scale_records,
            line=scale_line,
            order=10,
        )
    )
    radars.register(
        radars.Radar(
            key=UNREPORTED,
            label=gettext_lazy("Over the line, not counted (应统尽统)"),
            description=gettext_lazy(
                "Enterprises with a full year of revenue over their 规上 threshold that are "
                "still not counted by the statistics bureau."
            ),
            url_name="cultivation:unreported_list",
            records=unreported,
            line=unreported_line,
            order=20,
        )
    )
