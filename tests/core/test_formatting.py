from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core import formatting
from gaoxin.core.formatting import area, money


def test_money_is_shown_the_chinese_way() -> None:
    with translation.override("zh-hans"):
        assert money(Decimal("3248000000")) == "32.48亿元"
        assert money(Decimal("14050000")) == "1,405万元"
        assert money(Decimal("5733000000")) == "57.33亿元"
        assert money(Decimal("850.5")) == "850.5元"
        assert money(None) == "—"


def test_area_switches_to_wan_square_metres() -> None:
    with translation.override("zh-hans"):
        assert area(2_100_000) == "210万平方米"
        assert area(850) == "850平方米"


@given(st.decimals(min_value=0, max_value=10**13, places=2))
def test_money_never_loses_the_order_of_magnitude(value: Decimal) -> None:
    with translation.override("zh-hans"):
        text = money(value)
    number = Decimal(text.rstrip("亿万元").replace(",", ""))
    scale = Decimal(10**8) if "亿" in text else Decimal(10**4) if "万" in text else Decimal(1)
    assert abs(number * scale - value) <= scale / 100


# --- money and areas the way a report says them ------------------------------------------------


@pytest.mark.parametrize(
    ("yuan", "shown"),
    [
        (14_123_456, "1400多万元"),
        (14_000_000, "1400万元"),
        (14_999_999, "1400多万元"),
        (1_000_000, "100万元"),
        (350_000, "30多万元"),
        (300_000, "30万元"),
        (Decimal("14000000.01"), "1400多万元"),
        (45_000, "4.5万元"),
        (3_248_000_000, "32.48亿元"),
    ],
)
def test_approx_wan(yuan, shown) -> None:
    assert formatting.approx_wan(yuan) == shown


@pytest.mark.parametrize(
    ("square_metres", "shown"),
    [
        (2_100_000, "210万平方米"),
        (2_096_000, "210万平方米"),
        (35_000, "3.5万平方米"),
        (850, "850平方米"),
    ],
)
def test_approx_area(square_metres, shown) -> None:
    assert formatting.approx_area(square_metres) == shown
