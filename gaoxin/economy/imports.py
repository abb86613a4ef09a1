"""Importing the statistics bureau's monthly sheet (.xlsx): each enterprise's 本月, 本年累计
and 上年同期累计 of one or several indicators, for one period.

`read_statistics_sheet(zone, source_file, period)` reads and checks every row without writing
and returns a `StatisticsSheet`: the rows with their problems (row numbers as Excel shows
them), the notices (the bureau's revisions of last year, a 本月 that disagrees with the one
derived from 本年累计, units), and the values each row would record. `import_statistics(zone=,
sheet=, by=)` then writes all rows or none through `services.figures_record`, in one
`ImportBatch`.

Real sheets are accepted as officers receive them: title rows, a unit row (单位：万元) or units
in the headers (营业收入（万元）), headers of one row (营业收入本年累计) or two with merged cells
(营业收入 over 本月 / 本年累计 / 上年同期累计 / 增速(%)), indicators named as the catalogue names
them or by their other names, full-width characters, "1,200", blank cells, a 合计 row.

A flow's own value for the period is derived from the cumulative ones (the sheet's 本年累计
less the same source's 本年累计 of the month before, as recorded): so the month before must be
on record, unless the period starts the year (1月, or 1–2月 as one period).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User, Zone
from gaoxin.core import figure_cache
from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import (
    HEADER_SEARCH_ROWS,
    ColumnUnit,
    PlacedColumn,
    Problem,
    SheetColumn,
    Source,
    apply_units,
    header_parts,
    read_grid,
    too_many_rows,
    units_written,
    unreadable,
)
from gaoxin.core.formatting import money, number
from gaoxin.core.parsing import BLANKS, CENT, cell_text, parse_amount, parse_int, shown
from gaoxin.economy.models import FigureValue, ImportBatch, Indicator
from gaoxin.economy.models import Source as FigureSource
from gaoxin.economy.periods import Period, values_from_cumulative
from gaoxin.economy.services import FigureInput, RecordResult, figures_record
from gaoxin.enterprises.models import Enterprise, ScaleSpell
from gaoxin.enterprises.services import scale_enter, scale_leave
from gaoxin.enterprises.validators import normalise_uscc

MAX_ROWS = 100_000
NOTES_KEPT = 200  # notices kept on the ImportBatch

# What a column measures.
MONTH, CUMULATIVE, LAST_YEAR, GROWTH = "month", "cumulative", "last_year", "growth"
MEASURE_NAMES = {
    MONTH: "本月",
    CUMULATIVE: "本年累计",
    LAST_YEAR: "上年同期累计",
    GROWTH: "增速(%)",
}
_YTD = re.compile(r"^(?:本年)?1\s*[-–—~～至到]\s*\d{1,2}\s*月(?:份)?(?:累计)?(?:数)?$")
_NOISE = re.compile(r"[*＊※]|[(（](?:必填|选填|可选)[)）]")
_SEPARATORS = re.compile(r"[\s_\-–—/:：·、,，|]+")

IDENTITY: dict[str, tuple[str, ...]] = {
    "code": (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "统一信用代码",
        "统一代码",
        "统一社会信用代码或组织机构代码",
        "单位代码",
        "法人单位代码",
    ),
    "name": (
        "单位详细名称",
        "单位名称",
        "法人单位详细名称",
        "法人单位名称",
        "详细名称",
        "企业名称",
        "企业详细名称",
        "单位全称",
        "企业全称",
        "名称",
    ),
    "marker": (
        "入统退库",
        "入统/退库",
        "入统/退库标志",
        "入库退库",
        "入退库",
        "变动情况",
        "入统情况",
    ),
}
_IDENTITY_INDEX = {
    name.replace("/", "").replace(" ", "").lower(): key
    for key, names in IDENTITY.items()
    for name in names
}
IDENTITY_HEADER = {"code": "统一社会信用代码", "name": "单位详细名称", "marker": "入统/退库"}
_ENTER = frozenset({"入统", "新入统", "新增", "新入库", "入库", "新增入统"})
_LEAVE = frozenset({"退库", "退出", "出库", "退统"})
_NOT_DATA = ("合计", "总计", "小计", "全区", "填表人", "单位负责人", "统计负责人", "说明", "注：")
_COLUMN_NUMBERS = frozenset({"甲", "乙", "丙", "丁", "A", "B", "C"})


@dataclass(frozen=True)
class ValueColumn:
    """A column holding one measure of one indicator."""

    position: int
    indicator: Indicator
    measure: str
    header: str  # as written (both lines of a two-line header, joined by " · ")
    factor: Decimal = Decimal(1)  # yuan per unit for money; 1 for people


@dataclass
class StatisticsRow:
    row: int
    code: str
    name: str
    raw: list[Any]  # the cells as read, in the order of StatisticsSheet.headers
    enterprise_id: int | None = None
    # indicator id → measure → value, as read
    read: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    values: list[FigureInput] = field(default_factory=list)
    marker: str = ""  # "enter", "leave" or ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def cells(self) -> list[str]:
        """The row as text (worked out only for the rows a preview shows)."""
        return [clean_cell(cell) for cell in self.raw]


@dataclass(frozen=True)
class Revision:
    """The sheet's 上年同期累计 differs from the same source's record of that period."""

    row: int
    enterprise_id: int
    indicator: Indicator
    period: Period  # the row of last year the sheet revises (ending at the same month)
    on_record: Decimal  # its 本年累计 (a stock: its value)
    in_sheet: Decimal
    own: Decimal  # the row's own value on record


@dataclass
class StatisticsSheet:
    period: Period
    source: str
    headers: list[str] = field(default_factory=list)
    header_row: int | None = None
    units: list[ColumnUnit] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    rows: list[StatisticsRow] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def counts(self) -> dict[str, int]:
        bad = sum(1 for row in self.rows if row.problems)
        values = sum(len(row.values) for row in self.rows)
        return {
            "rows": len(self.rows),
            "good": len(self.rows) - bad,
            "bad": bad,
            "values": values,
            "revisions": len(self.revisions),
            "enter": sum(1 for row in self.rows if row.marker == "enter"),
            "leave": sum(1 for row in self.rows if row.marker == "leave"),
        }

    def values(self) -> list[FigureInput]:
        return [value for row in self.rows for value in row.values]


# --- the header ---------------------------------------------------------------------------


def _compact(text: str) -> str:
    return text.replace(" ", "").lower()


def _identity(raw: object) -> str | None:
    bare, _written = header_parts(raw, _NOISE)
    return _IDENTITY_INDEX.get(_compact(bare).replace("/", ""))


def measure_of(text: str) -> str | None:
    """What a header's words (once the indicator's name is taken out) say the column holds:
    本月, 本年累计 (1-6月, 本月止累计, 累计), 上年同期累计 (上年同期), 增速 (同比增长%, 增长%)."""
    words = _SEPARATORS.sub("", text)
    if not words:
        return None
    if "增" in words or "同比" in words or "%" in words or "％" in words:
        return GROWTH
    if "上年" in words or "去年" in words:
        return LAST_YEAR
    if "累计" in words or _YTD.match(text.strip(" _·:：/")) or words in ("本年", "本年数"):
        return CUMULATIVE
    if words in ("本月", "当月", "本月数", "当月数", "本期", "期末", "期末数", "月末", "本月末"):
        return MONTH
    return ""  # words that are not a measure


class _Catalogue:
    """The indicators a header may name, longest name first ("从业人员期末人数" before
    "从业人员")."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        pairs = [(_compact(name), i) for i in indicators for name in i.alias_list()]
        self.names = sorted(pairs, key=lambda pair: -len(pair[0]))

    def find(self, text: str) -> tuple[Indicator, str] | None:
        """The indicator a header names, and what is left of the header."""
        compact = _compact(text)
        for name, indicator in self.names:
            at = compact.find(name)
            if at >= 0:
                return indicator, compact[:at] + compact[at + len(name) :]
        return None


