"""Which metric a figure of a report is: the words around it, its unit and its subject, against
each metric's `Said` (how reports write it, declared beside its definition).

The text (its plain form) is cut into paragraphs (line breaks), sentences (。！？；!?;) and
clauses (，、：,:). Each figure (`Kind.FIGURE`, in text order) is scored against every metric
with a `Said`, and against the family members whose record is named in its sentence:

1. **Unit** (a gate). A money figure (元) can only be a money metric, an area (平方米, 亩) only an
   area, a share (%) only a percentage; a count's measure word (个, 家, 场…) must be one of the
   metric's `Said.measures` or its unit's own symbol. 个百分点 and 倍 are no metric's. A bare
   number (no unit) may be a count or a share, but only with its word right beside it (at
   most one character between).
2. **Words** (required). Each occurrence of one of `Said.words` in the figure's clause scores
   `len(word) / (1 + 0.1 * gap)`, `gap` being the characters between it and the number, times
   0.9 when it follows the number ("96个项目已签约") rather than leads it ("已签约96个"); an
   occurrence with another figure between it and this one is that figure's, and one inside a
   record's name is the name's (a duration after 超过 with 未 right after it, "9条线索超过60天
   未更新跟进", is the count's condition and takes no words). An occurrence in an earlier
   clause of the same sentence scores 0.4 of that ("目前在建的产业新空间，总建筑面积约210万
   平方米"), unless a figure lies between (then it is that figure's). The best occurrence
   counts, so the longest, nearest word decides; a metric none of whose words is there
   is no candidate.
3. **Subject** (the keys of `SUBJECTS` its word may mean; one word may mean several). The
   figure's subject is the first subject word before it in its clause (the topic:
   "产业新空间累计签约项目96个" is the spaces', not all 项目), else the last one before it in its
   sentence — carried across clauses ("入驻项目126个，其中已签约96个、已注册65个") — where a
   figure before it counts as its chosen metric's subject. Else a subject word after it in
   its clause ("96个项目已签约并将入驻": 将入驻). The nouns right after a figure ("96个项目",
   "8个5.0产业新空间项目") say what it counts: with nothing better they are its subject, a
   weak one, and they are nobody else's. Else the last subject of its paragraph before its
   sentence, weak too. A metric whose `Said.subject` is the subject gains 1.5 (0.75 for a
   weak one); one of another subject loses 1.5 (nothing for a weak one: "项目" does not say
   the projects are not the spaces'); one of no subject neither.
4. **Record named.** A family member (a campaign's, an award batch's, an indicator's) is a
   candidate only when its record's name (`MetricFamily.names`) is in the figure's sentence,
   normalised (申报 and quotes dropped, 年度 read as 年; without its leading or trailing year as a
   weaker variant; a name of six characters or more also with one or two characters more
   inside it, "广东省级…" for "广东省…", 1 less; or written in short, its head and tail kept
   with parts of its middle, each of two characters or more, "第一批专精特新奖励资金" for
   "第一批国家级专精特新“小巨人”企业和省级专精特新中小企业奖励资金", counted by the length
   written, 1 less). The name is its subject (+1.5) and adds
   `3 + 0.2 * len(name)` (2 less without the year), less 0.02 per character between it and
   the number (at most 1); the name right before the number ("营业收入15亿元") counts as a
   word worth 1 more. A name inside a longer one named at the same place is not counted
   ("工业总产值" in "规上工业总产值"); a member of the family of the last figure of its unit in
   the paragraph gains 0.5 (a list of one kind: "…工业总产值12亿元，同比增长5%；营业收入15亿元").
5. **Not a total.** A figure its clause says is one item's ("每家奖励50万元", "最高获得奖励
   100万元"), a flow ("本月办结…19个", "新签约项目23个") or a change on a comparison
   ("较去年同期缩短21天") is no metric's value, unless the metric's own words are those
   ("本月" for a month's figure; a share's 同比增长). A figure after a named month in its
   sentence ("10月份新受理…，办结35件") is that month's flow too, unless the metric is monthly
   (its words or its subject's have 月: 当月完成投资, 月度填报) or the clause says 累计. A money
   figure with its growth right after it ("固定资产投资完成61.4亿元，增长12.5%") is a
   statistics' total, only a named indicator's. Nor is a target: a figure after 力争,
   争取, 目标是… in its sentence ("力争全年新增规上企业30家以上").

A metric scoring under `THRESHOLD` (1.5) is not a candidate; a figure with no candidate is
not recognised (and so never agrees). The candidates within `MARGIN` (10%) of the best are all
kept (the page shows them) and the best is chosen; ties are broken by the subject fitting,
then the longer word matched, then the key, so the same text always reads the same way.

A share written after 下降/减少/降低/回落 ("同比下降5.0%") is the negative of what is written:
the assignment says so (`negated`) and the check compares the record with minus the figure.
Only a share: "减少3家" is a change, not a negative count.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gaoxin.core.metrics import (
    SUBJECTS,
    Metric,
    MetricFamily,
    MetricScope,
    Said,
    Unit,
    registry,
)
from gaoxin.factcheck.types import Candidate, Kind, Mention, Prepared

THRESHOLD = 1.5
MARGIN = 0.10
DECAY = 0.1  # per character between a word and the number
AFTER = 0.9  # a word after the number, against one before it
EARLIER_CLAUSE = 0.4
FAR = 10**6
SUBJECT_FITS = 1.5
SUBJECT_WEAK = 0.5  # the noun a figure counts, or a subject carried from an earlier sentence
SUBJECT_OTHER = -1.5
NAME_BASE = 3.0
NAME_PER_CHAR = 0.2
NAME_WITHOUT_YEAR = 2.0
NAME_BESIDE = 1.0  # the name right before the number stands for the words
NAME_DISTANCE = 0.02  # per character between the name and the number, at most 1
CONTINUES = 0.5  # a member of the family of the figure before it in the paragraph
LOOSE_AT_LEAST = 6  # a name this long is found with up to LOOSE_EXTRA characters more inside
LOOSE_EXTRA = 2
LOOSE = 1.0  # less for a name so found
SHORT_PART = 2  # a long name written in short: each part kept is this long at least,
SHORT_AT_LEAST = 6  # the whole at least this long,
SHORT_DROPS = 4  # and this much shorter than the name

SENTENCE_ENDS = frozenset("。！？；!?;\n")
CLAUSE_ENDS = frozenset("，、：,:") | SENTENCE_ENDS
COUNT_UNITS = frozenset({Unit.ITEM, Unit.ENTERPRISE, Unit.PERSON, Unit.DAY})
NEGATIONS = ("下降", "减少", "降低", "回落", "下滑")
# Before a figure in its clause: one item's amount, or a flow over a period (see _not_a_total).
NOT_TOTALS = ("每家", "每个", "每项", "每户", "单个", "单项", "户均", "最高", "最低", "本月",
              "当月", "新签约")  # fmt: skip
# Before a figure in its sentence: a target or a plan ("力争全年新增规上企业30家以上"), which
# says what should be, not what the records hold.
TARGETS = ("力争", "争取", "目标是", "目标为", "目标任务", "奋斗目标", "计划到", "预期目标")
# A month named as the period of what follows ("10月份新受理…"), not a range ("1-10月") or a
# point in time ("截至10月底").
NAMED_MONTH = re.compile(r"(?<![-—～~至止到\d])(?:\d{1,2}|[一二三四五六七八九十]{1,3})月份")
GROWTH_AFTER = re.compile(r"[，,]?(?:同比|比上年|较上年)?(?:增长|下降|增加|减少|回落)")
DURATIONS = frozenset({"天", "日", "个月", "月", "年", "周", "小时", "个工作日"})
CHANGES = ("缩短", "减少", "增加", "提高", "降低", "下降", "增长", "延长")
_QUOTES = re.compile(r"[“”\"'‘’《》「」『』〈〉]")
_YEAR = re.compile(r"^\d{4}年|\d{4}年$")


@dataclass(frozen=True)
class Assignment:
    """A figure and the metric it is taken for (None: not recognised), with the candidates
    that fitted (best first; more than one when the words fitted several)."""

    mention: Mention
    metric: Metric | None
    candidates: tuple[Candidate, ...] = ()
    negated: bool = False
    subject: str = ""

    @property
    def key(self) -> str | None:
        return self.metric.key if self.metric is not None else None


@dataclass(frozen=True)
class _Entry:
    """A metric that may be a figure's; a family member with where its record is named."""

    metric: Metric
    said: Said
    family: str = ""
    named: tuple[int, int] | None = None
    bonus: float = 0.0


