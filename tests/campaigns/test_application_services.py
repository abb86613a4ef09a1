"""The rules of an application's life: one per enterprise per campaign, the enterprise prepares
and submits its own, the officers review it, 认定通过 grants the designation in the same step,
and every refusal writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from gaoxin.campaigns import services
from gaoxin.campaigns.models import Application, ApplicationChange, ApplicationStatus
from gaoxin.core.errors import DomainError
from gaoxin.enterprises.models import Designation
from tests.factories import CampaignFactory, EnterpriseFactory

S = ApplicationStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def campaign(zone, today):
    """Open now, leading to the provincial 专精特新 designation for 3 years."""
    return CampaignFactory(
        zone=zone,
        opens_on=today - dt.timedelta(days=60),
        closes_on=today + dt.timedelta(days=30),
        validity_years=3,
    )


@pytest.fixture
def other(zone):
    return EnterpriseFactory(zone=zone, name="珠海另一家科技有限公司")


def _draft(campaign, enterprise, by, *, days_ago: int = 50, statement: str = "研发投入占比5%"):
    return services.application_start(
        campaign=campaign,
        enterprise=enterprise,
        by=by,
        on=timezone.localdate() - dt.timedelta(days=days_ago),
        statement=statement,
    )


def _submitted(campaign, enterprise, by, *, days_ago: int = 40):
    application = _draft(campaign, enterprise, by, days_ago=days_ago + 5)
    services.application_move(
        application=application,
        by=by,
        to_status=S.SUBMITTED,
        on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    application.refresh_from_db()
    return application


def _counts() -> tuple[int, int, int]:
    return (
        Application.objects.count(),
        ApplicationChange.objects.count(),
        Designation.objects.count(),
    )


# --- starting ------------------------------------------------------------------------------


def test_an_officer_starts_one_for_an_enterprise_dated_back(campaign, own_enterprise, users):
    application = _draft(campaign, own_enterprise, users["officer"], days_ago=10)
    assert application.status == S.DRAFT
    assert application.status_on == timezone.localdate() - dt.timedelta(days=10)
    change = application.changes.get()
    assert (change.from_status, change.to_status, change.by) == ("", S.DRAFT, users["officer"])
    assert application.history.first().history_user == users["officer"]


def test_one_application_per_enterprise_per_campaign(campaign, own_enterprise, users):
    _draft(campaign, own_enterprise, users["officer"])
    before = _counts()
    with pytest.raises(DomainError, match="already has an application") as info:
        _draft(campaign, own_enterprise, users["enterprise"])
    assert info.value.field == "enterprise"
    assert _counts() == before
    # The same enterprise may apply to another campaign.
    second = CampaignFactory(
        zone=campaign.zone, opens_on=campaign.opens_on, closes_on=campaign.closes_on
    )
    assert _draft(second, own_enterprise, users["officer"]).campaign == second


def test_an_enterprise_of_another_zone_cannot_apply(campaign, other_zone, users):
    stranger = EnterpriseFactory(zone=other_zone)
    with pytest.raises(DomainError, match="not an enterprise of this campaign's zone"):
        _draft(campaign, stranger, users["officer"])
    assert _counts() == (0, 0, 0)


def test_an_enterprise_user_starts_only_their_own_and_only_while_open(
    campaign, own_enterprise, other, users, today
):
    with pytest.raises(DomainError, match="its own enterprise"):
        services.application_start(campaign=campaign, enterprise=other, by=users["enterprise"])
    closed = CampaignFactory(
        zone=campaign.zone,
        opens_on=today - dt.timedelta(days=90),
        closes_on=today - dt.timedelta(days=1),
    )
    with pytest.raises(DomainError, match="takes applications from"):
        services.application_start(
            campaign=closed, enterprise=own_enterprise, by=users["enterprise"]
        )
    assert _counts() == (0, 0, 0)
    # Their own, today whatever date is asked for.
    mine = services.application_start(
        campaign=campaign,
        enterprise=own_enterprise,
        by=users["enterprise"],
        on=today - dt.timedelta(days=20),
    )
    assert mine.status_on == today


def test_leaders_and_department_users_cannot_start_applications(campaign, own_enterprise, users):
    for role in ("leader", "department"):
        with pytest.raises(DomainError, match="officers"):
            _draft(campaign, own_enterprise, users[role])
    assert _counts() == (0, 0, 0)


def test_an_application_cannot_be_started_after_the_campaign_closed(zone, own_enterprise, users):
    campaign = CampaignFactory(
        zone=zone, opens_on=dt.date(2022, 5, 1), closes_on=dt.date(2022, 6, 30)
    )
    with pytest.raises(DomainError, match="closed on 2022-06-30"):
        services.application_start(
            campaign=campaign,
            enterprise=own_enterprise,
            by=users["officer"],
            on=dt.date(2022, 7, 1),
        )
    assert services.application_start(
        campaign=campaign, enterprise=own_enterprise, by=users["officer"], on=dt.date(2022, 5, 20)
    )


# --- preparing and submitting --------------------------------------------------------------


def test_the_statement_is_edited_while_preparing_only(campaign, own_enterprise, users):
    application = _draft(campaign, own_enterprise, users["officer"])
    services.application_update(
        application=application, by=users["enterprise"], statement="  新的申报说明\n第二行 "
    )
    application.refresh_from_db()
    assert application.statement == "新的申报说明\n第二行"
    assert application.history.first().history_user == users["enterprise"]
    services.application_submit(application=application, by=users["enterprise"])
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.application_update(application=application, by=users["enterprise"], statement="x")
    application.refresh_from_db()
    assert application.statement == "新的申报说明\n第二行"


def test_an_enterprise_user_cannot_touch_another_enterprises_application(campaign, other, users):
    application = _draft(campaign, other, users["officer"])
    before = _counts()
    with pytest.raises(DomainError, match="its own enterprise"):
        services.application_submit(application=application, by=users["enterprise"])
    with pytest.raises(DomainError, match="its own enterprise"):
        services.application_update(application=application, by=users["enterprise"], statement="")
    assert _counts() == before
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_the_enterprise_submits_its_own_today(campaign, own_enterprise, users, today):
    application = _draft(campaign, own_enterprise, users["enterprise"], days_ago=0)
    change = services.application_submit(application=application, by=users["enterprise"])
    application.refresh_from_db()
    assert (application.status, application.status_on) == (S.SUBMITTED, today)
    assert (change.from_status, change.to_status, change.by) == (
        S.DRAFT,
        S.SUBMITTED,
        users["enterprise"],
    )
    # Submitting twice is refused and writes nothing.
    with pytest.raises(DomainError, match="already submitted"):
        services.application_submit(application=application, by=users["enterprise"])
    assert application.changes.count() == 2


def test_a_submission_needs_a_statement(campaign, own_enterprise, users):
    application = _draft(campaign, own_enterprise, users["officer"], statement="")
    with pytest.raises(DomainError, match="statement") as info:
        services.application_submit(application=application, by=users["enterprise"])
    assert info.value.field == "statement"
    application.refresh_from_db()
    assert application.status == S.DRAFT and application.changes.count() == 1


def test_a_submission_falls_inside_the_campaign(zone, own_enterprise, users):
    campaign = CampaignFactory(
        zone=zone, opens_on=dt.date(2022, 5, 1), closes_on=dt.date(2022, 6, 30)
    )
    application = services.application_start(
        campaign=campaign,
        enterprise=own_enterprise,
        by=users["officer"],
        on=dt.date(2022, 4, 20),
        statement="说明",
    )
    for day in (dt.date(2022, 4, 30), dt.date(2022, 7, 1)):
        with pytest.raises(DomainError, match="takes submissions from 2022-05-01 to 2022-06-30"):
            services.application_move(
                application=application, by=users["officer"], to_status=S.SUBMITTED, on=day
            )
    # The enterprise user submits on the day itself, so not in a closed campaign.
    with pytest.raises(DomainError):
        services.application_submit(application=application, by=users["enterprise"])
    services.application_move(
        application=application,
        by=users["officer"],
        to_status=S.SUBMITTED,
        on=dt.date(2022, 6, 30),
    )
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_an_enterprise_user_cannot_move_it_past_submitted(campaign, own_enterprise, users):
    application = _submitted(campaign, own_enterprise, users["enterprise"], days_ago=0)
    before = _counts()
    for status in (S.ZONE_REVIEW, S.APPROVED, S.REJECTED, S.DRAFT):
        with pytest.raises(DomainError, match="officers review it"):
            services.application_move(
                application=application,
                by=users["enterprise"],
                to_status=status,
                on=timezone.localdate(),
                note="理由",
            )
    assert _counts() == before


# --- the review ----------------------------------------------------------------------------


def test_officers_move_it_on_step_by_step(campaign, own_enterprise, users, today):
    application = _submitted(campaign, own_enterprise, users["officer"])
    for days_ago, status in ((30, S.ZONE_REVIEW), (20, S.RECOMMENDED)):
        services.application_move(
            application=application,
            by=users["officer"],
            to_status=status,
            on=today - dt.timedelta(days=days_ago),
        )
    application.refresh_from_db()
    assert application.status == S.RECOMMENDED
    assert list(application.changes.order_by("on", "pk").values_list("to_status", flat=True)) == [
        S.DRAFT,
        S.SUBMITTED,
        S.ZONE_REVIEW,
        S.RECOMMENDED,
    ]


def test_approval_grants_the_designation_with_its_validity(campaign, own_enterprise, users):
    application = _submitted(campaign, own_enterprise, users["officer"])
    on = timezone.localdate() - dt.timedelta(days=3)
    change = services.application_move(
        application=application,
        by=users["officer"],
        to_status=S.APPROVED,
        on=on,
        note="省工信厅公示通过",
    )
    application.refresh_from_db()
    designation = application.designation
    assert designation is not None and change.to_status == S.APPROVED
    assert designation.enterprise == own_enterprise
    assert (designation.kind, designation.level) == ("specialised_sme", "provincial")
    assert designation.granted_on == on
    assert designation.expires_on == on.replace(year=on.year + 3) - dt.timedelta(days=1)
    assert designation.history.first().history_user == users["officer"]
    assert application.review_note == "省工信厅公示通过"


def test_approval_is_one_step_a_failure_leaves_nothing(
    campaign, own_enterprise, users, monkeypatch
):
    application = _submitted(campaign, own_enterprise, users["officer"])
    before = _counts()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "_record", broken)
    with pytest.raises(RuntimeError):
        services.application_move(
            application=application,
            by=users["officer"],
            to_status=S.APPROVED,
            on=timezone.localdate(),
            note="跳过推荐",
        )
    assert _counts() == before
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.designation is None


def test_a_campaign_without_a_designation_approves_without_one(zone, own_enterprise, users):
    today = timezone.localdate()
    campaign = CampaignFactory(
        zone=zone,
        designation_kind="",
        designation_level="",
        opens_on=today - dt.timedelta(days=60),
        closes_on=today,
    )
    application = _submitted(campaign, own_enterprise, users["officer"])
    services.application_move(
        application=application, by=users["officer"], to_status=S.APPROVED, on=today, note="通过"
    )
    application.refresh_from_db()
    assert application.status == S.APPROVED and application.designation is None
    assert Designation.objects.count() == 0


def test_a_grant_on_29_february_runs_to_the_end_of_february() -> None:
    assert services.designation_expires_on(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert services.designation_expires_on(dt.date(2023, 6, 30), 3) == dt.date(2026, 6, 29)


def test_an_approved_application_is_final(campaign, own_enterprise, users):
    application = _submitted(campaign, own_enterprise, users["officer"])
    today = timezone.localdate()
    services.application_move(
        application=application, by=users["officer"], to_status=S.APPROVED, on=today, note="通过"
    )
    before = _counts()
    for status in (S.REJECTED, S.RECOMMENDED, S.DRAFT):
        with pytest.raises(DomainError, match="final"):
            services.application_move(
                application=application, by=users["officer"], to_status=status, on=today, note="x"
            )
    assert _counts() == before


def test_refusal_skip_and_back_need_a_reason(campaign, own_enterprise, users):
    application = _submitted(campaign, own_enterprise, users["officer"])
    today = timezone.localdate()
    before = _counts()
    for status, message in (
        (S.REJECTED, "Say why the application was not approved"),
        (S.RECOMMENDED, "needs a reason"),
        (S.DRAFT, "needs a reason"),
    ):
        with pytest.raises(DomainError, match=message) as info:
            services.application_move(
                application=application, by=users["officer"], to_status=status, on=today
            )
        assert info.value.field == "note"
    assert _counts() == before
    services.application_move(
        application=application,
        by=users["officer"],
        to_status=S.REJECTED,
        on=today,
        note="研发投入不足",
    )
    application.refresh_from_db()
    assert application.status == S.REJECTED and application.review_note == "研发投入不足"
    # Reopened at a review status with a reason; never approved straight from 未通过.
    with pytest.raises(DomainError, match="reopened"):
        services.application_move(
            application=application, by=users["officer"], to_status=S.APPROVED, on=today, note="x"
        )
    services.application_move(
        application=application,
        by=users["officer"],
        to_status=S.ZONE_REVIEW,
        on=today,
        note="补充材料后复核",
    )
    application.refresh_from_db()
    assert application.status == S.ZONE_REVIEW


def test_a_draft_is_submitted_before_it_is_reviewed(campaign, own_enterprise, users):
    application = _draft(campaign, own_enterprise, users["officer"])
    with pytest.raises(DomainError, match="submitted before it is reviewed"):
        services.application_move(
            application=application,
            by=users["officer"],
            to_status=S.ZONE_REVIEW,
            on=timezone.localdate(),
            note="直接审核",
        )
    assert application.changes.count() == 1


def test_change_dates_are_not_in_the_future_nor_before_the_current_status(
    campaign, own_enterprise, users
):
    application = _submitted(campaign, own_enterprise, users["officer"], days_ago=10)
    today = timezone.localdate()
    before = _counts()
    with pytest.raises(DomainError, match="future"):
        services.application_move(
            application=application,
            by=users["officer"],
            to_status=S.ZONE_REVIEW,
            on=today + dt.timedelta(days=1),
        )
    with pytest.raises(DomainError, match="cannot be before"):
        services.application_move(
            application=application,
            by=users["officer"],
            to_status=S.ZONE_REVIEW,
            on=today - dt.timedelta(days=11),
        )
    assert _counts() == before


def test_a_move_from_a_status_somebody_else_changed_is_refused(campaign, own_enterprise, users):
    application = _submitted(campaign, own_enterprise, users["officer"])
    today = timezone.localdate()
    services.application_move(
        application=application, by=users["officer"], to_status=S.ZONE_REVIEW, on=today
    )
    with pytest.raises(DomainError, match="after you opened it"):
        services.application_move(
            application=application,
            by=users["admin"],
            to_status=S.ZONE_REVIEW,
            on=today,
            from_status=S.SUBMITTED,
        )


def test_move_choices_follow_the_status() -> None:
    def choices(status):
        return [value for value, _label in services.move_choices(Application(status=status))]

    assert choices(S.DRAFT) == [S.SUBMITTED]
    assert choices(S.SUBMITTED) == [S.ZONE_REVIEW, S.RECOMMENDED, S.APPROVED, S.REJECTED, S.DRAFT]
    assert choices(S.APPROVED) == []
    assert S.APPROVED not in choices(S.REJECTED)
