"""What the cultivation radars read, at city scale: each enterprise's R&D intensity (the
economy part records 研发费用 with its revenue), land records for a realistic share of the
enterprises (most 规上 manufacturers hold land; a few others), each zone's 亩均效益 cut-offs
for the years the figures cover, and more 创新型中小企业 (the prerequisite of 专精特新).

All of it is drawn from a Random of its own, not the generator's, so that the rest of the set
draws exactly as it did before this part existed."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from random import Random

from gaoxin.accounts.models import Zone
from gaoxin.cultivation.models import MU, EfficiencyCutoffs, LandRecord
from gaoxin.demo.economy_data import MANUFACTURING
from gaoxin.demo.synthetic.base import START, Base, bulk
from gaoxin.enterprises.models import Designation, DesignationKind, DesignationLevel, Enterprise

# Shares of the enterprises by R&D intensity (研发费用 over 营业收入): (share, low, high).
RND_BANDS = ((0.45, 0.003, 0.03), (0.35, 0.03, 0.06), (0.20, 0.06, 0.12))
LAND_SHARE_MANUFACTURER = 0.6  # of the 规上 manufacturers
LAND_SHARE_OTHER = 0.04  # of the other active enterprises
INNOVATIVE_SHARE = 0.04  # of the active enterprises, besides the registry's designations
# 亩均效益 cut-offs (yuan per 亩) of the last of the years: tax A/B/C, revenue A/B/C; the
# years before are 8% lower each, as zones raise the bar year by year.
CUTOFFS = ((300_000, 150_000, 50_000), (6_000_000, 3_000_000, 1_000_000))
CUTOFF_YEARS = 3


class CultivationPart(Base):
    _side: Random
    _rnd_rates: dict[int, float]

    def _side_rng(self) -> Random:
        if not hasattr(self, "_side"):
            self._side = Random(f"cultivation-{self.seed}")
            self._rnd_rates = {}
        return self._side

    def rnd_amount(self, enterprise_id: int, revenue: float) -> Decimal:
        """A month's 研发费用 for a month's revenue: the enterprise's intensity, give or take."""
        rng = self._side_rng()
        rate = self._rnd_rates.get(enterprise_id)
        if rate is None:
            _share, low, high = rng.choices(RND_BANDS, [band[0] for band in RND_BANDS])[0]
            rate = self._rnd_rates[enterprise_id] = rng.uniform(low, high)
        return Decimal(int(revenue * rate * rng.uniform(0.8, 1.2)) // 100 * 100)

    def _cultivation(self, zone: Zone) -> None:
        rng = self._side_rng()
        officers = self.officers.get(zone.pk) or []
        industrial = {i.pk for i in self.industries[zone.pk] if i.name in MANUFACTURING}
        through = Enterprise.industries.through
        industry_of = dict(
            through.objects.filter(enterprise__zone=zone).values_list(
                "enterprise_id", "industry_id"
            )
        )
        active = [
            e for e in self.enterprises.get(zone.pk, []) if e.status == Enterprise.Status.ACTIVE
        ]
        last_year = self.end.year - 1
        lands, designations = [], []
        for enterprise in active:
            maker = enterprise.is_above_scale and industry_of.get(enterprise.pk) in industrial
            share = LAND_SHARE_MANUFACTURER if maker else LAND_SHARE_OTHER
            if officers and rng.random() < share:
                mu = math.exp(rng.uniform(math.log(8), math.log(300 if maker else 40)))
                settled = enterprise.settled_on or dt.date(2010, 1, 1)
                held_from = max(settled, dt.date(2005, 1, 1))
                if rng.random() < 0.08:  # land taken in the last year: new to the evaluation
                    held_from = max(held_from, dt.date(last_year, rng.randint(1, 12), 1))
                lands.append(
                    LandRecord(
                        enterprise=enterprise,
                        area=(Decimal(str(round(mu, 1))) * Decimal(str(MU))).quantize(
                            Decimal("0.01")
                        ),
                        source=f"不动产权证 第{enterprise.pk:08d}号",
                        valid_from=held_from,
                        recorded_by=rng.choice(officers),
                    )
                )
            if rng.random() < INNOVATIVE_SHARE:
                start = max(enterprise.settled_on or START, dt.date(last_year - 2, 1, 1))
                span = max((self.end - start).days, 0)
                granted = start + dt.timedelta(days=rng.randint(0, span))
                designations.append(
                    Designation(
                        enterprise=enterprise,
                        kind=DesignationKind.INNOVATIVE_SME,
                        level=DesignationLevel.PROVINCIAL,
                        granted_on=granted,
                        expires_on=granted.replace(year=granted.year + 3, day=1)
                        - dt.timedelta(days=1),
                        certificate_no=f"CX{granted.year}44{enterprise.pk:07d}",
                    )
                )
        bulk(LandRecord, lands, self.counts)
        bulk(Designation, designations, self.counts)
        (tax_a, tax_b, tax_c), (revenue_a, revenue_b, revenue_c) = CUTOFFS
        rows = []
        for back in range(CUTOFF_YEARS):
            factor = Decimal("0.92") ** back
            rows.append(
                EfficiencyCutoffs(
                    zone=zone,
                    year=last_year - back,
                    **{
                        name: (Decimal(value) * factor / 1000).quantize(Decimal(1)) * 1000
                        for name, value in (
                            ("tax_a", tax_a),
                            ("tax_b", tax_b),
                            ("tax_c", tax_c),
                            ("revenue_a", revenue_a),
                            ("revenue_b", revenue_b),
                            ("revenue_c", revenue_c),
                        )
                    },
                )
            )
        bulk(EfficiencyCutoffs, rows, self.counts)
