"""How reports write each metric (Said, declared beside its definition) and the subjects they
carry across clauses (SUBJECTS): every figure the briefing and the dashboard show says how it is
written, in simplified Chinese; the briefing's own sentences carry those words; record subjects
(a campaign, an award batch, an industry) are named by their families; and no two metrics are
written the same way about the same subject."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import opencc
import pytest
from django.utils import translation

import gaoxin.dashboard
from gaoxin.core.metrics import (
    AREAS,
    SUBJECTS,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    registry,
)
from gaoxin.core.metrics import subject as declare_subject
from gaoxin.dashboard.briefing import compose as writer
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from gaoxin.policies.models import EventAttendance
from gaoxin.projects.models import Approval
from tests.dashboard.test_briefing import world  # noqa: F401  (the briefing's records)
from tests.factories import (
    AwardBatchFactory,
    CampaignFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    PolicyEventFactory,
    ProjectFactory,
)

D = dt.date
AS_OF = D(2023, 6, 30)
T2S = opencc.OpenCC("t2s")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Measure words a count may be written with (money, areas, shares and days go by their unit).
MEASURES = {"个", "项", "件", "家", "家次", "次", "场", "人", "名", "条", "份", "处"}
COUNTS = (Unit.ITEM, Unit.ENTERPRISE, Unit.PERSON)

# Registered metrics reports do not state, each with why.
NOT_STATED = {
    "radar.efficiency.unclassified": "a gap in the zone's cut-offs, not a result",
}
NOT_STATED_AREAS = {"accounts"}  # the platform's own users
# Families whose members are not written by reports (the rest must say how they are).
NOT_STATED_FAMILIES = {
    # The same applications as campaigns.approved (认定通过), which is the one reports state.
    "campaigns.status_approved": "stated as campaigns.approved",
    # An industry's share of the space tenants' money is written as its share of all projects'
    # (储能产业项目固定资产投资…亿元): only the all-projects breakdowns say how.
    "projects.space.signed.fixed_asset_investment.industry": "as the all-projects breakdown",
    "projects.space.signed.expected_output.industry": "as the all-projects breakdown",
}
# Subjects that are records, named in a text by their names (MetricFamily.names).
RECORD_SUBJECTS = {"campaign", "award_batch", "indicator", "industry", "department"}


def _saids() -> dict[str, Said]:
    """Every declared Said: each registered metric's, and each family's under its prefix."""
    saids = {m.key: m.said for m in registry.all() if m.said is not None}
    saids.update({f"{f.prefix}.*": f.said for f in registry.families() if f.said is not None})
    return saids


# --- every figure the briefing and the dashboard show says how it is written --------------------

KEY = re.compile(r'f?"([a-z_{}]+(?:\.[a-z_{}]+)+)"')
AREA_PREFIXES = {prefix for prefixes, _name in AREAS for prefix in prefixes}


def _dashboard_keys() -> tuple[set[str], set[str]]:
    """The metric keys the dashboard's modules (the briefing's included) name: literal keys,
    and the fixed heads of keys built with a parameter ("campaigns.applying.")."""
    literal, heads = set(), set()
    for path in Path(gaoxin.dashboard.__file__).parent.rglob("*.py"):
        for match in KEY.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1)
            if key.split(".", 1)[0] not in AREA_PREFIXES:
                continue  # a template's or a file's name, or a key built from a variable
            if "{" not in key:
                literal.add(key)
            elif not key.startswith("{"):
                heads.add(key.split("{", 1)[0])
    return literal, heads


def test_the_dashboard_names_metrics_the_scan_finds() -> None:
    """The scan below is not empty by mistake: it finds the briefing's and the tiles' keys."""
    literal, heads = _dashboard_keys()
    assert {"projects.space.reached.signed", "enterprises.total", "blockers.open"} <= literal
    assert {"campaigns.applying.", "awards.paid.", "economy.ytd."} <= heads


def test_every_metric_the_dashboard_and_briefing_use_says_how_it_is_written() -> None:
    literal, heads = _dashboard_keys()
    unsaid = []
    for key in sorted(literal):
        metric = registry.find(key)
        if metric is None:
            # A prefix the charts build on ("projects.space"): its metrics are checked by head.
            heads.add(f"{key}.")
            continue
        if metric.said is None or not metric.said.words:
            unsaid.append(key)
    for head in sorted(heads):
        family = next((f for f in registry.families() if f"{f.prefix}." == head), None)
        if family is not None:
            if family.said is None or not family.said.words:
                unsaid.append(f"{head}*")
            continue
        members = [m for m in registry.all() if m.key.startswith(head)]
        assert members, f"no metric under {head}"
        unsaid.extend(m.key for m in members if m.said is None and m.key not in NOT_STATED)
    assert unsaid == []


def test_every_metric_says_how_it_is_written_or_why_not() -> None:
    unsaid = {
        m.key
        for m in registry.all()
        if m.said is None and m.key.split(".", 1)[0] not in NOT_STATED_AREAS
    }
    assert unsaid == set(NOT_STATED)
    families = {f.prefix for f in registry.families() if f.said is None}
    assert families == set(NOT_STATED_FAMILIES)


def test_the_project_pipeline_says_every_stage_of_every_carrier() -> None:
    keys = [m.key for m in registry.all() if m.key.startswith("projects.")]
    assert len(keys) > 50
    subjects = {
        "projects.space.": "space_projects",
        "projects.land.": "land_projects",
    }
    for key in keys:
        said = registry.get(key).said
        assert said is not None, key
        expected = next((s for head, s in subjects.items() if key.startswith(head)), None)
        if expected is not None:
            assert said.subject == expected, key
        elif ".land_to_construction." not in key:
            assert said.subject == "projects", key


# --- the words: simplified Chinese, and measures that fit the unit ------------------------------


@pytest.mark.parametrize(("key", "said"), sorted(_saids().items()))
def test_the_words_are_simplified_chinese(key: str, said: Said) -> None:
    assert said.words, key
    assert len(set(said.words)) == len(said.words), key
    for word in (*said.words, *said.measures):
        assert word and word == word.strip() and not re.search(r"\s", word), (key, word)
        assert CJK.search(word), (key, word)
        assert T2S.convert(word) == word, (key, word)


@pytest.mark.parametrize("key", sorted(m.key for m in registry.all() if m.said is not None))
def test_a_count_has_its_measure_words_and_an_amount_none(key: str) -> None:
    metric = registry.get(key)
    assert metric.said is not None
    assert set(metric.said.measures) <= MEASURES, key
    if metric.unit in COUNTS:
        assert metric.said.measures, key
    else:
        assert metric.said.measures == (), key


def test_every_said_names_a_declared_subject() -> None:
    undeclared = {key: s.subject for key, s in _saids().items() if s.subject not in SUBJECTS}
    assert undeclared == {}
    for subject in SUBJECTS.values():
        for word in subject.words:
            assert CJK.search(word) and T2S.convert(word) == word, (subject.key, word)
        if subject.key not in RECORD_SUBJECTS:
            assert subject.words, subject.key


def test_a_subject_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        declare_subject("projects", "projects again", "项目")


def test_no_two_metrics_are_written_the_same_way() -> None:
    """Two metrics with the same words, measures and subject could not be told apart."""
    seen: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for key, said in _saids().items():
        seen[(said.words, said.measures, said.subject)].append(key)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert clashes == {}


def test_no_two_metrics_lead_with_the_same_word_about_the_same_subject() -> None:
    """The first word is the most specific: two metrics of one subject and one kind of
    figure (the same measure words) never share it, or the first word could not decide."""
    seen: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for key, said in _saids().items():
        seen[(said.words[0], said.measures, said.subject)].append(key)
    clashes = {k: v for k, v in seen.items() if len(v) > 1}
    assert clashes == {}


# --- families: members carry the family's Said, record subjects are named ----------------------


@pytest.fixture
def named_records(zone, other_zone):
    campaign = CampaignFactory(
        zone=zone, code="gd-zjtx", name="2022年广东省专精特新中小企业申报", opens_on=D(2022, 5, 1)
    )
    batch = AwardBatchFactory(
        zone=zone,
        name="第一批国家级专精特新“小巨人”企业和省级专精特新中小企业奖励资金",
    )
    industry = IndustryFactory(zone=zone, name="储能")
    department = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    CampaignFactory(zone=other_zone, code="away", name="外园区申报")
    return {"campaign": campaign, "batch": batch, "industry": industry, "department": department}


def _family(prefix: str) -> MetricFamily:
    return next(f for f in registry.families() if f.prefix == prefix)


def test_families_name_a_zones_campaign_batch_industry_and_department(named_records, zone) -> None:
    scope = MetricScope.of([zone.pk], AS_OF)
    batch, industry = named_records["batch"], named_records["industry"]
    department = named_records["department"]
    expected = {
        # A sentence names the campaign without its 申报 ("组织156家企业申报2022年…").
        "campaigns.applying": {"gd-zjtx": "2022年广东省专精特新中小企业"},
        "awards.paid": {str(batch.pk): batch.name},
        "awards.paid_enterprises": {str(batch.pk): batch.name},
        "enterprises.industry": {str(industry.pk): "储能"},
        "projects.signed.fixed_asset_investment.industry": {str(industry.pk): "储能"},
        "approvals.overdue.department": {str(department.pk): "住房和城乡建设局"},
    }
    for prefix, names in expected.items():
        family = _family(prefix)
        assert family.names is not None, prefix
        assert family.names(scope) == names, prefix
        assert family.said is not None and family.said.subject in RECORD_SUBJECTS
        for param in names:
            member = registry.get(f"{prefix}.{param}")
            assert member.said == family.said, prefix


def test_every_family_of_a_record_subject_names_its_records() -> None:
    for family in registry.families():
        if family.said is not None and family.said.subject in RECORD_SUBJECTS:
            assert family.names is not None, family.prefix


def test_a_breakdown_says_what_its_base_says_about_the_record() -> None:
    base = registry.get("projects.signed.expected_output")
    family = _family("projects.signed.expected_output.industry")
    assert base.said is not None and family.said is not None
    assert family.said.words == base.said.words
    assert family.said.subject == "industry" != base.said.subject


def test_indicator_names_say_the_group(db, zone) -> None:
    from gaoxin.economy.models import Indicator

    scope = MetricScope.of([zone.pk], AS_OF)
    names = _family("economy.ytd").names
    assert names is not None
    found = names(scope)
    output = Indicator.objects.get(code="output")
    assert found["output"] == output.name
    assert found["output.group.above"] == f"规上{output.name}"
    ytd = registry.get("economy.ytd.output.group.above")
    growth = registry.get("economy.growth.revenue")
    assert ytd.said is not None and growth.said is not None
    assert ytd.said.subject == growth.said.subject == "indicator"
    assert "同比增长" in growth.said.words


def test_a_member_made_without_a_said_carries_its_familys() -> None:
    said = Said(("测试词",), ("个",), "projects")
    base = registry.get("projects.reached.signed")

    def make(param: str) -> Metric | None:
        import dataclasses

        return dataclasses.replace(base, key=f"test.family.{param}", said=None)

    family = MetricFamily("test.family", make, lambda scope: [], said=said)
    member = family.member("1")
    assert member is not None and member.said == said


# --- the briefing's sentences carry the words of their figures ---------------------------------

SEPARATORS = "，；。、：,;."


@pytest.fixture
def richer_world(world, zone, users):  # noqa: F811  (the imported fixture)
    """The briefing's world with what it lacks for its other sentences: a policy briefing with
    enterprises attending, approvals done and overdue, one accepted with documents owed, a
    second land project that started the day it got the land and one that took longer, a
    tenant fitting out and one in production, and the economy's figures."""
    officer = users["officer"]
    event = PolicyEventFactory(zone=zone, held_on=D(2023, 4, 1))
    for i in range(3):
        EventAttendance.objects.create(
            event=event, enterprise=EnterpriseFactory(zone=zone, name=f"参会企业{i}")
        )
    department = DepartmentFactory(zone=zone, name="发展和改革局")
    land = [
        ProjectFactory(
            zone=zone, officer=officer, carrier="land", stage="construction",
            stage_on=D(2023, 3, 1), land_to_construction_days=days, name=name,
        )
        for name, days in (("传感器产业园项目", 0), ("医疗器械基地项目", 30))
    ]  # fmt: skip
    for n, (due, done, owed_due) in enumerate(
        [
            (D(2023, 5, 1), D(2023, 4, 20), None),
            (D(2023, 5, 1), None, None),
            (D(2023, 7, 1), None, D(2023, 6, 1)),
        ]
    ):
        Approval.objects.create(
            project=land[0],
            name=f"审批事项{n}",
            department=department,
            started_on=D(2023, 3, 1),
            due_on=due,
            done_on=done,
            owed_documents="消防设计文件" if owed_due else "",
            owed_due_on=owed_due,
        )
    for stage in ("fitting_out", "in_production"):
        ProjectFactory(zone=zone, officer=officer, carrier="space", stage=stage)
    # Two 规上 factories' output and revenue for the first half of 2022 and of 2023 (grown).
    values = []
    for index in range(2):
        factory = EnterpriseFactory(zone=zone, name=f"规上工厂{index}")
        ScaleSpell.objects.create(enterprise=factory, entered_on=D(2021, 1, 1))
        for code in ("output", "revenue"):
            indicator = Indicator.objects.get(code=code)
            for year in (2022, 2023):
                for month in range(1, 7):
                    amount = (index + 1) * 1_000_000 * (year - 2020) + month * 1000
                    values.append(
                        FigureInput(factory.pk, indicator.pk, Period.of(year, month), amount)
                    )
    at = dt.datetime(2023, 6, 20, 12, tzinfo=dt.UTC)
    figures_record(zone=zone, values=values, source=Source.BUREAU, by=None, at=at)
    return world


