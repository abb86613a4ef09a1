"""A zone's channels (企业微信 group bot, 钉钉 bot, email, a JSON webhook) through apprise: the
day's digest to each active channel, once a day, and a test message. A failing channel is
retried, its error recorded on it and its delivery, and never stops the others.

Also the channel pages' reads (who may see a channel) and writes (add, change, switch off,
delete), which check an address with apprise before it is saved."""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import apprise
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.access import AccessRule, get_for_user, require_roles, scope
from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.jobs import channel_plugins
from gaoxin.jobs.channel_addresses import redact
from gaoxin.jobs.models import Channel, Delivery

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone

logger = logging.getLogger(__name__)

# The plugins log to this logger instead of apprise's shared one: it hears their DEBUG lines
# (the socket's own words: "[Errno 111] Connection refused", the server's answer) for the
# delivery's error without turning apprise's debug output (which prints a bot's key in its
# URL) on for the process. apprise captures each call's lines for that call alone.
_PLUGIN_LOGGER = logging.getLogger("gaoxin.jobs.channels.apprise")
_PLUGIN_LOGGER.setLevel(logging.DEBUG)
_PLUGIN_LOGGER.propagate = False

ADMINS = frozenset({Role.ADMIN})
CHANNEL_RULE = AccessRule(zone_field="zone_id", read_roles=ADMINS, write_roles=ADMINS)

# Longest an error kept on a delivery or a channel.
ERROR_MAX = 1000


# --- Sending ---------------------------------------------------------------------------------


def address_accepted(url: str) -> bool:
    """Whether apprise can send to the address (it knows the scheme and its parts are sound)."""
    try:
        return bool(apprise.Apprise().add(url))
    except Exception:  # a malformed address may raise inside a plugin's parser
        return False


def _socket_reason(message: str) -> str:
    """The useful end of a connection error: "[Errno 111] Connection refused", "timed out"."""
    errno = re.findall(r"\[Errno -?\d+\] [^'\"()]+", message)
    if errno:
        return str(errno[-1]).strip()
    if "timed out" in message.lower():
        return "timed out"
    return message.removeprefix("Socket Exception:").strip()


def _error_text(entries: Iterable[Any], url: str) -> str:
    """What went wrong, from the lines apprise logged while sending: its warnings, the
    socket's reason and the server's answer; the address's secrets taken out."""
    parts: list[str] = []
    for entry in entries:
        message = str(entry.message)
        if entry.level in ("WARNING", "ERROR", "CRITICAL"):
            parts.append(message)
        elif message.startswith("Socket Exception:"):
            parts.append(_socket_reason(message))
        elif message.startswith("Response Details:"):
            answer = message.removeprefix("Response Details:").strip()
            if answer not in ("b''", ""):
                parts.append(answer[:300])
    unique = list(dict.fromkeys(p for p in parts if p))
    return redact(" · ".join(unique), url)[:ERROR_MAX]


# A 企业微信 bot's text message holds 2048 bytes of UTF-8 (about 680 Chinese characters), a 钉钉
# robot's 20000; a longer one is refused with HTTP 200 and an errcode (a failed delivery, see
# channel_plugins). The digest is cut at a line to fit, saying so.
BYTE_LIMITS = {"wecombot": 2048, "dingtalk": 19000}


def fit(url: str, *, title: str, body: str) -> str:
    """The body, cut at a line so that title and body fit the channel's message."""
    limit = BYTE_LIMITS.get(urlsplit(url).scheme)
    if limit is None:
        return body
    room = limit - len(title.encode()) - len(b"\r\n")
    if len(body.encode()) <= room:
        return body
    more = _("… and more: see the platform.")
    room -= len(more.encode()) + 1
    kept: list[str] = []
    for line in body.splitlines():
        size = sum(len(k.encode()) + 1 for k in kept) + len(line.encode())
        if size > room:
            break
        kept.append(line)
    if not kept:  # one long line: cut it at a character
        kept = [body.encode()[: max(room, 0)].decode(errors="ignore")]
    return "\n".join([*kept, more])


