"""高企 and 专精特新 candidates (the "high_tech" and "specialised" radars): the enterprises that
meet every criterion the records can check, by the rule in force on the day (a
`DesignationCriteria` row), and either do not hold the designation ("new") or hold one that
expires within RENEWAL_DAYS (re-application, "renewal").

What is checked, on the enterprise's `Standing` at the radar's month (y1 = the calendar year
before it, 上年度): years in business (from `founded_on`; an enterprise whose founding date is
not on record cannot be shown to meet it and is left out — the list page says so), last year's
revenue within the rule's floor and ceiling, last year's R&D expense from its floor, R&D
expense over revenue summed over `rnd_years` years at least the percent of the band that last
year's revenue falls in (the first band whose "below" exceeds it), and the designation the rule
requires held on the day. What the records cannot tell is the rule's `not_checked`: a candidate
"meets what we can check", no more.

One query gives the candidates, each annotated with reason, rnd_share (per cent),
required_percent, revenue_y1…y3, rnd_y1…y3 and expires_on_held (renewals).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gaoxin.core.bounds import MoneyField
from gaoxin.core.metrics import MetricScope
from gaoxin.core.periods import in_force_on
from gaoxin.cultivation import radars
from gaoxin.cultivation.models import DesignationCriteria
from gaoxin.cultivation.standings import radar_period, standings_for, with_standing
from gaoxin.enterprises.metrics import registered
from gaoxin.enterprises.models import Designation, DesignationKind, Enterprise
from gaoxin.enterprises.selectors import panel_once

HIGH_TECH, SPECIALISED = "high_tech", "specialised"
# The radar's key → the designation it looks for.
# The designations of a higher tier than a radar's, whose holders are not its candidates.
HIGHER: dict[str, tuple[str, ...]] = {
    DesignationKind.SPECIALISED_SME: (DesignationKind.LITTLE_GIANT,),
}
RADAR_KINDS: dict[str, str] = {
    HIGH_TECH: DesignationKind.HIGH_TECH,
    SPECIALISED: DesignationKind.SPECIALISED_SME,
}
NEW, RENEWAL = "new", "renewal"
REASONS = ((NEW, _lazy("New application")), (RENEWAL, _lazy("Re-application (expiring)")))
# A designation expiring within this many days of the day (the day itself counted as 0) makes
# its holder a candidate again.
RENEWAL_DAYS = 365

# Money fields say they are money, so a record table writes them in 万元/亿元.
MONEY = MoneyField(max_digits=30, decimal_places=6)
PERCENT = DecimalField(max_digits=7, decimal_places=3)
REASON_FIELD = CharField(max_length=10)


def criteria_in_force(kind: str, day: dt.date) -> DesignationCriteria | None:
    """The rule of the designation in force on the day: the latest row that took effect by it
    (read once for an enterprise page's panels)."""
    return panel_once(
        ("cultivation.designation_criteria", kind, day),
        lambda: (
            DesignationCriteria.objects.filter(kind=kind, effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        ),
    )


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day `years` years earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def band_case(rule: DesignationCriteria, field: str = "revenue_y1") -> Case | None:
    """The percent of R&D over revenue the rule asks of a revenue (`field`): the first band
    whose "below" exceeds it (or equals it, for a band marked "inclusive": the 2016 高企 rule
    says "5,000万元（含）"); None when the rule has no bands."""
    if not rule.rnd_bands:
        return None
    whens = []
    default: Any = Value(None, output_field=PERCENT)
    for band in rule.rnd_bands:
        percent = Value(Decimal(str(band["percent"])), output_field=PERCENT)
        if band.get("below") is None:
            default = percent
            break
        lookup = "lte" if band.get("inclusive") else "lt"
        whens.append(When(**{f"{field}__{lookup}": Decimal(str(band["below"]))}, then=percent))
    return Case(*whens, default=default, output_field=PERCENT)


def band_percent(rule: DesignationCriteria, revenue: Decimal) -> Decimal | None:
    """band_case in Python, for one revenue."""
    for band in rule.rnd_bands:
        below = band.get("below")
        if below is None:
            return Decimal(str(band["percent"]))
        if revenue < Decimal(str(below)) or (
            band.get("inclusive") and revenue == Decimal(str(below))
        ):
            return Decimal(str(band["percent"]))
    return None


def _sum(prefix: str, years: int) -> Any:
    total: Any = F(f"{prefix}1")
    for year in range(2, years + 1):
        total = total + F(f"{prefix}{year}")
    return ExpressionWrapper(total, output_field=MONEY)


def _none() -> QuerySet[Enterprise]:
    """No candidates, with the annotations the lists sort and export by."""
    money: dict[str, Any] = {
        name: Value(None, output_field=MONEY)
        for name in ("revenue_y1", "revenue_y2", "revenue_y3", "rnd_y1", "rnd_y2", "rnd_y3")
    }
    return Enterprise.objects.none().annotate(
        **money,
        required_percent=Value(None, output_field=PERCENT),
        rnd_share=Value(None, output_field=FloatField()),
        expires_on_held=Value(None, output_field=DateField()),
        reason=Value(NEW, output_field=REASON_FIELD),
    )


def candidates(
    radar_key: str, zone_ids: Iterable[int], day: dt.date, *, enterprise_id: int | None = None
) -> QuerySet[Enterprise]:
    """The radar's candidates in the zones as of the day (see the module's docstring).
    `enterprise_id`: that enterprise alone (its one standing read, not the zone's)."""
    kind = RADAR_KINDS[radar_key]
    zone_ids = sorted(set(zone_ids))
    rule = criteria_in_force(kind, day)
    period = radar_period(zone_ids, day) if rule is not None else None
    if rule is None or period is None:
        return _none()
    standings_for(zone_ids, period)  # built now if they are not yet
    years = max(1, min(rule.rnd_years, 3))
    queryset = (
        registered(MetricScope.of(zone_ids, day))
        .filter(
            with_standing(
                zone_ids,
                period,
                **({} if enterprise_id is None else {"enterprise_id": enterprise_id}),
            )
        )
        .filter(standings__year=period.year, standings__month=period.month)
        .annotate(
            # Typed as money, so a record table writes them in 万元/亿元.
            revenue_y1=ExpressionWrapper(F("standings__revenue_y1"), output_field=MONEY),
            revenue_y2=ExpressionWrapper(F("standings__revenue_y2"), output_field=MONEY),
            revenue_y3=ExpressionWrapper(F("standings__revenue_y3"), output_field=MONEY),
            rnd_y1=ExpressionWrapper(F("standings__rnd_y1"), output_field=MONEY),
            rnd_y2=ExpressionWrapper(F("standings__rnd_y2"), output_field=MONEY),
            rnd_y3=ExpressionWrapper(F("standings__rnd_y3"), output_field=MONEY),
        )
        .annotate(
            revenue_sum=_sum("revenue_y", years),
            rnd_sum=_sum("rnd_y", years),
        )
    )
    if rule.min_years:
        queryset = queryset.filter(founded_on__lte=years_before(day, rule.min_years))
    if rule.min_revenue is not None:
        queryset = queryset.filter(revenue_y1__gte=rule.min_revenue)
    if rule.max_revenue is not None:
        queryset = queryset.filter(revenue_y1__lt=rule.max_revenue)
    if rule.min_rnd is not None:
        queryset = queryset.filter(rnd_y1__gte=rule.min_rnd)
    required = band_case(rule)
    if required is not None:
        queryset = queryset.annotate(
            required_percent=required,
            rnd_hundred=ExpressionWrapper(F("rnd_sum") * Value(100), output_field=MONEY),
            rnd_needed=ExpressionWrapper(
                F("required_percent") * F("revenue_sum"), output_field=MONEY
            ),
        ).filter(revenue_sum__gt=0, rnd_hundred__gte=F("rnd_needed"))
    else:
        queryset = queryset.annotate(required_percent=Value(None, output_field=PERCENT))
    if rule.requires:
        holders = Designation.objects.filter(in_force_on(day), kind=rule.requires)
        queryset = queryset.filter(pk__in=holders.values("enterprise_id"))
    # Holders of the designation for more than RENEWAL_DAYS yet (or without an expiry) are not
    # candidates; the others holding it are, for re-application.
    lasting = Designation.objects.filter(in_force_on(day), kind=kind).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=day + dt.timedelta(days=RENEWAL_DAYS))
    )
    # A holder of a higher tier in force (a national 小巨人 for the provincial 专精特新) does
    # not apply for the lower one.
    higher = Designation.objects.filter(in_force_on(day), kind__in=HIGHER.get(kind, ()))
    held = Designation.objects.filter(in_force_on(day), kind=kind, enterprise_id=OuterRef("pk"))
    return (
        queryset.exclude(pk__in=lasting.values("enterprise_id"))
        .exclude(pk__in=higher.values("enterprise_id"))
        .annotate(
            expires_on_held=Subquery(held.order_by("-expires_on").values("expires_on")[:1]),
            reason=Case(
                When(expires_on_held__isnull=False, then=Value(RENEWAL)),
                default=Value(NEW),
                output_field=REASON_FIELD,
            ),
            rnd_share=ExpressionWrapper(
                Cast("rnd_sum", FloatField())
                * Value(100.0)
                / NullIf(Cast("revenue_sum", FloatField()), Value(0.0)),
                output_field=FloatField(),
            ),
        )
        .order_by(F("rnd_share").desc(nulls_last=True), "name", "pk")
    )