@dataclass
class _Text:
    """The plain text cut into paragraphs, sentences and clauses (their start offsets)."""

    plain: str
    paragraphs: list[int] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    clauses: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, plain: str) -> _Text:
        text = cls(plain, [0], [0], [0])
        for index, char in enumerate(plain):
            if char == "\n":
                text.paragraphs.append(index + 1)
            if char in SENTENCE_ENDS:
                text.sentences.append(index + 1)
            if char in CLAUSE_ENDS:
                text.clauses.append(index + 1)
        return text

    @staticmethod
    def _span(starts: list[int], position: int, length: int) -> tuple[int, int]:
        index = bisect.bisect_right(starts, position) - 1
        end = starts[index + 1] if index + 1 < len(starts) else length
        return starts[index], end

    def sentence(self, position: int) -> tuple[int, int]:
        return self._span(self.sentences, position, len(self.plain))

    def clause(self, position: int) -> tuple[int, int]:
        return self._span(self.clauses, position, len(self.plain))

    def paragraph(self, position: int) -> tuple[int, int]:
        return self._span(self.paragraphs, position, len(self.plain))


def normalised_names(name: str) -> list[tuple[str, float]]:
    """The ways a report writes a record's name, with the bonus each earns: the name without
    申报 and quotes, 年度 read as 年, and (weaker) without its leading or trailing year."""
    base = _QUOTES.sub("", name).replace("年度", "年").strip()
    base = base.removesuffix("申报").removeprefix("申报").strip()
    if not base:
        return []
    bonus = NAME_BASE + NAME_PER_CHAR * len(base)
    variants = [(base, bonus)]
    short = _YEAR.sub("", base).strip()
    if short != base and len(short) >= 4:
        variants.append((short, bonus - NAME_WITHOUT_YEAR))
    return variants


