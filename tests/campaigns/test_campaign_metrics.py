"""The figures of campaigns and award batches as of any date, read from dated records, and the
same numbers on the pages (one computation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.campaigns import award_selectors, services
from gaoxin.campaigns import award_services as awards
from gaoxin.campaigns import metrics as campaign_metrics  # noqa: F401  (registers the figures)
from gaoxin.campaigns import selectors as campaign_selectors
from gaoxin.campaigns.models import ApplicationStatus, Campaign
from gaoxin.core.metrics import MetricScope, registry
from tests.factories import AwardBatchFactory, CampaignFactory, EnterpriseFactory

S = ApplicationStatus
D = dt.date


@pytest.fixture
def campaign_history(zone, other_zone, users):
    """Four enterprises through 2022年广东省专精特新中小企业申报 (May–June 2022), and one
    application in another zone's campaign."""
    officer = users["officer"]
    campaign = CampaignFactory(zone=zone, opens_on=D(2022, 5, 1), closes_on=D(2022, 6, 30))
    enterprises = [EnterpriseFactory(zone=zone, name=f"申报企业{i}") for i in range(4)]
    paths = [
        [(D(2022, 5, 5), S.DRAFT), (D(2022, 5, 20), S.SUBMITTED), (D(2022, 7, 1), S.ZONE_REVIEW),
         (D(2022, 8, 1), S.RECOMMENDED), (D(2022, 12, 1), S.APPROVED)],
        [(D(2022, 5, 6), S.DRAFT), (D(2022, 6, 1), S.SUBMITTED), (D(2022, 7, 15), S.REJECTED)],
        [(D(2022, 5, 10), S.DRAFT)],
        [(D(2022, 5, 12), S.DRAFT), (D(2022, 6, 10), S.SUBMITTED), (D(2022, 7, 1), S.ZONE_REVIEW),
         (D(2022, 7, 5), S.DRAFT)],
    ]  # fmt: skip
    applications = []
    for enterprise, path in zip(enterprises, paths, strict=True):
        (start, _draft), *moves = path
        application = services.application_start(
            campaign=campaign, enterprise=enterprise, by=officer, on=start, statement="说明"
        )
        for on, status in moves:
            services.application_move(
                application=application, by=officer, to_status=status, on=on, note="记录"
            )
        applications.append(application)
    away = CampaignFactory(zone=other_zone, opens_on=D(2022, 5, 1), closes_on=D(2022, 6, 30))
    away_application = services.application_start(
        campaign=away,
        enterprise=EnterpriseFactory(zone=other_zone),
        by=None,
        on=D(2022, 5, 3),
        statement="说明",
    )
    services.application_move(
        application=away_application, by=None, to_status=S.SUBMITTED, on=D(2022, 5, 4)
    )
    return {"campaign": campaign, "enterprises": enterprises, "away": away}


def _value(key: str, zone_ids, as_of):
    return registry.get(key).value(MetricScope.of(zone_ids, as_of))


@pytest.mark.parametrize(
    ("as_of", "total", "applying", "approved", "by_status"),
    [
        (D(2022, 5, 1), 0, 0, 0, {}),
        (D(2022, 5, 15), 4, 0, 0, {S.DRAFT: 4}),
        (D(2022, 6, 15), 4, 3, 0, {S.DRAFT: 1, S.SUBMITTED: 3}),
        (D(2022, 7, 10), 4, 3, 0, {S.DRAFT: 2, S.SUBMITTED: 1, S.ZONE_REVIEW: 1}),
        (D(2022, 11, 30), 4, 3, 0, {S.DRAFT: 2, S.RECOMMENDED: 1, S.REJECTED: 1}),
        (None, 4, 3, 1, {S.DRAFT: 2, S.APPROVED: 1, S.REJECTED: 1}),
    ],
)
def test_campaign_figures_as_of_a_date(
    campaign_history, zone, as_of, total, applying, approved, by_status
) -> None:
    campaign = campaign_history["campaign"]
    pk = campaign.pk
    assert _value(f"campaigns.total.{pk}", [zone.pk], as_of) == total
    # Moved back to 拟申报 after submitting, or refused: still an enterprise that applied.
    assert _value(f"campaigns.applying.{pk}", [zone.pk], as_of) == applying
    assert _value(f"campaigns.approved.{pk}", [zone.pk], as_of) == approved
    for status in S:
        assert _value(f"campaigns.status_{status}.{pk}", [zone.pk], as_of) == by_status.get(
            status, 0
        ), status
    # The campaign pages count with the same conditions.
    day = as_of or dt.date.today()
    figures = campaign_selectors.campaign_figures([pk], day)[pk]
    assert figures == {"total": total, "applying": applying, "approved": approved}
    # And the campaigns' sheet, which reads them as annotations.
    sheet = campaign_selectors.with_figures(Campaign.objects.filter(pk=pk), day)
    assert sheet.values("total", "applying", "approved").get() == figures
    counts = {
        row["status"]: row["count"] for row in campaign_selectors.status_counts(campaign, day)
    }
    assert counts == {status: by_status.get(status, 0) for status in S}


