"""The dashboard, the briefing and the metric index read their figures through the figures
cache (core/figure_cache.py, issue 19): a second view computes nothing again (a handful of
queries: the session, the user, the zones' generations) and shows the same figures; a write
through a service, once committed, shows in the next view.

These tests commit (`transaction=True`): a write in a test's own transaction is never committed,
so its readers bypass the cache and would not test it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.enterprises.services import enterprise_create
from tests.dashboard.test_dashboard import tiles
from tests.factories import (
    EnterpriseFactory,
    IndustryFactory,
    ProjectFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db(transaction=True)

# A warm view: the session and its user, the user's zones, the zones' generations (one query
# per scope read: the day's, a year before, the economy's month) and the few records a page
# lists by name. The cold views of the same pages take several times more.
WARM_MAX = 20


@pytest.fixture
def records(zone, users):
    industry = IndustryFactory(zone=zone, name="储能")
    for _ in range(3):
        EnterpriseFactory(zone=zone).industries.add(industry)
    for stage in ("signed", "registered", "in_production"):
        ProjectFactory(zone=zone, industry=industry, officer=users["officer"], stage=stage)
    return {"industry": industry}


def _count(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _add_enterprise(zone, by) -> None:
    enterprise_create(zone=zone, name="缓存测试科技有限公司", uscc=make_uscc(987_654), by=by)


def _total(zone) -> int:
    return int(registry.get("enterprises.total").value(MetricScope.of([zone.pk])))


def test_a_second_view_of_the_dashboard_computes_nothing(
    records, zone, users, client_as, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    cold, first = _count(client, "/dashboard/")
    with django_assert_max_num_queries(WARM_MAX) as warm:
        second = client.get("/dashboard/").content.decode()
    assert len(warm) * 3 < cold, (len(warm), cold)
    assert tiles(second) == tiles(first)
    assert tiles(first)["enterprises.total"][1].startswith(str(_total(zone)))

    _add_enterprise(zone, users["officer"])  # committed: the zone's generation moves on
    third = client.get("/dashboard/").content.decode()
    assert tiles(third)["enterprises.total"][1].startswith(str(_total(zone)))
    assert tiles(third)["enterprises.total"] != tiles(first)["enterprises.total"]


def _enterprises_sentence(content: str) -> str:
    # The briefing's first sentence on the enterprises: "…{total} enterprises in the registry…"
    text = re.sub(r"<[^>]+>", "", content)
    return re.sub(r"\s+", " ", text)


def test_a_second_view_of_the_briefing_computes_nothing(
    records, zone, users, client_as, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    cold, first = _count(client, "/briefing/")
    with django_assert_max_num_queries(WARM_MAX) as warm:
        second = client.get("/briefing/").content.decode()
    assert len(warm) * 2 < cold, (len(warm), cold)
    links = re.findall(r'href="(/metrics/[^"]+)"[^>]*>([^<]+)<', first)
    assert links and links == re.findall(r'href="(/metrics/[^"]+)"[^>]*>([^<]+)<', second)
    before = _total(zone)
    assert f">{before}<" in first

    _add_enterprise(zone, users["officer"])
    third = client.get("/briefing/").content.decode()
    assert f">{before + 1}<" in third and f">{before}<" not in third


def _index_row(content: str, key: str) -> str:
    """The value shown beside a metric's key on the index."""
    cell = r'</code></td>\s*<td class="num"><a [^>]*>([^<]*)<'
    match = re.search(rf'<code class="metric-key">{re.escape(key)}' + cell, content)
    assert match, key
    return match.group(1)


def test_a_second_view_of_the_metric_index_computes_nothing(
    records, zone, users, client_as, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    cold, first = _count(client, "/metrics/")
    with django_assert_max_num_queries(10) as warm:
        second = client.get("/metrics/").content.decode()
    assert len(warm) * 5 < cold, (len(warm), cold)
    figures = re.compile(r'metric-key">([^<]+)</code></td>\s*<td class="num"><a [^>]*>([^<]*)<')
    assert len(figures.findall(first)) > 20  # every metric and family member, with its value
    assert figures.findall(second) == figures.findall(first)
    # A family's member (enterprises per industry) is there, with its value.
    member = f"enterprises.industry.{records['industry'].pk}"
    assert _index_row(first, member).startswith("3")
    assert _index_row(first, "enterprises.total").startswith(str(_total(zone)))

    _add_enterprise(zone, users["officer"])
    third = client.get("/metrics/").content.decode()
    assert _index_row(third, "enterprises.total").startswith(str(_total(zone)))
    assert _index_row(third, "enterprises.total") != _index_row(first, "enterprises.total")


def test_the_cached_index_speaks_each_readers_language(records, client_as, settings) -> None:
    """The cache holds values and lazy labels, not text: a reader in English after one in
    Chinese reads English labels and units, from the same cached figures."""
    client = client_as("leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get("/metrics/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as warm:
        english = client.get("/metrics/").content.decode()
    assert len(warm) < 10  # read from the cache the Chinese view filled
    assert "在库企业" in chinese and "Enterprises in the registry" not in chinese
    assert "Enterprises in the registry" in english and "在库企业" not in english
    assert "Enterprises in 储能" in english
    assert _index_row(english, "enterprises.total").endswith("enterprises")
    assert _index_row(chinese, "enterprises.total").endswith("家")
