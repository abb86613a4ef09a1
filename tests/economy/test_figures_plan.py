"""The action plan's 经济体量双倍增 target measured on `economy.rolling12.revenue`: baseline and
target in yuan, progress computed on the figure and shown as money; a target on a growth that
cannot be computed shows no progress instead of failing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.core import formatting
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.policies import plan_selectors, plan_services
from gaoxin.policies.models import ActionPlan
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2024, 1, 20, 12, tzinfo=dt.UTC)


def test_doubling_target_on_rolling_revenue(zone, users, client_as) -> None:
    revenue = Indicator.objects.get(code="revenue")
    firms = [EnterpriseFactory(zone=zone) for _ in range(2)]
    written: dict[tuple[int, int], Decimal] = {}
    values = []
    for index, firm in enumerate(firms):
        for year in (2022, 2023):
            for month in range(1, 13):
                amount = Decimal((index + 1) * 3_000_000 + (year - 2022) * 1_500_000 + month)
                written[(year, month)] = written.get((year, month), Decimal(0)) + amount
                values.append(FigureInput(firm.pk, revenue.pk, Period.of(year, month), amount))
    figures_record(zone=zone, values=values, source=Source.BUREAU, by=None, at=AT)
    baseline = sum((v for (y, _m), v in written.items() if y == 2022), Decimal(0))
    plan = ActionPlan.objects.create(
        zone=zone, title="实体经济高质量发展行动计划", adopted_on=dt.date(2023, 1, 1)
    )
    target = plan_services.plan_target_add(
        plan=plan,
        by=users["admin"],
        label="经济体量双倍增",
        metric_key="economy.rolling12.revenue",
        baseline_value=baseline,
        baseline_on=dt.date(2022, 12, 31),
        target_value=baseline * 2,
        target_year=2027,
    )
    # Twelve months to June 2023: July–December 2022 and January–June 2023.
    current = sum(
        (v for (y, m), v in written.items() if (y == 2022 and m > 6) or (y == 2023 and m <= 6)),
        Decimal(0),
    )
    ((row,),) = [
        p["targets"]
        for p in plan_selectors.plan_progress(
            [plan], as_of=dt.date(2023, 6, 30), allowed_zone_ids=None
        )
    ]
    assert row["current"] == current
    assert row["percent"] == ((current - baseline) * 100 / baseline).quantize(Decimal("0.1"))
    assert row["baseline_shown"] == formatting.money(baseline)
    assert row["target_shown"] == formatting.money(baseline * 2)
    assert row["current_shown"] == formatting.money(current)
    # On the dashboard the target reads the figure as of the day, and links to its records.
    content = client_as("leader").get("/dashboard/", {"as_of": "2023-12-31"}).content.decode()
    full_2023 = sum((v for (y, _m), v in written.items() if y == 2023), Decimal(0))
    assert formatting.money(full_2023) in content
    assert "/metrics/economy.rolling12.revenue/?as_of=2023-12-31" in content
    assert target.metric_key == "economy.rolling12.revenue"


def test_target_on_a_growth_without_base(zone, users, client_as) -> None:
    plan = ActionPlan.objects.create(zone=zone, title="计划", adopted_on=dt.date(2023, 1, 1))
    plan_services.plan_target_add(
        plan=plan,
        by=users["admin"],
        label="营收增速",
        metric_key="economy.growth.revenue",
        baseline_value=Decimal(0),
        baseline_on=dt.date(2022, 12, 31),
        target_value=Decimal(10),
        target_year=2025,
    )
    ((row,),) = [
        p["targets"]
        for p in plan_selectors.plan_progress(
            [plan], as_of=dt.date(2023, 6, 30), allowed_zone_ids=None
        )
    ]
    assert row["percent"] is None and row["current_shown"] == "—"
    assert client_as("leader").get("/dashboard/", {"as_of": "2023-06-30"}).status_code == 200
