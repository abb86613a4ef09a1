"""Figures of the industry system: chain segments by strength."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Said, Unit, metric, subject
from gaoxin.industries.models import ChainSegment, Strength
from gaoxin.industries.selectors import with_strength

# --- how reports write these figures (数据核对) ------------------------------------------------

# One industry, named by its name ("储能产业企业35家"): the families over industries give the
# names (MetricFamily.names); the industry system as a whole: its chains and alliances.
subject("industry", _("Industry"))
subject("industries", _("Industries"), "产业链", "产业联盟", "产业体系", "链条")

SEGMENT_WORDS = {
    Strength.STRONG: ("强链环节", "优势环节", "强链"),
    Strength.WEAK: ("弱链环节", "薄弱环节", "弱链"),
    Strength.MISSING: ("缺链环节", "缺失环节", "缺链", "补链"),
}

SEGMENT_COLUMNS = (
    Column(_("Segment"), "name"),
    Column(_("Industry"), "industry.name"),
    Column(_("Position"), "get_position_display"),
    Column(_("Local enterprises"), "enterprise_count"),
    Column(_("Set by hand"), "get_strength_override_display"),
    Column(_("Reason"), "override_reason"),
)


def chain_segments(scope: MetricScope) -> QuerySet[ChainSegment]:
    """Segments that existed by the day, counting the enterprises settled by then, with their
    strength: the records of the three figures, read together (siblings: one count of each
    segment's enterprises, not three, issue 19). A strength set by hand counts as it stands
    now (its history keeps earlier values)."""
    segments = ChainSegment.objects.filter(
        industry__zone_id__in=scope.zone_ids, created_at__lte=scope.end_of_day
    )
    # No default ordering: its join to the industry's group would be a row source the
    # figures do not need (each figure's records take their own order).
    return with_strength(segments, as_of=scope.as_of).order_by()


def _of_strength(strength: str) -> Callable[[MetricScope], Q]:
    def condition(scope: MetricScope) -> Q:
        return Q(strength=strength)

    return condition


_DESCRIPTIONS = {
    Strength.STRONG: _(
        "Chain segments with more local enterprises than the industry's weak "
        "threshold, or judged strong by an officer."
    ),
    Strength.WEAK: _(
        "Chain segments with at least one and at most the industry's weak "
        "threshold of local enterprises, or judged weak by an officer."
    ),
    Strength.MISSING: _(
        "Chain segments with no local enterprise, or judged missing by an officer: 补链 targets."
    ),
}
_LABELS = {
    Strength.STRONG: _("Strong chain segments (强)"),
    Strength.WEAK: _("Weak chain segments (弱)"),
    Strength.MISSING: _("Missing chain segments (缺)"),
}

for _strength in Strength:
    metric(
        f"industries.segments.{_strength.value}",
        label=_LABELS[_strength],
        unit=Unit.ITEM,
        columns=SEGMENT_COLUMNS,
        group=_("Industries"),
        description=_DESCRIPTIONS[_strength],
        said=Said(SEGMENT_WORDS[_strength], ("个",), "industries"),
        base=chain_segments,
        related=("industry",),
        order=("industry__name", "position", "order", "name"),
    )(_of_strength(_strength.value))