def _is_header(row: list[Any]) -> bool:
    return any(_identity(cell) == "code" for cell in row) or (
        sum(1 for cell in row if _identity(cell) == "name") == 1
        and any(isinstance(cell, str) and "名称" in cell for cell in row)
    )


def _names_indicators(row: list[Any], catalogue: _Catalogue) -> bool:
    """Whether a line above the header names indicators (and nothing that identifies rows)."""
    cells = [cell for cell in row if isinstance(cell, str) and cell.strip()]
    return (
        bool(cells)
        and all(_identity(cell) is None for cell in cells)
        and any(catalogue.find(header_parts(cell, _NOISE)[0]) is not None for cell in cells)
    )


def _has_measures(row: list[Any], catalogue: _Catalogue) -> bool:
    """Whether the line under the header is its second line (本月, 本年累计 …), not the first
    enterprise (whose name may well hold 增 or 累计)."""
    if any(isinstance(cell, str) and len(normalise_uscc(cell)) == 18 for cell in row):
        return False
    return any(
        isinstance(cell, str)
        and len(cell) <= 20
        and catalogue.find(cell) is None
        and measure_of(header_parts(cell, _NOISE)[0])
        for cell in row
    )


@dataclass
class _Layout:
    header_index: int  # the header's first line
    first_data: int  # the index of the first line under the header
    identity: dict[str, tuple[int, str]]  # key → (position, header)
    columns: list[ValueColumn]
    header_units: dict[int, list[Any]]


