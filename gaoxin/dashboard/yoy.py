"""同比 on the dashboard's headline figures: each figure against itself as it stood on the same
day a year before (every figure can be read as of a day), or, for the economy, the registered
growth metric (comparable basis). Shown as an arrow with the percentage; the colour says
whether the change is good news, and never alone (the arrow and the words say the direction)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from gaoxin.core import formatting
from gaoxin.core.figures import Figure, Figures
from gaoxin.core.metrics import MetricScope, Unit

# Figures where less is better: their rise is shown in red, their fall in green.
LOWER_IS_BETTER = frozenset({"approvals.overdue", "blockers.open", "blockers.overdue"})
# A share or a mean compares in points or days, not per cent: no 同比 on those.
YOY_UNITS = frozenset({Unit.ITEM, Unit.ENTERPRISE, Unit.PERSON, Unit.YUAN, Unit.SQUARE_METRE})


def same_day_a_year_before(day: dt.date) -> dt.date:
    """29 February's year before is 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def figures_a_year_before(figures: Figures) -> Figures:
    """The same metrics in the same zones, as they stood on the same day a year before
    (every figure can be read as of a day, so this is the metric itself, not a stored copy)."""
    scope = figures.scope
    return Figures(
        MetricScope.of(scope.zone_ids, same_day_a_year_before(scope.as_of)),
        zone_code=figures.zone_code,
        allowed_zone_ids=figures.allowed_zone_ids,
    )


def change(percent: Decimal, *, key: str = "") -> dict[str, Any] | None:
    """A 同比 as the dashboard shows it: an arrow and the percentage, and a tone (good, bad or
    flat) for its colour; the arrow and the words carry the direction without the colour."""
    if percent.is_nan():
        return None
    rounded = percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return {"arrow": "", "shown": _("unchanged (持平)"), "direction": "", "tone": "flat"}
    up = rounded > 0
    good = up != (key in LOWER_IS_BETTER)
    return {
        "arrow": "▲" if up else "▼",
        "shown": f"{formatting.number(abs(rounded), places=1)}%",
        "direction": _("increase") if up else _("decrease"),
        "tone": "good" if good else "bad",
    }


def year_on_year(now: Figure, then: Figure | None) -> dict[str, Any] | None:
    """The figure against itself a year before; None where that says nothing (a share, a
    mean, or nothing a year before to compare with)."""
    if then is None or now.metric.unit not in YOY_UNITS or not then.value:
        return None
    percent = (Decimal(now.value) - Decimal(then.value)) / Decimal(then.value) * 100
    shown = change(percent, key=now.key)
    if shown is None:
        return None
    return {**shown, "before": then.shown}
