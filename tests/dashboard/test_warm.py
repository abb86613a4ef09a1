"""The figures warmed in the background (dashboard/warm.py, run each minute by
tasks.warm_figures): after a write, one run leaves the dashboard, the briefing and /metrics/
warm with the new figure; a warm scope costs the run no computation; a scope that fails does
not stop the others; a write during the warm is never read stale; GAOXIN_FIGURE_WARM turns it
off.

These tests commit (`transaction=True`), as tests/dashboard/test_cached_views.py: a write in a
test's own transaction is never committed, and its readers bypass the cache."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core.roles import Role
from gaoxin.dashboard import figures, tasks, warm
from tests.dashboard.test_cached_views import WARM_MAX, _add_enterprise, _index_row, _total
from tests.dashboard.test_dashboard import tiles
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    ProjectFactory,
    UserFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def warming_on(settings) -> None:
    settings.GAOXIN_FIGURE_WARM = True


@pytest.fixture
def records(zone, other_zone, users):
    for each in (zone, other_zone):
        industry = IndustryFactory(zone=each, name="储能")
        for _ in range(2):
            EnterpriseFactory(zone=each).industries.add(industry)
        ProjectFactory(zone=each, industry=industry, officer=users["officer"], stage="signed")


def _unlock(*scopes: warm.Zones) -> None:
    """As a minute later: the scopes' locks gone (each scope is warmed at most once a minute)."""
    for zones in scopes:
        caches["default"].delete(warm._key("lock", zones, timezone.localdate()))


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_scopes_are_each_zone_and_each_readers_zones(zone, other_zone, users) -> None:
    third = ZoneFactory(code="third", name="第三园区")
    ZoneFactory(code="closed", name="撤销园区", is_active=False)
    UserFactory(username="two-zones", role=Role.LEADER, zones=[zone, other_zone])
    UserFactory(username="gone", role=Role.LEADER, zones=[zone, third], is_active=False)
    # An enterprise user reads none of these pages.
    UserFactory(
        username="ent-2",
        role=Role.ENTERPRISE,
        zones=[other_zone, third],
        enterprise=EnterpriseFactory(zone=third),
    )

    scopes = warm.reader_scopes()

    everything = tuple(sorted([zone.pk, other_zone.pk, third.pk]))  # the administrator's
    assert set(scopes) == {
        (zone.pk,),
        (other_zone.pk,),
        (third.pk,),
        tuple(sorted([zone.pk, other_zone.pk])),
        everything,
    }
    # Most read first: the standing users of `zone` read it alone.
    assert scopes[0] == (zone.pk,)


# Each page's warm view against its cold one, as tests/dashboard/test_cached_views.py has them.
PAGES = {"/dashboard/": (WARM_MAX, 3), "/briefing/": (WARM_MAX, 2), "/metrics/": (10, 5)}


@pytest.mark.parametrize("url", list(PAGES))
def test_after_a_write_one_run_leaves_the_page_warm_with_the_new_figure(
    url, records, zone, users, client_as, django_assert_max_num_queries
) -> None:
    most, fewer = PAGES[url]
    client = client_as("leader")
    before = _total(zone)
    client.get(url)  # the figures cached under the zone's generation of now
    _add_enterprise(zone, users["officer"])  # committed: the generation moves on
    assert _total(zone) == before + 1

    done = warm.run()

    assert (zone.pk,) in done.warmed and not done.failed
    with django_assert_max_num_queries(most) as warm_view:
        page = client.get(url).content.decode()
    # The same page, cold, for comparison: a write to the zone again, no run.
    _add_enterprise_again(zone, users["officer"])
    cold, _ = _queries(client, url)
    assert len(warm_view) * fewer < cold, (len(warm_view), cold)
    if url == "/dashboard/":
        assert tiles(page)["enterprises.total"][1].startswith(str(before + 1))
    elif url == "/briefing/":
        assert f">{before + 1}<" in page and f">{before}<" not in page
    else:
        assert _index_row(page, "enterprises.total").startswith(str(before + 1))


