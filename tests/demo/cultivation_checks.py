"""The seed scenario puts a few enterprises on each cultivation radar, with plausible reasons —
checked from the records through the foundation (standings, the 规上 rules in force, the
designation criteria and the zone's 亩均 cut-offs), not from a list of names, so the radars'
own counts can be held against these bands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaoxin.accounts.models import Zone
from gaoxin.core.periods import in_force_on
from gaoxin.cultivation.models import MU, DesignationCriteria, EfficiencyCutoffs, LandRecord
from gaoxin.cultivation.standings import radar_period, standings_for
from gaoxin.cultivation.thresholds import rule_case
from gaoxin.demo import clock, economy_data
from gaoxin.economy.periods import Period
from gaoxin.enterprises.models import Designation, DesignationKind, Enterprise

RENEWAL = dt.timedelta(days=365)


def _rule(kind: str, day: dt.date) -> DesignationCriteria:
    rule = (
        DesignationCriteria.objects.filter(kind=kind, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    assert rule is not None
    return rule


def _band(rule: DesignationCriteria, revenue: Decimal) -> Decimal:
    for band in rule.rnd_bands:
        if band["below"] is None or revenue < Decimal(str(band["below"])):
            return Decimal(str(band["percent"]))
    raise AssertionError(rule)


def _held(day: dt.date) -> dict[int, dict[str, dt.date | None]]:
    """{enterprise: {kind: latest expiry (None: none)}} of the designations in force on the day."""
    held: dict[int, dict[str, dt.date | None]] = {}
    for d in Designation.objects.filter(in_force_on(day)).order_by("expires_on"):
        held.setdefault(d.enterprise_id, {})[d.kind] = d.expires_on
    return held


def _class(cutoffs: EfficiencyCutoffs, tax: Decimal, revenue: Decimal) -> str:
    for name, least_tax, least_revenue in (
        ("A", cutoffs.tax_a, cutoffs.revenue_a),
        ("B", cutoffs.tax_b, cutoffs.revenue_b),
        ("C", cutoffs.tax_c, cutoffs.revenue_c),
    ):
        if tax >= least_tax and revenue >= least_revenue:
            return name
    return "D"


def check_the_seed_puts_a_few_enterprises_on_each_radar(zone: Zone, c: clock.Clock) -> None:
    """Run on the seed loaded today (tests/demo/test_seed_scenario.py calls it, so that the
    suite builds the scenario once for all its checks): its present is today, the scenario's
    dates mapped (gaoxin/demo/clock.py)."""
    enterprises = Enterprise.objects.filter(zone=zone)
    # Every enterprise the radars could weigh has its GB/T 4754 class.
    assert not enterprises.filter(national_industry__isnull=True).exists()

    period = radar_period([zone.pk], c.today)
    with clock.running(c):
        assert period == economy_data.present()  # e.g. May's figures are in by 20 June
    following = period.next_month()
    month_end = dt.date(following.year, following.month, 1) - dt.timedelta(days=1)
    rows = list(
        standings_for([zone.pk], period)
        .annotate(threshold=rule_case(month_end, field="enterprise__national_industry_id"))
        .select_related("enterprise")
    )
    below = [r for r in rows if not r.enterprise.is_above_scale and r.threshold]

    # 小升规: 80–99% of the line over a full twelve months, and rising to it.
    # (A 规下 enterprise asked for figures only months ago may show a partial year near the
    # line too, depending on the months the load day's present takes in: not one of these.)
    near = [
        r
        for r in below
        if r.threshold * Decimal("0.8") <= r.revenue_ttm < r.threshold and r.months_ttm == 12
    ]
    assert 3 <= len(near) <= 5, [(r.enterprise.name, r.revenue_ttm / r.threshold) for r in near]
    for row in near:
        assert row.months_ttm == 12
        assert row.revenue_ttm > row.revenue_y1 > row.revenue_y2 > 0, row.enterprise

    # 应统尽统: over the line for twelve months (and last year), still not 规上.
    over = [r for r in below if r.revenue_ttm >= r.threshold and r.months_ttm == 12]
    assert 1 <= len(over) <= 2
    assert all(r.revenue_y1 >= r.threshold for r in over)

    # 高企: R&D over revenue of the last three years above the band of last year's revenue,
    # in business a year; not holding 高企, or holding one that expires within the year.
    held = _held(c.today)
    high_tech = _rule(DesignationKind.HIGH_TECH, c.today)
    new, renewal = [], []
    for row in rows:
        revenue = row.revenue_y1 + row.revenue_y2 + row.revenue_y3
        rnd = row.rnd_y1 + row.rnd_y2 + row.rnd_y3
        founded = row.enterprise.founded_on
        if not revenue or founded is None or founded > c.today - dt.timedelta(days=365):
            continue
        if rnd * 100 < _band(high_tech, row.revenue_y1) * revenue:
            continue
        kinds = held.get(row.enterprise_id, {})
        if DesignationKind.HIGH_TECH not in kinds:
            new.append(row)
        else:
            expires = kinds[DesignationKind.HIGH_TECH]
            if expires is not None and expires <= c.today + RENEWAL:
                renewal.append(row)
    # The registry's 规上 enterprises report R&D to the bureau; a third of its 高企 certificates
    # expire within the year (re-application). The 培育库 adds small ones not 规上.
    assert len([r for r in new if not r.enterprise.is_above_scale]) >= 2
    assert len(renewal) >= 1

    # 专精特新: holds 创新型中小企业, last year's revenue 1000万元–4亿元, R&D from 100万元 and
    # from 3% of revenue, in business two years, not yet 专精特新.
    specialised = _rule(DesignationKind.SPECIALISED_SME, c.today)
    candidates = []
    for row in rows:
        kinds = held.get(row.enterprise_id, {})
        if specialised.requires not in kinds or DesignationKind.SPECIALISED_SME in kinds:
            continue
        revenue, rnd = row.revenue_y1, row.rnd_y1
        assert specialised.min_revenue is not None and specialised.max_revenue is not None
        assert specialised.min_rnd is not None
        if (
            specialised.min_revenue <= revenue < specialised.max_revenue
            and rnd >= specialised.min_rnd
            and rnd * 100 >= _band(specialised, revenue) * revenue
        ):
            candidates.append(row)
    assert 1 <= len(candidates) <= 3

    # 亩均效益 of the scenario's 2022 (the last full year on the demo day) against the zone's
    # cut-offs, and the change from 2021 where the land was held then.
    last_year, year_before = c.year(2022), c.year(2021)
    cutoffs = {row.year: row for row in EfficiencyCutoffs.objects.filter(zone=zone)}
    assert set(cutoffs) >= {year_before, last_year}
    sums = {s.enterprise_id: s for s in standings_for([zone.pk], Period.of(last_year + 1, 1))}
    records = list(LandRecord.objects.filter(enterprise__zone=zone))
    assert 10 <= len(records) <= 20
    classes, changed = [], 0
    for record in records:
        standing = sums[record.enterprise_id]
        mu = record.area / Decimal(str(MU))
        now = _class(cutoffs[last_year], standing.tax_y1 / mu, standing.revenue_y1 / mu)
        classes.append(now)
        if record.valid_from <= dt.date(year_before, 12, 31):
            before = _class(cutoffs[year_before], standing.tax_y2 / mu, standing.revenue_y2 / mu)
            changed += before != now
    assert set(classes) == {"A", "B", "C", "D"}
    assert changed >= 1
