"""The award pages: bounded lists with their totals in 万元 clicking through to the records, the
public list exported to Excel, adding, announcing and paying with confirmations, and an
enterprise user who sees only their own awards."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from python_calamine import CalamineWorkbook

from gaoxin.campaigns import award_services as services
from gaoxin.campaigns.models import Award, AwardBatch, AwardStatus
from tests.factories import AwardBatchFactory, DesignationFactory, EnterpriseFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _award(batch, enterprise, amount, reason="专精特新奖励", *, paid_on=None, announce=False):
    award = services.award_add(
        batch=batch, enterprise=enterprise, amount=amount, reason=reason, by=None
    )
    if announce or paid_on:
        services.award_announce(award=award, by=None, on=paid_on or timezone.localdate())
    if paid_on:
        services.award_pay(award=award, by=None, on=paid_on)
    return award


def _rows(response) -> list[list]:
    return (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )


def test_batch_list_is_bounded_with_totals_in_wan_yuan(
    zone, client_as, django_assert_max_num_queries
) -> None:
    batches = [AwardBatchFactory(zone=zone, name=f"奖励批次{i:02d}") for i in range(33)]
    big = batches[0]
    today = timezone.localdate()
    for i in range(20):
        _award(
            big,
            EnterpriseFactory(zone=zone),
            Decimal("700500"),
            paid_on=today if i < 5 else None,
        )
    client = client_as("leader")
    # Session, user, zones, the page, the count, the page's figures, two zone figures.
    with django_assert_max_num_queries(12):
        response = client.get("/awards/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<td class="name">') == 33
    assert f'href="/metrics/awards.batch_total.{big.pk}/">1,401万元</a>' in body
    assert f'href="/metrics/awards.batch_enterprises.{big.pk}/">20</a>' in body
    assert f'href="/metrics/awards.paid.{big.pk}/">350.25万元</a>' in body
    assert 'href="/metrics/awards.paid/">350.25万元</a>' in body
    body = client.get("/awards/", {"q": "奖励批次01"}).content.decode()
    assert body.count('<td class="name">') == 1
    export = _rows(client.get("/awards/", {"q": "奖励批次00", "export": "xlsx"}))
    assert export[1][0] == "奖励资金批次"
    assert export[2][0] == "奖励批次00" and export[2][3:7] == [20, 14010000, 5, 3502500]


def test_batch_page_shows_its_total_enterprises_and_exports_the_public_list(
    zone, users, client_as, django_assert_max_num_queries
) -> None:
    batch = AwardBatchFactory(zone=zone, name="第一批专精特新奖励资金")
    today = timezone.localdate()
    for i in range(32):
        _award(
            batch,
            EnterpriseFactory(zone=zone, name=f"获奖企业{i:02d}"),
            500000 + i,
            paid_on=today if i % 4 == 0 else None,
            announce=i % 4 == 1,
        )
    client = client_as("officer")
    with django_assert_max_num_queries(14):
        response = client.get(f"/awards/{batch.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<td class="name">') == 32
    total = sum(500000 + i for i in range(32))
    assert response.context["figures"]["total"] == total
    assert f'href="/metrics/awards.batch_total.{batch.pk}/?zone=home">1,600.05万元</a>' in body
    assert f'href="/metrics/awards.paid_enterprises.{batch.pk}/?zone=home">8</a>' in body
    body = client.get(f"/awards/{batch.pk}/", {"status": "paid"}).content.decode()
    assert body.count('<td class="name">') == 8
    body = client.get(f"/awards/{batch.pk}/", {"sort": "-amount"}).content.decode()
    assert body.index("获奖企业31") < body.index("获奖企业00")
    rows = _rows(client.get(f"/awards/{batch.pk}/", {"export": "xlsx"}))
    assert rows[0][0] == "第一批专精特新奖励资金 公示名单"
    assert rows[1][:5] == ["序号", "企业名称", "统一社会信用代码", "奖励事由", "奖励金额（元）"]
    # Announced and paid awards only: 16 of 32; the proposed ones are not public yet.
    assert len(rows) - 2 == 16
    assert rows[2][:2] == [1, "获奖企业00"] and rows[2][4] == 500000


def test_enterprise_user_sees_only_their_own_awards(zone, own_enterprise, users, client_as) -> None:
    batch = AwardBatchFactory(zone=zone, name="第一批奖励资金")
    mine = _award(batch, own_enterprise, 300000, paid_on=timezone.localdate())
    theirs = _award(batch, EnterpriseFactory(zone=zone, name="别家企业"), 800000)
    client = client_as("enterprise")
    body = client.get("/awards/").content.decode()
    assert "30万元" in body and "第一批奖励资金" in body
    assert "别家企业" not in body and "80万元" not in body and "110万元" not in body
    assert f"/awards/{batch.pk}/" not in body
    assert client.get(f"/awards/{batch.pk}/").status_code == 404
    assert client.get(f"/awards/{batch.pk}/", {"export": "xlsx"}).status_code == 404
    assert client.get(f"/awards/award/{theirs.pk}/change/").status_code == 404
    assert client.post(f"/awards/award/{mine.pk}/change/", {"action": "pay"}).status_code == 403


def test_officer_adds_an_award_for_a_designation_and_errors_are_shown(
    zone, users, client_as
) -> None:
    batch = AwardBatchFactory(zone=zone)
    enterprise = EnterpriseFactory(zone=zone, name="珠海小巨人科技有限公司")
    designation = DesignationFactory(
        enterprise=enterprise, kind="little_giant", granted_on=dt.date(2023, 7, 1)
    )
    client = client_as("officer")
    url = f"/awards/{batch.pk}/add/"
    body = client.get(url, {"q": "小巨人", "enterprise": enterprise.pk}).content.decode()
    assert "珠海小巨人科技有限公司" in body and "2023-07-01" in body
    data = {"q": "小巨人", "enterprise": enterprise.pk, "designation": designation.pk}
    response = client.post(url, {**data, "amount": "0"})
    assert "An award must be more than 0 yuan." in response.content.decode()
    response = client.post(url, {**data, "amount": "100"})  # 万元
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.designation == designation and "小巨人" in award.reason
    assert award.amount == 1_000_000
    response = client.post(url, {**data, "amount": "5"})
    assert "already awarded" in response.content.decode()
    assert Award.objects.count() == 1


def test_announce_and_pay_with_confirmation_pages(zone, users, client_as) -> None:
    batch = AwardBatchFactory(zone=zone)
    award = _award(batch, EnterpriseFactory(zone=zone, name="待拨付企业"), 250000)
    client = client_as("officer")
    today = timezone.localdate()
    # The batch's announcement: a page that says what will happen, then the write.
    body = client.get(f"/awards/{batch.pk}/announce/").content.decode()
    assert "25万元" in body and award.status == AwardStatus.PROPOSED
    response = client.post(f"/awards/{batch.pk}/announce/", {"on": today.isoformat()})
    assert response.status_code == 302
    award.refresh_from_db()
    batch.refresh_from_db()
    assert award.status == AwardStatus.ANNOUNCED and batch.announced_on == today
    url = f"/awards/award/{award.pk}/change/"
    body = client.get(url, {"action": "pay"}).content.decode()
    assert "cannot be undone" in body and "待拨付企业" in body
    future = (today + dt.timedelta(days=2)).isoformat()
    response = client.post(url, {"action": "pay", "on": future, "version": award.version})
    assert "A payment cannot be dated in the future." in response.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.ANNOUNCED
    pay = {"action": "pay", "on": today.isoformat(), "version": award.version}
    response = client.post(url, pay)
    assert response.status_code == 302
    award.refresh_from_db()
    assert (award.status, award.paid_on) == (AwardStatus.PAID, today)
    response = client.post(url, {**pay, "version": award.version})
    assert "already paid" in response.content.decode()


def test_officer_creates_and_edits_a_batch(zone, users, client_as) -> None:
    client = client_as("officer")
    response = client.post("/awards/new/", {"name": "  "})
    assert response.status_code == 200 and not AwardBatch.objects.exists()
    response = client.post("/awards/new/", {"name": "第二批奖励资金", "notes": ""})
    batch = AwardBatch.objects.get()
    assert response["Location"] == f"/awards/{batch.pk}/"
    client.post(
        f"/awards/{batch.pk}/edit/",
        {"name": "第二批奖励资金（修订）", "notes": "补", "version": batch.version},
    )
    batch.refresh_from_db()
    # CJK punctuation is kept as typed (an official name's （修订） stays full-width).
    assert batch.name == "第二批奖励资金（修订）"
    assert batch.history.first().history_user == users["officer"]
