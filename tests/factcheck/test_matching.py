"""Which metric a figure is: unit first, then the words beside it, then its subject, carried
across clauses; records named by their names; ties kept as candidates; a figure fitting no
metric is not recognised. Run on metrics of the test's own, so that the rules are tested
apart from the catalogue's declarations (the round trip in test_services.py tests those)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import EllipsisType

import pytest

from gaoxin.core.metrics import SUBJECTS, Metric, MetricFamily, MetricScope, Said, Subject, Unit
from gaoxin.factcheck.matching import match, normalised_names
from gaoxin.factcheck.types import Kind, Mention, Prepared

SCOPE = MetricScope((1,), dt.date(2023, 6, 30))


def prepared(text: str) -> Prepared:
    return Prepared(text, text, tuple(range(len(text) + 1)))


def figure(
    text: str,
    written: str,
    value: int | str,
    unit: str = "",
    *,
    written_unit: str | None = None,
    qualifier: str = "",
    low: int | str | EllipsisType | None = ...,
    high: int | str | EllipsisType | None = ...,
    nth: int = 0,
    kind: Kind = Kind.FIGURE,
) -> Mention:
    """A mention of `written` (its nth occurrence) in `text`, as the reader would give it; it
    claims exactly its value unless told otherwise (None: open on that side)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(written, start + 1)
    end = start + len(written)
    exact = Decimal(str(value))
    return Mention(
        start=start,
        end=end,
        at=(start, end),
        text=written,
        value=exact,
        low=exact if low is ... else None if low is None else Decimal(str(low)),
        high=exact if high is ... else None if high is None else Decimal(str(high)),
        unit=unit,
        written_unit=unit if written_unit is None else written_unit,
        qualifier=qualifier,
        kind=kind,
    )


def fake(key: str, unit: Unit, *words: str, measures: tuple[str, ...] = (), subject: str = ""):
    return Metric(
        key=key,
        label=key,
        unit=unit,
        records=lambda scope: None,  # type: ignore[arg-type,return-value]
        said=Said(tuple(words), measures, subject),
    )


METRICS = [
    fake("projects.signed", Unit.ITEM, "已签约", "签约项目", subject="projects"),
    fake("projects.registered", Unit.ITEM, "已注册", subject="projects"),
    fake("space.total", Unit.ITEM, "入驻项目", subject="space"),
    fake("space.signed", Unit.ITEM, "已签约", "已签约并将入驻", subject="space"),
    fake("space.registered", Unit.ITEM, "已注册", subject="space"),
    fake("space.fitting_out", Unit.ITEM, "正在装修", subject="space"),
    fake("space.investment", Unit.YUAN, "固定资产投资", subject="space"),
    fake("space.above_scale", Unit.ENTERPRISE, "新增上规企业", "上规企业", subject="space"),
    fake("enterprises.total", Unit.ENTERPRISE, "在库企业"),
    fake("enterprises.above", Unit.ENTERPRISE, "规上企业"),
    fake("events", Unit.ITEM, "政策宣讲会", "宣讲会", measures=("场",)),
    fake("events.attending", Unit.ENTERPRISE, "企业参加", "参会企业"),
    fake("spaces.area", Unit.SQUARE_METRE, "总建筑面积"),
    fake("spaces.occupancy", Unit.PERCENT, "出租率"),
    fake("revenue.growth", Unit.PERCENT, "同比增长", "同比下降", "同比"),
]


DECLARED: dict[str, Subject] = {}  # the catalogue's subjects, for a test that reads with them


@pytest.fixture(autouse=True)
def subjects():
    """The test's own subjects only, whatever the catalogue declares."""
    declared = dict(SUBJECTS)
    DECLARED.update(declared)
    SUBJECTS.clear()
    SUBJECTS["space"] = Subject("space", "产业空间", ("产业新空间", "入驻项目"))
    SUBJECTS["projects"] = Subject("projects", "项目", ("项目",))
    yield
    SUBJECTS.clear()
    SUBJECTS.update(declared)


