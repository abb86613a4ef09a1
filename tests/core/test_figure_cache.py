"""The figures cache (gaoxin/core/figure_cache.py): which zone each record belongs to, which
writes bump which zones' generations, and who may read the cache.

A `db` test runs in a transaction that never commits: writes are committed here by
`django_capture_on_commit_callbacks(execute=True)` (the `committed` helper), and every record a
test reads through the cache is made inside one, so that the test's own transaction holds no
uncommitted write (a reader in a transaction that wrote bypasses the cache)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import update_last_login
from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone

from gaoxin.core import figure_cache, rewind
from gaoxin.core.figures import Figures
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.core.models import FigureGeneration
from gaoxin.enterprises.models import Designation, Enterprise
from tests.factories import DesignationFactory, EnterpriseFactory, UserFactory, ZoneFactory

pytestmark = pytest.mark.django_db

TOTAL = "enterprises.total"
HIGH_TECH = "enterprises.designation.high_tech"
OFFICERS = "accounts.users.officer"


@pytest.fixture(autouse=True)
def _counted_bumps(monkeypatch) -> None:
    """A bump moves a generation to at least the clock's microseconds; with the clock at 0 it
    moves by exactly one, so these tests can count bumps (the clock has its own test)."""
    monkeypatch.setattr(figure_cache, "_clock_stamp", lambda now: 0)


def test_a_generation_moves_past_the_clock_so_a_restored_one_is_never_reused(
    zones, monkeypatch
) -> None:
    """A database put back to older generations (a restore) still hands out new ones: the
    next bump is at least the clock's microseconds, past anything cached since."""
    monkeypatch.undo()
    a = zones[0]
    figure_cache.bump({a.pk})
    first = gen(a.pk)
    assert first >= int(timezone.now().timestamp() * 1_000_000) - 60_000_000
    FigureGeneration.objects.filter(zone_id=a.pk).update(generation=5)
    figure_cache.bump({a.pk})
    assert gen(a.pk) > first


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes commit as far as the cache can tell (its on-commit callbacks run
    at its end)."""

    @contextmanager
    def block() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return block


def gen(zone_id: int) -> int:
    return figure_cache.generations([zone_id])[0]


def every() -> int:
    return figure_cache.generations([])[-1]


def read(zone_id: int, key: str = TOTAL) -> int:
    return int(Figures(MetricScope.of([zone_id])).value(key))


def cached_value(zone_id: int, key: str = TOTAL):
    """What the cache holds for `key` in the zone's current generation (None: nothing)."""
    scope = figure_cache.ScopeCache([zone_id], timezone.localdate())
    return caches["default"].get(scope.key, {}).get(key)


@pytest.fixture
def zones(committed):
    with committed():
        return ZoneFactory(code="fc-a"), ZoneFactory(code="fc-b"), ZoneFactory(code="fc-c")


# --- every model's zone -------------------------------------------------------------------------

