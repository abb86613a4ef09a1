"""An enterprise's registered capital, head count and 规上 year out of bounds are form errors,
and the largest capital allowed reads back exactly on the pages showing it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gaoxin.core.bounds import MONEY_MAX
from gaoxin.enterprises.models import Enterprise
from tests.factories import make_uscc

HUGE = "1" + "0" * 40


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _profile(**values):
    return {"name": "珠海测试科技有限公司", "uscc": make_uscc(501), "status": "active", **values}


@pytest.mark.parametrize(
    "field,value",
    [
        ("registered_capital", "100000000"),  # 万元: 1万亿元, one fen above the limit
        ("registered_capital", "99999999999999.99"),
        ("registered_capital", "-1"),
        ("registered_capital", HUGE),
        ("employees", HUGE),
        ("employees", "10000001"),
        ("above_scale_year", HUGE),
        ("above_scale_year", "1800"),
    ],
)
def test_a_figure_out_of_bounds_is_a_form_error(zone, users, client_as, field, value) -> None:
    before = Enterprise.objects.count()
    response = client_as("officer").post("/enterprises/new/", _profile(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Enterprise.objects.count() == before


def test_the_largest_capital_is_kept_and_shown(zone, users, client_as) -> None:
    client = client_as("officer")
    response = client.post(
        "/enterprises/new/",
        _profile(registered_capital=f"{MONEY_MAX}元", employees="10000000"),  # said in 元
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(uscc=make_uscc(501))
    assert enterprise.registered_capital == MONEY_MAX
    assert enterprise.registered_capital == Decimal("999999999999.99")
    for url in ("/enterprises/", "/enterprises/?export=xlsx", f"/enterprises/{enterprise.pk}/"):
        assert client_as("leader").get(url).status_code == 200, url