def _add_enterprise_again(zone, by) -> None:
    from gaoxin.enterprises.services import enterprise_create
    from tests.factories import make_uscc

    enterprise_create(zone=zone, name="再次写入科技有限公司", uscc=make_uscc(987_655), by=by)


def test_the_administrators_every_zone_is_warmed_too(
    records, zone, other_zone, users, client_as, django_assert_max_num_queries
) -> None:
    done = warm.run()
    everything = tuple(sorted([zone.pk, other_zone.pk]))
    assert everything in done.warmed
    client = client_as("admin")
    with django_assert_max_num_queries(WARM_MAX):
        page = client.get("/dashboard/").content.decode()
    assert tiles(page)["enterprises.total"][1].startswith(str(_total(zone) + _total(other_zone)))


def test_a_warm_scope_costs_the_run_no_computation(records, zone, other_zone) -> None:
    first = warm.run()
    assert len(first.warmed) == 3 and not first.already_warm
    _unlock(*first.warmed)

    with CaptureQueriesContext(connection) as queries:
        second = warm.run()

    assert second.warmed == [] and sorted(second.already_warm) == sorted(first.warmed)
    # The zones, the users' zones, whether there is an administrator, and the generations.
    assert len(queries) <= 4, [q["sql"] for q in queries]


def test_a_write_to_one_zone_leaves_the_other_zones_warm(records, zone, other_zone, users) -> None:
    first = warm.run()
    _unlock(*first.warmed)
    _add_enterprise(zone, users["officer"])

    second = warm.run()

    both = tuple(sorted([zone.pk, other_zone.pk]))
    assert sorted(second.warmed) == sorted([(zone.pk,), both])
    assert second.already_warm == [(other_zone.pk,)]


def test_a_scope_is_warmed_at_most_once_a_minute(records, zone, users, monkeypatch) -> None:
    monkeypatch.setattr(warm, "LOCK_SECONDS", 2)
    alone = [(zone.pk,)]
    assert warm.run(scopes=alone).warmed == alone
    _add_enterprise(zone, users["officer"])

    soon = warm.run(scopes=alone)
    assert soon.locked == alone and soon.warmed == []

    time.sleep(2.1)
    assert warm.run(scopes=alone).warmed == alone


def test_a_run_gives_way_to_waiting_jobs_after_its_first_scope(records, monkeypatch) -> None:
    monkeypatch.setattr(warm, "jobs_waiting", lambda: True)
    done = warm.run()
    assert len(done.warmed) == 1 and len(done.deferred) == 2
    # The deferred scopes are taken by the next run.
    monkeypatch.setattr(warm, "jobs_waiting", lambda: False)
    assert sorted(warm.run().warmed) == sorted(done.deferred)


def test_a_run_stops_taking_scopes_when_its_time_is_spent(records, monkeypatch) -> None:
    ticks = iter(range(0, 1000, 30))  # each look at the clock half a minute later
    done = warm.run(clock=lambda: float(next(ticks)))
    assert len(done.warmed) == 1 and len(done.deferred) == 2


def test_a_new_day_is_warmed_afresh(records, zone) -> None:
    today = timezone.localdate()
    first = warm.run(day=today)
    _unlock(*first.warmed)
    assert warm.run(day=today).warmed == []

    # Yesterday's locks (taken in the last minute) do not hold the new day back.
    tomorrow = warm.run(day=today + dt.timedelta(days=1))

    assert sorted(tomorrow.warmed) == sorted(first.warmed)


