"""The work briefing (工作简报): the zone's report written from live figures.

`compose` builds one structure — sections → paragraphs → parts, each part either text or a
`Figure` (a registered metric's value, how it is shown, and the link to its records) — and the
page, the .docx and the .xlsx are all rendered from it, so they cannot disagree.

Every sentence is one translatable message with `{name}` placeholders; the translated message is
split at its placeholders and the figures are put in, so a translator keeps the whole sentence
and its word order (the Chinese, in the register of the source article, is in the translator
comments). A figure whose records are empty is left out, or its sentence says 暂无: the text
never reads "0个项目已签约".
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Max, Value, When
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gaoxin.campaigns.models import Award, AwardStatus, Campaign
from gaoxin.core import formatting
from gaoxin.core.excel import write_workbook
from gaoxin.core.metrics import Metric, MetricScope, Unit, Values, registry
from gaoxin.enterprises.models import DesignationKind

WAN = Decimal(10_000)
SHI_WAN = Decimal(100_000)
BAI_WAN = Decimal(1_000_000)
YI = Decimal(100_000_000)


# --- how the briefing shows money and areas ----------------------------------------------------


def approx_wan(yuan: Decimal | int | float) -> str:
    """A sum the way a report says it: just over a round number of 百万 is "1400多万元"
    (14,123,456 元), exactly that number "1400万元". Between 10万 and 100万 the round number is
    a 十万 ("30多万元"); below 10万 and from 1亿 up the sum is shown as it is (money())."""
    value = Decimal(str(yuan))
    if value < SHI_WAN or value >= YI:
        return formatting.money(value)
    step = BAI_WAN if value >= BAI_WAN else SHI_WAN
    floor = (value / step).to_integral_value(rounding=ROUND_FLOOR) * step
    wan = int(floor / WAN)
    return f"{wan}万元" if floor == value else f"{wan}多万元"


def approx_area(square_metres: Decimal | int | float) -> str:
    """A floor area the way a report says it ("约210万平方米"; the 约 is in the sentence):
    whole 万平方米 from 10万 up, one decimal from 1万, plain square metres below."""
    value = Decimal(str(square_metres))
    if value >= SHI_WAN:
        return f"{(value / WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP)}万平方米"
    if value >= WAN:
        return formatting.area(value, places=1)
    return formatting.area(value, places=0)


def _count(value: Any) -> str:
    # The unit word (个, 家, 场) belongs to the sentence, not to the figure.
    return formatting.number(value)


def _shown(metric: Metric, value: Any) -> str:
    if metric.unit is Unit.YUAN:
        return formatting.money(value)
    if metric.unit is Unit.SQUARE_METRE:
        return approx_area(value)
    if metric.unit is Unit.PERCENT:
        return metric.format(value)
    if metric.unit is Unit.DAY:
        return formatting.number(value, places=1)
    return _count(value)


# --- the structure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One number of the text: a metric's value as of the briefing's day, and its records."""

    key: str
    label: str
    value: int | Decimal
    formatted: str
    unit: str
    url: str

    is_figure = True

    def __str__(self) -> str:
        return self.formatted


Part = str | Figure


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        return "".join(str(part) for part in self.parts)

    @property
    def figures(self) -> list[Figure]:
        return [part for part in self.parts if isinstance(part, Figure)]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Briefing:
    title: str
    zone_label: str
    zone_code: str
    as_of: dt.date
    sections: tuple[Section, ...]

    @property
    def text(self) -> str:
        """The whole text, headings and paragraphs one to a line (for tests and search)."""
        lines = [self.title]
        for section in self.sections:
            lines.append(section.heading)
            lines.extend(paragraph.text for paragraph in section.paragraphs)
        return "\n".join(lines)

    @property
    def figures(self) -> list[Figure]:
        """Every figure the text uses, once each, in the order they first appear."""
        seen: dict[str, Figure] = {}
        for section in self.sections:
            for paragraph in section.paragraphs:
                for figure in paragraph.figures:
                    seen.setdefault(figure.key, figure)
        return list(seen.values())


# --- putting sentences together --------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
Filler = Part | Sequence[Part]


def fill(message: str, **values: Filler) -> list[Part]:
    """A translated message with its `{name}` placeholders replaced by text, figures or runs
    of parts. A placeholder the message does not use is simply not shown; an unknown one is
    left as written, so a slip in a translation shows rather than breaks the page."""
    parts: list[Part] = []
    position = 0
    for match in _PLACEHOLDER.finditer(message):
        name = match.group(1)
        if name not in values:
            continue
        parts.append(message[position : match.start()])
        value = values[name]
        if isinstance(value, str | Figure):
            parts.append(value)
        else:
            parts.extend(value)
        position = match.end()
    parts.append(message[position:])
    return [part for part in parts if part != ""]


