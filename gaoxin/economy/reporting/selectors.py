"""Who is expected to self-report a month (企业填报), and where each stands: 已报, 逾期已报
(submitted after the deadline), 未报 (not yet, the deadline still ahead) or 逾期未报.

The rule: an enterprise is expected to report a month when it was in the zone on at least one
day of it (settled by the month's end, and not away the whole month by a dated exit) and was
not 规上 on the month's last day (a 规上 enterprise reports to the statistics bureau). A report
is on time when submitted by the end of the zone's deadline day of the next month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.core.access import WRITERS, AccessRule, get_for_user, scope
from gaoxin.core.queries import text_match
from gaoxin.core.roles import ALL_ROLES, Role
from gaoxin.economy.models import FigureValue, SelfReport, Source, ZoneEconomySettings
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import Enterprise, EnterpriseExit, ScaleSpell

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ReportAnnotations(TypedDict):
    submitted_at: dt.datetime | None
    report_status: str
    report_status_label: str


# An enterprise's own report: its users read and fill it, staff of the zone read it, officers
# and administrators fill it in for the enterprise.
SELF_REPORT = AccessRule(
    zone_field="zone_id",
    read_roles=ALL_ROLES,
    write_roles=WRITERS | {Role.ENTERPRISE},
    enterprise_field="pk",
)
# The zone's reporting status: the staff who chase the reports and the leaders.
STATUS_READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})

DEFAULT_DEADLINE_DAY: int = ZoneEconomySettings._meta.get_field("report_deadline_day").get_default()


class ReportStatus(models.TextChoices):
    REPORTED = "reported", _("Reported (已报)")
    LATE = "late", _("Reported late (逾期已报)")
    PENDING = "pending", _("Not yet reported (未报)")
    OVERDUE = "overdue", _("Overdue (逾期未报)")


SUBMITTED = (ReportStatus.REPORTED, ReportStatus.LATE)


def enterprise_for_report(user: User, pk: Any, *, write: bool = False) -> Enterprise:
    """The enterprise whose monthly report the user opens: 404 outside their reach (another
    enterprise, for an enterprise user), 403 when they may read but not fill it."""
    return get_for_user(
        user,
        Enterprise.objects.select_related("zone", "national_industry"),
        pk,
        SELF_REPORT,
        write=write,
    )


def can_fill(user: User, enterprise: Enterprise) -> bool:
    return (
        scope(user, Enterprise.objects.all(), SELF_REPORT, write=True, whole_reach=True)
        .filter(pk=enterprise.pk)
        .exists()
    )


def month_days(period: Period) -> tuple[dt.date, dt.date]:
    """The first and the last day of a single month."""
    last = calendar.monthrange(period.year, period.month)[1]
    return dt.date(period.year, period.month, 1), dt.date(period.year, period.month, last)


def deadline_of(period: Period, day: int) -> dt.date:
    """The day a month's report is due: `day` of the next month."""
    following = period.next_month()
    return dt.date(following.year, following.month, day)


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cutoff_of(period: Period, day: int) -> dt.datetime:
    """The first instant a report of the month is late: the start of the day after the
    deadline, in the zone's time."""
    return _start_of(deadline_of(period, day) + dt.timedelta(days=1))


def deadline_days(zone_ids: list[int] | tuple[int, ...]) -> dict[int, int]:
    """Each zone's deadline day (the default for a zone that never set one); a read that
    creates nothing."""
    days = dict(
        ZoneEconomySettings.objects.filter(zone_id__in=zone_ids).values_list(
            "zone_id", "report_deadline_day"
        )
    )
    return {zone_id: days.get(zone_id, DEFAULT_DEADLINE_DAY) for zone_id in zone_ids}


