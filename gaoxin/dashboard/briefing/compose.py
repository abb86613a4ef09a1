"""The work briefing (工作简报): the zone's report written from live figures.

`compose` builds one structure — sections → paragraphs → parts, each part either text or a
`Figure` (a registered metric's value, how it is shown, and the link to its records) — and the
page, the .docx and the .xlsx (render.py) are all rendered from it, so they cannot disagree.

Every sentence is one translatable message with `{name}` placeholders; the translated message is
split at its placeholders and the figures are put in, so a translator keeps the whole sentence
and its word order (the Chinese, in the register of the source article, is in the translator
comments). A figure whose records are empty is left out, or its sentence says 暂无: the text
never reads "0个项目已签约".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Case, IntegerField, Max, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from gaoxin.campaigns.models import Award, AwardStatus, Campaign
from gaoxin.core import formatting
from gaoxin.core.figures import Figure, Figures
from gaoxin.core.metrics import Metric, MetricScope, Unit
from gaoxin.economy.figures.metrics import period_of
from gaoxin.economy.models import Indicator
from gaoxin.enterprises.models import DesignationKind

# --- how the briefing shows its figures --------------------------------------------------------


def _shown(metric: Metric, value: Any) -> str:
    # The unit word of a count (个, 家, 场) belongs to the sentence, not to the figure; an area
    # is said the way a report says it (formatting.approx_area).
    if metric.unit is Unit.YUAN:
        return formatting.money(value)
    if metric.unit is Unit.SQUARE_METRE:
        return formatting.approx_area(value)
    if metric.unit is Unit.PERCENT:
        return metric.format(value)
    if metric.unit is Unit.DAY:
        return formatting.number(value, places=1)
    return formatting.number(value)


# --- the structure ---------------------------------------------------------------------------


Part = str | Figure
T = TypeVar("T")


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


def _n(figure: Figure | None) -> int:
    """The number that chooses a message's plural form ("1 project has", "2 projects have")."""
    try:
        return int(figure.value) if figure is not None else 0
    except (TypeError, ValueError):
        return 0


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


def _cached(figures: Figures, name: str, read: Callable[[MetricScope], T]) -> T:
    """What the text reads from the records besides the metrics' values (which campaign it
    speaks of, the month of the economy's figures), through the figures cache
    (core/figure_cache.py): values, never text, so each reader's language writes the text."""
    return figures.cached(name, lambda: read(figures.scope))


def _present(
    figures: Figures,
    key: str,
    shown: Callable[[Any], str] | None = None,
    *,
    text: str | None = None,
) -> Figure | None:
    """The figure of `key` as the text says it, or None when there is nothing behind it (no
    such metric, or a value of nothing): the text never reads "0个项目已签约". `text` shows
    something else than the number (a project's name) but still links to the records."""
    figure = figures.get(key)
    if figure is None or not figure.value:
        return None
    if text is not None:
        return figure.shown_as(text)
    return figure.shown_as((shown or (lambda v: _shown(figure.metric, v)))(figure.value))


# --- the sections ------------------------------------------------------------------------------


