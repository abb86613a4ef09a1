"""Throughput under a working day's mix: gunicorn, concurrent clients on loopback, some writes.

Run against a database filled by `gaoxin generate` (see bench/README.md). The run writes to
it (stage changes, blocker updates), so point it at a copy:

    DATABASE_URL=sqlite:////tmp/tp.sqlite3 .venv/bin/python bench/throughput.py [--seconds 30]

It makes an officer and a leader of the first generated zone, logs them in by creating
sessions server-side (no login page, no lockout counting), starts gunicorn on a free loopback
port and runs --clients threads for a warm-up and then --seconds, each sending a mix of page
reads and, for --write-share of the requests, writes: a project moved between 谋划 and 洽谈
through the real stage form (with the version it is at), or a blocker moved along its statuses.
Each client writes only its own share of the projects and blockers, so clients never race on
one record. Then it counts the writes back in the database: every write a client saw succeed
must be there. Prints a Markdown table per kind of request and a totals line; exits non-zero on
any error or lost write.

In the same run, with the same server, clients and sessions, it then measures a bare
authenticated page (/ping/: the whole request path of a signed-in page, middleware, session,
sign-in, and no view work) for --ping-seconds: the framework's ceiling on this machine, and
reports the mix's requests/s as a share of it. The load average (1 min) is printed beside
each phase; on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _common import first_zone, zone_user  # noqa: E402  (bench/, beside this script)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")

# The reads of a working day, by weight: mostly lists and details, some overviews.
READ_WEIGHTS = {
    "project list": 20,
    "project detail": 20,
    "enterprise search": 12,
    "blocker list": 10,
    "dashboard": 8,
    "board": 8,
    "industry map": 6,
    "metric records": 6,
}
WRITE_KINDS = ("stage change (POST)", "blocker status (POST)")
PROJECT_FILTERS = (
    "/projects/?stage=signed&carrier=space&sort=-fai",
    "/projects/?stage=active",
    "/projects/?stage=negotiating&sort=-fai",
    "/projects/?overdue=on",
    "/projects/",
)
METRIC_KEYS = (
    "projects.current.signed",
    "projects.reached.signed",
    "projects.signed.fixed_asset_investment",
)
# A blocker's next status in the cycle the clients drive it through, and what that move needs.
BLOCKER_NEXT = {
    "open": ("in_progress", {"note": "压测：开始处理"}),
    "in_progress": ("resolved", {"resolution": "压测：已协调解决"}),
    "resolved": ("in_progress", {"note": "压测：重新打开"}),
    "unresolvable": ("in_progress", {"note": "压测：重新打开"}),
}
STAGE_TOGGLE = {"planned": "negotiating", "negotiating": "planned"}
# The bare authenticated page: a signed-in request that renders nothing (core's ping).
PING_URL = "/ping/"
PING_KIND = "bare authenticated page"
USER_AGENT = "gaoxin-bench-throughput"


@dataclass
class Target:
    """One record a client writes to, with what the client knows of its state."""

    pk: int
    state: str
    version: int = 0


@dataclass
class Plan:
    """Everything the clients need, prepared in the database before the server starts."""

    zone_code: str
    officer_id: int
    cookies: list[dict[str, str]]  # per client: role -> Cookie header
    csrf: str
    reads: dict[str, list[str]]  # kind -> URLs to pick from
    projects: list[list[Target]]  # per client
    blockers: list[list[Target]]  # per client
    stage_mark: int  # StageChange pk before the run
    blocker_mark: int  # HistoricalBlocker history_id before the run
    session_keys: list[str]
    today: dt.date


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    writes_ok: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of_clients(cls, clients: list[Any]) -> tuple[Tally, Tally]:
        """The clients' warm-up and measured tallies, each added up over all clients."""
        warm, tally = cls(), cls()
        for client in clients:
            for source, into in ((client.warm, warm), (client.tally, tally)):
                for kind, values in source.latencies.items():
                    into.latencies.setdefault(kind, []).extend(values)
                    into.errors[kind] = into.errors.get(kind, 0) + source.errors.get(kind, 0)
                into.error_samples += source.error_samples
                for kind, n in source.writes_ok.items():
                    into.writes_ok[kind] = into.writes_ok.get(kind, 0) + n
        return warm, tally

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        self.errors.setdefault(kind, 0)
        if error is not None:
            self.errors[kind] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{kind}: {error}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="measured time")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured time before it")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--write-share", type=float, default=0.10)
    parser.add_argument("--prefix", default="gen", help="zone code prefix used by gaoxin generate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (0: a free one)")
    parser.add_argument(
        "--ping-seconds",
        type=float,
        default=None,
        help="measured time of the bare authenticated page (default: --seconds; 0 skips it)",
    )
    args = parser.parse_args()
    if not 0 <= args.write_share <= 1 or args.clients < 1 or args.seconds <= 0:
        parser.error("--write-share must be in [0, 1], --clients ≥ 1 and --seconds > 0")
    if args.ping_seconds is None:
        args.ping_seconds = args.seconds
    if args.ping_seconds < 0:
        parser.error("--ping-seconds must be ≥ 0")

    # Stopped from outside like Ctrl-C: unwind, so that gunicorn is stopped too.
    signal.signal(signal.SIGTERM, _interrupt)

    import django

    django.setup()
    plan = prepare(args)
    if plan is None:
        return 1
    try:
        with gunicorn(args) as (port, server):
            print(
                f"zone {plan.zone_code}; gunicorn {args.workers} × {args.worker_class}"
                + (f" ({args.threads} threads)" if args.worker_class == "gthread" else "")
                + f" on 127.0.0.1:{port}; {args.clients} clients, "
                f"{args.write_share:.0%} writes, {args.warmup:g} s warm-up + {args.seconds:g} s"
            )
            warm, tally, elapsed, cpu = run(args, plan, port, server)
            mix_load = os.getloadavg()[0]
            ping = None
            if args.ping_seconds > 0:
                ping = run(args, plan, port, server, ping=True)
                ping_load = os.getloadavg()[0]
    except KeyboardInterrupt:
        print("interrupted: gunicorn stopped, nothing counted")
        return 130
    finally:
        cleanup(plan)
    status = report(args, plan, warm, tally, elapsed, cpu, mix_load)
    if ping is not None:
        status |= report_ping(tally, elapsed, *ping, ping_load)
    return status


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


