"""Reading a report: its plain form, every number in it, and the day it speaks of.

`prepare` makes the plain form the reader works on (simplified characters, a bad copy's pinyin
brackets removed, full-width digits half-width) and keeps where each plain character came from,
so that a figure found in the plain form can be marked in the text as the user gave it.

`read` finds every number, in text order, and tells what it is (`Kind`): a FIGURE, to be checked
against the records, or a date, a year, a list marker, an ordinal or a part of a name. A figure's
span covers its qualifier, number and unit as written ("约210万平方米"), its value is in base
units, and `low`..`high` is what the text claims:

- exact: what rounds to the written number at its last written digit ("32.48亿元" →
  [32.475亿, 32.485亿 − ε], ε = min(0.01, step/10⁶) so that `high` is inclusive); a count
  written without 万/亿 ("96个") is exactly that count;
- near (约, 大约, 左右, 上下, 来): ±5% of the value, never narrower than the rounding;
- 近 / 将近 / 接近: [0.9x, x];
- more than (超过, 超, 逾, 多于, 高于): [x, open), [x+1, open) for a count; at least (以上,
  不少于, 至少, 突破, 不低于): [x, open);
- 多 / 余 after a number: [x, x + one unit of its lowest non-zero place) ("1400多万元" →
  [1400万, 1500万 − ε], "20余家" → [20, 29]);
- less than (不到, 不足, 少于, 低于): (open, x − ε] (x − 1 for a count); at most (以下, 以内,
  不超过, 最多): (open, x];
- a range ("3-5个", "3至5个"): [3, 5].

A figure's unit is the base unit ("元", "平方米" — 亩, 公顷 and 平方公里 converted —, "%",
"个百分点", "倍") or its measure word ("个", "家", "场", "人次", "天"...); "亿"/"万" with no unit
is money ("元") when the clause has a money word (投资, 产值, 营收...), else a scaled number.

Chinese numerals (三场, 两个, 一百二十六个, 十余家) are read only before a unit or measure word.
"一" is a count only before a measure word or 倍 (引进一个重大项目, 增长一倍), and not as an
article: 一批 (a batch of), after 每/这/那/同/另/任/某/其/单/唯/哪/逐 (这一个), nor in 一次性 or
一人一档. Not figures: dates, years and times; list markers (一是, （三）, "1." or "2、" at a
line's start or after a colon); ordinals (第一批, 前10名); numbers in names: next to latin letters
or a plus (5G, TSV3, 3+3+1), codes and telephone numbers, before 英寸/纳米/号/期/级/强/版…
(12英寸, 2号楼, 百亿级, 500强), "5.0"-style versions without a unit, fixed terms (一带一路,
十四五, 三中全会, 三年行动) and anything inside 《…》 or a short “…” (a slogan).
"""

from __future__ import annotations

import bisect
import datetime as dt
import importlib
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import opencc

from gaoxin.factcheck.types import Kind, Mention, Prepared

# cn2an ships no types; imported by name so that its calls are Any to the checker.
cn2an = importlib.import_module("cn2an")

# --- the plain form -----------------------------------------------------------------------

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A bad copy puts each character's pinyin after it: 區(qū), 項(xiàng), 們(men).
_PINYIN = re.compile(r"[(（]([a-zü" + _TONED + r"]{1,7}[1-5]?)[)）]")
_NOT_PINYIN = frozenset({"m2", "m3", "km2"})
_LOST_PINYIN = re.compile(r"\?[a-zü" + _TONED + r"]{1,7}[1-5]?\)")
_THOUSANDS = re.compile(r"[0-9]{3}[^0-9]?")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DROP = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_SPACES = frozenset("\u00a0\u1680\u202f\u205f\u3000\t\r\x0b\x0c") | {
    chr(c) for c in range(0x2000, 0x200B)
}
_HALF = {chr(0xFF10 + i): str(i) for i in range(10)}
_HALF.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_HALF.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_HALF.update(zip("％﹪＋－−–﹣～：／＠", "%%+----~:/@", strict=True))


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _toned(inner: str) -> bool:
    return any(c in _TONED for c in inner) or (inner[-1].isdigit() and inner not in _NOT_PINYIN)


def _is_pinyin(match: re.Match[str], text: str, bad_copy: bool) -> bool:
    inner = match.group(1)
    if match.start() == 0 or text[match.start() - 1].isspace():
        return False
    if any(c in _TONED for c in inner):
        return True
    # Neutral tones (們(men)) and tone digits (qu1) are only taken for pinyin in a bad copy:
    # "(m2)" in a table's head is a unit.
    return bad_copy and inner not in _NOT_PINYIN and bool(_CJK.match(text[match.start() - 1]))


