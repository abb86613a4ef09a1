"""A briefing's sign-in sheet (签到表) as attendance: an .xlsx with the columns 企业名称 /
统一社会信用代码 / 人数 (python-calamine).

`read_signin_sheet(source)` reads the rows as written (title rows above the header, merged
cells and full-width characters are accepted); `check_signin_rows(event, rows)` matches each
row to the registry of the briefing's zone — by the credit code, else by the exact name — and
lists every bad row with its number as Excel shows it and the reason. The service
`services.attendance_import` writes the rows only when none is bad.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.excel import write_workbook
from gaoxin.core.excel_read import (
    HEADER_SEARCH_ROWS,
    Problem,
    Source,
    find_header_row,
    read_grid,
    read_header,
    too_many_rows,
    unreadable,
)
from gaoxin.core.parsing import cell_text, is_blank, parse_int
from gaoxin.core.text import fold
from gaoxin.enterprises.imports import COLUMN_BY_KEY
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.validators import validate_uscc
from gaoxin.policies.models import PEOPLE_MAX, EventAttendance, PolicyEvent

MAX_ROWS = 5000


NAME_HEADER = "企业名称"
USCC_HEADER = "统一社会信用代码"
PEOPLE_HEADER = "人数"
HEADERS = {
    "name": COLUMN_BY_KEY["name"].names,
    "uscc": COLUMN_BY_KEY["uscc"].names,
    "people": (PEOPLE_HEADER, "参会人数", "参加人数", "出席人数", "到会人数", "人员数"),
}
_HEADER_INDEX = {name.lower(): key for key, names in HEADERS.items() for name in names}
_HEADER_NOISE = re.compile(r"[*＊※\s]|[(（](?:必填|选填|可选|人)[)）]")


@dataclass(frozen=True)
class SigninRow:
    """One row of the sheet as written."""

    row: int  # as Excel numbers it
    name: str
    uscc: str
    people: Any  # the cell, parsed when checked


@dataclass
class SigninSheet:
    rows: list[SigninRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # key → header as written


@dataclass
class CheckedRow:
    row: int
    enterprise: Enterprise
    people: int


@dataclass
class AttendanceImportResult:
    rows: list[CheckedRow] = field(default_factory=list)
    row_problems: list[Problem] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    created: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [*self.file_problems, *sorted(self.row_problems, key=lambda p: p.row or 0)]

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.row_problems if p.row is not None})

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


# --- reading ------------------------------------------------------------------------------


def _header_key(raw: object) -> str | None:
    return read_header(raw, _HEADER_INDEX, _HEADER_NOISE)[0]


def _header_positions(row: list[Any]) -> dict[str, int]:
    """The columns a row's cells name, each at the first cell naming it."""
    found: dict[str, int] = {}
    for position, raw in enumerate(row):
        key = _header_key(raw)
        if key is not None:
            found.setdefault(key, position)
    return found


def read_signin_sheet(
    source: Source, *, progress: Callable[[int], object] | None = None
) -> SigninSheet:
    """The sheet's rows, unchecked; problems only for a file that cannot be read at all.
    `progress(1)`, when given, hears of each row read (a background job's progress)."""
    sheet = SigninSheet()
    try:
        grid = read_grid(source)
    except Exception:  # calamine raises its own errors for anything that is not a workbook
        sheet.problems.append(unreadable())
        return sheet
    header_index = find_header_row(
        grid, lambda row: bool(_header_positions(row).keys() & {"name", "uscc"})
    )
    if header_index is None:
        sheet.problems.append(
            Problem(
                None,
                "",
                _(
                    "No header row was found: none of the first %(n)d rows has 企业名称 or "
                    "统一社会信用代码."
                )
                % {"n": HEADER_SEARCH_ROWS},
            )
        )
        return sheet
    positions = _header_positions(grid[header_index])
    sheet.headers = {key: fold(grid[header_index][at]) for key, at in positions.items()}
    if len(grid) - header_index - 1 > MAX_ROWS:
        sheet.problems.append(too_many_rows(MAX_ROWS))
        return sheet

    def cell(row: list[Any], key: str) -> Any:
        position = positions.get(key)
        return row[position] if position is not None and position < len(row) else ""

    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        name, code, people = cell(row, "name"), cell(row, "uscc"), cell(row, "people")
        if all(cell_text(value) == "" for value in (name, code, people)):
            continue
        if _header_key(name) == "name" or _header_key(code) == "uscc":
            continue  # the header repeated on each printed page
        sheet.rows.append(SigninRow(index + 1, cell_text(name), cell_text(code), people))
        if progress is not None:
            progress(1)
    if not sheet.rows:
        sheet.problems.append(Problem(None, "", _("The sheet has no rows of enterprises.")))
    return sheet


# --- checking against the registry ---------------------------------------------------------


