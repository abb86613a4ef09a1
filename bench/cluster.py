"""Several machines, on this one: two web nodes and two workers sharing PostgreSQL and Redis.

    DATABASE_URL=postgres://…/wp_cluster REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/cluster.py [--ports 8731,8732] [--rows 20000] [--seconds 30]

Against a PostgreSQL database filled by `gaoxin generate` (it writes to it: point it at a copy).
It starts two gunicorn web nodes with the production config (deploy/gunicorn.conf.py) on two
ports and two `manage.py worker`s on one Redis queue, then:

1. sessions: logs in through the login page of node A and reads a page of node B with that
   cookie, logs out on B and finds the cookie refused on A (sessions are in the database);
2. spreads bench/throughput.py's mixed load (its reads and writes, its clients and their
   server-side sessions) over both nodes, each client sending its requests to A and B in turn,
   so a write on one node is followed by reads and the next write on the other;
3. meanwhile asks for an enterprise import of --rows rows as a job; once the job is writing,
   kills the worker running it (SIGKILL; its heartbeat names it), checks nothing of the import
   is in the database, and waits for the other worker to queue it again on its own (its
   recovery each minute, services.job_recover_stopped) and finish it;
4. then checks: 0 errors and 0 lost writes in the load (every write a client saw succeed is in
   the database), the import whole after its retry (every row present exactly once, one
   history row each, attempt 2), the figures of /metrics/ equal on both nodes (and moved by the
   import), and the load's sessions valid on either node all along.

Prints the load average at the start and the end, Markdown tables, and exits non-zero when any
check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import throughput  # noqa: E402  (bench/, beside this script: its load, clients and checks)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gaoxin.settings")

USER_AGENT = "gaoxin-bench-cluster"
METRIC_ROW = re.compile(
    r'<code class="metric-key">([^<]+)</code></td>\s*<td class="num"><a [^>]*>([^<]*)</a>'
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", default="8731,8732", help="the two web nodes' ports")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers a node")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--write-share", type=float, default=0.10)
    parser.add_argument("--seconds", type=float, default=30.0, help="least time under load")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--rows", type=int, default=20000, help="rows of the enterprise import")
    parser.add_argument("--stale", type=int, default=6, help="GAOXIN_JOB_STALE_SECONDS")
    parser.add_argument("--recovery-timeout", type=float, default=240.0)
    parser.add_argument("--prefix", default="gen", help="zone code prefix of gaoxin generate")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.ports = [int(p) for p in args.ports.split(",")]
    # throughput.py's own options, which its pieces read.
    args.workers, args.worker_class, args.threads = args.web_workers, "sync", 1

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database (shared by the nodes)")
    if not os.environ.get("REDIS_URL"):
        parser.error("REDIS_URL must name a Redis database (the queue and the cache)")
    os.environ.setdefault("HUEY_QUEUE", "gaoxin-bench-cluster")
    os.environ["GAOXIN_JOB_STALE_SECONDS"] = str(args.stale)
    os.environ.setdefault("GAOXIN_JOB_RETRIES", "2")
    signal.signal(signal.SIGTERM, throughput._interrupt)

    import django

    django.setup()
    from huey.contrib.djhuey import HUEY

    HUEY.storage.flush_all()  # this bench's queue only (HUEY_QUEUE): no message of a past run
    print(f"load average at the start: {_load()}")
    plan = throughput.prepare(args)
    if plan is None:
        return 1
    checks: dict[str, bool] = {}
    try:
        with contextlib.ExitStack() as stack:
            nodes = [stack.enter_context(web_node(args, port)) for port in args.ports]
            workers = stack.enter_context(worker_pair())
            print(
                f"zone {plan.zone_code}; web nodes on 127.0.0.1:{args.ports[0]} and "
                f":{args.ports[1]} (gunicorn -c deploy/gunicorn.conf.py, {args.web_workers} "
                f"sync workers each); workers pid {workers[0].pid} and {workers[1].pid}; "
                f"{args.clients} clients, {args.write_share:.0%} writes; import of "
                f"{args.rows:,} rows; GAOXIN_JOB_STALE_SECONDS={args.stale}"
            )
            checks["a login on one node holds on the other"] = sessions_cross_nodes(args)
            before = [metrics(port, plan) for port in args.ports]
            checks.update(run(args, plan, nodes, workers, before))
    except KeyboardInterrupt:
        print("interrupted: nodes and workers stopped")
        return 130
    finally:
        throughput.cleanup(plan)
    print()
    print("| check | result |")
    print("| --- | --- |")
    for name, ok in checks.items():
        print(f"| {name} | {'yes' if ok else 'NO'} |")
    print(f"\nload average at the end: {_load()}")
    return 0 if checks and all(checks.values()) else 1


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- the processes --------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SETTINGS_MODULE": "gaoxin.settings",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@contextlib.contextmanager
def web_node(args: argparse.Namespace, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A web node as production runs one: gunicorn with deploy/gunicorn.conf.py."""
    env = _env(
        GAOXIN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(args.web_workers),
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
    )
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "gaoxin.wsgi"]
    node = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if node.poll() is not None:
                raise RuntimeError(f"the node on {port} exited with {node.returncode}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accounts/login/")
                if connection.getresponse().status == 200:
                    connection.close()
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the node on {port} did not answer within 90 s")
            time.sleep(0.3)
        yield node
    finally:
        _end(node, signal.SIGTERM)


