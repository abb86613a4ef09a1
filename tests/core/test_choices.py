"""Choices that think (core/choices.py): the empty choice says what to choose, in every form;
a dependent choice carries its parent on each option and is refused, with a message, when it
does not belong to the parent chosen; pickers offer people who take work, never an
administrator or a leader."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.translation import override

from gaoxin.accounts.selectors import assignable_users, officers_of
from gaoxin.core.roles import Role
from gaoxin.enterprises.forms import EnterpriseFilterForm
from gaoxin.investment.forms import LeadForm
from gaoxin.projects.work.blockers.forms import BlockerForm
from tests.factories import (
    ChainSegmentFactory,
    DepartmentFactory,
    IndustryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class _Plain(forms.Form):
    kind = forms.ChoiceField(label="所属产业", choices=[("", "---------"), ("a", "甲")])
    other = forms.ChoiceField(label="Industry", choices=[("", "---------"), ("a", "A")])
    said = forms.ChoiceField(label="状态", choices=[("", "全部"), ("a", "甲")])


def test_the_empty_choice_says_what_to_choose_in_every_form() -> None:
    with override("zh-hans"):
        html = str(_Plain())
        assert "---------" not in html
        assert '<option value="" selected>请选择所属产业</option>' in html
        assert '<option value="" selected>全部</option>' in html  # a label of its own stays
    with override("en"):
        assert "Choose industry" in str(_Plain()["other"])


def test_no_dashes_on_the_lead_form(zone, users) -> None:
    IndustryFactory(zone=zone, name="储能")
    with override("zh-hans"):
        html = str(LeadForm(zone_id=zone.pk))
    assert "---------" not in html
    assert "请选择" in html


@pytest.fixture
def chain(zone):
    storage = IndustryFactory(zone=zone, name="储能")
    sensors = IndustryFactory(zone=zone, name="传感器")
    return {
        "storage": storage,
        "sensors": sensors,
        "cell": ChainSegmentFactory(industry=storage, name="电芯"),
        "chip": ChainSegmentFactory(industry=sensors, name="芯片"),
    }


def test_segment_options_carry_their_industry_and_follow_the_industry_field(
    zone, users, chain
) -> None:
    html = str(LeadForm(zone_id=zone.pk)["segment"])
    assert 'data-follows="industry"' in html
    assert re.search(rf'value="{chain["cell"].pk}"[^>]*data-parent="{chain["storage"].pk}"', html)
    assert re.search(rf'value="{chain["chip"].pk}"[^>]*data-parent="{chain["sensors"].pk}"', html)


def test_a_segment_of_another_industry_is_refused_with_a_message(zone, users, chain) -> None:
    form = EnterpriseFilterForm(
        {"industry": chain["storage"].pk, "segment": chain["chip"].pk}, zone_ids=[zone.pk]
    )
    with override("zh-hans"):
        assert not form.is_valid()
        assert form.errors["segment"] == ["“芯片”不是储能产业链的环节，请在该产业链的环节中选择。"]
    # Its own industry's segment, or no industry at all, goes.
    ok = EnterpriseFilterForm(
        {"industry": chain["storage"].pk, "segment": chain["cell"].pk}, zone_ids=[zone.pk]
    )
    assert ok.is_valid(), ok.errors
    assert EnterpriseFilterForm({"segment": chain["chip"].pk}, zone_ids=[zone.pk]).is_valid()


def test_the_responsible_person_follows_the_department_even_in_a_prefixed_form(zone, users) -> None:
    planning = users["department"].department
    housing = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    builder = UserFactory(role=Role.DEPARTMENT, department=housing, zones=[zone], name="住建甲")
    form = BlockerForm(zone_id=zone.pk, prefix="reassign")
    html = str(form["owner"])
    assert 'data-follows="reassign-department"' in html
    assert re.search(rf'value="{builder.pk}"[^>]*data-parent="{housing.pk}"', html)
    # An officer of no department goes with any department: no data-parent.
    assert re.search(rf'value="{users["officer"].pk}">', html)
    data = {
        "reassign-description": "道路未通",
        "reassign-department": planning.pk,
        "reassign-owner": builder.pk,
        "reassign-due_on": "2030-01-01",
    }
    refused = BlockerForm(data, zone_id=zone.pk, prefix="reassign")
    assert not refused.is_valid()
    assert "住建甲" in refused.errors["owner"][0]
    data["reassign-department"] = housing.pk
    assert BlockerForm(data, zone_id=zone.pk, prefix="reassign").is_valid()


def test_pickers_offer_people_who_take_work_never_an_administrator_or_a_leader(zone, users) -> None:
    offered = set(assignable_users([zone.pk]))
    assert offered == {users["officer"], users["department"]}
    assert set(officers_of([zone.pk])) == {users["officer"]}
    # The one a record already names stays offered, so editing it does not refuse it.
    assert users["admin"] in set(officers_of([zone.pk], keep=users["admin"].pk))
    form_html = str(LeadForm(zone_id=zone.pk)["officer"])
    for role in ("admin", "leader", "department", "enterprise", "outsider"):
        assert f'value="{users[role].pk}"' not in form_html, role
    assert f'value="{users["officer"].pk}"' in form_html
    owners = str(BlockerForm(zone_id=zone.pk)["owner"])
    assert f'value="{users["admin"].pk}"' not in owners
    assert f'value="{users["leader"].pk}"' not in owners
