"""The cultivation radars' answers on the generated set: p50 and p95 of each one.

Run against a database filled by `gaoxin generate` (see bench/README.md):

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/radars.py [--runs 20]

For two scopes — the largest generated zone, and all generated zones together — it times:

- the standings build (`standings.standings_for` on a scope whose standings were dropped): a
  one-off per zone and month after the zone's figures change, reported on its own;
- for each registered radar (`radars.all_radars()`): its first read (which builds whatever
  standings it reads beyond the radar's month), then over `--runs` runs its count
  (`records(zone_ids, as_of).count()`), its first page (the records in their order, the first
  50 rows with every value the list shows) and the enterprise page's line (`line(enterprise,
  as_of)`) for a sample of enterprises on it and off it;
- a stand-in radar written here (the 小升规 query: not 规上, twelve months of revenue from 80%
  of the threshold in force, closest first) when `--stand-in` is given or no radar is
  registered, so that the script measures the foundation on a branch without the radars.

Prints a Markdown table; `--max-p95 MS` fails if any radar answer's p95 is above MS (the
standings build and first reads are not held to it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
os.environ.setdefault("DEBUG", "false")

PAGE = 50


@dataclass
class Row:
    scope: str
    radar: str
    answer: str
    p50: float
    p95: float
    queries: int
    rows: int | None = None
    held: bool = True  # held to --max-p95


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def timed(
    scope: str, radar: str, answer: str, runs: int, work: Callable[[], Any], *, held: bool = True
) -> tuple[Row, Any]:
    """Run `work` `runs` times; the row with its p50, p95 (ms) and queries of one run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = work()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        samples.append((time.perf_counter() - start) * 1000)
    size = (
        result if isinstance(result, int) else len(result) if hasattr(result, "__len__") else None
    )
    row = Row(scope, radar, answer, statistics.median(samples), p95(samples), len(captured), size)
    row.held = held
    return row, result


def stand_in() -> Any:
    """A radar shaped like the registered ones: the 小升规 query over the standings."""
    from django.db.models import DecimalField, ExpressionWrapper, F, FilteredRelation, Q

    from gaoxin.cultivation.radars import Radar
    from gaoxin.cultivation.standings import radar_period, standings_for
    from gaoxin.cultivation.thresholds import rule_case
    from gaoxin.enterprises.models import Enterprise

    ratio_field = DecimalField(max_digits=12, decimal_places=4)

    def records(zone_ids: Iterable[int], as_of: dt.date) -> Any:
        zone_ids = sorted(set(zone_ids))
        period = radar_period(zone_ids, as_of)
        if period is None:
            return Enterprise.objects.none()
        standings_for(zone_ids, period)
        return (
            Enterprise.objects.filter(zone_id__in=zone_ids, is_above_scale=False)
            .annotate(
                standing=FilteredRelation(
                    "standings",
                    condition=Q(standings__year=period.year, standings__month=period.month),
                ),
                threshold=rule_case(as_of),
            )
            .filter(standing__isnull=False, threshold__isnull=False)
            .annotate(
                revenue_ttm=F("standing__revenue_ttm"),
                months_ttm=F("standing__months_ttm"),
                ratio=ExpressionWrapper(
                    F("standing__revenue_ttm") * 100 / F("threshold"), ratio_field
                ),
            )
            .filter(ratio__gte=80, ratio__lt=100)
            .order_by("-ratio", "name", "pk")
        )

    def line(enterprise: Any, as_of: dt.date) -> str | None:
        row = records([enterprise.zone_id], as_of).filter(pk=enterprise.pk).first()
        return None if row is None else f"{row.threshold - row.revenue_ttm}"

    return Radar(
        key="stand-in",
        label="stand-in 小升规",
        description="",
        url_name="",
        records=records,
        line=line,
    )


def list_values(queryset: Any) -> list[Any]:
    """The first page in the records' order, every annotated value read (as a list does)."""
    if not queryset.ordered:
        queryset = queryset.order_by("pk")
    rows = list(queryset[:PAGE])
    for row in rows:  # what the list shows: the row's fields and its annotations
        for name in getattr(queryset.query, "annotations", {}):
            getattr(row, name, None)
    return rows


