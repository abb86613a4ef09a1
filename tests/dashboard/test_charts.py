"""The dashboard's charts as a 驾驶舱 shows them: 同比 on the headline figures (from the
metrics as of the same day a year before), short industry names as the tables have them, an
empty state for a zone without records, a single figure as a number, and the page within its
query budget."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone
from django.utils.translation import override

from gaoxin.dashboard import yoy
from gaoxin.projects.models import Blocker
from tests.factories import IndustryFactory, ProjectFactory

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


def _chart(content: str, name: str) -> dict:
    match = re.search(
        rf'<script id="chart-{name}-data" type="application/json">(.*?)</script>', content, re.S
    )
    assert match, f"no chart {name}"
    return json.loads(match.group(1))


def _tile(content: str, key: str) -> str:
    match = re.search(rf'<a class="tile" [^>]*data-key="{re.escape(key)}"[^>]*>(.*?)</a>', content)
    assert match, f"no tile {key}"
    return match.group(1)


def test_a_zone_without_records_says_so_instead_of_blank_charts(client_as, zone) -> None:
    content = client_as("leader").get(URL).content.decode()
    for name, words in (
        ("funnel", "No projects by this day."),
        ("industry", "No signed projects by this day."),
        ("spaces", "No industrial spaces recorded by this day."),
        ("designations", "No enterprise holds a designation on the day."),
        ("blocker-status", "No open blockers on the day."),
        ("departments", "Nothing overdue on the day."),
    ):
        assert f'<p class="chart-empty" id="chart-{name}">{words}</p>' in content
        assert f'id="chart-{name}-data"' not in content  # no empty frame drawn


def test_a_single_figure_is_a_number_not_a_one_bar_chart(client_as, zone, users) -> None:
    project = ProjectFactory(zone=zone, officer=users["officer"])
    today = timezone.localdate()
    for _ in range(3):
        Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="难点",
            department=users["department"].department,
            raised_on=today - dt.timedelta(days=5),
            due_on=today + dt.timedelta(days=5),
        )
    content = client_as("leader").get(URL).content.decode()
    single = re.search(
        r'<a class="chart-single" id="chart-blocker-status" href="([^"]+)">(.*?)</a>', content
    )
    assert single, "the open blockers by status are not shown as one number"
    assert single.group(1).startswith("/metrics/blockers.open/")
    assert '<span class="chart-single-value">3</span>' in single.group(2)
    assert "To handle (待处理)" in single.group(2)
    assert 'id="chart-blocker-status-data"' not in content


def test_industry_bars_use_the_short_name_as_the_table_does(client_as, zone, users) -> None:
    software = IndustryFactory(zone=zone, name="软件和信息服务", short_name="软信")
    storage = IndustryFactory(zone=zone, name="储能")
    for industry, amount in ((software, 300_000_000), (storage, 100_000_000)):
        ProjectFactory(
            zone=zone,
            industry=industry,
            officer=users["officer"],
            fixed_asset_investment=amount,
            expected_annual_output=amount,
        )
    content = client_as("leader").get(URL).content.decode()
    bars = _chart(content, "industry")["data"][0]
    assert bars["y"] == ["软信", "储能"]
    table = content[content.index('id="industry-table"') :]
    assert ">软信</a>" in table and "软件和信息服务" not in table
    # Round ticks on the money axis, in 亿元, with room for the values at the bar ends.
    axis = _chart(content, "industry")["layout"]["xaxis"]
    assert axis["dtick"] in (0.5, 1, 2, 2.5, 5) and axis["range"][1] % axis["dtick"] == 0


def test_headline_figures_show_their_change_on_a_year_before(client_as, zone, users) -> None:
    today = timezone.localdate()
    a_year_before = yoy.same_day_a_year_before(today)
    for stage_on in (a_year_before - dt.timedelta(days=30), today - dt.timedelta(days=3)):
        ProjectFactory(zone=zone, officer=users["officer"], stage_on=stage_on)
    content = client_as("leader").get(URL).content.decode()
    signed = _tile(content, "projects.reached.signed")
    # 2 now, 1 on the same day a year before: up by 100%, in the good colour, said in words too.
    assert 'class="tile-yoy tone-good"' in signed
    assert '<span aria-hidden="true">▲</span>' in signed
    assert '<span class="visually-hidden">increase </span>100%' in signed
    assert "The same day a year before: 1" in signed


def test_more_overdue_work_is_bad_news(client_as, zone, users) -> None:
    assert yoy.change(yoy.Decimal(50), key="blockers.overdue")["tone"] == "bad"
    assert yoy.change(yoy.Decimal(-50), key="blockers.overdue")["tone"] == "good"
    assert yoy.change(yoy.Decimal(-12.34), key="projects.reached.signed") == {
        "arrow": "▼",
        "shown": "12.3%",
        "direction": "decrease",
        "tone": "bad",
    }
    assert yoy.change(yoy.Decimal("NaN")) is None
    assert yoy.same_day_a_year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)


def test_dashboard_within_its_query_budget(
    client_as, zone, users, django_assert_max_num_queries
) -> None:
    ProjectFactory(zone=zone, officer=users["officer"])
    client = client_as("leader")
    client.get(URL)  # the session and the user's zones
    # 62 today, of which the 同比 (the tiles' metrics a year before, siblings read together) take
    # about a dozen; the count does not grow with the rows (test_dashboard.py).
    with django_assert_max_num_queries(64):
        assert client.get(URL).status_code == 200
