"""Standing in the zone and in the 规上 directory, dated: the registry's counts as of a past day
read exits, returns and 规上 spells, never today's status or flag; the profile cannot change
either behind the spells' back; the enterprise page shows the history and its dated actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.errors import DomainError
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.enterprises import services
from gaoxin.enterprises.models import (
    DesignationKind,
    Enterprise,
    EnterpriseExit,
    ScaleSpell,
)
from tests.factories import DesignationFactory, UserFactory, make_uscc

DAY_2023 = dt.date(2023, 6, 30)


def _figures(zone, day: dt.date) -> dict[str, int]:
    values = Values(MetricScope.of([zone.pk], day))
    return {
        key: int(values(registry.get(key)))
        for key in (
            "enterprises.total",
            "enterprises.above_scale",
            f"enterprises.designation.{DesignationKind.HIGH_TECH.value}",
        )
    }


def _in_zone(enterprise: Enterprise, day: dt.date) -> bool:
    """The rule, in plain Python over the rows: settled by the day, and no exit open on it."""
    if enterprise.settled_on > day:
        return False
    return not any(
        x.left_on <= day and (x.returned_on is None or x.returned_on > day)
        for x in enterprise.exits.all()
    )


def _above(enterprise: Enterprise, day: dt.date) -> bool:
    return any(
        s.entered_on <= day and (s.left_on is None or s.left_on > day)
        for s in enterprise.scale_spells.all()
    )


def _expected(zone, day: dt.date) -> dict[str, int]:
    rows = [e for e in Enterprise.objects.filter(zone=zone) if _in_zone(e, day)]
    return {
        "enterprises.total": len(rows),
        "enterprises.above_scale": sum(_above(e, day) for e in rows),
    }


@pytest.fixture
def registry_rows(zone, other_zone, users, own_enterprise):
    made = [
        services.enterprise_create(
            zone=zone,
            name=f"珠海站位测试{n}有限公司",
            uscc=make_uscc(700 + n),
            settled_on=dt.date(2020 + n % 3, 3, 1),
            is_above_scale=n % 2 == 0,
            above_scale_year=2021 if n % 2 == 0 else None,
            by=users["officer"],
        )
        for n in range(6)
    ]
    for enterprise in made[:3]:
        DesignationFactory(
            enterprise=enterprise,
            kind=DesignationKind.HIGH_TECH,
            granted_on=dt.date(2022, 1, 1),
            expires_on=dt.date(2030, 12, 31),
        )
    services.enterprise_create(zone=other_zone, name="外区企业", uscc=make_uscc(799))
    return made


def test_an_exit_in_2025_leaves_2023_as_it_was_and_takes_today_down(zone, users, registry_rows):
    today = timezone.localdate()
    before_2023, before_today = _figures(zone, DAY_2023), _figures(zone, today)
    moved, closed = registry_rows[0], registry_rows[2]  # both 规上 and high-tech
    services.enterprise_exit(
        enterprise=moved, kind="moved_out", on=dt.date(2025, 4, 1), by=users["officer"]
    )
    services.enterprise_exit(
        enterprise=closed, kind="closed", on=dt.date(2025, 9, 1), note="注销", by=users["officer"]
    )

    assert _figures(zone, DAY_2023) == before_2023
    after = _figures(zone, today)
    for key in after:
        assert after[key] == before_today[key] - 2, key
    for day in (DAY_2023, dt.date(2025, 4, 1), dt.date(2025, 6, 1), today):
        figures = _figures(zone, day)
        assert {k: figures[k] for k in _expected(zone, day)} == _expected(zone, day), day
    moved.refresh_from_db()
    closed.refresh_from_db()
    assert (moved.status, closed.status) == ("moved_out", "closed")
    # Today's status is no longer what a past figure reads: forcing it back changes nothing.
    Enterprise.objects.filter(pk=moved.pk).update(status="active")
    assert _figures(zone, today) == after


def test_a_return_counts_the_enterprise_again_from_that_day(zone, users, registry_rows):
    enterprise = registry_rows[1]
    services.enterprise_exit(
        enterprise=enterprise, kind="moved_out", on=dt.date(2024, 3, 1), by=users["officer"]
    )
    services.enterprise_return(enterprise=enterprise, on=dt.date(2025, 2, 1), by=users["officer"])
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.ACTIVE
    away, back = _figures(zone, dt.date(2024, 12, 31)), _figures(zone, dt.date(2025, 2, 1))
    assert back["enterprises.total"] == away["enterprises.total"] + 1
    for day in (dt.date(2024, 2, 29), dt.date(2024, 3, 1), dt.date(2025, 1, 31), DAY_2023):
        assert _figures(zone, day)["enterprises.total"] == _expected(zone, day)["enterprises.total"]


def test_above_scale_as_of_a_past_day_after_tuiku(zone, users, registry_rows):
    enterprise = registry_rows[4]  # 规上 since 2021
    before = _figures(zone, DAY_2023)["enterprises.above_scale"]
    services.scale_leave(enterprise=enterprise, on=dt.date(2024, 1, 1), by=users["officer"])
    enterprise.refresh_from_db()
    assert (enterprise.is_above_scale, enterprise.above_scale_year) == (False, None)
    assert _figures(zone, DAY_2023)["enterprises.above_scale"] == before
    assert _figures(zone, dt.date(2024, 1, 1))["enterprises.above_scale"] == before - 1
    services.scale_enter(enterprise=enterprise, on=dt.date(2025, 1, 1), by=users["officer"])
    enterprise.refresh_from_db()
    assert (enterprise.is_above_scale, enterprise.above_scale_year) == (True, 2025)
    for day in (DAY_2023, dt.date(2024, 6, 1), dt.date(2025, 1, 1)):
        assert (
            _figures(zone, day)["enterprises.above_scale"]
            == _expected(zone, day)["enterprises.above_scale"]
        )


def test_the_registry_counts_stay_one_query(zone, registry_rows, django_assert_num_queries):
    values = Values(MetricScope.of([zone.pk], DAY_2023))
    with django_assert_num_queries(1):
        values(registry.get("enterprises.total"))
        values(registry.get("enterprises.above_scale"))


def test_a_new_enterprise_registered_as_above_scale_gets_its_spell(registry_rows):
    spell = registry_rows[0].scale_spells.get()
    assert (spell.entered_on, spell.left_on) == (dt.date(2021, 1, 1), None)
    assert not registry_rows[1].scale_spells.exists()


@pytest.mark.parametrize("field", ["status", "is_above_scale", "above_scale_year"])
def test_the_profile_does_not_set_status_or_scale(users, registry_rows, field):
    value = {"status": "closed", "is_above_scale": False, "above_scale_year": None}[field]
    with pytest.raises(TypeError, match=field):
        services.enterprise_update(
            enterprise=registry_rows[0], by=users["officer"], **{field: value}
        )


@pytest.fixture
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.usefixtures("_english")
def test_the_services_refuse_impossible_days(users, registry_rows):
    enterprise = registry_rows[5]  # settled 2022-03-01, not 规上
    officer = users["officer"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(DomainError, match="settled"):
        services.enterprise_exit(
            enterprise=enterprise, kind="moved_out", on=dt.date(2021, 1, 1), by=officer
        )
    with pytest.raises(DomainError, match="future"):
        services.enterprise_exit(enterprise=enterprise, kind="closed", on=tomorrow, by=officer)
    with pytest.raises(DomainError):
        services.enterprise_return(enterprise=enterprise, on=dt.date(2024, 1, 1), by=officer)
    services.enterprise_exit(
        enterprise=enterprise, kind="moved_out", on=dt.date(2024, 1, 1), by=officer
    )
    with pytest.raises(DomainError, match="after the day it left"):
        services.enterprise_return(enterprise=enterprise, on=dt.date(2023, 1, 1), by=officer)
    with pytest.raises(DomainError, match="future"):
        services.scale_enter(enterprise=enterprise, on=tomorrow, by=officer)
    assert EnterpriseExit.objects.filter(enterprise=enterprise).count() == 1


# --- the pages ------------------------------------------------------------------------------


def test_the_page_shows_the_history_and_the_actions_to_officers_only(client_as, registry_rows):
    enterprise = registry_rows[0]
    url = enterprise.get_absolute_url()
    page = client_as("officer").get(url).content.decode()
    assert "2021-01-01" in page  # 入统 of its spell
    assert reverse("enterprises:exit", args=[enterprise.pk]) in page
    assert reverse("enterprises:scale_leave", args=[enterprise.pk]) in page
    leader = client_as("leader").get(url).content.decode()
    assert "2021-01-01" in leader
    assert reverse("enterprises:exit", args=[enterprise.pk]) not in leader


def test_moving_out_from_the_page_needs_a_confirmation_and_a_sound_day(client_as, registry_rows):
    enterprise = registry_rows[5]
    url = reverse("enterprises:exit", args=[enterprise.pk])
    client = client_as("officer")
    unconfirmed = client.post(url, {"kind": "moved_out", "left_on": "2024-05-01"})
    assert unconfirmed.status_code == 400
    early = client.post(url, {"kind": "moved_out", "left_on": "2021-05-01", "confirm": "on"})
    assert early.status_code == 400
    assert "2022-03-01" in early.content.decode()  # the day it settled, named
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    assert (
        client.post(url, {"kind": "closed", "left_on": future, "confirm": "on"}).status_code == 400
    )
    assert not enterprise.exits.exists()
    done = client.post(
        url, {"kind": "moved_out", "left_on": "2024-05-01", "note": "迁往横琴", "confirm": "on"}
    )
    assert done.status_code == 302
    exit_ = enterprise.exits.get()
    assert (exit_.kind, exit_.left_on, exit_.note) == ("moved_out", dt.date(2024, 5, 1), "迁往横琴")

    back = reverse("enterprises:return", args=[enterprise.pk])
    assert client.post(back, {"returned_on": "2024-04-01"}).status_code == 400
    assert client.post(back, {"returned_on": "2025-01-02"}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.status == "active"


def test_ruku_and_tuiku_from_the_page(client_as, registry_rows):
    enterprise = registry_rows[1]
    client = client_as("officer")
    enter = reverse("enterprises:scale_enter", args=[enterprise.pk])
    assert client.post(enter, {"entered_on": "2024-01-01"}).status_code == 302
    leave = reverse("enterprises:scale_leave", args=[enterprise.pk])
    assert client.post(leave, {"left_on": "2023-12-31"}).status_code == 400
    assert client.post(leave, {"left_on": "2025-01-01"}).status_code == 302
    spell = enterprise.scale_spells.get()
    assert (spell.entered_on, spell.left_on, spell.source) == (
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
        ScaleSpell.Source.MANUAL,
    )


def test_the_edit_form_leaves_scale_and_status_alone(client_as, registry_rows):
    enterprise = registry_rows[0]
    client = client_as("officer")
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).context["form"]
    assert not {"status", "is_above_scale", "above_scale_year"} & set(form.fields)
    new_form = client.get(reverse("enterprises:create")).context["form"]
    assert {"is_above_scale", "above_scale_year"} <= set(new_form.fields)
    assert "status" not in new_form.fields


@pytest.mark.usefixtures("_english")
def test_liaison_officer_must_be_an_officer_of_the_zone(users, registry_rows, other_zone):
    enterprise = registry_rows[0]
    with pytest.raises(DomainError, match="liaison"):
        services.enterprise_update(
            enterprise=enterprise, by=users["officer"], liaison_officer=users["outsider"]
        )
    with pytest.raises(DomainError, match="liaison"):
        services.enterprise_update(
            enterprise=enterprise, by=users["officer"], liaison_officer=users["leader"]
        )
    colleague = UserFactory(username="t-colleague", role="officer", zones=[enterprise.zone])
    services.enterprise_update(
        enterprise=enterprise, by=users["officer"], liaison_officer=colleague
    )
    enterprise.refresh_from_db()
    assert enterprise.liaison_officer == colleague


@pytest.mark.parametrize("who", ["leader", "department", "enterprise", "outsider"])
def test_only_officers_change_the_standing(client_as, registry_rows, who):
    enterprise = registry_rows[5]
    url = reverse("enterprises:exit", args=[enterprise.pk])
    response = client_as(who).post(
        url, {"kind": "moved_out", "left_on": "2024-05-01", "confirm": "on"}
    )
    assert response.status_code in (403, 404)
    assert not enterprise.exits.exists()


# --- GB/T 4754 and the liaison officer on the pages --------------------------------------


@pytest.fixture
def classed(zone, users, registry_rows):
    from gaoxin.industries.models import NationalIndustry

    colleague = UserFactory(username="t-liaison", name="李挂点", role="officer", zones=[zone])
    electric = NationalIndustry.objects.get(code="38")
    software = NationalIndustry.objects.get(code="65")
    for enterprise, division in zip(
        registry_rows[:4], [electric, electric, software, None], strict=True
    ):
        services.enterprise_update(
            enterprise=enterprise,
            by=users["officer"],
            national_industry=division,
            liaison_officer=colleague if division == electric else None,
        )
    return {"colleague": colleague, "electric": electric, "software": software}


def test_the_list_filters_by_section_officer_status_and_scale(
    client_as, users, registry_rows, classed, django_assert_max_num_queries
):
    services.enterprise_exit(
        enterprise=registry_rows[1], kind="closed", on=dt.date(2025, 1, 1), by=users["officer"]
    )
    client = client_as("officer")

    def names(**query):
        with django_assert_max_num_queries(15):
            response = client.get(reverse("enterprises:list"), query)
        return {e.name for e in response.context["page"].object_list}

    rows = {e.pk: e for e in Enterprise.objects.all()}
    expect_c = {e.name for e in rows.values() if e.national_industry_id == classed["electric"].pk}
    assert names(section="C") == expect_c and len(expect_c) == 2
    assert names(section="I") == {registry_rows[2].name}
    assert names(liaison_officer=classed["colleague"].pk) == expect_c
    assert names(status="closed") == {registry_rows[1].name}
    above = {e.name for e in Enterprise.objects.filter(is_above_scale=True)}
    assert names(above_scale="1") == above


def test_the_page_and_the_form_show_the_class_and_officer(client_as, registry_rows, classed):
    client = client_as("officer")
    enterprise = registry_rows[0]
    page = client.get(enterprise.get_absolute_url()).content.decode()
    assert "电气机械和器材制造业" in page and "李挂点" in page
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).content.decode()
    assert '<optgroup label="C 制造业">' in form
    assert "李挂点" in form
    assert "t-outsider" not in form  # only the zone's officers are offered
