"""A zone's channels (企业微信 group bot, 钉钉 bot, email …) through apprise: the day's digest
to each active channel, once a day, and a test message. A failing channel is retried, its
error recorded on it and its delivery, and never stops the others."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gaoxin.accounts.models import Zone
    from gaoxin.jobs.models import Channel, Delivery


def send_digest(*, zone: Zone, day: dt.date, title: str, body: str) -> list[Delivery]:
    """Send the day's digest to each of the zone's active channels that has not had it today;
    the deliveries made or tried."""
    raise NotImplementedError  # the channels work package fills this in


def send_test(*, channel: Channel) -> Delivery:
    raise NotImplementedError
