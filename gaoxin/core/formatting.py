"""Showing money and areas the Chinese way: 万元 / 亿元, 万平方米. The units stay Chinese in
the English interface too: the zone's reports and its people count in them."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)
SHI_WAN = Decimal(100_000)
BAI_WAN = Decimal(1_000_000)
YI = Decimal(100_000_000)


def _fixed(value: Decimal, places: int = 2) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def money(yuan: Decimal | int | float | None, *, places: int = 2) -> str:
    """1234 → "1,234元"; 12_340_000 → "1,234万元"; 3_248_000_000 → "32.48亿元"."""
    if yuan is None:
        return "—"
    value = Decimal(str(yuan))
    if abs(value) >= YI:
        return f"{_fixed(value / YI, places)}亿元"
    if abs(value) >= WAN:
        return f"{_fixed(value / WAN, places)}万元"
    return f"{_fixed(value, places)}元"


def area(square_metres: Decimal | int | float | None, *, places: int = 2) -> str:
    """850 → "850平方米"; 2_100_000 → "210万平方米"."""
    if square_metres is None:
        return "—"
    value = Decimal(str(square_metres))
    if abs(value) >= WAN:
        return f"{_fixed(value / WAN, places)}万平方米"
    return f"{_fixed(value, places)}平方米"


def number(value: Decimal | int | float | None, *, places: int = 2) -> str:
    if value is None:
        return "—"
    return _fixed(Decimal(str(value)), places)


# --- the way a report says them ----------------------------------------------------------------


def approx_wan(yuan: Decimal | int | float) -> str:
    """A sum the way a report says it: just over a round number of 百万 is "1400多万元"
    (14,123,456 元), exactly that number "1400万元". Between 10万 and 100万 the round number is
    a 十万 ("30多万元"); below 10万 and from 1亿 up the sum is shown as it is (money())."""
    value = Decimal(str(yuan))
    if value < SHI_WAN or value >= YI:
        return money(value)
    step = BAI_WAN if value >= BAI_WAN else SHI_WAN
    floor = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    wan = int(floor / WAN)
    return f"{wan}万元" if floor == value else f"{wan}多万元"


def approx_area(square_metres: Decimal | int | float) -> str:
    """A floor area the way a report says it ("约210万平方米"; the 约 is in the sentence):
    whole 万平方米 from 10万 up, one decimal from 1万, plain square metres below."""
    value = Decimal(str(square_metres))
    if value >= SHI_WAN:
        return f"{(value / WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP)}万平方米"
    if value >= WAN:
        return area(value, places=1)
    return area(value, places=0)
