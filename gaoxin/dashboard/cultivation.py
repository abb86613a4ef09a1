"""The dashboard's 企业培育 section: each registered radar's count on the dashboard's day (a
link to its records), 新增规上企业 in the day's year, and the follow-ups open on the day.

Every number is a registered metric (core.figures), one COUNT each: the radars read the
standings built once per zone and month (cultivation.standings), so the section costs a
query per radar and three more, whatever the zones' size.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gaoxin.core.figures import Figures
from gaoxin.cultivation.radars import all_radars

FOLLOWUP_KEYS = (
    "radar.new_above_scale",
    "radar.followups.open",
    "radar.followups.closed_above_scale",
)


def section(figures: Figures) -> dict[str, Any] | None:
    """The section's figures, or None when no radar is registered and nothing entered the 规上
    directory this year (a platform without the radars set up)."""
    radars = figures.many([f"radar.{radar.key}" for radar in all_radars()])
    others = {key.rsplit(".", 1)[-1]: figures.get(key) for key in FOLLOWUP_KEYS}
    if not radars and not any(figure and figure.value for figure in others.values()):
        return None
    return {"radars": radars, **others, "index_url": reverse("cultivation:index")}
