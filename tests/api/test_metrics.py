"""The metrics API says what the page /metrics/<key>/ says: the same value (through the figures
cache), the same records, in the same scope; it refuses what the page refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import override

from gaoxin.core.metrics import registry
from gaoxin.core.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.factories import EnterpriseFactory, ProjectFactory, UserFactory


def _page(users: dict[str, Any], role: str, key: str, **params: Any) -> Any:
    """The page's own view: its context for the same user, key and scope."""
    client = Client()
    client.force_login(users[role])
    response = client.get(f"/metrics/{key}/", params)
    assert response.status_code == 200, response.content[:300]
    return response.context


def _all_records(api: ApiClient, key: str, **params: Any) -> list[dict[str, Any]]:
    """Every record of the figure, walking the `next` links."""
    body = api.get(f"/api/v1/metrics/{key}", **params).json()
    found = list(body["records"]["results"])
    url = body["records"]["next"]
    while url:
        response = api.client.get(url, headers=api.headers)
        assert response.status_code == 200
        page = response.json()["records"]
        found.extend(page["results"])
        url = page["next"]
    return found


@pytest.fixture
def registry_rows(zone, other_zone, users) -> None:
    """Enterprises settled over the years and signed projects, in both zones."""
    for year in (2019, 2021, 2023, 2025):
        EnterpriseFactory.create_batch(2, zone=zone, settled_on=dt.date(year, 3, 1))
    EnterpriseFactory.create_batch(3, zone=other_zone)
    for day in (dt.date(2021, 5, 1), dt.date(2023, 5, 1), dt.date(2024, 5, 1)):
        ProjectFactory(zone=zone, stage_on=day)
    ProjectFactory(zone=other_zone)


def test_list_names_every_registered_metric_in_the_callers_language(api_as, users) -> None:
    api = api_as("officer")
    api.headers["Accept-Language"] = "en"
    response = api.get("/api/v1/metrics/")
    assert response.status_code == 200
    rows = {row["key"]: row for row in response.json()}
    assert list(rows) == [m.key for m in registry.all()]
    metric = registry.get("enterprises.total")
    with override("en"):
        assert rows["enterprises.total"]["label"] == str(metric.label)
    assert rows["enterprises.total"]["unit"] == metric.unit.symbol
    chinese = {row["key"]: row for row in api_as("officer").get("/api/v1/metrics/").json()}
    with override("zh-hans"):
        assert chinese["enterprises.total"]["label"] == str(metric.label)


@pytest.mark.usefixtures("registry_rows")
@pytest.mark.parametrize("role", ["leader", "admin"])
def test_every_metric_equals_the_page(api_as, users, role) -> None:
    """Every registered metric: the API's value and its records' ids are the page's, for the
    same user (the admin's token covers both zones, a figure of several zones read as the sum
    of each zone's cached value)."""
    api = api_as(role, rate_per_minute=6000)
    for metric in registry.all():
        context = _page(users, role, metric.key)
        response = api.get(f"/api/v1/metrics/{metric.key}", page_size=200)
        assert response.status_code == 200, (metric.key, response.content[:300])
        body = response.json()
        expected = context["value"]
        if isinstance(expected, Decimal) and expected.is_nan():
            assert body["value"] is None, metric.key
        else:
            assert Decimal(str(body["value"])) == Decimal(str(expected)), metric.key
        assert body["shown"] == context["shown"], metric.key
        assert body["zones"] == list(context["scope"].zone_ids)
        assert body["as_of"] == context["scope"].as_of.isoformat()
        records = context["page"].paginator.object_list
        assert len(records) <= 200, "walk the pages for a figure this large"
        ids = [row["id"] for row in body["records"]["results"]]
        assert sorted(ids) == sorted(r.pk for r in records), metric.key
        assert [c["label"] for c in body["columns"]] == [c.label for c in context["columns"]]


@pytest.mark.usefixtures("registry_rows")
def test_cells_are_the_pages_cells(api_as, users) -> None:
    key = "projects.reached.signed"
    context = _page(users, "officer", key)
    body = api_as("officer").get(f"/api/v1/metrics/{key}", page_size=200).json()
    by_id = {row["id"]: row for row in body["records"]["results"]}
    shown = {
        obj.pk: [cell.text for cell in row]
        for obj, row in zip(context["page"].object_list, context["rows"], strict=True)
    }
    assert shown, "the scenario has signed projects"
    for pk, cells in shown.items():
        assert list(by_id[pk]["fields"].values()) == cells
        assert by_id[pk]["name"] == str(context["page"].paginator.object_list.get(pk=pk))