def _layout(grid: list[list[Any]], catalogue: _Catalogue, sheet: StatisticsSheet) -> _Layout | None:
    header_index = next(
        (i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if _is_header(row)), None
    )
    if header_index is None:
        sheet.file_problems.append(
            Problem(
                None,
                "",
                _(
                    "No header row was found: none of the first %(n)d rows names "
                    "统一社会信用代码 or 单位详细名称."
                )
                % {"n": HEADER_SEARCH_ROWS},
            )
        )
        return None
    top = grid[header_index]
    below = grid[header_index + 1] if header_index + 1 < len(grid) else []
    two_lines = _has_measures(below, catalogue)
    if not two_lines and header_index > 0 and _names_indicators(grid[header_index - 1], catalogue):
        # The other common layout: the indicators' names on a line of their own above the
        # line that holds 统一社会信用代码 and the measures (本月, 本年累计 …).
        header_index -= 1
        top, below, two_lines = grid[header_index], top, True
    width = max(len(top), len(below) if two_lines else 0)
    identity: dict[str, tuple[int, str]] = {}
    columns: list[ValueColumn] = []
    header_units: dict[int, list[Any]] = {}
    carried = ""  # an indicator's name merged across the columns under it
    for position in range(width):
        upper = clean_cell(top[position] if position < len(top) else "")
        lower = clean_cell(below[position] if two_lines and position < len(below) else "")
        if upper:
            carried = upper
        elif two_lines and lower:
            upper = carried
        key = _identity(upper) or (_identity(lower) if lower else None)
        if key is not None:
            if key not in identity:
                identity[key] = (position, upper or lower)
            continue
        parts = [part for part in (upper, lower) if part and part != "" and part is not None]
        if lower == upper:
            parts = [upper]
        if not parts:
            continue
        header = " · ".join(parts)
        bare_parts, written = [], []
        for part in parts:
            bare, units = header_parts(part, _NOISE)
            bare_parts.append(bare)
            written.extend(units)
        found = catalogue.find(" ".join(bare_parts))
        if found is None:
            sheet.ignored_headers.append(header)
            continue
        indicator, rest = found
        measure = measure_of(rest)
        if measure == "":
            sheet.ignored_headers.append(header)
            continue
        if measure is None:
            measure = MONTH if not indicator.is_flow else CUMULATIVE
            sheet.notices.append(
                Problem(
                    None,
                    header,
                    _("The column %(column)s does not say what it holds: read as %(measure)s.")
                    % {"column": header, "measure": MEASURE_NAMES[measure]},
                )
            )
        if not indicator.is_flow and measure == CUMULATIVE:
            measure = MONTH  # a stock's 本年累计 is its value at the period's end
        if any(c.indicator == indicator and c.measure == measure for c in columns):
            sheet.ignored_headers.append(header)
            continue
        header_units[position] = units_written(written)
        columns.append(ValueColumn(position, indicator, measure, header))
    return _Layout(
        header_index,
        header_index + (2 if two_lines else 1),
        identity,
        columns,
        header_units,
    )


def clean_cell(value: object) -> str:
    return cell_text(value) if value not in (None, "") else ""


def _resolve_units(grid: list[list[Any]], layout: _Layout, sheet: StatisticsSheet) -> None:
    """Each money column's unit (its header's, else the unit row's, else 元) through
    core.excel_read.apply_units, the enterprise import's rule."""
    placed: list[PlacedColumn] = []
    for column in layout.columns:
        if column.measure == GROWTH:
            kind = "text"
        elif column.indicator.unit == Indicator.Unit.YUAN:
            kind = "amount"
        else:
            kind = "int"
        placed.append(
            (
                column.position,
                SheetColumn(column.indicator.code, column.header, kind=kind),
                Decimal(1),
                column.header,
            )
        )
    resolved = apply_units(
        grid, layout.header_index, placed, layout.header_units, sheet.file_problems, sheet.units
    )
    factors = {position: factor for position, _c, factor, _h in resolved}
    layout.columns = [
        ValueColumn(c.position, c.indicator, c.measure, c.header, factors[c.position])
        for c in layout.columns
        if c.position in factors
    ]


# --- the rows -----------------------------------------------------------------------------