def expected_q(period: Period) -> Q:
    """The enterprises expected to self-report `period` (the module's rule), as a condition
    on Enterprise."""
    first, last = month_days(period)
    settled = Q(settled_on__lte=last) | Q(
        settled_on__isnull=True, created_at__lt=_start_of(last + dt.timedelta(days=1))
    )
    away_all_month = EnterpriseExit.objects.filter(
        Q(returned_on__isnull=True) | Q(returned_on__gt=last),
        enterprise=OuterRef("pk"),
        left_on__lte=first,
    )
    above_scale = ScaleSpell.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=last),
        enterprise=OuterRef("pk"),
        entered_on__lte=last,
    )
    return settled & ~Exists(away_all_month) & ~Exists(above_scale)


def expected_enterprises(
    zone_ids: list[int] | tuple[int, ...], period: Period
) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(expected_q(period), zone_id__in=zone_ids)


def report_statuses(
    zone_ids: list[int] | tuple[int, ...],
    period: Period,
    *,
    now: dt.datetime | None = None,
) -> QuerySet[WithAnnotations[Enterprise, ReportAnnotations]]:
    """The enterprises expected to report `period`, each annotated with `submitted_at` (the
    report's first submission, if made by `now`), `report_status` (a ReportStatus) and
    `report_status_label`, as things stood at `now` (default: now)."""
    now = now or timezone.now()
    cutoffs = {z: cutoff_of(period, day) for z, day in deadline_days(list(zone_ids)).items()}
    # The report, joined once (at most one a month): its submission is a column that the
    # status below reads as often as it likes. A subquery here was repeated by every When
    # reading it, two a zone: 60 subqueries per enterprise for a province's 30 zones.
    report = FilteredRelation(
        "self_reports",
        condition=Q(
            self_reports__year=period.year,
            self_reports__month=period.month,
            self_reports__submitted_at__lte=now,
        ),
    )
    # The zones grouped by cutoff (one group unless zones set different deadline days), so
    # that the status has a few conditions whatever the number of zones.
    by_cutoff: dict[dt.datetime, list[int]] = {}
    for zone_id, cutoff in cutoffs.items():
        by_cutoff.setdefault(cutoff, []).append(zone_id)
    overdue = [zone_id for zone_id, cutoff in cutoffs.items() if now >= cutoff]
    whens = [
        When(submitted_at__isnull=True, zone_id__in=overdue, then=Value(ReportStatus.OVERDUE)),
        When(submitted_at__isnull=True, then=Value(ReportStatus.PENDING)),
    ] + [
        When(zone_id__in=zones, submitted_at__gte=cutoff, then=Value(ReportStatus.LATE))
        for cutoff, zones in by_cutoff.items()
    ]
    status = Case(*whens, default=Value(ReportStatus.REPORTED), output_field=models.CharField())
    label = Case(
        *(When(report_status=s.value, then=Value(str(s.label))) for s in ReportStatus),
        output_field=models.CharField(),
    )
    return cast(
        "QuerySet[WithAnnotations[Enterprise, ReportAnnotations]]",
        expected_enterprises(zone_ids, period)
        .annotate(month_report=report)
        .annotate(submitted_at=F("month_report__submitted_at"))
        .annotate(report_status=status)
        .annotate(report_status_label=label),
    )


REPORT_SORTS: dict[str, Any] = {
    "name": "name",
    "-name": "-name",
    "status": "report_status",
    "-status": "-report_status",
    "submitted": F("submitted_at").asc(nulls_last=True),
    "-submitted": F("submitted_at").desc(nulls_last=True),
    "officer": F("liaison_officer__username").asc(nulls_last=True),
    "-officer": F("liaison_officer__username").desc(nulls_last=True),
}


def report_search(
    zone_ids: list[int],
    period: Period,
    *,
    industry: Any = None,
    officer: Any = None,
    status: str = "",
    q: str = "",
    sort: str = "",
) -> QuerySet[WithAnnotations[Enterprise, ReportAnnotations]]:
    """The status list of `/economy/reports/`, filtered and sorted."""
    queryset = report_statuses(zone_ids, period)
    if industry is not None:
        queryset = queryset.filter(industries=industry)
    if officer is not None:
        queryset = queryset.filter(liaison_officer=officer)
    if status == "submitted":
        queryset = queryset.filter(report_status__in=SUBMITTED)
    elif status == "missing":
        queryset = queryset.filter(report_status__in=(ReportStatus.PENDING, ReportStatus.OVERDUE))
    elif status:
        queryset = queryset.filter(report_status=status)
    if q:
        queryset = queryset.filter(text_match("name", q) | Q(uscc__icontains=q))
    return queryset.order_by(REPORT_SORTS.get(sort, "name"), "pk")


