"""`gaoxin serve`: the development server on 127.0.0.1:8000 with the background worker beside
it, or gunicorn in production (where `gaoxin worker` runs as its own service)."""

from __future__ import annotations

import atexit
import os
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
            worker = subprocess.Popen([sys.executable, "-m", "gaoxin.cli", "worker"])
            atexit.register(worker.terminate)
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        call_command("runserver", bind, use_reloader=True)