def _number(cell: Any, text: str, column: ValueColumn) -> Decimal:
    """A cell's value in yuan (or people): numbers as Excel stores them, or text such as
    "1,200", "１２００", "-35.5" (negative only where the indicator may be)."""
    indicator = column.indicator
    if indicator.unit == Indicator.Unit.PERSON:
        number = Decimal(parse_int(cell))
    elif isinstance(cell, int | float) and not isinstance(cell, bool):
        try:
            number = (Decimal(repr(cell)) * column.factor).quantize(CENT, ROUND_HALF_UP)
        except InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not an amount of money.") % {"value": shown(cell)}
            ) from None
        if abs(number) > Decimal("1e16"):
            number = parse_amount(abs(cell), unit=column.factor)  # its message on the limit
    else:
        compact = text.replace(",", "").replace(" ", "")
        negative = compact.startswith("-")
        number = parse_amount(compact.lstrip("-") if negative else text, unit=column.factor)
        if negative:
            number = -number
    if number < 0 and not indicator.signed:
        raise ValueError(
            _("%(indicator)s cannot be negative: “%(value)s”.")
            % {"indicator": indicator.name, "value": shown(text or cell_text(cell))}
        )
    return number


def shown_value(indicator: Indicator, value: Decimal) -> str:
    """A value as messages show it: money in 万元/亿元, people as a count."""
    if indicator.unit == Indicator.Unit.PERSON:
        return f"{number(value, places=0)}人"
    return money(value, places=4)


def _same_name(a: str, b: str) -> bool:
    return a.replace(" ", "") == b.replace(" ", "")


def _parse_row(
    number: int,
    row: list[Any],
    layout: _Layout,
    registry: dict[str, tuple[int, str]],
) -> StatisticsRow:
    def cell(position: int) -> Any:
        return row[position] if position < len(row) else None

    code_at = layout.identity["code"][0]
    name_at = layout.identity["name"][0]
    code = normalise_uscc(clean_cell(cell(code_at)))
    name = clean_cell(cell(name_at))
    raw = [code, name]
    parsed = StatisticsRow(row=number, code=code, name=name, raw=raw)
    code_header, name_header = layout.identity["code"][1], layout.identity["name"][1]
    if not code:
        parsed.problems.append(
            Problem(number, code_header, _("%(column)s is required.") % {"column": code_header})
        )
    else:
        known = registry.get(code)
        if known is None:
            parsed.problems.append(
                Problem(
                    number,
                    code_header,
                    _("No enterprise of this zone has the code %(code)s: add it first.")
                    % {"code": shown(code)},
                )
            )
        else:
            parsed.enterprise_id = known[0]
            if not name:
                parsed.problems.append(
                    Problem(
                        number, name_header, _("%(column)s is required.") % {"column": name_header}
                    )
                )
            elif not _same_name(known[1], name):
                parsed.problems.append(
                    Problem(
                        number,
                        name_header,
                        _("The code %(code)s belongs to %(registered)s, not %(name)s.")
                        % {"code": code, "registered": known[1], "name": shown(name)},
                    )
                )
    for column in layout.columns:
        value_cell = cell(column.position)
        raw.append(value_cell)
        if column.measure == GROWTH or value_cell is None:
            continue
        if isinstance(value_cell, float | int) and not isinstance(value_cell, bool):
            text = ""  # a number as Excel stores it: no text to read
        else:
            text = clean_cell(value_cell)
            if text in BLANKS:
                continue
        try:
            value = _number(value_cell, text, column)
        except ValueError as exc:
            parsed.problems.append(Problem(number, column.header, str(exc)))
            continue
        parsed.read.setdefault(column.indicator.pk, {})[column.measure] = value
    if "marker" in layout.identity:
        position, header = layout.identity["marker"]
        text = clean_cell(cell(position)).replace(" ", "")
        raw.append(text)
        if text in _ENTER:
            parsed.marker = "enter"
        elif text in _LEAVE:
            parsed.marker = "leave"
        elif text not in BLANKS:
            parsed.problems.append(
                Problem(
                    number,
                    header,
                    _("“%(value)s” is neither 入统 nor 退库.") % {"value": shown(text)},
                )
            )
    return parsed


def _skipped(row: list[Any], layout: _Layout) -> str | None:
    """Why a line under the header is not an enterprise: empty, the column numbers (甲 乙 1
    2 …), a header repeated, a 合计 or a note under the table. None for an enterprise."""
    code_at, name_at = layout.identity["code"][0], layout.identity["name"][0]
    if code_at < len(row):
        first = row[code_at]
        if isinstance(first, str) and 15 <= len(first.strip()) <= 24 and first[:1].isalnum():
            return None  # a code, the usual case: no need to read the rest of the line
    texts = [clean_cell(c) for c in row]
    filled = [t for t in texts if t]
    if not filled:
        return "empty"
    code = texts[code_at] if code_at < len(texts) else ""
    name = texts[name_at] if name_at < len(texts) else ""
    if code in _COLUMN_NUMBERS or name in _COLUMN_NUMBERS:
        return "numbers"
    if _identity(code) == "code":
        return "header"
    if len(normalise_uscc(code)) != 18 and any(
        word in text for word in _NOT_DATA for text in (filled[0], code, name)
    ):
        return "total"
    if not code and len(filled) == 1:
        return "note"
    return None


