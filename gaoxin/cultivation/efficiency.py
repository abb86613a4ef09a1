"""亩均效益评价: every enterprise with land, its 亩均税收 and 亩均营业收入 in a year, the class
(A 优先发展 … D 淘汰退出) the zone's cut-offs of that year give it, and the change from the
class of the year before.

The year evaluated as of a day is the last calendar year whose revenue figures are complete
by then: the radar's month (standings.radar_period) if it is December, else the year before.
A year's sums come from the standings of the following January, whose `y1` is that year and
`y2` the one before, so one join gives both years.

An enterprise's land in a year is what the officers recorded (LandRecord) in force at the
year's end. Only an enterprise with no record begun by then falls back on its projects' land
(拿地 reached by the year's end): once an officer records land, the records are the truth, so
a record that has ended means the land is no longer held, not that the projects' figure comes
back. The standings hold it (`land_y1`, `land_y2`, computed with the sums, and again when a
land record or a project changes).

Everything is one query over the zone's enterprises: the land and the sums as a join on the
standings, the classes as a CASE over the zones' cut-offs (read first, one row per zone and
year), so a page, a filter and a count cost the same whatever the zone's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gaoxin.core import formatting
from gaoxin.core.bounds import AreaField, MoneyField
from gaoxin.core.metrics import MetricScope
from gaoxin.cultivation import radars
from gaoxin.cultivation.models import MU, EfficiencyClass, EfficiencyCutoffs, LandRecord
from gaoxin.cultivation.standings import (
    radar_period,
    standings_for,
    standings_refresh,
    with_standing,
)
from gaoxin.economy.periods import Period
from gaoxin.enterprises.metrics import registered
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.selectors import panel_once
from gaoxin.projects.models import Project

KEY = "efficiency"
# Typed as money and area, so a record table writes them in 万元 and 平方米.
AREA = AreaField(max_digits=14, decimal_places=2)
MONEY = MoneyField(max_digits=24, decimal_places=2)
MU_DECIMAL = Decimal(str(MU))
CLASSES = [c.value for c in EfficiencyClass]

# The change from last year's class (change_of, change_is).
UP, DOWN, SAME, NEW, NONE = "up", "down", "same", "new", ""
CHANGES = {
    UP: _lazy("Up"),
    DOWN: _lazy("Down"),
    SAME: _lazy("Same"),
    NEW: _lazy("New (no land last year)"),
}
# Where the land figure comes from (`land_source`).
RECORDS, PROJECTS = "records", "projects"
LAND_SOURCES = {RECORDS: _lazy("Officer's land records"), PROJECTS: _lazy("Projects' land (拿地)")}


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def evaluated_year(zone_ids: Iterable[int], day: dt.date) -> int | None:
    """The last calendar year whose revenue figures are complete by the day, None without
    any figures."""
    period = radar_period(zone_ids, day)
    if period is None:
        return None
    return period.year if period.month == 12 else period.year - 1


def _per_mu(amount: str, land: str) -> Round:
    """yuan per 亩 to the fen (rounded in the database, so a figure exactly at a cut-off
    reaches it on SQLite's floating point as on PostgreSQL's numeric)."""
    return Round(
        ExpressionWrapper(F(amount) * Value(MU_DECIMAL) / F(land), output_field=MONEY),
        2,
        output_field=MONEY,
    )


def cutoffs_of(zone_ids: Iterable[int], year: int) -> dict[int, EfficiencyCutoffs]:
    zone_ids = sorted(set(zone_ids))
    return panel_once(
        ("cultivation.efficiency_cutoffs", tuple(zone_ids), year),
        lambda: {
            c.zone_id: c for c in EfficiencyCutoffs.objects.filter(zone_id__in=zone_ids, year=year)
        },
    )


def classify(cutoffs: EfficiencyCutoffs | None, tax: Decimal, revenue: Decimal) -> str:
    """The class of figures per 亩 under a zone's cut-offs ("" without cut-offs): the best
    class whose both cut-offs they reach, else D. (The list computes the same in SQL.)"""
    if cutoffs is None:
        return ""
    for name, tax_from, revenue_from in _bands(cutoffs):
        if tax >= tax_from and revenue >= revenue_from:
            return name
    return EfficiencyClass.D


def _bands(c: EfficiencyCutoffs) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (EfficiencyClass.A, c.tax_a, c.revenue_a),
        (EfficiencyClass.B, c.tax_b, c.revenue_b),
        (EfficiencyClass.C, c.tax_c, c.revenue_c),
    ]


def _class_case(cutoffs: dict[int, EfficiencyCutoffs], tax: str, revenue: str, land: str) -> Any:
    whens = [When(**{f"{land}__isnull": True}, then=Value(""))]
    for zone_id, c in cutoffs.items():
        for name, tax_from, revenue_from in _bands(c):
            reach = {f"{tax}__gte": tax_from, f"{revenue}__gte": revenue_from}
            whens.append(When(Q(zone_id=zone_id, **reach), then=Value(str(name))))
        whens.append(When(zone_id=zone_id, then=Value(str(EfficiencyClass.D))))
    return Case(*whens, default=Value(""), output_field=CharField())


def evaluation(
    zone_ids: Iterable[int], year: int, *, build: bool = True, enterprise_id: int | None = None
) -> QuerySet[Enterprise]:
    """The zones' enterprises with land at the year's end, each annotated with: land_area
    (m²), land_mu, land_source, tax and revenue (yuan, the year's), tax_per_mu and
    revenue_per_mu, efficiency_class ("" where the zone set no cut-offs for the year), and
    last year's land_previous, tax_previous, revenue_previous, tax_per_mu_previous,
    revenue_per_mu_previous, previous_class. (The change between the two: `change_of` for a
    row, `change_is` to filter on it.) `enterprise_id`: that enterprise alone (its one
    standing read, not the zone's)."""
    zone_ids = sorted(set(zone_ids))
    one = {} if enterprise_id is None else {"enterprise_id": enterprise_id}
    end = year_end(year)
    if build:
        standings_for(zone_ids, Period.of(year + 1, 1))
    zero = Value(Decimal(0), output_field=MONEY)
    rows = (
        registered(MetricScope.of(zone_ids, end))
        .filter(with_standing(zone_ids, Period.of(year + 1, 1), land_y1__gt=0, **one))
        .annotate(
            sums=FilteredRelation(
                "standings",
                condition=Q(standings__year=year + 1, standings__month=1),
            ),
        )
        .filter(sums__land_y1__gt=0)
        .annotate(
            land_area=ExpressionWrapper(F("sums__land_y1"), output_field=AREA),
            land_source=Case(
                When(sums__land_recorded_y1=True, then=Value(RECORDS)),
                default=Value(PROJECTS),
                output_field=CharField(),
            ),
            land_previous=F("sums__land_y2"),
        )
        .annotate(
            land_mu=Round(
                ExpressionWrapper(F("land_area") / Value(MU_DECIMAL), output_field=AREA),
                2,
                output_field=AREA,
            ),
            tax=Coalesce(F("sums__tax_y1"), zero, output_field=MONEY),
            revenue=Coalesce(F("sums__revenue_y1"), zero, output_field=MONEY),
            tax_previous=Coalesce(F("sums__tax_y2"), zero, output_field=MONEY),
            revenue_previous=Coalesce(F("sums__revenue_y2"), zero, output_field=MONEY),
        )
        .annotate(
            tax_per_mu=_per_mu("tax", "land_area"),
            revenue_per_mu=_per_mu("revenue", "land_area"),
            tax_per_mu_previous=_per_mu("tax_previous", "land_previous"),
            revenue_per_mu_previous=_per_mu("revenue_previous", "land_previous"),
        )
        .annotate(
            efficiency_class=_class_case(
                cutoffs_of(zone_ids, year), "tax_per_mu", "revenue_per_mu", "land_area"
            ),
            previous_class=_class_case(
                cutoffs_of(zone_ids, year - 1),
                "tax_per_mu_previous",
                "revenue_per_mu_previous",
                "land_previous",
            ),
        )
    )
    return rows


def change_of(current: str, previous: str, land_previous: Any) -> str:
    """The change from last year's class: up / down / same, new (no land last year), or ""
    (not classified this year, or last year without cut-offs)."""
    if not current:
        return NONE
    if land_previous is None:
        return NEW
    if not previous:
        return NONE
    if current == previous:
        return SAME
    return UP if current < previous else DOWN  # A is the best class


def change_is(change: str) -> Q:
    """The rows of an evaluation whose change from last year is `change` (as change_of)."""
    classified = ~Q(efficiency_class="")
    if change == NEW:
        return classified & Q(land_previous__isnull=True)
    known = classified & Q(land_previous__isnull=False) & ~Q(previous_class="")
    if change == UP:
        return known & Q(efficiency_class__lt=F("previous_class"))
    if change == DOWN:
        return known & Q(efficiency_class__gt=F("previous_class"))
    if change == SAME:
        return known & Q(efficiency_class=F("previous_class"))
    return ~(classified & Q(land_previous__isnull=True)) & ~known


def records(zone_ids: Iterable[int], day: dt.date) -> QuerySet[Enterprise]:
    """The radar's records as of a day: the evaluation of the year evaluated then."""
    zone_ids = list(zone_ids)
    year = evaluated_year(zone_ids, day)
    if year is None:
        # Empty, with the annotations the metrics' conditions and the list's sorts name.
        return evaluation(zone_ids, day.year - 1, build=False).none()
    return evaluation(zone_ids, year)


def distribution(rows: QuerySet[Enterprise]) -> dict[str, dict[str, int]]:
    """{"current": {"A": n, … "": unclassified}, "previous": {…}} over the rows: two grouped
    queries (a class is computed once per row in a GROUP BY, where a filtered count per class
    computed it once per class)."""
    result: dict[str, dict[str, int]] = {}
    for key, field in (("current", "efficiency_class"), ("previous", "previous_class")):
        counts = {name: 0 for name in [*CLASSES, ""]}
        for name, n in rows.order_by().values_list(field).annotate(n=Count("pk")):
            counts[name] = n
        result[key] = counts
    return result


def wan(yuan: Decimal | None) -> str:
    """Yuan as 万元 to one decimal place, without the unit ("18.2")."""
    return formatting.number((yuan or Decimal(0)) / formatting.WAN, places=1)


def line(enterprise: Enterprise, day: dt.date) -> str | None:
    """The enterprise page's line, None without land in the year evaluated (computed once
    for the page's panels: the land panel and the radars' panel both show it)."""
    return panel_once(
        ("cultivation.efficiency_line", enterprise.pk, day), lambda: _line(enterprise, day)
    )


def _line(enterprise: Enterprise, day: dt.date) -> str | None:
    year = evaluated_year([enterprise.zone_id], day)
    if year is None:
        return None
    row = (
        evaluation([enterprise.zone_id], year, enterprise_id=enterprise.pk)
        .filter(pk=enterprise.pk)
        .first()
    )
    if row is None:
        return None
    return describe(row, year)


def describe(row: Any, year: int) -> str:
    """e.g. "2025年亩均效益 B类（亩均税收 18.2 万元，亩均营业收入 310 万元；上年 C类）"."""
    figures = _("tax %(tax)s 万元 per 亩, revenue %(revenue)s 万元 per 亩") % {
        "tax": wan(row.tax_per_mu),
        "revenue": wan(row.revenue_per_mu),
    }
    if not row.efficiency_class:
        return _("%(year)s 亩均效益: not classified (%(figures)s; the zone set no cut-offs)") % {
            "year": year,
            "figures": figures,
        }
    previous = (
        _("last year %(class)s") % {"class": row.previous_class}
        if row.previous_class
        else _("not classified last year")
    )
    return _("%(year)s 亩均效益 class %(class)s (%(figures)s; %(previous)s)") % {
        "year": year,
        "class": row.efficiency_class,
        "figures": figures,
        "previous": previous,
    }


def _land_changed(sender: Any, instance: Project | LandRecord, **kwargs: Any) -> None:
    """An enterprise's land (its land records, else its projects' land) is in its standings:
    they follow any change of either, from the services or the admin."""
    if isinstance(instance, LandRecord):
        zone_id = Enterprise.objects.filter(pk=instance.enterprise_id).values("zone_id")[:1]
        standings_refresh(zone_id.get()["zone_id"], [instance.enterprise_id])
    elif instance.enterprise_id is not None:
        standings_refresh(instance.zone_id, [instance.enterprise_id])


def register() -> None:
    """Register this part's radar and the land panel of the enterprise page (called from
    CultivationConfig.ready)."""
    from gaoxin.cultivation.efficiency_views import land_panel
    from gaoxin.enterprises.selectors import register_enterprise_panel

    for model in (Project, LandRecord):
        for signal in (post_save, post_delete):
            signal.connect(_land_changed, sender=model, dispatch_uid=f"land_{model.__name__}")
    radars.register(
        radars.Radar(
            key=KEY,
            label=_lazy("亩均效益"),
            description=_lazy(
                "Every enterprise with land: its tax and revenue per 亩 in the last complete "
                "year, the class (A–D) the zone's cut-offs give it, and the change from last "
                "year's class."
            ),
            url_name="cultivation:efficiency_list",
            records=records,
            line=line,
            order=50,
        )
    )
    register_enterprise_panel(land_panel)