@contextlib.contextmanager
def worker_pair() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Two `manage.py worker`s (huey's consumer, 2 threads each) on the Redis queue."""
    log = open(ROOT / "var" / "bench-cluster-workers.log", "w")  # noqa: SIM115
    workers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        time.sleep(3)  # their consumers up (a job asked for earlier simply waits in the queue)
        yield workers
    finally:
        for worker in workers:
            _end(worker, signal.SIGINT)
        log.close()


def _end(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- sessions -------------------------------------------------------------------------------


def _ask(
    port: int, method: str, path: str, cookies: dict[str, str], body: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """One request; the cookies it sets are kept in `cookies`. (status, Location, body)"""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {
        "User-Agent": USER_AGENT,
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{port}{path}"
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    connection.close()
    return response.status, response.getheader("Location") or "", text


def sessions_cross_nodes(args: argparse.Namespace) -> bool:
    """Log in on node A through its login page, read a page on node B, log out on B, and find
    the session refused on A."""
    from _common import first_zone

    from gaoxin.accounts.models import User
    from gaoxin.core.roles import Role

    password = f"Cluster-{os.getpid()}-{time.time_ns()}"
    user, _ = User.objects.get_or_create(
        username="bench-cluster-login", defaults={"role": Role.OFFICER, "name": "集群压测专员"}
    )
    user.set_password(password)
    user.save()
    user.zones.set([first_zone(args.prefix)])
    a, b = args.ports
    cookies: dict[str, str] = {}
    _ask(a, "GET", "/accounts/login/", cookies)  # its CSRF cookie
    form = {
        "csrfmiddlewaretoken": cookies.get("csrftoken", ""),
        "username": user.username,
        "password": password,
    }
    status, location, _ = _ask(a, "POST", "/accounts/login/", cookies, form)
    logged_in = status == 302 and "login" not in location and "sessionid" in cookies
    read_b, where_b, _ = _ask(b, "GET", "/projects/", cookies)
    ok_b = read_b == 200
    ended = dict(cookies)  # the session's cookie, kept to be sent again after the logout
    out = _ask(
        b, "POST", "/accounts/logout/", cookies, {"csrfmiddlewaretoken": cookies["csrftoken"]}
    )
    cookies = ended
    # The cookie of the ended session, sent to A again.
    read_a, where_a, _ = _ask(a, "GET", "/projects/", cookies)
    refused_a = read_a == 302 and "login" in where_a
    print(
        f"sessions: login on :{a} → {status} {location}; /projects/ on :{b} → {read_b} "
        f"{where_b}; logout on :{b} → {out[0]}; /projects/ on :{a} after it → {read_a} {where_a}"
    )
    return logged_in and ok_b and refused_a


# --- the figures ----------------------------------------------------------------------------


def metrics(port: int, plan: Any) -> dict[str, str]:
    """Every figure /metrics/ shows the zone's leader on this node: key → shown value."""
    headers = {"Cookie": plan.cookies[0]["leader"], "User-Agent": USER_AGENT}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/metrics/", headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"/metrics/ on {port}: HTTP {response.status}")
    return {key: html.unescape(value).strip() for key, value in METRIC_ROW.findall(text)}


# --- the load, spread over both nodes -------------------------------------------------------


class SpreadClient(throughput.Client):
    """throughput.py's client, sending its requests to each node in turn."""

    def __init__(self, index: int, args: argparse.Namespace, plan: Any, ports: list[int]):
        super().__init__(index, args, plan, ports[0])
        self.connections = [self.connection] + [
            http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports[1:]
        ]
        self.sent: Counter[int] = Counter()
        self.turn = index % len(ports)

    def request(self, method: str, url: str, role: str, body: str | None = None) -> Any:
        node = self.turn
        self.turn = (self.turn + 1) % len(self.connections)
        self.connection = self.connections[node]
        self.sent[node] += 1
        return super().request(method, url, role, body)

    def run(self) -> None:
        super().run()
        for connection in self.connections:
            connection.close()


def run(
    args: argparse.Namespace,
    plan: Any,
    nodes: list[subprocess.Popen[bytes]],
    workers: list[subprocess.Popen[bytes]],
    before: list[dict[str, str]],
) -> dict[str, bool]:
    from django.db import close_old_connections

    from gaoxin.jobs import progress
    from gaoxin.jobs.models import Job

    checks: dict[str, bool] = {}
    sheet, usccs = import_sheet(args, plan)
    clients = [SpreadClient(i, args, plan, args.ports) for i in range(args.clients)]
    start = time.monotonic()
    measure_from = start + args.warmup
    for client in clients:
        client.measure_from, client.stop_at = measure_from, start + 3600
        client.start()
    time.sleep(args.warmup)
    web_pids = [pid for node in nodes for pid in throughput._children(node.pid)]
    cpu_start = (throughput._cpu_seconds(web_pids), time.process_time())
    begun = time.monotonic()

    job = submit_import(plan, sheet)
    print(f"t+{time.monotonic() - begun:.1f} s: import job {job.pk} asked for")
    killed, written_at_kill = None, None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = progress.read(job.pk) or {}
        status = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        if status in ("done", "failed"):
            break
        if state.get("phase") == "writing" and state.get("worker"):
            pid = int(str(state["worker"]).rsplit(":", 1)[1])
            killed = next((w for w in workers if w.pid == pid), None)
            if killed is not None:
                os.kill(pid, signal.SIGKILL)
                killed.wait()
                written_at_kill = state.get("rows_written", 0)
                break
        time.sleep(0.05)
    kill_time = time.monotonic()
    if killed is None:
        print("the job was not caught writing by one of this bench's workers: no kill")
        checks["a worker killed while the import wrote"] = False
    else:
        close_old_connections()
        present = _present(plan, usccs)
        print(
            f"t+{kill_time - begun:.1f} s: worker pid {killed.pid} killed (SIGKILL) while "
            f"writing ({written_at_kill} of {args.rows:,} rows reported written); rows of the "
            f"import in the database just after: {present}"
        )
        checks["a worker killed while the import wrote"] = True
        checks["nothing of the killed attempt in the database"] = present == 0

    # The surviving worker's recovery (each minute) queues the job again; it then runs whole.
    requeued_at = None
    job_deadline = time.monotonic() + args.recovery_timeout
    while time.monotonic() < job_deadline:
        close_old_connections()
        job.refresh_from_db()
        if job.status == Job.Status.QUEUED and requeued_at is None:
            requeued_at = time.monotonic()
        if job.status == Job.Status.RUNNING and job.attempts >= 2 and requeued_at is None:
            requeued_at = time.monotonic()
        if job.status in (Job.Status.DONE, Job.Status.FAILED):
            break
        time.sleep(0.2)
    done_at = time.monotonic()
    print(
        f"t+{done_at - begun:.1f} s: job {job.pk} {job.status} after {job.attempts} attempts"
        + (f", queued again {requeued_at - kill_time:.1f} s after the kill" if requeued_at else "")
        + f": {job.message}"
    )
    # The load goes on for --seconds at least, then stops.
    time.sleep(max(0.0, begun + args.seconds - time.monotonic()))
    stop = time.monotonic()
    for client in clients:
        client.stop_at = stop
    for client in clients:
        client.join(timeout=90)
    elapsed = time.monotonic() - begun
    cpu = {
        "server": throughput._cpu_seconds(web_pids) - cpu_start[0],
        "clients": time.process_time() - cpu_start[1],
    }
    warm, tally = throughput.Tally.of_clients(clients)
    per_node: Counter[int] = Counter()
    for client in clients:
        per_node.update(client.sent)
    stuck = [c.name for c in clients if c.is_alive()]
    if stuck:
        tally.errors["stuck clients"] = len(stuck)
    close_old_connections()
    print(
        "\nrequests by node: "
        + ", ".join(f":{args.ports[n]} {count}" for n, count in sorted(per_node.items()))
    )
    load_ok = throughput.report(args, plan, warm, tally, elapsed, cpu) == 0
    checks["the load: 0 errors and 0 lost writes, spread over both nodes"] = load_ok and all(
        per_node[n] > 0 for n in range(len(args.ports))
    )
    checks["the load's sessions valid on either node"] = _session_errors(warm, tally) == 0

    # The import: whole, once, by its second attempt.
    job.refresh_from_db()
    present = _present(plan, usccs)
    history = _history(plan, usccs)
    print(
        f"\nimport: job {job.status}, attempts {job.attempts}, rows written {job.rows_written:,}; "
        f"rows in the database {present:,} of {len(usccs):,}, history rows {history:,}"
    )
    checks["the import whole after its retry, each row once"] = (
        job.status == Job.Status.DONE
        and job.attempts == 2
        and present == len(usccs)
        and history == len(usccs)
        and job.rows_written == len(usccs)
    )

    # The figures: the same on both nodes, and moved by the import.
    after = [metrics(port, plan) for port in args.ports]
    same = after[0] == after[1] and len(after[0]) > 0
    moved = sorted(k for k in after[0] if before[0].get(k) != after[0][k])
    unequal = sorted(k for k in after[0] if after[0][k] != after[1].get(k))
    print(
        f"figures: {len(after[0])} on :{args.ports[0]}, {len(after[1])} on :{args.ports[1]}; "
        f"unequal between the nodes: {len(unequal)} {unequal[:5]}; changed since before the "
        f"load: {len(moved)} (e.g. "
        + ", ".join(f"{k} {before[0].get(k)} → {after[0][k]}" for k in moved[:3])
        + ")"
    )
    checks["figures equal on both nodes"] = same
    return checks


def _session_errors(*tallies: throughput.Tally) -> int:
    """Requests answered with the login page (a session one node did not know)."""
    return sum(
        1 for tally in tallies for sample in tally.error_samples if "/accounts/login/" in sample
    )


# --- the import -----------------------------------------------------------------------------


def import_sheet(args: argparse.Namespace, plan: Any) -> tuple[bytes, list[str]]:
    """An .xlsx of --rows new enterprises for the zone (bench/excel.py's realistic rows, with
    codes no enterprise of the zone has), and their codes."""
    import excel

    from gaoxin.accounts.models import Zone
    from gaoxin.core.excel import write_workbook
    from gaoxin.demo.generate import _Generator
    from gaoxin.enterprises.imports import TEMPLATE_HEADERS
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.industries.models import Industry

    zone = Zone.objects.get(code=plan.zone_code)
    taken = set(
        Enterprise.objects.filter(zone=zone, uscc__startswith="91440400MA").values_list(
            "uscc", flat=True
        )
    )
    rng = Random(time.time_ns())
    for _ in range(100):
        base = rng.randrange(1_000_000, 9_999_999 - args.rows)
        bench = excel._Bench(args.rows)
        excel.USCC_SERIAL = base
        bench.zones = [zone]
        bench.generator = _Generator(Random(args.seed), args.seed, "clu", bar=None)
        bench.generator.industries = {zone.pk: list(Industry.objects.filter(zone=zone))}
        rows = [row + [""] * (len(TEMPLATE_HEADERS) - len(row)) for row in bench.sheet_rows()]
        usccs = [row[1] for row in rows]
        if not taken.intersection(usccs):
            break
    else:
        raise RuntimeError("no free range of codes found for the import")
    return write_workbook(TEMPLATE_HEADERS, rows, sheet_name="企业名录"), usccs


def submit_import(plan: Any, content: bytes) -> Any:
    """As the import page's confirm does: the officer's import of the sheet, as a job."""
    from django.utils import translation

    from gaoxin.accounts.models import User, Zone
    from gaoxin.enterprises.import_jobs import enterprise_import_submit

    with translation.override("zh-hans"):
        return enterprise_import_submit(
            user=User.objects.get(pk=plan.officer_id),
            zone=Zone.objects.get(code=plan.zone_code),
            content=content,
            file_name=f"集群压测-{time.strftime('%H%M%S')}.xlsx",
        )


def _present(plan: Any, usccs: list[str]) -> int:
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.filter(zone__code=plan.zone_code, uscc__in=usccs).count()


def _history(plan: Any, usccs: list[str]) -> int:
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.history.model.objects.filter(
        zone__code=plan.zone_code, uscc__in=usccs, history_type="+"
    ).count()


if __name__ == "__main__":
    raise SystemExit(main())
