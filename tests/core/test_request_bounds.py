"""Values a request carries that no page may answer with a 500: page numbers, days, ids."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.core.forms import EARLIEST_AS_OF
from gaoxin.core.ids import MAX_ID, IdField, parse_id
from gaoxin.core.pagination import MAX_PAGE, page_number
from tests.factories import EnterpriseFactory, ZoneFactory
from tests.test_permission_matrix import request_objects  # noqa: F401 - the fixture

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", 1),
        ("3", 3),
        ("-1", 1),
        ("0", 1),
        ("1e9", 1),
        ("²", 1),
        ("３", 1),
        ("٣", 1),
        (HUGE, MAX_PAGE),
    ],
)
def test_page_numbers_are_clamped(raw: str, expected: int) -> None:
    assert page_number(RequestFactory().get("/", {"page": raw})) == expected


@pytest.mark.parametrize("page", [HUGE, "-1", "²", "1e9"])
@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("enterprise", "awards:list"),  # a lookahead page
        ("officer", "projects:list"),
        ("officer", "enterprises:list"),
        ("officer", "core:metric_index"),
    ],
)
def test_a_far_page_answers_a_page(client_as, role: str, name: str, page: str) -> None:
    response = client_as(role).get(reverse(name), {"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("as_of", ["0001-01-01", "1949-09-30"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("core:metric_index"),
        reverse("core:metric_detail", kwargs={"key": "accounts.users.officer"}),
        reverse("dashboard:index"),
    ],
)
def test_a_day_before_the_earliest_is_refused(client_as, url: str, as_of: str) -> None:
    response = client_as("leader").get(url, {"as_of": as_of})
    assert response.status_code in (200, 400)  # the page with the form's error, or a 400
    assert EARLIEST_AS_OF.isoformat() in response.content.decode()


def test_the_earliest_day_is_answered(client_as) -> None:
    response = client_as("leader").get(
        reverse("core:metric_index"), {"as_of": EARLIEST_AS_OF.isoformat()}
    )
    assert response.status_code == 200


@given(st.text(max_size=25) | st.integers().map(str))
@settings(max_examples=300, derandomize=True)
def test_parse_id_names_a_key_or_none(raw: str) -> None:
    parsed = parse_id(raw)
    if parsed is None:
        return
    assert 1 <= parsed <= MAX_ID
    assert raw.strip().isascii() and str(parsed) == raw.strip().lstrip("0")


@pytest.mark.parametrize("raw", ["²", "①", "٣", HUGE, "9" * 40, "0", "-5", "1e3", "\x00"])
def test_parse_id_refuses(raw: str) -> None:
    assert parse_id(raw) is None


@pytest.mark.parametrize("raw", ["²", "①", "٣", HUGE, "9" * 40, "0"])
def test_id_field_refuses_with_an_error(raw: str) -> None:
    from django import forms

    with pytest.raises(forms.ValidationError):
        IdField().clean(raw)


@pytest.mark.django_db
def test_an_out_of_range_id_in_a_multi_select_matches_nothing() -> None:
    from gaoxin.enterprises.models import Enterprise

    zone = ZoneFactory()
    kept = EnterpriseFactory(zone=zone)
    found = Enterprise.objects.filter(pk__in=[kept.pk, int(HUGE), -(10**40)])
    assert list(found) == [kept]
    assert not Enterprise.objects.filter(pk__in=[int("9" * 40)]).exists()


@pytest.mark.parametrize("value", [HUGE, "9" * 40])
def test_a_huge_id_in_a_filter_is_a_form_error(client_as, request_objects, value) -> None:  # noqa: F811
    for name in ("approvals:list", "blockers:list"):
        response = client_as("officer").get(reverse(name), {"project": value})
        assert response.status_code in (200, 400), name


@pytest.mark.parametrize("value", ["²", "①"])
def test_a_non_ascii_id_picked_in_a_picker_is_refused(
    client_as,
    request_objects,  # noqa: F811
    value: str,
) -> None:
    batch = request_objects["award_batch"]
    campaign = request_objects["campaign"]
    for url in (
        reverse("awards:award_add", kwargs={"pk": batch.pk}),
        reverse("campaigns:apply", kwargs={"pk": campaign.pk}),
    ):
        response = client_as("officer").post(url, {"enterprise": value, "q": ""})
        assert response.status_code == 200, url
        assert "form" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "9" * 40, "0", "21"])
def test_validity_years_is_bounded_in_the_form(value: str) -> None:
    from gaoxin.campaigns.forms import CampaignForm

    form = CampaignForm({"validity_years": value}, zone_id=ZoneFactory().pk)
    assert not form.is_valid()
    assert "validity_years" in form.errors


@pytest.mark.parametrize("value", ["²", "①", HUGE, "9" * 40])
def test_zone_switch_refuses_a_malformed_zone(client_as, value: str) -> None:
    response = client_as("officer").post(reverse("accounts:zone_switch"), {"zone_id": value})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_crafted_form_count_builds_few_forms() -> None:
    from gaoxin.projects.work.service_records.forms import DecisionFormSet

    zone = ZoneFactory()
    data = {"decisions-TOTAL_FORMS": "9" * 40, "decisions-INITIAL_FORMS": "0"}
    formset = DecisionFormSet(data, prefix="decisions", form_kwargs={"zone_id": zone.pk})
    assert len(formset.forms) <= 30
    assert not formset.is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["0001-01-01", "1949-09-30", "not-a-day"])
def test_the_metrics_command_refuses_a_day_the_pages_refuse(as_of: str) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="as-of"):
        call_command("metrics", as_of=as_of)
