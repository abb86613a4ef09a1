"""Excel writers side by side: core/excel.py's own writer against the maintained libraries
(xlsxwriter in constant_memory mode, pyexcelerate, rustpy-xlsxwriter) on the rows of the
enterprise list's export, in one run.

    make bench-excel-writers
    DATABASE_URL=sqlite:////path/to/db .venv/bin/python bench/excel_writers.py [--prefix gen]

The database must hold a zone that `gaoxin generate --prefix PREFIX` filled (the Makefile
target generates 100,000 enterprises first). The rows are exactly those the list's export hands
to `write_workbook`, captured from the view itself for an officer of that zone; five hostile
rows follow them in the same columns (text that reads as a formula or a number, control
characters and carriage returns, text that already reads like Excel's _xHHHH_ escape, a lone
surrogate, dates before 1900-03-01, NaN, infinity), the cases the export tests name.

Each write runs in a fresh process on the same pickled rows, so that its peak memory is its
own: the rise of the process's resident size over what it held before the write. The writers
take turns, round after round (--repeat), and each one's best time counts. Each file
is read back with python-calamine (every cell compared with what the rows say it must hold)
and with openpyxl (no cell may be a formula), and a small workbook of the hostile rows is
loaded whole with openpyxl to check the styles the export relies on (bold header, date formats,
quote-prefix on text a spreadsheet would run). The libraries are not dependencies of the
project: one not installed is skipped with a note (`pip install pyexcelerate rustpy-xlsxwriter`).
Prints Markdown tables; exits non-zero when core/excel.py's own file is wrong.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import io
import itertools
import json
import math
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")

SHEET = "企业名录"
HOSTILE_HEADERS = ["名称", "日期", "时间", "金额", "是否", "备注", "电话"]
HOSTILE_ROWS: list[list[Any]] = [
    ['=HYPERLINK("http://x")', dt.date(2023, 6, 30), dt.datetime(2023, 1, 2, 3, 4), Decimal("12.50"), True, "=1+1", "+86 13800000000"],  # noqa: E501
    ["@SUM(A1)", dt.date(1899, 1, 2), None, Decimal("NaN"), False, "-2", "\t1"],
    ["甲\x01乙 ", dt.date(1900, 3, 1), None, float("inf"), None, "_x0041_ as typed", "\r2"],
    ["\ud800x", None, None, 3, None, "<b>&</b>", ""],
    ["深圳市南山区科技园企业", dt.date(2024, 2, 29), None, Decimal("1234567.89"), True, "0123", "1e5"],  # noqa: E501
]  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", default="gen", help="the generated zones' code prefix")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each writer's best counts")
    parser.add_argument("--writers", nargs="*", default=list(WRITERS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rows-file", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.child, Path(args.rows_file), Path(args.out))

    import django

    django.setup()
    headers, rows, title, db_seconds = _export_rows(args.prefix)
    exported = len(rows)
    rows.extend(_hostile_like(rows[0]) if rows else [])
    print(f"{len(rows):,} rows ({exported:,} from the list's export), ", end="")
    print(f"{len(rows) * len(headers):,} cells; the export without writing: {db_seconds:.2f} s\n")
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in args.writers}
    with tempfile.TemporaryDirectory(prefix="gaoxin-writers-") as tmp:
        rows_file = Path(tmp) / "rows.pickle"
        rows_file.write_bytes(pickle.dumps((headers, rows, title)))
        # Round after round, each writer once a round: a machine whose load changes during
        # the run then weighs on every writer alike.
        for _ in range(max(args.repeat, 1)):
            for name in args.writers:
                out = Path(tmp) / f"{name}.xlsx"
                done = subprocess.run(
                    [sys.executable, __file__, "--child", name, "--rows-file", str(rows_file),
                     "--out", str(out)],
                    capture_output=True, text=True, check=False,
                )  # fmt: skip
                if done.returncode:
                    tail = (done.stderr.strip().splitlines() or ["?"])[-1]
                    runs[name].append({"name": name, "error": tail})
                else:
                    runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
        results = []
        for name, tries in runs.items():
            result = tries[-1]
            if "seconds" in result:
                result["all_seconds"] = [t["seconds"] for t in tries]
                result["seconds"] = min(result["all_seconds"])
                result["cpu"] = min(t["cpu"] for t in tries)
                result["peak_mb"] = max(t["peak_mb"] for t in tries)
                content = (Path(tmp) / f"{name}.xlsx").read_bytes()
                result["calamine"] = _check_calamine(content, headers, rows, title)
                result["openpyxl"] = _check_openpyxl(content, headers, rows, title)
                result["styles"] = _check_styles(WRITERS[name])
            results.append(result)
    _report(results, db_seconds)
    ours = next((r for r in results if r["name"] == "gaoxin"), None)
    return 0 if ours is None or (ours.get("calamine") == ours.get("openpyxl") == "ok") else 1


def _export_rows(prefix: str) -> tuple[list[str], list[list[Any]], str, float]:
    """The rows the enterprise list's export writes, captured at write_workbook, and how long
    the export took without writing (its query and the building of the rows)."""
    from _common import first_zone, zone_user  # bench/, beside this script
    from django.test import RequestFactory

    import gaoxin.core.excel
    from gaoxin.core.roles import Role
    from gaoxin.enterprises.views import enterprise_list

    zone = first_zone(prefix)
    if zone is None:
        raise SystemExit(f"No zone with the prefix {prefix!r}: run `gaoxin generate` first.")
    user = zone_user(zone, f"bench-writers-{zone.code}", Role.OFFICER, "压测专员")
    captured: dict[str, Any] = {}

    def capture(headers: Sequence[str], rows: Iterable[Sequence[Any]], **kwargs: Any) -> bytes:
        captured.update(headers=list(headers), rows=[list(r) for r in rows], **kwargs)
        return b""

    # Every module that took write_workbook by name writes through the capture instead.
    original = gaoxin.core.excel.write_workbook
    patched = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("gaoxin.") and getattr(module, "write_workbook", None) is original
    ]
    for module in patched:
        module.write_workbook = capture  # type: ignore[attr-defined]
    try:
        request = RequestFactory().get("/enterprises/", {"export": "xlsx"})
        request.user = user
        request.htmx = False  # type: ignore[attr-defined]
        start = time.perf_counter()
        response = enterprise_list(request)
        took = time.perf_counter() - start
    finally:
        for module in patched:
            module.write_workbook = original  # type: ignore[attr-defined]
    assert response.status_code == 200 and captured, "the export did not write a workbook"
    return captured["headers"], captured["rows"], captured.get("title") or "", took


# --- the writers ---------------------------------------------------------------------------
# Each takes what write_workbook takes and returns the .xlsx bytes, doing all that the
# library allows to match core/excel.py's file (title row, bold header, date formats, text
# kept text). What a library cannot do is left undone and shows in the checks.


def write_gaoxin(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from gaoxin.core.excel import write_workbook

    return write_workbook(headers, rows, title=title or None, sheet_name=SHEET)


def write_xlsxwriter(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    import xlsxwriter

    from gaoxin.core.excel import FIRST_SERIAL_DATE, MAX_CELL_TEXT, needs_escape

    buffer = io.BytesIO()
    options = {
        "constant_memory": True,  # rows are flushed as they are written
        "strings_to_formulas": False,  # text stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "remove_timezone": True,
    }
    book = xlsxwriter.Workbook(buffer, options)
    sheet = book.add_worksheet(SHEET)
    header = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    quoted = book.add_format({"quote_prefix": True})
    for i, name in enumerate(headers):
        sheet.set_column(i, i, max(12, min(40, len(str(name)) * 2 + 4)))
    number = 0
    if title:
        sheet.write_string(0, 0, title, book.add_format({"bold": True, "font_size": 14}))
        number = 1
    for i, name in enumerate(headers):
        sheet.write_string(number, i, str(name), header)
    for row in rows:
        number += 1
        for i, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(number, i, value)
            elif isinstance(value, int | float | Decimal):
                if not (isinstance(value, Decimal) and value.is_snan()) and math.isfinite(value):
                    sheet.write_number(number, i, float(value))
            elif (
                isinstance(value, dt.date)
                and (value.date() if isinstance(value, dt.datetime) else value) < FIRST_SERIAL_DATE
            ):
                sheet.write_string(number, i, value.isoformat())
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(number, i, _naive(value), stamp)
            elif isinstance(value, dt.date):
                sheet.write_datetime(number, i, value, date)
            else:
                text = _no_surrogates(str(value)[:MAX_CELL_TEXT])
                sheet.write_string(number, i, text, quoted if needs_escape(text) else None)
    book.close()
    return buffer.getvalue()


def write_pyexcelerate(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from pyexcelerate import Color, Fill, Font, Format, Style, Workbook

    top = [[title]] if title else []
    data = [*top, list(headers), *([_plain(v) for v in row] for row in rows)]
    book = Workbook()
    sheet = book.new_sheet(SHEET, data=data)
    first = len(top) + 1  # pyexcelerate counts rows and columns from 1
    if title:
        sheet.set_cell_style(1, 1, Style(font=Font(bold=True, size=14)))
    sheet.set_row_style(
        first, Style(font=Font(bold=True), fill=Fill(background=Color(0xEE, 0xF2, 0xF7)))
    )
    # The date columns, found from the first data row, get their number format.
    formats = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd"}
    for i, value in enumerate(data[first] if len(data) > first else []):
        if type(value) in formats:
            style = Style(format=Format(formats[type(value)]))
            for number in range(first + 1, len(data) + 1):
                sheet.set_cell_style(number, i + 1, style)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_rustpy(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    import rustpy_xlsxwriter

    names = [str(h) for h in headers]  # it takes records keyed by the header
    rows = iter(rows)
    first = next(rows, None)
    # A date takes the datetime format unless its column has one: the date columns, found
    # from the first row, get theirs.
    dates = {
        name: rustpy_xlsxwriter.Format().set_num_format("yyyy-mm-dd")
        for name, value in zip(names, first or (), strict=False)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    }
    records = (
        {n: _plain(v) for n, v in zip(names, row, strict=False)}
        for row in itertools.chain([first] if first is not None else [], rows)
    )
    header = rustpy_xlsxwriter.Format().set_bold().set_background_color("#EEF2F7")
    buffer = io.BytesIO()
    rustpy_xlsxwriter.write_worksheet(
        records,
        buffer,
        sheet_name=SHEET,
        header_format=header.set_border("thin"),
        header_row=1 if title else 0,
        merge_ranges=[(0, 0, 0, 1, title, rustpy_xlsxwriter.Format().set_bold().set_font_size(14))]
        if title
        else None,
        datetime_format="yyyy-mm-dd hh:mm",
        column_formats=dates or None,
        column_widths=[max(12, min(40, len(n) * 2 + 4)) for n in names],
    )
    return buffer.getvalue()


WRITERS: dict[str, Callable[[Sequence[str], Iterable[Sequence[Any]], str], bytes]] = {
    "gaoxin": write_gaoxin,
    "xlsxwriter": write_xlsxwriter,
    "pyexcelerate": write_pyexcelerate,
    "rustpy-xlsxwriter": write_rustpy,
}
LABELS = {
    "gaoxin": "core/excel.py (ours)",
    "xlsxwriter": "xlsxwriter, constant_memory",
    "pyexcelerate": "pyexcelerate",
    "rustpy-xlsxwriter": "rustpy-xlsxwriter",
}
MODULES = {
    "xlsxwriter": "xlsxwriter",
    "pyexcelerate": "pyexcelerate",
    "rustpy-xlsxwriter": "rustpy_xlsxwriter",
}


def _plain(value: Any) -> Any:
    """A value as the libraries that take rows of values can write it as core/excel.py does:
    no NaN or infinity, a date before 1900-03-01 as text, a local datetime, text cut to
    Excel's limit and without lone surrogates."""
    from gaoxin.core.excel import FIRST_SERIAL_DATE, MAX_CELL_TEXT

    if isinstance(value, Decimal | float):
        return float(value) if math.isfinite(value) else None
    if (
        isinstance(value, dt.date)
        and (value.date() if isinstance(value, dt.datetime) else value) < FIRST_SERIAL_DATE
    ):
        return value.isoformat()
    if isinstance(value, dt.datetime):
        return _naive(value)
    if isinstance(value, str):
        return _no_surrogates(value[:MAX_CELL_TEXT])
    return value