def _reading_form(text: str) -> tuple[str, list[int]]:
    """The text the way names are looked for in it (quotes dropped, 年度 read as 年), and for
    each of its characters the offset in the text (one more, for the end)."""
    kept: list[str] = []
    offsets: list[int] = []
    index = 0
    while index < len(text):
        if _QUOTES.match(text, index):
            index += 1
            continue
        kept.append(text[index])
        offsets.append(index)
        index += 2 if text.startswith("年度", index) else 1
    offsets.append(len(text))
    return "".join(kept), offsets


def _loosely(text: str, name: str) -> list[tuple[int, int]]:
    """Where a name is written with a character or two more inside it (省 → 省级)."""
    pattern = ".?".join(re.escape(char) for char in name)
    return [
        (m.start(), m.end())
        for m in re.finditer(pattern, text)
        if m.end() - m.start() - len(name) <= LOOSE_EXTRA
    ]


def _in_short(text: str, name: str) -> list[tuple[int, int]]:
    """Where a long name is written in short: its head and its tail kept, with one or more
    parts of its middle between them, in order, each of two characters or more ("第一批专精特新
    奖励资金" for "第一批国家级专精特新小巨人企业和省级专精特新中小企业奖励资金"). At least
    SHORT_AT_LEAST characters, and shorter than the name by SHORT_DROPS or more."""
    found: list[tuple[int, int]] = []
    start = text.find(name[:SHORT_PART])
    while start != -1:
        position, at, parts = start, 0, 0
        while position < len(text) and at < len(name):
            length = 0
            while (
                position + length < len(text)
                and text[position : position + length + 1] in name[at:]
            ):
                length += 1
            if length < SHORT_PART:
                break
            piece = text[position : position + length]
            # The piece's last place in the rest of the name when it ends it (the tail).
            end_at = name.find(piece, at) + length
            if name.endswith(piece, at):
                end_at = len(name)
            at, position, parts = end_at, position + length, parts + 1
        written = position - start
        if (
            at == len(name)
            and parts >= 3
            and written >= SHORT_AT_LEAST
            and len(name) - written >= SHORT_DROPS
        ):
            found.append((start, position))
        start = text.find(name[:SHORT_PART], start + 1)
    return found


def _occurrences(text: str, words: Iterable[str]) -> list[tuple[int, int, str]]:
    """Every occurrence of the words, without those inside a longer one found there."""
    found = []
    for word in set(words):
        if not word:
            continue
        start = text.find(word)
        while start != -1:
            found.append((start, start + len(word), word))
            start = text.find(word, start + 1)
    found.sort(key=lambda o: (o[0], -(o[1] - o[0])))
    return [
        o
        for o in found
        if not any(p[0] <= o[0] and o[1] <= p[1] and (p[1] - p[0]) > (o[1] - o[0]) for p in found)
    ]


