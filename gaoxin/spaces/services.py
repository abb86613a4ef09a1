"""Writes to industrial spaces. The floor area a space has leased is recounted from its tenant
projects (counted by the projects app) in the same transaction as any change to them; the
database refuses a count above the space's total, and the refusal reaches the user as a sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core import figure_cache
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError, refuse_unknown_fields
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.spaces.models import Space, SpaceStatusChange

DETAIL_FIELDS = (
    "name",
    "developer",
    "address",
    "total_floor_area",
    "planned_completion_on",
    "completed_on",
)


def _check_name(zone: Zone, name: str, *, exclude_pk: int | None = None) -> str:
    name = clean(name)
    if not name:
        raise DomainError(_("The space's name is required."), field="name")
    same_name = Space.objects.filter(zone=zone, name=name)
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if same_name.exists():
        raise DomainError(_("The zone already has a space of this name."), field="name")
    return name


def _check_area(total: Any) -> Decimal:
    if total is None or Decimal(total) <= 0:
        raise DomainError(
            _("The total floor area must be more than 0 m²."), field="total_floor_area"
        )
    return Decimal(total)


@transaction.atomic
def space_create(
    *,
    zone: Zone,
    by: User,
    name: str,
    total_floor_area: Decimal,
    status: str = Space.Status.PLANNED,
    status_on: dt.date | None = None,
    **fields: Any,
) -> Space:
    refuse_unknown_fields(fields, DETAIL_FIELDS, "space")
    status_on = status_on or timezone.localdate()
    if status_on > timezone.localdate():
        raise DomainError(_("A status cannot be dated in the future."), field="status_on")
    if status not in Space.Status.values:
        raise DomainError(_("Choose the space's status."), field="status")
    space = Space(
        zone=zone,
        name=_check_name(zone, name),
        total_floor_area=_check_area(total_floor_area),
        status=status,
        status_on=status_on,
        **fields,
    )
    if status == Space.Status.BUILT and space.completed_on is None:
        space.completed_on = status_on
    if space.completed_on is not None and status != Space.Status.BUILT:
        raise DomainError(
            _("Only a completed space (已建成) has a completion date; record the status."),
            field="completed_on",
        )
    save_recorded(space, by)
    SpaceStatusChange.objects.create(space=space, status=status, on=status_on, by=by)
    return space


@transaction.atomic
def space_update(*, space: Space, by: User, version: int | None = None, **fields: Any) -> Space:
    """Change a space's particulars; a form older than the stored space (`version`) is
    refused."""
    refuse_unknown_fields(fields, DETAIL_FIELDS, "space")
    current = lock_for_write(space, version)
    if "name" in fields:
        fields["name"] = _check_name(current.zone, fields["name"], exclude_pk=current.pk)
    if "total_floor_area" in fields:
        fields["total_floor_area"] = _check_area(fields["total_floor_area"])
        if fields["total_floor_area"] < current.leased_floor_area:
            raise DomainError(
                _("Tenants already occupy %(leased)s m²; the total cannot be less.")
                % {"leased": formats.number_format(current.leased_floor_area, 0, use_l10n=True)},
                field="total_floor_area",
            )
    for name, value in fields.items():
        setattr(current, name, value)
    if current.completed_on is not None:
        if current.status != Space.Status.BUILT:
            raise DomainError(
                _("Only a completed space (已建成) has a completion date; record the status."),
                field="completed_on",
            )
        if current.completed_on > timezone.localdate():
            raise DomainError(
                _("The completion date cannot be in the future."), field="completed_on"
            )
    save_recorded(current, by)
    return current


@transaction.atomic
def space_set_status(
    *,
    space: Space,
    by: User,
    status: str,
    on: dt.date,
    note: str = "",
    version: int | None = None,
) -> SpaceStatusChange:
    """规划 → 在建 → 已建成, dated; a step back needs a note. 已建成 records the completion day.
    A form older than the stored space (`version`) is refused."""
    current = lock_for_write(space, version)
    order = list(Space.Status.values)
    if status not in order:
        raise DomainError(_("Choose the space's status."), field="status")
    if status == current.status:
        raise DomainError(_("The space already has this status."), field="status")
    if on > timezone.localdate():
        raise DomainError(_("A status cannot be dated in the future."), field="on")
    if current.status_on is not None and on < current.status_on:
        raise DomainError(
            _("The date cannot be before %(date)s, when the current status began.")
            % {"date": current.status_on.isoformat()},
            field="on",
        )
    note = note.strip()
    if order.index(status) < order.index(current.status) and not note:
        raise DomainError(_("Say why the space goes back to an earlier status."), field="note")
    current.status = status
    current.status_on = on
    if status == Space.Status.BUILT:
        current.completed_on = on
    elif current.completed_on is not None and order.index(status) < order.index(Space.Status.BUILT):
        current.completed_on = None
    save_recorded(current, by)
    return SpaceStatusChange.objects.create(space=current, status=status, on=on, by=by, note=note)


def space_set_leased_area(
    *,
    space_ids: Iterable[int | None],
    leased_area: Callable[[list[int]], Mapping[int, Decimal]],
) -> None:
    """Set each space's leased area to what `leased_area` counts for it: the projects app,
    a floor above, counts its signed tenants, so this app never names a project or a stage.
    Called inside the projects' transactions; the spaces are locked first (in id order) and
    counted only then, so that two tenants signing at once are counted one after the other.
    The database refuses a total above the space's, which is turned into a message naming the
    space."""
    ids = sorted({pk for pk in space_ids if pk is not None})
    if not ids:
        return
    list(Space.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    totals = leased_area(ids)
    for pk in ids:
        try:
            zones = figure_cache.zones_of_pks(Space, [pk])
            with transaction.atomic(), figure_cache.covering([Space], zones):
                Space.objects.filter(pk=pk).update(leased_floor_area=totals.get(pk, Decimal(0)))
        except IntegrityError:
            space = Space.objects.get(pk=pk)
            raise DomainError(
                _(
                    "%(space)s has %(total)s m² in all; its tenant projects would then occupy "
                    "%(leased)s m²."
                )
                % {
                    "space": space.name,
                    "total": formats.number_format(space.total_floor_area, 0, use_l10n=True),
                    "leased": formats.number_format(totals[pk], 0, use_l10n=True),
                },
                field="floor_area",
            ) from None