# Every model the cache does not ignore, and how a record of it is traced to its zone. A new
# model fails this test until it is listed: check that its path is the zone its figures count
# in, or declare a resolver or `ignore_model` in figure_cache.
PATHS: dict[str, str] = {
    "accounts.Zone": "is a zone",
    "accounts.Department": "zone_id",
    "accounts.User": "resolver: its zones (many-to-many), whatever its department",
    "accounts.User_zones": "zone_id",
    "industries.IndustryGroup": "zone_id",
    "industries.Industry": "zone_id",
    "industries.ChainSegment": "industry_id > zone_id",
    "enterprises.Enterprise": "zone_id",
    "enterprises.Enterprise_industries": "enterprise_id > zone_id",
    "enterprises.Enterprise_segments": "enterprise_id > zone_id",
    "enterprises.EnterpriseExit": "enterprise_id > zone_id",
    "enterprises.ScaleSpell": "enterprise_id > zone_id",
    "enterprises.Designation": "enterprise_id > zone_id",
    "enterprises.Alliance": "zone_id",
    "enterprises.AllianceMembership": "alliance_id > zone_id",
    "investment.Lead": "zone_id",
    "investment.LeadContact": "lead_id > zone_id",
    "spaces.Space": "zone_id",
    "spaces.SpaceStatusChange": "space_id > zone_id",
    "projects.Project": "zone_id",
    "projects.StageChange": "project_id > zone_id",
    "projects.ApprovalTemplate": "zone_id",
    "projects.ApprovalTemplateItem": "template_id > zone_id",
    "projects.Approval": "project_id > zone_id",
    "projects.ServiceRecord": "project_id > zone_id",
    "projects.ServiceRecord_attendees": "servicerecord_id > project_id > zone_id",
    # The department's zone: a service record's departments are its zone's.
    "projects.ServiceRecord_departments": "department_id > zone_id",
    "projects.Blocker": "project_id > zone_id",
    "policies.Policy": "zone_id",
    "policies.PolicyEvent": "zone_id",
    "policies.PolicyEvent_policies": "policyevent_id > zone_id",
    "policies.EventAttendance": "event_id > zone_id",
    "policies.ActionPlan": "zone_id",
    "policies.PlanTarget": "plan_id > zone_id",
    "campaigns.Campaign": "zone_id",
    "campaigns.Application": "campaign_id > zone_id",
    "campaigns.ApplicationChange": "application_id > campaign_id > zone_id",
    "campaigns.ApplicationAttachment": "application_id > campaign_id > zone_id",
    "campaigns.AwardBatch": "zone_id",
    "campaigns.Award": "batch_id > zone_id",
    "economy.ZoneEconomySettings": "zone_id",
    "economy.ImportBatch": "zone_id",
    "economy.FigureValue": "zone_id",
    "economy.SelfReport": "enterprise_id > zone_id",
    "economy.ProjectDispatch": "project_id > zone_id",
    "cultivation.EfficiencyCutoffs": "zone_id",
    "cultivation.LandRecord": "enterprise_id > zone_id",
    "cultivation.Followup": "zone_id",
    "cultivation.FollowupVisit": "followup_id > zone_id",
    "cultivation.Standing": "zone_id",
    "cultivation.StandingBuild": "zone_id",
    # Catalogues shared by every zone: a write to one refreshes every zone's figures.
    "industries.NationalIndustry": "every zone: the national classification, one for all",
    "economy.Indicator": "every zone: the indicators' catalogue, one for all",
    "cultivation.ScaleThreshold": "every zone: the scale thresholds, national",
    "cultivation.DesignationCriteria": "every zone: the designations' criteria, provincial",
}


def describe(model) -> str:
    if model._meta.label in figure_cache._resolvers:
        return PATHS.get(model._meta.label, "resolver")
    path = figure_cache.zone_path(model)
    if path.is_zone:
        return "is a zone"
    if not path.hops:
        return PATHS.get(model._meta.label, "every zone")
    return " > ".join(attname for _model, attname in path.hops)


def test_every_model_of_the_platform_is_traced_to_its_zone_or_listed() -> None:
    found = {}
    for model in apps.get_models(include_auto_created=True):
        owner = model._meta.auto_created
        if figure_cache._is_ignored(model) or (
            isinstance(owner, type) and figure_cache._is_ignored(owner)
        ):
            continue
        found[model._meta.label] = describe(model)
    assert found == PATHS
    assert all(v.startswith("every zone:") for v in found.values() if "every" in v)


