"""The real worker: `python manage.py worker` in a process of its own, killed with SIGKILL in
the middle of a job's write; nothing of that write is in the database, the job shows as
stopped once its heartbeat is old, and run again by its owner with a new worker it writes its
whole result once.

Everything runs in subprocesses on a database file of the test's own (a subprocess cannot see
the test's in-memory database): the schema is made once per session from the models
(tests/jobs/worker_settings.py), a driver process (tests/jobs/worker_driver.py) asks for the
job and reads it back through the services, and the workers run the test-only kind of
tests/jobs/slowapp, which writes departments batch by batch in one transaction. The queue is
huey's SQLite file, and Redis when one answers on 127.0.0.1:6379 (GAOXIN_REQUIRE_REDIS=1 makes
its absence a failure instead of a skip); with DATABASE_URL on PostgreSQL, a run on a
PostgreSQL database of its own as well."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.jobs.processes import ROOT, STALE_SECONDS, env_for, make_schema

ROWS, BATCH, PAUSE = 300, 10, 0.1  # 30 batches, about 3 s of writing in one transaction


class Driver:
    """The driver process: `ask(do=…, …)` sends a command and returns its answer."""

    def __init__(self, env: dict[str, str], log: IO[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.jobs.worker_driver"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def ask(self, **command: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith("@@ "):
                answer = json.loads(line[3:])
                assert "error" not in answer, answer["error"]
                return answer["ok"]
        raise AssertionError(f"the driver ended without answering {command}")

    def wait_for(self, what: str, test: Any, timeout: float, **command: Any) -> Any:
        """Ask `command` until `test(answer)` holds; the last answer."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.ask(**command)
            if test(answer):
                return answer
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout} s; last {answer}")
            time.sleep(0.05)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _start_worker(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _queue(request: pytest.FixtureRequest) -> dict[str, str]:
    name = f"gaoxin-worker-test-{uuid.uuid4().hex[:12]}"
    if request.param in ("sqlite", "postgres"):
        return {"HUEY_QUEUE": name}
    if not _redis_answers():
        if os.environ.get("GAOXIN_REQUIRE_REDIS") == "1":
            pytest.fail("GAOXIN_REQUIRE_REDIS=1 but no Redis answers on 127.0.0.1:6379")
        pytest.skip("no Redis answers on 127.0.0.1:6379 (GAOXIN_REQUIRE_REDIS=1 to require it)")
    return {"HUEY_QUEUE": name, "REDIS_URL": "redis://127.0.0.1:6379/0"}


# With DATABASE_URL on PostgreSQL (CI's second run), a run on a PostgreSQL database of its own
# too (its queue the SQLite file): the kill then cuts a connection in mid-transaction.
POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
RUNS: list[Any] = ["sqlite", "redis"]
if POSTGRES:  # marked as using the database, so CI's database-only run keeps it
    RUNS.append(pytest.param("postgres", marks=pytest.mark.django_db))


@contextlib.contextmanager
def _postgres_database(tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL database on DATABASE_URL's server, with every table; dropped after."""
    import psycopg

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"gaoxin_worker_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(server._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(server._replace(path=f"/{name}"))
    try:
        make_schema(tmp_path, DATABASE_URL=url)
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=RUNS)
def run(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[dict[str, str], Driver, IO[str], subprocess.Popen[bytes]]]:
    """The environment of one run (its database, its queue), the driver, the log every
    process of the run writes to (shown when the test fails), and a worker, started beside the
    driver (each takes seconds to start)."""
    queue = _queue(request)
    with contextlib.ExitStack() as stack:
        if request.param == "postgres":
            queue["DATABASE_URL"] = stack.enter_context(_postgres_database(tmp_path))
        else:
            shutil.copy(request.getfixturevalue("schema"), tmp_path / "db.sqlite3")
        yield from _processes(env_for(tmp_path, **queue), tmp_path)


def _processes(
    env: dict[str, str], tmp_path: Path
) -> Iterator[tuple[dict[str, str], Driver, IO[str], subprocess.Popen[bytes]]]:
    log_path = tmp_path / "processes.log"
    with log_path.open("w") as log:
        driver = Driver(env, log)
        worker = _start_worker(env, log)
        try:
            yield env, driver, log, worker
        finally:
            _stop(worker)
            if "REDIS_URL" in env:
                driver.ask(do="flush")
            driver.close()
    print(log_path.read_text())  # pytest shows it when the test failed


def test_a_worker_killed_mid_write_leaves_nothing_and_the_rerun_writes_all_once(run) -> None:
    env, driver, log, worker = run
    driver.ask(do="setup")
    try:
        job = driver.ask(
            do="submit",
            params={"rows": ROWS, "batch": BATCH, "pause": PAUSE},
            same_as="upload-1",
        )["job"]
        # The same upload confirmed again is the same job.
        assert driver.ask(do="submit", params={}, same_as="upload-1")["job"] == job

        # Half-way through its write (its progress says so), the worker is killed.
        driver.wait_for(
            "the job writing",
            lambda p: p.get("rows_written", 0) >= 5 * BATCH,
            timeout=40,
            do="progress",
            job=job,
        )
        _stop(worker)
        # The next worker starts now, while the job is still running for all anyone knows:
        # nothing is queued for it to take until the job is run again.
        worker = _start_worker(env, log)
        state = driver.ask(do="state", job=job)
        assert state["rows_written"] == 0 and state["rows"] == 0, state
        assert state["status"] == "running" and state["stopped"] is False, state

        # Its heartbeat grows old: the job shows as stopped, still with nothing written.
        state = driver.wait_for(
            "the job taken as stopped",
            lambda s: s["stopped"],
            timeout=STALE_SECONDS + 5,
            do="state",
            job=job,
        )
        assert state["rows"] == 0 and state["attempts"] == 1, state

        # Run again (and handed to the queue once more besides), with a new worker.
        assert driver.ask(do="rerun", job=job)["status"] == "queued"
        driver.ask(do="enqueue", job=job)
        state = driver.wait_for(
            "the job done", lambda s: s["status"] == "done", timeout=40, do="state", job=job
        )
        driver.wait_for("the queue drained", lambda n: n == 0, timeout=10, do="pending")
        time.sleep(0.5)  # the second message, if it were run, would be writing now
        state = driver.ask(do="state", job=job)
    finally:
        _stop(worker)
    assert state["status"] == "done", state
    assert state["attempts"] == 2, state  # run by the second worker once
    assert state["rows"] == ROWS and state["rows_written"] == ROWS, state
    assert state["names"] == [f"慢任务 {job}-2"], state  # all by the second attempt
    assert state["result"] == ["结果 result.txt", f"{ROWS} rows\n"], state
    assert state["message"] == f"{ROWS} rows written.", state
