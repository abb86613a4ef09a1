"""`gaoxin serve`: the development server on 127.0.0.1:8000 with the background worker beside
it, or gunicorn in production (where `gaoxin worker` runs as its own service)."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Gaoxin (development server; gunicorn when GAOXIN_ENV=production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("GAOXIN_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
            os.execvp(
                sys.executable,
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "gaoxin.wsgi",
                    "--bind",
                    bind,
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    "-",
                ],
            )
        if os.environ.get("RUN_MAIN") != "true" and not os.environ.get("GAOXIN_NO_WORKER"):
            # The background jobs' worker beside the development server, started once by the
            # reloader's parent (the reloaded child sets RUN_MAIN) and stopped with it. In
            # production the worker is a service of its own (`gaoxin worker`).
            worker = subprocess.Popen(
                [sys.executable, "-m", "gaoxin.cli", "worker"],
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
            atexit.register(_stop, worker)
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        call_command("runserver", bind, use_reloader=True)


def _die_with_parent() -> None:
    """In the worker, before it runs: Linux sends it SIGTERM when this process ends, however
    it ends (kill -9, a closed terminal's SIGHUP), so no worker is left behind. Ctrl-C reaches
    both through the terminal; SIGTERM ends this one through Django's reloader (sys.exit) and
    so `_stop`."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    # Another libc: atexit's _stop still ends the worker on a normal exit.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