def _clauses(briefing: writer.Briefing) -> list[tuple[str, str, str, Metric]]:
    """Each figure of the briefing with its sentence up to it, its clause and what follows it:
    (sentence before, clause, after, metric)."""
    found = []
    for section in briefing.sections:
        for paragraph in section.paragraphs:
            text = ""
            for index, part in enumerate(paragraph.parts):
                if isinstance(part, str):
                    text += part
                    continue
                after = "".join(str(p) for p in paragraph.parts[index + 1 :])
                start = max(text.rfind(s) for s in "；。") + 1
                sentence = text[start:]
                clause_start = max(sentence.rfind(s) for s in "，；。：") + 1
                clause_end = min([after.find(s) for s in "，；。" if s in after] or [len(after)])
                clause = sentence[clause_start:] + str(part) + after[:clause_end]
                found.append((sentence, clause, after, part.metric))
                text += str(part)
    return found


def _family_name(metric: Metric, scope: MetricScope) -> str | None:
    """The name of the record a family member is about, as its family names it."""
    for family in registry.families():
        if metric.key.startswith(f"{family.prefix}.") and family.names is not None:
            return family.names(scope).get(metric.key[len(family.prefix) + 1 :])
    return None


def test_the_briefing_writes_each_figure_with_its_words_and_measure(richer_world, zone) -> None:
    scope = MetricScope.of([zone.pk], AS_OF)
    with translation.override("zh-hans"):
        briefing = writer.compose(scope, zone_label=zone.name, zone_code=zone.code)
    figures = _clauses(briefing)
    keys = {metric.key for *_, metric in figures}
    # The sentences this test is about are all there.
    assert {
        "policies.events",
        "policies.events.attending_enterprises",
        "approvals.done",
        "approvals.overdue",
        "approvals.pending_documents_overdue",
        "blockers.open",
        "projects.land_to_construction.same_day",
        "projects.land_to_construction.average_days",
        "projects.space.current.fitting_out",
        "projects.space.reached.in_production",
        "spaces.area.building",
    } <= keys, keys
    assert {"economy.ytd.output.group.above", "economy.growth.revenue"} <= keys, keys
    assert any(k.startswith("campaigns.applying.") for k in keys)
    assert any(k.startswith("awards.paid.") for k in keys)
    misses = []
    for sentence, clause, after, metric in figures:
        said = metric.said
        assert said is not None, metric.key
        assert said.subject in SUBJECTS
        name = _family_name(metric, scope)
        worded = any(word in clause for word in said.words)
        if not (worded or (name is not None and name in sentence)):
            misses.append((metric.key, clause))
        # The measure word written right after a count (其中已注册2个, 3家企业参加).
        if said.measures and not after.startswith(tuple(said.measures)):
            misses.append((metric.key, f"measure: {after[:3]}"))
    assert misses == []