@dataclass(frozen=True)
class ReportingSummary:
    """The counts of a month's self-reporting: `reported` includes the `late` ones; `missing`
    are those not reported, of which `overdue` are past the deadline."""

    period: Period
    expected: int
    reported: int
    late: int
    missing: int
    overdue: int

    @property
    def on_time(self) -> int:
        return self.reported - self.late


def reporting_summary(
    zone_ids: list[int] | tuple[int, ...], period: Period, *, now: dt.datetime | None = None
) -> ReportingSummary:
    """One query: the month's expected enterprises counted by status."""
    counts = dict(
        report_statuses(zone_ids, period, now=now)
        .order_by()
        .values("report_status")
        .annotate(n=models.Count("pk"))
        .values_list("report_status", "n")
    )
    by = {s: counts.get(s.value, 0) for s in ReportStatus}
    return ReportingSummary(
        period=period,
        expected=sum(by.values()),
        reported=by[ReportStatus.REPORTED] + by[ReportStatus.LATE],
        late=by[ReportStatus.LATE],
        missing=by[ReportStatus.PENDING] + by[ReportStatus.OVERDUE],
        overdue=by[ReportStatus.OVERDUE],
    )


def month_being_reported(today: dt.date | None = None) -> Period:
    """The month whose reports are due now: the one before today's."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return Period.of(first.year, first.month)


def recent_months(count: int, today: dt.date | None = None) -> list[Period]:
    """The last `count` ended months, newest first."""
    months = [month_being_reported(today)]
    while len(months) < count:
        previous = months[-1]
        day = dt.date(previous.year, previous.month, 1) - dt.timedelta(days=1)
        months.append(Period.of(day.year, day.month))
    return months


@dataclass(frozen=True)
class OwnMonth:
    period: Period
    expected: bool
    deadline: dt.date
    status: ReportStatus | None  # None when the enterprise is not expected to report
    report: SelfReport | None


def own_months(enterprise: Enterprise, count: int = 12) -> list[OwnMonth]:
    """The enterprise's recent months with where each report stands (two queries)."""
    months = recent_months(count)
    flags = (
        Enterprise.objects.filter(pk=enterprise.pk)
        .annotate(
            **{
                f"m{i}": models.ExpressionWrapper(expected_q(p), output_field=models.BooleanField())
                for i, p in enumerate(months)
            }
        )
        .values(*(f"m{i}" for i in range(len(months))))
        .get()
    )
    reports = {
        (r.year, r.month): r
        for r in SelfReport.objects.filter(
            enterprise=enterprise, year__gte=months[-1].year
        ).select_related("submitted_by")
    }
    day = deadline_days([enterprise.zone_id])[enterprise.zone_id]
    now = timezone.now()
    rows = []
    for i, period in enumerate(months):
        report = reports.get((period.year, period.month))
        expected = bool(flags[f"m{i}"])
        status: ReportStatus | None
        if report is not None:
            late = report.submitted_at >= cutoff_of(period, day)
            status = ReportStatus.LATE if late else ReportStatus.REPORTED
        elif not expected:
            status = None
        else:
            status = ReportStatus.OVERDUE if now >= cutoff_of(period, day) else ReportStatus.PENDING
        rows.append(OwnMonth(period, expected, deadline_of(period, day), status, report))
    return rows


def self_reported_values(enterprise: Enterprise, period: Period) -> dict[int, Decimal]:
    """The enterprise's own current figures of a month, by indicator id (what its form shows
    again when the month is reopened)."""
    rows = FigureValue.objects.filter(
        enterprise=enterprise,
        year=period.year,
        month=period.month,
        first_month=period.first_month,
        source=Source.SELF,
        known_until__isnull=True,
    ).values_list("indicator_id", "amount")
    return dict(rows)
