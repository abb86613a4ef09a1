"""The records behind a figure, each cell written as its kind asks; the index by area."""

from __future__ import annotations

import io
import re

from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import AREAS, MetricScope, area_of, registry
from tests.factories import ProjectFactory

URL = "/metrics/projects.current.signed/"


def cells_of(body: str, text: str) -> str:
    """The <td> holding `text`."""
    match = re.search(r"<td[^>]*>(?:(?!</td>).)*" + re.escape(text) + r".*?</td>", body, re.S)
    assert match is not None, f"{text!r} not in a cell"
    return match.group(0)


def test_money_flags_and_names_are_written_by_kind(
    client_as, zone, users, django_assert_max_num_queries
) -> None:
    project = ProjectFactory(
        zone=zone,
        name="晶圆级封装项目",
        fixed_asset_investment=4_500_000_000,
        expected_annual_output=23_510_000,
        expected_above_scale=True,
    )
    client = client_as("leader")
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    body = response.content.decode()
    assert "4500000000" not in body and "23510000" not in body and "True" not in body
    money = cells_of(body, "45亿元")
    assert 'class="num' in money  # right-aligned, equal-width digits
    assert 'class="num' in cells_of(body, "2,351万元")
    assert ">是<" in cells_of(body, "是")
    assert f'<a href="{project.get_absolute_url()}">晶圆级封装项目</a>' in body
    # The header says no "(元)": each cell says its own unit.
    assert "（元）" not in body.split("<tbody>")[0].split("records")[-1]


def test_a_flag_that_is_not_set_reads_no(client_as, zone, users) -> None:
    ProjectFactory(zone=zone, expected_above_scale=False)
    body = client_as("leader").get(URL).content.decode()
    assert ">否<" in body and "False" not in body


def test_the_query_count_stays_bounded_with_more_rows(
    client_as, zone, users, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    ProjectFactory(zone=zone)
    client.get(URL)
    for _ in range(15):
        ProjectFactory(zone=zone)
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    assert response.content.decode().count("万元") >= 16


def test_the_sheet_keeps_yuan_and_its_header_says_so(client_as, zone, users) -> None:
    ProjectFactory(zone=zone, fixed_asset_investment=4_500_000_000)
    response = client_as("leader").get(URL + "?export=xlsx")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    header, first = rows.to_python()[1:3]
    column = next(i for i, label in enumerate(header) if "固定资产投资" in str(label))
    assert "元" in header[column]
    assert first[column] == 4_500_000_000


def test_an_amount_column_without_a_unit_gets_one_in_the_sheet(client_as, zone, users) -> None:
    from gaoxin.core.cells import export_columns, unit_kind
    from gaoxin.core.metrics import Column, Unit

    records = registry.get("projects.current.signed").records(MetricScope.of([zone.pk]))
    labels = [
        str(column.label)
        for column in export_columns(
            records,
            [Column("固定资产投资", "fixed_asset_investment"), Column("项目", "name")],
            unit_kind(Unit.ITEM),
        )
    ]
    assert labels == ["固定资产投资（元）", "项目"]


def test_every_metric_has_an_area_and_a_chinese_label(zone) -> None:
    from django.utils import translation

    names = {str(name) for _, name in AREAS}
    with translation.override("zh-hans"):
        for metric in registry.expanded(MetricScope.of([zone.pk])):
            index, _name = area_of(metric.key)
            assert index < len(AREAS), f"{metric.key} has no area"
            assert re.search(r"[\u4e00-\u9fff]", str(metric.label)), metric.key
        assert {"项目", "招商线索", "企业", "经济运行", "企业培育", "产业空间", "政策"} <= {
            str(name) for _, name in AREAS
        }
    assert len(names) == len(AREAS)


def test_the_index_groups_figures_by_area_with_chinese_names(client_as, users) -> None:
    body = client_as("leader").get("/metrics/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    headings = re.findall(r'<h2 id="area-\d+-name">([^<]+)</h2>', body)
    assert headings[:3] == ["项目", "审批事项与难点堵点", "招商线索"]
    assert "企业培育" in headings and "经济运行" in headings
    projects = body.split('id="area-1-name"')[1].split("</section>")[0]
    assert "已达签约阶段的项目" in projects and "在库企业" not in projects
    # The key is a detail beside the name, not a column of its own.
    assert '<code class="metric-key">projects.reached.signed</code>' in projects
