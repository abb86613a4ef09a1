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
            # Every project here rents floor area: the space path's board holds them all.
            assert count == registry.get(f"projects.space.current.{stage}").value(scope)
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


def test_board_shows_one_path_at_a_time_and_opens_one_column(
    zone, users, client_as, industry, django_assert_max_num_queries
) -> None:
    for stage, carrier in [
        ("fitting_out", "space"),
        ("fitting_out", "space"),
        ("registered", "space"),
        ("registered", "land"),
        ("land_acquired", "land"),
        ("construction", "land"),
    ]:
        ProjectFactory(
            zone=zone,
            industry=industry,
            officer=users["officer"],
            carrier=carrier,
            stage=stage,
            stage_on=dt.date(2023, 3, 1),
        )
    client = client_as("leader")
    with django_assert_max_num_queries(25):
        space = client.get("/projects/board/")
    columns = space.context["columns"]
    assert [c["stage"] for c in columns] == [
        "planned",
        "negotiating",
        "signed",
        "registered",
        "fitting_out",
        "in_production",
        "full_capacity",
        "terminated",
    ]
    counts = {c["stage"]: c["count"] for c in columns}
    assert (counts["fitting_out"], counts["registered"]) == (2, 1)
    page = space.content.decode()
    assert 'href="?path=land"' in page and 'aria-current="page"' in page
    # The first column with projects opens on a phone until another is tapped.
    assert space.context["open_stage"] == "registered"
    with django_assert_max_num_queries(25):
        land = client.get("/projects/board/", {"path": "land", "stage": "construction"})
    columns = land.context["columns"]
    assert [c["stage"] for c in columns] == [
        "planned",
        "negotiating",
        "signed",
        "registered",
        "land_acquired",
        "construction",
        "completed",
        "in_production",
        "full_capacity",
        "terminated",
    ]
    counts = {c["stage"]: c["count"] for c in columns}
    assert (counts["registered"], counts["land_acquired"], counts["construction"]) == (1, 1, 1)
    assert land.context["open_stage"] == "construction"
    page = land.content.decode()
    assert 'id="col-construction" class="board-column is-open"' in page
    assert "path=land&amp;stage=completed#col-completed" in page  # the strip keeps the path
    # Each count is the path's figure of that name.
    scope = MetricScope.of([zone.pk], None)
    for column in columns:
        assert column["metric"].key == f"projects.land.current.{column['stage']}"
        assert column["count"] == column["metric"].value(scope)
    # The day asked for stays with the switch, and the scope form keeps the path.
    dated = client.get("/projects/board/", {"path": "land", "as_of": "2023-06-30"})
    page = dated.content.decode()
    assert 'href="?as_of=2023-06-30&amp;path=space"' in page
    assert '<input type="hidden" name="path" value="land">' in page


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


def _field_names(response) -> list[str]:
    return [f.name for f in response.context["form"].stage_fields()]


def test_stage_change_form_shows_only_the_target_stages_fields_in_order(
    zone, users, client_as, industry
) -> None:
    land = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=users["officer"],
        carrier="land",
        stage="negotiating",
        enterprise=None,
    )
    client = client_as("officer")
    url = f"/projects/{land.pk}/stage/"
    # The next stage is offered first, with its own fields only.
    signed = client.get(url)
    assert signed.context["form"].target == "signed"
    assert _field_names(signed) == ["planned_investment", "fixed_asset_investment", "note"]
    # A land project is never offered the space path's 装修.
    choices = [key for key, _label in signed.context["form"].fields["to_stage"].choices]
    assert "fitting_out" not in choices and "land_acquired" in choices
    # Skipping to 拿地 asks for what every stage passed over asks, in the path's order.
    assert _field_names(client.get(url, {"to_stage": "land_acquired"})) == [
        "planned_investment",
        "fixed_asset_investment",
        "uscc",
        "company_name",
        "land_parcel_code",
        "land_area",
        "land_contract_on",
        "note",
    ]
    assert _field_names(client.get(url, {"to_stage": "terminated"})) == ["note"]
    # Without JavaScript the form posts the chosen stage back to show its fields: nothing moves.
    shown = client.post(url, {"to_stage": "registered", "on": "2024-02-01", "show": "1"})
    assert shown.status_code == 200
    assert _field_names(shown) == [
        "planned_investment",
        "fixed_asset_investment",
        "uscc",
        "company_name",
        "note",
    ]
    assert 'name="land_area"' not in shown.content.decode()
    land.refresh_from_db()
    assert land.stage == "negotiating"
    space = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=users["officer"],
        carrier="space",
        stage="registered",
    )
    fitting = client.get(f"/projects/{space.pk}/stage/")
    assert fitting.context["form"].target == "fitting_out"
    assert _field_names(fitting) == ["space", "floor_area", "note"]
    choices = [key for key, _label in fitting.context["form"].fields["to_stage"].choices]
    assert "land_acquired" not in choices
    # The blocker form's stage list follows the project's path too.
    stages = client.get(f"/blockers/new/{space.pk}/").context["form"].fields["stage"].choices
    assert "fitting_out" in [k for k, _label in stages]
    assert "land_acquired" not in [k for k, _label in stages]


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
