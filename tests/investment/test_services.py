"""The rules of the lead services, each refusal checked to write nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.translation import override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.core.errors import DomainError
from gaoxin.core.roles import Role
from gaoxin.investment import services
from gaoxin.investment.models import OPEN_STATUSES, Lead, LeadContact, LeadStatus
from tests.factories import (
    ChainSegmentFactory,
    IndustryFactory,
    LeadFactory,
    UserFactory,
    make_uscc,
)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


@pytest.fixture
def chain(zone):
    industry = IndustryFactory(zone=zone, name="储能")
    return industry, ChainSegmentFactory(industry=industry, name="储能变流器")


def _create(zone, users, **fields):
    arguments = {
        "zone": zone,
        "by": users["officer"],
        "company_name": "远景储能科技有限公司",
        "source": "chain_gap",
        "officer": users["officer"],
        **fields,
    }
    return services.lead_create(**arguments)


# --- create and update ---------------------------------------------------------------------


def test_create_cleans_the_code_sets_the_industry_from_the_segment_and_records_who(
    zone, users, chain
) -> None:
    industry, segment = chain
    code = make_uscc(501)
    lead = _create(
        zone,
        users,
        company_name="  远景储能　科技有限公司 ",
        uscc=f" {code[:9].lower()} {code[9:]}",
        segment=segment,
        expected_investment=Decimal("500000000"),
    )
    assert lead.company_name == "远景储能 科技有限公司"
    assert lead.uscc == code
    assert lead.industry == industry and lead.segment == segment
    assert lead.status == LeadStatus.NEW
    assert lead.last_activity_on == timezone.localdate()
    assert lead.history.get().history_user == users["officer"]


def test_create_without_a_code_or_industry_is_fine(zone, users) -> None:
    lead = _create(zone, users)
    assert lead.uscc == "" and lead.industry is None and lead.segment is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"company_name": "  "}, "company_name", "name is required"),
        ({"uscc": "91440400000000001X"}, "uscc", "check character"),
        ({"uscc": "123"}, "uscc", "18 characters"),
        ({"source": "rumour"}, "source", "where the lead came from"),
        ({"expected_investment": Decimal("-1")}, "expected_investment", "negative"),
    ],
)
def test_create_refuses_bad_values_and_writes_nothing(zone, users, fields, field, message) -> None:
    with pytest.raises(DomainError, match=message) as refused:
        _create(zone, users, **fields)
    assert refused.value.field == field
    assert not Lead.objects.exists()
    assert not Lead.history.model.objects.exists()


def test_create_refuses_a_segment_of_another_industry(zone, users, chain) -> None:
    industry, _segment = chain
    other_segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone, name="传感器"))
    with pytest.raises(DomainError, match="not a link of the 储能 chain") as refused:
        _create(zone, users, industry=industry, segment=other_segment)
    assert refused.value.field == "segment"
    assert not Lead.objects.exists()


def test_create_refuses_an_industry_or_segment_of_another_zone(zone, other_zone, users) -> None:
    away_industry = IndustryFactory(zone=other_zone)
    away_segment = ChainSegmentFactory(industry=away_industry)
    with pytest.raises(DomainError, match="another zone"):
        _create(zone, users, industry=away_industry)
    with pytest.raises(DomainError, match="another zone"):
        _create(zone, users, segment=away_segment)
    assert not Lead.objects.exists()


@pytest.mark.parametrize("who", ["leader", "department", "enterprise", "outsider"])
def test_create_refuses_an_officer_who_is_not_a_writer_of_the_zone(zone, users, who) -> None:
    with pytest.raises(DomainError, match="not an officer of") as refused:
        _create(zone, users, officer=users[who])
    assert refused.value.field == "officer"
    assert not Lead.objects.exists()


def test_an_administrator_may_follow_a_lead(zone, users) -> None:
    assert _create(zone, users, officer=users["admin"]).officer == users["admin"]


def test_an_inactive_officer_cannot_follow_a_lead(zone, users) -> None:
    gone = UserFactory(role=Role.OFFICER, zones=[zone], is_active=False)
    with pytest.raises(DomainError):
        _create(zone, users, officer=gone)


def test_a_code_already_on_an_open_lead_is_refused_but_not_one_of_a_closed_lead(
    zone, users
) -> None:
    first = _create(zone, users, uscc=make_uscc(601))
    with pytest.raises(DomainError, match="远景储能科技有限公司") as refused:
        _create(zone, users, company_name="另一条线索", uscc=make_uscc(601))
    assert refused.value.field == "uscc"
    assert Lead.objects.count() == 1
    services.lead_set_status(lead=first, by=users["officer"], status="abandoned", reason="撤资")
    assert _create(zone, users, company_name="重新接触", uscc=make_uscc(601)).pk


def test_update_keeps_the_rules_and_a_refusal_writes_nothing(zone, users, chain) -> None:
    industry, segment = chain
    lead = _create(zone, users, uscc=make_uscc(701))
    services.lead_update(
        lead=lead, by=users["admin"], segment=segment, industry=None, contact_person="王经理"
    )
    lead.refresh_from_db()
    assert lead.industry == industry and lead.contact_person == "王经理"
    assert lead.history.first().history_user == users["admin"]
    rows = lead.history.count()
    fresh = Lead.objects.get(pk=lead.pk)
    with pytest.raises(DomainError):
        services.lead_update(lead=fresh, by=users["officer"], officer=users["leader"])
    with pytest.raises(DomainError):
        services.lead_update(lead=fresh, by=users["officer"], uscc="bad")
    lead.refresh_from_db()
    assert lead.officer == users["officer"] and lead.uscc == make_uscc(701)
    assert lead.history.count() == rows


def test_update_drops_a_segment_that_no_longer_fits_a_new_industry(zone, users, chain) -> None:
    _industry, segment = chain
    lead = _create(zone, users, segment=segment)
    other = IndustryFactory(zone=zone, name="医疗器械")
    services.lead_update(lead=lead, by=users["officer"], industry=other)
    lead.refresh_from_db()
    assert lead.industry == other and lead.segment is None


@pytest.mark.parametrize("current", ["signed", "abandoned", "new"])
def test_update_refuses_a_status_change(zone, users, current) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status=current, abandon_reason="撤资")
    target = "contacted"
    with pytest.raises(DomainError) as refused:
        services.lead_update(lead=lead, by=users["officer"], status=target, description="x")
    assert refused.value.field == "status"
    lead.refresh_from_db()
    assert lead.status == current and lead.description == ""


def test_update_accepts_the_unchanged_status_a_form_may_carry(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"])
    services.lead_update(lead=lead, by=users["officer"], status="new", description="背景")
    lead.refresh_from_db()
    assert lead.description == "背景"


# --- status --------------------------------------------------------------------------------


def test_status_moves_forward_and_back_among_the_open_statuses(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"])
    for status in ("visited", "negotiating", "contacted", "negotiating"):
        services.lead_set_status(lead=lead, by=users["officer"], status=status)
        lead.refresh_from_db()
        assert lead.status == status
    assert lead.history.first().history_user == users["officer"]


def test_abandoning_needs_a_reason_and_reopening_clears_it(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="contacted")
    with pytest.raises(DomainError, match="why") as refused:
        services.lead_set_status(lead=lead, by=users["officer"], status="abandoned", reason=" ")
    assert refused.value.field == "reason"
    lead.refresh_from_db()
    assert lead.status == "contacted"
    services.lead_set_status(
        lead=lead, by=users["officer"], status="abandoned", reason="企业选择外地落户"
    )
    lead.refresh_from_db()
    assert (lead.status, lead.abandon_reason) == ("abandoned", "企业选择外地落户")
    services.lead_set_status(lead=lead, by=users["officer"], status="negotiating")
    lead.refresh_from_db()
    assert (lead.status, lead.abandon_reason) == ("negotiating", "")


def test_signing_is_refused_here_and_points_to_the_project(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="negotiating")
    with pytest.raises(DomainError, match="turning it into a project"):
        services.lead_set_status(lead=lead, by=users["officer"], status="signed")
    lead.refresh_from_db()
    assert lead.status == "negotiating"


def test_a_signed_lead_cannot_change_status(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="signed")
    for status in ("new", "negotiating", "abandoned"):
        with pytest.raises(DomainError, match="signed lead cannot change"):
            services.lead_set_status(lead=lead, by=users["officer"], status=status, reason="x")
    lead.refresh_from_db()
    assert lead.status == "signed"


def test_the_same_status_or_an_unknown_one_is_refused(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="visited")
    with pytest.raises(DomainError, match="already at"):
        services.lead_set_status(lead=lead, by=users["officer"], status="visited")
    with pytest.raises(DomainError):
        services.lead_set_status(lead=lead, by=users["officer"], status="won")
    assert lead.history.count() == 1


def test_mark_signed_refuses_abandoned_and_signed_leads(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="negotiating")
    services.lead_mark_signed(lead=lead, by=users["officer"])
    lead.refresh_from_db()
    assert lead.status == "signed"
    with pytest.raises(DomainError, match="already signed"):
        services.lead_mark_signed(lead=lead, by=users["officer"])
    gone = LeadFactory(zone=zone, officer=users["officer"], status="abandoned", abandon_reason="x")
    with pytest.raises(DomainError, match="abandoned"):
        services.lead_mark_signed(lead=gone, by=users["officer"])
    gone.refresh_from_db()
    assert gone.status == "abandoned"


REASONS = st.sampled_from(["", "  ", "企业预算调整"])
STEPS = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(LeadStatus.values), REASONS),
        st.just(("mark_signed", "")),
    ),
    max_size=8,
)


def _expected(current: str, target: str, reason: str) -> str | None:
    """The status machine as a table: the status the lead ends at, or None for a refusal."""
    if target == "mark_signed":
        return "signed" if current in OPEN_STATUSES else None
    if current == "signed" or target in ("signed", current):
        return None
    if target == "abandoned" and not reason.strip():
        return None
    return target


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_the_status_machine_follows_its_table(zone, users, steps) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"])
    for target, reason in steps:
        before = lead.status
        expected = _expected(before, target, reason)
        try:
            if target == "mark_signed":
                services.lead_mark_signed(lead=lead, by=users["officer"])
            else:
                services.lead_set_status(
                    lead=lead, by=users["officer"], status=target, reason=reason
                )
        except DomainError:
            assert expected is None, (before, target, reason)
        else:
            assert expected is not None, (before, target, reason)
        lead.refresh_from_db()
        assert lead.status == (expected or before)
        assert (lead.abandon_reason != "") == (lead.status == "abandoned")


# --- contacts ------------------------------------------------------------------------------


def test_a_contact_keeps_the_last_activity_and_moves_a_new_lead_to_contacted(zone, users) -> None:
    today = timezone.localdate()
    lead = LeadFactory(
        zone=zone, officer=users["officer"], last_activity_on=today - dt.timedelta(days=90)
    )
    contact = services.contact_add(
        lead=lead,
        by=users["officer"],
        kind="visit",
        on=today - dt.timedelta(days=10),
        notes="拜访董事长，介绍园区政策",
    )
    assert contact.by == users["officer"]
    lead.refresh_from_db()
    assert lead.status == "contacted"
    assert lead.last_activity_on == today - dt.timedelta(days=10)
    # An older contact recorded late does not move the last activity back.
    services.contact_add(
        lead=lead, by=users["officer"], kind="call", on=today - dt.timedelta(days=40), notes="电话"
    )
    lead.refresh_from_db()
    assert lead.last_activity_on == today - dt.timedelta(days=10)
    assert lead.status == "contacted"


def test_a_contact_does_not_move_a_lead_further_than_contacted(zone, users) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="negotiating")
    services.contact_add(
        lead=lead, by=users["officer"], kind="negotiation", on=timezone.localdate(), notes="谈判"
    )
    lead.refresh_from_db()
    assert lead.status == "negotiating"


@pytest.mark.parametrize("status", ["signed", "abandoned"])
def test_a_contact_on_a_closed_lead_is_kept_but_the_status_stays(zone, users, status) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status=status, abandon_reason="x")
    services.contact_add(
        lead=lead, by=users["officer"], kind="call", on=timezone.localdate(), notes="回访"
    )
    lead.refresh_from_db()
    assert lead.status == status
    assert lead.contacts.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"on": dt.date.today() + dt.timedelta(days=2)}, "on"),
        ({"notes": "   "}, "notes"),
        ({"kind": "email"}, "kind"),
    ],
)
def test_a_bad_contact_is_refused_and_writes_nothing(zone, users, fields, field) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"])
    arguments = {"kind": "visit", "on": timezone.localdate(), "notes": "拜访", **fields}
    with pytest.raises(DomainError) as refused:
        services.contact_add(lead=lead, by=users["officer"], **arguments)
    assert refused.value.field == field
    assert not LeadContact.objects.exists()
    lead.refresh_from_db()
    assert lead.status == "new"


def test_a_lead_carried_over_keeps_the_day_it_was_found(zone, users) -> None:
    import datetime as dt

    from django.utils import timezone

    from gaoxin.core.errors import DomainError
    from gaoxin.investment import services as lead_services
    from gaoxin.investment.selectors import is_idle

    today = timezone.localdate()
    lead = lead_services.lead_create(
        zone=zone,
        by=users["officer"],
        company_name="旧表格里的企业",
        source="fair",
        officer=users["officer"],
        found_on=today - dt.timedelta(days=90),
    )
    assert lead.last_activity_on == today - dt.timedelta(days=90)
    assert is_idle(lead, today)
    with pytest.raises(DomainError):
        lead_services.lead_create(
            zone=zone,
            by=users["officer"],
            company_name="未来的企业",
            source="fair",
            officer=users["officer"],
            found_on=today + dt.timedelta(days=1),
        )