def test_a_failing_scope_does_not_stop_the_others(
    records, zone, other_zone, users, client_as, monkeypatch, caplog, django_assert_max_num_queries
) -> None:
    real = figures.dashboard

    def failing(reader, pipeline="space"):
        if reader.scope.zone_ids == (zone.pk,):
            raise RuntimeError("boom")
        return real(reader, pipeline)

    monkeypatch.setattr(figures, "dashboard", failing)
    with caplog.at_level(logging.ERROR, logger="gaoxin.dashboard.warm"):
        done = warm.run()

    assert done.failed == [(zone.pk,)]
    both = tuple(sorted([zone.pk, other_zone.pk]))
    assert sorted(done.warmed) == sorted([(other_zone.pk,), both])
    assert any("boom" in (r.exc_text or "") for r in caplog.records)
    client = client_as("outsider")
    with django_assert_max_num_queries(WARM_MAX):
        assert client.get("/dashboard/").status_code == 200
    # The failed scope is not taken as warm: the next run (a minute later) tries it again.
    monkeypatch.setattr(figures, "dashboard", real)
    _unlock((zone.pk,))
    assert warm.run().warmed == [(zone.pk,)]


def test_the_task_logs_a_failure_and_never_raises(records, monkeypatch, caplog) -> None:
    def broken() -> list[warm.Zones]:
        raise RuntimeError("no scopes")

    monkeypatch.setattr(warm, "reader_scopes", broken)
    with caplog.at_level(logging.ERROR, logger="gaoxin.dashboard.tasks"):
        tasks.warm_figures.call_local()
    assert any("no scopes" in (r.exc_text or "") for r in caplog.records)


def test_a_write_during_the_warm_is_never_read_stale(
    records, zone, users, client_as, monkeypatch
) -> None:
    """The dashboard's figures are computed, then an enterprise is added (committed) while the
    index is warmed: the dashboard's values stay under the generation before the write, which
    no reader asks for again, and the scope is warmed again by the next run."""
    before = _total(zone)
    real = warm.index_rows

    def writing_first(scope):
        if scope.zone_ids == (zone.pk,):
            _add_enterprise(zone, users["officer"])
        return real(scope)

    monkeypatch.setattr(warm, "index_rows", writing_first)
    assert (zone.pk,) in warm.run().warmed
    monkeypatch.setattr(warm, "index_rows", real)

    client = client_as("leader")
    page = client.get("/dashboard/").content.decode()
    assert tiles(page)["enterprises.total"][1].startswith(str(before + 1))
    briefing = client.get("/briefing/").content.decode()
    assert f">{before + 1}<" in briefing and f">{before}<" not in briefing

    _unlock((zone.pk,))
    assert (zone.pk,) in warm.run().warmed  # cold under the new generation: warmed again


def test_the_setting_turns_it_off(
    records, zone, settings, client_as, django_assert_max_num_queries
) -> None:
    settings.GAOXIN_FIGURE_WARM = False
    with django_assert_max_num_queries(0):
        done = warm.run()
        tasks.warm_figures.call_local()
    assert done.warmed == [] and done.already_warm == []
    cold, _ = _queries(client_as("leader"), "/dashboard/")
    assert cold > WARM_MAX


def test_the_task_runs_each_minute_and_at_midnight() -> None:
    task = tasks.warm_figures.task_class
    assert task.validate_datetime(task, dt.datetime(2026, 1, 1, 0, 0))
    assert task.validate_datetime(task, dt.datetime(2026, 1, 1, 13, 47))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "False"),  # each process caches in its own memory: a worker's is read by nobody
        ({"CACHE_URL": "redis://127.0.0.1:6379/9"}, "True"),
        ({"CACHE_URL": "redis://127.0.0.1:6379/9", "GAOXIN_FIGURE_WARM": "0"}, "False"),
        ({"GAOXIN_FIGURE_WARM": "1"}, "True"),
    ],
)
def test_warming_is_on_by_default_where_the_cache_is_shared(env, expected) -> None:
    full = {
        k: v
        for k, v in os.environ.items()
        if k not in {"CACHE_URL", "REDIS_URL", "GAOXIN_FIGURE_WARM", "DJANGO_SETTINGS_MODULE"}
    }
    full.update(env)
    shown = subprocess.run(
        [sys.executable, "-c", "import gaoxin.settings as s; print(s.GAOXIN_FIGURE_WARM)"],
        env=full,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert shown.stdout.strip() == expected
