"""A checked report as the page, the sheet, the Word comments and the CLI show it: one row per
figure (its number in the text, the verdict in words and as a sign, the metric and its other
candidates, the record's value as known today and on the report's day, how the text should
read), and the text cut into paragraphs of plain parts and marked figures. Colour is never the
only sign: every verdict also has a symbol and words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gaoxin.core import formatting
from gaoxin.factcheck.types import Finding, Reading, Report, Verdict

AUTHOR = "Gaoxin 数据核对"

SIGNS = {Verdict.AGREES: "✓", Verdict.DISAGREES: "✗", Verdict.UNRECOGNISED: "?"}


def verdict_label(verdict: Verdict) -> str:
    return {
        Verdict.AGREES: _("Agrees"),
        Verdict.DISAGREES: _("Disagrees"),
        Verdict.UNRECOGNISED: _("Not recognised"),
    }[verdict]


def value_text(value: Decimal, unit: str) -> str:
    """A record's value in its base unit as a reader takes it: money in 万元/亿元, areas in
    万平方米, shares with %, counts with their measure word."""
    if unit == "元":
        return formatting.money(value, places=4)
    if unit == "平方米":
        return formatting.area(value, places=4)
    return f"{formatting.number(value, places=4)}{unit}"


@dataclass(frozen=True)
class Row:
    number: int
    finding: Finding

    @property
    def verdict(self) -> str:
        return self.finding.verdict.value

    @property
    def sign(self) -> str:
        return SIGNS[self.finding.verdict]

    @property
    def verdict_label(self) -> str:
        return verdict_label(self.finding.verdict)

    @property
    def text(self) -> str:
        return self.finding.mention.text

    @property
    def label(self) -> str:
        return self.finding.label or ""

    @property
    def others(self) -> list[str]:
        """The other metrics the words fitted, when more than one did."""
        if not self.finding.ambiguous:
            return []
        return [c.label for c in self.finding.candidates if c.key != self.finding.key]

    def _value(self, reading: Reading | None) -> str:
        if reading is None:
            return ""
        return value_text(reading.value, self.finding.mention.unit)

    @property
    def now_value(self) -> str:
        return self._value(self.finding.now)

    @property
    def shown(self) -> str:
        return self.finding.now.shown if self.finding.now else ""

    @property
    def then_value(self) -> str:
        then = self.finding.then
        if then is None:
            return ""
        value = self._value(then)
        return f"{value}（{then.shown}）" if then.shown and then.shown != value else value

    @property
    def note(self) -> str:
        finding = self.finding
        if finding.revised:
            return _("Right when published, revised since")
        if finding.verdict == Verdict.UNRECOGNISED:
            return _("Matches no figure of the records: check it by hand")
        if finding.then is not None and not finding.then.agrees and finding.then != finding.now:
            return _("Wrong on the report's day as well")
        return ""

    @property
    def records_url(self) -> str:
        return self.finding.records_url if self.finding.verdict != Verdict.UNRECOGNISED else ""

    @property
    def summary(self) -> str:
        """One sentence: the page's tooltip and the Word comment."""
        finding = self.finding
        if finding.verdict == Verdict.UNRECOGNISED:
            return _("Not recognised: %(text)s matches no figure of the records.") % {
                "text": self.text
            }
        parts = [f"{self.verdict_label}：{self.label}"]
        if finding.now is not None:
            parts.append(
                _("the records say %(value)s, it reads %(shown)s")
                % {"value": self.now_value, "shown": self.shown}
            )
        if finding.then is not None:
            parts.append(_("on the report's day %(value)s") % {"value": self.then_value})
        if self.note:
            parts.append(self.note)
        if self.others:
            parts.append(_("may also be %(others)s") % {"others": "、".join(self.others)})
        return "；".join(parts) + "。"


def rows(report: Report) -> list[Row]:
    return [Row(number, finding) for number, finding in enumerate(report.findings, 1)]


def summary(report: Report) -> str:
    counts = report.counts()
    return _("%(agrees)d agree, %(disagrees)d disagree, %(unrecognised)d not recognised") % {
        "agrees": counts[Verdict.AGREES],
        "disagrees": counts[Verdict.DISAGREES],
        "unrecognised": counts[Verdict.UNRECOGNISED],
    }


def day_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def paragraphs(report: Report, all_rows: list[Row]) -> list[list[str | Row]]:
    """The text as given, one list per line, each a run of plain strings and marked figures
    (a figure overlapping an earlier one is left unmarked: it is still in the table)."""
    text = report.prepared.original
    marks = sorted(all_rows, key=lambda row: row.finding.mention.at)
    lines: list[list[str | Row]] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        parts: list[str | Row] = []
        cursor = line_start
        for row in marks:
            start, end = row.finding.mention.at
            if start < cursor or start >= line_end or end > line_end:
                continue
            if start > cursor:
                parts.append(text[cursor:start])
            parts.append(row)
            cursor = end
        if cursor < line_end:
            parts.append(text[cursor:line_end])
        lines.append(parts)
        line_start = line_end + 1
    return lines
