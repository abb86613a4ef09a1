"""数据核对's acceptance corpus: report texts in the register of zones' public reports
(tests/factcheck/reports/NN-*.txt), every figure labelled inline with the metric it is, and the
matcher's precision and recall on them.

The markup: `【96个|projects.space.reached.signed】` is a figure the platform models (its metric
key; alternatives that are the same figure by definition separated by commas, e.g. a count of
land projects that reached 拿地, which only land projects reach); `【3.2亿元|-】` a figure the
platform does not model (GDP, 进出口, a target, a flow over a period). Numbers left unmarked
are not figures (dates, years, list markers, numbers inside names). A family member's key
names its record by a placeholder (`campaigns.applying.{campaign}`) filled from the record the
fixture creates. A 【】 without a `|` is text (reports use them as brackets).

Scoring (`score`): a figure is found when a finding over its span is assigned one of its keys;
precision is the share of the findings assigned a metric that are so found, recall the share of
the modelled figures found. A finding assigned a metric over a `-` figure or over an unmarked
number counts against precision; so does a second finding over one figure.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Zone
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.factcheck.types import Finding, Verdict
from tests.factories import AwardBatchFactory, CampaignFactory, ZoneFactory

REPORTS = Path(__file__).parent / "reports"
# The source article as given (read by the demo's checks, tests/demo/factcheck_checks.py) and
# the same text labelled, which is part of the corpus.
SOURCE_ARTICLE = REPORTS / "source-article.txt"
SOURCE_ARTICLE_LABELLED = REPORTS / "08-source-article-labelled.txt"

LABEL = re.compile(r"【(?P<text>[^【】|]+)\|(?P<keys>[^【】|]+)】")
NOT_MODELLED = "-"
# What the inner text of a label must hold: a digit (half- or full-width) or a Chinese numeral.
NUMBER = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")

# The thresholds of issue 17's "Done when".
PRECISION_AT_LEAST = 0.95
RECALL_AT_LEAST = 0.95


# --- the markup ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """A labelled figure: its span in the plain text, its text, and the metric keys it may be
    (none for a figure the platform does not model)."""

    start: int
    end: int
    text: str
    keys: tuple[str, ...]

    @property
    def modelled(self) -> bool:
        return bool(self.keys)

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(frozen=True)
class Labelled:
    """A text of the corpus: its name, its text without the markup, and its labels."""

    name: str
    text: str
    labels: tuple[Label, ...]

    @property
    def modelled(self) -> list[Label]:
        return [label for label in self.labels if label.modelled]


class MarkupError(ValueError):
    pass


def parse(marked: str, params: Mapping[str, str] | None = None, *, name: str = "") -> Labelled:
    """The text without its markup, each label's span in it and its keys, placeholders filled
    from `params` (a placeholder without a value is an error)."""
    plain: list[str] = []
    labels: list[Label] = []
    position = 0
    length = 0
    for match in LABEL.finditer(marked):
        before = marked[position : match.start()]
        plain.append(before)
        length += len(before)
        text, keys = match.group("text"), match.group("keys").strip()
        if not NUMBER.search(text):
            raise MarkupError(f"{name}: label without a number: {match.group(0)}")
        if keys == NOT_MODELLED:
            resolved: tuple[str, ...] = ()
        else:
            try:
                resolved = tuple(k.strip().format_map(params or {}) for k in keys.split(","))
            except KeyError as missing:
                raise MarkupError(f"{name}: no value for {missing} in {match.group(0)}") from None
            if not all(resolved):
                raise MarkupError(f"{name}: empty key in {match.group(0)}")
        labels.append(Label(length, length + len(text), text, resolved))
        plain.append(text)
        length += len(text)
        position = match.end()
    plain.append(marked[position:])
    result = "".join(plain)
    # A label the pattern did not take (a missing bracket) leaves its bar: the texts have none.
    if "|" in result:
        at = result.index("|")
        raise MarkupError(f"{name}: malformed label near {result[max(0, at - 12) : at + 12]!r}")
    return Labelled(name, result, tuple(labels))


def corpus_paths() -> list[Path]:
    return sorted(REPORTS.glob("[0-9][0-9]-*.txt"))


def read_corpus(params: Mapping[str, str]) -> list[Labelled]:
    return [
        parse(path.read_text(encoding="utf-8"), params, name=path.stem) for path in corpus_paths()
    ]


# --- scoring ---------------------------------------------------------------------------------


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _label_over(labels: Sequence[Label], span: tuple[int, int]) -> Label | None:
    return next((label for label in labels if overlaps(label.span, span)), None)


@dataclass
class Score:
    name: str
    figures: int = 0  # labelled figures the platform models
    assigned: int = 0  # findings assigned a metric
    correct: int = 0  # of those, on a modelled figure with one of its keys (once a figure)
    mistakes: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.assigned if self.assigned else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.figures if self.figures else 1.0

    def add(self, other: Score) -> None:
        self.figures += other.figures
        self.assigned += other.assigned
        self.correct += other.correct
        self.mistakes += [f"{other.name}: {m}" for m in other.mistakes]
        self.missed += [f"{other.name}: {m}" for m in other.missed]


def _where(text: str, span: tuple[int, int]) -> str:
    start, end = span
    shown = f"{text[max(0, start - 8) : start]}[{text[start:end]}]{text[end : end + 4]}"
    return shown.replace("\n", "⏎")


def score(labelled: Labelled, findings: Iterable[Finding]) -> Score:
    result = Score(labelled.name, figures=len(labelled.modelled))
    credited: set[Label] = set()
    for finding in findings:
        if finding.key is None:
            continue
        result.assigned += 1
        span = finding.mention.at
        label = _label_over(labelled.labels, span)
        where = _where(labelled.text, span)
        if label is None:
            result.mistakes.append(f"{where}: not a figure, assigned {finding.key}")
        elif not label.modelled:
            result.mistakes.append(f"{where}: not modelled, assigned {finding.key}")
        elif finding.key not in label.keys:
            result.mistakes.append(f"{where}: is {'|'.join(label.keys)}, assigned {finding.key}")
        elif label in credited:
            result.mistakes.append(f"{where}: a second finding over one figure")
        else:
            credited.add(label)
            result.correct += 1
    for label in labelled.modelled:
        if label not in credited:
            result.missed.append(f"{_where(labelled.text, label.span)}: {'|'.join(label.keys)}")
    return result


def wrongly_agreeing(labelled: Labelled, findings: Iterable[Finding]) -> list[str]:
    """Findings that agree over a figure the platform does not model or a number that is not
    a figure: never allowed, whatever the matcher's precision."""
    wrong = []
    for finding in findings:
        if finding.verdict != Verdict.AGREES:
            continue
        label = _label_over(labelled.labels, finding.mention.at)
        if label is None or not label.modelled:
            wrong.append(f"{labelled.name}: {_where(labelled.text, finding.mention.at)}")
    return wrong


