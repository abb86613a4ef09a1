"""A campaign with its applications and their changes, and a batch of awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaoxin.accounts.models import Zone
from gaoxin.campaigns.models import (
    APPLICATION_ORDER,
    Application,
    ApplicationChange,
    ApplicationStatus,
    Award,
    AwardBatch,
    AwardStatus,
    Campaign,
)
from gaoxin.demo.synthetic.base import Base, bulk
from gaoxin.enterprises.models import DesignationKind, DesignationLevel


class CampaignsPart(Base):
    def _campaign(self, zone: Zone) -> None:
        rng = self.rng
        enterprises = self.enterprises.get(zone.pk) or []
        chosen = rng.sample(enterprises, min(150, len(enterprises)))
        opens = dt.date(self.end.year - 1, 3, 1)
        campaign = bulk(
            Campaign,
            [
                Campaign(
                    zone=zone,
                    name=f"{opens.year}年广东省专精特新中小企业申报",
                    code=f"{opens.year}-gd-zjtx",
                    designation_kind=DesignationKind.SPECIALISED_SME,
                    designation_level=DesignationLevel.PROVINCIAL,
                    opens_on=opens,
                    closes_on=opens + dt.timedelta(days=60),
                )
            ],
            self.counts,
        )[0]
        officer = self.officers[zone.pk][0]
        plans = []
        for _ in chosen:
            reach = rng.randint(0, len(APPLICATION_ORDER) - 1)
            statuses = [str(s) for s in APPLICATION_ORDER[: reach + 1]]
            if reach == len(APPLICATION_ORDER) - 1 and rng.random() < 0.3:
                statuses[-1] = ApplicationStatus.REJECTED
            day = self.day(opens, opens + dt.timedelta(days=50))
            dated = []
            for status in statuses:
                dated.append((status, day))
                day = self.later(day, 3, 40)
            plans.append(dated)
        applications = bulk(
            Application,
            [
                Application(
                    campaign=campaign,
                    enterprise=enterprise,
                    status=dated[-1][0],
                    status_on=dated[-1][1],
                    contact_person=self.person(),
                )
                for enterprise, dated in zip(chosen, plans, strict=True)
            ],
            self.counts,
        )
        bulk(
            ApplicationChange,
            [
                ApplicationChange(
                    application=application,
                    from_status=dated[n - 1][0] if n else "",
                    to_status=status,
                    on=on,
                    by=officer,
                )
                for application, dated in zip(applications, plans, strict=True)
                for n, (status, on) in enumerate(dated)
            ],
            self.counts,
        )
        batch = bulk(
            AwardBatch,
            [
                AwardBatch(
                    zone=zone,
                    name=f"{self.end.year - 1}年第一批专精特新企业奖励资金",
                    code=f"{self.end.year - 1}-zjtx-1",
                    announced_on=self.end - dt.timedelta(days=90),
                )
            ],
            self.counts,
        )[0]
        awards = []
        for enterprise in chosen[:100]:
            paid = rng.random() < 0.6
            awards.append(
                Award(
                    batch=batch,
                    enterprise=enterprise,
                    amount=Decimal(rng.choice([100_000, 200_000, 500_000])),
                    reason="省级专精特新中小企业认定奖励",
                    status=AwardStatus.PAID if paid else AwardStatus.ANNOUNCED,
                    paid_on=self.end - dt.timedelta(days=rng.randint(0, 60)) if paid else None,
                )
            )
        bulk(Award, awards, self.counts)
