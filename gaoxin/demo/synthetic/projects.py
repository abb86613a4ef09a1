"""The investment pipeline: leads, projects with their stage changes, the spaces that hold
them, blockers and approvals. The derived fields the services would keep are set directly:
Project.stage/stage_on equal the latest StageChange, Space.leased_floor_area is the floor area
of its signed, not terminated tenants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from gaoxin.accounts.models import User, Zone
from gaoxin.demo.registry_data import PREFIXES, WORDS
from gaoxin.demo.synthetic.base import BATCH, MIDDLE_WORDS, START, Base, bulk
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

# Land projects starting construction the day the land is acquired (拿地即开工).
SAME_DAY_SHARE = 0.15
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
# Weights of the final stage along each path (index = position on the path).
STAGE_WEIGHTS: dict[str, list[int]] = {
    Carrier.SPACE: [15, 20, 12, 13, 18, 14, 8],
    Carrier.LAND: [14, 18, 10, 10, 10, 12, 10, 9, 7],
}
TERMINATED_SHARE = 0.08


class ProjectsPart(Base):
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
        bulk(Lead, rows, self.counts)

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
        plans: list[tuple[str, list[tuple[str, str, dt.date]], int]] = []
        for _ in range(count):
            carrier: str = Carrier.SPACE if rng.random() < 0.65 else Carrier.LAND
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
            batch = bulk(Project, rows, self.counts)
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
        spaces = bulk(Space, rows, self.counts)
        # Each space's status is dated, so figures as of a day find it.
        bulk(
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
        bulk(StageChange, rows, self.counts)

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
        bulk(Blocker, rows, self.counts)

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
        bulk(Approval, rows, self.counts)
