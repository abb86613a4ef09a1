"""The leads' figures, as of a date, read from the leads' change history."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import override

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.investment import services
from gaoxin.investment.models import Lead, LeadStatus
from tests.factories import LeadFactory


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


def _backdate(lead: Lead, days: int) -> None:
    """As if the lead had been entered `days` ago: its creation and first history row."""
    when = timezone.now() - dt.timedelta(days=days)
    Lead.objects.filter(pk=lead.pk).update(created_at=when)
    lead.history.filter(history_type="+").update(history_date=when)
    lead.refresh_from_db()


def _value(key: str, zone, as_of: dt.date) -> int:
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


def test_every_status_has_a_metric_and_they_share_a_group() -> None:
    for status in LeadStatus.values:
        metric = registry.get(f"leads.status.{status}")
        assert str(metric.group) == "Investment leads"
        assert str(metric.columns[0].label) == "Target company"
    assert "leads.open" in registry and "leads.idle" in registry


def test_a_lead_moved_to_negotiating_today_was_new_yesterday(zone, users) -> None:
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    lead = services.lead_create(
        zone=zone,
        by=users["officer"],
        company_name="己储能",
        source="fair",
        officer=users["officer"],
    )
    _backdate(lead, 10)
    services.lead_set_status(lead=lead, by=users["officer"], status="negotiating")
    assert _value("leads.status.negotiating", zone, today) == 1
    assert _value("leads.status.new", zone, today) == 0
    assert _value("leads.status.new", zone, yesterday) == 1
    assert _value("leads.status.negotiating", zone, yesterday) == 0
    assert _value("leads.open", zone, yesterday) == 1
    # Before it was entered it does not count at all.
    assert _value("leads.status.new", zone, today - dt.timedelta(days=11)) == 0
    assert _value("leads.open", zone, today - dt.timedelta(days=11)) == 0


def test_status_metrics_count_their_records_in_one_query(
    zone, other_zone, users, django_assert_num_queries
) -> None:
    for status in ("new", "new", "contacted", "signed"):
        LeadFactory(zone=zone, officer=users["officer"], status=status)
    LeadFactory(zone=other_zone, status="new")
    metric = registry.get("leads.status.new")
    scope = MetricScope.of([zone.pk])
    with django_assert_num_queries(1):
        value = metric.value(scope)
    assert value == 2
    value, records = metric.evaluate(scope)
    rows = list(records)
    assert len(rows) == value
    assert {row.status_then_label for row in rows} == {"Lead (线索)"}
    assert _value("leads.open", zone, timezone.localdate()) == 3
    assert _value("leads.status.signed", zone, timezone.localdate()) == 1


def test_an_abandoned_lead_counts_as_abandoned_from_that_day_and_reopened_after(
    zone, users
) -> None:
    lead = LeadFactory(zone=zone, officer=users["officer"], status="visited")
    _backdate(lead, 30)
    services.lead_set_status(lead=lead, by=users["officer"], status="abandoned", reason="撤回")
    last = lead.history.latest()
    last.history_date = timezone.now() - dt.timedelta(days=5)
    last.save()
    today = timezone.localdate()
    assert _value("leads.status.abandoned", zone, today - dt.timedelta(days=5)) == 1
    assert _value("leads.status.visited", zone, today - dt.timedelta(days=6)) == 1
    services.lead_set_status(lead=lead, by=users["officer"], status="contacted")
    assert _value("leads.status.contacted", zone, today) == 1
    assert _value("leads.status.abandoned", zone, today - dt.timedelta(days=1)) == 1


def test_idle_counts_open_leads_quiet_for_more_than_60_days(zone, users) -> None:
    today = timezone.localdate()
    quiet = LeadFactory(
        zone=zone, officer=users["officer"], last_activity_on=today - dt.timedelta(days=61)
    )
    LeadFactory(zone=zone, officer=users["officer"], last_activity_on=today - dt.timedelta(days=60))
    LeadFactory(
        zone=zone,
        officer=users["officer"],
        status="abandoned",
        abandon_reason="x",
        last_activity_on=today - dt.timedelta(days=300),
    )
    value, records = registry.get("leads.idle").evaluate(MetricScope.of([zone.pk], today))
    assert value == 1 and list(records) == [quiet]
    # A contact today wakes it up.
    services.contact_add(lead=quiet, by=users["officer"], kind="call", on=today, notes="回访")
    assert _value("leads.idle", zone, today) == 0


def test_idle_on_a_past_day_reads_the_contacts_dated_by_then(zone, users) -> None:
    today = timezone.localdate()
    lead = LeadFactory(
        zone=zone, officer=users["officer"], last_activity_on=today - dt.timedelta(days=100)
    )
    _backdate(lead, 100)
    services.contact_add(
        lead=lead, by=users["officer"], kind="visit", on=today - dt.timedelta(days=80), notes="拜访"
    )
    services.contact_add(lead=lead, by=users["officer"], kind="call", on=today, notes="电话")
    # 30 days ago its last contact was 50 days old; 10 days later it had gone 60 days quiet.
    assert _value("leads.idle", zone, today - dt.timedelta(days=30)) == 0
    assert _value("leads.idle", zone, today - dt.timedelta(days=19)) == 1
    assert _value("leads.idle", zone, today) == 0
    # Before any contact, the day it was entered counts.
    assert _value("leads.idle", zone, today - dt.timedelta(days=85)) == 0


def test_idle_today_agrees_with_the_list_for_leads_changed_without_history(
    zone, users, client_as
) -> None:
    today = timezone.localdate()
    lead = LeadFactory(zone=zone, officer=users["officer"])
    Lead.objects.filter(pk=lead.pk).update(last_activity_on=today - dt.timedelta(days=90))
    assert _value("leads.idle", zone, today) == 1
    body = client_as("officer").get("/leads/", {"idle": "1"}).content.decode()
    assert lead.company_name in body


def test_metric_page_lists_the_leads_behind_the_figure(client_as, zone, users) -> None:
    LeadFactory(zone=zone, officer=users["officer"], company_name="庚传感器", status="contacted")
    body = client_as("leader").get("/metrics/leads.status.contacted/").content.decode()
    assert "庚传感器" in body and "In contact (接洽)" in body
