"""Reading a report: the plain form, every number with its kind and claim, the day it speaks of."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gaoxin.factcheck import reading
from gaoxin.factcheck.reading import prepare, read, said_day
from gaoxin.factcheck.types import Kind, Mention

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "source-article.txt"
if not SOURCE.exists():
    SOURCE = Path("/work/shared/source-article.txt")

D = Decimal


def figures(text: str) -> list[Mention]:
    return [m for m in read(prepare(text)) if m.kind == Kind.FIGURE]


def only(text: str) -> Mention:
    found = figures(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


# --- the plain form ----------------------------------------------------------------------


def test_a_bad_copys_pinyin_goes_and_traditional_characters_become_simplified():
    p = prepare("珠海高新區(qū)推進(jìn)項(xiàng)目(資料圖片)（三）")
    assert p.plain == "珠海高新区推进项目(资料图片)（三）"


def test_real_brackets_with_latin_letters_stay():
    assert prepare("集成电路(TSV)项目（GDP）").plain == "集成电路(TSV)项目（GDP）"
    # Without a single toned bracket the text is not a bad copy: a lone "(de)" is left alone.
    assert prepare("的(de)").plain == "的(de)"


def test_a_unit_in_brackets_is_not_pinyin():
    assert prepare("面积(m2)：3200").plain == "面积(m2):3200"
    assert prepare("區(qu1)項(xiang4)產(chan3)面积(m2)").plain == "区项产面积(m2)"


def test_toneless_pinyin_goes_only_in_a_bad_copy():
    p = prepare("區(qū)項(xiàng)們(men)產(chǎn)")
    assert p.plain == "区项们产"


def test_a_lost_character_keeps_its_question_mark_and_loses_its_pinyin():
    p = prepare("區(qū)項(xiàng)產(chǎn)研究?jī)?chǔ)能")
    assert p.plain == "区项产研究??能"


def test_origin_maps_every_plain_character_to_its_original():
    text = "約210萬(wàn)平方米，３２００平方米"
    p = prepare(text)
    assert len(p.origin) == len(p.plain) + 1
    assert p.origin[-1] == len(text)
    for i, c in enumerate(p.plain):
        o = text[p.origin[i]]
        assert o == c or prepare(o).plain == c
    assert list(p.origin) == sorted(p.origin)


def test_full_width_digits_signs_and_spaces_become_half_width():
    p = prepare("面积３２００平方米，占比３５．５％，共3，200家，\u3000增长\u00a012%")
    assert p.plain == "面积3200平方米，占比35.5%，共3,200家， 增长 12%"


def test_a_full_width_comma_is_a_thousands_separator_only_before_three_digits():
    assert prepare("分别为12，35个").plain == "分别为12，35个"
    assert prepare("3，200，000元").plain == "3,200,000元"


def test_mention_at_marks_the_original_text():
    text = "共1400多萬(wàn)元，惠及20家企業(yè)"
    p = prepare(text)
    money, firms = figures(text)
    assert text[money.at[0] : money.at[1]] == "1400多萬(wàn)元"
    assert text[firms.at[0] : firms.at[1]] == "20家"
    assert money.text == "1400多万元"
    assert p.plain[money.start : money.end] == money.text


def test_a_conversion_that_changes_length_falls_back_to_one_character_at_a_time(monkeypatch):
    class Stretching:
        def convert(self, text: str) -> str:
            return text.replace("區", "区").replace("個", "个").replace("甲", "甲甲")

    monkeypatch.setattr(reading, "_t2s", lambda: Stretching())
    text = "甲區共96個\n全區12家"
    p = prepare(text)
    assert p.plain == "甲区共96个\n全区12家"
    assert [m.text for m in read(p)] == ["96个", "12家"]
    assert p.origin == (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)


# --- the source article ------------------------------------------------------------------


def test_the_source_article_figures():
    p = prepare(SOURCE.read_text(encoding="utf-8"))
    mentions = read(p)
    found = {m.text: m for m in mentions if m.kind == Kind.FIGURE}
    for written in (
        "156家",
        "1400多万元",
        "20家",
        "8个",
        "约210万平方米",
        "约325万平方米",
        "126个",
        "96个",
        "65个",
        "37个",
        "12个",
        "32.48亿元",
        "47家",
        "57.33亿元",
    ):
        assert written in found, written
    assert found["126个"].value == 126 and found["126个"].unit == "个"
    assert found["32.48亿元"].value == D("3248000000") and found["32.48亿元"].unit == "元"
    assert found["约210万平方米"].value == D("2100000") and found["约210万平方米"].unit == "平方米"
    assert found["1400多万元"].low == D("14000000") and found["1400多万元"].qualifier == "多"
    # The copyright line's "2@qq.com" etc. are not figures; nothing but the list above is.
    assert set(found) == {
        "156家",
        "1400多万元",
        "20家",
        "8个",
        "约210万平方米",
        "约325万平方米",
        "126个",
        "96个",
        "65个",
        "37个",
        "12个",
        "32.48亿元",
        "47家",
        "57.33亿元",
    }
    kinds = {m.text: m.kind for m in mentions}
    assert kinds["2022年"] == Kind.YEAR
    assert kinds["12英寸"] == Kind.NAME
    assert kinds["5.0"] == Kind.NAME
    assert kinds["3+3+1"] == Kind.NAME
    assert kinds["第一批"] == Kind.ORDINAL
    assert kinds["2005-2023"] == Kind.YEAR
    texts = [m.text for m in mentions if m.kind == Kind.FIGURE]
    assert texts.index("126个") < texts.index("96个") < texts.index("65个")  # in text order
    assert said_day(p, dt.date(2023, 7, 1)) is None  # 今年以来 alone


def test_a_report_in_another_zones_register():
    text = (
        "一、主要经济指标完成情况\n（一）经济运行。1-9月，园区实现一般公共预算收入201.5亿元，同比增长5.1%；"
        "工业总产值约3800亿元，其中高新技术产业产值占比达到52%左右。\n（二）项目建设。全年计划实施重大项目"
        "100个以上；截至9月30日，已开工85个，开工率85%。\n2.招商引资。前三季度新签约项目128个，协议总投资"
        "超过600亿元，其中50亿元以上项目5个。\n二、存在问题\n一是部分项目进度滞后；二是可用地不足500亩。\n"
        "将用好“1+N”政策体系，年内新增规上工业企业30家左右，力争四季度实现营收增长10%-12%。\n"
        "联系电话：0512-66681234。附件：1.项目清单 2.资金明细\n2023年10月12日"
    )
    p = prepare(text)
    assert [m.text for m in read(p) if m.kind == Kind.FIGURE] == [
        "201.5亿元",
        "5.1%",
        "约3800亿元",
        "52%左右",
        "100个以上",
        "85个",
        "85%",
        "128个",
        "超过600亿元",
        "50亿元以上",
        "5个",
        "不足500亩",
        "30家左右",
        "10%-12%",
    ]
    assert said_day(p, TODAY) == dt.date(2023, 9, 30)


# --- figures: value, unit and claim --------------------------------------------------------

CASES = [
    # text, mention, value, low, high, unit, written unit, qualifier
    (
        "固定资产投资达32.48亿元",
        "32.48亿元",
        "3248000000",
        "3247500000",
        "3248499999.99",
        "元",
        "亿元",
        "",
    ),
    ("新增上规企业47家", "47家", "47", "47", "47", "家", "家", ""),
    (
        "奖励资金共1400多万元",
        "1400多万元",
        "14000000",
        "14000000",
        "14999999.99",
        "元",
        "万元",
        "多",
    ),
    ("共1400余万元", "1400余万元", "14000000", "14000000", "14999999.99", "元", "万元", "余"),
    ("惠及20余家企业", "20余家", "20", "20", "29", "家", "家", "余"),
    ("二十多家企业", "二十多家", "20", "20", "29", "家", "家", "多"),
    ("十余家机构", "十余家", "10", "10", "19", "家", "家", "余"),
    ("百余家企业", "百余家", "100", "100", "199", "家", "家", "余"),
    ("一百多万元", "一百多万元", "1000000", "1000000", "1999999.99", "元", "万元", "多"),
    ("GDP总量3万多亿元", "3万多亿元", "3E+12", "3E+12", "3999999999999.99", "元", "万亿元", "多"),
    (
        "面积约210万平方米",
        "约210万平方米",
        "2100000",
        "1995000",
        "2205000",
        "平方米",
        "万平方米",
        "约",
    ),
    ("超过500家", "超过500家", "500", "501", None, "家", "家", "超过"),
    ("逾20家", "逾20家", "20", "21", None, "家", "家", "逾"),
    ("30家以上", "30家以上", "30", "30", None, "家", "家", "以上"),
    ("不少于3场", "不少于3场", "3", "3", None, "场", "场", "不少于"),
    ("近300家企业", "近300家", "300", "270", "300", "家", "家", "近"),
    ("不到10家", "不到10家", "10", None, "9", "家", "家", "不到"),
    ("50亿元以下", "50亿元以下", "5000000000", None, "5000000000", "元", "亿元", "以下"),
    ("约50亿元左右", "约50亿元左右", "5000000000", "4750000000", "5250000000", "元", "亿元", "约"),
    ("3-5个", "3-5个", "3", "3", "5", "个", "个", "-"),
    ("3至5个", "3至5个", "3", "3", "5", "个", "个", "至"),
    ("3~5家", "3~5家", "3", "3", "5", "家", "家", "~"),
    ("投资3-5万元", "3-5万元", "30000", "25000", "54999.99", "元", "万元", "-"),
    ("投资3万-5万元", "3万-5万元", "30000", "25000", "54999.99", "元", "万元", "-"),
    ("增长3%至5%", "3%至5%", "3", "2.5", "5.499999", "%", "%", "至"),
    ("三至五个", "三至五个", "3", "3", "5", "个", "个", "至"),
    ("增长10%-15%", "10%-15%", "10", "9.5", "15.499999", "%", "%", "-"),
    ("增长12.5%", "12.5%", "12.5", "12.45", "12.5499999", "%", "%", ""),
    ("占比35％", "35%", "35", "34.5", "35.499999", "%", "%", ""),
    ("提高1.2个百分点", "1.2个百分点", "1.2", "1.15", "1.2499999", "个百分点", "个百分点", ""),
    ("提升三成", "三成", "30", "25", "34.99999", "%", "成", ""),
    ("百分之三十", "百分之三十", "30", "29.5", "30.499999", "%", "%", ""),
    ("增长两倍", "两倍", "2", "1.5", "2.499999", "倍", "倍", ""),
    ("新增用地120亩", "120亩", "80000", "79666.666667", "80333.332667", "平方米", "亩", ""),
    ("面积3,200平方米", "3,200平方米", "3200", "3199.5", "3200.499999", "平方米", "平方米", ""),
    ("面积3，200平方米", "3,200平方米", "3200", "3199.5", "3200.499999", "平方米", "平方米", ""),
    ("约２１０万㎡", "约210万㎡", "2100000", "1995000", "2205000", "平方米", "万㎡", "约"),
    (
        "规划面积9.8平方公里",
        "9.8平方公里",
        "9800000",
        "9750000",
        "9849999.99",
        "平方米",
        "平方公里",
        "",
    ),
    ("服务1.2万家企业", "1.2万家", "12000", "11500", "12499.999", "家", "万家", ""),
    ("逾1.5万人次", "逾1.5万人次", "15000", "15000", None, "人次", "万人次", "逾"),
    ("三场推介会", "三场", "3", "3", "3", "场", "场", ""),
    ("两个平台", "两个", "2", "2", "2", "个", "个", ""),
    ("一百二十六个项目", "一百二十六个", "126", "126", "126", "个", "个", ""),
    ("引进一个重大项目", "一个", "1", "1", "1", "个", "个", ""),
    ("平均32天办结", "32天", "32", "32", "32", "天", "天", ""),
    ("拖了两个多月", "两个多月", "2", "2", "2", "个月", "个月", "多"),
    ("举办26期培训", "26期", "26", "26", "26", "期", "期", ""),
    ("发放1500余册", "1500余册", "1500", "1500", "1599", "册", "册", "余"),
    ("开展27批次", "27批次", "27", "27", "27", "批次", "批次", ""),
    ("开展两轮", "两轮", "2", "2", "2", "轮", "轮", ""),
    ("举办近百场", "近百场", "100", "90", "100", "场", "场", "近"),
    ("收到20份", "20份", "20", "20", "20", "份", "份", ""),
    ("服务万余家企业", "万余家", "10000", "10000", "19999", "家", "家", "余"),
    ("吸引逾万人", "逾万人", "10000", "10001", None, "人", "人", "逾"),
    ("营收超千亿元", "超千亿元", "100000000000", "100000000000", None, "元", "亿元", "超"),
    ("一点五亿元", "一点五亿元", "150000000", "145000000", "154999999.99", "元", "亿元", ""),
    ("两千三百万元", "两千三百万元", "23000000", "22995000", "23004999.99", "元", "万元", ""),
    ("近两成", "近两成", "20", "18", "20", "%", "成", "近"),
    (
        "投资 32.48 亿元",
        "32.48 亿元",
        "3248000000",
        "3247500000",
        "3248499999.99",
        "元",
        "亿元",
        "",
    ),
    ("面积约 3200 m²", "约 3200 m²", "3200", "3040", "3360", "平方米", "m²", "约"),
    ("30日内办结", "30日", "30", "30", "30", "天", "日", ""),
    ("营收3,200亿", "3,200亿", "320000000000", "319950000000", "320049999999.99", "元", "亿", ""),
    (
        "产值1.2万亿",
        "1.2万亿",
        "1200000000000",
        "1150000000000",
        "1249999999999.99",
        "元",
        "万亿",
        "",
    ),
]


@pytest.mark.parametrize(
    ("text", "written", "value", "low", "high", "unit", "written_unit", "qualifier"), CASES
)
def test_a_figure_is_read_with_its_claim(
    text: str,
    written: str,
    value: str,
    low: str | None,
    high: str | None,
    unit: str,
    written_unit: str,
    qualifier: str,
):
    m = only(text)
    assert m.text == written
    assert m.value == D(value)
    assert m.low == (None if low is None else D(low))
    assert m.high == (None if high is None else D(high))
    assert (m.unit, m.written_unit, m.qualifier) == (unit, written_unit, qualifier)
    assert m.kind == Kind.FIGURE


def test_yi_without_yuan_is_a_scaled_number_outside_a_money_clause():
    people = only("服务人口1.2亿，同比增长")
    assert people.value == D("120000000") and people.unit == ""
    visits = only("接待游客1.2亿人次")
    assert visits.unit == "人次" and visits.value == D("120000000")
    # The money word must be in the same clause.
    assert only("投资增长，服务人口1.2亿").unit == ""


def test_an_exact_figure_claims_what_rounds_to_it():
    m = only("固定资产投资预计达32.48亿元")
    assert m.claims(D("3247500000")) and m.claims(D("3248499999.99"))
    assert not m.claims(D("3248500000")) and not m.claims(D("3247499999.99"))
    count = only("已签约96个")
    assert count.qualifier == "" and only("签约约96个").qualifier == "约"
    assert count.claims(D(96)) and not count.claims(D(95)) and not count.claims(D(97))


def test_more_than_and_about_claim_as_reports_read_them():
    assert only("1400多万元").claims(D("14990000"))
    assert not only("1400多万元").claims(D("15000000"))
    assert not only("1400多万元").claims(D("13990000"))
    assert only("超过500家").claims(D(501)) and not only("超过500家").claims(D(500))
    near = only("约210万平方米")
    assert near.claims(D("2150000")) and not near.claims(D("2300000"))
    # Never narrower than the rounding: 约3个 accepts what rounds to 3.
    assert only("约3个").low == D("2.5")
    assert only("增长+12%").value == D(12)
    assert only("增长-2.3%").value == D("2.3")


def test_a_range_must_rise():
    first = figures("5-3个")[0]
    assert (first.text, first.unit, first.qualifier) == ("5", "", "")


def test_a_figure_is_marked_over_the_pinyin_after_its_last_character():
    text = "區(qū)項(xiàng)產(chǎn)已簽(qiān)約(yuē)36個(gè)，"
    m = only(text)
    assert text[m.at[0] : m.at[1]] == "36個(gè)"


def test_a_figure_span_covers_qualifier_number_and_unit():
    text = "总建筑面积将达到约325萬(wàn)平方米；超过500家以上"
    area, firms = figures(text)
    assert text[area.at[0] : area.at[1]] == "约325萬(wàn)平方米"
    assert firms.text == "超过500家以上"


# --- numbers that are not figures ----------------------------------------------------------

NOT_FIGURES = [
    ("申报2022年广东省级专精特新中小企业", "2022年", Kind.YEAR),
    ("二〇二三年工作要点", "二〇二三年", Kind.YEAR),
    ("2021-2025年规划", "2021-2025年", Kind.YEAR),
    ("截至2023年6月30日", "2023年6月30日", Kind.DATE),
    ("2023年6月底前完成", "2023年6月底", Kind.DATE),
    ("6月30日召开", "6月30日", Kind.DATE),
    ("10月8日召开", "10月8日", Kind.DATE),
    ("完成1-9月目标", "1-9月", Kind.DATE),
    ("一季度新增", "一季度", Kind.DATE),
    ("前三季度", "前三季度", Kind.DATE),
    ("第二季度", "第二季度", Kind.DATE),
    ("2023.6数据", "2023.6", Kind.DATE),
    ("时间2023-06-30", "2023-06-30", Kind.DATE),
    ("2024/1/5发布", "2024/1/5", Kind.DATE),
    ("上午9:30召开", "9:30", Kind.DATE),
    ("14时30分开始", "14时30分", Kind.DATE),
    ("\n一、总体情况", "一、", Kind.MARKER),
    ("（一）招商引资", "（一）", Kind.MARKER),
    ("(3)其他事项", "(3)", Kind.MARKER),
    ("。一是强化服务", "一是", Kind.MARKER),
    ("；二是加快建设", "二是", Kind.MARKER),
    ("\n1.加快建设", "1.", Kind.MARKER),
    ("\n2、加快建设", "2、", Kind.MARKER),
    ("附件：1.项目清单 2.资金明细", "1.", Kind.MARKER),
    ("附件：1.项目清单 2.资金明细", "2.", Kind.MARKER),
    ("①第一项", "①", Kind.MARKER),
    ("其一，", "其一", Kind.MARKER),
    ("第一批国家级", "第一批", Kind.ORDINAL),
    ("第十四届", "第十四届", Kind.ORDINAL),
    ("排名第3名", "第3名", Kind.ORDINAL),
    ("进入前10名", "前10名", Kind.ORDINAL),
    ("珠海12英寸晶圆级项目", "12英寸", Kind.NAME),
    ("28纳米工艺", "28纳米", Kind.NAME),
    ("5.0产业新空间", "5.0", Kind.NAME),
    ("工业4.0", "4.0", Kind.NAME),
    ("“3+3+1”现代产业体系", "3+3+1", Kind.NAME),
    ("3+3+1产业体系", "3+3+1", Kind.NAME),
    ("建设5G基站", "5G", Kind.NAME),
    ("2号楼", "2号", Kind.NAME),
    ("珠海1号卫星", "1号", Kind.NAME),
    ("二期项目", "二期", Kind.NAME),
    ("百亿级产业", "百亿级", Kind.NAME),
    ("世界500强企业", "500强", Kind.NAME),
    ("一带一路", "一带一路", Kind.NAME),
    ("十四五时期", "十四五", Kind.NAME),
    ("三中全会精神", "三中全会", Kind.NAME),
    ("党的二十大", "二十大", Kind.NAME),
    ("三年行动计划", "三年", Kind.NAME),
    ("实施3年攻坚", "3年", Kind.NAME),
    ("《关于支持100家企业发展的若干措施》", "100家", Kind.NAME),
    ("“百千万工程”推进5个镇", "5个", Kind.FIGURE),  # the figure is outside the quote
    ('"小巨人"企业28家。引进"4+3"', "28家", Kind.FIGURE),
    ('企业"28家。引进"', "28家", Kind.FIGURE),  # a sentence's end in quotes: no slogan
    ("电话0756-3312345", "0756-3312345", Kind.NAME),
    ("手机13812345678", "13812345678", Kind.NAME),
    ("代码91440400MA4UJ4XX3Q", "91440400MA4UJ4XX3Q", Kind.NAME),
    ("m.670818.com", "670818.com", Kind.NAME),
    ("Copyright © 2005-2023", "2005-2023", Kind.YEAR),
    ("皖ICP备2022009963号-3", "2022009963", Kind.NAME),
]


@pytest.mark.parametrize(("text", "written", "kind"), NOT_FIGURES)
def test_numbers_that_are_not_figures_are_told_apart(text: str, written: str, kind: Kind):
    mentions = {m.text: m.kind for m in read(prepare(text))}
    assert mentions.get(written) == kind, mentions


@pytest.mark.parametrize(
    "text",
    [
        "一批项目加快建设",
        "每一个企业都受益",
        "这一家企业",
        "一次性补贴",
        "一人一档",
        "统一部署",
        "进一步推进",
        "一线城市",
        "每周通报一次",
        "一部分企业",
        "一张蓝图绘到底",
        "一种模式",
        "二期项目",
        "用一年时间",
        "一件事一次办",
        "新一轮竞争",
        "三大产业",
        "十分重要",
        "百家争鸣",
        "千家万户",
        "千万不要",
        "万众创新",
        "数万人",
        "上万家",
        "几十家企业",
        "上百家企业",
        "举办了多场政策宣讲会",
        "企业数量双倍增",
        "粤港澳大湾区",
    ],
)
def test_words_with_numerals_are_not_figures(text: str):
    assert figures(text) == []


def test_a_list_of_quarters_is_not_a_marker():
    kinds = [(m.text, m.kind) for m in read(prepare("一、二季度"))]
    assert ("二季度", Kind.DATE) in kinds and ("一、", Kind.MARKER) in kinds
    kinds = [(m.text, m.kind) for m in read(prepare("全区一、二季度"))]
    assert kinds == [("二季度", Kind.DATE)]


# --- the day a text speaks of ---------------------------------------------------------------

TODAY = dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("截至2023年6月30日，全区", dt.date(2023, 6, 30)),
        ("截止2023年9月底，全区", dt.date(2023, 9, 30)),
        ("截至2023年底", dt.date(2023, 12, 31)),
        ("2023年上半年，全区；截至6月底", dt.date(2023, 6, 30)),
        ("截至6月底，全区", dt.date(2026, 6, 30)),
        ("截至12月底", dt.date(2025, 12, 31)),  # not yet come this year: last year's
        ("截至去年底", dt.date(2025, 12, 31)),
        ("2023年上半年，全区", dt.date(2023, 6, 30)),
        ("2023年3月开工，预计2024年6月竣工；截至6月底", dt.date(2023, 6, 30)),
        ("一季度全区", dt.date(2026, 3, 31)),
        ("2022年第三季度", dt.date(2022, 9, 30)),
        ("2023年1-9月，全区", dt.date(2023, 9, 30)),
        ("1至5月", dt.date(2026, 5, 31)),
        ("前三季度", dt.date(2026, 9, 30)),
        ("2023年前10个月", dt.date(2023, 10, 31)),
        ("2024年一季度新增，上半年累计", dt.date(2024, 6, 30)),
        ("截至2023年3月底，截止2023年9月30日；2023年前三季度", dt.date(2023, 9, 30)),
        ("截至2023年3月底，上半年", dt.date(2023, 3, 31)),  # an explicit 截至 wins
        ("今年以来，全区", None),
        ("截至目前，全区", None),
        ("截至2023年2月30日", None),
        ("", None),
    ],
)
def test_said_day(text: str, day: dt.date | None):
    assert said_day(prepare(text), TODAY) == day


def test_said_day_reads_traditional_characters():
    assert said_day(prepare("截至2023年6月底，全區(qū)"), TODAY) == dt.date(2023, 6, 30)
    assert said_day(prepare("2023年上半年"), TODAY) == dt.date(2023, 6, 30)


# --- any text --------------------------------------------------------------------------------

NUMERIC_PIECES = [
    *"0123456789０１２.,，%％-~至到年月日号个家场亿万元多余约近超过以上第一二两三十百千是、（）()《》“”",
    *("平方米", "\n", " ", "(qū)", "區", "A", "+", "①", "截至", "上半年", "季度", "百分之"),
]
NUMERIC = st.lists(st.sampled_from(NUMERIC_PIECES), max_size=60).map("".join)


def check_sane(text: str) -> None:
    p = prepare(text)
    assert len(p.origin) == len(p.plain) + 1
    assert p.origin[-1] == len(text)
    mentions = read(p)
    last = 0
    for m in mentions:
        assert 0 <= m.start < m.end <= len(p.plain)
        assert m.start >= last  # in order, not overlapping
        last = m.end
        assert 0 <= m.at[0] < m.at[1] <= len(text)
        assert m.text == p.plain[m.start : m.end]
        if m.low is not None and m.high is not None:
            assert m.low <= m.high
    said_day(p, TODAY)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_read_without_error(text: str):
    check_sane(text)


@hypothesis_settings(max_examples=500, deadline=None)
@given(NUMERIC)
def test_any_text_of_numbers_and_units_is_read_without_error(text: str):
    check_sane(text)


def test_a_long_report_reads_in_well_under_100_ms():
    article = SOURCE.read_text(encoding="utf-8")
    text = (article * (10000 // len(article) + 1))[:10000]
    p = prepare(text)
    read(p)
    best = min(_timed(lambda: read(p)) for _ in range(3))
    assert best < 0.1, best
    assert _timed(lambda: prepare(text)) < 0.2
    # Long runs of one character once made a name pattern backtrack quadratically.
    for run in ("一" * 10000, "1" * 10000, "十" * 10000):
        p = prepare(run)
        assert min(_timed(lambda p=p: read(p)) for _ in range(3)) < 0.1, run[0]


def _timed(f: object) -> float:
    start = time.perf_counter()
    f()  # type: ignore[operator]
    return time.perf_counter() - start
