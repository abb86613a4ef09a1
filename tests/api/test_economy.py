"""The economy's API: the catalogue, the figures as the pages read them, and a month's feed
written as the import and the self-report write it (all or nothing, the same precedence and
revisions, the token named where figures keep their provenance)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.economy.figures import selectors as fs
from gaoxin.economy.models import FigureValue, ImportBatch, Indicator, SelfReport, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.selectors import value_history, values_in_effect
from gaoxin.economy.services import FigureInput, figures_record
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/economy/figures"


@pytest.fixture
def revenue() -> Indicator:
    return Indicator.objects.get(code="revenue")


@pytest.fixture
def enterprise(zone):
    return EnterpriseFactory(zone=zone)


def feed(period: str, rows: list[dict], source: str = "bureau", **extra) -> dict:
    return {"period": period, "source": source, "rows": rows, **extra}


def row(enterprise, value: str, indicator: str = "revenue") -> dict:
    return {"enterprise_id": enterprise.pk, "indicator": indicator, "value": value}


def test_the_catalogue_lists_the_active_indicators(api_as) -> None:
    Indicator.objects.filter(code="rnd").update(is_active=False)
    body = api_as("enterprise").get("/api/v1/economy/indicators").json()
    codes = [item["code"] for item in body["results"]]
    assert codes == sorted(
        Indicator.objects.filter(is_active=True).values_list("code", flat=True),
        key=lambda c: Indicator.objects.get(code=c).pk,
    )
    assert "rnd" not in codes
    revenue = next(item for item in body["results"] if item["code"] == "revenue")
    assert (revenue["name"], revenue["unit"], revenue["nature"]) == ("营业收入", "yuan", "flow")


def test_three_months_posted_read_back_through_the_api_and_the_pages_selectors(
    api_as, zone, enterprise, revenue
) -> None:
    officer = api_as("officer", name="统计局数据接口")
    values = {"2023-04": "1200000.50", "2023-05": "1300000.00", "2023-06": "900000.25"}
    for period, value in values.items():
        response = officer.post(URL, feed(period, [row(enterprise, value)]))
        assert response.status_code == 200, response.content
        assert response.json() == {
            "period": period,
            "source": "bureau",
            "rows": 1,
            "created": 1,
            "revised": 0,
            "unchanged": 0,
        }
    listed = officer.get(URL, enterprise=enterprise.pk, indicator="revenue").json()["results"]
    assert {f["period"]: Decimal(f["amount"]) for f in listed} == {
        p: Decimal(v) for p, v in values.items()
    }
    assert {f["source"] for f in listed} == {"bureau"}
    assert all(f["in_effect"] for f in listed)
    # The figures page's reads: the rows in effect, month by month.
    rows = values_in_effect([zone.pk])
    months = fs.by_month(rows, revenue, Period.of(2023, 6))[2023]
    assert months == {4: Decimal("1200000.50"), 5: Decimal("1300000.00"), 6: Decimal("900000.25")}
    assert fs.total(fs.ytd_rows(rows, revenue, Period.of(2023, 6))) == Decimal("3400000.75")
    # A month and a range of months.
    may = officer.get(URL, period="2023-05").json()["results"]
    assert [(f["period"], f["amount"]) for f in may] == [("2023-05", "1300000.00")]
    spring = officer.get(URL, period_from="2023-05", period_to="2023-06").json()["results"]
    assert sorted(f["period"] for f in spring) == ["2023-05", "2023-06"]


def test_a_repost_is_unchanged_and_a_new_value_a_revision_in_the_history(
    api_as, enterprise, revenue
) -> None:
    officer = api_as("officer", name="统计局数据接口")
    officer.post(URL, feed("2023-06", [row(enterprise, "100.00")]))
    again = officer.post(URL, feed("2023-06", [row(enterprise, "100.00")])).json()
    assert (again["created"], again["revised"], again["unchanged"]) == (0, 0, 1)
    revised = officer.post(URL, feed("2023-06", [row(enterprise, "150.00")])).json()
    assert (revised["created"], revised["revised"], revised["unchanged"]) == (0, 1, 0)
    history = list(value_history(enterprise.pk, revenue.pk, Period.of(2023, 6)))
    assert [(h.amount, h.known_until is None) for h in history] == [
        (Decimal("150.00"), True),
        (Decimal("100.00"), False),
    ]


def test_the_token_is_named_where_figures_keep_their_provenance(
    api_as, users, enterprise, revenue
) -> None:
    """FigureValue has no history table: each row keeps its recorder and its batch; the
    feed's batch is named after the token, as an import's after its file."""
    api_as("officer", name="统计局数据接口").post(URL, feed("2023-06", [row(enterprise, "5.00")]))
    value = FigureValue.objects.get(enterprise=enterprise, indicator=revenue)
    assert value.recorded_by == users["officer"]
    assert value.batch is not None
    assert "统计局数据接口" in value.batch.file_name
    assert (value.batch.source, value.batch.rows, value.batch.created_by) == (
        "bureau",
        1,
        users["officer"],
    )


def test_the_zones_precedence_decides_which_source_is_in_effect(
    api_as, zone, enterprise, revenue
) -> None:
    officer = api_as("officer")
    officer.post(URL, feed("2023-06", [row(enterprise, "200.00")], source="import"))
    officer.post(URL, feed("2023-06", [row(enterprise, "300.00")], source="bureau"))
    listed = officer.get(URL, enterprise=enterprise.pk).json()["results"]
    assert [(f["source"], f["amount"]) for f in listed] == [("bureau", "300.00")]
    imported = officer.get(URL, enterprise=enterprise.pk, source="import").json()["results"]
    assert imported == []  # the imported row is kept, but not in effect
    assert FigureValue.objects.filter(source="import", known_until__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"value": "-1.00"}, "rows.3.value"),  # 营业收入 cannot be negative
        ({"indicator": "nonsense"}, "rows.3.indicator"),
        ({"value": "12345678901234567.00"}, "rows.3.value"),  # more digits than the model
        ({"indicator": "employees", "value": "10.5"}, "rows.3.value"),  # people are whole
        ({"enterprise_id": None}, "rows.3.enterprise_id"),  # neither id nor uscc
    ],
)
def test_a_bad_row_writes_nothing(api_as, zone, revenue, bad, field) -> None:
    enterprises = EnterpriseFactory.create_batch(4, zone=zone)
    rows = [row(e, "10.00") for e in enterprises]
    rows[3] = {**rows[3], **bad}
    response = api_as("officer").post(URL, feed("2023-06", rows))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not FigureValue.objects.exists()
    assert not ImportBatch.objects.exists()


def test_the_same_figure_twice_is_refused(api_as, enterprise) -> None:
    response = api_as("officer").post(
        URL, feed("2023-06", [row(enterprise, "1.00"), row(enterprise, "2.00")])
    )
    assert (response.status_code, response.json()["field"]) == (422, "rows.1.indicator")
    assert not FigureValue.objects.exists()


@pytest.mark.parametrize("period", ["1900-06", "2999-01", "now"])
def test_a_month_not_ended_or_insane_is_refused(api_as, enterprise, period) -> None:
    if period == "now":
        period = timezone.localdate().strftime("%Y-%m")
    response = api_as("officer").post(URL, feed(period, [row(enterprise, "1.00")]))
    assert (response.status_code, response.json()["field"]) == (422, "period")
    assert not FigureValue.objects.exists()


def test_an_enterprise_is_found_by_its_credit_code(api_as, enterprise, revenue) -> None:
    body = feed("2023-06", [{"uscc": enterprise.uscc, "indicator": "revenue", "value": "7.00"}])
    assert api_as("officer").post(URL, body).status_code == 200
    assert FigureValue.objects.get(enterprise=enterprise).amount == Decimal("7.00")


def test_another_zones_enterprise_is_not_found(api_as, other_zone, enterprise) -> None:
    away = EnterpriseFactory(zone=other_zone)
    response = api_as("officer").post(
        URL, feed("2023-06", [row(enterprise, "1.00"), row(away, "1.00")])
    )
    assert (response.status_code, response.json()["field"]) == (404, "rows.1.enterprise_id")
    by_code = api_as("officer").post(
        URL, feed("2023-06", [{"uscc": away.uscc, "indicator": "revenue", "value": "1.00"}])
    )
    assert (by_code.status_code, by_code.json()["field"]) == (404, "rows.0.uscc")
    assert not FigureValue.objects.exists()
    # Nor does the other zone's staff read this zone's figures.
    api_as("officer").post(URL, feed("2023-06", [row(enterprise, "1.00")]))
    assert api_as("outsider").get(URL).json()["results"] == []


def test_an_enterprise_user_reports_its_own_enterprise_only(
    api_as, users, own_enterprise, enterprise, revenue
) -> None:
    client = api_as("enterprise", name="财务系统")
    body = feed("2023-06", [row(own_enterprise, "880000.00")], source="self", note="按时")
    response = client.post(URL, body)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    report = SelfReport.objects.get(enterprise=own_enterprise, year=2023, month=6)
    assert (report.submitted_by, report.note) == (users["enterprise"], "按时")
    assert "财务系统" in report.history.first().history_change_reason
    value = FigureValue.objects.get(enterprise=own_enterprise)
    assert (value.source, value.amount, value.recorded_by) == (
        Source.SELF,
        Decimal("880000.00"),
        users["enterprise"],
    )
    # It reads its own figures, as its report form shows them again.
    listed = client.get(URL).json()["results"]
    assert [(f["enterprise_id"], f["amount"]) for f in listed] == [(own_enterprise.pk, "880000.00")]
    # Another enterprise of the zone: not found, as the report page answers; nothing written.
    other = client.post(URL, feed("2023-06", [row(enterprise, "1.00")], source="self"))
    assert (other.status_code, other.json()["field"]) == (404, "rows.0.enterprise_id")
    assert not FigureValue.objects.filter(enterprise=enterprise).exists()
    # A system's source is the importers'.
    bureau = client.post(URL, feed("2023-06", [row(own_enterprise, "1.00")]))
    assert bureau.status_code == 403
    # The staff's figures of other enterprises are not its to read.
    figures_record(
        zone=enterprise.zone,
        values=[FigureInput(enterprise.pk, revenue.pk, Period.of(2023, 6), Decimal(9))],
        source=Source.BUREAU,
        by=None,
    )
    assert [f["enterprise_id"] for f in client.get(URL).json()["results"]] == [own_enterprise.pk]


def test_a_leader_may_not_fill_in_a_report(api_as, enterprise) -> None:
    """The report page: a leader reads an enterprise's months but may not fill them (403)."""
    response = api_as("leader").post(URL, feed("2023-06", [row(enterprise, "1.00")], "self"))
    assert (response.status_code, response.json()["field"]) == (403, "rows.0.enterprise_id")


