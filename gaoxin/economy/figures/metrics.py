"""The economy's figures as registered metrics, one family per measure, each member named by
an indicator's code (the catalogue is data, so the members are found, not listed):

- `economy.ytd.<code>` — 本年累计: the zone total for the year to date at the last month ending
  on or before the scope's day (a stock: its value at that month), from the rows in effect;
- `economy.month.<code>` — that month alone (1–2月 counts as February's);
- `economy.rolling12.<code>` — the twelve months ending with that month (a calendar year at
  31 December): what the action plan's 经济体量双倍增 target is measured on;
- `economy.growth.<code>` — 同比 of the year to date in per cent, comparable basis (the same
  enterprises in both years); `economy.growth_total.<code>` — on the total basis;
- `economy.decliners.<code>` — 负增长企业; `economy.contributors.<code>` — the enterprises that
  grew, the largest increase first, with their share of the zone's increase.

The sums and growths take a narrowing after the code: `.group.above|below|new` (规上, 规下,
新入统 in the period's year) or `.industry.<pk>` (the zone's industry), e.g.
`economy.growth.output.group.above` — 规上工业总产值同比. Every figure is one aggregate over
its records: the FigureValue rows behind it, each with its enterprise, period and source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import (
    Column,
    Kind,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    registry,
    subject,
)
from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.models import FigureValue, Indicator
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import values_in_effect
from gaoxin.industries.models import Industry

GROUP = _("Economy (经济运行)")

VALUE_COLUMNS = (
    Column(_("Enterprise"), "enterprise.name"),
    Column(_("Indicator"), "indicator.name"),
    Column(_("Period"), "period.label"),
    Column(_("Amount"), "amount"),
    Column(_("Year to date as given"), "cumulative"),
    Column(_("Source"), "get_source_display"),
    Column(_("Recorded at"), "known_from"),
)

CHANGE_COLUMNS = (
    Column(_("Enterprise"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("This year to date"), "this_ytd"),
    Column(_("Same period last year"), "last_ytd"),
    Column(_("Change"), "change"),
)
CONTRIBUTOR_COLUMNS = (
    *CHANGE_COLUMNS,
    Column(_("Share of the zone's increase (%)"), "share", Kind.PERCENT),
)

GROUP_LABELS: dict[str, Promise] = {
    fs.Group.ABOVE: _("enterprises above designated size (规上)"),
    fs.Group.BELOW: _("below designated size (规下)"),
    fs.Group.NEW: _("newly counted (新入统)"),
}

UNITS = {Indicator.Unit.YUAN: Unit.YUAN, Indicator.Unit.PERSON: Unit.PERSON}


# --- how reports write these figures (数据核对) ------------------------------------------------

# An indicator is named in a report by its name, 规上 before it for the 规上 group ("1-6月，全区
# 规上工业总产值…亿元，同比增长…%；营业收入…亿元，同比增长…%"): the families give the names
# (MetricFamily.names), and a growth belongs to the indicator named before it.
subject("indicator", _("Indicator"))

# The words of each measure (a member's unit decides its measure words: people for 从业人员).
SAID_WORDS: dict[str, tuple[str, ...]] = {
    "ytd": ("本年累计", "累计", "全区", "实现"),
    "month": ("当月完成", "当月", "本月", "单月"),
    "rolling12": ("近12个月", "近一年", "过去12个月", "滚动12个月"),
    # (not 增长 alone: 环比增长 is no 同比)
    "growth": ("同比增长", "同比下降", "同比", "增速"),
    "growth_total": ("全口径同比增长", "全口径同比", "全口径"),
    "decliners": ("负增长企业", "负增长", "同比下降企业"),
    "contributors": ("正增长企业", "拉动增长", "增长企业"),
}
GROUP_NAMES = {fs.Group.ABOVE: "规上{}", fs.Group.BELOW: "规下{}", fs.Group.NEW: "新入统企业{}"}


def _said(measure: str, unit: Unit) -> Said:
    measures = {Unit.PERSON: ("人", "名"), Unit.ENTERPRISE: ("家",)}.get(unit, ())
    return Said(SAID_WORDS[measure], measures, "indicator")


def indicator_names(scope: MetricScope) -> dict[str, str]:
    """Each indicator's name, and with a group its name as reports write it (规上工业总产值)."""
    names: dict[str, str] = {}
    for code, name in Indicator.objects.filter(is_active=True).values_list("code", "name"):
        names[code] = name
        for group, pattern in GROUP_NAMES.items():
            names[f"{code}.group.{group}"] = pattern.format(name)
    return names