@dataclass(frozen=True)
class _Registry:
    """The briefing zone's enterprises, read once for the whole sheet."""

    by_code: dict[str, Enterprise]
    by_name: dict[str, list[Enterprise]]
    attending: set[int]

    @classmethod
    def of(cls, event: PolicyEvent) -> _Registry:
        by_code: dict[str, Enterprise] = {}
        by_name: dict[str, list[Enterprise]] = defaultdict(list)
        for enterprise in Enterprise.objects.filter(zone_id=event.zone_id).only(
            "pk", "name", "uscc", "zone_id"
        ):
            by_code[enterprise.uscc] = enterprise
            by_name[fold(enterprise.name)].append(enterprise)
        attending = set(
            EventAttendance.objects.filter(event=event).values_list("enterprise_id", flat=True)
        )
        return cls(by_code, dict(by_name), attending)


def check_signin_rows(
    event: PolicyEvent,
    rows: Sequence[SigninRow],
    *,
    headers: dict[str, str] | None = None,
    progress: Callable[[int], object] | None = None,
) -> AttendanceImportResult:
    """Match every row to an enterprise of the briefing's zone; list every bad row.
    `progress(1)`, when given, hears of each row checked (a background job's progress)."""
    headers = {"name": NAME_HEADER, "uscc": USCC_HEADER, "people": PEOPLE_HEADER} | (headers or {})
    result = AttendanceImportResult()
    if not rows:
        result.file_problems.append(Problem(None, "", _("There are no rows to import.")))
        return result
    registry = _Registry.of(event)
    seen: dict[int, list[int]] = defaultdict(list)  # enterprise → rows naming it
    for row in rows:
        problems: list[Problem] = []
        enterprise = _match(row, registry, headers, problems)
        people = _people(row, headers, problems)
        if enterprise is not None:
            seen[enterprise.pk].append(row.row)
            if enterprise.pk in registry.attending:
                problems.append(
                    Problem(
                        row.row,
                        headers["name"],
                        _("%(name)s is already recorded as attending this briefing.")
                        % {"name": enterprise.name},
                    )
                )
        result.row_problems.extend(problems)
        if enterprise is not None and people is not None and not problems:
            result.rows.append(CheckedRow(row.row, enterprise, people))
        if progress is not None:
            progress(1)
    for numbers in seen.values():
        if len(numbers) < 2:
            continue
        listed = "、".join(str(n) for n in numbers)
        for number in numbers:
            result.row_problems.append(
                Problem(
                    number,
                    headers["name"],
                    _("The same enterprise appears more than once in this file: rows %(rows)s.")
                    % {"rows": listed},
                )
            )
    if result.row_problems:
        bad = set(result.bad_rows)
        result.rows = [r for r in result.rows if r.row not in bad]
    return result


def _match(
    row: SigninRow, registry: _Registry, headers: dict[str, str], problems: list[Problem]
) -> Enterprise | None:
    name = fold(row.name)
    if not is_blank(row.uscc):
        try:
            code = validate_uscc(row.uscc)
        except ValidationError as exc:
            problems.append(Problem(row.row, headers["uscc"], exc.messages[0]))
            return None
        enterprise = registry.by_code.get(code)
        if enterprise is None:
            same_name = registry.by_name.get(name, [])
            hint = (
                _(" %(name)s is in the registry with the code %(code)s.")
                % {"name": name, "code": same_name[0].uscc}
                if len(same_name) == 1
                else ""
            )
            problems.append(
                Problem(
                    row.row,
                    headers["uscc"],
                    _("No enterprise of this zone has the code %(code)s.") % {"code": code} + hint,
                )
            )
        return enterprise
    if is_blank(name):
        problems.append(
            Problem(
                row.row,
                headers["name"],
                _("Give the enterprise's name or its credit code."),
            )
        )
        return None
    found = registry.by_name.get(name, [])
    if not found:
        problems.append(
            Problem(
                row.row,
                headers["name"],
                _(
                    "No enterprise of this zone is named “%(name)s”: write its full registered "
                    "name or its credit code."
                )
                % {"name": name},
            )
        )
        return None
    if len(found) > 1:
        problems.append(
            Problem(
                row.row,
                headers["name"],
                _("Several enterprises are named “%(name)s”: give the credit code.")
                % {"name": name},
            )
        )
        return None
    return found[0]


def _people(row: SigninRow, headers: dict[str, str], problems: list[Problem]) -> int | None:
    if is_blank(row.people):
        return 1  # a sheet without counts: one person signed in for the enterprise
    try:
        people = parse_int(row.people)
    except ValueError as exc:
        problems.append(Problem(row.row, headers["people"], str(exc)))
        return None
    if not 1 <= people <= PEOPLE_MAX:
        problems.append(
            Problem(
                row.row,
                headers["people"],
                _("The number of people must be between 1 and %(max)d.") % {"max": PEOPLE_MAX},
            )
        )
        return None
    return people


# --- the template -------------------------------------------------------------------------


def template_workbook() -> bytes:
    """The sign-in sheet officers fill in: one example row to delete."""
    return write_workbook(
        [NAME_HEADER, USCC_HEADER, PEOPLE_HEADER],
        [["珠海示例科技有限公司", "91440400MA4UXXXX0X", 2]],
        sheet_name="签到表",
        title=_(
            "Briefing sign-in sheet: give each enterprise's name or credit code (the code "
            "is matched first) and the people it sent; delete the example row."
        ),
    )