def _unit_fits(mention: Mention, metric: Metric, said: Said) -> tuple[bool, bool]:
    """Whether the figure's unit can be the metric's, and whether it needs a word right beside
    it to be (a bare number)."""
    unit = mention.unit
    if unit == "元":
        return metric.unit is Unit.YUAN, False
    if unit == "平方米":
        return metric.unit is Unit.SQUARE_METRE, False
    if unit == "%":
        return metric.unit is Unit.PERCENT, False
    if unit in ("个百分点", "倍"):
        return False, False
    if unit == "":
        return metric.unit in COUNT_UNITS or metric.unit is Unit.PERCENT, True
    return metric.unit in COUNT_UNITS and (
        unit in said.measures or unit == metric.unit.symbol
    ), False


class Matcher:
    """The metrics a text may speak of, scored against each of its figures."""

    def __init__(
        self,
        prepared: Prepared,
        mentions: Sequence[Mention],
        scope: MetricScope,
        metrics: Iterable[Metric] | None = None,
        families: Iterable[MetricFamily] | None = None,
    ) -> None:
        self.prepared = prepared
        self.text = _Text.of(prepared.plain)
        self.reading, self.reading_offsets = _reading_form(prepared.plain)
        self.mentions = sorted(mentions, key=lambda m: m.start)
        # A duration that is the condition of a count ("9条线索超过60天未更新跟进") leaves the
        # words after it to the count.
        self.numbers = [
            (m.start, m.end)
            for m in self.mentions
            if m.kind is Kind.FIGURE and not self._a_condition(m)
        ]
        self.others = [(m.start, m.end) for m in self.mentions if m.kind is not Kind.FIGURE]
        if metrics is None:
            metrics = registry.all()
            if families is None:
                families = _registered_families()
        self.entries = [_Entry(m, m.said) for m in metrics if m.said is not None]
        self.named = self._named_members(scope, families or ())
        # Words inside a record's name are the name's ("专精特新中小企业" in a campaign's).
        self.masked = sorted({(e.named[0], e.named[1]) for e in self.named if e.named})
        self._subject_of: dict[str, frozenset[str]] = {}
        for key, about in SUBJECTS.items():
            for word in about.words:
                self._subject_of[word] = self._subject_of.get(word, frozenset()) | {key}
        self.subjects = [
            o for o in _occurrences(prepared.plain, self._subject_of) if not self._masked(*o[:2])
        ]
        # The nouns figures count ("96个项目") say what that figure is, not what follows it.
        self.nouns = {o for m in self.mentions if m.kind is Kind.FIGURE for o in self._counted(m)}

    # --- the records a text names ------------------------------------------------------------

    def _named_members(self, scope: MetricScope, families: Iterable[MetricFamily]) -> list[_Entry]:
        """The family members whose record's name is in the text, one entry for each place
        it is named. A member is made only when its name is found; each names function is
        asked once."""
        asked: dict[object, dict[str, str]] = {}
        members: list[_Entry] = []
        for family in families:
            if family.said is None or family.names is None:
                continue
            if family.names not in asked:
                asked[family.names] = family.names(scope)
            bonus_of: dict[str, list[tuple[str, float]]] = {}
            loose: list[tuple[int, int, str]] = []
            for param, name in asked[family.names].items():
                for variant, bonus in normalised_names(name):
                    if variant in self.reading:
                        bonus_of.setdefault(variant, []).append((param, bonus))
                    elif len(variant) >= LOOSE_AT_LEAST:
                        # "广东省级专精特新中小企业" names "广东省专精特新中小企业申报".
                        found = _loosely(self.reading, variant)
                        key = f"~{variant}"
                        if found:
                            bonus_of.setdefault(key, []).append((param, bonus - LOOSE))
                            loose += [(a, b, key) for a, b in found]
                            continue
                        # "第一批专精特新奖励资金" names "第一批国家级专精特新…奖励资金".
                        short = _in_short(self.reading, variant)
                        if short:
                            length = max(b - a for a, b in short)
                            bonus = NAME_BASE + NAME_PER_CHAR * length - LOOSE
                            bonus_of.setdefault(key, []).append((param, bonus))
                            loose += [(a, b, key) for a, b in short]
            if not bonus_of:
                continue
            made: dict[str, Metric | None] = {}
            make = getattr(family, "member", family.make)
            exact = _occurrences(self.reading, [k for k in bonus_of if not k.startswith("~")])
            for r_start, r_end, variant in exact + loose:
                start = self.reading_offsets[r_start]
                end = self.reading_offsets[r_end - 1] + 1
                for param, bonus in bonus_of[variant]:
                    if param not in made:
                        made[param] = make(param)
                    metric = made[param]
                    if metric is not None:
                        said = metric.said or family.said
                        members.append(_Entry(metric, said, family.prefix, (start, end), bonus))
        # A name inside a longer name named at the same place is not that record.
        spans = {e.named for e in members if e.named}
        return [
            e
            for e in members
            if e.named
            and not any(
                o[0] <= e.named[0] and e.named[1] <= o[1] and o[1] - o[0] > e.named[1] - e.named[0]
                for o in spans
            )
        ]

    def _a_condition(self, mention: Mention) -> bool:
        """Whether the figure is a duration a count's items have gone without something
        ("超过60天未更新"): more than a time, with 未/没有/无 right after it."""
        return (
            mention.unit in DURATIONS
            and bool(mention.qualifier)
            and self.prepared.plain.startswith(("未", "没有", "无", "仍未", "尚未"), mention.end)
        )

    def _masked(self, start: int, end: int) -> bool:
        return any(m_start < end and start < m_end for m_start, m_end in self.masked)

    # --- a figure's subject --------------------------------------------------------------------

    def _counted(self, mention: Mention) -> list[tuple[int, int, str]]:
        """The subject words right after a figure in its clause, which name what it counts
        ("96个项目", "12个产业新空间项目"): a run of them starting at most two characters on."""
        _, c_end = self.text.clause(mention.start)
        run: list[tuple[int, int, str]] = []
        reach = mention.end
        for occurrence in self.subjects:
            if occurrence[0] < reach:
                continue
            reach = self._skip_names(reach, occurrence[0])
            if occurrence[1] > c_end or occurrence[0] - reach > 2:
                break
            if self._between(reach, occurrence[0], mention):
                break
            run.append(occurrence)
            reach = occurrence[1]
        return run

    def _skip_names(self, position: int, limit: int) -> int:
        """Past the numbers that are no figures (a name's "5.0" in "8个5.0产业新空间项目")
        starting at most two characters on, before `limit`."""
        moved = True
        while moved:
            moved = False
            for start, end in self.others:
                if position <= start <= position + 2 and end <= limit:
                    position, moved = end, True
        return position

    def subject(
        self, mention: Mention, earlier: Sequence[tuple[int, frozenset[str]]] = ()
    ) -> tuple[frozenset[str], bool]:
        """The figure's subject (the keys its word may mean) and whether it is a weak one.
        `earlier`: (offset, subject) of the figures before it, each speaking for what follows
        it in its sentence."""
        s_start, _ = self.text.sentence(mention.start)
        before = [
            (o[0], self._subject_of[o[2]])
            for o in self.subjects
            if s_start <= o[0] and o[1] <= mention.start and o not in self.nouns
        ]
        before += [(at, keys) for at, keys in earlier if s_start <= at < mention.start and keys]
        c_start, _ = self.text.clause(mention.start)
        own = [b for b in before if b[0] >= c_start]
        if own:  # 产业新空间累计签约项目96个: the clause's topic, not its head noun
            return min(own, key=lambda b: b[0])[1], False
        if before:
            return max(before, key=lambda b: b[0])[1], False
        _, c_end = self.text.clause(mention.start)
        counted = self._counted(mention)
        later = [
            o
            for o in self.subjects
            if mention.end <= o[0]
            and o[1] <= c_end
            and o not in counted
            and not self._between(mention.end, o[0], mention)
        ]
        if later:  # 96个项目已签约并将入驻: 将入驻 says which projects
            return self._subject_of[later[0][2]], False
        if counted:
            return self._subject_of[counted[0][2]], True
        p_start, _ = self.text.paragraph(mention.start)
        carried = [o for o in self.subjects if p_start <= o[0] and o[1] <= s_start]
        if carried:
            return self._subject_of[carried[-1][2]], True
        return frozenset(), False

    # --- the words -----------------------------------------------------------------------------

    def _between(self, start: int, end: int, mention: Mention) -> bool:
        """Whether another figure lies between two offsets."""
        return any(
            start <= n_start and n_end <= end and (n_start, n_end) != (mention.start, mention.end)
            for n_start, n_end in self.numbers
        )

    def word_score(self, mention: Mention, words: Iterable[str]) -> tuple[float, str, int]:
        """The best occurrence of any of the words for this figure: its score, the word and
        its gap to the number (a large gap for one in an earlier clause)."""
        plain = self.prepared.plain
        c_start, c_end = self.text.clause(mention.start)
        s_start, _ = self.text.sentence(mention.start)
        best: tuple[float, str, int] = (0.0, "", FAR)
        for word in words:
            if not word:
                continue
            position = plain.find(word, s_start, c_end)
            while position != -1:
                end = position + len(word)
                score, gap = 0.0, FAR
                if self._masked(position, end):
                    pass
                elif end <= mention.start and position >= c_start:
                    gap = mention.start - end
                    if not self._between(end, mention.start, mention):
                        score = len(word) / (1 + DECAY * gap)
                elif end <= mention.start:
                    if not self._between(end, mention.start, mention):
                        score = EARLIER_CLAUSE * len(word) / (1 + DECAY * (mention.start - end))
                elif position >= mention.end:
                    gap = position - mention.end
                    if not self._between(mention.end, position, mention):
                        score = AFTER * len(word) / (1 + DECAY * gap)
                if (score, len(word)) > (best[0], len(best[1])):
                    best = (score, word, gap)
                position = plain.find(word, position + 1, c_end)
        return best

    def _not_a_total(self, mention: Mention, entry: _Entry) -> bool:
        """Whether the clause says the figure is one item's ("每家奖励50万元", "最高…100万元"), a
        flow ("本月办结19个", "新签约23个") or a change ("较去年同期缩短21天") — none of which is
        a metric's value — unless the metric's own words say so ("本月", "同比增长")."""
        c_start, _ = self.text.clause(mention.start)
        lead = self.prepared.plain[c_start : mention.start]
        own = "".join(entry.said.words)
        if any(word in lead and word not in own for word in NOT_TOTALS):
            return True
        s_start, _ = self.text.sentence(mention.start)
        head = self.prepared.plain[s_start : mention.start]
        if any(word in head and word not in own for word in TARGETS):
            return True
        if self._a_month_flow(mention, entry, head, lead):
            return True
        if entry.metric.unit is Unit.PERCENT:
            return False
        # 固定资产投资完成61.4亿元，增长12.5%: a statistics' total with its growth, which only
        # an indicator named in the text (营业收入…) is.
        if (
            entry.named is None
            and entry.metric.unit is Unit.YUAN
            and GROWTH_AFTER.match(self.prepared.plain, mention.end)
        ):
            return True
        close = self.prepared.plain[max(c_start, mention.start - 3) : mention.start]
        return ("较" in lead or "比" in lead) and any(word in close for word in CHANGES)

    def _a_month_flow(self, mention: Mention, entry: _Entry, head: str, lead: str) -> bool:
        """Whether a month named before the figure in its sentence ("10月份新受理…37件，办结35
        件") makes it that month's flow, which is a metric's value only for a monthly metric
        (its words or its subject's say 月: 当月完成投资, 月度填报) or a running total (累计)."""
        if not NAMED_MONTH.search(head) or "累计" in lead:
            return False
        about = SUBJECTS.get(entry.said.subject)
        words = [*entry.said.words, *(about.words if about is not None else ())]
        return not any("月" in word for word in words)

    def negated(self, mention: Mention) -> bool:
        c_start, _ = self.text.clause(mention.start)
        lead = self.prepared.plain[max(c_start, mention.start - 4) : mention.start]
        return any(word in lead for word in NEGATIONS)

    # --- scoring -------------------------------------------------------------------------------

    def score(
        self,
        mention: Mention,
        entry: _Entry,
        subject: tuple[frozenset[str], bool],
        previous_family: str = "",
    ) -> tuple[float, int, int, tuple[str, ...]] | None:
        """(score, subject fit, word length, because) of a metric for a figure, or None when it
        cannot be that metric."""
        fits, needs_close = _unit_fits(mention, entry.metric, entry.said)
        if not fits or self._not_a_total(mention, entry):
            return None
        words, word, gap = self.word_score(mention, entry.said.words)
        total = words
        because = [word]
        fit = 0
        if entry.named is not None:
            n_start, n_end = entry.named
            c_start, _ = self.text.clause(mention.start)
            if c_start <= n_start and 0 <= mention.start - n_end <= 1:
                # 营业收入15亿元: the record's name right before the number is a word too.
                words, gap = words + NAME_BESIDE, 0
            distance = n_start - mention.end if n_start >= mention.end else mention.start - n_end
            total = words + entry.bonus - min(1.0, NAME_DISTANCE * max(0, distance))
            because = [word, self.prepared.plain[n_start:n_end]]
            fit = 1  # the record named is the subject
            total += SUBJECT_FITS
            if entry.family and entry.family == previous_family:
                total += CONTINUES
        if words <= 0 or (needs_close and gap > 1):
            return None
        keys, weak = subject
        if entry.named is None and entry.said.subject and keys:
            if entry.said.subject in keys:
                total += SUBJECT_FITS * (SUBJECT_WEAK if weak else 1.0)
                fit = 1
                about = SUBJECTS.get(entry.said.subject)
                because.append(str(about.label) if about is not None else entry.said.subject)
            elif not weak:
                total += SUBJECT_OTHER
                fit = -1
        return total, fit, len(word), tuple(b for b in because if b)

    def assign(
        self,
        mention: Mention,
        earlier: Sequence[tuple[int, frozenset[str]]] = (),
        previous: dict[Unit, str] | None = None,
    ) -> tuple[Assignment, frozenset[str], str]:
        """The figure's assignment, the subject it passes on and its metric's family."""
        subject = self.subject(mention, earlier)
        s_start, s_end = self.text.sentence(mention.start)
        scored: dict[str, tuple[float, int, int, tuple[str, ...], _Entry]] = {}
        options = self.entries + [
            e for e in self.named if e.named and s_start <= e.named[0] and e.named[1] <= s_end
        ]
        for entry in options:
            family = (previous or {}).get(entry.metric.unit, "")
            result = self.score(mention, entry, subject, family)
            if result is None or result[0] < THRESHOLD:
                continue
            key = entry.metric.key
            if key not in scored or result[0] > scored[key][0]:
                scored[key] = (*result, entry)
        label = ",".join(sorted(subject[0]))
        if not scored:
            return Assignment(mention, None, (), False, label), subject[0], ""
        ranked = sorted(scored.values(), key=lambda r: (-r[0], -r[1], -r[2], r[4].metric.key))
        best = ranked[0][0]
        kept = [r for r in ranked if r[0] >= best * (1 - MARGIN)]
        candidates = tuple(
            Candidate(r[4].metric.key, str(r[4].metric.label), round(r[0], 3), r[3]) for r in kept
        )
        chosen = kept[0][4]
        # Only a share can be a fall (同比下降5%); "减少3家" is a change, not a negative count.
        negated = chosen.metric.unit is Unit.PERCENT and self.negated(mention)
        passes = frozenset({chosen.said.subject}) if chosen.said.subject else subject[0]
        if chosen.named is not None:
            passes = frozenset({chosen.said.subject}) if chosen.said.subject else frozenset()
        return (
            Assignment(mention, chosen.metric, candidates, negated, label),
            passes,
            chosen.family,
        )


