"""Money typed in 万元: the shared form field every money field of a form is."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core.bounds import MONEY_MAX, WanField, money_input
from gaoxin.core.formatting import WAN, YI
from gaoxin.investment.models import Lead


class AmountForm(forms.Form):
    amount = money_input(label="Amount (yuan)", required=False)


def cleaned(text: str) -> Decimal | None:
    form = AmountForm({"amount": text})
    assert form.is_valid(), form.errors
    value: Decimal | None = form.cleaned_data["amount"]
    return value


def refusal(text: str) -> str:
    with translation.override("zh-hans"):
        form = AmountForm({"amount": text})
        assert not form.is_valid()
        return str(form.errors["amount"][0])


@pytest.mark.parametrize(
    ("typed", "yuan"),
    [
        ("3200", Decimal("32000000")),  # a bare number counts in 万元
        ("5亿", Decimal("500000000")),
        ("3,200万", Decimal("32000000")),
        ("0.3亿", Decimal("30000000")),
        ("500元", Decimal("500")),
        ("３２００", Decimal("32000000")),  # full-width digits
        ("１．５亿", Decimal("150000000")),
        (" 0.5 ", Decimal("5000")),
        ("1200万元", Decimal("12000000")),
        ("", None),
    ],
)
def test_typed_amounts_are_read_in_wan_unless_they_say_their_unit(typed, yuan) -> None:
    assert cleaned(typed) == yuan


def test_refusals_say_what_is_wrong_in_chinese_with_the_bounds_in_wan_or_yi() -> None:
    assert "请以万元填写" in refusal("abc")
    assert "不能为负数" in refusal("-5")
    too_much = refusal("200000000")  # 万元: 2万亿元
    assert "亿元" in too_much and "1万亿元" in too_much
    assert "美元" in refusal("100美元")


@given(yuan=st.decimals(min_value=0, max_value=MONEY_MAX, places=2))
def test_what_the_form_shows_reads_back_as_the_same_amount(yuan: Decimal) -> None:
    """An edit form shows a stored amount in 万元 and posting it back changes nothing."""
    form = AmountForm(initial={"amount": yuan})
    shown = form["amount"].value()
    assert "E" not in shown and not shown.endswith(".") and "," not in shown
    assert cleaned(shown) == yuan
    assert not AmountForm({"amount": shown}, initial={"amount": yuan}).has_changed()


@given(wan=st.decimals(min_value=0, max_value=Decimal("99999999"), places=4))
def test_any_number_of_wan_is_that_many_times_ten_thousand_yuan(wan: Decimal) -> None:
    assert cleaned(f"{wan:f}") == (wan * WAN).quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        (Decimal("500000000.00"), "50000"),
        (Decimal("32000000.00"), "3200"),
        (Decimal("5000.00"), "0.5"),
        (Decimal("12345678.90"), "1234.56789"),
        (Decimal("0.00"), "0"),
    ],
)
def test_the_initial_value_is_shown_in_wan_without_trailing_zeros(yuan, shown) -> None:
    assert AmountForm(initial={"amount": yuan})["amount"].value() == shown


def test_the_widget_is_a_decimal_text_box_labelled_in_wan() -> None:
    html = str(AmountForm()["amount"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert "万元" in html and "step=" not in html
    assert str(AmountForm()["amount"].label) == "Amount (万元)"


@pytest.mark.django_db
def test_every_model_form_money_field_is_typed_in_wan() -> None:
    form_class = forms.modelform_factory(Lead, fields=["company_name", "expected_investment"])
    field = form_class().fields["expected_investment"]
    assert isinstance(field, WanField)
    with translation.override("zh-hans"):
        assert str(field.label).endswith("（万元）")
    with translation.override("en"):
        assert str(field.label).endswith("(万元)")
    form = form_class({"company_name": "某公司", "expected_investment": "5亿"})
    form.is_valid()
    assert form.cleaned_data["expected_investment"] == 5 * YI
