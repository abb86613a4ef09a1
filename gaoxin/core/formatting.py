"""Showing money and areas the Chinese way: 万元 / 亿元, 万平方米. The units stay Chinese in
the English interface too: the zone's reports and its people count in them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10_000)
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
