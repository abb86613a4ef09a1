"""The demo zone's cultivation work (企业培育): the enterprises its radars find on the demo day,
and why.

The zone keeps a 培育库 of enterprises it cultivates: it asked them to file their monthly
figures (企业填报) from 2021, not only from 2023 as the other 规下 enterprises. They are taken
from the enterprises that settled in 2019–2021 (seed_data's, serials from 5000), which hold no
designation and had no figures, so nothing the rest of the seed shows changes but the zone's
sums, which every test reads from the records:

- 小升规: four whose last twelve months reach 80–99% of their 规上 threshold, growing fast;
- 应统尽统: two over their threshold for the whole last twelve months and in 2022, not 规上;
- 高企: two small R&D-heavy ones ("new") and one whose 高新技术企业 of 2020 expires in
  2023-12 (re-application);
- 专精特新: two that hold 创新型中小企业 and a lasting 高企, with 2022 revenue from 1000万元 and
  R&D from 100万元 and 3%;
- 亩均效益: land records for twelve 规上 manufacturers and two of the above, and the zone's
  cut-offs for 2021 and 2022 that class them A to D, some differently from the year before.

Every amount is drawn like economy_data's (a Profile and `month_values`), its scale chosen so
that the twelve months to PRESENT (2023年5月, the radar's month on the demo day) land where the
role says; the months before show the rise. Loaded once, from seed_data before the action
plan reads 2021's revenue.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gaoxin.accounts.models import User, Zone
from gaoxin.cultivation.models import MU, EfficiencyCutoffs, LandRecord
from gaoxin.cultivation.thresholds import threshold_of
from gaoxin.demo import clock, registry_data
from gaoxin.demo.economy_data import Profile, first, month_values, present
from gaoxin.demo.registry_data import demo_uscc
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period, month_periods
from gaoxin.economy.reporting.services import indicators_for
from gaoxin.economy.selectors import values_in_effect
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises import services as registry
from gaoxin.enterprises.models import DesignationKind, DesignationLevel, Enterprise
from gaoxin.industries.models import NationalIndustry

WAN = Decimal(10_000)
EXTRA_SERIALS = range(5000, 5120)  # seed_data's enterprises settled 2019–2021


def radar_month_end() -> dt.date:
    """The end of present(), whose rules the radars apply (real rules: they are not mapped)."""
    following = present().next_month()
    return dt.date(following.year, following.month, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Role:
    """An enterprise of the 培育库: its industry, where its twelve months to PRESENT stand
    against its threshold (a share) or in yuan, how fast it grows, its R&D and tax rates, and
    the designations it holds (kind, granted, expires)."""

    name: str
    industry: str
    ttm_share: float | None = None  # of its 规上 threshold
    ttm_yuan: float | None = None
    growth: float = 0.12
    rnd_rate: float = 0.025
    tax_rate: float = 0.04
    designations: tuple[tuple[str, dt.date, dt.date], ...] = ()


ROLES = (
    # 小升规: 80–99% of the line, growing 25–45% a year
    Role("scale-1", "储能", ttm_share=0.965, growth=0.42, rnd_rate=0.028),
    Role("scale-2", "传感器", ttm_share=0.91, growth=0.35, rnd_rate=0.031),
    Role("scale-3", "医疗器械", ttm_share=0.86, growth=0.30, rnd_rate=0.022),
    Role("scale-4", "生产性服务业", ttm_share=0.83, growth=0.26, rnd_rate=0.012, tax_rate=0.06),
    # 应统尽统: over the line for the whole twelve months and 2022
    Role("unreported-1", "软件和信息服务", ttm_share=1.27, growth=0.10, rnd_rate=0.034),
    Role("unreported-2", "储能", ttm_share=1.16, growth=0.08, rnd_rate=0.021),
    # 高企, new: small, R&D 7–9% of revenue
    Role("high-tech-1", "软件和信息服务", ttm_yuan=9.6e6, growth=0.18, rnd_rate=0.088),
    Role("high-tech-2", "传感器", ttm_yuan=7.2e6, growth=0.22, rnd_rate=0.074),
    # 高企, re-application: its 2020 certificate expires in December 2023
    Role(
        "high-tech-renewal",
        "医疗器械",
        ttm_yuan=1.32e7,
        growth=0.09,
        rnd_rate=0.066,
        designations=((DesignationKind.HIGH_TECH, dt.date(2020, 12, 9), dt.date(2023, 12, 8)),),
    ),
    # 专精特新: 创新型中小企业 and a lasting 高企; 2022 revenue 1000万 up, R&D 100万 up and 3%
    Role(
        "specialised-1",
        "传感器",
        ttm_yuan=1.46e7,
        growth=0.08,
        rnd_rate=0.086,
        designations=(
            (DesignationKind.HIGH_TECH, dt.date(2021, 12, 20), dt.date(2024, 12, 19)),
            (DesignationKind.INNOVATIVE_SME, dt.date(2022, 9, 26), dt.date(2025, 9, 25)),
        ),
    ),
    Role(
        "specialised-2",
        "储能",
        ttm_yuan=1.38e7,
        growth=0.07,
        rnd_rate=0.092,
        designations=(
            (DesignationKind.HIGH_TECH, dt.date(2021, 12, 20), dt.date(2024, 12, 19)),
            (DesignationKind.INNOVATIVE_SME, dt.date(2022, 9, 26), dt.date(2025, 9, 25)),
        ),
    ),
)

# 亩均效益 cut-offs the zone set (yuan per 亩): (tax A, revenue A, tax B, revenue B, tax C,
# revenue C). 2022's are higher than 2021's, as the zone raises the bar each year.
CUTOFFS = {
    2021: (250_000, 5_000_000, 120_000, 2_500_000, 40_000, 800_000),
    2022: (300_000, 6_000_000, 150_000, 3_000_000, 50_000, 1_000_000),
}
# The 亩均税收 (yuan) each landholder's area is drawn around in 2022, in turn: a spread of
# classes once the revenue cut-off and the year before have their say.
TAX_PER_MU_TARGETS = (420_000, 190_000, 80_000, 32_000, 230_000, 110_000, 60_000, 26_000)
LAND_HOLDERS = 12  # 规上 manufacturers with land records, besides two of the 培育库
MANUFACTURING = ("储能", "传感器", "医疗器械")


def load(zone: Zone, officer: User) -> dict[str, int]:
    """Record the 培育库's figures and designations, land and the cut-offs (once)."""
    if EfficiencyCutoffs.objects.filter(zone=zone).exists():
        return {}
    registry_data.classify(zone)  # the radars need the classes; classify is idempotent
    _class_the_unclassed(zone, officer)
    chosen = _choose(zone)
    figures = _figures(zone, chosen)
    for role, enterprise in chosen:
        for kind, scenario_granted, scenario_expires in role.designations:
            granted, expires = clock.now().on(scenario_granted), clock.now().on(scenario_expires)
            registry.designation_create(
                enterprise=enterprise,
                by=officer,
                kind=kind,
                level=DesignationLevel.NATIONAL
                if kind == DesignationKind.HIGH_TECH
                else DesignationLevel.PROVINCIAL,
                granted_on=granted,
                expires_on=expires,
                certificate_no=_certificate(kind, granted, enterprise.pk),
            )
    land = _land(zone, officer, [e for r, e in chosen if r.name.startswith("unreported")])
    followed = _followups(officer, dict((r.name, e) for r, e in chosen))
    return {"figures": figures, "land_records": land, "followups": followed}