def _simplified(chars: list[str]) -> list[str]:
    """The characters in simplified form, one for one (a conversion that changes a line's
    length falls back to converting that line character by character)."""
    convert = _t2s().convert
    out: list[str] = []
    line: list[str] = []

    def flush() -> None:
        if not line:
            return
        whole = "".join(line)
        done = convert(whole)
        if len(done) == len(whole):
            out.extend(done)
        else:
            for c in line:
                one = convert(c)
                out.append(one if len(one) == 1 else c)
        line.clear()

    for c in chars:
        line.append(c)
        if c == "\n" or len(line) >= 2000:
            flush()
    flush()
    return out


def prepare(text: str) -> Prepared:
    """The text and its plain form (see the module's docstring), with each plain character's
    offset in the text."""
    pinyins = list(_PINYIN.finditer(text))
    bad_copy = sum(1 for m in pinyins if _toned(m.group(1))) >= 3
    dropped = bytearray(len(text))
    for m in pinyins:
        if _is_pinyin(m, text, bad_copy):
            for i in range(m.start(), m.end()):
                dropped[i] = 1
    if bad_copy:
        # Where the copy lost the character and its bracket too: 研究?jī)?chǔ)能.
        for m in _LOST_PINYIN.finditer(text):
            for i in range(m.start() + 1, m.end()):
                dropped[i] = 1
    kept = [i for i, c in enumerate(text) if not dropped[i] and c not in _DROP]
    chars = _simplified([text[i] for i in kept])
    for k, c in enumerate(chars):
        if c in _SPACES:
            chars[k] = " "
        elif c in _HALF:
            chars[k] = _HALF[c]
    # A full-width point or comma inside a number: 3．5, 3，200 (a thousands group).
    for k, c in enumerate(chars):
        if k == 0 or chars[k - 1] not in "0123456789":
            continue
        if c == "．" and "".join(chars[k + 1 : k + 2]) in tuple("0123456789"):
            chars[k] = "."
        elif c == "，" and _THOUSANDS.fullmatch("".join(chars[k + 1 : k + 5])):
            chars[k] = ","
    origin = (*kept, len(text))
    return Prepared(original=text, plain="".join(chars), origin=origin)


# --- numbers ------------------------------------------------------------------------------

_AR = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN_DIGIT = "零〇一二两三四五六七八九十"
_CN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?")
_START = re.compile(r"[0-9零〇一二两三四五六七八九十百千万①-⑳]")
_SCALE = {
    w: Decimal(10) ** e for w, e in (("万亿", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4))
}
_SCALE_RE = re.compile("万亿|千万|百万|亿|万")
_ONE = Decimal(1)

COUNT_WORDS = "个家场人名项批次栋宗件户台套位座所条款份册本篇张部处组支种类轮"
_MU = Decimal(10000) / Decimal(15)
# written unit → (base unit, multiplier, is a count)
_UNITS: dict[str, tuple[str, Decimal, bool]] = {
    "元": ("元", Decimal(1), False),
    "千元": ("元", Decimal(1000), False),
    "美元": ("美元", Decimal(1), False),
    "平方米": ("平方米", Decimal(1), False),
    "平米": ("平方米", Decimal(1), False),
    "㎡": ("平方米", Decimal(1), False),
    "m²": ("平方米", Decimal(1), False),
    "m2": ("平方米", Decimal(1), False),
    "平方公里": ("平方米", Decimal(1000000), False),
    "公顷": ("平方米", Decimal(10000), False),
    "亩": ("平方米", _MU, False),
    "%": ("%", Decimal(1), False),
    "‰": ("‰", Decimal(1), False),
    "个百分点": ("个百分点", Decimal(1), False),
    "百分点": ("个百分点", Decimal(1), False),
    "成": ("%", Decimal(10), False),
    "倍": ("倍", Decimal(1), False),
    "天": ("天", Decimal(1), True),
    "日": ("天", Decimal(1), True),
    "个工作日": ("工作日", Decimal(1), True),
    "工作日": ("工作日", Decimal(1), True),
    "个月": ("个月", Decimal(1), True),
    "小时": ("小时", Decimal(1), True),
    "年": ("年", Decimal(1), True),
    "人次": ("人次", Decimal(1), True),
    "家次": ("家次", Decimal(1), True),
    "批次": ("批次", Decimal(1), True),
    "期": ("期", Decimal(1), True),  # after Arabic digits only: 二期 is a phase
    "吨": ("吨", Decimal(1), False),
    "千瓦": ("千瓦", Decimal(1), False),
    "兆瓦": ("兆瓦", Decimal(1), False),
    "千瓦时": ("千瓦时", Decimal(1), False),
    "公里": ("公里", Decimal(1), False),
    "辆": ("辆", Decimal(1), True),
}
for _w in COUNT_WORDS:
    _UNITS[_w] = (_w, Decimal(1), True)
