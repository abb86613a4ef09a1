"""The pipeline figures as of any date, checked against a plain reading of the stage changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.projects import stages
from gaoxin.projects.models import Project, StageChange
from gaoxin.projects.services import reached_refresh
from gaoxin.projects.stages import Carrier, Stage
from tests.factories import IndustryFactory, ProjectFactory, UserFactory, ZoneFactory

START = dt.date(2023, 1, 1)


def value(key: str, zone_ids, as_of: dt.date):
    return registry.get(key).value(MetricScope.of(zone_ids, as_of))


def plain_reading(project_changes: dict[int, tuple[str, list[tuple[dt.date, str]]]], as_of):
    """For each project: the stage it was at on the day, and the set of stages it had reached."""
    current: dict[int, str | None] = {}
    reached: dict[int, set[str]] = {}
    for pk, (carrier, changes) in project_changes.items():
        path = [str(s) for s in stages.path_of(carrier)]
        seen = [(on, to) for on, to in changes if on <= as_of]
        current[pk] = seen[-1][1] if seen else None
        got: set[str] = set()
        for _on, to in seen:
            if to in path:
                got.update(path[: path.index(to) + 1])
        reached[pk] = got
    return current, reached


walks = st.lists(
    st.tuples(
        st.sampled_from([Carrier.LAND, Carrier.SPACE]),
        st.lists(
            st.tuples(st.integers(0, 40), st.sampled_from([s for s in Stage])),
            min_size=1,
            max_size=6,
        ),
    ),
    min_size=1,
    max_size=5,
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(walks=walks, probe=st.integers(-5, 250))
def test_reached_and_current_match_a_plain_reading(walks, probe) -> None:
    zone = ZoneFactory(code="walks")
    industry = IndustryFactory(zone=zone)
    officer = UserFactory(zones=[zone])
    recorded: dict[int, tuple[str, list[tuple[dt.date, str]]]] = {}
    for carrier, steps in walks:
        path = stages.path_of(carrier)
        day = START
        changes: list[tuple[dt.date, str]] = []
        for gap, stage in steps:
            if stage != Stage.TERMINATED and stage not in path:
                stage = path[len(changes) % len(path)]
            if not changes and stage == Stage.TERMINATED:
                stage = path[0]  # a project enters at a stage of its path (project_create)
            day = day + dt.timedelta(days=gap)
            changes.append((day, str(stage)))
        project = Project.objects.create(
            zone=zone,
            name="p",
            investor_name="i",
            industry=industry,
            carrier=carrier,
            officer=officer,
            stage=changes[-1][1],
            stage_on=changes[-1][0],
        )
        StageChange.objects.bulk_create(
            StageChange(project=project, to_stage=to, on=on, kind="advance") for on, to in changes
        )
        reached_refresh([project])
        recorded[project.pk] = (carrier, changes)
    as_of = START + dt.timedelta(days=probe)
    current, reached = plain_reading(recorded, as_of)
    try:
        for stage in stages.BOARD_ORDER:
            assert value(f"projects.reached.{stage}", [zone.pk], as_of) == sum(
                1 for got in reached.values() if stage in got
            ), stage
        for stage in (*stages.BOARD_ORDER, Stage.TERMINATED):
            assert value(f"projects.current.{stage}", [zone.pk], as_of) == sum(
                1 for now in current.values() if now == stage
            ), stage
        # From today on the stored stage stands in for the changes: the same answer.
        today = dt.date.today()
        now, _ = plain_reading(recorded, today)
        for stage in (*stages.BOARD_ORDER, Stage.TERMINATED):
            assert value(f"projects.current.{stage}", [zone.pk], today) == sum(
                1 for at in now.values() if at == stage
            ), stage
    finally:  # hypothesis runs every example in the one test transaction
        StageChange.objects.filter(project__zone=zone).delete()
        Project.objects.filter(zone=zone).delete()


def test_signed_sums_and_expected_above_scale(zone, users) -> None:
    officer = users["officer"]
    industry = IndustryFactory(zone=zone)
    ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="signed",
        stage_on=dt.date(2023, 3, 1),
        fixed_asset_investment=Decimal("100000000.50"),
        expected_annual_output=Decimal("300000000"),
        expected_above_scale=True,
    )
    ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="in_production",
        stage_on=dt.date(2023, 6, 1),
        fixed_asset_investment=Decimal("200000000"),
        expected_annual_output=Decimal("100000000"),
    )
    # Still negotiating: not counted in what was signed.
    ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="negotiating",
        fixed_asset_investment=Decimal("999"),
    )
    ids = [zone.pk]
    today = dt.date(2024, 1, 1)
    assert value("projects.reached.signed", ids, today) == 2
    assert value("projects.signed.fixed_asset_investment", ids, today) == Decimal("300000000.50")
    assert value("projects.signed.expected_output", ids, today) == Decimal("400000000")
    assert value("projects.signed.expected_above_scale", ids, today) == 1
    # As of a day between the two signings only the first counts.
    assert value("projects.signed.fixed_asset_investment", ids, dt.date(2023, 4, 1)) == Decimal(
        "100000000.50"
    )
    assert value("projects.reached.signed", ids, dt.date(2023, 2, 1)) == 0


def test_land_to_construction_average_and_same_day(zone, users) -> None:
    officer = users["officer"]
    industry = IndustryFactory(zone=zone)
    for days in (0, 30):
        project = ProjectFactory(
            zone=zone,
            industry=industry,
            officer=officer,
            carrier="land",
            stage="construction",
            stage_on=dt.date(2023, 9, 1),
        )
        project.land_to_construction_days = days
        project.save()
    ids = [zone.pk]
    assert value("projects.land_to_construction.average_days", ids, dt.date(2024, 1, 1)) == 15
    assert value("projects.land_to_construction.same_day", ids, dt.date(2024, 1, 1)) == 1
    assert value("projects.land_to_construction.same_day", ids, dt.date(2023, 8, 1)) == 0


def test_other_zones_are_not_counted(zone, other_zone, users) -> None:
    ProjectFactory(zone=other_zone, stage="signed")
    assert value("projects.reached.signed", [zone.pk], dt.date(2024, 1, 1)) == 0
    assert value("projects.reached.signed", [other_zone.pk], dt.date(2024, 1, 1)) == 1