# --- preparation --------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> Plan | None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Max
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from gaoxin.core.roles import Role
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.industries.models import Industry
    from gaoxin.projects.models import Blocker, Project, StageChange

    zone = first_zone(args.prefix)
    if zone is None:
        print(f"no zone with a code starting {args.prefix!r}: run gaoxin generate first")
        return None
    users = {
        "officer": zone_user(zone, "bench-tp-officer", Role.OFFICER, "吞吐压测专员"),
        "leader": zone_user(zone, "bench-tp-leader", Role.LEADER, "吞吐压测领导"),
    }

    # One session per client and role, as a browser would hold; the CSRF secret goes both in
    # the cookie and (unmasked, which Django accepts) in the form field.
    csrf = get_random_string(32)
    cookies: list[dict[str, str]] = []
    session_keys: list[str] = []
    for _ in range(args.clients):
        headers = {}
        for role, user in users.items():
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            session_keys.append(session.session_key)
            headers[role] = (
                f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}"
            )
        cookies.append(headers)

    rng = random.Random(args.seed)
    project_ids = list(Project.objects.filter(zone=zone).values_list("pk", flat=True))
    enterprises = list(
        Enterprise.objects.filter(zone=zone)
        .order_by("pk")
        .values("name", "name_initials", "uscc")[:2000]
    )
    industries = list(Industry.objects.filter(zone=zone).values_list("pk", flat=True))
    if not project_ids or not enterprises or not industries:
        print(f"zone {zone.code} has no projects, enterprises or industries: run gaoxin generate")
        return None
    queries = []
    for e in rng.sample(enterprises, min(300, len(enterprises))):
        queries += [e["name"][2:5], e["name_initials"][:3], e["uscc"]]
    reads = {
        "project list": list(PROJECT_FILTERS),
        "project detail": [
            f"/projects/{pk}/" for pk in rng.sample(project_ids, min(500, len(project_ids)))
        ],
        "enterprise search": [f"/enterprises/?q={quote(q)}" for q in queries if q],
        "blocker list": ["/blockers/", "/blockers/?status=open", "/blockers/?overdue=on"],
        "dashboard": ["/dashboard/"],
        "board": ["/projects/board/"],
        "industry map": [f"/industries/{pk}/" for pk in industries],
        "metric records": [f"/metrics/{key}/" for key in METRIC_KEYS],
    }

    # Writable records, dealt out to the clients so that no two write the same one.
    today = timezone.localdate()
    movable = list(
        Project.objects.filter(zone=zone, stage__in=STAGE_TOGGLE, stage_on__lte=today)
        .order_by("pk")
        .values_list("pk", "stage", "version")
    )
    blockers = list(
        Blocker.objects.filter(project__zone=zone, status__in=BLOCKER_NEXT, raised_on__lte=today)
        .order_by("pk")
        .values_list("pk", "status", "version")
    )
    rng.shuffle(movable)
    rng.shuffle(blockers)
    projects = [
        [Target(pk, stage, version) for pk, stage, version in movable[i :: args.clients]]
        for i in range(args.clients)
    ]
    blocker_targets = [
        [Target(pk, status, version) for pk, status, version in blockers[i :: args.clients]]
        for i in range(args.clients)
    ]
    history = Blocker.history.model
    return Plan(
        zone_code=zone.code,
        officer_id=users["officer"].pk,
        cookies=cookies,
        csrf=csrf,
        reads=reads,
        projects=projects,
        blockers=blocker_targets,
        stage_mark=StageChange.objects.aggregate(m=Max("pk"))["m"] or 0,
        blocker_mark=history.objects.aggregate(m=Max("history_id"))["m"] or 0,
        session_keys=session_keys,
        today=today,
    )


