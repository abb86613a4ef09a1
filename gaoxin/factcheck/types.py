"""What a check of a report is made of; reading (reading.py), matching (matching.py), the
page, the sheets and the CLI all speak these.

Offsets: the text is read in a plain form (simplified characters, the pinyin a bad copy puts in
brackets removed, full-width digits made half-width: `Prepared.plain`); a mention is located
in that form (`start`, `end`) and in the text as the user gave it (`at`), which is where the
page and the .docx mark it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Prepared:
    """A text as given and in its plain form; `origin[i]` is the offset in `original` of
    `plain[i]` (one more entry, for the end of the text)."""

    original: str
    plain: str
    origin: tuple[int, ...]

    def at(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind plain[start:end]."""
        return self.origin[start], self.origin[end - 1] + 1 if end > start else self.origin[start]


class Kind(StrEnum):
    """What a number in a text is; only FIGURE is checked against the records."""

    FIGURE = "figure"
    DATE = "date"  # 2023年6月30日, 6月底, 上半年
    YEAR = "year"  # 2022年 (as a year, not 2022家)
    MARKER = "marker"  # 一是, （三）, 1., 第一批
    NAME = "name"  # inside a name: 12英寸, 5.0产业新空间, "3+3+1"
    ORDINAL = "ordinal"


@dataclass(frozen=True)
class Mention:
    """A number in a text.

    `value` is what is written, in base units: yuan for money (32.48亿元 → 3248000000), m² for
    areas (210万平方米 → 2100000; 亩 converted), per cent for shares, the count for a count.
    `low`..`high` is what the text claims, both inclusive, None for open: "32.48亿元" claims
    what rounds to it (3247500000..3248499999.99), "1400多万元" 14000000..15000000, "超过500家"
    501.. (None), "约210万平方米" near it. `unit` is the base unit ("元", "平方米", "%") or the
    measure word of a count ("个", "家", "场", "人"), "" when none is written; `written_unit` is as
    written ("亿元", "万平方米", "家"); `qualifier` the word that widens it (约, 近, 超过, 多, 余,
    以上), "" when exact."""

    start: int
    end: int
    at: tuple[int, int]
    text: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    unit: str = ""
    written_unit: str = ""
    qualifier: str = ""
    kind: Kind = Kind.FIGURE

    def claims(self, value: Decimal) -> bool:
        """Whether a record's value (in base units) is what the text says."""
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


class Verdict(StrEnum):
    AGREES = "agrees"
    DISAGREES = "disagrees"
    UNRECOGNISED = "unrecognised"


@dataclass(frozen=True)
class Candidate:
    """A metric a figure may be: its key, label, how well the words fit and which words."""

    key: str
    label: str
    score: float
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reading:
    """A metric's value for the report's day, as known on some day: the value (base units),
    how the text should read it ("32.48亿元", "96个"), and whether the text's figure agrees."""

    value: Decimal
    shown: str
    agrees: bool


@dataclass(frozen=True)
class Finding:
    """One figure of the text and what the records say of it.

    `verdict` is the records' answer as known today; `then` is the answer as known on the
    report's day (from the records' history), None when that day is today or the history
    could not be read; a figure that agreed then and disagrees now was revised later
    (`revised`), which is not the report being wrong."""

    mention: Mention
    verdict: Verdict
    key: str | None = None
    label: str = ""
    candidates: tuple[Candidate, ...] = ()
    now: Reading | None = None
    then: Reading | None = None
    records_url: str = ""

    @property
    def revised(self) -> bool:
        return self.then is not None and self.then.agrees and self.verdict == Verdict.DISAGREES

    @property
    def ambiguous(self) -> bool:
        """More than one metric fitted the words: the page shows them and the one chosen."""
        return len(self.candidates) > 1


@dataclass(frozen=True)
class Report:
    """A checked text: the text, the zones and day it speaks of, its figures in text order."""

    prepared: Prepared
    zone_ids: tuple[int, ...]
    as_of: dt.date
    findings: tuple[Finding, ...] = field(default=())
    # The day read from the text ("截至2023年6月30日"), which the form prefills.
    said_day: dt.date | None = None

    def counts(self) -> dict[Verdict, int]:
        counts = dict.fromkeys(Verdict, 0)
        for finding in self.findings:
            counts[finding.verdict] += 1
        return counts

    @property
    def disagrees(self) -> bool:
        return any(f.verdict == Verdict.DISAGREES for f in self.findings)
