"""Single-client latency of the main pages, next to the time of their SQL alone.

Run against a database filled by `gaoxin generate` (see bench/README.md):

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/latency.py [--runs 20]

For each page: p50 and p95 of the whole request through Django's test client (routing,
middleware, views, templates), the p50 of the time of its SQL alone (its SELECTs replayed on a
raw cursor, every row fetched), the ratio of the two, and the number of queries. Prints a
Markdown table.

`--compare-prefix P` measures the same pages in the first zone of a second generated set (say a
ten times smaller one) and fails if any page makes more queries here than there: the query
count must not grow with the data. The lists timed use broad filters, so that they run to
several pages in both sets and both are counted (a list that fits on its first page is counted
without a query, which would make the smaller set one query lower). `--max-p95 MS` fails if
any page's p95 is above MS (CI runs a small set with a generous limit, so that a page gone
badly slow is seen).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import first_zone, zone_user  # bench/, beside this script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
# Measure what a deployment serves: no query log, no template debugging.
os.environ.setdefault("DEBUG", "false")


@dataclass
class Row:
    page: str
    p50: float
    p95: float
    sql: float
    queries: int
    status: int = 200

    @property
    def ratio(self) -> float:
        return self.p50 / self.sql if self.sql else float("inf")


def pages_of(zone: Any) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The bench users of the zone, logged in, and the pages to time."""
    from django.test import Client

    from gaoxin.core.roles import Role
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.industries.models import Industry
    from gaoxin.projects.models import Project

    clients = {}
    users = (("leader", Role.LEADER, "压测领导"), ("officer", Role.OFFICER, "压测专员"))
    for who, role, name in users:
        user = zone_user(zone, f"bench-{who}-{zone.code}", role, name)
        clients[who] = Client()
        clients[who].force_login(user)
    enterprise = Enterprise.objects.filter(zone=zone).order_by("pk").first()
    industry = Industry.objects.filter(zone=zone, is_key=True).order_by("pk").first() or (
        Industry.objects.filter(zone=zone).order_by("pk").first()
    )
    # A project whose detail shows every section (approvals and blockers), in any set.
    project = (
        Project.objects.filter(zone=zone, approvals__isnull=False, blockers__isnull=False)
        .order_by("-pk")
        .first()
    ) or Project.objects.filter(zone=zone).order_by("-pk").first()
    pages = [
        ("dashboard", "leader", "/dashboard/"),
        ("briefing", "leader", "/briefing/"),
        ("board", "leader", "/projects/board/"),
        # Broad filters and searches: many pages of results in either set, so the list is
        # counted (capped) in both and the query counts compare like for like.
        ("project list, filtered", "officer", "/projects/?stage=active&carrier=space&sort=-fai"),
        ("enterprise search, Chinese", "officer", f"/enterprises/?q={enterprise.name[:2]}"),
        ("enterprise search, pinyin", "officer", f"/enterprises/?q={enterprise.name_initials[:2]}"),
        ("enterprise search, USCC", "officer", f"/enterprises/?q={enterprise.uscc}"),
        ("industry map", "officer", f"/industries/{industry.pk}/"),
        ("project detail", "officer", f"/projects/{project.pk}/"),
        ("metric records", "leader", "/metrics/projects.current.signed/"),
        # The economy (issue 14): the figures page (every indicator's month, year to date and
        # 同比 on both bases, the breakdowns and lists) and one year-to-date figure with its
        # 同比, opened as its records; the dashboard above includes the 经济运行 section.
        ("economy figures", "leader", "/economy/"),
        ("economy ytd growth", "leader", "/metrics/economy.growth.revenue/"),
    ]
    return clients, pages


def measure(zone: Any, runs: int) -> list[Row]:
    """Time each page through the test client; then time its SQL alone by replaying the
    page's SELECTs on a raw cursor and fetching every row (the database's whole share: with
    SQLite rows are produced while they are fetched, after `execute` has returned)."""
    from django.db import connection

    clients, pages = pages_of(zone)
    captured: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    rows = []
    for name, who, url in pages:
        client = clients[who]
        client.get(url)  # warm up (and renew the session)
        captured.clear()
        with connection.execute_wrapper(capture):
            response = client.get(url)
        if response.status_code != 200:
            rows.append(Row(name, 0, 0, 0, 0, response.status_code))
            continue
        queries = list(captured)
        selects = [
            (sql, params) for sql, params in queries if sql.lstrip().upper().startswith("SELECT")
        ]
        totals, sqls = [], []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(url)
            totals.append(time.perf_counter() - start)
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                for sql, params in selects:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                sqls.append(time.perf_counter() - start)
        p95 = statistics.quantiles(totals, n=20)[18] if len(totals) >= 20 else max(totals)
        rows.append(
            Row(
                name,
                statistics.median(totals) * 1000,
                p95 * 1000,
                statistics.median(sqls) * 1000,
                len(queries),
            )
        )
    return rows


def describe(zone: Any) -> str:
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project

    return (
        f"zone {zone.code}: {Enterprise.objects.filter(zone=zone).count():,} enterprises, "
        f"{Project.objects.filter(zone=zone).count():,} projects"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--compare-prefix", help="a second, smaller generated set to compare")
    parser.add_argument("--max-p95", type=float, help="fail if a page's p95 exceeds this (ms)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    zone = first_zone(args.prefix)
    if zone is None:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    print(f"{describe(zone)}; {args.runs} runs each\n")
    rows = measure(zone, args.runs)
    print("| page | p50 ms | p95 ms | SQL p50 ms | page/SQL | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        if row.status != 200:
            print(f"| {row.page} | HTTP {row.status} | | | | |")
            continue
        print(
            f"| {row.page} | {row.p50:.0f} | {row.p95:.0f} | {row.sql:.0f} | {row.ratio:.1f} "
            f"| {row.queries} |"
        )
    failures = [f"{row.page}: HTTP {row.status}" for row in rows if row.status != 200]
    if args.max_p95 is not None:
        failures += [
            f"{row.page}: p95 {row.p95:.0f} ms > {args.max_p95:.0f} ms"
            for row in rows
            if row.status == 200 and row.p95 > args.max_p95
        ]
    if args.compare_prefix:
        other = first_zone(args.compare_prefix)
        if other is None:
            print(f"no zone with a code starting {args.compare_prefix!r}")
            return 1
        small = {row.page: row.queries for row in measure(other, 1)}
        print(f"\nQueries per page, {describe(other)} → {describe(zone)}:\n")
        print("| page | smaller set | this set |")
        print("| --- | ---: | ---: |")
        for row in rows:
            print(f"| {row.page} | {small.get(row.page)} | {row.queries} |")
            if row.queries > small.get(row.page, 0):
                failures.append(
                    f"{row.page}: {small.get(row.page)} queries on the smaller set, "
                    f"{row.queries} on this one"
                )
    if failures:
        print("\nFAILED:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
