"""Campaigns' and awards' figures out of bounds are form errors on their pages, never a stored
value (in English: tests/campaigns/conftest.py)."""

from __future__ import annotations

import pytest

from gaoxin.campaigns.models import Award, Campaign
from tests.factories import AwardBatchFactory, EnterpriseFactory

HUGE = "1" + "0" * 40


# Amounts are typed in 万元: 100000000 of them are 1万亿元, one fen above the limit.
@pytest.mark.parametrize(
    "amount,says",
    [
        ("100000000", "1万亿元"),
        ("99999999999999.99", "1万亿元"),
        ("10000亿", "1万亿元"),
        (HUGE, "1万亿元"),
        ("-5", "negative"),
    ],
)
def test_an_award_amount_out_of_bounds_is_a_form_error(zone, client_as, amount, says) -> None:
    batch = AwardBatchFactory(zone=zone)
    enterprise = EnterpriseFactory(zone=zone)
    response = client_as("officer").post(
        f"/awards/{batch.pk}/add/", {"enterprise": enterprise.pk, "amount": amount}
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert says in str(response.context["form"].errors["amount"][0])
    assert not Award.objects.exists()


@pytest.mark.parametrize("value", ["51", HUGE, "-3"])
def test_validity_years_out_of_bounds_is_a_form_error(client_as, value) -> None:
    data = {
        "name": "2023年创新型中小企业申报",
        "designation_kind": "innovative_sme",
        "designation_level": "provincial",
        "validity_years": value,
        "opens_on": "2023-05-01",
        "closes_on": "2023-06-30",
    }
    response = client_as("officer").post("/campaigns/new/", data)
    assert response.status_code == 200
    assert "validity_years" in response.context["form"].errors
    assert not Campaign.objects.exists()
