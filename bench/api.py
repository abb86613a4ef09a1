"""The API's latency (issue 20): an enterprise search and a figure read through /api/v1/.

Run against a database filled by `gaoxin generate` (see bench/README.md):

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/api.py [--runs 20]

Each call goes through Django's test client with a bearer token, as a client of the API
would send it (routing, middleware, the token's check and rate, the operation, the JSON):

- the enterprise search (`GET /api/v1/enterprises/?q=…`) with an officer's token of the
  first generated zone, by the first two 拼音首字母 of an enterprise's name and by the first
  two characters of the name, as the list page's search (bench/latency.py) is timed;
- a figure the dashboard shows, with the records behind it (`GET /api/v1/metrics/<key>
  ?as_of=…`) with a leader's token of the zone: warm (the figures cache filled by the first
  call, core/figure_cache.py) and cold (the cache cleared before every call, so the value is
  computed).

Prints p50 and p95 (ms) over `--runs` calls and the number of queries of one call, as a
Markdown table, with the load average before and after. Fails (exit 1) if a warm call's p95
is above `--max-p95` (default 50 ms) or a call does not answer 200; a cold call's p95 is
reported against the same target but does not fail the run.
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
from _common import describe_zone, first_zone, p95, zone_user  # bench/, beside this script

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")
# Measure what a deployment serves: no query log, no template debugging.
os.environ.setdefault("DEBUG", "false")

# Figures of the dashboard (dashboard/figures.py): a count of projects and of enterprises.
METRIC_KEYS = ("projects.reached.signed", "enterprises.total")


@dataclass
class Row:
    call: str
    url: str
    warm: bool
    p50: float = 0.0
    p95: float = 0.0
    queries: int = 0
    status: int = 200


def _token(zone: Any, who: str, role: str, name: str) -> str:
    """A bench user of the zone with a fresh token of every scope, its rate high enough for
    the runs (a bench token is made on each run; the earlier ones are left to expire)."""
    from gaoxin.accounts.tokens import ALL_SCOPES, MAX_RATE, token_create_personal

    user = zone_user(zone, f"bench-{who}-{zone.code}", role, name)
    _token, raw = token_create_personal(
        user=user, name=f"bench api {who}", scopes=ALL_SCOPES, rate_per_minute=MAX_RATE
    )
    return raw


def calls(zone: Any, as_of: str) -> tuple[dict[str, str], list[Row]]:
    from gaoxin.core.roles import Role
    from gaoxin.enterprises.models import Enterprise

    tokens = {
        "officer": _token(zone, "officer", Role.OFFICER, "压测专员"),
        "leader": _token(zone, "leader", Role.LEADER, "压测领导"),
    }
    enterprise = Enterprise.objects.filter(zone=zone).order_by("pk").first()
    assert enterprise is not None, "the zone has no enterprises"
    rows = [
        Row(
            "enterprise search, pinyin (officer)",
            f"/api/v1/enterprises/?q={enterprise.name_initials[:2]}",
            warm=True,
        ),
        Row(
            "enterprise search, Chinese (officer)",
            f"/api/v1/enterprises/?q={enterprise.name[:2]}",
            warm=True,
        ),
    ]
    for key in METRIC_KEYS:
        url = f"/api/v1/metrics/{key}?as_of={as_of}"
        rows.append(Row(f"metric {key} (leader), warm", url, warm=True))
        rows.append(Row(f"metric {key} (leader), cold", url, warm=False))
    return tokens, rows


def measure(zone: Any, runs: int, as_of: str) -> list[Row]:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    tokens, rows = calls(zone, as_of)
    client = Client()

    def clear() -> None:
        caches["default"].clear()

    for row in rows:
        token = tokens["officer" if "officer" in row.call else "leader"]
        headers = {"Authorization": f"Bearer {token}"}
        before = None if row.warm else clear
        if before is not None:
            before()
        client.get(row.url, headers=headers)  # warm up (fills the figures cache when warm)
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(row.url, headers=headers)
        row.status = response.status_code
        row.queries = len(captured.captured_queries)
        if row.status != 200:
            continue
        totals = []
        for _ in range(runs):
            if before is not None:
                before()
            start = time.perf_counter()
            response = client.get(row.url, headers=headers)
            totals.append(time.perf_counter() - start)
            if response.status_code != 200:
                row.status = response.status_code
                break
        row.p50 = statistics.median(totals) * 1000
        row.p95 = p95(totals) * 1000
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--max-p95", type=float, default=50.0, help="warm p95 target (ms)")
    parser.add_argument("--as-of", default="", help="the figures' day (YYYY-MM-DD; default today)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    zone = first_zone(args.prefix)
    if zone is None:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    as_of = args.as_of or timezone.localdate().isoformat()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    scope = describe_zone(zone, all_zones=True)
    print(f"{scope}; as_of {as_of}; {args.runs} runs each; load average {load}\n")
    rows = measure(zone, args.runs, as_of)
    print(f"| API call | p50 ms | p95 ms | queries | p95 ≤ {args.max_p95:.0f} ms |")
    print("| --- | ---: | ---: | ---: | --- |")
    for row in rows:
        if row.status != 200:
            print(f"| {row.call} | HTTP {row.status} | | {row.queries} | |")
            continue
        met = "yes" if row.p95 <= args.max_p95 else ("NO" if row.warm else "no (cold: reported)")
        print(f"| {row.call} | {row.p50:.1f} | {row.p95:.1f} | {row.queries} | {met} |")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average at the end {load}")
    failures = [f"{row.call}: HTTP {row.status}" for row in rows if row.status != 200]
    failures += [
        f"{row.call}: p95 {row.p95:.1f} ms > {args.max_p95:.0f} ms"
        for row in rows
        if row.status == 200 and row.warm and row.p95 > args.max_p95
    ]
    if failures:
        print("\nFAILED:\n" + "\n".join(f"- {f}" for f in failures))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