# The 培育库's follow-ups (纳入跟踪): role, radar, started and target day from the scenario's
# day — two on course, one past its target, one just begun.
FOLLOWUPS = (
    ("scale-1", "scale", -45, 60),
    ("scale-2", "scale", -80, -9),
    ("unreported-1", "unreported", -30, 25),
    ("high-tech-1", "high_tech", -6, 150),
)


def _followups(officer: User, chosen: dict[str, Enterprise]) -> int:
    from gaoxin.cultivation.followups import VisitInput, followup_start

    today = clock.now().today
    for role, radar, started, target in FOLLOWUPS:
        day = today + dt.timedelta(days=started)
        followup_start(
            enterprise=chosen[role],
            radar=radar,
            officer=officer,
            target_on=today + dt.timedelta(days=target),
            visit=VisitInput(
                kind="visit",
                held_on=day,
                minutes="上门走访，了解经营情况与培育需求，讲解相关政策。",
            ),
            by=officer,
            today=day,
        )
    return len(FOLLOWUPS)


def _certificate(kind: str, granted: dt.date, pk: int) -> str:
    prefix = "GR" if kind == DesignationKind.HIGH_TECH else "CXZX"
    return f"{prefix}{granted.year}44{pk:06d}"


def _class_the_unclassed(zone: Zone, officer: User) -> None:
    """Enterprises with no zone industry to class them by: the demo login's own, a storage
    maker (电气机械和器材制造业)."""
    division = NationalIndustry.objects.filter(
        level=NationalIndustry.Level.DIVISION, code="38"
    ).first()
    if division is None:
        return
    for enterprise in Enterprise.objects.filter(zone=zone, national_industry__isnull=True):
        if "储能" in enterprise.name:
            registry.enterprise_update(
                enterprise=enterprise, by=officer, national_industry=division
            )


