"""`gaoxin generate`: fill new zones with realistic synthetic data, fast, for load tests.

Everything is written through `bulk_create` in batches (no per-row services), inside one
transaction. Generated data therefore has NO change history (no django-simple-history rows):
it is for measuring lists, figures and searches at scale, not for auditing. The derived fields
the services would keep are set here directly and consistently: Project.stage/stage_on equal
the latest StageChange, Space.leased_floor_area is the floor area of its signed, not
terminated tenants, Enterprise.name_initials holds the pinyin initials.

The same seed gives the same data (random.Random(seed)); dates end on a fixed day so that a
run today and a run next month agree.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from random import Random
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc
from tqdm import tqdm

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.campaigns.models import (
    APPLICATION_ORDER,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Award,
    AwardBatch,
    AwardStatus,
    Campaign,
)
from gaoxin.core.roles import Role
from gaoxin.core.text import pinyin_initials
from gaoxin.demo.registry_data import (
    CHAINS,
    PREFIXES,
    SUFFIX,
    SYSTEM,
    WORDS,
    industry_row,
)
from gaoxin.enterprises.models import Designation, DesignationKind, DesignationLevel, Enterprise
from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup
from gaoxin.investment.models import Lead, LeadSource, LeadStatus
from gaoxin.projects import stages
from gaoxin.projects.models import (
    Approval,
    ApprovalStatus,
    Blocker,
    BlockerStatus,
    Project,
    StageChange,
)
from gaoxin.projects.stages import LEASING_STAGES, PATHS, Carrier, Stage
from gaoxin.spaces.models import Space, SpaceStatusChange

BATCH = 2000
# Land projects starting construction the day the land is acquired (拿地即开工).
SAME_DAY_SHARE = 0.15
START = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2025, 6, 30)
USCC_BASE = 1_000_000  # the seed scenario uses serials below this
USCC_STRIDE = 200_000  # a run of up to this many enterprises never meets another seed's

DEPARTMENTS = ["招商局", "经济发展局", "自然资源局", "住房和城乡建设局", "生态环境局", "科技创新局"]
APPROVALS = [
    ("用地规划许可", "自然资源局"),
    ("工程规划许可", "自然资源局"),
    ("施工图审查", "住房和城乡建设局"),
    ("施工许可", "住房和城乡建设局"),
    ("环评批复", "生态环境局"),
]
BLOCKERS = [
    "用电报装容量不足，需协调供电局增容",
    "施工许可材料缺项，需部门联合指导",
    "人才公寓需求未落实",
    "厂房装修消防验收排期较长",
    "项目融资进度滞后",
]
MIDDLE_WORDS = ["新能", "智造", "微电", "生物", "光电", "数联", "科创", "安泰", "鼎盛", "宏图"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静磊洋勇艳杰军涛明超华平刚桂英"
# Weights of the final stage along each path (index = position on the path).
STAGE_WEIGHTS = {
    Carrier.SPACE: [15, 20, 12, 13, 18, 14, 8],
    Carrier.LAND: [14, 18, 10, 10, 10, 12, 10, 9, 7],
}
TERMINATED_SHARE = 0.08


class GenerateError(Exception):
    """The generator refuses; the message says why."""


def generate(
    *,
    enterprises: int,
    projects: int,
    seed: int = 1,
    zones: int = 3,
    prefix: str = "gen",
    progress: bool = False,
) -> dict[str, int]:
    """Create `zones` new zones (codes f"{prefix}1" …) and fill them; return rows per model."""
    if zones < 1 or enterprises < 0 or projects < 0:
        raise GenerateError("zones must be at least 1 and the counts not negative.")
    if not re.fullmatch(r"[a-z][a-z0-9-]*", prefix):
        raise GenerateError("The prefix must be lower-case letters, digits and dashes.")
    pattern = rf"^{re.escape(prefix)}[0-9]+$"
    if Zone.objects.filter(code__regex=pattern).exists():
        raise GenerateError(f"Zones with the prefix {prefix!r} exist already.")
    with (
        tqdm(total=enterprises + projects, disable=not progress, unit="row") as bar,
        transaction.atomic(),
    ):
        counts = _Generator(Random(seed), seed, prefix, bar).run(zones, enterprises, projects)
    analyze()
    return counts


def analyze() -> None:
    """Refresh the query planner's statistics after a bulk load, as both databases advise:
    without them SQLite guesses at the selectivity of each index and may read a zone's
    every row where a few index entries would do. On PostgreSQL VACUUM also marks the new
    pages all-visible, so that counts can be answered from the covering indexes alone."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _bulk(model: type[models.Model], rows: Sequence[Any], counts: Counter[str]) -> list[Any]:
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    counts[model._meta.label] += len(rows)
    return created


