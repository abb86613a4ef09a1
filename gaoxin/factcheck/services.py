"""数据核对: check a report's text against the records.

`check` prepares the text (reading.prepare), finds its numbers (reading.read), tells which
metric each figure is (matching.match, by the metrics' `Said`), and reads each chosen metric
for the report's day as known today and, for a past day, as known then (core/rewind.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from gaoxin.factcheck.types import Report


def check(text: str, zone_ids: Iterable[int], as_of: dt.date | None = None) -> Report:
    """The text's figures checked for the zones on `as_of` (default: the day the text speaks
    of, else today)."""
    raise NotImplementedError("the engine is being built (issue 17)")