def test_a_self_report_far_from_history_asks_confirmation_and_writes_nothing(
    api_as, zone, own_enterprise, enterprise, revenue
) -> None:
    officer = api_as("officer")
    for e in (own_enterprise, enterprise):
        officer.post(URL, feed("2022-06", [row(e, "100.00")], "self"))
    far = feed("2023-06", [row(own_enterprise, "110.00"), row(enterprise, "100000.00")], "self")
    response = officer.post(URL, far)
    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert not FigureValue.objects.filter(year=2023).exists()  # the first enterprise's neither
    assert not SelfReport.objects.filter(year=2023).exists()
    confirmed = officer.post(URL, {**far, "confirmed": True})
    assert confirmed.status_code == 200
    assert FigureValue.objects.filter(year=2023).count() == 2


def test_queries_are_bounded(api_as, zone, revenue, django_assert_max_num_queries) -> None:
    officer = api_as("officer")
    enterprises = EnterpriseFactory.create_batch(40, zone=zone)
    rows = [row(e, f"{i}.00") for i, e in enumerate(enterprises)]
    with django_assert_max_num_queries(30):
        assert officer.post(URL, feed("2023-06", rows)).status_code == 200
    with django_assert_max_num_queries(8):
        body = officer.get(URL, page_size=100).json()
    assert len(body["results"]) == 40


