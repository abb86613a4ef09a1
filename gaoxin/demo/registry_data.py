"""The demo zone's industry system ("3+3+1"), five industry maps, a registry of invented
enterprises placed in the chains, their designations, and the 新型储能产业联盟."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q
from stdnum.cn import uscc as stdnum_uscc

from gaoxin.accounts.models import Zone
from gaoxin.demo import clock
from gaoxin.demo.clock import on
from gaoxin.enterprises import services
from gaoxin.enterprises.models import (
    Alliance,
    AllianceMembership,
    DesignationKind,
    DesignationLevel,
    Enterprise,
)
from gaoxin.enterprises.services import liaison_candidates
from gaoxin.industries.models import (
    ChainSegment,
    Industry,
    IndustryGroup,
    NationalIndustry,
    Position,
)

UP, MID, DOWN = Position.UPSTREAM, Position.MIDSTREAM, Position.DOWNSTREAM

# group → industries; the five key industries carry their chains.
SYSTEM = {
    "主导产业": ["储能", "传感器", "医疗器械"],
    "新兴产业": ["集成电路", "智能制造", "新材料"],
    "现代服务业": ["软件和信息服务", "生产性服务业"],
}
SHORT = {"软件和信息服务": "软信"}
KEY = {"储能", "传感器", "医疗器械", "软件和信息服务", "生产性服务业"}
CHAINS: dict[str, list[tuple[str, str]]] = {
    "储能": [
        (UP, "正负极材料"),
        (UP, "电解液与隔膜"),
        (UP, "锂资源"),
        (MID, "电芯制造"),
        (MID, "电池管理系统"),
        (MID, "储能变流器"),
        (MID, "系统集成"),
        (DOWN, "电网侧储能"),
        (DOWN, "工商业储能"),
        (DOWN, "回收利用"),
    ],
    "传感器": [
        (UP, "敏感材料"),
        (UP, "MEMS芯片设计"),
        (MID, "晶圆制造与封测"),
        (MID, "传感器模组"),
        (DOWN, "汽车电子"),
        (DOWN, "工业物联网"),
        (DOWN, "消费电子"),
    ],
    "医疗器械": [
        (UP, "医用高分子材料"),
        (UP, "精密零部件"),
        (MID, "体外诊断"),
        (MID, "医学影像设备"),
        (MID, "高值耗材"),
        (DOWN, "医疗服务"),
        (DOWN, "康复与养老"),
    ],
    "软件和信息服务": [
        (UP, "基础软件"),
        (UP, "云计算与数据中心"),
        (MID, "工业软件"),
        (MID, "信息安全"),
        (MID, "人工智能"),
        (DOWN, "数字政务"),
        (DOWN, "互联网平台"),
    ],
    "生产性服务业": [
        (UP, "研发设计"),
        (MID, "检验检测"),
        (MID, "科技金融"),
        (MID, "知识产权服务"),
        (DOWN, "供应链物流"),
        (DOWN, "会展与咨询"),
    ],
}
# How many demo enterprises each segment gets (the rest are 0 = 缺).
DENSITY = [5, 3, 0, 6, 2, 1, 4, 2, 0, 1]
PREFIXES = ["珠海", "横琴", "唐家", "金鼎", "香山", "凤凰", "淇澳", "鸡山", "后环", "南屏"]
WORDS = [
    "创能",
    "华储",
    "远景",
    "海纳",
    "智感",
    "微测",
    "康泰",
    "博医",
    "云图",
    "数智",
    "精工",
    "新元",
    "蓝海",
    "星河",
    "众成",
    "天工",
    "瑞达",
    "恒信",
    "同方",
    "启明",
]
SUFFIX = {
    "储能": "储能科技",
    "传感器": "传感技术",
    "医疗器械": "医疗科技",
    "软件和信息服务": "软件",
    "生产性服务业": "科技服务",
}


# Each industry's GB/T 4754 divisions (国民经济行业分类 大类): an enterprise gets one of them.
NATIONAL_CLASSES: dict[str, tuple[str, ...]] = {
    "储能": ("38",),  # 电气机械和器材制造业
    "传感器": ("39", "40"),  # 计算机、通信和其他电子设备 / 仪器仪表
    "医疗器械": ("35", "27"),  # 专用设备 / 医药制造业
    "集成电路": ("39",),
    "智能制造": ("34", "35"),  # 通用设备 / 专用设备
    "新材料": ("26", "30"),  # 化学原料和化学制品 / 非金属矿物制品
    "软件和信息服务": ("65",),  # 软件和信息技术服务业
    "生产性服务业": ("72", "74"),  # 商务服务业 / 专业技术服务业
}


def national_class_code(industry_name: str, serial: int) -> str | None:
    """The division an enterprise of the industry is classed in (the seed and the generator
    pick alike, by the enterprise's serial)."""
    codes = NATIONAL_CLASSES.get(industry_name)
    return codes[serial % len(codes)] if codes else None


def classify(zone: Zone) -> None:
    """Give the zone's enterprises without one their national class (from their first
    industry) and a liaison officer among the zone's officers, in turn. Idempotent: only
    what is missing is filled."""
    divisions = {
        n.code: n for n in NationalIndustry.objects.filter(level=NationalIndustry.Level.DIVISION)
    }
    officers = list(liaison_candidates(zone.pk))
    enterprises = (
        Enterprise.objects.filter(zone=zone)
        .filter(Q(national_industry__isnull=True) | Q(liaison_officer__isnull=True))
        .prefetch_related("industries")
        .order_by("uscc")
    )
    changed = []
    for enterprise in enterprises:
        serial = int(enterprise.uscc[10:17]) if enterprise.uscc[10:17].isdigit() else 0
        if enterprise.national_industry_id is None:
            industries = sorted(enterprise.industries.all(), key=lambda i: i.order)
            code = national_class_code(industries[0].name, serial) if industries else None
            enterprise.national_industry = divisions.get(code or "")
        if enterprise.liaison_officer_id is None and officers:
            enterprise.liaison_officer = officers[serial % len(officers)]
        changed.append(enterprise)
    Enterprise.objects.bulk_update(changed, ["national_industry", "liaison_officer"])


def industry_row(zone: Zone, group: IndustryGroup, name: str, order: int) -> Industry:
    """One industry of SYSTEM, unsaved: the seed saves it, the generator inserts them in bulk."""
    return Industry(
        zone=zone,
        group=group,
        name=name,
        short_name=SHORT.get(name, ""),
        is_key=name in KEY,
        order=order,
    )


def demo_uscc(n: int) -> str:
    body = f"91440400MA{n:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def load(zone: Zone) -> None:
    if Industry.objects.filter(zone=zone).exists():
        return  # loaded before: the scenario is idempotent
    rng = random.Random(20230630)
    industries: dict[str, Industry] = {}
    for group_order, (group_name, names) in enumerate(SYSTEM.items()):
        group = IndustryGroup.objects.create(zone=zone, name=group_name, order=group_order)
        for order, name in enumerate(names):
            industries[name] = industry_row(zone, group, name, order)
            industries[name].save()
    serial = 0
    for industry_name, chain in CHAINS.items():
        industry = industries[industry_name]
        for index, (position, segment_name) in enumerate(chain):
            segment = ChainSegment.objects.create(
                industry=industry, name=segment_name, position=position, order=index
            )
            for _ in range(DENSITY[index % len(DENSITY)]):
                serial += 1
                name = (
                    f"{PREFIXES[serial % len(PREFIXES)]}{WORDS[serial % len(WORDS)]}"
                    f"{SUFFIX[industry_name]}有限公司"
                )
                if Enterprise.objects.filter(zone=zone, name=name).exists():
                    name = name.replace("有限公司", f"{serial}号有限公司")
                above = rng.random() < 0.35
                enterprise = services.enterprise_create(
                    zone=zone,
                    name=name,
                    uscc=demo_uscc(serial),
                    founded_on=dt.date(2008 + serial % 14, 1 + serial % 12, 1 + serial % 27),
                    settled_on=on(dt.date(2019 + serial % 4, 1 + serial % 12, 10)),
                    registered_capital=Decimal(rng.choice([500, 1000, 2000, 5000, 12000]) * 10_000),
                    employees=rng.randint(20, 900),
                    is_above_scale=above,
                    above_scale_year=clock.now().year(2018 + serial % 5) if above else None,
                    address=f"珠海高新区{PREFIXES[serial % len(PREFIXES)]}路{serial}号",
                    segments=[segment],
                )
                _designate(enterprise, serial, rng)
    _alliance(zone, industries["储能"])


def _designate(enterprise: Enterprise, serial: int, rng: random.Random) -> None:
    # Dates in the scenario's calendar (gaoxin/demo/clock.py): 高企 certificates of 2020–2022
    # that expire five months, a year and a half and two and a half years after its day.
    if serial % 3 == 0:
        granted = on(dt.date(2020 + serial // 3 % 3, 12, 1))
        services.designation_create(
            enterprise=enterprise,
            kind=DesignationKind.HIGH_TECH,
            level=DesignationLevel.NATIONAL,
            granted_on=granted,
            expires_on=on(dt.date(2023 + serial // 3 % 3, 11, 30)),
            certificate_no=f"GR{granted.year}44{serial:06d}",
        )
    if serial % 7 == 0:
        services.designation_create(
            enterprise=enterprise,
            kind=DesignationKind.SPECIALISED_SME,
            level=DesignationLevel.PROVINCIAL,
            granted_on=on(dt.date(2022, 12, 20)),
            expires_on=on(dt.date(2025, 12, 19)),
        )
    if serial % 19 == 0:
        services.designation_create(
            enterprise=enterprise,
            kind=DesignationKind.LITTLE_GIANT,
            level=DesignationLevel.NATIONAL,
            granted_on=on(dt.date(2022, 8, 1)),
            expires_on=on(dt.date(2025, 7, 31)),
        )


def _alliance(zone: Zone, industry: Industry) -> None:
    alliance = Alliance.objects.create(
        zone=zone,
        name="珠海高新区新型储能产业联盟",
        industry=industry,
        founded_on=on(dt.date(2023, 3, 28)),
        description="推动储能产业链上下游协同，打造储能产业生态集聚区。",
    )
    members = Enterprise.objects.filter(zone=zone, industries=industry).order_by("pk")
    for index, enterprise in enumerate(members):
        role = (
            AllianceMembership.Role.CHAIR
            if index == 0
            else AllianceMembership.Role.VICE_CHAIR
            if index < 3
            else AllianceMembership.Role.MEMBER
        )
        services.membership_add(
            alliance=alliance, enterprise=enterprise, role=role, joined_on=on(dt.date(2023, 3, 28))
        )
