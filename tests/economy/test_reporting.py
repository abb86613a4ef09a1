"""Self-reporting (企业填报): who is expected to report a month, 已报/逾期/未报 around the
zone's deadline, the outlier confirmation, the 万元 conversion, and an enterprise user kept to
its own enterprise."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.economy.models import FigureValue, Indicator, SelfReport, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.reporting import selectors
from gaoxin.economy.reporting.selectors import ReportStatus, report_statuses, reporting_summary
from gaoxin.economy.reporting.services import self_report_submit
from gaoxin.economy.services import FigureInput, economy_settings, figures_record
from gaoxin.enterprises.models import EnterpriseExit, ScaleSpell
from tests.factories import EnterpriseFactory, ZoneFactory

pytestmark = pytest.mark.django_db

JUNE = Period.of(2023, 6)


def local(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def revenue() -> Indicator:
    return Indicator.objects.get(code="revenue")


def submit(enterprise, period, revenue, amount, at):
    return self_report_submit(
        enterprise=enterprise,
        period=period,
        values={revenue: Decimal(amount)},
        by=None,
        at=at,
        confirmed=True,
    )


def test_expected_rule_leaves_out_scale_exits_and_late_settlers(zone) -> None:
    stays = EnterpriseFactory(zone=zone)
    EnterpriseFactory(zone=zone, settled_on=dt.date(2023, 7, 1))  # came after June
    above = EnterpriseFactory(zone=zone)
    ScaleSpell.objects.create(enterprise=above, entered_on=dt.date(2022, 1, 1))
    left_before = EnterpriseFactory(zone=zone)
    EnterpriseExit.objects.create(
        enterprise=left_before, kind="moved_out", left_on=dt.date(2023, 5, 20)
    )
    left_during = EnterpriseFactory(zone=zone)
    EnterpriseExit.objects.create(
        enterprise=left_during, kind="closed", left_on=dt.date(2023, 6, 15)
    )
    back = EnterpriseFactory(zone=zone)
    EnterpriseExit.objects.create(
        enterprise=back,
        kind="moved_out",
        left_on=dt.date(2023, 1, 1),
        returned_on=dt.date(2023, 6, 20),
    )
    left_scale = EnterpriseFactory(zone=zone)
    ScaleSpell.objects.create(
        enterprise=left_scale, entered_on=dt.date(2021, 1, 1), left_on=dt.date(2023, 6, 1)
    )
    expected = set(selectors.expected_enterprises([zone.pk], JUNE).values_list("pk", flat=True))
    own = set(zone.enterprises.filter(name="珠海自家科技有限公司").values_list("pk", flat=True))
    assert expected - own == {stays.pk, left_during.pk, back.pk, left_scale.pk}


def test_statuses_around_the_deadline(zone, revenue) -> None:
    economy_settings(zone)  # the default deadline: the 10th of the next month
    on_time, late, never = (EnterpriseFactory(zone=zone) for _ in range(3))
    submit(on_time, JUNE, revenue, "100", local(2023, 7, 10, 23, 59))
    submit(late, JUNE, revenue, "100", local(2023, 7, 11, 0, 1))

    def status_at(moment: dt.datetime) -> dict[int, str]:
        rows = report_statuses([zone.pk], JUNE, now=moment).filter(
            pk__in=[on_time.pk, late.pk, never.pk]
        )
        return {e.pk: e.report_status for e in rows}

    assert status_at(local(2023, 7, 10, 23, 59, 30)) == {
        on_time.pk: ReportStatus.REPORTED,
        late.pk: ReportStatus.PENDING,  # not made yet at that moment
        never.pk: ReportStatus.PENDING,
    }
    assert status_at(local(2023, 7, 11, 12)) == {
        on_time.pk: ReportStatus.REPORTED,
        late.pk: ReportStatus.LATE,
        never.pk: ReportStatus.OVERDUE,
    }
    summary = reporting_summary([zone.pk], JUNE, now=local(2023, 7, 11, 12))
    rows = list(report_statuses([zone.pk], JUNE, now=local(2023, 7, 11, 12)))
    assert summary.expected == len(rows)
    assert summary.reported == sum(r.report_status in selectors.SUBMITTED for r in rows)
    assert summary.late == sum(r.report_status == ReportStatus.LATE for r in rows) == 1
    assert summary.missing == summary.expected - summary.reported
    assert summary.overdue == summary.missing  # past the deadline: every missing one


def test_deadline_day_moves_the_line(zone, revenue) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    submit(enterprise, JUNE, revenue, "100", local(2023, 7, 12, 9))
    settings = economy_settings(zone)
    moment = local(2023, 8, 1)
    status = report_statuses([zone.pk], JUNE, now=moment).get(pk=enterprise.pk).report_status
    assert status == ReportStatus.LATE
    settings.report_deadline_day = 15
    settings.save()
    status = report_statuses([zone.pk], JUNE, now=moment).get(pk=enterprise.pk).report_status
    assert status == ReportStatus.REPORTED


def test_each_zone_is_read_against_its_own_deadline(zone, revenue) -> None:
    other = ZoneFactory()
    economy_settings(zone)  # the 10th
    later = economy_settings(other)
    later.report_deadline_day = 15
    later.save()
    here, there = EnterpriseFactory(zone=zone), EnterpriseFactory(zone=other)
    silent_here, silent_there = EnterpriseFactory(zone=zone), EnterpriseFactory(zone=other)
    for enterprise in (here, there):
        submit(enterprise, JUNE, revenue, "100", local(2023, 7, 12, 9))

    def statuses(moment: dt.datetime) -> dict[int, str]:
        rows = report_statuses([zone.pk, other.pk], JUNE, now=moment)
        return {e.pk: e.report_status for e in rows if e.pk in wanted}

    wanted = {here.pk, there.pk, silent_here.pk, silent_there.pk}
    assert statuses(local(2023, 7, 13)) == {
        here.pk: ReportStatus.LATE,
        there.pk: ReportStatus.REPORTED,
        silent_here.pk: ReportStatus.OVERDUE,
        silent_there.pk: ReportStatus.PENDING,  # its deadline is two days off
    }
    summary = reporting_summary([zone.pk, other.pk], JUNE, now=local(2023, 7, 13))
    assert (summary.late, summary.overdue) == (1, summary.missing - 1)


def test_the_status_query_does_not_grow_with_the_zones(zone) -> None:
    """A province's leader reads 30 zones at once: the status reads each enterprise's report
    once, not once or twice a zone (it was 60 correlated subqueries per row for 30 zones)."""
    zones = [zone, *ZoneFactory.create_batch(5)]

    def selects(zone_ids: list[int]) -> int:
        return str(report_statuses(zone_ids, JUNE).query).upper().count("SELECT")

    assert selects([z.pk for z in zones]) == selects([zone.pk])


def test_reporting_metrics_open_their_records(zone, revenue) -> None:
    done, missing = EnterpriseFactory(zone=zone), EnterpriseFactory(zone=zone)
    submit(done, JUNE, revenue, "100", local(2023, 7, 3))
    scope = MetricScope.of([zone.pk], dt.date(2023, 7, 20))
    reported = registry.get("economy.reporting.reported")
    value, records = reported.evaluate(scope)
    assert value == records.count() and done.pk in {e.pk for e in records}
    missing_ids = {e.pk for e in registry.get("economy.reporting.missing").records(scope)}
    assert missing.pk in missing_ids and done.pk not in missing_ids
    # Asked as of a day before the report was made, it was missing then.
    before = MetricScope.of([zone.pk], dt.date(2023, 7, 2))
    assert done.pk in {e.pk for e in registry.get("economy.reporting.missing").records(before)}


# --- the enterprise user's form ------------------------------------------------------------


def fill_url(enterprise, period=JUNE) -> str:
    return reverse("economy:report_fill", args=[enterprise.pk, period.key])


def test_amounts_in_wan_are_stored_exactly(client_as, own_enterprise, revenue) -> None:
    response = client_as("enterprise").post(fill_url(own_enterprise), {"revenue": "1234.56789"})
    assert response.status_code == 302
    row = FigureValue.objects.get(enterprise=own_enterprise, indicator=revenue, source=Source.SELF)
    assert row.amount == Decimal("1234.56789") * 10_000 == Decimal("12345678.9")
    assert (row.year, row.month) == (2023, 6)
    assert SelfReport.objects.filter(enterprise=own_enterprise, year=2023, month=6).exists()


def test_far_figure_asks_for_confirmation(client_as, zone, own_enterprise, revenue) -> None:
    figures_record(
        zone=zone,
        values=[FigureInput(own_enterprise.pk, revenue.pk, JUNE.same_last_year(), Decimal(10_000))],
        source=Source.BUREAU,
        by=None,
        at=local(2022, 7, 5),
    )
    client = client_as("enterprise")
    # 100万元 = 1,000,000 yuan: 100 times last June's 10,000.
    response = client.post(fill_url(own_enterprise), {"revenue": "100"})
    assert response.status_code == 400
    outliers = response.context["outliers"]
    assert [o.indicator.code for o in outliers] == ["revenue"]
    assert outliers[0].message in response.content.decode()
    assert not SelfReport.objects.filter(enterprise=own_enterprise).exists()
    token = response.context["fingerprint"]
    # A confirmation of other figures confirms nothing: asked again.
    again = client.post(fill_url(own_enterprise), {"revenue": "200", "confirm": token})
    assert again.status_code == 400 and again.context["outliers"]
    assert not SelfReport.objects.filter(enterprise=own_enterprise).exists()
    confirmed = client.post(fill_url(own_enterprise), {"revenue": "100", "confirm": token})
    assert confirmed.status_code == 302
    row = FigureValue.objects.get(enterprise=own_enterprise, source=Source.SELF)
    assert row.amount == Decimal(1_000_000)


def test_resubmission_revises_and_keeps_the_first_moment(client_as, own_enterprise, revenue):
    client = client_as("enterprise")
    client.post(fill_url(own_enterprise), {"revenue": "10"})
    first = SelfReport.objects.get(enterprise=own_enterprise).submitted_at
    page = client.get(fill_url(own_enterprise))
    assert page.context["form"]["revenue"].value() == Decimal("10")
    client.post(fill_url(own_enterprise), {"revenue": "12"})
    rows = FigureValue.objects.filter(enterprise=own_enterprise, source=Source.SELF)
    assert sorted(r.amount for r in rows) == [Decimal(100_000), Decimal(120_000)]
    assert rows.get(known_until__isnull=True).amount == Decimal(120_000)
    assert SelfReport.objects.get(enterprise=own_enterprise).submitted_at == first


def test_enterprise_user_only_reaches_its_own(client_as, zone, own_enterprise) -> None:
    other = EnterpriseFactory(zone=zone)
    client = client_as("enterprise")
    assert client.get(reverse("economy:report_mine")).url == reverse(
        "economy:report_enterprise", args=[own_enterprise.pk]
    )
    assert (
        client.get(reverse("economy:report_enterprise", args=[own_enterprise.pk])).status_code
        == 200
    )
    assert client.get(reverse("economy:report_enterprise", args=[other.pk])).status_code == 404
    assert client.get(fill_url(other)).status_code == 404
    assert client.post(fill_url(other), {"revenue": "5"}).status_code == 404
    assert not FigureValue.objects.filter(enterprise=other).exists()
    assert client.get(reverse("economy:report_list")).status_code == 403


def test_officer_fills_in_for_an_enterprise_leader_only_reads(client_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    assert client_as("leader").get(fill_url(enterprise)).status_code == 403
    response = client_as("officer").post(fill_url(enterprise), {"revenue": "3"})
    assert response.status_code == 302
    assert SelfReport.objects.get(enterprise=enterprise).submitted_by.username == "t-officer"


def test_a_month_not_ended_cannot_be_filled(client_as, own_enterprise) -> None:
    today = timezone.localdate()
    response = client_as("enterprise").get(
        fill_url(own_enterprise, Period.of(today.year, today.month))
    )
    assert response.status_code == 302


# --- the status list -----------------------------------------------------------------------


def test_status_list_filters_counts_and_exports(
    client_as, zone, users, revenue, django_assert_max_num_queries
) -> None:
    officer = users["officer"]
    mine = [EnterpriseFactory(zone=zone, liaison_officer=officer) for _ in range(3)]
    for i in range(25):
        EnterpriseFactory(zone=zone, name=f"其他企业{i:02d}")
    submit(mine[0], JUNE, revenue, "10", local(2023, 7, 5))
    submit(mine[1], JUNE, revenue, "10", local(2023, 7, 20))
    client = client_as("officer")
    url = reverse("economy:report_list")
    # 15 with the top bar's count of unread reminders (the export below has no top bar).
    with django_assert_max_num_queries(15):
        response = client.get(url, {"period": "2023-06"})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.reported, summary.late) == (2, 1)
    assert summary.missing == summary.expected - 2
    by_officer = client.get(url, {"period": "2023-06", "officer": officer.pk})
    assert {e.pk for e in by_officer.context["page"]} == {e.pk for e in mine}
    late = client.get(url, {"period": "2023-06", "status": "late"})
    assert [e.pk for e in late.context["page"]] == [mine[1].pk]
    with django_assert_max_num_queries(14):
        export = client.get(url, {"period": "2023-06", "export": "xlsx"})
    assert export.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
    text = [[str(c) for c in row] for row in sheet.to_python()]
    names = {row[0] for row in text}
    assert {e.name for e in mine} <= names
    late_row = next(row for row in text if row[0] == mine[1].name)
    assert officer.name in late_row
    assert str(ReportStatus.LATE.label) in late_row or "逾期已报" in late_row


def test_bad_period_is_a_form_error(client_as) -> None:
    response = client_as("officer").get(reverse("economy:report_list"), {"period": "2023-13"})
    assert response.status_code == 200
    assert response.context["form"].errors


# --- the zone's settings -------------------------------------------------------------------


def test_settings_change_deadline_and_precedence_with_confirmation(client_as, users, zone):
    client = client_as("admin")
    url = reverse("economy:settings")
    assert client.get(url).status_code in (200, 302)  # several zones: pick one first (302)
    client.post(reverse("accounts:zone_switch"), {"zone_id": zone.pk})
    page = client.get(url)
    assert page.status_code == 200 and page.context["zone"] == zone
    assert client_as("officer").get(url).status_code == 403
    ranking = ["self", "bureau", "tax", "import"]
    data = dict(zip(("first", "second", "third", "fourth"), ranking, strict=True))
    refused = client.post(url, {"report_deadline_day": 15, **data})
    assert refused.status_code == 400
    assert economy_settings(zone).ranking() != ranking
    saved = client.post(url, {"report_deadline_day": 15, **data, "confirm_precedence": "on"})
    assert saved.status_code == 302
    settings = economy_settings(zone)
    assert (settings.report_deadline_day, settings.ranking()) == (15, ranking)
    twice = client.post(url, {"report_deadline_day": 15, **data, "second": "self"})
    assert twice.status_code == 400


def test_inbox_asks_for_last_months_report_until_it_is_made(
    client_as, own_enterprise, revenue
) -> None:
    client = client_as("enterprise")
    month = selectors.month_being_reported()
    titles = [str(s.title) for s in client.get(reverse("accounts:home")).context["sections"]]
    assert any("本月待填报" in t or "self-report" in t for t in titles)
    submit(own_enterprise, month, revenue, "10", timezone.now())
    titles = [str(s.title) for s in client.get(reverse("accounts:home")).context["sections"]]
    assert not any("本月待填报" in t or "self-report" in t for t in titles)