def kind_name(radar_key: str) -> str:
    return _("high-tech enterprise") if radar_key == HIGH_TECH else _("specialised SME")


def describe(radar_key: str, row: Any, rule: DesignationCriteria | None) -> str:
    """What puts a candidate on the radar, in a sentence (the enterprise page's line)."""
    name = kind_name(radar_key)
    if row.reason == RENEWAL:
        return _("Its %(kind)s designation expires on %(date)s: it may apply again") % {
            "kind": name,
            "date": row.expires_on_held.isoformat(),
        }
    if row.required_percent is None or row.rnd_share is None:
        return _("Meets the checkable criteria of a %(kind)s") % {"kind": name}
    values = {
        "kind": name,
        "share": f"{row.rnd_share:.1f}",
        "required": f"{Decimal(row.required_percent).normalize():f}",
        "years": rule.rnd_years if rule is not None else 1,
    }
    if rule is not None and rule.rnd_years > 1:
        return (
            _(
                "Meets the checkable criteria of a %(kind)s: R&D expense over the last "
                "%(years)s years %(share)s%% of revenue (required ≥ %(required)s%%)"
            )
            % values
        )
    return (
        _(
            "Meets the checkable criteria of a %(kind)s: last year's R&D expense %(share)s%% "
            "of revenue (required ≥ %(required)s%%)"
        )
        % values
    )


