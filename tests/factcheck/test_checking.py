"""A figure against a record's value: whether it agrees (within what the text claims), and how
the text should read the value, in the text's own unit, precision and qualifier."""

from __future__ import annotations

from decimal import Decimal

from gaoxin.core import formatting
from gaoxin.core.metrics import Unit
from gaoxin.factcheck.checking import reading_for, scale_of
from tests.factcheck.test_matching import fake, figure

MONEY = fake("money", Unit.YUAN, "投资")
AREA = fake("area", Unit.SQUARE_METRE, "面积")
COUNT = fake("count", Unit.ITEM, "项目")
FIRMS = fake("firms", Unit.ENTERPRISE, "企业")
SHARE = fake("share", Unit.PERCENT, "同比")
DAYS = fake("days", Unit.DAY, "用时")


def test_an_exact_figure_reads_at_its_precision() -> None:
    text = "投资32.48亿元"
    mention = figure(
        text, "32.48亿元", 3_248_000_000, "元", written_unit="亿元",
        low=3_247_500_000, high="3248499999.99",
    )  # fmt: skip
    assert reading_for(mention, MONEY, Decimal(3_248_123_456)).agrees
    reading = reading_for(mention, MONEY, Decimal(3_300_000_000))
    assert (reading.agrees, reading.shown) == (False, "33.00亿元")
    assert reading.value == Decimal(3_300_000_000)


def test_a_count_reads_in_its_measure_word() -> None:
    mention = figure("已签约96个", "96个", 96, "个")
    assert reading_for(mention, COUNT, 96).agrees
    reading = reading_for(mention, COUNT, 95)
    assert (reading.agrees, reading.shown) == (False, "95个")
    big = figure("在库企业1.2万家", "1.2万家", 12_000, "家", written_unit="万家")
    assert reading_for(big, FIRMS, 13_400).shown == "1.3万家"


def test_duo_and_yu_read_as_the_round_number_below() -> None:
    text = "共1400多万元"
    mention = figure(
        text, "1400多万元", 14_000_000, "元", written_unit="万元", qualifier="多",
        low=14_000_000, high=15_000_000,
    )  # fmt: skip
    assert reading_for(mention, MONEY, 14_123_456).agrees
    assert reading_for(mention, MONEY, 16_230_000) == reading_for(
        mention, MONEY, Decimal(16_230_000)
    )
    reading = reading_for(mention, MONEY, 16_230_000)
    assert (reading.agrees, reading.shown) == (False, "1600多万元")
    assert reading_for(mention, MONEY, 16_000_000).shown == "1600万元"
    yu = figure("30余家", "30余家", 30, "家", qualifier="余", low=31, high=39)
    assert reading_for(yu, FIRMS, 47).shown == "40余家"


def test_yue_keeps_its_qualifier() -> None:
    text = "约210万平方米"
    mention = figure(
        text, "210万平方米", 2_100_000, "平方米", written_unit="万平方米", qualifier="约",
        low=2_000_000, high=2_200_000,
    )  # fmt: skip
    assert reading_for(mention, AREA, 2_096_000).agrees
    reading = reading_for(mention, AREA, 2_300_000)
    assert (reading.agrees, reading.shown) == (False, "约230万平方米")


def test_a_bound_is_dropped_when_the_value_is_given() -> None:
    mention = figure("超过500家", "500家", 500, "家", qualifier="超过", low=501, high=None)
    assert reading_for(mention, FIRMS, 620).agrees
    reading = reading_for(mention, FIRMS, 480)
    assert (reading.agrees, reading.shown) == (False, "480家")


def test_mu_and_commas() -> None:
    assert scale_of("亩") == Decimal(2000) / 3
    assert scale_of("万亩") == Decimal(10_000) * Decimal(2000) / 3
    mu = figure("用地300亩", "300亩", 200_000, "平方米", written_unit="亩")
    assert reading_for(mu, AREA, Decimal(200_000)).shown == "300亩"
    commas = figure("1,234万元", "1,234万元", 12_340_000, "元", written_unit="万元")
    assert reading_for(commas, MONEY, 23_450_000).shown == "2,345万元"


def test_a_unit_too_large_for_the_value_falls_back_to_the_platforms() -> None:
    mention = figure("投资1亿元", "1亿元", 100_000_000, "元", written_unit="亿元")
    # Not "0亿元": the value as the platform writes money.
    assert reading_for(mention, MONEY, 30_000_000).shown == formatting.money(30_000_000)


def test_a_fall_is_compared_negated() -> None:
    mention = figure("同比下降5.0%", "5.0%", "5.0", "%", low="4.95", high="5.05")
    assert reading_for(mention, SHARE, Decimal("-5.0"), negated=True).agrees
    assert not reading_for(mention, SHARE, Decimal("5.0"), negated=True).agrees
    assert reading_for(mention, SHARE, Decimal("-4.2"), negated=True).shown == "4.2%"
    assert reading_for(mention, SHARE, Decimal("3.2"), negated=True).shown == "增长3.2%"
    rise = figure("同比增长5.0%", "5.0%", "5.0", "%", low="4.95", high="5.05")
    assert reading_for(rise, SHARE, Decimal("-1.5")).shown == "下降1.5%"


def test_nan_never_agrees() -> None:
    mention = figure("同比增长5.0%", "5.0%", "5.0", "%", low=None, high=None)
    reading = reading_for(mention, SHARE, Decimal("NaN"))
    assert (reading.agrees, reading.shown) == (False, "—")
    assert mention.claims(Decimal(5))  # the same figure claims any number


def test_an_average_keeps_its_decimals() -> None:
    mention = figure("平均用时12.5天", "12.5天", "12.5", "天", low="12.45", high="12.55")
    assert reading_for(mention, DAYS, Decimal("12.5")).agrees
    assert reading_for(mention, DAYS, Decimal("13.7")).shown == "13.7天"
