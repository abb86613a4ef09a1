"""How the registry's enterprises fill the industry chains: counted per chain segment (the
strength 强/弱/缺), the key enterprises of each segment, and the counts per industry. The
industry system sits a floor below and never names enterprises; this app registers these
readers with it (`industries.selectors.register_chain_members`, from AppConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from gaoxin.core.periods import in_force_on
from gaoxin.enterprises.models import Designation, Enterprise
from gaoxin.industries.selectors import ChainMembers

SPECIALISED_KINDS = ("specialised_sme", "little_giant")


def _counted_enterprises(as_of: dt.date | None) -> Q:
    """The enterprises a segment counts: operating ones, and with as_of those settled by then."""
    condition = Q(enterprises__status=Enterprise.Status.ACTIVE)
    if as_of is not None:
        condition &= Q(enterprises__settled_on__isnull=True) | Q(enterprises__settled_on__lte=as_of)
    return condition


def segment_enterprise_count(as_of: dt.date | None) -> Count:
    """A ChainSegment's enterprises as an aggregate, for `with_strength` to annotate."""
    return Count("enterprises", filter=_counted_enterprises(as_of), distinct=True)


def top_enterprises(segment_ids: list[int], limit: int) -> dict[int, list[Any]]:
    """The key enterprises of each segment in one query: 规上 first, then by registered
    capital, numbered per segment by a window function and cut at `limit`."""
    rows = (
        Enterprise.objects.filter(status=Enterprise.Status.ACTIVE, segments__in=segment_ids)
        .annotate(
            segment_id=F("segments"),
            rank=Window(
                RowNumber(),
                partition_by=[F("segments")],
                order_by=[
                    F("is_above_scale").desc(),
                    F("registered_capital").desc(nulls_last=True),
                    F("name").asc(),
                ],
            ),
        )
        .filter(rank__lte=limit)
        .only("pk", "name", "short_name", "is_above_scale", "registered_capital")
        .order_by("segment_id", "rank")
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.segment_id].append(row)
    return found


def industry_enterprise_counts(today: dt.date) -> dict[str, Any]:
    """An Industry's operating enterprises, 规上 ones and 专精特新 ones (a designation in force
    today), as annotations."""
    active = Enterprise.objects.filter(industries=OuterRef("pk"), status=Enterprise.Status.ACTIVE)

    def counted(qs: QuerySet[Enterprise]) -> Subquery:
        return Subquery(
            qs.order_by().values("industries").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )

    specialised = active.filter(
        Exists(
            Designation.objects.filter(
                in_force_on(today),
                enterprise_id=OuterRef("pk"),
                kind__in=SPECIALISED_KINDS,
            )
        )
    )
    return {
        "enterprise_count": Coalesce(counted(active), 0),
        "above_scale_count": Coalesce(counted(active.filter(is_above_scale=True)), 0),
        "specialised_count": Coalesce(counted(specialised), 0),
    }


CHAIN_MEMBERS = ChainMembers(
    segment_count=segment_enterprise_count,
    top=top_enterprises,
    industry_counts=industry_enterprise_counts,
)
