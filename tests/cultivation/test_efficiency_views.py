"""亩均效益 pages: the list (filters, class distribution, bounded queries, Excel cells), the
cut-offs form (in 万元 per 亩, stored in yuan; descending, not negative, version-checked) and
the land records kept from the enterprise's page (source required, ending confirmed)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gaoxin.cultivation.models import EfficiencyCutoffs, LandRecord
from tests.cultivation.test_efficiency import CUTS, TEN_MU, YEAR, land, put
from tests.factories import EnterpriseFactory, IndustryFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cultivation:efficiency_list")
# Session and user, the radar's month, the standings built, two years' cut-offs (the
# evaluation's and the note's), the page, the count, the distribution (two), the follow-ups.
LIST_QUERIES = 14


@pytest.fixture
def evaluated(zone, users):
    """Enterprises with land in YEAR and YEAR − 1 with figures on several classes."""
    officer = users["officer"]
    EfficiencyCutoffs.objects.create(zone=zone, year=YEAR, **CUTS)
    EfficiencyCutoffs.objects.create(zone=zone, year=YEAR - 1, **CUTS)
    made = []
    for index, per_mu in enumerate(("200000", "60000", "30000", "1000", "120000", "25000")):
        enterprise = EnterpriseFactory(zone=zone, name=f"亩均测试{index}有限公司")
        land(enterprise, officer, TEN_MU, dt.date(2020, 1, 1))
        tax = Decimal(per_mu) * 10
        put(zone, enterprise, YEAR, tax=tax, revenue=tax * 10)
        put(zone, enterprise, YEAR - 1, tax=tax / 4, revenue=tax * 10)
        made.append(enterprise)
    return made


def _get(client, **params):
    return client.get(LIST, {"year": YEAR, **params})


def test_list_shows_classes_sorted_by_tax_per_mu(client_as, evaluated) -> None:
    response = _get(client_as("leader"))
    assert response.status_code == 200
    names = [e.name for e in response.context["page"]]
    assert names[0] == "亩均测试0有限公司" and names[-1] == "亩均测试3有限公司"
    taxes = [e.tax_per_mu for e in response.context["page"]]
    assert taxes == sorted(taxes, reverse=True)
    summary = response.context["summary"]
    page = list(response.context["page"])
    for name in "ABCD":
        assert summary["current"][name] == sum(1 for e in page if e.efficiency_class == name)
        assert summary["previous"][name] == sum(1 for e in page if e.previous_class == name)


def test_filters_by_class_change_and_industry(client_as, evaluated, zone) -> None:
    client = client_as("officer")
    a_class = _get(client, efficiency_class="A")
    assert {e.efficiency_class for e in a_class.context["page"]} == {"A"}
    assert len(a_class.context["page"]) == 2
    up = _get(client, change="up")
    assert up.context["page"]
    assert all(e.efficiency_class < e.previous_class for e in up.context["page"])
    industry = IndustryFactory(zone=zone)
    evaluated[2].industries.add(industry)
    by_industry = _get(client, industry=industry.pk)
    assert [e.pk for e in by_industry.context["page"]] == [evaluated[2].pk]
    by_name = _get(client, sort="name")
    names = [e.name for e in by_name.context["page"]]
    assert names == sorted(names)


def test_list_queries_do_not_grow_with_rows(
    client_as, evaluated, zone, users, django_assert_max_num_queries
) -> None:
    client = client_as("officer")
    _get(client)  # builds the standings once
    with django_assert_max_num_queries(LIST_QUERIES):
        _get(client)
    for index in range(12):
        enterprise = EnterpriseFactory(zone=zone)
        land(enterprise, users["officer"], TEN_MU, dt.date(2020, 1, 1))
        put(zone, enterprise, YEAR, tax=Decimal(index), revenue=Decimal(index))
    _get(client)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = _get(client)
    assert len(response.context["page"]) == 18


def test_unset_cut_offs_are_said_with_a_link_for_writers(client_as, zone, users) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    land(enterprise, users["officer"], TEN_MU, dt.date(2020, 1, 1))
    put(zone, enterprise, YEAR, tax=Decimal(1), revenue=Decimal(1))
    create = reverse("cultivation:efficiency_cutoffs_create")
    officer_page = _get(client_as("officer")).content.decode()
    assert create in officer_page
    leader = _get(client_as("leader"))
    assert leader.context["missing_cutoffs"] and create not in leader.content.decode()


def test_export_cells(client_as, evaluated) -> None:
    response = _get(client_as("leader"), export="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[1]) == 13  # the columns' labels
    top = evaluated[0]
    values = list(rows[2])
    assert top.name in values and top.uscc in values
    assert Decimal(str(values[2])) == TEN_MU  # land in m²
    assert Decimal(str(values[3])) == Decimal("10")  # 亩
    assert Decimal(str(values[7])) == Decimal(200_000)  # tax per 亩
    assert values[9] == "A"
    assert len(rows) == 2 + len(evaluated)


# --- cut-offs ---------------------------------------------------------------------------------

WAN_FORM = {
    "year": YEAR,
    "tax_a": "10",
    "revenue_a": "100",
    "tax_b": "5",
    "revenue_b": "50",
    "tax_c": "2",
    "revenue_c": "20",
}
CREATE = reverse("cultivation:efficiency_cutoffs_create")


def test_cut_offs_are_entered_in_wan_and_stored_in_yuan(client_as, zone) -> None:
    response = client_as("officer").post(CREATE, WAN_FORM)
    assert response.status_code == 302
    row = EfficiencyCutoffs.objects.get(zone=zone, year=YEAR)
    assert row.tax_a == Decimal(100_000) and row.revenue_c == Decimal(200_000)
    assert row.history.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"tax_b": "11"}, "tax_b", "B"),
        ({"revenue_c": "60"}, "revenue_c", "C"),
        ({"tax_c": "-1"}, "tax_c", ""),
        ({"revenue_a": ""}, "revenue_a", ""),
    ],
)
def test_cut_offs_form_says_what_is_wrong_and_writes_nothing(
    client_as, zone, change, field, words
) -> None:
    response = client_as("officer").post(CREATE, WAN_FORM | change)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert words in " ".join(errors[field])
    assert not EfficiencyCutoffs.objects.exists()


def test_a_year_is_set_once(client_as, zone) -> None:
    client = client_as("officer")
    client.post(CREATE, WAN_FORM)
    again = client.post(CREATE, WAN_FORM | {"tax_a": "20"})
    assert again.status_code == 400 and "year" in again.context["form"].errors
    assert EfficiencyCutoffs.objects.get().tax_a == Decimal(100_000)


def test_editing_cut_offs_is_version_checked(client_as, zone) -> None:
    client = client_as("officer")
    client.post(CREATE, WAN_FORM)
    row = EfficiencyCutoffs.objects.get()
    edit = reverse("cultivation:efficiency_cutoffs_edit", args=[row.pk])
    page = client.get(edit)
    assert page.context["form"].initial["tax_a"] == Decimal(100_000)  # yuan per 亩, as stored
    assert page.context["form"]["tax_a"].value() == "10"  # shown in 万元, as typed
    saved = client.post(edit, WAN_FORM | {"tax_a": "12", "version": row.version})
    assert saved.status_code == 302
    stale = client.post(edit, WAN_FORM | {"tax_a": "15", "version": row.version})
    assert stale.status_code == 400
    row.refresh_from_db()
    assert row.tax_a == Decimal(120_000) and row.history.count() == 2


def test_outsider_cannot_edit_this_zones_cut_offs(client_as, zone) -> None:
    client_as("officer").post(CREATE, WAN_FORM)
    row = EfficiencyCutoffs.objects.get()
    edit = reverse("cultivation:efficiency_cutoffs_edit", args=[row.pk])
    response = client_as("outsider").post(edit, WAN_FORM | {"version": row.version})
    assert response.status_code == 404
    assert client_as("leader").post(edit, WAN_FORM | {"version": 1}).status_code == 403
    assert EfficiencyCutoffs.objects.get().tax_a == Decimal(100_000)


# --- land records -----------------------------------------------------------------------------


def test_officer_records_land_from_the_enterprise_page(client_as, zone, users) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    client = client_as("officer")
    page = client.get(enterprise.get_absolute_url())
    assert reverse("cultivation:efficiency_land_add", args=[enterprise.pk]) in page.content.decode()
    add = reverse("cultivation:efficiency_land_add", args=[enterprise.pk])
    data = {
        "area": "6666.70",
        "source": "粤(2021)珠海市不动产权第0002号",
        "valid_from": "2021-01-01",
    }
    assert client.post(add, data).status_code == 302
    record = LandRecord.objects.get(enterprise=enterprise)
    assert record.area == TEN_MU and record.recorded_by == users["officer"]
    page = client_as("leader").get(enterprise.get_absolute_url()).content.decode()
    assert "粤(2021)珠海市不动产权第0002号" in page
    assert add not in page  # leaders read


@pytest.mark.parametrize(
    "change",
    [{"source": ""}, {"area": "-5"}, {"area": "0"}, {"valid_until": "2020-12-31"}],
)
def test_land_record_form_refuses_and_writes_nothing(client_as, zone, change) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    add = reverse("cultivation:efficiency_land_add", args=[enterprise.pk])
    data = {"area": "100", "source": "测绘报告", "valid_from": "2021-01-01"} | change
    response = client_as("officer").post(add, data, follow=True)
    assert not LandRecord.objects.exists()
    assert list(response.context["messages"])  # what was wrong, on the enterprise's page


def test_ending_a_land_record_needs_confirmation(client_as, zone, users) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    record = land(enterprise, users["officer"], TEN_MU, dt.date(2020, 1, 1))
    end = reverse("cultivation:efficiency_land_end", args=[record.pk])
    client = client_as("officer")
    assert client.get(end).status_code == 200
    unconfirmed = client.post(end, {"on": "2024-06-30", "version": record.version})
    assert unconfirmed.status_code == 400
    record.refresh_from_db()
    assert record.valid_until is None
    before_start = client.post(
        end, {"on": "2019-06-30", "version": record.version, "confirm": "on"}
    )
    assert before_start.status_code == 400
    done = client.post(end, {"on": "2024-06-30", "version": record.version, "confirm": "on"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.valid_until == dt.date(2024, 6, 30) and record.history.count() == 2


def test_enterprise_account_sees_no_land_panel(client_as, own_enterprise, users) -> None:
    land(own_enterprise, users["officer"], TEN_MU, dt.date(2020, 1, 1))
    page = client_as("enterprise").get(own_enterprise.get_absolute_url())
    assert page.status_code == 200
    assert 'id="land"' not in page.content.decode()
