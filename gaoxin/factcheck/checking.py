"""Whether a figure of a text agrees with a record's value, and how the text should read it.

A figure agrees when the value (in base units: yuan, m², per cent, the count) is within what
the text claims (`Mention.claims`: "32.48亿元" what rounds to it, "1400多万元" 1400万..1500万,
"超过500家" more than 500…); a value that cannot be computed (NaN: a growth on nothing)
never agrees. A share written after 下降 ("同比下降5.0%") claims minus what is written.

`shown` is the record's value written the way the text writes its figure: in its unit
(亿元, 万平方米, 亩, 个), to its precision ("32.48亿元" against 3,300,000,000 reads "33.00亿元"),
with its qualifier where the qualifier still says something true of the value ("约230万平方米";
"1400多万元" against 16,230,000 reads "1600多万元", and "1600万元" for exactly that). A
qualifier that bounds ("超过", "近", "以上") is dropped: the value is given as it is.
"""

from __future__ import annotations

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from gaoxin.core import formatting
from gaoxin.core.metrics import Metric, Unit
from gaoxin.factcheck.types import Mention, Reading

MU = Decimal(2000) / Decimal(3)  # 1亩 in square metres
PREFIXES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4,
            "千": Decimal(1000), "百": Decimal(100)}  # fmt: skip
# Qualifiers that round (kept in front of the value), that floor (between the number and
# the unit: 1400多万元), and the rest, which bound and are dropped.
ROUNDING_BEFORE = ("约", "大约", "近似")
ROUNDING_AFTER = ("左右",)
FLOORING = ("多", "余")
_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def scale_of(written_unit: str) -> Decimal:
    """How many base units one of the written unit is: 亿元 1e8, 万平方米 1e4, 亩 666.67, 个 1."""
    scale = Decimal(1)
    rest = written_unit
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if rest.startswith(prefix) and len(rest) > len(prefix):
            scale = PREFIXES[prefix]
            rest = rest[len(prefix) :]
            break
    if rest.startswith("亩"):
        scale *= MU
    return scale


def _places(mention: Mention) -> tuple[int, bool]:
    """The decimals the figure is written to and whether it groups thousands with commas."""
    found = _DIGITS.search(mention.text)
    if found is None:
        return 0, False
    return len(found.group(1) or ""), "," in found.group(0)


def _number(value: Decimal, places: int, commas: bool, rounding: str = ROUND_HALF_UP) -> str:
    quantum = Decimal(1).scaleb(-places)
    rounded = value.quantize(quantum, rounding=rounding)
    return f"{rounded:,}" if commas else f"{rounded}"


def _fallback(metric: Metric, value: Decimal) -> str:
    if metric.unit is Unit.YUAN:
        return formatting.money(value)
    if metric.unit is Unit.SQUARE_METRE:
        return formatting.area(value)
    return metric.format(value)


def shown_as(mention: Mention, metric: Metric, value: Decimal) -> str:
    """The value written as the text writes its figure (see the module's docstring)."""
    if value.is_nan():
        return "—"
    written_unit = mention.written_unit or mention.unit
    scale = scale_of(written_unit)
    places, commas = _places(mention)
    if metric.unit not in (Unit.YUAN, Unit.SQUARE_METRE, Unit.PERCENT) and scale == 1:
        places = 0 if value == value.to_integral_value() else places
    amount = value / scale
    if value and amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == 0:
        return _fallback(metric, value)  # "0亿元" says nothing: the value as the platform says it
    qualifier = mention.qualifier
    if qualifier in FLOORING:
        # 1400多万元: the round number of the written number's step, 多 unless exactly it.
        found = _DIGITS.search(mention.text)
        written = Decimal(found.group(0).replace(",", "")) if found else Decimal(0)
        step = Decimal(1)
        if written and written == written.to_integral_value():
            whole = int(written)
            while whole and whole % 10 == 0:
                whole //= 10
                step *= 10
        floor = (amount / step).to_integral_value(rounding=ROUND_FLOOR) * step
        number = _number(floor, 0, commas)
        if floor == amount:
            return f"{number}{written_unit}"
        return f"{number}{qualifier}{written_unit}"
    number = _number(amount, places, commas)
    if qualifier in ROUNDING_BEFORE:
        return f"{qualifier}{number}{written_unit}"
    if qualifier in ROUNDING_AFTER:
        return f"{number}{written_unit}{qualifier}"
    return f"{number}{written_unit}"


def reading_for(
    mention: Mention, metric: Metric, value: int | Decimal, *, negated: bool = False
) -> Reading:
    """The record's value against the figure: whether the text's figure agrees, and how the
    text should read the value. `negated`: the text writes the share after 下降."""
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
    except (InvalidOperation, TypeError, ValueError):
        number = Decimal("NaN")
    if number.is_nan():
        return Reading(number, "—", False)
    claimed = -number if negated else number
    agrees = mention.claims(claimed)
    shown = shown_as(mention, metric, abs(number) if metric.unit is Unit.PERCENT else number)
    if metric.unit is Unit.PERCENT and number and (number < 0) != negated:
        shown = ("下降" if number < 0 else "增长") + shown
    return Reading(number, shown, agrees)
