"""Writes to the industry system. Each runs in one transaction; django-simple-history writes
the history row in the same transaction, with the acting user (and a reason where one is
asked for)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.industries.models import (
    ChainSegment,
    Industry,
    IndustryGroup,
    Position,
    Strength,
)


def required_text(value: str, field: str, message: str) -> str:
    value = clean(value)
    if not value:
        raise DomainError(message, field=field)
    return value


def save_named(obj: Any, *, by: User, reason: str | None = None, clash: str) -> None:
    try:
        with transaction.atomic():
            save_recorded(obj, by, reason=reason)
    except IntegrityError:
        raise DomainError(clash, field="name") from None


# --- groups -------------------------------------------------------------------------------


@transaction.atomic
def industry_group_create(*, zone: Zone, name: str, order: int = 0, by: User) -> IndustryGroup:
    group = IndustryGroup(
        zone=zone, name=required_text(name, "name", _("The name is required.")), order=order
    )
    save_named(group, by=by, clash=_("This zone already has a group of that name."))
    return group


@transaction.atomic
def industry_group_update(
    *, group: IndustryGroup, name: str, order: int = 0, by: User, version: int | None = None
) -> IndustryGroup:
    group = lock_for_write(group, version)
    group.name = required_text(name, "name", _("The name is required."))
    group.order = order
    save_named(group, by=by, clash=_("This zone already has a group of that name."))
    return group


# --- industries ---------------------------------------------------------------------------


def _check_weak_max(weak_max: int) -> None:
    if weak_max < 1:
        raise DomainError(
            _("A segment with one enterprise must count as weak: use 1 or more."),
            field="weak_max",
        )


@transaction.atomic
def industry_create(
    *,
    group: IndustryGroup,
    name: str,
    by: User,
    short_name: str = "",
    is_key: bool = False,
    weak_max: int = 2,
    description: str = "",
    order: int = 0,
) -> Industry:
    _check_weak_max(weak_max)
    industry = Industry(
        zone_id=group.zone_id,
        group=group,
        name=required_text(name, "name", _("The name is required.")),
        short_name=clean(short_name),
        is_key=is_key,
        weak_max=weak_max,
        description=description.strip(),
        order=order,
    )
    save_named(industry, by=by, clash=_("This zone already has an industry of that name."))
    return industry


@transaction.atomic
def industry_update(
    *,
    industry: Industry,
    group: IndustryGroup,
    name: str,
    by: User,
    short_name: str = "",
    is_key: bool = False,
    weak_max: int = 2,
    description: str = "",
    order: int = 0,
    version: int | None = None,
) -> Industry:
    industry = lock_for_write(industry, version)
    if group.zone_id != industry.zone_id:
        raise DomainError(_("A group of another zone cannot be chosen."), field="group")
    _check_weak_max(weak_max)
    industry.group = group
    industry.name = required_text(name, "name", _("The name is required."))
    industry.short_name = clean(short_name)
    industry.is_key = is_key
    industry.weak_max = weak_max
    industry.description = description.strip()
    industry.order = order
    save_named(industry, by=by, clash=_("This zone already has an industry of that name."))
    return industry


# --- chain segments -----------------------------------------------------------------------


def _check_parent(segment: ChainSegment, parent: ChainSegment | None) -> None:
    if parent is None:
        return
    if parent.industry_id != segment.industry_id:
        raise DomainError(_("The parent segment must belong to the same industry."), field="parent")
    # Walk up from the parent: meeting the segment itself would make a loop.
    current: ChainSegment | None = parent
    while current is not None:
        if current.pk == segment.pk:  # an unsaved segment (pk None) meets none
            raise DomainError(
                _("A segment cannot sit under itself or under one of its own sub-segments."),
                field="parent",
            )
        current = current.parent


def _check_position(position: str) -> None:
    if position not in Position.values:
        raise DomainError(_("Choose upstream, midstream or downstream."), field="position")


@transaction.atomic
def segment_create(
    *,
    industry: Industry,
    name: str,
    position: str,
    by: User,
    parent: ChainSegment | None = None,
    description: str = "",
    order: int = 0,
) -> ChainSegment:
    _check_position(position)
    segment = ChainSegment(
        industry=industry,
        name=required_text(name, "name", _("The name is required.")),
        position=position,
        parent=parent,
        description=description.strip(),
        order=order,
    )
    _check_parent(segment, parent)
    save_named(segment, by=by, clash=_("This industry already has a segment of that name."))
    return segment


@transaction.atomic
def segment_update(
    *,
    segment: ChainSegment,
    name: str,
    position: str,
    by: User,
    parent: ChainSegment | None = None,
    description: str = "",
    order: int = 0,
    version: int | None = None,
) -> ChainSegment:
    segment = lock_for_write(segment, version)
    _check_position(position)
    _check_parent(segment, parent)
    segment.name = required_text(name, "name", _("The name is required."))
    segment.position = position
    segment.parent = parent
    segment.description = description.strip()
    segment.order = order
    save_named(segment, by=by, clash=_("This industry already has a segment of that name."))
    return segment


REASON_MAX = 100  # the history's change-reason column


def _check_reason_length(reason: str) -> None:
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("Keep the reason within %(n)d characters.") % {"n": REASON_MAX}, field="reason"
        )


@transaction.atomic
def segment_strength_set(
    *, segment: ChainSegment, strength: str, reason: str, by: User, version: int | None = None
) -> ChainSegment:
    """An officer's judgement of a segment's strength, overriding the computed one."""
    segment = lock_for_write(segment, version)
    if strength not in Strength.values:
        raise DomainError(_("Choose strong, weak or missing."), field="strength")
    reason = required_text(
        reason, "reason", _("Say why the strength is set by hand: the reason is kept.")
    )
    _check_reason_length(reason)
    segment.strength_override = strength
    segment.override_reason = reason
    save_named(segment, by=by, reason=reason, clash=_("The segment could not be saved."))
    return segment


@transaction.atomic
def segment_strength_clear(
    *, segment: ChainSegment, reason: str, by: User, version: int | None = None
) -> ChainSegment:
    """Go back to the computed strength; why is kept in the history."""
    segment = lock_for_write(segment, version)
    reason = required_text(
        reason, "reason", _("Say why the strength set by hand is cleared: the reason is kept.")
    )
    _check_reason_length(reason)
    segment.strength_override = ""
    segment.override_reason = ""
    save_named(segment, by=by, reason=reason, clash=_("The segment could not be saved."))
    return segment


# --- alliances ----------------------------------------------------------------------------
