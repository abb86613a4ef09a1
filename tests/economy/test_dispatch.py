"""项目调度: which projects are under way in a month, the month's and the year's sums equal a
plain sum over the reports, 完成率, and an enterprise user kept to its own projects."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.economy.dispatch.selectors import projects_under_way
from gaoxin.economy.dispatch.services import dispatch_report
from gaoxin.economy.models import ProjectDispatch
from gaoxin.economy.periods import Period
from gaoxin.projects.models import StageChange
from gaoxin.projects.services import reached_refresh
from tests.factories import EnterpriseFactory, ProjectFactory

pytestmark = pytest.mark.django_db

JUNE = Period.of(2023, 6)


def at(year: int, month: int, day: int = 5) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 10))


def report(project, period, investment, funds, when=None):
    return dispatch_report(
        project=project,
        period=period,
        investment_completed=Decimal(investment),
        funds_in_place=Decimal(funds),
        progress="主体结构施工",
        by=None,
        at=when or at(period.year, period.month, 28),
    )


def terminate(project, on: dt.date) -> None:
    StageChange.objects.create(
        project=project,
        from_stage=project.stage,
        to_stage="terminated",
        kind="terminate",
        on=on,
        by=project.officer,
        note="投资方撤资",
    )
    project.stage, project.stage_on = "terminated", on
    project.save()
    reached_refresh([project])


def test_under_way_rule(zone, users) -> None:
    signed = ProjectFactory(zone=zone, stage="signed", stage_on=dt.date(2023, 3, 1))
    ProjectFactory(zone=zone, stage="negotiating", stage_on=dt.date(2023, 3, 1))
    ProjectFactory(zone=zone, stage="signed", stage_on=dt.date(2023, 7, 1))  # after June
    ProjectFactory(zone=zone, stage="full_capacity", stage_on=dt.date(2023, 5, 31))
    reaches_in_june = ProjectFactory(zone=zone, stage="full_capacity", stage_on=dt.date(2023, 6, 2))
    ended_before = ProjectFactory(zone=zone, stage="signed", stage_on=dt.date(2023, 1, 1))
    terminate(ended_before, dt.date(2023, 5, 1))
    ended_after = ProjectFactory(zone=zone, stage="signed", stage_on=dt.date(2023, 1, 1))
    terminate(ended_after, dt.date(2023, 6, 10))
    shown = {p.pk for p in projects_under_way(users["leader"], JUNE)}
    assert shown == {signed.pk, reaches_in_june.pk, ended_after.pk}


def test_sums_equal_a_plain_sum_over_the_reports(zone, other_zone, users) -> None:
    projects = [
        ProjectFactory(zone=zone, stage="signed", stage_on=dt.date(2022, 6, 1)) for _ in range(3)
    ]
    away = ProjectFactory(zone=other_zone, stage="signed", stage_on=dt.date(2022, 6, 1))
    amounts = {}
    for i, project in enumerate(projects):
        for year, month in ((2022, 11), (2023, 2), (2023, 5), (2023, 6), (2023, 7)):
            if (i, month) == (2, 6):
                continue  # one project misses June
            investment = Decimal(1_000_000 * (i + 1) + month * 1000) + Decimal("0.25")
            funds = Decimal(500_000 * (i + 1) + year)
            report(project, Period.of(year, month), investment, funds)
            amounts[(project.pk, year, month)] = (investment, funds)
    report(away, JUNE, 9_999_999, 9_999_999)
    rows = amounts.items()
    june = [v for (p, y, m), v in rows if (y, m) == (2023, 6)]
    ytd = [v for (p, y, m), v in rows if y == 2023 and m <= 6]
    scope = MetricScope.of([zone.pk], dt.date(2023, 6, 30))

    def value(key: str) -> Decimal:
        metric = registry.get(key)
        result, records = metric.evaluate(scope)
        assert {r.project.zone_id for r in records} == {zone.pk}
        return Decimal(result)

    assert value("economy.dispatch.investment_month") == sum(v[0] for v in june)
    assert value("economy.dispatch.funds_month") == sum(v[1] for v in june)
    assert value("economy.dispatch.investment_ytd") == sum(v[0] for v in ytd)
    assert value("economy.dispatch.funds_ytd") == sum(v[1] for v in ytd)
    assert value("economy.dispatch.reports") == len(june)

    shown = {p.pk: p for p in projects_under_way(users["leader"], JUNE)}
    assert away.pk not in shown
    for project in projects:
        row = shown[project.pk]
        mine = {(y, m): v for (p, y, m), v in rows if p == project.pk}
        assert row.ytd_investment == sum(v[0] for (y, m), v in mine.items() if y == 2023 and m <= 6)
        assert row.ytd_funds == sum(v[1] for (y, m), v in mine.items() if y == 2023 and m <= 6)
        since = sum(v[0] for (y, m), v in mine.items() if (y, m) <= (2023, 6))
        assert row.total_investment == since
        expected = float(since) * 100 / float(project.fixed_asset_investment)
        assert row.completion == pytest.approx(expected)
        assert row.reported == ((2023, 6) in mine)


def test_enterprise_user_reports_its_own_project_only(client_as, zone, own_enterprise) -> None:
    own = ProjectFactory(zone=zone, enterprise=own_enterprise, stage_on=dt.date(2023, 1, 1))
    other = ProjectFactory(
        zone=zone, enterprise=EnterpriseFactory(zone=zone), stage_on=dt.date(2023, 1, 1)
    )
    client = client_as("enterprise")
    listed = client.get(reverse("economy:dispatch_list"), {"period": "2023-06"})
    assert [p.pk for p in listed.context["page"]] == [own.pk]
    assert "figures" not in listed.context  # the zone's totals are the staff's
    url = reverse("economy:dispatch_fill", args=[own.pk, "2023-06"])
    response = client.post(
        url, {"investment_completed": "123.4567", "funds_in_place": "50", "progress": "装修中"}
    )
    assert response.status_code == 302
    saved = ProjectDispatch.objects.get(project=own)
    assert (saved.investment_completed, saved.funds_in_place) == (
        Decimal("1234567"),
        Decimal("500000"),
    )
    other_url = reverse("economy:dispatch_fill", args=[other.pk, "2023-06"])
    assert client.get(other_url).status_code == 404
    assert (
        client.post(other_url, {"investment_completed": "1", "funds_in_place": "1"}).status_code
        == 404
    )
    assert not ProjectDispatch.objects.filter(project=other).exists()


def test_leader_reads_officer_reports(client_as, zone) -> None:
    project = ProjectFactory(zone=zone, stage_on=dt.date(2023, 1, 1))
    url = reverse("economy:dispatch_fill", args=[project.pk, "2023-06"])
    assert client_as("leader").get(url).status_code == 403
    response = client_as("officer").post(url, {"investment_completed": "-1", "funds_in_place": "0"})
    assert response.status_code == 400
    response = client_as("officer").post(url, {"investment_completed": "10", "funds_in_place": "0"})
    assert response.status_code == 302
    # A correction keeps one report for the month, the earlier one in its history.
    client_as("officer").post(url, {"investment_completed": "12", "funds_in_place": "0"})
    saved = ProjectDispatch.objects.get(project=project)
    assert saved.investment_completed == Decimal(120_000)
    assert saved.history.count() == 2


def test_dispatch_list_queries_bounded_and_export_opens(
    client_as, zone, django_assert_max_num_queries
) -> None:
    projects = [ProjectFactory(zone=zone, stage_on=dt.date(2023, 1, 1)) for _ in range(30)]
    for project in projects[::2]:
        report(project, JUNE, 2_000_000, 1_000_000)
    client = client_as("officer")
    url = reverse("economy:dispatch_list")
    with django_assert_max_num_queries(16):
        response = client.get(url, {"period": "2023-06"})
    assert response.status_code == 200
    figures = {f.key: f for f in response.context["figures"]}
    assert figures["economy.dispatch.investment_month"].value == 15 * 2_000_000
    unreported = client.get(url, {"period": "2023-06", "reported": "0"})
    assert all(not p.reported for p in unreported.context["page"])
    with django_assert_max_num_queries(12):
        export = client.get(url, {"period": "2023-06", "export": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
    table = rows.to_python()
    names = {str(row[0]) for row in table}
    assert {p.name for p in projects} <= names
    future = client.get(url, {"period": "2099-01"})
    assert future.context["form"].errors


def test_project_page_shows_its_dispatch_history(client_as, zone) -> None:
    project = ProjectFactory(zone=zone, stage_on=dt.date(2023, 1, 1))
    report(project, Period.of(2023, 5), 3_000_000, 1_000_000)
    report(project, JUNE, 2_000_000, 500_000)
    page = client_as("officer").get(reverse("projects:detail", args=[project.pk]))
    panel = next(p for p in page.context["panels"] if p["template"].startswith("economy/"))
    assert [(d.year, d.month) for d in panel["dispatches"]] == [(2023, 6), (2023, 5)]
    assert panel["total"] == Decimal(5_000_000)
    assert panel["completion"] == pytest.approx(5_000_000 * 100 / 50_000_000)
    assert panel["fill_url"]
    assert 'id="dispatch"' in page.content.decode()
    leader = client_as("leader").get(reverse("projects:detail", args=[project.pk]))
    assert next(p for p in leader.context["panels"])["fill_url"] == ""
