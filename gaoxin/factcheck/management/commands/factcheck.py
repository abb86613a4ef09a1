"""`gaoxin factcheck FILE --zone CODE [--as-of YYYY-MM-DD] [--json]`: every figure of a report
(.txt or .docx) checked against the zone's records, as the 数据核对 page does.

Exits 0 when no figure disagrees, 1 when one does, 2 when the file, zone or day cannot be
used (the message on stderr)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gaoxin.core.access import zone_model
from gaoxin.core.forms import AsOfField
from gaoxin.core.metrics import json_number
from gaoxin.factcheck import docx, present, services
from gaoxin.factcheck.types import Reading, Report

USAGE = 2


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE)


def read_file(path: Path) -> str:
    """The text of a .txt (UTF-8, or GB18030 as Chinese Windows saves it) or .docx file."""
    if not path.is_file():
        raise _refuse(f"{path}: no such file")
    suffix = path.suffix.lower()
    content = path.read_bytes()
    if suffix == ".docx":
        try:
            return docx.read_text(content)
        except docx.Unreadable:
            raise _refuse(f"{path}: not a Word document (.docx) that can be read") from None
    if suffix != ".txt":
        raise _refuse(f"{path}: give a .txt or a .docx file")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise _refuse(f"{path}: not a text file in UTF-8 or GB18030")


def _reading(reading: Reading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {"value": json_number(reading.value), "shown": reading.shown, "agrees": reading.agrees}


def as_json(report: Report) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "said_day": report.said_day.isoformat() if report.said_day else None,
        "counts": {verdict.value: n for verdict, n in report.counts().items()},
        "figures": [
            {
                "number": row.number,
                "text": row.text,
                "at": list(row.finding.mention.at),
                "written": json_number(row.finding.mention.value),
                "unit": row.finding.mention.unit,
                "verdict": row.verdict,
                "key": row.finding.key,
                "label": row.label,
                "now": _reading(row.finding.now),
                "then": _reading(row.finding.then),
                "shown": row.shown or None,
                "revised": row.finding.revised,
                "candidates": [
                    {"key": c.key, "label": c.label, "score": c.score}
                    for c in row.finding.candidates
                ],
                "records_url": row.records_url or None,
            }
            for row in present.rows(report)
        ],
    }


class Command(BaseCommand):
    help = (
        "Check every figure of a report (.txt or .docx) against a zone's records; "
        "exit 1 when any disagrees."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the report: a .txt (UTF-8) or .docx file")
        parser.add_argument("--zone", required=True, help="zone code")
        parser.add_argument(
            "--as-of", dest="as_of", help="YYYY-MM-DD; default: the day the text names, else today"
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(
        self, *args: Any, file: str, zone: str, as_of: str | None, json: bool, **options: Any
    ) -> None:
        zones = zone_model().objects.filter(code=zone)
        found = zones.first()
        if found is None:
            known = ", ".join(zone_model().objects.values_list("code", flat=True)) or "none"
            raise _refuse(f"no zone with code {zone!r} (known: {known})")
        day = None
        if as_of:
            try:
                day = AsOfField().clean(as_of)
            except ValidationError as error:
                raise _refuse(f"--as-of {as_of!r}: {' '.join(error.messages)}") from None
        text = read_file(Path(file))
        report = services.check(text, [found.pk], day)
        if json:
            self.stdout.write(_dumps(as_json(report)))
        else:
            self._table(report)
        if report.disagrees:
            sys.exit(1)

    def _table(self, report: Report) -> None:
        said = f"（正文：{present.day_text(report.said_day)}）" if report.said_day else ""
        self.stdout.write(f"截至 {present.day_text(report.as_of)}{said}")
        for row in present.rows(report):
            line = f"{row.number:>3} {row.sign} {row.text:<12} {row.verdict_label:<6} {row.label}"
            if row.finding.now is not None:
                line += f"  记录值 {row.now_value}  应写作 {row.shown}"
            if row.finding.then is not None:
                line += f"  当时 {row.then_value}"
            if row.note:
                line += f"  {row.note}"
            if row.others:
                line += f"  另可能是 {'、'.join(row.others)}"
            self.stdout.write(line)
        self.stdout.write(present.summary(report))


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