_UNIT_RE = re.compile("|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True)))

# Money written with 万/亿 and no 元 ("产值57.33亿"): the clause's words say it is money.
_MONEY_WORDS = re.compile(
    r"投资|产值|营收|营业收入|收入|税收|资金|金额|融资|销售额|生产总值|GDP|增加值|利润|出口|进口|"
    r"贸易|总额|资产|奖励|补贴|补助|资助|贷款|预算|支出|财政|成交|交易额|租金|经费|基金"
)
_CLAUSE_END = re.compile(r"[，。；;,!?！？\n]")

_PRE_QUALIFIERS = (
    "大约", "约为", "约合", "约", "将近", "接近", "近", "超过", "超出", "多于", "高于", "逾", "超",
    "突破", "不少于", "不低于", "至少", "不到", "不足", "少于", "低于", "不超过", "不高于", "最多",
)  # fmt: skip
# A one-character qualifier after these characters is the end of a word (签约, 最近, 赶超).
_WORD_BEFORE = {"约": "签预节制公条违履特契集邀相盟简婉", "近": "最临附就邻靠亲贴", "超": "赶高"}
_PRE_RE = re.compile("(?P<q>" + "|".join(_PRE_QUALIFIERS) + ") ?$")
_POST_RE = re.compile(r"左右|上下|以上|以下|以内|之多")
_NEAR = {"大约", "约为", "约合", "约", "左右", "上下", "来"}
_UNDER = {"将近", "接近", "近"}
_OVER = {"超过", "超出", "多于", "高于", "逾", "超"}
_ATLEAST = {"以上", "突破", "不少于", "不低于", "至少", "之多"}
_BELOW = {"不到", "不足", "少于", "低于"}
_ATMOST = {"以下", "以内", "不超过", "不高于", "最多"}

# Numbers inside names and slogans.
_NAME_TERMS = re.compile(
    r"一带一路|十[一二三四五六]五|[一二三四五六七]中全会|(?:十[六七八九]|二十)(?:大|届)|两会|两新|两重|"
    r"双一流|五位一体|四个全面|一网通办|一网统管|一站式|一体化|三农|四上|一把手|一盘棋|一件事|一次办|"
    r"(?<![0-9一二三四五])(?:[0-9]{1,2}|[一二三四五])年(?=行动|计划|规划|攻坚|方案)"
)
_NAME_SUFFIX = re.compile(r"英寸|寸|纳米|nm|微米|号|代|型|版|级|强|星|线|路|届")
# 二期项目 is a phase (a name), 举办26期 a count of sessions.
_PHASE = re.compile("期")
# 一 is a count before these (一个, 一家, 一倍); 一批 is an article, 一次 a frequency
# (每周通报一次), 新一轮, 一部分, 一种 and 一张蓝图 words, 一年 a span of time.
_ONE_UNITS = frozenset("个家场人名项栋宗件户台套位座所条款倍")
_BEFORE_ONE_NOT_COUNT = "每这那同另任某其单唯哪逐万之统"
# 几十家, 数百家, 上百家, 成千: not a number written.
_VAGUE_BEFORE = "几数上成好"
_CN_NUM = "[一二三四五六七八九十]{1,3}"
_MONTH_TAIL = re.compile(r"(?:[0-9]{1,2}|" + _CN_NUM + r")[日号]|底|末|初|份|上旬|中旬|下旬")
_YEAR_RANGE = re.compile(r"[-~至到](?:19|20)[0-9]{2}(?![0-9])年?")
_YMD = re.compile(r"([-./])(?:0?[1-9]|1[0-2])(?:\1(?:0?[1-9]|[12][0-9]|3[01]))?(?![0-9])")
_YEAR_MONTH = re.compile(r"年(?:[0-9]{1,2}|" + _CN_NUM + r")月")
_MONTHS = re.compile(r"(?:[-~至到]|—{1,2})(?:[0-9]{1,2}|" + _CN_NUM + r")月")
_CLOCK = re.compile(r"(?::[0-5][0-9]){1,2}")
_HOUR_MINUTE = re.compile(r"[时点](?:[0-9]{1,2}|" + _CN_NUM + r")分")
_RANK = re.compile(r"[名位强]")
_PHONE_TAIL = re.compile(r"-[0-9]{5,}")
_SPACED = re.compile(r" +[0-9]+")
_CONNECTOR = re.compile(r"[-~至到]|—{1,2}")
_LINE_START = "\n。；;：: "


@lru_cache(maxsize=4096)
def _cn_value(run: str) -> Decimal | None:
    if not any(c in _CN_DIGIT for c in run):
        if run[0] in "百千万" and run.strip("百千万亿") == "":
            run = "一" + run
        else:
            return None
    body = run.split("点")[0]
    if len(body) > 1 and not any(c in "十百千万亿" for c in body):
        return None  # 一一, 五五: not a number (digit by digit only in years, read apart)
    try:
        value = cn2an.cn2an(run, "normal")
    except Exception:  # cn2an raises bare ValueError-likes on anything it cannot read
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _place(digits: str) -> Decimal:
    """One unit of the lowest non-zero written place: 1400 → 100, 20 → 10, 1.5 → 0.1."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".")[1]))
    stripped = digits.rstrip("0")
    return Decimal(10) ** (len(digits) - len(stripped)) if stripped else Decimal(1)


_TIDY = Decimal("0.000001")


def _eps(step: Decimal) -> Decimal:
    return min(Decimal("0.01"), step / Decimal(1000000))


def _at(p: Prepared, start: int, end: int) -> tuple[int, int]:
    """The original span behind plain[start:end], over the pinyin a bad copy put after its
    last character (36個(gè)), so that the page marks the figure whole."""
    first, last = p.at(start, end)
    if start < end < len(p.plain) and p.origin[end] > last:
        gap = p.original[last : p.origin[end]]
        if _PINYIN.fullmatch(gap) or _LOST_PINYIN.fullmatch(gap):
            last = p.origin[end]
    return first, last


def _plain_mention(p: Prepared, start: int, end: int, value: Decimal, kind: Kind) -> Mention:
    return Mention(
        start=start,
        end=end,
        at=_at(p, start, end),
        text=p.plain[start:end],
        value=value,
        low=value,
        high=value,
        kind=kind,
    )


class _Number:
    """A number as written: its digits (Arabic form), value and where it ends."""

    __slots__ = ("arabic", "digits", "end", "step", "value")

    def __init__(self, end: int, digits: str, value: Decimal, arabic: bool, step: Decimal) -> None:
        self.end = end
        self.digits = digits
        self.value = value
        self.arabic = arabic
        self.step = step  # one unit of the last written digit


def _number(text: str, i: int) -> _Number | None:
    m = _AR.match(text, i)
    if m:
        digits = m.group().replace(",", "")
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        return _Number(m.end(), digits, Decimal(digits), True, Decimal(1).scaleb(-decimals))
    m = _CN.match(text, i)
    if not m:
        return None
    run = m.group()
    if (
        not any(c in _CN_DIGIT for c in run)
        and not text.startswith(("余", "多", "级", "强"), m.end())
        and not _PRE_RE.search(text, max(0, i - 4), i)
    ):
        return None  # 百家争鸣, 千家万户: words; 百余家 and 近百场 are numbers, 百亿级 a name
    if (
        len(run) == 4
        and text.startswith("年", m.end())
        and all(c in "零〇一二三四五六七八九" for c in run)
    ):
        year = "".join(str("〇一二三四五六七八九".index(c.replace("零", "〇"))) for c in run)
        return _Number(m.end(), year, Decimal(year), False, Decimal(1))  # 二〇二三年
    # Keep 万/亿 at the end apart: they are the scale, read with the unit.
    body = run
    while body and body[-1] in "万亿" and len(body) > 1:
        body = body[:-1]
    if body != run and "点" not in body:
        value = _cn_value(body)
        end = i + len(body)
    else:
        value = _cn_value(run)
        end = m.end()
    if value is None:
        return None
    digits = format(value.normalize(), "f")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return _Number(end, digits, value, False, Decimal(1).scaleb(-decimals))


def _scale_at(text: str, j: int) -> tuple[str, Decimal]:
    """The scale written at `j` (万亿, 千万, 百万, 亿, 万) and its factor."""
    m = _SCALE_RE.match(text, j)
    return (m.group(), _SCALE[m.group()]) if m else ("", _ONE)


# A short quotation without a sentence's punctuation is a slogan or a name (“3+3+1”, “十四五”);
# unbalanced straight quotes then cannot swallow a figure between two sentences.
_SLOGAN = re.compile(r"“[^“”\n，。；,;]{1,20}”|\"[^\"\n，。；,;]{1,20}\"")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"《[^《》\n]{0,120}》", text)]
    spans += [(m.start(), m.end()) for m in _SLOGAN.finditer(text)]
    spans.sort()
    return spans


def _inside(spans: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    lo = bisect.bisect_right(spans, (i, len(spans) + 10**9))
    for k in range(lo - 1, max(-1, lo - 4), -1):
        s, e = spans[k]
        if s <= i < e:
            return s, e
    return None


def _year(value: Decimal, digits: str) -> bool:
    return digits.isdigit() and len(digits) == 4 and 1900 <= value <= 2100


def read(prepared: Prepared) -> list[Mention]:
    """Every number of the text in order, each with its kind; figures with their claim."""
    text = prepared.plain
    spans = _quoted_spans(text)
    terms = {m.start(): m.end() for m in _NAME_TERMS.finditer(text)}
    term_starts = sorted(terms)
    out: list[Mention] = []
    i = 0
    n = len(text)
    while i < n:
        m = _START.search(text, i)
        if not m:
            break
        s = m.start()
        k = bisect.bisect_right(term_starts, s)
        if k and s < terms[term_starts[k - 1]]:
            t = term_starts[k - 1]
            # A fixed term (一带一路, 十四五) is one name; it has no value (0).
            out.append(_plain_mention(prepared, t, terms[t], Decimal(0), Kind.NAME))
            i = terms[t]
            continue
        try:
            found, nxt = _one(prepared, s)
        except (ArithmeticError, ValueError, IndexError):
            found, nxt = None, s + 1
        if found is not None and (not out or found.start >= out[-1].end):  # never overlapping
            if found.kind == Kind.FIGURE and _inside(spans, s) is not None:
                found = _plain_mention(prepared, found.start, found.end, found.value, Kind.NAME)
            out.append(found)
        i = max(nxt, s + 1)
    return out


def _one(p: Prepared, s: int) -> tuple[Mention | None, int]:
    """The mention starting at `s` (a digit or numeral) and where reading goes on."""
    text = p.plain
    n = len(text)
    # At the ends of the text, "\n" and "\0": no test below takes them for a sign or a unit.
    before = text[s - 1] if s else "\n"
    c = text[s]
    if "①" <= c <= "⑳":
        return _plain_mention(p, s, s + 1, Decimal(ord(c) - ord("①") + 1), Kind.MARKER), s + 1
    if c in _CN_DIGIT and s and text[s - 1] in _CN_CHARS:
        return None, s + 1  # inside a run already passed over
    num = _number(text, s)
    if num is None:
        m = _CN.match(text, s)
        return None, (m.end() if m else s + 1)
    j = num.end
    nxt = text[j] if j < n else "\0"
    value = num.value

    if not num.arabic and before in _VAGUE_BEFORE:
        return None, j
    if not num.arabic and text.endswith("百分之", 0, s):
        # 百分之三十(以上): a share written out; its written unit is "%", as a scale it is none.
        post = _POST_RE.match(text, j)
        end = post.end() if post else j
        qualifier = post.group() if post else ""
        low: Decimal | None = value - num.step / 2
        high: Decimal | None = value + num.step / 2 - _eps(num.step)
        if qualifier in _ATLEAST:
            high = None
        elif qualifier in _ATMOST:
            low = None
        elif qualifier in _NEAR:
            d = max(value * Decimal("0.05"), num.step / 2)
            low, high = value - d, value + d
        at = _at(p, s - 3, end)
        return Mention(
            s - 3, end, at, text[s - 3 : end], value, low, high, "%", "%", qualifier
        ), end

    # Markers: 一是, （三）, 1. / 1、 at a line's start, 其一.
    if not num.arabic and nxt == "是" and value <= 10 and before in (*_LINE_START, "，", ","):
        return _plain_mention(p, s, j + 1, value, Kind.MARKER), j + 1
    if before in "(（" and nxt in ")）" and num.digits.isdigit() and value < 100:
        return _plain_mention(p, s - 1, j + 1, value, Kind.MARKER), j + 1
    if before == "其" and not num.arabic and value <= 10:
        return _plain_mention(p, s - 1, j, value, Kind.MARKER), j
    back = s
    while back and text[back - 1] == " ":
        back -= 1
    line_start = back == 0 or text[back - 1] == "\n"
    if nxt in "、." and value < 100 and num.digits.isdigit():
        after = text[j + 1] if j + 1 < n else ""
        if (line_start or before in _LINE_START) and not after.isdigit():
            return _plain_mention(p, s, j + 1, value, Kind.MARKER), j + 1

    # Ordinals: 第一批, 第3名, 前三名.
    if before == "第" or (before == "前" and _RANK.match(text, j)):
        if text.startswith("季度", j):
            return _plain_mention(p, s - 1, j + 2, value, Kind.DATE), j + 2
        end = j + 1 if nxt and (nxt in COUNT_WORDS or nxt in "届期名位强轮代章条") else j
        return _plain_mention(p, s - 1, end, value, Kind.ORDINAL), end

    # Dates, years and times.
    dated = _date(p, s, num, before)
    if dated is not None:
        return dated, dated.end

    # Names: 5G, TSV3, 3+3+1, m.670818.com, 0756-…, 12英寸, 5.0产业新空间, 2号楼.
    if num.arabic:
        unit_here = _UNIT_RE.match(text, j)
        unit_after = text[unit_here.end()] if unit_here and unit_here.end() < n else ""
        # m², kW: a latin unit, unless more letters follow (5GW is a unit, 5Gbps is not read)
        latin_unit = bool(unit_here and unit_here.group().isascii() and not unit_after.isalpha())
        long_code = len(num.digits) >= 10 or (len(num.digits) > 1 and num.digits[0] == "0")
        if (
            (before.isascii() and (before.isalpha() or before in "_@#/\\&=?"))
            or (before in "+." and _is_latin(text[s - 2 : s - 1]))
            or (before == "-" and (_is_latin(text[s - 2 : s - 1]) or text[s - 2 : s - 1] == "号"))
            or (_is_latin(nxt) and not latin_unit)
            or (nxt == "." and _is_latin(text[j + 1 : j + 2]))
            or (nxt == "-" and _PHONE_TAIL.match(text, j))
            or (num.digits.isdigit() and long_code)
            or _SPACED.match(text, j)
            or (before == " " and text[s - 2 : s - 1].isdigit())
        ):
            end = j
            while end < n and end - j < 40 and (_is_latin(text[end]) or text[end] in "+.@_-/"):
                end += 1
            while end > j and text[end - 1] in ".-/":
                end -= 1
            return _plain_mention(p, s, end, value, Kind.NAME), end
    scale_word = _scale_at(text, j)[0]
    k = j + len(scale_word)
    suffix = _NAME_SUFFIX.match(text, k) or (None if num.arabic else _PHASE.match(text, k))
    if suffix:
        if not num.arabic and value == 1 and not scale_word:
            return None, suffix.end()  # 一线, 一级, 一轮: words, not numbers
        return _plain_mention(p, s, suffix.end(), value, Kind.NAME), suffix.end()
    if num.arabic and num.digits.endswith(".0") and not scale_word and not _UNIT_RE.match(text, j):
        return _plain_mention(p, s, j, value, Kind.NAME), j

    return _figure(p, s, num)


def _is_latin(c: str) -> bool:
    """A letter, digit or code sign next to a number makes it part of a name (5G, TSV3, a+b)."""
    return c != "" and c.isascii() and (c.isalnum() or c in "_@#/\\+&=")


def _date(p: Prepared, s: int, num: _Number, before: str) -> Mention | None:
    """A date, year or time at `s`, or None."""
    text = p.plain
    n = len(text)
    j = num.end
    nxt = text[j] if j < n else "\0"
    value = num.value
    digits = num.digits
    if num.arabic and _year(value, digits):
        # 2005-2023, 2021—2025年, 2023年6月30日, 2023.6, 2023-06-30, 2023/6/30
        m = _YEAR_RANGE.match(text, j)
        if m:
            return _plain_mention(p, s, m.end(), value, Kind.YEAR)
        m = _YMD.match(text, j)
        if m and not _UNIT_RE.match(text, m.end()):
            return _plain_mention(p, s, m.end(), value, Kind.DATE)
        if nxt == "年":
            m = _YEAR_MONTH.match(text, j)
            if m:
                end = m.end()
                tail = _MONTH_TAIL.match(text, end)
                return _plain_mention(p, s, tail.end() if tail else end, value, Kind.DATE)
            return _plain_mention(p, s, j + 1, value, Kind.YEAR)
        if "." not in text[s:j] and not _UNIT_RE.match(text, j) and not _scale_at(text, j)[0]:
            return _plain_mention(p, s, j, value, Kind.YEAR)
    if (
        not num.arabic
        and len(digits) == 4
        and nxt == "年"
        and all(c in "零〇一二三四五六七八九" for c in text[s:j])
    ):
        return _plain_mention(p, s, j + 1, value, Kind.YEAR)
    if not digits.isdigit():
        whole, frac = digits.split(".")
        bare = not _UNIT_RE.match(text, j) and not _scale_at(text, j)[0]
        if (
            num.arabic
            and _year(Decimal(whole), whole)
            and len(frac) <= 2
            and 1 <= int(frac) <= 12
            and bare
        ):
            return _plain_mention(p, s, j, value, Kind.DATE)  # 2023.6
        return None
    # 1-9月, 1至6月
    m = _MONTHS.match(text, j)
    if m and 1 <= value <= 12:
        tail = _MONTH_TAIL.match(text, m.end())
        return _plain_mention(p, s, tail.end() if tail else m.end(), value, Kind.DATE)
    if nxt == "月" and 1 <= value <= 12 and not text.startswith("月份额", j):
        tail = _MONTH_TAIL.match(text, j + 1)
        end = tail.end() if tail else j + 1
        return _plain_mention(p, s, end, value, Kind.DATE)
    if text.startswith("季度", j) and 1 <= value <= 4:
        start = s - 1 if before in "前第" else s
        return _plain_mention(p, start, j + 2, value, Kind.DATE)
    if nxt in "日号" and 1 <= value <= 31 and before == "月":
        return _plain_mention(p, s, j + 1, value, Kind.DATE)
    if nxt == "日" and 1 <= value <= 31 and not text.startswith(("内", "以内"), j + 1):
        return _plain_mention(p, s, j + 1, value, Kind.DATE)
    m = (_CLOCK if nxt == ":" else _HOUR_MINUTE).match(text, j)
    if m and value <= 24:
        return _plain_mention(p, s, m.end(), value, Kind.DATE)  # 9:30, 14时30分
    return None


def _past_space(text: str, j: int) -> int:
    """Past one space before a scale, a unit or 多/余 ("32.48 亿元"), else where it was."""
    if text.startswith(" ", j) and (
        _UNIT_RE.match(text, j + 1)
        or _scale_at(text, j + 1)[0]
        or text[j + 1 : j + 2] in ("多", "余")
    ):
        return j + 1
    return j


def _figure(p: Prepared, s: int, num: _Number) -> tuple[Mention | None, int]:
    """The figure at `s`: qualifier, number, scale and unit, and what it claims."""
    text = p.plain
    n = len(text)
    j = num.end
    start = s
    pre = _PRE_RE.search(text, max(0, s - 4), s)
    if pre and pre.start() and text[pre.start() - 1] in _WORD_BEFORE.get(pre.group("q"), ""):
        pre = None  # 签约96个: 约 ends a word there, it does not qualify the number
    if pre:
        start = pre.start()
    qualifier = pre.group("q") if pre else ""
    j = _past_space(text, j)
    post_many = ""
    if j < n and text[j] in "多余来":
        post_many = text[j]
        j += 1
    j = _past_space(text, j)
    scale_word, scale = _scale_at(text, j)
    j += len(scale_word)
    j = _past_space(text, j)
    if not post_many and j < n and text[j] in "多余" and scale_word:
        post_many = text[j]
        j += 1
        more_word, more = _scale_at(text, j)
        if more_word == "亿":  # 3万多亿元
            scale_word, scale = scale_word + more_word, scale * more
            j += len(more_word)
    u = _UNIT_RE.match(text, j)
    # 一 as an article (一批项目, 这一个), not a count.
    if not num.arabic and num.value == 1 and num.digits == "1" and not post_many and not scale_word:
        if u is None or u.group() not in _ONE_UNITS:
            return None, num.end
        if s and text[s - 1] in _BEFORE_ONE_NOT_COUNT:
            return None, num.end
        if text.startswith(("性", "一"), u.end()):  # 一次性, 一人一档
            return None, u.end()
    unit_word = ""
    base_unit = ""
    mult = Decimal(1)
    count = False
    if u is not None:
        unit_word = u.group()
        j = u.end()
        if unit_word == "个" and text.startswith("多月", j) and not post_many:
            unit_word, post_many, j = "个月", "多", j + 2  # 两个多月
        base_unit, mult, count = _UNITS[unit_word]
    elif scale_word:
        clause = max(0, s - 60)
        clause = max((m.end() for m in _CLAUSE_END.finditer(text, clause, s)), default=clause)
        if _MONEY_WORDS.search(text, clause, s):
            base_unit = "元"
    # Ranges: 3-5个, 3至5个, 10%-15%, 3万-5万元.
    range_high: tuple[Decimal, Decimal] | None = None
    connector = ""
    rm = _CONNECTOR.match(text, j)
    if rm and rm.end() < n:
        second = _number(text, rm.end())
        if second is not None and second.arabic == num.arabic:
            k = second.end
            post2 = ""
            if k < n and text[k] in "多余":
                post2 = text[k]
                k += 1
            sw2, sc2 = _scale_at(text, k)
            k += len(sw2)
            u2 = _UNIT_RE.match(text, k)
            unit2 = u2.group() if u2 is not None and u2.group() == (unit_word or u2.group()) else ""
            upper = second.value * (sc2 if sw2 else scale)
            lower = num.value * (sc2 if sw2 and not scale_word else scale)  # 3-5万元: both 万
            if (unit_word or unit2 or sw2 or scale_word) and upper > lower:
                if unit2:
                    unit_word = unit2
                    base_unit, mult, count = _UNITS[unit_word]
                    k += len(unit2)
                if not scale_word and sw2:
                    scale_word, scale = sw2, sc2
                connector = rm.group()
                factor = (sc2 if sw2 else scale) * mult
                range_high = (second.value * factor, second.step * factor)
                j = k
                post_many = post_many or post2
    if not num.arabic and not unit_word and not scale_word:
        return None, num.end  # 三大, 十分: a Chinese numeral is read only with its unit
    post = _POST_RE.match(text, j)
    if post:
        j = post.end()
        if not qualifier:
            qualifier = post.group()

    value = num.value * scale * mult
    step = num.step * scale * mult
    whole = count and scale == 1 and num.digits.isdigit() and mult == 1
    if unit_word == "成":
        step = num.step * mult
    low: Decimal | None
    high: Decimal | None
    if range_high is not None:
        low = value if whole else value - step / 2
        high = range_high[0] if whole else range_high[0] + range_high[1] / 2 - _eps(range_high[1])
        qualifier = qualifier or connector
    elif qualifier in _NEAR:
        d = max(value * Decimal("0.05"), step / 2)
        low, high = value - d, value + d
    elif qualifier in _UNDER:
        low, high = value * Decimal("0.9"), value
    elif qualifier in _OVER:
        low, high = (value + 1 if whole else value), None
    elif qualifier in _ATLEAST:
        low, high = value, None
    elif qualifier in _BELOW:
        low, high = None, (value - 1 if whole else value - _eps(step))
    elif qualifier in _ATMOST:
        low, high = None, value
    elif post_many:
        qualifier = post_many
        if post_many == "来":
            d = max(value * Decimal("0.05"), step / 2, _place(num.digits) * scale * mult / 2)
            low, high = value - d, value + d
        else:
            place = _place(num.digits) * scale * mult
            low, high = value, (value + place - 1 if whole else value + place - _eps(place))
    elif whole:
        low = high = value
    else:
        low, high = value - step / 2, value + step / 2 - _eps(step)
    # 亩 → m² is a repeating fraction: keep six places.
    if mult == _MU:  # 亩 → m² is a repeating fraction: keep six places
        value = value.quantize(_TIDY)
        low = None if low is None else low.quantize(_TIDY)
        high = None if high is None else high.quantize(_TIDY)
    return (
        Mention(
            start=start,
            end=j,
            at=_at(p, start, j),
            text=text[start:j],
            value=value,
            low=low,
            high=high,
            unit=base_unit,
            written_unit=scale_word + unit_word,
            qualifier=qualifier,
        ),
        j,
    )


# --- the day a text speaks of ---------------------------------------------------------------

_CN_MONTH = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?:3[01]|[12][0-9]|0?[1-9])"
_ASOF = re.compile(
    r"截[至止](?:到|至)?\s*(?:(?P<y>(?:19|20)[0-9]{2})\s*年|(?P<rel>今年|去年|上年|本年))?\s*"
    r"(?:(?P<m>"
    + _M
    + r")\s*月\s*(?:(?P<d>"
    + _D
    + r")\s*[日号]|(?P<tail>底|末|份|初))?|(?P<yend>底|末))"
)
_PERIOD = re.compile(
    r"(?:(?P<y>(?:19|20)[0-9]{2})\s*年(?:度)?|(?P<rel>今年|去年|上年|本年))?\s*"
    r"(?P<p>上半年|前三季度|第?[一二三四1-4]季度|(?:1|一)\s*(?:-|~|至|到|—{1,2})\s*(?P<to>"
    + _M
    + r")\s*月|"
    r"前(?P<first>" + _M + r")个?月)"
)
_YEAR_AS_FRAME = re.compile(
    r"((?:19|20)[0-9]{2})\s*年(?:以来|上半年|前三季度|第?[一二三四1-4]季度|(?:1|一)\s*[-~至到]|"
    + _M
    + r"\s*月|底|末)"
)


def _month(word: str) -> int:
    return int(word) if word.isdigit() else _CN_MONTH[word]


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def said_day(prepared: Prepared, today: dt.date) -> dt.date | None:
    """The day the text speaks of, which the form prefills: the latest day a "截至/截止…" names
    ("截至2023年6月30日", "截至6月底", "截至2023年底"); else the last day of the latest period it
    names (上半年, 一季度, 前三季度, 1-9月, 前10个月); else None ("今年以来" alone, "截至目前").
    A period or day written without its year takes the year the text frames its periods with
    (2023年上半年, 2023年1-5月) or else today's, and a day still to come in that year (截至11月底
    read in January) is last year's."""
    text = prepared.plain
    frames = [int(y) for y in _YEAR_AS_FRAME.findall(text) if int(y) <= today.year]
    # The first year the text frames a period with (2023年上半年, 2023年1-5月) is its year; later
    # ones are more often plans (预计2024年6月竣工).
    text_year = frames[0] if frames else today.year

    def year_of(m: re.Match[str]) -> tuple[int, bool]:
        if m.group("y"):
            return int(m.group("y")), True
        rel = m.group("rel")
        if rel in ("去年", "上年"):
            return text_year - 1, True
        return text_year, bool(frames) or bool(rel)

    def settle(day: dt.date, explicit: bool) -> dt.date:
        # "截至11月底" read in January is last year's November.
        if not explicit and day > today:
            return day.replace(year=day.year - 1) if not (day.month == 2 and day.day == 29) else day
        return day

    found: list[dt.date] = []
    for m in _ASOF.finditer(text):
        try:
            year, explicit = year_of(m)
            if m.group("yend"):
                found.append(settle(dt.date(year, 12, 31), explicit))
                continue
            month = _month(m.group("m"))
            if m.group("d"):
                day = dt.date(year, month, int(m.group("d")))
            elif m.group("tail") == "初":
                day = dt.date(year, month, 1)
            else:
                day = _month_end(year, month)
            found.append(settle(day, explicit))
        except (ValueError, KeyError):
            continue
    if found:
        return max(found)
    for m in _PERIOD.finditer(text):
        try:
            year, explicit = year_of(m)
            period = m.group("p")
            if period == "上半年":
                month = 6
            elif period == "前三季度":
                month = 9
            elif "季度" in period:
                quarter = period.strip("第季度")
                month = 3 * (int(quarter) if quarter.isdigit() else _month(quarter))
            elif m.group("to"):
                month = _month(m.group("to"))
            else:
                month = _month(m.group("first"))
            found.append(settle(_month_end(year, month), explicit))
        except (ValueError, KeyError):
            continue
    return max(found) if found else None
