"""Reading Excel sheets that people filled in: the first sheet as a grid (merged cells
repeated down), the header row found among the first rows under any titles, the units of
money a sheet states in its headers or in a unit row, and the problems of a file, each with
its row as Excel numbers it. The imports (enterprises, a briefing's sign-in sheet, later the
statistics) build on these; what a cell means to them is theirs.

Writing workbooks is core/excel.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from gaoxin.core.parsing import (
    MONEY_UNIT_NAMES,
    MoneyUnit,
    read_unit,
    read_unit_spec,
    shown,
    strip_control,
)
from gaoxin.core.text import clean, fold

HEADER_SEARCH_ROWS = 10
Source = bytes | str | Path | IO[bytes]
T = TypeVar("T")

# Units in a header: in brackets anywhere ("注册资本（亿元）", "【万元】", "（单位：万元）"), or
# after the name with a slash or a space ("注册资本/万元", "注册资本 万元", a line break).
_HEADER_BRACKETS = re.compile(r"[(\[【]\s*([^()\[\]【】]*?)\s*[)\]】]")
_HEADER_TRAILING_UNIT = re.compile(r"(?:\s*/\s*|\s+)([^/\s]+)$")
# Both widths: cells are read as typed (core.text.clean), so ，；／ are separators too.
_LIST_SEPARATORS = re.compile(r"[、,，;；/／\n]")


@dataclass(frozen=True)
class SheetColumn:
    """A column an import reads: its key, its header as the template writes it, the other
    headers that name it, and the kind of cell it holds."""

    key: str
    header: str  # as the template writes it
    synonyms: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text, date, amount, int, bool, list, email, uscc, year

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


@dataclass(frozen=True)
class Problem:
    row: int | None  # as Excel numbers it; None for the file as a whole
    column: str  # the header as written in the file, or ""
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = _("Row %(row)d") % {"row": self.row}
        if self.column:
            where += f" · {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ColumnUnit:
    """The unit an amount column's bare numbers were read in, and where it was found."""

    header: str  # the column's header as written
    unit: str  # "万元"
    factor: Decimal  # yuan per unit
    source: str  # "header", "unit_row" or "none" (nothing said: 元 assumed)
    row: int | None = None  # the unit row, for source "unit_row"

    @property
    def explanation(self) -> str:
        if self.source == "header":
            return _("from the column's header")
        if self.source == "unit_row":
            return _("from the unit row (row %(row)d)") % {"row": self.row}
        return _("no unit given: 元 assumed")


# A column as found in a sheet: its position, what it is, the factor its amounts are scaled
# by (yuan per unit), and its header as written.
PlacedColumn = tuple[int, SheetColumn, Decimal, str]


def unreadable() -> Problem:
    return Problem(None, "", _("The file cannot be read as an Excel workbook (.xlsx)."))


def problems_in_short(problems: Sequence[Problem], *, first: int = 5) -> str:
    """A file's problems in one line: the first few, then how many more (a failed import
    job's message, which the user reads on the job's page)."""
    text = "；".join(str(problem) for problem in problems[:first])
    if len(problems) > first:
        text += _("; and %(n)d more.") % {"n": len(problems) - first}
    return text


def too_many_rows(limit: int) -> Problem:
    return Problem(
        None,
        "",
        _("The sheet has more than %(n)d rows; split it into smaller files.") % {"n": limit},
    )


def header_parts(raw: object, noise: re.Pattern[str] | None = None) -> tuple[str, list[str]]:
    """A header cell without `noise` and without what it writes in brackets, and the texts
    in those brackets (units, usually): "营业收入（万元）" → ("营业收入", ["万元"])."""
    text = fold(raw)
    if noise is not None:
        text = noise.sub("", text).strip()
    written: list[str] = []

    def aside(match: re.Match[str]) -> str:
        written.append(match[1])
        return " "

    return _HEADER_BRACKETS.sub(aside, text).strip(), written


