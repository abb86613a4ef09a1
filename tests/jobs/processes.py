"""What the tests that start real processes (tests/jobs/test_worker.py, test_serve.py) share:
the environment of a process on a database file and queue of the test's own."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STALE_SECONDS = 3  # GAOXIN_JOB_STALE_SECONDS for the workers and the driver


def env_for(folder: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "HUEY_QUEUE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.jobs.worker_settings",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        GAOXIN_VAR_DIR=str(folder),
        GAOXIN_ENV="development",
        GAOXIN_JOB_STALE_SECONDS=str(STALE_SECONDS),
        GAOXIN_WORKER_THREADS="2",
        # The workers' own recovery each minute (services.job_recover_stopped) off, so that the
        # tests that run a stopped job again by hand are not raced by it at a minute's turn.
        GAOXIN_JOB_RETRIES="0",
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)  # DATABASE_URL among them, for a PostgreSQL database
    return env


def make_schema(folder: Path, **extra: str) -> Path:
    """A database file with every table, made from the models (`migrate --run-syncdb` under
    tests/jobs/worker_settings.py: seconds, where replaying the migrations takes minutes)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--run-syncdb", "-v", "0"],
        cwd=ROOT,
        env=env_for(folder, **extra),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return folder / "db.sqlite3"
