"""The seed's economy, checked against plain sums over its rows. Called from the seed scenario's
test (tests/demo/test_seed_scenario.py) under the clock it loaded the scenario with: loading it
takes most of a minute, and one load serves the article's figures and these."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from python_calamine import CalamineWorkbook

from gaoxin.accounts.models import Zone
from gaoxin.core.formatting import WAN
from gaoxin.demo import clock, economy_data
from gaoxin.demo.economy_data import SHEET_PATH
from gaoxin.economy.models import FigureValue, ImportBatch, ProjectDispatch, SelfReport, Source
from gaoxin.economy.periods import Period, month_periods
from gaoxin.enterprises.models import Enterprise
from gaoxin.policies.models import PlanTarget


def _in_effect(zone: Zone, code: str) -> list[FigureValue]:
    return list(
        FigureValue.objects.filter(zone=zone, in_effect=True, indicator__code=code).select_related(
            "enterprise"
        )
    )


def check_seed_economy(zone: Zone) -> None:
    c = clock.now()
    FIRST, PRESENT = economy_data.first(), economy_data.present()
    last = economy_data.bureau_periods()[-1]  # the bureau's latest: 1–2月 comes in March
    above = [e for e in Enterprise.objects.filter(zone=zone, is_above_scale=True)]
    assert len(above) == 41
    revenue = _in_effect(zone, "revenue")
    months: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for row in revenue:
        for month in row.period.months:
            months[row.enterprise_id].add((row.year, month))

    # Every 规上 enterprise has a figure for every month from the first January (or the month
    # it settled) through the bureau's latest period; from the year it reached 规上, the
    # bureau's, with 1–2月 as one.
    for enterprise in above:
        settled = enterprise.settled_on or dt.date(FIRST.year, 1, 1)
        start = max(FIRST, Period(settled.year, settled.month, settled.month))
        expected = {
            (p.year, p.month) for p in month_periods(start, Period.of(last.year, last.month))
        }
        assert expected <= months[enterprise.pk], enterprise
        bureau = [r for r in revenue if r.enterprise_id == enterprise.pk and r.source == "bureau"]
        assert bureau, enterprise
        assert all(r.year >= (enterprise.above_scale_year or 0) for r in bureau)
        # A combined period is the bureau's 1–2月, or the import's record of an enterprise's
        # first figures of a year (new to the zone or to the directory) from January.
        firsts = {}
        for r in sorted(bureau, key=lambda r: (r.year, r.month)):
            firsts.setdefault(r.year, r)
        assert all(
            r.month == 2 or firsts[r.year] is r for r in bureau if r.first_month == 1 != r.month
        )
        if start.month == 1 and start.year < last.year:
            assert any(r.period == Period(last.year, 2, 1) for r in bureau)

    # The month values add up to each cumulative the bureau gave.
    amounts: dict[tuple[int, int, int], list[FigureValue]] = defaultdict(list)
    for row in FigureValue.objects.filter(zone=zone, in_effect=True).select_related("indicator"):
        amounts[(row.enterprise_id, row.indicator_id, row.year)].append(row)
    checked = 0
    for rows in amounts.values():
        for row in rows:
            if row.cumulative is None:
                continue
            added = sum(r.amount for r in rows if r.month <= row.month)
            assert added == row.cumulative, row
            checked += 1
    assert checked > 1000

    # One import a bureau period, 1–2月 combined, known from the 15th–20th of the next month.
    batches = ImportBatch.objects.filter(zone=zone, source=Source.BUREAU)
    periods = sorted(b.period for b in batches)
    assert periods == sorted(economy_data.bureau_periods())
    assert periods[0] == Period(FIRST.year, 2, 1)  # no January alone: 1–2月
    for row in FigureValue.objects.filter(zone=zone, source="bureau").only(
        "year", "month", "known_from", "first_month"
    )[:500]:
        following = Period(row.year, row.month, row.month).next_month()
        known = timezone.localtime(row.known_from).date()
        assert (known.year, known.month) == (following.year, following.month)
        assert 15 <= known.day <= 20

    # Plausible: 工业总产值 only for manufacturers, some profit below zero, 负增长企业, the
    # zone growing 5–25% on the same enterprises, a low February and a strong December.
    output_ids = {r.enterprise_id for r in _in_effect(zone, "output")}
    services = {
        e.pk
        for e in Enterprise.objects.filter(
            zone=zone, industries__name__in=["软件和信息服务", "生产性服务业"]
        )
    }
    assert output_ids and not output_ids & services
    assert any(r.amount < 0 for r in _in_effect(zone, "profit"))
    ytd: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in revenue:
        if row.month <= last.month and row.source == "bureau":
            ytd[(row.enterprise_id, row.year)] += row.amount
    both = [e for (e, y) in ytd if y == last.year and (e, last.year - 1) in ytd]
    shrinking = [e for e in both if ytd[(e, last.year)] < ytd[(e, last.year - 1)]]
    assert shrinking
    now = sum(ytd[(e, last.year)] for e in both)
    before = sum(ytd[(e, last.year - 1)] for e in both)
    assert Decimal("1.05") < now / before < Decimal("1.25")
    bureau_2022 = [r for r in revenue if r.year == c.year(2022) and r.source == "bureau"]
    december = sum(r.amount for r in bureau_2022 if r.month == 12)
    march = sum(r.amount for r in bureau_2022 if r.month == 3)
    january_february = sum(r.amount for r in bureau_2022 if r.period == Period(c.year(2022), 2, 1))
    assert december > march > january_february / 2

    # Self-reports: on time, late and missing for the present month.
    following = PRESENT.next_month()
    deadline = dt.date(following.year, following.month, 10)
    reports = SelfReport.objects.filter(enterprise__zone=zone, year=PRESENT.year)
    this_month = [r for r in reports if r.month == PRESENT.month]
    # Those asked for the month: the 规下 enterprises asked to report, in the zone by then.
    asked = Enterprise.objects.filter(zone=zone, uscc__in=economy_data._asked_to_report())
    membership = economy_data.Membership(asked)
    month_end = dt.date(following.year, following.month, 1) - dt.timedelta(days=1)
    reporters = {
        e.pk
        for e in asked
        if not membership.member(e, PRESENT) and (e.settled_on or month_end) <= month_end
    }
    on_time = [r for r in this_month if timezone.localtime(r.submitted_at).date() <= deadline]
    late = [r for r in this_month if timezone.localtime(r.submitted_at).date() > deadline]
    missing = reporters - {r.enterprise_id for r in this_month}
    assert on_time and late and missing
    assert len(on_time) > len(late)
    assert ProjectDispatch.objects.filter(project__zone=zone).exists()

    # 经济体量双倍增: measured on the zone's 营业收入 over twelve months; the baseline is 2021's.
    target = PlanTarget.objects.get(plan__zone=zone, metric_key="economy.rolling12.revenue")
    year_2021 = sum(r.amount for r in revenue if r.year == c.year(2021))
    assert target.baseline_value == year_2021 > 0
    assert target.target_value == 2 * year_2021 and target.target_year == c.year(2025)
    assert target.baseline_on == dt.date(c.year(2021), 12, 31)
    assert "营业收入" in target.label

    # The statistics sheet of the month after: on the scenario's day the committed file is what
    # the function writes; its 上年同期累计 are the records, and its 本年累计 less 本月 is the
    # records' year to date before it.
    def cells(content: bytes) -> list[list[object]]:
        return CalamineWorkbook.from_filelike(_io(content)).get_sheet_by_index(0).to_python()

    written = cells(economy_data.bureau_sheet(zone))
    if c.today == clock.SCENARIO_DAY:
        assert cells(SHEET_PATH.read_bytes()) == written
    assert written[1][0] == "单位：万元"
    assert written[3][:6] == [
        "统一社会信用代码",
        "单位详细名称",
        "本月",
        "本年累计",
        "上年同期累计",
        "增速(%)",
    ]
    by_uscc = {e.uscc: e for e in above}
    sheet_period = economy_data.sheet_period()
    assert sheet_period.first_month == (1 if sheet_period.month == 2 else sheet_period.month)
    last_year = sheet_period.same_last_year()
    records = {(r.enterprise_id, r.year, r.month): r for r in revenue if r.source == "bureau"}
    data = written[4:]
    assert len(data) >= 40
    for line in data:
        enterprise = by_uscc[str(line[0])]
        month, cumulative = Decimal(str(line[2])), Decimal(str(line[3]))
        record = records.get((enterprise.pk, last_year.year, last_year.month))
        if record is None:  # not yet 规上, or not yet in the zone, a year ago
            assert line[4] in ("", None)
        else:
            assert Decimal(str(line[4])) == record.cumulative / WAN
        if sheet_period.first_month == 1:  # 1–2月 or January: nothing before it that year
            assert cumulative == month
            continue
        before = records[(enterprise.pk, PRESENT.year, PRESENT.month)].cumulative
        assert cumulative - month == before / WAN


def _io(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)