def cleanup(plan: Plan) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=plan.session_keys).delete()


# --- the server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(args: argparse.Namespace) -> Iterator[tuple[int, subprocess.Popen]]:
    port = args.port or _free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "gaoxin.settings",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "gaoxin.wsgi:application",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {server.returncode}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accounts/login/")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield port, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc); 0 where unreadable."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if c]
    except OSError:
        return []


# --- the clients --------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(
        self, index: int, args: argparse.Namespace, plan: Plan, port: int, ping: bool = False
    ) -> None:
        super().__init__(name=f"client-{index}", daemon=True)
        self.index = index
        self.ping = ping
        self.plan = plan
        self.port = port
        self.write_share = args.write_share
        self.rng = random.Random(args.seed * 1000 + index)
        self.kinds = list(READ_WEIGHTS)
        self.weights = list(READ_WEIGHTS.values())
        self.projects = list(plan.projects[index])
        self.blockers = list(plan.blockers[index])
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.tally = Tally()
        self.warm = Tally()
        self.measure_from = 0.0
        self.stop_at = 0.0

    def run(self) -> None:
        while True:
            now = time.monotonic()
            if now >= self.stop_at:
                break
            tally = self.tally if now >= self.measure_from else self.warm
            self.one(tally)
        self.connection.close()

    def one(self, tally: Tally) -> None:
        if self.ping:
            seconds, status, _, error = self.request("GET", PING_URL, "officer")
            if error is None and status != 200:
                error = f"HTTP {status} for {PING_URL}"
            tally.add(PING_KIND, seconds, error)
            return
        write = self.rng.random() < self.write_share
        if write:
            pools = {WRITE_KINDS[0]: self.projects, WRITE_KINDS[1]: self.blockers}
            choices = [kind for kind, pool in pools.items() if pool]
            if choices:
                kind = self.rng.choice(choices)
                if kind == WRITE_KINDS[0]:
                    self.stage_change(tally, kind)
                else:
                    self.blocker_status(tally, kind)
                return
        kind = self.rng.choices(self.kinds, self.weights)[0]
        url = self.rng.choice(self.plan.reads[kind])
        role = "leader" if kind in ("dashboard", "board", "metric records") else "officer"
        seconds, status, _, error = self.request("GET", url, role)
        if error is None and status != 200:
            error = f"HTTP {status} for {url}"
        tally.add(kind, seconds, error)

    def stage_change(self, tally: Tally, kind: str) -> None:
        target = self.projects[self.rng.randrange(len(self.projects))]
        to_stage = STAGE_TOGGLE[target.state]
        fields = {
            "version": target.version,
            "to_stage": to_stage,
            "on": self.plan.today.isoformat(),
            "note": "压测：阶段调整" if to_stage == "planned" else "",
        }
        url = f"/projects/{target.pk}/stage/"
        ok = self.post(tally, kind, url, fields, f"/projects/{target.pk}/")
        if ok:
            target.state = to_stage
            target.version += 1
        else:
            self.projects.remove(target)  # its state is no longer known here

    def blocker_status(self, tally: Tally, kind: str) -> None:
        target = self.blockers[self.rng.randrange(len(self.blockers))]
        to_status, extra = BLOCKER_NEXT[target.state]
        fields = {
            "version": target.version,
            "status": to_status,
            "resolution": "",
            "on": "",
            "note": "",
            **extra,
        }
        url = f"/blockers/{target.pk}/status/"
        ok = self.post(tally, kind, url, fields, f"/blockers/{target.pk}/")
        if ok:
            target.state = to_status
            target.version += 1
        else:
            self.blockers.remove(target)

    def post(self, tally: Tally, kind: str, url: str, fields: dict, expect: str) -> bool:
        body = urlencode({"csrfmiddlewaretoken": self.plan.csrf, **fields})
        seconds, status, location, error = self.request("POST", url, "officer", body)
        if error is None:
            if status == 200:
                error = f"form shown again (write refused) for {url}"
            elif status != 302 or not (location or "").endswith(expect):
                error = f"HTTP {status} (location {location!r}) for {url}"
        tally.add(kind, seconds, error)
        if error is None:
            tally.writes_ok[kind] = tally.writes_ok.get(kind, 0) + 1
        return error is None

    def request(
        self, method: str, url: str, role: str, body: str | None = None
    ) -> tuple[float, int, str | None, str | None]:
        headers = {"Cookie": self.plan.cookies[self.index][role], "User-Agent": USER_AGENT}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.connection.request(method, url, body=body, headers=headers)
            response = self.connection.getresponse()
            response.read()
            status, location = response.status, response.getheader("Location")
            if response.will_close:
                self.connection.close()
            error = None
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            status, location, error = 0, None, f"{type(exc).__name__}: {exc} for {url}"
        return time.perf_counter() - start, status, location, error


