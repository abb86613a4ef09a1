"""The seed scenario of DESIGN.md: a fictional zone whose records reproduce the source
article's figures. Loaded through the same services the pages use; running it twice changes
nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.accounts.services import user_create
from gaoxin.core.roles import Role
from gaoxin.demo import backdate, clock, pipeline_data, registry_data, seed_data
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.services import enterprise_create

DEMO_PASSWORD = "gaoxin-demo"
ZONE_CODE = "zhgx"
ZONE_NAME = "珠海高新区（演示）"
OTHER_ZONE_CODE = "demo-east"
OTHER_ZONE_NAME = "东部园区（演示）"
DEMO_ENTERPRISE_USCC = "91440400MA4UQXKP17"
DEPARTMENTS = [
    "科技产业局",
    "投资促进局",
    "自然资源局",
    "住房和城乡建设局",
    "生态环境局",
    "市场监督管理局",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    note: str


DEMO_LOGINS = [
    DemoLogin("admin", Role.ADMIN, "系统管理员", "全部园区、管理后台"),
    DemoLogin("leader", Role.LEADER, "李主任", "两个园区，只读与驾驶舱"),
    DemoLogin("officer", Role.OFFICER, "王专员", "科技产业局专员，编辑项目、线索、企业"),
    DemoLogin("dept", Role.DEPARTMENT, "陈科长", "自然资源局，处理本部门审批与难点"),
    DemoLogin("enterprise", Role.ENTERPRISE, "赵经理", "本企业档案、申报与月报"),
]


def load(*, seed: bool = True, today: dt.date | None = None) -> dict[str, int]:
    """Create (or leave as they are) the demo zones, departments, users, registry and
    investment pipeline, the scenario's present mapped onto `today` (the local date by
    default; gaoxin/demo/clock.py), and every record dated in the scenario's time.

    A second run changes nothing, on whatever day: the demo keeps the day it was first loaded
    (load it into a fresh database to move its present to a later day)."""
    started = timezone.now()
    with clock.running(clock.Clock(today or timezone.localdate())) as c, transaction.atomic():
        result = _load(seed=seed)
        backdate.records_since(started, c)
    return result


def loaded_on() -> dt.date | None:
    """The day the demo in the database was loaded on (its scenario day), None if it was not
    (or without the seed): read back from a record dated relative to it."""
    from gaoxin.campaigns.models import Campaign

    renewal = Campaign.objects.filter(code=seed_data.RENEWAL_CAMPAIGN_CODE).first()
    if renewal is None:
        return None
    return renewal.opens_on + (clock.SCENARIO_DAY - seed_data.RENEWAL_OPENS)


def _load(*, seed: bool) -> dict[str, int]:
    zone, _ = Zone.objects.get_or_create(
        code=ZONE_CODE, defaults={"name": ZONE_NAME, "short_name": "高新区"}
    )
    other, _ = Zone.objects.get_or_create(
        code=OTHER_ZONE_CODE, defaults={"name": OTHER_ZONE_NAME, "short_name": "东部园区"}
    )
    departments = {}
    for name in DEPARTMENTS:
        departments[name], _ = Department.objects.get_or_create(zone=zone, name=name)
    registry_data.load(zone)
    own = Enterprise.objects.filter(zone=zone, uscc=DEMO_ENTERPRISE_USCC).first()
    if own is None:
        own = enterprise_create(
            zone=zone,
            name="珠海示范储能科技有限公司",
            short_name="示范储能",
            uscc=DEMO_ENTERPRISE_USCC,
            settled_on=clock.on(dt.date(2021, 3, 15)),
            contact_person="赵经理",
            contact_phone="0756-3300000",
        )
    created = 0
    for login in DEMO_LOGINS:
        if User.objects.filter(username=login.username).exists():
            continue
        zones = [zone, other] if login.role in (Role.ADMIN, Role.LEADER) else [zone]
        department = departments["自然资源局"] if login.role == Role.DEPARTMENT else None
        user_create(
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            name=login.name,
            zones=zones,
            department=department,
            is_superuser=login.role == Role.ADMIN,
            enterprise=own if login.role == Role.ENTERPRISE else None,
        )
        created += 1
    officer = User.objects.get(username="officer")
    pipeline_data.load(zone, officer)
    if seed:  # the article's figures; browser tests that build their own records skip them
        seed_data.load(zone, officer)
    registry_data.classify(zone)  # GB/T 4754 classes and liaison officers, once all are in
    return {"users_created": created}