def test_a_call_reports_a_bounded_number_of_enterprises(api_as, zone, monkeypatch) -> None:
    from gaoxin.api import economy

    monkeypatch.setattr(economy, "MAX_SELF_REPORTS", 2)
    enterprises = EnterpriseFactory.create_batch(3, zone=zone)
    rows = [row(e, "1.00") for e in enterprises]
    response = api_as("officer").post(URL, feed("2023-06", rows, "self"))
    assert (response.status_code, response.json()["field"]) == (422, "rows")
    assert api_as("officer").post(URL, feed("2023-06", rows[:2], "self")).status_code == 200
    assert FigureValue.objects.filter(source="self").count() == 2


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"uscc": "9" * 19, "enterprise_id": None}, "rows.0.uscc"),
        ({"indicator": "x" * 31}, "rows.0.indicator"),
    ],
)
def test_text_longer_than_the_model_holds_is_refused(api_as, enterprise, bad, field) -> None:
    """PostgreSQL refuses an over-long varchar where SQLite keeps it: a 422, not a 500."""
    response = api_as("officer").post(URL, feed("2023-06", [{**row(enterprise, "1.00"), **bad}]))
    assert (response.status_code, response.json()["field"]) == (422, field)


def test_a_refused_row_is_named_in_the_callers_language(api_as, other_zone) -> None:
    away = EnterpriseFactory(zone=other_zone)
    body = api_as("officer").post(URL, feed("2023-06", [row(away, "1.00")])).json()
    assert body["message"] == "第 1 行：未找到，或不在您的园区内。"
