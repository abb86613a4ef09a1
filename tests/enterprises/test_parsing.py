"""Cells of government spreadsheets: amounts, dates, numbers and yes/no."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core.bounds import COUNT_MAX, MONEY_MAX
from gaoxin.core.parsing import (
    cell_text,
    is_blank,
    parse_amount,
    parse_bool,
    parse_date,
    parse_int,
    read_unit,
    read_unit_spec,
    strip_control,
)


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read the messages' English wording (the interface defaults to Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("1,200万", "12000000"),
        ("1200万元", "12000000"),
        ("0.3亿", "30000000"),
        ("３００万", "3000000"),
        ("1.5亿元", "150000000"),
        ("12,000,000", "12000000"),
        ("12000000 ", "12000000"),
        ("1200 万元 ", "12000000"),
        ("１，２００万", "12000000"),
        ("人民币500万元", "5000000"),
        ("¥1,000", "1000"),
        (12000000.0, "12000000"),
        (1200, "1200"),
        (Decimal("12.345"), "12.35"),
    ],
)
def test_amounts_as_written(text: object, yuan: str) -> None:
    assert parse_amount(text) == Decimal(yuan)


def test_bare_number_counts_in_the_column_unit() -> None:
    assert parse_amount(1200, unit=Decimal(10_000)) == Decimal("12000000")
    assert parse_amount("1200", unit=Decimal(10_000)) == Decimal("12000000")
    # A unit written in the cell wins over the column's.
    assert parse_amount("0.3亿", unit=Decimal(10_000)) == Decimal("30000000")


@pytest.mark.parametrize("text", ["100万美元", "50万港币", "USD 1,000", "$300", "20万欧元"])
def test_foreign_currency_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="foreign currency"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3万", "-5万", "万", "12万亿亿"])
def test_not_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


cents = st.integers(min_value=0, max_value=10**13).map(lambda n: Decimal(n) / 100)


@given(cents)
def test_amount_round_trips_through_wan(yuan: Decimal) -> None:
    wan = (yuan / 10_000).normalize()
    assert parse_amount(f"{wan:f}万") == yuan
    assert parse_amount(f"{wan:f}万元") == yuan


@given(cents)
def test_amount_round_trips_through_yi(yuan: Decimal) -> None:
    yi = (yuan / 100_000_000).normalize()
    assert parse_amount(f"{yi:f}亿元") == yuan


@given(st.integers(min_value=0, max_value=int(MONEY_MAX)))
def test_amount_with_thousands_separators(yuan: int) -> None:
    assert parse_amount(f"{yuan:,}") == yuan
    assert parse_amount(f"{yuan:,}元 ") == yuan


days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@given(days)
def test_date_forms_round_trip(day: dt.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        f" {day.isoformat()} ",
    ):
        assert parse_date(text) == day, text
    assert parse_date(day) == day
    assert parse_date(dt.datetime.combine(day, dt.time.min)) == day
    assert parse_date(float(day.strftime("%Y%m%d"))) == day


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2023-02-30", "calendar"), ("2023年6月", "no day"), ("明年", "not a date"), ("", "empty")],
)
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


@pytest.mark.parametrize(
    ("value", "number"), [("1,200", 1200), ("120人", 120), ("３００", 300), (85.0, 85), (7, 7)]
)
def test_whole_numbers(value: object, number: int) -> None:
    assert parse_int(value) == number


@pytest.mark.parametrize("value", ["12.5", "很多", 3.5, True])
def test_not_whole_numbers(value: object) -> None:
    with pytest.raises(ValueError):
        parse_int(value)


@pytest.mark.parametrize("value", ["是", "Y", "yes", "√", "规上", 1, True, " 是 "])
def test_yes(value: object) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize("value", ["否", "N", "×", "规下", 0, False])
def test_no(value: object) -> None:
    assert parse_bool(value) is False


def test_maybe_is_neither() -> None:
    with pytest.raises(ValueError, match="yes or no"):
        parse_bool("可能")


def test_placeholders_are_blank() -> None:
    assert all(is_blank(v) for v in ("", " ", "-", "—", "/", "无", None))
    assert not is_blank("0")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("甲\x00乙", "甲乙"),
        ("甲_x0000_乙", "甲乙"),  # Excel's escape, left as text by some readers
        ("甲_x001F_乙\x1f", "甲乙"),
        ("甲_xD800_乙", "甲乙"),  # a lone surrogate, which UTF-8 cannot carry
        ("甲\x7f\x85\x9f乙", "甲乙"),
        ("甲_x0041_乙", "甲A乙"),  # an escaped printable character is decoded, not dropped
        ("甲\t乙\n丙", "甲\t乙\n丙"),  # whitespace stays for clean() to fold
        ("珠海科技有限公司", "珠海科技有限公司"),
    ],
)
def test_control_characters_are_stripped(raw: str, clean: str) -> None:
    assert strip_control(raw) == clean


@given(st.text())
def test_no_control_character_survives_a_cell(text: str) -> None:
    tidy = cell_text(text)
    # Cc: controls (NUL …); Cs: lone surrogates, which UTF-8 cannot carry.
    assert not [ch for ch in tidy if unicodedata.category(ch) in ("Cc", "Cs")], repr(tidy)


def test_amounts_above_the_limit_are_refused_in_yi() -> None:
    assert parse_amount(str(MONEY_MAX)) == MONEY_MAX
    for written in (str(MONEY_MAX + Decimal("0.01")), "10001亿", "1" * 40, 1e300):
        with pytest.raises(ValueError, match="1万亿元"):
            parse_amount(written)
    with pytest.raises(ValueError, match="亿元"):
        parse_amount("100000000", unit=Decimal(10_000))  # 1亿 of 万元: the unit was wrong


@pytest.mark.parametrize("value", [COUNT_MAX + 1, "1" * 40, float("1" * 40), -COUNT_MAX - 1])
def test_counts_above_the_limit_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match=f"{COUNT_MAX:,}"):
        parse_int(value)
    assert parse_int(COUNT_MAX) == COUNT_MAX


@pytest.mark.parametrize("value", [float("inf"), float("nan"), Decimal("NaN")])
def test_infinite_counts_are_not_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        parse_int(value)


@pytest.mark.parametrize(
    ("written", "kind", "name"),
    [
        ("万元", "money", "万元"),
        ("万", "money", "万元"),
        ("人民币万元", "money", "万元"),
        ("万元人民币", "money", "万元"),
        ("千元", "money", "千元"),
        ("十万元", "money", "十万元"),
        ("百万元", "money", "百万元"),
        ("千万元", "money", "千万元"),
        ("亿元", "money", "亿元"),
        ("元", "money", "元"),
        ("千美元", "foreign", "千美元"),
        ("万港元", "foreign", "万港元"),
        ("澳元", "foreign", "澳元"),
        ("人", "other", "人"),
        ("万人", "other", "万人"),
        ("%", "other", "%"),
        ("认缴", "note", "认缴"),
    ],
)
def test_units_are_classified(written: str, kind: str, name: str) -> None:
    unit = read_unit(written)
    assert (unit.kind, unit.name) == (kind, name)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("单位：万元", ["万元"]),
        ("（单位：亿元）", ["亿元"]),
        ("金额单位：万元", ["万元"]),
        ("单位：万元、人", ["万元", "人"]),
        ("币种：美元", ["美元"]),
        ("币种：人民币 单位：千元", ["千元"]),
        ("填报单位：科技产业局", None),
        ("单位负责人：张三", None),
        ("填报单位（盖章）：", None),
        ("高新区重点企业名录", None),
    ],
)
def test_unit_statements(text: str, names: list[str] | None) -> None:
    units = read_unit_spec(text)
    assert (None if units is None else [u.name for u in units]) == names
