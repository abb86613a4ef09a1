"""企业填报: an enterprise's monthly figures, given by its own users (or its officer for it).

A figure far from the enterprise's own history asks for confirmation first
(`NeedsConfirmation`, naming each such figure): ten times the same month last year, or a
tenth of it. Confirmed, it is saved like any other. Figures are recorded through
`figures_record` with the source 企业填报, so a resubmission is a revision and the zone's
precedence decides whether the figures use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.core.errors import DomainError
from gaoxin.economy.models import FigureValue, Indicator, SelfReport, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, RecordResult, figures_record
from gaoxin.enterprises.models import Enterprise
from gaoxin.industries.national import INDUSTRIAL_SECTIONS

OUTLIER_FACTOR = Decimal(10)


@dataclass(frozen=True)
class Outlier:
    indicator: Indicator
    amount: Decimal
    reference: Decimal  # the same month last year (or the latest month before, if none)
    reference_period: Period

    @property
    def message(self) -> str:
        return _(
            "%(indicator)s %(amount)s is far from %(reference)s in %(period)s; confirm it is right."
        ) % {
            "indicator": self.indicator.name,
            "amount": f"{self.amount:,.2f}",
            "reference": f"{self.reference:,.2f}",
            "period": self.reference_period.label,
        }


class NeedsConfirmation(DomainError):
    """Some figures are far from the enterprise's own history: nothing is saved until the
    reporter confirms them."""

    def __init__(self, outliers: list[Outlier]) -> None:
        super().__init__(" ".join(o.message for o in outliers))
        self.outliers = outliers


def is_industrial(enterprise: Enterprise) -> bool:
    """An enterprise of GB/T 4754 sections B, C or D (an unclassified one is not asked)."""
    national = enterprise.national_industry
    return national is not None and national.section_code in INDUSTRIAL_SECTIONS


def indicators_for(enterprise: Enterprise) -> list[Indicator]:
    """The indicators the enterprise's monthly report asks for."""
    industrial = is_industrial(enterprise)
    return [
        i
        for i in Indicator.objects.filter(is_active=True, self_reported=True)
        if industrial or not i.industrial_only
    ]


def reportable(period: Period, today: dt.date | None = None) -> bool:
    """A month can be reported once it has ended."""
    today = today or timezone.localdate()
    return not period.is_combined and (period.year, period.month) < (today.year, today.month)


def _references(
    enterprise: Enterprise, period: Period, indicators: list[Indicator]
) -> dict[int, tuple[Period, Decimal]]:
    """Per indicator, what the enterprise's figure is compared with: the same month last year,
    else the latest single month before this one (figures in effect)."""
    rows = FigureValue.objects.filter(
        enterprise=enterprise,
        indicator__in=indicators,
        in_effect=True,
        year__in=(period.year - 1, period.year),
    ).only("indicator_id", "year", "month", "first_month", "amount")
    found: dict[int, tuple[Period, Decimal]] = {}
    latest: dict[int, tuple[Period, Decimal]] = {}
    last_year = period.same_last_year()
    for row in rows:
        if row.period == last_year:
            found[row.indicator_id] = (row.period, row.amount)
        elif not row.period.is_combined and (row.year, row.month) < (period.year, period.month):
            best = latest.get(row.indicator_id)
            if best is None or (row.year, row.month) > (best[0].year, best[0].month):
                latest[row.indicator_id] = (row.period, row.amount)
    return {**latest, **found}


def outliers(
    enterprise: Enterprise, period: Period, values: Mapping[Indicator, Decimal]
) -> list[Outlier]:
    references = _references(enterprise, period, list(values))
    far: list[Outlier] = []
    for indicator, amount in values.items():
        reference = references.get(indicator.pk)
        if reference is None or reference[1] <= 0 or amount <= 0:
            continue
        ratio = amount / reference[1]
        if ratio >= OUTLIER_FACTOR or ratio <= 1 / OUTLIER_FACTOR:
            far.append(Outlier(indicator, amount, reference[1], reference[0]))
    return far


def self_report_submit(
    *,
    enterprise: Enterprise,
    period: Period,
    values: Mapping[Indicator, Decimal],
    by: User | None,
    confirmed: bool = False,
    at: dt.datetime | None = None,
    note: str = "",
) -> SelfReport:
    """Save an enterprise's figures for one ended month: all or none. The report keeps the
    moment it was first submitted (on time or late against the zone's deadline); a later
    resubmission revises the figures."""
    report, _recorded = self_report_record(
        enterprise=enterprise,
        period=period,
        values=values,
        by=by,
        confirmed=confirmed,
        at=at,
        note=note,
    )
    return report


@transaction.atomic
def self_report_record(
    *,
    enterprise: Enterprise,
    period: Period,
    values: Mapping[Indicator, Decimal],
    by: User | None,
    confirmed: bool = False,
    at: dt.datetime | None = None,
    note: str = "",
) -> tuple[SelfReport, RecordResult]:
    """`self_report_submit`, also telling what `figures_record` did with the values (the
    API answers with its counts)."""
    at = at or timezone.now()
    if not reportable(period, timezone.localtime(at).date()):
        raise DomainError(_("%(period)s has not ended yet.") % {"period": period.label})
    asked = {i.pk: i for i in indicators_for(enterprise)}
    if not values:
        raise DomainError(_("Fill in at least one figure."))
    for indicator, amount in values.items():
        if indicator.pk not in asked:
            raise DomainError(
                _("%(indicator)s is not asked of this enterprise.") % {"indicator": indicator}
            )
        if amount < 0 and not indicator.signed:
            raise DomainError(
                _("%(indicator)s cannot be negative.") % {"indicator": indicator.name},
                field=indicator.code,
            )
    if not confirmed:
        far = outliers(enterprise, period, values)
        if far:
            raise NeedsConfirmation(far)
    recorded = figures_record(
        zone=enterprise.zone,
        values=[
            FigureInput(enterprise.pk, indicator.pk, period, amount)
            for indicator, amount in values.items()
        ],
        source=Source.SELF,
        by=by,
        at=at,
    )
    report = SelfReport.objects.filter(
        enterprise=enterprise, year=period.year, month=period.month
    ).first()
    if report is None:
        report = SelfReport(
            enterprise=enterprise,
            year=period.year,
            month=period.month,
            submitted_at=at,
            submitted_by=by,
        )
    report.note = note
    report._history_user = by
    report.save()
    return report, recorded


@transaction.atomic
def report_deadline_set(*, zone_id: int, day: int, by: User | None) -> None:
    """The day of the next month by which the zone's enterprises report a month (1–28, so
    that every month has it). Reports already made keep the moment they were made; whether
    they count as late is read against the deadline in force when asked."""
    from gaoxin.economy.services import economy_settings

    if not 1 <= day <= 28:
        raise DomainError(_("Pick a day from 1 to 28."), field="report_deadline_day")
    settings = economy_settings(zone_id)
    if settings.report_deadline_day == day:
        return
    settings.report_deadline_day = day
    settings._history_user = by
    settings.save()