@pytest.mark.usefixtures("registry_rows")
def test_a_past_day_gives_the_past_value(api_as, users, zone) -> None:
    api = api_as("officer")
    past = "2022-01-01"
    for key in ("enterprises.total", "projects.reached.signed"):
        then = api.get(f"/api/v1/metrics/{key}", as_of=past).json()
        now = api.get(f"/api/v1/metrics/{key}").json()
        context = _page(users, "officer", key, as_of=past)
        assert then["as_of"] == past
        assert then["value"] == context["value"]
        assert sorted(r["id"] for r in then["records"]["results"]) == sorted(
            r.pk for r in context["page"].paginator.object_list
        )
        # Records were added after that day: the past figure is a smaller one, not today's.
        assert then["value"] < now["value"], key
        assert now["as_of"] == timezone.localdate().isoformat()


@pytest.mark.usefixtures("registry_rows")
def test_zone_by_id_or_code_and_other_zones_refused(api_as, users, zone, other_zone) -> None:
    admin = api_as("admin")
    # The admin works in every zone: all of them, one by id, the same one by code.
    both = admin.get("/api/v1/metrics/enterprises.total").json()
    assert both["zones"] == sorted([zone.pk, other_zone.pk])
    by_id = admin.get("/api/v1/metrics/enterprises.total", zone=str(zone.pk)).json()
    by_code = admin.get("/api/v1/metrics/enterprises.total", zone=zone.code).json()
    assert by_id == by_code
    assert by_id["zones"] == [zone.pk]
    assert by_id["value"] == _page(users, "admin", "enterprises.total", zone=zone.code)["value"]
    away = admin.get("/api/v1/metrics/enterprises.total", zone=other_zone.code).json()
    assert away["value"] + by_id["value"] == both["value"]

    officer = api_as("officer")
    for asked in (other_zone.code, str(other_zone.pk), "nowhere"):
        response = officer.get("/api/v1/metrics/enterprises.total", zone=asked)
        assert response.status_code == 422, asked
        assert response.json()["field"] == "zone"


def test_a_token_narrowed_to_a_zone_reads_that_zone_only(users, zone, other_zone) -> None:
    admin = users["admin"]
    admin.zones.add(other_zone)
    token = make_token(admin, zones=[other_zone])
    api = ApiClient(token)
    body = api.get("/api/v1/metrics/enterprises.total").json()
    assert body["zones"] == [other_zone.pk]
    assert api.get("/api/v1/metrics/enterprises.total", zone=zone.code).status_code == 422


def test_bad_days_and_unknown_keys_refused(api_as, users) -> None:
    api = api_as("officer")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    for day in (tomorrow, "1900-01-01", "2023-13-45", "20230101"):
        response = api.get("/api/v1/metrics/enterprises.total", as_of=day)
        assert response.status_code == 422, day
        assert response.json()["field"] == "as_of"
    response = api.get("/api/v1/metrics/no.such.metric")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.get("/api/v1/metrics/" + "a" * 201).status_code == 422
    # Cursors that decode to a position that is not an id, or to a negative offset.
    for cursor in ("cD1hYmM=", "bz0tMQ==", "%%%"):
        response = api.get("/api/v1/metrics/enterprises.total", cursor=cursor)
        assert response.status_code == 422, cursor


def test_enterprise_users_and_other_zones_members_refused(api_as, users, other_zone) -> None:
    response = api_as("enterprise").get("/api/v1/metrics/enterprises.total")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    # A family's member about another zone's record is not found, as on the page.
    from tests.factories import IndustryFactory

    industry = IndustryFactory(zone=other_zone)
    key = f"enterprises.industry.{industry.pk}"
    assert registry.find(key) is not None
    assert api_as("officer").get(f"/api/v1/metrics/{key}").status_code == 404
    assert api_as("outsider").get(f"/api/v1/metrics/{key}").status_code == 200


def test_pages_walk_every_record_once(api_as, users, zone, django_assert_max_num_queries) -> None:
    UserFactory.create_batch(7, role=Role.OFFICER, zones=[zone])
    api = api_as("leader")
    key = "accounts.users.officer"
    walked = _all_records(api, key, page_size=3)
    ids = [row["id"] for row in walked]
    expected = _page(users, "leader", key)["page"].paginator.object_list
    assert len(ids) == len(set(ids)) == 8
    assert sorted(ids) == sorted(u.pk for u in expected)
    # And back: the second page's `previous` is the first page.
    first = api.get(f"/api/v1/metrics/{key}", page_size=3).json()["records"]
    second = api.client.get(first["next"], headers=api.headers).json()["records"]
    back = api.client.get(second["previous"], headers=api.headers).json()["records"]
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


@pytest.mark.usefixtures("registry_rows")
def test_query_count_does_not_grow_with_the_records(
    api_as, users, zone, django_assert_max_num_queries
) -> None:
    api = api_as("officer")
    key = "projects.reached.signed"
    api.get(f"/api/v1/metrics/{key}")
    with django_assert_max_num_queries(14) as few:
        api.get(f"/api/v1/metrics/{key}", page_size=200)
    for day in range(20):
        ProjectFactory(zone=zone, stage_on=dt.date(2022, 1, 1) + dt.timedelta(days=day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = api.get(f"/api/v1/metrics/{key}", page_size=200).json()
    assert len(body["records"]["results"]) == body["count"] > 20
