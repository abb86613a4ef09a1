"""The rules of a project's life: gated stages, dated changes, reasons, concurrency, and a lead
becoming a project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gaoxin.core.errors import DomainError
from gaoxin.enterprises.models import Enterprise
from gaoxin.investment.models import LeadStatus
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageChange
from gaoxin.projects.stages import Stage
from tests.factories import (
    ChainSegmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    ProjectFactory,
    SpaceFactory,
    make_uscc,
)

TODAY = dt.date(2024, 6, 30)


@pytest.fixture(autouse=True)
def _english_and_a_fixed_today(settings, monkeypatch):
    settings.LANGUAGE_CODE = "en"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    with translation.override("en"):
        yield


@pytest.fixture
def officer(users):
    return users["officer"]


@pytest.fixture
def industry(zone):
    return IndustryFactory(zone=zone, name="储能")


def land_project(zone, by, industry, **kwargs):
    defaults = dict(
        zone=zone,
        by=by,
        name="晶圆级封装项目",
        investor_name="示范半导体集团",
        industry=industry,
        carrier="land",
        officer=by,
        stage_on=dt.date(2024, 1, 10),
    )
    return services.project_create(**{**defaults, **kwargs})


def advance(project, by, to, on, **kwargs):
    project.refresh_from_db()
    return services.project_advance(
        project=project, by=by, to_stage=to, on=on, version=project.version, **kwargs
    )


def test_a_new_project_starts_planned_with_one_dated_change(zone, officer, industry):
    project = land_project(zone, officer, industry)
    assert project.stage == Stage.PLANNED
    change = project.stage_changes.get()
    assert (change.to_stage, change.kind, change.on, change.by) == (
        Stage.PLANNED,
        "start",
        dt.date(2024, 1, 10),
        officer,
    )
    assert project.history.first().history_user == officer


def test_signing_needs_the_investment_figures(zone, officer, industry):
    project = land_project(zone, officer, industry)
    advance(project, officer, Stage.NEGOTIATING, dt.date(2024, 2, 1))
    with pytest.raises(DomainError, match="planned total investment"):
        advance(project, officer, Stage.SIGNED, dt.date(2024, 3, 1))
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_changes.count() == 2
    # The evidence may come with the change itself.
    advance(
        project,
        officer,
        Stage.SIGNED,
        dt.date(2024, 3, 1),
        planned_investment=Decimal("500000000"),
        fixed_asset_investment=Decimal("300000000"),
    )
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert project.fixed_asset_investment == Decimal("300000000")


def test_registering_links_or_creates_the_registry_enterprise(zone, officer, industry):
    project = ProjectFactory(zone=zone, industry=industry, officer=officer, stage="signed")
    before = Enterprise.objects.count()
    with pytest.raises(DomainError, match="unified social credit code"):
        advance(project, officer, Stage.REGISTERED, dt.date(2024, 3, 5))
    with pytest.raises(DomainError):
        advance(project, officer, Stage.REGISTERED, dt.date(2024, 3, 5), uscc="91440400ABC")
    assert Enterprise.objects.count() == before
    advance(
        project,
        officer,
        Stage.REGISTERED,
        dt.date(2024, 3, 5),
        uscc=make_uscc(7).lower(),
        company_name="珠海示范半导体有限公司",
    )
    project.refresh_from_db()
    enterprise = project.enterprise
    assert (enterprise.uscc, enterprise.name, enterprise.settled_on) == (
        make_uscc(7),
        "珠海示范半导体有限公司",
        dt.date(2024, 3, 5),
    )
    assert list(enterprise.industries.all()) == [industry]
    # A second project of the same company links the same enterprise.
    other = ProjectFactory(zone=zone, industry=industry, officer=officer, stage="signed")
    advance(other, officer, Stage.REGISTERED, dt.date(2024, 3, 6), uscc=make_uscc(7))
    other.refresh_from_db()
    assert other.enterprise == enterprise
    assert Enterprise.objects.count() == before + 1


def test_skipping_moving_back_and_terminating_need_a_reason(zone, officer, industry):
    project = ProjectFactory(zone=zone, industry=industry, officer=officer, stage="planned")
    with pytest.raises(DomainError, match="needs a reason"):
        advance(project, officer, Stage.SIGNED, dt.date(2024, 3, 2))
    advance(project, officer, Stage.SIGNED, dt.date(2024, 3, 2), note="洽谈在外地完成")
    assert project.stage_changes.latest("pk").kind == "skip"
    with pytest.raises(DomainError, match="needs a reason"):
        advance(project, officer, Stage.NEGOTIATING, dt.date(2024, 3, 3))
    advance(project, officer, Stage.NEGOTIATING, dt.date(2024, 3, 3), note="合同条款重谈")
    assert project.stage_changes.latest("pk").kind == "back"
    with pytest.raises(DomainError, match="terminated"):
        advance(project, officer, Stage.TERMINATED, dt.date(2024, 3, 4))
    advance(project, officer, Stage.TERMINATED, dt.date(2024, 3, 4), note="投资方战略调整")
    project.refresh_from_db()
    assert project.stage == Stage.TERMINATED
    assert project.stage_changes.latest("pk").kind == "terminate"


def test_dates_are_never_in_the_future_nor_before_the_previous_stage(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="planned", stage_on=TODAY
    )
    with pytest.raises(DomainError, match="future"):
        advance(project, officer, Stage.NEGOTIATING, TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="before 2024-06-30"):
        advance(project, officer, Stage.NEGOTIATING, TODAY - dt.timedelta(days=1))
    advance(project, officer, Stage.NEGOTIATING, TODAY)
    assert project.stage_changes.count() == 2


def test_a_stage_off_the_projects_path_is_refused(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="registered", carrier="land"
    )
    with pytest.raises(DomainError, match="not a stage of a"):
        advance(project, officer, Stage.FITTING_OUT, dt.date(2024, 4, 1), note="x")


def test_land_acquired_needs_parcel_area_and_contract(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="registered", carrier="land"
    )
    with pytest.raises(DomainError) as refused:
        advance(project, officer, Stage.LAND_ACQUIRED, dt.date(2024, 4, 1))
    for word in ("parcel code", "land area", "land contract"):
        assert word in refused.value.message
    with pytest.raises(DomainError, match="land contract is dated after"):
        advance(
            project,
            officer,
            Stage.LAND_ACQUIRED,
            dt.date(2024, 4, 1),
            land_parcel_code="ZH-2024-07",
            land_area=Decimal("52000"),
            land_contract_on=dt.date(2024, 4, 2),
        )
    advance(
        project,
        officer,
        Stage.LAND_ACQUIRED,
        dt.date(2024, 4, 1),
        land_parcel_code="ZH-2024-07",
        land_area=Decimal("52000"),
        land_contract_on=dt.date(2024, 3, 28),
    )
    project.refresh_from_db()
    assert project.land_parcel_code == "ZH-2024-07"


def test_land_to_construction_days_counts_from_land_acquired(zone, officer, industry):
    same_day = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="land_acquired",
        carrier="land",
        stage_on=dt.date(2023, 8, 1),
    )
    # The factory's start change is into 拿地 on that day: 拿地即开工.
    advance(same_day, officer, Stage.CONSTRUCTION, dt.date(2023, 8, 1))
    same_day.refresh_from_db()
    assert same_day.land_to_construction_days == 0
    later = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        stage="land_acquired",
        carrier="land",
        stage_on=dt.date(2023, 8, 1),
    )
    advance(later, officer, Stage.CONSTRUCTION, dt.date(2023, 10, 15))
    later.refresh_from_db()
    assert later.land_to_construction_days == 75
    advance(later, officer, Stage.LAND_ACQUIRED, dt.date(2023, 10, 16), note="施工许可被撤回")
    later.refresh_from_db()
    assert later.land_to_construction_days is None


def test_fitting_out_needs_a_space_with_room(zone, officer, industry):
    space = SpaceFactory(zone=zone, total_floor_area=10000)
    ProjectFactory(
        zone=zone, industry=industry, officer=officer, space=space, floor_area=Decimal("8000")
    )
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="registered", carrier="space"
    )
    project.enterprise = EnterpriseFactory(zone=zone)
    project.save()
    with pytest.raises(DomainError, match="装修 needs the industrial space"):
        advance(project, officer, Stage.FITTING_OUT, dt.date(2024, 4, 1))
    with pytest.raises(DomainError, match=r"would then occupy 10,?500 m²"):
        advance(
            project,
            officer,
            Stage.FITTING_OUT,
            dt.date(2024, 4, 1),
            space=space,
            floor_area=Decimal("2500"),
        )
    advance(
        project,
        officer,
        Stage.FITTING_OUT,
        dt.date(2024, 4, 1),
        space=space,
        floor_area=Decimal("2000"),
    )
    project.refresh_from_db()
    assert (project.stage, project.space, project.floor_area) == (
        Stage.FITTING_OUT,
        space,
        Decimal("2000"),
    )


def test_a_stale_form_is_refused_with_who_and_when(zone, officer, industry, users):
    project = ProjectFactory(zone=zone, industry=industry, officer=officer)
    opened_at = project.version
    services.project_update(
        project=project, by=users["admin"], version=opened_at, name="改名后的项目"
    )
    with pytest.raises(DomainError) as refused:
        services.project_update(
            project=project, by=officer, version=opened_at, expected_annual_tax=Decimal("1")
        )
    assert "changed by" in refused.value.message
    assert users["admin"].username in refused.value.message or users["admin"].name in (
        refused.value.message
    )
    project.refresh_from_db()
    assert project.name == "改名后的项目"
    assert project.expected_annual_tax is None
    with pytest.raises(DomainError, match="changed by"):
        services.project_advance(
            project=project,
            by=officer,
            to_stage=Stage.REGISTERED,
            on=TODAY,
            version=opened_at,
            uscc=make_uscc(3),
        )


def test_the_carrier_is_fixed_once_a_carrier_stage_is_reached(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="construction", carrier="land"
    )
    with pytest.raises(DomainError, match="carrier cannot change"):
        services.project_update(
            project=project, by=officer, version=project.version, carrier="space"
        )
    early = ProjectFactory(zone=zone, industry=industry, officer=officer, carrier="land")
    services.project_update(project=early, by=officer, version=early.version, carrier="space")
    early.refresh_from_db()
    assert early.carrier == "space"


def test_land_fields_on_a_space_project_are_refused(zone, officer, industry):
    with pytest.raises(DomainError, match="clear the land fields"):
        services.project_create(
            zone=zone,
            by=officer,
            name="错配项目",
            investor_name="某集团",
            industry=industry,
            carrier="space",
            officer=officer,
            land_parcel_code="ZH-1",
        )
    assert not Project.objects.exists()


def test_starting_late_in_the_pipeline_needs_that_stages_evidence(zone, officer, industry):
    with pytest.raises(DomainError):
        services.project_create(
            zone=zone,
            by=officer,
            name="在建项目",
            investor_name="某集团",
            industry=industry,
            carrier="space",
            officer=officer,
            stage=Stage.REGISTERED,
            planned_investment=Decimal("1"),
            fixed_asset_investment=Decimal("1"),
        )
    assert not Project.objects.exists()
    project = services.project_create(
        zone=zone,
        by=officer,
        name="在建项目",
        investor_name="某集团",
        industry=industry,
        carrier="space",
        officer=officer,
        stage=Stage.REGISTERED,
        stage_on=dt.date(2023, 5, 1),
        uscc=make_uscc(11),
        planned_investment=Decimal("1"),
        fixed_asset_investment=Decimal("1"),
    )
    assert project.stage_changes.get().to_stage == Stage.REGISTERED
    assert project.enterprise.uscc == make_uscc(11)


def test_a_signed_lead_becomes_a_project_in_one_step(zone, officer, industry):
    segment = ChainSegmentFactory(industry=industry, name="储能电池")
    lead = LeadFactory(
        zone=zone,
        officer=officer,
        industry=industry,
        segment=segment,
        company_name="远方储能股份有限公司",
        uscc=make_uscc(21),
        expected_investment=Decimal("800000000"),
        status=LeadStatus.NEGOTIATING,
    )
    project = services.project_create_from_lead(
        lead=lead,
        by=officer,
        signed_on=dt.date(2024, 5, 20),
        name="远方储能电池项目",
        carrier="space",
        fixed_asset_investment=Decimal("500000000"),
    )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNED
    assert project.lead == lead
    assert (project.investor_name, project.industry, project.segment, project.officer) == (
        "远方储能股份有限公司",
        industry,
        segment,
        officer,
    )
    assert project.planned_investment == Decimal("800000000")
    assert project.stage == Stage.SIGNED and project.stage_on == dt.date(2024, 5, 20)
    # The target company is not put into the zone's registry: that happens at 注册.
    assert project.enterprise is None
    assert not Enterprise.objects.filter(uscc=make_uscc(21)).exists()
    with pytest.raises(DomainError, match="already become a project"):
        services.project_create_from_lead(
            lead=lead,
            by=officer,
            signed_on=dt.date(2024, 5, 20),
            name="重复",
            carrier="space",
            fixed_asset_investment=Decimal("1"),
        )
    assert Project.objects.count() == 1


def test_a_refused_lead_signing_writes_nothing(zone, officer, industry):
    lead = LeadFactory(zone=zone, officer=officer, industry=industry)
    with pytest.raises(DomainError, match="fixed-asset investment"):
        services.project_create_from_lead(
            lead=lead,
            by=officer,
            signed_on=dt.date(2024, 5, 20),
            name="缺少投资额",
            carrier="land",
            planned_investment=Decimal("10"),
        )
    lead.refresh_from_db()
    assert lead.status == LeadStatus.NEW
    assert not Project.objects.exists()
    assert not StageChange.objects.exists()


def test_the_serving_officer_must_be_an_officer_of_the_zone(zone, officer, industry, users):
    with pytest.raises(DomainError, match="serving officer"):
        land_project(zone, officer, industry, officer=users["outsider"])
    with pytest.raises(DomainError, match="serving officer"):
        land_project(zone, officer, industry, officer=users["leader"])
    assert not Project.objects.exists()


def test_a_lead_of_a_registry_enterprise_links_it(zone, officer, industry):
    local = EnterpriseFactory(zone=zone, uscc=make_uscc(31))
    lead = LeadFactory(zone=zone, officer=officer, industry=industry, uscc=make_uscc(31))
    project = services.project_create_from_lead(
        lead=lead,
        by=officer,
        signed_on=dt.date(2024, 5, 20),
        name="增资扩产项目",
        carrier="space",
        planned_investment=Decimal("1"),
        fixed_asset_investment=Decimal("1"),
    )
    assert project.enterprise == local


def test_a_write_without_the_forms_version_is_refused(zone, officer, industry):
    project = ProjectFactory(zone=zone, industry=industry, officer=officer)
    with pytest.raises(DomainError, match="missing its version"):
        services.project_update(project=project, by=officer, version=None, name="x")
    project.refresh_from_db()
    assert project.name != "x"


def test_evidence_of_passed_stages_cannot_be_cleared(zone, officer, industry):
    project = ProjectFactory(zone=zone, industry=industry, officer=officer, stage="signed")
    with pytest.raises(DomainError, match="fixed-asset investment"):
        services.project_update(
            project=project, by=officer, version=project.version, fixed_asset_investment=None
        )
    project.refresh_from_db()
    assert project.fixed_asset_investment is not None


def test_a_terminated_project_reopens_where_it_stopped(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="negotiating", carrier="land"
    )
    advance(project, officer, Stage.TERMINATED, dt.date(2024, 2, 1), note="投资方撤回")
    with pytest.raises(DomainError, match="reopens at"):
        advance(project, officer, Stage.FULL_CAPACITY, dt.date(2024, 3, 1), note="恢复")
    advance(project, officer, Stage.NEGOTIATING, dt.date(2024, 3, 1), note="投资方重新洽谈")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    # From there the evidence rules apply again.
    project.planned_investment = None
    project.save()
    with pytest.raises(DomainError, match="planned total investment"):
        advance(project, officer, Stage.SIGNED, dt.date(2024, 3, 2))


def test_the_carrier_is_fixed_once_past_registered_even_if_moved_back(zone, officer, industry):
    project = ProjectFactory(
        zone=zone, industry=industry, officer=officer, stage="fitting_out", carrier="space"
    )
    advance(project, officer, Stage.SIGNED, dt.date(2024, 3, 2), note="装修方案推倒重来")
    project.refresh_from_db()
    with pytest.raises(DomainError, match="carrier cannot change"):
        services.project_update(
            project=project, by=officer, version=project.version, carrier="land"
        )


def test_terminating_closes_the_open_blockers(zone, officer, industry, users):
    from gaoxin.projects.models import Blocker
    from gaoxin.projects.work.blockers import services as work_services

    project = ProjectFactory(zone=zone, industry=industry, officer=officer, stage="registered")
    blocker = work_services.blocker_create(
        project=project,
        by=officer,
        description="用电接入",
        department=users["department"].department,
        raised_on=dt.date(2024, 3, 1),
        due_on=dt.date(2024, 4, 1),
    )
    advance(project, officer, Stage.TERMINATED, dt.date(2024, 5, 1), note="企业破产")
    blocker = Blocker.objects.get(pk=blocker.pk)
    assert blocker.status == "unresolvable"
    assert blocker.closed_on == dt.date(2024, 5, 1)
    assert "企业破产" in blocker.resolution
    assert blocker.history.first().history_user == officer


def test_a_land_project_walks_to_full_capacity_with_its_work(zone, officer, industry, users):
    """签约 to 达产 on the land path, approvals in parallel and a blocker on the way: every
    change dated, in the history, and in the figures as of each day."""
    from gaoxin.core.metrics import MetricScope, registry
    from gaoxin.projects.models import Approval, ApprovalTemplate, ApprovalTemplateItem
    from gaoxin.projects.work.approvals import services as approval_services
    from gaoxin.projects.work.blockers import services as blocker_services

    department = users["department"].department
    template = ApprovalTemplate.objects.create(zone=zone, name="工业用地")
    for order, name in enumerate(["用地预审", "建设工程规划许可证", "施工许可证"]):
        ApprovalTemplateItem.objects.create(
            template=template, name=name, department=department, order=order
        )
    project = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        carrier="land",
        stage="signed",
        stage_on=dt.date(2023, 1, 5),
    )
    advance(project, officer, Stage.REGISTERED, dt.date(2023, 1, 20), uscc=make_uscc(55))
    approval_services.approvals_create_from_template(
        project=project, template=template, by=officer, started_on=dt.date(2023, 2, 1)
    )
    for approval in Approval.objects.filter(project=project):
        approval_services.approval_update(
            approval=approval,
            by=users["department"],
            status="done",
            started_on=dt.date(2023, 2, 1),
            done_on=dt.date(2023, 3, 10),
        )
    blocker = blocker_services.blocker_create(
        project=project,
        by=officer,
        description="地块周边道路未通",
        department=department,
        raised_on=dt.date(2023, 3, 1),
        due_on=dt.date(2023, 3, 20),
    )
    blocker_services.blocker_update_status(
        blocker=blocker,
        by=users["department"],
        status="resolved",
        resolution="道路已通车",
        on=dt.date(2023, 3, 18),
    )
    advance(
        project,
        officer,
        Stage.LAND_ACQUIRED,
        dt.date(2023, 3, 15),
        land_parcel_code="ZH-2023-05",
        land_area=Decimal("40000"),
        land_contract_on=dt.date(2023, 3, 15),
    )
    advance(project, officer, Stage.CONSTRUCTION, dt.date(2023, 3, 25))
    advance(project, officer, Stage.COMPLETED, dt.date(2024, 1, 30))
    advance(project, officer, Stage.IN_PRODUCTION, dt.date(2024, 3, 1))
    advance(project, officer, Stage.FULL_CAPACITY, dt.date(2024, 6, 1))
    project.refresh_from_db()
    assert project.stage == Stage.FULL_CAPACITY
    assert project.land_to_construction_days == 10
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == [
        "signed",
        "registered",
        "land_acquired",
        "construction",
        "completed",
        "in_production",
        "full_capacity",
    ]
    assert project.history.count() == 1 + 6  # created, then one row per stage change
    assert {a.days_taken for a in Approval.objects.filter(project=project)} == {37}

    def figure(key: str, day: dt.date):
        return registry.get(key).value(MetricScope.of([zone.pk], day))

    assert figure("projects.current.construction", dt.date(2023, 12, 31)) == 1
    assert figure("projects.reached.in_production", dt.date(2023, 12, 31)) == 0
    assert figure("projects.reached.in_production", dt.date(2024, 3, 1)) == 1
    assert figure("projects.current.full_capacity", dt.date(2024, 6, 30)) == 1
    assert figure("blockers.open", dt.date(2023, 3, 10)) == 1
    assert figure("blockers.open", dt.date(2023, 3, 18)) == 0