def notify_once(url: str, *, title: str, body: str) -> tuple[bool, str]:
    """One try: whether the message went, and if not, why."""
    body = fit(url, title=title, body=body)
    try:
        # A bot's plugin reads its answer's errcode (channel_plugins): a refusal is a failure.
        plugin = channel_plugins.instantiate(url)
        if not plugin:
            return False, _("The address is not one apprise can send to.")
        plugin.logger = _PLUGIN_LOGGER
        sender = apprise.Apprise()
        sender.add(plugin)
        result = sender.notify(
            body=body,
            title=title,
            body_format=apprise.NotifyFormat.TEXT,
            log_level=logging.DEBUG,
        )
    except Exception as exc:  # a plugin's bug must not stop the other channels
        logger.exception("channel: apprise raised while sending")
        return False, redact(f"{type(exc).__name__}: {exc}", url)[:ERROR_MAX]
    if result:
        return True, ""
    entries = [entry for service in result for entry in service.logs()]
    return False, _error_text(entries, url) or _("Not delivered (no reason given).")


def _retry_delays() -> list[float]:
    delays = [float(d) for d in settings.GAOXIN_CHANNEL_RETRY_DELAYS]
    return delays or [0.0]


def _lease() -> dt.timedelta:
    """How long a digest being sent is left to its sender before another run may take it
    over (the sender was killed): the retries' waits and each try's time-outs."""
    delays = _retry_delays()
    return dt.timedelta(seconds=sum(delays) + 60 * len(delays) + 60)


