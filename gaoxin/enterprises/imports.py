"""Importing enterprises from an .xlsx sheet (python-calamine).

`read_enterprise_sheet(zone, source)` reads and checks every row without writing anything and
returns an `ImportResult` with each row's problems (row numbers as Excel shows them);
`import_enterprises(zone=…, rows=…, by=…)` writes all rows in one transaction, or none if any
row is wrong. Real government sheets have title rows above the header, merged cells,
full-width characters, trailing spaces and amounts like "1,200万": all are accepted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core import figure_cache
from gaoxin.core.bulk import roomy_cache, write_new, write_rows
from gaoxin.core.errors import DomainError
from gaoxin.core.excel import write_workbook
from gaoxin.core.excel_read import (
    HEADER_SEARCH_ROWS,
    ColumnUnit,
    PlacedColumn,
    Problem,
    SheetColumn,
    Source,
    apply_units,
    find_header_row,
    read_grid,
    read_header,
    split_list,
    too_many_rows,
    unreadable,
)
from gaoxin.core.parsing import (
    BLANKS,
    MoneyUnit,
    cell_text,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    shown,
)
from gaoxin.core.text import fold
from gaoxin.enterprises.models import Enterprise, ScaleSpell
from gaoxin.enterprises.services import (
    enterprise_build,
    enterprise_chain,
    first_spell,
    liaison_candidates,
)
from gaoxin.enterprises.validators import forget_checked_codes, validate_uscc
from gaoxin.industries.models import ChainSegment, Industry, NationalIndustry

MAX_ROWS = 100_000
CODES_PER_QUERY = 900  # under SQLite's oldest limit of 999 parameters per query


Column = SheetColumn
COLUMNS: tuple[Column, ...] = (
    Column("name", "企业名称", ("单位名称", "企业全称", "公司名称", "企业名", "名称"), True),
    Column(
        "uscc",
        "统一社会信用代码",
        ("信用代码", "社会信用代码", "统一信用代码", "统一代码", "纳税人识别号"),
        True,
        "uscc",
    ),
    Column("short_name", "简称", ("企业简称", "单位简称")),
    Column("legal_representative", "法定代表人", ("法人", "法人代表", "法定代表")),
    Column("founded_on", "成立日期", ("成立时间", "注册日期", "注册时间"), kind="date"),
    Column("settled_on", "入区日期", ("入区时间", "入驻日期", "入驻时间", "落户日期"), kind="date"),
    Column("registered_capital", "注册资本", ("注册资金",), kind="amount"),
    Column(
        "employees",
        "从业人员",
        ("从业人数", "从业人员数", "员工人数", "职工人数", "人数"),
        kind="int",
    ),
    Column("address", "地址", ("注册地址", "经营地址", "企业地址", "办公地址", "地点")),
    Column("industries", "所属产业", ("产业", "所属行业", "产业领域", "产业类别"), kind="list"),
    Column("segments", "产业链环节", ("产业链", "环节", "所属环节", "链条环节"), kind="list"),
    Column("is_above_scale", "是否规上", ("规上企业", "是否规上企业", "规上"), kind="bool"),
    Column("above_scale_year", "规上年份", ("入规年份", "上规年份", "规上年度"), kind="year"),
    Column("contact_person", "联系人", ("企业联系人",)),
    Column("contact_phone", "联系电话", ("电话", "手机", "联系方式", "手机号码", "联系人电话")),
    Column("contact_email", "邮箱", ("电子邮箱", "邮件", "e-mail", "email"), kind="email"),
    Column(
        "national_industry",
        "国民经济行业分类",
        ("行业分类", "国民经济行业", "国标行业", "行业代码", "行业大类"),
        kind="national",
    ),
    Column("liaison_officer", "挂点联系人", ("挂点联系", "挂点专员", "联系专员"), kind="officer"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
_HEADER_INDEX = {name.lower(): column for column in COLUMNS for name in column.names}
_HEADER_NOISE = re.compile(r"[*＊※]|[(（](?:必填|选填|可选)[)）]")
_TEXT_LIMITS = {
    column.key: cast("models.Field[Any, Any]", Enterprise._meta.get_field(column.key)).max_length
    for column in COLUMNS
    if column.kind == "text"
}


@dataclass
class ParsedRow:
    row: int
    cells: list[str]  # the row as text, in the order of ImportResult.headers
    values: dict[str, Any] = field(default_factory=dict)
    industries: list[Industry] = field(default_factory=list)
    segments: list[ChainSegment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        name: str = self.values.get("name", "")
        return name

    @property
    def uscc(self) -> str:
        code: str = self.values.get("uscc", "")
        return code

    @property
    def bad_columns(self) -> set[str]:
        return {p.column for p in self.problems}


@dataclass
class ImportResult:
    headers: list[str] = field(default_factory=list)  # the recognised headers, as written
    header_row: int | None = None
    units: list[ColumnUnit] = field(default_factory=list)  # one per amount column
    ignored_headers: list[str] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def counts(self) -> dict[str, int]:
        bad = sum(1 for row in self.rows if row.problems)
        return {"rows": len(self.rows), "good": len(self.rows) - bad, "bad": bad}


# --- reading ------------------------------------------------------------------------------


def _header_column(raw: object) -> tuple[Column | None, list[MoneyUnit]]:
    """The column a header names, and the units written in it (none, usually one)."""
    return read_header(raw, _HEADER_INDEX, _HEADER_NOISE)


def _is_header(row: list[Any]) -> bool:
    return {"name", "uscc"} <= {col.key for col, _unit in map(_header_column, row) if col}


@dataclass(frozen=True)
class _Catalogue:
    """What a row is checked against, read once for the whole file."""

    existing: dict[str, str]  # USCC → name of the zone's enterprises
    industries: dict[str, Industry]  # name or short name → industry
    segments: dict[str, list[ChainSegment]]  # name → segments of that name
    divisions: dict[str, NationalIndustry]  # GB/T 4754 division code or name → division
    officers: dict[str, list[User]]  # username or name → the zone's officers of it
    # Asked once per file: timezone.localdate() costs more than checking a cell.
    today: dt.date = field(default_factory=timezone.localdate)

    @classmethod
    def of(cls, zone: Zone) -> _Catalogue:
        existing = dict(Enterprise.objects.filter(zone=zone).values_list("uscc", "name"))
        industries: dict[str, Industry] = {}
        for industry in Industry.objects.filter(zone=zone):
            for name in (industry.name, industry.short_name):
                if name:
                    industries.setdefault(fold(name), industry)
        segments: dict[str, list[ChainSegment]] = defaultdict(list)
        for segment in ChainSegment.objects.filter(industry__zone=zone).select_related("industry"):
            segments[fold(segment.name)].append(segment)
        divisions: dict[str, NationalIndustry] = {}
        for division in NationalIndustry.objects.filter(level=NationalIndustry.Level.DIVISION):
            divisions[division.code] = division
            divisions[fold(division.name)] = division
        officers: dict[str, list[User]] = defaultdict(list)
        for officer in liaison_candidates(zone.pk):
            for key in {officer.username, fold(officer.name)} - {""}:
                officers[key].append(officer)
        return cls(existing, industries, dict(segments), divisions, dict(officers))


def read_enterprise_sheet(
    zone: Zone,
    source: Source,
    *,
    progress: Callable[[int], object] | None = None,
) -> ImportResult:
    """Every row of the sheet parsed and checked; nothing is written."""
    result = ImportResult()
    try:
        grid = read_grid(source)
    except Exception:  # calamine raises its own errors for anything that is not a workbook
        result.file_problems.append(unreadable())
        return result
    header_index = find_header_row(grid, _is_header)
    if header_index is None:
        result.file_problems.append(
            Problem(
                None,
                "",
                _(
                    "No header row was found: none of the first %(n)d rows has both "
                    "企业名称 and 统一社会信用代码."
                )
                % {"n": HEADER_SEARCH_ROWS},
            )
        )
        return result
    result.header_row = header_index + 1
    columns: list[PlacedColumn] = []  # position, column, unit, header
    header_units: dict[int, list[MoneyUnit]] = {}
    seen: set[str] = set()
    for position, raw in enumerate(grid[header_index]):
        column, units_written = _header_column(raw)
        header = fold(raw)
        if column is None or column.key in seen:
            if header:
                result.ignored_headers.append(header)
            continue
        seen.add(column.key)
        header_units[position] = units_written
        columns.append((position, column, Decimal(1), header))
    result.headers = [header for _p, _c, _u, header in columns]
    columns = apply_units(
        grid, header_index, columns, header_units, result.file_problems, result.units
    )
    if result.file_problems:
        return result
    if len(grid) - header_index - 1 > MAX_ROWS:
        result.file_problems.append(too_many_rows(MAX_ROWS))
        return result

    catalogue = _Catalogue.of(zone)
    for index in range(header_index + 1, len(grid)):
        row = grid[index]
        cells = [row[p] if p < len(row) else "" for p, _c, _u, _h in columns]
        texts = [cell_text(cell) for cell in cells]
        if not any(texts):
            continue
        if _repeats_header(cells, columns):
            continue
        result.rows.append(_parse_row(index + 1, cells, texts, columns, catalogue))
        if progress is not None:
            progress(1)
    _check_duplicates(result.rows, catalogue, _header_of(columns, "uscc"))
    if not result.rows and not result.file_problems:
        result.file_problems.append(Problem(None, "", _("The sheet has no enterprise rows.")))
    return result


def _repeats_header(cells: list[Any], columns: list[PlacedColumn]) -> bool:
    """A second header line under a merged two-line header, or a header repeated per page."""
    return all(
        _header_column(cell)[0] is column
        for cell, (_p, column, _u, _h) in zip(cells, columns, strict=True)
        if column.required
    )


def _parse_row(
    number: int,
    cells: list[Any],
    texts: list[str],
    columns: list[PlacedColumn],
    catalogue: _Catalogue,
) -> ParsedRow:
    parsed = ParsedRow(row=number, cells=texts)
    for cell, text, (_p, column, unit, header) in zip(cells, texts, columns, strict=True):
        try:
            _parse_cell(parsed, column, unit, cell, text, catalogue)
        except ValueError as exc:
            parsed.problems.append(Problem(number, header, str(exc)))
        except ValidationError as exc:
            parsed.problems.append(Problem(number, header, exc.messages[0]))
    if parsed.values.get("_segment_names"):
        try:
            _parse_segments(parsed, catalogue)
        except ValueError as exc:
            parsed.problems.append(Problem(number, _header_of(columns, "segments"), str(exc)))
    for key in ("name", "uscc"):
        column = COLUMN_BY_KEY[key]
        header = _header_of(columns, key)
        if key not in parsed.values and not any(p.column == header for p in parsed.problems):
            parsed.problems.append(
                Problem(number, header, _("%(column)s is required.") % {"column": column.header})
            )
    _check_scale(parsed, columns)
    return parsed


def _header_of(columns: list[PlacedColumn], key: str) -> str:
    for _p, column, _u, header in columns:
        if column.key == key:
            return header
    return COLUMN_BY_KEY[key].header


def _parse_cell(
    parsed: ParsedRow,
    column: Column,
    unit: Decimal,
    cell: Any,
    text: str,  # cell_text(cell), worked out once per cell
    catalogue: _Catalogue,
) -> None:
    if column.kind == "bool":
        if text:
            parsed.values[column.key] = parse_bool(cell)
        return
    if text in BLANKS:
        return
    today = catalogue.today
    if column.kind == "uscc":
        parsed.values["uscc"] = validate_uscc(text)
    elif column.kind == "date":
        day = parse_date(cell)
        if day > today:
            raise ValueError(_("The date %(day)s is in the future.") % {"day": day.isoformat()})
        if day.year < 1900:
            raise ValueError(_("The date %(day)s is too early.") % {"day": day.isoformat()})
        parsed.values[column.key] = day
    elif column.kind == "amount":
        parsed.values[column.key] = parse_amount(cell, unit=unit)
    elif column.kind == "int":
        number = parse_int(cell)  # refuses a number above COUNT_MAX
        if number < 0:
            raise ValueError(_("The number cannot be negative."))
        parsed.values[column.key] = number
    elif column.kind == "year":
        year = parse_int(cell)
        if not 1949 <= year <= today.year:
            raise ValueError(
                _("“%(value)s” is not a year between 1949 and %(this)d.")
                % {"value": text, "this": today.year}
            )
        parsed.values[column.key] = year
    elif column.kind == "email":
        validate_email(text)
        parsed.values[column.key] = text
    elif column.kind == "national":
        parsed.values[column.key] = _national_class(text, catalogue)
    elif column.kind == "officer":
        found = catalogue.officers.get(fold(text), [])
        if len(found) != 1:
            raise ValueError(
                (
                    _("“%(name)s” is not an officer of this zone (give a username or a name).")
                    if not found
                    else _("Several officers are called “%(name)s”: give the username.")
                )
                % {"name": shown(text)}
            )
        parsed.values[column.key] = found[0]
    elif column.key == "industries":
        _parse_industries(parsed, text, catalogue)
    elif column.key == "segments":
        # Resolved after the row's industries are known (see _parse_row).
        parsed.values["_segment_names"] = split_list(text)
    else:
        limit = _TEXT_LIMITS[column.key]
        if limit is not None and len(text) > limit:
            raise ValueError(
                _("The text is %(n)d characters long; at most %(limit)d fit.")
                % {"n": len(text), "limit": limit}
            )
        parsed.values[column.key] = text


_DIVISION_CODE = re.compile(r"^[A-Ta-t]?\s*(\d{2})(?:\D|$)")


def _national_class(text: str, catalogue: _Catalogue) -> NationalIndustry:
    """A GB/T 4754 division by its code ("39", "C39", "39 计算机…") or its name."""
    match = _DIVISION_CODE.match(text)
    division = catalogue.divisions.get(match.group(1) if match else fold(text))
    if division is None:
        raise ValueError(
            _("“%(value)s” is not a division (大类) of GB/T 4754-2017: give its code, e.g. 39.")
            % {"value": shown(text)}
        )
    return division


def _parse_industries(parsed: ParsedRow, text: str, catalogue: _Catalogue) -> None:
    unknown = []
    for name in split_list(text):
        industry = catalogue.industries.get(fold(name))
        if industry is None:
            unknown.append(name)
        elif industry not in parsed.industries:
            parsed.industries.append(industry)
    if unknown:
        known = "、".join(dict.fromkeys(i.name for i in catalogue.industries.values())) or _(
            "none yet"
        )
        raise ValueError(
            _("Unknown industry %(names)s; this zone's industries are: %(known)s.")
            % {"names": "、".join(f"“{shown(n)}”" for n in unknown[:5]), "known": known}
        )


def _parse_segments(parsed: ParsedRow, catalogue: _Catalogue) -> None:
    names: list[str] = parsed.values.get("_segment_names", [])
    problems = []
    chosen = {i.pk for i in parsed.industries}
    for name in names:
        candidates = catalogue.segments.get(fold(name), [])
        if chosen:
            candidates = [s for s in candidates if s.industry_id in chosen]
        if not candidates:
            if chosen:
                problems.append(
                    _("Unknown segment “%(name)s” in %(industries)s.")
                    % {
                        "name": shown(name),
                        "industries": "、".join(i.name for i in parsed.industries),
                    }
                )
            else:
                problems.append(_("Unknown segment “%(name)s”.") % {"name": shown(name)})
        elif len(candidates) > 1:
            problems.append(
                _(
                    "The segment “%(name)s” is in several industries (%(industries)s): fill in "
                    "所属产业 to say which."
                )
                % {
                    "name": shown(name),
                    "industries": "、".join(s.industry.name for s in candidates),
                }
            )
        elif candidates[0] not in parsed.segments:
            parsed.segments.append(candidates[0])
    if problems:
        raise ValueError(" ".join(problems))


def _check_scale(parsed: ParsedRow, columns: list[PlacedColumn]) -> None:
    year = parsed.values.get("above_scale_year")
    above = parsed.values.get("is_above_scale")
    if year is not None and above is None:
        parsed.values["is_above_scale"] = True  # a year it became 规上 says it is 规上
    elif year is not None and above is False:
        parsed.problems.append(
            Problem(
                parsed.row,
                _header_of(columns, "above_scale_year"),
                _("A year it became 规上 is given, but 是否规上 says no."),
            )
        )


def _check_duplicates(rows: list[ParsedRow], catalogue: _Catalogue, uscc_header: str) -> None:
    by_code: dict[str, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        if row.uscc:
            by_code[row.uscc].append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            numbers = "、".join(str(r.row) for r in same)
            for row in same:
                row.problems.append(
                    Problem(
                        row.row,
                        uscc_header,
                        _("The code %(code)s appears more than once in this file: rows %(rows)s.")
                        % {"code": code, "rows": numbers},
                    )
                )
        if code in catalogue.existing:
            for row in same:
                row.problems.append(
                    Problem(
                        row.row,
                        uscc_header,
                        _("The code %(code)s already belongs to %(name)s in this zone.")
                        % {"code": code, "name": catalogue.existing[code]},
                    )
                )


# --- writing ------------------------------------------------------------------------------


@transaction.atomic
def import_enterprises(
    *,
    zone: Zone,
    rows: Sequence[ParsedRow],
    by: User | None,
    written: Callable[[int], None] | None = None,
) -> list[Enterprise]:
    """Write every row, or nothing: any problem (found now or before) refuses the whole file.

    Each row is checked and filled by the same `enterprise_build` and `enterprise_chain` as a
    single `enterprise_create` (`build_enterprises`), then all rows are written in batches by
    `write_enterprises`. `written(n)`, when given, hears how many rows are written so far (a
    background job's progress), after each batch."""
    enterprises, chains = build_enterprises(zone=zone, rows=rows, by=by)
    return write_enterprises(enterprises, chains, by=by, written=written)


Chain = tuple[list[Industry], list[ChainSegment]]


def build_enterprises(
    *, zone: Zone, rows: Sequence[ParsedRow], by: User | None
) -> tuple[list[Enterprise], list[Chain]]:
    """The rows' enterprises, unsaved, checked and filled as `enterprise_create` would, with
    the industries and segments each is linked to; refused whole (DomainError) if any row is
    wrong or any code was taken since the preview."""
    problems = [p for row in rows for p in row.problems]
    if not rows:
        raise DomainError(_("There are no rows to import."))
    if problems:
        raise DomainError(
            _("Nothing was imported: %(n)d problems must be fixed first.") % {"n": len(problems)}
        )
    # Check again: the database may have changed since the preview.
    codes = [row.uscc for row in rows]
    if len(set(codes)) != len(codes):
        raise DomainError(_("Nothing was imported: a code appears more than once in the file."))
    taken = _taken_codes(zone, codes, limit=5)
    if taken:
        raise DomainError(
            _("Nothing was imported: these codes are already in this zone: %(codes)s.")
            % {"codes": "、".join(f"{code} ({name})" for code, name in taken.items())}
        )
    today = timezone.localdate()
    enterprises: list[Enterprise] = []
    chains: list[Chain] = []
    for row in rows:
        if any(i.zone_id != zone.pk for i in row.industries) or any(
            s.industry.zone_id != zone.pk for s in row.segments
        ):
            raise DomainError(
                _("Row %(row)d: an industry or segment of another zone.") % {"row": row.row}
            )
        fields = {k: v for k, v in row.values.items() if not k.startswith("_")}
        try:
            enterprise = enterprise_build(zone=zone, today=today, **fields)
            chains.append(enterprise_chain(zone.pk, row.industries, row.segments))
        except DomainError as exc:
            raise DomainError(
                _("Row %(row)d: %(message)s Nothing was imported.")
                % {"row": row.row, "message": exc.message}
            ) from exc
        enterprise._history_user = by
        enterprises.append(enterprise)
    return enterprises, chains


@transaction.atomic(savepoint=False)
def write_enterprises(
    enterprises: list[Enterprise],
    chains: Sequence[Chain],
    *,
    by: User | None,
    written: Callable[[int], None] | None = None,
) -> list[Enterprise]:
    """Write built enterprises (`build_enterprises`) as `enterprise_create` writes each one,
    in batches (core/bulk.py: COPY on PostgreSQL, a prepared INSERT over all rows on SQLite):
    the enterprises with their history rows (the importing user on each), their industry
    and segment links, then the 规上 spells of those registered as 规上, with their history.
    The number of queries grows with the batches (10,000 rows), not with the rows."""
    with roomy_cache():
        return _write_enterprises(enterprises, chains, by=by, written=written)


def _write_enterprises(
    enterprises: list[Enterprise],
    chains: Sequence[Chain],
    *,
    by: User | None,
    written: Callable[[int], None] | None,
) -> list[Enterprise]:
    industry_link = Enterprise.industries.through
    segment_link = Enterprise.segments.through
    # The zones are the enterprises' own: said once, so that core.bulk looks up none.
    tables: list[type[models.Model]] = [Enterprise, industry_link, segment_link, ScaleSpell]
    with figure_cache.covering(tables, {e.zone_id for e in enterprises}):
        _write_all(enterprises, chains, by=by, written=written)
    forget_checked_codes()
    return enterprises


def _write_all(
    enterprises: list[Enterprise],
    chains: Sequence[Chain],
    *,
    by: User | None,
    written: Callable[[int], None] | None,
) -> None:
    industry_link = Enterprise.industries.through
    segment_link = Enterprise.segments.through
    write_new(enterprises, by=by, progress=written)
    write_rows(
        industry_link,
        ("enterprise", "industry"),
        (
            (e.pk, i.pk)
            for e, (industries, _s) in zip(enterprises, chains, strict=True)
            for i in industries
        ),
    )
    write_rows(
        segment_link,
        ("enterprise", "chainsegment"),
        (
            (e.pk, s.pk)
            for e, (_i, segments) in zip(enterprises, chains, strict=True)
            for s in segments
        ),
    )
    spells = [spell for e in enterprises if (spell := first_spell(e)) is not None]
    write_new(spells, by=by)


def _taken_codes(zone: Zone, codes: Sequence[str], *, limit: int) -> dict[str, str]:
    """Up to `limit` of the codes that already belong to the zone's enterprises, with their
    names; asked in chunks that fit any database's limit on query parameters."""
    taken: dict[str, str] = {}
    for start in range(0, len(codes), CODES_PER_QUERY):
        chunk = codes[start : start + CODES_PER_QUERY]
        taken |= dict(
            Enterprise.objects.filter(zone=zone, uscc__in=chunk).values_list("uscc", "name")[
                : limit - len(taken)
            ]
        )
        if len(taken) >= limit:
            break
    return taken


# --- the template -------------------------------------------------------------------------

# The template's headers are the columns' own, in their order: * marks a required one, and
# amounts are asked for in 万元 as officers write them.
TEMPLATE_HEADERS = [
    f"{c.header}*" if c.required else f"{c.header}（万元）" if c.kind == "amount" else c.header
    for c in COLUMNS
]


def template_workbook() -> bytes:
    """The sheet officers fill in: Chinese headers (* = required) and one example row."""
    example = [
        "珠海示例科技有限公司",
        "91440400MA4UXXXX0X",
        "示例科技",
        "张三",
        dt.date(2018, 5, 20),
        dt.date(2020, 1, 1),
        1200,
        85,
        "珠海市高新区唐家湾镇示例路1号",
        "储能",
        "电芯制造",
        "是",
        2022,
        "李四",
        "0756-1234567",
        "contact@example.com",
    ]
    return write_workbook(
        TEMPLATE_HEADERS,
        [example],
        sheet_name="企业名录",
        title=_(
            "Enterprise import: columns marked * are required; delete the example row; "
            "separate several industries or segments with 、"
        ),
    )