def join(runs: Iterable[Sequence[Part]], separator: str) -> list[Part]:
    joined: list[Part] = []
    for index, run in enumerate(runs):
        if index:
            joined.append(separator)
        joined.extend(run)
    return joined


def _list_separator() -> str:
    # Translators: between the items of a list inside a clause of the briefing: 、
    return pgettext("briefing list separator", ", ")


def _clause_separator() -> str:
    # Translators: between the clauses of one sentence of the briefing: ，
    return pgettext("briefing clause separator", ", ")


def _sentence_separator() -> str:
    # Translators: between the sentences of one paragraph of the briefing: ；
    return pgettext("briefing sentence separator", "; ")


def _full_stop() -> str:
    # Translators: at the end of a paragraph of the briefing: 。
    return pgettext("briefing full stop", ".")


def _paragraph(parts: Sequence[Part]) -> Paragraph:
    """Adjacent text merged into one run, so the structure stays small; a paragraph opening
    with a clause that is mid-sentence elsewhere ("no approval is overdue") gets its capital."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if merged and isinstance(merged[0], str):
        merged[0] = merged[0][:1].upper() + merged[0][1:]
    return Paragraph(tuple(merged))


def _sentence(clauses: Sequence[Sequence[Part]], separator: str | None = None) -> Paragraph:
    return _paragraph(
        [*join(clauses, separator or _clause_separator()), _full_stop()],
    )


# --- the figures -------------------------------------------------------------------------------


class _Figures:
    """The briefing's figures for one scope: each metric evaluated once."""

    def __init__(self, scope: MetricScope, zone_code: str) -> None:
        self.scope = scope
        self.query = urlencode(
            {"as_of": scope.as_of.isoformat(), **({"zone": zone_code} if zone_code else {})}
        )
        self._cache: dict[str, tuple[Metric, int | Decimal]] = {}
        self._values = Values(scope)

    def metric(self, key: str) -> tuple[Metric, int | Decimal] | None:
        if key not in self._cache:
            metric = registry.find(key)
            if metric is None:
                return None
            self._cache[key] = (metric, self._values(metric))
        return self._cache[key]

    def value(self, key: str) -> int | Decimal:
        found = self.metric(key)
        return found[1] if found is not None else 0

    def get(
        self, key: str, shown: Callable[[Any], str] | None = None, *, text: str | None = None
    ) -> Figure | None:
        """The figure of `key`, or None when there is nothing behind it (no such metric, or
        a value of nothing); `text` shows something else than the number (a project's name)
        but still links to the records."""
        found = self.metric(key)
        if found is None or not found[1]:
            return None
        metric, value = found
        return Figure(
            key=metric.key,
            label=str(metric.label),
            value=value,
            formatted=text if text is not None else (shown or (lambda v: _shown(metric, v)))(value),
            unit=metric.unit.symbol,
            url=f"{reverse('core:metric_detail', args=[metric.key])}?{self.query}",
        )

    def records(self, key: str) -> Any:
        return registry.get(key).records(self.scope)


# --- the sections ------------------------------------------------------------------------------


def _enterprises(figures: _Figures) -> Paragraph | None:
    total = figures.get("enterprises.total")
    if total is None:
        return None
    breakdown = []
    if above := figures.get("enterprises.above_scale"):
        # Translators: 规上企业{count}家
        breakdown.append(fill(_("{count} above designated size (规上)"), count=above))
    if high_tech := figures.get("enterprises.designation.high_tech"):
        # Translators: 高新技术企业{count}家
        breakdown.append(fill(_("{count} high-tech enterprises"), count=high_tech))
    if specialised := figures.get("enterprises.designation.specialised_any"):
        breakdown.append(
            # Translators: 专精特新企业{count}家
            fill(_("{count} specialised and innovative (专精特新)"), count=specialised)
        )
    if not breakdown:
        # Translators: 全区在库企业{total}家
        return _sentence([fill(_("The zone's registry holds {total} enterprises"), total=total)])
    return _sentence(
        [
            fill(
                # Translators: 全区在库企业{total}家，其中{breakdown}
                _("The zone's registry holds {total} enterprises, among them {breakdown}"),
                total=total,
                breakdown=join(breakdown, _list_separator()),
            )
        ]
    )