def keys(text: str, *mentions: Mention, metrics=METRICS, families=()) -> list[str | None]:
    return [a.key for a in match(prepared(text), list(mentions), SCOPE, metrics, families)]


def test_the_subject_carries_across_clauses() -> None:
    text = "产业新空间入驻项目126个，其中已签约96个、已注册65个。"
    found = keys(
        text, figure(text, "126个", 126, "个"), figure(text, "96个", 96, "个"),
        figure(text, "65个", 65, "个"),
    )  # fmt: skip
    assert found == ["space.total", "space.signed", "space.registered"]
    # The same words about all projects are the pipeline's.
    other = "全区签约项目120个，其中已注册80个。"
    assert keys(other, figure(other, "120个", 120, "个"), figure(other, "80个", 80, "个")) == [
        "projects.signed",
        "projects.registered",
    ]


def test_the_subject_ends_with_its_sentence() -> None:
    text = "产业新空间入驻项目126个。全区项目已注册80个。"
    assert keys(text, figure(text, "80个", 80, "个")) == ["projects.registered"]


def test_words_after_the_number_and_the_longest_word() -> None:
    text = "目前，96个项目已签约并将入驻，其中已注册65个、正在装修37个。"
    assignments = match(
        prepared(text),
        [figure(text, "96个", 96, "个"), figure(text, "65个", 65, "个"),
         figure(text, "37个", 37, "个")],
        SCOPE, METRICS, (),
    )  # fmt: skip
    assert [a.key for a in assignments] == ["space.signed", "space.registered", "space.fitting_out"]
    # 已签约并将入驻 (the longer word, the space's own) decides, not the subject 项目 after it.
    assert assignments[0].candidates[0].because[0] == "已签约并将入驻"


def test_another_number_between_keeps_a_word_for_its_own() -> None:
    text = "已签约96个已注册65个"
    # Neither has a subject: of the two metrics each fits alike, the first key is chosen.
    assert keys(text, figure(text, "96个", 96, "个"), figure(text, "65个", 65, "个")) == [
        "projects.signed",
        "projects.registered",
    ]


def test_the_unit_comes_first() -> None:
    text = "固定资产投资预计达32.48亿元，预计新增上规企业47家。"
    assert keys(
        text, figure(text, "32.48亿元", 3_248_000_000, "元", written_unit="亿元"),
        figure(text, "47家", 47, "家"),
    ) == ["space.investment", "space.above_scale"]  # fmt: skip
    # The same words with a count's measure word are no money metric's.
    wrong = "固定资产投资项目32个。"
    assert keys(wrong, figure(wrong, "32个", 32, "个")) == [None]


def test_a_measure_word_must_be_the_metrics() -> None:
    text = "先后举办政策宣讲会3场，120家企业参加。"
    assert keys(text, figure(text, "3场", 3, "场"), figure(text, "120家", 120, "家")) == [
        "events",
        "events.attending",
    ]
    wrong = "先后举办政策宣讲会3人。"
    assert keys(wrong, figure(wrong, "3人", 3, "人")) == [None]


def test_a_bare_number_needs_its_word_beside_it() -> None:
    text = "在库企业1200，规上企业共计有300。"
    assert keys(text, figure(text, "1200", 1200), figure(text, "300", 300)) == [
        "enterprises.total",
        None,
    ]


def test_a_figure_no_metric_fits_is_not_recognised() -> None:
    text = "新增就业岗位500个，带动投资倍增2倍，出租率提高5个百分点。"
    found = match(
        prepared(text),
        [figure(text, "500个", 500, "个"), figure(text, "2倍", 2, "倍"),
         figure(text, "5个百分点", 5, "个百分点")],
        SCOPE, METRICS, (),
    )  # fmt: skip
    assert [(a.metric, a.candidates) for a in found] == [(None, ())] * 3


def test_only_figures_are_matched() -> None:
    text = "截至2023年6月30日，在库企业1200家。"
    found = match(
        prepared(text),
        [figure(text, "2023", 2023, kind=Kind.YEAR), figure(text, "1200家", 1200, "家")],
        SCOPE, METRICS, (),
    )  # fmt: skip
    assert [a.mention.text for a in found] == ["1200家"]


