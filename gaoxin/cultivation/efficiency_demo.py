"""亩均效益 in a demonstration zone: the zone's cut-offs for the year evaluated and the one
before, and land records (with a plausible source) for some of its enterprises with tax and
revenue figures, sized so that the classes spread over A–D. For the demo scenario to call
after its figures are loaded; it writes nothing where the zone has no figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from gaoxin.cultivation import efficiency
from gaoxin.cultivation.models import EfficiencyCutoffs, LandRecord
from gaoxin.cultivation.standings import standings_for
from gaoxin.economy.periods import Period

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone

# yuan per 亩: A 优先发展 from 12万 tax and 500万 revenue, B from 6万 / 250万, C from 2万 / 100万.
CUTOFFS = {
    "tax_a": Decimal(120_000),
    "revenue_a": Decimal(5_000_000),
    "tax_b": Decimal(60_000),
    "revenue_b": Decimal(2_500_000),
    "tax_c": Decimal(20_000),
    "revenue_c": Decimal(1_000_000),
}
# The revenue per 亩 each enterprise's land is sized for, in turn (A, B, C, D …).
TARGETS = [Decimal(7_000_000), Decimal(3_200_000), Decimal(1_500_000), Decimal(600_000)]


@transaction.atomic
def seed(zone: Zone, officer: User, *, day: dt.date, count: int = 16) -> int:
    """Cut-offs and land records for up to `count` enterprises; how many got land."""
    year = efficiency.evaluated_year([zone.pk], day)
    if year is None:
        return 0
    for each in (year - 1, year):
        EfficiencyCutoffs.objects.get_or_create(zone=zone, year=each, defaults=CUTOFFS)
    rows = (
        standings_for([zone.pk], Period.of(year + 1, 1))
        .filter(tax_y1__gt=0, revenue_y1__gt=0)
        .order_by("enterprise_id")[:count]
    )
    made = 0
    for index, standing in enumerate(rows):
        mu = standing.revenue_y1 / TARGETS[index % len(TARGETS)]
        area = (mu * efficiency.MU_DECIMAL).quantize(Decimal(10))
        if area <= 0 or LandRecord.objects.filter(enterprise_id=standing.enterprise_id).exists():
            continue
        LandRecord.objects.create(
            enterprise_id=standing.enterprise_id,
            area=area,
            source=f"粤({2015 + index % 6})珠海市不动产权第{index + 1:07d}号",
            valid_from=dt.date(2015 + index % 6, 3, 1),
            recorded_by=officer,
        )
        made += 1
    return made