def run(
    args: argparse.Namespace,
    plan: Plan,
    port: int,
    server: subprocess.Popen,
    ping: bool = False,
) -> tuple[Tally, Tally, float, dict[str, float]]:
    clients = [Client(i, args, plan, port, ping) for i in range(args.clients)]
    start = time.monotonic()
    measure_from = start + args.warmup
    stop_at = measure_from + (args.ping_seconds if ping else args.seconds)
    for client in clients:
        client.measure_from, client.stop_at = measure_from, stop_at
        client.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    workers = _children(server.pid)
    cpu_start = (_cpu_seconds(workers), time.process_time())
    begun = time.monotonic()
    for client in clients:
        client.join(timeout=max(1.0, stop_at - time.monotonic()) + 60)
    # Up to the last answer: requests still under way at the deadline are counted, so the
    # time they took is too.
    elapsed = time.monotonic() - begun
    cpu = {
        "server": _cpu_seconds(workers) - cpu_start[0],
        "clients": time.process_time() - cpu_start[1],
    }
    stuck = [c.name for c in clients if c.is_alive()]
    warm, tally = Tally.of_clients(clients)
    if stuck:
        tally.errors["stuck clients"] = len(stuck)
        tally.latencies.setdefault("stuck clients", [])
    return warm, tally, elapsed, cpu


# --- the report ---------------------------------------------------------------------------


def _ms(values: list[float], q: int) -> str:
    if not values:
        return "–"
    if len(values) < 2:
        return f"{values[0] * 1000:.0f}"
    return f"{statistics.quantiles(values, n=100)[q - 1] * 1000:.0f}"