# --- the source article: every figure the demo models is written with its metric's words ---

# The article's clauses (simplified, pinyin removed), each figure in it as written, and the
# metric the figure is.
ARTICLE = [
    ("组织156家企业申报2022年广东省级专精特新中小企业", "156家", "campaigns.applying.*"),
    ("奖励资金共1400多万元", "1400多万元", "awards.paid.*"),
    ("惠及区内20家企业", "20家", "awards.paid_enterprises.*"),
    ("计划年内建设8个5.0产业新空间项目", "8个", "spaces.count.building"),
    ("总建筑面积约210万平方米", "210万平方米", "spaces.area.building"),
    ("建成后全区5.0产业新空间总建筑面积将达到约325万平方米", "325万平方米", "spaces.area.total"),
    ("加快推进5.0产业新空间126个项目落地投产", "126个", "projects.space.reached.planned"),
    ("96个项目已签约并将入驻", "96个", "projects.space.reached.signed"),
    ("其中已注册65个", "65个", "projects.space.reached.registered"),
    ("正在装修37个", "37个", "projects.space.current.fitting_out"),
    ("已投产12个", "12个", "projects.space.reached.in_production"),
    ("固定资产投资预计达32.48亿元", "32.48亿元", "projects.space.signed.fixed_asset_investment"),
    ("预计新增上规企业47家", "47家", "projects.space.signed.expected_above_scale"),
    ("预计全年产值可达57.33亿元", "57.33亿元", "projects.space.signed.expected_output"),
]