def measure(
    scope: str, zone_ids: list[int], as_of: dt.date, radars: list[Any], runs: int, sample: int
) -> list[Row]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gaoxin.cultivation.standings import radar_period, standings_for, standings_invalidate
    from gaoxin.enterprises.models import Enterprise

    rows: list[Row] = []
    period = radar_period(zone_ids, as_of)
    if period is None:
        print(f"{scope}: no revenue figures by {as_of}")
        return rows

    def build() -> int:
        for zone_id in zone_ids:
            standings_invalidate(zone_id)
        start = time.perf_counter()
        count = standings_for(zone_ids, period).count()
        builds.append((time.perf_counter() - start) * 1000)
        return count

    builds: list[float] = []
    built = 0
    for _ in range(max(1, min(3, runs))):
        built = build()
    rows.append(
        Row(
            scope,
            "standings",
            f"build {period.key}",
            statistics.median(builds),
            max(builds),
            0,
            built,
            held=False,
        )
    )
    others = list(
        Enterprise.objects.filter(zone_id__in=zone_ids)
        .order_by("?")
        .values_list("pk", flat=True)[: max(1, sample // 2)]
    )
    for radar in radars:
        start = time.perf_counter()
        radar.records(zone_ids, as_of).count()  # builds what it reads beyond the month
        first = (time.perf_counter() - start) * 1000
        rows.append(Row(scope, radar.key, "first read", first, first, 0, None, held=False))
        row, _count = timed(
            scope, radar.key, "count", runs, lambda r=radar: r.records(zone_ids, as_of).count()
        )
        rows.append(row)
        row, page = timed(
            scope,
            radar.key,
            f"first page ({PAGE})",
            runs,
            lambda r=radar: list_values(r.records(zone_ids, as_of)),
        )
        rows.append(row)
        on_it = [e.pk for e in page[: max(1, sample - len(others))]]
        sampled = list(Enterprise.objects.filter(pk__in=on_it + others))
        samples, queries = [], 0
        for enterprise in sampled:
            with CaptureQueriesContext(connection) as captured:
                radar.line(enterprise, as_of)
            queries = max(queries, len(captured))
            for _ in range(max(1, runs // 4)):
                start = time.perf_counter()
                radar.line(enterprise, as_of)
                samples.append((time.perf_counter() - start) * 1000)
        if samples:
            rows.append(
                Row(
                    scope,
                    radar.key,
                    f"enterprise line ({len(sampled)} firms)",
                    statistics.median(samples),
                    p95(samples),
                    queries,
                    len(sampled),
                )
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--sample", type=int, default=20, help="enterprises whose line is timed")
    parser.add_argument("--stand-in", action="store_true", help="also time the stand-in radar")
    parser.add_argument("--max-p95", type=float, help="fail if a radar answer's p95 exceeds this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db.models import Count

    from gaoxin.accounts.models import Zone
    from gaoxin.cultivation.radars import all_radars
    from gaoxin.demo.synthetic.base import LAST_DAY

    zones = list(
        Zone.objects.filter(code__startswith=args.prefix)
        .annotate(size=Count("enterprises"))
        .order_by("-size", "code")
    )
    if not zones:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    radars = all_radars()
    if args.stand_in or not radars:
        radars = [*radars, stand_in()]
    as_of = min(LAST_DAY, dt.date.today())  # the generated set's last day
    largest = zones[0]
    print(
        f"radars {', '.join(r.key for r in radars)} as of {as_of}; {args.runs} runs each; "
        f"largest zone {largest.code} ({largest.size:,} enterprises), all {len(zones)} zones "
        f"({sum(z.size for z in zones):,})\n"
    )
    rows = measure(f"{largest.code}", [largest.pk], as_of, radars, args.runs, args.sample)
    rows += measure(
        f"{len(zones)} zones", [z.pk for z in zones], as_of, radars, args.runs, args.sample
    )
    print("| scope | radar | answer | p50 ms | p95 ms | queries | rows |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row.scope} | {row.radar} | {row.answer} | {row.p50:.0f} | {row.p95:.0f} "
            f"| {row.queries or ''} | {'' if row.rows is None else f'{row.rows:,}'} |"
        )
    if args.max_p95 is not None:
        failures = [
            f"{row.scope} {row.radar} {row.answer}: p95 {row.p95:.0f} ms > {args.max_p95:.0f} ms"
            for row in rows
            if row.held and row.p95 > args.max_p95
        ]
        if failures:
            print("\nFAILED:\n" + "\n".join(f"- {f}" for f in failures))
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
