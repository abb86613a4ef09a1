"""The one figure reader and the one link to a figure's records (core/figures.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve

from gaoxin.core.figures import Figures, metric_url
from gaoxin.core.metrics import MetricScope, registry
from tests.factories import CampaignFactory, ProjectFactory

DAY = dt.date(2023, 6, 30)


# --- metric_url --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "zone_code", "url"),
    [
        (DAY, "home", "/metrics/enterprises.total/?as_of=2023-06-30&zone=home"),
        (DAY, "", "/metrics/enterprises.total/?as_of=2023-06-30"),
        (None, "home", "/metrics/enterprises.total/?zone=home"),
        (None, "", "/metrics/enterprises.total/"),
    ],
)
def test_metric_url_carries_the_day_and_zone_it_is_given(as_of, zone_code, url) -> None:
    assert metric_url("enterprises.total", as_of=as_of, zone_code=zone_code) == url


def test_metric_url_opens_the_records_page() -> None:
    url = metric_url("awards.paid.2023-zjtx-1", as_of=DAY)
    match = resolve(url.partition("?")[0])
    assert match.view_name == "core:metric_detail"
    assert match.kwargs == {"key": "awards.paid.2023-zjtx-1"}


def test_metric_url_quotes_a_zone_code() -> None:
    assert metric_url("enterprises.total", as_of=None, zone_code="a&b") == (
        "/metrics/enterprises.total/?zone=a%26b"
    )


# --- Figures -----------------------------------------------------------------------------------


@pytest.fixture
def signed(zone):
    return [ProjectFactory(zone=zone, stage_on=dt.date(2023, 3, 1)) for _ in range(3)]


@pytest.mark.django_db
def test_a_figure_is_the_metrics_value_shown_and_linked(zone, signed) -> None:
    scope = MetricScope.of([zone.pk], DAY)
    figure = Figures(scope, zone_code=zone.code).get("projects.reached.signed")
    metric = registry.get("projects.reached.signed")
    assert figure is not None
    assert figure.value == metric.value(scope) == 3
    assert figure.shown == metric.format(3) == str(figure)
    assert figure.key == metric.key and figure.label == metric.label
    assert figure.unit == metric.unit.symbol
    assert figure.url == f"/metrics/projects.reached.signed/?as_of=2023-06-30&zone={zone.code}"


@pytest.mark.django_db
def test_each_metric_is_read_once_and_siblings_together(
    zone, signed, django_assert_num_queries
) -> None:
    figures = Figures(MetricScope.of([zone.pk], DAY))
    # Both are conditions on the zone's projects: the first read brings the second.
    assert registry.get("projects.current.registered").base is not None
    with django_assert_num_queries(1):
        first = figures.get("projects.reached.signed")
        second = figures.get("projects.current.registered")
    with django_assert_num_queries(0):
        assert figures.get("projects.reached.signed") is first
        assert figures.value("projects.current.registered") == second.value


@pytest.mark.django_db
def test_an_unknown_metric_has_no_figure_and_counts_nothing(zone) -> None:
    figures = Figures(MetricScope.of([zone.pk], DAY))
    assert figures.get("no.such.metric") is None
    assert figures.value("no.such.metric") == 0
    assert figures.many(["no.such.metric", "enterprises.total"])[0].key == "enterprises.total"


@pytest.mark.django_db
def test_a_figure_about_a_zone_the_reader_may_not_see_is_hidden(zone, other_zone) -> None:
    campaign = CampaignFactory(zone=other_zone)
    key = f"campaigns.applying.{campaign.pk}"
    scope = MetricScope.of([zone.pk, other_zone.pk], DAY)
    assert Figures(scope, allowed_zone_ids=frozenset({zone.pk})).get(key) is None
    assert Figures(scope, allowed_zone_ids=frozenset({other_zone.pk})).get(key) is not None
    # Without a set of zones to check (the briefing of zones already checked), it is read.
    assert Figures(scope).get(key) is not None


@pytest.mark.django_db
def test_shown_as_changes_the_words_not_the_number_or_link(zone, signed) -> None:
    figure = Figures(MetricScope.of([zone.pk], DAY)).get("projects.reached.signed")
    assert figure is not None
    named = figure.shown_as("某项目")
    assert (named.shown, str(named)) == ("某项目", "某项目")
    assert (named.value, named.url, named.key) == (figure.value, figure.url, figure.key)
