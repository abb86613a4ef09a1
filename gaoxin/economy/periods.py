"""Statistical periods: a month ("2023-06", 2023年6月), or the months that Chinese statistics
publish as one (1–2月: "2023-01~02"). A period runs from `first_month` to `month` of `year`;
a month's own period has first_month == month.

Also the one rule that turns cumulative figures (本年累计) into the periods' own values
(本月): each period's value is its cumulative less the cumulative before it, so the values of a
year always add back up to its cumulative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core.errors import DomainError

_DASHES = "-–—~～至到"
_PATTERNS = (
    # 2023-06, 2023/6, 2023.06, 202306, 2023年6月
    re.compile(r"^(?P<year>\d{4})\s*(?:[-/.]|年)?\s*(?P<month>\d{1,2})\s*月?$"),
    # 2023-01~02, 2023年1-2月, 2023年1—2月, 2023-1-2
    re.compile(
        rf"^(?P<year>\d{{4}})\s*(?:[-/.]|年)?\s*(?P<first>\d{{1,2}})\s*月?\s*[{_DASHES}]\s*"
        r"(?P<month>\d{1,2})\s*月?$"
    ),
)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int
    first_month: int

    def __post_init__(self) -> None:
        if not (1 <= self.first_month <= self.month <= 12):
            raise ValueError(f"not a period: {self.year}-{self.first_month}~{self.month}")

    @classmethod
    def of(cls, year: int, month: int, first_month: int | None = None) -> Period:
        return cls(year, month, month if first_month is None else first_month)

    @classmethod
    def parse(cls, text: str) -> Period:
        """A period from what officers write; DomainError (in the reader's language) if none."""
        cleaned = re.sub(r"\s+", "", str(text or "")).translate(
            str.maketrans("０１２３４５６７８９", "0123456789")
        )
        for pattern in _PATTERNS:
            match = pattern.match(cleaned)
            if match is None:
                continue
            year, month = int(match["year"]), int(match["month"])
            first = int(match.groupdict().get("first") or month)
            if 1900 <= year <= 2100 and 1 <= first <= month <= 12:
                return cls(year, month, first)
        raise DomainError(
            _("%(text)s is not a period: write a month as 2023-06, or 1–2月 as 2023-01~02.")
            % {"text": text or "—"}
        )

    @property
    def key(self) -> str:
        """The period as the CLI and URLs write it: "2023-06" or "2023-01~02"."""
        if self.first_month == self.month:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.first_month:02d}~{self.month:02d}"

    @property
    def label(self) -> str:
        """The period as Chinese statistics write it: 2023年6月, 2023年1–2月."""
        if self.first_month == self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年{self.first_month}–{self.month}月"

    @property
    def ytd_label(self) -> str:
        """The year to date at this period: 1–6月 (or 1月)."""
        return f"1–{self.month}月" if self.month > 1 else "1月"

    @property
    def months(self) -> range:
        return range(self.first_month, self.month + 1)

    @property
    def is_combined(self) -> bool:
        return self.first_month != self.month

    def overlaps(self, other: Period) -> bool:
        return (
            self.year == other.year
            and self.first_month <= other.month
            and other.first_month <= self.month
        )

    def same_last_year(self) -> Period:
        return Period(self.year - 1, self.month, self.first_month)

    def next_month(self) -> Period:
        if self.month == 12:
            return Period(self.year + 1, 1, 1)
        return Period(self.year, self.month + 1, self.month + 1)

    def __str__(self) -> str:
        return self.label


def month_periods(first: Period, last: Period) -> list[Period]:
    """Every single month from `first`'s first month to `last`'s month, across years."""
    periods, current = [], Period(first.year, first.first_month, first.first_month)
    while (current.year, current.month) <= (last.year, last.month):
        periods.append(current)
        current = current.next_month()
    return periods


class CumulativeGap(DomainError):
    """A cumulative figure whose previous period is missing, so its own value is unknown."""


def values_from_cumulative(
    cumulatives: Sequence[tuple[Period, Decimal]],
    *,
    before: Decimal | None = None,
    before_month: int = 0,
) -> list[tuple[Period, Decimal]]:
    """The periods' own values from their cumulative values (本年累计), one year's periods in
    order. `before` is the cumulative at `before_month` (0: the year's start, nothing before),
    known from earlier records. Each period must start right after the one before it: a gap
    (a missing month) raises CumulativeGap, since that month's value cannot be known. A
    negative value is kept: the bureau does revise cumulative figures down."""
    result: list[tuple[Period, Decimal]] = []
    previous = Decimal(0) if before is None else before
    previous_month = before_month
    for period, cumulative in cumulatives:
        if period.first_month != previous_month + 1:
            raise CumulativeGap(
                _("%(period)s does not follow the month before it on record (%(month)s).")
                % {
                    "period": period.label,
                    "month": f"{period.year}年{previous_month}月" if previous_month else "—",
                }
            )
        result.append((period, cumulative - previous))
        previous, previous_month = cumulative, period.month
    return result


def cumulative_of(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
