"""Speed of the statistics bureau's sheet import: N enterprises' rows read, checked and
written (issue 14's target: a 20,000-row sheet at ≥ 10,000 rows/s).

    DATABASE_URL=sqlite:////tmp/st.sqlite3 .venv/bin/python bench/statistics_import.py [--rows N]

On a migrated database: it adds a zone and N enterprises (bulk_create, not timed), writes two
sheets as the bureau sends them (a title, 单位：万元, a two-line merged header, per indicator
本月 / 本年累计 / 上年同期累计 / 增速(%)) for 1–2月 and for 3月, then imports each: the first
records the cumulatives as they are, the second derives March from them (the month before is
read from the record). Each import is timed from the file's bytes to the committed rows,
`read_statistics_sheet` and `import_statistics` separately. Checks that every figure was
written and that the year to date equals the sheet's sum, prints a Markdown table, and deletes
what it wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")

INDICATORS = ("营业收入", "税收总额", "从业人员期末人数")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--indicators", type=int, default=len(INDICATORS), choices=[1, 2, 3])
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Sum
    from stdnum.cn import uscc as stdnum_uscc

    from gaoxin.accounts.models import Zone
    from gaoxin.economy.imports import import_statistics, read_statistics_sheet
    from gaoxin.economy.models import FigureValue, ImportBatch, ZoneEconomySettings
    from gaoxin.economy.periods import Period
    from gaoxin.economy.selectors import values_in_effect, year_to_date
    from gaoxin.enterprises.models import Enterprise
    from tests.economy.bureau_sheet import bureau_workbook

    indicators = INDICATORS[: args.indicators]
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{args.rows:,} rows × {len(indicators)} indicators ({'、'.join(indicators)})\n"
    )
    tag = f"{os.getpid()}{int(time.time()) % 100000}"
    zone = Zone.objects.create(code=f"stb-{tag}", name=f"统计压测{tag}")
    random = Random(7)
    enterprises = []
    for n in range(args.rows):
        body = f"91440400MB{n:07d}"
        code = body + stdnum_uscc.calc_check_digit(body)
        enterprises.append(
            Enterprise(
                zone=zone, name=f"珠海统计压测{tag}企业{n}有限公司", uscc=code, name_initials="zh"
            )
        )
    Enterprise.objects.bulk_create(enterprises, batch_size=2000)
    enterprises = list(Enterprise.objects.filter(zone=zone).order_by("pk"))
    first_cum = [Decimal(random.randint(100, 90_000)) / 10 for _ in enterprises]
    third_cum = [c + Decimal(random.randint(0, 40_000)) / 10 for c in first_cum]

    def rows(cumulatives):
        for e, cum in zip(enterprises, cumulatives, strict=True):
            cells = [e.uscc, e.name]
            for name in indicators:
                if name == "从业人员期末人数":
                    cells += [int(cum) % 900 + 10, "", "", ""]
                else:
                    cells += ["", float(cum), float(cum * Decimal("0.9")), 11.1]
            yield cells

    sheets = [
        (Period(2023, 2, 1), bureau_workbook(list(rows(first_cum)), indicators=indicators)),
        (Period.of(2023, 3), bureau_workbook(list(rows(third_cum)), indicators=indicators)),
    ]
    lines, ok = [], True
    try:
        for period, content in sheets:
            start, cpu = time.perf_counter(), time.process_time()
            sheet = read_statistics_sheet(zone, content, period)
            read = time.perf_counter() - start
            if not sheet.ok:
                print(f"{period.label}: {len(sheet.errors)} problems, e.g. {sheet.errors[:3]}")
                return 1
            start = time.perf_counter()
            outcome = import_statistics(zone=zone, sheet=sheet, by=None)
            write = time.perf_counter() - start
            cpu = time.process_time() - cpu
            expected = args.rows * len(indicators)
            written = FigureValue.objects.filter(batch=outcome.batch).count()
            if written != expected:
                print(f"{period.label}: wrote {written} figures, not {expected}")
                ok = False
            total = read + write
            lines.append((period.label, sheet.counts["values"], read, write, total, cpu))
        if "营业收入" in indicators:
            ytd = year_to_date(
                values_in_effect([zone.pk]).filter(indicator__code="revenue"), Period.of(2023, 3)
            ).aggregate(total=Sum("amount"))["total"]
            if ytd != sum(third_cum) * 10_000:
                print(f"year to date {ytd} is not the sheet's sum {sum(third_cum) * 10_000}")
                ok = False
        print(
            "| sheet | rows | figures | read & check s | write s | rows/s | this process's CPU s |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for label, values, read, write, total, cpu in lines:
            print(
                f"| {label} | {args.rows:,} | {values:,} | {read:.2f} | {write:.2f} | "
                f"{args.rows / total:,.0f} | {cpu:.2f} |"
            )
        worst = min(args.rows / line[4] for line in lines)
        print(f"\ntarget ≥ 10,000 rows/s: {'met' if worst >= 10_000 else 'MISSED'}")
        return 0 if ok else 1
    finally:
        FigureValue.objects.filter(zone=zone).delete()
        ImportBatch.objects.filter(zone=zone).delete()
        Enterprise.objects.filter(zone=zone).delete()
        ZoneEconomySettings.objects.filter(zone=zone).delete()
        zone.delete()


if __name__ == "__main__":
    raise SystemExit(main())
