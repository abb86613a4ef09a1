import datetime as dt

from gaoxin.enterprises.models import Alliance, AllianceMembership
from tests.factories import EnterpriseFactory
from tests.industries.factories import AllianceFactory, MembershipFactory


def test_officer_creates_an_alliance_and_adds_a_member(client_as, zone) -> None:
    client = client_as("officer")
    response = client.post(
        "/industries/alliances/new/", {"zone": zone.pk, "name": "新型储能产业联盟"}
    )
    assert response.status_code == 302
    alliance = Alliance.objects.get(name="新型储能产业联盟")
    enterprise = EnterpriseFactory(zone=zone, name="珠海储能甲有限公司")
    response = client.post(
        f"/industries/alliances/{alliance.pk}/members/new/",
        {"enterprise": enterprise.pk, "role": "chair", "joined_on": "2023-03-01"},
    )
    assert response.status_code == 302
    membership = AllianceMembership.objects.get(alliance=alliance)
    assert membership.role == "chair" and membership.history.get().history_user.role == "officer"
    # the same enterprise again: the service's refusal is shown on the form
    response = client.post(
        f"/industries/alliances/{alliance.pk}/members/new/",
        {"uscc": enterprise.uscc.lower(), "role": "member", "joined_on": "2023-04-01"},
    )
    assert response.status_code == 400
    assert "珠海储能甲有限公司" in response.content.decode()
    detail = client.get(f"/industries/alliances/{alliance.pk}/").content.decode()
    assert "珠海储能甲有限公司" in detail and "2023-03-01" in detail


def test_a_member_from_another_zone_cannot_be_added(client_as, zone, other_zone) -> None:
    alliance = AllianceFactory(zone=zone)
    away = EnterpriseFactory(zone=other_zone)
    response = client_as("admin").post(
        f"/industries/alliances/{alliance.pk}/members/new/",
        {"uscc": away.uscc, "role": "member", "joined_on": "2023-03-01"},
    )
    assert response.status_code == 400
    assert not alliance.memberships.exists()


def test_ending_a_membership_asks_for_confirmation(client_as, zone) -> None:
    membership = MembershipFactory(alliance__zone=zone, joined_on=dt.date(2022, 1, 1))
    client = client_as("officer")
    url = f"/industries/alliances/members/{membership.pk}/end/"
    page = client.get(url)
    assert page.status_code == 200 and "btn-danger" in page.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None
    version = membership.version
    response = client.post(url, {"left_on": "2021-01-01", "version": version})  # before it joined
    assert response.status_code == 400
    response = client.post(url, {"left_on": "2023-01-01", "version": version})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2023, 1, 1)


def test_leader_reads_but_cannot_change_alliances(client_as, zone) -> None:
    membership = MembershipFactory(alliance__zone=zone)
    client = client_as("leader")
    detail = client.get(f"/industries/alliances/{membership.alliance_id}/")
    assert detail.status_code == 200
    assert "members/new" not in detail.content.decode()
    response = client.post(
        f"/industries/alliances/members/{membership.pk}/end/", {"left_on": "2023-01-01"}
    )
    assert response.status_code == 403


def test_alliance_list_query_count(client_as, zone, django_assert_max_num_queries) -> None:
    for _ in range(5):
        MembershipFactory(alliance=AllianceFactory(zone=zone))
    client = client_as("leader")
    with django_assert_max_num_queries(10):
        assert client.get("/industries/alliances/").status_code == 200
