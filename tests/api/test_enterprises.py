"""The enterprises area of the API: one enterprise with its tags and designations, every
designation it held, and the writes of the registry's pages (register, edit, contact details)
through the same services, with the same answers for each role and the same refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gaoxin.core.bounds import COUNT_MAX, MONEY_MAX, YEAR_MAX
from gaoxin.enterprises import selectors
from gaoxin.enterprises.models import DesignationKind, Enterprise, ScaleSpell
from tests.factories import (
    ChainSegmentFactory,
    DesignationFactory,
    EnterpriseFactory,
    IndustryFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def _today() -> dt.date:
    return timezone.localdate()


def _designations(enterprise: Enterprise) -> dict[str, object]:
    """One designation in force, one expired, one revoked."""
    today = _today()
    return {
        "current": DesignationFactory(
            enterprise=enterprise,
            kind=DesignationKind.LITTLE_GIANT,
            granted_on=today - dt.timedelta(days=30),
            expires_on=today + dt.timedelta(days=300),
        ),
        "expired": DesignationFactory(
            enterprise=enterprise,
            kind=DesignationKind.HIGH_TECH,
            granted_on=today - dt.timedelta(days=900),
            expires_on=today - dt.timedelta(days=1),
        ),
        "revoked": DesignationFactory(
            enterprise=enterprise,
            kind=DesignationKind.TECH_SME,
            granted_on=today - dt.timedelta(days=60),
            expires_on=None,
            revoked_on=today,
        ),
    }


# --- reading -----------------------------------------------------------------------------


def test_one_enterprise_carries_its_tags_and_the_designations_in_force(api_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    industry = IndustryFactory(zone=zone)
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    enterprise.industries.set([industry, segment.industry])
    enterprise.segments.set([segment])
    made = _designations(enterprise)

    body = api_as("leader").get(f"{URL}{enterprise.pk}").json()

    assert body["id"] == enterprise.pk
    assert body["uscc"] == enterprise.uscc
    assert body["industries"] == sorted([industry.pk, segment.industry_id])
    assert body["segments"] == [segment.pk]
    assert [d["id"] for d in body["designations"]] == [made["current"].pk]
    current = body["designations"][0]
    assert current["kind"] == DesignationKind.LITTLE_GIANT
    assert current["in_force"] is True
    assert current["expires_on"] == made["current"].expires_on.isoformat()


def test_designations_lists_current_and_past_paged(api_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    made = _designations(enterprise)
    DesignationFactory(enterprise=EnterpriseFactory(zone=zone))  # another's: not listed
    client = api_as("officer")

    first = client.get(f"{URL}{enterprise.pk}/designations", page_size=2).json()
    second = client.get(first["next"]).json()

    rows = first["results"] + second["results"]
    assert len(first["results"]) == 2
    assert second["next"] is None
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {d.pk for d in made.values()}
    assert by_id[made["current"].pk]["in_force"] is True
    assert by_id[made["expired"].pk]["in_force"] is False
    assert by_id[made["revoked"].pk]["in_force"] is False
    assert by_id[made["revoked"].pk]["revoked_on"] == _today().isoformat()
    assert by_id[made["expired"].pk]["kind"] == DesignationKind.HIGH_TECH


def test_enterprise_user_reads_its_own_designations_only(api_as, own_enterprise, zone) -> None:
    mine = DesignationFactory(enterprise=own_enterprise)
    other = EnterpriseFactory(zone=zone)
    client = api_as("enterprise")

    own = client.get(f"{URL}{own_enterprise.pk}/designations")
    assert [row["id"] for row in own.json()["results"]] == [mine.pk]
    assert client.get(f"{URL}{other.pk}/designations").status_code == 404


def test_other_zones_enterprise_is_not_found(api_as, other_zone) -> None:
    away = EnterpriseFactory(zone=other_zone)
    client = api_as("officer")
    for response in (
        client.get(f"{URL}{away.pk}"),
        client.get(f"{URL}{away.pk}/designations"),
        client.patch(f"{URL}{away.pk}", {"version": away.version, "short_name": "外"}),
        client.patch(f"{URL}{away.pk}/contacts", {"version": away.version, "address": "外"}),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    away.refresh_from_db()
    assert (away.short_name, away.address, away.version) == ("", "", 1)


def _warm(client):
    """The client, its token's first use (marked on the token once a while) behind it."""
    assert client.get(URL, page_size=1).status_code == 200
    return client