# --- the record ---------------------------------------------------------------------------


OnRecord = dict[tuple[int, int], tuple[Decimal, Period, Decimal]]


def _cumulatives_on_record(
    zone: Zone,
    source: str,
    year: int,
    month: int,
    indicators: Sequence[Indicator],
) -> OnRecord:
    """The same source's 本年累计 at `month` of `year` for each (enterprise, indicator) on
    record: the cumulative it gave, else the sum of its values from January when they cover
    every month; the period of the row ending at `month` and that row's own value. A stock's
    value at the month."""
    flows = {i.pk for i in indicators if i.is_flow}
    found: OnRecord = {}
    missing: set[tuple[int, int]] = set()
    rows = FigureValue.objects.filter(
        zone_id=zone.pk,
        source=source,
        year=year,
        month=month,
        indicator_id__in=[i.pk for i in indicators],
        known_until__isnull=True,
    ).values_list("enterprise_id", "indicator_id", "first_month", "amount", "cumulative")
    for enterprise_id, indicator_id, first_month, amount, cumulative in rows:
        period = Period(year, month, first_month)
        if indicator_id not in flows:
            found[(enterprise_id, indicator_id)] = (amount, period, amount)
        elif cumulative is not None:
            found[(enterprise_id, indicator_id)] = (cumulative, period, amount)
        elif first_month == 1:
            found[(enterprise_id, indicator_id)] = (amount, period, amount)
        else:
            missing.add((enterprise_id, indicator_id))
    if missing:
        months: dict[tuple[int, int], list[tuple[int, int, Decimal]]] = defaultdict(list)
        for enterprise_id, indicator_id, first_month, last, amount in FigureValue.objects.filter(
            zone_id=zone.pk,
            source=source,
            year=year,
            month__lte=month,
            indicator_id__in=list({i for _e, i in missing}),
            known_until__isnull=True,
        ).values_list("enterprise_id", "indicator_id", "first_month", "month", "amount"):
            if (enterprise_id, indicator_id) in missing:
                months[(enterprise_id, indicator_id)].append((first_month, last, amount))
        for key, spans in months.items():
            spans.sort()
            expected, total, own = 1, Decimal(0), Decimal(0)
            ending: Period | None = None
            for first_month, last, amount in spans:
                if first_month != expected:
                    break
                total += amount
                expected = last + 1
                ending, own = Period(year, last, first_month), amount
            if expected == month + 1 and ending is not None:
                found[key] = (total, ending, own)
    return found


def _reported_before(
    zone: Zone, source: str, year: int, first_month: int, indicators: Sequence[Indicator]
) -> set[tuple[int, int]]:
    """(enterprise, indicator) pairs the source gave any figure of in `year` before the month."""
    return set(
        FigureValue.objects.filter(
            zone_id=zone.pk,
            source=source,
            year=year,
            first_month__lt=first_month,
            indicator_id__in=[i.pk for i in indicators],
            known_until__isnull=True,
        )
        .values_list("enterprise_id", "indicator_id")
        .distinct()
    )