def test_two_metrics_that_fit_alike_are_both_candidates() -> None:
    text = "已签约96个。"
    found = match(prepared(text), [figure(text, "96个", 96, "个")], SCOPE, METRICS, ())
    (assignment,) = found
    assert [c.key for c in assignment.candidates] == ["projects.signed", "space.signed"]
    assert assignment.key == "projects.signed"  # the tie broken by key, the same every time
    # A subject decides it, and then there is one candidate.
    text = "产业新空间已签约96个。"
    (assignment,) = match(prepared(text), [figure(text, "96个", 96, "个")], SCOPE, METRICS, ())
    assert [c.key for c in assignment.candidates] == ["space.signed"]


def test_an_earlier_clause_speaks_for_a_later_figure_more_weakly() -> None:
    text = "建成后全区产业新空间总建筑面积将达到约325万平方米，出租率85%。"
    assert keys(
        text,
        figure(text, "325万平方米", 3_250_000, "平方米", written_unit="万平方米", qualifier="约"),
        figure(text, "85%", 85, "%"),
    ) == ["spaces.area", "spaces.occupancy"]


def test_a_fall_is_negated() -> None:
    text = "营业收入12亿元，同比下降5.0%；税收同比增长3.0%。"
    found = match(
        prepared(text), [figure(text, "5.0%", 5, "%"), figure(text, "3.0%", 3, "%")],
        SCOPE, METRICS, (),
    )  # fmt: skip
    assert [(a.key, a.negated) for a in found] == [
        ("revenue.growth", True),
        ("revenue.growth", False),
    ]


# --- records named by their names --------------------------------------------------------------


def campaign_family() -> MetricFamily:
    names = {"gd-zjtx": "2022年广东省专精特新中小企业申报", "gd-cx": "“创新型中小企业”2023年度申报"}

    def make(param: str) -> Metric | None:
        if param not in names:
            return None
        return fake(f"campaigns.applying.{param}", Unit.ENTERPRISE, "企业申报", "家企业申报")

    return MetricFamily(
        "campaigns.applying", make, lambda scope: list(names), Said(("企业申报",)),
        lambda scope: names,
    )  # fmt: skip


def test_a_record_is_found_by_its_name() -> None:
    family = campaign_family()
    text = "组织3家企业申报2022年广东省专精特新中小企业。"
    assert keys(text, figure(text, "3家", 3, "家"), families=[family]) == [
        "campaigns.applying.gd-zjtx"
    ]
    # The name without its year names it too (more weakly).
    quoted = "组织5家企业申报创新型中小企业（2023年）。"
    assert keys(quoted, figure(quoted, "5家", 5, "家"), families=[family]) == [
        "campaigns.applying.gd-cx"
    ]
    named = "组织5家企业申报“创新型中小企业”2023年。"
    assert keys(named, figure(named, "5家", 5, "家"), families=[family]) == [
        "campaigns.applying.gd-cx"
    ]
    # Without the name, the family's words alone are no metric.
    bare = "组织3家企业申报。"
    assert keys(bare, figure(bare, "3家", 3, "家"), families=[family]) == [None]


def test_a_name_without_its_year_still_names_it() -> None:
    family = campaign_family()
    text = "组织3家企业申报广东省专精特新中小企业。"
    (assignment,) = match(prepared(text), [figure(text, "3家", 3, "家")], SCOPE, (), [family])
    assert assignment.key == "campaigns.applying.gd-zjtx"


def test_names_are_normalised() -> None:
    assert [n for n, _ in normalised_names("2022年度广东省专精特新中小企业申报")] == [
        "2022年广东省专精特新中小企业",
        "广东省专精特新中小企业",
    ]
    assert [n for n, _ in normalised_names("《第一批专精特新企业奖励资金》")] == [
        "第一批专精特新企业奖励资金"
    ]


