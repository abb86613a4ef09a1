"""Industrial spaces: dated statuses, floor area the database will not over-lease, occupancy,
and the pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from gaoxin.core.errors import DomainError
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.projects import services as project_services
from gaoxin.projects.stages import Stage
from gaoxin.spaces import services
from gaoxin.spaces.models import Space
from tests.factories import IndustryFactory, ProjectFactory, make_uscc

TODAY = dt.date(2024, 6, 30)


@pytest.fixture(autouse=True)
def _english_and_a_fixed_today(settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    with translation.override("en"):
        yield


def value(key: str, zone, as_of: dt.date):
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


def make_space(zone, by, name="5.0产业新空间一期", area="100000", status="building", on=None):
    return services.space_create(
        zone=zone,
        by=by,
        name=name,
        total_floor_area=Decimal(area),
        status=status,
        status_on=on or dt.date(2023, 1, 1),
        developer="高新建设集团",
    )


def test_statuses_are_dated_and_move_with_reasons(zone, users) -> None:
    officer = users["officer"]
    space = make_space(zone, officer, status="planned", on=dt.date(2022, 5, 1))
    with pytest.raises(DomainError, match="future"):
        services.space_set_status(
            space=space, by=officer, status="building", on=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(DomainError, match="before 2022-05-01"):
        services.space_set_status(
            space=space, by=officer, status="building", on=dt.date(2022, 1, 1)
        )
    services.space_set_status(space=space, by=officer, status="building", on=dt.date(2022, 9, 1))
    services.space_set_status(space=space, by=officer, status="built", on=dt.date(2024, 3, 1))
    space.refresh_from_db()
    assert (space.status, space.completed_on) == ("built", dt.date(2024, 3, 1))
    with pytest.raises(DomainError, match="earlier status"):
        services.space_set_status(space=space, by=officer, status="building", on=TODAY)
    assert list(space.status_changes.values_list("status", flat=True)) == [
        "planned",
        "building",
        "built",
    ]
    # As of each day, the space counts under the status it then had.
    assert value("spaces.count.planned", zone, dt.date(2022, 6, 1)) == 1
    assert value("spaces.count.building", zone, dt.date(2022, 6, 1)) == 0
    assert value("spaces.count.building", zone, dt.date(2023, 6, 1)) == 1
    assert value("spaces.area.building", zone, dt.date(2023, 6, 1)) == Decimal("100000")
    assert value("spaces.count.built", zone, TODAY) == 1
    assert value("spaces.count", zone, dt.date(2022, 4, 30)) == 0


def test_the_database_refuses_leasing_more_than_the_space_has(zone, users) -> None:
    space = make_space(zone, users["officer"], area="1000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Space.objects.filter(pk=space.pk).update(leased_floor_area=Decimal("1000.01"))
    space.refresh_from_db()
    assert space.leased_floor_area == 0


def test_tenant_projects_fill_the_space_and_free_it_when_terminated(zone, users) -> None:
    officer = users["officer"]
    space = make_space(zone, officer, area="10000")
    industry = IndustryFactory(zone=zone)
    common = dict(
        zone=zone,
        by=officer,
        investor_name="某集团",
        industry=industry,
        carrier="space",
        officer=officer,
        space=space,
        stage=Stage.SIGNED,
        stage_on=dt.date(2024, 3, 1),
        planned_investment=Decimal("1"),
        fixed_asset_investment=Decimal("1"),
    )
    # A prospect still negotiating takes no floor area.
    project_services.project_create(
        name="洽谈中项目",
        floor_area=Decimal("9000"),
        **{**common, "stage": Stage.NEGOTIATING},
    )
    first = project_services.project_create(name="甲项目", floor_area=Decimal("6000"), **common)
    space.refresh_from_db()
    assert space.leased_floor_area == Decimal("6000")
    with pytest.raises(DomainError, match=r"would then occupy 10,?500"):
        project_services.project_create(name="乙项目", floor_area=Decimal("4500"), **common)
    second = project_services.project_create(name="乙项目", floor_area=Decimal("4000"), **common)
    space.refresh_from_db()
    assert space.leased_floor_area == Decimal("10000")
    assert value("spaces.occupancy", zone, TODAY) == Decimal("100.0")
    assert value("spaces.area.leased", zone, TODAY) == Decimal("10000")
    # As of a day before the tenants signed, nothing was leased.
    assert value("spaces.area.leased", zone, dt.date(2024, 2, 29)) == 0
    assert value("spaces.occupancy", zone, dt.date(2024, 2, 29)) == 0
    with pytest.raises(DomainError, match="cannot be less"):
        services.space_update(space=space, by=officer, total_floor_area=Decimal("9000"))
    project_services.project_advance(
        project=first,
        by=officer,
        to_stage=Stage.TERMINATED,
        on=TODAY,
        version=first.version,
        note="投资方撤资",
    )
    space.refresh_from_db()
    assert space.leased_floor_area == Decimal("4000")
    # Moving a project to another space recounts both.
    other = make_space(zone, officer, name="二期", area="5000")
    second.refresh_from_db()
    project_services.project_update(project=second, by=officer, version=second.version, space=other)
    space.refresh_from_db()
    other.refresh_from_db()
    assert (space.leased_floor_area, other.leased_floor_area) == (0, Decimal("4000"))


def test_space_tenant_figures_leave_land_projects_out(zone, users) -> None:
    industry = IndustryFactory(zone=zone)
    ProjectFactory(zone=zone, industry=industry, carrier="space", stage="signed")
    ProjectFactory(zone=zone, industry=industry, carrier="land", stage="signed")
    assert value("projects.reached.signed", zone, TODAY) == 2
    assert value("projects.space.reached.signed", zone, TODAY) == 1
    assert value("projects.space.current.signed", zone, TODAY) == 1
    assert value("projects.space.signed.fixed_asset_investment", zone, TODAY) == Decimal("50000000")


def test_list_totals_export_and_bounded_queries(
    zone, users, client_as, django_assert_max_num_queries
) -> None:
    officer = users["officer"]
    for n in range(30):
        make_space(
            zone,
            officer,
            name=f"空间{n:02d}",
            area=str(10000 + n),
            status=["planned", "building", "built"][n % 3],
        )
    client = client_as("leader")
    with django_assert_max_num_queries(12):
        response = client.get("/spaces/", {"sort": "-area"})
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["all"]["n"] == 30
    assert totals["building"]["n"] == 10
    assert totals["all"]["area"] == sum(Decimal(10000 + n) for n in range(30))
    body = response.content.decode()
    assert "/metrics/spaces.area.building/" in body
    export = client.get("/spaces/", {"status": "built", "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[1][0] == "空间名称"
    assert len(rows) == 2 + 10


def test_detail_lists_tenants_with_their_stages(zone, users, client_as) -> None:
    officer = users["officer"]
    space = make_space(zone, officer)
    industry = IndustryFactory(zone=zone)
    project = project_services.project_create(
        zone=zone,
        by=officer,
        name="入驻项目",
        investor_name="某集团",
        industry=industry,
        carrier="space",
        officer=officer,
        space=space,
        floor_area=Decimal("2500"),
        stage=Stage.REGISTERED,
        stage_on=dt.date(2024, 1, 1),
        uscc=make_uscc(90),
        planned_investment=Decimal("1"),
        fixed_asset_investment=Decimal("1"),
    )
    body = client_as("leader").get(f"/spaces/{space.pk}/").content.decode()
    assert project.name in body and "Registered (注册)" in body
    assert "2,500" in body or "2500" in body


def test_status_change_on_the_page_says_what_is_wrong(zone, users, client_as) -> None:
    space = make_space(zone, users["officer"], status="building", on=dt.date(2023, 1, 1))
    client = client_as("officer")
    response = client.post(
        f"/spaces/{space.pk}/status/",
        {"status": "built", "on": "2022-12-31", "version": space.version},
        follow=True,
    )
    assert "before 2023-01-01" in response.content.decode()
    space.refresh_from_db()
    assert space.status == "building"
