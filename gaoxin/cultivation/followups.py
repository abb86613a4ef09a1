"""Follow-ups (跟踪培育) of enterprises found on the radars: who serves which enterprise, since
when, by when, and what was done (service records). An officer takes an enterprise into
follow-up in one step (officer, target date and the first service record together); the
follow-up closes by hand, or by itself when the enterprise leaves the radar for good: it
becomes 规上 (the statistics import's 入统, or an officer's), gets the designation the radar
looks for, or leaves the zone.

Writes here; reads (lists, the panel, access) in followup_selectors.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.accounts.selectors import staff_of
from gaoxin.core.access import user_zone_ids
from gaoxin.core.concurrency import lock_for_write
from gaoxin.core.errors import DomainError
from gaoxin.core.history import save_recorded
from gaoxin.core.text import clean
from gaoxin.cultivation import radars
from gaoxin.cultivation.models import Followup, FollowupReason, FollowupVisit
from gaoxin.enterprises.models import DesignationKind, Enterprise

# Which radars an enterprise leaves for good on a change of its standing (the events of
# enterprises.services): 入统 takes it off both 规上 radars; a designation off the radar of
# candidates for it; leaving the zone off every radar (None: all).
ABOVE_SCALE_RADARS = ("scale", "unreported")
DESIGNATION_RADARS = {
    DesignationKind.HIGH_TECH.value: ("high_tech",),
    DesignationKind.SPECIALISED_SME.value: ("specialised",),
}
MINUTES_MAX = 5000


def open_followups(enterprise_ids: Iterable[int], radar: str) -> dict[int, Followup]:
    """{enterprise id: its open follow-up on the radar} for a page of rows, in one query."""
    rows = Followup.objects.filter(
        enterprise_id__in=list(enterprise_ids), radar=radar, closed_on__isnull=True
    ).select_related("officer")
    return {row.enterprise_id: row for row in rows}


@dataclass(frozen=True)
class VisitInput:
    """A service record as a form gives it."""

    kind: str
    held_on: dt.date
    minutes: str


def _check_visit(visit: VisitInput, today: dt.date) -> str:
    if visit.kind not in FollowupVisit.Kind.values:
        raise DomainError(_("Choose what kind of service record this is."), field="visit_kind")
    if visit.held_on > today:
        raise DomainError(
            _("A service record cannot be dated in the future."), field="visit_held_on"
        )
    minutes = clean(visit.minutes)
    if not minutes:
        raise DomainError(_("Write down what was found and agreed."), field="visit_minutes")
    if len(minutes) > MINUTES_MAX:
        raise DomainError(
            _("The record is too long: at most %(n)d characters.") % {"n": MINUTES_MAX},
            field="visit_minutes",
        )
    return minutes


def _visit_create(followup: Followup, visit: VisitInput, by: User, today: dt.date) -> FollowupVisit:
    record = FollowupVisit(
        followup=followup,
        kind=visit.kind,
        held_on=visit.held_on,
        minutes=_check_visit(visit, today),
        recorded_by=by,
    )
    save_recorded(record, by)
    return record


def _already_followed(enterprise: Enterprise, radar_key: str) -> DomainError:
    current = (
        Followup.objects.filter(enterprise=enterprise, radar=radar_key, closed_on__isnull=True)
        .select_related("officer")
        .first()
    )
    if current is None:  # the other follow-up was closed in between: try again
        return DomainError(_("The follow-up could not be saved; please try again."))
    return DomainError(
        _("%(name)s is already followed on this radar by %(officer)s since %(day)s.")
        % {
            "name": enterprise.name,
            "officer": current.officer.display_name,
            "day": current.started_on.isoformat(),
        },
        field="radar",
    )


@transaction.atomic
def followup_start(
    *,
    enterprise: Enterprise,
    radar: str,
    officer: User,
    target_on: dt.date,
    visit: VisitInput,
    by: User,
    today: dt.date | None = None,
) -> Followup:
    """纳入跟踪: the enterprise is followed on the radar from today by `officer`, to be brought
    over the line by `target_on`, with the service record that started it. All of it, or
    nothing."""
    today = today or timezone.localdate()
    found = radars.radar(radar)
    if found is None:
        raise DomainError(_("There is no radar “%(key)s”.") % {"key": radar}, field="radar")
    if not found.followed:
        raise DomainError(
            _("Enterprises on “%(radar)s” are not taken into follow-up.") % {"radar": found.label},
            field="radar",
        )
    if enterprise.zone_id not in user_zone_ids(by):
        raise DomainError(_("This enterprise belongs to a zone you do not work in."))
    if enterprise.status != Enterprise.Status.ACTIVE:
        raise DomainError(
            _("%(name)s has left the zone (%(status)s): it cannot be followed.")
            % {"name": enterprise.name, "status": enterprise.get_status_display()}
        )
    if not staff_of([enterprise.zone_id]).filter(pk=officer.pk).exists():
        raise DomainError(
            _("The officer must be a staff member of the enterprise's zone."), field="officer"
        )
    if target_on < today:
        raise DomainError(_("The target date cannot be in the past."), field="target_on")
    _check_visit(visit, today)
    followup = Followup(
        zone_id=enterprise.zone_id,
        enterprise=enterprise,
        radar=found.key,
        officer=officer,
        started_on=today,
        target_on=target_on,
        created_by=by,
    )
    try:
        # A savepoint: the refused insert is undone on its own, so the transaction can still
        # read who follows the enterprise to say so.
        with transaction.atomic():
            save_recorded(followup, by)
    except IntegrityError as error:
        refusal = _already_followed(enterprise, found.key)
        raise refusal from error
    _visit_create(followup, visit, by, today)
    return followup


@transaction.atomic
def visit_add(
    *,
    followup: Followup,
    kind: str,
    held_on: dt.date,
    minutes: str,
    by: User,
    today: dt.date | None = None,
) -> FollowupVisit:
    """A service record of an open follow-up."""
    today = today or timezone.localdate()
    followup = Followup.objects.select_for_update().get(pk=followup.pk)
    if followup.closed_on is not None:
        raise DomainError(
            _("This follow-up is closed: take the enterprise into follow-up again to record more.")
        )
    return _visit_create(followup, VisitInput(kind, held_on, minutes), by, today)


@transaction.atomic
def followup_close(
    *,
    followup: Followup,
    reason: str,
    on: dt.date,
    by: User | None,
    note: str = "",
    version: int | None = None,
    today: dt.date | None = None,
) -> Followup:
    """The follow-up ends on a day, for a reason (an officer's: with a note saying why)."""
    today = today or timezone.localdate()
    followup = lock_for_write(followup, version)
    if followup.closed_on is not None:
        raise DomainError(
            _("This follow-up was already closed on %(day)s.")
            % {"day": followup.closed_on.isoformat()}
        )
    if reason not in FollowupReason.values:
        raise DomainError(_("Choose why the follow-up ends."), field="reason")
    note = clean(note)
    if reason == FollowupReason.OFFICER and not note:
        raise DomainError(_("Say why the follow-up ends."), field="note")
    if on > today:
        raise DomainError(_("The closing date cannot be in the future."), field="on")
    if on < followup.started_on:
        raise DomainError(
            _("The closing date cannot be before the follow-up started (%(day)s).")
            % {"day": followup.started_on.isoformat()},
            field="on",
        )
    followup.closed_on = on
    followup.close_reason = reason
    followup.close_note = note[:300]
    save_recorded(followup, by)
    return followup


# --- closing by itself -------------------------------------------------------------------------


def _radars_left(event: str, detail: str) -> tuple[str, ...] | None:
    """The radars an event takes the enterprise off (None: all of them; () none)."""
    if event == "above_scale":
        return ABOVE_SCALE_RADARS
    if event == "designated":
        return DESIGNATION_RADARS.get(detail, ())
    if event == "exited":
        return None
    return ()


REASONS = {
    "above_scale": FollowupReason.ABOVE_SCALE,
    "designated": FollowupReason.DESIGNATED,
    "exited": FollowupReason.EXITED,
}


def _event_note(event: str, on: dt.date) -> str:
    notes = {
        "above_scale": _("Entered the 规上 directory (入统) on %(day)s."),
        "designated": _("Granted the designation on %(day)s."),
        "exited": _("Left the zone on %(day)s."),
    }
    return notes[event] % {"day": on.isoformat()}


def followups_close_on_standing(
    enterprise: Enterprise, event: str, on: dt.date, detail: str
) -> None:
    """The registry's listener (enterprises.services.register_standing_listener): the open
    follow-ups the event ends are closed with its reason, inside the registry's transaction
    (an import that fails leaves them open). A follow-up started after the day (an import of
    an earlier month) closes the day it started; the note keeps the event's own day."""
    left = _radars_left(event, detail)
    if left == ():
        return
    rows = Followup.objects.select_for_update().filter(
        enterprise_id=enterprise.pk, closed_on__isnull=True
    )
    if left is not None:
        rows = rows.filter(radar__in=left)
    for followup in rows:
        followup.closed_on = max(on, followup.started_on)
        followup.close_reason = REASONS[event]
        followup.close_note = _event_note(event, on)
        save_recorded(followup, None)


def register() -> None:
    """Register the follow-ups' hooks (called from CultivationConfig.ready)."""
    from django.utils.translation import gettext_lazy

    from gaoxin.core import nav
    from gaoxin.core.roles import STAFF_ROLES
    from gaoxin.cultivation import followup_selectors
    from gaoxin.enterprises.selectors import register_enterprise_panel
    from gaoxin.enterprises.services import register_standing_listener

    register_standing_listener(followups_close_on_standing)
    register_enterprise_panel(followup_selectors.enterprise_panel)
    nav.register(
        nav.NavItem(
            "cultivation:index", gettext_lazy("Cultivation (企业培育)"), STAFF_ROLES, order=250
        )
    )
