"""The 亩均效益 records' writes and who may make them: a zone's cut-offs of a year, and the
land an officer records for an enterprise (added, and ended on a day). Each write is atomic,
version-checked where it edits a stored row, and kept in the record's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.access import WRITERS, AccessRule, get_for_user, scope
from gaoxin.core.concurrency import lock_at_version
from gaoxin.core.errors import DomainError
from gaoxin.cultivation.models import EfficiencyCutoffs, LandRecord
from gaoxin.enterprises.models import Enterprise

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone

CUTOFFS = AccessRule(zone_field="zone_id", write_roles=WRITERS)
LAND = AccessRule(zone_field="enterprise__zone_id", write_roles=WRITERS)
CUTOFF_FIELDS = ("tax_a", "revenue_a", "tax_b", "revenue_b", "tax_c", "revenue_c")


def cutoffs_list_for_user(user: User) -> QuerySet[EfficiencyCutoffs]:
    return scope(user, EfficiencyCutoffs.objects.select_related("zone"), CUTOFFS)


def cutoffs_get_for_user(user: User, pk: Any, *, write: bool = False) -> EfficiencyCutoffs:
    return get_for_user(
        user, EfficiencyCutoffs.objects.select_related("zone"), pk, CUTOFFS, write=write
    )


def land_record_get_for_user(user: User, pk: Any, *, write: bool = False) -> LandRecord:
    return get_for_user(
        user, LandRecord.objects.select_related("enterprise"), pk, LAND, write=write
    )


def check_cutoffs(values: dict[str, Decimal]) -> None:
    """Refuse cut-offs that are negative or where a class asks more than the better one."""
    for name in CUTOFF_FIELDS:
        if values[name] < 0:
            raise DomainError(_("A cut-off cannot be negative."), field=name)
    for measure, label in (("tax", _("tax per 亩")), ("revenue", _("revenue per 亩"))):
        for better, worse in (("a", "b"), ("b", "c")):
            if values[f"{measure}_{worse}"] > values[f"{measure}_{better}"]:
                raise DomainError(
                    _(
                        "Class %(worse)s's %(measure)s cut-off is above class %(better)s's: "
                        "each class's cut-off must not exceed the better class's."
                    )
                    % {"worse": worse.upper(), "better": better.upper(), "measure": label},
                    field=f"{measure}_{worse}",
                )


@transaction.atomic
def cutoffs_set(
    *,
    zone: Zone,
    year: int,
    by: User,
    record: EfficiencyCutoffs | None = None,
    version: int | None = None,
    values: dict[str, Decimal],
) -> EfficiencyCutoffs:
    """Set a zone's cut-offs of a year: a new row, or the edit of `record` opened at
    `version` (refused if someone saved it in between). The year is unique per zone."""
    check_cutoffs(values)
    if record is None:
        if EfficiencyCutoffs.objects.filter(zone=zone, year=year).exists():
            raise DomainError(
                _("The cut-offs of %(year)s are already set; edit them instead.") % {"year": year},
                field="year",
            )
        record = EfficiencyCutoffs(zone=zone, year=year)
    else:
        record = lock_at_version(record, version)
        if (
            record.year != year
            and EfficiencyCutoffs.objects.filter(zone=record.zone, year=year)
            .exclude(pk=record.pk)
            .exists()
        ):
            raise DomainError(
                _("The cut-offs of %(year)s are already set; edit them instead.") % {"year": year},
                field="year",
            )
        record.year = year
    for name in CUTOFF_FIELDS:
        setattr(record, name, values[name])
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def land_record_add(
    *,
    enterprise: Enterprise,
    by: User,
    area: Decimal,
    source: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
) -> LandRecord:
    """Record land an enterprise holds, with where the figure comes from."""
    if area <= 0:
        raise DomainError(_("The land area must be above zero."), field="area")
    if not source.strip():
        raise DomainError(
            _("Name the source of the area (a certificate number, a survey report…)."),
            field="source",
        )
    if valid_until is not None and valid_until <= valid_from:
        raise DomainError(
            _("The land must be held until a day after it is held from."), field="valid_until"
        )
    record = LandRecord(
        enterprise=enterprise,
        area=area,
        source=source.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=by,
    )
    record._history_user = by
    record.save()
    return record


@transaction.atomic
def land_record_end(*, record: LandRecord, on: dt.date, by: User, version: int) -> LandRecord:
    """End a land record on a day (the land sold, returned or re-surveyed): it is kept, and
    no longer counts from that day."""
    record = lock_at_version(record, version)
    if on <= record.valid_from:
        raise DomainError(
            _("The land record starts on %(day)s: it must end after that.")
            % {"day": record.valid_from},
            field="on",
        )
    if record.valid_until is not None and record.valid_until <= on:
        raise DomainError(_("This land record has already ended."), field="on")
    record.valid_until = on
    record._history_user = by
    record.save()
    return record