def test_words_inside_a_name_are_the_names() -> None:
    """专精特新中小企业 inside the campaign's name is not the designation's figure."""
    family = campaign_family()
    designation = fake("designation.specialised", Unit.ENTERPRISE, "专精特新中小企业")
    text = "组织3家企业申报2022年广东省专精特新中小企业。"
    (assignment,) = match(
        prepared(text), [figure(text, "3家", 3, "家")], SCOPE, [designation], [family]
    )
    assert [c.key for c in assignment.candidates] == ["campaigns.applying.gd-zjtx"]
    # Without the campaign's family, the words are no longer a name's, and are the designation's.
    (alone,) = match(prepared(text), [figure(text, "3家", 3, "家")], SCOPE, [designation], [])
    assert alone.key == "designation.specialised"


def indicator_families() -> list[MetricFamily]:
    names = {"output": "工业总产值", "output.group.above": "规上工业总产值", "revenue": "营业收入"}

    def family(prefix: str, unit: Unit, words: tuple[str, ...]) -> MetricFamily:
        def make(param: str) -> Metric | None:
            return fake(f"{prefix}.{param}", unit, *words) if param in names else None

        return MetricFamily(
            prefix, make, lambda scope: list(names), Said(words), lambda scope: names
        )

    return [
        family("economy.month", Unit.YUAN, ("当月", "本月")),
        family("economy.ytd", Unit.YUAN, ("累计", "全区")),
        family("economy.growth", Unit.PERCENT, ("同比增长", "同比下降", "同比")),
    ]


def test_an_indicator_is_its_name_and_a_list_keeps_its_kind() -> None:
    text = "1-6月，全区规上工业总产值12.3亿元，同比增长5.0%；营业收入15亿元，同比下降2.0%。"
    found = match(
        prepared(text),
        [figure(text, "12.3亿元", 1_230_000_000, "元", written_unit="亿元"),
         figure(text, "5.0%", 5, "%"), figure(text, "15亿元", 1_500_000_000, "元",
         written_unit="亿元"), figure(text, "2.0%", 2, "%")],
        SCOPE, [], indicator_families(),
    )  # fmt: skip
    assert [(a.key, a.negated) for a in found] == [
        ("economy.ytd.output.group.above", False),
        ("economy.growth.output.group.above", False),
        ("economy.ytd.revenue", False),
        ("economy.growth.revenue", True),
    ]
    # 营业收入 alone does not say year to date or month: both are shown, the list's kind chosen.
    assert [c.key for c in found[2].candidates] == ["economy.ytd.revenue", "economy.month.revenue"]


def test_a_word_may_mean_several_subjects() -> None:
    SUBJECTS["spaces"] = Subject("spaces", "产业空间", ("产业新空间",))  # the fixture restores
    metrics = [
        fake("spaces.count", Unit.ITEM, "共有", subject="spaces"),
        fake("space.planned", Unit.ITEM, "落地投产", subject="space"),
    ]
    text = "加快推进产业新空间12个项目落地投产。"
    assert keys(text, figure(text, "12个", 12, "个"), metrics=metrics) == ["space.planned"]


def test_a_name_inside_the_counted_noun_is_passed_over() -> None:
    """ "8个5.0产业新空间项目": 5.0 is a name's, and 项目 is what the 8 count, not the subject of
    the area after it, which stays the spaces under construction."""
    SUBJECTS["building"] = Subject("building", "在建", ("计划年内建设", "在建"))
    SUBJECTS["built"] = Subject("built", "已建成", ("已建成",))
    metrics = [
        fake("spaces.count.building", Unit.ITEM, "计划年内建设", measures=("个",),
             subject="building"),
        fake("spaces.area.building", Unit.SQUARE_METRE, "总建筑面积", subject="building"),
        fake("spaces.area.built", Unit.SQUARE_METRE, "总建筑面积", subject="built"),
    ]  # fmt: skip
    text = "计划年内建设8个5.0产业新空间项目，总建筑面积约210万平方米。"
    mentions = [
        figure(text, "8个", 8, "个"),
        figure(text, "5.0", "5.0", kind=Kind.NAME),
        figure(text, "210万平方米", 2_100_000, "平方米", written_unit="万平方米", qualifier="约"),
    ]
    found = match(prepared(text), mentions, SCOPE, metrics, ())
    assert [a.key for a in found] == ["spaces.count.building", "spaces.area.building"]
    assert [c.key for c in found[1].candidates] == ["spaces.area.building"]


