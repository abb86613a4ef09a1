"""The seed scenario reproduces the source article's figures, read through the metrics the
dashboard, the briefing and `gaoxin metrics --json` use — and loading it again changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from decimal import Decimal

import pytest
from django.core.management import call_command

from gaoxin.accounts.models import Zone
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.demo import scenario
from tests.demo.economy_checks import check_seed_economy

# The article (DESIGN.md, "The seed scenario"), as metric key → figure.
ARTICLE = {
    "projects.space.reached.planned": 126,
    "projects.space.reached.signed": 96,
    "projects.space.reached.registered": 65,
    "projects.space.current.fitting_out": 37,
    "projects.space.reached.in_production": 12,
    "projects.space.signed.fixed_asset_investment": Decimal("3248000000"),
    "projects.space.signed.expected_output": Decimal("5733000000"),
    "projects.space.signed.expected_above_scale": 47,
    "spaces.count.building": 8,
    "campaigns.applying.2022-gd-zjtx": 156,
    "awards.paid_enterprises.2023-zjtx-1": 20,
}


def figure(zone: Zone, key: str, as_of: dt.date | None = None):
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


@pytest.mark.django_db
def test_the_seed_scenario_reproduces_the_article() -> None:
    """One test, since building the scenario takes seconds: the article's figures, its
    approximate ones, earlier states as of past days, stable keys in `gaoxin metrics --json`,
    and a second load that changes nothing."""
    started = time.monotonic()
    scenario.load()
    elapsed = time.monotonic() - started
    # `make demo` loads it; about 35 s alone on the reference machine (two cores; more when
    # they are shared), most of it the economy's self-reports, one service call each.
    assert elapsed < 240, f"the seed scenario took {elapsed:.0f} s to load"
    zone = Zone.objects.get(code=scenario.ZONE_CODE)

    wrong = {key: figure(zone, key) for key in ARTICLE if figure(zone, key) != ARTICLE[key]}
    assert not wrong, f"figures that differ from the article: {wrong}"

    assert Decimal("2050000") <= figure(zone, "spaces.area.building") <= Decimal("2150000")
    assert Decimal("3200000") <= figure(zone, "spaces.area.total") <= Decimal("3300000")
    paid = figure(zone, "awards.paid.2023-zjtx-1")
    assert Decimal("14000000") < paid < Decimal("14100000")  # "1400多万元"
    assert figure(zone, "projects.land_to_construction.same_day") >= 1  # the TSV project

    assert figure(zone, "projects.space.reached.signed", dt.date(2022, 1, 1)) == 0
    assert 0 < figure(zone, "projects.space.reached.signed", dt.date(2022, 10, 1)) < 96
    assert figure(zone, "campaigns.applying.2022-gd-zjtx", dt.date(2022, 5, 1)) == 0
    assert figure(zone, "awards.paid.2023-zjtx-1", dt.date(2023, 3, 1)) == 0

    # The briefing, in the shipped Chinese catalogue, writes the article's sentence.
    from django.utils import translation

    from gaoxin.dashboard.briefing.compose import compose

    with translation.override("zh-hans"):
        text = compose(MetricScope.of([zone.pk]), zone_label=zone.name).text
    assert (
        "目前，96个项目已签约并将入驻，其中已注册65个、正在装修37个、已投产12个，"
        "固定资产投资预计达32.48亿元，预计新增上规企业47家，预计全年产值可达57.33亿元。"
    ) in text
    assert "目前在建8个5.0产业新空间项目，总建筑面积约210万平方米，" in text
    assert "1400多万元" in text and "156家企业" in text

    check_seed_economy(zone)

    first = io.StringIO()
    call_command("metrics", "--zone", scenario.ZONE_CODE, "--json", stdout=first)
    scenario.load()
    second = io.StringIO()
    call_command("metrics", "--zone", scenario.ZONE_CODE, "--json", stdout=second)
    printed = json.loads(first.getvalue())
    assert printed == json.loads(second.getvalue())
    assert printed["projects.space.reached.signed"] == 96
    assert printed["projects.space.signed.fixed_asset_investment"] == 3248000000
    assert printed["campaigns.applying.2022-gd-zjtx"] == 156