def _derive(
    sheet: StatisticsSheet,
    layout: _Layout,
    previous: OnRecord,
    last_year: OnRecord,
    earlier: set[tuple[int, int]] | None = None,
) -> None:
    """Each good row's values for the period: a flow's own value from its 本年累计 (less the
    month before's, on record), else its 本月; a stock's value. Notices where the sheet's 本月
    disagrees, and revisions where its 上年同期累计 differs from the record.

    An enterprise the source has no figure of this year before the period (新入统, or new to
    the zone) while others have the month before: its 本年累计 is recorded as one period from
    January (1–N月), so the year to date still equals what the bureau says. One with earlier
    figures but not the month before has a gap, and a sheet whose month before nobody has does
    not follow: both are refused."""
    earlier = earlier or set()
    period = sheet.period
    starts_year = period.first_month == 1
    before_month = period.first_month - 1
    indicators = {c.indicator.pk: c.indicator for c in layout.columns}
    headers = {(c.indicator.pk, c.measure): c.header for c in layout.columns}
    before_label = Period.of(period.year, before_month).label if before_month else ""
    source_label = FigureSource(sheet.source).label
    for row in sheet.rows:
        if row.enterprise_id is None:
            continue
        for indicator_id, measures in row.read.items():
            indicator = indicators[indicator_id]
            key = (row.enterprise_id, indicator_id)
            month_value = measures.get(MONTH)
            cumulative = measures.get(CUMULATIVE)
            if not indicator.is_flow:
                if month_value is not None:
                    row.values.append(
                        FigureInput(row.enterprise_id, indicator_id, period, month_value)
                    )
            elif cumulative is not None:
                before = None
                if not starts_year:
                    on_record = previous.get(key)
                    if on_record is None and previous and key not in earlier:
                        from_january = Period(period.year, period.month, 1)
                        sheet.notices.append(
                            Problem(
                                row.row,
                                headers[(indicator_id, CUMULATIVE)],
                                _(
                                    "No %(indicator)s of this enterprise earlier this year: its "
                                    "本年累计 is recorded for %(period)s as one period."
                                )
                                % {"indicator": indicator.name, "period": from_january.label},
                            )
                        )
                        row.values.append(
                            FigureInput(
                                row.enterprise_id,
                                indicator_id,
                                from_january,
                                cumulative,
                                cumulative,
                            )
                        )
                        continue
                    if on_record is None:
                        row.problems.append(
                            Problem(
                                row.row,
                                headers[(indicator_id, CUMULATIVE)],
                                _(
                                    "The month does not follow: %(source)s's 本年累计 of "
                                    "%(indicator)s for %(before)s is not on record, so the "
                                    "value of %(period)s cannot be derived. Import %(before)s "
                                    "first."
                                )
                                % {
                                    "source": source_label,
                                    "indicator": indicator.name,
                                    "before": before_label,
                                    "period": period.label,
                                },
                            )
                        )
                        continue
                    before = on_record[0]
                ((_p, amount),) = values_from_cumulative(
                    [(period, cumulative)], before=before, before_month=before_month
                )
                if month_value is not None and month_value != amount:
                    sheet.notices.append(
                        Problem(
                            row.row,
                            headers[(indicator_id, MONTH)],
                            _(
                                "本月 says %(given)s, but 本年累计 less the month before gives "
                                "%(derived)s: the derived value is recorded."
                            )
                            % {
                                "given": shown_value(indicator, month_value),
                                "derived": shown_value(indicator, amount),
                            },
                        )
                    )
                row.values.append(
                    FigureInput(row.enterprise_id, indicator_id, period, amount, cumulative)
                )
            elif month_value is not None:
                running = None
                if starts_year:
                    running = month_value
                elif key in previous:
                    running = previous[key][0] + month_value
                row.values.append(
                    FigureInput(row.enterprise_id, indicator_id, period, month_value, running)
                )
            given = measures.get(LAST_YEAR)
            recorded = last_year.get(key)
            if given is not None and recorded is not None and given != recorded[0]:
                revision = Revision(
                    row.row,
                    row.enterprise_id,
                    indicator,
                    recorded[1],
                    recorded[0],
                    given,
                    recorded[2],
                )
                sheet.revisions.append(revision)
                sheet.notices.append(
                    Problem(
                        row.row,
                        headers[(indicator_id, LAST_YEAR)],
                        _(
                            "上年同期 says %(given)s, but %(period)s on record is %(recorded)s: "
                            "the bureau revised it. The record is kept unless you accept the "
                            "revisions."
                        )
                        % {
                            "given": shown_value(indicator, given),
                            "period": Period(
                                recorded[1].year,
                                recorded[1].month,
                                1 if indicator.is_flow else recorded[1].first_month,
                            ).label,
                            "recorded": shown_value(indicator, recorded[0]),
                        },
                    )
                )


def _check_duplicates(rows: list[StatisticsRow], header: str) -> None:
    by_code: dict[str, list[StatisticsRow]] = defaultdict(list)
    for row in rows:
        if row.code:
            by_code[row.code].append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            numbers = "、".join(str(r.row) for r in same)
            for row in same:
                row.problems.append(
                    Problem(
                        row.row,
                        header,
                        _("The code %(code)s appears more than once in this file: rows %(rows)s.")
                        % {"code": code, "rows": numbers},
                    )
                )