def line(radar_key: str, enterprise: Enterprise, day: dt.date) -> str | None:
    """The enterprise page's line for the radar, or None when it is not a candidate."""
    row = (
        candidates(radar_key, [enterprise.zone_id], day, enterprise_id=enterprise.pk)
        .filter(pk=enterprise.pk)
        .first()
    )
    if row is None:
        return None
    return describe(radar_key, row, criteria_in_force(RADAR_KINDS[radar_key], day))


def _records(radar_key: str) -> Any:
    def records(zone_ids: Iterable[int], day: dt.date) -> QuerySet[Enterprise]:
        return candidates(radar_key, zone_ids, day)

    return records


def _line(radar_key: str) -> Any:
    def enterprise_line(enterprise: Enterprise, day: dt.date) -> str | None:
        return line(radar_key, enterprise, day)

    return enterprise_line


def register() -> None:
    """Register this part's radars and hooks (called from CultivationConfig.ready)."""
    radars.register(
        radars.Radar(
            key=HIGH_TECH,
            label=_lazy("高企 candidates"),
            description=_lazy(
                "Enterprises meeting the checkable criteria of a high-tech enterprise (R&D "
                "share by revenue band, years in business) that do not hold the designation, "
                "or whose designation expires within a year."
            ),
            url_name="cultivation:high_tech_list",
            records=_records(HIGH_TECH),
            line=_line(HIGH_TECH),
            order=30,
        )
    )
    radars.register(
        radars.Radar(
            key=SPECIALISED,
            label=_lazy("专精特新 candidates"),
            description=_lazy(
                "Innovative SMEs meeting the checkable criteria of a specialised SME (revenue, "
                "R&D expense and share, years in business) that do not hold the designation, "
                "or whose designation expires within a year."
            ),
            url_name="cultivation:specialised_list",
            records=_records(SPECIALISED),
            line=_line(SPECIALISED),
            order=40,
        )
    )


