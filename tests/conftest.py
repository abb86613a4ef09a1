"""Standing users for every role, in one zone, and an outsider in another (healthchecks
style): every view is tried by someone who must be refused."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from gaoxin.accounts.models import User, Zone
from gaoxin.core.roles import Role
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory, ZoneFactory


def make_zone() -> Zone:
    return ZoneFactory(code="home", name="主园区")


def make_other_zone() -> Zone:
    return ZoneFactory(code="away", name="外园区")


def make_own_enterprise(zone: Zone):
    return EnterpriseFactory(zone=zone, name="珠海自家科技有限公司")


def make_users(zone: Zone, other_zone: Zone, own_enterprise) -> dict[str, User]:
    """One standing user per role in `zone`, and an officer of `other_zone` (the outsider)."""
    department = DepartmentFactory(zone=zone, name="自然资源局")
    return {
        "admin": UserFactory(
            username="t-admin", role=Role.ADMIN, is_superuser=True, is_staff=True, zones=[zone]
        ),
        "leader": UserFactory(username="t-leader", role=Role.LEADER, zones=[zone]),
        "officer": UserFactory(username="t-officer", role=Role.OFFICER, zones=[zone]),
        "department": UserFactory(
            username="t-dept", role=Role.DEPARTMENT, department=department, zones=[zone]
        ),
        "enterprise": UserFactory(
            username="t-ent", role=Role.ENTERPRISE, zones=[zone], enterprise=own_enterprise
        ),
        "outsider": UserFactory(username="t-outsider", role=Role.OFFICER, zones=[other_zone]),
    }


# PBKDF2's deliberate slowness protects real accounts, not test ones.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def zone(db) -> Zone:
    return make_zone()


@pytest.fixture
def other_zone(db) -> Zone:
    return make_other_zone()


@pytest.fixture
def own_enterprise(zone: Zone):
    """The enterprise the standing enterprise user belongs to."""
    return make_own_enterprise(zone)


@pytest.fixture
def users(zone: Zone, other_zone: Zone, own_enterprise) -> dict[str, User]:
    return make_users(zone, other_zone, own_enterprise)


@pytest.fixture
def client_as(users: dict[str, User]) -> Callable[[str | None], Client]:
    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2's deliberate slowness protects real accounts, not test ones."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    """Uploads of a test go to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _jobs_run_at_once() -> None:
    """A job queued in a test runs at once, in the test's own process and transaction (huey's
    immediate mode, its queue and progress in memory); tests/jobs starts a real worker where
    the worker itself is under test."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    # Immediate mode's store lives as long as the process: a job's progress left by one test
    # must not be read by the next, whose job may have the same id.
    HUEY.storage.flush_all()


@pytest.fixture(autouse=True)
def _working_days_forgotten() -> Iterator[None]:
    """The working-day calendar keeps each year in memory; a test's entered days are rolled
    back with its transaction, which no signal reports: forget them around every test."""
    from gaoxin.jobs import workdays

    workdays.forget()
    yield
    workdays.forget()


@pytest.fixture(autouse=True)
def _figures_forgotten() -> None:
    """Cached figures are keyed by zone ids and generations, which a test's rolled-back
    transaction hands to the next test again: each test starts with an empty cache."""
    from django.core.cache import caches

    caches["default"].clear()


# --- The test databases from a template migrated once (CI) ------------------------------------
# Replaying every migration takes a minute of CPU per test database, and pytest-xdist makes one
# per worker, in both of CI's runs. .ci/run migrates once per run (the same migrations, by
# `manage.py migrate`) and names the result in GAOXIN_TEST_DB_TEMPLATE: a SQLite file, or a
# PostgreSQL database. Each worker then starts from a copy of it and `migrate` still runs on
# the copy (it finds nothing to apply and sends its signals). Without the variable (a developer's
# run) every test database is migrated as before. Not --reuse-db: the template is made afresh
# by each CI run, from the migrations of the commit under test.
TEMPLATE_ENV = "GAOXIN_TEST_DB_TEMPLATE"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """PostgreSQL makes each worker's test database with CREATE DATABASE … TEMPLATE."""
    from django.conf import settings

    template = os.environ.get(TEMPLATE_ENV)
    db = settings.DATABASES["default"]
    if template and db["ENGINE"] == "django.db.backends.postgresql":
        db.setdefault("TEST", {})["TEMPLATE"] = template


@pytest.fixture(scope="session", autouse=True)
def _sqlite_test_db_from_template() -> Iterator[None]:
    """SQLite's in-memory test database is filled from the template file (sqlite3's backup)
    just before `migrate` runs on it."""
    template = os.environ.get(TEMPLATE_ENV)
    from django.conf import settings

    if not template or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    import sqlite3
    from pathlib import Path

    from django.core.management.commands import migrate
    from django.db import connections

    if not Path(template).is_file():
        raise pytest.UsageError(f"{TEMPLATE_ENV}={template}: no such SQLite file")
    original = migrate.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        connection = connections[options.get("database") or "default"]
        if connection.is_in_memory_db() and not connection.introspection.table_names():
            connection.ensure_connection()
            source = sqlite3.connect(template)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        return original(self, *args, **options)

    migrate.Command.handle = handle
    try:
        yield
    finally:
        migrate.Command.handle = original


@pytest.fixture(autouse=True)
def _default_language(settings) -> None:
    """Each test starts in the site's language: a request through the test client activates the
    reader's language in the test's own thread, and it stays active after the test (a test
    reading a page in English left the next test composing its briefing in English)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