def _check_markers(zone: Zone, sheet: StatisticsSheet) -> None:
    marked = {r.enterprise_id: r for r in sheet.rows if r.marker and r.enterprise_id}
    if not marked:
        return
    above = set(
        ScaleSpell.objects.filter(
            enterprise__zone=zone, enterprise_id__in=list(marked), left_on__isnull=True
        ).values_list("enterprise_id", flat=True)
    )
    for enterprise_id, row in marked.items():
        if row.marker == "enter" and enterprise_id in above:
            sheet.notices.append(
                Problem(row.row, "", _("入统: the enterprise is already 规上; nothing to do."))
            )
            row.marker = ""
        elif row.marker == "leave" and enterprise_id not in above:
            sheet.notices.append(
                Problem(row.row, "", _("退库: the enterprise is not 规上; nothing to do."))
            )
            row.marker = ""


def read_statistics_sheet(
    zone: Zone,
    source_file: Source,
    period: Period,
    *,
    source: str = FigureSource.BUREAU,
    progress: Callable[[int], object] | None = None,
) -> StatisticsSheet:
    """Every row of the sheet parsed and checked, and the values it would record; nothing is
    written."""
    sheet = StatisticsSheet(period=period, source=source)
    if source not in FigureSource.values:
        sheet.file_problems.append(
            Problem(None, "", _("Unknown source of figures: %(source)s.") % {"source": source})
        )
        return sheet
    try:
        grid = read_grid(source_file)
    except Exception:  # calamine raises its own errors for anything that is not a workbook
        sheet.file_problems.append(unreadable())
        return sheet
    catalogue = _Catalogue(Indicator.objects.filter(is_active=True))
    layout = _layout(grid, catalogue, sheet)
    if layout is None:
        return sheet
    sheet.header_row = layout.header_index + 1
    for key in ("code", "name"):
        if key not in layout.identity:
            sheet.file_problems.append(
                Problem(
                    None,
                    IDENTITY_HEADER[key],
                    _("The sheet has no column %(column)s.") % {"column": IDENTITY_HEADER[key]},
                )
            )
    if not any(c.measure in (MONTH, CUMULATIVE) for c in layout.columns):
        known = "、".join(i.name for i in Indicator.objects.filter(is_active=True))
        sheet.file_problems.append(
            Problem(
                None,
                "",
                _("No column gives an indicator's 本月 or 本年累计; the indicators are: %(known)s.")
                % {"known": known},
            )
        )
    if sheet.file_problems:
        return sheet
    _resolve_units(grid, layout, sheet)
    if sheet.file_problems:
        return sheet
    if len(grid) - layout.first_data > MAX_ROWS:
        sheet.file_problems.append(too_many_rows(MAX_ROWS))
        return sheet
    sheet.headers = [
        layout.identity["code"][1],
        layout.identity["name"][1],
        *(c.header for c in layout.columns),
        *([layout.identity["marker"][1]] if "marker" in layout.identity else []),
    ]
    sheet.indicators = list(dict.fromkeys(c.indicator for c in layout.columns))
    registry = {
        code: (pk, name)
        for pk, code, name in Enterprise.objects.filter(zone=zone).values_list("pk", "uscc", "name")
    }
    skipped = 0
    for index in range(layout.first_data, len(grid)):
        row = grid[index]
        why = _skipped(row, layout)
        if why is not None:
            if why in ("total", "note"):
                skipped += 1
            continue
        sheet.rows.append(_parse_row(index + 1, row, layout, registry))
        if progress is not None:
            progress(1)
    if skipped:
        sheet.notices.append(
            Problem(
                None,
                "",
                _("%(n)d lines without a code (totals, notes) were left out.") % {"n": skipped},
            )
        )
    if not sheet.rows:
        sheet.file_problems.append(Problem(None, "", _("The sheet has no enterprise rows.")))
        return sheet
    _check_duplicates(sheet.rows, layout.identity["code"][1])
    indicators = sheet.indicators
    previous = (
        _cumulatives_on_record(zone, source, period.year, period.first_month - 1, indicators)
        if period.first_month > 1
        else {}
    )
    last_year = (
        _cumulatives_on_record(zone, source, period.year - 1, period.month, indicators)
        if any(c.measure == LAST_YEAR for c in layout.columns)
        else {}
    )
    earlier = (
        _reported_before(zone, source, period.year, period.first_month, indicators)
        if period.first_month > 1
        else set()
    )
    _derive(sheet, layout, previous, last_year, earlier)
    _check_markers(zone, sheet)
    return sheet


# --- writing ------------------------------------------------------------------------------


