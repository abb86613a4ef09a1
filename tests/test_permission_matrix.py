"""Every URL pattern of the project, tried by every role. A view added without a rule here
fails this test, so no page ships without someone deciding who may open it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "admin", "leader", "officer", "department", "enterprise", "outsider")
LOGIN = 302  # anonymous users are sent to the login page


@dataclass(frozen=True)
class Rule:
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}
    data: Callable[[dict[str, Any]], dict[str, Any]] = lambda ctx: {}
    query: str = ""
    notes: str = field(default="")


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {"anonymous": LOGIN, **{r: status for r in ROLES[1:]}, **overrides}


STAFF_ONLY = everyone(200, enterprise=403)

RULES: dict[str, Rule] = {
    "login": Rule(expect={"anonymous": 200, **{r: 302 for r in ROLES[1:]}}),
    "logout": Rule(method="post", expect={r: 302 for r in ROLES}),
    "set_language": Rule(
        method="post",
        data=lambda ctx: {"language": "en", "next": "/"},
        expect={r: 302 for r in ROLES},
    ),
    "accounts:home": Rule(expect=everyone(200)),
    "accounts:profile": Rule(expect=everyone(200)),
    "accounts:zone_switch": Rule(
        method="post", data=lambda ctx: {"zone_id": ctx["zone"].pk}, expect=everyone(302)
    ),
    "core:metric_index": Rule(expect=STAFF_ONLY),
    "core:metric_detail": Rule(
        kwargs=lambda ctx: {"key": "accounts.users.officer"}, expect=STAFF_ONLY
    ),
}


def _merge_app_rules() -> None:
    """Each app's URLs are ruled on in tests/<app>/url_rules*.py (a dict RULES of Rule), so
    that work on different apps does not collide in this file."""
    import importlib
    import pkgutil

    import tests

    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        sub = importlib.import_module(f"tests.{package.name}")
        for module in pkgutil.iter_modules(sub.__path__):
            if not module.name.startswith("url_rules"):
                continue
            rules = importlib.import_module(f"tests.{package.name}.{module.name}")
            overlap = set(rules.RULES) & set(RULES)
            assert not overlap, f"ruled twice: {overlap}"
            RULES.update(rules.RULES)


_merge_app_rules()


@pytest.fixture
def request_objects(users, zone, other_zone, own_enterprise) -> dict[str, Any]:
    """Records the rules' URLs point at: one in the standing users' zone, one outside it."""
    return build_request_objects(users, zone, other_zone, own_enterprise)


def build_request_objects(users, zone, other_zone, own_enterprise) -> dict[str, Any]:
    from tests.factories import (
        ChainSegmentFactory,
        DepartmentFactory,
        DesignationFactory,
        EnterpriseFactory,
        IndustryFactory,
        LeadFactory,
        ProjectFactory,
    )

    industry = IndustryFactory(zone=zone, name="储能")
    away_industry = IndustryFactory(zone=other_zone, name="外区产业")
    enterprise = EnterpriseFactory(zone=zone)
    department = users["department"].department
    project = ProjectFactory(zone=zone, industry=industry, carrier="land", officer=users["officer"])
    away_project = ProjectFactory(zone=other_zone, industry=away_industry)
    other_department = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    work = _project_work(project, department, other_department, users["officer"])
    return {
        **work,
        "lead": LeadFactory(zone=zone, industry=industry, officer=users["officer"]),
        "away_lead": LeadFactory(zone=other_zone),
        "project": project,
        "away_project": away_project,
        "department": department,
        "other_department": other_department,
        **_policy_work(zone, other_zone, enterprise, own_enterprise),
        "industry": industry,
        "segment": ChainSegmentFactory(industry=industry),
        "away_industry": away_industry,
        "enterprise": enterprise,
        "own_enterprise": own_enterprise,
        "away_enterprise": EnterpriseFactory(zone=other_zone),
        "designation": DesignationFactory(enterprise=enterprise),
        **_job_work(users["officer"], zone),
    }


def _job_work(officer, zone) -> dict[str, Any]:
    """The standing officer's jobs (我的任务): one failed (run again), one done with a result
    to download. Nobody else sees them."""
    from gaoxin.jobs.models import Job, JobFile

    failed = Job.objects.create(
        user=officer, zone=zone, kind="export", label="导出", status=Job.Status.FAILED
    )
    done = Job.objects.create(
        user=officer, zone=zone, kind="export", label="导出", status=Job.Status.DONE
    )
    JobFile.objects.create(
        job=done, role=JobFile.Role.RESULT, name="导出.xlsx", size=2, content=b"PK"
    )
    return {"failed_job": failed, "done_job": done}


def _policy_work(zone, other_zone, enterprise, own_enterprise) -> dict[str, Any]:
    """A policy, a briefing, a campaign with the standing enterprise user's application and
    another enterprise's, and an award batch with an award to each; one of each elsewhere."""
    from tests.factories import (
        ApplicationFactory,
        AwardBatchFactory,
        AwardFactory,
        CampaignFactory,
        PolicyEventFactory,
        PolicyFactory,
        SpaceFactory,
    )

    campaign = CampaignFactory(zone=zone)
    batch = AwardBatchFactory(zone=zone)
    return {
        "space": SpaceFactory(zone=zone),
        "away_space": SpaceFactory(zone=other_zone),
        "policy": PolicyFactory(zone=zone),
        "away_policy": PolicyFactory(zone=other_zone),
        "event": PolicyEventFactory(zone=zone),
        "campaign": campaign,
        "away_campaign": CampaignFactory(zone=other_zone),
        "own_application": ApplicationFactory(campaign=campaign, enterprise=own_enterprise),
        "other_application": ApplicationFactory(campaign=campaign, enterprise=enterprise),
        "award_batch": batch,
        "own_award": AwardFactory(batch=batch, enterprise=own_enterprise),
        "other_award": AwardFactory(batch=batch, enterprise=enterprise),
    }


