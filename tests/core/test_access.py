import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gaoxin.accounts.models import Department
from gaoxin.core.access import AccessRule, get_for_user, scope, working_zone_ids
from gaoxin.core.roles import Role
from tests.factories import DepartmentFactory

DEPARTMENTS = AccessRule(zone_field="zone_id")
OWN_DEPARTMENT = AccessRule(
    zone_field="zone_id",
    department_field="pk",
    write_roles=frozenset({Role.ADMIN, Role.DEPARTMENT}),
)


@pytest.fixture
def departments(zone, other_zone, users):
    return {
        "home": Department.objects.get(zone=zone, name="自然资源局"),
        "home2": DepartmentFactory(zone=zone, name="科技产业局"),
        "away": DepartmentFactory(zone=other_zone, name="外部门"),
    }


def test_staff_see_their_zone_only(users, departments) -> None:
    seen = set(scope(users["officer"], Department.objects.all(), DEPARTMENTS))
    assert seen == {departments["home"], departments["home2"]}
    assert set(scope(users["outsider"], Department.objects.all(), DEPARTMENTS)) == {
        departments["away"]
    }


def test_an_object_outside_the_zone_answers_404(users, departments) -> None:
    with pytest.raises(Http404):
        get_for_user(
            users["outsider"], Department.objects.all(), departments["home"].pk, DEPARTMENTS
        )


def test_a_visible_object_a_reader_may_not_change_answers_403(users, departments) -> None:
    leader = users["leader"]
    assert (
        get_for_user(leader, Department.objects.all(), departments["home"].pk, DEPARTMENTS)
        == departments["home"]
    )
    with pytest.raises(PermissionDenied):
        get_for_user(
            leader, Department.objects.all(), departments["home"].pk, DEPARTMENTS, write=True
        )


def test_enterprise_users_see_nothing_without_an_enterprise_rule(users, departments) -> None:
    assert not scope(users["enterprise"], Department.objects.all(), DEPARTMENTS).exists()


def test_department_users_are_held_to_their_department(users, departments) -> None:
    dept_user = users["department"]
    assert set(scope(dept_user, Department.objects.all(), OWN_DEPARTMENT)) == {departments["home"]}
    assert (
        get_for_user(
            dept_user, Department.objects.all(), departments["home"].pk, OWN_DEPARTMENT, write=True
        )
        == departments["home"]
    )
    with pytest.raises(Http404):
        get_for_user(dept_user, Department.objects.all(), departments["home2"].pk, OWN_DEPARTMENT)


def test_anonymous_users_see_nothing(departments) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not scope(AnonymousUser(), Department.objects.all(), DEPARTMENTS).exists()


def test_administrators_reach_every_zone(users, zone, other_zone, departments) -> None:
    admin = users["admin"]
    assert set(working_zone_ids(admin)) == {zone.pk, other_zone.pk}
    assert scope(admin, Department.objects.all(), DEPARTMENTS).count() == 3


def test_the_zone_switch_narrows_lists_but_not_opening_by_id(
    users, zone, other_zone, departments
) -> None:
    leader = users["leader"]
    leader.zones.add(other_zone)
    leader._gaoxin_zone_ids = None
    leader.current_zone_id = zone.pk
    assert set(scope(leader, Department.objects.all(), DEPARTMENTS)) == {
        departments["home"],
        departments["home2"],
    }
    assert (
        get_for_user(leader, Department.objects.all(), departments["away"].pk, DEPARTMENTS)
        == departments["away"]
    )


def test_access_rules_live_in_modules_named_access():
    """`policies` is the 政策 app: no app keeps its access rules in a module of that name."""
    import pathlib

    import gaoxin

    root = pathlib.Path(gaoxin.__file__).parent
    assert root.joinpath("core", "access.py").is_file()
    assert sorted(p.parent.name for p in root.glob("*/policies.py")) == []