def test_the_logs_and_history_are_ignored() -> None:
    for label in ("accounts.LoginEvent", "jobs.Job", "sessions.Session", "core.FigureGeneration"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        assert figure_cache._is_ignored(model), label
    assert figure_cache._is_ignored(Enterprise.history.model)


# --- what bumps what ----------------------------------------------------------------------------


def test_a_save_bumps_its_zone_once_committed_and_no_other(zones, committed) -> None:
    a, b, _c = zones
    before = gen(a.pk), gen(b.pk), every()
    with committed():
        EnterpriseFactory(zone=a)
        assert gen(a.pk) == before[0]  # not before the commit
    assert (gen(a.pk), gen(b.pk), every()) == (before[0] + 1, before[1], before[2])


def test_the_next_read_after_a_committed_write_shows_it(zones, committed) -> None:
    a, _b, _c = zones
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 1
    assert cached_value(a.pk) == 1
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 2


def test_an_enterprise_moved_between_zones_bumps_both(zones, committed) -> None:
    a, b, c = zones
    with committed():
        enterprise = EnterpriseFactory(zone=a)
    assert (read(a.pk), read(b.pk)) == (1, 0)
    moved = Enterprise.objects.get(pk=enterprise.pk)
    before = gen(a.pk), gen(b.pk), gen(c.pk), every()
    with committed():
        moved.zone = b
        moved.save()
    assert (gen(a.pk), gen(b.pk), gen(c.pk), every()) == (
        before[0] + 1,
        before[1] + 1,
        before[2],
        before[3],
    )
    assert (read(a.pk), read(b.pk)) == (0, 1)


def test_a_record_moved_under_a_parent_of_another_zone_bumps_both(zones, committed) -> None:
    a, b, _c = zones
    with committed():
        here, there = EnterpriseFactory(zone=a), EnterpriseFactory(zone=b)
        designation = DesignationFactory(
            enterprise=here, expires_on=timezone.localdate() + dt.timedelta(days=400)
        )
    assert (read(a.pk, HIGH_TECH), read(b.pk, HIGH_TECH)) == (1, 0)
    loaded = Designation.objects.get(pk=designation.pk)
    with committed():
        loaded.enterprise = there
        loaded.save()
    assert (read(a.pk, HIGH_TECH), read(b.pk, HIGH_TECH)) == (0, 1)


def test_signing_in_bumps_nothing(zones, committed) -> None:
    a, _b, _c = zones
    with committed():
        user = UserFactory(zones=[a])
    before = gen(a.pk), every()
    with committed():
        update_last_login(None, user)
    assert (gen(a.pk), every()) == before


def test_a_user_counts_in_its_zones_not_its_departments(zones, committed) -> None:
    from tests.factories import DepartmentFactory

    a, b, _c = zones
    with committed():
        # A department of another zone: the user's figures are its zones', not its department's.
        user = UserFactory(zones=[a], role="leader", department=DepartmentFactory(zone=b))
    assert read(a.pk, OFFICERS) == 0
    before = gen(a.pk), every()
    with committed():
        user.role = "officer"
        user.save()
    assert (gen(a.pk), every()) == (before[0] + 1, before[1])
    assert read(a.pk, OFFICERS) == 1
    with committed():
        user.zones.remove(a)
    assert read(a.pk, OFFICERS) == 0
    with committed():
        user.zones.add(b)
    assert read(b.pk, OFFICERS) == 1
    with committed():
        user.zones.clear()
    assert read(b.pk, OFFICERS) == 0


def test_an_update_without_covering_bumps_every_zone(zones, committed) -> None:
    a, b, _c = zones
    with committed():
        EnterpriseFactory(zone=a, name="甲")
    before = gen(a.pk), gen(b.pk), every()
    with committed():
        Enterprise.objects.filter(zone=a).update(name="乙")
    assert (gen(a.pk), gen(b.pk), every()) == (before[0], before[1], before[2] + 1)


def test_an_update_covering_its_zone_bumps_only_that_zone(zones, committed) -> None:
    a, b, _c = zones
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 1
    before = gen(a.pk), gen(b.pk), every()
    with committed(), figure_cache.covering([Enterprise], [a.pk]):
        Enterprise.objects.filter(zone=a).update(name="改")
        Enterprise.objects.filter(zone=a).delete()
    assert (gen(a.pk), gen(b.pk), every()) == (before[0] + 1, before[1], before[2])
    assert read(a.pk) == 0


def test_a_save_does_not_hide_an_update_of_its_table_in_the_same_transaction(
    zones, committed
) -> None:
    a, b, _c = zones
    with committed():
        mine = EnterpriseFactory(zone=a)
        EnterpriseFactory(zone=b)
    assert read(b.pk) == 1
    before = every()
    with committed():
        mine.save()  # the enterprises' table is expected while the save writes it, not after
        Enterprise.objects.filter(zone=b).update(zone=a)
    assert every() == before + 1  # the update, which says no zone, bumped every zone
    assert read(b.pk) == 0


def test_raw_sql_with_leading_blank_lines_bumps_every_zone(zones, committed) -> None:
    before = every()
    with committed(), connection.cursor() as cursor:
        cursor.execute("\n        UPDATE enterprises_enterprise SET name = name WHERE 1 = 0")
    assert every() == before + 1


# --- transactions and savepoints ----------------------------------------------------------------


def test_a_savepoint_rolled_back_keeps_the_outer_transactions_bump(zones, committed) -> None:
    a, b, _c = zones
    before = gen(a.pk), gen(b.pk)
    with committed():
        EnterpriseFactory(zone=a)
        with pytest.raises(RuntimeError), transaction.atomic():
            EnterpriseFactory(zone=b)
            raise RuntimeError
    assert gen(a.pk) == before[0] + 1


def test_a_savepoint_rolled_back_before_the_outer_write_keeps_its_bump(zones, committed) -> None:
    a, b, _c = zones
    before = gen(a.pk), gen(b.pk)
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            EnterpriseFactory(zone=b)
            raise RuntimeError
        EnterpriseFactory(zone=a)
    # The rolled-back write to b is forgotten; a's is bumped.
    assert (gen(a.pk), gen(b.pk)) == (before[0] + 1, before[1])


def test_a_write_in_a_released_savepoint_is_bumped(zones, committed) -> None:
    a, b, _c = zones
    before = gen(a.pk), gen(b.pk)
    with committed():
        with transaction.atomic():
            EnterpriseFactory(zone=a)
        with pytest.raises(RuntimeError), transaction.atomic():
            EnterpriseFactory(zone=b)
            raise RuntimeError
    assert gen(a.pk) == before[0] + 1


def test_a_reader_in_a_transaction_that_wrote_bypasses_the_cache(zones, committed) -> None:
    a, _b, _c = zones
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 1  # cached
    values = Values(MetricScope.of([a.pk]))  # made before the write, used after it
    with pytest.raises(RuntimeError), transaction.atomic():
        EnterpriseFactory(zone=a)
        assert figure_cache.usable() is False
        assert read(a.pk) == 2
        assert values(registry.get(TOTAL)) == 2
        raise RuntimeError
    # The uncommitted 2 was never cached.
    assert cached_value(a.pk) == 1
    assert read(a.pk) == 1


def test_rewind_neither_reads_nor_fills_the_cache(zones, committed) -> None:
    a, _b, _c = zones
    with committed():
        EnterpriseFactory(zone=a)
    then = timezone.now() - dt.timedelta(days=2)
    with committed():
        Enterprise.history.update(history_date=then)
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 2
    assert cached_value(a.pk) == 2
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    known = rewind.values_as_known_on(yesterday, MetricScope.of([a.pk]), [TOTAL])
    assert known == {TOTAL: 1}
    assert cached_value(a.pk) == 2
    assert read(a.pk) == 2


def test_a_rewind_with_nothing_to_put_back_reads_no_cache_either(zones, committed) -> None:
    a, _b, _c = zones
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 1
    key = figure_cache.ScopeCache([a.pk], timezone.localdate()).key
    caches["default"].set(key, {TOTAL: 99})  # a value no computation gives
    today = timezone.localdate()
    assert rewind.values_as_known_on(today, MetricScope.of([a.pk]), [TOTAL]) == {TOTAL: 1}
    assert caches["default"].get(key) == {TOTAL: 99}


def test_the_cache_off_reads_afresh(zones, committed, settings) -> None:
    a, _b, _c = zones
    settings.GAOXIN_FIGURE_CACHE_SECONDS = 0
    with committed():
        EnterpriseFactory(zone=a)
    assert read(a.pk) == 1
    assert cached_value(a.pk) is None


# --- the bulk paths say their zones ---------------------------------------------------------------


def _moved(zones) -> tuple[int, int, int]:
    a, b, _c = zones
    return gen(a.pk), gen(b.pk), every()


def test_bulk_write_new_and_write_rows_bump_only_their_zone(zones, committed) -> None:
    from gaoxin.core import bulk
    from tests.factories import IndustryFactory

    a, _b, _c = zones
    with committed():
        industry = IndustryFactory(zone=a)
    assert read(a.pk) == 0
    before = _moved(zones)
    with committed():
        made = bulk.write_new(
            [Enterprise(zone=a, name=f"批量{n}", uscc=f"X{n:017d}") for n in range(3)]
        )
        bulk.write_rows(
            Enterprise.industries.through,
            ["enterprise", "industry"],
            [(e.pk, industry.pk) for e in made],
        )
    assert _moved(zones) == (before[0] + 1, before[1], before[2])
    assert read(a.pk) == 3


def test_a_statistics_import_bumps_only_its_zone(zones, committed) -> None:
    from gaoxin.economy.models import Indicator, Source
    from gaoxin.economy.periods import Period
    from gaoxin.economy.services import FigureInput, figures_record

    a, _b, _c = zones
    with committed():
        firm = EnterpriseFactory(zone=a)
    revenue = Indicator.objects.get(code="revenue")
    before = _moved(zones)
    with committed():
        figures_record(
            zone=a,
            values=[FigureInput(firm.pk, revenue.pk, Period.of(2025, 6), Decimal("10"))],
            source=Source.BUREAU,
            by=None,
        )
        figures_record(
            zone=a,
            values=[FigureInput(firm.pk, revenue.pk, Period.of(2025, 6), Decimal("12"))],
            source=Source.BUREAU,
            by=None,
        )
    assert _moved(zones) == (before[0] + 1, before[1], before[2])


def test_the_projects_derived_dates_and_spaces_areas_bump_only_their_zone(zones, committed) -> None:
    from gaoxin.projects.services import reached_refresh
    from gaoxin.spaces.services import space_set_leased_area
    from tests.factories import ProjectFactory, SpaceFactory

    a, _b, _c = zones
    with committed():
        project = ProjectFactory(zone=a)
        space = SpaceFactory(zone=a)
    before = _moved(zones)
    with committed():
        reached_refresh([project])
        space_set_leased_area(space_ids=[space.pk], leased_area=lambda ids: {space.pk: Decimal(10)})
    assert _moved(zones) == (before[0] + 1, before[1], before[2])


def test_an_enterprise_import_bumps_only_its_zone(zones, committed) -> None:
    from gaoxin.enterprises.imports import write_enterprises
    from gaoxin.enterprises.services import enterprise_build
    from tests.factories import IndustryFactory, make_uscc

    a, _b, _c = zones
    with committed():
        industry = IndustryFactory(zone=a)
    assert read(a.pk) == 0
    built = [
        enterprise_build(zone=a, name=f"珠海导入{n}科技有限公司", uscc=make_uscc(880000 + n))
        for n in range(3)
    ]
    before = _moved(zones)
    with committed():
        write_enterprises(built, [([industry], [])] * 3, by=None, written=None)
    assert _moved(zones) == (before[0] + 1, before[1], before[2])
    assert read(a.pk) == 3


def test_a_province_scope_has_a_key_every_cache_backend_takes(zones, committed) -> None:
    """Thirty zones and their generations come to 600 characters of key: Django warns of a
    key over 250 (memcached refuses it), so the long part is hashed, still one key a scope."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    many = [zone.pk for zone in zones] + list(range(100_000, 100_028))
    key = figure_cache.ScopeCache(many, dt.date(2026, 11, 30)).key
    assert len(key) <= figure_cache.MAX_KEY_LENGTH
    assert key != figure_cache.ScopeCache(many, dt.date(2026, 11, 29)).key
    assert key != figure_cache.ScopeCache(many[:-1], dt.date(2026, 11, 30)).key
    # a short key stays readable: its zones and day are in it
    short = figure_cache.ScopeCache([zones[0].pk], dt.date(2026, 11, 30)).key
    assert f":{zones[0].pk}:2026-11-30:" in short
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        caches[figure_cache.CACHE_ALIAS].set(key, {"x": 1})
        assert caches[figure_cache.CACHE_ALIAS].get(key) == {"x": 1}
    # the generations are part of what is hashed: a write in one of the zones moves the key
    with committed():
        figure_cache.bump([zones[1].pk])
    assert figure_cache.ScopeCache(many, dt.date(2026, 11, 30)).key != key
