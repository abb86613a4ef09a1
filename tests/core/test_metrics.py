import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from python_calamine import CalamineWorkbook

from gaoxin.core.metrics import MetricScope, registry
from gaoxin.core.roles import Role
from tests.factories import UserFactory


def test_every_role_has_a_users_metric() -> None:
    for role in Role:
        assert f"accounts.users.{role.value}" in registry


def test_users_per_role_counts_the_zone_only(users, zone, other_zone) -> None:
    metric = registry.get("accounts.users.officer")
    assert metric.value(MetricScope.of([zone.pk])) == 1
    assert metric.value(MetricScope.of([other_zone.pk])) == 1  # the outsider
    assert metric.value(MetricScope.of([zone.pk, other_zone.pk])) == 2


def test_users_per_role_honours_the_as_of_date(users, zone) -> None:
    late = UserFactory(role=Role.OFFICER, zones=[zone])
    late.date_joined = timezone.now() - dt.timedelta(days=1)
    late.save()
    metric = registry.get("accounts.users.officer")
    today = timezone.localdate()
    assert metric.value(MetricScope.of([zone.pk], today)) == 2
    assert metric.value(MetricScope.of([zone.pk], today - dt.timedelta(days=3))) == 0


def test_value_equals_the_records_behind_it(users, zone) -> None:
    metric = registry.get("accounts.users.leader")
    value, records = metric.evaluate(MetricScope.of([zone.pk]))
    assert value == len(list(records)) == 1
    assert list(records) == [users["leader"]]


def test_metric_page_lists_the_records(client_as, users, django_assert_max_num_queries) -> None:
    client = client_as("leader")
    with django_assert_max_num_queries(12):
        response = client.get("/metrics/accounts.users.department/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "t-dept" in body and "t-officer" not in body


def test_metric_page_query_count_does_not_grow_with_rows(
    client_as, zone, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    client.get("/metrics/accounts.users.officer/")
    UserFactory.create_batch(30, role=Role.OFFICER, zones=[zone])
    with django_assert_max_num_queries(12):
        response = client.get("/metrics/accounts.users.officer/")
    assert response.status_code == 200


def test_metric_page_refuses_other_zones_and_bad_dates(client_as, users) -> None:
    client = client_as("leader")
    response = client.get("/metrics/accounts.users.officer/?zone=away")
    assert response.status_code == 400
    assert "away" in response.content.decode()
    response = client.get("/metrics/accounts.users.officer/?as_of=2023-13-45")
    assert response.status_code == 400
    response = client.get("/metrics/no.such.metric/")
    assert response.status_code == 404


def test_metric_records_export_to_excel(client_as, users) -> None:
    response = client_as("leader").get("/metrics/accounts.users.officer/?export=xlsx")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[2][0] == "t-officer"
    assert len(rows) == 3  # title, header, one officer


def test_metric_index_shows_every_metric(
    client_as, users, zone, django_assert_max_num_queries
) -> None:
    client = client_as("leader")
    metrics = registry.expanded(MetricScope.of([zone.pk]))
    # One query per figure, and one more to name each member of a family (an industry).
    with django_assert_max_num_queries(8 + 2 * len(metrics)):
        response = client.get("/metrics/")
    body = response.content.decode()
    for metric in metrics:
        assert metric.key in body


def test_cli_prints_json_numbers(users, capsys) -> None:
    call_command("metrics", "--json", "--zone", "home")
    data = json.loads(capsys.readouterr().out)
    assert data["accounts.users.officer"] == 1
    assert data["accounts.users.admin"] == 1
    assert all(isinstance(v, int | float) for v in data.values())


def test_cli_refuses_an_unknown_zone_and_a_bad_date(users) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no zone"):
        call_command("metrics", "--zone", "nowhere")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("metrics", "--as-of", "30/06/2023")


def test_a_family_member_about_another_zones_record_is_not_found(
    client_as, other_zone, zone
) -> None:
    from tests.factories import IndustryFactory

    away = IndustryFactory(zone=other_zone, name="外区秘密产业")
    home = IndustryFactory(zone=zone, name="本区产业")
    client = client_as("officer")
    assert client.get(f"/metrics/enterprises.industry.{away.pk}/").status_code == 404
    assert client.get(f"/metrics/enterprises.industry.{home.pk}/").status_code == 200


def test_english_counts_say_one_item_and_many_enterprises() -> None:
    from django.utils import translation

    from gaoxin.core.metrics import Unit

    with translation.override("en"):
        assert Unit.ITEM.format(1) == "1 item"
        assert Unit.ITEM.format(96) == "96 items"
        assert Unit.ENTERPRISE.format(1) == "1 enterprise"
        assert Unit.ENTERPRISE.format(292) == "292 enterprises"
        assert Unit.DAY.format(0) == "0 days"
    with translation.override("zh-hans"):
        assert Unit.ENTERPRISE.format(1) == "1家"