def _enterprises(figures: Figures) -> Paragraph | None:
    total = _present(figures, "enterprises.total")
    if total is None:
        return None
    breakdown = []
    if above := _present(figures, "enterprises.above_scale"):
        # Translators: 规上企业{count}家
        breakdown.append(fill(_("{count} above designated size (规上)"), count=above))
    if high_tech := _present(figures, "enterprises.designation.high_tech"):
        # Translators: 高新技术企业{count}家
        breakdown.append(
            fill(
                ngettext(
                    "{count} high-tech enterprise", "{count} high-tech enterprises", _n(high_tech)
                ),
                count=high_tech,
            )
        )
    if specialised := _present(figures, "enterprises.designation.specialised_any"):
        breakdown.append(
            # Translators: 专精特新企业{count}家
            fill(_("{count} specialised and innovative (专精特新)"), count=specialised)
        )
    if not breakdown:
        # Translators: 全区在库企业{total}家
        return _sentence(
            [
                fill(
                    ngettext(
                        "The zone's registry holds {total} enterprise",
                        "The zone's registry holds {total} enterprises",
                        _n(total),
                    ),
                    total=total,
                )
            ]
        )
    return _sentence(
        [
            fill(
                # Translators: 全区在库企业{total}家，其中{breakdown}
                ngettext(
                    "The zone's registry holds {total} enterprise, among them {breakdown}",
                    "The zone's registry holds {total} enterprises, among them {breakdown}",
                    _n(total),
                ),
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


def _policy_work(figures: Figures) -> Paragraph:
    sentences = []
    if events := _present(figures, "policies.events"):
        if attending := _present(figures, "policies.events.attending_enterprises"):
            sentences.append(
                fill(
                    # Translators: 先后举办政策宣讲会{events}场，{enterprises}家企业参加
                    ngettext("{events} policy briefing session was held, attended by "
                             "{enterprises} enterprises",
                             "{events} policy briefing sessions were held, attended by "
                             "{enterprises} enterprises", _n(events)),
                    events=events,
                    enterprises=attending,
                )
            )  # fmt: skip
        else:
            # Translators: 先后举办政策宣讲会{events}场
            sentences.append(
                fill(
                    ngettext(
                        "{events} policy briefing session was held",
                        "{events} policy briefing sessions were held",
                        _n(events),
                    ),
                    events=events,
                )
            )
    campaign = _cached(figures, "briefing.campaign", campaign_param)
    if campaign is not None:
        param, name = campaign
        if applying := _present(figures, f"campaigns.applying.{param}"):
            sentences.append(
                fill(
                    # Translators: 组织{count}家企业申报{campaign}
                    ngettext(
                        "{count} enterprise was organised to apply in {campaign}",
                        "{count} enterprises were organised to apply in {campaign}",
                        _n(applying),
                    ),
                    count=applying,
                    campaign=_campaign_title(name),
                )
            )
    batch = _cached(figures, "briefing.award_batch", award_batch_param)
    if batch is not None:
        param, name = batch
        paid = _present(figures, f"awards.paid.{param}", formatting.approx_wan)
        enterprises = _present(figures, f"awards.paid_enterprises.{param}")
        if paid is not None and enterprises is not None:
            sentences.append(
                fill(
                    # Translators: 及时拨付{batch}共{amount}，惠及区内{count}家企业
                    ngettext(
                        "{amount} of {batch} was paid out, benefiting {count} enterprise",
                        "{amount} of {batch} was paid out, benefiting {count} enterprises",
                        _n(enterprises),
                    ),
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


def _spaces(figures: Figures) -> Paragraph:
    total = _present(figures, "spaces.area.total")
    if total is None:
        # Translators: 暂无产业新空间记录。
        return _paragraph([_("No industrial spaces are recorded yet.")])
    clauses = []
    building = _present(figures, "spaces.count.building")
    building_area = _present(figures, "spaces.area.building")
    if building is not None and building_area is not None:
        clauses.append(
            fill(
                # Translators: 目前在建{count}个产业新空间项目，总建筑面积约{area}，
                # 建成后全区产业新空间总建筑面积将达到约{total}
                ngettext("{count} industrial space is under construction with a floor area of "
                         "about {area}; once it is built the zone's industrial spaces will total "
                         "about {total}",
                         "{count} industrial spaces are under construction with a total floor "
                         "area of about {area}; once they are built the zone's industrial spaces "
                         "will total about {total}", _n(building)),
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
    if tenants := _present(figures, "projects.space.reached.planned"):
        clauses.append(
            fill(
                # Translators: 加快推进产业新空间{count}个项目落地投产
                ngettext(
                    "{count} project for the spaces is being pushed to settle and produce",
                    "{count} projects for the spaces are being pushed to settle and produce",
                    _n(tenants),
                ),
                count=tenants,
            )
        )
    return _sentence(clauses, _sentence_separator())


def _space_projects(figures: Figures) -> Paragraph:
    """The article's sentence: 目前，96个项目已签约并将入驻，其中已注册65个、正在装修37个、
    已投产12个，固定资产投资预计达32.48亿元，预计新增上规企业47家，预计全年产值可达57.33亿元。"""
    signed = _present(figures, "projects.space.reached.signed")
    if signed is None:
        # Translators: 目前暂无已签约入驻产业新空间的项目。
        return _paragraph([_("No project has signed to move into the industrial spaces yet.")])
    # Translators: 目前，{count}个项目已签约并将入驻
    clauses = [
        fill(
            ngettext(
                "At present, {count} project has signed and will move in",
                "At present, {count} projects have signed and will move in",
                _n(signed),
            ),
            count=signed,
        )
    ]
    breakdown = []
    if registered := _present(figures, "projects.space.reached.registered"):
        # Translators: 已注册{count}个
        breakdown.append(fill(_("{count} registered"), count=registered))
    if fitting_out := _present(figures, "projects.space.current.fitting_out"):
        # Translators: 正在装修{count}个
        breakdown.append(fill(_("{count} fitting out"), count=fitting_out))
    if producing := _present(figures, "projects.space.reached.in_production"):
        # Translators: 已投产{count}个
        breakdown.append(fill(_("{count} in production"), count=producing))
    if breakdown:
        clauses.append(
            # Translators: 其中{breakdown}
            fill(_("of which {breakdown}"), breakdown=join(breakdown, _list_separator()))
        )
    if investment := _present(figures, "projects.space.signed.fixed_asset_investment"):
        clauses.append(
            # Translators: 固定资产投资预计达{amount}
            fill(_("fixed-asset investment is expected to reach {amount}"), amount=investment)
        )
    if above := _present(figures, "projects.space.signed.expected_above_scale"):
        clauses.append(
            fill(
                # Translators: 预计新增上规企业{count}家
                ngettext(
                    "{count} is expected to become an enterprise above designated size (上规)",
                    "{count} are expected to become enterprises above designated size (上规)",
                    _n(above),
                ),
                count=above,
            )
        )
    if output := _present(figures, "projects.space.signed.expected_output"):
        # Translators: 预计全年产值可达{amount}
        clauses.append(fill(_("annual output is expected to reach {amount}"), amount=output))
    return _sentence(clauses)


def _land(figures: Figures) -> Paragraph:
    clauses = []
    same_day_count = figures.value("projects.land_to_construction.same_day")
    if same_day_count:
        names = figures.cached(
            "briefing.land.same_day_names",
            lambda: list(
                figures.records("projects.land_to_construction.same_day").values_list(
                    "name", flat=True
                )[:2]
            ),
        )
        if same_day_count == 1:
            project = _present(figures, "projects.land_to_construction.same_day", text=names[0])
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
                    count=_present(figures, "projects.land_to_construction.same_day")
                    or str(same_day_count),
                )
            )  # fmt: skip
    average_key = "projects.land_to_construction.average_days"
    average = figures.get(average_key)
    started = (
        figures.cached("briefing.land.started", lambda: figures.records(average_key).count())
        if average is not None
        else 0
    )
    # When every project that started did so the day it got its land, the average (0 days)
    # says nothing the sentence before has not said; otherwise 0 days is a result (every
    # project 拿地即开工), not an empty figure, so it is shown.
    if average is not None and started > same_day_count:
        clauses.append(
            fill(
                # Translators: 产业用地项目从拿地到动工平均用时{days}天
                _("land projects took {days} days on average from land to construction"),
                days=average.shown_as(_shown(average.metric, average.value)),
            )
        )
    if not clauses:
        # Translators: 暂无拿地后动工的产业用地项目。
        return _paragraph([_("No land project has started construction yet.")])
    return _sentence(clauses)


def _approvals_and_blockers(figures: Figures) -> Paragraph:
    sentences = []
    if done := _present(figures, "approvals.done"):
        # Translators: 累计办结审批事项{count}个
        sentences.append(
            fill(
                ngettext(
                    "{count} approval has been completed",
                    "{count} approvals have been completed",
                    _n(done),
                ),
                count=done,
            )
        )
    open_blockers = _present(figures, "blockers.open")
    overdue_blockers = _present(figures, "blockers.overdue")
    if open_blockers is None:
        # Translators: 目前暂无未解决的难点堵点
        sentences.append([_("no blocker (难点堵点) is open")])
    elif overdue_blockers is None:
        sentences.append(
            # Translators: 目前尚有难点堵点{count}个未解决，均未逾期
            fill(
                ngettext(
                    "{count} blocker (难点堵点) is open, not overdue",
                    "{count} blockers (难点堵点) are open, none overdue",
                    _n(open_blockers),
                ),
                count=open_blockers,
            )
        )
    else:
        sentences.append(
            fill(
                # Translators: 目前尚有难点堵点{count}个未解决，其中逾期{overdue}个
                ngettext(
                    "{count} blocker (难点堵点) is open, and it is overdue",
                    "{count} blockers (难点堵点) are open, {overdue} of them overdue",
                    _n(open_blockers),
                ),
                count=open_blockers,
                overdue=overdue_blockers,
            )
        )
    late_approvals = _present(figures, "approvals.overdue")
    late_documents = _present(figures, "approvals.pending_documents_overdue")
    if late_approvals is not None:
        # Translators: 逾期审批事项{count}个
        sentences.append(
            fill(
                ngettext(
                    "{count} approval is overdue",
                    "{count} approvals are overdue",
                    _n(late_approvals),
                ),
                count=late_approvals,
            )
        )
    if late_documents is not None:
        sentences.append(
            fill(
                # Translators: 容缺受理事项中补齐材料逾期{count}个
                ngettext("{count} approval accepted with documents owed (容缺受理) is past "
                         "the documents' deadline",
                         "{count} approvals accepted with documents owed (容缺受理) are past "
                         "the documents' deadline", _n(late_documents)),
                count=late_documents,
            )
        )  # fmt: skip
    if late_approvals is None and late_documents is None:
        # Translators: 暂无逾期审批事项
        sentences.append([_("no approval is overdue")])
    return _sentence(sentences, _sentence_separator())


# The economy's paragraph: 规上工业总产值, then the zone's revenue and tax, each with its 同比.
ECONOMY_FIGURES = (("output", ".group.above"), ("revenue", ""), ("tax", ""))


def _growth_clause(figure: Figure | None) -> list[Part]:
    """同比增长…% / 同比下降…%, linking to the growth's records; nothing when it cannot be
    computed (no figures last year)."""
    if figure is None or not isinstance(figure.value, Decimal) or figure.value.is_nan():
        return []
    if figure.value < 0:
        shown = figure.shown_as(figure.metric.format(-figure.value))
        # Translators: 同比下降{growth}
        return fill(_("down {growth} on the same period last year"), growth=shown)
    # Translators: 同比增长{growth}
    return fill(_("up {growth} on the same period last year"), growth=figure)


def _economy(figures: Figures) -> Paragraph | None:
    """The article's sentence: 1–6月，全区规上工业总产值…亿元，同比增长…%；
    营业收入…亿元，同比增长…%。 None when the zone has no figures for the year to date."""
    period = _cached(figures, "briefing.economy.period", period_of)
    names = _cached(
        figures,
        "briefing.economy.indicators",
        lambda scope: dict(Indicator.objects.values_list("code", "name")),
    )
    sentences: list[list[Part]] = []
    for code, suffix in ECONOMY_FIGURES:
        amount = _present(figures, f"economy.ytd.{code}{suffix}")
        if amount is None or code not in names:
            continue
        if not sentences and suffix:
            # Translators: {period}，全区规上{indicator}{amount}
            message = _(
                "{period}, the zone's {indicator} above designated size (规上) was {amount}"
            )
        elif not sentences:
            # Translators: {period}，全区{indicator}{amount}
            message = _("{period}, the zone's {indicator} was {amount}")
        elif suffix:
            # Translators: 规上{indicator}{amount}
            message = _("{indicator} above designated size (规上) {amount}")
        else:
            # Translators: {indicator}{amount}
            message = _("{indicator} {amount}")
        clause = fill(
            message,
            period=f"{period.year}年{period.ytd_label}",
            indicator=names[code],
            amount=amount,
        )
        growth = _growth_clause(figures.get(f"economy.growth.{code}{suffix}"))
        sentences.append(join([clause, growth], _clause_separator()) if growth else clause)
    if not sentences:
        return None
    return _sentence(sentences, _sentence_separator())


def compose(scope: MetricScope, *, zone_label: str, zone_code: str = "") -> Briefing:
    """The briefing of these zones as things stood at the end of `scope.as_of`. `zone_code`
    goes into the figures' links when the briefing is of one zone."""
    figures = Figures(scope, zone_code=zone_code)
    policy = [p for p in (_enterprises(figures), _policy_work(figures)) if p is not None]
    economy = _economy(figures)
    sections = (
        *(
            # Translators: 经济运行
            [Section(_("The economy"), (economy,))] if economy is not None else []
        ),
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
