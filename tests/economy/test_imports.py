"""The statistics bureau's monthly sheet: every kind of bad row refuses the whole sheet, each
named by its row, and nothing is written; a good sheet imports and its year-to-date figures
equal a plain sum of the rows written; the next month's values are derived from the
cumulative ones; the bureau's revisions of last year are noticed and recorded only when
accepted; the queries do not grow with the rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import translation

from gaoxin.core.errors import DomainError
from gaoxin.core.formatting import WAN
from gaoxin.economy.imports import import_statistics, read_statistics_sheet
from gaoxin.economy.models import FigureValue, ImportBatch, Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import value_history, values_in_effect, year_to_date
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from tests.economy.bureau_sheet import bureau_workbook
from tests.factories import EnterpriseFactory, ZoneFactory, make_uscc

pytestmark = pytest.mark.django_db

JAN_FEB = Period(2023, 2, 1)
MARCH = Period.of(2023, 3)
FIRST_DATA_ROW = 5  # title, unit row, two header lines


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def zone():
    return ZoneFactory()


@pytest.fixture
def enterprises(zone):
    return [EnterpriseFactory(zone=zone) for _ in range(6)]


def indicator(code: str) -> Indicator:
    return Indicator.objects.get(code=code)


def two_indicators(rows, **kwargs) -> bytes:
    """营业收入 and 利润总额, each with 本月, 本年累计, 上年同期累计, 增速(%), in 万元."""
    return bureau_workbook(rows, indicators=("营业收入", "利润总额"), **kwargs)


def good_rows(enterprises, scale: int) -> list[tuple]:
    rows = []
    for n, e in enumerate(enterprises, start=1):
        revenue_cum = Decimal(100 * n * scale) + Decimal("0.5")
        profit_cum = Decimal(-3 * n) if n % 3 == 0 else Decimal(7 * n * scale)
        rows.append((e.uscc, e.name, "", revenue_cum, "", "", "", profit_cum, "", ""))
    return rows


def ytd(zone, code: str, period: Period) -> Decimal:
    rows = year_to_date(values_in_effect([zone.pk]).filter(indicator__code=code), period)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def test_a_sheet_with_every_kind_of_bad_row_is_refused_whole(zone, enterprises) -> None:
    first = read_statistics_sheet(zone, two_indicators(good_rows(enterprises[:5], 1)), JAN_FEB)
    assert first.ok, first.errors
    import_statistics(zone=zone, sheet=first, by=None)
    # enterprises[5] gave January alone, so its March does not follow (February is missing).
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprises[5].pk, indicator(code).pk, Period.of(2023, 1), Decimal(1))
            for code in ("revenue", "profit")
        ],
        source=Source.BUREAU,
        by=None,
    )
    figures_before = FigureValue.objects.count()
    batches_before = ImportBatch.objects.count()
    e = enterprises
    rows = [
        (e[0].uscc, e[0].name, "", 500, "", "", "", 20, "", ""),  # fine
        (make_uscc(7), "珠海不在册科技有限公司", "", 10, "", "", "", 1, "", ""),  # not registered
        (e[1].uscc, "珠海别的名字有限公司", "", 10, "", "", "", 1, "", ""),  # another name
        (e[2].uscc, e[2].name, "", "一百万", "", "", "", 1, "", ""),  # not a number
        (e[3].uscc, e[3].name, "", -5, "", "", "", -8, "", ""),  # negative revenue
        (e[4].uscc, e[4].name, "", 900, "", "", "", 2, "", ""),  # twice …
        (e[4].uscc, e[4].name, "", 900, "", "", "", 2, "", ""),  # … in the file
        (e[5].uscc, e[5].name, "", 50, "", "", "", 3, "", ""),  # February not on record
    ]
    sheet = read_statistics_sheet(zone, two_indicators(rows), MARCH)
    assert not sheet.ok
    problems: dict[int, list[str]] = {}
    for problem in sheet.errors:
        assert problem.row is not None
        problems.setdefault(problem.row - FIRST_DATA_ROW, []).append(problem.message)
    assert 0 not in problems
    assert "No enterprise of this zone has the code" in problems[1][0]
    assert f"belongs to {e[1].name}" in problems[2][0]
    assert "一百万" in problems[3][0] and "not an amount" in problems[3][0]
    assert problems[4] == ["营业收入 cannot be negative: “-5”."]  # 利润总额 may be negative
    assert "more than once" in problems[5][0] and "rows 10、11" in problems[5][0]
    assert "more than once" in problems[6][0]
    assert len(problems[7]) == 2  # both indicators
    assert all("does not follow" in message for message in problems[7])
    assert "2023年2月" in problems[7][0]
    assert sorted(problems) == [1, 2, 3, 4, 5, 6, 7]
    with pytest.raises(DomainError, match="Nothing was imported"):
        import_statistics(zone=zone, sheet=sheet, by=None)
    assert FigureValue.objects.count() == figures_before
    assert ImportBatch.objects.count() == batches_before


def test_a_missing_required_column_is_named(zone, enterprises) -> None:
    content = bureau_workbook([(e.uscc, "", 1, 2, 3, 4) for e in enterprises], name_header="备注")
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert [str(p) for p in sheet.file_problems] == ["The sheet has no column 单位详细名称."]
    assert not sheet.ok


def test_good_sheets_import_and_the_year_to_date_is_the_sum_of_the_rows(zone, enterprises) -> None:
    revenue, profit = indicator("revenue"), indicator("profit")
    first_rows = good_rows(enterprises, 1)
    first = read_statistics_sheet(zone, two_indicators(first_rows), JAN_FEB)
    assert first.ok, first.errors
    outcome = import_statistics(zone=zone, sheet=first, by=None, file_name="1-2月.xlsx")
    assert outcome.recorded.created == 2 * len(enterprises)
    assert outcome.batch.rows == len(enterprises)
    # 1–2月 stays one period.
    rows = FigureValue.objects.filter(batch=outcome.batch)
    assert {(r.first_month, r.month) for r in rows} == {(1, 2)}
    assert ytd(zone, "revenue", JAN_FEB) == sum(Decimal(r[3]) * WAN for r in first_rows)
    assert ytd(zone, "profit", JAN_FEB) == sum(Decimal(r[7]) * WAN for r in first_rows)

    march_rows = good_rows(enterprises, 3)
    march = read_statistics_sheet(zone, two_indicators(march_rows), MARCH)
    assert march.ok, march.errors
    import_statistics(zone=zone, sheet=march, by=None)
    # March's own value is its cumulative less 1–2月's.
    for before, now, enterprise in zip(first_rows, march_rows, enterprises, strict=True):
        (row,) = values_in_effect([zone.pk]).filter(
            enterprise=enterprise, indicator=revenue, month=3
        )
        assert row.amount == (Decimal(now[3]) - Decimal(before[3])) * WAN
        assert row.cumulative == Decimal(now[3]) * WAN
        assert row.source == Source.BUREAU
    for code, column in (("revenue", 3), ("profit", 7)):
        assert ytd(zone, code, MARCH) == sum(Decimal(r[column]) * WAN for r in march_rows)
    # The months add back up to the cumulative, enterprise by enterprise.
    for enterprise, row in zip(enterprises, march_rows, strict=True):
        months = year_to_date(
            values_in_effect([zone.pk]).filter(enterprise=enterprise, indicator=profit), MARCH
        )
        assert sum(r.amount for r in months) == Decimal(row[7]) * WAN


def test_a_month_that_disagrees_with_the_cumulative_is_noticed(zone, enterprises) -> None:
    e = enterprises[0]
    first = read_statistics_sheet(
        zone, bureau_workbook([(e.uscc, e.name, 30, 30, "", "")]), JAN_FEB
    )
    import_statistics(zone=zone, sheet=first, by=None)
    march = read_statistics_sheet(zone, bureau_workbook([(e.uscc, e.name, 12, 40, "", "")]), MARCH)
    assert march.ok
    (notice,) = [n for n in march.notices if n.row]  # besides the 合计 line left out
    assert notice.row == FIRST_DATA_ROW and "10万元" in notice.message
    assert march.values()[0].amount == 10 * WAN


def test_one_line_headers_aliases_units_in_headers_and_stocks(zone, enterprises) -> None:
    e = enterprises
    content = bureau_workbook(
        [
            (e[0].uscc, e[0].name, "1,200", "１５", 120),
            (f" {e[1].uscc.lower()} ", e[1].name, 800.5, "", "85"),
            (e[2].uscc, e[2].name, "", "-", ""),
        ],
        indicators=(),
        measures=(),
        two_lines=False,
        unit=None,
        code_header="社会信用代码",
        name_header="单位名称",
        extra_headers=("主营业务收入1-2月（千元）", "税收总额本年累计（万元）", "从业人员期末人数"),
    )
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert sheet.ok, sheet.errors
    got = {(v.enterprise_id, v.indicator_id): v.amount for v in sheet.values()}
    assert got == {
        (e[0].pk, indicator("revenue").pk): Decimal(1_200_000),
        (e[0].pk, indicator("tax").pk): 15 * WAN,
        (e[0].pk, indicator("employees").pk): Decimal(120),
        (e[1].pk, indicator("revenue").pk): Decimal(800_500),
        (e[1].pk, indicator("employees").pk): Decimal(85),
    }
    assert {u.unit for u in sheet.units} == {"千元", "万元"}


def test_a_first_enterprise_whose_name_reads_like_a_measure_is_not_a_header(zone) -> None:
    first = EnterpriseFactory(zone=zone, name="珠海增长累计科技有限公司")
    content = bureau_workbook(
        [(first.uscc, first.name, 10)],
        indicators=(),
        measures=(),
        two_lines=False,
        extra_headers=("营业收入本年累计",),
    )
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert sheet.ok, sheet.errors
    assert [v.amount for v in sheet.values()] == [10 * WAN]


def test_revisions_of_last_year_are_noticed_and_recorded_only_when_accepted(
    zone, enterprises
) -> None:
    revenue = indicator("revenue")
    a, b = enterprises[:2]
    last_year = Period(2022, 2, 1)
    figures_record(
        zone=zone,
        values=[
            FigureInput(a.pk, revenue.pk, last_year, 100 * WAN, 100 * WAN),
            FigureInput(b.pk, revenue.pk, last_year, 50 * WAN, 50 * WAN),
            FigureInput(a.pk, revenue.pk, Period.of(2022, 3), 40 * WAN, 140 * WAN),
        ],
        source=Source.BUREAU,
        by=None,
    )
    rows = [(a.uscc, a.name, "", 120, 110, ""), (b.uscc, b.name, "", 60, 50, "")]
    sheet = read_statistics_sheet(zone, bureau_workbook(rows), JAN_FEB)
    assert sheet.ok, sheet.errors
    (revision,) = sheet.revisions
    assert (revision.enterprise_id, revision.on_record, revision.in_sheet) == (
        a.pk,
        100 * WAN,
        110 * WAN,
    )
    (notice,) = [n for n in sheet.notices if n.row]
    assert notice.row == FIRST_DATA_ROW and "revised" in notice.message
    import_statistics(zone=zone, sheet=sheet, by=None)
    assert values_in_effect([zone.pk]).get(enterprise=a, year=2022, month=2).amount == 100 * WAN

    again = read_statistics_sheet(zone, bureau_workbook(rows), JAN_FEB)
    import_statistics(zone=zone, sheet=again, by=None, accept_revisions=True)
    history = list(value_history(a.pk, revenue.pk, last_year))
    assert [h.amount for h in history] == [110 * WAN, 100 * WAN]  # the old one kept
    # March of last year is derived again, so the months still add up to its cumulative.
    march = values_in_effect([zone.pk]).get(enterprise=a, year=2022, month=3)
    assert march.amount == 30 * WAN and march.cumulative == 140 * WAN
    assert ytd(zone, "revenue", Period.of(2022, 3)) == 140 * WAN + 50 * WAN


def test_scale_markers_enter_and_leave_the_directory(zone, enterprises) -> None:
    a, b = enterprises[:2]
    content = bureau_workbook(
        [(a.uscc, a.name, "", 10, "", "", "新入统"), (b.uscc, b.name, "", 10, "", "", "")],
        extra_headers=("入统/退库",),
    )
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert sheet.ok, sheet.errors
    outcome = import_statistics(zone=zone, sheet=sheet, by=None)
    assert (outcome.entered, outcome.left) == (1, 0)
    spell = ScaleSpell.objects.get(enterprise=a)
    assert spell.entered_on.isoformat() == "2023-01-01"
    assert not ScaleSpell.objects.filter(enterprise=b).exists()


@pytest.mark.parametrize("size", [5, 60])
def test_queries_do_not_grow_with_the_rows(zone, size, django_assert_max_num_queries) -> None:
    enterprises = [EnterpriseFactory(zone=zone) for _ in range(size)]
    first = two_indicators(good_rows(enterprises, 1))
    march = two_indicators(good_rows(enterprises, 2))
    with django_assert_max_num_queries(30):
        sheet = read_statistics_sheet(zone, first, JAN_FEB)
        import_statistics(zone=zone, sheet=sheet, by=None)
    with django_assert_max_num_queries(30):
        sheet = read_statistics_sheet(zone, march, MARCH)
        assert sheet.ok
        import_statistics(zone=zone, sheet=sheet, by=None)


def test_an_enterprise_new_this_year_is_recorded_from_january(zone, enterprises) -> None:
    """新入统 mid-year: no figure of it earlier this year while the others have February, so
    its 本年累计 is recorded as one period 1–3月 and the year to date stays the bureau's."""
    first = read_statistics_sheet(zone, two_indicators(good_rows(enterprises[:5], 1)), JAN_FEB)
    import_statistics(zone=zone, sheet=first, by=None)
    march_rows = good_rows(enterprises, 3)
    march = read_statistics_sheet(zone, two_indicators(march_rows), MARCH)
    assert march.ok, march.errors
    assert any("recorded for 2023年1–3月" in n.message for n in march.notices)
    import_statistics(zone=zone, sheet=march, by=None)
    (row,) = values_in_effect([zone.pk]).filter(
        enterprise=enterprises[5], indicator__code="revenue"
    )
    assert (row.first_month, row.month) == (1, 3)
    assert ytd(zone, "revenue", MARCH) == sum(Decimal(r[3]) * WAN for r in march_rows)


def test_a_sheet_whose_month_before_nobody_has_does_not_follow(zone, enterprises) -> None:
    sheet = read_statistics_sheet(zone, two_indicators(good_rows(enterprises, 3)), MARCH)
    assert not sheet.ok
    assert all("does not follow" in p.message for p in sheet.errors)
    assert len(sheet.errors) == 2 * len(enterprises)


def test_indicator_names_on_a_line_above_the_header(zone, enterprises) -> None:
    rows = good_rows(enterprises, 1)
    content = two_indicators(rows, names_above=True)
    sheet = read_statistics_sheet(zone, content, JAN_FEB)
    assert sheet.ok, sheet.errors or sheet.file_problems
    import_statistics(zone=zone, sheet=sheet, by=None)
    assert ytd(zone, "revenue", JAN_FEB) == sum(Decimal(r[3]) * WAN for r in rows)
    assert ytd(zone, "profit", JAN_FEB) == sum(Decimal(r[7]) * WAN for r in rows)