def list_names(scope: MetricScope) -> dict[str, str]:
    return dict(Indicator.objects.filter(is_active=True).values_list("code", "name"))


@dataclass(frozen=True)
class Spec:
    """A member's parameter read: the indicator, and an optional group or industry."""

    indicator: Indicator
    group: str = ""
    industry: Industry | None = None

    @classmethod
    def parse(cls, param: str) -> Spec | None:
        code, *rest = param.split(".")
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            return None
        if not rest:
            return cls(indicator)
        if len(rest) == 2 and rest[0] == "group" and rest[1] in fs.Group.ALL:
            return cls(indicator, group=rest[1])
        if len(rest) == 2 and rest[0] == "industry" and rest[1].isdigit():
            industry = Industry.objects.filter(pk=int(rest[1])).only("name", "zone_id").first()
            return cls(indicator, industry=industry) if industry is not None else None
        return None

    @property
    def suffix(self) -> str:
        if self.group:
            return f".group.{self.group}"
        if self.industry is not None:
            return f".industry.{self.industry.pk}"
        return ""

    def narrowing(self, period: Period) -> Q:
        if self.group:
            return fs.group_q(self.group, period)
        if self.industry is not None:
            return fs.industry_q(self.industry.pk)
        return Q()

    def label(self, label: Any) -> Any:
        if self.group:
            return format_lazy("{label} · {part}", label=label, part=GROUP_LABELS[self.group])
        if self.industry is not None:
            return format_lazy("{label} · {part}", label=label, part=self.industry.name)
        return label

    @property
    def zone_id(self) -> int | None:
        return self.industry.zone_id if self.industry is not None else None


def rows_of(scope: MetricScope) -> QuerySet[FigureValue]:
    return values_in_effect(scope.zone_ids)


def period_of(scope: MetricScope, indicator: Indicator | None = None) -> Period:
    """The month a figure as of the day is of: the latest month with figures in the zones
    (of the indicator, read from its index) that ended by the day — figures arrive weeks
    after their month —, else the last month ended by the day."""
    indicator_id = indicator.pk if indicator is not None else None
    found = fs.latest_period(rows_of(scope), by=scope.as_of, indicator_id=indicator_id)
    return found or fs.period_at(scope.as_of)


def periods_of(scope: MetricScope, indicators: list[Indicator]) -> dict[int, Period]:
    """`period_of` for each of several indicators, in one query: each indicator's latest month
    with figures in the zones ending by the day (an index seek each, as `fs.latest_period`
    reads them), else the last month ended by the day."""
    last = fs.period_at(scope.as_of)
    rows = rows_of(scope).filter(Q(year__lt=last.year) | Q(year=last.year, month__lte=last.month))
    latest = (
        rows.filter(indicator_id=OuterRef("pk"))
        .order_by("-year", "-month")
        .annotate(key=ExpressionWrapper(F("year") * 100 + F("month"), IntegerField()))
        .values("key")[:1]
    )
    keys = dict(
        Indicator.objects.filter(pk__in=[i.pk for i in indicators])
        .order_by()
        .annotate(key=Subquery(latest))
        .values_list("pk", "key")
    )
    return {
        i.pk: Period.of(*divmod(keys[i.pk], 100)) if keys.get(i.pk) is not None else last
        for i in indicators
    }


# --- the sums ----------------------------------------------------------------------------------

SUMS: dict[str, tuple[Any, Any]] = {
    "ytd": (
        _("{indicator}, year to date (本年累计)"),
        _("The zone's total for the year to date at the last month ending on or before the "
          "day; a stock indicator's value at that month."),
    ),
    "month": (
        _("{indicator}, month (本月)"),
        _("The zone's total for the last month ending on or before the day (1–2月 reported "
          "together counts as February's)."),
    ),
    "rolling12": (
        _("{indicator}, last 12 months"),
        _("The zone's total for the twelve months ending with the last month ending on or "
          "before the day (the calendar year on 31 December)."),
    ),
}  # fmt: skip


