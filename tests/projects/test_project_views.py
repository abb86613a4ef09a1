"""The project pages as an officer, a leader and a department user use them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.investment.models import LeadStatus
from gaoxin.projects import services
from gaoxin.projects.models import Project
from gaoxin.projects.stages import BOARD_ORDER, Stage
from tests.factories import IndustryFactory, LeadFactory, ProjectFactory, make_uscc


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def industry(zone):
    return IndustryFactory(zone=zone, name="传感器")


def many_projects(zone, industry, officer, n=40):
    stages = [s for s in BOARD_ORDER if s not in ("land_acquired", "construction", "completed")]
    return [
        ProjectFactory(
            zone=zone,
            industry=industry,
            officer=officer,
            stage=stages[i % len(stages)],
            stage_on=dt.date(2023, 1, 1) + dt.timedelta(days=i),
            expected_above_scale=i % 3 == 0,
        )
        for i in range(n)
    ]


def test_list_filters_and_bounded_queries(
    zone, users, client_as, industry, django_assert_max_num_queries
) -> None:
    many_projects(zone, industry, users["officer"])
    land = ProjectFactory(
        zone=zone, industry=IndustryFactory(zone=zone), officer=users["admin"], carrier="land"
    )
    client = client_as("leader")
    # Session, user, zones, the pickers' choices, the page, the count, overdue flags.
    with django_assert_max_num_queries(14):
        response = client.get("/projects/", {"sort": "-fai"})
    assert response.status_code == 200
    assert response.content.decode().count('<td class="name">') == 41
    body = client.get("/projects/", {"carrier": "land"}).content.decode()
    assert land.name in body and body.count('<td class="name">') == 1
    body = client.get("/projects/", {"officer": users["admin"].pk}).content.decode()
    assert land.name in body
    body = client.get("/projects/", {"stage": "fitting_out"}).content.decode()
    assert (
        body.count('class="badge stage-fitting_out"')
        == Project.objects.filter(stage="fitting_out").count()
    )
    body = client.get("/projects/", {"above_scale": "1"}).content.decode()
    expected = Project.objects.filter(expected_above_scale=True).count()
    assert f"{expected} projects" in body


def test_list_pages_hold_fifty_rows(zone, users, client_as, industry) -> None:
    many_projects(zone, industry, users["officer"], n=55)
    body = client_as("officer").get("/projects/").content.decode()
    assert body.count('<td class="name">') == 50


def test_export_has_the_filtered_projects(zone, users, client_as, industry) -> None:
    ProjectFactory(
        zone=zone,
        industry=industry,
        officer=users["officer"],
        name="导出项目",
        fixed_asset_investment=Decimal("123456789.00"),
    )
    ProjectFactory(zone=zone, industry=industry, officer=users["officer"], name="别的项目")
    response = client_as("officer").get("/projects/", {"q": "导出", "export": "xlsx"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[1][0] == "项目名称"
    assert rows[2][0] == "导出项目"
    assert rows[2][11] == 123456789
    assert len(rows) == 3


def test_board_counts_are_the_metrics_as_of_any_date(
    zone, users, client_as, industry, django_assert_max_num_queries
) -> None:
    projects = many_projects(zone, industry, users["officer"], n=24)
    # Move one on later, so the board of an earlier day differs from today's.
    first = projects[0]
    services.project_advance(
        project=first,
        by=users["officer"],
        to_stage=Stage.NEGOTIATING,
        on=dt.date(2023, 6, 1),
        version=first.version,
    )
    client = client_as("leader")
    for as_of in (dt.date(2023, 1, 10), dt.date(2023, 5, 31), dt.date(2023, 6, 1), None):
        query = {"as_of": as_of.isoformat()} if as_of else {}
        with django_assert_max_num_queries(25):
            response = client.get("/projects/board/", query)
        assert response.status_code == 200
        columns = {c["stage"]: c["count"] for c in response.context["columns"]}
        scope = MetricScope.of([zone.pk], as_of)
        for stage, count in columns.items():
            assert count == registry.get(f"projects.current.{stage}").value(scope), (as_of, stage)
        assert sum(columns.values()) == sum(
            1 for p in projects if p.stage_on <= (as_of or dt.date.today())
        )
    early = client.get("/projects/board/", {"as_of": "2023-05-31"}).context["columns"]
    late = client.get("/projects/board/", {"as_of": "2023-06-01"}).context["columns"]
    count = {c["stage"]: c["count"] for c in early}
    after = {c["stage"]: c["count"] for c in late}
    assert after["negotiating"] == count["negotiating"] + 1
    assert after["planned"] == count["planned"] - 1


def test_board_refuses_a_future_date(zone, client_as) -> None:
    response = client_as("leader").get("/projects/board/", {"as_of": "2999-01-01"})
    assert "future" in response.content.decode()


def test_detail_shows_path_timeline_and_bounded_queries(
    zone, users, client_as, industry, django_assert_max_num_queries
) -> None:
    project = ProjectFactory(
        zone=zone, industry=industry, officer=users["officer"], carrier="land", stage="signed"
    )
    client = client_as("officer")
    with django_assert_max_num_queries(30):
        response = client.get(f"/projects/{project.pk}/")
    body = response.content.decode()
    assert "Record a stage change" in body
    assert "Land acquired (拿地)" in body and "Fitting out (装修)" not in body
    assert "注册 needs the unified social credit code" in body
    leader_body = client_as("leader").get(f"/projects/{project.pk}/").content.decode()
    assert "Record a stage change" not in leader_body


def test_create_shows_what_is_wrong_and_writes_nothing(zone, users, client_as, industry) -> None:
    client = client_as("officer")
    response = client.post(
        "/projects/new/",
        {
            "name": "新项目",
            "investor_name": "某集团",
            "industry": industry.pk,
            "carrier": "space",
            "officer": users["officer"].pk,
            "stage": "registered",
            "stage_on": "2024-01-01",
            "planned_investment": "100",
            "fixed_asset_investment": "50",
        },
    )
    assert response.status_code == 200
    assert "注册 needs the unified social credit code" in response.content.decode()
    assert not Project.objects.exists()
    response = client.post(
        "/projects/new/",
        {
            "name": "新项目",
            "investor_name": "某集团",
            "industry": industry.pk,
            "carrier": "space",
            "officer": users["officer"].pk,
            "stage": "registered",
            "stage_on": "2024-01-01",
            "planned_investment": "100",
            "fixed_asset_investment": "50",
            "uscc": make_uscc(77),
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert project.enterprise.uscc == make_uscc(77)


def test_a_second_officers_stale_edit_is_refused_on_the_page(
    zone, users, client_as, industry
) -> None:
    project = ProjectFactory(zone=zone, industry=industry, officer=users["officer"])
    form = {
        "name": project.name,
        "investor_name": project.investor_name,
        "industry": industry.pk,
        "carrier": "space",
        "officer": users["officer"].pk,
        "planned_investment": "10000",  # 万元: 1亿
        "fixed_asset_investment": "5000",
        "version": project.version,
    }
    assert client_as("admin").post(f"/projects/{project.pk}/edit/", {**form, "name": "甲"})[
        "Location"
    ] == (f"/projects/{project.pk}/")
    response = client_as("officer").post(f"/projects/{project.pk}/edit/", {**form, "name": "乙"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "changed by" in body and "Reload the page" in body
    project.refresh_from_db()
    assert project.name == "甲"


def test_advance_page_asks_for_the_evidence_and_records_the_change(
    zone, users, client_as, industry
) -> None:
    project = ProjectFactory(
        zone=zone, industry=industry, officer=users["officer"], carrier="land", stage="registered"
    )
    project.enterprise = None
    client = client_as("officer")
    page = client.get(f"/projects/{project.pk}/stage/").content.decode()
    assert "拿地 needs the land parcel code" in page
    response = client.post(
        f"/projects/{project.pk}/stage/",
        {"version": project.version, "to_stage": "land_acquired", "on": "2024-02-01"},
    )
    assert response.status_code == 200
    assert "拿地 needs the land parcel code" in response.content.decode()
    response = client.post(
        f"/projects/{project.pk}/stage/",
        {
            "version": project.version,
            "to_stage": "land_acquired",
            "on": "2024-02-01",
            "land_parcel_code": "ZH-01",
            "land_area": "30000",
            "land_contract_on": "2024-01-20",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.stage_on) == (Stage.LAND_ACQUIRED, dt.date(2024, 2, 1))


def test_signing_a_lead_on_its_page(zone, users, client_as, industry) -> None:
    lead = LeadFactory(
        zone=zone,
        officer=users["officer"],
        industry=industry,
        company_name="远景传感股份有限公司",
        status=LeadStatus.NEGOTIATING,
    )
    client = client_as("officer")
    page = client.get(f"/projects/from-lead/{lead.pk}/")
    assert "远景传感股份有限公司" in page.content.decode()
    response = client.post(
        f"/projects/from-lead/{lead.pk}/",
        {
            "name": "远景传感器项目",
            "carrier": "space",
            "signed_on": "2024-03-01",
            "industry": industry.pk,
            "planned_investment": "2亿",
            "fixed_asset_investment": "12000",  # 万元
            "officer": users["officer"].pk,
        },
    )
    project = Project.objects.get()
    assert response["Location"] == f"/projects/{project.pk}/"
    assert project.planned_investment == 200_000_000
    assert project.fixed_asset_investment == 120_000_000
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNED and project.lead == lead
    # Coming back to the page goes to the project rather than signing twice.
    assert client.get(f"/projects/from-lead/{lead.pk}/")["Location"] == f"/projects/{project.pk}/"


def test_the_boards_links_open_their_records_in_bounded_queries(
    zone, users, client_as, industry, django_assert_max_num_queries
) -> None:
    many_projects(zone, industry, users["officer"], n=40)
    client = client_as("leader")
    for key in ("projects.current.signed", "projects.reached.planned"):
        with django_assert_max_num_queries(12):
            response = client.get(f"/metrics/{key}/")
        assert response.status_code == 200
        assert response.context["metric"].key == key
