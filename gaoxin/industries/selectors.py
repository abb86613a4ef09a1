"""Reading the industry system, always through the access rules, and the strength of each
chain segment computed in SQL (so a map or a figure costs the same few queries however many
segments and enterprises there are)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, TypeVar

from django.db.models import (
    Case,
    CharField,
    F,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import Promise

from gaoxin.core import figure_cache
from gaoxin.core.access import get_for_user, scope
from gaoxin.industries import access
from gaoxin.industries.models import (
    ChainSegment,
    Industry,
    IndustryGroup,
    Position,
    Strength,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from gaoxin.accounts.models import User

TOP_ENTERPRISES = 3


# --- access -------------------------------------------------------------------------------


def group_list_for_user(user: User, *, write: bool = False) -> QuerySet[IndustryGroup]:
    return scope(user, IndustryGroup.objects.all(), access.INDUSTRY_GROUP, write=write)


def group_get_for_user(user: User, pk: Any, *, write: bool = False) -> IndustryGroup:
    return get_for_user(
        user, IndustryGroup.objects.select_related("zone"), pk, access.INDUSTRY_GROUP, write=write
    )


def industry_list_for_user(user: User, *, write: bool = False) -> QuerySet[Industry]:
    return scope(user, Industry.objects.all(), access.INDUSTRY, write=write)


def industry_get_for_user(user: User, pk: Any, *, write: bool = False) -> Industry:
    return get_for_user(
        user, Industry.objects.select_related("zone", "group"), pk, access.INDUSTRY, write=write
    )


def segment_get_for_user(user: User, pk: Any, *, write: bool = False) -> ChainSegment:
    return get_for_user(
        user,
        ChainSegment.objects.select_related("industry", "industry__zone", "parent"),
        pk,
        access.SEGMENT,
        write=write,
    )


def segment_strength_get_for_user(user: User, pk: Any) -> ChainSegment:
    """The segment whose strength this user may set by hand (officers and administrators)."""
    return get_for_user(
        user,
        ChainSegment.objects.select_related("industry"),
        pk,
        access.SEGMENT_STRENGTH,
        write=True,
    )


# --- strength -----------------------------------------------------------------------------


# The badge shows the domain's own word for a strength, whatever the page's language.
BADGES = {Strength.STRONG.value: "强", Strength.WEAK.value: "弱", Strength.MISSING.value: "缺"}


def strength_of(count: int, weak_max: int) -> str:
    """缺 with no enterprise, 弱 with up to `weak_max`, 强 above."""
    if count <= 0:
        return Strength.MISSING
    if count <= weak_max:
        return Strength.WEAK
    return Strength.STRONG


# The enterprises that fill a chain are the registry's, a floor above: the enterprises app
# registers how they are counted (in its AppConfig.ready), so this app never names them.


@dataclass(frozen=True)
class ChainMembers:
    """How the enterprises of the industry system are read.

    segment_count(as_of): an aggregate over a ChainSegment, the enterprises it counts.
    top(segment_ids, limit): the key enterprises of each segment, {segment id: [enterprise]}.
    industry_counts(today): annotations of an Industry: `enterprise_count`,
        `above_scale_count` and `specialised_count`.
    """

    segment_count: Callable[[dt.date | None], Any]
    top: Callable[[list[int], int], dict[int, list[Any]]]
    industry_counts: Callable[[dt.date], dict[str, Any]]


_members: list[ChainMembers] = []


def register_chain_members(members: ChainMembers) -> None:
    _members[:] = [members]


def _chain_members() -> ChainMembers:
    if not _members:
        raise LookupError("no app registered how a chain segment's enterprises are counted")
    return _members[0]


class StrengthAnnotations(TypedDict):
    enterprise_count: int
    computed_strength: str
    strength: str


S = TypeVar("S", bound=ChainSegment)
if TYPE_CHECKING:
    StrengthSegment = WithAnnotations[ChainSegment, StrengthAnnotations]


def with_strength(
    queryset: QuerySet[ChainSegment], *, as_of: dt.date | None = None
) -> QuerySet[StrengthSegment]:
    """Annotate `enterprise_count`, `computed_strength` and `strength` (the override if one is
    set, else the computed one) in SQL."""
    counted = queryset.annotate(enterprise_count=_chain_members().segment_count(as_of))
    computed = Case(
        When(enterprise_count=0, then=Value(Strength.MISSING.value)),
        When(enterprise_count__lte=F("industry__weak_max"), then=Value(Strength.WEAK.value)),
        default=Value(Strength.STRONG.value),
        output_field=CharField(),
    )
    return counted.annotate(
        computed_strength=computed,
        strength=Coalesce(NullIf(F("strength_override"), Value("")), computed),
    )


def segment_strengths(zone_ids: list[int]) -> dict[int, str]:
    """{segment id: its strength as `with_strength` gives it} for the zones' segments, read
    through the figures cache (core/figure_cache.py): counting every segment's enterprises
    joins the zones' enterprises (half a second in a zone of 33,334), and a form that labels
    its segments by strength is opened far more often than the chains change."""
    zone_ids = sorted(set(zone_ids))

    def compute() -> dict[int, str]:
        rows = with_strength(ChainSegment.objects.filter(industry__zone_id__in=zone_ids))
        return dict(rows.values_list("pk", "strength").order_by())

    return figure_cache.cached(
        zone_ids, timezone.localdate(), "industries.segment_strengths", compute
    )


def segments_by_strength(
    segment_queryset: QuerySet[ChainSegment], strength: str, *, as_of: dt.date | None = None
) -> QuerySet[StrengthSegment]:
    return with_strength(segment_queryset, as_of=as_of).filter(strength=strength)


# --- the industry map ---------------------------------------------------------------------


@dataclass
class SegmentCard:
    segment: StrengthSegment
    depth: int
    top: list[Any] = field(default_factory=list)

    @property
    def strength(self) -> str:
        return self.segment.strength

    @property
    def strength_label(self) -> str | Promise:
        return Strength(self.segment.strength).label

    @property
    def badge(self) -> str:
        return BADGES[self.segment.strength]

    @property
    def is_overridden(self) -> bool:
        return bool(self.segment.strength_override)


@dataclass
class IndustryMap:
    industry: Industry
    columns: list[tuple[str, Any, list[SegmentCard]]]
    targets: list[SegmentCard]


def _tree_order(segments: list[S]) -> list[tuple[S, int]]:
    """Segments with their depth, each parent followed by its children (within a column a
    child whose parent sits in another column starts a tree of its own)."""
    by_parent: dict[int | None, list[S]] = defaultdict(list)
    ids = {s.pk for s in segments}
    for segment in segments:
        parent = segment.parent_id if segment.parent_id in ids else None
        by_parent[parent].append(segment)
    ordered: list[tuple[S, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for segment in by_parent.get(parent, []):
            if segment.pk in seen:
                continue
            seen.add(segment.pk)
            ordered.append((segment, depth))
            walk(segment.pk, depth + 1)

    walk(None, 0)
    return ordered


def top_enterprises(segment_ids: list[int], *, limit: int = TOP_ENTERPRISES) -> dict[int, list]:
    """The key enterprises of each segment (规上 first, then by registered capital)."""
    if not segment_ids:
        return {}
    return _chain_members().top(segment_ids, limit)


def industry_map(industry: Industry) -> IndustryMap:
    """The map of one industry: three columns of segment cards and the 补链 targets.
    Two queries whatever the size of the chain."""
    segments = list(with_strength(industry.segments.all()).order_by("position", "order", "name"))
    for segment in segments:
        segment.industry = industry  # the cards need no query to reach it
    tops = top_enterprises([s.pk for s in segments])
    cards: dict[str, list[SegmentCard]] = {p.value: [] for p in Position}
    for segment, depth in _tree_order(segments):
        cards[segment.position].append(SegmentCard(segment, depth, tops.get(segment.pk, [])))
    columns = [(p.value, p.label, cards[p.value]) for p in Position]
    order = {Strength.MISSING.value: 0, Strength.WEAK.value: 1}
    targets = sorted(
        (card for _, _, column in columns for card in column if card.strength in order),
        key=lambda card: (order[card.strength], card.segment.position, card.segment.order),
    )
    return IndustryMap(industry=industry, columns=columns, targets=targets)


# --- the overview -------------------------------------------------------------------------


COUNT_NAMES = ("enterprise_count", "above_scale_count", "specialised_count")


def overview_industries(user: User, *, today: dt.date | None = None) -> list[Industry]:
    """The user's industries, each with `enterprise_count`, `above_scale_count` and
    `specialised_count` and a `strengths` dict {strength: number of segments}. The counts (a
    scan of the zones' enterprises and chain links: a second in a zone of 33,334) are read
    through the figures cache (core/figure_cache.py) as values per industry of the zones."""
    today = today or timezone.localdate()
    industries = list(
        industry_list_for_user(user)
        .select_related("group", "zone")
        .order_by("zone__code", "group__order", "group__name", "order", "name")
    )
    zone_ids = sorted({industry.zone_id for industry in industries})
    counts, tallies = figure_cache.cached(
        zone_ids, today, "industries.overview", lambda: _overview_counts(zone_ids, today)
    )
    for industry in industries:
        found = counts.get(industry.pk, (0, 0, 0))
        for name, count in zip(COUNT_NAMES, found, strict=True):
            setattr(industry, name, count)
        industry.strengths = {
            **dict.fromkeys(Strength.values, 0),
            **tallies.get(industry.pk, {}),
        }
    return industries


def _overview_counts(
    zone_ids: list[int], today: dt.date
) -> tuple[dict[int, tuple[int, int, int]], dict[int, dict[str, int]]]:
    """{industry id: (enterprises, 规上, 专精特新)} and {industry id: {strength: segments}} of
    the zones' industries: two queries."""
    counts = {
        pk: (enterprises, above, specialised)
        for pk, enterprises, above, specialised in Industry.objects.filter(zone_id__in=zone_ids)
        .annotate(**_chain_members().industry_counts(today))
        .values_list("pk", *COUNT_NAMES)
        .order_by()
    }
    tallies: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        with_strength(ChainSegment.objects.filter(industry__zone_id__in=zone_ids))
        .values("industry_id", "strength")
        .order_by()
    )
    for row in rows:
        tally = tallies[row["industry_id"]]
        tally[row["strength"]] = tally.get(row["strength"], 0) + 1
    return counts, dict(tallies)