def test_only_a_share_falls() -> None:
    text = "在库企业减少3家。"
    (assignment,) = match(prepared(text), [figure(text, "3家", 3, "家")], SCOPE, METRICS, ())
    assert (assignment.key, assignment.negated) == ("enterprises.total", False)


def test_one_items_amount_a_flow_or_a_change_is_no_total() -> None:
    metrics = [
        fake("awards.paid", Unit.YUAN, "奖励", "奖励资金"),
        fake("approvals.done", Unit.ITEM, "办结审批事项", "办结"),
        fake("land.days", Unit.DAY, "平均用时"),
    ]
    text = "每家奖励50万元，最高获得奖励100万元；本月办结审批事项19个；平均用时较去年同期缩短21天。"
    found = keys(
        text, figure(text, "50万元", 500_000, "元", written_unit="万元"),
        figure(text, "100万元", 1_000_000, "元", written_unit="万元"),
        figure(text, "19个", 19, "个"), figure(text, "21天", 21, "天"), metrics=metrics,
    )  # fmt: skip
    assert found == [None, None, None, None]
    total = "累计拨付奖励资金共1200万元，累计办结审批事项120个，平均用时15天。"
    assert keys(
        total, figure(total, "1200万元", 12_000_000, "元", written_unit="万元"),
        figure(total, "120个", 120, "个"), figure(total, "15天", 15, "天"), metrics=metrics,
    ) == ["awards.paid", "approvals.done", "land.days"]  # fmt: skip


def test_a_clauses_topic_is_its_subject() -> None:
    text = "截至目前，产业新空间累计已签约项目96个。"
    assert keys(text, figure(text, "96个", 96, "个")) == ["space.signed"]


def test_a_name_with_a_character_more_still_names_it() -> None:
    family = campaign_family()
    text = "组织156家企业申报2022年广东省级专精特新中小企业。"
    assert keys(text, figure(text, "156家", 156, "家"), families=[family]) == [
        "campaigns.applying.gd-zjtx"
    ]


@pytest.mark.django_db
def test_a_target_is_no_metric_value_but_the_figures_before_it_are():
    """ "力争…30家以上" says what should be, not what the records hold; a figure of the same
    sentence before the target word is still read."""
    from gaoxin.core.metrics import registry
    from gaoxin.factcheck.reading import prepare, read

    text = "全区规上企业达到120家，力争全年新增规上企业30家以上，高新技术企业达到150家以上。"
    prepared = prepare(text)
    mentions = [m for m in read(prepared) if m.kind == "figure"]
    found = {a.mention.text: a.metric for a in match(prepared, mentions, MetricScope.of([]))}
    assert found["120家"] is not None and found["120家"].key == "enterprises.above_scale"
    assert found["30家以上"] is None and found["150家以上"] is None
    assert registry.get("enterprises.above_scale").said is not None


def batch_family() -> MetricFamily:
    names = {"zjtx-1": "第一批国家级专精特新“小巨人”企业和省级专精特新中小企业奖励资金"}

    def make(param: str) -> Metric | None:
        return fake(f"awards.paid.{param}", Unit.YUAN, "拨付") if param in names else None

    return MetricFamily(
        "awards.paid", make, lambda scope: list(names), Said(("拨付",)), lambda scope: names
    )


def test_a_long_name_written_in_short_still_names_it() -> None:
    """A report keeps a long name's head and tail and the middle's distinctive part."""
    family = batch_family()
    text = "第一批专精特新奖励资金2800万元已拨付到位。"
    money = figure(text, "2800万元", 28_000_000, "元", written_unit="万元")
    assert keys(text, money, metrics=[], families=[family]) == ["awards.paid.zjtx-1"]
    # Its head and tail alone, or its middle without its tail, are not enough.
    for other in ("第一批奖励资金2800万元已拨付到位。", "第一批专精特新企业2800万元已拨付到位。"):
        money = figure(other, "2800万元", 28_000_000, "元", written_unit="万元")
        assert keys(other, money, metrics=[], families=[family]) == [None]


