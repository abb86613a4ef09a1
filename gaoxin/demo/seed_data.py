"""The seed scenario's figures (DESIGN.md, "The seed scenario"), reproduced through the services
the pages use, dated as an officer would have recorded them in 2022–2023:

- 12 industrial spaces: 8 在建 of 210万 m² and 4 已建成, 325万 m² in all;
- 126 projects headed for those spaces: 96 signed (签约), of them 65 registered (注册), 37 fitting
  out (装修) now and 12 in production (投产) — fixed-asset investment 32.48亿元, expected output
  57.33亿元 and 47 expected to become 规上 over the signed ones;
- the 2022 provincial 专精特新 campaign with 156 applicants, and the first reward batch paying 20
  enterprises just over 1400万元;
- the 《实体经济高质量发展行动计划》 with its 双倍增 targets, the 软信 recovery policy, and
  briefings with their attendees.

Every number comes out of these records through the metrics; nothing here is a figure to show.
Random choices use a fixed seed, so every load makes the same zone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.campaigns import award_services
from gaoxin.campaigns import services as campaign_services
from gaoxin.campaigns.models import ApplicationStatus, Campaign
from gaoxin.core.formatting import WAN
from gaoxin.demo import clock, cultivation_data, economy_data
from gaoxin.demo.clock import on
from gaoxin.demo.registry_data import PREFIXES, SUFFIX, WORDS, demo_uscc
from gaoxin.enterprises import services as registry
from gaoxin.enterprises.models import DesignationKind, DesignationLevel, Enterprise
from gaoxin.industries.models import Industry
from gaoxin.policies import services as policy_services
from gaoxin.policies.models import ActionPlan, PlanTarget
from gaoxin.projects import services as projects
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage
from gaoxin.projects.work.blockers.services import blocker_create, blocker_update_status
from gaoxin.projects.work.service_records.services import service_record_create
from gaoxin.spaces import services as spaces
from gaoxin.spaces.models import Space

CAMPAIGN_CODE = "2022-gd-zjtx"
BATCH_CODE = "2023-zjtx-1"

# name, developer, total floor area (m²), status, status since, planned completion
SPACES = [
    ("5.0产业新空间·科创园一期", "高新区建设投资集团", 262_000, "building", dt.date(2022, 3, 1)),
    ("5.0产业新空间·科创园二期", "高新区建设投资集团", 248_000, "building", dt.date(2022, 5, 1)),
    ("5.0产业新空间·智造港", "高新区建设投资集团", 305_000, "building", dt.date(2022, 4, 15)),
    ("5.0产业新空间·储能产业园", "珠海城建集团", 276_000, "building", dt.date(2022, 6, 1)),
    ("5.0产业新空间·医疗器械园", "珠海城建集团", 238_000, "building", dt.date(2022, 7, 1)),
    ("5.0产业新空间·软件园三期", "高新区建设投资集团", 254_000, "building", dt.date(2022, 8, 1)),
    ("5.0产业新空间·传感谷", "珠海格创产业投资公司", 281_000, "building", dt.date(2022, 9, 1)),
    ("5.0产业新空间·港湾创新园", "珠海格创产业投资公司", 236_000, "building", dt.date(2022, 10, 1)),
    ("南方软件园", "高新区建设投资集团", 420_000, "built", dt.date(2020, 6, 30)),
    ("清华科技园（珠海）", "珠海清华科技园创业投资公司", 230_000, "built", dt.date(2019, 12, 1)),
    ("金鼎工业园", "金鼎实业公司", 290_000, "built", dt.date(2021, 3, 1)),
    ("唐家湾智造园", "高新区建设投资集团", 210_000, "built", dt.date(2021, 9, 1)),
]

PROJECT_KINDS = [
    "研发及产业化",
    "生产基地",
    "区域总部",
    "智能工厂",
    "检测中心",
    "中试基地",
    "创新中心",
]
TENANTS = 126
SIGNED = 96
REGISTERED = 65  # of the signed
FITTING_OUT_NOW = 37  # of the registered
IN_PRODUCTION = 12  # of the registered (2 of them now at full capacity)
EXPECTED_ABOVE_SCALE = 47  # of the signed
FIXED_ASSET_INVESTMENT = Decimal("3248000000")  # 32.48亿元 over the signed
EXPECTED_OUTPUT = Decimal("5733000000")  # 57.33亿元 over the signed

APPLICANTS = 156
APPROVED = 61
REJECTED = 38
AWARDS_LITTLE_GIANT = 5  # 100万元 each
AWARDS_PROVINCIAL = 15  # 60.3万元 each: 1404.5万元 in all


def load(zone: Zone, officer: User) -> None:
    if Campaign.objects.filter(zone=zone, code=CAMPAIGN_CODE).exists():
        return  # loaded before: the scenario is idempotent
    rng = random.Random(20230630)
    industries = {i.name: i for i in Industry.objects.filter(zone=zone)}
    departments = {d.name: d for d in Department.objects.filter(zone=zone)}
    extra = _more_enterprises(zone, officer, industries, rng)
    built_spaces = _spaces(zone, officer)
    tenants = _tenant_projects(zone, officer, built_spaces, industries, rng)
    _tenant_work(tenants, officer, departments, rng)
    policies = _policies(zone, officer, rng)
    _campaign(zone, officer, policies["zjtx"], extra, rng)
    _awards(zone, officer, policies["zjtx"], rng)
    _renewal(zone, officer, policies["zjtx"])
    economy_data.load(zone, officer)
    cultivation_data.load(zone, officer)  # its 2021 figures count in the plan's baseline
    _action_plan(zone, officer, policies["plan"])


# --- the registry grows with the zone ----------------------------------------------------------


def _more_enterprises(
    zone: Zone, officer: User, industries: dict[str, Industry], rng: random.Random
) -> list[Enterprise]:
    """Enterprises that settled in 2019–2021, enough for a campaign of 156 applicants."""
    names = list(SUFFIX)
    created = []
    for n in range(120):
        industry = industries[names[n % len(names)]]
        serial = 5000 + n
        name = (
            f"{PREFIXES[(n * 3) % len(PREFIXES)]}{WORDS[(n * 7 + 3) % len(WORDS)]}"
            f"{SUFFIX[industry.name]}{n + 1}号有限公司"
        )
        created.append(
            registry.enterprise_create(
                zone=zone,
                by=officer,
                name=name,
                uscc=demo_uscc(serial),
                founded_on=dt.date(2010 + n % 10, 1 + n % 12, 1 + n % 27),  # not the zone's
                settled_on=on(dt.date(2019 + n % 3, 1 + n % 12, 15)),
                registered_capital=Decimal(rng.choice([500, 1000, 3000, 5000]) * 10_000),
                employees=rng.randint(30, 600),
                industries=[industry],
                segments=[rng.choice(list(industry.segments.all()))]
                if industry.segments.exists()
                else [],
            )
        )
    return created


# --- spaces and the projects headed for them ---------------------------------------------------


def _spaces(zone: Zone, officer: User) -> list[Space]:
    created: list[Space] = []
    for name, developer, area, status, since in SPACES:
        # Each reaches its status on `since`, from the one before: building two years earlier,
        # or planned a year earlier.
        before: dict[str, Any]
        if status == "built":
            before = {"status": "building", "status_on": on(since.replace(year=since.year - 2))}
        else:
            before = {
                "status": "planned",
                "status_on": on(since.replace(year=since.year - 1)),
                "planned_completion_on": on(dt.date(2024, 6 + len(created) % 6, 30)),
            }
        space = spaces.space_create(
            zone=zone,
            by=officer,
            name=name,
            developer=developer,
            total_floor_area=Decimal(area),
            address=f"珠海高新区{name[-4:]}",
            **before,
        )
        spaces.space_set_status(space=space, by=officer, status=status, on=on(since))
        space.refresh_from_db()
        created.append(space)
    return created


def _split(total: Decimal, count: int, rng: random.Random, unit: Decimal = WAN) -> list[Decimal]:
    """`count` amounts of whole `unit`s, spread unevenly, adding up to `total` exactly."""
    weights = [rng.uniform(0.35, 2.2) for _ in range(count)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale / unit).quantize(Decimal(1)) * unit for w in weights]
    amounts[-1] += total - sum(amounts)
    assert all(a > 0 for a in amounts) and sum(amounts) == total
    return amounts


def _day(start: dt.date, end: dt.date, rng: random.Random) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _tenant_projects(
    zone: Zone,
    officer: User,
    all_spaces: list[Space],
    industries: dict[str, Industry],
    rng: random.Random,
) -> list[Project]:
    key = [i for i in industries.values() if i.is_key]
    others = [i for i in industries.values() if not i.is_key]
    fai = _split(FIXED_ASSET_INVESTMENT, SIGNED, rng)
    output = _split(EXPECTED_OUTPUT, SIGNED, rng)
    above = set(rng.sample(range(SIGNED), EXPECTED_ABOVE_SCALE))
    # The signed, earliest first: the first 12 are in production now, the next 37 fitting out,
    # the next 16 registered, the last 31 signed only.
    sign_days = sorted(
        _day(on(dt.date(2022, 3, 1)), on(dt.date(2023, 4, 28)), rng) for _ in range(SIGNED)
    )
    created: list[Project] = []
    for n in range(TENANTS):
        industry = (key + key + others)[n % (2 * len(key) + len(others))]
        space = all_spaces[n % len(all_spaces)]
        short = industry.short_name or industry.name
        kind = PROJECT_KINDS[(n // len(WORDS)) % len(PROJECT_KINDS)]
        name = f"{WORDS[n % len(WORDS)]}{short}{kind}项目"
        investor = f"{PREFIXES[(n * 7) % len(PREFIXES)]}{WORDS[(n * 11 + 1) % len(WORDS)]}控股集团"
        # What every tenant project has; the prospects and the signed differ in the rest.
        particulars: dict[str, Any] = {
            "zone": zone,
            "by": officer,
            "name": name,
            "investor_name": investor,
            "industry": industry,
            "carrier": "space",
            "officer": officer,
            "space": space,
            "floor_area": Decimal(rng.randrange(3000, 24000, 100)),
        }
        if n >= SIGNED:  # prospects, still at 谋划 or 洽谈
            project = projects.project_create(
                **particulars,
                stage=Stage.PLANNED if n % 2 else Stage.NEGOTIATING,
                stage_on=_day(on(dt.date(2023, 1, 5)), on(dt.date(2023, 5, 31)), rng),
                planned_investment=Decimal(rng.randrange(5000, 60000, 500)) * WAN,
            )
            created.append(project)
            continue
        signed_on = sign_days[n]
        project = projects.project_create(
            **particulars,
            stage=Stage.NEGOTIATING,
            stage_on=signed_on - dt.timedelta(days=rng.randint(30, 120)),
            expected_annual_output=output[n],
            expected_above_scale=n in above,
        )
        day = signed_on
        _advance(
            project,
            officer,
            Stage.SIGNED,
            day,
            planned_investment=(fai[n] * Decimal(str(rng.uniform(1.15, 1.6))) / WAN).quantize(
                Decimal(1)
            )
            * WAN,
            fixed_asset_investment=fai[n],
        )
        if n < REGISTERED:
            day += dt.timedelta(days=rng.randint(15, 45))
            _advance(
                project,
                officer,
                Stage.REGISTERED,
                day,
                uscc=demo_uscc(600_000 + n),
                company_name=f"珠海{WORDS[(n * 5) % len(WORDS)]}{SUFFIX.get(industry.name, '科技')}"
                f"{n + 1}号有限公司",
            )
        if n < IN_PRODUCTION + FITTING_OUT_NOW:
            day += dt.timedelta(days=rng.randint(10, 40))
            _advance(project, officer, Stage.FITTING_OUT, day)
        if n < IN_PRODUCTION:
            day += dt.timedelta(days=rng.randint(90, 150))
            _advance(project, officer, Stage.IN_PRODUCTION, day)
            if n < 2:
                day += dt.timedelta(days=rng.randint(60, 90))
                _advance(project, officer, Stage.FULL_CAPACITY, day)
        project.refresh_from_db()
        created.append(project)
    return created


def _advance(project: Project, by: User, stage: str, on: dt.date, **evidence: Any) -> None:
    project.refresh_from_db()
    projects.project_advance(
        project=project, by=by, to_stage=stage, on=on, version=project.version, **evidence
    )
    project.refresh_from_db()


# The open blockers' due days, from the load day: overdue by days and by weeks, due within a
# week, on time.
OPEN_BLOCKER_DUE = (-6, -19, 4, 15)


def _tenant_work(
    tenants: list[Project], officer: User, departments: dict[str, Department], rng: random.Random
) -> None:
    """Blockers met while fitting out and coordination meetings that settled them; a few still
    open today, some of them overdue."""
    today = clock.now().today
    fitting = [p for p in tenants if p.stage == Stage.FITTING_OUT]
    problems = [
        ("消防设计审查意见未回复", "住房和城乡建设局"),
        ("厂房层高不满足设备安装要求", "科技产业局"),
        ("电力增容报装进度慢", "住房和城乡建设局"),
        ("环评批复前置材料不全", "生态环境局"),
        ("企业营业执照经营范围需变更", "市场监督管理局"),
        ("装修方案与园区统一规划冲突", "自然资源局"),
    ]
    for n, project in enumerate(fitting[:12]):
        description, department = problems[n % len(problems)]
        raised = project.stage_on + dt.timedelta(days=5)
        if n < 8:  # settled at a coordination meeting in 2023
            record = service_record_create(
                project=project,
                by=officer,
                kind="coordination",
                held_on=raised,
                minutes=f"协调{description}问题，明确责任部门与完成时限。",
                departments=[departments[department]],
                attendees=[officer],
                enterprise_attendees="企业负责人",
                decisions=[
                    {
                        "description": description,
                        "department": departments[department],
                        "owner": None,
                        "due_on": raised + dt.timedelta(days=20),
                    }
                ],
            )
            blocker = record.decisions.get()
            blocker_update_status(
                blocker=blocker,
                by=officer,
                status="resolved",
                resolution="已按协调会议定事项办结。",
                on=raised + dt.timedelta(days=rng.randint(7, 19)),
            )
        else:  # still open today: two past due (by days, by weeks), one due within a week
            blocker_create(
                project=project,
                by=officer,
                description=description,
                department=departments[department],
                raised_on=today - dt.timedelta(days=30 + 3 * (n - 8)),
                due_on=today + dt.timedelta(days=OPEN_BLOCKER_DUE[n - 8]),
            )
    for project in fitting[12:18]:
        service_record_create(
            project=project,
            by=officer,
            kind="site_visit",
            held_on=project.stage_on + dt.timedelta(days=10),
            minutes="实地查看装修进度，企业反映进展顺利。",
            attendees=[officer],
        )


# --- policy work -------------------------------------------------------------------------------


# The three policies, by the key the rest of the seed knows them by (created in this order).
POLICIES: dict[str, dict[str, Any]] = {
    "plan": {
        "title": "珠海高新区实体经济高质量发展行动计划（2022—2025年）",
        "document_no": "珠高〔2022〕15号",
        "issued_on": on(dt.date(2022, 3, 18)),
        "kind": "industry",
        "summary": "实施经济体量、企业数量“双倍增”，聚焦“3+3+1”产业体系。",
    },
    "recovery": {
        "title": "珠海高新区促进软件和信息服务业（互联网业）复苏发展若干措施",
        "document_no": "珠高管〔2022〕31号",
        "issued_on": on(dt.date(2022, 6, 10)),
        "kind": "relief",
        "summary": "房租补贴、稳岗奖励、上规奖励等措施支持软信及互联网企业复苏。",
    },
    "zjtx": {
        "title": "珠海高新区支持专精特新企业高质量发展若干措施",
        "document_no": "珠高管〔2022〕22号",
        "issued_on": on(dt.date(2022, 4, 20)),
        "kind": "innovation",
        "summary": "对新认定的国家级专精特新“小巨人”企业、省级专精特新中小企业给予奖励。",
    },
}


def _policies(zone: Zone, officer: User, rng: random.Random) -> dict[str, Any]:
    policies = {
        key: policy_services.policy_create(
            zone=zone, by=officer, issuer="珠海高新区管委会", **fields
        )
        for key, fields in POLICIES.items()
    }
    plan, recovery, zjtx = policies["plan"], policies["recovery"], policies["zjtx"]
    registry_enterprises = list(
        Enterprise.objects.filter(zone=zone, settled_on__lte=on(dt.date(2022, 4, 1))).order_by("pk")
    )
    for title, held_on, presented, place in (
        ("专精特新企业培育政策宣讲会", on(dt.date(2022, 5, 12)), [zjtx], "高新区创新创业中心"),
        (
            "软信及互联网企业复苏政策宣讲会",
            on(dt.date(2022, 6, 28)),
            [recovery],
            "南方软件园报告厅",
        ),
        ("实体经济高质量发展政策解读会", on(dt.date(2022, 4, 8)), [plan], "管委会多功能厅"),
    ):
        event = policy_services.event_create(
            zone=zone,
            by=officer,
            title=title,
            held_on=held_on,
            policies=presented,
            place=place,
        )
        for enterprise in rng.sample(registry_enterprises, 36):
            policy_services.attendance_add(
                event=event, enterprise=enterprise, by=officer, people=rng.randint(1, 3)
            )
    return policies


def _campaign(
    zone: Zone, officer: User, policy: Any, extra: list[Enterprise], rng: random.Random
) -> Campaign:
    campaign = campaign_services.campaign_create(
        zone=zone,
        by=officer,
        name="2022年广东省专精特新中小企业申报",
        code=CAMPAIGN_CODE,
        policy=policy,
        designation_kind=DesignationKind.SPECIALISED_SME,
        designation_level=DesignationLevel.PROVINCIAL,
        validity_years=3,
        opens_on=on(dt.date(2022, 5, 5)),
        closes_on=on(dt.date(2022, 6, 30)),
        eligibility="在广东省内工商注册登记、具有独立法人资格，从事特定细分市场时间达到2年以上的中小企业。",
    )
    candidates = list(
        Enterprise.objects.filter(zone=zone, settled_on__lte=on(dt.date(2022, 5, 1))).order_by("pk")
    )
    applicants = rng.sample(candidates, APPLICANTS)
    for n, enterprise in enumerate(applicants):
        started = _day(on(dt.date(2022, 5, 5)), on(dt.date(2022, 6, 10)), rng)
        application = campaign_services.application_start(
            campaign=campaign,
            enterprise=enterprise,
            by=officer,
            on=started,
            statement="企业深耕细分市场多年，研发投入占比超过3%，拥有发明专利。",
        )
        submitted = started + dt.timedelta(days=rng.randint(0, 14))
        campaign_services.application_submit(application=application, by=officer, on=submitted)
        _move(application, officer, ApplicationStatus.ZONE_REVIEW, on(dt.date(2022, 7, 8)))
        if n < APPROVED + REJECTED + 20:
            _move(application, officer, ApplicationStatus.RECOMMENDED, on(dt.date(2022, 7, 25)))
        if n < APPROVED:
            _move(application, officer, ApplicationStatus.APPROVED, on(dt.date(2022, 11, 30)))
        elif n < APPROVED + REJECTED:
            _move(
                application,
                officer,
                ApplicationStatus.REJECTED,
                on(dt.date(2022, 11, 30)),
                note="省级评审未通过：研发投入占比不足。",
            )
    return campaign


RENEWAL_CAMPAIGN_CODE = "2023-gd-cxzx-2"
RENEWAL_OPENS = dt.date(2023, 6, 1)  # in the scenario's calendar; scenario.loaded_on reads it


def _renewal(zone: Zone, officer: User, policy: Any) -> Campaign:
    """The demo login's enterprise holds a 创新型中小企业 designation that expires 50 days after
    the scenario's day, and the province's next evaluation is open now: its portal can say
    "your designation expires, apply here"."""
    from gaoxin.demo.scenario import DEMO_ENTERPRISE_USCC

    own = Enterprise.objects.get(zone=zone, uscc=DEMO_ENTERPRISE_USCC)
    registry.designation_create(
        enterprise=own,
        by=officer,
        kind=DesignationKind.INNOVATIVE_SME,
        level=DesignationLevel.PROVINCIAL,
        granted_on=on(dt.date(2020, 8, 10)),
        expires_on=on(dt.date(2023, 8, 9)),
        certificate_no=f"CXZX2020440{own.pk:05d}",
    )
    return campaign_services.campaign_create(
        zone=zone,
        by=officer,
        name="2023年广东省创新型中小企业评价（第二批）",
        code=RENEWAL_CAMPAIGN_CODE,
        policy=policy,
        designation_kind=DesignationKind.INNOVATIVE_SME,
        designation_level=DesignationLevel.PROVINCIAL,
        validity_years=3,
        opens_on=on(RENEWAL_OPENS),
        closes_on=on(dt.date(2023, 7, 31)),
        eligibility="在广东省内依法设立、具有独立法人资格的中小企业，创新能力评价得分达到60分以上。",
    )


def _move(application: Any, by: User, status: str, on: dt.date, note: str = "") -> None:
    application.refresh_from_db()
    campaign_services.application_move(
        application=application, by=by, to_status=status, on=on, note=note
    )


def _awards(zone: Zone, officer: User, policy: Any, rng: random.Random) -> None:
    batch = award_services.award_batch_create(
        zone=zone,
        by=officer,
        name="第一批国家级专精特新“小巨人”企业和省级专精特新中小企业奖励资金",
        code=BATCH_CODE,
        policy=policy,
    )
    approved = list(
        Enterprise.objects.filter(
            zone=zone,
            applications__campaign__code=CAMPAIGN_CODE,
            applications__status=ApplicationStatus.APPROVED,
        ).order_by("pk")
    )
    provincial = approved[:AWARDS_PROVINCIAL]
    giants = [e for e in approved[AWARDS_PROVINCIAL:]][:AWARDS_LITTLE_GIANT]
    for enterprise in giants:
        designation = registry.designation_create(
            enterprise=enterprise,
            by=officer,
            kind=DesignationKind.LITTLE_GIANT,
            level=DesignationLevel.NATIONAL,
            granted_on=on(dt.date(2022, 8, 10)),
            expires_on=on(dt.date(2025, 8, 9)),
            certificate_no=f"XJR2022{enterprise.pk:05d}",
        )
        award_services.award_add(
            batch=batch,
            enterprise=enterprise,
            amount=Decimal("1000000"),
            designation=designation,
            by=officer,
        )
    for enterprise in provincial:
        specialised = enterprise.designations.filter(
            kind=DesignationKind.SPECIALISED_SME, application__isnull=False
        ).first()
        award_services.award_add(
            batch=batch,
            enterprise=enterprise,
            amount=Decimal("603000"),
            designation=specialised,
            by=officer,
        )
    award_services.award_batch_announce(batch=batch, by=officer, on=on(dt.date(2023, 2, 20)))
    for award in batch.awards.order_by("pk"):
        award_services.award_pay(
            award=award,
            by=officer,
            on=on(dt.date(2023, 3, 10)) + dt.timedelta(days=rng.randint(0, 6)),
        )


def _action_plan(zone: Zone, officer: User, policy: Any) -> None:
    """双倍增: the zone measures 经济体量 — its enterprises' 营业收入 over twelve months — and the
    number of its enterprises and of its 规上 enterprises against twice their 2021 level.

    The 经济体量 baseline is 2021's full-year 营业收入 summed over the figures in effect (what
    the metric economy.rolling12.revenue gives at 2021-12-31); the counts' baselines are their
    metrics' values on that day."""
    from gaoxin.core.metrics import MetricScope
    from gaoxin.core.metrics import registry as metrics

    plan = ActionPlan.objects.create(
        zone=zone,
        title="《实体经济高质量发展行动计划》",
        policy=policy,
        adopted_on=on(dt.date(2022, 3, 18)),
    )
    c = clock.now()
    baseline_on = c.calendar_day(dt.date(2021, 12, 31))  # a statistical year's end
    scope = MetricScope.of([zone.pk], baseline_on)
    baselines = {
        key: Decimal(metrics.get(key).value(scope))
        for key in ("enterprises.total", "enterprises.above_scale")
    }
    baselines[economy_data.VOLUME_METRIC] = economy_data.revenue_of_year(zone, c.year(2021))
    for order, (label, key) in enumerate(
        (
            (economy_data.VOLUME_LABEL, economy_data.VOLUME_METRIC),
            ("企业数量双倍增", "enterprises.total"),
            ("规上企业数量双倍增", "enterprises.above_scale"),
        )
    ):
        PlanTarget.objects.create(
            plan=plan,
            label=label,
            metric_key=key,
            baseline_value=baselines[key],
            baseline_on=baseline_on,
            target_value=baselines[key] * 2,
            target_year=c.year(2025),
            order=order,
        )
