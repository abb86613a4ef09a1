"""Texts for the tests that run the real engine: the work briefing the platform writes for a
zone and day (which checks as agreeing throughout), with one of its counts written wrong."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from gaoxin.core.figures import Figure
from gaoxin.core.metrics import MetricScope
from gaoxin.dashboard.briefing.compose import compose


def briefing_with_one_wrong(zone: Any, as_of: dt.date) -> tuple[str, Figure, str]:
    """The zone's briefing as of the day, one line a paragraph, with its first non-zero count
    written 7 higher; that figure, and how it now reads."""
    briefing = compose(MetricScope.of([zone.pk], as_of), zone_label=zone.name, zone_code=zone.code)
    lines = [briefing.title]
    wrong: Figure | None = None
    written = ""
    for section in briefing.sections:
        lines.append(section.heading)
        for paragraph in section.paragraphs:
            parts = []
            for part in paragraph.parts:
                text = str(part)
                if wrong is None and isinstance(part, Figure) and re.fullmatch(r"[1-9]\d*", text):
                    wrong, written = part, str(int(text) + 7)
                    text = written
                parts.append(text)
            lines.append("".join(parts))
    assert wrong is not None, "the briefing has no count to get wrong"
    return "\n".join(lines), wrong, written