# --- the zone the corpus is checked against --------------------------------------------------


@dataclass(frozen=True)
class CorpusZone:
    zone: Zone
    params: dict[str, str]


def _param(record: object) -> str:
    """A campaign's or batch's key parameter: its code, or its id when it has none."""
    return getattr(record, "code", "") or str(record.pk)  # type: ignore[attr-defined]


def build_corpus_zone() -> CorpusZone:
    """A zone holding the records the texts name, so that their family keys resolve: two
    campaigns and two award batches, one of each without a code (keyed by id). Their values
    need not agree with the texts: the corpus measures which metric each figure is."""
    zone = ZoneFactory(code="corpus", name="珠海高新区", short_name="高新区")
    specialised = CampaignFactory(
        zone=zone, name="2022年广东省专精特新中小企业申报", code="2022-gd-zjtx"
    )
    innovative = CampaignFactory(
        zone=zone,
        name="2023年创新型中小企业评价申报",
        designation_kind="innovative_sme",
        designation_level="provincial",
        opens_on=dt.date(2023, 5, 15),
        closes_on=dt.date(2023, 8, 31),
    )
    batch = AwardBatchFactory(
        zone=zone,
        name="第一批国家级专精特新“小巨人”企业和省级专精特新中小企业奖励资金",
        code="2023-zjtx-1",
    )
    high_tech = AwardBatchFactory(zone=zone, name="2023年度高新技术企业认定奖励资金")
    params = {
        "campaign": _param(specialised),
        "campaign2": _param(innovative),
        "batch": _param(batch),
        "batch2": _param(high_tech),
    }
    return CorpusZone(zone, params)


@pytest.fixture
def corpus_zone(db) -> CorpusZone:
    return build_corpus_zone()


# --- the harness itself (runs without the engine) --------------------------------------------


def test_parse_strips_the_markup_and_knows_each_span() -> None:
    marked = "目前，【96个|projects.space.reached.signed】项目已签约，同比增长【6.8%|-】。"
    labelled = parse(marked)
    assert labelled.text == "目前，96个项目已签约，同比增长6.8%。"
    first, second = labelled.labels
    assert labelled.text[first.start : first.end] == "96个" == first.text
    assert first.keys == ("projects.space.reached.signed",) and first.modelled
    assert labelled.text[second.start : second.end] == "6.8%" and not second.modelled
    assert labelled.modelled == [first]


