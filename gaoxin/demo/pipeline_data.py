"""The demo zone's investment work: the approval checklist for land projects, a handful of
leads in every state, and land projects with their approvals, blockers and service records —
among them the article's "珠海12英寸晶圆级TSV立体集成项目", which acquired its land and started
construction on the same day (拿地即开工).

Everything is written through the services the pages use, dated in the past the way an officer
would have recorded it. The projects headed for the industrial spaces (the article's 126) are the
seed scenario's and arrive with the spaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.demo import clock
from gaoxin.demo.clock import SCENARIO_DAY, on
from gaoxin.demo.registry_data import demo_uscc
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.investment import services as leads
from gaoxin.investment.models import Lead, LeadContact, LeadSource, LeadStatus
from gaoxin.projects import services as projects
from gaoxin.projects.models import ApprovalStatus, ApprovalTemplate, ApprovalTemplateItem, Project
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.approvals.services import approval_update, approvals_create_from_template
from gaoxin.projects.work.service_records.services import service_record_create

# The scenario's present (the article's day): recent work is written relative to it, in the
# scenario's calendar, and the loader maps it onto the load day (gaoxin/demo/clock.py).
DEMO_DAY = SCENARIO_DAY

YI = Decimal("100000000")  # 1亿元
WAN = Decimal("10000")  # 1万元

TEMPLATE_NAME = "工业用地项目审批事项"
# (approval, department, expected days)
CHECKLIST = [
    ("用地预审", "自然资源局", 20),
    ("带方案出让/土地出让", "自然资源局", 30),
    ("预审查", "住房和城乡建设局", 10),
    ("建设用地规划许可证", "自然资源局", 10),
    ("建设工程规划许可证", "自然资源局", 15),
    ("施工许可证", "住房和城乡建设局", 10),
    ("环评批复", "生态环境局", 30),
]


def load(zone: Zone, officer: User) -> None:
    if Project.objects.filter(zone=zone).exists():
        return  # loaded before: the scenario is idempotent
    departments = {d.name: d for d in Department.objects.filter(zone=zone)}
    template = _template(zone, departments)
    industries = {i.name: i for i in Industry.objects.filter(zone=zone)}
    _leads(zone, officer, industries)
    _tsv_project(zone, officer, industries["集成电路"], template, departments)
    _medical_park(zone, officer, industries["医疗器械"], template, departments)
    _storage_plant(zone, officer, industries["储能"])


def _template(zone: Zone, departments: dict[str, Department]) -> ApprovalTemplate:
    template, created = ApprovalTemplate.objects.get_or_create(zone=zone, name=TEMPLATE_NAME)
    if created:
        for order, (name, department, days) in enumerate(CHECKLIST):
            ApprovalTemplateItem.objects.create(
                template=template,
                name=name,
                department=departments[department],
                expected_days=days,
                order=order,
            )
    return template


def _segment(industry: Industry, name: str) -> ChainSegment:
    return industry.segments.get(name=name)


def _lead(zone: Zone, officer: User, industry: Industry, segment: str, **fields: Any) -> Lead:
    """A lead the demo officer follows, aimed at the named segment of `industry`."""
    return leads.lead_create(
        zone=zone,
        by=officer,
        officer=officer,
        industry=industry,
        segment=_segment(industry, segment),
        **fields,
    )


def _leads(zone: Zone, officer: User, industries: dict[str, Industry]) -> None:
    today = clock.now().today
    storage = industries["储能"]
    gap = _lead(
        zone,
        officer,
        storage,
        "锂资源",
        company_name="华东锂电材料股份有限公司",
        source=LeadSource.CHAIN_GAP,
        expected_investment=15 * YI,
        contact_person="周总",
        description="补链：本区锂资源环节缺失，目标企业拟在华南布局正极前驱体基地。",
    )
    leads.contact_add(
        lead=gap,
        by=officer,
        kind=LeadContact.Kind.VISIT,
        on=today - dt.timedelta(days=12),
        notes="登门拜访董事长，介绍储能产业联盟与土地供给情况。",
    )
    referral = _lead(
        zone,
        officer,
        industries["传感器"],
        "MEMS芯片设计",
        company_name="北方精密传感技术有限公司",
        source=LeadSource.REFERRAL,
        expected_investment=3 * YI,
        description="由本区传感器龙头企业引荐（以商招商）。",
        found_on=today - dt.timedelta(days=160),
    )
    for days, kind, notes in (
        (150, LeadContact.Kind.CALL, "电话联系，对方有意向考察。"),
        (120, LeadContact.Kind.INSPECTION, "来区考察5.0产业新空间与配套。"),
        (95, LeadContact.Kind.NEGOTIATION, "就厂房租金与设备补贴进行洽谈。"),
    ):
        leads.contact_add(
            lead=referral, by=officer, kind=kind, on=today - dt.timedelta(days=days), notes=notes
        )
    leads.lead_set_status(lead=referral, by=officer, status=LeadStatus.NEGOTIATING)
    fair = _lead(
        zone,
        officer,
        industries["医疗器械"],
        "医学影像设备",
        company_name="海川医疗影像科技有限公司",
        source=LeadSource.FAIR,
        expected_investment=2 * YI,
    )
    leads.contact_add(
        lead=fair,
        by=officer,
        kind=LeadContact.Kind.VISIT,
        on=today - dt.timedelta(days=30),
        notes="展会上结识，后续登门拜访。",
    )
    leads.lead_set_status(
        lead=fair, by=officer, status=LeadStatus.ABANDONED, reason="企业决定留在原址扩产"
    )


def _tsv_project(
    zone: Zone,
    officer: User,
    industry: Industry,
    template: ApprovalTemplate,
    departments: dict[str, Department],
) -> Project:
    project = _land_project(
        zone,
        officer,
        industry,
        name="珠海12英寸晶圆级TSV立体集成项目",
        investor_name="示范微电子集团有限公司",
        stage=Stage.NEGOTIATING,
        stage_on=on(dt.date(2022, 11, 8)),
        description="12英寸晶圆级硅通孔（TSV）三维集成产线。",
    )
    _advance(
        project,
        officer,
        Stage.SIGNED,
        on(dt.date(2023, 1, 16)),
        planned_investment=60 * YI,
        fixed_asset_investment=45 * YI,
    )
    _advance(
        project,
        officer,
        Stage.REGISTERED,
        on(dt.date(2023, 2, 20)),
        uscc=demo_uscc(880001),
        company_name="珠海示范晶圆集成有限公司",
    )
    approvals_create_from_template(
        project=project, template=template, by=officer, started_on=on(dt.date(2023, 3, 1))
    )
    for approval in project.approvals.all():
        approval_update(
            approval=approval,
            by=officer,
            status=ApprovalStatus.DONE,
            started_on=on(dt.date(2023, 3, 1)),
            done_on=on(dt.date(2023, 6, 16))
            if approval.name == "施工许可证"
            else on(dt.date(2023, 6, 2)),
        )
    # 拿地即开工: the land contract, the land and the construction permit on one day.
    _advance(
        project,
        officer,
        Stage.LAND_ACQUIRED,
        on(dt.date(2023, 6, 16)),
        land_parcel_code="ZHGX-2023-011",
        land_area=Decimal("86000"),
        land_contract_on=on(dt.date(2023, 6, 16)),
    )
    _advance(project, officer, Stage.CONSTRUCTION, on(dt.date(2023, 6, 16)))
    project.refresh_from_db()
    projects.project_update(
        project=project,
        by=officer,
        version=project.version,
        expected_annual_output=80 * YI,
        expected_annual_tax=4 * YI,
        expected_above_scale=True,
    )
    return project


def _medical_park(
    zone: Zone,
    officer: User,
    industry: Industry,
    template: ApprovalTemplate,
    departments: dict[str, Department],
) -> Project:
    today = clock.now().today
    registered_on = today - dt.timedelta(days=70)
    project = _land_project(
        zone,
        officer,
        industry,
        name="高端医疗器械产业园项目",
        investor_name="南粤医疗装备股份有限公司",
        segment=_segment(industry, "医学影像设备"),
        stage=Stage.SIGNED,
        stage_on=today - dt.timedelta(days=100),
        planned_investment=12 * YI,
        fixed_asset_investment=8 * YI,
        expected_annual_output=15 * YI,
        expected_annual_tax=6000 * WAN,
        expected_above_scale=True,
    )
    _advance(
        project,
        officer,
        Stage.REGISTERED,
        registered_on,
        uscc=demo_uscc(880002),
        company_name="珠海南粤医疗科技有限公司",
    )
    started = registered_on + dt.timedelta(days=5)
    approvals_create_from_template(
        project=project, template=template, by=officer, started_on=started
    )
    approvals = {a.name: a for a in project.approvals.all()}
    approval_update(
        approval=approvals["用地预审"],
        by=officer,
        status=ApprovalStatus.DONE,
        started_on=started,
        done_on=started + dt.timedelta(days=16),
    )
    approval_update(
        approval=approvals["带方案出让/土地出让"],
        by=officer,
        status=ApprovalStatus.IN_PROGRESS,
        started_on=started + dt.timedelta(days=16),
        due_on=started + dt.timedelta(days=46),
    )
    approval_update(
        approval=approvals["环评批复"],
        by=officer,
        status=ApprovalStatus.ACCEPTED_PENDING,
        started_on=started,
        due_on=today + dt.timedelta(days=5),  # due within the week; the owed papers are late
        owed_documents="环境影响报告表（公示稿）、排污许可申请材料",
        owed_due_on=today - dt.timedelta(days=3),
    )
    # The approvals not yet started are scheduled after the land: one due within the week.
    for name, days in (
        ("预审查", 3),
        ("建设用地规划许可证", 21),
        ("建设工程规划许可证", 36),
        ("施工许可证", 47),
    ):
        approval_update(
            approval=approvals[name],
            by=officer,
            status=ApprovalStatus.NOT_STARTED,
            due_on=today + dt.timedelta(days=days),
        )
    service_record_create(
        project=project,
        by=officer,
        kind="coordination",
        held_on=today - dt.timedelta(days=20),
        minutes="协调地块内高压线迁改与出让前置条件；明确各部门完成时限。",
        departments=[departments["自然资源局"], departments["住房和城乡建设局"]],
        enterprise_attendees="南粤医疗 基建部 刘经理",
        attendees=[officer],
        decisions=[
            {
                "description": "地块内110kV高压线迁改方案确认",
                "department": departments["自然资源局"],
                "owner": None,
                "due_on": today - dt.timedelta(days=5),
            },
            {
                "description": "临时施工用水用电接入",
                "department": departments["住房和城乡建设局"],
                "owner": None,
                "due_on": today + dt.timedelta(days=25),
            },
        ],
    )
    service_record_create(
        project=project,
        by=officer,
        kind="site_visit",
        held_on=today - dt.timedelta(days=8),
        minutes="实地查看地块现状，高压线迁改尚未启动。",
        attendees=[officer],
    )
    return project


def _storage_plant(zone: Zone, officer: User, industry: Industry) -> Project:
    today = clock.now().today
    return _land_project(
        zone,
        officer,
        industry,
        name="新型储能电池Pack生产基地项目",
        investor_name="华南储能系统集团",
        segment=_segment(industry, "系统集成"),
        stage=Stage.NEGOTIATING,
        stage_on=today - dt.timedelta(days=40),
        planned_investment=20 * YI,
    )


def _land_project(zone: Zone, officer: User, industry: Industry, **fields: Any) -> Project:
    """A project on land of the zone's, followed by the demo officer."""
    return projects.project_create(
        zone=zone, by=officer, industry=industry, carrier="land", officer=officer, **fields
    )


def _advance(project: Project, by: User, stage: str, on: dt.date, **evidence: Any) -> None:
    project.refresh_from_db()
    projects.project_advance(
        project=project, by=by, to_stage=stage, on=on, version=project.version, **evidence
    )
    project.refresh_from_db()
