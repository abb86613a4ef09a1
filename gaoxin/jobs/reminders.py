"""督办预警: each working morning, what is due or overdue in each zone becomes one in-app notice
per responsible user and item (once a day), and a digest to the zone's channels.

The apps that own the work register its sources here in their `ready()` (blockers, approvals,
容缺 documents, designations expiring, monthly self-reports not in), so this app, low among
the floors, reads them without importing any app above it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone
    from gaoxin.jobs.models import Notice, ReminderRun

log = logging.getLogger(__name__)

# An open item is "due soon" from this many days before its date (and overdue after it).
DUE_SOON_DAYS = 3
# A designation is "expiring" this many days before it ends.
EXPIRING_DAYS = 90
# The digest lists at most this many items of each kind (with the count of the rest).
DIGEST_TOP = 5


@dataclass(frozen=True)
class ReminderKind:
    key: str  # Notice.kind, ReminderMute.kind: "blocker_overdue"
    label: Promise | str  # what a user mutes: 难点堵点逾期
    order: int = 100


@dataclass(frozen=True)
class Due:
    """One item due or overdue, and who is to act on it."""

    kind: str
    key: str  # the item's identity within its kind, e.g. "blocker:12"
    user_ids: tuple[int, ...]
    title: str  # the item, as the user knows it
    detail: str  # why now: 逾期3天（应于2026-11-27解决）
    url: str
    due_on: dt.date | None = None


# A source lists a zone's items due or overdue on the day.
Source = Callable[["Zone", dt.date], Iterable[Due]]

_SOURCES: list[tuple[ReminderKind, Source]] = []


def register(kind: ReminderKind, source: Source) -> None:
    if any(existing.key == kind.key for existing, _source in _SOURCES):
        return
    _SOURCES.append((kind, source))
    _SOURCES.sort(key=lambda pair: pair[0].order)


def sources() -> list[tuple[ReminderKind, Source]]:
    return list(_SOURCES)


def kinds() -> list[ReminderKind]:
    return [kind for kind, _source in _SOURCES]


# --- the sources' shared wording ----------------------------------------------------------


def overdue_days(due_on: dt.date, day: dt.date) -> int:
    return (day - due_on).days


def due_soon_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """The days an item falls due on to be "due soon" on `day`: today to DUE_SOON_DAYS on."""
    return day, day + dt.timedelta(days=DUE_SOON_DAYS)


def due_in_words(due_on: dt.date, day: dt.date) -> str:
    """今天到期 / 3天后到期（2026-12-03）."""
    days = (due_on - day).days
    if days <= 0:
        return _("due today (%(day)s)") % {"day": due_on.isoformat()}
    return _("due in %(days)d days (%(day)s)") % {"days": days, "day": due_on.isoformat()}


def site_url(path: str) -> str:
    """An absolute link for a message read outside the site (a bot's message, an email)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.GAOXIN_SITE_URL.rstrip("/") + path


# --- the run ------------------------------------------------------------------------------


def collect(zone: Zone, day: dt.date) -> list[Due]:
    """Every registered source's items due or overdue in the zone on the day."""
    dues: list[Due] = []
    for _kind, source in sources():
        dues.extend(source(zone, day))
    return dues


def notices_for(zone: Zone, day: dt.date, dues: Sequence[Due]) -> list[Notice]:
    """One notice per item and responsible user, leaving out inactive users and the kinds a
    user muted (two queries, however many items)."""
    from django.contrib.auth import get_user_model

    from gaoxin.jobs.models import Notice, ReminderMute

    wanted = {user_id for due in dues for user_id in due.user_ids}
    if not wanted:
        return []
    active = set(
        get_user_model().objects.filter(pk__in=wanted, is_active=True).values_list("pk", flat=True)
    )
    muted = set(ReminderMute.objects.filter(user_id__in=active).values_list("user_id", "kind"))
    notices = []
    for due in dues:
        for user_id in dict.fromkeys(due.user_ids):
            if user_id not in active or (user_id, due.kind) in muted:
                continue
            notices.append(
                Notice(
                    user_id=user_id,
                    zone=zone,
                    kind=due.kind,
                    key=due.key[:80],
                    day=day,
                    title=due.title[:300],
                    detail=due.detail[:300],
                    url=due.url[:500],
                    due_on=due.due_on,
                )
            )
    return notices


def digest_text(zone: Zone, day: dt.date, dues: Sequence[Due]) -> tuple[str, str]:
    """The zone's digest of the day: its items grouped by kind, each kind with its count and
    its first DIGEST_TOP items, the links absolute."""
    labels = {kind.key: str(kind.label) for kind in kinds()}
    order = [kind.key for kind in kinds()]
    by_kind: dict[str, list[Due]] = {}
    for due in dues:
        by_kind.setdefault(due.kind, []).append(due)
    title = _("%(zone)s reminders for %(day)s: %(count)d items") % {
        "zone": zone.name,
        "day": day.isoformat(),
        "count": len(dues),
    }
    lines = [title, ""]
    for key in sorted(by_kind, key=lambda k: order.index(k) if k in order else len(order)):
        items = sorted(by_kind[key], key=lambda d: (d.due_on or dt.date.max, d.title))
        lines.append(
            _("[%(kind)s] %(count)d items") % {"kind": labels.get(key, key), "count": len(items)}
        )
        for due in items[:DIGEST_TOP]:
            lines.append(f"· {due.title}: {due.detail}")
            lines.append(f"  {site_url(due.url)}")
        if len(items) > DIGEST_TOP:
            lines.append(_("… and %(count)d more") % {"count": len(items) - DIGEST_TOP})
        lines.append("")
    from django.urls import reverse

    lines.append(_("Your reminders: %(url)s") % {"url": site_url(reverse("reminders:list"))})
    return title, "\n".join(lines)


def run_reminders(*, day: dt.date, zones: Iterable[Zone] | None = None) -> list[ReminderRun]:
    """Each active zone's reminders of the day (or the given zones'): the notices (once per
    user, item and day) and the digest to its channels (once a day: a zone whose run of the
    day finished sends nothing again). One zone's failure is logged and leaves its run
    unfinished (the next run sends the digest), and never stops the other zones."""
    from gaoxin.accounts.models import Zone

    chosen = list(zones) if zones is not None else list(Zone.objects.filter(is_active=True))
    runs = []
    with translation.override(settings.LANGUAGE_CODE):
        for zone in chosen:
            runs.append(_run_zone(zone, day))
    return runs


def _run_zone(zone: Zone, day: dt.date) -> ReminderRun:
    from gaoxin.accounts.models import Zone
    from gaoxin.jobs import channels
    from gaoxin.jobs.models import Notice, ReminderRun

    dues = collect(zone, day)
    notices = notices_for(zone, day, dues)
    with transaction.atomic():
        # One run of a zone at a time: two workers firing together wait for each other here.
        Zone.objects.select_for_update().filter(pk=zone.pk).first()
        run = ReminderRun.objects.filter(zone=zone, day=day).order_by("pk").first()
        if run is None:
            run = ReminderRun.objects.create(zone=zone, day=day)
        had = set(
            Notice.objects.filter(user_id__in={n.user_id for n in notices}, day=day).values_list(
                "user_id", "kind", "key"
            )
        )
        new = [n for n in notices if (n.user_id, n.kind, n.key) not in had]
        Notice.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        run.items = len(dues)
        run.notices += len(new)
        run.save(update_fields=["items", "notices"])
    # What this call did, for `gaoxin remind` to say (the row counts the whole day).
    run.added = len(new)  # type: ignore[attr-defined]
    run.digest_error = ""  # type: ignore[attr-defined]
    run.sent_now = False  # type: ignore[attr-defined]
    if run.finished_at is not None:
        return run  # the day's digest went out with the first run
    if dues:
        title, body = digest_text(zone, day, dues)
        try:
            deliveries = channels.send_digest(zone=zone, day=day, title=title, body=body)
        except Exception as error:
            log.exception("reminders: the digest of zone %s on %s was not sent", zone.code, day)
            run.digest_error = str(error) or type(error).__name__  # type: ignore[attr-defined]
            return run
        run.deliveries = len(deliveries)
        run.sent_now = True  # type: ignore[attr-defined]
    run.finished_at = timezone.now()
    run.save(update_fields=["deliveries", "finished_at"])
    return run


def _register_inbox() -> None:
    """督办提醒 on each user's home page. Registered on this module's import, which the app's
    ready() brings about (it imports jobs/tasks.py, whose morning task runs the reminders)."""
    from gaoxin.core import inbox
    from gaoxin.jobs.reminder_selectors import reminder_inbox_section

    inbox.register(reminder_inbox_section)


_register_inbox()
