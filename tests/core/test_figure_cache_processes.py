"""Two processes and one database (gaoxin/core/figure_cache.py): a figure one process cached in
its own memory (or in the Redis both share) is read afresh once another process has written.

The database is a file copied from the migrated test database (SQLite's backup, a few
milliseconds), so that both processes, the reader and the writer, open it by DATABASE_URL."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("figure_cache_child.py")


class Child:
    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, *words: str) -> dict[str, object]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(" ".join(words) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=60)
            assert self.process.stderr is not None
            raise AssertionError(self.process.stderr.read()[-3000:])
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture
def database(tmp_path) -> Path:
    if connection.vendor != "sqlite":
        pytest.skip("the copy is SQLite's backup; on PostgreSQL the test database is shared")
    connection.ensure_connection()
    path = tmp_path / "figures.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return path


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CACHE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="gaoxin.settings",
        DATABASE_URL=f"sqlite:///{database}",
        GAOXIN_FIGURE_CACHE_SECONDS="600",
        REDIS_URL="",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def run_both(env: dict[str, str]) -> None:
    reader, writer = Child(env), Child(env)
    try:
        writer.ask("setup", "proc-a")
        writer.ask("setup", "proc-b")
        writer.ask("write", "proc-a", "700001")
        assert reader.ask("read", "proc-a") == {"value": 1, "cached": False}
        assert reader.ask("read", "proc-a") == {"value": 1, "cached": True}
        assert reader.ask("read", "proc-b") == {"value": 0, "cached": False}
        writer.ask("write", "proc-a", "700002")
        assert reader.ask("read", "proc-a") == {"value": 2, "cached": False}
        assert reader.ask("read", "proc-b") == {"value": 0, "cached": True}
    finally:
        reader.close()
        writer.close()


def test_a_write_in_one_process_is_read_by_another_with_its_own_memory(database) -> None:
    run_both(environment(database))


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_a_write_in_one_process_is_read_by_another_through_redis(database) -> None:
    if not _redis_answers():
        if os.environ.get("GAOXIN_REQUIRE_REDIS") == "1":
            pytest.fail("Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    prefix = f"test-figures-{uuid.uuid4().hex[:8]}"
    try:
        run_both(
            environment(database, CACHE_URL="redis://127.0.0.1:6379/1", CACHE_KEY_PREFIX=prefix)
        )
    finally:
        import redis

        client = redis.Redis.from_url("redis://127.0.0.1:6379/1")
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