def _project_work(project, department, other_department, officer) -> dict[str, Any]:
    """An approval and a blocker of the standing department user's department, one of another
    department, and a service record, all on `project`."""
    import datetime as dt

    from gaoxin.projects.models import Approval, Blocker, ServiceRecord

    record = ServiceRecord.objects.create(
        project=project,
        kind="coordination",
        held_on=dt.date(2023, 4, 1),
        minutes="协调会纪要",
        recorded_by=officer,
    )
    return {
        "approval": Approval.objects.create(
            project=project, name="用地预审", department=department
        ),
        "other_approval": Approval.objects.create(
            project=project, name="施工许可证", department=other_department
        ),
        "blocker": Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="供电线路未接入",
            department=department,
            raised_on=dt.date(2023, 4, 1),
            due_on=dt.date(2023, 5, 1),
        ),
        "other_blocker": Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="排水许可未办",
            department=other_department,
            raised_on=dt.date(2023, 4, 1),
            due_on=dt.date(2023, 5, 1),
        ),
        "service_record": record,
    }


# Patterns that are not ours to rule on, each with the reason.
NOT_OURS = {
    "admin": "Django's admin: tried separately below (staff only)",
    "djdt": "debug toolbar, never installed in production",
    "api": "the REST API: tests/api/test_api_matrix.py tries every operation with tokens",
}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in NOT_OURS:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                raise AssertionError(f"URL pattern {entry.pattern} has no name: give it one")
            yield f"{namespace}{entry.name}"


def all_url_names() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_has_a_rule() -> None:
    missing = [name for name in all_url_names() if name not in RULES]
    assert not missing, f"add a permission rule to tests/test_permission_matrix.py for: {missing}"


def test_rules_name_real_urls() -> None:
    stale = sorted(set(RULES) - set(all_url_names()))
    assert not stale, f"rules for URLs that no longer exist: {stale}"


# The matrix's rows (standing users, zones, the records its URLs point at) are built once per
# module (per xdist worker) inside a transaction that is rolled back when the module ends. Each
# case runs in pytest-django's usual transaction, a savepoint within that one, so what a
# request writes is undone before the next case, as when the rows were built for every case;
# and each case gets its own copies of the Python objects, so a rule that changes one in
# memory does not leak into the next.
@contextmanager
def standing_rows(django_db_blocker: Any, media: Any) -> Iterator[dict[str, Any]]:
    """The standing users, their zones and the records the rules point at, written in a
    transaction that is rolled back when the block ends (the API's matrix and its schema fuzz
    build the same rows for their modules)."""
    from django.db import transaction
    from django.test import override_settings

    from tests.conftest import (
        FAST_HASHERS,
        make_other_zone,
        make_own_enterprise,
        make_users,
        make_zone,
    )

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        zone, other_zone = make_zone(), make_other_zone()
        own_enterprise = make_own_enterprise(zone)
        users = make_users(zone, other_zone, own_enterprise)
        yield {
            "zone": zone,
            "other_zone": other_zone,
            "own_enterprise": own_enterprise,
            "users": users,
            "db_objects": build_request_objects(users, zone, other_zone, own_enterprise),
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def matrix_rows(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    with standing_rows(django_db_blocker, tmp_path_factory.mktemp("matrix-media")) as rows:
        yield rows


@pytest.fixture
def matrix(matrix_rows, db) -> dict[str, Any]:
    """This case's copies of the module's rows (the database rows are shared; see above)."""
    import copy

    return copy.deepcopy(matrix_rows)


# The standing-user fixtures of tests/conftest.py, served from the module's rows here (so that
# `client_as` logs in the module's users).
@pytest.fixture
def zone(matrix):
    return matrix["zone"]


@pytest.fixture
def other_zone(matrix):
    return matrix["other_zone"]


@pytest.fixture
def own_enterprise(matrix):
    return matrix["own_enterprise"]


@pytest.fixture
def users(matrix):
    return matrix["users"]


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_expected_answer(name: str, role: str, matrix, client_as) -> None:
    from django.urls import reverse

    rule = RULES[name]
    ctx = {"users": matrix["users"], "zone": matrix["zone"], "db_objects": matrix["db_objects"]}
    client: Client = client_as(None if role == "anonymous" else role)
    url = reverse(name, kwargs=rule.kwargs(ctx)) + rule.query
    response = getattr(client, rule.method)(url, data=rule.data(ctx))
    assert response.status_code == rule.expect[role], (
        f"{role} {rule.method.upper()} {url}: {response.status_code}, expected {rule.expect[role]}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_administrators_only(role: str, client_as) -> None:
    response = client_as(None if role == "anonymous" else role).get("/admin/")
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
