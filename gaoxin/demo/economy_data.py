"""The demo zone's economy (经济运行): monthly figures of its enterprises from 2021-01 through
the seed's present month, recorded the way they arrive.

"Present" is the load day (gaoxin/demo/clock.py). In the scenario's own calendar it is the
article's day, 2023-06-20: by then the statistics bureau has published May (its sheet arrives
around the 15th–20th of the next month) and the self-reports for May were due on the 10th, so
the figures run through PRESENT = 2023年5月, and the sheet in gaoxin/demo/sheets/ is June's,
the month after: importing it adds 2023年6月 (本年累计 1–6月, the article's register). Loaded on
another day, the series runs from January two years before through the last month published
by that day (`present()`), the statistical years moved by whole years (`first()`); the
self-reports start as many months before present() as in the scenario
(`self_reporting_from()`); the sheet to import by hand is the month after (`sheet_period()`,
written by `gaoxin demo --sheet PATH`); figures not yet due by the load day are not recorded.

- 规上 enterprises report to the bureau: one `ImportBatch` a period, 1–2月 as one period, the
  cumulative (本年累计) given, recorded through `figures_record(source="bureau")` dated on a
  day from the 15th to the 20th of the next month. Membership is read from the enterprises'
  dated `ScaleSpell`s where any exist, else from the 规上 flag and the year it was reached:
  an enterprise that reached 规上 in 2022 self-reports in 2021 and reports to the bureau
  from 2022年1–2月 (新入统).
- The others self-report through `self_report_submit`, month by month: most on time, some
  late, a few miss months (so the reporting status has 已报, 未报 and 逾期).
- Signed projects not yet in production report dispatch (项目调度) through `dispatch_report`.

Every figure follows from the enterprise's USCC and the month through a seeded Random of its
own, so a figure does not depend on the order of loading or on anything else in the seed;
amounts are whole hundreds of yuan, so the sheet's 万元 with two decimals are exact.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db.models import Sum
from django.utils import timezone

from gaoxin.accounts.models import User, Zone
from gaoxin.core.excel import write_workbook
from gaoxin.core.formatting import WAN
from gaoxin.demo import clock
from gaoxin.demo.clock import SCENARIO_PRESENT
from gaoxin.demo.registry_data import demo_uscc
from gaoxin.economy.dispatch.services import dispatch_report
from gaoxin.economy.imports import import_statistics, read_statistics_sheet
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period, month_periods
from gaoxin.economy.reporting.services import (
    NeedsConfirmation,
    indicators_for,
    is_industrial,
    self_report_submit,
)
from gaoxin.economy.selectors import values_in_effect, year_to_date
from gaoxin.economy.services import economy_settings
from gaoxin.enterprises.models import Enterprise, ScaleSpell
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage

FIRST = Period(2021, 1, 1)
# The zone asked its 规下 enterprises for monthly self-reports from January 2023; its 小升规
# candidates (the enterprises that reached 规上 later) reported monthly from 2021 until 入统.
SELF_REPORTING_FROM = Period(2023, 1, 1)
PRESENT = SCENARIO_PRESENT  # the last month whose figures are known on the scenario's day
SHEET_PERIOD = PRESENT.next_month()  # the sheet a user imports by hand: 2023年6月
# The scenario day's sheet (a load on 2023-06-20 writes it cell for cell).
SHEET_PATH = Path(__file__).parent / "sheets" / "2023-06-规上企业主要指标.xlsx"
HUNDRED = Decimal(100)
# The action plan's 经济体量双倍增 target: the zone's 营业收入 over the twelve months to a day.
VOLUME_METRIC = "economy.rolling12.revenue"
VOLUME_LABEL = "经济体量双倍增（全区企业营业收入，近12个月）"
REGISTRY_SERIALS = 5000  # registry_data's enterprises; seed_data's own start here

# The zone's industries whose enterprises make things (GB/T 4754 section C), used where an
# enterprise has no national class yet.
MANUFACTURING = {"储能", "传感器", "医疗器械", "集成电路", "智能制造", "新材料"}
# A month's share of the year, times 12: a low February (春节), a strong December.
SEASON = (0.92, 0.58, 1.0, 0.98, 1.0, 1.06, 0.96, 0.98, 1.02, 1.04, 1.08, 1.38)
# The bureau's and the self-report's indicators, in the catalogue's codes.
BUREAU_INDICATORS = ("revenue", "output", "tax", "profit", "rnd", "employees")
# How enterprises keep the deadline: share of enterprises, chance a month is late, missed.
HABITS = ((0.72, 0.04, 0.0), (0.18, 0.35, 0.0), (0.10, 0.30, 0.25))


def first() -> Period:
    """The economy's first month on the load day's calendar."""
    return clock.now().period(FIRST)


def present() -> Period:
    """The last month published on the load day."""
    return clock.now().present


def self_reporting_from() -> Period:
    """When the zone began asking its 规下 enterprises for monthly figures: as many months
    before present() as in the scenario (January to May), so that the radars weigh as many
    months of theirs on every load day (ten months in, some would look close to the line)."""
    months = (SCENARIO_PRESENT.year - SELF_REPORTING_FROM.year) * 12 + (
        SCENARIO_PRESENT.month - SELF_REPORTING_FROM.month
    )
    index = present().year * 12 + present().month - 1 - months
    return Period.of(index // 12, index % 12 + 1)


def sheet_period() -> Period:
    """The period whose sheet a user imports by hand: the month after present() (1–2月 when
    that is February: the bureau publishes them as one)."""
    following = present().next_month()
    return Period(following.year, 2, 1) if following.month == 2 else following


def _arrived(moment: dt.datetime) -> bool:
    """Whether something dated `moment` has happened by the load day."""
    return timezone.localdate(moment) <= clock.now().today


@dataclass(frozen=True)
class Profile:
    """What an enterprise's figures are drawn around: its 2021 revenue, a yearly growth, its
    margins and rates, its workforce."""

    uscc: str
    revenue_2021: float  # yuan a year
    growth: float  # a year, e.g. 0.15
    output_ratio: float
    tax_rate: float
    margin: float
    rnd_rate: float
    employees: int


def profile(enterprise: Enterprise, *, above_scale: bool, industrial: bool) -> Profile:
    rng = random.Random(f"profile-{enterprise.uscc}")
    if above_scale:  # 规上: tens of millions to billions a year
        low, high = (3e7, 1.5e9) if industrial else (1.5e7, 4e8)
    else:
        low, high = (2e6, 1.8e7)
    growth = rng.gauss(0.15, 0.13)
    if rng.random() < 0.12:  # a bad stretch: 负增长企业
        growth = -rng.uniform(0.05, 0.25)
    return Profile(
        uscc=enterprise.uscc,
        revenue_2021=math.exp(rng.uniform(math.log(low), math.log(high))),
        growth=growth,
        output_ratio=rng.uniform(0.88, 1.08),
        tax_rate=rng.uniform(0.02, 0.07),
        margin=rng.gauss(0.07, 0.05),
        rnd_rate=rng.uniform(0.02, 0.09),
        employees=max(8, int(enterprise.employees or rng.randint(20, 600))),
    )


def _hundreds(value: float) -> Decimal:
    return Decimal(round(value / 100)) * HUNDRED


def month_values(p: Profile, year: int, month: int) -> dict[str, Decimal]:
    """One month's figures of every indicator, in yuan (employees in people): the same for the
    same enterprise and month whoever asks."""
    # Drawn by the scenario's year, so a month's figures are the same on every load day.
    rng = random.Random(f"{p.uscc}-{year - clock.now().years}-{month}")
    years = year - first().year + (month - 1) / 12
    revenue = p.revenue_2021 * (1 + p.growth) ** years * SEASON[month - 1] / 12
    revenue *= rng.uniform(0.93, 1.07)
    return {
        "revenue": _hundreds(revenue),
        "output": _hundreds(revenue * p.output_ratio * rng.uniform(0.97, 1.03)),
        "tax": _hundreds(revenue * p.tax_rate * rng.uniform(0.6, 1.4)),
        "profit": _hundreds(revenue * (p.margin + rng.gauss(0, 0.04))),
        "rnd": _hundreds(revenue * p.rnd_rate * rng.uniform(0.8, 1.2)),
        "employees": Decimal(
            max(5, round(p.employees * (1 + p.growth / 2) ** years * rng.uniform(0.98, 1.02)))
        ),
    }


def period_values(
    p: Profile, period: Period, from_month: int = 1
) -> dict[str, tuple[Decimal, Decimal | None]]:
    """The period's own value and its 本年累计 (None for a stock) of every indicator, counting
    the months from `from_month` (the month an enterprise settled in the zone that year)."""
    months = {m: month_values(p, period.year, m) for m in range(from_month, period.month + 1)}
    result: dict[str, tuple[Decimal, Decimal | None]] = {}
    for code in BUREAU_INDICATORS:
        if code == "employees":
            result[code] = (months[period.month][code], None)
            continue
        own = sum((months[m][code] for m in period.months if m in months), Decimal(0))
        result[code] = (own, sum((v[code] for v in months.values()), Decimal(0)))
    return result


def bureau_periods(start: Period | None = None, last: Period | None = None) -> list[Period]:
    """The bureau's periods: 1–2月 as one, then every month (by default first() to
    present())."""
    periods = []
    for month in month_periods(start or first(), last or present()):
        if month.month == 1:
            continue
        periods.append(Period(month.year, 2, 1) if month.month == 2 else month)
    return periods


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _moment(day: dt.date, hour: int, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59))))


def is_manufacturer(enterprise: Enterprise) -> bool:
    """Industrial (asked 工业总产值): by its national class if it has one, else by the zone
    industry it is in."""
    if enterprise.national_industry_id is not None:
        return is_industrial(enterprise)
    return any(i.name in MANUFACTURING for i in enterprise.industries.all())


class Membership:
    """Who is 规上 in a period: the dated spells where the zone has any, else the flag and the
    year it was reached (the seed's registry before spells)."""

    def __init__(self, enterprises: Iterable[Enterprise]) -> None:
        self.enterprises = list(enterprises)
        ids = [e.pk for e in self.enterprises]
        self.spells: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        for spell in ScaleSpell.objects.filter(enterprise_id__in=ids):
            self.spells.setdefault(spell.enterprise_id, []).append(
                (spell.entered_on, spell.left_on)
            )
        self.from_spells = bool(self.spells)

    def member(self, enterprise: Enterprise, period: Period) -> bool:
        """规上 at the period's end, and in the zone by then."""
        end = _month_end(period.year, period.month)
        if enterprise.settled_on is not None and enterprise.settled_on > end:
            return False
        if self.from_spells:
            return any(
                entered <= end and (left is None or left > end)
                for entered, left in self.spells.get(enterprise.pk, [])
            )
        year = enterprise.above_scale_year
        return enterprise.is_above_scale and (year is None or year <= period.year)

    def ever(self, enterprise: Enterprise) -> bool:
        return self.member(enterprise, present()) or any(
            self.member(enterprise, p) for p in bureau_periods()
        )


def first_month(enterprise: Enterprise, year: int) -> int:
    """The first month of `year` the enterprise was in the zone (13: not that year)."""
    settled = enterprise.settled_on
    if settled is None or settled.year < year:
        return 1
    return settled.month if settled.year == year else 13


def load(zone: Zone, officer: User) -> dict[str, int]:
    """Record the zone's figures, self-reports and dispatches (the seed calls it once)."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    economy_settings(zone)
    enterprises = list(
        Enterprise.objects.filter(zone=zone)
        .select_related("national_industry")
        .prefetch_related("industries")
        .order_by("pk")
    )
    membership = Membership(enterprises)
    industrial = {e.pk: is_manufacturer(e) for e in enterprises}
    profiles = {
        e.pk: profile(e, above_scale=membership.ever(e), industrial=industrial[e.pk])
        for e in enterprises
    }
    asked = _asked_to_report()  # once: 5,000 check digits, not 5,000 per enterprise
    reporters = [e for e in enterprises if e.uscc in asked]
    return {
        "bureau": _bureau(zone, officer, enterprises, membership, profiles, industrial),
        "self_reports": _self_reports(reporters, membership, profiles, indicators),
        "dispatches": _dispatches(zone, officer),
    }


def _asked_to_report() -> set[str]:
    """Whom the zone asks for monthly figures: the registry's enterprises (serials below 5000)
    and the demo login's own, not the project companies registered since 2022 nor the
    campaign's applicants the seed adds."""
    from gaoxin.demo.scenario import DEMO_ENTERPRISE_USCC

    return {demo_uscc(n) for n in range(1, REGISTRY_SERIALS)} | {DEMO_ENTERPRISE_USCC}


def revenue_of_year(zone: Zone, year: int) -> Decimal:
    """The zone's 营业收入 of a whole year: the sum of the rows in effect for its months."""
    rows = year_to_date(values_in_effect([zone.pk]), Period(year, 12, 1))
    total = rows.filter(indicator__code="revenue").aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def _bureau(
    zone: Zone,
    officer: User,
    enterprises: list[Enterprise],
    membership: Membership,
    profiles: dict[int, Profile],
    industrial: dict[int, bool],
) -> int:
    """Each period's sheet, written as the bureau sends it and imported through the
    statistics import (read, checked, all rows or none), dated when it would have arrived."""
    rows = 0
    for period in bureau_periods():
        rng = random.Random(f"bureau-{period.key}")
        following = Period(period.year, period.month, period.month).next_month()
        at = _moment(dt.date(following.year, following.month, rng.randint(15, 20)), 10, rng)
        if not _arrived(at):
            continue
        content = _sheet(
            zone, period, BUREAU_INDICATORS, enterprises, membership, profiles, industrial
        )
        sheet = read_statistics_sheet(zone, io.BytesIO(content), period)
        if sheet.errors:
            raise RuntimeError(f"the seed's {period.key} sheet: {sheet.errors[:3]}")
        outcome = import_statistics(
            zone=zone, sheet=sheet, by=officer, file_name=_file_name(period), at=at
        )
        rows += outcome.recorded.created
    return rows


def _file_name(period: Period) -> str:
    return f"{period.key}-规上企业主要指标.xlsx"


def _habit(enterprise: Enterprise) -> tuple[float, float]:
    draw = random.Random(f"habit-{enterprise.uscc}").random()
    for share, late, missed in HABITS:
        if draw < share:
            return late, missed
        draw -= share
    return HABITS[-1][1], HABITS[-1][2]


def _self_reports(
    enterprises: list[Enterprise],
    membership: Membership,
    profiles: dict[int, Profile],
    indicators: dict[str, Indicator],
) -> int:
    deadline_day = (
        economy_settings(enterprises[0].zone_id).report_deadline_day if enterprises else 10
    )
    users = {u.enterprise_id: u for u in User.objects.filter(enterprise__in=enterprises)}
    submitted = 0
    for enterprise in enterprises:
        asked = indicators_for(enterprise)
        late_chance, missed_chance = _habit(enterprise)
        will_join = membership.ever(enterprise)
        start = enterprise.settled_on or dt.date(first().year, 1, 1)
        since = first() if will_join else self_reporting_from()
        for period in month_periods(since, present()):
            if membership.member(enterprise, period) or (period.year, period.month) < (
                start.year,
                start.month,
            ):
                continue
            rng = random.Random(f"self-{enterprise.uscc}-{period.key}")
            # One that will join the bureau's directory never leaves a month out: its months
            # before 入统 are what its first 本年累计 adds up.
            missed = rng.random() < missed_chance
            # Those who miss months have not reported the latest one yet (未报) on any load day.
            if not will_join and (missed or (missed_chance and period == present())):
                continue
            following = period.next_month()
            day = (
                rng.randint(deadline_day + 1, deadline_day + 18)
                if rng.random() < late_chance
                else rng.randint(1, deadline_day)
            )
            at = _moment(dt.date(following.year, following.month, day), rng.randint(9, 17), rng)
            if not _arrived(at):  # late, and not in yet on the load day
                continue
            figures = month_values(profiles[enterprise.pk], period.year, period.month)
            values = {i: figures[i.code] for i in asked if i.code in figures}
            by = users.get(enterprise.pk)
            try:
                self_report_submit(
                    enterprise=enterprise, period=period, values=values, by=by, at=at
                )
            except NeedsConfirmation:  # the reporter looks again and confirms
                self_report_submit(
                    enterprise=enterprise,
                    period=period,
                    values=values,
                    by=by,
                    at=at,
                    confirmed=True,
                )
            submitted += 1
    return submitted


# The progress lines a project's dispatch gives, by its stage now.
PROGRESS: dict[str, str] = {
    Stage.SIGNED: "完成项目备案，推进公司注册。",
    Stage.REGISTERED: "公司已注册，开展装修方案设计。",
    Stage.FITTING_OUT: "装修施工中，设备采购进行中。",
    Stage.CONSTRUCTION: "主体结构施工中。",
    Stage.LAND_ACQUIRED: "土地已摘牌，办理施工许可。",
    Stage.COMPLETED: "项目已竣工，设备调试中。",
}


def _dispatches(zone: Zone, officer: User) -> int:
    """Projects under way (signed, not yet in production) report each month since signing:
    the investment completed and funds in place, spreading the fixed-asset investment over two
    years."""
    projects = Project.objects.filter(zone=zone, stage__in=list(PROGRESS)).order_by("pk")
    reported = 0
    for project in projects:
        signed = project.stage_changes.filter(to_stage=Stage.SIGNED).order_by("on").first()
        if signed is None:
            continue
        total = project.fixed_asset_investment or project.planned_investment or Decimal(0)
        rng = random.Random(f"dispatch-{project.pk}-{project.name}")
        start = Period(signed.on.year, signed.on.month, signed.on.month)
        for period in month_periods(start, present()):
            if rng.random() < 0.08:  # a month the owner did not report
                continue
            invested = (total / 24 * Decimal(str(rng.uniform(0.4, 1.6))) / WAN).quantize(
                Decimal(1)
            ) * WAN
            in_place = (invested * Decimal(str(rng.uniform(0.7, 1.2))) / WAN).quantize(
                Decimal(1)
            ) * WAN
            following = period.next_month()
            at = _moment(dt.date(following.year, following.month, rng.randint(1, 12)), 15, rng)
            if not _arrived(at):
                continue
            dispatch_report(
                project=project,
                period=period,
                investment_completed=invested,
                funds_in_place=in_place,
                progress=PROGRESS[project.stage],
                by=officer,
                at=at,
            )
            reported += 1
    return reported


# --- the bureau's sheet a user imports by hand --------------------------------------------------

SHEET_INDICATORS = ("revenue", "output")
SHEET_COLUMNS = ("本月", "本年累计", "上年同期累计", "增速(%)")
STOCK_COLUMNS = ("期末",)


def _wan(yuan: Decimal) -> Decimal:
    return (yuan / WAN).quantize(Decimal("0.01"))


def bureau_sheet(zone: Zone, period: Period | None = None) -> bytes:
    """The statistics bureau's monthly sheet of the zone's 规上 enterprises for `period` (the
    month after the last one loaded), with 营业收入 and 工业总产值: what a user imports by hand.
    Run it under the clock the demo was loaded with (`clock.running`)."""
    period = period or sheet_period()
    enterprises = list(
        Enterprise.objects.filter(zone=zone)
        .select_related("national_industry")
        .prefetch_related("industries")
        .order_by("uscc")
    )
    membership = Membership(enterprises)
    industrial = {e.pk: is_manufacturer(e) for e in enterprises}
    profiles = {
        e.pk: profile(e, above_scale=membership.ever(e), industrial=industrial[e.pk])
        for e in enterprises
    }
    return _sheet(zone, period, SHEET_INDICATORS, enterprises, membership, profiles, industrial)


def _sheet(
    zone: Zone,
    period: Period,
    codes: Iterable[str],
    enterprises: list[Enterprise],
    membership: Membership,
    profiles: dict[int, Profile],
    industrial: dict[int, bool],
) -> bytes:
    """A period's sheet in the layout officers receive: a title, the unit (万元), a row naming
    each indicator over its columns, then 统一社会信用代码, 单位详细名称 and, for each flow, 本月,
    本年累计, 上年同期累计 and 增速(%) (a stock: its 期末 value, in people). 上年同期累计 is
    what the records hold for the same period last year (the bureau's cumulative)."""
    names = dict(Indicator.objects.values_list("code", "name"))
    codes = list(codes)
    stocks = {c for c in codes if c == "employees"}
    members = sorted((e for e in enterprises if membership.member(e, period)), key=lambda e: e.uscc)
    last_year = period.same_last_year()
    on_record = {
        (row.enterprise_id, row.indicator.code): row.cumulative
        for row in values_in_effect([zone.pk])
        .filter(
            enterprise__in=members,
            indicator__code__in=codes,
            source=Source.BUREAU,
            year=last_year.year,
            month=last_year.month,
        )
        .select_related("indicator")
    }
    rows = []
    for enterprise in members:
        figures = period_values(
            profiles[enterprise.pk], period, first_month(enterprise, period.year)
        )
        row: list[object] = [enterprise.uscc, enterprise.name]
        for code in codes:
            if code in stocks:
                row.append(figures[code][0])
                continue
            if code == "output" and not industrial[enterprise.pk]:
                row += [None] * len(SHEET_COLUMNS)
                continue
            amount, cumulative = figures[code]
            assert cumulative is not None
            before = on_record.get((enterprise.pk, code))
            growth = ((cumulative / before - 1) * 100).quantize(Decimal("0.1")) if before else None
            row += [
                _wan(amount),
                _wan(cumulative),
                None if before is None else _wan(before),
                growth,
            ]
        rows.append(row)
    groups: list[str] = ["", ""]
    headers: list[str] = ["统一社会信用代码", "单位详细名称"]
    for code in codes:
        columns = STOCK_COLUMNS if code in stocks else SHEET_COLUMNS
        groups += [names[code] + ("（人）" if code in stocks else "")] + [""] * (len(columns) - 1)
        headers += columns
    return write_workbook(
        headers,
        rows,
        sheet_name=f"{period.label}",
        title=f"{zone.name}{period.year}年{period.ytd_label}规模以上企业主要经济指标",
        subtitle="单位：万元",
        header_groups=groups,
    )


def write_sheet(zone: Zone, path: Path = SHEET_PATH) -> Path:
    """Write the next month's sheet (`gaoxin demo --sheet PATH` does, for its load day). The
    committed one in gaoxin/demo/sheets/ is the scenario day's (`gaoxin demo --today 2023-06-20
    --sheet gaoxin/demo/sheets/2023-06-规上企业主要指标.xlsx`); tests/demo checks it still
    equals what this writes for that day."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bureau_sheet(zone))
    return path


def demo_zone() -> Zone:
    from gaoxin.demo.scenario import ZONE_CODE

    return Zone.objects.get(code=ZONE_CODE)
