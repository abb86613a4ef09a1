"""A lead's expected investment out of bounds is a form error; the largest allowed is kept and
every page showing it answers."""

from __future__ import annotations

import pytest
from django.utils import translation

from gaoxin.core.bounds import MONEY_MAX
from gaoxin.core.formatting import WAN
from gaoxin.investment.models import Lead


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _lead(users, amount):
    return {
        "company_name": "丁电池有限公司",
        "source": "chain_gap",
        "officer": users["officer"].pk,
        "expected_investment": amount,
    }


# Typed in 万元: 100000000 of them are 1万亿元, one fen above the limit.
@pytest.mark.parametrize("amount", ["100000000", "99999999999999.99", "-1", "1" + "0" * 40])
def test_an_expected_investment_out_of_bounds_is_a_form_error(client_as, users, amount) -> None:
    response = client_as("officer").post("/leads/new/", _lead(users, amount))
    assert response.status_code == 200
    assert "expected_investment" in response.context["form"].errors
    assert not Lead.objects.exists()


def test_the_largest_expected_investment_is_kept_and_shown(client_as, users) -> None:
    # The limit in 万元 (99999999.9999999), as a person would type it.
    response = client_as("officer").post("/leads/new/", _lead(users, f"{MONEY_MAX / WAN}"))
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.expected_investment == MONEY_MAX
    for url in ("/leads/", f"/leads/{lead.pk}/"):
        assert client_as("leader").get(url).status_code == 200, url
