"""Single-client latency of the main pages, next to the time of their SQL alone.

Run against a database filled by `gaoxin generate` (see bench/README.md):

    DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/latency.py [--runs 20]

For each page: p50 and p95 of the whole request through Django's test client (routing,
middleware, views, templates), the p50 of the time its queries took, the ratio of the two, and
the number of queries. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from gaoxin.accounts.models import User, Zone
    from gaoxin.core.roles import Role
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.industries.models import Industry
    from gaoxin.projects.models import Project

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    zone = Zone.objects.filter(code__startswith=args.prefix).order_by("code").first()
    if zone is None:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    user, _ = User.objects.get_or_create(
        username="bench-leader", defaults={"role": Role.LEADER, "name": "压测领导"}
    )
    user.zones.set([zone])
    officer, _ = User.objects.get_or_create(
        username="bench-officer", defaults={"role": Role.OFFICER, "name": "压测专员"}
    )
    officer.zones.set([zone])
    enterprise = Enterprise.objects.filter(zone=zone).order_by("pk").first()
    industry = Industry.objects.filter(zone=zone, is_key=True).order_by("pk").first() or (
        Industry.objects.filter(zone=zone).order_by("pk").first()
    )
    project = Project.objects.filter(zone=zone).order_by("-pk").first()
    pages = [
        ("dashboard", "leader", "/dashboard/"),
        ("briefing", "leader", "/briefing/"),
        ("board", "leader", "/projects/board/"),
        ("project list, filtered", "officer", "/projects/?stage=signed&carrier=space&sort=-fai"),
        ("enterprise search, Chinese", "officer", f"/enterprises/?q={enterprise.name[2:5]}"),
        ("enterprise search, pinyin", "officer", f"/enterprises/?q={enterprise.name_initials[:3]}"),
        ("enterprise search, USCC", "officer", f"/enterprises/?q={enterprise.uscc}"),
        ("industry map", "officer", f"/industries/{industry.pk}/"),
        ("project detail", "officer", f"/projects/{project.pk}/"),
        ("metric records", "leader", "/metrics/projects.current.signed/"),
    ]
    clients = {"leader": Client(), "officer": Client()}
    clients["leader"].force_login(user)
    clients["officer"].force_login(officer)

    sql_time = [0.0]
    queries = [0]

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - start
            queries[0] += 1

    print(
        f"zone {zone.code}: {Enterprise.objects.filter(zone=zone).count():,} enterprises, "
        f"{Project.objects.filter(zone=zone).count():,} projects; {args.runs} runs each\n"
    )
    print("| page | p50 ms | p95 ms | SQL p50 ms | page/SQL | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with connection.execute_wrapper(timed):
        for name, who, url in pages:
            client = clients[who]
            response = client.get(url)  # warm up
            if response.status_code != 200:
                print(f"| {name} | HTTP {response.status_code} | | | | |")
                continue
            totals, sqls, counts = [], [], []
            for _ in range(args.runs):
                sql_time[0], queries[0] = 0.0, 0
                start = time.perf_counter()
                client.get(url)
                totals.append(time.perf_counter() - start)
                sqls.append(sql_time[0])
                counts.append(queries[0])
            p50 = statistics.median(totals) * 1000
            p95 = (
                statistics.quantiles(totals, n=20)[18] * 1000
                if len(totals) >= 20
                else max(totals) * 1000
            )
            sql = statistics.median(sqls) * 1000
            ratio = p50 / sql if sql else float("inf")
            print(f"| {name} | {p50:.0f} | {p95:.0f} | {sql:.0f} | {ratio:.1f} | {max(counts)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