# Beside the checkout (../shared), or beside the directory of worktrees holding it.
CHECKOUT = Path(__file__).resolve().parents[2]
SOURCE = next(
    (
        path
        for path in (
            CHECKOUT.parent / "shared" / "source-article.txt",
            CHECKOUT.parent.parent / "shared" / "source-article.txt",
        )
        if path.exists()
    ),
    None,
)


def _article() -> str:
    assert SOURCE is not None
    text = SOURCE.read_text(encoding="utf-8")
    # Simplified characters, without the pinyin a bad copy put in brackets: 區(qū) → 区.
    return T2S.convert(re.sub(r"\([^()\s]{1,12}\)", "", text))


@pytest.mark.skipif(SOURCE is None, reason="the source article is beside the checkout, not in it")
@pytest.mark.parametrize(("clause", "figure", "key"), ARTICLE)
def test_the_articles_figures_are_written_with_their_words(
    clause: str, figure: str, key: str
) -> None:
    assert clause in _article() and figure in clause
    said = _saids()[key]
    assert any(word in clause for word in said.words), (clause, said.words)
    written = figure.lstrip("0123456789.")
    if said.measures:
        assert written in said.measures
    else:
        # An amount: its unit tells it (亿元, 万平方米), not a measure word.
        assert written.endswith(("元", "平方米")), figure