def _where(measure: str, indicator: Indicator, period: Period) -> Q:
    if measure == "ytd":
        return fs.ytd_q(indicator, period)
    if measure == "month":
        return fs.month_q(period)
    return fs.rolling12_q(indicator, period)


def _split(measure: str, indicator: Indicator) -> bool:
    return measure == "rolling12" and indicator.is_flow


def _parts(measure: str, indicator: Indicator, period: Period) -> list[Q]:
    """The disjoint ranges a sum's rows fall in, each read as one index range: a flow's
    twelve months are this year's to the month and last year's after it (a row's first month
    is never after its month), where one condition with their OR made SQLite read the
    indicator's every year, or fetch each row from the table: 0.5 s a member of 33,000
    enterprises (issue 19). Else one part, the rows as they are."""
    if _split(measure, indicator):
        return [
            Q(year=period.year, month__lte=period.month),
            Q(year=period.year - 1, month__gt=period.month, first_month__gt=period.month),
        ]
    return [Q()]


def _add(total: Decimal | None, part: Decimal | None) -> Decimal | None:
    return part if total is None else total if part is None else total + part


def _sum_of_parts(measure: str, indicator: Indicator) -> Callable[..., Decimal]:
    """A member's value as the sum of its rows' parts (`_parts`): the same rows, fewer read."""

    def compute(records: QuerySet[FigureValue], scope: MetricScope) -> Decimal:
        total = None
        for part in _parts(measure, indicator, period_of(scope, indicator)):
            raw = records.filter(part).aggregate(value=Sum("amount"))["value"]
            total = _add(total, raw)
        return Decimal(0) if total is None else total

    return compute


def _sum_family(measure: str) -> MetricFamily:
    label, description = SUMS[measure]
    prefix = f"economy.{measure}"

    def make(param: str) -> Metric | None:
        spec = Spec.parse(param)
        if spec is None:
            return None
        indicator = spec.indicator

        def records(scope: MetricScope) -> QuerySet[FigureValue]:
            period = period_of(scope, indicator)
            rows = fs.of_indicator(rows_of(scope), indicator).filter(
                _where(measure, indicator, period), spec.narrowing(period)
            )
            return fs.with_records(rows)

        unit = UNITS[Indicator.Unit(indicator.unit)]
        return Metric(
            additive=False,  # the month is the zones' latest (core.metrics.Metric.additive)
            key=f"{prefix}.{indicator.code}{spec.suffix}",
            label=spec.label(format_lazy(label, indicator=indicator.name)),
            unit=unit,
            records=records,
            sum_field="amount",
            columns=VALUE_COLUMNS,
            description=description,
            group=GROUP,
            zone_id=spec.zone_id,
            said=_said(measure, unit),
            compute=_sum_of_parts(measure, indicator) if _split(measure, indicator) else None,
        )

    def batch(params: list[str], scope: MetricScope) -> dict[str, int | Decimal]:
        # The members named by an indicator's code alone (those the index lists): their
        # periods in one query, their sums in another, each part of it the member's own sum
        # (UNION ALL keeps each an index range of its indicator, as when read alone).
        indicators = list(Indicator.objects.filter(code__in=[p for p in params if "." not in p]))
        if not indicators:
            return {}
        periods = periods_of(scope, indicators)
        parts = [
            fs.of_indicator(rows_of(scope), indicator)
            .filter(_where(measure, indicator, periods[indicator.pk]), part)
            .order_by()
            .values("indicator_id")
            .annotate(value=Sum("amount"))
            for indicator in indicators
            for part in _parts(measure, indicator, periods[indicator.pk])
        ]
        found: dict[int, Decimal | None] = {}
        for row in parts[0].union(*parts[1:], all=True):
            found[row["indicator_id"]] = _add(found.get(row["indicator_id"]), row["value"])
        values: dict[str, int | Decimal] = {}
        for indicator in indicators:
            total = found.get(indicator.pk)
            values[indicator.code] = Decimal(0) if total is None else total
        return values

    return MetricFamily(
        prefix,
        make,
        _indicator_params,
        said=_said(measure, Unit.YUAN),
        names=indicator_names,
        batch=batch,
    )


def _indicator_params(scope: MetricScope) -> list[str]:
    return list(Indicator.objects.filter(is_active=True).values_list("code", flat=True))


# --- the growths -------------------------------------------------------------------------------