def send_with_retries(
    channel: Channel,
    *,
    title: str,
    body: str,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[bool, int, str]:
    """Tries as many times as GAOXIN_CHANNEL_RETRY_DELAYS has waits (each before its try):
    whether it went, the tries made, and the last error."""
    error = ""
    delays = _retry_delays()
    for attempt, delay in enumerate(delays, start=1):
        if delay > 0:
            sleep(delay)
        ok, error = notify_once(channel.url, title=title, body=body)
        if ok:
            return True, attempt, ""
    logger.warning(
        "channel %s (%s, zone %s): not delivered after %d tries: %s",
        channel.pk,
        channel.kind,
        channel.zone_id,
        len(delays),
        error,
    )
    return False, len(delays), error


def _record_on_channel(channel: Channel, *, ok: bool, error: str, at: dt.datetime) -> None:
    """The channel's state for its list. Only these columns: an admin may be editing it."""
    if ok:
        channel.last_ok_at = at
        Channel.objects.filter(pk=channel.pk).update(last_ok_at=at)
    else:
        channel.last_error, channel.last_error_at = error, at
        Channel.objects.filter(pk=channel.pk).update(last_error=error, last_error_at=at)


def _claim_digest(channel: Channel, day: dt.date, title: str, body: str) -> Delivery | None:
    """The day's digest row of the channel, held for this run to send; None when it went
    already or another run is sending it now.

    A row being sent is FAILED with no error yet and `sent_at` the time it was taken; a run
    takes a row only when it failed (an error) or its sender has been silent past the lease,
    in one UPDATE, so two runs at once never both send."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                channel=channel,
                day=day,
                purpose=Delivery.Purpose.DIGEST,
                status=Delivery.Status.FAILED,
                title=title[:200],
                body=body,
                sent_at=now,
            )
    except IntegrityError:
        pass  # the day's row exists: take it over if it failed
    taken = (
        Delivery.objects.filter(
            channel=channel,
            day=day,
            purpose=Delivery.Purpose.DIGEST,
            status=Delivery.Status.FAILED,
        )
        .filter(~Q(error="") | Q(sent_at__isnull=True) | Q(sent_at__lt=now - _lease()))
        .update(error="", sent_at=now, title=title[:200], body=body)
    )
    if not taken:
        return None
    return Delivery.objects.get(channel=channel, day=day, purpose=Delivery.Purpose.DIGEST)


def _send_digest_to(channel: Channel, day: dt.date, title: str, body: str) -> Delivery | None:
    delivery = _claim_digest(channel, day, title, body)
    if delivery is None:
        return None
    ok, attempts, error = send_with_retries(channel, title=title, body=body)
    now = timezone.now()
    delivery.status = Delivery.Status.SENT if ok else Delivery.Status.FAILED
    delivery.attempts += attempts
    delivery.error = error
    delivery.sent_at = now
    delivery.save(update_fields=["status", "attempts", "error", "sent_at"])
    _record_on_channel(channel, ok=ok, error=error, at=now)
    return delivery


def send_digest(*, zone: Zone, day: dt.date, title: str, body: str) -> list[Delivery]:
    """Send the day's digest to each of the zone's active channels that has not had it today;
    the deliveries made or tried.

    A digest that failed is tried again by a later call the same day (its row updated, its
    tries added up); one that went is never sent again. Call it outside a transaction: it
    waits on the network between the retries."""
    sent_today = Delivery.objects.filter(
        channel=OuterRef("pk"),
        day=day,
        purpose=Delivery.Purpose.DIGEST,
        status=Delivery.Status.SENT,
    )
    channels = (
        Channel.objects.filter(zone=zone, is_active=True)
        .exclude(Exists(sent_today))
        .order_by("name", "pk")
    )
    deliveries: list[Delivery] = []
    for channel in channels:
        try:
            delivery = _send_digest_to(channel, day, title, body)
        except Exception:  # one channel's trouble (even a bug) never stops the others
            logger.exception("channel %s: the digest of %s was not sent", channel.pk, day)
            continue
        if delivery is not None:
            deliveries.append(delivery)
    return deliveries


def send_test(*, channel: Channel) -> Delivery:
    """A short message to the channel at once (one try: the admin is waiting), recorded as a
    test delivery and on the channel's state."""
    title = _("Gaoxin: test message")
    body = _(
        "This is a test of the channel “%(name)s” of %(zone)s. "
        "If you read it, the daily reminder digest will arrive here too."
    ) % {"name": channel.name, "zone": channel.zone}
    ok, error = notify_once(channel.url, title=title, body=body)
    if not ok:
        logger.warning("channel %s: the test message failed: %s", channel.pk, error)
    now = timezone.now()
    delivery = Delivery.objects.create(
        channel=channel,
        day=timezone.localdate(),
        purpose=Delivery.Purpose.TEST,
        status=Delivery.Status.SENT if ok else Delivery.Status.FAILED,
        attempts=1,
        error=error,
        title=title[:200],
        body=body,
        sent_at=now,
    )
    _record_on_channel(channel, ok=ok, error=error, at=now)
    return delivery


# --- Reads -----------------------------------------------------------------------------------


def channel_list_for_user(user: User) -> QuerySet[Channel]:
    """The channels of the user's working zone; 403 for anyone but an administrator."""
    require_roles(user, ADMINS)
    return scope(user, Channel.objects.select_related("zone"), CHANNEL_RULE).order_by(
        "zone__code", "name", "pk"
    )


def channel_get_for_user(user: User, pk: Any) -> Channel:
    """One channel an administrator may manage; 403 for other roles, 404 outside the zones."""
    require_roles(user, ADMINS)
    return get_for_user(user, Channel.objects.select_related("zone"), pk, CHANNEL_RULE)


def channel_deliveries(channel: Channel, *, limit: int = 30) -> list[Delivery]:
    return list(channel.deliveries.order_by("-created_at", "-pk")[:limit])


# --- Writes ----------------------------------------------------------------------------------


def _check(*, zone_id: int, name: str, url: str, pk: int | None = None) -> None:
    if not address_accepted(url):
        raise DomainError(
            _("This address cannot be used: check that it was copied whole."), field="url"
        )
    others = Channel.objects.filter(zone_id=zone_id, name=name)
    if pk is not None:
        others = others.exclude(pk=pk)
    if others.exists():
        raise DomainError(_("The zone already has a channel of this name."), field="name")


@transaction.atomic
def channel_create(*, zone: Zone, by: User, name: str, kind: str, url: str) -> Channel:
    _check(zone_id=zone.pk, name=name, url=url)
    return Channel.objects.create(zone=zone, name=name, kind=kind, url=url, created_by=by)


@transaction.atomic
def channel_update(*, channel: Channel, name: str, url: str, is_active: bool) -> Channel:
    _check(zone_id=channel.zone_id, name=name, url=url, pk=channel.pk)
    changed_address = url != channel.url
    channel.name, channel.url, channel.is_active = name, url, is_active
    fields = ["name", "url", "is_active"]
    if changed_address:  # the old address's failure says nothing of the new one
        channel.last_error, channel.last_error_at = "", None
        fields += ["last_error", "last_error_at"]
    channel.save(update_fields=fields)
    return channel


def channel_set_active(*, channel: Channel, active: bool) -> Channel:
    channel.is_active = active
    Channel.objects.filter(pk=channel.pk).update(is_active=active)
    return channel


def channel_delete(*, channel: Channel) -> None:
    """The channel and its deliveries' record."""
    channel.delete()