def _queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **params)
    assert response.status_code == 200
    return len(captured)


def test_list_queries_do_not_grow_with_rows(api_as, zone, django_assert_max_num_queries) -> None:
    client = _warm(api_as("officer"))
    EnterpriseFactory.create_batch(2, zone=zone)
    few = _queries(client, URL)
    for enterprise in EnterpriseFactory.create_batch(6, zone=zone):
        DesignationFactory(enterprise=enterprise)
        enterprise.industries.set([IndustryFactory(zone=zone)])
    many = _queries(client, URL)
    assert many == few
    with django_assert_max_num_queries(8):
        assert len(client.get(URL).json()["results"]) == 9  # with the standing user's own


def test_get_queries_do_not_grow_with_tags_or_designations(
    api_as, zone, django_assert_max_num_queries
) -> None:
    client = _warm(api_as("officer"))
    bare = EnterpriseFactory(zone=zone)
    full = EnterpriseFactory(zone=zone)
    _designations(full)
    DesignationFactory(enterprise=full, kind=DesignationKind.INNOVATIVE_SME, expires_on=None)
    segments = [ChainSegmentFactory(industry=IndustryFactory(zone=zone)) for _ in range(3)]
    full.segments.set(segments)
    full.industries.set([s.industry for s in segments])

    assert _queries(client, f"{URL}{full.pk}") == _queries(client, f"{URL}{bare.pk}")
    with django_assert_max_num_queries(10):
        assert len(client.get(f"{URL}{full.pk}").json()["designations"]) == 2
    assert _queries(client, f"{URL}{full.pk}/designations") == _queries(
        client, f"{URL}{bare.pk}/designations"
    )


# --- registering -------------------------------------------------------------------------


def _new(**fields) -> dict[str, object]:
    return {"name": "珠海接口科技有限公司", "uscc": make_uscc(700_001), **fields}


