"""A checked report as a workbook: a title row, a header row, then one row per figure with the
page's columns (through the project's writer, core/excel.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from gaoxin.core.excel import write_workbook
from gaoxin.factcheck.present import day_text, rows
from gaoxin.factcheck.types import Report


def headers() -> list[str]:
    return [
        _("No."),
        _("As written"),
        _("Result"),
        _("Figure"),
        _("May also be"),
        _("Records (today)"),
        _("Should read"),
        _("Records on the report's day"),
        _("Note"),
        _("Records"),
    ]


def to_xlsx(
    report: Report, *, title: str, absolute: Callable[[str], str] = lambda url: url
) -> bytes:
    """One row per figure, in text order; `absolute` makes the records' links whole URLs."""
    lines = (
        [
            row.number,
            row.text,
            f"{row.sign} {row.verdict_label}",
            row.label,
            "、".join(row.others),
            row.now_value,
            row.shown,
            row.then_value,
            row.note,
            absolute(row.records_url) if row.records_url else "",
        ]
        for row in rows(report)
    )
    subtitle = _("As of %(day)s") % {"day": day_text(report.as_of)}
    return write_workbook(
        headers(), lines, sheet_name=_("Report check"), title=title, subtitle=subtitle
    )