def _naive(value: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _no_surrogates(text: str) -> str:
    """UTF-8 cannot carry a lone surrogate, and none of the libraries escapes one."""
    if _SURROGATE.search(text):
        return _SURROGATE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def _child(name: str, rows_file: Path, out: Path) -> int:
    """One write, in a fresh process: its time, and the peak of its resident memory above
    what the process held before it (the kernel's high-water mark is reset first)."""
    import django

    django.setup()
    if name in MODULES:
        try:
            __import__(MODULES[name])
        except ImportError:
            print(json.dumps({"name": name, "skipped": "not installed"}))
            return 0
    with rows_file.open("rb") as file:
        headers, rows, title = pickle.load(file)
    write = WRITERS[name]
    write(HOSTILE_HEADERS, HOSTILE_ROWS[:1], "warm-up")  # imports and first-call costs
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # memory freed so far goes back to the system
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = _memory_kb("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    content = write(headers, iter(rows), title)  # an iterator, as the export passes
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _memory_kb("VmHWM")
    out.write_bytes(content)
    version = _version("xlsxwriter" if name == "xlsxwriter" else name)
    size = out.stat().st_size / 1e6
    result = {"name": name, "version": version, "seconds": took, "cpu": cpu, "size_mb": size}
    print(json.dumps({**result, "peak_mb": (peak - before) / 1024}))
    return 0


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _hostile_like(template: Sequence[Any]) -> list[list[Any]]:
    """Five rows in the export's own columns, each cell a hard case of its column's type."""
    texts = [
        '=HYPERLINK("http://x")', "+86 13800000000", "-2", "@SUM(A1)", "\t1", "\r2",
        "甲\x01乙 ", "_x0041_ as typed", "\ud800x", "<b>&</b>", "0123", "1e5", "一\r\n二",
    ]  # fmt: skip
    days = [dt.date(1899, 1, 2), dt.date(1900, 3, 1), dt.date(2024, 2, 29), None]
    numbers = [Decimal("NaN"), float("inf"), Decimal("1234567.89"), -3, None]
    rows = []
    for n in range(5):
        row: list[Any] = []
        for i, value in enumerate(template):
            if isinstance(value, bool):
                row.append(value)
            elif isinstance(value, dt.date):
                row.append(days[(n + i) % len(days)])
            elif isinstance(value, int | float | Decimal):
                row.append(numbers[(n + i) % len(numbers)])
            else:
                row.append(texts[(n * 3 + i) % len(texts)])
        rows.append(row)
    return rows


# --- the checks ----------------------------------------------------------------------------


def _expected(value: Any, *, reader: str) -> Any:
    """What a reader must give back for a value that write_workbook was handed."""
    from gaoxin.core.excel import FIRST_SERIAL_DATE, MAX_CELL_TEXT

    empty = "" if reader == "calamine" else None
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        finite = not (isinstance(value, Decimal) and value.is_snan()) and math.isfinite(value)
        return float(value) if finite else empty
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        if day < FIRST_SERIAL_DATE:
            return value.isoformat()
        if isinstance(value, dt.datetime):
            return _naive(value)
        return value if reader == "calamine" else dt.datetime.combine(value, dt.time.min)
    text = str(value)[:MAX_CELL_TEXT]
    if reader == "openpyxl":  # openpyxl shows Excel's escapes as they are stored
        text = re.sub("_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", text)
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return _no_surrogates(text)


def _compare(
    read: Iterable[Sequence[Any]],
    headers: Sequence[str],
    rows: Sequence[Any],
    title: str,
    reader: str,
    formulas: Callable[[Any], bool] | None = None,
) -> str:
    empty = "" if reader == "calamine" else None
    top = [[title, *[empty] * (len(headers) - 1)]] if title else []
    expected = [*top, list(headers), *([_expected(v, reader=reader) for v in r] for r in rows)]
    wrong: list[str] = []
    count = 0
    for number, (got, want) in enumerate(zip(read, expected, strict=False), 1):
        count += 1
        got = list(got)[: len(want)] + [empty] * (len(want) - len(got))
        for column, (a, b) in enumerate(zip(got, want, strict=True), 1):
            if formulas and formulas((number, column)):
                wrong.append(f"R{number}C{column} is a formula")
            elif a != b and not (isinstance(a, float) and isinstance(b, float) and a == b):
                wrong.append(f"R{number}C{column} {a!r} for {b!r}")
    if count != len(expected):
        wrong.insert(0, f"{count} rows for {len(expected)}")
    if not wrong:
        return "ok"
    return f"{len(wrong)} cells differ, e.g. " + "; ".join(wrong[:3])


def _check_calamine(content: bytes, headers: Sequence[str], rows: Sequence[Any], title: str) -> str:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        return _compare(sheet.to_python(skip_empty_area=False), headers, rows, title, "calamine")
    except Exception as error:  # a file the reader refuses is a result, not a crash
        return f"unreadable: {error!r}"


def _check_openpyxl(content: bytes, headers: Sequence[str], rows: Sequence[Any], title: str) -> str:
    import openpyxl

    try:
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        kinds: dict[tuple[int, int], bool] = {}
        values = []
        for number, row in enumerate(sheet.iter_rows(), 1):
            values.append([cell.value for cell in row])
            for column, cell in enumerate(row, 1):
                if getattr(cell, "data_type", None) == "f":
                    kinds[(number, column)] = True
        return _compare(values, headers, rows, title, "openpyxl", formulas=kinds.get)
    except Exception as error:
        return f"unreadable: {error!r}"


def _check_styles(write: Callable[..., bytes]) -> str:
    """The hostile rows, loaded whole: the styles the export's readers rely on."""
    import warnings

    import openpyxl

    from gaoxin.core.excel import needs_escape

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyexcelerate's file has no stylesheet of its own
        try:
            content = write(HOSTILE_HEADERS, HOSTILE_ROWS, "标题")
        except Exception as error:
            return f"refused: {error!r}"
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    missing = []
    if not (sheet["A1"].font.b and sheet["A1"].font.sz == 14):
        missing.append("title font")
    if not (sheet["A2"].font.b and sheet["A2"].fill.fgColor.rgb == "FFEEF2F7"):
        missing.append("header style")
    if sheet["B3"].number_format != "yyyy-mm-dd" or sheet["C3"].number_format != "yyyy-mm-dd hh:mm":
        missing.append("date formats")
    quoted = [
        cell
        for row in sheet.iter_rows(min_row=3)
        for cell in row
        if isinstance(cell.value, str) and needs_escape(cell.value)
    ]
    if not quoted or not all(cell.quotePrefix for cell in quoted):
        missing.append("quote-prefix")
    return "ok" if not missing else "no " + ", ".join(missing)


def _report(results: list[dict[str, Any]], db_seconds: float) -> None:
    print("| writer | version | write s | write CPU s | export s (without writing + write) | "
          "peak MB | file MB | calamine read-back | openpyxl read-back | styles |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for r in results:
        label = LABELS.get(r["name"], r["name"])
        if "error" in r or "skipped" in r:
            print(f"| {label} | | | | | | | {r.get('error') or r.get('skipped')} | | |")
            continue
        total = db_seconds + r["seconds"]
        verdict = "" if total <= 5 else " (over 5 s)"
        version = "-" if r["name"] == "gaoxin" else r["version"]
        print(
            f"| {label} | {version} | {r['seconds']:.2f} | {r['cpu']:.2f} | {total:.2f}{verdict} | "
            f"{r['peak_mb']:.0f} | {r['size_mb']:.1f} | {r['calamine']} | {r['openpyxl']} | "
            f"{r['styles']} |"
        )
    print("\nwrite s, each round: ", end="")
    print(", ".join(f"{r['name']} {[round(s, 2) for s in r['all_seconds']]}" for r in results
                    if "all_seconds" in r))  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