def _revision_values(zone: Zone, sheet: StatisticsSheet) -> list[FigureInput]:
    """The bureau's revised 上年同期累计 as values of last year: the revised month's own value
    (the new cumulative less the month before's) and, where the month after is on record with
    its cumulative, that month's value derived again, so that last year's months still add up
    to every cumulative on record."""
    if not sheet.revisions:
        return []
    month = sheet.period.month
    indicators = list({r.indicator.pk: r.indicator for r in sheet.revisions}.values())
    after = (
        _cumulatives_on_record(zone, sheet.source, sheet.period.year - 1, month + 1, indicators)
        if month < 12
        else {}
    )
    values = []
    for revision in sheet.revisions:
        indicator_id = revision.indicator.pk
        if not revision.indicator.is_flow:
            values.append(
                FigureInput(
                    revision.enterprise_id, indicator_id, revision.period, revision.in_sheet
                )
            )
            continue
        before = revision.on_record - revision.own
        values.append(
            FigureInput(
                revision.enterprise_id,
                indicator_id,
                revision.period,
                revision.in_sheet - before,
                revision.in_sheet,
            )
        )
        following = after.get((revision.enterprise_id, indicator_id))
        if following is not None and following[1].first_month == month + 1:
            values.append(
                FigureInput(
                    revision.enterprise_id,
                    indicator_id,
                    following[1],
                    following[0] - revision.in_sheet,
                    following[0],
                )
            )
    return values


@dataclass
class StatisticsImport:
    batch: ImportBatch
    recorded: RecordResult
    revisions: RecordResult | None = None
    entered: int = 0
    left: int = 0
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def import_statistics(
    *,
    zone: Zone,
    sheet: StatisticsSheet,
    by: User | None,
    file_name: str = "",
    accept_revisions: bool = False,
    at: dt.datetime | None = None,
    written: Callable[[int], None] | None = None,
) -> StatisticsImport:
    """Write every row's values, or nothing: any problem refuses the whole sheet. The values
    go through `figures_record` in one ImportBatch, whose notes keep the sheet's notices. With
    `accept_revisions`, the bureau's revised 上年同期累计 are recorded as revisions of last
    year's figures (the old values stay in the history); without it they are only noted. A
    row marked 入统 or 退库 enters or leaves the 规上 directory, dated in the period.
    `written(n)`, when given, hears how many rows are written so far (a background job's
    progress)."""
    if not sheet.rows:
        raise DomainError(_("There are no rows to import."))
    if sheet.errors:
        raise DomainError(
            _("Nothing was imported: %(n)d problems must be fixed first.")
            % {"n": len(sheet.errors)}
        )
    period = sheet.period
    notes = [str(notice) for notice in sheet.notices[:NOTES_KEPT]]
    batch = ImportBatch.objects.create(
        zone=zone,
        source=sheet.source,
        year=period.year,
        month=period.month,
        first_month=period.first_month,
        file_name=file_name[:200],
        rows=len(sheet.rows),
        notes=notes,
        created_by=by,
    )
    if at is not None:  # a sheet recorded as received on an earlier day (the seed's)
        with figure_cache.covering([ImportBatch], [zone.pk]):
            ImportBatch.objects.filter(pk=batch.pk).update(created_at=at)
    recorded = figures_record(
        zone=zone, values=sheet.values(), source=sheet.source, by=by, batch=batch, at=at
    )
    outcome = StatisticsImport(batch=batch, recorded=recorded, notes=notes)
    if written is not None:  # every row's values are in (revisions and 入统/退库 next)
        written(len(sheet.rows))
    if accept_revisions and sheet.revisions:
        outcome.revisions = figures_record(
            zone=zone,
            values=_revision_values(zone, sheet),
            source=sheet.source,
            by=by,
            batch=batch,
            at=at,
        )
        batch.notes = [
            *notes,
            _("%(n)d figures of last year were revised as the bureau gives them.")
            % {"n": len(sheet.revisions)},
        ]
        batch.save(update_fields=["notes"])
    marked = [row for row in sheet.rows if row.marker and row.enterprise_id]
    if marked:
        enterprises = Enterprise.objects.in_bulk([row.enterprise_id for row in marked])
        first_day = dt.date(period.year, period.first_month, 1)
        end = Period.of(period.year, period.month).next_month()
        last_day = dt.date(end.year, end.month, 1) - dt.timedelta(days=1)
        for row in marked:
            enterprise = enterprises[row.enterprise_id]
            try:
                if row.marker == "enter":
                    scale_enter(
                        enterprise=enterprise,
                        on=first_day,
                        by=by,
                        source=ScaleSpell.Source.STATISTICS,
                    )
                    outcome.entered += 1
                else:
                    scale_leave(enterprise=enterprise, on=last_day, by=by)
                    outcome.left += 1
            except DomainError as exc:
                raise DomainError(
                    _("Row %(row)d: %(message)s Nothing was imported.")
                    % {"row": row.row, "message": exc.message}
                ) from exc
    return outcome
