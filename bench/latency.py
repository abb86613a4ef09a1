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

The figures pages (dashboard, briefing, metric index) are timed twice: warm (the figures cache
filled by the first view, core/figure_cache.py) and cold (the cache cleared before every
request, so every figure is computed). Besides the pages named in `pages_of`, every other page
of the URL map is timed (`url_map_pages`): gaoxin's URL patterns are walked, a page that needs
an object's id takes one from the zone's data (`OBJECTS`), a form's GET is timed, and each
pattern left out says why (`LEFT_OUT`: a POST-only action, a file download, a page outside
the staff's work). A pattern neither timed nor left out fails the run, so a new page is
measured from the day it is added.
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


@dataclass
class Row:
    page: str
    p50: float
    p95: float
    sql: float
    queries: int
    status: int = 200
    listed: bool = True  # one of the pages named in pages_of (else found in the URL map)

    @property
    def ratio(self) -> float:
        return self.p50 / self.sql if self.sql else float("inf")


# Timed warm and cold (the figures cache cleared before each request).
FIGURES_PAGES = frozenset({"dashboard", "briefing", "metric index"})

# URL patterns not timed, and why. Any other pattern must be timed or answer GET with 405.
LEFT_OUT = {
    "login": "the sign-in form, before any session",
    "logout": "ends the bench users' sessions",
    "set_language": "Django's language switch (a redirect)",
    "accounts:zone_switch": "the zone switcher's redirect",
    "accounts:two_factor_verify": "asked only in a sign-in with two factors",
    "accounts:two_factor_enrol": "a user's own enrolment, once",
    "accounts:recovery_codes_renew": "needs an enrolled second factor",
    "briefing:docx": "a download (the briefing's Word file)",
    "briefing:xlsx": "a download (the briefing's figures)",
    "enterprise_import:template": "a download (the import's template)",
    "policies:attendance_template": "a download (the attendance template)",
    "policies:attachment": "a download (a policy's file)",
    "campaigns:attachment_download": "a download (an application's file)",
    "enterprises:mine": "an enterprise user's way to its own record (a redirect; detail timed)",
    "economy:report_mine": "an enterprise user's way to its own reports (a redirect, 302)",
    "economy:settings": "answers the bench admin with a redirect (302), not yet looked into",
    "cultivation:followup_start": "starts a follow-up of the enterprise in its query (404 bare)",
    "jobs:download": "a download (a job's file; bench/excel.py times the exports)",
    "accounts:token_created": "a new token, shown once right after its creation (else a redirect)",
    "accounts:token_revoke": "the confirmation of revoking one's own token (the bench holds none)",
    "api_not_found": "the API's JSON 404 for a path under /api/ that names no operation",
}
# The REST API's operations (namespace "api"): called with a token, not a session, and timed
# by bench/api.py.
LEFT_OUT_NAMESPACES = {"api": "the REST API: bench/api.py times its calls with a token"}


def _zone_lookup(model: Any) -> str | None:
    """The lookup from a model to its zone's id (core/figure_cache.py finds the path)."""
    from gaoxin.core.figure_cache import zone_path

    path = zone_path(model)
    if path.is_zone:
        return "pk"
    if not path.hops:
        return None
    return "__".join([*(a.removesuffix("_id") for _, a in path.hops[:-1]), path.hops[-1][1]])


def _first(label: str, zone: Any, field: str = "pk", **filters: Any) -> Any:
    """A field of the first record of a model in the zone (records of no zone: any)."""
    from django.apps import apps

    model = apps.get_model(label)
    queryset = model._default_manager.filter(**filters)
    lookup = _zone_lookup(model)
    if lookup is not None:
        queryset = queryset.filter(**{lookup: zone.pk})
    return queryset.order_by("pk").values_list(field, flat=True).first()


def _pk(label: str, name: str = "pk") -> Any:
    return lambda zone: {name: _first(label, zone)}


def _last_month() -> str:
    import datetime as dt

    from django.utils import timezone

    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return f"{day.year}-{day.month:02d}"


def _service_record(zone: Any) -> dict[str, Any]:
    pk = _first("projects.ServiceRecord", zone)
    return {"project_pk": _first("projects.ServiceRecord", zone, "project_id"), "pk": pk}


def _channel_kind(zone: Any) -> dict[str, Any]:
    from gaoxin.jobs.models import Channel

    return {"kind": Channel.Kind.values[0]}


# How a pattern's arguments are filled from the zone's data, by URL name.
OBJECTS: dict[str, Any] = {
    **dict.fromkeys(
        ["alliances:detail", "alliances:edit", "alliances:member_add"], _pk("enterprises.Alliance")
    ),
    "alliances:member_end": _pk("enterprises.AllianceMembership"),
    **dict.fromkeys(
        ["industries:map", "industries:industry_edit", "industries:segment_create"],
        _pk("industries.Industry"),
    ),
    "industries:group_edit": _pk("industries.IndustryGroup"),
    **dict.fromkeys(
        ["industries:segment_edit", "industries:segment_strength"], _pk("industries.ChainSegment")
    ),
    **dict.fromkeys(
        ["enterprise_import:checked", "economy:import_checked", "jobs:detail", "jobs:rerun"],
        _pk("jobs.Job"),
    ),
    "enterprises:designation_revoke": _pk("enterprises.Designation"),
    **dict.fromkeys(
        [
            "enterprises:detail",
            "enterprises:edit",
            "enterprises:contact",
            "enterprises:designation_add",
            "enterprises:exit",
            "enterprises:return",
            "enterprises:scale_enter",
            "enterprises:scale_leave",
            "economy:report_enterprise",
            "cultivation:efficiency_land_add",
        ],
        _pk("enterprises.Enterprise"),
    ),
    "economy:report_fill": lambda zone: {
        "pk": _first("enterprises.Enterprise", zone),
        "period": _last_month(),
    },
    "economy:dispatch_fill": lambda zone: {
        "pk": _first("projects.Project", zone),
        "period": _last_month(),
    },
    **dict.fromkeys(
        ["leads:detail", "leads:edit", "leads:contact_add", "leads:status"],
        _pk("investment.Lead"),
    ),
    "projects:from_lead": _pk("investment.Lead", "lead_pk"),
    **dict.fromkeys(
        ["service_records:create", "approvals:apply", "approvals:add", "blockers:create"],
        _pk("projects.Project", "project_pk"),
    ),
    "service_records:detail": _service_record,
    **dict.fromkeys(
        ["projects:detail", "projects:edit", "projects:advance"], _pk("projects.Project")
    ),
    **dict.fromkeys(["approvals:edit", "approvals:documents"], _pk("projects.Approval")),
    **dict.fromkeys(
        ["blockers:detail", "blockers:status", "blockers:reassign"], _pk("projects.Blocker")
    ),
    **dict.fromkeys(["spaces:detail", "spaces:edit", "spaces:status"], _pk("spaces.Space")),
    **dict.fromkeys(
        ["policies:detail", "policies:edit", "policies:attachment"], _pk("policies.Policy")
    ),
    **dict.fromkeys(
        [
            "policies:event_detail",
            "policies:event_edit",
            "policies:attendance_add",
            "policies:attendance_import",
        ],
        _pk("policies.PolicyEvent"),
    ),
    "policies:attendance_remove": _pk("policies.EventAttendance"),
    **dict.fromkeys(
        ["campaigns:detail", "campaigns:edit", "campaigns:apply"], _pk("campaigns.Campaign")
    ),
    **dict.fromkeys(
        ["campaigns:application", "campaigns:application_change", "campaigns:attachment_add"],
        _pk("campaigns.Application"),
    ),
    **dict.fromkeys(
        ["campaigns:attachment_download", "campaigns:attachment_remove"],
        _pk("campaigns.ApplicationAttachment"),
    ),
    **dict.fromkeys(
        ["awards:detail", "awards:edit", "awards:announce", "awards:award_add"],
        _pk("campaigns.AwardBatch"),
    ),
    **dict.fromkeys(
        ["awards:award_change", "awards:award_correct", "awards:award_withdraw"],
        _pk("campaigns.Award"),
    ),
    "economy:import_batch": _pk("economy.ImportBatch"),
    "cultivation:efficiency_cutoffs_edit": _pk("cultivation.EfficiencyCutoffs"),
    "cultivation:efficiency_land_end": _pk("cultivation.LandRecord"),
    **dict.fromkeys(
        [
            "cultivation:followup_detail",
            "cultivation:followup_visit_add",
            "cultivation:followup_close",
        ],
        _pk("cultivation.Followup"),
    ),
    "dashboard:target_add": _pk("policies.ActionPlan"),
    "reminders:read": _pk("jobs.Notice"),
    "calendar:day_delete": _pk("jobs.CalendarDay"),
    "channels:add": _channel_kind,
    **dict.fromkeys(
        [
            "channels:detail",
            "channels:edit",
            "channels:delete",
            "channels:test",
            "channels:active",
        ],
        _pk("jobs.Channel"),
    ),
    "core:metric_detail": lambda zone: {"key": "enterprises.total"},
}


def url_patterns() -> list[tuple[str, str]]:
    """(URL name with namespaces, route) of every gaoxin pattern (Django's admin left out)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: list[tuple[str, str]] = []

    def walk(patterns: Any, route: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, route + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append((name, route + str(entry.pattern)))

    walk(get_resolver().url_patterns, "", "")
    return found


def url_map_pages(
    zone: Any, clients: dict[str, Any], covered: set[str]
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """The pages of the URL map not already in `covered` (URL names): (name, who, url) each,
    read by the first bench user it answers 200; and the patterns left out, with why."""
    from django.urls import NoReverseMatch, reverse

    pages: list[tuple[str, str, str]] = []
    left_out: dict[str, str] = {}
    for name, route in url_patterns():
        if name in covered:
            continue
        if name in LEFT_OUT:
            left_out[name] = LEFT_OUT[name]
            continue
        if name.split(":", 1)[0] in LEFT_OUT_NAMESPACES and ":" in name:
            left_out[name] = LEFT_OUT_NAMESPACES[name.split(":", 1)[0]]
            continue
        kwargs: dict[str, Any] = {}
        if "<" in route:
            fill = OBJECTS.get(name)
            if fill is None:
                left_out[name] = "FAIL: no way to fill its arguments (add it to OBJECTS)"
                continue
            kwargs = fill(zone)
            if any(value is None for value in kwargs.values()):
                left_out[name] = "no such record in the zone's data"
                continue
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch as error:
            left_out[name] = f"FAIL: {error}"
            continue
        statuses = []
        for who, client in clients.items():
            status = client.get(url).status_code
            statuses.append(f"{who} {status}")
            if status == 200:
                pages.append((name, who, url))
                break
            if status == 405:
                left_out[name] = "a POST-only action (GET answers 405)"
                break
        else:
            left_out[name] = "FAIL: no bench user reads it (" + ", ".join(statuses) + ")"
    return pages, left_out


def bench_users(zone: Any) -> dict[str, Any]:
    """The zone's bench users, one per role, logged in."""
    from django.test import Client

    from gaoxin.accounts.models import Department, User
    from gaoxin.core.roles import Role
    from gaoxin.enterprises.models import Enterprise

    clients = {}
    users = (
        ("leader", Role.LEADER, "压测领导"),
        ("officer", Role.OFFICER, "压测专员"),
        ("admin", Role.ADMIN, "压测管理员"),
    )
    for who, role, name in users:
        user = zone_user(zone, f"bench-{who}-{zone.code}", role, name)
        clients[who] = Client()
        clients[who].force_login(user)
    department = Department.objects.filter(zone=zone).order_by("pk").first()
    enterprise = Enterprise.objects.filter(zone=zone).order_by("pk").first()
    others = (
        ("department", Role.DEPARTMENT, "压测部门", {"department": department}),
        ("enterprise", Role.ENTERPRISE, "压测企业", {"enterprise": enterprise}),
    )
    for who, role, name, links in others:
        if None in links.values():
            continue
        user, _ = User.objects.get_or_create(
            username=f"bench-{who}-{zone.code}", defaults={"role": role, "name": name, **links}
        )
        user.zones.set([zone])
        clients[who] = Client()
        clients[who].force_login(user)
    return clients


def pages_of(
    zone: Any, only: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[tuple[str, str, str]], dict[str, str]]:
    """The bench users of the zone, logged in, the pages to time (those named here, then the
    rest of the URL map), and the URL patterns left out with why. `only`: just these of the
    pages named here (the URL map is then not walked)."""
    from django.urls import resolve

    from gaoxin.enterprises.models import Enterprise
    from gaoxin.industries.models import Industry
    from gaoxin.projects.models import Project

    clients = bench_users(zone)
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
        # Every metric's value in the zone, by area (issue 19: 341 ms before the cache).
        ("metric index", "leader", "/metrics/"),
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
    if only:
        return clients, [page for page in pages if page[0] in only], {}
    covered = set()
    for _name, _who, url in pages:
        match = resolve(url.split("?")[0])
        covered.add(match.view_name)
    more, left_out = url_map_pages(zone, clients, covered)
    return clients, [*pages, *more], left_out


def _time(client: Any, url: str, runs: int, before: Any = None) -> list[float]:
    totals = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        client.get(url)
        totals.append(time.perf_counter() - start)
    return totals


def measure(
    zone: Any, runs: int, only: frozenset[str] = frozenset(), map_runs: int = 20
) -> tuple[list[Row], dict[str, str]]:
    """Time each page through the test client; then time its SQL alone by replaying the
    page's SELECTs on a raw cursor and fetching every row (the database's whole share: with
    SQLite rows are produced while they are fetched, after `execute` has returned). The
    figures pages are timed warm, then cold (the figures cache cleared before each request)."""
    from django.core.cache import caches
    from django.db import connection

    clients, pages, left_out = pages_of(zone, only)
    listed = len(pages) - sum(1 for name, _, _ in pages if ":" in name)
    captured: list[tuple[str, Any]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    def clear() -> None:
        caches["default"].clear()

    rows = []
    timings = []
    for index, (name, who, url) in enumerate(pages):
        timings.append((name, who, url, None, index < listed))
        if name in FIGURES_PAGES:
            timings.append((f"{name}, cold", who, url, clear, True))
    for name, who, url, before, is_listed in timings:
        client = clients[who]
        if before is not None:
            before()
        client.get(url)  # warm up (and renew the session)
        if before is None and name in FIGURES_PAGES:
            # Again: the first view of a fresh set builds the radars' month of standings, a
            # write that moves the zone's generation, so the captured view would be cold.
            client.get(url)
        captured.clear()
        if before is not None:
            before()
        with connection.execute_wrapper(capture):
            response = client.get(url)
        if response.status_code != 200:
            rows.append(Row(name, 0, 0, 0, 0, response.status_code, is_listed))
            continue
        queries = list(captured)
        selects = [
            (sql, params) for sql, params in queries if sql.lstrip().upper().startswith("SELECT")
        ]
        # The pages found in the URL map (forms, lists, details: no figures to compute) are
        # timed with at most `map_runs` runs, so the whole map stays a few minutes in CI.
        n = runs if is_listed else min(runs, map_runs)
        totals = _time(client, url, n, before)
        sqls = []
        with connection.cursor() as cursor:
            for _ in range(n):
                start = time.perf_counter()
                for sql, params in selects:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                sqls.append(time.perf_counter() - start)
        rows.append(
            Row(
                name,
                statistics.median(totals) * 1000,
                p95(totals) * 1000,
                statistics.median(sqls) * 1000,
                len(queries),
                listed=is_listed,
            )
        )
    return rows, left_out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--compare-prefix", help="a second, smaller generated set to compare")
    parser.add_argument("--max-p95", type=float, help="fail if a page's p95 exceeds this (ms)")
    parser.add_argument(
        "--map-runs",
        type=int,
        default=20,
        help="at most this many runs for each page found in the URL map (default 20)",
    )
    parser.add_argument(
        "--only", default="", help="time only these named pages (comma-separated names)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    zone = first_zone(args.prefix)
    if zone is None:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return 1
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{describe_zone(zone)}; {args.runs} runs each; load average at the start {load}\n")
    only = frozenset(name.strip() for name in args.only.split(",") if name.strip())
    rows, left_out = measure(zone, args.runs, only, args.map_runs)
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
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average at the end {load}")
    if left_out:
        print("\nURL patterns not timed:\n")
    for name, why in sorted(left_out.items()):
        print(f"- {name}: {why}")
    failures = [f"{row.page}: HTTP {row.status}" for row in rows if row.status != 200]
    failures += [f"{name}: {why}" for name, why in left_out.items() if why.startswith("FAIL")]
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
        small_rows, _ = measure(other, 1, only)
        small = {row.page: row.queries for row in small_rows}
        print(f"\nQueries per page, {describe_zone(other)} → {describe_zone(zone)}:\n")
        print("| page | smaller set | this set |")
        print("| --- | ---: | ---: |")
        for row in rows:
            print(f"| {row.page} | {small.get(row.page)} | {row.queries} |")
            # The pages found in the URL map open another record in each set (whose
            # related rows differ): their counts are shown, the named pages' are checked.
            if row.listed and row.queries > small.get(row.page, 0):
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