def _registered_families() -> list[MetricFamily]:
    families = getattr(registry, "families", None)
    if callable(families):
        return list(families())
    return list(getattr(registry, "_families", {}).values())


def match(
    prepared: Prepared,
    mentions: Sequence[Mention],
    scope: MetricScope,
    metrics: Iterable[Metric] | None = None,
    families: Iterable[MetricFamily] | None = None,
) -> list[Assignment]:
    """Each figure of the text (in text order) with the metric it is taken for. `metrics` and
    `families` default to the registry's; the families' members are the records named in the
    text, in `scope`."""
    matcher = Matcher(prepared, mentions, scope, metrics, families)
    assignments: list[Assignment] = []
    earlier: list[tuple[int, frozenset[str]]] = []
    # The family of the last figure of each unit in the paragraph (a list of one kind).
    previous: dict[Unit, str] = {}
    paragraph = -1
    for mention in matcher.mentions:
        if mention.kind is not Kind.FIGURE:
            continue
        if matcher.text.paragraph(mention.start)[0] != paragraph:
            paragraph, previous = matcher.text.paragraph(mention.start)[0], {}
        assignment, passes, family = matcher.assign(mention, earlier, previous)
        assignments.append(assignment)
        earlier.append((mention.start, passes))
        if assignment.metric is not None:
            previous[assignment.metric.unit] = family
    return assignments