def test_create_then_read_back_through_the_api_and_the_pages(api_as, zone, users) -> None:
    industry = IndustryFactory(zone=zone)
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    client = api_as("officer")
    year = _today().year - 2

    response = client.post(
        URL,
        _new(
            short_name=" 接口科技 ",
            legal_representative="王五",
            founded_on="2019-05-06",
            registered_capital="12345678.90",
            employees=120,
            address="唐家湾镇大学路 1 号",
            industries=[industry.pk],
            segments=[segment.pk],
            liaison_officer=users["officer"].pk,
            is_above_scale=True,
            above_scale_year=year,
            contact_person="赵六",
            contact_email="zhao@example.com",
        ),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    stored = selectors.enterprise_get_for_user(users["officer"], body["id"])
    assert stored.zone_id == zone.pk
    assert stored.name == "珠海接口科技有限公司"
    assert stored.short_name == "接口科技"  # stripped, as the form strips
    assert stored.registered_capital == Decimal("12345678.90")
    assert stored.employees == 120
    assert stored.founded_on == dt.date(2019, 5, 6)
    assert stored.settled_on == _today()  # the service's default
    assert stored.liaison_officer == users["officer"]
    assert stored.name_initials.startswith("zhjkkjyxgs")  # searchable by pinyin
    # A segment brings its industry, as on the page.
    assert set(stored.industries.values_list("pk", flat=True)) == {
        industry.pk,
        segment.industry_id,
    }
    assert ScaleSpell.objects.get(enterprise=stored).entered_on == dt.date(year, 1, 1)
    assert [e.pk for e in selectors.enterprise_search(users["officer"], q="zhjk")] == [stored.pk]

    read = client.get(f"{URL}{body['id']}").json()
    assert read == body
    assert read["registered_capital"] == "12345678.90"
    assert read["segments"] == [segment.pk]
    assert read["version"] == stored.version
    assert read["is_above_scale"] is True
    assert read["above_scale_year"] == year


def test_create_names_the_token_in_the_history(api_as) -> None:
    client = api_as("officer", name="统计局数据接口")
    del client.headers["Accept-Language"]  # no language asked for: Chinese
    response = client.post(URL, _new())
    assert response.status_code == 201, response.content
    enterprise = Enterprise.objects.get(pk=response.json()["id"])
    row = enterprise.history.first()
    assert row.history_change_reason.startswith("API 令牌“统计局数据接口”")
    assert row.history_user.username == "t-officer"


def test_duplicate_code_is_refused_on_the_uscc_field(api_as, zone) -> None:
    existing = EnterpriseFactory(zone=zone)
    before = Enterprise.objects.count()

    response = api_as("officer").post(URL, _new(uscc=existing.uscc.lower()))

    assert response.status_code == 400
    assert response.json()["code"] == "refused"
    assert response.json()["field"] == "uscc"
    assert existing.name in response.json()["message"]
    assert Enterprise.objects.count() == before


def test_invalid_code_is_refused_on_the_uscc_field(api_as) -> None:
    valid = make_uscc(700_002)
    wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    before = Enterprise.objects.count()
    client = api_as("officer")
    for code in (wrong_check, "123", ""):
        response = client.post(URL, _new(uscc=code))
        assert response.status_code == 400, (code, response.content)
        assert (response.json()["code"], response.json()["field"]) == ("refused", "uscc")
    assert Enterprise.objects.count() == before


def test_a_code_typed_with_spaces_and_hyphens_is_kept_clean(api_as) -> None:
    code = make_uscc(700_003)
    typed = f"{code[:6]} {code[6:12]}-{code[12:].lower()}"
    response = api_as("officer").post(URL, _new(uscc=typed))
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == code
    assert Enterprise.objects.get(pk=response.json()["id"]).uscc == code


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "企" * (Enterprise._meta.get_field("name").max_length + 1)),
        ("short_name", "简" * (Enterprise._meta.get_field("short_name").max_length + 1)),
        ("contact_phone", "1" * (Enterprise._meta.get_field("contact_phone").max_length + 1)),
        ("registered_capital", str(MONEY_MAX + 1)),
        ("registered_capital", "-1"),
        ("registered_capital", "1.001"),
        ("employees", COUNT_MAX + 1),
        ("employees", 2**63),
        ("above_scale_year", YEAR_MAX + 1),
        ("founded_on", "2024-02-30"),
        ("contact_email", "not-an-address"),
        ("industries", [0]),
        ("national_industry", 2**63),
        ("status", "closed"),  # the status follows the dated exits, not a field
        ("unknown", "x"),
    ],
)
def test_values_the_database_would_refuse_are_422(api_as, field, value) -> None:
    before = Enterprise.objects.count()
    response = api_as("officer").post(URL, _new(**{field: value}))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["field"].split(".")[0] == field
    assert Enterprise.objects.count() == before


def test_the_longest_values_the_columns_hold_are_kept(api_as) -> None:
    longest = {
        name: "企" * Enterprise._meta.get_field(name).max_length
        for name in ("name", "short_name", "legal_representative", "address", "contact_person")
    }
    response = api_as("officer").post(
        URL, _new(**longest, registered_capital=str(MONEY_MAX), employees=COUNT_MAX)
    )
    assert response.status_code == 201, response.content
    stored = Enterprise.objects.get(pk=response.json()["id"])
    assert stored.name == longest["name"]
    assert stored.registered_capital == MONEY_MAX


