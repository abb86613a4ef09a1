"""`gaoxin serve` in development starts the background worker beside the development server,
and the worker ends with it: stopped (SIGTERM, as a service manager or `kill` does) or killed
outright (SIGKILL), no worker is left behind. (Ctrl-C reaches every process of the terminal's
group, the worker among them.)"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.jobs.processes import ROOT, env_for


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


def _until(what: str, test, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.2)


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_worker_starts_and_ends_with_the_development_server(
    stop: signal.Signals, schema: Path, tmp_path: Path
) -> None:
    shutil.copy(schema, tmp_path / "db.sqlite3")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        serve = subprocess.Popen(
            [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env_for(tmp_path, HUEY_QUEUE="serve-test"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, to clean up whatever is left
        )
    try:
        started = re.compile(r"Background worker started \(pid (\d+)\)")
        _until("the worker started", lambda: started.search(log.read_text()), 60)
        match = started.search(log.read_text())
        assert match is not None
        worker = int(match.group(1))
        _until("the server answering", lambda: _answers(port), 60)
        _until("the worker consuming", lambda: "consumer started" in log.read_text(), 30)
        assert _alive(worker)

        os.kill(serve.pid, stop)
        serve.wait(timeout=30)
        _until("the worker gone", lambda: not _alive(worker), 15)
    except AssertionError:
        print(log.read_text())
        raise
    finally:
        # Django's reloaded child outlives a parent killed outright (not the worker's doing).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(timeout=10)