def test_parse_fills_placeholders_and_reads_alternatives() -> None:
    marked = "组织【156家|campaigns.applying.{campaign}】企业，拿地【5个|a.b, c.d】，【见附件】"
    labelled = parse(marked, {"campaign": "2022-gd-zjtx"})
    assert labelled.text == "组织156家企业，拿地5个，【见附件】"
    assert [label.keys for label in labelled.labels] == [
        ("campaigns.applying.2022-gd-zjtx",),
        ("a.b", "c.d"),
    ]
    with pytest.raises(MarkupError, match="campaign"):
        parse(marked, {})


@pytest.mark.parametrize(
    "marked",
    ["【96个|a.b", "96个|a.b】和【12个|a.b】", "【没有数字|a.b】", "【3个|】", "【3个|a.b,】"],
)
def test_parse_refuses_malformed_labels(marked: str) -> None:
    with pytest.raises(MarkupError):
        parse(marked)


def test_scoring_counts_what_it_says() -> None:
    """Precision and recall of a made-up reading: a right key, a wrong one, a metric on a
    figure the platform does not model and one on a date, and a figure not found."""
    from decimal import Decimal

    from gaoxin.factcheck.types import Mention

    labelled = parse("2023年签约【10个|k.a】，注册【5个|k.b】，产值【3亿元|-】，投产【2个|k.c】。")

    def finding(text: str, key: str | None, verdict: Verdict = Verdict.DISAGREES) -> Finding:
        start = labelled.text.index(text)
        end = start + len(text)
        mention = Mention(start, end, (start, end), text, Decimal(1), None, None)
        return Finding(mention, verdict, key=key)

    findings = [
        finding("2023", "k.a"),
        finding("10个", "k.a"),
        finding("5个", "k.c"),
        finding("3亿元", "k.x", Verdict.AGREES),
        finding("2个", None),
    ]
    result = score(labelled, findings)
    assert (result.figures, result.assigned, result.correct) == (3, 4, 1)
    assert result.precision == 0.25 and result.recall == pytest.approx(1 / 3)
    assert len(result.mistakes) == 3 and len(result.missed) == 2
    (wrong,) = wrongly_agreeing(labelled, findings)
    assert "[3亿元]" in wrong


def test_the_corpus_is_labelled_with_metrics_that_exist(corpus_zone: CorpusZone) -> None:
    """At least six texts of about 600–2000 characters (the article is longer), many figures
    each, every key one the registry knows in the corpus zone (a family's member among those
    of the zone's records); the labelled copy of the source article is the article."""
    corpus = read_corpus(corpus_zone.params)
    assert len(corpus) >= 6
    for labelled in corpus:
        longest = 3500 if labelled.name == SOURCE_ARTICLE_LABELLED.stem else 2000
        assert 600 <= len(labelled.text) <= longest, (labelled.name, len(labelled.text))
        assert len(labelled.modelled) >= 8, labelled.name
        unknown = [k for label in labelled.modelled for k in label.keys if k not in registry]
        assert not unknown, (labelled.name, unknown)
    scope = MetricScope.of([corpus_zone.zone.pk])
    family_keys = {k for labelled in corpus for label in labelled.modelled for k in label.keys}
    families = ("campaigns.", "awards.paid.", "awards.paid_enterprises.")
    family_keys = {k for k in family_keys if k.startswith(families)}
    assert family_keys <= {m.key for m in registry.expanded(scope)}
    source = parse(SOURCE_ARTICLE_LABELLED.read_text(encoding="utf-8"), corpus_zone.params)
    assert source.text == SOURCE_ARTICLE.read_text(encoding="utf-8")
    assert len(source.modelled) == 14


# --- the matcher on the corpus ---------------------------------------------------------------


def test_the_matcher_finds_which_metric_each_figure_is(corpus_zone: CorpusZone, capsys) -> None:
    from gaoxin.factcheck.services import check

    corpus = read_corpus(corpus_zone.params)
    today = timezone.localdate()
    total = Score("overall")
    rows = []
    agreeing = []
    for labelled in corpus:
        report = check(labelled.text, [corpus_zone.zone.pk], as_of=today)
        result = score(labelled, report.findings)
        agreeing += wrongly_agreeing(labelled, report.findings)
        rows.append(result)
        total.add(result)
    with capsys.disabled():
        print("\n数据核对 corpus: which metric each figure is")
        print(f"{'text':<32} {'figures':>7} {'assigned':>8} {'P':>6} {'R':>6}")
        for row in [*rows, total]:
            print(
                f"{row.name:<32} {row.figures:>7} {row.assigned:>8} "
                f"{row.precision:>6.1%} {row.recall:>6.1%}"
            )
        for line in total.mistakes:
            print("  wrong:", line)
        for line in total.missed:
            print("  missed:", line)
    assert not agreeing, f"figures the platform does not model reported as agreeing: {agreeing}"
    assert total.precision >= PRECISION_AT_LEAST, total.mistakes
    assert total.recall >= RECALL_AT_LEAST, total.missed