def test_a_name_whose_initials_outgrow_their_column_is_kept(api_as) -> None:
    """ "İ" lower-cases to two characters: the longest name of them made initials longer than
    their column (PostgreSQL refused it: a server error)."""
    longest = Enterprise._meta.get_field("name").max_length
    response = api_as("officer").post(URL, _new(name="İ" * longest))
    assert response.status_code == 201, response.content
    stored = Enterprise.objects.get(pk=response.json()["id"])
    assert stored.name == "İ" * longest
    assert len(stored.name_initials) <= Enterprise._meta.get_field("name_initials").max_length
    assert stored.name_initials.startswith("i̇i̇")


def test_references_outside_the_zone_are_refused(api_as, zone, other_zone, users) -> None:
    client = api_as("officer")
    away_industry = IndustryFactory(zone=other_zone)
    away_segment = ChainSegmentFactory(industry=away_industry)
    for field, value in (
        ("industries", [away_industry.pk]),
        ("segments", [away_segment.pk]),
        ("liaison_officer", users["outsider"].pk),
        ("liaison_officer", users["leader"].pk),
    ):
        response = client.post(URL, _new(**{field: value}))
        assert response.status_code == 400, (field, response.content)
        assert (response.json()["code"], response.json()["field"]) == ("refused", field)
    assert not Enterprise.objects.filter(name="珠海接口科技有限公司").exists()


def test_the_zone_is_named_when_the_token_reaches_several(api_as, zone, other_zone) -> None:
    client = api_as("admin")  # an administrator works in every zone

    unnamed = client.post(URL, _new())
    assert unnamed.status_code == 400
    assert unnamed.json()["field"] == "zone_id"

    named = client.post(URL, _new(zone_id=other_zone.pk))
    assert named.status_code == 201, named.content
    assert Enterprise.objects.get(pk=named.json()["id"]).zone_id == other_zone.pk


def test_a_zone_outside_the_token_is_refused(api_as, zone, other_zone, users) -> None:
    client = api_as("officer")
    response = client.post(URL, _new(zone_id=other_zone.pk))
    assert response.status_code == 400
    assert response.json()["field"] == "zone_id"
    assert not Enterprise.objects.filter(zone=other_zone).exists()
    # An administrator's token narrowed to one zone registers there without naming it and
    # may not name the other.
    narrowed = api_as("admin", zones=[zone])
    assert narrowed.post(URL, _new(zone_id=other_zone.pk)).json()["field"] == "zone_id"
    created = narrowed.post(URL, _new())
    assert Enterprise.objects.get(pk=created.json()["id"]).zone_id == zone.pk


@pytest.mark.parametrize("role", ["leader", "department", "enterprise"])
def test_only_officers_register(api_as, role) -> None:
    response = api_as(role).post(URL, _new())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert not Enterprise.objects.filter(name="珠海接口科技有限公司").exists()


# --- changing ----------------------------------------------------------------------------


def test_update_changes_only_the_fields_sent(api_as, zone) -> None:
    enterprise = EnterpriseFactory(
        zone=zone, short_name="旧简称", employees=50, address="旧地址", registered_capital=100
    )
    industry = IndustryFactory(zone=zone)
    enterprise.industries.set([industry])

    response = api_as("officer", name="招商系统").patch(
        f"{URL}{enterprise.pk}",
        {"version": enterprise.version, "employees": 80, "registered_capital": None},
    )

    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert enterprise.employees == 80
    assert enterprise.registered_capital is None
    assert (enterprise.short_name, enterprise.address) == ("旧简称", "旧地址")
    assert list(enterprise.industries.all()) == [industry]
    assert response.json()["version"] == enterprise.version == 2
    assert response.json()["industries"] == [industry.pk]
    assert "招商系统" in enterprise.history.first().history_change_reason