# --- the list pages -----------------------------------------------------------------------


def candidate_search(
    user: Any,
    radar_key: str,
    *,
    zone_ids: Iterable[int],
    day: dt.date,
    q: str = "",
    reason: str = "",
    industry: int | None = None,
    liaison_officer: int | None = None,
    followed: bool | None = None,
    sort: str = "share",
) -> QuerySet[Enterprise]:
    """The radar's candidates in the zones, narrowed by the list's filters."""
    from gaoxin.cultivation.designation_forms import SORTS
    from gaoxin.cultivation.models import Followup
    from gaoxin.enterprises.selectors import enterprise_search

    queryset = candidates(radar_key, zone_ids, day)
    if q.strip():
        queryset = queryset.filter(pk__in=enterprise_search(user, q=q).values("pk"))
    if reason:
        queryset = queryset.filter(Q(reason=reason))
    if industry:
        queryset = queryset.filter(industries=industry)
    if liaison_officer:
        queryset = queryset.filter(liaison_officer=liaison_officer)
    open_followups = Followup.objects.filter(radar=radar_key, closed_on__isnull=True)
    if followed is not None:
        in_followup = Q(pk__in=open_followups.values("enterprise_id"))
        queryset = queryset.filter(in_followup if followed else ~in_followup)
    order = SORTS.get(sort, SORTS["share"])
    field = order.lstrip("-")
    expression = (
        F(field).desc(nulls_last=True) if order.startswith("-") else F(field).asc(nulls_last=True)
    )
    return queryset.order_by(expression, "name", "pk")


def with_followups(queryset: QuerySet[Enterprise], radar_key: str) -> QuerySet[Enterprise]:
    """Who follows each candidate on the radar and since when (for the export; a page reads
    followups.open_followups for its rows instead)."""
    from gaoxin.cultivation.models import Followup

    mine = Followup.objects.filter(
        radar=radar_key, closed_on__isnull=True, enterprise_id=OuterRef("pk")
    )
    return queryset.annotate(
        followup_officer=Subquery(mine.values("officer__name")[:1]),
        followup_officer_username=Subquery(mine.values("officer__username")[:1]),
        followup_since=Subquery(mine.values("started_on")[:1]),
    )


def prerequisite_until(
    queryset: QuerySet[Enterprise], kind: str, day: dt.date
) -> QuerySet[Enterprise]:
    """The expiry of the prerequisite designation each candidate holds (for the export)."""
    held = Designation.objects.filter(in_force_on(day), kind=kind, enterprise_id=OuterRef("pk"))
    return queryset.annotate(
        prerequisite_until=Subquery(held.order_by("-expires_on").values("expires_on")[:1])
    )
