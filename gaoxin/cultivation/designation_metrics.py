"""The designation radars' sub-figures: of the 高企 and 专精特新 candidates (whose counts,
`radar.high_tech` and `radar.specialised`, are registered from the radar registry), those
that would apply for the first time and those whose designation expires within the year."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, Kind, MetricScope, Said, Unit, metric
from gaoxin.cultivation.designations import (
    HIGH_TECH,
    NEW,
    RENEWAL,
    SPECIALISED,
    candidates,
)

GROUP = _("Cultivation radars")

COLUMNS = (
    Column(_("Enterprise name"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Revenue last year (yuan)"), "revenue_y1"),
    Column(_("R&D share of revenue (%)"), "rnd_share", Kind.PERCENT),
    Column(_("Required share (%)"), "required_percent"),
    Column(_("Designation expires on"), "expires_on_held"),
)


def _base(radar_key: str) -> Callable[[MetricScope], QuerySet[Any]]:
    def records(scope: MetricScope) -> QuerySet[Any]:
        return candidates(radar_key, scope.zone_ids, scope.as_of)

    return records


def _condition(reason: str) -> Callable[[MetricScope], Q]:
    def condition(scope: MetricScope) -> Q:
        return Q(reason=reason)

    return condition


LABELS = {
    (HIGH_TECH, NEW): _("高企 candidates applying for the first time"),
    (HIGH_TECH, RENEWAL): _("高企 whose designation expires within a year"),
    (SPECIALISED, NEW): _("专精特新 candidates applying for the first time"),
    (SPECIALISED, RENEWAL): _("专精特新 enterprises whose designation expires within a year"),
}

# How reports write them (数据核对): 首次申报高新技术企业的后备企业30家.
WORDS = {
    (HIGH_TECH, NEW): ("首次申报高新技术企业", "首次申报高企", "首次申报"),
    # 年内证书到期、需重新认定的高新技术企业73家
    (HIGH_TECH, RENEWAL): (
        "需重新认定的高新技术企业",
        "需重新认定",
        "证书到期",
        "高企资格到期",
        "重新认定",
    ),
    (SPECIALISED, NEW): ("首次申报专精特新", "首次申报专精特新中小企业", "首次申报"),
    (SPECIALISED, RENEWAL): ("专精特新到期", "专精特新复核", "复核"),
}

for _key in (HIGH_TECH, SPECIALISED):
    _records = _base(_key)
    for _reason in (NEW, RENEWAL):
        metric(
            f"radar.{_key}.{_reason}",
            label=LABELS[(_key, _reason)],
            additive=False,  # read against the radars' month, the zones' latest
            unit=Unit.ENTERPRISE,
            columns=COLUMNS,
            group=GROUP,
            base=_records,
            order=("name",),
            said=Said(WORDS[(_key, _reason)], ("家",), "cultivation"),
        )(_condition(_reason))