def units_written(written: list[str]) -> list[MoneyUnit]:
    """The units (of money or not) among texts a header writes; notes are left out."""
    return [
        unit
        for text in written
        for unit in (read_unit_spec(text) or [read_unit(text)])
        if unit.kind != "note"
    ]


def read_header(
    raw: object, names: dict[str, T], noise: re.Pattern[str]
) -> tuple[T | None, list[MoneyUnit]]:
    """What a header cell names (looked up, lower-cased and without spaces, in `names`, once
    `noise` such as "*" or "（必填）" is removed), and the units written in it (none, usually
    one): "注册资本（万元）", "注册资本/万元", "注册资本 万元"."""
    bare, written = header_parts(raw, noise)
    found = names.get(bare.replace(" ", "").lower())
    if found is None:
        trailing = _HEADER_TRAILING_UNIT.search(bare)
        # "法定 代表人" is a name with a space, not 法定 in the unit 代表人.
        if trailing is not None and read_unit(trailing[1]).kind != "note":
            found = names.get(bare[: trailing.start()].replace(" ", "").lower())
            written.append(trailing[1])
    if found is None:
        return None, []
    return found, units_written(written)


def find_header_row(
    grid: list[list[Any]],
    is_header: Callable[[list[Any]], bool],
    *,
    search_rows: int = HEADER_SEARCH_ROWS,
) -> int | None:
    """The index of the first of the first `search_rows` rows that is the header."""
    for index, row in enumerate(grid[:search_rows]):
        if is_header(row):
            return index
    return None


def split_list(text: str) -> list[str]:
    """A cell listing several names ("储能、光伏", "a,b;c"), each once, in order."""
    return list(dict.fromkeys(p.strip() for p in _LIST_SEPARATORS.split(text) if p.strip()))


def sheet_height(content: bytes) -> int:
    """How many rows the first sheet spans (title and header rows included), without turning
    its cells into Python values; 0 for a file calamine cannot read (the import says why)."""
    try:
        return int(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).height)
    except Exception:  # calamine raises its own errors for anything that is not a workbook
        return 0


def read_grid(source: bytes | str | Path | IO[bytes]) -> list[list[Any]]:
    """The first sheet as a grid whose indexes are Excel's (row 1 is grid[0]), with each
    vertically merged block's value repeated down its rows (calamine leaves them empty).
    Text cells carry no control characters: a NUL (Excel's _x0000_) never reaches a parser
    or the database."""
    if isinstance(source, bytes):
        book = CalamineWorkbook.from_filelike(io.BytesIO(source))
    elif isinstance(source, str | Path):
        book = CalamineWorkbook.from_path(str(source))
    else:
        book = CalamineWorkbook.from_filelike(source)
    sheet = book.get_sheet_by_index(0)
    grid = [
        [strip_control(cell) if isinstance(cell, str) else cell for cell in row]
        for row in sheet.to_python(skip_empty_area=False)
    ]
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if bottom == top or top >= len(grid):
            continue
        width = max(right + 1, len(grid[top]))
        while len(grid) <= bottom:
            grid.append([""] * width)
        value = grid[top][left] if left < len(grid[top]) else ""
        for r in range(top + 1, bottom + 1):
            if len(grid[r]) <= left:
                grid[r].extend([""] * (left + 1 - len(grid[r])))
            if grid[r][left] in ("", None):
                grid[r][left] = value
    return grid


def unit_statements(
    grid: list[list[Any]], header_index: int, header_positions: set[int]
) -> list[tuple[int, str, list[MoneyUnit]]]:
    """Every "单位：万元" above the header (in any cell of the title and unit rows, merged or
    right-aligned) or beside it in the header row: (row number, text, its units of money)."""
    found = []
    for index in range(header_index + 1):
        for position, cell in enumerate(grid[index]):
            if not isinstance(cell, str) or (
                index == header_index and position in header_positions
            ):
                continue
            units = read_unit_spec(cell)
            if units is None:
                continue
            money = [u for u in units if u.kind in ("money", "foreign")]
            if money:
                found.append((index + 1, shown(clean(cell)), money))
    return found


