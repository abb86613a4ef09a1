"""The dashboard's 经济运行 section: the year-to-date totals and their 同比 are the metrics', equal
to Python sums over the rows written; the months chart links each bar to its month's records;
the reporting status is part B's summary; no figures, no section; bounded queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from gaoxin.dashboard import economy
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 7, 15, 12, tzinfo=dt.UTC)


@dataclass
class Summary:
    expected: int
    reported: int
    late: int
    missing: int


@pytest.fixture
def written(zone):
    output = Indicator.objects.get(code="output")
    revenue = Indicator.objects.get(code="revenue")
    industry = IndustryFactory(zone=zone, name="传感器")
    rows, values = {}, []
    for index, name in enumerate(["一号工厂", "二号工厂", "小微企业"]):
        enterprise = EnterpriseFactory(zone=zone, name=name)
        enterprise.industries.add(industry)
        if index < 2:  # 规上 since 2021
            ScaleSpell.objects.create(enterprise=enterprise, entered_on=dt.date(2021, 1, 1))
        for indicator in (output, revenue):
            for year in (2022, 2023):
                for month in range(1, 7):
                    amount = Decimal((index + 1) * 1_000_000 * (year - 2020) + month * 1000)
                    rows[(name, indicator.code, year, month)] = amount
                    values.append(
                        FigureInput(enterprise.pk, indicator.pk, Period.of(year, month), amount)
                    )
    figures_record(zone=zone, values=values, source=Source.BUREAU, by=None, at=AT)
    return rows


def total(rows, code, year, names=None) -> Decimal:
    return sum(
        (
            a
            for (n, c, y, m), a in rows.items()
            if c == code and y == year and (names is None or n in names)
        ),
        Decimal(0),
    )


def test_the_section(client_as, written, monkeypatch) -> None:
    asked = []

    def summary(zone_ids, period):
        asked.append(period)
        return Summary(expected=3, reported=2, late=1, missing=1)

    monkeypatch.setattr(economy, "reporting_status", summary)
    # As of a day in August: July has no figures, so the section shows 1–6月.
    response = client_as("leader").get("/dashboard/", {"as_of": "2023-08-20"})
    assert response.status_code == 200
    section = response.context["economy"]
    assert section["period"] == Period.of(2023, 6)
    assert asked == [Period.of(2023, 6)]
    by_key = {h["total"].key: h for h in section["headlines"]}
    above = {"一号工厂", "二号工厂"}
    output = by_key["economy.ytd.output.group.above"]
    this, last = total(written, "output", 2023, above), total(written, "output", 2022, above)
    assert output["total"].value == this
    assert output["growth"].value == ((this - last) * 100 / last).quantize(Decimal("0.1"))
    assert by_key["economy.ytd.revenue"]["total"].value == total(written, "revenue", 2023)
    assert "as_of=2023-06-30" in output["growth"].url
    body = response.content.decode()
    assert output["growth"].shown in body and "2/3" in body
    bars = section["months"]["chart"]["figure"]["data"]
    assert [b["name"] for b in bars] == ["2022", "2023"]
    assert len(bars[1]["customdata"]) == 6 and "as_of=2023-03-31" in bars[1]["customdata"][2]


def test_no_figures_no_section(client_as, zone) -> None:
    response = client_as("leader").get("/dashboard/")
    assert response.context["economy"] is None


def test_queries_bounded(client_as, written, django_assert_max_num_queries) -> None:
    client = client_as("leader")
    client.get("/dashboard/", {"as_of": "2023-06-30"})
    with django_assert_max_num_queries(120):
        client.get("/dashboard/", {"as_of": "2023-06-30"})


def test_the_briefing_paragraph(zone, written) -> None:
    from django.utils import translation

    from gaoxin.core import formatting
    from gaoxin.core.metrics import MetricScope
    from gaoxin.dashboard.briefing import compose as writer

    with translation.override("zh-hans"):
        briefing = writer.compose(
            MetricScope.of([zone.pk], dt.date(2023, 6, 30)),
            zone_label=zone.name,
            zone_code=zone.code,
        )
    (section,) = [s for s in briefing.sections if s.heading == "经济运行"]
    (paragraph,) = section.paragraphs
    above = {"一号工厂", "二号工厂"}
    output = total(written, "output", 2023, above)
    growth = (
        (output - total(written, "output", 2022, above))
        * 100
        / total(written, "output", 2022, above)
    ).quantize(Decimal("0.1"))
    revenue = total(written, "revenue", 2023)
    assert paragraph.text.startswith(
        f"2023年1–6月，全区规上工业总产值{formatting.money(output)}，"
        f"同比增长{formatting.number(growth, places=1)}%；"
        f"营业收入{formatting.money(revenue)}，同比增长"
    )
    assert paragraph.text.endswith("。")
    keys = [f.key for f in paragraph.figures]
    assert keys[:3] == [
        "economy.ytd.output.group.above",
        "economy.growth.output.group.above",
        "economy.ytd.revenue",
    ]
    # Without figures the briefing has no economy section.
    with translation.override("zh-hans"):
        earlier = writer.compose(MetricScope.of([zone.pk], dt.date(2021, 6, 30)), zone_label="")
    assert all(s.heading != "经济运行" for s in earlier.sections)