def report(
    args: argparse.Namespace,
    plan: Plan,
    warm: Tally,
    tally: Tally,
    elapsed: float,
    cpu: dict[str, float],
    load: float,
) -> int:
    from django.db import close_old_connections

    from gaoxin.projects.models import Blocker, StageChange

    close_old_connections()
    stage_back = StageChange.objects.filter(by_id=plan.officer_id, pk__gt=plan.stage_mark).count()
    blocker_back = Blocker.history.model.objects.filter(
        history_user_id=plan.officer_id, history_id__gt=plan.blocker_mark, history_type="~"
    ).count()
    seen = {
        kind: warm.writes_ok.get(kind, 0) + tally.writes_ok.get(kind, 0) for kind in WRITE_KINDS
    }

    print()
    print("| kind | requests | errors | p50 ms | p95 ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    order = [*READ_WEIGHTS, *WRITE_KINDS]
    order += [k for k in tally.latencies if k not in order]
    for kind in order:
        values = tally.latencies.get(kind, [])
        if not values and not tally.errors.get(kind):
            continue
        row = f"| {kind} | {len(values)} | {tally.errors.get(kind, 0)} |"
        print(f"{row} {_ms(values, 50)} | {_ms(values, 95)} |")
    everything = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    warm_errors = sum(warm.errors.values())
    print(f"| all | {len(everything)} | {errors} | {_ms(everything, 50)} | {_ms(everything, 95)} |")
    rate = len(everything) / elapsed if elapsed > 0 else 0.0
    writes_ok = sum(seen.values())
    counted = stage_back + blocker_back
    lost = writes_ok - counted
    print()
    print(
        f"requests/s: {rate:.1f} ({len(everything)} in {elapsed:.1f} s); errors: {errors} "
        f"(+{warm_errors} in warm-up); writes ok: {writes_ok} (stage changes "
        f"{seen[WRITE_KINDS[0]]}, blocker updates {seen[WRITE_KINDS[1]]}, warm-up included); "
        f"writes counted back: {counted} (stage changes {stage_back}, blocker updates "
        f"{blocker_back})"
    )
    if elapsed > 0 and everything:
        print(
            f"CPU in the measured time: gunicorn workers {cpu['server']:.1f} s "
            f"({cpu['server'] / len(everything) * 1000:.1f} ms a request), this process "
            f"(clients) {cpu['clients']:.1f} s, of {elapsed * (os.cpu_count() or 1):.0f} "
            f"core-seconds"
        )
    print(f"load average (1 min) at the end of the mix: {load:.2f}")
    print(f"lost writes: {lost}" if lost >= 0 else f"lost writes: {lost} (more rows than seen)")
    for sample in (warm.error_samples + tally.error_samples)[:10]:
        print(f"  error: {sample}")
    return 0 if errors == 0 and warm_errors == 0 and lost == 0 else 1


def report_ping(
    mix: Tally,
    mix_elapsed: float,
    warm: Tally,
    tally: Tally,
    elapsed: float,
    cpu: dict[str, float],
    load: float,
) -> int:
    """The bare authenticated page's line, and the mix as a share of its requests/s."""
    values = tally.latencies.get(PING_KIND, [])
    errors = sum(tally.errors.values())
    warm_errors = sum(warm.errors.values())
    rate = len(values) / elapsed if elapsed > 0 else 0.0
    mix_count = sum(len(v) for v in mix.latencies.values())
    mix_rate = mix_count / mix_elapsed if mix_elapsed > 0 else 0.0
    print()
    print(
        f"{PING_KIND} ({PING_URL}): {rate:.1f} requests/s ({len(values)} in {elapsed:.1f} s); "
        f"errors: {errors} (+{warm_errors} in warm-up); p50 {_ms(values, 50)} ms, "
        f"p95 {_ms(values, 95)} ms"
    )
    if values:
        print(
            f"CPU in its measured time: gunicorn workers {cpu['server']:.1f} s "
            f"({cpu['server'] / len(values) * 1000:.1f} ms a request), this process (clients) "
            f"{cpu['clients']:.1f} s; load average (1 min) at its end: {load:.2f}"
        )
    if rate > 0:
        print(f"the mix's {mix_rate:.1f} requests/s are {mix_rate / rate:.0%} of the bare page's")
    for sample in (warm.error_samples + tally.error_samples)[:10]:
        print(f"  error: {sample}")
    return 0 if errors == 0 and warm_errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