def test_update_renames_and_retags(api_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    segment = ChainSegmentFactory(industry=IndustryFactory(zone=zone))
    response = api_as("officer").patch(
        f"{URL}{enterprise.pk}",
        {"version": 1, "name": "珠海新名字有限公司", "segments": [segment.pk]},
    )
    assert response.status_code == 200, response.content
    enterprise.refresh_from_db()
    assert enterprise.name == "珠海新名字有限公司"
    assert enterprise.name_initials.startswith("zhxmzyxgs")
    assert response.json()["segments"] == [segment.pk]
    assert response.json()["industries"] == [segment.industry_id]


def test_update_from_a_stale_version_is_a_conflict_and_changes_nothing(api_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone, short_name="原简称")
    client = api_as("officer")
    assert client.patch(f"{URL}{enterprise.pk}", {"version": 1, "employees": 9}).status_code == 200

    stale = client.patch(f"{URL}{enterprise.pk}", {"version": 1, "short_name": "覆盖"})

    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert stale.json()["field"] == "version"
    enterprise.refresh_from_db()
    assert (enterprise.short_name, enterprise.employees, enterprise.version) == ("原简称", 9, 2)
    assert enterprise.history.count() == 2


def test_update_refusals(api_as, zone) -> None:
    enterprise = EnterpriseFactory(zone=zone)
    other = EnterpriseFactory(zone=zone)
    client = api_as("officer")
    path = f"{URL}{enterprise.pk}"

    clash = client.patch(path, {"version": 1, "uscc": other.uscc})
    assert (clash.status_code, clash.json()["field"]) == (400, "uscc")
    blank = client.patch(path, {"version": 1, "name": "  "})
    assert (blank.status_code, blank.json()["field"]) == (400, "name")
    for body, field in (
        ({"name": None}, "name"),  # a required field cannot be emptied with null
        ({"short_name": "x"}, "version"),  # the version is required
        ({"is_above_scale": True}, "is_above_scale"),  # through 入统 / 退库, not here
    ):
        response = client.patch(path, {"version": 1, **body} if field != "version" else body)
        assert (response.status_code, response.json()["field"]) == (422, field), body
    enterprise.refresh_from_db()
    assert enterprise.version == 1


# --- contact details ---------------------------------------------------------------------


def test_enterprise_user_keeps_its_own_contact_details(api_as, own_enterprise) -> None:
    response = api_as("enterprise", name="企业自助").patch(
        f"{URL}{own_enterprise.pk}/contacts",
        {"version": own_enterprise.version, "contact_phone": "0756-1234567"},
    )
    assert response.status_code == 200, response.content
    own_enterprise.refresh_from_db()
    assert own_enterprise.contact_phone == "0756-1234567"
    assert response.json()["contact_phone"] == "0756-1234567"
    assert response.json()["version"] == own_enterprise.version == 2
    assert "企业自助" in own_enterprise.history.first().history_change_reason


def test_enterprise_user_may_not_change_others_nor_its_profile(
    api_as, own_enterprise, zone
) -> None:
    other = EnterpriseFactory(zone=zone)
    client = api_as("enterprise")

    others = client.patch(f"{URL}{other.pk}/contacts", {"version": 1, "contact_person": "冒充"})
    profile = client.patch(f"{URL}{own_enterprise.pk}", {"version": 1, "name": "改名"})

    assert others.status_code == 404
    assert profile.status_code == 403
    assert profile.json()["code"] == "forbidden"
    other.refresh_from_db()
    own_enterprise.refresh_from_db()
    assert other.contact_person == ""
    assert own_enterprise.name == "珠海自家科技有限公司"
    assert (other.version, own_enterprise.version) == (1, 1)


def test_contact_update_takes_the_contact_fields_only(api_as, own_enterprise) -> None:
    client = api_as("enterprise")
    path = f"{URL}{own_enterprise.pk}/contacts"
    for body, field in (
        ({"name": "改名"}, "name"),
        ({"contact_email": "nope"}, "contact_email"),
    ):
        response = client.patch(path, {"version": 1, **body})
        assert (response.status_code, response.json()["field"]) == (422, field)
    stale = client.patch(path, {"version": 7, "address": "新地址"})
    assert stale.status_code == 409
    own_enterprise.refresh_from_db()
    assert (own_enterprise.address, own_enterprise.version) == ("", 1)