class _Generator:
    def __init__(self, rng: Random, seed: int, prefix: str, bar: Any) -> None:
        self.rng = rng
        self.seed = seed
        self.prefix = prefix
        self.bar = bar
        self.end = min(LAST_DAY, timezone.localdate())
        self.counts: Counter[str] = Counter()
        self.initials: dict[str, str] = {}

    # --- helpers ---------------------------------------------------------------------------

    def day(self, start: dt.date, end: dt.date | None = None) -> dt.date:
        end = end or self.end
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.end)

    def initial(self, part: str) -> str:
        if part not in self.initials:
            self.initials[part] = pinyin_initials(part)
        return self.initials[part]

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=2))

    # --- the run ---------------------------------------------------------------------------

    def run(self, zones: int, enterprises: int, projects: int) -> dict[str, int]:
        zone_rows = [
            Zone(code=f"{self.prefix}{i}", name=f"合成园区{self.prefix}{i}", short_name=f"合成{i}")
            for i in range(1, zones + 1)
        ]
        self.zones = _bulk(Zone, zone_rows, self.counts)
        self.departments: dict[int, dict[str, Department]] = {}
        self.officers: dict[int, list[User]] = {}
        self.industries: dict[int, list[Industry]] = {}
        self.segments: dict[int, list[ChainSegment]] = {}
        for zone in self.zones:
            self._staff(zone)
            self._industry_system(zone)
        per_zone = _split(enterprises, zones)
        self.enterprises: dict[int, list[Enterprise]] = {}
        serial = USCC_BASE + (self.seed % 40) * USCC_STRIDE
        for zone, count in zip(self.zones, per_zone, strict=True):
            serial = self._enterprises(zone, count, serial)
        for zone, count in zip(self.zones, _split(projects, zones), strict=True):
            self._projects(zone, count)
            self._leads(zone, count // 4)
            self._campaign(zone)
        return dict(sorted(self.counts.items()))

    def _staff(self, zone: Zone) -> None:
        depts = _bulk(
            Department, [Department(zone=zone, name=name) for name in DEPARTMENTS], self.counts
        )
        self.departments[zone.pk] = {d.name: d for d in depts}
        users = []
        for j in range(1, 6):
            user = User(username=f"{zone.code}-officer{j}", name=self.person(), role=Role.OFFICER)
            user.set_unusable_password()
            users.append(user)
        users = _bulk(User, users, self.counts)
        through = User.zones.through
        _bulk(through, [through(user_id=u.pk, zone_id=zone.pk) for u in users], self.counts)
        self.officers[zone.pk] = users

    def _industry_system(self, zone: Zone) -> None:
        groups = _bulk(
            IndustryGroup,
            [IndustryGroup(zone=zone, name=name, order=i) for i, name in enumerate(SYSTEM)],
            self.counts,
        )
        rows = []
        for group, names in zip(groups, SYSTEM.values(), strict=True):
            for order, name in enumerate(names):
                rows.append(industry_row(zone, group, name, order))
        industries = _bulk(Industry, rows, self.counts)
        by_name = {i.name: i for i in industries}
        segments = [
            ChainSegment(industry=by_name[name], name=segment, position=position, order=order)
            for name, chain in CHAINS.items()
            for order, (position, segment) in enumerate(chain)
        ]
        self.industries[zone.pk] = industries
        self.segments[zone.pk] = _bulk(ChainSegment, segments, self.counts)

    # --- the registry ----------------------------------------------------------------------

    def _enterprises(self, zone: Zone, count: int, serial: int) -> int:
        rng = self.rng
        segments = self.segments[zone.pk]
        industries = self.industries[zone.pk]
        created: list[Enterprise] = []
        for start in range(0, count, BATCH):
            rows, links = [], []
            for _ in range(min(BATCH, count - start)):
                serial += 1
                segment = rng.choice(segments) if rng.random() < 0.7 else None
                industry = (
                    next(i for i in industries if i.pk == segment.industry_id)
                    if segment
                    else rng.choice(industries)
                )
                parts = [
                    rng.choice(PREFIXES),
                    rng.choice(WORDS),
                    rng.choice(MIDDLE_WORDS),
                    SUFFIX.get(industry.name, "科技"),
                ]
                number = rng.randint(1, 999) if rng.random() < 0.3 else None
                name = "".join(parts) + (f"{number}号" if number else "") + "有限公司"
                short = parts[1] + parts[2]
                initials = "".join(self.initial(p) for p in parts) + (
                    str(number) + self.initial("号") if number else ""
                )
                settled = self.day(dt.date(2005, 1, 1))
                above = rng.random() < 0.25
                body = f"91440400MA{serial:07d}"
                rows.append(
                    Enterprise(
                        zone=zone,
                        name=name,
                        short_name=short,
                        name_initials=f"{initials}yxgs {self.initial(short)}",
                        uscc=body + stdnum_uscc.calc_check_digit(body),
                        legal_representative=self.person(),
                        founded_on=settled - dt.timedelta(days=rng.randint(0, 3650)),
                        settled_on=settled,
                        registered_capital=Decimal(
                            rng.choice([100, 500, 1000, 2000, 5000, 12000]) * 10_000
                        ),
                        employees=rng.randint(5, 2000),
                        address=f"{rng.choice(PREFIXES)}路{rng.randint(1, 999)}号",
                        is_above_scale=above,
                        above_scale_year=rng.randint(max(settled.year, 2010), self.end.year)
                        if above
                        else None,
                        status=rng.choices(
                            [Enterprise.Status.ACTIVE, "moved_out", "closed"], [92, 5, 3]
                        )[0],
                    )
                )
                links.append((industry, segment))
            batch = _bulk(Enterprise, rows, self.counts)
            ind_through = Enterprise.industries.through
            seg_through = Enterprise.segments.through
            _bulk(
                ind_through,
                [
                    ind_through(enterprise_id=e.pk, industry_id=i.pk)
                    for e, (i, _s) in zip(batch, links, strict=True)
                ],
                self.counts,
            )
            _bulk(
                seg_through,
                [
                    seg_through(enterprise_id=e.pk, chainsegment_id=s.pk)
                    for e, (_i, s) in zip(batch, links, strict=True)
                    if s is not None
                ],
                self.counts,
            )
            self._designations(batch)
            created.extend(batch)
            self.bar.update(len(rows))
        self.enterprises[zone.pk] = created
        return serial

    def _designations(self, batch: Iterable[Enterprise]) -> None:
        kinds = [
            (DesignationKind.HIGH_TECH, DesignationLevel.NATIONAL, 50),
            (DesignationKind.TECH_SME, DesignationLevel.PROVINCIAL, 25),
            (DesignationKind.SPECIALISED_SME, DesignationLevel.PROVINCIAL, 15),
            (DesignationKind.LITTLE_GIANT, DesignationLevel.NATIONAL, 5),
            (DesignationKind.INNOVATIVE_SME, DesignationLevel.PROVINCIAL, 5),
        ]
        rows = []
        for enterprise in batch:
            if self.rng.random() >= 0.15:
                continue
            kind, level, _w = self.rng.choices(kinds, [k[2] for k in kinds])[0]
            granted = self.day(max(enterprise.settled_on or START, START))
            rows.append(
                Designation(
                    enterprise=enterprise,
                    kind=kind,
                    level=level,
                    granted_on=granted,
                    expires_on=granted.replace(year=granted.year + 3, day=1) - dt.timedelta(days=1),
                    certificate_no=f"GR{granted.year}44{enterprise.pk:07d}",
                )
            )
        _bulk(Designation, rows, self.counts)

    # --- projects, spaces, blockers, approvals ---------------------------------------------

    def _plan(self, carrier: str) -> list[tuple[str, str, dt.date]]:
        """The project's stage changes: (from, to, day), dated increasing, ending on its stage."""
        path = PATHS[carrier]
        last = self.rng.choices(range(len(path)), STAGE_WEIGHTS[carrier])[0]
        terminated = self.rng.random() < TERMINATED_SHARE
        day = self.day(START, self.end - dt.timedelta(days=30 * (last + 1)))
        changes = [("", str(path[0]), day)]
        for index in range(1, last + 1):
            same_day = path[index] == Stage.CONSTRUCTION and self.rng.random() < SAME_DAY_SHARE
            day = day if same_day else self.later(day, 10, 150)
            changes.append((str(path[index - 1]), str(path[index]), day))
        if terminated:
            changes.append((changes[-1][1], str(Stage.TERMINATED), self.later(day, 20, 200)))
        return changes

    def _projects(self, zone: Zone, count: int) -> None:
        rng = self.rng
        signed_at = {c: PATHS[c].index(Stage.SIGNED) for c in PATHS}
        plans = []
        for _ in range(count):
            carrier = Carrier.SPACE if rng.random() < 0.65 else Carrier.LAND
            changes = self._plan(carrier)
            reached = max(
                (PATHS[carrier].index(to) for _f, to, _d in changes if to != Stage.TERMINATED)
            )
            plans.append((carrier, changes, reached))
        tenants = [
            i for i, (c, _ch, r) in enumerate(plans) if c == Carrier.SPACE and r >= signed_at[c]
        ]
        floor = {i: Decimal(rng.randint(3, 60) * 100) for i in tenants}
        spaces = self._spaces(zone, tenants, floor, plans)
        enterprises = self.enterprises.get(zone.pk) or []
        industries = self.industries[zone.pk]
        segments = self.segments[zone.pk]
        officers = self.officers[zone.pk]
        registered_at = {c: PATHS[c].index(Stage.REGISTERED) for c in PATHS}
        for start in range(0, count, BATCH):
            rows = []
            indices = range(start, min(start + BATCH, count))
            for i in indices:
                carrier, changes, reached = plans[i]
                enterprise = (
                    rng.choice(enterprises)
                    if enterprises and reached >= registered_at[carrier]
                    else None
                )
                segment = rng.choice(segments) if rng.random() < 0.6 else None
                industry = (
                    next(x for x in industries if x.pk == segment.industry_id)
                    if segment
                    else rng.choice(industries)
                )
                investor = (
                    enterprise.name
                    if enterprise
                    else f"{rng.choice(PREFIXES)}{rng.choice(WORDS)}集团有限公司"
                )
                fai = Decimal(rng.randint(5, 500) * 1_000_000)
                project = Project(
                    zone=zone,
                    name=f"{investor.removesuffix('有限公司')}{industry.name}项目",
                    investor_name=investor,
                    enterprise=enterprise,
                    industry=industry,
                    segment=segment,
                    carrier=carrier,
                    planned_investment=fai * Decimal("1.3"),
                    fixed_asset_investment=fai,
                    expected_annual_output=fai * rng.choice([1, 2, 3]),
                    expected_annual_tax=fai / 20,
                    expected_above_scale=rng.random() < 0.4,
                    officer=rng.choice(officers),
                    stage=changes[-1][1],
                    stage_on=changes[-1][2],
                    **stages.reached_dates(carrier, [(to, on) for _f, to, on in changes]),
                )
                if carrier == Carrier.SPACE and i in floor:
                    project.space = spaces[i]
                    project.floor_area = floor[i]
                if carrier == Carrier.LAND:
                    project.land_parcel_code = f"ZH-{zone.code}-{i + 1:05d}"
                    project.land_area = Decimal(rng.randint(10, 200) * 1000)
                    days = {to: on for _f, to, on in changes}
                    if Stage.LAND_ACQUIRED in days:
                        project.land_contract_on = days[Stage.LAND_ACQUIRED]
                    if Stage.CONSTRUCTION in days:
                        project.land_to_construction_days = (
                            days[Stage.CONSTRUCTION] - days[Stage.LAND_ACQUIRED]
                        ).days
                rows.append(project)
            batch = _bulk(Project, rows, self.counts)
            self._stage_changes(batch, [plans[i][1] for i in indices], officers)
            self._blockers(zone, batch)
            self._approvals(zone, [p for p in batch if p.carrier == Carrier.LAND])
            self.bar.update(len(rows))

    def _spaces(
        self,
        zone: Zone,
        tenants: list[int],
        floor: dict[int, Decimal],
        plans: list[tuple[str, list[tuple[str, str, dt.date]], int]],
    ) -> dict[int, Space]:
        """Spaces for the zone sized to hold their tenants; leased = signed, not terminated."""
        count = max(3, len(tenants) // 60)
        assigned = {i: self.rng.randrange(count) for i in tenants}
        occupied = [Decimal(0)] * count
        leased = [Decimal(0)] * count
        for i, index in assigned.items():
            occupied[index] += floor[i]
            if plans[i][1][-1][1] in LEASING_STAGES:
                leased[index] += floor[i]
        rows = []
        for index in range(count):
            total = max(occupied[index] * Decimal("1.25"), Decimal(20_000)).quantize(Decimal(1000))
            built = self.day(START, self.end - dt.timedelta(days=365))
            rows.append(
                Space(
                    zone=zone,
                    name=f"{PREFIXES[index % len(PREFIXES)]}产业新空间{index + 1}期",
                    developer=f"{zone.short_name}城建集团",
                    total_floor_area=max(total, occupied[index]),
                    leased_floor_area=leased[index],
                    status=Space.Status.BUILT,
                    status_on=built,
                    completed_on=built,
                )
            )
        spaces = _bulk(Space, rows, self.counts)
        # Each space's status is dated, so figures as of a day find it.
        _bulk(
            SpaceStatusChange,
            [
                SpaceStatusChange(space=space, status=space.status, on=space.status_on)
                for space in spaces
            ],
            self.counts,
        )
        return {i: spaces[index] for i, index in assigned.items()}

    def _stage_changes(
        self,
        projects: Sequence[Project],
        plans: Sequence[list[tuple[str, str, dt.date]]],
        officers: Sequence[User],
    ) -> None:
        rows = []
        for project, changes in zip(projects, plans, strict=True):
            for number, (from_stage, to_stage, on) in enumerate(changes):
                kind = (
                    StageChange.Kind.START
                    if number == 0
                    else StageChange.Kind.TERMINATE
                    if to_stage == Stage.TERMINATED
                    else StageChange.Kind.ADVANCE
                )
                rows.append(
                    StageChange(
                        project=project,
                        from_stage=from_stage,
                        to_stage=to_stage,
                        kind=kind,
                        on=on,
                        by=project.officer,
                        note="投资方调整战略，项目终止" if kind == "terminate" else "",
                    )
                )
        _bulk(StageChange, rows, self.counts)

    def _blockers(self, zone: Zone, projects: Sequence[Project]) -> None:
        departments = list(self.departments[zone.pk].values())
        rows = []
        for project in projects:
            if project.stage == Stage.TERMINATED or self.rng.random() >= 0.12:
                continue
            raised = self.later(project.stage_on, 0, 60)
            due = raised + dt.timedelta(days=self.rng.randint(10, 60))
            closed = self.rng.random() < 0.5 and due <= self.end
            rows.append(
                Blocker(
                    project=project,
                    stage=project.stage,
                    description=self.rng.choice(BLOCKERS),
                    department=self.rng.choice(departments),
                    owner=project.officer,
                    raised_on=raised,
                    due_on=due,  # an open one due before today is overdue
                    status=BlockerStatus.RESOLVED if closed else BlockerStatus.OPEN,
                    resolution="已协调解决" if closed else "",
                    closed_on=due if closed else None,
                )
            )
        _bulk(Blocker, rows, self.counts)

    def _approvals(self, zone: Zone, projects: Sequence[Project]) -> None:
        departments = self.departments[zone.pk]
        signed = PATHS[Carrier.LAND].index(Stage.SIGNED)
        rows = []
        for project in projects:
            stage = project.stage
            if stage == Stage.TERMINATED or PATHS[Carrier.LAND].index(stage) < signed:
                continue
            for order, (name, department) in enumerate(APPROVALS):
                started = self.later(project.stage_on, -60, 0)
                status = self.rng.choice(
                    [ApprovalStatus.DONE, ApprovalStatus.DONE, ApprovalStatus.IN_PROGRESS]
                )
                done = status == ApprovalStatus.DONE
                rows.append(
                    Approval(
                        project=project,
                        name=name,
                        department=departments[department],
                        status=status,
                        order=order,
                        started_on=started,
                        due_on=started + dt.timedelta(days=20),
                        done_on=self.later(started, 0, 40) if done else None,
                    )
                )
        _bulk(Approval, rows, self.counts)

    # --- leads, campaigns, awards ----------------------------------------------------------

    def _leads(self, zone: Zone, count: int) -> None:
        rng = self.rng
        officers = self.officers[zone.pk]
        industries = self.industries[zone.pk]
        statuses = list(LeadStatus)
        rows = []
        for _ in range(count):
            status = rng.choices(statuses, [25, 25, 15, 15, 10, 10])[0]
            rows.append(
                Lead(
                    zone=zone,
                    company_name=f"{rng.choice(PREFIXES)}{rng.choice(WORDS)}"
                    f"{rng.choice(MIDDLE_WORDS)}科技有限公司",
                    industry=rng.choice(industries),
                    source=rng.choice(list(LeadSource)),
                    officer=rng.choice(officers),
                    status=status,
                    abandon_reason="企业投资意向转移" if status == LeadStatus.ABANDONED else "",
                    expected_investment=Decimal(rng.randint(1, 300) * 1_000_000),
                    contact_person=self.person(),
                    last_activity_on=self.day(self.end - dt.timedelta(days=200)),
                )
            )
        _bulk(Lead, rows, self.counts)

    def _campaign(self, zone: Zone) -> None:
        rng = self.rng
        enterprises = self.enterprises.get(zone.pk) or []
        chosen = rng.sample(enterprises, min(150, len(enterprises)))
        opens = dt.date(self.end.year - 1, 3, 1)
        campaign = _bulk(
            Campaign,
            [
                Campaign(
                    zone=zone,
                    name=f"{opens.year}年广东省专精特新中小企业申报",
                    code=f"{opens.year}-gd-zjtx",
                    designation_kind=DesignationKind.SPECIALISED_SME,
                    designation_level=DesignationLevel.PROVINCIAL,
                    opens_on=opens,
                    closes_on=opens + dt.timedelta(days=60),
                )
            ],
            self.counts,
        )[0]
        officer = self.officers[zone.pk][0]
        plans = []
        for _ in chosen:
            reach = rng.randint(0, len(APPLICATION_ORDER) - 1)
            statuses = [str(s) for s in APPLICATION_ORDER[: reach + 1]]
            if reach == len(APPLICATION_ORDER) - 1 and rng.random() < 0.3:
                statuses[-1] = ApplicationStatus.REJECTED
            day = self.day(opens, opens + dt.timedelta(days=50))
            dated = []
            for status in statuses:
                dated.append((status, day))
                day = self.later(day, 3, 40)
            plans.append(dated)
        applications = _bulk(
            Application,
            [
                Application(
                    campaign=campaign,
                    enterprise=enterprise,
                    status=dated[-1][0],
                    status_on=dated[-1][1],
                    contact_person=self.person(),
                )
                for enterprise, dated in zip(chosen, plans, strict=True)
            ],
            self.counts,
        )
        _bulk(
            ApplicationChange,
            [
                ApplicationChange(
                    application=application,
                    from_status=dated[n - 1][0] if n else "",
                    to_status=status,
                    on=on,
                    by=officer,
                )
                for application, dated in zip(applications, plans, strict=True)
                for n, (status, on) in enumerate(dated)
            ],
            self.counts,
        )
        batch = _bulk(
            AwardBatch,
            [
                AwardBatch(
                    zone=zone,
                    name=f"{self.end.year - 1}年第一批专精特新企业奖励资金",
                    code=f"{self.end.year - 1}-zjtx-1",
                    announced_on=self.end - dt.timedelta(days=90),
                )
            ],
            self.counts,
        )[0]
        awards = []
        for enterprise in chosen[:100]:
            paid = rng.random() < 0.6
            awards.append(
                Award(
                    batch=batch,
                    enterprise=enterprise,
                    amount=Decimal(rng.choice([100_000, 200_000, 500_000])),
                    reason="省级专精特新中小企业认定奖励",
                    status=AwardStatus.PAID if paid else AwardStatus.ANNOUNCED,
                    paid_on=self.end - dt.timedelta(days=rng.randint(0, 60)) if paid else None,
                )
            )
        _bulk(Award, awards, self.counts)


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