def campaign_param(scope: MetricScope) -> tuple[str, str] | None:
    """The campaign the briefing speaks of: the most recent one opened by the day that leads
    to 省级专精特新中小企业, else the most recent one opened by the day. Its key parameter
    (code, or id when it has none) and its name."""
    campaign = (
        Campaign.objects.filter(zone_id__in=scope.zone_ids, opens_on__lte=scope.as_of)
        .annotate(
            specialised=Case(
                When(designation_kind=DesignationKind.SPECIALISED_SME, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-specialised", "-opens_on", "-pk")
        .values("pk", "code", "name")
        .first()
    )
    if campaign is None:
        return None
    return campaign["code"] or str(campaign["pk"]), campaign["name"]


def award_batch_param(scope: MetricScope) -> tuple[str, str] | None:
    """The award batch with the latest payment on or before the day: its key parameter and
    its name."""
    batch = (
        Award.objects.filter(
            batch__zone_id__in=scope.zone_ids, status=AwardStatus.PAID, paid_on__lte=scope.as_of
        )
        .values("batch_id", "batch__code", "batch__name")
        .annotate(last_paid=Max("paid_on"))
        .order_by("-last_paid", "-batch_id")
        .first()
    )
    if batch is None:
        return None
    return batch["batch__code"] or str(batch["batch_id"]), batch["batch__name"]


def _campaign_title(name: str) -> str:
    # "2022年广东省专精特新中小企业申报" reads "申报2022年广东省专精特新中小企业" in a sentence.
    return name.removesuffix("申报").strip() or name


def _policy_work(figures: _Figures) -> Paragraph:
    sentences = []
    if events := figures.get("policies.events"):
        if attending := figures.get("policies.events.attending_enterprises"):
            sentences.append(
                fill(
                    # Translators: 先后举办政策宣讲会{events}场，{enterprises}家企业参加
                    _("{events} policy briefing sessions were held, attended by {enterprises} "
                      "enterprises"),
                    events=events,
                    enterprises=attending,
                )
            )  # fmt: skip
        else:
            # Translators: 先后举办政策宣讲会{events}场
            sentences.append(fill(_("{events} policy briefing sessions were held"), events=events))
    campaign = campaign_param(figures.scope)
    if campaign is not None:
        param, name = campaign
        if applying := figures.get(f"campaigns.applying.{param}"):
            sentences.append(
                fill(
                    # Translators: 组织{count}家企业申报{campaign}
                    _("{count} enterprises were organised to apply in {campaign}"),
                    count=applying,
                    campaign=_campaign_title(name),
                )
            )
    batch = award_batch_param(figures.scope)
    if batch is not None:
        param, name = batch
        paid = figures.get(f"awards.paid.{param}", approx_wan)
        enterprises = figures.get(f"awards.paid_enterprises.{param}")
        if paid is not None and enterprises is not None:
            sentences.append(
                fill(
                    # Translators: 及时拨付{batch}共{amount}，惠及区内{count}家企业
                    _("{amount} of {batch} was paid out, benefiting {count} enterprises"),
                    batch=name,
                    amount=paid,
                    count=enterprises,
                )
            )
    if not sentences:
        return _paragraph(
            # Translators: 暂无政策宣讲、企业申报和奖励资金兑现记录。
            [_("No policy briefing sessions, applications or award payments are recorded yet.")]
        )
    return _sentence(sentences, _sentence_separator())


def _spaces(figures: _Figures) -> Paragraph:
    total = figures.get("spaces.area.total")
    if total is None:
        # Translators: 暂无产业新空间记录。
        return _paragraph([_("No industrial spaces are recorded yet.")])
    clauses = []
    building = figures.get("spaces.count.building")
    building_area = figures.get("spaces.area.building")
    if building is not None and building_area is not None:
        clauses.append(
            fill(
                # Translators: 目前在建{count}个产业新空间项目，总建筑面积约{area}，
                # 建成后全区产业新空间总建筑面积将达到约{total}
                _("{count} industrial spaces are under construction with a total floor area of "
                  "about {area}; once they are built the zone's industrial spaces will total "
                  "about {total}"),
                count=building,
                area=building_area,
                total=total,
            )
        )  # fmt: skip
    else:
        clauses.append(
            fill(
                # Translators: 全区产业新空间总建筑面积约{total}，暂无在建项目
                _("The zone's industrial spaces total about {total}, none under construction"),
                total=total,
            )
        )
    if tenants := figures.get("projects.space.reached.planned"):
        clauses.append(
            fill(
                # Translators: 加快推进产业新空间{count}个项目落地投产
                _("{count} projects for the spaces are being pushed to settle and produce"),
                count=tenants,
            )
        )
    return _sentence(clauses, _sentence_separator())


def _space_projects(figures: _Figures) -> Paragraph:
    """The article's sentence: 目前，96个项目已签约并将入驻，其中已注册65个、正在装修37个、
    已投产12个，固定资产投资预计达32.48亿元，预计新增上规企业47家，预计全年产值可达57.33亿元。"""
    signed = figures.get("projects.space.reached.signed")
    if signed is None:
        # Translators: 目前暂无已签约入驻产业新空间的项目。
        return _paragraph([_("No project has signed to move into the industrial spaces yet.")])
    # Translators: 目前，{count}个项目已签约并将入驻
    clauses = [fill(_("At present, {count} projects have signed and will move in"), count=signed)]
    breakdown = []
    if registered := figures.get("projects.space.reached.registered"):
        # Translators: 已注册{count}个
        breakdown.append(fill(_("{count} registered"), count=registered))
    if fitting_out := figures.get("projects.space.current.fitting_out"):
        # Translators: 正在装修{count}个
        breakdown.append(fill(_("{count} fitting out"), count=fitting_out))
    if producing := figures.get("projects.space.reached.in_production"):
        # Translators: 已投产{count}个
        breakdown.append(fill(_("{count} in production"), count=producing))
    if breakdown:
        clauses.append(
            # Translators: 其中{breakdown}
            fill(_("of which {breakdown}"), breakdown=join(breakdown, _list_separator()))
        )
    if investment := figures.get("projects.space.signed.fixed_asset_investment"):
        clauses.append(
            # Translators: 固定资产投资预计达{amount}
            fill(_("fixed-asset investment is expected to reach {amount}"), amount=investment)
        )
    if above := figures.get("projects.space.signed.expected_above_scale"):
        clauses.append(
            fill(
                # Translators: 预计新增上规企业{count}家
                _("{count} are expected to become enterprises above designated size (上规)"),
                count=above,
            )
        )
    if output := figures.get("projects.space.signed.expected_output"):
        # Translators: 预计全年产值可达{amount}
        clauses.append(fill(_("annual output is expected to reach {amount}"), amount=output))
    return _sentence(clauses)


def _land(figures: _Figures) -> Paragraph:
    clauses = []
    same_day_count = figures.value("projects.land_to_construction.same_day")
    if same_day_count:
        names = list(
            figures.records("projects.land_to_construction.same_day").values_list(
                "name", flat=True
            )[:2]
        )
        if same_day_count == 1:
            project = figures.get("projects.land_to_construction.same_day", text=names[0])
            clauses.append(
                fill(
                    # Translators: 推动{project}实现从拿地到动工的“无缝衔接”（拿地即开工）
                    _("{project} started construction the day it got its land (拿地即开工)"),
                    project=project or names[0],
                )
            )
        else:
            clauses.append(
                fill(
                    # Translators: 推动{names}等{count}个项目
                    # 实现从拿地到动工的“无缝衔接”（拿地即开工）
                    _("{count} projects, {names} among them, started construction the day they "
                      "got their land (拿地即开工)"),
                    names=_list_separator().join(names),
                    count=figures.get("projects.land_to_construction.same_day"),
                )
            )  # fmt: skip
    average_key = "projects.land_to_construction.average_days"
    started = figures.records(average_key).count() if figures.metric(average_key) else 0
    # When every project that started did so the day it got its land, the average (0 days)
    # says nothing the sentence before has not said.
    if started and started > (same_day_count or 0):
        average = figures.get(average_key) or _zero_days(figures, average_key)
        clauses.append(
            fill(
                # Translators: 产业用地项目从拿地到动工平均用时{days}天
                _("land projects took {days} days on average from land to construction"),
                days=average,
            )
        )
    if not clauses:
        # Translators: 暂无拿地后动工的产业用地项目。
        return _paragraph([_("No land project has started construction yet.")])
    return _sentence(clauses)


def _zero_days(figures: _Figures, key: str) -> Figure:
    """An average of 0 days is a result (every project 拿地即开工), not an empty figure."""
    metric, value = figures.metric(key) or (registry.get(key), Decimal(0))
    return Figure(
        key=key,
        label=str(metric.label),
        value=value,
        formatted=formatting.number(value, places=1),
        unit=metric.unit.symbol,
        url=f"{reverse('core:metric_detail', args=[key])}?{figures.query}",
    )


def _approvals_and_blockers(figures: _Figures) -> Paragraph:
    sentences = []
    if done := figures.get("approvals.done"):
        # Translators: 累计办结审批事项{count}个
        sentences.append(fill(_("{count} approvals have been completed"), count=done))
    open_blockers = figures.get("blockers.open")
    overdue_blockers = figures.get("blockers.overdue")
    if open_blockers is None:
        # Translators: 目前暂无未解决的难点堵点
        sentences.append([_("no blocker (难点堵点) is open")])
    elif overdue_blockers is None:
        sentences.append(
            # Translators: 目前尚有难点堵点{count}个未解决，均未逾期
            fill(_("{count} blockers (难点堵点) are open, none overdue"), count=open_blockers)
        )
    else:
        sentences.append(
            fill(
                # Translators: 目前尚有难点堵点{count}个未解决，其中逾期{overdue}个
                _("{count} blockers (难点堵点) are open, {overdue} of them overdue"),
                count=open_blockers,
                overdue=overdue_blockers,
            )
        )
    late_approvals = figures.get("approvals.overdue")
    late_documents = figures.get("approvals.pending_documents_overdue")
    if late_approvals is not None:
        # Translators: 逾期审批事项{count}个
        sentences.append(fill(_("{count} approvals are overdue"), count=late_approvals))
    if late_documents is not None:
        sentences.append(
            fill(
                # Translators: 容缺受理事项中补齐材料逾期{count}个
                _("{count} approvals accepted with documents owed (容缺受理) are past the "
                  "documents' deadline"),
                count=late_documents,
            )
        )  # fmt: skip
    if late_approvals is None and late_documents is None:
        # Translators: 暂无逾期审批事项
        sentences.append([_("no approval is overdue")])
    return _sentence(sentences, _sentence_separator())


def compose(scope: MetricScope, *, zone_label: str, zone_code: str = "") -> Briefing:
    """The briefing of these zones as things stood at the end of `scope.as_of`. `zone_code`
    goes into the figures' links when the briefing is of one zone."""
    figures = _Figures(scope, zone_code)
    policy = [p for p in (_enterprises(figures), _policy_work(figures)) if p is not None]
    sections = (
        # Translators: 企业服务与政策兑现
        Section(_("Enterprise services and policy support"), tuple(policy)),
        Section(
            # Translators: 产业空间与项目落地
            _("Industrial spaces and tenant projects"),
            (_spaces(figures), _space_projects(figures)),
        ),
        Section(
            # Translators: 审批服务与难点堵点
            _("Approvals and blockers"),
            (_land(figures), _approvals_and_blockers(figures)),
        ),
    )
    return Briefing(
        # Translators: {zone}产业工作简报（截至{date}）
        title=_("{zone} industrial work briefing (as of {date})").format(
            zone=zone_label, date=date_format(scope.as_of, "DATE_FORMAT")
        ),
        zone_label=zone_label,
        zone_code=zone_code,
        as_of=scope.as_of,
        sections=sections,
    )


# --- the downloads -----------------------------------------------------------------------------


def to_docx(briefing: Briefing) -> bytes:
    """The briefing as a Word document: the same text, without the links."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1"):
        style = document.styles[style_name]
        # Word picks the East Asian font separately; without it Chinese falls back unevenly.
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "宋体" if style_name == "Normal" else "黑体")
    document.core_properties.title = briefing.title
    document.add_heading(briefing.title, level=0)
    for section in briefing.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def to_xlsx(briefing: Briefing) -> bytes:
    """Every figure the text uses: key, label, value, unit, as-of, zone (and how it is shown)."""
    headers = [_("Key"), _("Figure"), _("Value"), _("Unit"), _("As of"), _("Zone"), _("Shown as")]
    rows = (
        [
            figure.key,
            figure.label,
            figure.value,
            figure.unit,
            briefing.as_of,
            briefing.zone_label,
            figure.formatted,
        ]
        for figure in briefing.figures
    )
    return write_workbook(headers, rows, sheet_name=_("Figures"), title=briefing.title)


def filename(briefing: Briefing, extension: str) -> str:
    zone = briefing.zone_code or "all"
    return f"briefing-{zone}-{briefing.as_of:%Y%m%d}.{extension}"