def apply_units(
    grid: list[list[Any]],
    header_index: int,
    columns: list[PlacedColumn],
    header_units: dict[int, list[MoneyUnit]],
    problems: list[Problem],
    units: list[ColumnUnit],
) -> list[PlacedColumn]:
    """Each amount column's unit: its header's if it says one, else the sheet's unit row's,
    else 元. A unit that is not money, a foreign or unknown currency, or a unit row that names
    several units of money (or two unit rows that disagree) is a file problem naming the
    column: guessing would write figures wrong by a factor of 10,000."""
    for position, column, _f, header in columns:
        scaled = [u.written for u in header_units[position] if u.written[:1] in "十百千万亿"]
        if column.kind == "int" and scaled:
            # "从业人员（万人）": a count is stored as the number itself, never scaled.
            problems.append(
                Problem(
                    None,
                    header,
                    _(
                        "The column %(column)s counts in %(unit)s: write the numbers themselves "
                        "(e.g. 12000, not 1.2) and leave the unit out of the header."
                    )
                    % {"column": header, "unit": scaled[0]},
                )
            )
    if not any(column.kind == "amount" for _p, column, _u, _h in columns):
        return columns
    statements = unit_statements(grid, header_index, {p for p, _c, _u, _h in columns})
    sheet_units = {u.name: u for _row, _text, units in statements for u in units}
    where = "; ".join(
        _("row %(row)d: %(text)s") % {"row": row, "text": text} for row, text, _u in statements
    )
    known = "、".join(MONEY_UNIT_NAMES)
    resolved = []
    for position, column, factor, header in columns:
        if column.kind != "amount":
            resolved.append((position, column, factor, header))
            continue
        header_money = {u.name: u for u in header_units[position] if u.kind != "other"}
        own = next(iter(header_money.values()), None) or next(iter(header_units[position]), None)
        problem = None
        if len(header_money) > 1:
            problem = _(
                "The header %(column)s names several units: %(units)s. Keep the one its "
                "amounts are in."
            ) % {"column": header, "units": "、".join(header_money)}
        elif own is not None and own.kind == "money":
            assert own.factor is not None
            unit = ColumnUnit(header, own.name, own.factor, "header")
        elif own is not None and own.kind == "foreign":
            problem = _(
                "The column %(column)s is in %(unit)s, a foreign currency or a unit this import "
                "does not know: convert its amounts to one of %(known)s first."
            ) % {"column": header, "unit": own.written, "known": known}
        elif own is not None:
            problem = _(
                "The column %(column)s holds amounts of money, but its header gives the unit "
                "%(unit)s, which is not money: write one of %(known)s."
            ) % {"column": header, "unit": own.written, "known": known}
        elif len(sheet_units) > 1:
            problem = _(
                "The unit of the column %(column)s is ambiguous: the sheet says %(units)s "
                "(%(where)s). Write the unit in the column's header, e.g. %(example)s."
            ) % {
                "column": header,
                "units": "、".join(sheet_units),
                "where": where,
                "example": f"{header}（万元）",
            }
        elif sheet_units:
            (only,) = sheet_units.values()
            if only.kind != "money":
                problem = _(
                    "The sheet's unit for %(column)s is %(unit)s (%(where)s), a foreign "
                    "currency or a unit this import does not know: convert its amounts to one "
                    "of %(known)s first."
                ) % {"column": header, "unit": only.written, "where": where, "known": known}
            else:
                assert only.factor is not None
                row = next(r for r, _t, units in statements if only in units)
                unit = ColumnUnit(header, only.name, only.factor, "unit_row", row)
        else:
            unit = ColumnUnit(header, "元", Decimal(1), "none")
        if problem is not None:
            problems.append(Problem(None, header, problem))
            continue
        units.append(unit)
        resolved.append((position, column, unit.factor, header))
    return resolved