def test_campaign_figures_stay_in_their_zone(campaign_history, zone, other_zone) -> None:
    campaign, away = campaign_history["campaign"], campaign_history["away"]
    assert _value(f"campaigns.applying.{campaign.pk}", [other_zone.pk], None) == 0
    assert _value(f"campaigns.applying.{away.pk}", [other_zone.pk], None) == 1
    assert _value(f"campaigns.applying.{away.pk}", [zone.pk], None) == 0
    keys = {m.key for m in registry.expanded(MetricScope.of([zone.pk]))}
    assert f"campaigns.applying.{campaign.pk}" in keys
    assert f"campaigns.status_rejected.{campaign.pk}" in keys
    assert f"campaigns.applying.{away.pk}" not in keys
    assert registry.find("campaigns.applying.999999") is None
    assert registry.find("campaigns.applying.abc") is None


def test_the_records_behind_applying_are_the_applications(campaign_history, zone) -> None:
    key = f"campaigns.applying.{campaign_history['campaign'].pk}"
    value, records = registry.get(key).evaluate(MetricScope.of([zone.pk]))
    names = [a.enterprise.name for a in records]
    assert value == len(names) == 3
    assert names == ["申报企业0", "申报企业1", "申报企业3"]


@pytest.fixture
def award_history(zone, other_zone, users):
    officer = users["officer"]
    e = [EnterpriseFactory(zone=zone, name=f"获奖企业{i}") for i in range(4)]
    batch = AwardBatchFactory(zone=zone)
    second = AwardBatchFactory(zone=zone)
    plan = [
        (batch, e[0], 500000, "省级专精特新", D(2023, 3, 10)),
        (batch, e[1], 300000, "省级专精特新", D(2023, 4, 1)),
        (batch, e[2], 200000, "省级专精特新", None),
        (batch, e[0], 100000, "国家级小巨人", D(2023, 4, 1)),
        (second, e[3], 50000, "研发补助", D(2023, 5, 1)),
    ]
    added = [
        (awards.award_add(batch=b, enterprise=ent, amount=amount, reason=reason, by=officer), paid)
        for b, ent, amount, reason, paid in plan
    ]
    for b in (batch, second):
        awards.award_batch_announce(batch=b, by=officer, on=D(2023, 3, 1))
    for award, paid in added:
        if paid is not None:
            awards.award_pay(award=award, by=officer, on=paid)
    away = AwardBatchFactory(zone=other_zone)
    away_award = awards.award_add(
        batch=away, enterprise=EnterpriseFactory(zone=other_zone), amount=999, reason="x", by=None
    )
    awards.award_batch_announce(batch=away, by=None, on=D(2023, 2, 1))
    awards.award_pay(award=away_award, by=None, on=D(2023, 3, 1))
    return {"batch": batch, "second": second, "away": away}


@pytest.mark.parametrize(
    ("as_of", "paid", "paid_enterprises", "zone_paid", "zone_enterprises"),
    [
        (D(2023, 3, 9), 0, 0, 0, 0),
        (D(2023, 3, 31), 500000, 1, 500000, 1),
        (D(2023, 4, 1), 900000, 2, 900000, 2),
        (D(2023, 5, 1), 900000, 2, 950000, 3),
        (None, 900000, 2, 950000, 3),
    ],
)
def test_award_figures_as_of_a_date(
    award_history, zone, as_of, paid, paid_enterprises, zone_paid, zone_enterprises
) -> None:
    pk = award_history["batch"].pk
    assert _value(f"awards.batch_total.{pk}", [zone.pk], as_of) == Decimal(1100000)
    assert _value(f"awards.batch_enterprises.{pk}", [zone.pk], as_of) == 3
    assert _value(f"awards.paid.{pk}", [zone.pk], as_of) == Decimal(paid)
    assert _value(f"awards.paid_enterprises.{pk}", [zone.pk], as_of) == paid_enterprises
    assert _value("awards.paid", [zone.pk], as_of) == Decimal(zone_paid)
    assert _value("awards.paid_enterprises", [zone.pk], as_of) == zone_enterprises
    figures = award_selectors.batch_figures([pk], as_of or dt.date.today())[pk]
    assert figures == {
        "total": Decimal(1100000),
        "enterprises": 3,
        "paid": Decimal(paid),
        "paid_enterprises": paid_enterprises,
    }


def test_paid_enterprises_are_enterprise_records(award_history, zone, other_zone) -> None:
    key = f"awards.paid_enterprises.{award_history['batch'].pk}"
    _count, records = registry.get(key).evaluate(MetricScope.of([zone.pk]))
    assert sorted(e.name for e in records) == ["获奖企业0", "获奖企业1"]
    assert _value("awards.paid", [other_zone.pk], None) == Decimal(999)
    assert _value(f"awards.paid.{award_history['away'].pk}", [zone.pk], None) == 0