@pytest.mark.django_db
def test_the_catalogue_reads_how_a_supervision_notice_writes_its_figures():
    """The words, measures and subjects the metrics declare (未关闭, 超过办理时限, 逾期补报,
    调度表…份, 当月完成固定资产投资, 累计完成, 纳入跟踪服务, 现有产业空间)."""
    from gaoxin.factcheck.reading import prepare, read

    SUBJECTS.update(DECLARED)
    text = (
        "全区未关闭的难点堵点共12个，其中超过办理时限的3个。已报送企业150家，其中逾期补报8家。"
        "重点项目调度方面，共收到项目调度表30份，当月完成固定资产投资2.1亿元，1-9月累计完成"
        "20.5亿元。另有15家小升规培育企业纳入跟踪服务。园区现有产业空间十一个。"
    )
    prepared = prepare(text)
    mentions = [m for m in read(prepared) if m.kind == "figure"]
    found = {a.mention.text: a.key for a in match(prepared, mentions, MetricScope.of([]))}
    assert found == {
        "12个": "blockers.open",
        "3个": "blockers.overdue",
        "150家": "economy.reporting.reported",
        "8家": "economy.reporting.late",
        "30份": "economy.dispatch.reports",
        "2.1亿元": "economy.dispatch.investment_month",
        "20.5亿元": "economy.dispatch.investment_ytd",
        "15家": "radar.followups.open",
        "十一个": "spaces.count",
    }


def test_a_named_months_figure_is_a_flow_unless_the_metric_is_monthly() -> None:
    metrics = [
        fake("approvals.done", Unit.ITEM, "办结", measures=("件",)),
        fake("approvals.month", Unit.ITEM, "当月受理", measures=("件",)),
        fake("investment.ytd", Unit.YUAN, "累计完成"),
    ]
    text = "10月份新受理审批事项37件，办结35件；当月受理41件，1-10月累计完成58.7亿元。"
    found = keys(
        text, figure(text, "37件", 37, "件"), figure(text, "35件", 35, "件"),
        figure(text, "41件", 41, "件"), figure(text, "58.7亿元", 5_870_000_000, "元"),
        metrics=metrics,
    )  # fmt: skip
    assert found == [None, None, "approvals.month", "investment.ytd"]
    # A range or a point in time is no month's flow.
    total = "截至10月份，累计办结35件；1-10月份办结120件。"
    assert keys(
        total, figure(total, "35件", 35, "件"), figure(total, "120件", 120, "件"), metrics=metrics
    ) == ["approvals.done", "approvals.done"]


def test_a_total_with_its_growth_beside_it_is_a_statistics_not_a_records() -> None:
    metrics = [fake("projects.investment", Unit.YUAN, "固定资产投资")]
    text = "固定资产投资完成61.4亿元，增长12.5%；项目固定资产投资32.5亿元。"
    found = keys(
        text, figure(text, "61.4亿元", 6_140_000_000, "元"),
        figure(text, "12.5%", "12.5", "%"), figure(text, "32.5亿元", 3_250_000_000, "元"),
        metrics=metrics,
    )  # fmt: skip
    assert found == [None, None, "projects.investment"]


def test_a_duration_a_counts_items_went_without_leaves_the_words_to_the_count() -> None:
    metrics = [fake("leads.idle", Unit.ITEM, "未更新跟进", measures=("条",))]
    text = "有9条线索超过60天未更新跟进记录。"
    idle = figure(text, "9条", 9, "条")
    days = figure(text, "超过60天", 60, "天", qualifier="超过", low=60, high=None)
    assert keys(text, idle, days, metrics=metrics) == ["leads.idle", None]
    # A duration that is a figure of its own keeps the words after it.
    own = "有9条线索60天未更新跟进。"
    idle = figure(own, "9条", 9, "条")
    assert keys(own, idle, figure(own, "60天", 60, "天"), metrics=metrics) == [None, None]