def _choose(zone: Zone) -> list[tuple[Role, Enterprise]]:
    """Each role's enterprise: the first (by USCC) of its industry among seed_data's 2019–2021
    enterprises that holds no designation and is not yet taken."""
    pool = list(
        Enterprise.objects.filter(
            zone=zone,
            uscc__in=[demo_uscc(n) for n in EXTRA_SERIALS],
            designations__isnull=True,
            is_above_scale=False,
        )
        .exclude(national_industry__isnull=True)
        .prefetch_related("industries")
        .select_related("national_industry")
        .order_by("uscc")
    )
    taken: set[int] = set()
    chosen = []
    for role in ROLES:
        for enterprise in pool:
            names = {i.name for i in enterprise.industries.all()}
            if enterprise.pk not in taken and role.industry in names:
                taken.add(enterprise.pk)
                chosen.append((role, enterprise))
                break
        else:
            raise RuntimeError(f"no enterprise left for the demo's {role.name}")
    return chosen


def _window() -> list[Period]:
    last = present()
    start = Period.of(last.year - 1, last.month).next_month()
    return list(month_periods(start, last))


def _profile(role: Role, enterprise: Enterprise) -> Profile:
    """A Profile whose twelve months to PRESENT add up to the role's aim."""
    rng = random.Random(f"cultivation-{enterprise.uscc}")
    unit = Profile(
        uscc=enterprise.uscc,
        revenue_2021=12e6,
        growth=role.growth,
        output_ratio=rng.uniform(0.9, 1.05),
        tax_rate=role.tax_rate * rng.uniform(0.9, 1.1),
        margin=rng.uniform(0.04, 0.11),
        rnd_rate=role.rnd_rate,
        employees=int(enterprise.employees or 60),
    )
    if role.ttm_share is not None:
        rule = threshold_of(enterprise.national_industry_id, radar_month_end())
        assert rule is not None, enterprise
        aim = float(rule.min_revenue) * role.ttm_share
    else:
        assert role.ttm_yuan is not None
        aim = role.ttm_yuan
    drawn = sum(float(month_values(unit, p.year, p.month)["revenue"]) for p in _window())
    return Profile(**{**unit.__dict__, "revenue_2021": unit.revenue_2021 * aim / drawn})


