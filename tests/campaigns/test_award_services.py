"""The rules of awards: exact yuan above zero, once per reason per enterprise in a batch,
公示 before 已拨付, paid once on a day not in the future; each refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.campaigns import award_services as services
from gaoxin.campaigns.models import Award, AwardBatch, AwardStatus
from gaoxin.core.errors import DomainError
from tests.factories import AwardBatchFactory, DesignationFactory, EnterpriseFactory, PolicyFactory


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


@pytest.fixture
def batch(zone):
    return AwardBatchFactory(zone=zone, name="第一批专精特新企业奖励资金")


def _add(batch, enterprise, by, **overrides):
    fields = {"amount": Decimal("500000"), "reason": "省级专精特新中小企业认定奖励"}
    return services.award_add(batch=batch, enterprise=enterprise, by=by, **{**fields, **overrides})


def test_a_batch_is_created_with_its_policy_and_author(zone, other_zone, users) -> None:
    policy = PolicyFactory(zone=zone)
    batch = services.award_batch_create(
        zone=zone, by=users["officer"], name=" 第一批奖励资金 ", policy=policy
    )
    assert batch.name == "第一批奖励资金"
    assert batch.history.first().history_user == users["officer"]
    with pytest.raises(DomainError, match="another zone"):
        services.award_batch_create(
            zone=zone, by=users["officer"], name="x", policy=PolicyFactory(zone=other_zone)
        )
    with pytest.raises(DomainError, match="needs a name"):
        services.award_batch_update(batch=batch, by=users["officer"], name=" ")
    assert AwardBatch.objects.count() == 1


def test_an_award_is_proposed_in_exact_yuan(batch, own_enterprise, users) -> None:
    award = _add(batch, own_enterprise, users["officer"], amount="123456.78")
    assert award.amount == Decimal("123456.78")
    assert award.status == AwardStatus.PROPOSED and award.paid_on is None
    assert award.history.first().history_user == users["officer"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "more than 0"),
        (Decimal("-100"), "more than 0"),
        ("1.005", "two decimals"),
        ("abc", "in yuan"),
        ("NaN", "in yuan"),
        (Decimal("1e20"), "too large"),
    ],
)
def test_a_bad_amount_is_refused(batch, own_enterprise, users, amount, message) -> None:
    with pytest.raises(DomainError, match=message) as info:
        _add(batch, own_enterprise, users["officer"], amount=amount)
    assert info.value.field == "amount"
    assert not Award.objects.exists()


@settings(max_examples=30, deadline=None)
@given(amount=st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=0))
def test_no_amount_at_or_below_zero_is_ever_written(amount) -> None:
    with pytest.raises(DomainError):
        services._as_amount(amount)


def test_the_same_enterprise_is_not_awarded_twice_for_the_same_reason(
    batch, own_enterprise, zone, users
) -> None:
    _add(batch, own_enterprise, users["officer"])
    with pytest.raises(DomainError, match="already awarded") as info:
        _add(batch, own_enterprise, users["officer"], amount=1000)
    assert info.value.field == "reason"
    assert Award.objects.count() == 1
    # Another reason, or another batch, is another award.
    _add(batch, own_enterprise, users["officer"], reason="研发投入奖励")
    _add(AwardBatchFactory(zone=zone), own_enterprise, users["officer"])
    assert Award.objects.count() == 3


def test_a_designation_names_the_reason_and_counts_once(batch, own_enterprise, users) -> None:
    designation = DesignationFactory(
        enterprise=own_enterprise, kind="specialised_sme", granted_on=dt.date(2022, 12, 1)
    )
    award = _add(batch, own_enterprise, users["officer"], reason="", designation=designation)
    assert award.designation == designation
    # Written in Chinese whatever the officer's language: it goes onto the 公示 list.
    assert award.reason == "省级专精特新中小企业（2022年）"
    with pytest.raises(DomainError, match="already awarded"):
        _add(batch, own_enterprise, users["officer"], reason="另写的事由", designation=designation)
    assert Award.objects.count() == 1


def test_an_award_needs_a_reason_an_own_designation_and_the_batch_zone(
    batch, own_enterprise, other_zone, zone, users
) -> None:
    with pytest.raises(DomainError, match="Give the reason"):
        _add(batch, own_enterprise, users["officer"], reason=" ")
    with pytest.raises(DomainError, match="another enterprise"):
        _add(
            batch,
            own_enterprise,
            users["officer"],
            designation=DesignationFactory(enterprise=EnterpriseFactory(zone=zone)),
        )
    with pytest.raises(DomainError, match="not an enterprise of this batch's zone"):
        _add(batch, EnterpriseFactory(zone=other_zone), users["officer"])
    assert not Award.objects.exists()


def test_announce_then_pay_once(batch, own_enterprise, users) -> None:
    today = timezone.localdate()
    award = _add(batch, own_enterprise, users["officer"])
    with pytest.raises(DomainError, match="after its public announcement"):
        services.award_pay(award=award, by=users["officer"], on=today)
    award.refresh_from_db()
    assert award.status == AwardStatus.PROPOSED

    announced = today - dt.timedelta(days=10)
    assert services.award_batch_announce(batch=batch, by=users["officer"], on=announced) == 1
    batch.refresh_from_db()
    assert batch.announced_on == announced
    with pytest.raises(DomainError, match="No proposed award"):
        services.award_batch_announce(batch=batch, by=users["officer"], on=today)

    with pytest.raises(DomainError, match="future") as info:
        services.award_pay(award=award, by=users["officer"], on=today + dt.timedelta(days=1))
    assert info.value.field == "on"
    with pytest.raises(DomainError, match="before the announcement"):
        services.award_pay(award=award, by=users["officer"], on=announced - dt.timedelta(days=1))
    award.refresh_from_db()
    assert (award.status, award.paid_on) == (AwardStatus.ANNOUNCED, None)

    paid = services.award_pay(award=award, by=users["officer"], on=today)
    assert (paid.status, paid.paid_on) == (AwardStatus.PAID, today)
    assert paid.history.first().history_user == users["officer"]
    with pytest.raises(DomainError, match="already paid"):
        services.award_pay(award=award, by=users["admin"], on=today)
    award.refresh_from_db()
    assert award.history.count() == 3  # proposed, announced, paid


def test_an_award_added_after_the_list_is_announced_alone(batch, own_enterprise, zone, users):
    today = timezone.localdate()
    first = _add(batch, own_enterprise, users["officer"])
    services.award_batch_announce(batch=batch, by=users["officer"], on=today)
    late = _add(batch, EnterpriseFactory(zone=zone), users["officer"])
    services.award_announce(award=late, by=users["officer"], on=today)
    late.refresh_from_db()
    assert late.status == AwardStatus.ANNOUNCED
    with pytest.raises(DomainError, match="already"):
        services.award_announce(award=first, by=users["officer"], on=today)


def test_a_proposed_award_is_corrected_and_an_unpaid_one_withdrawn(zone, users) -> None:
    import datetime as dt
    from decimal import Decimal

    from gaoxin.campaigns import award_services
    from gaoxin.campaigns.models import Award
    from gaoxin.core.metrics import MetricScope, registry
    from tests.factories import AwardBatchFactory, EnterpriseFactory

    officer = users["officer"]
    batch = AwardBatchFactory(zone=zone)
    enterprise = EnterpriseFactory(zone=zone)
    award = award_services.award_add(
        batch=batch, enterprise=enterprise, amount="500000", reason="小巨人认定奖励", by=officer
    )
    award_services.award_correct(award=award, by=officer, amount="800000", reason="小巨人认定奖励")
    award.refresh_from_db()
    assert award.amount == Decimal("800000")
    with pytest.raises(DomainError, match="Say why"):
        award_services.award_withdraw(award=award, by=officer, note=" ")
    award_services.award_withdraw(award=award, by=officer, note="企业不符合条件")
    award.refresh_from_db()
    assert award.status == "withdrawn"
    assert award.history.first().history_change_reason == "企业不符合条件"
    total = registry.get(f"awards.batch_total.{batch.pk}")
    assert total.value(MetricScope.of([zone.pk], dt.date.today())) == 0
    # The same enterprise can be awarded again for the same reason once the wrong one is withdrawn.
    again = award_services.award_add(
        batch=batch, enterprise=enterprise, amount="600000", reason="小巨人认定奖励", by=officer
    )
    assert Award.objects.filter(batch=batch).count() == 2
    award_services.award_batch_announce(batch=batch, by=officer, on=dt.date.today())
    again.refresh_from_db()
    with pytest.raises(DomainError, match="Only a proposed award"):
        award_services.award_correct(award=again, by=officer, amount="1", reason="x")
    award_services.award_pay(award=again, by=officer, on=dt.date.today())
    with pytest.raises(DomainError, match="paid award cannot be withdrawn"):
        award_services.award_withdraw(award=again, by=officer, note="x")


def test_an_enterprise_sees_its_awards_only_once_announced(zone, users, client_as, own_enterprise):
    import datetime as dt

    from gaoxin.campaigns import award_services
    from tests.factories import AwardBatchFactory

    batch = AwardBatchFactory(zone=zone)
    award_services.award_add(
        batch=batch,
        enterprise=own_enterprise,
        amount="300000",
        reason="高企认定奖励",
        by=users["officer"],
    )
    client = client_as("enterprise")
    assert "高企认定奖励" not in client.get("/awards/").content.decode()
    assert (
        client.get(f"/enterprises/{own_enterprise.pk}/").content.decode().count("高企认定奖励") == 0
    )
    award_services.award_batch_announce(batch=batch, by=users["officer"], on=dt.date.today())
    assert "高企认定奖励" in client.get("/awards/").content.decode()
    assert "高企认定奖励" in client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
