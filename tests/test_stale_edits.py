"""A colleague's edit is never silently undone, on every page that edits a record.

For each kind: two users open the same edit (or status) page, the first saves a change, the
second saves a different one from the page they opened before. The second is refused with a
message naming the first and when they saved; the first's change is kept and nothing else is
written (the record's history holds one change, not two). Driven through the real views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.utils import formats, timezone, translation

from gaoxin.core.roles import Role
from tests.factories import (
    ApplicationFactory,
    AwardBatchFactory,
    AwardFactory,
    CampaignFactory,
    ChainSegmentFactory,
    DesignationFactory,
    EnterpriseFactory,
    IndustryFactory,
    IndustryGroupFactory,
    LeadFactory,
    PolicyEventFactory,
    PolicyFactory,
    ProjectFactory,
    SpaceFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def form_data(form: forms.BaseForm) -> dict[str, Any]:
    """What the browser would send back for `form` as the page showed it."""
    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        name = form[name].html_name
        if isinstance(bound, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


@dataclass
class Kind:
    """One edit page: how to make its record, where it is, what two users change, and
    where to read the first user's change back."""

    make: Callable[[Any], Any]
    url: Callable[[Any], str]
    first: dict[str, Any]
    second: dict[str, Any]
    kept: Callable[[Any], Any]
    roles: tuple[str, str] = ("admin", "officer")
    context_form: str = "form"
    setup: Callable[[Any], None] = field(default=lambda ctx: None)
    # A form shown on another page (the record's own) that posts to `url`, which redirects
    # back there with the outcome as a message.
    page: Callable[[Any], str] | None = None


def _project(ctx):
    return ProjectFactory(zone=ctx.zone, carrier="land", officer=ctx.users["officer"])


def _approval(ctx):
    from gaoxin.projects.work.approvals.services import approval_add

    return approval_add(
        project=_project(ctx),
        by=ctx.users["officer"],
        name="建设工程规划许可证",
        department=ctx.users["department"].department,
    )


def _blocker(ctx):
    from gaoxin.projects.models import Blocker

    project = _project(ctx)
    return Blocker.objects.create(
        project=project,
        stage=project.stage,
        description="供电线路未接入",
        department=ctx.users["department"].department,
        raised_on=timezone.localdate() - dt.timedelta(days=10),
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )


def _alliance(ctx):
    from gaoxin.enterprises.services import alliance_create

    return alliance_create(zone=ctx.zone, name="储能产业联盟", by=ctx.users["admin"])


def _second_admin(ctx):
    ctx.users["admin2"] = UserFactory(
        username="t-admin2", role=Role.ADMIN, is_superuser=True, is_staff=True, zones=[ctx.zone]
    )


def _enterprise_user(ctx):
    ctx.users["enterprise2"] = UserFactory(
        username="t-ent2",
        role=Role.ENTERPRISE,
        zones=[ctx.zone],
        enterprise=ctx.users["enterprise"].enterprise,
    )