def _figures(zone: Zone, chosen: list[tuple[Role, Enterprise]]) -> int:
    """Each month's self-report from 2021 (or the month it settled), recorded as it arrived:
    the 3rd–10th of the month after."""
    codes = {i.pk: i.code for i in Indicator.objects.all()}
    asked = {e.pk: [i for i in indicators_for(e) if i.code in codes.values()] for _r, e in chosen}
    profiles = {e.pk: _profile(role, e) for role, e in chosen}
    recorded = 0
    for period in month_periods(first(), present()):
        values = []
        for _role, enterprise in chosen:
            settled = enterprise.settled_on or dt.date(first().year, 1, 1)
            if (period.year, period.month) < (settled.year, settled.month):
                continue
            figures = month_values(profiles[enterprise.pk], period.year, period.month)
            for indicator in asked[enterprise.pk]:
                if indicator.code in figures:
                    values.append(
                        FigureInput(enterprise.pk, indicator.pk, period, figures[indicator.code])
                    )
        following = period.next_month()
        rng = random.Random(f"cultivation-{period.key}")
        at = timezone.make_aware(
            dt.datetime(following.year, following.month, rng.randint(3, 10), 16, 0)
        )
        if timezone.localdate(at) > clock.now().today:
            continue  # not due yet on the load day
        result = figures_record(zone=zone, values=values, source=Source.SELF, by=None, at=at)
        recorded += result.created
    return recorded


def _year_sums(zone: Zone, enterprise_ids: list[int], year: int) -> dict[int, dict[str, Decimal]]:
    rows = (
        values_in_effect([zone.pk])
        .filter(enterprise_id__in=enterprise_ids, year=year, indicator__code__in=["tax", "revenue"])
        .values("enterprise_id", "indicator__code")
        .annotate(total=Sum("amount"))
    )
    sums: dict[int, dict[str, Decimal]] = {}
    for row in rows:
        sums.setdefault(row["enterprise_id"], {})[row["indicator__code"]] = row["total"]
    return sums


def _land(zone: Zone, officer: User, own: list[Enterprise]) -> int:
    """Land records (不动产权证) for twelve 规上 manufacturers with figures for 2021 and 2022 and
    for the 培育库's two over the line, sized so that 2022's 亩均税收 spreads over the classes;
    and the zone's cut-offs of 2021 and 2022."""
    c = clock.now()
    for year, (tax_a, rev_a, tax_b, rev_b, tax_c, rev_c) in CUTOFFS.items():
        EfficiencyCutoffs.objects.create(
            zone=zone,
            year=c.year(year),
            tax_a=Decimal(tax_a),
            revenue_a=Decimal(rev_a),
            tax_b=Decimal(tax_b),
            revenue_b=Decimal(rev_b),
            tax_c=Decimal(tax_c),
            revenue_c=Decimal(rev_c),
        )
    makers = list(
        Enterprise.objects.filter(
            zone=zone,
            is_above_scale=True,
            above_scale_year__lte=c.year(2020),
            industries__name__in=MANUFACTURING,
        )
        .distinct()
        .order_by("uscc")
    )
    sums_2022 = _year_sums(zone, [e.pk for e in makers + own], c.year(2022))
    sums_2021 = _year_sums(zone, [e.pk for e in makers + own], c.year(2021))
    holders = [
        e
        for e in makers
        if sums_2022.get(e.pk, {}).get("tax") and sums_2021.get(e.pk, {}).get("tax")
    ][:LAND_HOLDERS] + own
    created = 0
    for n, enterprise in enumerate(holders):
        tax = sums_2022[enterprise.pk]["tax"]
        target = Decimal(TAX_PER_MU_TARGETS[n % len(TAX_PER_MU_TARGETS)])
        mu = max(Decimal(6), min(Decimal(450), (tax / target).quantize(Decimal("0.1"))))
        area = (mu * Decimal(str(MU))).quantize(Decimal("0.01"))
        # Most held their land before 2021; the last one took it in 2022 (new to the list).
        held_from = c.calendar_day(
            dt.date(2022, 3, 18) if n == len(holders) - 3 else dt.date(2017 + n % 4, 4, 1)
        )
        number = 1_000_000 + enterprise.pk
        LandRecord.objects.create(
            enterprise=enterprise,
            area=area,
            source=f"不动产权证 粤({held_from.year})珠海市不动产权第{number:07d}号",
            valid_from=held_from,
            recorded_by=officer,
        )
        created += 1
    return created
