"""A province: one zone's pages and a province-wide leader's dashboard on the 1M set (issue 19).

Run against a database filled by `gaoxin generate --zones 30 --prefix prov` (`make
bench-province`; see bench/README.md):

    DATABASE_URL=postgres://…/db .venv/bin/python bench/province.py [--runs 20]

Prints, as Markdown:

- the machine's load average at the start and at the end (two cores shared: say it beside
  every figure);
- one zone's main pages, timed as bench/latency.py times them at 100k (its `measure`);
- a leader who sees every zone of the set viewing the dashboard (and the briefing), warm (the
  figures cached) and cold (every zone's figures generation bumped before each view, as a
  committed write does: each view recomputes every figure over all the zones), p50 and p95;
- the process's peak RSS;
- the slowest queries of one cold dashboard view, each with its `EXPLAIN (ANALYZE, BUFFERS)`
  on PostgreSQL (`EXPLAIN QUERY PLAN` on SQLite).

`--max-p95 MS` fails if the province dashboard's warm p95 is above MS (the issue asks 500).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
from _common import first_zone  # noqa: E402  (bench/, beside this script)
from latency import measure  # noqa: E402  (the one-zone pages, timed as at 100k)

# One zone's pages, as bench/latency.py names them and as they were timed at 100k (the rest of
# the URL map only with --zone-map: at a province's size it takes longer than the rest together).
ZONE_PAGES = frozenset(
    {
        "dashboard",
        "briefing",
        "metric index",
        "board",
        "project list, filtered",
        "enterprise search, Chinese",
        "enterprise search, pinyin",
        "enterprise search, USCC",
        "industry map",
        "project detail",
        "metric records",
        "economy figures",
        "economy ytd growth",
    }
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
os.environ.setdefault("DEBUG", "false")

PROVINCE_PAGES = (("dashboard", "/dashboard/"), ("briefing", "/briefing/"))


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)


def province_leader(zones: list[Any]) -> Any:
    from django.test import Client

    from gaoxin.accounts.models import User
    from gaoxin.core.roles import Role

    user, _ = User.objects.get_or_create(
        username="bench-province-leader", defaults={"role": Role.LEADER, "name": "压测省领导"}
    )
    user.zones.set(zones)
    client = Client()
    client.force_login(user)
    return client


def time_views(get: Callable[[], int], runs: int, before: Callable[[], None]) -> list[float]:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        status = get()
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"HTTP {status}")
    return times


def slowest_queries(
    client: Any, url: str, cold: Callable[[], None]
) -> list[tuple[float, str, Any]]:
    """The SQL of one cold view of the page, each statement with its time, slowest first."""
    from django.db import connection

    timed: list[tuple[float, str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - start) * 1000, sql, params))

    cold()
    with connection.execute_wrapper(wrapper):
        client.get(url)
    return sorted(timed, key=lambda row: row[0], reverse=True)


def explain(sql: str, params: Any) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"{prefix} {sql}", params)
        return "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())


def profile(client: Any, url: str, before: Callable[[], None], top: int) -> str:
    """cProfile of one view of the page (after `before`): its `top` costliest functions."""
    import cProfile
    import io
    import pstats

    client.get(url)  # the cache filled, the session renewed
    before()
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    # Gaoxin's own functions by cumulative time (where in the page), then every function by
    # its own time (what it is: SQL, templates, pickling...).
    stats.sort_stats("cumulative").print_stats(r"/gaoxin/", top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue().strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--prefix", default="prov", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--explain", type=int, default=5, help="how many slow queries to explain")
    parser.add_argument("--skip-zone", action="store_true", help="only the province leader")
    parser.add_argument("--max-p95", type=float, help="fail if the warm dashboard p95 exceeds it")
    parser.add_argument(
        "--zone-map", action="store_true", help="also time the rest of the zone's URL map"
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="print the N costliest functions (cumulative) of one warm and one cold dashboard",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from gaoxin.accounts.models import Zone
    from gaoxin.core import figure_cache
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    zones = list(Zone.objects.filter(code__regex=rf"^{args.prefix}[0-9]+$").order_by("pk"))
    if not zones:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    zone_ids = [z.pk for z in zones]
    print(
        f"{connection.vendor}; {len(zones)} zones, "
        f"{Enterprise.objects.filter(zone__in=zone_ids).count():,} enterprises, "
        f"{Project.objects.filter(zone__in=zone_ids).count():,} projects; load average {load()}\n"
    )

    client = province_leader(zones)

    def cold() -> None:
        figure_cache.bump(zone_ids)

    def nothing() -> None:
        pass

    print(
        f"A leader of all {len(zones)} zones: {args.runs} warm runs, {args.cold_runs} cold "
        "(every zone's generation bumped before each):\n"
    )
    print("| page | warm p50 ms | warm p95 ms | cold p50 ms | cold p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    results: dict[str, tuple[list[float], list[float]]] = {}
    for name, url in PROVINCE_PAGES:

        def get(url: str = url) -> int:
            return int(client.get(url).status_code)

        cold_times = time_views(get, args.cold_runs, cold)
        get()  # fill the cache
        warm_times = time_views(get, args.runs, nothing)
        results[name] = (warm_times, cold_times)
        print(
            f"| {name} | {statistics.median(warm_times):.0f} | {p95(warm_times):.0f} "
            f"| {statistics.median(cold_times):.0f} | {p95(cold_times):.0f} |",
            flush=True,
        )
    print(f"\nload average {load()}; peak RSS of this process {peak_rss_mb():.0f} MB")

    if args.explain:
        timed = slowest_queries(client, "/dashboard/", cold)
        total = sum(t for t, _s, _p in timed)
        print(
            f"\nOne cold province dashboard: {len(timed)} queries, {total:.0f} ms of SQL; "
            f"the {args.explain} slowest:\n"
        )
        for ms, sql, params in timed[: args.explain]:
            print(f"#### {ms:.0f} ms\n\n```sql\n{sql}\n```\n")
            print(f"```\n{explain(sql, params)}\n```\n")

    if args.profile:
        for label, before in (("warm", nothing), ("cold", cold)):
            print(f"\nOne {label} province dashboard, cProfile, top {args.profile}:\n")
            print(f"```\n{profile(client, '/dashboard/', before, args.profile)}\n```")

    if not args.skip_zone:
        zone = first_zone(args.prefix)
        print(
            f"One zone ({zone.code}: {Enterprise.objects.filter(zone=zone).count():,} "
            f"enterprises), {args.runs} runs each, as bench/latency.py:\n"
        )
        print("| page | p50 ms | p95 ms | SQL p50 ms | queries |")
        print("| --- | ---: | ---: | ---: | ---: |")
        rows, _left_out = measure(zone, args.runs, frozenset() if args.zone_map else ZONE_PAGES)
        for row in rows:
            if row.status != 200:
                print(f"| {row.page} | HTTP {row.status} | | | |")
            else:
                print(
                    f"| {row.page} | {row.p50:.0f} | {row.p95:.0f} | {row.sql:.0f} "
                    f"| {row.queries} |"
                )
        print(f"\nload average {load()}; peak RSS {peak_rss_mb():.0f} MB\n")
    warm_p95 = p95(results["dashboard"][0])
    if args.max_p95 is not None and warm_p95 > args.max_p95:
        print(f"\nFAILED: province dashboard warm p95 {warm_p95:.0f} ms > {args.max_p95:.0f} ms")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