KINDS: dict[str, Kind] = {
    "enterprise": Kind(
        make=lambda ctx: EnterpriseFactory(zone=ctx.zone, address="旧地址", employees=10),
        url=lambda e: f"/enterprises/{e.pk}/edit/",
        first={"address": "甲改的地址", "employees": "120"},
        second={"address": "乙改的地址"},
        kept=lambda e: (e.address, e.employees),
    ),
    "enterprise contact": Kind(
        make=lambda ctx: ctx.users["enterprise"].enterprise,
        url=lambda e: f"/enterprises/{e.pk}/contact/",
        first={"contact_person": "甲"},
        second={"contact_person": "乙"},
        kept=lambda e: e.contact_person,
        roles=("enterprise", "enterprise2"),
        setup=_enterprise_user,
    ),
    "lead": Kind(
        make=lambda ctx: LeadFactory(zone=ctx.zone, contact_person="旧联系人"),
        url=lambda lead: f"/leads/{lead.pk}/edit/",
        first={"contact_person": "甲", "expected_investment": "3000"},  # 万元
        second={"contact_person": "乙"},
        kept=lambda lead: (lead.contact_person, lead.expected_investment),
    ),
    "lead status": Kind(
        make=lambda ctx: LeadFactory(zone=ctx.zone, status="contacted"),
        url=lambda lead: f"/leads/{lead.pk}/status/",
        first={"status": "visited"},
        second={"status": "negotiating"},
        kept=lambda lead: lead.status,
    ),
    "lead abandoned after confirming": Kind(
        make=lambda ctx: LeadFactory(zone=ctx.zone, status="contacted"),
        url=lambda lead: f"/leads/{lead.pk}/status/",
        first={"status": "visited"},
        second={"status": "abandoned", "reason": "对方撤资", "confirm": "1"},
        kept=lambda lead: lead.status,
    ),
    "space": Kind(
        make=lambda ctx: SpaceFactory(zone=ctx.zone, developer="旧开发商"),
        url=lambda space: f"/spaces/{space.pk}/edit/",
        first={"developer": "甲开发商", "total_floor_area": "120000"},
        second={"developer": "乙开发商"},
        kept=lambda space: (space.developer, space.total_floor_area),
    ),
    "space status": Kind(
        make=lambda ctx: SpaceFactory(zone=ctx.zone, status="planned"),
        page=lambda space: f"/spaces/{space.pk}/",
        url=lambda space: f"/spaces/{space.pk}/status/",
        context_form="status_form",
        first={"status": "building"},
        second={"status": "built"},
        kept=lambda space: space.status,
    ),
    "policy": Kind(
        make=lambda ctx: PolicyFactory(zone=ctx.zone, issuer="旧发文机关"),
        url=lambda policy: f"/policies/{policy.pk}/edit/",
        first={"issuer": "甲发文机关", "summary": "甲的摘要"},
        second={"issuer": "乙发文机关"},
        kept=lambda policy: (policy.issuer, policy.summary),
    ),
    "policy briefing": Kind(
        make=lambda ctx: PolicyEventFactory(zone=ctx.zone, place="旧地点"),
        url=lambda event: f"/policies/events/{event.pk}/edit/",
        first={"place": "甲地点", "attendee_count": "40"},
        second={"place": "乙地点"},
        kept=lambda event: (event.place, event.attendee_count),
    ),
    "campaign": Kind(
        make=lambda ctx: CampaignFactory(zone=ctx.zone, eligibility="旧条件"),
        url=lambda campaign: f"/campaigns/{campaign.pk}/edit/",
        first={"eligibility": "甲的条件", "validity_years": "3"},
        second={"eligibility": "乙的条件"},
        kept=lambda campaign: (campaign.eligibility, campaign.validity_years),
    ),
    "application": Kind(
        make=lambda ctx: ApplicationFactory(
            campaign=CampaignFactory(
                zone=ctx.zone,
                opens_on=timezone.localdate() - dt.timedelta(days=10),
                closes_on=timezone.localdate() + dt.timedelta(days=10),
            ),
            enterprise=ctx.users["enterprise"].enterprise,
            status_on=timezone.localdate() - dt.timedelta(days=1),
        ),
        url=lambda application: f"/campaigns/applications/{application.pk}/",
        context_form="edit_form",
        first={"action": "save", "statement": "甲写的申报说明"},
        second={"action": "save", "statement": "乙写的申报说明"},
        kept=lambda application: application.statement,
        roles=("enterprise", "enterprise2"),
        setup=_enterprise_user,
    ),
    "application moved": Kind(
        make=lambda ctx: ApplicationFactory(
            campaign=CampaignFactory(zone=ctx.zone),
            status="submitted",
            status_on=timezone.localdate() - dt.timedelta(days=3),
        ),
        page=lambda application: f"/campaigns/applications/{application.pk}/",
        url=lambda application: f"/campaigns/applications/{application.pk}/change/",
        context_form="move_form",
        first={"to_status": "zone_review"},
        second={"to_status": "zone_review", "note": "乙也审了"},
        kept=lambda application: application.status,
    ),
    "award batch": Kind(
        make=lambda ctx: AwardBatchFactory(zone=ctx.zone, notes="旧备注"),
        url=lambda batch: f"/awards/{batch.pk}/edit/",
        first={"notes": "甲的备注", "name": "甲改的批次名"},
        second={"notes": "乙的备注"},
        kept=lambda batch: (batch.notes, batch.name),
    ),
    "award announced": Kind(
        make=lambda ctx: AwardFactory(batch=AwardBatchFactory(zone=ctx.zone)),
        url=lambda award: f"/awards/award/{award.pk}/change/?action=announce",
        first={"action": "announce"},
        second={"action": "announce"},
        kept=lambda award: award.status,
    ),
    "award corrected": Kind(
        make=lambda ctx: AwardFactory(batch=AwardBatchFactory(zone=ctx.zone)),
        url=lambda award: f"/awards/award/{award.pk}/correct/",
        first={"amount": "30", "reason": "甲改的理由"},  # 万元
        second={"amount": "20"},
        kept=lambda award: (award.amount, award.reason),
    ),
    "award withdrawn": Kind(
        make=lambda ctx: AwardFactory(batch=AwardBatchFactory(zone=ctx.zone)),
        url=lambda award: f"/awards/award/{award.pk}/withdraw/",
        first={"note": "企业不符合条件"},
        second={"note": "重复发放"},
        kept=lambda award: award.status,
    ),
    "approval": Kind(
        make=lambda ctx: _approval(ctx),
        url=lambda approval: f"/approvals/{approval.pk}/",
        first={"status": "in_progress", "note": "甲开始办理"},
        second={"status": "returned", "note": "乙退回"},
        kept=lambda approval: (approval.status, approval.note),
        roles=("department", "officer"),
    ),
    "blocker status": Kind(
        make=lambda ctx: _blocker(ctx),
        page=lambda blocker: f"/blockers/{blocker.pk}/",
        url=lambda blocker: f"/blockers/{blocker.pk}/status/",
        context_form="status_form",
        first={"status": "in_progress"},
        second={"status": "resolved", "resolution": "乙说已解决"},
        kept=lambda blocker: blocker.status,
        roles=("department", "officer"),
    ),
    "blocker reassigned": Kind(
        make=lambda ctx: _blocker(ctx),
        page=lambda blocker: f"/blockers/{blocker.pk}/",
        url=lambda blocker: f"/blockers/{blocker.pk}/reassign/",
        context_form="reassign_form",
        first={"reassign-due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
        second={"reassign-due_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat()},
        kept=lambda blocker: blocker.due_on,
    ),
    "industry group": Kind(
        make=lambda ctx: IndustryGroupFactory(zone=ctx.zone, name="旧产业组"),
        url=lambda group: f"/industries/groups/{group.pk}/edit/",
        first={"name": "甲产业组", "order": "3"},
        second={"name": "乙产业组"},
        kept=lambda group: (group.name, group.order),
        roles=("admin", "admin2"),
        setup=_second_admin,
    ),
    "industry": Kind(
        make=lambda ctx: IndustryFactory(zone=ctx.zone, description="旧描述"),
        url=lambda industry: f"/industries/{industry.pk}/edit/",
        first={"description": "甲的描述", "weak_max": "3"},
        second={"description": "乙的描述"},
        kept=lambda industry: (industry.description, industry.weak_max),
        roles=("admin", "admin2"),
        setup=_second_admin,
    ),
    "chain segment": Kind(
        make=lambda ctx: ChainSegmentFactory(industry=IndustryFactory(zone=ctx.zone)),
        url=lambda segment: f"/industries/segments/{segment.pk}/edit/",
        first={"description": "甲的描述", "order": "2"},
        second={"description": "乙的描述"},
        kept=lambda segment: (segment.description, segment.order),
        roles=("admin", "admin2"),
        setup=_second_admin,
    ),
    "chain segment strength": Kind(
        make=lambda ctx: ChainSegmentFactory(industry=IndustryFactory(zone=ctx.zone)),
        url=lambda segment: f"/industries/segments/{segment.pk}/strength/",
        first={"strength": "strong", "reason": "甲：龙头企业已落地"},
        second={"strength": "missing", "reason": "乙：仍缺"},
        kept=lambda segment: (segment.strength_override, segment.override_reason),
    ),
    "alliance": Kind(
        make=lambda ctx: _alliance(ctx),
        url=lambda alliance: f"/industries/alliances/{alliance.pk}/edit/",
        first={"description": "甲的介绍"},
        second={"description": "乙的介绍"},
        kept=lambda alliance: alliance.description,
    ),
    "designation revoked": Kind(
        make=lambda ctx: DesignationFactory(enterprise=EnterpriseFactory(zone=ctx.zone)),
        url=lambda designation: f"/enterprises/designations/{designation.pk}/revoke/",
        first={"on": "2024-01-01", "reason": "甲：认定条件不再满足"},
        second={"on": "2024-02-01", "reason": "乙：复核未通过"},
        kept=lambda designation: designation.revoked_on,
    ),
}


@dataclass
class Ctx:
    zone: Any
    users: dict[str, Any]


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS))
def test_a_stale_form_is_refused_naming_who_and_when(kind, zone, users) -> None:
    spec = KINDS[kind]
    ctx = Ctx(zone=zone, users=users)
    spec.setup(ctx)
    record = spec.make(ctx)
    model = type(record)
    url = spec.url(record)
    first_user, second_user = (ctx.users[r] for r in spec.roles)
    clients = []
    opened = []
    for user in (first_user, second_user):
        client = Client()
        client.force_login(user)
        response = client.get(spec.page(record) if spec.page else url)
        assert response.status_code == 200, (kind, response.status_code)
        form = response.context[spec.context_form]
        assert "version" in form.fields, f"{kind}: the form carries no version"
        clients.append(client)
        opened.append(form_data(form))
    changes_before = record.history.count()
    before = spec.kept(model.objects.get(pk=record.pk))

    response = clients[0].post(url, {**opened[0], **spec.first})
    assert response.status_code == 302, (
        kind,
        response.context and response.context[spec.context_form].errors,
    )
    stored = model.objects.get(pk=record.pk)
    kept = spec.kept(stored)
    assert kept != before, f"{kind}: the first user's change was not saved"
    assert stored.history.count() == changes_before + 1

    response = clients[1].post(url, {**opened[1], **spec.second}, follow=bool(spec.page))
    assert response.status_code in (200, 400), kind
    body = response.content.decode()
    last = stored.history.first()
    when = formats.date_format(timezone.localtime(last.history_date), "Y-m-d H:i")
    assert "was changed by" in body and "Reload the page" in body
    assert (first_user.name or first_user.username) in body and when in body
    stored = model.objects.get(pk=record.pk)
    assert spec.kept(stored) == kept
    assert stored.history.count() == changes_before + 1
