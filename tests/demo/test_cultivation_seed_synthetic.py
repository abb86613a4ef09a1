"""The generated set carries what the cultivation radars read: R&D and tax with revenue over
three calendar years, land for a share of the enterprises (most of them 规上 manufacturers),
each zone's 亩均 cut-offs for the years evaluated, 创新型中小企业 — read through the
foundation's standings."""

from __future__ import annotations

import pytest

from gaoxin.accounts.models import Zone
from gaoxin.cultivation.models import EfficiencyCutoffs, LandRecord
from gaoxin.cultivation.standings import radar_period, standings_for
from gaoxin.demo.generate import generate
from gaoxin.demo.synthetic.base import LAST_DAY
from gaoxin.economy.models import FigureValue
from gaoxin.enterprises.models import Designation, DesignationKind, Enterprise

pytestmark = pytest.mark.django_db


def test_the_generated_set_feeds_the_radars() -> None:
    counts = generate(enterprises=600, projects=40, zones=2, seed=9, prefix="cv")
    zones = list(Zone.objects.filter(code__startswith="cv"))
    zone_ids = [z.pk for z in zones]
    enterprises = Enterprise.objects.filter(zone__in=zone_ids)
    assert not enterprises.filter(national_industry__isnull=True).exists()

    figures = FigureValue.objects.filter(zone__in=zone_ids)
    for source in ("bureau", "self"):
        codes = set(figures.filter(source=source).values_list("indicator__code", flat=True))
        assert {"revenue", "tax", "rnd"} <= codes, source
    years = set(figures.filter(indicator__code="rnd").values_list("year", flat=True))
    assert len(years) >= 3

    period = radar_period(zone_ids, LAST_DAY)
    assert period is not None
    rows = list(standings_for(zone_ids, period))
    with_rnd = [r for r in rows if r.rnd_y1 > 0 and r.rnd_y2 > 0 and r.revenue_y1 > 0]
    assert len(with_rnd) > len(rows) / 2
    shares = sorted(r.rnd_y1 / r.revenue_y1 for r in with_rnd)
    assert shares[0] < 0.03 < 0.06 < shares[-1]  # a spread, from 3% and 6% either side
    assert all(r.tax_y1 > 0 for r in with_rnd)

    land = LandRecord.objects.filter(enterprise__zone__in=zone_ids)
    assert counts["cultivation.LandRecord"] == land.count()
    holders = land.values_list("enterprise_id", flat=True)
    assert 0.05 * enterprises.count() < len(set(holders)) < 0.5 * enterprises.count()
    assert land.filter(enterprise__is_above_scale=True).count() > land.count() / 2

    for zone in zones:
        years = sorted(EfficiencyCutoffs.objects.filter(zone=zone).values_list("year", flat=True))
        assert years == [period.year - 3, period.year - 2, period.year - 1]
    innovative = Designation.objects.filter(
        enterprise__zone__in=zone_ids, kind=DesignationKind.INNOVATIVE_SME
    )
    assert innovative.count() >= 0.02 * enterprises.count()