GROWTHS: dict[str, tuple[str, Any, Any]] = {
    "growth": (
        fs.Basis.COMPARABLE,
        _("{indicator}, growth on the same period last year (同比, comparable basis)"),
        _("The year to date against the same period last year, in per cent, over the "
          "enterprises with figures in both years (可比口径)."),
    ),
    "growth_total": (
        fs.Basis.TOTAL,
        _("{indicator}, growth on the same period last year (同比, total basis)"),
        _("The year to date against the same period last year, in per cent, over all "
          "enterprises with figures in each year (全口径)."),
    ),
}  # fmt: skip


def _growth_compute(spec: Spec, basis: str) -> Callable[[QuerySet[Any], MetricScope], Decimal]:
    def compute(records: QuerySet[Any], scope: MetricScope) -> Decimal:
        period = period_of(scope, spec.indicator)
        return fs.growth(records, period).percent

    return compute


def _growth_family(measure: str) -> MetricFamily:
    basis, label, description = GROWTHS[measure]
    prefix = f"economy.{measure}"

    def make(param: str) -> Metric | None:
        spec = Spec.parse(param)
        if spec is None:
            return None
        indicator = spec.indicator

        def records(scope: MetricScope) -> QuerySet[FigureValue]:
            period = period_of(scope, indicator)
            rows = fs.both_years(rows_of(scope), indicator, period, basis)
            return fs.with_records(rows.filter(spec.narrowing(period)))

        return Metric(
            additive=False,  # the month is the zones' latest (core.metrics.Metric.additive)
            key=f"{prefix}.{indicator.code}{spec.suffix}",
            label=spec.label(format_lazy(label, indicator=indicator.name)),
            unit=Unit.PERCENT,
            records=records,
            columns=(Column(_("Year"), "year"), *VALUE_COLUMNS),
            description=description,
            group=GROUP,
            compute=_growth_compute(spec, basis),
            zone_id=spec.zone_id,
            said=_said(measure, Unit.PERCENT),
        )

    # Not listed in the index (nor in `gaoxin metrics`): a growth without last year's figures
    # is not a number; the sums are listed, and the figures page shows every growth.
    return MetricFamily(
        prefix,
        make,
        lambda scope: [],
        said=_said(measure, Unit.PERCENT),
        names=indicator_names,
    )


# --- the enterprises behind a growth -----------------------------------------------------------

LISTS: dict[str, tuple[Any, Any]] = {
    "decliners": (
        _("Enterprises whose {indicator} fell (负增长企业)"),
        _("Enterprises whose year to date is below the same period last year, the largest "
          "fall first."),
    ),
    "contributors": (
        _("Enterprises whose {indicator} grew, by their contribution"),
        _("Enterprises whose year to date is above the same period last year, the largest "
          "increase first, with their share of the zone's increase (comparable basis)."),
    ),
}  # fmt: skip


def _list_family(measure: str) -> MetricFamily:
    label, description = LISTS[measure]
    prefix = f"economy.{measure}"
    select = fs.decliners if measure == "decliners" else fs.contributors

    def make(param: str) -> Metric | None:
        spec = Spec.parse(param)
        if spec is None or spec.suffix:
            return None
        indicator = spec.indicator

        def records(scope: MetricScope) -> QuerySet[Any]:
            period = period_of(scope, indicator)
            return select(rows_of(scope), indicator, period, scope.zone_ids, in_effect=True)

        return Metric(
            additive=False,  # the month is the zones' latest (core.metrics.Metric.additive)
            key=f"{prefix}.{indicator.code}",
            label=format_lazy(label, indicator=indicator.name),
            unit=Unit.ENTERPRISE,
            records=records,
            columns=CONTRIBUTOR_COLUMNS if measure == "contributors" else CHANGE_COLUMNS,
            description=description,
            group=GROUP,
            said=_said(measure, Unit.ENTERPRISE),
        )

    return MetricFamily(
        prefix,
        make,
        lambda scope: [],
        said=_said(measure, Unit.ENTERPRISE),
        names=list_names,
    )


for _measure in SUMS:
    registry.register_family(_sum_family(_measure))
for _measure in GROWTHS:
    registry.register_family(_growth_family(_measure))
for _measure in LISTS:
    registry.register_family(_list_family(_measure))
