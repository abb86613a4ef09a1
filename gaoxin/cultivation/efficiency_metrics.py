"""亩均效益's figures: the enterprises of each class (`radar.efficiency.A` … `.D`), those not
classified for want of the zone's cut-offs, and those whose class fell or rose since last
year. Siblings over one evaluation, read in one aggregate. (The radar's own count,
`radar.efficiency`, is registered from the radar registry.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gaoxin.core.metrics import Column, MetricScope, Said, Unit, metric, subject
from gaoxin.cultivation import efficiency
from gaoxin.cultivation.models import EfficiencyClass
from gaoxin.enterprises.models import Enterprise

GROUP = _("Enterprise cultivation (企业培育)")

COLUMNS = (
    Column(_("Enterprise"), "name"),
    Column(_("Unified social credit code"), "uscc"),
    Column(_("Land (m²)"), "land_area"),
    Column(_("Tax per 亩 (yuan)"), "tax_per_mu"),
    Column(_("Revenue per 亩 (yuan)"), "revenue_per_mu"),
    Column(_("Class"), "efficiency_class"),
    Column(_("Last year's class"), "previous_class"),
)
ORDER = ("-tax_per_mu", "pk")


def evaluated(scope: MetricScope) -> QuerySet[Enterprise]:
    """The enterprises with land in the year evaluated as of the scope's day."""
    return efficiency.records(scope.zone_ids, scope.as_of)


# How reports write them (数据核对): 亩均效益评价A类企业12家、D类企业3家.
subject("efficiency", _("亩均效益"), "亩均效益", "亩均论英雄", "亩均")
# 评出A类优先发展企业42家、D类淘汰退出企业6家
CLASS_WORDS = {"A": "优先发展", "B": "提升发展", "C": "整治提升", "D": "淘汰退出"}


def _sibling(key: str, label: Any, condition: Callable[[], Q], words: tuple[str, ...] = ()) -> None:
    metric(
        f"radar.efficiency.{key}",
        label=label,
        additive=False,  # the year evaluated is read from the zones' records together
        unit=Unit.ENTERPRISE,
        columns=COLUMNS,
        group=GROUP,
        base=evaluated,
        order=ORDER,
        said=Said(words, ("家",), "efficiency") if words else None,
    )(lambda scope: condition())


def _class_metric(name: str) -> None:
    _sibling(
        name,
        format_lazy(_("亩均效益 class {}"), EfficiencyClass(name).label),
        lambda: Q(efficiency_class=name),
        (
            f"{name}类企业",
            f"{name}类{CLASS_WORDS[name]}企业",
            f"{CLASS_WORDS[name]}类",
            f"{name}类",
        ),
    )


for _name in efficiency.CLASSES:
    _class_metric(_name)
_sibling(
    "unclassified",
    _("亩均效益: not classified (no cut-offs for the year)"),
    lambda: Q(efficiency_class=""),
)
_sibling(
    "down",
    _("亩均效益: class fell since last year"),
    lambda: efficiency.change_is(efficiency.DOWN),
    ("类别下降", "降档"),
)
_sibling(
    "up",
    _("亩均效益: class rose since last year"),
    lambda: efficiency.change_is(efficiency.UP),
    ("类别上升", "升档"),
)
